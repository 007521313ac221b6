"""The two workbooks the importers write: the rejected rows with their reasons, and the empty template.

Both are written with XlsxWriter (``shared/reading/tech-probe.md`` §4) into a temporary file beside the target and
renamed at the end, so a failure leaves no half-written workbook. Cell text that starts with ``=``, ``+``, ``-`` or
``@`` is written as text, never as a formula.

- The rejected-rows workbook has the header in row 1 (the file's own column names, so after correcting it can be
  imported again), the row's number in the original file first and the reason last.
- The template has the header row (required columns marked "*"), drop-down lists for the coded columns (legal
  form, sector, province, commune, funding source, content, form, state) fed from a "Danh mục" sheet, number and
  date formats, and a "Hướng dẫn" sheet explaining every column.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from desktop_app.domain.errors import UserError
from desktop_app.importers.columns import columns_for

__all__ = ["REASON_HEADER", "ROW_HEADER", "TEMPLATE_ROWS", "write_rejected_rows", "write_template"]

ROW_HEADER = "Dòng trong tệp gốc"
REASON_HEADER = "Lý do bị loại"
TEMPLATE_ROWS = 5000  # rows that get the drop-down lists and formats
_FONT = "Times New Roman"
_FORMULA_START = ("=", "+", "-", "@")
_SHEET_NAMES = {"establishments": "Cơ sở", "proposals": "Đề án"}
_TITLES = {"establishments": "MẪU NHẬP DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN",
           "proposals": "MẪU NHẬP DANH SÁCH ĐỀ ÁN KHUYẾN CÔNG"}
_DATE_FIELDS = {"founded_on", "start_date", "end_date"}
_TEXT_FIELDS = {"tax_code", "phone", "code"}


def _write_atomically(path: Path, build: Any, constant_memory: bool) -> None:
    """Write through ``build(workbook)`` into a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"Thư mục “{folder}” không tồn tại.")
    handle, temp = tempfile.mkstemp(suffix=".xlsx", prefix=".tmp-", dir=folder)
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(temp, {"constant_memory": constant_memory, "strings_to_formulas": False,
                                              "strings_to_numbers": False, "strings_to_urls": False})
        build(workbook)
        workbook.close()
        os.replace(temp, path)
    except PermissionError as exc:
        raise UserError(f"Không ghi được tệp “{path.name}”: tệp đang mở trong chương trình khác hoặc không có "
                        "quyền ghi. Hãy đóng tệp rồi thử lại.") from exc
    except OSError as exc:
        raise UserError(f"Không ghi được tệp “{path.name}”: {exc.strerror or exc}.") from exc
    finally:
        with contextlib.suppress(OSError):
            os.remove(temp)


def _cell(sheet: Any, row: int, col: int, value: object, formats: dict[str, Any]) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime.combine(value, time()), formats["date"])
    elif isinstance(value, int | float | Decimal):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            sheet.write_string(row, col, str(value))
        else:
            sheet.write_number(row, col, number, formats["number"] if number == int(number) else None)
    elif isinstance(value, time):
        sheet.write_string(row, col, value.isoformat())
    else:
        text = str(value)[:32767]
        sheet.write_string(row, col, text, formats["quoted"] if text.startswith(_FORMULA_START) else None)


