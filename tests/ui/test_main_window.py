"""The main window: navigation, shortcuts forwarded to the page, menus, status bar, remembered state."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import Actors, establishment_input
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.domain.enums import Role
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.ui import settings
from desktop_app.ui.admin.page import AdminPage
from desktop_app.ui.dashboard import DashboardPage
from desktop_app.ui.establishments.page import EstablishmentsPage
from desktop_app.ui.main_window import SCREENS, MainWindow


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    """Remembered window state and preferences of this test only (Qt reads the settings folder once)."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


def _window(qtbot: QtBot, services: Services, actor: Actor) -> MainWindow:
    window = MainWindow(services, actor)
    qtbot.addWidget(window)
    window.show()
    return window


def test_navigation_lists_every_screen_in_order(qtbot: QtBot, sqlite_services: Services,
                                                sqlite_people: Actors) -> None:
    window = _window(qtbot, sqlite_services, sqlite_people.manager)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Tổng quan", "Cơ sở CNNT", "Đề án", "Thẩm định", "Nghiệm thu", "Giải ngân", "Báo cáo",
                      "Danh mục & cài đặt", "Kế hoạch năm", "Hội đồng", "Nhật ký"]
    assert all(not window.nav.item(i).icon().isNull() for i in range(window.nav.count()))
    assert isinstance(window.current_page(), DashboardPage)
    for index in range(len(SCREENS)):
        window.page(index)  # a screen that fails to build raises here (in the window it would open the crash dialog)
        window.screen_actions[index].trigger()  # Ctrl+1 … Ctrl+9, then from the Xem menu
        assert window.nav.currentRow() == index
        assert window.stack.currentWidget() is window.page(index)
    assert isinstance(window.page(7), AdminPage)


def test_shortcuts_are_forwarded_to_the_current_page(qtbot: QtBot, sqlite_services: Services,
                                                     sqlite_people: Actors) -> None:
    window = _window(qtbot, sqlite_services, sqlite_people.staff)
    page = window.show_screen_by_key("establishments")
    assert isinstance(page, EstablishmentsPage)
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert window.save_action.shortcut().toString() == "Ctrl+S"
    assert window.refresh_action.shortcut().toString() == "F5"
    assert window.print_action.shortcut().toString() == "Ctrl+P"
    page.search.setText("xyz")
    window.find_action.trigger()
    assert window.focusWidget() is page.search
    assert page.search.selectedText() == "xyz"
    page.search.clear()
    page.search.flush()
    qtbot.waitUntil(lambda: page.model.settled, timeout=5000)  # the list loads in the background
    before = page.model.total
    sqlite_services.establishments.create(sqlite_people.staff, establishment_input())
    window.refresh_action.trigger()  # F5
    qtbot.waitUntil(lambda: page.model.settled and page.model.total == before + 1, timeout=5000)


def test_menus_and_status_bar(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors) -> None:
    window = _window(qtbot, sqlite_services, sqlite_people.staff)
    menus = {a.text().replace("&", ""): [x.text() for x in a.menu().actions() if x.text()]
             for a in window.menuBar().actions()}
    assert list(menus) == ["Tệp", "Sửa", "Xem", "Trợ giúp", "Tài khoản"]
    assert menus["Tài khoản"] == ["Đổi mật khẩu…", "Tăng cỡ chữ", "Giảm cỡ chữ", "Cỡ chữ mặc định"]
    assert menus["Trợ giúp"][0] == "Hướng dẫn sử dụng" and window.help_action.shortcut().toString() == "F1"
    assert menus["Tệp"] == ["Nhập cơ sở từ Excel…", "Nhập đề án từ Excel…", "In / xuất", "Kết nối cơ sở dữ liệu…",
                            "Đăng xuất", "Thoát"]
    assert window.user_label.text() == "Người dùng: Lê Thị Cán Bộ"
    assert window.role_label.text() == f"Vai trò: {Role.STAFF.label}"
    assert window.db_label.text() == "Dữ liệu: tệp trên máy này"  # no raw sqlite:/// address
    assert window.db_label.toolTip().startswith("Tệp dữ liệu: ") and window.db_label.toolTip().endswith(".sqlite3")
    assert window.windowTitle() == "Quản lý đề án khuyến công – Trung tâm Khuyến công và Tư vấn phát triển công nghiệp"


