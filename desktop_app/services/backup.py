"""Backups on the administrator's request."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from desktop_app.domain.enums import Role
from desktop_app.services import audit
from desktop_app.services.auth import Actor, require_role
from desktop_app.store.backup import backup_database
from desktop_app.store.database import Database


class BackupService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def default_name(self) -> str:
        ext = "sqlite3" if self._db.is_sqlite else "dump"
        return f"khuyencong-sao-luu-{datetime.now():%Y%m%d-%H%M}.{ext}"

    def backup(self, actor: Actor, out: Path) -> Path:
        """Write a backup to ``out`` (administrators only) and record it in the audit log."""
        require_role(actor, Role.ADMIN, doing="sao lưu cơ sở dữ liệu")
        path = backup_database(self._db.engine, out)
        with self._db.transaction() as s:
            audit.record(s, actor, "backup", "database", None, None, {"file": str(path)})
        return path
