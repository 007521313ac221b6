"""“Kết nối cơ sở dữ liệu…”: the check's Vietnamese message, saving without the password in the file."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from keyring_memory import MemoryKeyring, memory_keyring  # noqa: F401 (fixture)
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop_app import connection
from desktop_app.services.context import Services
from desktop_app.ui import connection_dialog
from desktop_app.ui.connection_dialog import ConnectionDialog
from desktop_app.ui.login import LoginDialog

pytestmark = pytest.mark.gui


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _dialog(qtbot: QtBot) -> ConnectionDialog:
    dialog = ConnectionDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _fill(dialog: ConnectionDialog, port: int, database: str, password: str = "") -> None:
    dialog.server_radio.setChecked(True)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(port)
    dialog.database.setText(database)
    dialog.user.setText("postgres")
    dialog.password.setText(password)


def test_unreachable_server_is_named_and_save_keeps_the_password_out_of_the_file(
        qtbot: QtBot, memory_keyring: MemoryKeyring) -> None:  # noqa: F811
    dialog = _dialog(qtbot)
    assert dialog.local_radio.isChecked() and not dialog.server_box.isEnabled()
    _fill(dialog, _closed_port(), "khuyencong", "Bi-Mat-42")
    assert dialog.check() is False
    assert "Không liên lạc được với máy chủ 127.0.0.1" in dialog.result_label.text()
    assert "Không liên lạc được" in dialog.fields.message("host").text()
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.choice is not None
    assert "Bi-Mat-42" not in connection.config_file().read_text(encoding="utf-8")
    assert list(memory_keyring.secrets.values()) == ["Bi-Mat-42"]
    # Opened again, it shows the saved server and says a password is stored, without showing it.
    again = _dialog(qtbot)
    assert again.server_radio.isChecked() and again.host.text() == "127.0.0.1"
    assert again.password.text() == "" and "đã lưu" in again.password.placeholderText()


def test_missing_fields_are_named(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    dialog.server_radio.setChecked(True)
    dialog.host.setText("")
    dialog.save_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.fields.message("host").text() == "Chưa nhập máy chủ (tên hoặc địa chỉ IP)."
    assert not connection.config_file().exists()


@pytest.fixture
def blank_pg(pg_blank_url: str) -> str:
    return pg_blank_url


@pytest.mark.postgres
def test_check_against_the_real_server(qtbot: QtBot, blank_pg: str, memory_keyring: MemoryKeyring) -> None:  # noqa: F811
    dialog = _dialog(qtbot)
    _fill(dialog, 5432, "khong_co_csdl_nay")
    assert dialog.check() is False
    assert "không có cơ sở dữ liệu “khong_co_csdl_nay”" in dialog.fields.message("database").text()
    dialog.database.setText(blank_pg.rsplit("/", 1)[1])
    assert dialog.check() is True
    assert dialog.result_label.text().startswith("✓ Kết nối được")


def test_login_window_reaches_the_dialog_and_asks_to_reconnect(qtbot: QtBot, sqlite_services: Services,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection_dialog.ConnectionDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    login = LoginDialog(sqlite_services)
    qtbot.addWidget(login)
    login.show()
    assert login.connect_button.text() == "Kết nối cơ sở dữ liệu…"
    login.connect_button.click()
    assert login.reconnect and login.result() == QDialog.DialogCode.Rejected


def test_a_saved_connection_is_opened_after_the_login_window_asks(
        qtbot: QtBot, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Login → “Kết nối cơ sở dữ liệu…” → Lưu: the program closes this database and opens the chosen one."""
    from desktop_app.ui import app as app_module

    other = tmp_path / "khac.sqlite3"
    shutil.copyfile(sqlite_url.removeprefix("sqlite:///"), other)
    connection.save(connection.ConnectionChoice(kind="local", file=sqlite_url.removeprefix("sqlite:///")))
    opened: list[str] = []
    real_open = app_module.open_services

    def open_services(url: str):  # type: ignore[no-untyped-def]
        opened.append(url)
        return real_open(url)

    def login_exec(dialog: LoginDialog) -> int:
        if len(opened) == 1:  # the user picks the other file in the dialog, then the login window closes
            connection.save(connection.ConnectionChoice(kind="local", file=str(other)))
            dialog.reconnect = True
        return QDialog.DialogCode.Rejected  # at the second login window the user gives up

    monkeypatch.setattr(app_module, "open_services", open_services)
    monkeypatch.setattr(LoginDialog, "exec", login_exec)
    assert app_module.main([]) == 0
    assert opened == [sqlite_url, f"sqlite:///{other}"]
