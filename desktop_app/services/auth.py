"""Who is acting: the signed-in user, password hashing (Argon2id), login with lockout, role checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import AuthenticationError, PermissionDenied, ValidationError
from desktop_app.store.base import utcnow
from desktop_app.store.database import Database
from desktop_app.store.models import User
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
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def require_role(actor: Actor, *roles: Role, doing: str) -> None:
    """Refuse unless ``actor`` has one of ``roles``; ``doing`` names the action in the message.

    Raises:
        PermissionDenied: naming the actor's role and the action.
    """
    if actor.role not in roles:
        allowed = ", ".join(r.label for r in roles)
        raise PermissionDenied(f"Vai trò “{actor.role.label}” không được {doing}; chỉ {allowed} được làm việc này.")


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

        Raises:
            AuthenticationError: unknown user, wrong password, inactive or locked account (the message says which,
                except it never reveals whether a user name exists).
        """
        with self._db.transaction() as s:
            user = s.scalar(select(User).where(User.username == username.strip()))
            if user is None:
                raise AuthenticationError("Sai tên đăng nhập hoặc mật khẩu.", field="password")
            now = utcnow()
            if user.locked_until and user.locked_until > now:
                minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
                raise AuthenticationError(
                    f"Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau {minutes} phút.", field="password"
                )
            if not user.active:
                raise AuthenticationError("Tài khoản đã ngừng hoạt động; liên hệ quản trị hệ thống.", field="username")
            if not verify_password(user.password_hash, password):
                user.failed_logins += 1
                limit = get_int_setting(s, "login_max_failures", 5)
                if user.failed_logins >= limit:
                    user.locked_until = now + timedelta(minutes=get_int_setting(s, "login_lock_minutes", 15))
                    user.failed_logins = 0
                    s.commit()
                    raise AuthenticationError(
                        f"Nhập sai mật khẩu {limit} lần; tài khoản bị tạm khóa.", field="password"
                    )
                s.commit()
                raise AuthenticationError("Sai tên đăng nhập hoặc mật khẩu.", field="password")
            user.failed_logins = 0
            user.locked_until = None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            return actor_of(user)
