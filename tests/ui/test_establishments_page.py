"""The "Cơ sở CNNT" screen through its real widgets: paged list, search without diacritics, filters, Vietnamese
order, export, and staff registering an establishment in the form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import Actors, make_establishment, make_proposal
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.domain.enums import LegalForm, Role
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import EstablishmentFilter
from desktop_app.ui import msgbox, tasks
from desktop_app.ui.establishments.dialog import EstablishmentDialog
from desktop_app.ui.establishments.page import COLUMNS, EstablishmentsPage
from desktop_app.ui.table_model import PagedTableModel
from desktop_app.ui.widgets import PlacePicker


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    """Remembered window state and preferences of this test only (Qt reads the settings folder once)."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture(autouse=True)
def synchronous() -> Iterator[None]:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(msgbox, "warning", lambda _p, text, title="": shown.append(text))
    monkeypatch.setattr(msgbox, "information", lambda _p, text, title="": shown.append(text))
    return shown


def _page(qtbot: QtBot, services: Services, actor: Actor) -> EstablishmentsPage:
    page = EstablishmentsPage(services, actor)
    qtbot.addWidget(page)
    page.resize(1070, 700)
    page.show()
    return page


def _names(page: EstablishmentsPage) -> list[str]:
    return [r.name for r in page.model.rows()]


def test_paged_model_passes_the_model_tester(qtbot: QtBot, qtmodeltester, sqlite_services: Services,  # type: ignore[no-untyped-def]
                                             sqlite_people: Actors) -> None:
    for i in range(23):
        make_establishment(sqlite_services, sqlite_people.staff, name=f"Cơ sở Gốm Chu Đậu {i:02d}")
    actor = sqlite_people.staff

    def fetch(offset: int, limit: int, sort: str, descending: bool):  # type: ignore[no-untyped-def]
        return sqlite_services.establishments.search(actor, EstablishmentFilter(), offset, limit, sort, descending)

    tested: PagedTableModel = PagedTableModel(COLUMNS, fetch, "name", page_size=7)
    tested.reload()
    qtmodeltester.check(tested)  # the tester itself fetches further pages
    assert 7 < tested.rowCount() <= 23 and tested.total == 23

    model: PagedTableModel = PagedTableModel(COLUMNS, fetch, "name", page_size=7)
    model.reload()
    assert model.rowCount() == 7 and model.total == 23
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 14
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.row(0).name == "Cơ sở Gốm Chu Đậu 22" and model.rowCount() == 7
    model.fetch_all()
    assert model.rowCount() == 23 and not model.canFetchMore()
    assert model.data(model.index(0, 8), Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def test_search_as_you_type_ignores_diacritics(qtbot: QtBot, sqlite_services: Services,
                                               sqlite_people: Actors) -> None:
    make_establishment(sqlite_services, sqlite_people.staff, name="Hợp tác xã Mây tre Hà Nam")
    make_establishment(sqlite_services, sqlite_people.staff, name="Công ty Gốm Hạ Long")
    make_establishment(sqlite_services, sqlite_people.staff, name="Hộ kinh doanh Đức Thành", tax_code="0100233488")
    page = _page(qtbot, sqlite_services, sqlite_people.staff)
    assert page.model.total == 3 and page.count_label.text() == "3 cơ sở"
    qtbot.keyClicks(page.search, "ha nam")
    with qtbot.waitSignal(page.model.modelReset, timeout=2000):
        pass  # the debounce timer fires the search
    assert _names(page) == ["Hợp tác xã Mây tre Hà Nam"]
    page.search.setText("DUC THANH")
    page.search.flush()
    assert _names(page) == ["Hộ kinh doanh Đức Thành"]
    page.search.setText("0100233")  # a tax code prefix
    page.search.flush()
    assert _names(page) == ["Hộ kinh doanh Đức Thành"]
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == "" and page.model.total == 3


def test_filters_and_vietnamese_order(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors) -> None:
    staff = sqlite_people.staff
    commune = sqlite_services.reference.communes("37")[0]
    make_establishment(sqlite_services, staff, name="Đức Thắng", legal_form=LegalForm.HOUSEHOLD)
    make_establishment(sqlite_services, staff, name="Bình Minh", legal_form=LegalForm.COOPERATIVE,
                       commune_code=commune.code)
    make_establishment(sqlite_services, staff, name="Bắc Ninh", legal_form=LegalForm.COOPERATIVE)
    make_establishment(sqlite_services, staff, name="Ánh Dương", legal_form=LegalForm.SME, province_code="01")
    page = _page(qtbot, sqlite_services, staff)
    assert _names(page) == ["Ánh Dương", "Bắc Ninh", "Bình Minh", "Đức Thắng"]
    page.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    assert _names(page) == ["Đức Thắng", "Bình Minh", "Bắc Ninh", "Ánh Dương"]
    page.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    page.legal_form.set_value(LegalForm.COOPERATIVE)
    assert _names(page) == ["Bắc Ninh", "Bình Minh"]
    page.place.set_codes("37", commune.code)
    assert _names(page) == ["Bình Minh"]
    page.legal_form.set_value(None)
    page.place.set_codes(None, None)
    assert not page.place.commune.isEnabled()
    page.place.province.set_code("01")
    assert _names(page) == ["Ánh Dương"]


def test_province_picker_finds_without_diacritics(qtbot: QtBot, sqlite_services: Services) -> None:
    picker = PlacePicker(sqlite_services.reference, empty_province="Tất cả", empty_commune="Tất cả")
    qtbot.addWidget(picker)
    picker.show()
    completer = picker.province.completer()
    completer.setCompletionPrefix("ninh binh")
    matches = [completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())]
    assert matches == ["Ninh Bình"]
    picker.province.setEditText("ninh binh")
    picker.province.lineEdit().editingFinished.emit()
    assert picker.province_code() == "37" and picker.province.currentText() == "Ninh Bình"
    assert picker.commune.isEnabled() and len(picker.commune.codes()) > 10
    picker.province.setEditText("khong co tinh nay")
    picker.province.lineEdit().editingFinished.emit()
    assert picker.province_code() == "37"  # nonsense typed: the previous choice comes back


