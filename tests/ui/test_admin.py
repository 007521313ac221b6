"""The administrator's screen: users and roles, support rules, criteria templates, sectors, letterhead; other roles
are refused with the reason."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from _workflow_dialogs import type_text
from factories import Actors
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from desktop_app.domain.enums import Role, Scope
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.ui import msgbox
from desktop_app.ui.admin.dialogs import FormDialog, SectorDialog, SupportRuleDialog, UserDialog
from desktop_app.ui.admin.page import AdminPage


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    """Remembered window state and preferences of this test only (Qt reads the settings folder once)."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(msgbox, "warning", lambda _p, text, title="": shown.append(text))
    monkeypatch.setattr(msgbox, "information", lambda _p, text, title="": shown.append(text))
    return shown


def _page(qtbot: QtBot, services: Services, actor: Actor) -> AdminPage:
    page = AdminPage(services, actor)
    qtbot.addWidget(page)
    page.resize(1070, 700)
    page.show()
    return page


def _in_dialog(action: Callable[[FormDialog], None]) -> None:
    """Run ``action`` on the modal form once it is up (the page opens it with exec())."""
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, FormDialog) and dialog.isVisible():
            action(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_admin_adds_a_user_and_changes_the_role(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                                messages: list[str]) -> None:
    page = _page(qtbot, sqlite_services, sqlite_people.admin)
    assert not page.read_only_note.isVisible()
    assert page.users_table.rowCount() == 6
    errors: dict[str, str] = {}

    def add(dialog: FormDialog) -> None:
        assert isinstance(dialog, UserDialog)
        dialog.username.setText("canbo2")
        dialog.full_name.setText("Hoàng Thị Mai")
        dialog.role.set_value(Role.STAFF)
        dialog.password.setText("ngan")
        dialog.confirm.setText("ngan")
        dialog.save_button.click()
        errors.update(dialog.fields.errors())
        dialog.password.setText("matkhau456")
        dialog.confirm.setText("matkhau456")
        dialog.save_button.click()

    _in_dialog(add)
    page.add_user_button.click()
    assert errors == {"password": "Mật khẩu phải có ít nhất 8 ký tự."}
    assert sqlite_services.auth.login("canbo2", "matkhau456").full_name == "Hoàng Thị Mai"
    row = next(r for r in range(page.users_table.rowCount()) if page.users_table.item(r, 0).text() == "canbo2")
    assert [page.users_table.item(row, c).text() for c in range(5)] == [
        "canbo2", "Hoàng Thị Mai", "", Role.STAFF.label, "Đang hoạt động"]

    page.users_table.selectRow(row)

    def promote(dialog: FormDialog) -> None:
        assert isinstance(dialog, UserDialog) and dialog.username.isReadOnly()
        dialog.role.set_value(Role.MANAGER)
        dialog.active.setChecked(False)
        dialog.save_button.click()

    _in_dialog(promote)
    page.edit_user_button.click()
    assert page.users_table.item(row, 3).text() == Role.MANAGER.label
    assert page.users_table.item(row, 4).text() == "Ngừng hoạt động"
    assert messages == []


def test_manager_is_refused_with_the_reason(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                            messages: list[str]) -> None:
    page = _page(qtbot, sqlite_services, sqlite_people.manager)
    assert page.read_only_note.isVisible()
    assert "chỉ quản trị hệ thống được thay đổi" in page.read_only_note.text()
    outcome: dict[str, object] = {}

    def add(dialog: FormDialog) -> None:
        dialog.username.setText("nguoimoi")  # type: ignore[attr-defined]
        dialog.password.setText("matkhau456")  # type: ignore[attr-defined]
        dialog.confirm.setText("matkhau456")  # type: ignore[attr-defined]
        dialog.save_button.click()
        outcome["open"] = dialog.isVisible()
        dialog.reject()

    _in_dialog(add)
    page.add_user_button.click()
    assert outcome["open"] is True  # nothing typed is lost
    assert messages == [f"Vai trò “{Role.MANAGER.label}” không được thêm người dùng; chỉ {Role.ADMIN.label} được "
                        "làm việc này."]
    page.letterhead.name.setText("Tên khác")
    page.save_letterhead()
    assert messages[-1].startswith(f"Vai trò “{Role.MANAGER.label}” không được sửa thông tin đơn vị")
    assert sqlite_services.organisation.get().name == "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp"


def test_appraiser_cannot_even_list_users(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors) -> None:
    page = _page(qtbot, sqlite_services, sqlite_people.appraisers[0])
    assert page.users_table.rowCount() == 0
    assert page.users_note.text().startswith(f"Vai trò “{Role.APPRAISER.label}” không được xem danh sách người dùng")


def test_support_rule_dialog_names_the_field_and_saves(qtbot: QtBot, sqlite_services: Services,
                                                       sqlite_people: Actors) -> None:
    page = _page(qtbot, sqlite_services, sqlite_people.admin)
    before = page.rules_table.rowCount()
    dialog = SupportRuleDialog(sqlite_services, sqlite_people.admin, None, page)
    qtbot.addWidget(dialog)
    dialog.show()
    content = sqlite_services.reference.contents()[3]
    dialog.content.set_code(content.code)
    dialog.scope.set_value(Scope.LOCAL)
    assert dialog.province.isEnabled()
    dialog.max_percent.setText("150")
    dialog.legal_basis.setText("Nghị quyết 12/2025/NQ-HĐND tỉnh Ninh Bình")
    dialog.save_button.click()
    assert dialog.fields.errors() == {"max_percent": "Tỷ lệ hỗ trợ tối đa phải trong khoảng 0–100%."}
    dialog.max_percent.setText("37,5")
    dialog.save_button.click()
    assert dialog.fields.errors() == {"province_code": "Mức hỗ trợ khuyến công địa phương cần chọn tỉnh/thành phố."}
    dialog.province.set_code("37")
    dialog.cap.setValue(150_000_000)
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    rule = dialog.result_value
    assert (rule.max_percent, rule.cap_vnd, rule.province_code) == (Decimal("37.5"), 150_000_000, "37")
    page.refresh()
    assert page.rules_table.rowCount() == before + 1


def test_criteria_template_and_sector(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                      messages: list[str]) -> None:
    page = _page(qtbot, sqlite_services, sqlite_people.admin)
    page.tabs.setCurrentIndex(2)
    page.templates_tab.new_template()
    page.templates_tab.template_name.setText("Mẫu chấm điểm đào tạo nghề")
    page.templates_tab.pass_mark.setText("50")
    page.templates_tab._add_criterion("Sự cần thiết", "40")
    page.templates_tab._add_criterion("Tính khả thi", "60")
    assert page.templates_tab.total_label.text() == "Tổng điểm: 100"
    page.templates_tab.pass_mark.setText("120")
    page.templates_tab.save_template()
    assert page.templates_tab.template_fields.errors() == {
        "pass_mark": "Điểm đạt phải lớn hơn 0 và không vượt tổng điểm 100."}
    page.templates_tab.pass_mark.setText("50")
    page.templates_tab.save_template()
    assert messages == ["Đã lưu mẫu tiêu chí “Mẫu chấm điểm đào tạo nghề”."]
    saved = [t for t in sqlite_services.reference.templates() if t.name == "Mẫu chấm điểm đào tạo nghề"]
    assert [(c.name, c.max_points) for c in saved[0].criteria] == [("Sự cần thiết", 40), ("Tính khả thi", 60)]

    dialog = SectorDialog(sqlite_services, sqlite_people.admin, None, page)
    qtbot.addWidget(dialog)
    dialog.code.setText("gomsu2")
    dialog.name.setText("Gốm sứ mỹ nghệ")
    dialog.group.setCurrentIndex(dialog.group.findData("đ"))
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    page.refresh()
    codes = [page.sectors_table.item(r, 0).text() for r in range(page.sectors_table.rowCount())]
    assert "GOMSU2" in codes


def test_letterhead_and_advance_share(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                      messages: list[str]) -> None:
    page = _page(qtbot, sqlite_services, sqlite_people.admin)
    page.letterhead.place_name.setText("")
    page.save_letterhead()
    assert page.letterhead.fields.errors() == {
        "place_name": "Chưa nhập địa danh ghi trên văn bản (ví dụ “Ninh Bình”)."}
    page.letterhead.place_name.setText("Hoa Lư")
    page.save_letterhead()
    assert sqlite_services.organisation.get().place_name == "Hoa Lư"
    page.advance_percent.setText("120")
    page.save_settings()
    assert page.settings_fields.errors() == {"advance_percent": "Tỷ lệ tạm ứng phải trong khoảng 0–100%."}
    page.advance_percent.setText("50")
    page.save_settings()
    assert sqlite_services.organisation.advance_percent() == Decimal(50)
    assert messages == ["Đã lưu thông tin đơn vị.", "Đã lưu cài đặt."]


def test_local_regulation_needs_its_number_and_date_and_reaches_the_decision(
        qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors, messages: list[str]) -> None:
    from factories import advance_to, make_proposal
    from pypdf import PdfReader

    from desktop_app.domain.enums import DocumentKind, Status

    page = _page(qtbot, sqlite_services, sqlite_people.admin)
    page.local_regulation.setPlainText("Quy chế quản lý kinh phí khuyến công của tỉnh")
    page.save_settings()
    assert "phải ghi số và ngày ban hành" in page.settings_fields.errors()["local_regulation"]
    regulation = ("Quyết định số 05/2021/QĐ-UBND ngày 10 tháng 3 năm 2021 của Ủy ban nhân dân tỉnh Ninh Bình ban "
                  "hành Quy chế quản lý và sử dụng kinh phí khuyến công địa phương")
    page.local_regulation.setPlainText(regulation)
    page.save_settings()
    assert sqlite_services.organisation.local_regulation() == regulation
    page.tabs.setCurrentIndex(page.tabs.count() - 1)
    page.resize(1280, 800)
    page.grab().save(str(Path("/tmp") / "admin-local-regulation.png"))

    d = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, d.id, Status.APPROVED)
    pdf = sqlite_services.documents.render(sqlite_people.staff, DocumentKind.DECISION, d.id)
    import io

    text = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"Căn cứ {regulation};" in text


