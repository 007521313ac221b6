"""The councils screen: appraisal and acceptance councils (date, members, proposal, state) with filters, and for an
appraiser only the councils he sits on, each with what is left for him to do there.

The restriction to one's own councils is enforced here, whatever filter the screen sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select

from desktop_app.domain.enums import CouncilKind, MemberRole, Role
from desktop_app.domain.vietnamese import fold
from desktop_app.services.auth import Actor, require_role
from desktop_app.store.database import Database
from desktop_app.store.models import Acceptance, Council, CouncilMember, Proposal, ScoreSheet
from desktop_app.store.queries import like_folded

READERS = (Role.STAFF, Role.MANAGER, Role.ADMIN, Role.APPRAISER)
LIMIT = 1000


@dataclass(frozen=True)
class CouncilFilter:
    """What the screen filters on; ``concluded`` None means either."""

    kind: CouncilKind | None = None
    year: int | None = None
    concluded: bool | None = None
    text: str = ""


@dataclass(frozen=True)
class CouncilRow:
    """One council as the list shows it. ``my_task`` is what is left for the signed-in member ("" if not one)."""

    id: int
    kind: CouncilKind
    proposal_id: int
    proposal_code: str
    proposal_title: str
    year: int
    decision_number: str
    meeting_date: date | None
    members: tuple[str, ...]
    state: str
    concluded: bool
    my_task: str
    my_task_open: bool = False  # True while the signed-in member still has his sheet to score and hand in


@dataclass(frozen=True)
class CouncilList:
    rows: list[CouncilRow]
    total: int
    only_mine: bool


def _member_text(m: CouncilMember) -> str:
    role = MemberRole(m.role).label if m.role in MemberRole._value2member_map_ else m.role
    return f"{m.full_name} ({role})" + (" – xung đột lợi ích" if m.conflict else "")


def _points(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


class CouncilService:
    """Lists councils; an appraiser sees only those he is a member of."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def councils(self, actor: Actor, f: CouncilFilter = CouncilFilter()) -> CouncilList:
        """Councils matching ``f``, newest meeting first (at most :data:`LIMIT`, ``total`` counts them all)."""
        require_role(actor, *READERS, doing="xem danh sách hội đồng")
        only_mine = actor.role is Role.APPRAISER
        with self._db.reading() as s:
            q = select(Council, Proposal.code, Proposal.title, Proposal.year).join(
                Proposal, Proposal.id == Council.proposal_id)
            if only_mine:
                q = q.where(Council.id.in_(select(CouncilMember.council_id).where(CouncilMember.user_id == actor.id)))
            if f.kind is not None:
                q = q.where(Council.kind == f.kind.value)
            if f.year is not None:
                q = q.where(Proposal.year == f.year)
            if f.text.strip():
                text = fold(f.text)
                q = q.where(or_(like_folded(Proposal.title_folded, text),
                                Proposal.code.contains(f.text.strip().upper(), autoescape=True),
                                Council.decision_number.contains(f.text.strip(), autoescape=True)))
            councils = list(s.execute(q.order_by(Council.meeting_date.desc(), Council.id.desc())))
            acceptances = {a.council_id: a for a in s.scalars(select(Acceptance).where(
                Acceptance.council_id.in_([c.id for c, *_ in councils if c.kind == CouncilKind.ACCEPTANCE.value])))}
            member_ids = [m.id for c, *_ in councils for m in c.members]
            sheets = {sh.member_id: sh for sh in s.scalars(select(ScoreSheet).where(
                ScoreSheet.member_id.in_(member_ids)))} if member_ids else {}
            rows = []
            for c, code, title, year in councils:
                kind = CouncilKind(c.kind)
                if kind is CouncilKind.APPRAISAL:
                    concluded = c.concluded_at is not None
                    if concluded:
                        state = (f"Đã kết luận: {'đạt' if c.passed else 'không đạt'}"
                                 + (f" ({_points(c.average_score)} điểm)" if c.average_score is not None else ""))
                    else:
                        counted = [m for m in c.members if not m.conflict]
                        done = sum(1 for m in counted if m.id in sheets and sheets[m.id].submitted_at is not None)
                        state = f"Đang chấm điểm: {done}/{len(counted)} phiếu đã nộp"
                else:
                    acceptance = acceptances.get(c.id)
                    concluded = acceptance is not None and acceptance.signed_off_at is not None
                    state = ("Chưa ghi kết quả" if acceptance is None else "Không đạt" if not acceptance.passed
                             else "Đã ký duyệt nghiệm thu" if concluded else "Đạt, chờ lãnh đạo ký duyệt")
                if f.concluded is not None and concluded is not f.concluded:
                    continue
                mine = next((m for m in c.members if m.user_id == actor.id), None)
                sheet = sheets.get(mine.id) if mine else None
                todo = (mine is not None and kind is CouncilKind.APPRAISAL and not concluded and not mine.conflict
                        and (sheet is None or sheet.submitted_at is None))
                rows.append(CouncilRow(c.id, kind, c.proposal_id, code, title, int(year), c.decision_number,
                                       c.meeting_date, tuple(_member_text(m) for m in c.members), state, concluded,
                                       self._task(kind, concluded, mine, sheet), todo))
        return CouncilList(rows[:LIMIT], len(rows), only_mine)

    @staticmethod
    def _task(kind: CouncilKind, concluded: bool, member: CouncilMember | None, sheet: ScoreSheet | None) -> str:
        """What is left for the member in this council, in words."""
        if member is None:
            return ""
        if concluded:
            return "Không còn việc (hội đồng đã kết luận)"
        if kind is CouncilKind.ACCEPTANCE:
            return "Dự họp nghiệm thu (không có phiếu chấm)"
        if member.conflict:
            return "Đã khai báo xung đột lợi ích: không chấm"
        if sheet is not None and sheet.submitted_at is not None:
            return "Đã nộp phiếu, chờ hội đồng kết luận"
        if sheet is not None and sheet.scores:
            return "Đang chấm dở: nộp phiếu chấm điểm"
        return "Chấm điểm và nộp phiếu"
