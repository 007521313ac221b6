"""Writing the append-only audit log: one entry per changed field, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.services.auth import Actor
from desktop_app.store import changes
from desktop_app.store.models import AuditEntry


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The current values of ``fields`` of an ORM object, to diff against later."""
    return {f: getattr(obj, f) for f in fields}


def record(session: Session, actor: Actor | None, action: str, entity: str, entity_id: int | None,
           old: Mapping[str, Any] | None = None, new: Mapping[str, Any] | None = None) -> int:
    """Write one entry per field whose value differs between ``old`` and ``new``.

    With neither mapping, writes a single entry for the action itself. Returns the number of entries written.
    """
    old = old or {}
    new = new or {}
    if actor is not None:
        changes.note_actor(session, actor.username)  # named in the other desks' "Đã được … sửa" notice
    written = 0
    for field in sorted(set(old) | set(new)):
        before, after = _text(old.get(field)), _text(new.get(field))
        if before == after:
            continue
        session.add(AuditEntry(user_id=actor.id if actor else None, username=actor.username if actor else "",
                               action=action, entity=entity, entity_id=entity_id, field=field,
                               old_value=before, new_value=after))
        written += 1
    if not old and not new:
        session.add(AuditEntry(user_id=actor.id if actor else None, username=actor.username if actor else "",
                               action=action, entity=entity, entity_id=entity_id))
        written = 1
    return written
