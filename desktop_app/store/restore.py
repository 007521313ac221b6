"""Putting a SQLite backup back in place without any moment where data can be lost.

The order is what makes it safe against a crash, a kill or Ctrl+C at any instant:

1. The backup is copied (SQLite backup API, so a ``-wal`` beside it counts) into a temporary file in the live
   database's folder and checked there: integrity, the program's tables, a schema this program knows. A bad
   backup is refused before anything of the live database is touched.
2. The live database is taken for this process alone: switching it out of WAL mode needs every other connection
   gone, so a program still holding it is named in the refusal; the switch also folds the WAL into the file.
   From then on an exclusive lock keeps everyone out until the end.
3. The live database is copied, under that lock, to a new time-stamped safety copy (written under a temporary
   name, flushed to disk, then given its name; an existing copy is never overwritten).
4. The checked backup is written into the live database through the backup API in one SQLite transaction with
   a rollback journal and ``synchronous=FULL``: until its commit the old database is what a reader (or the next
   start after a crash) finds, after it the restored one. The file keeps its inode, so a process that opened it
   while waiting for the lock reads the restored data instead of writing into a replaced file.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop_app.domain.errors import BusyError, DatabaseVersionError, UserError

REQUIRED_TABLES = frozenset({"alembic_version", "users", "establishments", "proposals", "audit_entries"})
SAFETY_INFIX = "truoc-khoi-phuc"
_TEMP_PATTERN = re.compile(r"^\.(?P<stem>.+)\.(?:khoi-phuc|an-toan)-(?P<pid>\d+)\.tmp$")


@dataclass(frozen=True)
class RestoreResult:
    target: Path
    safety_copy: Path | None
    revision: str


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where directories cannot be opened, i.e. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale_temporaries(folder: Path, stem: str) -> None:
    """Delete temporary files an interrupted restore left behind (their process is gone)."""
    for path in folder.glob(f".{stem}.*.tmp"):
        m = _TEMP_PATTERN.match(path.name)
        if m and m["stem"] == stem and not _pid_alive(int(m["pid"])):
            path.unlink(missing_ok=True)


def holders_of(path: Path) -> list[str]:
    """Other processes that have ``path`` (or its -wal/-shm) open, as "pid (command)"; Linux only, else empty."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    wanted = {str(path.resolve()), f"{path.resolve()}-wal", f"{path.resolve()}-shm"}
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            links = {os.readlink(fd) for fd in (entry / "fd").iterdir()}
        except OSError:
            continue
        if links & wanted:
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            except OSError:
                command = ""
            found.append(f"{entry.name} ({command[:80]})" if command else entry.name)
    return sorted(found)


@contextlib.contextmanager
def _connect(target: str, uri: bool = False) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(target, uri=uri, isolation_level=None, timeout=0)
    try:
        yield conn
    finally:
        conn.close()


def check_backup(conn: sqlite3.Connection, name: str, known_revisions: set[str]) -> str:
    """Check a copied backup: integrity, the program's tables, a schema revision this program knows.

    Returns the schema revision. Raises UserError / DatabaseVersionError saying what is wrong.
    """
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise UserError(f"Tệp “{name}” không phải bản sao lưu cơ sở dữ liệu SQLite ({exc}).") from exc
    if problems != ["ok"]:
        raise UserError(f"Bản sao lưu “{name}” bị hỏng ({'; '.join(problems)[:300]}); không khôi phục.")
    if not REQUIRED_TABLES <= tables:
        raise UserError(f"Tệp “{name}” không phải bản sao lưu của chương trình quản lý khuyến công.")
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = row[0] if row else ""
    if revision not in known_revisions:
        raise DatabaseVersionError(
            f"Bản sao lưu “{name}” được tạo bởi phiên bản mới hơn của chương trình (phiên bản CSDL “{revision}”); "
            "hãy cài phiên bản chương trình mới hơn. Cơ sở dữ liệu hiện tại chưa bị thay đổi.")
    broken = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
    if broken:
        raise UserError(f"Bản sao lưu “{name}” có dữ liệu tham chiếu hỏng (bảng {broken[0][0]}); không khôi phục.")
    return revision


