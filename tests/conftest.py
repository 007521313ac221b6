"""Fixtures: offscreen Qt, an isolated data folder, and a fresh migrated database per test.

The database fixtures run each test on SQLite and on PostgreSQL (127.0.0.1:5432, user postgres, database test
as the maintenance database). A template is migrated and seeded once per run; each test gets its own copy
(a file copy for SQLite, ``CREATE DATABASE … TEMPLATE`` for PostgreSQL). When PostgreSQL does not answer the
PostgreSQL half is skipped with the reason, unless ``KHUYENCONG_REQUIRE_PG=1`` (set by ``.ci/run``), where it
fails instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("KHUYENCONG_DB", None)


from factories import Actors, actors, seed_standard

from desktop_app.services.context import Services, open_services
from desktop_app.store.database import Database
from desktop_app.store.migrate import upgrade_to_head

PG_HOST = os.environ.get("KHUYENCONG_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
PG_ADMIN_URL = f"{PG_HOST}/test"
REQUIRE_PG = os.environ.get("KHUYENCONG_REQUIRE_PG") == "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that drives widgets (asks for ``qtbot``) is a ``gui`` test wherever it lives (tests/ui/conftest.py
    marks every test under tests/ui)."""
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's data folder or settings."""
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("KHUYENCONG_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(data / "config"))
    monkeypatch.delenv("KHUYENCONG_DB", raising=False)
    # Qt reads the settings folder once per process, so the environment alone does not separate tests.
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(data / "qt-settings"))


def _pg_admin():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(PG_ADMIN_URL.replace("postgresql://", "postgresql://", 1), autocommit=True,
                           connect_timeout=3)


def _pg_available() -> str | None:
    try:
        with _pg_admin() as conn:
            conn.execute("SELECT 1")
        return None
    except Exception as exc:
        return f"PostgreSQL không trả lời tại {PG_HOST}: {exc.__class__.__name__}: {str(exc).strip()[:200]}"


def _build_template(url: str, seeded: bool) -> None:
    db = Database.from_url(url)
    upgrade_to_head(db.engine)
    if seeded:
        seed_standard(Services.over(db))
    db.dispose()


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    folder = tmp_path_factory.mktemp("templates")
    result = {}
    for seeded in (True, False):
        path = folder / f"template-{'seeded' if seeded else 'empty'}.sqlite3"
        _build_template(f"sqlite:///{path}", seeded)
        result[seeded] = path
    return result


@pytest.fixture(scope="session")
def pg_templates() -> Iterator[dict[bool, str] | str]:
    """Template database names, or the reason PostgreSQL cannot be used."""
    reason = _pg_available()
    if reason:
        yield reason
        return
    tag = uuid.uuid4().hex[:8]
    names = {True: f"kc_tpl_seeded_{tag}", False: f"kc_tpl_empty_{tag}"}
    with _pg_admin() as conn:
        for name in names.values():
            conn.execute(f'CREATE DATABASE "{name}"')
    for seeded, name in names.items():
        _build_template(f"{PG_HOST}/{name}", seeded)
    yield names
    with _pg_admin() as conn:
        for name in names.values():
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_url(backend: str, seeded: bool, tmp_path: Path, sqlite_templates: dict[bool, Path],
                  pg_templates: dict[bool, str] | str) -> Iterator[str]:
    if backend == "sqlite":
        path = tmp_path / "khuyencong.sqlite3"
        shutil.copyfile(sqlite_templates[seeded], path)
        yield f"sqlite:///{path}"
        return
    yield from _pg_database(pg_templates, seeded)


def _pg_database(pg_templates: dict[bool, str] | str, seeded: bool | None) -> Iterator[str]:
    """A new PostgreSQL database for one test, copied from a template (``seeded`` True/False) or blank (None)."""
    if isinstance(pg_templates, str):
        if REQUIRE_PG:
            pytest.fail(pg_templates)
        pytest.skip(pg_templates)
    name = f"kc_t_{uuid.uuid4().hex[:12]}"
    template = "" if seeded is None else f' TEMPLATE "{pg_templates[seeded]}"'
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"{template}')
    try:
        yield f"{PG_HOST}/{name}"
    finally:
        with _pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_templates: dict[bool, Path],
           pg_templates: dict[bool, str] | str) -> Iterator[str]:
    """A fresh migrated, seeded database, once per backend."""
    yield from _database_url(request.param, True, tmp_path, sqlite_templates, pg_templates)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_templates: dict[bool, Path],
                 pg_templates: dict[bool, str] | str) -> Iterator[str]:
    """A fresh migrated database with no users and no letterhead, once per backend."""
    yield from _database_url(request.param, False, tmp_path, sqlite_templates, pg_templates)


@pytest.fixture
def services(db_url: str) -> Iterator[Services]:
    svc, _ = open_services(db_url)
    yield svc
    svc.close()


@pytest.fixture
def people(services: Services) -> Actors:
    return actors(services)


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_templates: dict[bool, Path]) -> str:
    """A fresh seeded SQLite database (GUI tests: the GUI is a client of the services, tested on both elsewhere)."""
    path = tmp_path / "gui.sqlite3"
    shutil.copyfile(sqlite_templates[True], path)
    return f"sqlite:///{path}"


@pytest.fixture
def sqlite_services(sqlite_url: str) -> Iterator[Services]:
    svc, _ = open_services(sqlite_url)
    yield svc
    svc.close()


@pytest.fixture
def sqlite_people(sqlite_services: Services) -> Actors:
    return actors(sqlite_services)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def blank_db_url(request: pytest.FixtureRequest, tmp_path: Path,
                 pg_templates: dict[bool, str] | str) -> Iterator[str]:
    """A database with no tables at all, once per backend (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'blank.sqlite3'}"
        return
    yield from _pg_database(pg_templates, None)


@pytest.fixture
def pg_seeded_url(pg_templates: dict[bool, str] | str) -> Iterator[str]:
    """A fresh migrated, seeded PostgreSQL database only (tests of what exists on a server alone)."""
    yield from _pg_database(pg_templates, True)


@pytest.fixture
def pg_migrated_url(pg_templates: dict[bool, str] | str) -> Iterator[str]:
    """A fresh migrated PostgreSQL database with no users."""
    yield from _pg_database(pg_templates, False)


@pytest.fixture
def pg_blank_url(pg_templates: dict[bool, str] | str) -> Iterator[str]:
    """A fresh PostgreSQL database with no tables at all."""
    yield from _pg_database(pg_templates, None)


@pytest.fixture
def pg_host(pg_templates: dict[bool, str] | str) -> str:
    """``postgresql://user@host:port`` of the test server (the test is skipped when it does not answer)."""
    if isinstance(pg_templates, str):
        if REQUIRE_PG:
            pytest.fail(pg_templates)
        pytest.skip(pg_templates)
    return PG_HOST
