"""Changes reach other connections: NOTIFY in the committing transaction (PostgreSQL), the counter (SQLite)."""

from __future__ import annotations

import queue
from datetime import datetime

from factories import Actors, make_proposal

from desktop_app.services.context import Services
from desktop_app.store import changes
from desktop_app.store.changes import Change

WAIT = 3.0


def _collect(services: Services) -> tuple[queue.Queue[Change], changes.ChangeListener]:
    received: queue.Queue[Change] = queue.Queue()
    listener = services.changes.listen(received.put)
    assert listener.listening
    return received, listener


def test_a_committed_change_is_heard(services: Services, people: Actors) -> None:
    received, listener = _collect(services)
    try:
        d = make_proposal(services, people.staff)
        change = received.get(timeout=WAIT)
        if services.changes.instant:  # PostgreSQL: which rows, who, when
            while not change.touches("proposals", d.id):
                change = received.get(timeout=WAIT)
            assert change.by == "canbo" and change.own
            assert isinstance(change.at, datetime)
            assert not change.touches("users")
        else:  # SQLite: "something changed"
            assert change.tables == {} and change.touches("proposals", d.id)
    finally:
        listener.stop()
    assert not listener.listening


def test_a_rolled_back_change_is_not_heard(services: Services, people: Actors) -> None:
    received, listener = _collect(services)
    try:
        try:
            with services.db.transaction() as s:
                from desktop_app.store.models import AuditEntry

                s.add(AuditEntry(user_id=None, username="", action="thu", entity="none", entity_id=None))
                s.flush()
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
        try:
            change = received.get(timeout=1.5)
        except queue.Empty:
            change = None
        assert change is None
    finally:
        listener.stop()


def test_payload_round_trip_and_size_limit() -> None:
    at = datetime(2026, 6, 1, 9, 30)
    text = changes.payload_of({"proposals": {3, 1}, "budget_lines": set(range(1000))}, "canbo", at)
    change = changes.parse_payload(text)
    assert change.tables == {"proposals": (1, 3), "budget_lines": ()}
    assert change.touches("budget_lines", 999) and change.touches("proposals", 3)
    assert not change.touches("proposals", 2)
    assert change.by == "canbo" and change.at == at and change.own
    assert changes.parse_payload("{không phải json") == Change()


def test_bulk_statements_name_their_table(services: Services) -> None:
    """An import's ``insert(table)`` is announced by table (ids unknown); a silent statement is not."""
    if not services.changes.instant:
        return
    from sqlalchemy import update

    from desktop_app.store.models import AppSetting

    received, listener = _collect(services)
    try:
        with services.db.transaction() as s:
            s.execute(update(AppSetting).where(AppSetting.key == "khong-co").values(value="x"))
        change = received.get(timeout=WAIT)
        assert change.tables == {"app_settings": ()} and change.touches("app_settings", 123)
        with services.db.transaction() as s:
            s.execute(update(AppSetting).where(AppSetting.key == "khong-co").values(value="y")
                      .execution_options(**{changes.SILENT: True}))
        try:
            extra = received.get(timeout=1.5)
        except queue.Empty:
            extra = None
        assert extra is None
    finally:
        listener.stop()