def write_rejected_rows(path: str | Path, labels: Sequence[str], rows: Iterable[tuple[int, Sequence[object], str]],
                        sheet_name: str = "Dòng bị loại") -> int:
    """Write the rows that were not imported, each with its reason.

    Args:
        path: the .xlsx to write (replaced if it exists).
        labels: the header of the original file, column by column.
        rows: (row number in the original file, its cell values, the reason).
        sheet_name: the sheet's name.

    Returns:
        The number of rows written.

    Raises:
        UserError: the file cannot be written (open in Excel, no permission, no such folder).
    """
    written = 0

    def build(workbook: Any) -> None:
        nonlocal written
        header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "border": 1,
                                      "bg_color": "#DDEBF7", "font_name": _FONT})
        formats = {"date": workbook.add_format({"num_format": "dd/mm/yyyy", "font_name": _FONT}),
                   "number": workbook.add_format({"num_format": "#,##0", "font_name": _FONT}),
                   "quoted": workbook.add_format({"quote_prefix": True, "font_name": _FONT})}
        reason_format = workbook.add_format({"text_wrap": True, "font_color": "#9C0006", "font_name": _FONT,
                                             "valign": "top"})
        sheet = workbook.add_worksheet(sheet_name[:31])
        width = len(labels)
        heads = [ROW_HEADER, *labels, REASON_HEADER]
        sheet.set_column(0, 0, 10)
        for i, label in enumerate(labels, start=1):
            sheet.set_column(i, i, max(10, min(40, len(label) + 4)))
        sheet.set_column(width + 1, width + 1, 70)
        sheet.set_row(0, 32)
        for i, text in enumerate(heads):
            sheet.write_string(0, i, text, header)
        sheet.freeze_panes(1, 1)
        for number, values, reason in rows:
            written += 1
            sheet.write_number(written, 0, number)
            for i in range(width):
                value = values[i] if i < len(values) else None
                _cell(sheet, written, i + 1, value, formats)
            sheet.write_string(written, width + 1, reason, reason_format)
        sheet.autofilter(0, 0, max(written, 1), width + 1)

    _write_atomically(Path(path), build, constant_memory=True)
    return written


def _list_range(sheet_name: str, col: int, count: int) -> str:
    letter = xl_col_to_name(col)
    return f"='{sheet_name}'!${letter}$2:${letter}${max(count, 1) + 1}"


