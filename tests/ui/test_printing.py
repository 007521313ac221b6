"""Printing from the program, offscreen: a whole dossier through QPrinter into a PDF file (the page count and
the orientation of each page kept, a page range honoured), and the preview's print and Word buttons."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest
from factories import Actors, advance_to, make_proposal
from pypdf import PdfReader
from PySide6.QtCore import QSize
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter

from desktop_app.domain.enums import DocumentKind, Status
from desktop_app.services.context import Services
from desktop_app.ui import printing
from desktop_app.ui.proposals import dialogs as proposal_dialogs

pytestmark = pytest.mark.gui


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(72)  # a quick test: the pages, not the pixels
    return printer


def test_a_whole_dossier_prints_page_for_page(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                              tmp_path: Path) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, d.id, Status.SETTLED)
    data = sqlite_services.documents.dossier(sqlite_people.manager, d.id)
    source = PdfReader(io.BytesIO(data))
    assert len(source.pages) >= 12  # index, eleven documents, the proposal's appendix

    document = printing.load_pdf(data)
    out = tmp_path / "in-ho-so.pdf"
    printed = printing.print_document(document, _pdf_printer(out))
    assert printed == len(source.pages)
    result = PdfReader(str(out))
    assert len(result.pages) == len(source.pages)
    for page, original in zip(result.pages, source.pages, strict=True):
        # Portrait documents print portrait, the landscape budget appendix landscape.
        assert (page.mediabox.width > page.mediabox.height) == (original.mediabox.width > original.mediabox.height)

    # A landscape page is painted across the whole landscape sheet, not squeezed into a portrait one.
    printed_doc = printing.load_pdf(out.read_bytes())
    landscape = next(i for i, p in enumerate(source.pages) if p.mediabox.width > p.mediabox.height)
    image = printed_doc.render(landscape, QSize(297, 210))
    ink = [image.pixelColor(x, y) for x in range(230, 280) for y in range(20, 190)]
    assert sum(1 for c in ink if c.alpha() > 0 and c.lightness() < 160) > 50, \
        "the right part of the landscape sheet holds the table's last columns"

    ranged = _pdf_printer(tmp_path / "trang-2-4.pdf")
    ranged.setPrintRange(QPrinter.PrintRange.PageRange)
    ranged.setFromTo(2, 4)
    assert printing.print_document(document, ranged) == 3
    assert len(PdfReader(str(tmp_path / "trang-2-4.pdf")).pages) == 3
    assert printing._orientation(document, 0) is QPageLayout.Orientation.Portrait


def test_preview_prints_and_exports_word(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    staff = sqlite_people.staff
    data = sqlite_services.documents.render(staff, DocumentKind.PROPOSAL, d.id)
    dialog = proposal_dialogs.PdfPreviewDialog(
        None, "Đề án", data, "de-an.pdf", lambda: sqlite_services.documents.render_docx(staff, "proposal", d.id))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.word_button.isVisible() and dialog.print_button.isVisible()
    saved = dialog.save_word(str(tmp_path / "de-an"))
    assert saved == str(tmp_path / "de-an.docx")
    assert "ĐỀ ÁN" in [p.text for p in docx.Document(saved).paragraphs]

    out = tmp_path / "in.pdf"

    def fake_dialog(parent: Any, pdf: bytes, title: str) -> int:
        return printing.print_document(printing.load_pdf(pdf), _pdf_printer(out))

    monkeypatch.setattr(proposal_dialogs, "print_with_dialog", fake_dialog)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert dialog.print_document() == pages
    assert len(PdfReader(str(out)).pages) == pages
    dialog.resize(1100, 760)
    shots = Path("/tmp/proposals")
    shots.mkdir(exist_ok=True)
    dialog.grab().save(str(shots / "preview-print-word.png"))


def test_documents_tab_offers_the_new_documents_blank_forms_and_dossier_printing(
        qtbot: Any, sqlite_services: Services, sqlite_people: Actors, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui import tasks
    from desktop_app.ui.proposals.editor import TAB_DOCUMENTS, ProposalEditor
    from desktop_app.ui.proposals.tabs import documents as documents_module

    tasks.set_synchronous(True)
    try:
        d = make_proposal(sqlite_services, sqlite_people.staff)
        advance_to(sqlite_services, sqlite_people, d.id, Status.SETTLED)
        editor = ProposalEditor(sqlite_services, sqlite_people.staff, d.id)
        qtbot.addWidget(editor)
        editor.resize(1280, 800)
        editor.show()
        editor.tabs.setCurrentIndex(TAB_DOCUMENTS)
        options = editor.documents.model.rows()
        labels = [o.label for o in options]
        for kind in (DocumentKind.COUNCIL, DocumentKind.CONTRACT, DocumentKind.SETTLEMENT):
            assert any(o.kind is kind and o.enabled for o in options), kind
        blank = [o for o in options if o.blank]
        assert {o.kind for o in blank} == {DocumentKind.SCORE_SHEET, DocumentKind.ACCEPTANCE}
        assert all(o.enabled for o in blank), labels
        assert editor.documents.print_button.isEnabled()
        QApplication.processEvents()
        shots = Path("/tmp/proposals")
        shots.mkdir(exist_ok=True)
        editor.grab().save(str(shots / "editor-documents-new-kinds.png"))

        editor.documents.table.selectRow(options.index(next(o for o in blank if o.kind is DocumentKind.ACCEPTANCE)))
        editor.documents.view()
        assert editor.documents.preview is not None and editor.documents.preview.word_button.isVisible()
        text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(editor.documents.preview.data)).pages)
        assert "mẫu trống" not in text and "Tổng kinh phí được nghiệm thu: …" in " ".join(text.split())
        editor.documents.preview.close()

        printed: list[int] = []
        monkeypatch.setattr(documents_module, "print_with_dialog",
                            lambda _parent, data, _title: printed.append(len(PdfReader(io.BytesIO(data)).pages)))
        editor.documents.print_dossier()
        assert printed and printed[0] >= 12
    finally:
        tasks.set_synchronous(False)