def _copy_checked(source: Path, temp: Path, known_revisions: set[str]) -> str:
    """Copy ``source`` into ``temp`` (WAL included), check the copy and flush it to disk; returns its revision."""
    if not source.exists():
        raise UserError(f"Không có tệp “{source}”.")
    if not source.is_file():
        raise UserError(f"“{source}” là thư mục, không phải tệp sao lưu.")
    try:
        with _connect(f"file:{source.resolve().as_posix()}?mode=ro", uri=True) as src, _connect(str(temp)) as dst:
            src.backup(dst)
    except sqlite3.DatabaseError as exc:
        raise UserError(f"Tệp “{source.name}” không phải bản sao lưu cơ sở dữ liệu SQLite ({exc}).") from exc
    with _connect(str(temp)) as conn:
        revision = check_backup(conn, source.name, known_revisions)
        # The copy goes in with a rollback journal; the program switches back to WAL when it next opens it.
        conn.execute("PRAGMA journal_mode=DELETE")
    fsync_file(temp)
    return revision


def _take_exclusive(target: Path) -> sqlite3.Connection:
    """A connection holding ``target`` for this process alone (WAL folded in), or BusyError naming the holders."""
    conn = sqlite3.connect(str(target), isolation_level=None, timeout=2)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")  # in exclusive locking mode the lock stays until the connection closes
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise UserError(f"Không mở được cơ sở dữ liệu {target} để khôi phục ({exc}).") from exc
        who = holders_of(target)
        detail = f" (tiến trình {', '.join(who)})" if who else ""
        raise BusyError(
            f"Cơ sở dữ liệu {target} đang được một chương trình khác mở{detail}. Hãy đóng chương trình quản lý "
            "khuyến công ở mọi cửa sổ và chờ các lệnh khác chạy xong rồi khôi phục lại; chưa có gì bị thay đổi."
        ) from exc
    return conn


def _safety_name(target: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = target.with_name(f"{target.stem}.{SAFETY_INFIX}-{stamp}{target.suffix}")
    n = 2
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}.{SAFETY_INFIX}-{stamp}-{n}{target.suffix}")
        n += 1
    return candidate


def _safety_copy(live: sqlite3.Connection, target: Path) -> Path:
    """Copy the (locked) live database to a new time-stamped file; never overwrites an existing one."""
    temp = target.with_name(f".{target.stem}.an-toan-{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    with _connect(str(temp)) as out:
        live.backup(out)
        out.execute("PRAGMA journal_mode=DELETE")
    fsync_file(temp)
    while True:
        final = _safety_name(target)
        try:
            os.link(temp, final)  # fails instead of replacing a copy made in the same second
        except FileExistsError:
            continue
        except OSError:
            if final.exists():
                continue
            os.replace(temp, final)
        break
    temp.unlink(missing_ok=True)
    fsync_dir(target.parent)
    return final


def restore_sqlite(source: Path, target: Path, known_revisions: set[str]) -> RestoreResult:
    """Replace the SQLite database ``target`` by the backup ``source``, keeping a safety copy of ``target``.

    Raises:
        UserError: the backup is missing, not a database, damaged, or not this program's; or it is the live file.
        DatabaseVersionError: the backup comes from a newer program.
        BusyError: another process has the live database open.
    """
    target = target.resolve()
    folder = target.parent
    if not folder.is_dir():
        raise UserError(f"Không có thư mục {folder} của cơ sở dữ liệu.")
    if source.exists() and target.exists() and source.resolve() == target:
        raise UserError("Tệp sao lưu chính là cơ sở dữ liệu đang dùng; hãy chọn một bản sao lưu khác.")
    remove_stale_temporaries(folder, target.stem)
    temp = folder / f".{target.stem}.khoi-phuc-{os.getpid()}.tmp"
    temp.unlink(missing_ok=True)
    try:
        revision = _copy_checked(source, temp, known_revisions)
        had_data = target.exists() and target.stat().st_size > 0
        live = _take_exclusive(target)
        try:
            safety = _safety_copy(live, target) if had_data else None
            with _connect(str(temp)) as checked:
                checked.backup(live)
        finally:
            live.close()
        fsync_dir(folder)
    finally:
        temp.unlink(missing_ok=True)
    return RestoreResult(target, safety, revision)
