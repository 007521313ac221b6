"""The signed-in user's own account: changing one's password (every role), proving the current one first."""

from __future__ import annotations

from sqlalchemy import select

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import audit
from desktop_app.services.auth import Actor, hash_password, require_signed_in, verify_password
from desktop_app.store.database import Database
from desktop_app.store.models import User


class AccountService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def change_own_password(self, actor: Actor, current: str, new: str, repeated: str) -> None:
        """Replace the actor's password after checking the current one (audited, the password itself never).

        Raises:
            ValidationError: naming the field — wrong current password, too short, the two new ones differ, or the
                new one equals the current one.
        """
        require_signed_in(actor, doing="đổi mật khẩu")
        if new != repeated:
            raise ValidationError("Hai lần nhập mật khẩu mới không khớp nhau.", field="repeated")
        if new == current:
            raise ValidationError("Mật khẩu mới phải khác mật khẩu hiện tại.", field="new")
        with self._db.transaction() as s:
            user = s.scalar(select(User).where(User.id == actor.id))
            if user is None:
                raise NotFound("Tài khoản không còn tồn tại.")
            if not verify_password(user.password_hash, current):
                raise ValidationError("Mật khẩu hiện tại không đúng.", field="current")
            try:
                user.password_hash = hash_password(new)
            except ValidationError as exc:
                raise ValidationError(exc.message, field="new") from exc
            audit.record(s, actor, "set_password", "user", user.id)
