"""Contention gets words, not tracebacks: a bounded wait for a lock then a BusyError, a lost deadlock run
again, and distinct exit codes on the command line (3 busy or conflict)."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from factories import actors, establishment_input, make_establishment
from sqlalchemy import func, select, update

from desktop_app.domain.errors import BusyError, ConflictError, UserError
from desktop_app.launcher import main
from desktop_app.services.context import open_services
from desktop_app.store import database
from desktop_app.store.database import with_retries
from desktop_app.store.models import Establishment, User


def _count(services, model) -> int:
    with services.db.reading() as s:
        return s.scalar(select(func.count(model.id))) or 0


def test_a_long_write_elsewhere_gives_a_busy_message_on_sqlite(sqlite_url: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    services, _ = open_services(sqlite_url)
    staff = actors(services).staff
    before = _count(services, Establishment)
    writer = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a long import or demo run holds the write lock
    try:
        with pytest.raises(BusyError, match="Dữ liệu đang bận") as busy:
            services.establishments.create(staff, establishment_input())
        assert busy.value.exit_code == 3
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _count(services, Establishment) == before
    services.establishments.create(staff, establishment_input())  # once it is done: fine
    services.close()


def test_the_command_line_says_busy_with_exit_code_3(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "matkhau123")
    monkeypatch.setenv("KHUYENCONG_NEW_PASSWORD", "matkhau456")
    main(["--db", sqlite_url, "--user", "quantri", "user", "list"])  # signed in once: the file is migrated
    capsys.readouterr()
    writer = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        code = main(["--db", sqlite_url, "--user", "quantri", "user", "add", "moi", "--role", "staff"])
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    err = capsys.readouterr().err
    assert code == 3 and "Dữ liệu đang bận" in err and "Traceback" not in err


def test_exit_codes_are_distinct() -> None:
    assert UserError("x").exit_code == 2
    assert ConflictError("x").exit_code == 3 and BusyError("x").exit_code == 3


def _pg_only(url: str) -> None:
    if not url.startswith("postgresql"):
        pytest.skip("row locks and deadlocks: PostgreSQL")


def test_a_held_row_lock_gives_a_busy_message_on_postgresql(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _pg_only(db_url)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    services, _ = open_services(db_url)
    staff = actors(services).staff
    eid = make_establishment(services, staff)
    detail = services.establishments.get(staff, eid)
    holder = services.db.engine.connect()
    holder.execute(select(Establishment.id).where(Establishment.id == eid).with_for_update())
    try:
        with pytest.raises(BusyError, match="Dữ liệu đang bận"):
            services.establishments.set_archived(staff, eid, True, detail.version)
    finally:
        holder.rollback()
        holder.close()
    assert services.establishments.get(staff, eid).archived is False
    services.close()


def test_a_deadlock_is_run_again_then_reported(db_url: str) -> None:
    """Two writers taking the same rows in opposite orders: PostgreSQL kills one, which runs again."""
    _pg_only(db_url)
    services, _ = open_services(db_url)
    staff = actors(services).staff
    first, second = make_establishment(services, staff), make_establishment(services, staff)
    deadlocks: list[int] = []

    def writer(order: tuple[int, int], barrier: threading.Barrier, attempts: int, results: list[object]) -> None:
        runs = 0

        def work() -> str:
            nonlocal runs
            runs += 1
            with services.db.transaction() as s:
                s.execute(update(Establishment).where(Establishment.id == order[0]).values(workers=runs))
                if runs == 1:
                    barrier.wait(timeout=10)  # both hold their first row: the second updates cross
                s.execute(update(Establishment).where(Establishment.id == order[1]).values(workers=runs))
            return "ok"

        try:
            results.append(with_retries(work, attempts=attempts))
        except BusyError as exc:
            results.append(exc)
        deadlocks.append(runs - 1)

    for attempts, expect_error in ((4, False), (1, True)):
        barrier = threading.Barrier(2)
        results: list[object] = []
        threads = [threading.Thread(target=writer, args=(order, barrier, attempts, results))
                   for order in ((first, second), (second, first))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        errors = [r for r in results if isinstance(r, BusyError)]
        if expect_error:
            assert len(errors) == 1 and "vướng nhau" in errors[0].message
        else:
            assert results == ["ok", "ok"]
    assert sum(deadlocks) >= 1
    services.close()


def test_parallel_edits_of_one_record_end_in_a_conflict(db_url: str) -> None:
    services, _ = open_services(db_url)
    people = actors(services)
    eid = make_establishment(services, people.staff)
    version = services.establishments.get(people.staff, eid).version
    outcomes: list[str] = []

    def edit(n: int) -> None:
        try:
            services.establishments.update(people.staff, eid, establishment_input(name=f"Cơ sở sửa {n}"), version)
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")
        except BusyError:
            outcomes.append("busy")

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("saved") == 1 and len(outcomes) == 6, outcomes
    with services.db.reading() as s:
        assert s.scalar(select(User.id).limit(1)) is not None
    services.close()

