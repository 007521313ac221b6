"""Backups and restores on the administrator's request."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from desktop_app import paths
from desktop_app.domain.enums import Role
from desktop_app.domain.errors import PermissionDenied, UserError, ValidationError
from desktop_app.services import audit
from desktop_app.services.auth import Actor, require_role
from desktop_app.store import auto_backup
from desktop_app.store.backup import backup_database
from desktop_app.store.database import Database
from desktop_app.store.migrate import head_revision, known_revisions
from desktop_app.store.models import AuditEntry, User
from desktop_app.store.pg_restore import restore_postgresql
from desktop_app.store.restore import RestoreResult, restore_sqlite
from desktop_app.store.settings import get_int_setting, set_setting

KEEP_SETTING = "auto_backup_keep"

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

    # --- automatic backups -------------------------------------------------------------------------------------

    @staticmethod
    def automatic_folder() -> Path:
        return paths.data_dir() / "sao-luu-tu-dong"

    def keep(self) -> int:
        """How many automatic backups are kept (an administrator's setting, 10 by default)."""
        with self._db.reading() as s:
            return max(1, get_int_setting(s, KEEP_SETTING, auto_backup.DEFAULT_KEEP))

    def set_keep(self, actor: Actor, keep: int) -> None:
        require_role(actor, Role.ADMIN, doing="đổi số bản sao lưu tự động được giữ")
        if isinstance(keep, bool) or not isinstance(keep, int) or not 1 <= keep <= 365:
            raise ValidationError("Số bản sao lưu tự động được giữ phải từ 1 đến 365.", field="keep")
        with self._db.transaction() as s:
            old = set_setting(s, KEEP_SETTING, str(keep))
            audit.record(s, actor, "update", "setting", None, {KEEP_SETTING: old}, {KEEP_SETTING: str(keep)})

    def daily(self) -> Path | None:
        """The automatic backup of the first start of the day (SQLite only); None when there is nothing to do.
        A failure is logged, never in the user's way: the program must still start."""
        try:
            made = auto_backup.daily_backup(self._db.engine, self.automatic_folder(), self.keep())
        except Exception as exc:  # the start must go on; the log says what went wrong
            log.warning("automatic backup failed: %s", exc)
            return None
        if made:
            log.info("automatic backup %s", made)
        return made

    def automatic(self) -> list[auto_backup.BackupFile]:
        """The automatic backups kept for this database, newest first (empty for PostgreSQL)."""
        source = auto_backup.sqlite_file(self._db.engine)
        if source is None:
            return []
        return auto_backup.listed(self.automatic_folder(), source.stem, auto_backup.DAILY_INFIX)

    # --- restore ---------------------------------------------------------------------------------------------

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
        if not self._db.engine.url.database:
            raise UserError("Cơ sở dữ liệu này không có tệp hay tên để khôi phục vào.")
        self._db.dispose()  # our own pooled connections would count as "another program holding it"
        if self._db.is_sqlite:
            result = restore_sqlite(source, Path(self._db.engine.url.database), known_revisions())
        else:
            result = restore_postgresql(self._db.engine.url, source, known_revisions())
        log.info("restored %s from %s (safety copy %s) by %s", result.target, source, result.safety_copy,
                 actor.username if actor else "-")
        if result.revision == head_revision():
            with self._db.transaction() as s:
                # The restored database may not hold this account: the entry names it without linking it.
                s.add(AuditEntry(user_id=None, username=actor.username if actor else "", action="restore",
                                 entity="database", field="file", new_value=str(source)))
        return result
