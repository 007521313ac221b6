"""The whole story of a proposal, one of each scope, from registration to settlement through the services.

Given the seeded centre (letterhead, one user per role, three appraisers), each scenario walks: registration,
drafting with a budget that fails the cap check, correction, submission, a permission refusal, a return for
correction, resubmission, a council with a conflict-of-interest declaration, scoring, conclusion, (KCQG:
sending to the ministry), approval, contract, an advance over the 70 % limit refused, an advance within it,
a progress report, completion, acceptance with verified amounts, sign-off, payment, liquidation and
settlement — and checks the history, the audit log and the money at each step.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from factories import council_members
from sqlalchemy import func, select

from desktop_app.domain.budget import BudgetLineInput
from desktop_app.domain.enums import Action, DisbursementKind, LegalForm, Outcome, Scope, Status
from desktop_app.domain.errors import PermissionDenied, ValidationError, WorkflowError
from desktop_app.services.dto import AcceptanceLineInput, EstablishmentInput, ProposalInput
from desktop_app.store.models import AuditEntry, StatusChange


def _lines(support: int, counterpart: int) -> list[BudgetLineInput]:
    return [
        BudgetLineInput("Máy dệt thổ cẩm tự động", "máy", Decimal(2), (support + counterpart - 20_000_000) // 2,
                        support - 10_000_000, counterpart - 10_000_000, 0),
        BudgetLineInput("Lắp đặt, chạy thử, chuyển giao", "gói", Decimal(1), 20_000_000, 10_000_000, 10_000_000, 0),
    ]


@pytest.mark.parametrize("scope", [Scope.LOCAL, Scope.NATIONAL])
def test_proposal_from_registration_to_settlement(services, people, scope: Scope) -> None:
    staff, manager, admin = people.staff, people.manager, people.admin
    chair, secretary, member = people.appraisers
    ps, ap, im = services.proposals, services.appraisal, services.implementation

    # Registration of the beneficiary.
    est = services.establishments.create(staff, EstablishmentInput(
        name="Hợp tác xã Dệt thổ cẩm Ngọc Lâm", legal_form=LegalForm.COOPERATIVE, tax_code="0100233488",
        representative="Hà Văn Lâm", representative_title="Giám đốc", phone="0912 345 678",
        province_code="37", commune_code=services.reference.communes("37")[0].code, street="Xóm Chùa",
        sector_code="DET_MAY" if any(s.code == "DET_MAY" for s in services.reference.sectors()) else None,
        workers=40, female_workers=32))
    assert est.data.phone == "0912345678"

    # Drafting with support over the cap: 50 % of 800 million is 400 million, capped at 300 million.
    draft = ps.create(staff, ProposalInput(
        title="Hỗ trợ ứng dụng máy dệt thổ cẩm tự động", year=2026, scope=scope, content_code="ND45-4.3.d",
        province_code="37", start_date=date(2026, 3, 1), end_date=date(2026, 11, 30),
        implementing_unit="Hợp tác xã Dệt thổ cẩm Ngọc Lâm"), _lines(400_000_000, 400_000_000), [est.id],
        {Outcome.MACHINES: 2, Outcome.JOBS: 10})
    assert draft.status is Status.DRAFT
    assert draft.total_vnd == 800_000_000 and draft.support_vnd == 400_000_000
    assert not draft.cap.ok
    assert "300.000.000" in draft.cap.message and "Thông tư 28/2018/TT-BTC" in draft.cap.message
    with pytest.raises(WorkflowError, match=r"vượt mức hỗ trợ tối đa 300\.000\.000 đồng"):
        ps.submit(staff, draft.id, draft.version)

    # Correction, then submission; an appraiser may not submit, staff may not return.
    draft = ps.save(staff, draft.id, draft.version, draft.data, _lines(250_000_000, 350_000_000), [est.id],
                    {Outcome.MACHINES: 2, Outcome.JOBS: 10})
    assert draft.cap.ok and draft.support_vnd == 250_000_000
    with pytest.raises(PermissionDenied):
        ps.submit(chair, draft.id, draft.version)
    submitted = ps.submit(staff, draft.id, draft.version)
    assert submitted.status is Status.SUBMITTED
    refusals = {o.action: o.refusal for o in ps.allowed_actions(staff, draft.id)}
    assert refusals[Action.RETURN] and "Lãnh đạo" in refusals[Action.RETURN]
    with pytest.raises(PermissionDenied):
        ps.return_for_correction(staff, draft.id, submitted.version, "Bổ sung báo giá")
    returned = ps.return_for_correction(manager, draft.id, submitted.version, "Bổ sung ba báo giá máy dệt")
    assert returned.status is Status.DRAFT
    resubmitted = ps.submit(staff, draft.id, returned.version)

    # A council with three appraisers; staff may not score; one member declares a conflict of interest.
    council = ap.open_council(staff, draft.id, resubmitted.version, decision_number="12/QĐ-TTKC",
                              decision_date=date(2026, 4, 1), meeting_date=date(2026, 4, 10),
                              place="Phòng họp Trung tâm", members=council_members(people))
    assert ps.get(staff, draft.id).status is Status.APPRAISING
    sheets = {s.user_id: s for s in council.sheets}
    with pytest.raises(PermissionDenied):
        ap.save_scores(staff, sheets[chair.id].id, sheets[chair.id].version, {}, submit=True)
    with pytest.raises(PermissionDenied):
        ap.save_scores(member, sheets[chair.id].id, sheets[chair.id].version, {}, submit=True)
    ap.declare_conflict(member, sheets[member.id].id, "Là thành viên hợp tác xã thụ hưởng")
    criteria = council.criteria
    ap.save_scores(chair, sheets[chair.id].id, sheets[chair.id].version,
                   {c.id: p for c, p in zip(criteria, map(Decimal, (13, 13, 17, 17, 13, 8, 4)), strict=True)},
                   "Đạt", submit=True)  # 85
    with pytest.raises(ValidationError, match="ngoài khoảng"):
        ap.save_scores(secretary, sheets[secretary.id].id, sheets[secretary.id].version,
                       {criteria[0].id: Decimal(16)}, submit=False)
    ap.save_scores(secretary, sheets[secretary.id].id, sheets[secretary.id].version,
                   {c.id: p for c, p in zip(criteria, map(Decimal, (12, 11, 15, 15, 10, 8, 4)), strict=True)},
                   "Đạt", submit=True)  # 75
    live = ap.council(manager, draft.id)
    assert live is not None and live.average == Decimal("80.00") and live.excluded == 1 and live.passed
    with pytest.raises(PermissionDenied):
        ap.conclude(staff, draft.id, ps.get(staff, draft.id).version)
    concluded = ap.conclude(manager, draft.id, ps.get(staff, draft.id).version, "05/BB-HĐTĐ", "Đạt, đề nghị phê duyệt")
    assert concluded.concluded and concluded.average == Decimal("80.00")
    appraised = ps.get(manager, draft.id)
    assert appraised.status is Status.APPRAISED

    # KCQG goes to the ministry first; approval above the request is refused; an appraiser cannot approve.
    if scope is Scope.NATIONAL:
        with pytest.raises(WorkflowError):
            ps.approve(manager, draft.id, appraised.version, 250_000_000, "45/QĐ-BCT", date(2026, 6, 1))
        appraised = ps.send_to_ministry(staff, draft.id, appraised.version, "123/SCT-QLCN", date(2026, 5, 15))
        assert appraised.status is Status.SENT_TO_MINISTRY
    else:
        assert Action.SEND_TO_MINISTRY not in {o.action for o in ps.allowed_actions(manager, draft.id)}
    with pytest.raises(PermissionDenied):
        ps.approve(chair, draft.id, appraised.version, 240_000_000, "45/QĐ", date(2026, 6, 1))
    with pytest.raises(WorkflowError, match="vượt kinh phí đề nghị"):
        ps.approve(manager, draft.id, appraised.version, 260_000_000, "45/QĐ-SCT", date(2026, 6, 1))
    approved = ps.approve(manager, draft.id, appraised.version, 240_000_000, "45/QĐ-SCT", date(2026, 6, 1))
    assert approved.status is Status.APPROVED and approved.approved_support_vnd == 240_000_000

    # Contract, advances within 70 % of the approved support, progress, completion.
    fin = im.sign_contract(staff, draft.id, approved.version, number="07/HĐ-TTKC", signed_on=date(2026, 6, 10))
    assert fin.contract is not None and fin.contract.value_vnd == 240_000_000
    assert fin.advance_limit_vnd == 168_000_000
    with pytest.raises(ValidationError, match="vượt 70% kinh phí được duyệt"):
        im.record_disbursement(staff, draft.id, DisbursementKind.ADVANCE, 170_000_000, date(2026, 6, 20))
    fin = im.record_disbursement(staff, draft.id, DisbursementKind.ADVANCE, 168_000_000, date(2026, 6, 20), "PC01")
    assert fin.advanced_vnd == 168_000_000 and fin.advance_remaining_vnd == 0
    im.add_progress_report(staff, draft.id, year=2026, month=7, reported_on=date(2026, 7, 24), progress_percent=60,
                           spent_vnd=300_000_000)
    with pytest.raises(ValidationError):
        im.add_progress_report(staff, draft.id, year=2026, month=7, reported_on=date(2026, 7, 24),
                               progress_percent=70)
    im.report_completion(staff, draft.id, ps.get(staff, draft.id).version)

    # Acceptance: staff records verified amounts (one line slightly under plan), the manager signs off.
    lines = ps.get(staff, draft.id).lines
    verified = [AcceptanceLineInput(lines[0].id or 0, lines[0].support_vnd - 5_000_000, lines[0].counterpart_vnd),
                AcceptanceLineInput(lines[1].id or 0, lines[1].support_vnd, lines[1].counterpart_vnd)]
    with pytest.raises(PermissionDenied):
        im.sign_off_acceptance(staff, draft.id, ps.get(staff, draft.id).version)
    # The approved budget spread 240 of the 250 million requested over the lines (230,4 + 9,6 million): a
    # verified support above an approved line is refused, or its excess recorded as counterpart when chosen.
    with pytest.raises(ValidationError, match=r"Dòng 1 \(Máy dệt.*235\.000\.000 đồng vượt kinh phí được duyệt "
                                              r"230\.400\.000 đồng"):
        im.record_acceptance(staff, draft.id, held_on=date(2026, 11, 20), place="Tại hợp tác xã", passed=True,
                             conclusion="Đạt yêu cầu", minutes_number="15/BB-NT", lines=verified)
    im.record_acceptance(staff, draft.id, held_on=date(2026, 11, 20), place="Tại hợp tác xã", passed=True,
                         conclusion="Đạt yêu cầu", minutes_number="15/BB-NT", lines=verified,
                         achieved={Outcome.MACHINES: 2, Outcome.JOBS: 12}, excess_to_counterpart=True)
    fin = im.sign_off_acceptance(manager, draft.id, ps.get(staff, draft.id).version)
    assert fin.acceptance is not None and fin.acceptance.signed_off
    assert fin.acceptance.verified_support_vnd == 240_000_000
    assert [x.verified_support_vnd for x in fin.acceptance.lines] == [230_400_000, 9_600_000]
    assert fin.acceptance.verified_counterpart_vnd == lines[0].counterpart_vnd + lines[1].counterpart_vnd + 5_000_000
    # After sign-off the ceiling is the accepted 240 million; 72 million remain.
    assert fin.remaining_vnd == 72_000_000
    with pytest.raises(ValidationError, match="vượt kinh phí khuyến công"):
        im.record_disbursement(staff, draft.id, DisbursementKind.PAYMENT, 72_000_001, date(2026, 11, 25))
    fin = im.record_disbursement(staff, draft.id, DisbursementKind.PAYMENT, 72_000_000, date(2026, 11, 25), "PC02")
    assert fin.paid_vnd == 240_000_000 and fin.remaining_vnd == 0
    with pytest.raises(WorkflowError, match="thanh lý"):
        im.settle(manager, draft.id, ps.get(staff, draft.id).version, number="30/QT", settled_on=date(2027, 1, 10))
    fin = im.record_liquidation(staff, draft.id, number="20/BB-TL", signed_on=date(2026, 12, 1))
    assert fin.liquidation is not None and fin.liquidation.remaining_vnd == 0
    fin = im.settle(manager, draft.id, ps.get(staff, draft.id).version, number="30/QT-TTKC",
                    settled_on=date(2027, 1, 10))
    final = ps.get(admin, draft.id)
    assert final.status is Status.SETTLED
    assert fin.settlement is not None and fin.settlement.settled_support_vnd == 240_000_000
    assert final.targets and {t.indicator: t.achieved_value for t in final.targets}["jobs"] == 12

    # Everything is in the history and the audit log.
    with services.db.reading() as s:
        steps = [c.action for c in s.scalars(select(StatusChange).where(StatusChange.proposal_id == draft.id)
                                             .order_by(StatusChange.id))]
        audited = s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity == "proposal",
                                                                   AuditEntry.entity_id == draft.id))
    expected = ["create", "submit", "return", "submit", "open_council", "pass_appraisal"]
    expected += ["send_to_ministry"] if scope is Scope.NATIONAL else []
    expected += ["approve", "sign_contract", "report_completion", "accept", "settle"]
    assert steps == expected
    assert audited and audited >= len(expected)
    history = ps.history(manager, draft.id)
    assert any("Bổ sung ba báo giá máy dệt" in h.text for h in history)
    assert any(h.document_number == "45/QĐ-SCT" for h in history)
    # A settled proposal can no longer be edited.
    with pytest.raises(WorkflowError):
        ps.save(staff, draft.id, final.version, final.data, _lines(250_000_000, 350_000_000), [est.id])
