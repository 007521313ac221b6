"""User accounts: the first administrator, adding users, roles, passwords, activation."""

from __future__ import annotations

import builtins

from sqlalchemy import func, select

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.vietnamese import normalize
from desktop_app.services import audit
from desktop_app.services.auth import Actor, actor_of, hash_password, require_role, require_signed_in
from desktop_app.services.dto import UserInfo
from desktop_app.store.base import utcnow
from desktop_app.store.database import Database
from desktop_app.store.models import User


def _info(u: User) -> UserInfo:
    locked = bool(u.locked_until and u.locked_until > utcnow())
    return UserInfo(u.id, u.username, u.full_name, u.title, Role(u.role), u.active, locked)


def _check_username(username: str) -> str:
    name = username.strip()
    if not name:
        raise ValidationError("Chưa nhập tên đăng nhập.", field="username")
    if len(name) > 100 or any(ch.isspace() for ch in name):
        raise ValidationError("Tên đăng nhập không được chứa khoảng trắng và tối đa 100 ký tự.", field="username")
    return name


class UserService:
    """Accounts are managed by administrators; everybody may change their own password."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create_first_admin(self, username: str, password: str, full_name: str = "") -> Actor:
        """Create the first administrator of an empty database.

        Raises:
            ValidationError: users already exist, or the name/password is not acceptable.
        """
        name = _check_username(username)
        with self._db.transaction() as s:
            if s.scalar(select(func.count(User.id))):
                raise ValidationError("Cơ sở dữ liệu đã có người dùng; hãy đăng nhập bằng tài khoản quản trị.")
            user = User(username=name, full_name=normalize(full_name), role=Role.ADMIN.value,
                        password_hash=hash_password(password), active=True, failed_logins=0)
            s.add(user)
            s.flush()
            actor = actor_of(user)
            audit.record(s, actor, "create", "user", user.id, None, {"username": name, "role": Role.ADMIN.value})
            return actor

    def add(self, actor: Actor, username: str, role: Role, password: str, full_name: str = "",
            title: str = "") -> UserInfo:
        require_role(actor, Role.ADMIN, doing="thêm người dùng")
        name = _check_username(username)
        with self._db.transaction() as s:
            if s.scalar(select(User.id).where(User.username == name)):
                raise ValidationError(f"Tên đăng nhập “{name}” đã có.", field="username")
            user = User(username=name, full_name=normalize(full_name), title=normalize(title), role=role.value,
                        password_hash=hash_password(password), active=True, failed_logins=0)
            s.add(user)
            s.flush()
            audit.record(s, actor, "create", "user", user.id, None,
                         {"username": name, "role": role.value, "full_name": user.full_name})
            return _info(user)

    def list(self, actor: Actor) -> list[UserInfo]:
        require_role(actor, Role.ADMIN, Role.MANAGER, Role.STAFF, doing="xem danh sách người dùng")
        with self._db.reading() as s:
            return [_info(u) for u in s.scalars(select(User).order_by(User.username))]

    def appraisers(self, actor: Actor) -> builtins.list[UserInfo]:
        """Active users who may sit on a council (appraisers), for the council member picker."""
        require_signed_in(actor, doing="xem danh sách chuyên gia thẩm định")
        with self._db.reading() as s:
            rows = s.scalars(select(User).where(User.role == Role.APPRAISER.value, User.active.is_(True))
                             .order_by(User.full_name))
            return [_info(u) for u in rows]

    def _get(self, s, username: str) -> User:
        user = s.scalar(select(User).where(User.username == username.strip()))
        if user is None:
            raise NotFound(f"Không có người dùng “{username}”.", field="username")
        return user

    def set_password(self, actor: Actor, username: str, new_password: str) -> None:
        """An administrator sets anybody's password; a user sets their own."""
        if actor.username != username.strip():
            require_role(actor, Role.ADMIN, doing="đặt mật khẩu cho người khác")
        else:
            require_signed_in(actor, doing="đổi mật khẩu")
        with self._db.transaction() as s:
            user = self._get(s, username)
            user.password_hash = hash_password(new_password)
            user.failed_logins = 0
            user.locked_until = None
            audit.record(s, actor, "set_password", "user", user.id)

    def update(self, actor: Actor, username: str, *, role: Role | None = None, active: bool | None = None,
               full_name: str | None = None, title: str | None = None) -> UserInfo:
        require_role(actor, Role.ADMIN, doing="sửa người dùng")
        with self._db.transaction() as s:
            user = self._get(s, username)
            before = audit.snapshot(user, ("role", "active", "full_name", "title"))
            if role is not None:
                if user.id == actor.id and role is not Role.ADMIN:
                    raise ValidationError("Không thể tự bỏ quyền quản trị của chính mình.", field="role")
                user.role = role.value
            if active is not None:
                if user.id == actor.id and not active:
                    raise ValidationError("Không thể tự khóa tài khoản của chính mình.", field="active")
                user.active = active
            if full_name is not None:
                user.full_name = normalize(full_name)
            if title is not None:
                user.title = normalize(title)
            audit.record(s, actor, "update", "user", user.id, before,
                         audit.snapshot(user, ("role", "active", "full_name", "title")))
            return _info(user)
