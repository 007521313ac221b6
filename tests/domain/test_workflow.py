"""The transition table: who may do what from which state, and the guards."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from desktop_app.domain import workflow
from desktop_app.domain.enums import Action, Role, Scope, Status
from desktop_app.domain.errors import PermissionDenied, WorkflowError
from desktop_app.domain.workflow import ProposalFacts

READY = ProposalFacts(scope=Scope.LOCAL, status=Status.DRAFT, beneficiary_count=1, budget_line_count=2,
                      requested_support_vnd=100_000_000)


def test_every_status_is_reachable_and_ordered() -> None:
    targets = {t.target for t in workflow.TRANSITIONS} | {Status.DRAFT}
    assert targets == set(Status)
    assert set(workflow.STATUS_ORDER) == set(Status)


def test_ministry_step_only_for_national() -> None:
    assert workflow.find(Action.SEND_TO_MINISTRY, Scope.NATIONAL, Status.APPRAISED) is not None
    assert workflow.find(Action.SEND_TO_MINISTRY, Scope.LOCAL, Status.APPRAISED) is None
    assert workflow.find(Action.APPROVE, Scope.NATIONAL, Status.APPRAISED) is None
    assert workflow.find(Action.APPROVE, Scope.NATIONAL, Status.SENT_TO_MINISTRY) is not None
    assert workflow.find(Action.APPROVE, Scope.LOCAL, Status.APPRAISED) is not None


@pytest.mark.parametrize(("role", "allowed"), [(Role.STAFF, True), (Role.MANAGER, True), (Role.APPRAISER, False),
                                               (Role.ADMIN, False)])
def test_who_may_submit(role: Role, allowed: bool) -> None:
    assert (workflow.refusal(Action.SUBMIT, role, READY) is None) is allowed


def test_submit_guards_name_what_is_missing() -> None:
    assert "thụ hưởng" in (workflow.refusal(Action.SUBMIT, Role.STAFF, replace(READY, beneficiary_count=0)) or "")
    assert "dự toán" in (workflow.refusal(Action.SUBMIT, Role.STAFF, replace(READY, budget_line_count=0)) or "")
    cap = "vượt mức hỗ trợ tối đa 300.000.000 đồng"
    assert workflow.refusal(Action.SUBMIT, Role.STAFF, replace(READY, cap_problem=cap)) == cap


def test_check_raises_permission_then_workflow_errors() -> None:
    with pytest.raises(PermissionDenied, match="Thành viên hội đồng"):
        workflow.check(Action.SUBMIT, Role.APPRAISER, READY)
    with pytest.raises(WorkflowError, match="Dự thảo"):
        workflow.check(Action.APPROVE, Role.MANAGER, READY)
    with pytest.raises(WorkflowError, match="lý do"):
        workflow.check(Action.CANCEL, Role.STAFF, READY, note="  ")
    assert workflow.check(Action.CANCEL, Role.STAFF, READY, note="Cơ sở rút hồ sơ").target is Status.CANCELLED


def test_conclusion_follows_the_average() -> None:
    f = replace(READY, status=Status.APPRAISING, average_score=Decimal("69.99"), pass_mark=Decimal(70))
    assert workflow.refusal(Action.PASS_APPRAISAL, Role.MANAGER, f)
    assert workflow.refusal(Action.FAIL_APPRAISAL, Role.MANAGER, f) is None
    f = replace(f, average_score=Decimal(70))
    assert workflow.refusal(Action.PASS_APPRAISAL, Role.MANAGER, f) is None
    assert workflow.refusal(Action.PASS_APPRAISAL, Role.MANAGER, replace(f, pending_score_sheets=1))


def test_approval_within_request_and_cap() -> None:
    f = replace(READY, status=Status.APPRAISED, approved_support_vnd=120_000_000)
    assert "vượt kinh phí đề nghị" in (workflow.refusal(Action.APPROVE, Role.MANAGER, f) or "")
    assert workflow.refusal(Action.APPROVE, Role.MANAGER, replace(f, approved_support_vnd=90_000_000)) is None


def test_settlement_needs_the_liquidation_and_settles_an_overpayment_as_money_to_return() -> None:
    # Money paid above what was verified is returned (the liquidation and settlement say so): settling is not
    # refused for it; only a missing liquidation stops it.
    f = replace(READY, status=Status.ACCEPTED, has_liquidation=True, approved_support_vnd=100)
    assert workflow.refusal(Action.SETTLE, Role.MANAGER, f) is None
    assert "thanh lý" in (workflow.refusal(Action.SETTLE, Role.MANAGER, replace(f, has_liquidation=False)) or "")


def test_available_lists_every_action_of_the_state_with_reasons() -> None:
    options = workflow.available(Role.STAFF, replace(READY, status=Status.SUBMITTED))
    assert set(options) == {Action.RETURN, Action.OPEN_COUNCIL, Action.CANCEL, Action.WITHDRAW}
    assert options[Action.RETURN] is not None and options[Action.CANCEL] is None


def test_withdraw_only_before_the_council_and_with_a_reason() -> None:
    submitted = replace(READY, status=Status.SUBMITTED)
    with pytest.raises(WorkflowError, match="lý do"):
        workflow.check(Action.WITHDRAW, Role.STAFF, submitted, note=" ")
    assert workflow.check(Action.WITHDRAW, Role.STAFF, submitted, note="Bổ sung báo giá").target is Status.DRAFT
    assert workflow.refusal(Action.WITHDRAW, Role.MANAGER, submitted) is None
    assert "Thành viên hội đồng" in (workflow.refusal(Action.WITHDRAW, Role.APPRAISER, submitted) or "")
    for later in (Status.DRAFT, Status.APPRAISING, Status.APPRAISED, Status.APPROVED):
        assert "Rút lại đề án" in (workflow.refusal(Action.WITHDRAW, Role.STAFF, replace(READY, status=later)) or "")


def test_records_and_actions_never_share_a_value() -> None:
    from desktop_app.domain.enums import Record

    assert not {a.value for a in Action} & {r.value for r in Record}
    assert set(workflow.RECORDS) == set(Record)


def test_require_gives_the_role_refusal_then_the_state_refusal() -> None:
    from desktop_app.domain.enums import Record

    with pytest.raises(PermissionDenied, match="không được sửa đề án; chỉ Cán bộ nghiệp vụ, Lãnh đạo"):
        workflow.require(Record.EDIT, Status.DRAFT, Role.APPRAISER)
    with pytest.raises(WorkflowError, match=r"Dự thảo” \(hiện: Chờ thẩm định\)"):
        workflow.require(Record.EDIT, Status.SUBMITTED, Role.STAFF)
    workflow.require(Record.EDIT, Status.DRAFT, Role.STAFF)
    with pytest.raises(WorkflowError, match=r"“Chờ thẩm định” \(hiện: Dự thảo\)"):
        workflow.require(Action.OPEN_COUNCIL, Status.DRAFT, Role.STAFF)
    with pytest.raises(PermissionDenied, match="kết luận thẩm định; chỉ Lãnh đạo"):
        workflow.require(Action.PASS_APPRAISAL, Status.APPRAISING, Role.STAFF)
    workflow.require(Action.APPROVE, Status.SENT_TO_MINISTRY, Role.MANAGER)


def test_record_guards_hold_with_the_facts() -> None:
    from desktop_app.domain.enums import Record

    submitted_once = replace(READY, ever_submitted=True)
    assert workflow.record_refusal(Record.DELETE, Role.STAFF, READY) is None
    assert "chưa từng nộp" in (workflow.record_refusal(Record.DELETE, Role.STAFF, submitted_once) or "")
    with pytest.raises(WorkflowError, match="chưa từng nộp"):
        workflow.require(Record.DELETE, Status.DRAFT, Role.STAFF, submitted_once)
    waiting = replace(READY, status=Status.AWAITING_ACCEPTANCE)
    assert workflow.record_refusal(Record.ACCEPTANCE, Role.STAFF, waiting) is None
    assert "ký duyệt" in (workflow.record_refusal(Record.ACCEPTANCE, Role.STAFF,
                                                  replace(waiting, acceptance_signed=True)) or "")
    opened = workflow.records_open(Role.STAFF, replace(READY, status=Status.IN_PROGRESS))
    assert opened[Record.DISBURSE] is None and opened[Record.PROGRESS] is None
    assert "thanh lý" in (opened[Record.LIQUIDATE] or "").lower()


def test_score_sheets_only_while_the_council_works() -> None:
    from desktop_app.domain.enums import Record

    assert workflow.states_for(Record.SCORE) == {Status.APPRAISING}
    assert workflow.roles_for(Record.SCORE) == (Role.APPRAISER,)
    assert workflow.state_refusal(Record.SCORE, Status.APPRAISED) == (
        "Chỉ chấm điểm khi đề án “Đang thẩm định” (hiện: Đạt thẩm định).")
