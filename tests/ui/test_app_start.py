"""Starting the program: database errors, backup notice, first run vs login, the main window, ``screenshots``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import DatabaseVersionError
from desktop_app.paths import log_file
from desktop_app.services.auth import LOGIN_REFUSED
from desktop_app.ui import app as app_module
from desktop_app.ui import msgbox
from desktop_app.ui.first_run import FirstRunWizard
from desktop_app.ui.login import LoginDialog
from desktop_app.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    """Remembered window state and preferences of this test only (Qt reads the settings folder once)."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))

PASSWORD = "matkhau123"


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(msgbox, "warning", lambda _p, text, title="": shown.append(("warning", text)))
    monkeypatch.setattr(msgbox, "information", lambda _p, text, title="": shown.append(("information", text)))
    return shown


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> list[MainWindow]:
    """The event loop returns at once, after noting the main windows that are shown."""
    seen: list[MainWindow] = []

    def exec_(_self: QApplication) -> int:
        seen.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        for w in seen:
            w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    return seen


def test_login_then_main_window(qtbot: QtBot, sqlite_url: str, windows: list[MainWindow],
                                messages: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    def sign_in(dialog: LoginDialog) -> int:
        dialog.username.setText("lanhdao")
        dialog.password.setText("sai")
        dialog.ok_button.click()  # first a wrong password: the dialog stays
        assert dialog.fields.message("password").text() == LOGIN_REFUSED
        dialog.password.setText(PASSWORD)
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", sign_in)
    assert app_module.main(["--db", sqlite_url]) == 0
    assert len(windows) == 1
    window = windows[0]
    assert window.actor.role is Role.MANAGER
    assert window.user_label.text() == "Người dùng: Phạm Văn Lãnh"
    assert window.role_label.text() == "Vai trò: Lãnh đạo"
    assert window.db_label.text() == "Dữ liệu: tệp trên máy này" and "sqlite" not in window.db_label.text()
    assert QApplication.applicationName() == "khuyencong"
    assert "Liberation Sans" in QApplication.font().family()
    assert log_file().exists()
    assert messages == []


def test_cancelled_login_quits(sqlite_url: str, windows: list[MainWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LoginDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert app_module.main(["--db", sqlite_url]) == 0
    assert windows == []


def test_logout_asks_to_sign_in_again(sqlite_url: str, windows: list[MainWindow],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    users = iter(["canbo", "lanhdao"])
    logged: list[str] = []

    def sign_in(dialog: LoginDialog) -> int:
        name = next(users, None)
        if name is None:
            return QDialog.DialogCode.Rejected
        dialog.username.setText(name)
        dialog.password.setText(PASSWORD)
        dialog.ok_button.click()
        return dialog.result()

    def exec_(_self: QApplication) -> int:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        logged.append(window.actor.username)
        if window.actor.username == "canbo":
            window.logout_action.trigger()
        else:
            window.close()
        return 0

    monkeypatch.setattr(LoginDialog, "exec", sign_in)
    monkeypatch.setattr(QApplication, "exec", exec_)
    assert app_module.main(["--db", sqlite_url]) == 0
    assert logged == ["canbo", "lanhdao"]


def test_empty_database_runs_the_first_run_wizard(tmp_path: Path, sqlite_templates: dict[bool, Path],
                                                  windows: list[MainWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "empty.sqlite3"
    shutil.copyfile(sqlite_templates[False], path)
    monkeypatch.setattr(LoginDialog, "exec", lambda self: pytest.fail("login instead of the first-run wizard"))

    def finish(wizard: FirstRunWizard) -> int:
        wizard.show()  # what exec() does first
        wizard.letterhead.name.setText("Trung tâm Khuyến công tỉnh Lào Cai")
        wizard.letterhead.place_name.setText("Lào Cai")
        wizard.next()
        wizard.admin_page.password.setText(PASSWORD)
        wizard.admin_page.confirm.setText(PASSWORD)
        wizard.accept()
        return wizard.result()

    monkeypatch.setattr(FirstRunWizard, "exec", finish)
    assert app_module.main(["--db", f"sqlite:///{path}"]) == 0
    assert [w.actor.role for w in windows] == [Role.ADMIN]
    assert windows[0].windowTitle().endswith("Trung tâm Khuyến công tỉnh Lào Cai")


def test_database_newer_than_the_program(messages: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    def newer(url: str) -> None:
        raise DatabaseVersionError("Cơ sở dữ liệu được tạo bởi phiên bản mới hơn của chương trình; hãy cập nhật.")

    monkeypatch.setattr(app_module, "open_services", newer)
    assert app_module.main(["--db", "sqlite:///khong-dung.sqlite3"]) == 1
    assert messages == [("warning", "Cơ sở dữ liệu được tạo bởi phiên bản mới hơn của chương trình; hãy cập nhật.")]


def test_connection_failure_is_explained(messages: list[tuple[str, str]]) -> None:
    assert app_module.main(["--db", "postgresql://khuyencong:bimat@127.0.0.1:1/khuyencong"]) == 1
    kind, text = messages[0]
    assert kind == "warning" and text.startswith("Không mở được cơ sở dữ liệu") and "Connection refused" in text
    assert "bimat" not in text and "postgresql://khuyencong:***@127.0.0.1:1/khuyencong" in text


def test_backup_before_migration_is_announced(sqlite_url: str, messages: list[tuple[str, str]],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    real = app_module.open_services

    def with_backup(url: str):  # type: ignore[no-untyped-def]
        services, _ = real(url)
        return services, "/du-lieu/sao-luu/khuyencong-truoc-nang-cap.sqlite3"

    monkeypatch.setattr(app_module, "open_services", with_backup)
    monkeypatch.setattr(LoginDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert app_module.main(["--db", sqlite_url]) == 0
    assert messages[0][0] == "information"
    assert "/du-lieu/sao-luu/khuyencong-truoc-nang-cap.sqlite3" in messages[0][1]


def test_screenshots_command_is_dispatched(monkeypatch: pytest.MonkeyPatch) -> None:
    """The launcher runs the screenshot tool (the GUI package does not know it) with the command's own arguments."""
    from desktop_app import launcher
    from desktop_app.screenshots import command

    calls: list[list[str]] = []
    logged: list[bool] = []
    monkeypatch.setattr(command, "main", lambda argv: calls.append(argv) or 0)
    monkeypatch.setattr(command, "setup_logging", lambda: logged.append(True))
    monkeypatch.setattr(app_module, "main", lambda argv: pytest.fail(f"the GUI started: {argv}"))
    assert launcher.main(["screenshots", "--out", "/tmp/anh", "--proposals", "5"]) == 0
    assert launcher.main(["--db", "sqlite:///x.sqlite3", "screenshots", "--out", "/tmp/anh"]) == 0
    assert calls == [["--out", "/tmp/anh", "--proposals", "5"], ["--out", "/tmp/anh"]]
    assert logged == [True, True]  # into the log file, like the GUI
