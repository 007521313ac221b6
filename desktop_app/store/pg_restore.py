"""Putting a PostgreSQL backup (pg_dump --format=custom) back: into a fresh database first, then a swap.

The backup is restored with pg_restore into a new database and checked there; the live database is untouched
until then. The swap renames the live database to ``<name>_truoc_khoi_phuc_<time>`` (the safety copy, kept)
and the fresh one to the live name in one transaction, which PostgreSQL refuses while anyone is connected to
the live database — so a program still using it is named and nothing changes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import DBAPIError

from desktop_app.domain.errors import BusyError, DatabaseVersionError, UserError
from desktop_app.store.restore import RestoreResult

_MAX_NAME = 63  # PostgreSQL's identifier length


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _holders(conn: Connection, database: str) -> list[str]:
    rows = conn.execute(text("SELECT pid, coalesce(nullif(application_name, ''), '?'), usename, "
                             "coalesce(host(client_addr), 'máy này') FROM pg_stat_activity "
                             "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": database})
    return [f"{pid} ({app}, {user}@{host})" for pid, app, user, host in rows]


def restore_postgresql(url: URL, source: Path, known_revisions: set[str]) -> RestoreResult:
    """Replace the database of ``url`` by the pg_dump backup ``source``, keeping the old one under a new name.

    Raises:
        UserError: pg_restore is missing, the file is not such a backup, or pg_restore failed.
        DatabaseVersionError: the backup comes from a newer program.
        BusyError: someone is connected to the live database.
    """
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise UserError("Không tìm thấy pg_restore; hãy cài công cụ dòng lệnh của PostgreSQL (gói postgresql-client "
                        "hoặc PostgreSQL for Windows) để khôi phục.")
    if not source.is_file():
        raise UserError(f"Không có tệp “{source}”.")
    with source.open("rb") as f:
        if f.read(5) != b"PGDMP":
            raise UserError(f"Tệp “{source.name}” không phải bản sao lưu PostgreSQL của chương trình "
                            "(pg_dump --format=custom).")
    live = url.database or ""
    stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
    fresh = f"{live[:30]}_khoi_phuc_{stamp}"[:_MAX_NAME]
    kept = f"{live[:30]}_truoc_khoi_phuc_{stamp}"[:_MAX_NAME]
    server = url.set(drivername="postgresql+psycopg")
    admin = create_engine(server._replace(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {_quoted(fresh)}"))
        try:
            revision = _restore_into(pg_restore, url, fresh, source, known_revisions)
            with admin.connect() as conn:
                who = _holders(conn, live)
            if who:
                raise BusyError(f"Cơ sở dữ liệu {live} đang được dùng ({', '.join(who[:5])}). Hãy đóng chương "
                                "trình ở mọi máy rồi khôi phục lại; chưa có gì bị thay đổi.")
            swap = create_engine(server._replace(database="postgres"))  # transactional: both renames or neither
            try:
                try:
                    with swap.begin() as conn:
                        conn.execute(text(f"ALTER DATABASE {_quoted(live)} RENAME TO {_quoted(kept)}"))
                        conn.execute(text(f"ALTER DATABASE {_quoted(fresh)} RENAME TO {_quoted(live)}"))
                except DBAPIError as exc:
                    raise BusyError(f"Không đổi được cơ sở dữ liệu {live} ({str(exc.orig).strip()[:200]}); có người "
                                    "vừa kết nối. Hãy đóng chương trình ở mọi máy rồi khôi phục lại; chưa có gì bị "
                                    "thay đổi.") from exc
            finally:
                swap.dispose()
        except BaseException:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {_quoted(fresh)} WITH (FORCE)"))
            raise
    finally:
        admin.dispose()
    return RestoreResult(Path(live), Path(kept), revision)


def _restore_into(pg_restore: str, url: URL, database: str, source: Path, known_revisions: set[str]) -> str:
    """pg_restore ``source`` into the empty ``database`` and check it; returns its schema revision."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)  # never on the command line
    dsn = url.set(drivername="postgresql")._replace(password=None, database=database)
    run = subprocess.run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
                          f"--dbname={dsn.render_as_string(hide_password=False)}", str(source)],
                         capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise UserError(f"pg_restore báo lỗi: {run.stderr.strip()[:500]}")
    check = create_engine(url.set(drivername="postgresql+psycopg")._replace(database=database))
    try:
        with check.connect() as conn:
            tables = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
            if not {"alembic_version", "users", "establishments", "proposals"} <= tables:
                raise UserError(f"Tệp “{source.name}” không phải bản sao lưu của chương trình quản lý khuyến công.")
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""
    finally:
        check.dispose()
    if revision not in known_revisions:
        raise DatabaseVersionError(f"Bản sao lưu “{source.name}” được tạo bởi phiên bản mới hơn của chương trình "
                                   f"(phiên bản CSDL “{revision}”); cơ sở dữ liệu hiện tại chưa bị thay đổi.")
    return revision
