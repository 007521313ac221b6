"""Drafting proposals: codes, validation, concurrency, attachments, deletion and the action list."""

from __future__ import annotations

import pytest
from factories import advance_to, machine_lines, make_establishment, make_proposal, proposal_input

from desktop_app.domain.enums import Action, Scope, Status
from desktop_app.domain.errors import ConflictError, PermissionDenied, ValidationError, WorkflowError
from desktop_app.services.dto import ProposalFilter


def test_codes_are_numbered_per_scope_and_year(services, people) -> None:
    a = make_proposal(services, people.staff)
    b = make_proposal(services, people.staff)
    c = make_proposal(services, people.staff, scope=Scope.NATIONAL)
    assert (a.code, b.code, c.code) == ("KCDP-2026-0001", "KCDP-2026-0002", "KCQG-2026-0001")
    with pytest.raises(ValidationError, match="đã có") as err:
        make_proposal(services, people.staff, code="KCDP-2026-0001")
    assert err.value.field == "code"


def test_invalid_general_fields_name_the_field(services, people) -> None:
    eid = make_establishment(services, people.staff)
    for overrides, field in (({"title": ""}, "title"), ({"year": 1990}, "year"), ({"content_code": "X"},
                                                                                 "content_code")):
        with pytest.raises(ValidationError) as err:
            services.proposals.create(people.staff, proposal_input(**overrides), machine_lines(), [eid])
        assert err.value.field == field
    from datetime import date
    with pytest.raises(ValidationError) as err:
        services.proposals.create(people.staff, proposal_input(start_date=date(2026, 5, 1),
                                                               end_date=date(2026, 4, 1)), machine_lines(), [eid])
    assert err.value.field == "end_date"
    assert services.proposals.search(people.staff, ProposalFilter()).total == 0


def test_single_proposal_has_one_beneficiary(services, people) -> None:
    a, b = make_establishment(services, people.staff), make_establishment(services, people.staff)
    with pytest.raises(ValidationError, match="Đề án nhóm"):
        services.proposals.create(people.staff, proposal_input(), machine_lines(), [a, b])


def test_concurrent_edits_conflict(services, people) -> None:
    d = make_proposal(services, people.staff)
    eid = d.beneficiaries[0].establishment_id
    services.proposals.save(people.manager, d.id, d.version, d.data, machine_lines(200_000_000), [eid])
    with pytest.raises(ConflictError):
        services.proposals.save(people.staff, d.id, d.version, d.data, machine_lines(100_000_000), [eid])
    assert services.proposals.get(people.staff, d.id).support_vnd == 200_000_000


def test_attachments_only_in_draft_and_within_the_limit(services, people) -> None:
    d = make_proposal(services, people.staff)
    info = services.proposals.add_attachment(people.staff, d.id, "bao-gia.pdf", b"%PDF-1.4 test")
    assert info.content_type == "application/pdf" and info.size_bytes == 13
    assert services.proposals.attachment_data(people.staff, info.id) == ("bao-gia.pdf", b"%PDF-1.4 test")
    with pytest.raises(ValidationError, match="rỗng"):
        services.proposals.add_attachment(people.staff, d.id, "rong.txt", b"")
    advance_to(services, people, d.id, Status.SUBMITTED)
    with pytest.raises(WorkflowError, match="Dự thảo"):
        services.proposals.add_attachment(people.staff, d.id, "them.pdf", b"x")
    with pytest.raises(WorkflowError):
        services.proposals.remove_attachment(people.staff, info.id)
    assert len(services.proposals.attachments(people.staff, d.id)) == 1


def test_only_never_submitted_drafts_can_be_deleted(services, people) -> None:
    d = make_proposal(services, people.staff)
    services.proposals.delete_draft(people.staff, d.id, d.version)
    assert services.proposals.search(people.staff, ProposalFilter()).total == 0
    e = make_proposal(services, people.staff)
    e = services.proposals.submit(people.staff, e.id, e.version)
    e = services.proposals.return_for_correction(people.manager, e.id, e.version, "Thiếu hồ sơ")
    with pytest.raises(WorkflowError, match="Hủy đề án"):
        services.proposals.delete_draft(people.staff, e.id, e.version)
    cancelled = services.proposals.cancel(people.staff, e.id, e.version, "Cơ sở rút hồ sơ")
    assert cancelled.status is Status.CANCELLED


def test_actions_carry_the_reason_they_are_refused(services, people) -> None:
    d = make_proposal(services, people.staff)
    staff = {o.action: o for o in services.proposals.allowed_actions(people.staff, d.id)}
    assert staff[Action.SUBMIT].allowed and staff[Action.CANCEL].needs_note
    appraiser = {o.action: o for o in services.proposals.allowed_actions(people.appraisers[0], d.id)}
    assert not appraiser[Action.SUBMIT].allowed and "Thành viên hội đồng" in (appraiser[Action.SUBMIT].refusal or "")
    with pytest.raises(PermissionDenied):
        services.proposals.create(people.admin, proposal_input(), machine_lines(), [])


