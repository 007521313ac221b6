"""“Kiểm tra kết nối” against the real PostgreSQL server and real SQLite files."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_app.store.connection_check import Problem, check_connection
from desktop_app.store.database import Database
from desktop_app.store.migrate import head_revision


@pytest.fixture
def blank_pg(pg_blank_url: str) -> str:
    return pg_blank_url


@pytest.fixture
def migrated_pg(pg_migrated_url: str) -> str:
    return pg_migrated_url


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens once the socket is closed


@pytest.mark.postgres
def test_current_database_is_ok(migrated_pg: str) -> None:
    report = check_connection(migrated_pg)
    assert report.ok and report.revision == head_revision()
    assert "đúng phiên bản" in report.message


@pytest.mark.postgres
def test_empty_database_is_ok_and_says_it_will_be_set_up(blank_pg: str) -> None:
    report = check_connection(blank_pg)
    assert report.ok and report.revision is None
    assert "còn trống" in report.message


@pytest.mark.postgres
def test_missing_database(pg_host: str) -> None:
    report = check_connection(f"{pg_host}/khong_co_csdl_nay")
    assert report.problem is Problem.DATABASE_MISSING
    assert "không có cơ sở dữ liệu “khong_co_csdl_nay”" in report.message


@pytest.mark.postgres
def test_unknown_user(pg_host: str) -> None:
    report = check_connection("postgresql://khong_ai_ca@127.0.0.1:5432/test")
    assert report.problem is Problem.UNKNOWN_USER
    assert "“khong_ai_ca”" in report.message


def test_closed_port_is_unreachable() -> None:
    report = check_connection(f"postgresql://postgres@127.0.0.1:{_closed_port()}/khuyencong")
    assert report.problem is Problem.HOST_UNREACHABLE
    assert "Không liên lạc được với máy chủ 127.0.0.1" in report.message


@pytest.mark.postgres
def test_schema_newer_than_the_program(migrated_pg: str) -> None:
    db = Database.from_url(migrated_pg)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    report = check_connection(migrated_pg)
    assert report.problem is Problem.SCHEMA_NEWER and not report.ok
    assert "phiên bản mới hơn" in report.message and "9999" in report.message


def test_sqlite_files(tmp_path: Path) -> None:
    missing = tmp_path / "moi.sqlite3"
    assert check_connection(f"sqlite:///{missing}").ok and not missing.exists()  # the check writes nothing
    assert check_connection(f"sqlite:///{tmp_path / 'khong' / 'x.sqlite3'}").problem is Problem.OTHER
    garbage = tmp_path / "rac.sqlite3"
    garbage.write_bytes(b"day khong phai sqlite" * 100)
    assert check_connection(f"sqlite:///{garbage}").problem is Problem.NOT_A_DATABASE
    other = tmp_path / "khac.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    assert check_connection(f"sqlite:///{other}").ok  # no schema version yet: it will be set up
