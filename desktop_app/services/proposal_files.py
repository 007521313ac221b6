"""The files attached to a draft proposal: list, add, open, remove."""

from __future__ import annotations

import mimetypes

from sqlalchemy import select

from desktop_app.domain.enums import Record
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.vietnamese import format_vnd, normalize
from desktop_app.services import audit, transitions
from desktop_app.services.appraisal import require_seat
from desktop_app.services.auth import Actor, require_role
from desktop_app.services.dto import AttachmentInfo
from desktop_app.services.proposal_views import READERS
from desktop_app.store.database import Database
from desktop_app.store.models import Attachment, User
from desktop_app.store.settings import get_int_setting


class ProposalAttachments:
    """Attachments (part of :class:`~desktop_app.services.proposals.ProposalService`)."""

    _db: Database

    def attachments(self, actor: Actor, proposal_id: int) -> list[AttachmentInfo]:
        require_role(actor, *READERS, doing="xem tệp đính kèm")
        with self._db.reading() as s:
            require_seat(s, actor, proposal_id)
            rows = s.execute(select(Attachment.id, Attachment.filename, Attachment.content_type,
                                    Attachment.size_bytes, Attachment.uploaded_at, User.username)
                             .outerjoin(User, User.id == Attachment.uploaded_by)
                             .where(Attachment.proposal_id == proposal_id).order_by(Attachment.id))
            return [AttachmentInfo(r[0], r[1], r[2], r[3], r[4], r[5] or "") for r in rows]

    def add_attachment(self, actor: Actor, proposal_id: int, filename: str, data: bytes) -> AttachmentInfo:
        """Attach a file while the proposal is a draft; the size limit is a setting.

        Raises:
            ValidationError: empty, too large, or not a draft.
        """
        transitions.allow(actor, Record.ATTACH)
        name = normalize(filename).replace("/", "_").replace("\\", "_")
        if not name:
            raise ValidationError("Tệp đính kèm cần có tên.", field="filename")
        if not data:
            raise ValidationError(f"Tệp “{name}” rỗng.", field="filename")
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id)
            transitions.require(actor, p, Record.ATTACH)
            limit = get_int_setting(s, "attachment_max_bytes", 20 * 1024 * 1024)
            if len(data) > limit:
                raise ValidationError(
                    f"Tệp “{name}” có dung lượng {format_vnd(len(data) // 1024)} KB, vượt giới hạn "
                    f"{format_vnd(limit // 1024)} KB.", field="filename")
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            a = Attachment(proposal_id=p.id, filename=name, content_type=kind, size_bytes=len(data), data=data,
                           uploaded_by=actor.id)
            s.add(a)
            s.flush()
            audit.record(s, actor, "attach", "proposal", p.id, None, {"attachment": f"{name} ({len(data)} byte)"})
            return AttachmentInfo(a.id, a.filename, a.content_type, a.size_bytes, a.uploaded_at, actor.username)

    def attachment_data(self, actor: Actor, attachment_id: int) -> tuple[str, bytes]:
        require_role(actor, *READERS, doing="mở tệp đính kèm")
        with self._db.reading() as s:
            a = s.get(Attachment, attachment_id)
            if a is None:
                raise NotFound("Tệp đính kèm không còn tồn tại.")
            require_seat(s, actor, a.proposal_id)
            return a.filename, a.data

    def remove_attachment(self, actor: Actor, attachment_id: int) -> None:
        transitions.allow(actor, Record.DETACH)
        with self._db.transaction() as s:
            a = s.get(Attachment, attachment_id)
            if a is None:
                raise NotFound("Tệp đính kèm không còn tồn tại.")
            p = transitions.load_proposal(s, a.proposal_id)
            transitions.require(actor, p, Record.DETACH)
            audit.record(s, actor, "detach", "proposal", p.id, {"attachment": a.filename}, None)
            s.delete(a)
