"""Who is acting: the signed-in user, password hashing (Argon2id), login with lockout, role checks."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import AuthenticationError, PermissionDenied, RightsRevoked, ValidationError
from desktop_app.store import rights
from desktop_app.store.base import utcnow
from desktop_app.store.database import Database
from desktop_app.store.models import AuditEntry, User
from desktop_app.store.settings import get_int_setting

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class Actor:
    """The signed-in user, passed to every service call."""

    id: int
    username: str
    full_name: str
    role: Role

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


def hash_password(password: str) -> str:
    """Argon2id hash (memory-hard) of a password that meets the minimum length.

    Raises:
        ValidationError: the password is too short.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.", field="password")
    if not password.strip():
        raise ValidationError("Mật khẩu không được chỉ gồm khoảng trắng.", field="password")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def require_role(actor: Actor, *roles: Role, doing: str, now: Database | None = None) -> None:
    """Refuse unless ``actor`` has one of ``roles``; ``doing`` names the action in the message.

    The role the session signed in with is checked at once; the call's transaction then re-reads the account
    (``store.rights``) and refuses if it was deactivated or its role changed since sign-in. A call that works on
    files before its transaction passes ``now`` to have the account re-read at once.

    Raises:
        PermissionDenied: naming the actor's role and the action.
    """
    if actor.role not in roles:
        allowed = ", ".join(r.label for r in roles)
        raise PermissionDenied(f"Vai trò “{actor.role.label}” không được {doing}; chỉ {allowed} được làm việc này.")
    require_signed_in(actor, doing=doing, now=now)


def on_rights_revoked(listener: Callable[[RightsRevoked], None]) -> None:
    """Have ``listener`` told (from the thread of the refused call) whenever a session's rights turn out revoked."""
    rights.add_listener(listener)


def off_rights_revoked(listener: Callable[[RightsRevoked], None]) -> None:
    rights.remove_listener(listener)


def check_rights(s: Session, actor: Actor, *, doing: str) -> None:
    """Re-read the account inside the open transaction ``s`` (one query by primary key), for checks made after
    the transaction has begun (workflow actions).

    Raises:
        RightsRevoked: the account was deactivated or its role changed since sign-in.
    """
    found = s.execute(select(User.role, User.active).where(User.id == actor.id)).first()
    error = rights.refusal(found, rights.Expectation(actor.id, actor.username, actor.role.value, doing))
    if error is not None:
        raise error


def require_signed_in(actor: Actor, *, doing: str, now: Database | None = None) -> None:
    """For calls open to every role: the account must still be active with its sign-in role (checked in the
    call's transaction like ``require_role``, or at once in a session of its own with ``now``)."""
    rights.expect(actor.id, actor.username, actor.role.value, doing)
    if now is not None:
        with now.reading() as s:
            s.execute(select(1))  # the session's begin re-reads the account


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.username, user.full_name, Role(user.role))


class AuthService:
    """Sign-in with a lockout after repeated failures."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def has_users(self) -> bool:
        with self._db.reading() as s:
            return s.scalar(select(User.id).limit(1)) is not None

    def login(self, username: str, password: str) -> Actor:
        """Check the password and return the actor.

        Every refusal has the same words (``LOGIN_REFUSED``) and the same cost: a password hash is checked even
        for an unknown name or a locked or inactive account, so neither the message nor the time tells which
        names exist. Each refusal and each lockout is written to the audit log.

        Raises:
            AuthenticationError: unknown user, wrong password, inactive or locked account (one message for all).
        """
        rights.forget()
        name = username.strip()[:100]
        with self._db.transaction() as s:
            user = s.execute(select(User.id, User.username, User.full_name, User.role, User.password_hash,
                                    User.active, User.locked_until).where(User.username == name)).first()
            # Verify first, whatever the account's state, so every answer takes one hash's time.
            matches = verify_password(user.password_hash if user else _dummy_hash(), password)
            now = utcnow()
            if user is None:
                _audit_login(s, None, name, "login_failed", "không có tài khoản này")
            elif user.locked_until and user.locked_until > now:
                _audit_login(s, user.id, name, "login_failed", "tài khoản đang tạm khóa")
            elif not user.active:
                _audit_login(s, user.id, name, "login_failed", "tài khoản ngừng hoạt động")
            elif not matches:
                self._count_failure(s, user.id, name, now)
            else:
                s.execute(update(User).where(User.id == user.id, (User.failed_logins != 0)
                                             | User.locked_until.is_not(None))
                          .values(failed_logins=0, locked_until=None))
                if _hasher.check_needs_rehash(user.password_hash):
                    s.execute(update(User).where(User.id == user.id).values(password_hash=_hasher.hash(password)))
                return Actor(user.id, user.username, user.full_name, Role(user.role))
        raise AuthenticationError(LOGIN_REFUSED, field="password")

    @staticmethod
    def _count_failure(s: Session, user_id: int, name: str, now: datetime) -> None:
        """One more failure, counted in the database itself so parallel attempts neither conflict nor get lost;
        the failure that reaches the limit locks the account."""
        limit = get_int_setting(s, "login_max_failures", 5)
        s.execute(update(User).where(User.id == user_id).values(failed_logins=User.failed_logins + 1))
        failures = s.scalar(select(User.failed_logins).where(User.id == user_id)) or 0
        _audit_login(s, user_id, name, "login_failed", "sai mật khẩu")
        if failures >= limit:
            minutes = get_int_setting(s, "login_lock_minutes", 15)
            s.execute(update(User).where(User.id == user_id)
                      .values(failed_logins=0, locked_until=now + timedelta(minutes=minutes)))
            _audit_login(s, user_id, name, "lockout", f"sai mật khẩu {failures} lần, khóa {minutes} phút")


LOGIN_REFUSED = ("Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đang tạm khóa hay đã ngừng hoạt động. "
                 "Nếu cần, hãy liên hệ quản trị hệ thống.")


@functools.cache
def _dummy_hash() -> str:
    """A hash with the program's parameters, checked for unknown names so they cost as much as known ones."""
    return _hasher.hash("không có tài khoản này")


def _audit_login(s: Session, user_id: int | None, name: str, action: str, reason: str) -> None:
    s.add(AuditEntry(user_id=user_id, username=name, action=action, entity="user", entity_id=user_id,
                     field="login", new_value=reason))
