"""Presence: entering, seeing the others, the heartbeat, leaving, and a stopped heartbeat expiring."""

from __future__ import annotations

import queue
from datetime import timedelta

from factories import Actors, make_proposal
from sqlalchemy import update

from desktop_app.services.context import Services
from desktop_app.services.presence import EXPIRY
from desktop_app.store.base import utcnow
from desktop_app.store.models import Presence


def test_enter_see_others_leave(services: Services, people: Actors) -> None:
    pid = make_proposal(services, people.staff).id
    mine = services.presence.enter(people.staff, "proposal", pid)
    assert services.presence.others(mine, "proposal", pid) == []
    theirs = services.presence.enter(people.manager, "proposal", pid)
    seen = services.presence.others(mine, "proposal", pid)
    assert [(p.username, p.display_name) for p in seen] == [("lanhdao", "Phạm Văn Lãnh")]
    assert [p.username for p in services.presence.others(theirs, "proposal", pid)] == ["canbo"]
    assert services.presence.others(mine, "proposal", pid + 1) == []
    services.presence.leave(theirs)
    assert services.presence.others(mine, "proposal", pid) == []
    services.presence.leave(theirs)  # leaving twice is harmless


def test_a_stopped_heartbeat_expires_and_a_beat_keeps_it(services: Services, people: Actors) -> None:
    pid = make_proposal(services, people.staff).id
    mine = services.presence.enter(people.staff, "proposal", pid)
    theirs = services.presence.enter(people.manager, "proposal", pid)
    with services.db.transaction() as s:
        s.execute(update(Presence).values(heartbeat_at=utcnow() - EXPIRY - timedelta(seconds=1)))
    assert services.presence.others(mine, "proposal", pid) == []
    services.presence.beat(theirs)
    assert [p.username for p in services.presence.others(mine, "proposal", pid)] == ["lanhdao"]


def test_entering_is_heard_but_the_heartbeat_is_not(services: Services, people: Actors) -> None:
    if not services.changes.instant:
        return  # the SQLite counter cannot tell one table from another
    pid = make_proposal(services, people.staff).id
    received: queue.Queue[object] = queue.Queue()
    listener = services.changes.listen(received.put)
    try:
        token = services.presence.enter(people.manager, "proposal", pid)
        change = received.get(timeout=3)
        assert getattr(change, "tables", {}).keys() == {"presence"}
        services.presence.beat(token)
        try:
            extra = received.get(timeout=1.5)
        except queue.Empty:
            extra = None
        assert extra is None
    finally:
        listener.stop()
