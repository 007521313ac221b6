"""Running a workflow transition: gather the facts, ask the table, record the status change and audit entry.

Every state change of a proposal goes through :func:`run`, whichever service starts it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import workflow
from desktop_app.domain.appraisal import MemberScores, council_result
from desktop_app.domain.budget import BudgetLineInput, CapCheck, check_cap, rule_date, select_rule, totals
from desktop_app.domain.budget import SupportRule as RuleData
from desktop_app.domain.enums import Action, CouncilKind, MemberRole, Role, Scope, Status
from desktop_app.domain.errors import ConflictError, NotFound
from desktop_app.services import audit
from desktop_app.services.auth import Actor, check_rights, require_role
from desktop_app.services.reference import rule_data
from desktop_app.store.database import Database
from desktop_app.store.models import (
    Acceptance,
    Content,
    Contract,
    Council,
    Criterion,
    Liquidation,
    Proposal,
    ScoreSheet,
    StatusChange,
    SupportRule,
)


def allow(actor: Actor, gate: workflow.Gate, *, now: Database | None = None) -> None:
    """Before a call's transaction: refuse a role the workflow table never lets take ``gate`` (its words), and
    have the account re-read as ``require_role`` does.

    Raises:
        PermissionDenied: naming the role, the action and who may.
    """
    roles: tuple[Role, ...] = workflow.roles_for(gate)
    require_role(actor, *roles, doing=workflow.doing(gate), now=now)


def require(actor: Actor, p: Proposal, gate: workflow.Gate, facts: workflow.ProposalFacts | None = None) -> None:
    """Inside the transaction: the workflow table's answer for ``gate`` in the proposal's current state.

    Raises:
        PermissionDenied, WorkflowError: from :func:`workflow.require`.
    """
    workflow.require(gate, Status(p.status), actor.role, facts)


def load_proposal(s: Session, proposal_id: int, version: int | None = None, *, for_update: bool = False) -> Proposal:
    """The proposal, checking the version the user read when one is given.

    Raises:
        NotFound: no such proposal.
        ConflictError: it changed since ``version`` was read.
    """
    q = select(Proposal).where(Proposal.id == proposal_id)
    if for_update and s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    p = s.scalar(q)
    if p is None:
        raise NotFound("Đề án không còn tồn tại.")
    if version is not None and p.version != version:
        raise ConflictError("Đề án vừa được người khác thay đổi; thay đổi của bạn chưa được lưu. Hãy tải lại.")
    return p


def line_inputs(p: Proposal) -> list[BudgetLineInput]:
    return [BudgetLineInput(x.item, x.unit, Decimal(x.quantity), x.unit_price_vnd, x.support_vnd, x.counterpart_vnd,
                            x.other_vnd) for x in p.lines]


def rule_for(s: Session, content_code: str, scope: Scope, province_code: str | None,
             on: date) -> RuleData | None:
    """The support rule in force for the content (or its parent) on ``on`` (``select_rule``), or None."""
    content = s.get(Content, content_code)
    rules = [rule_data(r) for r in s.scalars(select(SupportRule).where(
        SupportRule.content_code.in_([content_code] + ([content.parent_code] if content and content.parent_code
                                                       else []))))]
    return select_rule(rules, content_code, scope, province_code, on, content.parent_code if content else None)


def cap_check_for(s: Session, content_code: str, scope: Scope, province_code: str | None, on: date,
                  lines: list[BudgetLineInput], requested_vnd: int | None = None) -> CapCheck:
    rule = rule_for(s, content_code, scope, province_code, on)
    return check_cap(rule, totals(lines), requested_vnd, scope)


def appraisal_council(s: Session, proposal_id: int) -> Council | None:
    return s.scalar(select(Council).where(Council.proposal_id == proposal_id,
                                          Council.kind == CouncilKind.APPRAISAL.value)
                    .order_by(Council.id.desc()).limit(1))


def criterion_ids(s: Session, council: Council) -> list[int]:
    """The criteria a complete sheet of ``council`` scores (its template's)."""
    return list(s.scalars(select(Criterion.id).where(Criterion.template_id == council.template_id)))


def council_scores(s: Session, council: Council) -> list[MemberScores]:
    sheets = {sh.member_id: sh for sh in s.scalars(select(ScoreSheet).where(
        ScoreSheet.member_id.in_([m.id for m in council.members])))}
    result = []
    for m in council.members:
        sh = sheets.get(m.id)
        points = {sc.criterion_id: Decimal(sc.points) for sc in sh.scores} if sh else {}
        result.append(MemberScores(m.id, points, m.conflict, bool(sh and sh.submitted_at)))
    return result


def facts(s: Session, p: Proposal, approved_support_vnd: int | None = None) -> workflow.ProposalFacts:
    """Everything the workflow guards need, read from the database."""
    lines = line_inputs(p)
    t = totals(lines)
    scope = Scope(p.scope)
    approved = approved_support_vnd if approved_support_vnd is not None else p.approved_support_vnd
    cap = cap_check_for(s, p.content_code, scope, p.province_code, rule_date(p.start_date, p.year), lines,
                        approved if approved is not None else None)
    council = appraisal_council(s, p.id)
    members = council.members if council else []
    average = pass_mark = None
    pending = 0
    if council is not None:
        pass_mark = Decimal(council.pass_mark) if council.pass_mark is not None else None
        result = council_result(council_scores(s, council), pass_mark or Decimal(0), criterion_ids(s, council))
        average, pending = result.average, result.pending
        if council.concluded_at is not None:
            average = Decimal(council.average_score) if council.average_score is not None else average
    acceptance = s.scalar(select(Acceptance).where(Acceptance.proposal_id == p.id))
    return workflow.ProposalFacts(
        scope=scope, status=Status(p.status), beneficiary_count=len(p.beneficiaries), budget_line_count=len(lines),
        requested_support_vnd=t.support_vnd, cap_problem=None if cap.ok else cap.message,
        council_member_count=len(members),
        council_has_chair=any(m.role == MemberRole.CHAIR.value for m in members),
        council_has_secretary=any(m.role == MemberRole.SECRETARY.value for m in members),
        pending_score_sheets=pending, average_score=average, pass_mark=pass_mark,
        approved_support_vnd=approved,
        has_contract=s.scalar(select(Contract.id).where(Contract.proposal_id == p.id)) is not None,
        acceptance_recorded=acceptance is not None, acceptance_passed=bool(acceptance and acceptance.passed),
        has_liquidation=s.scalar(select(Liquidation.id).where(Liquidation.proposal_id == p.id)) is not None,
        ever_submitted=ever_submitted(s, p.id),
        acceptance_signed=bool(acceptance and acceptance.signed_off_at is not None),
        acceptance_needs_review=bool(acceptance and acceptance.needs_review),
    )


def ever_submitted(s: Session, proposal_id: int) -> bool:
    """Whether the proposal was ever submitted (a draft that was is cancelled, not deleted)."""
    return s.scalar(select(StatusChange.id).where(StatusChange.proposal_id == proposal_id,
                                                  StatusChange.action == Action.SUBMIT.value).limit(1)) is not None


def run(s: Session, actor: Actor, p: Proposal, action: Action, *, note: str = "", document_number: str = "",
        document_date: date | None = None, approved_support_vnd: int | None = None) -> Status:
    """Check the action against the table and move the proposal; returns the new status.

    Raises:
        PermissionDenied, WorkflowError: from :func:`workflow.check`.
    """
    check_rights(s, actor, doing=action.label.lower())
    f = facts(s, p, approved_support_vnd)
    t = workflow.check(action, actor.role, f, note, document_number)
    old = p.status
    p.status = t.target.value
    s.add(StatusChange(proposal_id=p.id, action=action.value, from_status=old, to_status=t.target.value,
                       user_id=actor.id, note=note.strip(), document_number=document_number.strip(),
                       document_date=document_date))
    audit.record(s, actor, action.value, "proposal", p.id, {"status": old}, {"status": t.target.value})
    s.flush()
    return t.target