def test_admin_starts_the_province_rules_from_the_national_ones(qtbot: QtBot, sqlite_services: Services,
                                                                sqlite_people: Actors, messages: list[str]) -> None:
    from desktop_app.ui.admin.dialogs import CopyNationalRulesDialog

    page = _page(qtbot, sqlite_services, sqlite_people.admin)
    national = page.rules_table.rowCount()
    seen: dict[str, object] = {}

    def copy(dialog: FormDialog) -> None:
        assert isinstance(dialog, CopyNationalRulesDialog)
        seen["province"] = dialog.province.code()  # the centre's province, chosen already
        dialog.save_button.click()  # no legal basis: refused beside the field
        seen["errors"] = dialog.fields.errors()
        type_text(dialog.legal_basis, "Nghị quyết 23/2025/NQ-HĐND")  # keyClicks takes ASCII only
        dialog.save_button.click()

    _in_dialog(copy)
    page.copy_rules_button.click()
    assert seen == {"province": "37",
                    "errors": {"legal_basis": "Chưa nhập căn cứ pháp lý của mức hỗ trợ địa phương."}}
    assert page.rules_table.rowCount() == 2 * national
    assert messages[-1].startswith(f"Đã lập {national} mức hỗ trợ khuyến công địa phương từ mức quốc gia")
    scopes = [page.rules_table.item(r, 1).text() for r in range(page.rules_table.rowCount())]
    assert scopes.count(Scope.LOCAL.short) == national
