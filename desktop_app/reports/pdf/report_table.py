"""A summary report as a PDF: landscape A4, the ND 30 header, title, period, unit, one table and the signatures.

It takes the same column specifications and rows as the Excel sheet (:mod:`desktop_app.reports.xlsx`), so every
report can be saved either way with the same figures. Numbers are printed with dot separators, dates dd/mm/yyyy.
A PDF keeps its rows in memory until it is laid out, so very long lists are refused with a hint to use Excel.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from desktop_app.domain.errors import UserError
from desktop_app.domain.vietnamese import format_date, format_vnd
from desktop_app.reports import templates
from desktop_app.reports.pdf.fonts import SERIF, SERIF_BOLD, register_fonts
from desktop_app.reports.pdf.layout import (
    LANDSCAPE_WIDTH,
    MARGIN_TOP,
    Letterhead,
    Signature,
    Styles,
    build_pdf,
    date_line,
    header_block,
    number_line,
    signature_row,
    text,
    title_block,
)
from desktop_app.reports.xlsx import TOTAL_LABEL, ColumnSpec, Kind, cell_text, match_umask, total_label_column
from desktop_app.services.dto import OrganisationInfo
from desktop_app.services.progress import NO_PROGRESS, Progress

MAX_PDF_ROWS = 10_000
_DEFAULT_WEIGHT = {Kind.TEXT: 22.0, Kind.NUMBER: 14.0, Kind.COUNT: 7.0, Kind.DATE: 10.0, Kind.PERCENT: 8.0}
_PROGRESS_EVERY = 200
_TAIL_ROWS = 3  # the last two rows and the total stay with the signatures


def _is_number_column(spec: ColumnSpec) -> bool:
    """An "STT" column holds short numbers or Roman numerals: centred, never widened."""
    return spec.header.strip().upper() in ("STT", "TT", "SỐ TT")


def _cell_style(size: float, bold: bool, align: int) -> ParagraphStyle:
    return ParagraphStyle(f"rt{size}{bold}{align}", fontName=SERIF_BOLD if bold else SERIF, fontSize=size,
                          leading=size * 1.2, alignment=align)


class _PageTop(Flowable):
    """Takes no room; remembers whether it was drawn at the top of a page's frame."""

    def __init__(self) -> None:
        super().__init__()
        self.at_top = False

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        _, y = self.canv.absolutePosition(0, 0)
        self.at_top = y >= self.canv._pagesize[1] - MARGIN_TOP - 1


def _unwrap(items: Sequence[object]) -> list[object]:
    """The content of KeepTogether items (one inside another cannot measure itself)."""
    out: list[object] = []
    for item in items:
        out += list(item._content) if isinstance(item, KeepTogether) else [item]
    return out


