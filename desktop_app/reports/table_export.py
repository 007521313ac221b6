"""Export a list exactly as the screen shows it ("Xuất Excel" on every list screen).

The screens hand over their visible column titles and the displayed rows (streamed from the service, page by page);
this module writes them with the shared report sheet (:mod:`desktop_app.reports.xlsx`): XlsxWriter in
constant-memory mode, title block, bold header, frozen panes, widths, ``#,##0`` for the numeric columns,
``dd/mm/yyyy`` for dates, text that looks like a formula kept as text, and a "Tổng cộng" row for the numeric columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path

from desktop_app.reports.xlsx import ColumnSpec, Kind, ReportSheet, save_failed
from desktop_app.services.dto import OrganisationInfo
from desktop_app.services.progress import Progress


def export_table(path: Path | str, title: str, headers: list[str], rows: Iterable[Sequence[object]],
                 numeric_columns: AbstractSet[int] = frozenset(), organisation: OrganisationInfo | None = None,
                 subtitle: str = "", progress: Progress | None = None, *, total_rows: int | None = None,
                 unsummed_columns: AbstractSet[int] = frozenset(), unit: str = "đồng") -> int:
    """Write ``rows`` under ``headers`` to the workbook ``path`` and return the number of rows written.

    Args:
        path: the .xlsx file to create (replaced when it exists, only once the export is complete).
        title: the report name shown above the table (printed upper case).
        headers: the column titles as on screen.
        rows: the rows as on screen; values may be ``str``, ``int`` (đồng, counts), ``Decimal``, ``date``,
            ``datetime``, ``bool``, enums with a ``label``, or ``None``.
        numeric_columns: indexes of columns written as numbers with ``#,##0`` and summed in "Tổng cộng".
        organisation: the letterhead printed above the title; ``None`` leaves it out.
        subtitle: the filters or period, one line per ``\\n``.
        progress: reports rows written and lets the user cancel (raises ``Cancelled``; no file is left).
        total_rows: the expected row count when known, for a determinate progress bar.
        unsummed_columns: numeric columns that must not be totalled (STT, year, a percentage).
        unit: the unit after "Đơn vị tính:" (shown when a numeric column exists).

    Raises:
        UserError: the file cannot be written (folder missing, file open in Excel, no permission).
        Cancelled: the user cancelled.
    """
    path = Path(path)
    # An unsummed numeric column (STT, year) is a plain integer: "2026", not "2.026".
    columns = [ColumnSpec(h, (Kind.COUNT if i in unsummed_columns else Kind.NUMBER) if i in numeric_columns
                          else Kind.TEXT, total=False if i in unsummed_columns else None)
               for i, h in enumerate(headers)]
    try:
        with ReportSheet(path, title, columns, organisation=organisation, subtitle=subtitle, unit=unit,
                         progress=progress, total_rows=total_rows) as sheet:
            for row in rows:
                sheet.write_row(row)
            sheet.finish()
            return sheet.rows_written
    except OSError as exc:
        raise save_failed(path, exc) from exc
