"""Telling every desk that data changed: ``NOTIFY`` on PostgreSQL, a change counter on SQLite.

Sending: :func:`install` hooks a session factory so that every flush notes which rows of which tables were
inserted, updated or deleted; just before the unit of work commits, :func:`send_pending` sends one
``pg_notify`` *in the same transaction* — PostgreSQL delivers it only if and when the change commits, so no desk
hears of a change that was rolled back.

Receiving: a :class:`ChangeListener` thread holds its own connection. On PostgreSQL it ``LISTEN``s and hands each
notification (which tables, which ids, who, when) to a callback within a fraction of a second. On SQLite (one file
on one machine) it polls ``PRAGMA data_version``, which moves whenever another connection commits to the file:
the callback then gets a :class:`Change` with no tables, meaning "anything may have changed".
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

log = logging.getLogger(__name__)

CHANNEL = "khuyencong_changes"
PENDING_KEY = "khuyencong_changed_rows"
WHOLE_TABLES_KEY = "khuyencong_changed_tables"
# A statement carrying this execution option is not announced (the presence heartbeat: noise, not news).
SILENT = "khuyencong_silent"
ACTOR_KEY = "khuyencong_actor"
# NOTIFY payloads are limited to 8000 bytes: past this many ids per table only the table is named.
MAX_IDS_PER_TABLE = 200
POLL_SECONDS = 1.0
# Told apart from other processes' changes, so a desk need not react to what it just did itself.
PROCESS_TOKEN = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Change:
    """One committed unit of work seen from another connection.

    ``tables`` maps a table name to the ids changed in it (empty tuple: some rows, ids not known); an empty
    mapping means "anything may have changed" (the SQLite counter). ``by`` is the acting user's login name.
    """

    tables: dict[str, tuple[int, ...]] = field(default_factory=dict)
    by: str = ""
    at: datetime | None = None
    own: bool = False

    def touches(self, table: str, row_id: int | None = None) -> bool:
        if not self.tables:
            return True
        if table not in self.tables:
            return False
        ids = self.tables[table]
        return row_id is None or not ids or row_id in ids


# --- sending ----------------------------------------------------------------------------------------------------


def install(sessions: sessionmaker[Session]) -> None:
    """Note the rows each flush changes, and the tables bulk statements change, on every session of this factory."""
    event.listen(sessions, "after_flush", _note_flushed_rows)
    event.listen(sessions, "do_orm_execute", _note_statement)


def _note_statement(state: ORMExecuteState) -> None:
    """``session.execute(insert/update/delete …)`` (imports, bulk changes): the table, ids unknown."""
    if not (state.is_insert or state.is_update or state.is_delete) or state.execution_options.get(SILENT):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if isinstance(table, str):
        state.session.info.setdefault(WHOLE_TABLES_KEY, set()).add(table)


def _note_flushed_rows(session: Session, _context: Any) -> None:
    pending: dict[str, set[int]] = session.info.setdefault(PENDING_KEY, {})
    for obj in [*session.new, *session.deleted, *(o for o in session.dirty if session.is_modified(o))]:
        table = getattr(obj, "__tablename__", None)
        if table is None:
            continue
        ids = pending.setdefault(table, set())
        row_id = getattr(obj, "id", None)
        if isinstance(row_id, int):
            ids.add(row_id)


def note_actor(session: Session, username: str) -> None:
    """Who the unit of work acts for (named in the notification)."""
    session.info[ACTOR_KEY] = username


def payload_of(pending: dict[str, set[int]], by: str, at: datetime) -> str:
    tables = {t: sorted(ids) if len(ids) <= MAX_IDS_PER_TABLE else [] for t, ids in pending.items()}
    data = {"t": tables, "by": by, "at": at.isoformat(timespec="seconds"), "p": PROCESS_TOKEN}
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if len(encoded.encode()) > 7000:
        data["t"] = {t: [] for t in tables}
        encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return encoded


def send_pending(session: Session) -> None:
    """Send the noted changes with ``pg_notify`` inside the session's transaction (PostgreSQL only)."""
    session.flush()  # what commit would flush is noted too
    pending: dict[str, set[int]] = session.info.pop(PENDING_KEY, {})
    for table in session.info.pop(WHOLE_TABLES_KEY, set()):
        pending[table] = set(range(MAX_IDS_PER_TABLE + 1))  # more than can be named: "some rows of this table"
    by = session.info.pop(ACTOR_KEY, "")
    if not pending or session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": CHANNEL, "payload": payload_of(pending, by, datetime.now())})


def parse_payload(payload: str) -> Change:
    try:
        data = json.loads(payload)
        tables = {str(t): tuple(int(i) for i in ids) for t, ids in dict(data.get("t", {})).items()}
        at = datetime.fromisoformat(data["at"]) if data.get("at") else None
        return Change(tables, str(data.get("by", "")), at, data.get("p") == PROCESS_TOKEN)
    except (ValueError, TypeError, KeyError, AttributeError):
        log.warning("unreadable change notification: %.200s", payload)
        return Change()


# --- receiving --------------------------------------------------------------------------------------------------


class ChangeListener:
    """A daemon thread that calls ``callback(change)`` (on that thread) for every change committed elsewhere."""

    def __init__(self, engine: Engine, callback: Callable[[Change], None], poll_seconds: float = POLL_SECONDS) -> None:
        self._url = engine.url
        self._callback = callback
        self._poll = poll_seconds
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="khuyencong-changes", daemon=True)

    def start(self, wait_seconds: float = 5.0) -> ChangeListener:
        """Start listening; returns once the listening connection is open (or ``wait_seconds`` have passed)."""
        self._thread.start()
        self._ready.wait(wait_seconds)
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=self._poll * 3 + 1)

    @property
    def listening(self) -> bool:
        return self._ready.is_set() and self._thread.is_alive()

    def _run(self) -> None:
        backoff = 1.0
        while not self._stop.is_set():
            try:
                if self._url.get_backend_name() == "sqlite":
                    self._poll_sqlite()
                else:
                    self._listen_postgresql()
                return
            except Exception as exc:  # the server went away: try again, a little later each time
                log.warning("change listener lost its connection (%s); retrying in %.0f s", exc, backoff)
                self._ready.clear()
                if self._stop.wait(backoff):
                    return
                backoff = min(backoff * 2, 30.0)

    def _listen_postgresql(self) -> None:
        import psycopg  # the PostgreSQL driver is optional (and ~0.5 s): only a server listens

        url = make_url(self._url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self._ready.set()
            while not self._stop.is_set():
                for notify in conn.notifies(timeout=self._poll):
                    self._deliver(parse_payload(notify.payload))
                    if self._stop.is_set():
                        break

    def _poll_sqlite(self) -> None:
        database = self._url.database
        if not database or database == ":memory:":
            self._ready.set()
            return
        conn = sqlite3.connect(database, timeout=10, check_same_thread=False)
        try:
            last = conn.execute("PRAGMA data_version").fetchone()[0]
            self._ready.set()
            while not self._stop.wait(self._poll):
                now = conn.execute("PRAGMA data_version").fetchone()[0]
                if now != last:
                    last = now
                    self._deliver(Change(at=datetime.now()))
        finally:
            conn.close()

    def _deliver(self, change: Change) -> None:
        try:
            self._callback(change)
        except Exception:  # a broken receiver must not stop the listening
            log.exception("change callback failed")
