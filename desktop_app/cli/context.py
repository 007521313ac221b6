"""What a command handler gets: the opened services, the acting user, and output helpers."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass, field
from typing import TextIO

from desktop_app.domain.errors import AuthenticationError, UserError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services, open_services


def read_password(env_var: str, prompt: str, confirm: bool = False) -> str:
    """A password from ``env_var``, else asked on the terminal (twice when ``confirm``).

    Raises:
        UserError: no terminal to ask on, or the two entries differ.
    """
    value = os.environ.get(env_var)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(f"Cần mật khẩu: đặt biến môi trường {env_var} hoặc chạy lệnh trong cửa sổ dòng lệnh.")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise UserError("Hai lần nhập mật khẩu không khớp.")
    return first


@dataclass
class CliContext:
    url: str
    username: str | None
    out: TextIO = field(default_factory=lambda: sys.stdout)
    _services: Services | None = None
    _actor: Actor | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services, backup = open_services(self.url)
            if backup:
                self.say(f"Đã sao lưu cơ sở dữ liệu trước khi nâng cấp: {backup}")
        return self._services

    def actor(self) -> Actor:
        """The user named by ``--user``, signed in with ``KHUYENCONG_PASSWORD`` or a prompt."""
        if self._actor is None:
            if not self.username:
                raise UserError("Lệnh này cần người thực hiện: thêm --user TÊN_ĐĂNG_NHẬP.")
            password = read_password("KHUYENCONG_PASSWORD", f"Mật khẩu của {self.username}: ")
            try:
                self._actor = self.services.auth.login(self.username, password)
            except AuthenticationError:
                raise
        return self._actor

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
