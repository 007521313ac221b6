"""Reading the audit log: who changed what and when, filtered by user, record, date and action, and exported to
xlsx. Only administrators and managers read it; the log itself stays append-only (nothing here writes to it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from desktop_app.domain.enums import Action, Role, Status
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.vietnamese import format_date
from desktop_app.services.auth import Actor, require_role
from desktop_app.services.dto import Page
from desktop_app.services.organisation import OrganisationService
from desktop_app.services.proposal_history import FIELD_LABELS, audit_value
from desktop_app.store.database import Database
from desktop_app.store.models import AuditEntry, Proposal
from desktop_app.store.queries import stream

#: Kinds of record as a user names them.
ENTITY_LABELS = {
    "proposal": "Đề án", "establishment": "Cơ sở CNNT", "user": "Người dùng", "plan": "Kế hoạch năm",
    "council": "Hội đồng", "council_member": "Thành viên hội đồng", "score_sheet": "Phiếu chấm điểm",
    "contract": "Hợp đồng", "disbursement": "Tạm ứng, thanh toán", "progress_report": "Báo cáo tiến độ",
    "support_rule": "Mức hỗ trợ", "criteria_template": "Mẫu tiêu chí", "organisation": "Đơn vị",
    "setting": "Cài đặt", "database": "Cơ sở dữ liệu",
}

#: Actions as a user names them (workflow actions carry their own labels).
ACTION_LABELS = {
    "create": "Thêm mới", "update": "Sửa", "delete": "Xóa", "archive": "Lưu trữ", "attach": "Đính kèm tệp",
    "detach": "Xóa tệp đính kèm", "set_password": "Đặt mật khẩu", "save_scores": "Lưu phiếu chấm",
    "submit_scores": "Nộp phiếu chấm", "reopen_scores": "Mở lại phiếu chấm", "declare_conflict": "Khai báo xung đột",
    "conclude": "Kết luận hội đồng", "record_acceptance": "Ghi kết quả nghiệm thu", "disburse": "Chi tiền",
    "liquidate": "Thanh lý hợp đồng", "backup": "Sao lưu", "restore": "Khôi phục", "demo": "Tạo dữ liệu mẫu",
    "import_update": "Cập nhật khi nhập Excel",
}


_OTHER_FIELDS = {"status": "Trạng thái", "role": "Vai trò", "active": "Đang hoạt động", "username": "Tên đăng nhập",
                 "full_name": "Họ tên", "name": "Tên", "title": "Chức danh", "today": "Ngày lập dữ liệu mẫu",
                 "seed": "Hạt giống", "proposals": "Số đề án", "establishments": "Số cơ sở",
                 "allocated_vnd": "Kinh phí được giao", "decision_number": "Số quyết định",
                 "decision_date": "Ngày quyết định"}


def field_label(field: str, entity: str = "") -> str:
    """A field as a user names it: the proposal's own labels for a proposal, else the common ones."""
    if entity == "proposal" and field in FIELD_LABELS:
        return FIELD_LABELS[field]
    return _OTHER_FIELDS.get(field) or FIELD_LABELS.get(field, field)


def value_text(field: str, value: str | None) -> str:
    """A stored value as a user reads it: labels for codes, dd/mm/yyyy, đồng with dots (as the history tab)."""
    if value is None:
        return ""
    if field == "status" and value in Status._value2member_map_:
        return Status(value).label
    if field == "role" and value in Role._value2member_map_:
        return Role(value).label
    return audit_value(field, value)


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity)


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    return Action(action).label if action in Action._value2member_map_ else action


@dataclass(frozen=True)
class AuditFilter:
    """What to look for. ``record`` is a proposal code or a record number; dates are local calendar days."""

    username: str = ""
    entity: str = ""
    record: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: int | None
    record: str
    field: str
    old_value: str | None
    new_value: str | None

    @property
    def action_text(self) -> str:
        return action_label(self.action)

    @property
    def entity_text(self) -> str:
        return entity_label(self.entity)

    @property
    def field_text(self) -> str:
        return field_label(self.field, self.entity)

    @property
    def old_text(self) -> str:
        return value_text(self.field, self.old_value)

    @property
    def new_text(self) -> str:
        return value_text(self.field, self.new_value)


@dataclass(frozen=True)
class AuditChoices:
    """What the filters offer: the users, kinds of record and actions found in the log."""

    usernames: list[str]
    entities: list[tuple[str, str]]
    actions: list[tuple[str, str]]


HEADERS = ["Thời điểm", "Người dùng", "Thao tác", "Loại bản ghi", "Bản ghi", "Trường", "Giá trị cũ", "Giá trị mới"]