def _when_dialog_opens(action) -> None:  # type: ignore[no-untyped-def]
    """Run ``action(dialog)`` once the modal establishment dialog is up (the page opens it with exec())."""
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, EstablishmentDialog) and dialog.isVisible():
            action(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_staff_registers_an_establishment_through_the_form(qtbot: QtBot, sqlite_services: Services,
                                                           sqlite_people: Actors, messages: list[str]) -> None:
    page = _page(qtbot, sqlite_services, sqlite_people.staff)
    commune = sqlite_services.reference.communes("37")[2]
    seen: dict[str, object] = {}

    def fill(dialog: EstablishmentDialog) -> None:
        dialog.name.setText("Hợp tác xã Cói mỹ nghệ Kim Sơn")
        dialog.legal_form.set_value(LegalForm.COOPERATIVE)
        dialog.tax_code.setText("0100233488")
        dialog.tax_code.editingFinished.emit()
        dialog.phone.setText("0912 345 678")
        dialog.email.setText("coi kimson@gmail")  # wrong: the service names the field
        dialog.place.set_codes("37", commune.code)
        dialog.street.setText("Xóm 3")
        dialog.workers.setText("40")
        dialog.female_workers.setText("25")
        dialog.save_button.click()
        seen["email_error"] = dialog.fields.errors().get("email")
        seen["focus_on_email"] = dialog.focusWidget() is dialog.email
        seen["still_open"] = dialog.isVisible()
        seen["name_kept"] = dialog.name.text()
        dialog.email.setText("coikimson@gmail.com")
        qtbot.keyClick(dialog.email, Qt.Key.Key_Return)  # Enter saves

    _when_dialog_opens(fill)
    page.new_button.click()
    assert seen["email_error"] == "Email “coi kimson@gmail” không hợp lệ; địa chỉ phải có dạng ten@tenmien.vn."
    assert seen["still_open"] is True and seen["name_kept"] == "Hợp tác xã Cói mỹ nghệ Kim Sơn"
    assert seen["focus_on_email"] is True
    assert _names(page) == ["Hợp tác xã Cói mỹ nghệ Kim Sơn"]
    row = page.selected_row()
    assert row is not None and row.commune_name == commune.name and row.workers == 40
    detail = sqlite_services.establishments.get(sqlite_people.staff, row.id)
    assert (detail.data.tax_code, detail.data.phone, detail.data.email) == ("0100233488", "0912345678",
                                                                            "coikimson@gmail.com")
    assert messages == []


def test_inline_checks_beside_the_fields(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors) -> None:
    dialog = EstablishmentDialog(sqlite_services, sqlite_people.staff)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tax_code.setText("0100233489")
    dialog.tax_code.editingFinished.emit()
    assert "chữ số kiểm tra (chữ số thứ 10) phải là 8" in dialog.fields.message("tax_code").text()
    assert not dialog.fields.message("tax_code").is_error  # a warning may be overridden
    dialog.phone.setText("01662345678")
    dialog.phone.editingFinished.emit()
    assert dialog.fields.errors()["phone"] == ("Điện thoại “01662345678” là số di động 11 số cũ, đã chuyển sang 10 số "
                                               "từ năm 2018: 0362 345 678.")
    dialog.phone.setText("0912345678")
    dialog.phone.editingFinished.emit()
    assert "phone" not in dialog.fields.errors()
    dialog.legal_form.set_value(LegalForm.SME)
    dialog.save_button.click()  # no name
    assert dialog.fields.errors()["name"] == "Chưa nhập tên cơ sở."
    assert dialog.focusWidget() is dialog.name and dialog.isVisible()


def test_duplicate_tax_code_is_warned_and_refused(qtbot: QtBot, sqlite_services: Services,
                                                           sqlite_people: Actors,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    make_establishment(sqlite_services, sqlite_people.staff, name="Công ty Dệt Nam Định", tax_code="0100233488")
    answers = iter([False, True])
    monkeypatch.setattr(msgbox, "confirm", lambda _p, text, title="": next(answers))
    dialog = EstablishmentDialog(sqlite_services, sqlite_people.staff)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Chi nhánh Dệt Nam Định")
    dialog.legal_form.set_value(LegalForm.SME)
    dialog.place.set_codes("37", None)
    dialog.tax_code.setText("0100233488")
    dialog.tax_code.editingFinished.emit()
    assert dialog.duplicate_label.isVisible()
    assert "Trùng mã số thuế: “Công ty Dệt Nam Định”" in dialog.duplicate_label.text()
    dialog.save_button.click()  # "Vẫn lưu?" → Không
    assert dialog.saved is None and dialog.isVisible()
    dialog.save_button.click()  # → Có: still one establishment in use per tax code, kept by the database
    assert dialog.saved is None and dialog.isVisible()
    assert "đã thuộc một cơ sở khác" in dialog.fields.message("tax_code").text()


def test_history_tab_lists_the_proposals_and_opens_one(qtbot: QtBot, sqlite_services: Services,
                                                       sqlite_people: Actors,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    eid = make_establishment(sqlite_services, sqlite_people.staff)
    proposal = make_proposal(sqlite_services, sqlite_people.staff, establishment_id=eid)
    requested: list[int] = []
    dialog = EstablishmentDialog(sqlite_services, sqlite_people.staff, eid)
    qtbot.addWidget(dialog)
    dialog.proposal_requested.connect(requested.append)
    assert dialog.tabs.tabText(1) == "Đề án đã tham gia (1)"
    model = dialog.history_model
    assert [model.item(0, c).text() for c in range(model.columnCount())] == [
        proposal.code, proposal.title, "2026", "KCĐP", "Dự thảo", "250.000.000", ""]
    dialog.history.doubleClicked.emit(model.index(0, 1))
    assert requested == [proposal.id]

    # The screen wires the request to the proposal editor, opened over the establishment's dialog.
    import desktop_app.ui.establishments.page as page_module

    opened: list[tuple[object, int]] = []
    monkeypatch.setattr(page_module, "open_proposal", lambda parent, _s, _a, pid: opened.append((parent, pid)))
    page = _page(qtbot, sqlite_services, sqlite_people.staff)
    seen: dict[str, object] = {}

    def open_from_history(dialog: EstablishmentDialog) -> None:
        dialog.history.activated.emit(dialog.history_model.index(0, 0))  # Enter on the row
        seen["dialog"] = dialog
        dialog.reject()

    _when_dialog_opens(open_from_history)
    page.open_establishment(eid)
    assert opened == [(seen["dialog"], proposal.id)]


def test_export_writes_the_list_as_shown(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                         tmp_path: Path, messages: list[str]) -> None:
    for name in ("Bình Minh", "Ánh Dương", "Hà Nam Xanh"):
        make_establishment(sqlite_services, sqlite_people.staff, name=name, workers=30, female_workers=10)
    page = _page(qtbot, sqlite_services, sqlite_people.staff)
    page.search.setText("n")  # all three contain an n
    page.search.flush()
    target = tmp_path / "co-so.xlsx"
    page.ask_export_path = lambda: str(target)  # type: ignore[method-assign]
    page.export_button.click()
    assert messages == [f"Đã xuất 3 cơ sở ra tệp:\n{target}"]
    book = load_workbook(target, read_only=True)
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    book.close()  # a read-only workbook holds its file open until closed
    header_at = next(i for i, r in enumerate(rows) if r[:2] == ["Tên cơ sở", "Loại hình"])
    body = rows[header_at + 1: header_at + 4]
    assert [r[0] for r in body] == ["Ánh Dương", "Bình Minh", "Hà Nam Xanh"]
    assert [r[8] for r in body] == [30, 30, 30]


def test_a_refused_action_shows_why(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                    messages: list[str]) -> None:
    dialog = EstablishmentDialog(sqlite_services, sqlite_people.appraisers[0])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Cơ sở thử")
    dialog.legal_form.set_value(LegalForm.HOUSEHOLD)
    dialog.place.set_codes("37", None)
    dialog.save_button.click()
    appraiser, staff, manager, admin = (r.label for r in (Role.APPRAISER, Role.STAFF, Role.MANAGER, Role.ADMIN))
    assert messages == [f"Vai trò “{appraiser}” không được đăng ký cơ sở; chỉ {staff}, {manager}, {admin} "
                        "được làm việc này."]
    assert dialog.isVisible() and dialog.saved is None
    assert sqlite_services.establishments.count(sqlite_people.staff, EstablishmentFilter()) == 0


def test_every_error_at_once_each_cleared_as_its_field_is_corrected(qtbot: QtBot, sqlite_services: Services,
                                                                     sqlite_people: Actors) -> None:
    dialog = EstablishmentDialog(sqlite_services, sqlite_people.staff)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.place.province_code() == "37"  # the centre's province, as for a new proposal
    dialog.place.set_codes(None, None)
    dialog.workers.setText("5")
    dialog.female_workers.setText("9")
    dialog.save_button.click()
    assert dialog.fields.errors() == {"name": "Chưa nhập tên cơ sở.", "legal_form": "Chưa chọn loại hình cơ sở.",
                                      "province_code": "Chưa chọn tỉnh/thành phố."}
    assert dialog.more.errors() == {"female_workers": "Lao động nữ không được nhiều hơn tổng số lao động."}
    assert dialog.focusWidget() is dialog.name and dialog.isVisible()
    qtbot.keyClicks(dialog.name, "Co so det Phu Vinh")
    assert "name" not in dialog.fields.errors()  # gone as soon as the name is typed
    assert set(dialog.fields.errors()) == {"legal_form", "province_code"}
    dialog.legal_form.set_value(LegalForm.HOUSEHOLD)
    dialog.place.set_codes("37", None)
    assert dialog.fields.errors() == {}
    dialog.female_workers.setText("")
    qtbot.keyClicks(dialog.female_workers, "3")
    assert dialog.more.errors() == {}


def test_archive_is_away_from_save_and_asks_first(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    eid = make_establishment(sqlite_services, sqlite_people.staff)
    dialog = EstablishmentDialog(sqlite_services, sqlite_people.staff, eid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.archive_button is not None and dialog.archive_button not in dialog.buttons.buttons()
    assert dialog.archive_button.x() < dialog.buttons.x()  # at the far left, the Save button at the right
    asked: list[str] = []
    monkeypatch.setattr(msgbox, "confirm", lambda _p, text, title="": asked.append(text) or False)
    dialog.archive_button.click()
    assert asked and asked[0].startswith("Lưu trữ cơ sở này?")
    assert not sqlite_services.establishments.get(sqlite_people.staff, eid).archived  # said no: nothing changed


def test_one_list_layout_and_columns_chosen_and_remembered(qtbot: QtBot, sqlite_services: Services,
                                                           sqlite_people: Actors) -> None:
    for i in range(3):
        make_establishment(sqlite_services, sqlite_people.staff, name=f"Cơ sở dệt thổ cẩm số {i}")
    page = _page(qtbot, sqlite_services, sqlite_people.staff)
    qtbot.waitExposed(page)
    # Search with the buttons at its right, the filters under it, the table, the count under the table.
    top = page.search.geometry()
    assert page.new_button.geometry().center().y() == top.center().y() and page.new_button.x() > top.right()
    assert top.bottom() < page.place.y() < page.table.y() < page.count_label.y()
    header = page.table.horizontalHeader()
    # Widths from the content, and every shown column fits without scrolling.
    assert header.sectionSize(2) >= page.table.sizeHintForColumn(2)  # the tax code is never cut
    shown = [c for c in range(len(COLUMNS)) if not header.isSectionHidden(c)]
    assert sum(header.sectionSize(c) for c in shown) <= page.table.viewport().width()
    assert 6 in shown  # "Tỉnh, thành phố"

    # The column chooser on the header's context menu: every column, checked when shown.
    menu = page.columns.menu()
    checks = {a.text(): a for a in menu.actions() if a.isCheckable()}
    assert list(checks) == [c.header for c in COLUMNS]
    assert not checks["Người đại diện"].isChecked() and checks["Tỉnh, thành phố"].isChecked()
    checks["Người đại diện"].setChecked(True)
    assert not header.isSectionHidden(3) and header.sectionSize(3) > 40
    checks["Mã số thuế"].setChecked(False)
    header.moveSection(header.visualIndex(6), 0)  # province first
    header.resizeSection(0, 333)
    page.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    page.close()

    again = _page(qtbot, sqlite_services, sqlite_people.staff)
    h = again.table.horizontalHeader()
    assert not h.isSectionHidden(3) and h.isSectionHidden(2)
    assert h.logicalIndex(0) == 6 and h.sectionSize(0) == 333
    assert again.model.sort_key == ("province", True)  # the remembered sort is the one asked of the service
    assert again.columns.visible_columns()[0] == 6
    last = next(a for a in again.columns.menu().actions() if a.text() == "Đặt lại cột như ban đầu")
    last.trigger()
    assert h.logicalIndex(0) == 0 and h.isSectionHidden(3) and not h.isSectionHidden(2)
    assert again.model.sort_key == ("name", False)
