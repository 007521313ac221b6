"""A proposal's history: its status changes and audit entries as the history tab (and the audit log) word them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desktop_app.domain.enums import Action, ProposalForm, Scope, Status
from desktop_app.domain.vietnamese import format_date, format_vnd
from desktop_app.services.appraisal import require_seat
from desktop_app.services.auth import Actor, require_role
from desktop_app.services.dto import HistoryEntry
from desktop_app.services.proposal_views import READERS
from desktop_app.store.database import Database
from desktop_app.store.models import AuditEntry, StatusChange, User

FIELD_LABELS = {"title": "Tên đề án", "year": "Năm", "content_code": "Nội dung", "scope": "Nguồn kinh phí",
                "code": "Mã đề án", "form": "Hình thức", "sector_code": "Ngành nghề",
                "implementing_unit": "Đơn vị thực hiện", "partner_unit": "Đơn vị phối hợp",
                "province_code": "Tỉnh, thành phố", "commune_code": "Xã, phường",
                "location_as_recorded": "Địa điểm (hồ sơ cũ)", "legacy_ward_code": "Xã cũ",
                "start_date": "Ngày bắt đầu", "end_date": "Ngày kết thúc", "necessity": "Sự cần thiết",
                "objectives": "Mục tiêu", "scale": "Quy mô", "activities": "Nội dung hoạt động",
                "organisation_plan": "Phương án tổ chức thực hiện", "effectiveness": "Hiệu quả dự kiến",
                "support_percent": "Tỷ lệ hỗ trợ",
                "support_vnd": "Kinh phí khuyến công", "total_vnd": "Tổng kinh phí",
                "beneficiaries": "Cơ sở thụ hưởng (mã)", "attachment": "Tệp đính kèm",
                "approved_support_vnd": "Kinh phí phê duyệt", "held_on": "Ngày nghiệm thu", "place": "Địa điểm",
                "passed": "Đạt", "conclusion": "Kết luận", "minutes_number": "Số biên bản", "number": "Số văn bản",
                "accepted_value_vnd": "Giá trị nghiệm thu", "paid_vnd": "Đã chi",
                "settled_support_vnd": "Kinh phí quyết toán"}
#: audit actions as the history tab shows them (workflow actions have their own labels)
AUDIT_ACTIONS = {"create": "Lập đề án", "update": "Sửa đề án", "delete": "Xóa đề án", "attach": "Đính kèm tệp",
                 "detach": "Xóa tệp đính kèm", "approve": "Phê duyệt", "record_acceptance": "Ghi kết quả nghiệm thu",
                 "liquidate": "Thanh lý hợp đồng", "settle": "Quyết toán"}



def creation_text(created: dict[str, str | None], status: str, note: str) -> str:
    """One line for a creation, from what its audit entries recorded: code, scope, year, title → status."""
    extra = f". Ghi chú: {note}" if note and note not in ("Lập đề án", "Tạo đề án") else ""
    if not created:
        return f"Tạo đề án → {status}{extra}"
    scope = audit_value("scope", created.get("scope")) if created.get("scope") else ""
    year = f"năm {created['year']}" if created.get("year") else ""
    facts = ", ".join(x for x in (scope, year) if x)
    text = f"Tạo đề án {created.get('code') or ''}".rstrip()
    if facts:
        text += f" ({facts})"
    if created.get("title"):
        text += f": {created['title']}"
    return f"{text} → {status}{extra}"


def audit_value(field: str, value: str | None) -> str:
    """A stored audit value as a user reads it: labels for codes, dd/mm/yyyy, đồng with dots."""
    if value is None or value == "":
        return "(trống)"
    if field == "scope" and value in Scope._value2member_map_:
        return Scope(value).label
    if field == "form" and value in ProposalForm._value2member_map_:
        return ProposalForm(value).label
    if field == "passed" and value in ("0", "1"):
        return "có" if value == "1" else "không"
    if field == "support_percent" and value.isdigit():
        return f"{value}%"
    if field.endswith("_vnd") and value.lstrip("-").isdigit():
        return format_vnd(int(value))
    if field in ("start_date", "end_date", "held_on") and len(value) == 10:
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value


class ProposalHistory:
    """The history tab (part of :class:`~desktop_app.services.proposals.ProposalService`)."""

    _db: Database

    def history(self, actor: Actor, proposal_id: int) -> list[HistoryEntry]:
        """Status changes and audit entries of the proposal, oldest first, each with the full name of who did it.

        The creation is one row ("Tạo đề án …"), not one per field the creation wrote.
        """
        require_role(actor, *READERS, doing="xem lịch sử đề án")
        entries: list[HistoryEntry] = []
        with self._db.reading() as s:
            require_seat(s, actor, proposal_id)
            created = {a.field: a.new_value for a in s.scalars(select(AuditEntry).where(
                AuditEntry.entity == "proposal", AuditEntry.entity_id == proposal_id, AuditEntry.action == "create"))}
            for c, username, full_name in s.execute(select(StatusChange, User.username, User.full_name)
                                                    .outerjoin(User, User.id == StatusChange.user_id)
                                                    .where(StatusChange.proposal_id == proposal_id)):
                to = Status(c.to_status).label
                if c.action in Action._value2member_map_:
                    text = f"{Action(c.action).label} → {to}"
                    if c.note:
                        text += f". Ghi chú: {c.note}"
                else:  # the creation (or an import): one row saying what was made
                    text = creation_text(created, to, c.note)
                entries.append(HistoryEntry(c.at, full_name or username or "", "status", text, c.document_number,
                                            c.document_date))
            for a, username, full_name in s.execute(
                    select(AuditEntry, User.username, User.full_name).outerjoin(User, User.id == AuditEntry.user_id)
                    .where(AuditEntry.entity == "proposal", AuditEntry.entity_id == proposal_id,
                           AuditEntry.field != "status", AuditEntry.action != "create")):
                label = FIELD_LABELS.get(a.field, a.field)
                action = AUDIT_ACTIONS.get(a.action) or (Action(a.action).label if a.action in
                                                          Action._value2member_map_ else a.action)
                text = (f"{action}: {label}: {audit_value(a.field, a.old_value)} → "
                        f"{audit_value(a.field, a.new_value)}") if a.field else action
                entries.append(HistoryEntry(a.at, full_name or username or a.username, "audit", text))
        return sorted(entries, key=lambda e: e.at)
