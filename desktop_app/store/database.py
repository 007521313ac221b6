"""Engine and session factory for a URL; one transaction per unit of work."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from desktop_app.domain.errors import BusyError, ConflictError
from desktop_app.store import changes, rights

log = logging.getLogger(__name__)
T = TypeVar("T")

# How long a statement waits for another user's lock before the user is told the data is busy.
BUSY_TIMEOUT_MS = 10_000
# How often work that lost a deadlock (or a serialization race) is run again before it is reported.
DEADLOCK_ATTEMPTS = 4


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite would open a transaction only at the first INSERT/UPDATE, so the reads that check a limit would run
    # outside it; the driver's own transaction handling is switched off and ``_sqlite_begin`` emits BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Several GUI/worker threads share one file: wait for a writer instead of failing at once.
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    # A page cache of 32 MiB instead of 2: a search as the user types revisits the same index and table pages at
    # each keystroke ("hop tac xa" over 100,000 names: 60 ms → 28 ms a page). Streams read once with the small
    # cache (``streaming_cache``), so an export of every row stays flat in memory.
    cursor.execute(f"PRAGMA cache_size={SQLITE_CACHE_KIB}")
    cursor.close()


SQLITE_CACHE_KIB = -32768  # negative: KiB, as SQLite reads it
SQLITE_STREAM_CACHE_KIB = -2000  # SQLite's default


@contextmanager
def streaming_cache(session: Session) -> Iterator[None]:
    """Inside the block, this session's SQLite connection keeps only SQLite's default page cache: a stream of every
    row (an export) reads each page once, and a large cache would only hold the whole table in memory."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    session.execute(text(f"PRAGMA cache_size={SQLITE_STREAM_CACHE_KIB}"))
    try:
        yield
    finally:
        session.execute(text(f"PRAGMA cache_size={SQLITE_CACHE_KIB}"))


def _sqlite_begin(conn: Any) -> None:
    """BEGIN IMMEDIATE for a unit of work: the write lock is taken before any check reads the rows it depends on,
    so two writers at once are serialised (the second waits up to busy_timeout); reads begin deferred."""
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def sqlite_pragma(conn: Connection, statement: str) -> list[Any]:
    """Run a PRAGMA outside any transaction (``foreign_keys`` is a no-op inside one) on the driver's connection."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        return list(cursor.execute(statement).fetchall())
    finally:
        cursor.close()


def busy_kind(exc: BaseException) -> str | None:
    """"locked" (waited for a lock in vain), "deadlock" (or a serialization race: running again helps), or None
    for any other error."""
    if not isinstance(exc, DBAPIError):
        return None
    code = getattr(exc.orig, "sqlstate", None)
    if code in ("40P01", "40001"):  # deadlock_detected, serialization_failure
        return "deadlock"
    if code in ("55P03", "57014"):  # lock_not_available (lock_timeout), query_canceled (statement_timeout)
        return "locked"
    text = str(exc.orig).lower()
    if "database is locked" in text or "database table is locked" in text or "database is busy" in text:
        return "locked"
    return None


def busy_error(kind: str) -> BusyError:
    seconds = BUSY_TIMEOUT_MS // 1000
    if kind == "deadlock":
        return BusyError("Dữ liệu đang được người khác sửa cùng lúc và sau vài lần thử vẫn vướng nhau; thay đổi của "
                         "bạn chưa được lưu. Hãy chờ một lát rồi làm lại.")
    return BusyError(f"Dữ liệu đang bận: một người dùng hoặc một lệnh khác (nhập Excel, tạo dữ liệu mẫu, sao lưu…) "
                     f"đang ghi và đã chờ {seconds} giây chưa xong; thay đổi của bạn chưa được lưu. Hãy chờ việc đó "
                     "xong rồi làm lại.")


def with_retries(work: Callable[[], T], attempts: int = DEADLOCK_ATTEMPTS) -> T:
    """Run ``work`` (a whole transaction) again when it lost a deadlock, a few times with a random pause.

    Raises:
        BusyError: still deadlocked after ``attempts`` runs, or a lock was waited for in vain.
    """
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except BusyError as exc:
            lost_a_deadlock = exc.__cause__ is not None and busy_kind(exc.__cause__) == "deadlock"
            if not lost_a_deadlock or attempt == attempts:
                raise
            log.info("deadlock, running the transaction again (%d/%d): %s", attempt, attempts, exc.__cause__)
            time.sleep(random.uniform(0.05, 0.2) * attempt)
    raise AssertionError("unreachable")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL and foreign keys, PostgreSQL the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and "poolclass" not in kwargs:
            # The connection used last is handed out next: its page cache holds what the last keystroke's search
            # read (first in, first out would rotate through the pool's connections, each with a cold cache).
            kwargs.setdefault("pool_use_lifo", True)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        # A bounded wait for row locks, like SQLite's busy timeout: a clear message instead of an endless wait.
        # And the driver prepares a statement run five times; PostgreSQL may then plan it once for any value. The
        # best plan of a search depends on the pattern ("hop tac xa" matches 15 % of the names, a rare word
        # 0.5 %); a search's page with bound values once took 1.56 s against 83 ms with the values written in.
        # Planning for the values costs about a millisecond. No JIT compilation: a report over five years of
        # proposals is costed above PostgreSQL's JIT threshold, and compiling it took 0.44 s of a 0.76 s query that
        # runs in 0.3 s without (the program's queries are many short ones, never long analytics).
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("options", f"-c lock_timeout={int(BUSY_TIMEOUT_MS)} "
                                           "-c plan_cache_mode=force_custom_plan -c jit=off")
        kwargs["connect_args"] = connect_args
    return create_engine(parsed, pool_pre_ping=True, **kwargs)


class Database:
    """The engine plus a session factory. ``transaction()`` is the unit of work used by every service call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=True)
        # Units of work on SQLite begin IMMEDIATE (``_sqlite_begin``): the connection asks for it, so the session
        # still begins at its first statement — after the call has stated the rights it needs.
        writer = engine.execution_options(sqlite_begin="IMMEDIATE") if engine.dialect.name == "sqlite" else engine
        self._write_sessions = sessionmaker(writer, expire_on_commit=False, autoflush=True)
        # The rights a service call announced are checked as the first statement of its transaction.
        for factory in (self._sessions, self._write_sessions):
            event.listen(factory, "after_begin", rights.verify_on_begin)
            changes.install(factory)  # which rows a unit of work changed, announced to other desks at commit

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(make_engine(url))

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Commit when the block ends normally, roll back on any exception; a lost update race → ConflictError."""
        session = self._write_sessions()
        try:
            yield session
            changes.send_pending(session)  # PostgreSQL: other desks hear of it when, and only if, it commits
            session.commit()
        except StaleDataError as exc:
            session.rollback()
            raise ConflictError(
                "Dữ liệu vừa được người khác thay đổi; thay đổi của bạn chưa được lưu. "
                "Hãy tải lại và nhập lại thay đổi."
            ) from exc
        except DBAPIError as exc:
            session.rollback()
            kind = busy_kind(exc)
            if kind is None:
                raise
            raise busy_error(kind) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only; nothing is committed."""
        session = self._sessions()
        try:
            yield session
        except DBAPIError as exc:
            kind = busy_kind(exc)
            if kind is None:
                raise
            raise busy_error(kind) from exc
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
