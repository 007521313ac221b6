"""Appraisal councils: opening one with its members, score sheets, conflicts of interest, the conclusion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from desktop_app.domain import workflow
from desktop_app.domain.appraisal import Criterion as CriterionData
from desktop_app.domain.appraisal import council_result, validate_points
from desktop_app.domain.enums import Action, CouncilKind, DecisionKind, MemberRole, Record, Role, Status
from desktop_app.domain.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    UserError,
    ValidationError,
    WorkflowError,
)
from desktop_app.domain.vietnamese import normalize
from desktop_app.services import audit, transitions
from desktop_app.services.auth import Actor, require_signed_in
from desktop_app.services.dto import CouncilView, CriterionView, MemberInput, ScoreTask, SheetView
from desktop_app.store.base import utcnow
from desktop_app.store.database import Database
from desktop_app.store.models import (
    Council,
    CouncilMember,
    CriteriaTemplate,
    Decision,
    Proposal,
    Score,
    ScoreSheet,
    User,
)


def _criteria(s: Session, council: Council) -> list[CriterionData]:
    template = s.get(CriteriaTemplate, council.template_id) if council.template_id else None
    if template is None:
        return []
    return [CriterionData(c.id, c.position, c.name, Decimal(c.max_points)) for c in template.criteria]


def seated_proposal_ids(user_id: int) -> Select[Any]:
    """The proposals on whose councils (appraisal or acceptance) the user sits."""
    return (select(Council.proposal_id).join(CouncilMember, CouncilMember.council_id == Council.id)
            .where(CouncilMember.user_id == user_id))


def require_seat(s: Session, actor: Actor, proposal_id: int) -> None:
    """An appraiser sees only the proposals he sits on a council of; other roles are not limited here."""
    if actor.role is not Role.APPRAISER:
        return
    seated = s.scalar(select(exists(seated_proposal_ids(actor.id).where(Council.proposal_id == proposal_id))))
    if not seated:
        raise PermissionDenied("Thành viên hội đồng chỉ xem được đề án có mình trong hội đồng.")


def council_view(s: Session, council: Council, viewer: Actor | None = None) -> CouncilView:
    """The council with its sheets, as ``viewer`` may see it (None: everything, for documents and staff).

    Scoring is independent: until the council concludes, an appraiser sees his own sheet only; the other
    members' points, totals and comments and the running result are left out, not just hidden on screen.
    """
    p = s.get(Proposal, council.proposal_id)
    assert p is not None
    criteria = _criteria(s, council)
    concluded = council.concluded_at is not None
    hide_others = viewer is not None and viewer.role is Role.APPRAISER and not concluded
    sheets = {sh.member_id: sh for sh in s.scalars(select(ScoreSheet).where(
        ScoreSheet.member_id.in_([m.id for m in council.members])))}
    views = []
    for m in council.members:
        sh = sheets.get(m.id)
        hidden = hide_others and (viewer is None or m.user_id != viewer.id)
        points = {sc.criterion_id: Decimal(sc.points) for sc in sh.scores} if sh and not hidden else {}
        total = sum(points.values(), Decimal(0)) if sh and sh.submitted_at and not hidden else None
        views.append(SheetView(sh.id if sh else 0, m.id, m.full_name, MemberRole(m.role), m.user_id, m.conflict,
                               m.conflict_note, bool(sh and sh.submitted_at), points, total,
                               sh.comment if sh and not hidden else "", sh.version if sh else 0))
    pass_mark = Decimal(council.pass_mark or 0)
    result = council_result(transitions.council_scores(s, council), pass_mark, [c.id for c in criteria])
    average = Decimal(council.average_score) if concluded and council.average_score is not None else result.average
    passed = council.passed if concluded else result.passed
    if hide_others:
        average, passed = None, None
    return CouncilView(council.id, p.id, p.code, p.title, CouncilKind(council.kind), council.decision_number,
                       council.decision_date, council.meeting_date, council.place, pass_mark,
                       [CriterionView(c.id, c.position, c.name, c.max_points) for c in criteria], views, average,
                       passed, concluded, council.conclusion, council.minutes_number, result.counted,
                       result.pending, result.excluded, council.version, hide_others)


def sheet_problem(s: Session, actor: Actor, sheet_id: int, *, editing: bool = False) -> UserError | None:
    """Why ``actor`` may not work on the score sheet (the workflow table's gate for score sheets, then the
    sheet's own conditions), as the error a write would raise; None when he may. ``editing`` adds the conditions
    of changing its scores (no conflict declared, not handed in)."""
    refusal = workflow.role_refusal(Record.SCORE, actor.role)
    if refusal:
        return PermissionDenied(refusal)
    sheet = s.get(ScoreSheet, sheet_id)
    if sheet is None:
        return NotFound("Phiếu chấm điểm không còn tồn tại.")
    member = s.get(CouncilMember, sheet.member_id)
    assert member is not None
    if member.user_id != actor.id:
        return PermissionDenied("Chỉ thành viên được phân công mới chấm phiếu này.")
    council = s.get(Council, member.council_id)
    assert council is not None
    if council.concluded_at is not None:
        return WorkflowError("Hội đồng đã kết luận; không sửa được phiếu chấm điểm.")
    proposal = s.get(Proposal, council.proposal_id)
    assert proposal is not None
    refusal = workflow.state_refusal(Record.SCORE, Status(proposal.status))
    if refusal:
        return WorkflowError(refusal)
    return _edit_problem(sheet, member) if editing else None


def _edit_problem(sheet: ScoreSheet, member: CouncilMember) -> UserError | None:
    if member.conflict:
        return WorkflowError("Bạn đã khai báo xung đột lợi ích; phiếu của bạn không được chấm.")
    if sheet.submitted_at is not None:
        return WorkflowError("Phiếu đã nộp nên không sửa được. Muốn sửa, hãy mở lại phiếu "
                             "(được mở lại cho đến khi hội đồng kết luận).")
    return None


def validate_members(members: Sequence[MemberInput]) -> list[MemberInput]:
    """The members cleaned; a refusal names the member it is about in ``item`` (1-based) when there is one."""
    cleaned = []
    for i, m in enumerate(members, start=1):
        name = normalize(m.full_name)
        if not name:
            raise ValidationError(f"Thành viên {i}: chưa nhập họ tên.", field="members", item=i)
        cleaned.append(MemberInput(name, m.role, normalize(m.title), m.user_id))
    chairs = [i for i, m in enumerate(cleaned, start=1) if m.role is MemberRole.CHAIR]
    if len(chairs) > 1:
        raise ValidationError("Hội đồng chỉ có một Chủ tịch.", field="members", item=chairs[1])
    seen: set[int] = set()
    for i, m in enumerate(cleaned, start=1):
        if m.user_id and m.user_id in seen:
            raise ValidationError("Một người dùng được chọn hai lần trong hội đồng.", field="members", item=i)
        if m.user_id:
            seen.add(m.user_id)
    return cleaned


class AppraisalService:
    """Councils and score sheets. Appraisers score only their own sheets; managers conclude."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def open_council(self, actor: Actor, proposal_id: int, version: int, *, decision_number: str,
                     decision_date: date, meeting_date: date | None, place: str, members: Sequence[MemberInput],
                     template_id: int | None = None) -> CouncilView:
        """Found the appraisal council (decision, members), give each member a score sheet, and move the
        proposal to Đang thẩm định."""
        transitions.allow(actor, Action.OPEN_COUNCIL)
        if not normalize(decision_number):
            raise ValidationError("Chưa nhập số quyết định thành lập hội đồng.", field="decision_number")
        cleaned = validate_members(members)
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            transitions.require(actor, p, Action.OPEN_COUNCIL)
            for m in cleaned:
                if m.user_id:
                    u = s.get(User, m.user_id)
                    if u is None or u.role != Role.APPRAISER.value or not u.active:
                        raise ValidationError(f"“{m.full_name}” không phải tài khoản thành viên hội đồng "
                                              "đang hoạt động.", field="members")
            template = s.get(CriteriaTemplate, template_id) if template_id else s.scalar(
                select(CriteriaTemplate).where(CriteriaTemplate.active.is_(True))
                .order_by(CriteriaTemplate.is_default.desc(), CriteriaTemplate.id).limit(1))
            if template is None:
                raise ValidationError("Chưa có mẫu tiêu chí chấm điểm.", field="template_id")
            council = Council(proposal_id=p.id, kind=CouncilKind.APPRAISAL.value,
                              decision_number=normalize(decision_number), decision_date=decision_date,
                              meeting_date=meeting_date, place=normalize(place), template_id=template.id,
                              pass_mark=template.pass_mark, version=1)
            for i, m in enumerate(cleaned):
                council.members.append(CouncilMember(position=i, user_id=m.user_id, full_name=m.full_name,
                                                     title=m.title, role=m.role.value, conflict=False))
            s.add(council)
            s.flush()
            for member in council.members:
                s.add(ScoreSheet(member_id=member.id, version=1))
            s.add(Decision(proposal_id=p.id, kind=DecisionKind.COUNCIL.value, number=normalize(decision_number),
                           signed_on=decision_date, signer=actor.display_name))
            s.flush()
            transitions.run(s, actor, p, Action.OPEN_COUNCIL, document_number=decision_number,
                            document_date=decision_date)
            audit.record(s, actor, "create", "council", council.id, None,
                         {"proposal": p.code, "members": "; ".join(f"{m.full_name} ({m.role.label})"
                                                                   for m in cleaned)})
            return council_view(s, council)

    def council(self, actor: Actor, proposal_id: int) -> CouncilView | None:
        """The latest appraisal council of a proposal as ``actor`` may see it, or None.

        Raises:
            PermissionDenied: an appraiser who does not sit on the proposal's council.
        """
        require_signed_in(actor, doing="xem hội đồng thẩm định")
        with self._db.reading() as s:
            require_seat(s, actor, proposal_id)
            council = transitions.appraisal_council(s, proposal_id)
            if council is None:
                return None
            if actor.role is Role.APPRAISER and all(m.user_id != actor.id for m in council.members):
                raise PermissionDenied("Bạn không phải thành viên hội đồng thẩm định của đề án này.")
            return council_view(s, council, actor)

    def my_tasks(self, actor: Actor, include_submitted: bool = False) -> list[ScoreTask]:
        """Score sheets of the signed-in appraiser in councils not yet concluded."""
        require_signed_in(actor, doing="xem phiếu chấm điểm")
        with self._db.reading() as s:
            q = (select(ScoreSheet, Council, Proposal)
                 .join(CouncilMember, CouncilMember.id == ScoreSheet.member_id)
                 .join(Council, Council.id == CouncilMember.council_id)
                 .join(Proposal, Proposal.id == Council.proposal_id)
                 .where(CouncilMember.user_id == actor.id, Council.concluded_at.is_(None),
                        CouncilMember.conflict.is_(False))
                 .order_by(Council.meeting_date, Proposal.code))
            tasks = [ScoreTask(sh.id, c.id, p.id, p.code, p.title, c.meeting_date, sh.submitted_at is not None)
                     for sh, c, p in s.execute(q)]
            return [t for t in tasks if include_submitted or not t.submitted]

    def _own_sheet(self, s: Session, actor: Actor, sheet_id: int) -> tuple[ScoreSheet, CouncilMember, Council]:
        transitions.allow(actor, Record.SCORE)
        problem = sheet_problem(s, actor, sheet_id)
        if problem is not None:
            raise problem
        sheet = s.get(ScoreSheet, sheet_id)
        assert sheet is not None
        member = s.get(CouncilMember, sheet.member_id)
        assert member is not None
        council = s.get(Council, member.council_id)
        assert council is not None
        return sheet, member, council

    def save_scores(self, actor: Actor, sheet_id: int, version: int, points: Mapping[int, Decimal | str],
                    comment: str = "", submit: bool = False) -> SheetView:
        """Save (and optionally hand in) the appraiser's own sheet.

        Raises:
            PermissionDenied: not an appraiser, or not this member's sheet.
            ValidationError: a score missing or out of range (names the criterion).
        """
        with self._db.transaction() as s:
            sheet, member, council = self._own_sheet(s, actor, sheet_id)
            if sheet.version != version:
                raise ConflictError("Phiếu vừa được lưu ở nơi khác; hãy tải lại.")
            problem = _edit_problem(sheet, member)
            if problem is not None:
                raise problem
            parsed: dict[int, Decimal] = {}
            for cid, value in points.items():
                if value is None or value == "":
                    continue
                try:
                    parsed[int(cid)] = Decimal(str(value).replace(",", "."))
                except InvalidOperation as exc:
                    raise ValidationError(f"Điểm “{value}” không phải là số.", field=f"criterion:{cid}") from exc
            criteria = _criteria(s, council)
            if submit:
                validate_points(criteria, parsed)
            else:
                validate_points([c for c in criteria if c.id in parsed], parsed)
            before = {f"criterion:{sc.criterion_id}": sc.points for sc in sheet.scores}
            sheet.scores.clear()
            s.flush()
            for cid, value in parsed.items():
                sheet.scores.append(Score(criterion_id=cid, points=value))
            sheet.comment = normalize(comment)
            if submit:
                sheet.submitted_at = utcnow()
            flag_modified(sheet, "comment")  # bump the version even when only the scores changed
            s.flush()
            audit.record(s, actor, "submit_scores" if submit else "save_scores", "score_sheet", sheet.id, before,
                         {f"criterion:{k}": v for k, v in parsed.items()})
            view = council_view(s, council, actor)
            return next(x for x in view.sheets if x.id == sheet.id)

    def reopen_sheet(self, actor: Actor, sheet_id: int, version: int, reason: str = "") -> SheetView:
        """The member takes his submitted sheet back to correct it, until the council concludes (audited).

        Its scores stay as they were; until it is submitted again it does not count in the average.
        """
        with self._db.transaction() as s:
            sheet, _member, council = self._own_sheet(s, actor, sheet_id)
            if sheet.version != version:
                raise ConflictError("Phiếu vừa được lưu ở nơi khác; hãy tải lại.")
            if sheet.submitted_at is None:
                raise WorkflowError("Phiếu chưa nộp; cứ sửa và nộp như bình thường.")
            before = {"submitted_at": sheet.submitted_at}
            sheet.submitted_at = None
            flag_modified(sheet, "comment")
            s.flush()
            audit.record(s, actor, "reopen_scores", "score_sheet", sheet.id, before,
                         {"submitted_at": None, "reason": normalize(reason) or None})
            view = council_view(s, council, actor)
            return next(x for x in view.sheets if x.id == sheet.id)

    def declare_conflict(self, actor: Actor, sheet_id: int, note: str) -> SheetView:
        """Declare a conflict of interest: the member's sheet is excluded from the average."""
        if not normalize(note):
            raise ValidationError("Hãy ghi rõ lý do xung đột lợi ích.", field="conflict_note")
        with self._db.transaction() as s:
            _, member, council = self._own_sheet(s, actor, sheet_id)
            member.conflict, member.conflict_note = True, normalize(note)
            audit.record(s, actor, "declare_conflict", "council_member", member.id, {"conflict": False},
                         {"conflict": True, "conflict_note": member.conflict_note})
            s.flush()
            view = council_view(s, council, actor)
            return next(x for x in view.sheets if x.member_id == member.id)

    def conclude(self, actor: Actor, proposal_id: int, version: int, minutes_number: str = "",
                 conclusion: str = "") -> CouncilView:
        """Conclude from the average: pass → Đạt thẩm định, fail → Không đạt. The average is frozen."""
        transitions.allow(actor, Action.PASS_APPRAISAL)
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            council = transitions.appraisal_council(s, p.id)
            if council is None or council.concluded_at is not None:
                raise WorkflowError("Đề án không có hội đồng thẩm định đang làm việc.")
            result = council_result(transitions.council_scores(s, council), Decimal(council.pass_mark or 0),
                                    transitions.criterion_ids(s, council))
            action = Action.PASS_APPRAISAL if result.passed else Action.FAIL_APPRAISAL
            transitions.run(s, actor, p, action, note=normalize(conclusion), document_number=minutes_number)
            council.average_score = result.average
            council.passed = bool(result.passed)
            council.concluded_at = utcnow()
            council.minutes_number = normalize(minutes_number)
            council.conclusion = normalize(conclusion) or (
                "Đề án đạt yêu cầu, đề nghị phê duyệt." if result.passed else "Đề án không đạt yêu cầu.")
            audit.record(s, actor, "conclude", "council", council.id, None,
                         {"average_score": result.average, "passed": bool(result.passed)})
            s.flush()
            return council_view(s, council)
