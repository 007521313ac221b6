"""The proposal workflow: one table of transitions (from, to, who may, what must hold) and one of the records
allowed in each state (who may record what while a proposal is in which state).

These tables are the only place that says which action or record is allowed in which state and for which role.
The services run every state change through :func:`check` and ask :func:`require` before writing a record; the
services' read-only queries (allowed actions, "why not") answer from :func:`refusal` and
:func:`record_refusal`, and the GUI shows those answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_app.domain.enums import Action, Record, Role, Scope, Status
from desktop_app.domain.errors import PermissionDenied, WorkflowError
from desktop_app.domain.vietnamese import format_vnd


@dataclass(frozen=True)
class ProposalFacts:
    """What the guards need to know about one proposal, gathered by the service before a transition."""

    scope: Scope
    status: Status
    beneficiary_count: int = 0
    budget_line_count: int = 0
    requested_support_vnd: int = 0
    cap_problem: str | None = None
    council_member_count: int = 0
    council_has_chair: bool = False
    council_has_secretary: bool = False
    pending_score_sheets: int = 0
    average_score: object | None = None  # Decimal; object keeps this module free of the import cycle
    pass_mark: object | None = None
    approved_support_vnd: int | None = None
    has_contract: bool = False
    acceptance_passed: bool = False
    acceptance_recorded: bool = False
    has_liquidation: bool = False
    ever_submitted: bool = False
    acceptance_signed: bool = False
    acceptance_needs_review: bool = False


Guard = Callable[[ProposalFacts], str | None]


def _has_beneficiary(f: ProposalFacts) -> str | None:
    return None if f.beneficiary_count > 0 else "Đề án chưa có cơ sở thụ hưởng."


def _has_budget(f: ProposalFacts) -> str | None:
    if f.budget_line_count == 0:
        return "Đề án chưa có dòng dự toán kinh phí."
    if f.requested_support_vnd <= 0:
        return "Kinh phí khuyến công đề nghị hỗ trợ phải lớn hơn 0."
    return None


def _within_cap(f: ProposalFacts) -> str | None:
    return f.cap_problem


def _council_ready(f: ProposalFacts) -> str | None:
    if f.council_member_count < 3:
        return "Hội đồng thẩm định phải có ít nhất 3 thành viên."
    if not f.council_has_chair:
        return "Hội đồng chưa có Chủ tịch."
    if not f.council_has_secretary:
        return "Hội đồng chưa có Thư ký."
    return None


def _scores_complete(f: ProposalFacts) -> str | None:
    if f.average_score is None:
        return "Chưa có phiếu chấm điểm hợp lệ nào (thành viên có xung đột lợi ích không được tính)."
    if f.pending_score_sheets:
        return f"Còn {f.pending_score_sheets} thành viên chưa nộp phiếu chấm điểm."
    return None


def _passed(f: ProposalFacts) -> str | None:
    if f.average_score is None or f.pass_mark is None:
        return "Chưa có điểm bình quân."
    if f.average_score < f.pass_mark:  # type: ignore[operator]
        return f"Điểm bình quân {f.average_score} thấp hơn điểm đạt {f.pass_mark}."
    return None


def _failed(f: ProposalFacts) -> str | None:
    if f.average_score is None or f.pass_mark is None:
        return "Chưa có điểm bình quân."
    if f.average_score >= f.pass_mark:  # type: ignore[operator]
        return f"Điểm bình quân {f.average_score} đạt điểm đạt {f.pass_mark}; không thể kết luận không đạt."
    return None


def _approved_amount_ok(f: ProposalFacts) -> str | None:
    if f.approved_support_vnd is None or f.approved_support_vnd <= 0:
        return "Chưa nhập kinh phí khuyến công được phê duyệt."
    if f.approved_support_vnd > f.requested_support_vnd:
        return (
            f"Kinh phí phê duyệt {format_vnd(f.approved_support_vnd)} đồng vượt kinh phí đề nghị "
            f"{format_vnd(f.requested_support_vnd)} đồng."
        )
    return f.cap_problem


def _has_contract(f: ProposalFacts) -> str | None:
    return None if f.has_contract else "Đề án chưa có hợp đồng."


def _acceptance_passed(f: ProposalFacts) -> str | None:
    if not f.acceptance_recorded:
        return "Chưa ghi nhận kết quả nghiệm thu."
    return None if f.acceptance_passed else "Kết quả nghiệm thu không đạt."


def _settlement_ready(f: ProposalFacts) -> str | None:
    # Paid above what the acceptance verified is no reason to refuse settlement: the liquidation states it as
    # money the implementer returns, and the settlement records it (DESIGN.md §3a: to pay = settled − disbursed).
    if not f.has_liquidation:
        return "Chưa lập biên bản thanh lý hợp đồng."
    return None


@dataclass(frozen=True)
class Transition:
    """One row of the workflow table."""

    action: Action
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]
    scopes: frozenset[Scope] = frozenset(Scope)
    guards: tuple[Guard, ...] = ()
    needs_note: bool = False
    needs_document: bool = False
    description: str = field(default="", compare=False)
    #: how a service that checks the role before its transaction names the action ("mở hội đồng thẩm định")
    doing: str = field(default="", compare=False)
    #: the refusal in any other state, "{status}" standing for the current one (else the general message)
    refused: str = field(default="", compare=False)


_STAFF_MANAGER = frozenset({Role.STAFF, Role.MANAGER})
_MANAGER = frozenset({Role.MANAGER})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(Action.SUBMIT, frozenset({Status.DRAFT}), Status.SUBMITTED, _STAFF_MANAGER,
               guards=(_has_beneficiary, _has_budget, _within_cap)),
    Transition(Action.RETURN, frozenset({Status.SUBMITTED, Status.APPRAISING, Status.APPRAISED}), Status.DRAFT,
               _MANAGER, needs_note=True),
    Transition(Action.OPEN_COUNCIL, frozenset({Status.SUBMITTED}), Status.APPRAISING, _STAFF_MANAGER,
               guards=(_council_ready,), needs_document=True, doing="mở hội đồng thẩm định",
               refused="Chỉ mở hội đồng cho đề án “Chờ thẩm định” (hiện: {status})."),
    Transition(Action.PASS_APPRAISAL, frozenset({Status.APPRAISING}), Status.APPRAISED, _MANAGER,
               guards=(_scores_complete, _passed), doing="kết luận thẩm định"),
    Transition(Action.FAIL_APPRAISAL, frozenset({Status.APPRAISING}), Status.REJECTED, _MANAGER,
               guards=(_scores_complete, _failed), doing="kết luận thẩm định"),
    Transition(Action.SEND_TO_MINISTRY, frozenset({Status.APPRAISED}), Status.SENT_TO_MINISTRY, _STAFF_MANAGER,
               scopes=frozenset({Scope.NATIONAL}), needs_document=True),
    Transition(Action.APPROVE, frozenset({Status.APPRAISED}), Status.APPROVED, _MANAGER,
               scopes=frozenset({Scope.LOCAL}), guards=(_approved_amount_ok,), needs_document=True),
    Transition(Action.APPROVE, frozenset({Status.SENT_TO_MINISTRY}), Status.APPROVED, _MANAGER,
               scopes=frozenset({Scope.NATIONAL}), guards=(_approved_amount_ok,), needs_document=True),
    Transition(Action.SIGN_CONTRACT, frozenset({Status.APPROVED}), Status.IN_PROGRESS, _STAFF_MANAGER,
               needs_document=True, doing="ghi nhận hợp đồng"),
    Transition(Action.REPORT_COMPLETION, frozenset({Status.IN_PROGRESS}), Status.AWAITING_ACCEPTANCE,
               _STAFF_MANAGER, guards=(_has_contract,)),
    Transition(Action.ACCEPT, frozenset({Status.AWAITING_ACCEPTANCE}), Status.ACCEPTED, _MANAGER,
               guards=(_has_contract, _acceptance_passed)),
    Transition(Action.SETTLE, frozenset({Status.ACCEPTED}), Status.SETTLED, _MANAGER,
               guards=(_settlement_ready,), needs_document=True),
    Transition(Action.CANCEL, frozenset({Status.DRAFT, Status.SUBMITTED}), Status.CANCELLED, _STAFF_MANAGER,
               needs_note=True),
    # Staff take a submitted proposal back to correct it themselves, only while no council is open.
    Transition(Action.WITHDRAW, frozenset({Status.SUBMITTED}), Status.DRAFT, _STAFF_MANAGER, needs_note=True),
    Transition(Action.STOP, frozenset({Status.APPROVED, Status.IN_PROGRESS}), Status.STOPPED, _MANAGER,
               needs_note=True, needs_document=True),
)

RecordGuard = Callable[[ProposalFacts], str | None]


def _never_submitted(f: ProposalFacts) -> str | None:
    return "Chỉ xóa được đề án dự thảo chưa từng nộp; hãy dùng “Hủy đề án”." if f.ever_submitted else None


def _acceptance_open(f: ProposalFacts) -> str | None:
    return "Kết quả nghiệm thu đã được ký duyệt; không sửa được." if f.acceptance_signed else None


def _acceptance_flagged(f: ProposalFacts) -> str | None:
    return None if f.acceptance_needs_review else "Kết quả nghiệm thu của đề án không cần kiểm tra lại."


@dataclass(frozen=True)
class RecordRule:
    """One row of the records table: in which states ``record`` may be written, by whom, and the refusals.

    ``doing`` names the record in the role refusal ("Vai trò “…” không được {doing}; …"); ``refused`` is the
    refusal in any other state, "{status}" standing for the current one; ``guards`` are further conditions on
    the proposal's facts.
    """

    record: Record
    states: frozenset[Status]
    roles: frozenset[Role]
    doing: str
    refused: str
    guards: tuple[RecordGuard, ...] = ()


_PAYABLE = frozenset({Status.IN_PROGRESS, Status.AWAITING_ACCEPTANCE, Status.ACCEPTED})

RECORDS: dict[Record, RecordRule] = {r.record: r for r in (
    # The proposal's own content: general fields, budget lines, beneficiaries, targets.
    RecordRule(Record.EDIT, frozenset({Status.DRAFT}), _STAFF_MANAGER, "sửa đề án",
               "Chỉ sửa được đề án ở trạng thái “Dự thảo” (hiện: {status})."),
    RecordRule(Record.DELETE, frozenset({Status.DRAFT}), _STAFF_MANAGER, "xóa đề án",
               "Chỉ xóa được đề án dự thảo chưa từng nộp; hãy dùng “Hủy đề án”.", (_never_submitted,)),
    RecordRule(Record.ATTACH, frozenset({Status.DRAFT}), _STAFF_MANAGER, "đính kèm tệp",
               "Chỉ đính kèm tệp khi đề án ở trạng thái “Dự thảo”."),
    RecordRule(Record.DETACH, frozenset({Status.DRAFT}), _STAFF_MANAGER, "xóa tệp đính kèm",
               "Chỉ xóa tệp đính kèm khi đề án ở trạng thái “Dự thảo”."),
    # Score sheets, while the council works (the sheet's own conditions are the appraisal service's).
    RecordRule(Record.SCORE, frozenset({Status.APPRAISING}), frozenset({Role.APPRAISER}), "chấm điểm",
               "Chỉ chấm điểm khi đề án “Đang thẩm định” (hiện: {status})."),
    # Finance records after the contract.
    RecordRule(Record.DISBURSE, _PAYABLE, _STAFF_MANAGER, "ghi nhận tạm ứng, thanh toán",
               "Chỉ tạm ứng, thanh toán khi đề án đang thực hiện hoặc đã nghiệm thu (hiện: {status})."),
    RecordRule(Record.PROGRESS, frozenset({Status.IN_PROGRESS, Status.AWAITING_ACCEPTANCE}), _STAFF_MANAGER,
               "ghi nhận báo cáo tiến độ", "Chỉ báo cáo tiến độ khi đề án đang thực hiện."),
    RecordRule(Record.ACCEPTANCE, frozenset({Status.AWAITING_ACCEPTANCE}), _STAFF_MANAGER,
               "ghi nhận kết quả nghiệm thu",
               "Chỉ ghi kết quả nghiệm thu khi đề án “Chờ nghiệm thu” (hiện: {status}).", (_acceptance_open,)),
    # The upgrade flags acceptances it capped, whatever the proposal's state: the flag is the condition.
    RecordRule(Record.REVIEW_ACCEPTANCE, frozenset(Status), _MANAGER,
               "xác nhận kết quả nghiệm thu đã kiểm tra lại", "", (_acceptance_flagged,)),
    RecordRule(Record.LIQUIDATE, frozenset({Status.ACCEPTED}), _STAFF_MANAGER, "lập biên bản thanh lý",
               "Chỉ thanh lý hợp đồng sau khi nghiệm thu được ký duyệt."),
)}

#: Statuses in the order a proposal normally passes through them, for dashboards and filters.
STATUS_ORDER: tuple[Status, ...] = (
    Status.DRAFT, Status.SUBMITTED, Status.APPRAISING, Status.APPRAISED, Status.SENT_TO_MINISTRY,
    Status.APPROVED, Status.IN_PROGRESS, Status.AWAITING_ACCEPTANCE, Status.ACCEPTED, Status.SETTLED,
    Status.REJECTED, Status.CANCELLED, Status.STOPPED,
)

#: States in which the proposal's own content (lines, beneficiaries, attachments) may be edited.
EDITABLE_STATES = RECORDS[Record.EDIT].states

#: Either kind of gate: a status change (a row of ``TRANSITIONS``) or a record (a row of ``RECORDS``).
Gate = Action | Record


def find(action: Action, scope: Scope, status: Status) -> Transition | None:
    """The transition for ``action`` from ``status`` in ``scope``, if the table has one."""
    for t in TRANSITIONS:
        if t.action is action and status in t.sources and scope in t.scopes:
            return t
    return None


def refusal(action: Action, role: Role, facts: ProposalFacts) -> str | None:
    """Why ``role`` may not take ``action`` now, or ``None`` when it may."""
    t = find(action, facts.scope, facts.status)
    if t is None:
        return f"Không thể “{action.label}” khi đề án ở trạng thái “{facts.status.label}”."
    if role not in t.roles:
        allowed = ", ".join(r.label for r in sorted(t.roles, key=lambda r: r.value))
        return f"Vai trò “{role.label}” không được “{action.label}”; chỉ {allowed} được làm việc này."
    for guard in t.guards:
        problem = guard(facts)
        if problem:
            return problem
    return None


def check(action: Action, role: Role, facts: ProposalFacts, note: str = "", document_number: str = "") -> Transition:
    """Return the transition to run, or raise with the reason it is refused.

    Raises:
        PermissionDenied: the role may not take this action.
        WorkflowError: the action does not apply in this state, a guard fails, or a required note/document
            is missing.
    """
    t = find(action, facts.scope, facts.status)
    if t is None:
        raise WorkflowError(f"Không thể “{action.label}” khi đề án ở trạng thái “{facts.status.label}”.")
    if role not in t.roles:
        raise PermissionDenied(refusal(action, role, facts) or "")
    for guard in t.guards:
        problem = guard(facts)
        if problem:
            raise WorkflowError(problem)
    if t.needs_note and not note.strip():
        raise WorkflowError(f"“{action.label}” cần ghi rõ lý do.", )
    if t.needs_document and not document_number.strip():
        raise WorkflowError(f"“{action.label}” cần số văn bản.")
    return t


def actions_from(scope: Scope, status: Status) -> list[Action]:
    """Every action the table has from ``status`` in ``scope`` (whoever may take it)."""
    seen: list[Action] = []
    for t in TRANSITIONS:
        if status in t.sources and scope in t.scopes and t.action not in seen:
            seen.append(t.action)
    return seen


def available(role: Role, facts: ProposalFacts) -> dict[Action, str | None]:
    """For each action from the current state: ``None`` when ``role`` may take it now, else the reason not."""
    return {a: refusal(a, role, facts) for a in actions_from(facts.scope, facts.status)}


# --- the gates a service asks before it writes --------------------------------------------------------------------


def _rows(action: Action) -> list[Transition]:
    return [t for t in TRANSITIONS if t.action is action]


def roles_for(gate: Gate) -> tuple[Role, ...]:
    """Who may take ``gate`` (in any state), in the order the roles are declared."""
    allowed: set[Role] = set()
    if isinstance(gate, Record):
        allowed = set(RECORDS[gate].roles)
    else:
        for t in _rows(gate):
            allowed |= t.roles
    return tuple(r for r in Role if r in allowed)


def states_for(gate: Gate) -> frozenset[Status]:
    """The states in which ``gate`` applies (the sources of its transitions, or the record's states)."""
    if isinstance(gate, Record):
        return RECORDS[gate].states
    return frozenset(s for t in _rows(gate) for s in t.sources)


def doing(gate: Gate) -> str:
    """How a role refusal names ``gate`` ("sửa đề án"); a transition without its own words uses its label."""
    if isinstance(gate, Record):
        return RECORDS[gate].doing
    words = next((t.doing for t in _rows(gate) if t.doing), "")
    return words or f"“{gate.label}”"


def role_refusal(gate: Gate, role: Role) -> str | None:
    """Why ``role`` may never take ``gate``, or None when it may (in the states the table gives)."""
    roles = roles_for(gate)
    if role in roles:
        return None
    allowed = ", ".join(r.label for r in roles)
    return f"Vai trò “{role.label}” không được {doing(gate)}; chỉ {allowed} được làm việc này."


def state_refusal(gate: Gate, status: Status) -> str | None:
    """Why ``gate`` does not apply in ``status``, or None when it does."""
    if status in states_for(gate):
        return None
    if isinstance(gate, Record):
        refused = RECORDS[gate].refused
    else:
        refused = next((t.refused for t in _rows(gate) if t.refused), "")
    if refused:
        return refused.format(status=status.label)
    return f"Không thể “{gate.label}” khi đề án ở trạng thái “{status.label}”."


def require_role(gate: Gate, role: Role) -> None:
    """Refuse a role the table never lets take ``gate``.

    Raises:
        PermissionDenied: naming the role, the action and who may.
    """
    problem = role_refusal(gate, role)
    if problem:
        raise PermissionDenied(problem)


def require(gate: Gate, status: Status, role: Role, facts: ProposalFacts | None = None) -> None:
    """Refuse ``gate`` for ``role`` in ``status`` unless the table allows it; with ``facts``, a record's guards
    are checked too (a transition's guards are :func:`check`'s, when it runs).

    Raises:
        PermissionDenied: the role may not take it.
        WorkflowError: it does not apply in this state, or a record's guard fails.
    """
    require_role(gate, role)
    problem = state_refusal(gate, status)
    if problem is None and facts is not None and isinstance(gate, Record):
        problem = next((p for p in (g(facts) for g in RECORDS[gate].guards) if p), None)
    if problem:
        raise WorkflowError(problem)


def record_refusal(record: Record, role: Role, facts: ProposalFacts) -> str | None:
    """Why ``role`` may not write ``record`` now, or ``None`` when it may."""
    problem = role_refusal(record, role) or state_refusal(record, facts.status)
    if problem:
        return problem
    return next((p for p in (g(facts) for g in RECORDS[record].guards) if p), None)


def records_open(role: Role, facts: ProposalFacts) -> dict[Record, str | None]:
    """For every record of the table: ``None`` when ``role`` may write it now, else the reason not."""
    return {r: record_refusal(r, role, facts) for r in RECORDS}
