"""The sign-in dialog: the service's message beside the field, lockout, remembered user name, keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

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
