"""The workbooks the importers write: the rejected rows with their reasons, and the template."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from desktop_app.domain.errors import UserError
from desktop_app.importers.columns import columns_for
from desktop_app.importers.reader import read_table
from desktop_app.importers.rows import OK, Catalogue, RowParser
from desktop_app.importers.writer import REASON_HEADER, ROW_HEADER, write_rejected_rows, write_template


def test_rejected_rows_keep_the_header_values_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "loai.xlsx"
    labels = ["Tên cơ sở", "Số lao động", "Ngày thành lập", "Ghi chú"]
    count = write_rejected_rows(path, labels, [
        (9, ("HTX A", "mười", datetime(2010, 5, 1), "=HYPERLINK(\"http://x\")"), "Số lao động: không phải là số."),
        (12, ("Cty B", 1234567), "Chưa nhập tỉnh/thành phố."),
    ])
    assert count == 2
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[1]] == [ROW_HEADER, *labels, REASON_HEADER]
    assert [c.value for c in ws[2]] == [9, "HTX A", "mười", datetime(2010, 5, 1), "=HYPERLINK(\"http://x\")",
                                        "Số lao động: không phải là số."]
    assert ws["E2"].data_type == "s"  # text, never a formula that runs when opened
    assert [c.value for c in ws[3]] == [12, "Cty B", 1234567, None, None, "Chưa nhập tỉnh/thành phố."]
    assert ws["D2"].number_format == "dd/mm/yyyy"


def test_rejected_rows_can_be_imported_again_after_correction(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "loai.xlsx"
    labels = ["Tên cơ sở", "Loại hình", "Tỉnh/thành phố"]
    write_rejected_rows(path, labels, [(7, ("HTX Yên Phúc", "HTX", "Nam Định"), "Đã sửa.")])
    table = read_table(path, "establishments")
    row = RowParser("establishments", table.header, catalogue).parse(table.rows[0])
    assert row.status == OK and row.establishment is not None and row.establishment.name == "HTX Yên Phúc"


def test_writing_into_a_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        write_rejected_rows(tmp_path / "khong-co" / "loai.xlsx", ["A"], [])
    assert "không tồn tại" in info.value.message


LISTS = {"legal_form": ["Doanh nghiệp nhỏ và vừa", "Hợp tác xã"], "sector": ["Dệt may", "Cơ khí"],
         "province": ["Ninh Bình", "Hà Nội"], "commune": ["Xã Nam Ninh", "Phường Ba Đình"], "scope": ["KCQG", "KCĐP"],
         "content": ["Ứng dụng máy móc thiết bị tiên tiến"], "form": ["Đề án đơn lẻ"], "status": ["Dự thảo"]}


@pytest.mark.parametrize("kind", ["establishments", "proposals"])
def test_template_has_header_instructions_and_drop_downs(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"mau-{kind}.xlsx"
    write_template(path, kind, LISTS)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Cơ sở" if kind == "establishments" else "Đề án", "Hướng dẫn", "Danh mục"]
    data = wb.worksheets[0]
    specs = columns_for(kind)
    assert [c.value for c in data[1]] == [f"{s.label} *" if s.required else s.label for s in specs]
    validations = {str(v.sqref).split(":")[0]: v for v in data.data_validations.dataValidation if v.type == "list"}
    coded = [i for i, s in enumerate(specs) if s.choices]
    assert len(validations) == len(coded)
    first = openpyxl.utils.get_column_letter(coded[0] + 1) + "2"
    assert validations[first].formula1.startswith("'Danh mục'!$")
    guide = [c.value for c in wb["Hướng dẫn"]["A"] if c.value]
    assert all(s.label in guide for s in specs)
    assert data.freeze_panes == "A2"


def test_filled_template_imports(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "mau.xlsx"
    write_template(path, "establishments", LISTS)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    values = {"Tên cơ sở *": "HTX Nam Ninh", "Loại hình": "Hợp tác xã", "Tỉnh/thành phố": "Ninh Bình",
              "Xã/phường": "Xã Nam Ninh", "Ngành nghề": "Dệt may", "Số lao động": 20, "Ngày thành lập": "05/11/2020"}
    ws.append([values.get(h) for h in header])
    wb.save(path)
    table = read_table(path, "establishments")
    assert table.sheet == "Cơ sở"
    row = RowParser("establishments", table.header, catalogue).parse(table.rows[0])
    assert row.status == OK, row.problems
    assert row.establishment is not None and row.establishment.commune_code == "14005"
