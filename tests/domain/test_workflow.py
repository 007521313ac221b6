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
    assert set(options) == {Action.RETURN, Action.OPEN_COUNCIL, Action.CANCEL}
    assert options[Action.RETURN] is not None and options[Action.CANCEL] is None
