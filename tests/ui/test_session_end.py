"""An account deactivated or demoted while its window is open: the next service call is refused and the window
closes back to the login, with the reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import Actors
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from desktop_app.domain.enums import Role
from desktop_app.services.context import Services
from desktop_app.ui import msgbox
from desktop_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(msgbox, "warning", lambda _parent, text, *a, **k: shown.append(text))
    return shown


@pytest.mark.parametrize("change", ["deactivated", "demoted"])
def test_the_window_returns_to_the_login(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                         warnings_shown: list[str], change: str) -> None:
    window = MainWindow(sqlite_services, sqlite_people.manager)
    qtbot.addWidget(window)
    window.show()
    if change == "deactivated":
        sqlite_services.users.update(sqlite_people.admin, "lanhdao", active=False)
    else:
        sqlite_services.users.update(sqlite_people.admin, "lanhdao", role=Role.STAFF)
    window.nav.setCurrentRow(2)  # the proposals screen asks the services for its lists
    qtbot.waitUntil(lambda: window.logged_out, timeout=5000)
    assert not window.isVisible()
    assert any("Phiên làm việc đã kết thúc" in text for text in warnings_shown)
    assert any(("ngừng hoạt động" if change == "deactivated" else "Cán bộ nghiệp vụ") in text
               for text in warnings_shown)


def test_another_users_refusal_leaves_the_window_open(qtbot: QtBot, sqlite_services: Services,
                                                      sqlite_people: Actors, warnings_shown: list[str]) -> None:
    window = MainWindow(sqlite_services, sqlite_people.manager)
    qtbot.addWidget(window)
    window.show()
    sqlite_services.users.update(sqlite_people.admin, "canbo", active=False)
    with pytest.raises(Exception, match="ngừng hoạt động"):
        sqlite_services.dashboard.overview(sqlite_people.staff, date(2026, 6, 1))
    qtbot.wait(100)
    assert window.isVisible() and not window.logged_out and not warnings_shown
    window.close()
