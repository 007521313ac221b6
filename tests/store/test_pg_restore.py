"""Restoring a PostgreSQL backup: pg_restore into a fresh database, checked, then swapped in one transaction;
the old database is kept under a new name, and a database someone is connected to is not touched."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from factories import PASSWORD, Actors
from sqlalchemy import select

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import BusyError, UserError
from desktop_app.services.backup import BackupService
from desktop_app.services.context import Services
from desktop_app.store import pg_restore
from desktop_app.store.models import User


def _databases(url: str) -> set[str]:
    """This test's database and the ones named after it (other tests share the server)."""
    live = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        return {r[0] for r in conn.execute("SELECT datname FROM pg_database") if r[0].startswith(live[:30])}


def _drop(url: str, name: str) -> None:
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_swaps_in_a_fresh_database_and_keeps_the_old(db_url: str, services: Services, people: Actors,
                                                             tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL restore")
    service = BackupService(services.db)
    dump = service.backup(people.admin, tmp_path / "sao-luu.dump")
    services.users.add(people.admin, "sau_sao_luu", Role.STAFF, PASSWORD)
    before = _databases(db_url)

    # Bad inputs change nothing.
    text = tmp_path / "ghi-chu.dump"
    text.write_text("không phải bản sao lưu", encoding="utf-8")
    with pytest.raises(UserError, match="không phải bản sao lưu PostgreSQL"):
        service.restore(people.admin, text)
    monkeypatch.setattr(pg_restore.shutil, "which", lambda _name: None)
    with pytest.raises(UserError, match="Không tìm thấy pg_restore"):
        service.restore(people.admin, dump)
    monkeypatch.undo()

    # Someone connected: refused by name, nothing renamed, the fresh copy dropped.
    with psycopg.connect(db_url) as holder:
        holder.execute("SELECT 1")
        with pytest.raises(BusyError, match="đang được dùng"):
            service.restore(people.admin, dump)
    assert _databases(db_url) == before

    result = service.restore(people.admin, dump)
    kept = str(result.safety_copy)
    try:
        assert _databases(db_url) == before | {kept}
        with services.db.reading() as s:
            names = set(s.scalars(select(User.username)))
        assert "sau_sao_luu" not in names and "canbo" in names
        with psycopg.connect(db_url.rsplit("/", 1)[0] + f"/{kept}") as old:
            assert old.execute("SELECT count(*) FROM users WHERE username = 'sau_sao_luu'").fetchone() == (1,)
    finally:
        services.close()
        _drop(db_url, kept)
