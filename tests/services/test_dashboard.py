"""The dashboard's figures and deadlines, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from factories import PASSWORD, Actors, advance_to, make_proposal, score_all
from sqlalchemy import select

from desktop_app.domain.enums import DisbursementKind, Role, Scope, Status
from desktop_app.services.auth import actor_of
from desktop_app.services.context import Services
from desktop_app.services.dashboard import COUNCIL, PROGRESS_REPORT, REGISTRATION, SETTLEMENT
from desktop_app.store.models import User


def test_empty_database_has_nothing_due(services: Services, people: Actors) -> None:
    data = services.dashboard.overview(people.staff, date(2026, 6, 1))
    assert set(data.by_status) == set(Status)
    assert sum(data.by_status.values()) == 0
    assert data.funding == []
    assert data.due == []
    assert data.tasks == ["Không có việc nào đang chờ bạn."]


def test_counts_and_funding_by_year_and_scope(services: Services, people: Actors) -> None:
    make_proposal(services, people.staff, year=2026)
    make_proposal(services, people.staff, year=2026)
    national = make_proposal(services, people.staff, scope=Scope.NATIONAL, year=2027)
    cancelled = make_proposal(services, people.staff, year=2026)
    services.proposals.cancel(people.staff, cancelled.id, cancelled.version, "Đơn vị rút hồ sơ")
    data = services.dashboard.overview(people.manager, date(2026, 5, 1))
    assert data.by_status[Status.DRAFT] == 3
    assert data.by_status[Status.CANCELLED] == 1
    # Requested money is never charted: drafts hold none of the approved or disbursed money.
    assert data.funding == []
    approved = advance_to(services, people, national.id, Status.IN_PROGRESS)
    services.implementation.record_disbursement(people.staff, national.id, DisbursementKind.ADVANCE, 100_000_000,
                                                date(2027, 3, 1))
    data = services.dashboard.overview(people.manager, date(2026, 5, 1))
    assert data.funding == [(2027, Scope.NATIONAL, 1, approved.approved_support_vnd, 100_000_000)]


def test_kcqg_registration_is_due_before_20_june_of_the_year_before(services: Services, people: Actors) -> None:
    p = make_proposal(services, people.staff, scope=Scope.NATIONAL, year=2027)
    make_proposal(services, people.staff, scope=Scope.LOCAL, year=2027)  # local: no ministry registration
    before = services.dashboard.overview(people.staff, date(2026, 6, 19)).due
    assert [(d.kind, d.due, d.overdue, d.proposal_id) for d in before] == [
        (REGISTRATION, date(2026, 6, 20), False, p.id)]
    assert p.code in before[0].text and "20/06/2026" in before[0].text
    after = services.dashboard.overview(people.staff, date(2026, 6, 21)).due
    assert after[0].overdue is True


def test_monthly_progress_report_by_the_25th(services: Services, people: Actors) -> None:
    p = make_proposal(services, people.staff)
    advance_to(services, people, p.id, Status.IN_PROGRESS)
    due = [d for d in services.dashboard.overview(people.staff, date(2026, 7, 10)).due if d.kind == PROGRESS_REPORT]
    assert [(d.due, d.overdue, d.proposal_id) for d in due] == [(date(2026, 7, 25), False, p.id)]
    late = [d for d in services.dashboard.overview(people.staff, date(2026, 7, 26)).due if d.kind == PROGRESS_REPORT]
    assert late[0].overdue is True and "tháng 7/2026" in late[0].text
    services.implementation.add_progress_report(people.staff, p.id, year=2026, month=7, reported_on=date(2026, 7, 20),
                                                progress_percent=40)
    done = services.dashboard.overview(people.staff, date(2026, 7, 26)).due
    assert [d for d in done if d.kind == PROGRESS_REPORT] == []


def test_settlement_of_accepted_proposals_by_22_january(services: Services, people: Actors) -> None:
    p = make_proposal(services, people.staff, year=2026)
    advance_to(services, people, p.id, Status.ACCEPTED)
    due = [d for d in services.dashboard.overview(people.manager, date(2026, 12, 1)).due if d.kind == SETTLEMENT]
    assert [(d.due, d.overdue) for d in due] == [(date(2027, 1, 22), False)]
    late = [d for d in services.dashboard.overview(people.manager, date(2027, 1, 23)).due if d.kind == SETTLEMENT]
    assert late[0].overdue is True
    tasks = services.dashboard.overview(people.manager, date(2026, 12, 1)).tasks
    assert any("chờ quyết toán" in t and p.code in t for t in tasks)


def test_council_without_conclusion_and_role_tasks(services: Services, people: Actors) -> None:
    p = make_proposal(services, people.staff)
    advance_to(services, people, p.id, Status.APPRAISING)
    data = services.dashboard.overview(people.appraisers[0], date(2026, 4, 15))
    councils = [d for d in data.due if d.kind == COUNCIL]
    assert [(d.due, d.overdue, d.proposal_id) for d in councils] == [(date(2026, 4, 10), True, p.id)]
    assert "Hội đồng thẩm định" in councils[0].text and "chưa có kết luận" in councils[0].text
    # The appraiser sees the score sheet waiting for them, the same one the appraisal service lists.
    expected = [t.sheet_id for t in services.appraisal.my_tasks(people.appraisers[0])]
    assert [t.sheet_id for t in data.score_tasks] == expected
    assert len(data.score_tasks) == 1 and p.code in data.tasks[0]
    # The manager has nothing to conclude until every sheet is in.
    assert not any("chờ kết luận" in t for t in services.dashboard.overview(people.manager, date(2026, 4, 15)).tasks)
    score_all(services, people)
    manager_tasks = services.dashboard.overview(people.manager, date(2026, 4, 15)).tasks
    assert any("chờ kết luận thẩm định" in t and p.code in t for t in manager_tasks)
    assert services.dashboard.overview(people.appraisers[0], date(2026, 4, 15)).score_tasks == []


def test_staff_sees_own_drafts_and_returned_proposals(services: Services, people: Actors) -> None:
    draft = make_proposal(services, people.staff)
    returned = make_proposal(services, people.staff)
    submitted = services.proposals.submit(people.staff, returned.id, returned.version)
    services.proposals.return_for_correction(people.manager, submitted.id, submitted.version, "Thiếu dự toán chi tiết")
    tasks = services.dashboard.overview(people.staff, date(2026, 5, 1)).tasks
    assert tasks[0].startswith("Đề án bị trả lại") and returned.code in tasks[0] and draft.code not in tasks[0]
    assert tasks[1].startswith("Đề án dự thảo của bạn") and draft.code in tasks[1]
    admin_tasks = services.dashboard.overview(people.admin, date(2026, 5, 1)).tasks
    assert admin_tasks == ["Không có việc quản trị nào đang chờ."]


def test_an_appraiser_sees_only_the_deadlines_of_his_councils(services: Services, people: Actors) -> None:
    p = make_proposal(services, people.staff)
    advance_to(services, people, p.id, Status.APPRAISING)
    services.users.add(people.admin, "thamdinh9", Role.APPRAISER, PASSWORD, "Lý Văn Ngoài", "Chuyên gia")
    with services.db.reading() as s:
        outsider = actor_of(s.scalars(select(User).where(User.username == "thamdinh9")).one())
    mine = services.dashboard.overview(people.appraisers[0], date(2026, 4, 15)).due
    assert [d.proposal_id for d in mine if d.kind == COUNCIL] == [p.id]
    assert services.dashboard.overview(outsider, date(2026, 4, 15)).due == []
    assert [d.proposal_id for d in services.dashboard.overview(people.staff, date(2026, 4, 15)).due
            if d.kind == COUNCIL] == [p.id]
