"""One report, two formats: the writer for ``.xlsx`` (streamed, XlsxWriter) or ``.pdf`` (reportlab, landscape).

The report services describe a report once (title, period, columns, unit) and feed rows to whichever writer the
file name asks for; both total the same columns into "Tổng cộng", so the Excel file and the PDF agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.records import OrganisationInfo
from desktop_app.progress import Progress
from desktop_app.reports.xlsx import ColumnSpec, ReportSheet, save_failed

FORMATS = (".xlsx", ".pdf")


@dataclass(frozen=True)
class TableReport:
    """What a report is: its title, period or filters (one line per ``\\n``), columns and unit."""

    title: str
    subtitle: str
    columns: Sequence[ColumnSpec]
    unit: str = "đồng"
    sheet_name: str = "Báo cáo"
    footer_lines: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Row:
    """A row of a report; a ``group`` row heads a group with its subtotal (bold, not in "Tổng cộng")."""

    values: Sequence[object]
    group: bool = False


class ReportWriter(Protocol):
    rows_written: int

    def write_row(self, values: Sequence[object], group: bool = False) -> None: ...

    def finish(self) -> dict[int, int | float]: ...

    def abort(self) -> None: ...


def output_format(path: Path | str) -> str:
    """".xlsx" or ".pdf" from the file name.

    Raises:
        ValidationError: another extension.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError(f"Tệp “{Path(path).name}” phải có đuôi .xlsx (Excel) hoặc .pdf.", field="out")
    return suffix


def open_writer(path: Path | str, report: TableReport, organisation: OrganisationInfo | None,
                progress: Progress | None = None, total_rows: int | None = None) -> ReportWriter:
    """The writer for ``path`` (by its extension)."""
    if output_format(path) == ".pdf":
        from desktop_app.reports.pdf.report_table import PdfReportTable  # reportlab (~0.1 s): only a PDF needs it

        return PdfReportTable(path, report.title, report.columns, organisation=organisation,
                              subtitle=report.subtitle, unit=report.unit, progress=progress, total_rows=total_rows,
                              footer_lines=report.footer_lines)
    return ReportSheet(path, report.title, report.columns, organisation=organisation, subtitle=report.subtitle,
                       unit=report.unit, sheet_name=report.sheet_name, progress=progress, total_rows=total_rows,
                       footer_lines=report.footer_lines)


def write_report(path: Path | str, report: TableReport, rows: Iterable[Row | Sequence[object]],
                 organisation: OrganisationInfo | None = None, progress: Progress | None = None,
                 total_rows: int | None = None) -> tuple[int, dict[int, int | float]]:
    """Write ``rows`` as ``report`` to ``path`` (.xlsx or .pdf); returns (data rows written, totals by column).

    Nothing is left at ``path`` when writing fails or is cancelled.

    Raises:
        UserError: bad extension, missing folder, the file is open elsewhere.
        Cancelled: the user cancelled.
    """
    path = Path(path)
    try:
        writer = open_writer(path, report, organisation, progress, total_rows)
    except BaseException:
        _close(rows)
        raise
    try:
        for row in rows:
            if isinstance(row, Row):
                writer.write_row(row.values, row.group)
            else:
                writer.write_row(row)
        totals = writer.finish()
    except OSError as exc:
        writer.abort()
        raise save_failed(path, exc) from exc
    except BaseException:
        writer.abort()
        raise
    finally:
        # A database cursor behind a generator is released now, not when the generator is collected.
        _close(rows)
    return writer.rows_written, totals


def _close(rows: object) -> None:
    close = getattr(rows, "close", None)
    if callable(close):
        close()
