"""``export_table`` ("export the list as shown") and the shared Excel sheet: title block, header, formats, frozen
panes, widths, the formula guard, "Tổng cộng", atomic writing, cancellation, and flat memory at 100,000 rows."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from report_records import ORGANISATION

from desktop_app.domain.enums import Status
from desktop_app.domain.errors import UserError
from desktop_app.reports.table_export import export_table
from desktop_app.reports.xlsx import ColumnSpec, Kind, ReportSheet, is_formula_like
from desktop_app.services.progress import Cancelled, Progress

HEADERS = ["STT", "Tên cơ sở", "Ngày thành lập", "Trạng thái", "Kinh phí", "Lao động", "Ghi chú"]


def _rows() -> list[list[object]]:
    return [
        [1, "Hợp tác xã Mây tre đan Phú Vinh", date(2010, 5, 4), Status.APPROVED, 250_000_000, 25, "=1+1"],
        [2, "@SUM(A1:A9)", datetime(2021, 1, 2, 8, 30), Status.DRAFT, Decimal(1_500_000), 3, "+84 912 345 678"],
        [3, "-Cơ sở âm", None, "Đã quyết toán", 0, None, "ghi chú"],
    ]


def test_title_block_header_formats_and_total(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    written = export_table(path, "Danh sách cơ sở", HEADERS, _rows(), numeric_columns={0, 4, 5},
                           organisation=ORGANISATION, subtitle="Tỉnh: Ninh Bình\nNăm 2026", unsummed_columns={0})
    assert written == 3
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "SỞ CÔNG THƯƠNG TỈNH NINH BÌNH"
    assert values[1][0] == "TRUNG TÂM KHUYẾN CÔNG VÀ TƯ VẤN PHÁT TRIỂN CÔNG NGHIỆP"
    assert values[3][0] == "DANH SÁCH CƠ SỞ"
    assert values[4][0] == "Tỉnh: Ninh Bình" and values[5][0] == "Năm 2026"
    assert values[6][-1] == "Đơn vị tính: đồng"
    assert values[7] == HEADERS
    assert ws.freeze_panes == "A9"
    assert ws.cell(4, 1).font.b and ws.cell(4, 1).alignment.horizontal == "centerContinuous"
    header = [ws.cell(8, c) for c in range(1, 8)]
    assert all(c.font.b for c in header)
    # Rows 9–11: numbers, dates, enum labels, text guarded against formulas.
    assert values[8][:6] == [1, "Hợp tác xã Mây tre đan Phú Vinh", datetime(2010, 5, 4), "Đã phê duyệt",
                             250_000_000, 25]
    assert ws.cell(9, 3).number_format == "dd/mm/yyyy" and ws.cell(10, 3).number_format == "dd/mm/yyyy hh:mm"
    assert ws.cell(9, 5).number_format == "#,##0" and ws.cell(10, 5).value == 1_500_000
    for row, col in ((9, 7), (10, 2), (10, 7), (11, 2)):
        cell = ws.cell(row, col)
        assert cell.data_type == "s" and cell.quotePrefix, (row, col, cell.value)
    assert ws.cell(9, 7).value == "=1+1"
    assert not ws.cell(11, 7).quotePrefix
    # The total: STT not summed, "Tổng cộng" in the first wide unsummed column.
    assert values[11][:6] == [None, "Tổng cộng", None, None, 251_500_000, 28]
    assert ws.cell(12, 2).font.b and ws.cell(12, 5).number_format == "#,##0"
    # Widths follow the longest text.
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width


def test_no_numeric_column_means_no_total_and_no_unit(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    export_table(path, "Danh sách", ["Tên", "Ghi chú"], [["A", "B"]])
    values = [[c.value for c in row] for row in openpyxl.load_workbook(path).active.iter_rows()]
    assert values[0][0] == "DANH SÁCH"
    assert not any("Tổng cộng" in str(v) for row in values for v in row)
    assert not any("Đơn vị tính" in str(v) for row in values for v in row)


def test_formula_like_text() -> None:
    assert all(is_formula_like(t) for t in ("=A1", "+1", "-2", "@x"))
    assert not any(is_formula_like(t) for t in ("A=1", " =1", "Tổng", ""))


class _StopAt(Progress):
    def __init__(self, after: int) -> None:
        self.after, self.seen = after, 0
        self.reports: list[tuple[int, int]] = []

    def set_progress(self, done: int, total: int, status: str = "") -> None:
        self.reports.append((done, total))

    def is_cancelled(self) -> bool:
        self.seen += 1
        return self.seen > self.after


def test_cancel_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"previous export")
    rows = ([i, f"Cơ sở {i}", 1000] for i in range(5000))
    with pytest.raises(Cancelled):
        export_table(path, "Danh sách", ["STT", "Tên", "Kinh phí"], rows, {2}, progress=_StopAt(3))
    assert path.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["big.xlsx"]


def test_progress_is_reported(tmp_path: Path) -> None:
    progress = _StopAt(10**9)
    export_table(tmp_path / "p.xlsx", "Danh sách", ["STT", "Tên"], ([i, "x"] for i in range(1200)),
                 progress=progress, total_rows=1200)
    assert (500, 1200) in progress.reports and progress.reports[-1] == (1200, 1200)


def test_unwritable_target_is_a_vietnamese_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Không tìm thấy thư mục lưu tệp"):
        export_table(tmp_path / "missing" / "x.xlsx", "Danh sách", ["A"], [["x"]])
    blocker = tmp_path / "is-a-folder.xlsx"
    blocker.mkdir()
    with pytest.raises(UserError, match="Không ghi được tệp"):
        export_table(blocker, "Danh sách", ["A"], [["x"]])


def test_group_rows_are_bold_and_not_totalled(tmp_path: Path) -> None:
    path = tmp_path / "g.xlsx"
    columns = [ColumnSpec("STT"), ColumnSpec("Nhóm"), ColumnSpec("Kinh phí", Kind.NUMBER)]
    with ReportSheet(path, "Tổng hợp", columns) as sheet:
        sheet.write_row(["I", "2025", 300], group=True)
        sheet.write_row(["1", "A", 100])
        sheet.write_row(["2", "B", 200])
        totals = sheet.finish()
    assert totals == {2: 300} and sheet.rows_written == 2
    ws = openpyxl.load_workbook(path).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[-1] == [None, "Tổng cộng", 300]
    group = next(r for r in ws.iter_rows() if r[0].value == "I")
    assert group[1].font.b and group[2].font.b


@pytest.mark.slow
def test_100k_rows_stream_in_flat_memory(tmp_path: Path) -> None:
    """100,000 rows × 15 cells through a generator: peak memory stays far below holding the rows (measured in a
    fresh interpreter, so the test process's own memory does not count)."""
    out = tmp_path / "big.xlsx"
    script = textwrap.dedent(f"""
        import resource, time
        from datetime import date
        from desktop_app.reports.table_export import export_table
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        headers = ["STT"] + [f"Cột {{i}}" for i in range(1, 15)]
        def rows():
            for i in range(100_000):
                yield [i + 1, f"Hợp tác xã Mây tre đan số {{i}}", "0100233488", "Ninh Bình", "Xã Gia Viễn",
                       "Mây tre đan", "Thôn Đông", "Nguyễn Văn Hưng", "0912345678", date(2020, 1, 1),
                       date(2021, 2, 3), i % 50, 250_000_000 + i, 350_000_000, "ghi chú"]
        start = time.perf_counter()
        n = export_table({str(out)!r}, "Danh sách", headers, rows(), numeric_columns={{12, 13}})
        took = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(n, before, after, took)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2])
    n, before, after, took = result.stdout.split()
    assert int(n) == 100_000
    growth_mib = (int(after) - int(before)) / 1024
    print(f"100k × 15: {float(took):.1f} s, peak RSS {int(after) // 1024} MiB (growth {growth_mib:.0f} MiB)")
    assert growth_mib < 60, f"memory grew {growth_mib:.0f} MiB"
    wb = openpyxl.load_workbook(out, read_only=True)
    last = None
    for row in wb.active.iter_rows(values_only=True):
        last = row
    wb.close()
    assert last is not None and last[1] == "Tổng cộng" and last[12] == sum(250_000_000 + i for i in range(100_000))


def test_integers_autofilter_page_footer_signatures_and_permissions(tmp_path: Path) -> None:
    """STT and years as plain integers, a filter on the header row, "Trang x/y" in the footer, the date line
    and the signatures under the table, and the permissions of any other saved file."""
    import os

    path = tmp_path / "years.xlsx"
    export_table(path, "Danh sách đề án", ["STT", "Tên", "Năm", "Kinh phí"],
                 [[1000, "A", 2026, 999_999_999_999], [1001, "B", 2025, 1]], numeric_columns={0, 2, 3},
                 unsummed_columns={0, 2}, organisation=ORGANISATION)
    ws = openpyxl.load_workbook(path).active
    first = next(r for r in ws.iter_rows() if r[1].value == "A")
    assert first[0].value == 1000 and first[0].number_format == "0"
    assert first[2].value == 2026 and first[2].number_format == "0"
    assert first[3].number_format == "#,##0"
    header_row = first[0].row - 1
    assert ws.auto_filter.ref == f"A{header_row}:D{header_row + 2}"
    assert ws.oddFooter.center.text == "Trang &P/&N"
    texts = [c.value for row in ws.iter_rows(min_row=header_row + 3) for c in row if c.value]
    assert texts[0] == "Tổng cộng"
    assert any(str(t).startswith("Ninh Bình, ngày ") for t in texts)
    assert "NGƯỜI LẬP BIỂU" in texts and "GIÁM ĐỐC" in texts and texts[-1] == "Trần Văn Giám"
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
