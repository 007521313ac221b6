"""The administrator's backup tab: back up, restore (then sign in again), the automatic backups kept."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from factories import Actors
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.domain.enums import Role
from desktop_app.services.backup import BackupService
from desktop_app.services.context import Services
from desktop_app.store import auto_backup
from desktop_app.ui import msgbox
from desktop_app.ui.admin.page import AdminPage
from desktop_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    texts: list[str] = []
    monkeypatch.setattr(msgbox, "information", lambda _p, text, *a, **k: texts.append(text))
    monkeypatch.setattr(msgbox, "warning", lambda _p, text, *a, **k: texts.append(text))
    monkeypatch.setattr(msgbox, "confirm", lambda *a, **k: True)
    return texts


def test_back_up_then_restore_ends_the_session(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                               tmp_path: Path, shown: list[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(sqlite_services, sqlite_people.admin)
    qtbot.addWidget(window)
    window.show()
    page = window.show_screen_by_key("admin")
    assert isinstance(page, AdminPage)
    page.tabs.setCurrentWidget(page.backup_tab)
    out = tmp_path / "sao-luu.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    page.backup_tab.backup_button.click()
    assert out.exists() and "Đã sao lưu" in shown[-1]
    sqlite_services.users.add(sqlite_people.admin, "sau_sao_luu", Role.STAFF, "matkhau123")
    window.resize(1280, 800)
    page.backup_tab.refresh()
    page.backup_tab.grab().save(str(tmp_path / "sao-luu-tab.png"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    page.backup_tab.restore_button.click()
    assert "Đã khôi phục" in shown[-1] and "truoc-khoi-phuc" in shown[-1]
    assert window.logged_out and not window.isVisible()
    names = {u.username for u in sqlite_services.users.list(sqlite_services.auth.login("quantri", "matkhau123"))}
    assert "sau_sao_luu" not in names


def test_staff_sees_the_tab_but_cannot_act(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                           shown: list[str]) -> None:
    page = AdminPage(sqlite_services, sqlite_people.staff)
    qtbot.addWidget(page)
    assert not page.backup_tab.backup_button.isEnabled() and not page.backup_tab.restore_button.isEnabled()


def test_daily_backups_are_listed_and_pruned(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                             shown: list[str]) -> None:
    service = BackupService(sqlite_services.db)
    service.set_keep(sqlite_people.admin, 3)
    folder = service.automatic_folder()
    made = [auto_backup.daily_backup(sqlite_services.db.engine, folder, keep=3, now=datetime(2025, 11, day, 8))
            for day in range(1, 6)]
    assert all(made)
    assert auto_backup.daily_backup(sqlite_services.db.engine, folder, keep=3, now=datetime(2025, 11, 5, 17)) is None
    kept = service.automatic()
    assert [b.taken_at.day for b in kept] == [5, 4, 3]
    conn = sqlite3.connect(kept[0].path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == 6
    conn.close()
    page = AdminPage(sqlite_services, sqlite_people.admin)
    qtbot.addWidget(page)
    assert page.backup_tab.table.rowCount() == 3 and page.backup_tab.keep.value() == 3
    assert page.backup_tab.table.item(0, 0).text() == "05/11/2025 08:00:00"
    assert service.daily() is not None  # today's first start (the folder has only November 2025)