def write_template(path: str | Path, kind: str, lists: dict[str, list[str]]) -> None:
    """Write the empty import template of ``kind``.

    Args:
        path: the .xlsx to write.
        kind: "establishments" or "proposals".
        lists: the entries of each drop-down list by name ("legal_form", "sector", "province", "commune",
            "scope", "content", "form", "status"); a list that is missing or empty gets no drop-down.

    Raises:
        UserError: the file cannot be written.
    """
    specs = columns_for(kind)
    data_name = _SHEET_NAMES[kind]
    list_name = "Danh mục"

    def build(workbook: Any) -> None:
        header = workbook.add_format({"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter",
                                      "border": 1, "bg_color": "#DDEBF7", "font_name": _FONT})
        required = workbook.add_format({"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter",
                                        "border": 1, "bg_color": "#FCE4D6", "font_name": _FONT})
        body = {"text": workbook.add_format({"num_format": "@", "font_name": _FONT}),
                "date": workbook.add_format({"num_format": "dd/mm/yyyy", "font_name": _FONT}),
                "money": workbook.add_format({"num_format": "#,##0", "font_name": _FONT}),
                "plain": workbook.add_format({"font_name": _FONT})}
        bold = workbook.add_format({"bold": True, "font_name": _FONT, "font_size": 13})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top", "font_name": _FONT})
        wrap_bold = workbook.add_format({"text_wrap": True, "valign": "top", "bold": True, "font_name": _FONT})
        head_small = workbook.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "font_name": _FONT})

        data = workbook.add_worksheet(data_name)
        guide = workbook.add_worksheet("Hướng dẫn")
        names = workbook.add_worksheet(list_name)

        # The list sheet first: the data sheet's validations point at it. Its headers are not import headers.
        used = [c.choices for c in specs if c.choices and lists.get(c.choices)]
        order = list(dict.fromkeys(used))
        list_col = {name: i for i, name in enumerate(order)}
        titles = {"legal_form": "Danh sách loại hình", "sector": "Danh sách ngành nghề",
                  "province": "Danh sách tỉnh, thành phố", "commune": "Danh sách xã, phường, đặc khu",
                  "scope": "Danh sách nguồn kinh phí", "content": "Danh sách nội dung khuyến công",
                  "form": "Danh sách hình thức đề án", "status": "Danh sách trạng thái"}
        for name, col in list_col.items():
            names.write_string(0, col, titles.get(name, name), head_small)
            names.set_column(col, col, 48 if name in ("content", "commune") else 28)
            for r, entry in enumerate(lists[name], start=1):
                names.write_string(r, col, entry)

        for col, spec in enumerate(specs):
            label = f"{spec.label} *" if spec.required else spec.label
            data.write_string(0, col, label, required if spec.required else header)
            fmt = (body["date"] if spec.field in _DATE_FIELDS else body["money"] if spec.money
                   else body["text"] if spec.field in _TEXT_FIELDS else body["plain"])
            data.set_column(col, col, spec.width, fmt)
            if spec.choices and spec.choices in list_col:
                strict = spec.choices in ("legal_form", "scope", "form", "status")
                data.data_validation(1, col, TEMPLATE_ROWS, col, {
                    "validate": "list",
                    "source": _list_range(list_name, list_col[spec.choices], len(lists[spec.choices])),
                    "error_type": "stop" if strict else "warning",
                    "error_title": "Giá trị không có trong danh mục",
                    "error_message": f"Hãy chọn {spec.label.lower()} trong danh sách (sheet “{list_name}”)."[:255],
                    "input_title": spec.label[:32],
                    "input_message": (spec.help or f"Chọn {spec.label.lower()} trong danh sách.")[:255],
                })
            elif spec.field in _DATE_FIELDS:
                data.data_validation(1, col, TEMPLATE_ROWS, col, {
                    "validate": "any", "input_title": spec.label[:32],
                    "input_message": "Ngày dạng dd/mm/yyyy, ví dụ 05/11/2020."})
        data.set_row(0, 36)
        data.freeze_panes(1, 0)

        guide.set_column(0, 0, 30)
        guide.set_column(1, 1, 12)
        guide.set_column(2, 2, 90)
        guide.write_string(0, 0, _TITLES[kind], bold)
        lines = [
            f"1. Nhập mỗi {('cơ sở' if kind == 'establishments' else 'đề án')} trên một dòng của sheet "
            f"“{data_name}”, bắt đầu từ dòng 2; không đổi tên các cột. Cột có dấu * là bắt buộc.",
            "2. Có thể đổi thứ tự cột, bỏ cột không dùng, hoặc dùng danh sách sẵn có: chương trình nhận cột theo "
            "tên tiêu đề (không phân biệt chữ hoa, dấu, khoảng trắng), bỏ qua phần tiêu đề phía trên, dòng tổng "
            "cộng và phần chữ ký phía dưới.",
            "3. Số tiền ghi bằng số hoặc chữ số có dấu chấm, dấu phẩy (1.234.567 hoặc 1,234,567 đ). Cột có ghi "
            "“(triệu đồng)” trong tiêu đề được hiểu theo triệu đồng.",
            "4. Ngày ghi dạng dd/mm/yyyy (05/11/2020) hoặc định dạng ngày của Excel.",
            "5. Địa chỉ trước 01/7/2025 có thể ghi theo tỉnh, huyện, xã cũ (Xã Nam Thanh, Huyện Nam Trực, Tỉnh Nam "
            "Định): chương trình giữ nguyên địa chỉ đã ghi và tự chuyển sang tỉnh, xã mới; xã cũ bị chia cho "
            "nhiều xã mới được đánh dấu để người dùng xác nhận.",
            "6. Dòng lỗi được báo rõ số dòng, cột và lý do; có thể lưu các dòng bị loại ra tệp riêng, sửa rồi nhập "
            "lại.",
        ]
        for i, line in enumerate(lines, start=2):
            guide.merge_range(i, 0, i, 2, line, wrap)
            guide.set_row(i, 32)
        top = len(lines) + 3
        for col, text in enumerate(("Cột", "Bắt buộc", "Cách ghi")):
            guide.write_string(top, col, text, head_small)
        for r, spec in enumerate(specs, start=top + 1):
            guide.write_string(r, 0, spec.label, wrap_bold)
            guide.write_string(r, 1, "Có" if spec.required else "", wrap)
            other = ", ".join(f"“{a}”" for a in spec.aliases[:4])
            text = spec.help or ""
            if other:
                text = f"{text} Cũng nhận tiêu đề: {other}.".strip()
            guide.write_string(r, 2, text, wrap)
        data.activate()

    # Not constant-memory: the list sheet is written column by column.
    _write_atomically(Path(path), build, constant_memory=False)
