"""The "Đề án" list screen driven offscreen: search as you type without diacritics, filters, sorting, opening with
Enter, Ctrl+N, export of the visible list to Excel, import, and what a role may not do."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from factories import Actors, advance_to, make_establishment, make_proposal
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.domain.enums import Scope, Status
from desktop_app.services.context import Services
from desktop_app.ui import msgbox, tasks
from desktop_app.ui.proposals import page as page_module
from desktop_app.ui.proposals.page import COLUMNS, ProposalsPage

pytestmark = pytest.mark.gui

SCREENS = Path("/tmp/proposals")


@pytest.fixture(autouse=True)
def synchronous() -> Iterator[None]:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def infos(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(msgbox, "information", lambda _p, text, title="": said.append(text))
    monkeypatch.setattr(msgbox, "warning", lambda _p, text, title="": said.append(text))
    return said


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """The editor is tested on its own: here, which proposal the list asked to open."""
    calls: list[int | None] = []
    monkeypatch.setattr(page_module, "open_proposal", lambda _p, _s, _a, pid: calls.append(pid))
    return calls


def type_text(widget: QWidget, text: str) -> None:
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def make_page(qtbot: Any, services: Services, actor: Any) -> ProposalsPage:
    page = ProposalsPage(services, actor)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # a header state remembered by another test is undone
    return page


def codes(page: ProposalsPage) -> list[str]:
    page.model.fetch_all()
    return [r.code for r in page.model.rows()]


@pytest.fixture
def three(sqlite_services: Services, sqlite_people: Actors) -> dict[str, Any]:
    """Three proposals: two KCĐP (one submitted) and one KCQG in another year and content."""
    s, staff = sqlite_services, sqlite_people.staff
    weaving = make_proposal(s, staff, title="Hỗ trợ máy dệt chiếu cói Kim Sơn")
    bamboo = make_proposal(s, staff, title="Ứng dụng máy chẻ tre đan lát Phú Vinh")
    fair = make_proposal(s, staff, scope=Scope.NATIONAL, year=2025, content_code="ND45-4.4.f",
                         title="Đưa sản phẩm Đức Thắng đi hội chợ", lines=[])
    advance_to(s, sqlite_people, bamboo.id, Status.SUBMITTED)
    return {"weaving": weaving, "bamboo": bamboo, "fair": fair}


def test_search_as_you_type_without_diacritics(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                               three: dict[str, Any]) -> None:
    page = make_page(qtbot, sqlite_services, sqlite_people.staff)
    assert page.model.total == 3 and page.count_label.text() == "Có 3 đề án"
    type_text(page.search, "may det chieu coi")
    qtbot.waitUntil(lambda: page.model.total == 1)  # the search box waits for a pause in typing
    assert codes(page) == [three["weaving"].code]
    page.search.clear()
    type_text(page.search, "ĐỨC THẮNG")
    page.search.flush()
    assert codes(page) == [three["fair"].code]
    type_text(page.search, " không có")
    page.search.flush()
    assert page.model.total == 0 and page.count_label.text() == "Không có đề án nào phù hợp"
    assert not page.export_button.isEnabled()
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)  # Escape empties the box
    assert page.model.total == 3
    # the code is searchable too
    type_text(page.search, three["bamboo"].code.lower())
    page.search.flush()
    assert codes(page) == [three["bamboo"].code]


def test_filters_year_scope_state_content_province(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                    three: dict[str, Any]) -> None:
    page = make_page(qtbot, sqlite_services, sqlite_people.staff)
    assert page.scope_filter.set_value(Scope.NATIONAL)
    assert codes(page) == [three["fair"].code]
    page.scope_filter.set_value(None)
    assert page.status_filter.set_value(Status.SUBMITTED)
    assert codes(page) == [three["bamboo"].code]
    page.status_filter.set_value(None)
    assert page.year_filter.set_code("2025")
    assert codes(page) == [three["fair"].code]
    page.year_filter.set_code(None)
    assert page.content_filter.set_code("ND45-4.3")  # a group finds its sub-types
    assert sorted(codes(page)) == sorted([three["weaving"].code, three["bamboo"].code])
    assert page.province_filter.set_code("37")
    assert page.model.total == 2
    assert page.province_filter.set_code("01")
    assert page.model.total == 0
    qtbot.mouseClick(page.clear_filters_button, Qt.MouseButton.LeftButton)
    assert page.model.total == 3 and page.province_filter.code() is None and page.content_filter.code() is None


def test_sorting_by_a_header_asks_the_service(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                              three: dict[str, Any]) -> None:
    page = make_page(qtbot, sqlite_services, sqlite_people.staff)
    title_column = [c.header for c in COLUMNS].index("Tên đề án")
    page.table.sortByColumn(title_column, Qt.SortOrder.AscendingOrder)
    assert page.model.sort_key == ("title", False)
    # Vietnamese order ignores the marks: Đưa (d) < Hỗ (h) < Ứng (u)
    assert [r.title.split()[0] for r in page.model.rows()] == ["Đưa", "Hỗ", "Ứng"]
    page.table.sortByColumn(title_column, Qt.SortOrder.DescendingOrder)
    assert [r.title.split()[0] for r in page.model.rows()] == ["Ứng", "Hỗ", "Đưa"]
    status_column = [c.header for c in COLUMNS].index("Trạng thái")
    page.table.sortByColumn(status_column, Qt.SortOrder.DescendingOrder)  # workflow order, latest stage first
    assert [r.status for r in page.model.rows()] == [Status.SUBMITTED, Status.DRAFT, Status.DRAFT]
    year_column = [c.header for c in COLUMNS].index("Năm")
    page.table.sortByColumn(year_column, Qt.SortOrder.AscendingOrder)
    assert page.model.rows()[0].year == 2025


def test_enter_and_double_click_open_ctrl_n_drafts(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                   three: dict[str, Any], opened: list[int | None]) -> None:
    page = make_page(qtbot, sqlite_services, sqlite_people.staff)
    page.table.setFocus()
    page.table.selectRow(1)
    second = page.model.row(1)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened == [second.id]
    rect = page.table.visualRect(page.model.index(0, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a real double
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # click: press first
    assert opened[-1] == page.model.row(0).id
    page.new_item()  # the main window's Ctrl+N
    assert opened[-1] is None
    assert page.current_row() is not None  # the selection survives the refresh after the editor closes


def test_row_text_matches_the_columns(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                      three: dict[str, Any]) -> None:
    page = make_page(qtbot, sqlite_services, sqlite_people.staff)
    page.search.setText("chieu coi")
    page.search.flush()
    shown = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    w = three["weaving"]
    assert shown[:6] == [w.code, w.title, "2026", "KCĐP", "Dự thảo", "Ứng dụng máy móc thiết bị tiên tiến"]
    assert shown[6].startswith("Hợp tác xã Mây tre đan Hưng Thịnh") and shown[7] == "Ninh Bình"
    assert shown[8:] == ["600.000.000", "250.000.000", "350.000.000", "", "0"]


def test_export_writes_the_visible_list(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                        three: dict[str, Any], infos: list[str], tmp_path: Path) -> None:
    page = make_page(qtbot, sqlite_services, sqlite_people.manager)
    page.scope_filter.set_value(Scope.LOCAL)
    target = tmp_path / "de-an.xlsx"
    page.export(str(target))
    assert infos == [f"Đã xuất 2 đề án ra tệp:\n{target}"]
    book = openpyxl.load_workbook(target, read_only=True)
    try:
        rows = [r for r in book.worksheets[0].iter_rows(values_only=True) if any(v is not None for v in r)]
    finally:
        book.close()
    header = next(r for r in rows if r and r[0] == "Mã đề án")
    assert list(header[:len(COLUMNS)]) == [c.header for c in COLUMNS]
    data = [r for r in rows if r and r[0] in {three["weaving"].code, three["bamboo"].code}]
    assert len(data) == 2
    assert all(r[9] == 250_000_000 and r[8] == 600_000_000 for r in data)  # đồng as numbers, summable
    assert any("Khuyến công địa phương" in str(v) for r in rows[:header_index(rows)] for v in r if v)


def header_index(rows: list[tuple[Any, ...]]) -> int:
    return next(i for i, r in enumerate(rows) if r and r[0] == "Mã đề án")


def test_import_button_opens_the_import_dialog(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[Any, ...]] = []

    class FakeImportDialog:
        def __init__(self, services: Services, actor: Any, kind: str, parent: Any) -> None:
            seen.append((services, actor, kind, parent))

        def exec(self) -> int:
            make_proposal(sqlite_services, sqlite_people.staff, title="Đề án vừa nhập")
            return 1

    if "desktop_app.ui.importers.dialog" not in sys.modules:
        try:
            import desktop_app.ui.importers.dialog  # noqa: F401
        except ImportError:  # the import screen is built in parallel; the button's contract is what is tested
            fake = types.ModuleType("desktop_app.ui.importers.dialog")
            monkeypatch.setitem(sys.modules, "desktop_app.ui.importers.dialog", fake)
    monkeypatch.setattr(sys.modules["desktop_app.ui.importers.dialog"], "ImportDialog", FakeImportDialog,
                        raising=False)
    page = make_page(qtbot, sqlite_services, sqlite_people.staff)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert seen == [(sqlite_services, sqlite_people.staff, "proposals", page)]
    assert page.model.total == 1  # refreshed after the import


def test_appraiser_may_not_draft_and_is_told_why(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                 infos: list[str], opened: list[int | None]) -> None:
    make_proposal(sqlite_services, sqlite_people.staff)
    page = make_page(qtbot, sqlite_services, sqlite_people.appraisers[0])
    assert page.model.total == 0  # an appraiser reads only the proposals whose council he sits on
    assert not page.new_button.isEnabled() and not page.import_button.isEnabled()
    assert page.new_button.toolTip() == "Chỉ cán bộ nghiệp vụ hoặc lãnh đạo được lập và sửa đề án."
    page.new_item()
    assert opened == [] and infos == ["Chỉ cán bộ nghiệp vụ hoặc lãnh đạo được lập và sửa đề án."]


def test_real_editor_opens_from_the_list_and_closes_with_escape(qtbot: Any, sqlite_services: Services,
                                                                sqlite_people: Actors) -> None:
    from PySide6.QtCore import QTimer

    d = make_proposal(sqlite_services, sqlite_people.staff)
    page = make_page(qtbot, sqlite_services, sqlite_people.staff)
    seen: list[str] = []

    def close_editor() -> None:
        editor = QApplication.activeModalWidget()
        if editor is None:
            QTimer.singleShot(20, close_editor)
            return
        seen.append(editor.windowTitle())
        qtbot.keyClick(editor, Qt.Key.Key_Escape)

    QTimer.singleShot(0, close_editor)
    page.open_current() if page.current_row() else page.table.selectRow(0)
    page.open_current()
    assert seen == [f"{d.code} – {d.title} – Đề án khuyến công"]


def test_screenshot_of_the_list(qtbot: Any, sqlite_services: Services, sqlite_people: Actors) -> None:
    for i in range(30):
        make_proposal(sqlite_services, sqlite_people.staff,
                      establishment_id=make_establishment(sqlite_services, sqlite_people.staff),
                      title=f"Hỗ trợ ứng dụng máy móc thiết bị tiên tiến số {i + 1}")
    page = make_page(qtbot, sqlite_services, sqlite_people.staff)
    SCREENS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    page.grab().save(str(SCREENS / "page-list.png"))
    assert page.model.total == 30


def test_newest_year_first_and_the_money_fits(qtbot: Any, sqlite_services: Services, sqlite_people: Actors) -> None:
    for year in (2024, 2026, 2025):
        make_proposal(sqlite_services, sqlite_people.staff, year=year, start_date=None, end_date=None)
    page = ProposalsPage(sqlite_services, sqlite_people.staff)
    qtbot.addWidget(page)
    page.resize(1060, 760)  # the room the main window gives the list at 1280 × 800
    page.show()
    qtbot.waitExposed(page)
    assert [r.year for r in page.model.rows()] == [2026, 2025, 2024]
    header = page.table.horizontalHeader()
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in shown]
    assert "Khuyến công đề nghị" in headers and "Tỉnh, thành phố" in headers
    assert sum(header.sectionSize(c) for c in shown) <= page.table.viewport().width()  # no sideways scrolling
    assert header.sectionSize(1) >= 260  # the title is readable, not 60 px
    assert header.sectionSize(0) >= page.table.sizeHintForColumn(0)  # the code is never cut
