"""Printing a PDF the program made (a document, a whole dossier) through Qt's printer.

QtPdf renders each page to an image at the printer's resolution and QPainter puts it on the printer's page,
portrait or landscape as the PDF page is. The standard print dialog gives the printer, the page range and the
number of copies; the copies are left to the printer when it can make them, otherwise each page is painted
that many times.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from desktop_app.domain.errors import UserError

MAX_DPI = 300  # enough for text; a 600 dpi printer would get 4× the pixels for nothing


def load_pdf(data: bytes, parent: QWidget | None = None) -> QPdfDocument:
    """A QtPdf document over ``data`` (the buffer is kept alive by the document)."""
    document = QPdfDocument(parent) if parent is not None else QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    document._kc_buffer = buffer  # type: ignore[attr-defined]
    if document.status() != QPdfDocument.Status.Ready:
        raise UserError("Không đọc được văn bản PDF để in.")
    return document


def _orientation(document: QPdfDocument, page: int) -> QPageLayout.Orientation:
    size = document.pagePointSize(page)
    return QPageLayout.Orientation.Landscape if size.width() > size.height() else QPageLayout.Orientation.Portrait


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Print the pages of ``document`` chosen in ``printer`` (its page range, its copies); returns the number of
    pages sent to the printer.

    Raises:
        UserError: the printer cannot be opened.
    """
    count = document.pageCount()
    if count == 0:
        return 0
    first, last = 0, count - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = min(max(printer.fromPage() - 1, 0), count - 1)
        last = min(max(printer.toPage() - 1, first), count - 1)
    pages = list(range(first, last + 1))
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    sequence = [p for p in pages for _ in range(copies)] if printer.collateCopies() is False else pages * copies
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setPageOrientation(_orientation(document, sequence[0]))
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("Không mở được máy in; hãy kiểm tra máy in đã bật và kết nối.")
    dpi = min(printer.resolution(), MAX_DPI)
    options = QPdfDocumentRenderOptions()
    try:
        for i, page in enumerate(sequence):
            if i:
                printer.setPageOrientation(_orientation(document, page))
                printer.newPage()
            points = document.pagePointSize(page)
            image = document.render(page, QSize(round(points.width() / 72 * dpi),
                                                round(points.height() / 72 * dpi)), options)
            # The page's own size after a change of orientation (the painter keeps the first page's viewport).
            paper = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
            painter.setViewport(paper)
            painter.setWindow(paper)
            painter.drawImage(QRectF(paper), image)
    finally:
        painter.end()
    return len(sequence)


def print_with_dialog(parent: QWidget, data: bytes, title: str) -> int:
    """Ask for the printer, the page range and the copies with the standard dialog, then print ``data``.

    Returns:
        The pages printed; 0 when the user cancelled.
    """
    document = load_pdf(data, parent)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setFromTo(1, document.pageCount())
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"In – {title}")
    dialog.setMinMax(1, document.pageCount())
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCollateCopies, True)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return 0
    return print_document(document, printer)
