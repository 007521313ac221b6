"""The Excel sheet every report and list export writes: title block, header, typed cells, "Tổng cộng" row.

The issue names openpyxl for Excel, but it also asks for flat memory at 100,000 rows; the measurement in
``shared/reading/tech-probe.md`` §4 found XlsxWriter with ``constant_memory`` about twice as fast as openpyxl's
write-only mode at the same memory (11.7 s / 23 MiB against 19.8 s / 27 MiB for 100k × 15 cells). So the program
**writes** with XlsxWriter in constant-memory mode (rows are streamed to a temporary file in order, never kept),
and the tests **read back** with openpyxl.

Rules kept here, so every export follows them:

- a title block: parent body and centre (upper case), the report name, the period or filters, "Đơn vị tính";
- a bold, wrapped, bordered header row; panes frozen under it; column widths from the longest text seen;
- money and counts as numbers with ``#,##0`` (Excel shows them with the user's separators), dates ``dd/mm/yyyy``;
- text that starts with ``=``, ``+``, ``-`` or ``@`` is written as text with Excel's quote prefix, never as a
  formula (a beneficiary named "=HYPERLINK(…)" must not run when a manager opens the file);
- a "Tổng cộng" row summing the numeric columns, computed in Python on exact integers;
- the file appears only when complete: it is written beside the target and renamed at the end, so a cancelled or
  failed export leaves no half-written workbook.
"""

from __future__ import annotations

import contextlib
import enum
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from desktop_app.domain.errors import UserError
from desktop_app.domain.records import OrganisationInfo
from desktop_app.domain.vietnamese import fold, format_document_date, normalize
from desktop_app.progress import NO_PROGRESS, Progress
from desktop_app.reports import templates

MONEY_FORMAT = "#,##0"
INTEGER_FORMAT = "0"
FOOTER = "&CTrang &P/&N"  # page numbers when the sheet is printed
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
TOTAL_LABEL = "Tổng cộng"
FONT = "Times New Roman"
_FORMULA_START = ("=", "+", "-", "@")
_MAX_WIDTH = 60
_MIN_WIDTH = 6
_PROGRESS_EVERY = 500


