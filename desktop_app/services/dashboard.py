"""The Tổng quan screen's figures: proposals by state, funding by year and scope, what is due or overdue, and the
signed-in user's own tasks.

Deadlines (domain.md §5.2): the Sở registers next year's KCQG proposals with the ministry before 20 June; an
implementing unit reports progress every month before the 25th; a contract is liquidated and settled by 22 January
of the year after the plan year. A council that has met but has no conclusion is also listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import CouncilKind, Role, Scope, Stage, Status
from desktop_app.domain.vietnamese import format_date
from desktop_app.services.appraisal import seated_proposal_ids
from desktop_app.services.auth import Actor, require_signed_in
from desktop_app.services.dto import DashboardData, DueItem, ScoreTask
from desktop_app.store.base import utcnow
from desktop_app.store.database import Database
from desktop_app.store.ledger_queries import stage_figure, with_ledger
from desktop_app.store.models import (
    Acceptance,
    Council,
    CouncilMember,
    Organisation,
    ProgressReport,
    Proposal,
    ScoreSheet,
    StatusChange,
    User,
)

# Kinds of due items (``DueItem.kind``), in the order the dashboard lists them.
REGISTRATION = "registration"
PROGRESS_REPORT = "progress_report"
SETTLEMENT = "settlement"
COUNCIL = "council"

REGISTRATION_DAY = (6, 20)  # before 20 June of the year before the plan year
PROGRESS_DAY = 25  # monthly progress report before the 25th
SETTLEMENT_DAY = (1, 22)  # settlement by 22 January of the year after the plan year

# States of a KCQG proposal that has not yet been registered with the ministry.
_BEFORE_MINISTRY = (Status.DRAFT, Status.SUBMITTED, Status.APPRAISING, Status.APPRAISED)
_LIST_LIMIT = 8  # codes named in one task line


def _values(statuses: Iterable[Status]) -> list[str]:
    return [s.value for s in statuses]


def _codes(codes: list[str]) -> str:
    shown = ", ".join(codes[:_LIST_LIMIT])
    return shown + (f" và {len(codes) - _LIST_LIMIT} đề án khác" if len(codes) > _LIST_LIMIT else "")


class DashboardService:
    """Read-only figures for the dashboard; every signed-in role may see them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def overview(self, actor: Actor, today: date, year: int | None = None, scope: Scope | None = None) -> DashboardData:
        """Everything the dashboard shows, computed for ``today`` (the caller's date, so tests can fix it).

        ``year`` and ``scope`` narrow the figures and charts to the proposals of that plan year and scope; what is
        due and the user's own tasks are always listed whole (they are work to do whatever the filter)."""
        require_signed_in(actor, doing="xem trang tổng quan")
        with self._db.reading() as s:
            by_status = self._by_status(s, year, scope)
            funding = self._funding(s, year, scope)
            due = self._due(s, today)
            if actor.role is Role.APPRAISER:  # he sees only the proposals whose council he sits on
                seated = set(s.scalars(seated_proposal_ids(actor.id)))
                due = [d for d in due if d.proposal_id in seated]
            tasks, score_tasks, task_codes = self._tasks(s, actor)
        return DashboardData(by_status, funding, due, tasks, score_tasks, task_codes)

    # --- figures -----------------------------------------------------------------------------------------------

    @staticmethod
    def _narrowed(q: Any, year: int | None, scope: Scope | None) -> Any:
        if year is not None:
            q = q.where(Proposal.year == year)
        if scope is not None:
            q = q.where(Proposal.scope == scope.value)
        return q

    @classmethod
    def _by_status(cls, s: Session, year: int | None = None, scope: Scope | None = None) -> dict[Status, int]:
        rows = s.execute(cls._narrowed(select(Proposal.status, func.count()), year, scope).group_by(Proposal.status))
        counts = {Status(status): int(n) for status, n in rows}
        return {status: counts.get(status, 0) for status in Status}

    @classmethod
    def _funding(cls, s: Session, year: int | None = None,
                 scope: Scope | None = None) -> list[tuple[int, Scope, int, int, int]]:
        """(year, scope, proposals, approved, disbursed) from the ledger: the approved support (a stopped proposal's
        no longer counts) and what was paid out; the requested amount is never charted as money."""
        # One aggregate in the database, the ledger's rule in SQL (ledger_queries.stage_figure): every proposal's
        # ledger read into Python took 1.5 s of the main window's start at 50,000 proposals.
        every = with_ledger(cls._narrowed(select(Proposal.year, Proposal.scope), year, scope)
                            .where(Proposal.approved_support_vnd.is_not(None))).subquery("with_ledger")
        approved = stage_figure(every.c, Stage.APPROVED)
        disbursed = stage_figure(every.c, Stage.DISBURSED)
        # OFFSET 0: each figure computed once per proposal, not again for each use in the sums
        per = (select(every.c.year, every.c.scope,
                      case((approved.present, approved.support), else_=0).label("approved"),
                      disbursed.support.label("disbursed"))
               .offset(0).subquery("per_proposal"))
        q = (select(per.c.year, per.c.scope, func.count(), func.coalesce(func.sum(per.c.approved), 0),
                    func.coalesce(func.sum(per.c.disbursed), 0)).group_by(per.c.year, per.c.scope))
        sums: dict[tuple[int, Scope], list[int]] = {}
        for y, sc, n, approved_vnd, disbursed_vnd in s.execute(q):
            sums[(int(y), Scope(sc))] = [int(n), int(approved_vnd), int(disbursed_vnd)]
        order = sorted(sums, key=lambda k: (k[0], k[1] is not Scope.NATIONAL))
        return [(year, scope, *sums[(year, scope)]) for year, scope in order]  # type: ignore[misc]

    # --- due and overdue ---------------------------------------------------------------------------------------

    def _due(self, s: Session, today: date) -> list[DueItem]:
        items = [*self._registration(s, today), *self._progress(s, today), *self._settlement(s, today),
                 *self._councils(s, today)]
        # Overdue first, then the nearest deadline.
        return sorted(items, key=lambda d: (not d.overdue, d.due, d.kind, d.text))

    @staticmethod
    def _registration(s: Session, today: date) -> list[DueItem]:
        q = (select(Proposal.id, Proposal.code, Proposal.year, Proposal.status)
             .where(Proposal.scope == Scope.NATIONAL.value, Proposal.status.in_(_values(_BEFORE_MINISTRY)),
                    Proposal.year >= today.year)
             .order_by(Proposal.year, Proposal.code))
        items = []
        for pid, code, year, status in s.execute(q):
            due = date(year - 1, *REGISTRATION_DAY)
            items.append(DueItem(
                REGISTRATION, f"Đăng ký kế hoạch KCQG năm {year}: đề án {code} ({Status(status).label}) chưa gửi Bộ "
                f"— hạn {format_date(due)}", due, today > due, pid))
        return items

    @staticmethod
    def _progress(s: Session, today: date) -> list[DueItem]:
        reported = select(ProgressReport.proposal_id).where(ProgressReport.year == today.year,
                                                            ProgressReport.month == today.month)
        q = (select(Proposal.id, Proposal.code)
             .where(Proposal.status == Status.IN_PROGRESS.value, Proposal.id.not_in(reported))
             .order_by(Proposal.code))
        due = date(today.year, today.month, PROGRESS_DAY)
        return [DueItem(PROGRESS_REPORT, f"Báo cáo tiến độ tháng {today.month}/{today.year} của đề án {code} "
                        f"— hạn {format_date(due)}", due, today > due, pid)
                for pid, code in s.execute(q)]

    @staticmethod
    def _settlement(s: Session, today: date) -> list[DueItem]:
        q = (select(Proposal.id, Proposal.code, Proposal.year)
             .where(Proposal.status == Status.ACCEPTED.value).order_by(Proposal.code))
        items = []
        for pid, code, year in s.execute(q):
            due = date(year + 1, *SETTLEMENT_DAY)
            items.append(DueItem(SETTLEMENT, f"Thanh lý hợp đồng và quyết toán đề án {code} — hạn {format_date(due)}",
                                 due, today > due, pid))
        return items

    @staticmethod
    def _councils(s: Session, today: date) -> list[DueItem]:
        q = (select(Council.proposal_id, Council.meeting_date, Council.decision_date, Proposal.code)
             .join(Proposal, Proposal.id == Council.proposal_id)
             .where(Council.concluded_at.is_(None), Council.kind == CouncilKind.APPRAISAL.value,
                    Proposal.status == Status.APPRAISING.value)
             .order_by(Council.meeting_date, Proposal.code))
        items = []
        for pid, meeting, decided, code in s.execute(q):
            when = meeting or decided or today
            met = f"họp ngày {format_date(meeting)}" if meeting else "chưa có ngày họp"
            items.append(DueItem(COUNCIL, f"Hội đồng thẩm định đề án {code} ({met}) chưa có kết luận",
                                 when, when < today, pid))
        return items

    # --- my tasks ----------------------------------------------------------------------------------------------

    def _tasks(self, s: Session, actor: Actor) -> tuple[list[str], list[ScoreTask], list[list[str]]]:
        """The lines of "Việc của tôi", the appraiser's sheets, and the proposal codes behind each line."""
        if actor.role is Role.APPRAISER:
            sheets = self._score_tasks(s, actor)
            lines = [f"Chấm điểm đề án {t.proposal_code} – {t.proposal_title}"
                     + (f" (họp ngày {format_date(t.meeting_date)})" if t.meeting_date else "") for t in sheets]
            return lines or ["Không có phiếu chấm điểm nào đang chờ bạn."], sheets, [[t.proposal_code]
                                                                                     for t in sheets]
        if actor.role is Role.STAFF:
            pairs = self._staff_tasks(s, actor)
        elif actor.role is Role.MANAGER:
            pairs = self._manager_tasks(s)
        else:
            pairs = [(text, []) for text in self._admin_tasks(s)]
        return [text for text, _ in pairs], [], [codes for _, codes in pairs]

    @staticmethod
    def _score_tasks(s: Session, actor: Actor) -> list[ScoreTask]:
        # Same rule as AppraisalService.my_tasks: own sheets, not submitted, council not concluded, no conflict.
        q = (select(ScoreSheet.id, Council.id, Proposal.id, Proposal.code, Proposal.title, Council.meeting_date)
             .join(CouncilMember, CouncilMember.id == ScoreSheet.member_id)
             .join(Council, Council.id == CouncilMember.council_id)
             .join(Proposal, Proposal.id == Council.proposal_id)
             .where(CouncilMember.user_id == actor.id, Council.concluded_at.is_(None),
                    CouncilMember.conflict.is_(False), ScoreSheet.submitted_at.is_(None))
             .order_by(Council.meeting_date, Proposal.code))
        return [ScoreTask(sid, cid, pid, code, title, meeting, False) for sid, cid, pid, code, title, meeting
                in s.execute(q)]

    @staticmethod
    def _codes_in(s: Session, statuses: Iterable[Status], created_by: int | None = None) -> list[str]:
        q = select(Proposal.code).where(Proposal.status.in_(_values(statuses))).order_by(Proposal.code)
        if created_by is not None:
            q = q.where(Proposal.created_by == created_by)
        return list(s.scalars(q))

    def _staff_tasks(self, s: Session, actor: Actor) -> list[tuple[str, list[str]]]:
        last_change = (select(StatusChange.proposal_id, func.max(StatusChange.id).label("last_id"))
                       .group_by(StatusChange.proposal_id).subquery())
        returned = list(s.scalars(
            select(Proposal.code)
            .join(last_change, last_change.c.proposal_id == Proposal.id)
            .join(StatusChange, StatusChange.id == last_change.c.last_id)
            .where(Proposal.status == Status.DRAFT.value, StatusChange.action == "return")
            .order_by(Proposal.code)))
        drafts = [c for c in self._codes_in(s, [Status.DRAFT], actor.id) if c not in returned]
        lines: list[tuple[str, list[str]]] = []
        if returned:
            lines.append((f"Đề án bị trả lại cần sửa và nộp lại ({len(returned)}): {_codes(returned)}", returned))
        if drafts:
            lines.append((f"Đề án dự thảo của bạn chưa nộp ({len(drafts)}): {_codes(drafts)}", drafts))
        for statuses, text in (
            ([Status.SUBMITTED], "Đề án chờ thành lập hội đồng thẩm định"),
            ([Status.APPROVED], "Đề án đã phê duyệt chờ ký hợp đồng"),
            ([Status.IN_PROGRESS], "Đề án đang thực hiện (ghi tạm ứng, báo cáo tiến độ)"),
        ):
            codes = self._codes_in(s, statuses)
            if codes:
                lines.append((f"{text} ({len(codes)}): {_codes(codes)}", codes))
        waiting = self._awaiting_acceptance(s, recorded=False)
        if waiting:
            lines.append((f"Đề án chờ ghi kết quả nghiệm thu ({len(waiting)}): {_codes(waiting)}", waiting))
        return lines or [("Không có việc nào đang chờ bạn.", [])]

    @staticmethod
    def _awaiting_acceptance(s: Session, recorded: bool) -> list[str]:
        has = select(Acceptance.proposal_id).where(Acceptance.signed_off_at.is_(None))
        q = select(Proposal.code).where(Proposal.status == Status.AWAITING_ACCEPTANCE.value).order_by(Proposal.code)
        q = q.where(Proposal.id.in_(has) if recorded else Proposal.id.not_in(select(Acceptance.proposal_id)))
        return list(s.scalars(q))

    def _manager_tasks(self, s: Session) -> list[tuple[str, list[str]]]:
        lines: list[tuple[str, list[str]]] = []
        counted = (select(CouncilMember.council_id, func.count(ScoreSheet.id).label("open"))
                   .join(ScoreSheet, ScoreSheet.member_id == CouncilMember.id)
                   .where(ScoreSheet.submitted_at.is_(None), CouncilMember.conflict.is_(False))
                   .group_by(CouncilMember.council_id).subquery())
        ready = list(s.scalars(
            select(Proposal.code).join(Council, Council.proposal_id == Proposal.id)
            .outerjoin(counted, counted.c.council_id == Council.id)
            .where(Proposal.status == Status.APPRAISING.value, Council.concluded_at.is_(None),
                   Council.kind == CouncilKind.APPRAISAL.value, func.coalesce(counted.c.open, 0) == 0)
            .order_by(Proposal.code)))
        if ready:
            lines.append((f"Hội đồng đã chấm xong, chờ kết luận thẩm định ({len(ready)}): {_codes(ready)}", ready))
        for statuses, text in (
            ([Status.APPRAISED], "Đề án đạt thẩm định chờ phê duyệt"),
            ([Status.SENT_TO_MINISTRY], "Đề án đã gửi Bộ, chờ ghi quyết định phê duyệt"),
        ):
            codes = self._codes_in(s, statuses)
            if codes:
                lines.append((f"{text} ({len(codes)}): {_codes(codes)}", codes))
        signoff = self._awaiting_acceptance(s, recorded=True)
        if signoff:
            lines.append((f"Kết quả nghiệm thu chờ lãnh đạo ký duyệt ({len(signoff)}): {_codes(signoff)}", signoff))
        accepted = self._codes_in(s, [Status.ACCEPTED])
        if accepted:
            lines.append((f"Đề án đã nghiệm thu chờ quyết toán ({len(accepted)}): {_codes(accepted)}", accepted))
        return lines or [("Không có việc nào đang chờ phê duyệt.", [])]

    @staticmethod
    def _admin_tasks(s: Session) -> list[str]:
        lines = []
        if s.scalar(select(Organisation.id).limit(1)) is None:
            lines.append("Chưa thiết lập thông tin đơn vị (tiêu đề văn bản): vào Danh mục & cài đặt → Đơn vị.")
        locked = list(s.scalars(select(User.username).where(User.locked_until > utcnow()).order_by(User.username)))
        if locked:
            lines.append(f"Tài khoản đang bị tạm khóa ({len(locked)}): {', '.join(locked)}")
        return lines or ["Không có việc quản trị nào đang chờ."]
