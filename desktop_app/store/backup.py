"""Backing up and restoring the database: SQLite with its online backup API, PostgreSQL with pg_dump."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine

from desktop_app.domain.errors import UserError


def backup_database(engine: Engine, out: Path) -> Path:
    """Write a consistent copy of the database to ``out`` while it stays in use.

    Raises:
        UserError: pg_dump is missing or fails.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            target = sqlite3.connect(out)
            try:
                raw.driver_connection.backup(target)  # type: ignore[union-attr]
            finally:
                target.close()
        finally:
            raw.close()
        return out
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise UserError("Không tìm thấy pg_dump; hãy cài công cụ dòng lệnh của PostgreSQL để sao lưu.")
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    run = subprocess.run([pg_dump, "--format=custom", f"--file={out}", url], capture_output=True, text=True)
    if run.returncode != 0:
        raise UserError(f"pg_dump báo lỗi: {run.stderr.strip()[:500]}")
    return out


def restore_sqlite(source: Path, target: Path) -> None:
    """Replace the SQLite file ``target`` by the backup ``source`` (the program must not have it open)."""
    check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise UserError(f"Tệp “{source.name}” không phải bản sao lưu cơ sở dữ liệu SQLite.") from exc
    finally:
        check.close()
    if not {"alembic_version", "proposals", "establishments"} <= tables:
        raise UserError(f"Tệp “{source.name}” không phải bản sao lưu của chương trình quản lý khuyến công.")
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