class Kind(enum.Enum):
    """How a column's cells are written."""

    TEXT = "text"
    NUMBER = "number"  # integers (đồng, counts) with #,##0, summed in the total row
    COUNT = "count"  # plain integers ("2026", not "2.026"), not summed (STT, year)
    DATE = "date"
    PERCENT = "percent"


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a report sheet."""

    header: str
    kind: Kind = Kind.TEXT
    width: float | None = None  # None: from the longest text seen
    total: bool | None = None  # None: summed when kind is NUMBER
    pdf_weight: float | None = None  # share of the page width in a PDF table; None: by kind
    in_pdf: bool = True  # False: only in Excel (a landscape page holds about 13 columns)


def total_label_column(columns: Sequence[ColumnSpec], summed: Sequence[bool]) -> int:
    """Where "Tổng cộng" goes: the first column that is not totalled, skipping a narrow "STT" column."""
    free = [c for c, s in enumerate(summed) if not s]
    wide = [c for c in free if fold(columns[c].header) not in ("stt", "tt", "so tt")]
    return (wide or free or [0])[0]


def is_formula_like(text: str) -> bool:
    """True when Excel would read ``text`` as a formula if it were typed in."""
    return text.startswith(_FORMULA_START)


def cell_text(value: object) -> str:
    """The text shown for a non-numeric value: enum labels, Có/Không, dd/mm/yyyy dates."""
    if value is None:
        return ""
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return str(value)


class ReportSheet:
    """A streamed workbook with one sheet: open it, ``write_row`` in order, ``finish`` to total and save.

    Use as a context manager: on an exception (including :class:`~desktop_app.progress.Cancelled`)
    the temporary file is removed and the target is left untouched.
    """

    def __init__(self, path: Path | str, title: str, columns: Sequence[ColumnSpec], *,
                 organisation: OrganisationInfo | None = None, subtitle: str = "", unit: str = "đồng",
                 sheet_name: str = "Báo cáo", progress: Progress | None = None, total_rows: int | None = None,
                 footer_lines: Sequence[str] = (), on: date | None = None) -> None:
        self.path = Path(path)
        self._organisation = organisation
        self._on = on or date.today()
        self.columns = list(columns)
        if not self.columns:
            raise UserError("Bảng không có cột nào để xuất.")
        self._progress = progress or NO_PROGRESS
        self._total_rows = total_rows
        self._footer = list(footer_lines)
        folder = self.path.parent if str(self.path.parent) else Path(".")
        if not folder.is_dir():
            raise UserError(f"Không tìm thấy thư mục lưu tệp: {folder}")
        fd, tmp = tempfile.mkstemp(prefix=".khuyencong-", suffix=".xlsx", dir=folder)
        os.close(fd)
        self._tmp = Path(tmp)
        self._book = xlsxwriter.Workbook(str(self._tmp), {
            "constant_memory": True,
            # Never guess types from strings: text stays text (formula injection, tax codes with leading zeros).
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        })
        self._sheet = self._book.add_worksheet(_sheet_name(sheet_name))
        self._formats()
        self._widths = [len(c.header) / 2 + 2 for c in self.columns]  # headers wrap onto two lines
        self._sums: list[int | float] = [0] * len(self.columns)
        self.total_row: int | None = None
        self._summed = [c.total if c.total is not None else c.kind is Kind.NUMBER for c in self.columns]
        self._row = 0
        self.rows_written = 0
        self._finished = False
        self._title_block(title, organisation, subtitle, unit)

    # -- formats --------------------------------------------------------------------------------------------------

    def _formats(self) -> None:
        base = {"font_name": FONT, "font_size": 12, "valign": "top"}
        add = self._book.add_format
        self._f_org = add({**base, "align": "center_across"})
        self._f_org_bold = add({**base, "bold": True, "align": "center_across"})
        self._f_title = add({**base, "bold": True, "font_size": 14, "align": "center_across"})
        self._f_subtitle = add({**base, "italic": True, "align": "center_across"})
        self._f_unit = add({**base, "italic": True, "align": "right"})
        self._f_header = add({**base, "bold": True, "text_wrap": True, "align": "center", "valign": "vcenter",
                              "border": 1, "bg_color": "#DDE6F0"})
        cell = {**base, "border": 1}
        self._f_text = add({**cell, "text_wrap": True})
        self._f_quoted = add({**cell, "text_wrap": True, "quote_prefix": True})
        self._f_number = add({**cell, "num_format": MONEY_FORMAT})
        self._f_integer = add({**cell, "num_format": INTEGER_FORMAT, "align": "center"})
        self._f_sign_date = add({**base, "italic": True, "align": "center_across"})
        self._f_sign_title = add({**base, "bold": True, "align": "center_across"})
        self._f_date = add({**cell, "num_format": DATE_FORMAT, "align": "center"})
        self._f_datetime = add({**cell, "num_format": DATETIME_FORMAT, "align": "center"})
        self._f_percent = add({**cell, "num_format": "0.0%"})
        self._f_total_label = add({**cell, "bold": True, "align": "center"})
        self._f_total = add({**cell, "bold": True, "num_format": MONEY_FORMAT})
        self._f_total_blank = add({**cell, "bold": True})
        self._f_footer = add({**base, "italic": True})
        self._f_group_text = add({**cell, "bold": True, "text_wrap": True})
        self._f_group_number = add({**cell, "bold": True, "num_format": MONEY_FORMAT})
        self._f_group_quoted = add({**cell, "bold": True, "text_wrap": True, "quote_prefix": True})

    # -- writing --------------------------------------------------------------------------------------------------

    def _across(self, text: str, fmt: object) -> None:
        """Write ``text`` centred across every column (works in constant-memory mode, unlike merged ranges)."""
        self._sheet.write_string(self._row, 0, text, fmt)
        for col in range(1, len(self.columns)):
            self._sheet.write_blank(self._row, col, None, fmt)
        self._row += 1

    def _title_block(self, title: str, org: OrganisationInfo | None, subtitle: str, unit: str) -> None:
        if org is not None and org.parent_body:
            self._across(normalize(org.parent_body).upper(), self._f_org)
        if org is not None and org.name:
            self._across(normalize(org.name).upper(), self._f_org_bold)
        if org is not None and (org.parent_body or org.name):
            self._row += 1
        self._sheet.set_row(self._row, 20)
        self._across(normalize(title).upper(), self._f_title)
        if subtitle:
            for line in subtitle.splitlines():
                self._across(line, self._f_subtitle)
        if unit and any(c.kind is Kind.NUMBER for c in self.columns):
            self._sheet.write_string(self._row, len(self.columns) - 1, f"Đơn vị tính: {unit}", self._f_unit)
            self._row += 1
        else:
            self._row += 1
        self.header_row = self._row
        for col, spec in enumerate(self.columns):
            self._sheet.write_string(self._row, col, spec.header, self._f_header)
        self._sheet.set_row(self._row, 32)
        self._row += 1
        self._sheet.freeze_panes(self._row, 0)
        self.first_data_row = self._row

    def write_row(self, values: Sequence[object], group: bool = False) -> None:
        """Write one data row, each value as its column's kind says; numbers of summed columns are totalled.

        A ``group`` row (a group heading with its subtotal) is bold and left out of "Tổng cộng" and of the count.
        """
        if self.rows_written % _PROGRESS_EVERY == 0:
            self._progress.check()
            if self.rows_written:
                self._progress.set_progress(self.rows_written, self._total_rows or 0, "Đang ghi tệp Excel…")
        if group:
            for col, spec in enumerate(self.columns):
                value = values[col] if col < len(values) else None
                if isinstance(value, int | float) and not isinstance(value, bool) and spec.kind is not Kind.TEXT:
                    self._sheet.write_number(self._row, col, value, self._f_group_number)
                elif value is None or value == "":
                    self._sheet.write_blank(self._row, col, None, self._f_group_text)
                else:
                    text = cell_text(value)
                    self._sheet.write_string(self._row, col, text,
                                             self._f_group_quoted if is_formula_like(text) else self._f_group_text)
                    self._widen(col, len(text))
            self._row += 1
            return
        for col, spec in enumerate(self.columns):
            value = values[col] if col < len(values) else None
            self._write_cell(col, spec, value)
        self._row += 1
        self.rows_written += 1

    def _write_cell(self, col: int, spec: ColumnSpec, value: object) -> None:
        sheet, row = self._sheet, self._row
        if type(value) is str and value:  # most cells: text as it is (what the general path below does for a str)
            sheet.write_string(row, col, value, self._f_quoted if value.startswith(_FORMULA_START) else self._f_text)
            if len(value) + 2 > self._widths[col]:
                self._widen(col, len(value))
            return
        if value is None or value == "":
            sheet.write_blank(row, col, None, self._f_text)
            return
        if spec.kind in (Kind.NUMBER, Kind.COUNT, Kind.PERCENT) and isinstance(value, (int, float, Decimal)) \
                and not isinstance(value, bool):
            number = int(value) if isinstance(value, int) else value
            if isinstance(number, Decimal):
                number = int(number) if number == number.to_integral_value() else float(number)
            if spec.kind is Kind.PERCENT:
                fmt = self._f_percent
            elif spec.kind is Kind.COUNT and isinstance(number, int):
                fmt = self._f_integer
            else:
                fmt = self._f_number
            sheet.write_number(row, col, number, fmt)
            if self._summed[col]:
                self._sums[col] += number
            self._widen(col, len(f"{number:,}") if isinstance(number, int) else 12)
            return
        if isinstance(value, datetime):
            sheet.write_datetime(row, col, value, self._f_datetime)
            self._widen(col, 16)
            return
        if isinstance(value, date):
            sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), self._f_date)
            self._widen(col, 10)
            return
        text = cell_text(value)
        sheet.write_string(row, col, text, self._f_quoted if is_formula_like(text) else self._f_text)
        self._widen(col, len(text))

    def _widen(self, col: int, length: float) -> None:
        if length + 2 > self._widths[col]:
            self._widths[col] = min(length + 2, _MAX_WIDTH)

    def finish(self) -> dict[int, int | float]:
        """Write the "Tổng cộng" row (when a column is summed), set widths, save and move the file into place.

        Returns:
            The totals by column index.
        """
        totals = {col: self._sums[col] for col, summed in enumerate(self._summed) if summed}
        last_data_row = self._row - 1  # the filter leaves "Tổng cộng" out: sorting must not move it
        if totals:
            label_col = total_label_column(self.columns, self._summed)
            for col in range(len(self.columns)):
                if col in totals:
                    self._sheet.write_number(self._row, col, totals[col], self._f_total)
                    self._widen(col, len(f"{totals[col]:,}"))
                elif col == label_col:
                    self._sheet.write_string(self._row, col, TOTAL_LABEL, self._f_total_label)
                else:
                    self._sheet.write_blank(self._row, col, None, self._f_total_blank)
            self.total_row = self._row
            self._row += 1
        else:
            self.total_row = None
        if self._footer:
            self._row += 1
            for line in self._footer:
                self._sheet.write_string(self._row, 0, line, self._f_footer)
                self._row += 1
        if self._organisation is not None:
            self._signatures()
        if last_data_row > self.header_row:
            self._sheet.autofilter(self.header_row, 0, last_data_row, len(self.columns) - 1)
        for col, spec in enumerate(self.columns):
            width = spec.width if spec.width is not None else self._widths[col]
            self._sheet.set_column(col, col, max(width, _MIN_WIDTH))
        self._sheet.set_landscape()
        self._sheet.set_paper(9)  # A4
        self._sheet.fit_to_pages(1, 0)
        self._sheet.repeat_rows(self.header_row)
        self._sheet.set_footer(FOOTER)
        self._book.close()
        os.replace(self._tmp, self.path)
        match_umask(self.path)
        self._finished = True
        self._progress.set_progress(self.rows_written, self.rows_written, "Đã ghi xong tệp Excel.")
        return totals

    def _signatures(self) -> None:
        """The date line and the two signature blocks under the table, as in the PDF report: "Người lập biểu" at
        left, the director at right (wording from the report template)."""
        org = self._organisation
        assert org is not None
        w = templates.load("report")
        values = {"org_name": normalize(org.name), "parent_body": normalize(org.parent_body),
                  "org_abbr": normalize(org.abbreviation), "place_name": normalize(org.place_name),
                  "director_name": normalize(org.director_name),
                  "director_title": normalize(org.director_title) or "Giám đốc", "unit": ""}
        n = len(self.columns)
        split = max(n // 2, 1)
        left, right = (0, split - 1), (split, n - 1) if n > 1 else (0, 0)

        def across(span: tuple[int, int], value: str, fmt: object) -> None:
            self._sheet.write_string(self._row, span[0], value, fmt)
            for col in range(span[0] + 1, span[1] + 1):
                self._sheet.write_blank(self._row, col, None, fmt)

        self._row += 1
        across(right, format_document_date(values["place_name"], self._on) if values["place_name"]
               else format_document_date("", self._on), self._f_sign_date)
        self._row += 1
        lefts = [x.upper() for x in w.lines("preparer_titles", values)]
        rights = [x.upper() for x in w.lines("signer_titles", values)]
        for i in range(max(len(lefts), len(rights))):
            if i < len(lefts) and n > 1:
                across(left, lefts[i], self._f_sign_title)
            if i < len(rights):
                across(right, rights[i], self._f_sign_title)
            self._row += 1
        self._row += 4  # room to sign
        if values["director_name"]:
            across(right, values["director_name"], self._f_sign_title)
            self._row += 1

    def abort(self) -> None:
        """Drop the temporary file (the target is never touched)."""
        if self._finished:
            return
        with contextlib.suppress(Exception):
            self._book.close()
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()

    def __enter__(self) -> ReportSheet:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            self.abort()


def _sheet_name(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip() or "Báo cáo"
    return cleaned[:31]


def match_umask(path: Path) -> None:
    """Give a file written through a temporary file the permissions of any other file the user saves (0644
    under the usual umask): ``mkstemp`` creates it readable by its owner only."""
    mask = os.umask(0)
    os.umask(mask)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o666 & ~mask)


def save_failed(path: Path, exc: OSError) -> UserError:
    """The Vietnamese message for a file that cannot be written (open in Excel, no permission)."""
    return UserError(f"Không ghi được tệp {path}: {exc.strerror or exc}. "
                     "Nếu tệp đang mở trong Excel, hãy đóng tệp rồi thử lại.")
