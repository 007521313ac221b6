"""``restore`` killed with SIGKILL at random moments: afterwards the database is either the old one (with the
commits that were only in its WAL) or the restored one, it passes integrity_check, and every safety copy made
so far is still there and intact."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.store.restore import SAFETY_INFIX

KILLS = 24
pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]


def _execute(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _marker_sql(name: str) -> str:
    return ("INSERT INTO users (username, full_name, title, role, password_hash, active, failed_logins, created_at,"
            f" version) VALUES ('{name}', '', '', 'staff', 'x', 1, 0, '2026-01-01', 1)")


def _fill(path: Path, rows: int) -> None:
    """Some megabytes of extra pages, so the kills land in every step of the restore, not only at start-up."""
    _execute(path, "CREATE TABLE ballast (data BLOB)",
             f"INSERT INTO ballast SELECT randomblob(8000) FROM generate_series(1, {rows})"
             if sqlite3.sqlite_version_info >= (3, 46) else
             f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) "
             "INSERT INTO ballast SELECT randomblob(8000) FROM n")


def _set_old(live: Path, old: Path) -> None:
    """The live database in its old state, with one commit still only in its WAL (its writer died)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(old, live)
    code = (f"import sqlite3, os; c = sqlite3.connect({str(live)!r}); c.execute('PRAGMA journal_mode=WAL'); "
            f"c.execute({_marker_sql('chi_trong_wal')!r}); c.commit(); os._exit(0)")
    subprocess.run([sys.executable, "-c", code], check=True)


def _state(path: Path) -> tuple[str, str]:
    """(integrity_check, "old" / "restored" / what else) of a database, opened as the next start would."""
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        users = {r[0] for r in conn.execute("SELECT username FROM users")}
    finally:
        conn.close()
    if {"cu", "chi_trong_wal"} <= users and "sao_luu" not in users:
        return integrity, "old"
    if "sao_luu" in users and not users & {"cu", "chi_trong_wal"}:
        return integrity, "restored"
    return integrity, f"mixed: {sorted(users)}"


def test_restore_survives_sigkill_at_random_moments(tmp_path: Path, sqlite_templates: dict[bool, Path]) -> None:
    folder = tmp_path / "du-lieu"
    folder.mkdir()
    old, backup, live = tmp_path / "cu.sqlite3", tmp_path / "sao-luu.sqlite3", folder / "khuyencong.sqlite3"
    for path, marker in ((old, "cu"), (backup, "sao_luu")):
        shutil.copyfile(sqlite_templates[True], path)
        _execute(path, _marker_sql(marker))
        _fill(path, 2500)
    env = dict(os.environ, KHUYENCONG_PASSWORD="matkhau123", KHUYENCONG_DATA_DIR=str(tmp_path / "app"))
    command = [sys.executable, "-m", "desktop_app", "--db", f"sqlite:///{live}", "--user", "quantri", "restore",
               str(backup), "--yes"]

    def started() -> subprocess.Popen[bytes]:
        return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def until_restoring(process: subprocess.Popen[bytes]) -> float:
        """Wait until the restore's temporary file appears (the restore proper begins); returns when."""
        mine = folder / f".khuyencong.khoi-phuc-{process.pid}.tmp"
        while not mine.exists() and process.poll() is None:
            time.sleep(0.002)
        return time.monotonic()

    # Time one whole restore from the moment its temporary file appears, to aim the kills at that span.
    _set_old(live, old)
    process = started()
    began = until_restoring(process)
    assert process.wait() == 0
    span = time.monotonic() - began
    assert _state(live) == ("ok", "restored")

    rng = random.Random(os.getpid())
    copies: dict[Path, bytes] = {p: p.read_bytes() for p in folder.glob(f"*.{SAFETY_INFIX}-*")}
    outcomes = {"old": 0, "restored": 0}
    for trial in range(KILLS):
        _set_old(live, old)
        process = started()
        if trial % 8 == 7:
            delay = rng.uniform(0.05, 1.0)  # now and then during start-up and sign-in
            time.sleep(delay)
        else:
            delay = rng.uniform(0, 1.1 * span)
            until_restoring(process)
            time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        integrity, state = _state(live)
        assert integrity == "ok", f"kill {trial} after {delay:.2f} s: {integrity}"
        assert state in outcomes, f"kill {trial} after {delay:.2f} s: {state}"
        outcomes[state] += 1
        now = {p: p for p in folder.glob(f"*.{SAFETY_INFIX}-*")}
        assert set(copies) <= set(now), "a safety copy disappeared"
        for path, data in copies.items():
            assert path.read_bytes() == data, f"safety copy {path.name} changed"
        for path in set(now) - set(copies):
            assert _state(path) == ("ok", "old"), f"new safety copy {path.name} is incomplete"
            copies[path] = path.read_bytes()
    # The next restore clears what the killed ones left behind.
    _set_old(live, old)
    assert started().wait() == 0 and _state(live) == ("ok", "restored")
    assert not list(folder.glob(".*.tmp")), "temporary files of killed restores were not cleared"
    print(f"{KILLS} kills: {outcomes}, {len(copies)} safety copies; restore proper {span:.2f} s")
    assert sum(outcomes.values()) == KILLS >= 20
