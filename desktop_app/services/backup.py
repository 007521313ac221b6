"""Backups and restores on the administrator's request."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import PermissionDenied, UserError
from desktop_app.services import audit
from desktop_app.services.auth import Actor, require_role
from desktop_app.store.backup import backup_database
from desktop_app.store.database import Database
from desktop_app.store.migrate import head_revision, known_revisions
from desktop_app.store.models import AuditEntry, User
from desktop_app.store.restore import RestoreResult, restore_sqlite

log = logging.getLogger(__name__)


class BackupService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def default_name(self) -> str:
        ext = "sqlite3" if self._db.is_sqlite else "dump"
        return f"khuyencong-sao-luu-{datetime.now():%Y%m%d-%H%M}.{ext}"

    def backup(self, actor: Actor, out: Path, force: bool = False) -> Path:
        """Write a backup to ``out`` (administrators only) and record it in the audit log."""
        require_role(actor, Role.ADMIN, doing="sao lưu cơ sở dữ liệu", now=self._db)
        path = backup_database(self._db.engine, out, force=force)
        with self._db.transaction() as s:
            audit.record(s, actor, "backup", "database", None, None, {"file": str(path)})
        return path

    def has_users(self) -> bool:
        with self._db.reading() as s:
            return s.scalar(select(User.id).limit(1)) is not None

    def restore(self, actor: Actor | None, source: Path) -> RestoreResult:
        """Put the SQLite backup ``source`` in place of this database (administrators only; without an actor
        only while the database has no account yet), keeping a time-stamped safety copy of what it replaces.

        This service's own connections are closed first; the database must not be open anywhere else.

        Raises:
            PermissionDenied: not an administrator (or no actor while accounts exist).
            UserError, DatabaseVersionError: the backup is not usable; nothing was changed.
            BusyError: another program has the database open; nothing was changed.
        """
        if actor is None:
            if self.has_users():
                raise PermissionDenied("Khôi phục cơ sở dữ liệu cần đăng nhập bằng tài khoản quản trị hệ thống.")
        else:
            require_role(actor, Role.ADMIN, doing="khôi phục cơ sở dữ liệu", now=self._db)
        if not self._db.is_sqlite or not self._db.engine.url.database:
            raise UserError("Khôi phục bằng chương trình chỉ áp dụng cho tệp SQLite; với PostgreSQL hãy dùng "
                            "pg_restore vào một cơ sở dữ liệu mới rồi đổi URL sang cơ sở dữ liệu đó.")
        target = Path(self._db.engine.url.database)
        self._db.dispose()  # our own pooled connections would count as "another program holding it"
        result = restore_sqlite(source, target, known_revisions())
        log.info("restored %s from %s (safety copy %s) by %s", target, source, result.safety_copy,
                 actor.username if actor else "-")
        if result.revision == head_revision():
            with self._db.transaction() as s:
                # The restored database may not hold this account: the entry names it without linking it.
                s.add(AuditEntry(user_id=None, username=actor.username if actor else "", action="restore",
                                       entity="database", field="file", new_value=str(source)))
        return result
