"""Restoring a SQLite backup: bad backups are refused before anything is touched, a held database is refused
naming the holder, every restore leaves a new safety copy with the WAL's commits in it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from desktop_app.domain.errors import BusyError, DatabaseVersionError, UserError
from desktop_app.store.migrate import known_revisions
from desktop_app.store.restore import SAFETY_INFIX, restore_sqlite


def _users(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT username FROM users")}
    finally:
        conn.close()


def _add_user(path: Path, name: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO users (username, full_name, title, role, password_hash, active, failed_logins, "
                 "created_at, version) VALUES (?, '', '', 'staff', 'x', 1, 0, '2026-01-01', 1)", (name,))
    conn.commit()
    conn.close()


def commit_and_die(path: Path, name: str) -> None:
    """A process that commits into the WAL and dies without checkpointing (the commit lives only in -wal)."""
    code = (f"import sqlite3, os; c = sqlite3.connect({str(path)!r}); c.execute('PRAGMA journal_mode=WAL'); "
            "c.execute(\"INSERT INTO users (username, full_name, title, role, password_hash, active, "
            f"failed_logins, created_at, version) VALUES ({name!r}, '', '', 'staff', 'x', 1, 0, '2026-01-01', 1)\"); "
            "c.commit(); os._exit(0)")
    subprocess.run([sys.executable, "-c", code], check=True)
    assert Path(f"{path}-wal").stat().st_size > 0


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def pair(tmp_path: Path, sqlite_templates: dict[bool, Path]) -> tuple[Path, Path]:
    """The live database (with a user "cu") and a backup of it (with a user "sao_luu" instead)."""
    live, backup = tmp_path / "khuyencong.sqlite3", tmp_path / "sao-luu" / "ban-sao.sqlite3"
    backup.parent.mkdir()
    shutil.copyfile(sqlite_templates[True], live)
    shutil.copyfile(sqlite_templates[True], backup)
    _add_user(live, "cu")
    _add_user(backup, "sao_luu")
    return live, backup


def _safety_copies(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*.{SAFETY_INFIX}-*"))


def test_restore_keeps_wal_commits_in_a_new_safety_copy_each_time(pair: tuple[Path, Path]) -> None:
    live, backup = pair
    commit_and_die(live, "chi_trong_wal")
    result = restore_sqlite(backup, live, known_revisions())
    assert "sao_luu" in _users(live) and "cu" not in _users(live)
    assert result.safety_copy is not None and _users(result.safety_copy) >= {"cu", "chi_trong_wal"}
    assert _integrity(live) == "ok" and _integrity(result.safety_copy) == "ok"
    # A second restore makes a second copy; the first, the only one holding "chi_trong_wal", stays.
    second = restore_sqlite(backup, live, known_revisions())
    assert second.safety_copy != result.safety_copy
    assert _safety_copies(live.parent) == sorted([result.safety_copy, second.safety_copy])
    assert "chi_trong_wal" in _users(result.safety_copy)
    assert not list(live.parent.glob(".*.tmp")), "temporary files left behind"


def _garbage_backups(folder: Path, sqlite_templates: dict[bool, Path]) -> dict[str, Path]:
    files = {}

    def put(name: str, data: bytes) -> None:
        files[name] = folder / name
        files[name].write_bytes(data)

    put("rac.sqlite3", os.urandom(8192))
    put("rong.sqlite3", b"")
    put("van-ban.txt", "Không phải cơ sở dữ liệu\n".encode() * 100)
    with zipfile.ZipFile(folder / "bang.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    files["bang.xlsx"] = folder / "bang.xlsx"
    template = sqlite_templates[True].read_bytes()
    put("cat-doi.sqlite3", template[: len(template) // 3])
    damaged = bytearray(template)
    for offset in range(4096 * 3, len(damaged), 4096 * 7):  # scribble over pages of the tables
        damaged[offset + 100: offset + 400] = os.urandom(300)
    put("hong-trang.sqlite3", bytes(damaged))
    other = folder / "chuong-trinh-khac.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    files["chuong-trinh-khac.sqlite3"] = other
    files["thu-muc"] = folder / "thu-muc"
    files["thu-muc"].mkdir()
    files["khong-co.sqlite3"] = folder / "khong-co.sqlite3"
    return files


def test_bad_backups_are_refused_before_anything_changes(pair: tuple[Path, Path], tmp_path: Path,
                                                         sqlite_templates: dict[bool, Path]) -> None:
    live, _ = pair
    before = live.read_bytes()
    bad = _garbage_backups(tmp_path / "sao-luu", sqlite_templates)
    newer = tmp_path / "sao-luu" / "moi-hon.sqlite3"
    shutil.copyfile(sqlite_templates[True], newer)
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    for name, path in bad.items():
        with pytest.raises(UserError) as refused:
            restore_sqlite(path, live, known_revisions())
        assert refused.value.message and "Traceback" not in refused.value.message, name
    with pytest.raises(DatabaseVersionError, match="mới hơn"):
        restore_sqlite(newer, live, known_revisions())
    with pytest.raises(UserError, match="chính là cơ sở dữ liệu đang dùng"):
        restore_sqlite(live, live, known_revisions())
    assert live.read_bytes() == before and not _safety_copies(live.parent)
    assert not list(live.parent.glob(".*.tmp"))


def test_a_database_held_by_another_process_is_refused_with_its_pid(pair: tuple[Path, Path]) -> None:
    live, backup = pair
    holder = subprocess.Popen([sys.executable, "-c", f"import sqlite3, time; c = sqlite3.connect({str(live)!r}); "
                               "c.execute('PRAGMA journal_mode=WAL'); c.execute('SELECT 1 FROM users').fetchall(); "
                               "print('ready', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(BusyError, match="đang được một chương trình khác mở") as refused:
            restore_sqlite(backup, live, known_revisions())
        if sys.platform.startswith("linux"):
            assert str(holder.pid) in refused.value.message
        assert refused.value.exit_code == 3
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert "cu" in _users(live) and not _safety_copies(live.parent)
    assert restore_sqlite(backup, live, known_revisions()).safety_copy is not None  # once it is closed: fine