def _local_midnight_utc(day: date) -> datetime:
    """The start of ``day`` on this computer's clock, as a UTC instant (the log stores UTC)."""
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


class AuditLogService:
    """The audit-log viewer's queries and its export."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def _require(actor: Actor) -> None:
        require_role(actor, Role.ADMIN, Role.MANAGER, doing="xem nhật ký thay đổi")

    def _query(self, s: Any, f: AuditFilter) -> Any:
        if f.date_from and f.date_to and f.date_from > f.date_to:
            raise ValidationError("“Từ ngày” phải trước hoặc bằng “Đến ngày”.", field="date_from")
        q = select(AuditEntry, Proposal.code).outerjoin(
            Proposal, (AuditEntry.entity == "proposal") & (Proposal.id == AuditEntry.entity_id))
        if f.username.strip():
            q = q.where(AuditEntry.username == f.username.strip())
        if f.entity:
            q = q.where(AuditEntry.entity == f.entity)
        if f.action:
            q = q.where(AuditEntry.action == f.action)
        record = f.record.strip()
        if record:
            if record.isdigit():
                q = q.where(AuditEntry.entity_id == int(record))
            else:
                pid = s.scalar(select(Proposal.id).where(Proposal.code == record.upper()))
                q = q.where(AuditEntry.entity == "proposal", AuditEntry.entity_id == (pid or -1))
        if f.date_from:
            q = q.where(AuditEntry.at >= _local_midnight_utc(f.date_from))
        if f.date_to:
            q = q.where(AuditEntry.at < _local_midnight_utc(f.date_to + timedelta(days=1)))
        return q

    @staticmethod
    def _row(entry: AuditEntry, code: str | None) -> AuditRow:
        record = code or (f"#{entry.entity_id}" if entry.entity_id is not None else "")
        return AuditRow(entry.id, entry.at, entry.username, entry.action, entry.entity, entry.entity_id, record,
                        entry.field, entry.old_value, entry.new_value)

    def entries(self, actor: Actor, f: AuditFilter, offset: int = 0, limit: int = 500) -> Page[AuditRow]:
        """One page of matching entries, newest first, with the number that match.

        Raises:
            PermissionDenied: not an administrator or manager.
            ValidationError: the dates are in the wrong order.
        """
        self._require(actor)
        with self._db.reading() as s:
            q = self._query(s, f)
            total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
            rows = [self._row(e, code) for e, code in s.execute(
                q.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).offset(offset).limit(limit))]
        return Page(rows, int(total), offset)

    def iter_entries(self, actor: Actor, f: AuditFilter) -> Iterator[AuditRow]:
        self._require(actor)
        with self._db.reading() as s:
            q = self._query(s, f)
            for r in stream(s, q, [AuditEntry.at.desc(), AuditEntry.id.desc()]):
                yield self._row(r[0], r[1])

    def choices(self, actor: Actor) -> AuditChoices:
        self._require(actor)
        with self._db.reading() as s:
            users = sorted(u for u in s.scalars(select(AuditEntry.username).distinct()) if u)
            entities = sorted(s.scalars(select(AuditEntry.entity).distinct()), key=entity_label)
            actions = sorted(s.scalars(select(AuditEntry.action).distinct()), key=action_label)
        return AuditChoices(users, [(e, entity_label(e)) for e in entities], [(a, action_label(a)) for a in actions])

    def export_xlsx(self, actor: Actor, f: AuditFilter, path: Path | str) -> int:
        """Write the matching entries (newest first) to an xlsx file; returns the number of rows written.

        Raises:
            PermissionDenied, ValidationError: as :meth:`entries`.
            UserError: the file cannot be written.
        """
        # xlsxwriter (~0.1 s) only for an export: the log screen opens without it
        from desktop_app.reports.table_export import export_table

        self._require(actor)
        parts = []
        if f.username:
            parts.append(f"Người dùng: {f.username}")
        if f.entity:
            parts.append(f"Loại bản ghi: {entity_label(f.entity)}")
        if f.record:
            parts.append(f"Bản ghi: {f.record}")
        if f.action:
            parts.append(f"Thao tác: {action_label(f.action)}")
        if f.date_from or f.date_to:
            parts.append(f"Từ ngày {format_date(f.date_from) if f.date_from else '…'} đến ngày "
                         f"{format_date(f.date_to) if f.date_to else '…'}")
        rows = ([r.at.astimezone().replace(tzinfo=None), r.username, r.action_text, r.entity_text, r.record,
                 r.field_text, r.old_text, r.new_text] for r in self.iter_entries(actor, f))
        return export_table(path, "Nhật ký thay đổi dữ liệu", HEADERS, rows,
                            organisation=OrganisationService(self._db).get(), subtitle="; ".join(parts))