def test_search_filters_and_money_columns(services, people) -> None:
    d = make_proposal(services, people.staff, title="Đào tạo nghề mây tre đan xuất khẩu")
    make_proposal(services, people.staff, scope=Scope.NATIONAL)
    advance_to(services, people, d.id, Status.AWAITING_ACCEPTANCE)
    page = services.proposals.search(people.staff, ProposalFilter(text="dao tao nghe"))
    assert page.total == 1
    row = page.rows[0]
    assert row.status is Status.AWAITING_ACCEPTANCE and row.total_vnd == 600_000_000 and row.support_vnd == 250_000_000
    assert row.approved_support_vnd == 250_000_000
    assert row.advanced_vnd == 175_000_000 and row.paid_vnd == 175_000_000
    assert services.proposals.search(people.staff, ProposalFilter(scope=Scope.NATIONAL)).total == 1
    assert services.proposals.search(people.staff, ProposalFilter(status=Status.DRAFT)).total == 1
    assert services.proposals.search(people.staff, ProposalFilter(content_code="ND45-4.3")).total == 2
    assert services.proposals.search(people.staff, ProposalFilter(year=2025)).total == 0


def test_staff_withdraw_a_submitted_proposal_before_the_council(services, people) -> None:
    d = make_proposal(services, people.staff)
    d = services.proposals.submit(people.staff, d.id, d.version)
    with pytest.raises(WorkflowError, match="lý do"):
        services.proposals.withdraw(people.staff, d.id, d.version, "  ")
    with pytest.raises(PermissionDenied):
        services.proposals.withdraw(people.appraisers[0], d.id, d.version, "Không phải việc của tôi")
    back = services.proposals.withdraw(people.staff, d.id, d.version, "Bổ sung báo giá máy")
    assert back.status is Status.DRAFT and back.version > d.version
    history = [h.text for h in services.proposals.history(people.staff, d.id)]
    assert "Rút lại đề án → Dự thảo. Ghi chú: Bổ sung báo giá máy" in history
    # once the council is open it is too late: the manager returns it instead
    again = services.proposals.submit(people.staff, back.id, back.version)
    opened = advance_to(services, people, again.id, Status.APPRAISING)
    with pytest.raises(WorkflowError, match="Đang thẩm định"):
        services.proposals.withdraw(people.staff, opened.id, opened.version, "Muộn rồi")


def test_paging_through_several_statuses_gives_every_row_once_in_title_order(services, people) -> None:
    """The statuses are filtered in the query: pages of any size follow the database's title order (đ after d,
    ă after a) and the count is the rows'."""
    titles = ["Dệt thổ cẩm", "Đào tạo nghề mây", "Ăn uống sạch", "An toàn lao động", "Bánh tráng", "Cơ khí nhỏ",
              "Chế biến chè", "Đúc đồng", "Dán nhãn", "Ấp trứng", "Zét", "Ô tô điện"]
    wanted = {Status.SUBMITTED, Status.CANCELLED}
    kept = []
    eid = make_establishment(services, people.staff)
    for i, title in enumerate(titles):
        d = make_proposal(services, people.staff, establishment_id=eid, title=title)
        if i % 3 == 0:
            d = services.proposals.submit(people.staff, d.id, d.version)
        elif i % 3 == 1:
            d = services.proposals.cancel(people.staff, d.id, d.version, "Cơ sở rút hồ sơ")
        if d.status in wanted:
            kept.append(d.id)
    f = ProposalFilter(statuses=(Status.SUBMITTED, Status.CANCELLED))
    everything = services.proposals.search(people.staff, f, 0, 100, "title")
    assert everything.total == len(kept) == 8
    for size in (1, 2, 3, 5):
        seen = []
        offset = 0
        while True:
            page = services.proposals.search(people.staff, f, offset, size, "title")
            assert page.total == len(kept)
            seen += [r.id for r in page.rows]
            if len(page.rows) < size:
                break
            offset += size
        assert seen == [r.id for r in everything.rows], size
        assert sorted(seen) == sorted(kept)
    from desktop_app.domain.vietnamese import sort_key

    order = [sort_key(r.title) for r in everything.rows]
    assert order == sorted(order)
    assert {r.status for r in everything.rows} == wanted
    # descending is the same rows backwards
    backwards = services.proposals.search(people.staff, f, 0, 100, "title", descending=True)
    assert [r.id for r in backwards.rows] == [r.id for r in reversed(everything.rows)]


def test_a_years_proposals_are_listed_in_code_order(services, people) -> None:
    """Sorted by year, the proposals of one year come in code order (as a clerk files them), not in entry order."""
    eid = make_establishment(services, people.staff)
    for code in ("KCDP-2026-0009", "KCDP-2026-0002", "KCDP-2026-0005"):
        make_proposal(services, people.staff, establishment_id=eid, code=code)
    make_proposal(services, people.staff, establishment_id=eid, code="KCDP-2027-0001", year=2027,
                  start_date=None, end_date=None)
    rows = services.proposals.search(people.staff, ProposalFilter(), 0, 10, "year", descending=True).rows
    assert [r.code for r in rows] == ["KCDP-2027-0001", "KCDP-2026-0002", "KCDP-2026-0005", "KCDP-2026-0009"]
    assert [r.code for r in services.proposals.rows(people.staff, ProposalFilter(), 0, 10, "year")] == [
        "KCDP-2026-0002", "KCDP-2026-0005", "KCDP-2026-0009", "KCDP-2027-0001"]
