"""The workflow on a proposal: what the user may do now and why not, and the status changes that need no
extra record (submit, return, withdraw, send to the ministry, approve, cancel, stop)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import workflow
from desktop_app.domain.enums import Action, DecisionKind, Record, Scope, Status
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.ledger import Split, approved_lines, spread_support
from desktop_app.domain.vietnamese import format_vnd, normalize
from desktop_app.services import audit, transitions
from desktop_app.services.appraisal import sheet_problem
from desktop_app.services.auth import Actor, require_signed_in
from desktop_app.services.dto import ActionOption, ProposalDetail
from desktop_app.services.proposal_views import detail_of
from desktop_app.store.database import Database
from desktop_app.store.models import Decision, Proposal, ScoreSheet


class ProposalWorkflow:
    """The workflow steps (part of :class:`~desktop_app.services.proposals.ProposalService`)."""

    _db: Database

    def allowed_actions(self, actor: Actor, proposal_id: int) -> list[ActionOption]:
        """What ``actor`` may do on the proposal now, from the workflow tables: the status changes the table has
        from the current state, then every record of the records table, each with why not (or None)."""
        require_signed_in(actor, doing="xem thao tác của đề án")
        with self._db.reading() as s:
            p = transitions.load_proposal(s, proposal_id)
            return self._options(s, actor, p)

    def why_not(self, actor: Actor, action: Action | Record, proposal_id: int,
                sheet_id: int | None = None) -> str | None:
        """Why ``actor`` may not take ``action`` on the proposal now (Vietnamese, the words a write would refuse
        with), or None when he may. Reads only. For scoring, ``sheet_id`` names the score sheet asked about
        (else the actor's own sheet in the proposal's appraisal council)."""
        require_signed_in(actor, doing="xem thao tác của đề án")
        with self._db.reading() as s:
            p = transitions.load_proposal(s, proposal_id)
            if action is Record.SCORE:
                return self._score_refusal(s, actor, p, sheet_id)
            for option in self._options(s, actor, p):
                if option.action == action and type(option.action) is type(action):
                    return option.refusal
            assert isinstance(action, Action)
            return (workflow.role_refusal(action, actor.role)
                    or f"Không thể “{action.label}” khi đề án ở trạng thái “{Status(p.status).label}”.")

    @staticmethod
    def _score_refusal(s: Session, actor: Actor, p: Proposal, sheet_id: int | None) -> str | None:
        if sheet_id is None:
            council = transitions.appraisal_council(s, p.id)
            member = next((m for m in council.members if m.user_id == actor.id), None) if council else None
            sheet = s.scalar(select(ScoreSheet.id).where(ScoreSheet.member_id == member.id)) if member else None
            if sheet is None:
                return (workflow.role_refusal(Record.SCORE, actor.role)
                        or workflow.state_refusal(Record.SCORE, Status(p.status))
                        or "Bạn không có phiếu chấm điểm trong hội đồng thẩm định của đề án này.")
            sheet_id = sheet
        problem = sheet_problem(s, actor, sheet_id, editing=True)
        return problem.message if problem is not None else None

    @staticmethod
    def _options(s: Session, actor: Actor, p: Proposal) -> list[ActionOption]:
        f = transitions.facts(s, p)
        options = []
        for action, refusal in workflow.available(actor.role, f).items():
            if action is Action.APPROVE and refusal is not None and f.approved_support_vnd is None:
                # The amount is typed when approving (and checked then): offer the action when approving
                # the support requested would pass, instead of "no approved amount yet".
                refusal = workflow.refusal(action, actor.role, transitions.facts(s, p, f.requested_support_vnd))
            if action is Action.OPEN_COUNCIL and refusal is not None and f.council_member_count == 0:
                # Likewise the members are chosen in the dialog that opens the council (checked on saving).
                refusal = workflow.refusal(action, actor.role, replace(
                    f, council_member_count=3, council_has_chair=True, council_has_secretary=True))
            t = workflow.find(action, f.scope, f.status)
            assert t is not None
            options.append(ActionOption(action, action.label, refusal, t.needs_note, t.needs_document))
        for record, refusal in workflow.records_open(actor.role, f).items():
            options.append(ActionOption(record, record.label, refusal, False, False))
        return options

    def _simple(self, actor: Actor, proposal_id: int, version: int, action: Action, note: str = "",
                document_number: str = "", document_date: date | None = None) -> ProposalDetail:
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            transitions.run(s, actor, p, action, note=note, document_number=document_number,
                            document_date=document_date)
            return detail_of(s, p)

    def submit(self, actor: Actor, proposal_id: int, version: int, note: str = "") -> ProposalDetail:
        return self._simple(actor, proposal_id, version, Action.SUBMIT, note)

    def return_for_correction(self, actor: Actor, proposal_id: int, version: int, reason: str) -> ProposalDetail:
        return self._simple(actor, proposal_id, version, Action.RETURN, reason)

    def cancel(self, actor: Actor, proposal_id: int, version: int, reason: str) -> ProposalDetail:
        return self._simple(actor, proposal_id, version, Action.CANCEL, reason)

    def withdraw(self, actor: Actor, proposal_id: int, version: int, reason: str) -> ProposalDetail:
        """Take a submitted proposal back to Dự thảo, with the reason, before its council is opened."""
        return self._simple(actor, proposal_id, version, Action.WITHDRAW, reason)

    def send_to_ministry(self, actor: Actor, proposal_id: int, version: int, document_number: str,
                         document_date: date, note: str = "") -> ProposalDetail:
        return self._simple(actor, proposal_id, version, Action.SEND_TO_MINISTRY, note, document_number,
                            document_date)

    def stop(self, actor: Actor, proposal_id: int, version: int, reason: str, decision_number: str,
             decision_date: date) -> ProposalDetail:
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            transitions.run(s, actor, p, Action.STOP, note=reason, document_number=decision_number,
                            document_date=decision_date)
            s.add(Decision(proposal_id=p.id, kind=DecisionKind.STOP.value, number=normalize(decision_number),
                           signed_on=decision_date, signer=actor.display_name, note=normalize(reason)))
            return detail_of(s, p)

    def approve(self, actor: Actor, proposal_id: int, version: int, approved_support_vnd: int,
                decision_number: str, decision_date: date, signer: str = "", note: str = "",
                line_support_vnd: Sequence[int] | None = None) -> ProposalDetail:
        """Approve with the decision and the approved support, and freeze the approved budget.

        The approved support is spread over the lines proportionally (the remainder on the largest line) unless
        the manager set each line's support in ``line_support_vnd``; what a line's support loses becomes
        counterpart. That budget is what every later document calls "Dự toán được duyệt".

        Raises:
            ValidationError: the amount is not whole đồng, or a line's support is above its request or the lines
                do not add up to the approved support.
            WorkflowError: the amount exceeds the request or the cap, or the appraisal has not passed.
        """
        if isinstance(approved_support_vnd, bool) or not isinstance(approved_support_vnd, int):
            raise ValidationError("Kinh phí phê duyệt phải là số nguyên đồng.", field="approved_support_vnd")
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            transitions.run(s, actor, p, Action.APPROVE, note=note, document_number=decision_number,
                            document_date=decision_date, approved_support_vnd=approved_support_vnd)
            requested = [Split(x.support_vnd, x.counterpart_vnd, x.other_vnd) for x in p.lines]
            if line_support_vnd is None:
                frozen = spread_support(requested, approved_support_vnd)
            else:
                frozen = approved_lines(requested, list(line_support_vnd))
                if sum(x.support_vnd for x in frozen) != approved_support_vnd:
                    raise ValidationError(
                        f"Tổng kinh phí khuyến công phê duyệt theo dòng "
                        f"{format_vnd(sum(x.support_vnd for x in frozen))} đồng khác kinh phí phê duyệt "
                        f"{format_vnd(approved_support_vnd)} đồng.", field="lines")
            for line, x in zip(p.lines, frozen, strict=True):
                line.approved_support_vnd = x.support_vnd
                line.approved_counterpart_vnd = x.counterpart_vnd
                line.approved_other_vnd = x.other_vnd
            audit.record(s, actor, "approve", "proposal", p.id,
                         {"approved_support_vnd": p.approved_support_vnd},
                         {"approved_support_vnd": approved_support_vnd,
                          "approved_lines": "; ".join(f"{i}: {format_vnd(x.support_vnd)}"
                                                      for i, x in enumerate(frozen, start=1))})
            p.approved_support_vnd = approved_support_vnd
            p.approved_on = decision_date
            p.approval_number = normalize(decision_number)
            kind = DecisionKind.MINISTRY if p.scope == Scope.NATIONAL.value else DecisionKind.APPROVAL
            s.add(Decision(proposal_id=p.id, kind=kind.value, number=normalize(decision_number),
                           signed_on=decision_date, signer=normalize(signer) or actor.display_name,
                           amount_vnd=approved_support_vnd, note=normalize(note)))
            s.flush()
            return detail_of(s, p)
