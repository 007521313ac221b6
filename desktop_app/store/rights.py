"""The acting user's rights, re-read from the database in the transaction of every service call.

A signed-in session keeps an ``Actor`` with the role it had at sign-in; an administrator may deactivate or
demote that account at any time. So a service call first states what it needs (``services.auth.require_role``
calls ``expect``), and the next session it opens checks it with one query by primary key as the first
statement of its transaction, before anything is read or written: the account must still exist, be active and
have the very role the session signed in with. Anything else ends the session (``RightsRevoked``).

The expectation lives in a context variable, so each thread (GUI worker, command) carries its own; it is taken
by the first session that begins, so a call's later sessions and other threads do not see it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import RightsRevoked
from desktop_app.store.models import User


@dataclass(frozen=True)
class Expectation:
    user_id: int
    username: str
    role: str
    doing: str


log = logging.getLogger(__name__)
_expected: ContextVar[Expectation | None] = ContextVar("expected_rights", default=None)
# Told of every refusal for revoked rights, from whichever thread: the GUI ends the session with it.
_listeners: list[Callable[[RightsRevoked], None]] = []


def add_listener(listener: Callable[[RightsRevoked], None]) -> None:
    _listeners.append(listener)


def remove_listener(listener: Callable[[RightsRevoked], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def expect(user_id: int, username: str, role: str, doing: str) -> None:
    """Have the next session of this thread verify that ``user_id`` is still active with ``role``."""
    _expected.set(Expectation(user_id, username, role, doing))


def forget() -> None:
    """Drop a pending expectation (a sign-in starts a new session with its own rights)."""
    _expected.set(None)


def refusal(found: Any, wanted: Expectation) -> RightsRevoked | None:
    """The error for an account row (``role``, ``active``) that no longer gives ``wanted``, else None; the
    listeners are told of it."""
    error = _revoked(found, wanted)
    if error is not None:
        for listener in list(_listeners):
            try:
                listener(error)
            except Exception:  # a listener's trouble must not replace the refusal itself
                log.exception("rights listener failed")
    return error


def _revoked(found: Any, wanted: Expectation) -> RightsRevoked | None:
    if found is None or not found.active:
        return RightsRevoked(
            f"Tài khoản “{wanted.username}” đã bị ngừng hoạt động nên không được {wanted.doing}; "
            "phiên làm việc kết thúc, hãy liên hệ quản trị hệ thống.", wanted.user_id)
    if found.role != wanted.role:
        now = Role(found.role).label if found.role in Role._value2member_map_ else found.role
        return RightsRevoked(
            f"Vai trò của tài khoản “{wanted.username}” đã đổi thành “{now}” nên không được {wanted.doing} "
            "theo quyền cũ; hãy đăng nhập lại.", wanted.user_id)
    return None


def verify_on_begin(_session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    """Session ``after_begin`` hook: check the pending expectation inside the transaction just begun."""
    wanted = _expected.get()
    if wanted is None:
        return
    _expected.set(None)
    found = connection.execute(select(User.role, User.active).where(User.id == wanted.user_id)).first()
    error = refusal(found, wanted)
    if error is not None:
        raise error
