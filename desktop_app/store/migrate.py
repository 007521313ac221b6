"""Bring a database to the program's schema at start-up: back up first, refuse a newer database.

Most starts find the database already at the newest revision, so the check is one plain query for the stored
revision against the newest revision named in ``db/versions`` (read from the files, not through Alembic); Alembic,
which takes longer to import than the rest of the database layer, is imported only when a migration is due.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from desktop_app import paths
from desktop_app.domain.errors import DatabaseVersionError
from desktop_app.store import auto_backup, search_index
from desktop_app.store.database import sqlite_pragma

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
VERSION_TABLE = "alembic_version"
_REVISION = re.compile(r'^revision(?:: str)? = ["\'](?P<id>[^"\']+)["\']', re.MULTILINE)
_DOWN = re.compile(r'^down_revision(?:: [^=]+)? = (?:["\'](?P<id>[^"\']+)["\']|None)', re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config  # Alembic (~0.7 s) only to migrate: a database at head opens without it

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.db_dir()))
    return cfg


@cache
def _revision_graph() -> dict[str, str | None]:
    """Each revision in ``db/versions`` with the one it revises, read from the files' header lines."""
    graph: dict[str, str | None] = {}
    for path in sorted((paths.db_dir() / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            raise RuntimeError(f"no revision header in {path.name}")
        graph[revision["id"]] = down["id"]
    return graph


def head_revision() -> str:
    """The newest revision: the one no other revision revises."""
    graph = _revision_graph()
    heads = set(graph) - {down for down in graph.values() if down}
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must have one head, not {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for a database without the program's tables), by a plain query."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def known_revisions() -> set[str]:
    return set(_revision_graph())


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
    from alembic import command  # Alembic (~0.7 s): only an upgrade runs its commands

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
        search_index.ensure_triggers(conn)  # a batch migration that rebuilt establishments dropped them
        conn.commit()
        if sqlite:
            broken = sqlite_pragma(conn, "PRAGMA foreign_key_check")
            sqlite_pragma(conn, "PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"foreign keys broken after migration: {broken[:5]}")
    return str(backup) if backup else None
