"""The sign-in dialog: the service's message beside the field, lockout, remembered user name, keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop_app.domain.errors import AuthenticationError
from desktop_app.services.auth import LOGIN_REFUSED
from desktop_app.services.context import Services
from desktop_app.ui import settings
from desktop_app.ui.login import LoginDialog


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    """Remembered window state and preferences of this test only (Qt reads the settings folder once)."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))

PASSWORD = "matkhau123"


def _dialog(qtbot: QtBot, services: Services) -> LoginDialog:
    dialog = LoginDialog(services, organisation_name=services.organisation.get().name)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_wrong_password_keeps_the_dialog_open_with_the_message(qtbot: QtBot, sqlite_services: Services) -> None:
    dialog = _dialog(qtbot, sqlite_services)
    qtbot.keyClicks(dialog.username, "canbo")
    qtbot.keyClicks(dialog.password, "sai-mat-khau")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.actor is None
    assert dialog.fields.message("password").text() == LOGIN_REFUSED
    assert dialog.fields.message("password").isVisible()
    assert dialog.focusWidget() is dialog.password


def test_empty_user_name_is_named(qtbot: QtBot, sqlite_services: Services) -> None:
    dialog = _dialog(qtbot, sqlite_services)
    dialog.username.clear()
    dialog.ok_button.click()
    assert dialog.fields.errors() == {"username": "Chưa nhập tên đăng nhập."}


def test_lockout_message_comes_from_the_service(qtbot: QtBot, sqlite_services: Services) -> None:
    dialog = _dialog(qtbot, sqlite_services)
    dialog.username.setText("canbo")
    for _ in range(5):
        dialog.password.setText("sai-mat-khau")
        dialog.ok_button.click()
    assert dialog.fields.message("password").text() == LOGIN_REFUSED
    dialog.password.setText(PASSWORD)  # even the right password is refused while locked
    dialog.ok_button.click()
    assert dialog.actor is None
    assert dialog.fields.message("password").text() == LOGIN_REFUSED  # the same words: nothing to probe


def test_right_password_signs_in_and_remembers_the_user_name(qtbot: QtBot, sqlite_services: Services) -> None:
    dialog = _dialog(qtbot, sqlite_services)
    dialog.username.setText("lanhdao")
    dialog.password.setText(PASSWORD)
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.username == "lanhdao"
    assert settings.get(settings.LAST_USERNAME) == "lanhdao"
    again = _dialog(qtbot, sqlite_services)
    assert again.username.text() == "lanhdao"


def test_escape_closes_without_signing_in(qtbot: QtBot, sqlite_services: Services) -> None:
    dialog = _dialog(qtbot, sqlite_services)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.actor is None


def test_a_long_message_fits_in_the_dialog(qtbot: QtBot, sqlite_services: Services) -> None:
    dialog = _dialog(qtbot, sqlite_services)
    qtbot.keyClicks(dialog.username, "canbo")
    for _ in range(5):  # up to the lockout: the longest message the service gives
        dialog.password.clear()
        qtbot.keyClicks(dialog.password, "sai-mat-khau")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    message = dialog.fields.message("password")
    qtbot.waitUntil(lambda: message.isVisible())
    # A message long enough to wrap over several lines (as with a larger font): the dialog must grow for it.
    long = "Tài khoản bị tạm khóa do nhập sai mật khẩu nhiều lần; hãy liên hệ quản trị hệ thống để mở khóa. " * 3
    original = sqlite_services.auth.login

    def refuse(_user: str, _password: str) -> None:
        raise AuthenticationError(long.strip(), field="password")

    sqlite_services.auth.login = refuse  # type: ignore[method-assign]
    try:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    finally:
        sqlite_services.auth.login = original  # type: ignore[method-assign]
    assert message.text() == long.strip()
    bottom = message.mapTo(dialog, message.rect().bottomLeft()).y()
    assert bottom < dialog.buttons.geometry().top(), (message.text(), bottom, dialog.height())
    assert message.height() >= message.heightForWidth(message.width())  # no line cut off
    dialog.grab().save(str(Path("/tmp") / "login-error.png"))
