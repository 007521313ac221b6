"""Backing up the database: SQLite with its online backup API, PostgreSQL with pg_dump.

A backup is written under a temporary name in the target folder and renamed when complete, so an interrupted
backup never leaves a half file under the chosen name, and an existing file is only replaced when asked.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine

from desktop_app.domain.errors import UserError
from desktop_app.store.restore import fsync_dir, fsync_file


def _live_files(engine: Engine) -> set[Path]:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return set()
    live = Path(database).resolve()
    return {live, Path(f"{live}-wal"), Path(f"{live}-shm"), Path(f"{live}-journal")}


def _describe(path: Path) -> str:
    """What an existing file is, for the refusal to overwrite it."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return "một tệp"
    if head.startswith(b"SQLite format 3"):
        return "một tệp cơ sở dữ liệu SQLite"
    if head.startswith(b"PGDMP"):
        return "một bản sao lưu PostgreSQL"
    return "một tệp khác (không phải bản sao lưu)"


def check_target(engine: Engine, out: Path, force: bool) -> Path:
    """Refuse a backup target that is a folder, the live database, or an existing file without ``force``."""
    if out.is_dir():
        raise UserError(f"“{out}” là một thư mục; hãy ghi cả tên tệp sao lưu, ví dụ {out / 'sao-luu.sqlite3'}.",
                        field="out")
    if out.resolve() in _live_files(engine):
        raise UserError("Không thể sao lưu đè lên chính cơ sở dữ liệu đang dùng; hãy chọn tệp khác.", field="out")
    if out.exists() and not force:
        raise UserError(f"Đã có tệp “{out}” ({_describe(out)}); chọn tên khác hoặc thêm --force để ghi đè.",
                        field="out")
    if not out.parent.exists():
        raise UserError(f"Không có thư mục “{out.parent}”.", field="out")
    return out


def backup_database(engine: Engine, out: Path, force: bool = False) -> Path:
    """Write a consistent copy of the database to ``out`` while it stays in use.

    Raises:
        UserError: a bad target (see ``check_target``), or pg_dump is missing or fails.
    """
    check_target(engine, out, force)
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(engine, temp)
        else:
            _pg_dump(engine, temp)
        fsync_file(temp)
        os.replace(temp, out)
        fsync_dir(out.parent)
    except OSError as exc:
        raise UserError(f"Không ghi được tệp sao lưu “{out}”: {exc.strerror or exc}.", field="out") from exc
    finally:
        temp.unlink(missing_ok=True)
    return out


def _sqlite_backup(engine: Engine, out: Path) -> None:
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(out)
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            target.close()
    finally:
        raw.close()


def _pg_dump(engine: Engine, out: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise UserError("Không tìm thấy pg_dump; hãy cài công cụ dòng lệnh của PostgreSQL để sao lưu.")
    url = engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password is not None:
        # Through the environment, not the command line, where any user of the machine could read it.
        env["PGPASSWORD"] = str(url.password)
    # URL.set() ignores None (the password would stay); the named tuple's _replace drops it.
    dsn = url._replace(password=None).render_as_string(hide_password=False)
    run = subprocess.run([pg_dump, "--format=custom", f"--file={out}", dsn], capture_output=True, text=True,
                         env=env)
    if run.returncode != 0:
        raise UserError(f"pg_dump báo lỗi: {run.stderr.strip()[:500]}")
