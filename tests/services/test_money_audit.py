"""Every money change is in the audit log with who, when and old → new: approval (with its lines), each
disbursement, acceptance — recorded again included —, liquidation and settlement."""

from __future__ import annotations

from datetime import date

import pytest
from factories import Actors, advance_to, make_proposal
from sqlalchemy import select

from desktop_app.domain.enums import DisbursementKind, Status
from desktop_app.domain.errors import PermissionDenied, WorkflowError
from desktop_app.services.context import Services
from desktop_app.services.dto import AcceptanceLineInput
from desktop_app.store.models import Acceptance, AuditEntry


def _entries(services: Services, action: str) -> list[AuditEntry]:
    with services.db.reading() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))
        s.expunge_all()  # read-only copies: the session is rolled back when it closes
        return entries


def test_every_money_change_is_audited(services: Services, people: Actors) -> None:
    d = make_proposal(services, people.staff)
    d = advance_to(services, people, d.id, Status.APPRAISED)
    services.proposals.approve(people.manager, d.id, d.version, 200_000_000, "45/QĐ-SCT", date(2026, 6, 1))
    approve = {e.field: e for e in _entries(services, "approve")}
    assert approve["approved_support_vnd"].new_value == "200000000"
    assert approve["approved_support_vnd"].username == people.manager.username and approve["approved_support_vnd"].at
    assert approve["approved_lines"].new_value == "1: 200.000.000"  # the frozen lines, line by line

    d = advance_to(services, people, d.id, Status.IN_PROGRESS)
    im = services.implementation
    im.record_disbursement(people.staff, d.id, DisbursementKind.ADVANCE, 100_000_000, date(2026, 7, 1))
    im.record_disbursement(people.staff, d.id, DisbursementKind.ADVANCE, 40_000_000, date(2026, 8, 1))
    disbursed = [(e.old_value, e.new_value) for e in _entries(services, "disburse")]
    assert disbursed == [("0", "100000000"), ("100000000", "140000000")]
    im.report_completion(people.staff, d.id, services.proposals.get(people.staff, d.id).version)

    d = services.proposals.get(people.staff, d.id)
    full = [AcceptanceLineInput(x.id or 0, x.budget.support_vnd, x.budget.counterpart_vnd, x.budget.other_vnd)
            for x in d.lines]
    im.record_acceptance(people.staff, d.id, held_on=date(2026, 11, 20), place="Tại cơ sở", passed=True,
                         conclusion="Đạt", minutes_number="15/BB-NT", lines=full)
    halved = [AcceptanceLineInput(x.budget_line_id, x.verified_support_vnd // 2, x.verified_counterpart_vnd,
                                  x.verified_other_vnd) for x in full]
    im.record_acceptance(people.staff, d.id, held_on=date(2026, 11, 20), place="Tại cơ sở", passed=True,
                         conclusion="Đạt", minutes_number="15/BB-NT", lines=halved)
    first_line = f"line_{full[0].budget_line_id}_support_vnd"
    changes = [(e.old_value, e.new_value) for e in _entries(services, "record_acceptance") if e.field == first_line]
    assert changes == [(None, str(full[0].verified_support_vnd)),
                       (str(full[0].verified_support_vnd), str(full[0].verified_support_vnd // 2))]

    im.sign_off_acceptance(people.manager, d.id, services.proposals.get(people.staff, d.id).version)
    im.record_liquidation(people.staff, d.id, number="20/BB-TL", signed_on=date(2026, 12, 1))
    liq = {e.field: e.new_value for e in _entries(services, "liquidate")}
    accepted = sum(x.verified_support_vnd for x in halved)
    assert liq["accepted_value_vnd"] == str(accepted) and liq["paid_vnd"] == "140000000"
    im.settle(people.manager, d.id, services.proposals.get(people.staff, d.id).version, number="30/QT",
              settled_on=date(2027, 1, 10))
    settle = {e.field: e.new_value for e in _entries(services, "settle")}
    assert settle["settled_support_vnd"] == str(accepted)
    assert settle["returned_vnd"] == str(max(140_000_000 - accepted, 0))


def test_a_manager_confirms_an_acceptance_marked_for_review(services: Services, people: Actors) -> None:
    d = make_proposal(services, people.staff)
    advance_to(services, people, d.id, Status.ACCEPTED)
    with services.db.transaction() as s:  # as the 0005 upgrade marks an acceptance it capped
        a = s.scalar(select(Acceptance).where(Acceptance.proposal_id == d.id))
        assert a is not None
        a.needs_review, a.review_note = True, "Nâng cấp dữ liệu: đã giới hạn."
    fin = services.implementation.finance(people.staff, d.id)
    assert fin.acceptance is not None and fin.acceptance.needs_review
    with pytest.raises(PermissionDenied):
        services.implementation.confirm_acceptance_review(people.staff, d.id)
    fin = services.implementation.confirm_acceptance_review(people.manager, d.id, "Đã đối chiếu chứng từ")
    assert fin.acceptance is not None and not fin.acceptance.needs_review
    entry = {e.field: e for e in _entries(services, "confirm_acceptance_review")}
    assert entry["needs_review"].new_value == "0" and entry["review_note"].new_value == "Đã đối chiếu chứng từ"
    with pytest.raises(WorkflowError, match="không cần kiểm tra lại"):
        services.implementation.confirm_acceptance_review(people.manager, d.id)
