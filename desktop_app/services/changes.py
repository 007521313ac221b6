"""Live updates between desks: listen for changes other users commit (see :mod:`desktop_app.store.changes`)."""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.store.changes import Change, ChangeListener
from desktop_app.store.database import Database

__all__ = ["Change", "ChangeListener", "ChangeService"]


class ChangeService:
    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def instant(self) -> bool:
        """True when changes arrive as notifications (PostgreSQL); False for the SQLite counter poll."""
        return not self._db.is_sqlite

    def listen(self, callback: Callable[[Change], None]) -> ChangeListener:
        """Start a listener thread; ``callback`` runs on that thread for every committed change. Call ``stop()``."""
        return ChangeListener(self._db.engine, callback).start()
