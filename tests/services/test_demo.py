"""Demo data: every state and legal form is there, and the rest of the program works on it (checked through the
services, on SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from factories import PASSWORD, make_proposal
from sqlalchemy import func, select

from desktop_app.domain.appraisal import council_result
from desktop_app.domain.enums import (
    Action,
    DisbursementKind,
    LegalForm,
    MemberRole,
    Outcome,
    ProposalForm,
    Role,
    Scope,
    Status,
)
from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.domain.money import share_of
from desktop_app.domain.validators import check_email, check_phone, check_tax_code
from desktop_app.domain.vietnamese import fold, sort_key
from desktop_app.services import transitions
from desktop_app.services.context import Services, open_services
from desktop_app.services.demo import DEMO_PASSWORD
from desktop_app.services.dto import AcceptanceLineInput, EstablishmentFilter, MemberInput, ProposalFilter
from desktop_app.services.progress import Cancelled, Progress
from desktop_app.store import models as m

TODAY = date(2026, 11, 27)


def _generate(services: Services, actor, establishments: int = 60, proposals: int = 40, seed: int = 7, **kw):  # type: ignore[no-untyped-def]
    return services.demo.generate(actor, establishments, proposals, seed=seed, today=TODAY, **kw)


def _all_proposals(services: Services, actor) -> list:  # type: ignore[no-untyped-def]
    return services.proposals.search(actor, ProposalFilter(), limit=10_000).rows


def test_every_status_and_legal_form(services, people):
    result = _generate(services, people.manager)
    assert result.establishments == 60 and result.proposals == 40
    assert all(n > 0 for n in result.by_status.values()), result.by_status
    assert all(n > 0 for n in result.by_legal_form.values()), result.by_legal_form
    assert result.created_users == [] and result.password == ""
    rows = _all_proposals(services, people.staff)
    assert len(rows) == 40
    by_scope = Counter((r.scope, r.status) for r in rows)
    for status in Status:  # every state in the national stream, every state but "sent" in the local one
        assert by_scope[(Scope.NATIONAL, status)] > 0, status
        if status is not Status.SENT_TO_MINISTRY:
            assert by_scope[(Scope.LOCAL, status)] > 0, status
    assert Counter(r.status for r in rows) == {s: n for s, n in result.by_status.items() if n}
    everything = services.establishments.search(people.staff, EstablishmentFilter(include_archived=True),
                                                limit=1000)
    assert everything.total == 60
    assert {r.legal_form for r in everything.rows} == set(LegalForm)
    assert len({r.province_name for r in everything.rows}) > 15  # spread over the country


def test_establishments_are_valid_and_searchable(services, people):
    _generate(services, people.manager, establishments=300, proposals=0)
    with services.db.reading() as s:
        ests = list(s.scalars(select(m.Establishment)))
        communes = {c.code: c.province_code for c in s.scalars(select(m.Commune))}
        s.expunge_all()  # keep the loaded rows after the read-only session ends
    assert len(ests) == 300
    households_with_personal_id = 0
    for e in ests:
        assert e.name_folded == fold(e.name) and e.name_sort == sort_key(e.name), e.name
        problem = check_tax_code(e.tax_code)
        assert problem is None, (e.tax_code, problem)
        assert check_phone(e.phone) is None, e.phone
        assert check_email(e.email) is None, e.email
        assert e.province_code, e.name
        if e.commune_code:
            assert communes[e.commune_code] == e.province_code
        else:
            assert e.address_needs_review and e.address_as_recorded
        assert e.female_workers is not None and e.workers is not None and 0 <= e.female_workers <= e.workers
        assert e.founded_on is not None and e.founded_on <= TODAY
        if e.legal_form == LegalForm.HOUSEHOLD.value and len(e.tax_code) == 12:
            households_with_personal_id += 1
    assert households_with_personal_id > 50
    taxed = [e.tax_code for e in ests if e.tax_code]
    assert len(taxed) == len(set(taxed))  # no two establishments share a tax code
    prefixes = {e.name.split()[0] + " " + e.name.split()[1] for e in ests}
    assert {"Hợp tác", "Công ty", "Hộ kinh", "Tổ hợp", "Nghệ nhân"} <= prefixes | {p.split()[0] for p in prefixes}
    legacy = [e for e in ests if e.legacy_ward_code]
    assert legacy and all("huyện" in e.address_as_recorded or "thị xã" in e.address_as_recorded
                          or "thành phố" in e.address_as_recorded or "quận" in e.address_as_recorded
                          for e in legacy)

    # a folded search finds a name typed without diacritics, and the list comes in Vietnamese order
    target = next(e for e in ests if e.legal_form == LegalForm.COOPERATIVE.value and not e.archived)
    query = fold(target.name).upper()
    page = services.establishments.search(people.staff, EstablishmentFilter(text=query))
    assert target.id in [r.id for r in page.rows]
    page = services.establishments.search(people.staff, EstablishmentFilter(), limit=100)
    names = [r.name for r in page.rows]
    assert names == sorted(names, key=sort_key)
    assert page.total == sum(1 for e in ests if not e.archived)


def test_proposals_hold_the_invariants(services, people):
    _generate(services, people.manager, establishments=80, proposals=60, seed=11)
    ps, im, ap = services.proposals, services.implementation, services.appraisal
    pass_mark = None
    for row in _all_proposals(services, people.staff):
        d = ps.get(people.staff, row.id)
        assert d.code.startswith(("KCQG-" if d.data.scope is Scope.NATIONAL else "KCDP-") + f"{d.data.year}-")
        assert d.beneficiaries, d.code
        if d.data.form is ProposalForm.GROUP:
            assert len(d.beneficiaries) >= 2
        if d.data.form is ProposalForm.SINGLE:
            assert len(d.beneficiaries) == 1
        assert d.lines and d.support_vnd > 0
        for line in d.lines:
            assert line.support_vnd + line.counterpart_vnd + line.other_vnd == int(line.quantity * line.unit_price_vnd)
            assert min(line.support_vnd, line.counterpart_vnd, line.other_vnd) >= 0
        assert d.cap.ok, (d.code, d.cap.message)
        assert d.targets
        assert d.data.start_date and d.data.end_date and d.data.start_date <= d.data.end_date
        history = ps.history(people.staff, d.id)
        statuses = [h for h in history if h.kind == "status"]
        assert statuses[0].text.startswith("Tạo đề án")
        assert statuses[-1].text.endswith(d.status.label) or f"→ {d.status.label}" in statuses[-1].text
        assert all(h.at.date() <= TODAY for h in statuses)
        assert [h.at for h in statuses] == sorted(h.at for h in statuses)

        approved_states = {Status.APPROVED, Status.IN_PROGRESS, Status.AWAITING_ACCEPTANCE, Status.ACCEPTED,
                           Status.SETTLED}
        if d.status in approved_states:
            assert d.approved_support_vnd and 0 < d.approved_support_vnd <= d.support_vnd
            assert d.approval_number and d.approved_on
        council = ap.council(people.staff, d.id)
        if d.status in (Status.DRAFT, Status.SUBMITTED, Status.CANCELLED):
            assert council is None
        else:
            if d.status is Status.STOPPED:
                assert council is not None and council.concluded and council.passed
            assert council is not None, d.code
            roles = [s.member_role for s in council.sheets]
            assert roles.count(MemberRole.CHAIR) == 1 and roles.count(MemberRole.SECRETARY) == 1
            assert len(roles) >= 3
            pass_mark = council.pass_mark
            if council.concluded:
                assert council.pending == 0
                totals = [s.total for s in council.sheets if s.submitted and not s.conflict]
                average = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"))
                assert council.average == average
                assert council.passed is (average >= council.pass_mark)
                assert council.passed is (d.status is not Status.REJECTED)
            else:
                assert d.status is Status.APPRAISING

        f = im.finance(people.staff, d.id)
        assert f.paid_vnd <= (d.approved_support_vnd or 0)
        if f.acceptance is None or not f.acceptance.signed_off:
            assert f.advanced_vnd <= share_of(d.approved_support_vnd or 0, Decimal(70))
            assert f.paid_vnd == f.advanced_vnd  # only advances before acceptance
        else:
            assert f.paid_vnd <= min(d.approved_support_vnd or 0, f.acceptance.verified_support_vnd)
        if d.status in (Status.IN_PROGRESS, Status.AWAITING_ACCEPTANCE, Status.ACCEPTED, Status.SETTLED):
            assert f.contract is not None and f.contract.value_vnd == d.approved_support_vnd
        if d.status in (Status.ACCEPTED, Status.SETTLED):
            assert f.acceptance and f.acceptance.passed and f.acceptance.signed_off
            assert all(t.achieved_value is not None for t in d.targets)
        if d.status is Status.SETTLED:
            assert f.liquidation and f.settlement
            assert f.settlement.settled_support_vnd == f.liquidation.accepted_value_vnd == f.paid_vnd
            assert f.settlement.returned_vnd == 0
        months = [(p.year, p.month) for p in f.progress]
        assert len(months) == len(set(months))
        assert pass_mark is None or pass_mark == Decimal(70)
        ps.actions(people.manager, d.id)  # the workflow table can judge every proposal

    # the proposal codes and the number series agree, so a new proposal does not collide
    with services.db.reading() as s:
        series = {(r.year, r.series): r.last_number for r in s.scalars(select(m.DocumentNumber))}
        codes = list(s.scalars(select(m.Proposal.code)))
    for code in codes:
        kind, year, number = code.split("-")
        assert series[(int(year), f"DA-{kind}")] >= int(number)
    year = max(int(c.split("-")[1]) for c in codes if c.startswith("KCDP"))
    new = make_proposal(services, people.staff, scope=Scope.LOCAL, year=year)
    assert new.code == f"KCDP-{year}-{series[(year, 'DA-KCDP')] + 1:04d}"


def _first(services: Services, people, status: Status, scope: Scope | None = None,  # type: ignore[no-untyped-def]
           where=lambda d: True):  # type: ignore[no-untyped-def]
    for row in _all_proposals(services, people.staff):
        if row.status is status and (scope is None or row.scope is scope):
            d = services.proposals.get(people.staff, row.id)
            if where(d):
                return d
    pytest.fail(f"no demo proposal in {status}")


def test_the_workflow_continues_from_demo_states(services, people):
    _generate(services, people.manager, establishments=80, proposals=120, seed=5)
    ps, im, ap = services.proposals, services.implementation, services.appraisal
    staff, manager = people.staff, people.manager

    # an appraising council: the appraisers hand in what is missing, the manager concludes
    d = _first(services, people, Status.APPRAISING)
    council = ap.council(staff, d.id)
    assert council is not None and not council.concluded
    for appraiser in people.appraisers:
        for task in ap.my_tasks(appraiser):
            if task.proposal_id != d.id:
                continue
            sheet = next(x for x in ap.council(appraiser, d.id).sheets if x.id == task.sheet_id)
            points = {c.id: c.max_points * 8 // 10 for c in council.criteria}
            ap.save_scores(appraiser, sheet.id, sheet.version, points, "Đạt", submit=True)
    concluded = ap.conclude(manager, d.id, ps.get(staff, d.id).version, "99/BB-HĐTĐ")
    assert ps.get(staff, d.id).status is (Status.APPRAISED if concluded.passed else Status.REJECTED)

    # an approved local proposal: contract, advance, completion, acceptance, payment, liquidation, settlement
    d = _first(services, people, Status.APPROVED, Scope.LOCAL)
    f = im.sign_contract(staff, d.id, d.version, number="99/HĐ-KC", signed_on=TODAY)
    assert f.contract and f.contract.value_vnd == d.approved_support_vnd
    im.record_disbursement(staff, d.id, DisbursementKind.ADVANCE, f.advance_remaining_vnd, TODAY)
    with pytest.raises(ValidationError):  # the advance share is used up
        im.record_disbursement(staff, d.id, DisbursementKind.ADVANCE, 1000, TODAY)
    im.report_completion(staff, d.id, ps.get(staff, d.id).version)
    d = ps.get(staff, d.id)
    im.record_acceptance(staff, d.id, held_on=TODAY, place="Tại cơ sở", passed=True, conclusion="Đạt",
                         minutes_number="99/BB-NT",
                         lines=[AcceptanceLineInput(x.id or 0, x.budget.support_vnd, x.budget.counterpart_vnd,
                                                    x.budget.other_vnd) for x in d.lines], achieved={Outcome.JOBS: 5})
    im.sign_off_acceptance(manager, d.id, ps.get(staff, d.id).version)
    f = im.finance(staff, d.id)
    im.record_disbursement(staff, d.id, DisbursementKind.PAYMENT, f.remaining_vnd, TODAY)
    im.record_liquidation(staff, d.id, number="99/BB-TL", signed_on=TODAY)
    im.settle(manager, d.id, ps.get(staff, d.id).version, number="99/QT", settled_on=TODAY)
    assert ps.get(staff, d.id).status is Status.SETTLED

    # a national proposal at the ministry is approved at its requested support
    d = _first(services, people, Status.SENT_TO_MINISTRY)
    assert ps.approve(manager, d.id, d.version, d.support_vnd, "99/QĐ-BCT", TODAY).status is Status.APPROVED

    # a proposal in progress reports completion; an accepted one with a liquidation is settled
    d = _first(services, people, Status.IN_PROGRESS)
    assert im.report_completion(staff, d.id, d.version).status is Status.AWAITING_ACCEPTANCE
    d = _first(services, people, Status.ACCEPTED)
    if im.finance(staff, d.id).liquidation is None:
        im.record_liquidation(staff, d.id, number="98/BB-TL", signed_on=TODAY)
    assert im.settle(manager, d.id, ps.get(staff, d.id).version, number="98/QT",
                     settled_on=TODAY).status is Status.SETTLED

    # a submitted one gets its council; a draft is submitted
    d = _first(services, people, Status.SUBMITTED)
    members = [MemberInput(a.full_name, r, "Chuyên gia", a.id)
               for a, r in zip(people.appraisers, (MemberRole.CHAIR, MemberRole.MEMBER, MemberRole.SECRETARY),
                               strict=True)]
    view = ap.open_council(staff, d.id, d.version, decision_number="98/QĐ-TTKC", decision_date=TODAY,
                           meeting_date=TODAY, place="Phòng họp", members=members)
    assert len(view.sheets) == 3
    d = _first(services, people, Status.DRAFT)
    options = {o.action: o for o in ps.actions(staff, d.id)}
    assert options[Action.SUBMIT].allowed, options[Action.SUBMIT].refusal
    assert ps.submit(staff, d.id, d.version).status is Status.SUBMITTED


def test_same_seed_same_data(services, people, sqlite_templates, tmp_path: Path):
    """Two runs with one seed give the same rows (whatever the backend); another seed gives others."""
    _generate(services, people.manager, establishments=50, proposals=30, seed=42)
    copies = []
    for seed in (42, 43):
        path = tmp_path / f"copy{seed}.sqlite3"
        shutil.copyfile(sqlite_templates[True], path)
        other, _ = open_services(f"sqlite:///{path}")
        manager = other.auth.login("lanhdao", PASSWORD)
        _generate(other, manager, establishments=50, proposals=30, seed=seed)
        copies.append(other)
    try:
        first, same, different = (_dump(x) for x in (services, *copies))
        assert first == same
        assert first["establishments"] != different["establishments"]
        assert first["proposals"] != different["proposals"]
    finally:
        for x in copies:
            x.close()


def _dump(services: Services) -> dict[str, list[tuple]]:
    tables = {
        "establishments": (m.Establishment, "id"),
        "proposals": (m.Proposal, "id"),
        "budget_lines": (m.BudgetLine, "id"),
        "status_changes": (m.StatusChange, "id"),
        "scores": (m.Score, "sheet_id"),
        "disbursements": (m.Disbursement, "id"),
        "acceptance_lines": (m.AcceptanceLine, "budget_line_id"),
    }
    result = {}
    with services.db.reading() as s:
        for name, (model, order) in tables.items():
            cols = [c for c in model.__table__.columns]
            rows = s.execute(select(*cols).order_by(getattr(model, order), *cols)).all()
            result[name] = [tuple(r) for r in rows]
    return result


def test_refuses_a_database_with_data_unless_appending(services, people):
    make_proposal(services, people.staff, scope=Scope.LOCAL, year=2026)
    with pytest.raises(ValidationError) as err:
        _generate(services, people.manager)
    assert err.value.field == "append" and "1 cơ sở và 1 đề án" in err.value.message
    result = _generate(services, people.manager, establishments=30, proposals=30, append=True)
    assert result.proposals == 30
    with services.db.reading() as s:
        assert s.scalar(select(func.count(m.Proposal.id))) == 31
        codes = list(s.scalars(select(m.Proposal.code)))
    assert len(codes) == len(set(codes)) and "KCDP-2026-0001" in codes
    again = make_proposal(services, people.staff, scope=Scope.LOCAL, year=2026)  # the series moved on
    assert again.code not in codes


@pytest.mark.parametrize("role", ["staff", "appraiser"])
def test_only_administrators_and_managers(services, people, role):
    actor = people.staff if role == "staff" else people.appraisers[0]
    with pytest.raises(PermissionDenied):
        _generate(services, actor)
    assert _generate(services, people.admin, establishments=5, proposals=3).proposals == 3


def test_bad_counts_are_refused(services, people):
    for est, prop in ((-1, 0), (10, -2), (0, 5), (2_000_000, 0)):
        with pytest.raises(ValidationError):
            services.demo.generate(people.manager, est, prop)
    with pytest.raises(ValidationError):
        services.demo.generate(people.manager, 5, 5, seed="x")  # type: ignore[arg-type]


class _CancelAfter(Progress):
    def __init__(self, calls: int) -> None:
        self.calls = calls
        self.seen: list[tuple[int, int, str]] = []

    def set_progress(self, done: int, total: int, status: str = "") -> None:
        self.seen.append((done, total, status))

    def is_cancelled(self) -> bool:
        return len(self.seen) > self.calls


def test_cancel_rolls_back_everything(services, people):
    with services.db.reading() as s:
        users_before = s.scalar(select(func.count(m.User.id)))
    progress = _CancelAfter(calls=2)
    with pytest.raises(Cancelled):
        services.demo.generate(people.manager, 12_000, 1_500, seed=1, progress=progress, today=TODAY)
    assert progress.seen[0][0] == 0 and progress.seen[-1][0] > 0
    assert progress.seen[0][2] == "Đang chuẩn bị dữ liệu mẫu"
    assert progress.seen[-1][2] == "Đang tạo cơ sở: 10.000/12.000"
    assert all(total == 13_500 for _, total, _ in progress.seen)
    with services.db.reading() as s:
        assert s.scalar(select(func.count(m.Establishment.id))) == 0
        assert s.scalar(select(func.count(m.Proposal.id))) == 0
        assert s.scalar(select(func.count(m.User.id))) == users_before
    assert _generate(services, people.manager, establishments=10, proposals=5).proposals == 5  # still usable


def test_makes_the_users_it_needs_on_a_fresh_database(empty_db_url):
    services, _ = open_services(empty_db_url)
    try:
        admin = services.users.create_first_admin("quantri", PASSWORD)
        result = services.demo.generate(admin, 40, 30, seed=3, today=TODAY)
        assert result.created_users == ["demo_canbo", "demo_lanhdao", "demo_thamdinh1", "demo_thamdinh2",
                                        "demo_thamdinh3"]
        assert result.password == DEMO_PASSWORD
        staff = services.auth.login("demo_canbo", DEMO_PASSWORD)
        assert staff.role is Role.STAFF
        assert services.auth.login("demo_lanhdao", DEMO_PASSWORD).role is Role.MANAGER
        appraiser = services.auth.login("demo_thamdinh2", DEMO_PASSWORD)
        assert services.organisation.is_configured()
        rows = services.proposals.search(staff, ProposalFilter(status=Status.APPRAISING)).rows
        assert rows
        with services.db.reading() as s:
            users = {u.id: u.username for u in s.scalars(select(m.User))}
            actors = set(s.scalars(select(m.StatusChange.user_id)))
            p = transitions.load_proposal(s, rows[0].id)
            council = transitions.appraisal_council(s, p.id)
            result_now = council_result(transitions.council_scores(s, council), Decimal(council.pass_mark))
            members = len(council.members)
        assert {users[a] for a in actors} == {"demo_canbo", "demo_lanhdao"}
        assert result_now.counted + result_now.pending + result_now.excluded == members
        assert isinstance(services.appraisal.my_tasks(appraiser, include_submitted=True), list)
    finally:
        services.close()


def test_one_establishment_is_enough(services, people):
    """Whatever the seed, the establishments a run starts with can be beneficiaries."""
    for seed in range(4):
        result = _generate(services, people.manager, establishments=1, proposals=3, seed=seed, append=seed > 0)
        assert result.proposals == 3
    rows = _all_proposals(services, people.staff)
    assert len(rows) == 12
    details = [services.proposals.get(people.staff, r.id) for r in rows]
    assert all(len(d.beneficiaries) == 1 for d in details)