class PdfReportTable:
    """Collect rows like :class:`~desktop_app.reports.xlsx.ReportSheet` and lay the report out in ``finish``."""

    def __init__(self, path: Path | str, title: str, columns: Sequence[ColumnSpec], *,
                 organisation: OrganisationInfo | None = None, subtitle: str = "", unit: str = "đồng",
                 progress: Progress | None = None, total_rows: int | None = None,
                 footer_lines: Sequence[str] = (), on: date | None = None) -> None:
        self.path = Path(path)
        self.columns = list(columns)
        if not self.columns:
            raise UserError("Bảng không có cột nào để xuất.")
        register_fonts()
        if total_rows is not None and total_rows > MAX_PDF_ROWS:
            raise UserError(f"Danh sách có {format_vnd(total_rows)} dòng, quá dài để in PDF (tối đa "
                            f"{format_vnd(MAX_PDF_ROWS)} dòng); hãy lưu Excel.")
        folder = self.path.parent if str(self.path.parent) else Path(".")
        if not folder.is_dir():
            raise UserError(f"Không tìm thấy thư mục lưu tệp: {folder}")
        self.title, self.subtitle, self.unit = title, subtitle, unit
        self.organisation = organisation
        self._progress = progress or NO_PROGRESS
        self._total_rows = total_rows
        self._footer = list(footer_lines)
        self._on = on or date.today()
        self._shown = [i for i, c in enumerate(self.columns) if c.in_pdf]
        n = len(self._shown)
        size = 8.0 if n >= 12 else 9.0 if n >= 9 else 10.0 if n >= 6 else 11.0
        self._size = size
        self._styles = {(bold, align): _cell_style(size, bold, align)
                        for bold in (False, True) for align in (TA_LEFT, TA_CENTER, TA_RIGHT)}
        self._rows: list[list[object]] = []
        # The narrowest each column may be: its longest word (a code, a date) must not be broken.
        self._min = [max(stringWidth(w, SERIF_BOLD, size) for w in (self.columns[i].header.split() or [""]))
                     for i in self._shown]
        self._group_rows: list[int] = []
        self._sums: list[int | float] = [0] * len(self.columns)
        self._summed = [c.total if c.total is not None else c.kind is Kind.NUMBER for c in self.columns]
        self.rows_written = 0
        self.total_row: int | None = None

    def _cell(self, spec: ColumnSpec, value: object, bold: bool) -> object:
        if value is None or value == "":
            return ""
        if spec.kind is Kind.NUMBER and isinstance(value, int | Decimal) and not isinstance(value, bool):
            return Paragraph(format_vnd(int(value)), self._styles[(bold, TA_RIGHT)])
        if spec.kind is Kind.COUNT and isinstance(value, int | Decimal) and not isinstance(value, bool):
            return Paragraph(str(int(value)), self._styles[(bold, TA_CENTER)])  # STT, year: "2026", not "2.026"
        if spec.kind is Kind.PERCENT and isinstance(value, int | float | Decimal):
            shown = f"{float(value) * 100:.1f}".replace(".", ",") + "%"
            return Paragraph(shown, self._styles[(bold, TA_RIGHT)])
        if isinstance(value, date):
            shown = cell_text(value) if isinstance(value, datetime) else format_date(value)
            return Paragraph(shown, self._styles[(bold, TA_CENTER)])
        align = TA_CENTER if _is_number_column(spec) else TA_LEFT
        return Paragraph(escape(cell_text(value)), self._styles[(bold, align)])

    def write_row(self, values: Sequence[object], group: bool = False) -> None:
        """Add a row; a ``group`` row is bold and left out of "Tổng cộng" (as in the Excel sheet)."""
        if len(self._rows) % _PROGRESS_EVERY == 0:
            self._progress.check()
            if self._rows:
                self._progress.set_progress(self.rows_written, self._total_rows or 0, "Đang lập bảng PDF…")
        if self.rows_written >= MAX_PDF_ROWS:
            raise UserError(f"Danh sách quá dài để in PDF (hơn {format_vnd(MAX_PDF_ROWS)} dòng); hãy lưu Excel.")
        padded = [values[i] if i < len(values) else None for i in range(len(self.columns))]
        if group:
            self._group_rows.append(len(self._rows))
        else:
            self.rows_written += 1
            for col, value in enumerate(padded):
                if self._summed[col] and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    self._sums[col] += int(value) if isinstance(value, int | Decimal) else value
        self._rows.append([self._cell(self.columns[i], padded[i], group) for i in self._shown])
        for pos, i in enumerate(self._shown):
            value = padded[i]
            kind = self.columns[i].kind
            if kind in (Kind.NUMBER, Kind.COUNT) and isinstance(value, int | Decimal) and not isinstance(value, bool):
                # A figure never wraps: its column is at least as wide as the widest figure written in it.
                shown = format_vnd(int(value)) if kind is Kind.NUMBER else str(int(value))
                self._min[pos] = max(self._min[pos], stringWidth(shown, SERIF_BOLD if group else SERIF, self._size))
            elif kind is Kind.TEXT and value not in (None, ""):
                words = cell_text(value).split()
                if words:
                    font = SERIF_BOLD if group else SERIF
                    widest = max(stringWidth(w, font, self._size) for w in words)
                    self._min[pos] = max(self._min[pos], min(widest, 60 * mm))

    def _tables(self, totals: dict[int, int | float], tail_rows: int, tail_header: bool) -> list[Table]:
        """The table, its last ``tail_rows`` rows (with the total) as a second table of the same columns when
        ``tail_rows`` is set, so that they can stay on the page of the signatures. ``tail_header`` repeats the
        header on top of that second table (when it starts a page)."""
        head_style = _cell_style(self._size, True, TA_CENTER)
        shown = [self.columns[i] for i in self._shown]
        header = [Paragraph(escape(c.header), head_style) for c in shown]
        rows = [header, *self._rows]
        if totals:
            label_col = total_label_column(shown, [self._summed[i] for i in self._shown])
            total: list[object] = [""] * len(shown)
            total[label_col] = Paragraph(TOTAL_LABEL, self._styles[(True, TA_CENTER)])
            for col, value in totals.items():
                if col in self._shown:
                    total[self._shown.index(col)] = Paragraph(format_vnd(int(value)), self._styles[(True, TA_RIGHT)])
            rows.append(total)
        spans: list[tuple[int, int, int]] = []  # (row in rows, first column, last column)
        for r in self._group_rows:
            cells = self._rows[r]
            start = next((c for c in range(len(cells)) if cells[c] != "" and not _is_number_column(shown[c])), None)
            if start is None:
                continue
            end = start
            while end + 1 < len(cells) and cells[end + 1] == "" and shown[end + 1].kind is Kind.TEXT:
                end += 1
            if end > start:
                spans.append((r + 1, start, end))
        widths = self._widths(shown, totals)
        cut = len(rows) - tail_rows if tail_rows and len(rows) - tail_rows >= 2 else len(rows)
        parts = [(rows[:cut], 0, 1)]
        if cut < len(rows):
            parts.append(([header, *rows[cut:]] if tail_header else rows[cut:], cut - (1 if tail_header else 0),
                          1 if tail_header else 0))
        out = []
        for part, offset, repeat in parts:
            table = Table(part, colWidths=widths, repeatRows=repeat, hAlign="CENTER")
            commands: list[tuple[object, ...]] = [
                ("FONT", (0, 0), (-1, -1), SERIF, self._size),
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
            if repeat:
                commands.append(("VALIGN", (0, 0), (-1, 0), "MIDDLE"))
            for row, first, last in spans:
                at = row - offset
                if repeat <= at < len(part) and (offset == 0 or row >= cut):
                    commands.append(("SPAN", (first, at), (last, at)))
            table.setStyle(TableStyle(commands))
            table._kc_role = "grid"
            out.append(table)
        return out

    def _widths(self, shown: Sequence[ColumnSpec], totals: dict[int, int | float]) -> list[float]:
        """Column widths: numbers as wide as their total, dates as a date, text columns at least their longest
        word; the rest of the page is shared by weight."""
        pad = 4 + 1  # cell padding left and right, and a hair
        minimum = list(self._min)
        for pos, c in enumerate(shown):
            i = self._shown[pos]
            if c.kind is Kind.NUMBER:
                minimum[pos] = max(minimum[pos], 10 * mm,
                                   stringWidth(format_vnd(abs(int(totals.get(i, 0)))), SERIF_BOLD, self._size))
            elif c.kind is Kind.DATE:
                minimum[pos] = max(minimum[pos], stringWidth("30/11/2026", SERIF, self._size))
            elif c.kind in (Kind.COUNT, Kind.PERCENT):
                minimum[pos] = max(minimum[pos], stringWidth("100,0%", SERIF, self._size))
        widths = [m + pad for m in minimum]
        free = LANDSCAPE_WIDTH - sum(widths)
        # Text columns take the free width by weight; money columns a third of their weight (they only need
        # room for their figures, but a summary of few columns should not squeeze them against a wide label).
        text_cols = {pos: (c.pdf_weight or _DEFAULT_WEIGHT[c.kind]) * (1 if c.kind is Kind.TEXT else 1 / 3)
                     for pos, c in enumerate(shown)
                     if c.kind in (Kind.TEXT, Kind.NUMBER) and not _is_number_column(c)}
        if free < 0:
            return [w * LANDSCAPE_WIDTH / sum(widths) for w in widths]
        if not text_cols:
            text_cols = dict.fromkeys(range(len(shown)), 1.0)
        total_weight = sum(text_cols.values())
        return [w + free * text_cols.get(pos, 0) / total_weight for pos, w in enumerate(widths)]

    def finish(self) -> dict[int, int | float]:
        """Lay the report out and write the file (atomically); returns the totals by column index."""
        totals = {col: self._sums[col] for col, summed in enumerate(self._summed) if summed}
        org = self.organisation
        head = Letterhead.of(org) if org is not None else Letterhead("", "", "TTKC", "", "", "Giám đốc")
        w = templates.load("report")
        values = {"org_name": head.issuer, "parent_body": head.parent_body, "org_abbr": head.abbreviation,
                  "place_name": head.place_name, "director_name": head.director_name,
                  "director_title": head.director_title, "unit": self.unit}
        story: list[object] = []
        if head.issuer:
            story.append(header_block(head, number_line(None, w.text("symbol"), head.abbreviation),
                                      date_line(head.place_name, self._on), LANDSCAPE_WIDTH))
        story += title_block(self.title, [line for line in self.subtitle.splitlines() if line.strip()],
                             LANDSCAPE_WIDTH, Styles.subtitle)
        if self.unit:
            story.append(text(w.text("unit", values), Styles.unit))
        self.total_row = len(self._rows) + 1 if totals else None
        closing: list[object] = [text(line, Styles.sign_note) for line in self._footer]
        closing.append(signature_row(Signature(tuple(w.lines("preparer_titles", values))),
                                     Signature(tuple(w.lines("signer_titles", values)), head.director_name),
                                     LANDSCAPE_WIDTH))

        def page_done(page: int) -> None:
            self._progress.check()
            self._progress.set_progress(page, 0, f"Đang dàn trang PDF (trang {page})…")

        def lay_out(tail_header: bool) -> tuple[bytes, bool]:
            # The last rows of the table (and the total) go with the signatures, so that no page holds only
            # the signatures; the marker tells whether that group had to start a new page.
            *body, tail = self._tables(totals, _TAIL_ROWS, tail_header)
            marker = _PageTop()
            flow = [*story, *body, KeepTogether([marker, tail, *_unwrap(closing)])] if body else \
                [*story, KeepTogether([marker, tail, *_unwrap(closing)])]
            data = build_pdf(flow, title=self.title, author=head.issuer, subject=self.subtitle,
                             landscape_pages=True, on_progress=page_done)
            return data, bool(body) and marker.at_top

        data, tail_on_new_page = lay_out(False)
        if tail_on_new_page:
            # The closing rows start a page: they get the header row again, as every page of the table does.
            data, _ = lay_out(True)
        folder = self.path.parent if str(self.path.parent) else Path(".")
        fd, tmp = tempfile.mkstemp(prefix=".khuyencong-", suffix=".pdf", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, self.path)
            match_umask(self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self._progress.set_progress(self.rows_written, self.rows_written, "Đã ghi xong tệp PDF.")
        return totals

    def abort(self) -> None:
        self._rows.clear()

    def __enter__(self) -> PdfReportTable:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            self.abort()
