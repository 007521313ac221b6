"""Automatic SQLite backups: one on the first start of each day, kept in the data folder (the newest N).

A backup is taken with the online backup API (commits still in the WAL included), written under a temporary
name and renamed when complete, so a crash never leaves a half backup under a backup's name.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from desktop_app.store.restore import fsync_dir, fsync_file

DAILY_INFIX = "tu-dong"
DEFAULT_KEEP = 10
_NAME = re.compile(r"^(?P<stem>.+?)\.(?P<kind>[a-z0-9-]+?)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.[^.]+$")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    size_bytes: int


def sqlite_file(engine: Engine) -> Path | None:
    """The database file of a SQLite engine, or None (PostgreSQL, in-memory, not created yet)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    path = Path(database)
    return path if path.exists() and path.stat().st_size > 0 else None


def copy_online(engine: Engine, out: Path) -> Path:
    """A consistent copy of the live SQLite database at ``out`` (temporary name, flushed, renamed)."""
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(temp)
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            target.close()
    finally:
        raw.close()
    fsync_file(temp)
    os.replace(temp, out)
    fsync_dir(out.parent)
    return out


def listed(folder: Path, stem: str, kind: str) -> list[BackupFile]:
    """The backups whose kind starts with ``kind`` of the database ``stem`` in ``folder``, newest first."""
    found = []
    for path in folder.glob(f"{stem}.{kind}*"):
        m = _NAME.match(path.name)
        if m is None or m["stem"] != stem or not m["kind"].startswith(kind):
            continue
        stat = path.stat()
        found.append(BackupFile(path, datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S"), stat.st_size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def prune(folder: Path, stem: str, kind: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups of ``kind``; returns what was deleted."""
    old = [b.path for b in listed(folder, stem, kind)[max(1, keep):]]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def daily_backup(engine: Engine, folder: Path, keep: int = DEFAULT_KEEP,
                 now: datetime | None = None) -> Path | None:
    """Back the SQLite database up into ``folder`` unless that was already done today; keep the newest ``keep``.

    Returns the new backup, or None (not SQLite, nothing to back up yet, or already done today).
    """
    source = sqlite_file(engine)
    if source is None:
        return None
    now = now or datetime.now()
    folder.mkdir(parents=True, exist_ok=True)
    if any(b.taken_at.date() == now.date() for b in listed(folder, source.stem, DAILY_INFIX)):
        return None
    out = folder / f"{source.stem}.{DAILY_INFIX}-{now:%Y%m%d-%H%M%S}.sqlite3"
    copy_online(engine, out)
    prune(folder, source.stem, DAILY_INFIX, keep)
    return out
