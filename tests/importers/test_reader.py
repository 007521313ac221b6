"""Opening import files: the header under a title block and merged cells, and one clear message for every kind of
file that cannot be used."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from desktop_app.importers import reader
from desktop_app.importers.errors import ImportFileError
from desktop_app.importers.reader import read_table

DATA = Path(__file__).resolve().parents[1] / "data"
ESTABLISHMENT_HEADER = ["Tên cơ sở", "Loại hình", "Tỉnh/thành phố", "Xã/phường"]


def _refused(path: Path, kind: str = "establishments") -> str:
    with pytest.raises(ImportFileError) as info:
        read_table(path, kind)
    assert info.value.exit_code == 2
    return info.value.message


# --- finding the table -----------------------------------------------------------------------------------------------


def test_header_below_a_title_block_with_merged_cells(make_workbook) -> None:
    path = make_workbook([
        ["SỞ CÔNG THƯƠNG TỈNH NAM ĐỊNH"], ["TRUNG TÂM KHUYẾN CÔNG"], [],
        ["DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN NĂM 2019"], [],
        ["STT", "TÊN CƠ SỞ", "loai hinh", "Tỉnh / Thành phố", "Xã/Phường", "Cột lạ"],
        [1, "HTX Nam Dương", "HTX", "Nam Định", "Xã Nam Dương"],
        [],
        [2, "Cty TNHH Văn Lý", "Cty TNHH", "Hà Nam", "Xã Văn Lý"],
    ], merges=["A4:F4"])
    table = read_table(path, "establishments")
    assert (table.header.first_row, table.header.last_row) == (6, 6)
    assert {c.spec.field: c.index for c in table.header.columns} == {
        "name": 1, "legal_form": 2, "province": 3, "commune": 4}
    assert next(c.label for c in table.header.columns) == "TÊN CƠ SỞ"
    assert [r.number for r in table.rows] == [7, 9]  # Excel row numbers, blank rows left out
    assert table.rows[0].values[1] == "HTX Nam Dương"
    assert table.notes == ["Các cột không dùng đến: “Cột lạ”."]


def test_two_row_header_under_merged_cells_with_a_unit(make_workbook) -> None:
    path = make_workbook([
        ["TỔNG HỢP ĐỀ ÁN"], ["Đơn vị tính: triệu đồng"], [],
        ["Tên đề án", "Năm", "Nguồn kinh phí", "Nội dung", "Kinh phí (triệu đồng)", None, None, "Trạng thái"],
        [None, None, None, None, "Tổng cộng", "Khuyến công", "Đối ứng", None],
        ["Đề án A", 2024, "KCĐP", "Đào tạo nghề, truyền nghề", 100, 100, 0, "Dự thảo"],
    ], merges=["E4:G4", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "H4:H5"])
    table = read_table(path, "proposals")
    assert (table.header.first_row, table.header.last_row) == (4, 5)
    columns = {c.spec.field: c for c in table.header.columns}
    assert {f: c.index for f, c in columns.items()} == {
        "title": 0, "year": 1, "scope": 2, "content": 3, "total": 4, "support": 5, "counterpart": 6, "status": 7}
    assert columns["support"].label == "Kinh phí (triệu đồng) – Khuyến công"
    assert columns["support"].multiplier == 10**6
    assert table.default_multiplier == 10**6
    assert [r.number for r in table.rows] == [6]


def test_the_sheet_with_the_table_is_chosen(make_workbook) -> None:
    path = make_workbook([["Ghi chú: danh sách ở trang sau"]], sheet="Bìa",
                         extra_sheets={"Số liệu": [ESTABLISHMENT_HEADER, ["HTX A", "HTX", "Nam Định", "Xã Yên Phúc"]]})
    table = read_table(path, "establishments")
    assert table.sheet == "Số liệu" and len(table.rows) == 1


def test_other_sheets_with_a_list_are_mentioned(make_workbook) -> None:
    rows = [ESTABLISHMENT_HEADER, ["HTX A", "HTX", "Nam Định", "Xã Yên Phúc"]]
    path = make_workbook(rows, sheet="2019", extra_sheets={"2020": rows})
    table = read_table(path, "establishments")
    assert table.sheet == "2019"
    assert table.notes == ["Tệp có nhiều trang danh sách; chương trình nhập trang “2019”. Để nhập trang “2020”, hãy "
                           "chép trang đó sang một tệp riêng."]


def test_the_samples_are_read(tmp_path: Path) -> None:
    establishments = read_table(DATA / "samples" / "danh-sach-co-so-2019.xlsx", "establishments")
    assert establishments.header.last_row == 6 and len(establishments.rows) == 32  # 30 + totals + signatures
    proposals = read_table(DATA / "samples" / "de-an-kcqg-2018-2020.xlsx", "proposals")
    assert proposals.header.last_row == 4 and len(proposals.rows) == 18 and proposals.default_multiplier == 1


# --- files that cannot be used ---------------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert _refused(tmp_path / "khong-co.xlsx") == "Không tìm thấy tệp “khong-co.xlsx”."


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "rong.xlsx"
    path.write_bytes(b"")
    assert "rỗng (0 byte)" in _refused(path)


def test_csv_text(tmp_path: Path) -> None:
    message = _refused(DATA / "van-ban.xlsx")
    assert "không phải là sổ làm việc Excel (.xlsx) (đây là tệp văn bản/CSV)" in message


def test_pdf(tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(b"%PDF-1.7\n" + bytes(200))
    assert "(đây là tệp PDF)" in _refused(path)


def test_encrypted_workbook(tmp_path: Path) -> None:
    message = _refused(DATA / "ma-hoa.xlsx")
    assert "được đặt mật khẩu (mã hóa)" in message and "bỏ mật khẩu" in message


def test_old_xls(tmp_path: Path) -> None:
    path = tmp_path / "cu.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + "Workbook".encode("utf-16-le") + bytes(2000))
    assert "Excel 97-2003 (.xls)" in _refused(path)


def test_corrupt_zip(tmp_path: Path, make_workbook) -> None:
    good = make_workbook([ESTABLISHMENT_HEADER, ["HTX A", "HTX", "Nam Định", ""]]).read_bytes()
    path = tmp_path / "hong.xlsx"
    path.write_bytes(good[: len(good) // 2])
    assert "bị hỏng" in _refused(path)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "van-ban.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "(đây là văn bản Word .docx)" in _refused(path)
    ods = tmp_path / "bang.xlsx"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    assert "LibreOffice/OpenOffice .ods" in _refused(ods)


def test_broken_workbook_xml(tmp_path: Path) -> None:
    path = tmp_path / "xml-hong.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "not xml at all")
    assert "bị hỏng hoặc không đúng định dạng .xlsx" in _refused(path)


def test_too_large(tmp_path: Path, make_workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_workbook([ESTABLISHMENT_HEADER] + [[f"HTX {i}", "HTX", "Nam Định", ""] for i in range(30)])
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1000)
    assert "quá lớn" in _refused(path) and "chia danh sách" in _refused(path)
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 50 * 1024 * 1024)
    monkeypatch.setattr(reader, "MAX_DATA_ROWS", 20)
    assert "có hơn 20 dòng dữ liệu" in _refused(path)


def test_workbook_without_any_value(make_workbook) -> None:
    assert "các trang tính đều trống" in _refused(make_workbook([]))


def test_header_only(make_workbook) -> None:
    assert "chỉ có dòng tiêu đề, chưa có dòng dữ liệu nào" in _refused(make_workbook([ESTABLISHMENT_HEADER]))


def test_no_header_row(make_workbook) -> None:
    message = _refused(make_workbook([["Họ tên", "Tuổi"], ["An", 30]]))
    assert "Không tìm thấy dòng tiêu đề của danh sách cơ sở" in message and "Tên cơ sở" in message


def test_missing_required_columns(make_workbook) -> None:
    path = make_workbook([["Tên đề án", "Năm", "Nguồn kinh phí", "Kinh phí khuyến công"],
                          ["Đề án A", 2024, "KCĐP", 100]])
    message = _refused(path, "proposals")
    assert message.startswith("Tệp “") and "thiếu cột bắt buộc: Nội dung, Tổng kinh phí (đồng)" in message


def test_establishments_need_a_place_column(make_workbook) -> None:
    message = _refused(make_workbook([["Tên cơ sở", "Loại hình"], ["HTX A", "HTX"]]))
    assert "thiếu cột bắt buộc: Tỉnh/thành phố (hoặc Địa chỉ)" in message


def test_the_other_kind_of_list_is_named(tmp_path: Path) -> None:
    message = _refused(DATA / "samples" / "de-an-kcqg-2018-2020.xlsx", "establishments")
    assert "có vẻ là danh sách đề án" in message


def test_a_file_opened_in_excel_elsewhere_is_read_as_is(make_workbook) -> None:
    path = make_workbook([ESTABLISHMENT_HEADER, ["HTX A", "HTX", "Nam Định", ""]])
    wb = openpyxl.load_workbook(path)
    wb.active["A2"] = "=CONCAT(\"HTX \", \"B\")"  # a formula with no cached value reads as empty
    wb.save(path)
    table = read_table(path, "establishments")
    assert table.rows[0].values[0] is None
