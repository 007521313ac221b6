"""Bring a database to the program's schema at start-up: back up first, refuse a newer database."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from desktop_app import paths
from desktop_app.domain.errors import DatabaseVersionError
from desktop_app.store import auto_backup
from desktop_app.store.database import sqlite_pragma

log = logging.getLogger(__name__)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(paths.db_dir()))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def backup_sqlite_file(engine: Engine, tag: str, keep: int = auto_backup.DEFAULT_KEEP) -> Path | None:
    """Copy the SQLite file aside with the online backup API (commits in the WAL included) before changing it;
    the newest ``keep`` such copies stay. Returns the copy's path."""
    source = auto_backup.sqlite_file(engine)
    if source is None:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = source.with_name(f"{source.stem}.truoc-nang-cap-{tag}-{stamp}{source.suffix}")
    auto_backup.copy_online(engine, target)
    log.info("backed up %s to %s", source, target)
    auto_backup.prune(source.parent, source.stem, "truoc-nang-cap", keep)
    return target


def upgrade_to_head(engine: Engine) -> str | None:
    """Migrate to the newest schema. Returns the path of the backup made, if any.

    Raises:
        DatabaseVersionError: the database was made by a newer program (unknown revision).
    """
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    if current is not None and current not in known_revisions():
        raise DatabaseVersionError(
            f"Cơ sở dữ liệu được tạo bởi phiên bản mới hơn của chương trình (phiên bản CSDL “{current}”). "
            "Hãy cài phiên bản chương trình mới hơn; dữ liệu chưa bị thay đổi."
        )
    backup = backup_sqlite_file(engine, current or "moi") if current is not None else None
    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # Batch migrations rebuild tables; with foreign keys enforced, dropping a referenced table would
            # fail or cascade. They are checked as a whole once the upgrade is done.
            sqlite_pragma(conn, "PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
        if sqlite:
            broken = sqlite_pragma(conn, "PRAGMA foreign_key_check")
            sqlite_pragma(conn, "PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"foreign keys broken after migration: {broken[:5]}")
    return str(backup) if backup else None
