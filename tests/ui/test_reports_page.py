"""The Báo cáo screen: parameters per report, the PDF preview, saving Excel and PDF in the background, errors."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from factories import Actors, advance_to, make_proposal
from PySide6.QtCore import QSettings, Qt
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from desktop_app.domain.enums import Scope, Status
from desktop_app.services.context import Services
from desktop_app.ui import msgbox, tasks
from desktop_app.ui.reports.page import ReportsPage

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _own_settings_and_inline_tasks(tmp_path: Path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(msgbox, "information", lambda _p, text, title="": seen.append(("info", text)))
    monkeypatch.setattr(msgbox, "warning", lambda _p, text, title="": seen.append(("warning", text)))
    return seen


def _page(qtbot: QtBot, services: Services, people: Actors) -> ReportsPage:
    page = ReportsPage(services, people.manager)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    return page


def test_parameters_follow_the_chosen_report(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors) -> None:
    page = _page(qtbot, sqlite_services, sqlite_people)
    form = page._form
    visible = lambda key: form.isRowVisible(page._rows[key])  # noqa: E731
    assert page.kind().key == "funding"
    assert visible("grouping") and visible("as_recorded") and not visible("legal_form")
    page.set_report("establishments")
    assert visible("legal_form") and visible("archived") and not visible("years") and not visible("grouping")
    assert page.commune.codes() == [None]
    page.province.set_code("37")
    assert len(page.commune.codes()) > 10 and page.commune.code() is None
    page.set_report("registration")
    assert visible("plan_year") and not visible("scope")
    assert page.suggested_name(".xlsx").startswith("dang-ky-kcqg-")


def test_preview_and_save_funding(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors, tmp_path: Path,
                                  messages, monkeypatch: pytest.MonkeyPatch) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff, scope=Scope.NATIONAL)
    advance_to(sqlite_services, sqlite_people, d.id, Status.APPROVED)
    page = _page(qtbot, sqlite_services, sqlite_people)
    page.from_year.setValue(2026)
    page.to_year.setValue(2026)
    page.group_1.setCurrentIndex(page.group_1.findData("year"))
    page.group_2.setCurrentIndex(page.group_2.findData("scope"))

    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.pdf_document.status() is QPdfDocument.Status.Ready
    assert page.pdf_document.pageCount() == 1
    assert page.pdf_view.isVisible() and not page.preview_hint.isVisible()
    assert page.last_result is not None and page.last_result.totals["support"] == 250_000_000
    assert "Bản xem trước: 1 dòng, 1 trang." in page.status_label.text()
    qtbot.wait(300)  # the view renders pages on a worker thread
    shot = Path(os.environ.get("KHUYENCONG_SCREENSHOTS", tmp_path)) / "reports-page.png"
    assert page.grab().save(str(shot))

    target = tmp_path / "out" / "kinh-phi.xlsx"
    target.parent.mkdir()
    monkeypatch.setattr(page, "ask_save_path", lambda suffix: str(target.with_suffix(suffix)))
    page.excel_button.click()
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    total = next(r for r in rows if "Tổng cộng" in r)
    assert total[1:4] == ("Tổng cộng", 1, 600_000_000)
    assert messages and messages[-1][0] == "info" and str(target) in messages[-1][1]

    page.pdf_button.click()
    assert target.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


def test_errors_are_shown_and_nothing_is_written(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                                 tmp_path: Path, messages, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(qtbot, sqlite_services, sqlite_people)
    page.from_year.setValue(2027)
    page.to_year.setValue(2026)
    target = tmp_path / "out.xlsx"
    monkeypatch.setattr(page, "ask_save_path", lambda suffix: str(target))
    page.excel_button.click()
    assert messages == [("warning", "Năm bắt đầu (2027) sau năm kết thúc (2026).")]
    assert not target.exists()
    assert page.excel_button.isEnabled() and page.status_label.text() == "Chưa lập được báo cáo."


def test_an_appraiser_is_refused_by_the_service(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                                messages) -> None:
    page = ReportsPage(sqlite_services, sqlite_people.appraisers[0])
    qtbot.addWidget(page)
    page.preview()
    assert messages and messages[0][0] == "warning" and "không được lập báo cáo" in messages[0][1]


def test_every_report_previews(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors, messages) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, d.id, Status.IN_PROGRESS)
    page = _page(qtbot, sqlite_services, sqlite_people)
    page.from_year.setValue(2026)
    page.to_year.setValue(2026)
    page.plan_year.setValue(2026)
    for key in ("funding", "proposals", "establishments", "progress", "registration"):
        page.set_report(key)
        page.preview()
        assert page.pdf_document.pageCount() >= 1, key
    assert not [m for m in messages if m[0] == "warning"]


def test_print_button_and_ctrl_p_print_the_chosen_report(qtbot: QtBot, sqlite_services: Services,
                                                         sqlite_people: Actors, tmp_path: Path, messages,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """"In…" makes the report's PDF and hands it to the program's print path; the print dialog is replaced by one
    that chooses a PDF printer, so what reaches the printer can be read back."""
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from desktop_app.ui import printing
    from desktop_app.ui.main_window import MainWindow

    make_proposal(sqlite_services, sqlite_people.staff, title="Hỗ trợ máy dệt mây tre cho HTX Phú Vinh")
    dialogs: list[tuple[str, str, Path]] = []

    class ChosenPrinter:
        """The print dialog, answered: a PDF printer, all pages, accepted."""

        DialogCode = QPrintDialog.DialogCode

        def __init__(self, printer: QPrinter, _parent: object) -> None:
            self.printer, self.title = printer, ""
            out = tmp_path / f"printed-{len(dialogs)}.pdf"
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))
            printer.setResolution(72)
            self.out = out

        def setWindowTitle(self, title: str) -> None:
            self.title = title

        def setMinMax(self, *_: int) -> None:
            pass

        def setOption(self, *_: object) -> None:
            pass

        def exec(self) -> QPrintDialog.DialogCode:
            dialogs.append((self.title, self.printer.docName(), self.out))
            return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(printing, "QPrintDialog", ChosenPrinter)
    page = _page(qtbot, sqlite_services, sqlite_people)
    page.set_report("proposals")
    page.from_year.setValue(2026)
    page.to_year.setValue(2026)
    assert page.print_button.text() == "In…" and "Ctrl+P" in page.print_button.toolTip()
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert len(dialogs) == 1, messages
    title, doc_name, out = dialogs[0]
    assert (title, doc_name) == ("In – Danh sách đề án", "Danh sách đề án")
    printed = PdfReader(str(out))
    assert len(printed.pages) >= 1 and out.stat().st_size > 1000
    assert page.status_label.text() == f"Đã gửi {len(printed.pages)} trang “Danh sách đề án” tới máy in."
    assert page.print_button.isEnabled()

    # Ctrl+P in the main window prints the report chosen on the Báo cáo screen
    window = MainWindow(sqlite_services, sqlite_people.manager)
    qtbot.addWidget(window)
    window.show()
    window.show_screen_by_key("reports")
    reports = window.current_page()
    assert isinstance(reports, ReportsPage)
    reports.set_report("funding")
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert [d[:2] for d in dialogs[1:]] == [("In – Tổng hợp kinh phí khuyến công", "Tổng hợp kinh phí khuyến công")]
    assert PdfReader(str(dialogs[1][2])).pages
    shot = Path(os.environ.get("KHUYENCONG_SCREENSHOTS", "/tmp")) / "reports-print.png"
    page.grab().save(str(shot))
