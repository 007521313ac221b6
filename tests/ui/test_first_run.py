"""The first-run wizard on an empty database: letterhead, then the first administrator."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop_app.domain.enums import Role
from desktop_app.services.context import Services, open_services
from desktop_app.ui import msgbox
from desktop_app.ui.first_run import FirstRunWizard


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    """Remembered window state and preferences of this test only (Qt reads the settings folder once)."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def empty_services(tmp_path: Path, sqlite_templates: dict[bool, Path]) -> Iterator[Services]:
    path = tmp_path / "empty.sqlite3"
    shutil.copyfile(sqlite_templates[False], path)
    services, _ = open_services(f"sqlite:///{path}")
    yield services
    services.close()


def _wizard(qtbot: QtBot, services: Services) -> FirstRunWizard:
    wizard = FirstRunWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _fill_letterhead(wizard: FirstRunWizard, qtbot: QtBot) -> None:
    form = wizard.letterhead
    form.name.setText("Trung tâm Khuyến công tỉnh Hà Nam")  # keyClicks types ASCII only
    form.parent_body.setText("Sở Công Thương tỉnh Ninh Bình")
    assert form.province.set_code("37")
    form.director_name.setText("Trần Văn Giám")


def test_letterhead_page_names_missing_fields(qtbot: QtBot, empty_services: Services) -> None:
    wizard = _wizard(qtbot, empty_services)
    wizard.next()
    assert wizard.currentPage() is wizard.letterhead_page
    assert wizard.letterhead.fields.errors() == {"name": "Chưa nhập tên đơn vị.", "place_name": "Chưa nhập địa danh."}


def test_province_fills_the_place_name(qtbot: QtBot, empty_services: Services) -> None:
    wizard = _wizard(qtbot, empty_services)
    _fill_letterhead(wizard, qtbot)
    assert wizard.letterhead.place_name.text() == "Ninh Bình"


def test_wizard_sets_up_letterhead_and_first_administrator(qtbot: QtBot, empty_services: Services,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(msgbox, "warning", lambda *a, **k: pytest.fail(f"unexpected message {a}"))
    wizard = _wizard(qtbot, empty_services)
    _fill_letterhead(wizard, qtbot)
    wizard.next()
    assert wizard.currentPage() is wizard.admin_page
    page = wizard.admin_page
    page.full_name.setText("Nguyễn Quản Trị")
    page.password.setText("ngan")  # too short: the service's rule, shown beside the field
    page.confirm.setText("ngan")
    wizard.next()  # on the last page "Hoàn tất" validates the page
    wizard.accept()
    assert wizard.result() != QDialog.DialogCode.Accepted
    assert page.fields.errors() == {"password": "Mật khẩu phải có ít nhất 8 ký tự."}
    assert empty_services.auth.has_users() is False
    page.password.setText("matkhau123")
    page.confirm.setText("matkhau12")
    wizard.accept()
    assert page.fields.errors() == {"confirm": "Hai lần nhập mật khẩu không khớp."}
    page.confirm.setText("matkhau123")
    wizard.accept()
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.actor is not None and wizard.actor.role is Role.ADMIN and wizard.actor.username == "quantri"
    info = empty_services.organisation.get()
    assert (info.name, info.province_code, info.place_name) == ("Trung tâm Khuyến công tỉnh Hà Nam", "37", "Ninh Bình")
    assert empty_services.auth.login("quantri", "matkhau123").full_name == "Nguyễn Quản Trị"
