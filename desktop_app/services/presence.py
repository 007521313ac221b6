"""Who else has a record open: an editor enters, beats every ``HEARTBEAT_SECONDS`` and leaves when it closes.

Presence informs and never locks (optimistic locking still decides who may save). It is not audited: it records
no change to the centre's data. Entering and leaving go through the ORM, so other desks hear of them at once
(see :mod:`desktop_app.store.changes`); the heartbeat is a silent UPDATE that sends nothing, so it does not make
every desk refresh its screen twice a minute.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from desktop_app.services.auth import Actor
from desktop_app.store import changes
from desktop_app.store.base import utcnow
from desktop_app.store.database import Database
from desktop_app.store.models import Presence, User

HEARTBEAT_SECONDS = 30
# Three missed heartbeats: the program was closed without leaving, or its network went away.
EXPIRY = timedelta(seconds=HEARTBEAT_SECONDS * 3)


@dataclass(frozen=True)
class PresenceView:
    username: str
    display_name: str
    since: datetime


class PresenceService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def enter(self, actor: Actor, entity: str, entity_id: int) -> str:
        """Note that ``actor`` opened the record; returns the token to beat and leave with."""
        token = uuid.uuid4().hex
        with self._db.transaction() as s:
            s.execute(delete(Presence).where(Presence.heartbeat_at < utcnow() - EXPIRY)
                      .execution_options(**{changes.SILENT: True}))
            s.add(Presence(token=token, user_id=actor.id, entity=entity, entity_id=entity_id))
        return token

    def beat(self, token: str) -> None:
        with self._db.transaction() as s:
            s.execute(update(Presence).where(Presence.token == token).values(heartbeat_at=utcnow())
                      .execution_options(**{changes.SILENT: True}))

    def leave(self, token: str) -> None:
        with self._db.transaction() as s:
            row = s.scalar(select(Presence).where(Presence.token == token))
            if row is not None:
                s.delete(row)

    def others(self, token: str, entity: str, entity_id: int) -> list[PresenceView]:
        """Everyone else (other users, or the same user in another window) with the record open now."""
        with self._db.reading() as s:
            rows = s.execute(select(Presence.opened_at, User.username, User.full_name)
                             .join(User, User.id == Presence.user_id)
                             .where(Presence.entity == entity, Presence.entity_id == entity_id,
                                    Presence.token != token, Presence.heartbeat_at >= utcnow() - EXPIRY)
                             .order_by(Presence.opened_at))
            return [PresenceView(username, full_name or username, opened_at) for opened_at, username, full_name in rows]
