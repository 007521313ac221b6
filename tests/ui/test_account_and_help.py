"""Account and help, driven as a user would: change one's own password in the dialog, the administrator resets
another's, the font size grows and shrinks from the keyboard, and F1 opens the guide at the current screen's part."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _workflow_dialogs import DialogDriver, type_text
from factories import PASSWORD, Actors
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop_app.services.context import Services
from desktop_app.ui import msgbox, settings
from desktop_app.ui.account.dialogs import ChangePasswordDialog, font_size
from desktop_app.ui.help import GUIDE_IMAGES, HelpDialog, guide_path
from desktop_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    told: list[str] = []
    monkeypatch.setattr(msgbox, "information", lambda _p, text, title="": told.append(text))
    monkeypatch.setattr(msgbox, "warning", lambda _p, text, title="": told.append(text))
    return told


def _window(qtbot: Any, services: Services, actor: Any) -> MainWindow:
    window = MainWindow(services, actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def test_appraiser_changes_his_password(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                        _own_settings: list[str]) -> None:
    appraiser = sqlite_people.appraisers[0]
    window = _window(qtbot, sqlite_services, appraiser)
    assert "reset_password" not in window.account_actions
    driver = DialogDriver()

    def fill(dialog: Any) -> None:
        assert isinstance(dialog, ChangePasswordDialog)
        type_text(dialog.current, "sai-mat-khau")
        type_text(dialog.new, "matkhaumoi1")
        type_text(dialog.repeated, "matkhaumoi1")
        dialog.accept()
        assert dialog.isVisible() and dialog.fields.errors() == {"current": "Mật khẩu hiện tại không đúng."}
        assert QApplication.focusWidget() is dialog.current or not dialog.isActiveWindow()
        dialog.current.clear()
        type_text(dialog.current, PASSWORD)
        dialog.repeated.clear()
        type_text(dialog.repeated, "matkhaumoi2")
        dialog.accept()
        assert dialog.fields.errors() == {"repeated": "Hai lần nhập mật khẩu mới không khớp nhau."}
        dialog.repeated.clear()
        type_text(dialog.repeated, "matkhaumoi1")
        dialog.grab().save("/tmp/change-password.png")
        qtbot.keyClick(dialog.repeated, Qt.Key.Key_Return)
        assert not dialog.isVisible()

    driver.with_dialog(fill)
    window.account_actions["change_password"].trigger()
    driver.check()
    assert _own_settings == ["Đã đổi mật khẩu. Lần đăng nhập sau hãy dùng mật khẩu mới."]
    assert sqlite_services.auth.login(appraiser.username, "matkhaumoi1").id == appraiser.id


def test_admin_resets_another_users_password(qtbot: Any, sqlite_services: Services, sqlite_people: Actors) -> None:
    window = _window(qtbot, sqlite_services, sqlite_people.admin)
    driver = DialogDriver()

    def fill(dialog: Any) -> None:
        dialog.user_combo.setCurrentIndex(dialog.user_combo.findData("canbo"))
        new, repeated = dialog.fields.widget("password"), dialog.fields.widget("repeated")
        assert isinstance(new, QLineEdit) and isinstance(repeated, QLineEdit)
        type_text(new, "ngan")
        type_text(repeated, "ngan")
        dialog.accept()
        assert dialog.fields.errors() == {"password": "Mật khẩu phải có ít nhất 8 ký tự."}
        for edit in (new, repeated):
            edit.clear()
            type_text(edit, "datlai12345")
        dialog.accept()
        assert not dialog.isVisible()

    driver.with_dialog(fill)
    window.account_actions["reset_password"].trigger()
    driver.check()
    assert sqlite_services.auth.login("canbo", "datlai12345").username == "canbo"


def test_font_size_from_the_keyboard_is_remembered(qtbot: Any, sqlite_services: Services,
                                                   sqlite_people: Actors) -> None:
    window = _window(qtbot, sqlite_services, sqlite_people.staff)
    start = font_size()
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert font_size() == start + 1 == QApplication.font().pointSize()
    assert settings.get(settings.FONT_SIZE) == start + 1
    for _ in range(20):
        window.account_actions["font_smaller"].trigger()
    assert font_size() == 8  # never below what stays readable
    window.account_actions["font_default"].trigger()
    assert font_size() == settings.FONT_SIZE.default == QApplication.font().pointSize()


def test_f1_opens_the_guide_at_the_current_screen(qtbot: Any, sqlite_services: Services,
                                                  sqlite_people: Actors) -> None:
    assert Path(guide_path()).is_file()
    window = _window(qtbot, sqlite_services, sqlite_people.manager)
    window.show_screen_by_key("plans")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(HelpDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert "Hướng dẫn sử dụng chương trình Quản lý đề án khuyến công" in text
    assert "Rút lại đề án đã nộp" in text and "Thành viên hội đồng" in text
    html = Path(guide_path()).read_text(encoding="utf-8")
    for name in GUIDE_IMAGES:  # every picture of the guide is shipped, referenced and loaded
        assert f'src="anh/{name}"' in html
        image = dialog.browser.document().resource(QTextDocument.ResourceType.ImageResource.value, QUrl(f"anh/{name}"))
        assert isinstance(image, QImage) and image.width() == 560, name
    assert dialog.browser.verticalScrollBar().value() > 0  # moved down to "Kế hoạch năm"
    at_plans = dialog.browser.verticalScrollBar().value()
    window.show_screen_by_key("dashboard")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.findChildren(HelpDialog) == [dialog]  # the same guide, moved to the dashboard's part
    assert dialog.browser.verticalScrollBar().value() < at_plans
    dialog.grab().save("/tmp/help.png")