def test_window_state_and_last_screen_are_remembered(qtbot: QtBot, sqlite_services: Services,
                                                     sqlite_people: Actors) -> None:
    window = _window(qtbot, sqlite_services, sqlite_people.manager)
    window.resize(1111, 777)
    window.show_screen_by_key("establishments")
    window.splitter.setSizes([260, 851])
    geometry, splitter = window.saveGeometry(), window.splitter.saveState()
    window.close()
    # The offscreen screen is smaller than the window, so Qt clamps a restored size: compare what was stored.
    assert settings.get(settings.MAIN_GEOMETRY) == geometry
    assert not settings.get(settings.MAIN_STATE).isEmpty()
    assert settings.load_state("main_window/splitter") == splitter
    again = _window(qtbot, sqlite_services, sqlite_people.manager)
    QApplication.processEvents()
    assert again.nav.currentRow() == 1
    assert isinstance(again.current_page(), EstablishmentsPage)


def test_logout_closes_the_window_and_says_so(qtbot: QtBot, sqlite_services: Services,
                                              sqlite_people: Actors) -> None:
    window = _window(qtbot, sqlite_services, sqlite_people.manager)
    with qtbot.waitSignal(window.logout_requested, timeout=1000):
        window.logout_action.trigger()
    assert window.logged_out is True
    assert not window.isVisible()


def test_import_menu_opens_the_import_dialog(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.ui.importers.dialog import ImportDialog

    kinds: list[str] = []

    def fake_exec(dialog: ImportDialog) -> int:
        kinds.append(dialog.kind)
        return 0

    monkeypatch.setattr(ImportDialog, "exec", fake_exec)
    window = _window(qtbot, sqlite_services, sqlite_people.staff)
    window.import_establishments_action.trigger()
    window.import_proposals_action.trigger()
    assert kinds == ["establishments", "proposals"]


def test_closing_with_unsaved_scores_saves_them_or_stays_open(qtbot, sqlite_services, sqlite_people,
                                                              monkeypatch) -> None:
    """A page with typed, unsaved input is asked before the window closes; refusing keeps it open."""
    from desktop_app.ui.main_window import MainWindow

    window = MainWindow(sqlite_services, sqlite_people.staff)
    qtbot.addWidget(window)
    window.show()
    page = window.show_screen(0)
    monkeypatch.setattr(page, "has_unsaved_changes", lambda: True)
    monkeypatch.setattr(page, "may_leave", lambda: False)
    window.close()
    assert window.isVisible()
    window.logout()
    assert window.isVisible() and not window.logged_out
    refreshed: list[bool] = []
    monkeypatch.setattr(page, "refresh", lambda: refreshed.append(True))
    window.show_screen(1)
    window.show_screen(0)
    assert refreshed == []  # switching back does not reload over what was typed
    monkeypatch.setattr(page, "may_leave", lambda: True)
    window.logout()
    assert window.logged_out


def test_toolbar_actions_a_page_does_not_answer_are_disabled_with_the_reason(
        qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors) -> None:
    window = _window(qtbot, sqlite_services, sqlite_people.manager)

    def enabled() -> dict[str, bool]:
        return {name: action.isEnabled() for name, action in window.page_actions.items()}

    window.show_screen_by_key("dashboard")
    assert enabled() == {"new": False, "save": False, "find": False, "print": False}
    assert window.new_action.toolTip() == "Màn hình “Tổng quan” không có chức năng thêm mới."
    assert window.refresh_action.isEnabled()
    window.show_screen_by_key("establishments")
    assert enabled() == {"new": True, "save": True, "find": True, "print": True}
    assert window.new_action.toolTip() == "Thêm bản ghi mới (Ctrl+N)"
    for key in ("finance", "acceptance"):
        window.show_screen_by_key(key)
        assert enabled()["find"] and not enabled()["new"] and not enabled()["print"]
    assert window.save_action.toolTip() == "Chọn một đề án ở danh sách bên trái để ghi kết quả nghiệm thu."
    window.show_screen_by_key("proposals")
    assert enabled() == {"new": True, "save": False, "find": True, "print": True}
    window.show_screen_by_key("reports")
    assert enabled() == {"new": False, "save": True, "find": False, "print": True}
    admin = window.show_screen_by_key("admin")
    assert isinstance(admin, AdminPage)
    admin.tabs.setCurrentIndex(0)
    assert enabled()["new"] and not enabled()["save"]
    assert "Người dùng" in window.save_action.toolTip()
    admin.tabs.setCurrentIndex(4)
    assert enabled()["save"] and not enabled()["new"]


def test_a_server_database_is_named_without_its_password() -> None:
    from desktop_app.store.database import Database

    services = Services.over(Database.from_url("postgresql://canbo:bimat123@192.168.1.20:5432/khuyencong"))
    try:
        shown, full = services.data_location()
    finally:
        services.db.engine.dispose()
    assert shown == "Dữ liệu: máy chủ 192.168.1.20:5432, cơ sở dữ liệu “khuyencong”"
    assert "bimat123" not in full and "canbo" in full and full.startswith("Địa chỉ: postgresql")
