"""Regenerate the small import workbooks kept in ``tests/data/`` (run from the repository root):

    .venv/bin/python tests/data/make_import_workbooks.py

- ``co-so-tieu-de-hai-dong.xlsx``: establishments under a title block and a two-row header ("Lao động" merged over
  "Tổng số" and "Nữ"), a row of column numbers, a group heading, a split old ward, a bad row, totals and signatures.
- ``de-an-trieu-dong.xlsx``: proposals in triệu đồng ("Kinh phí (triệu đồng)" merged over four columns, and a
  "Đơn vị tính" line), states typed without diacritics, a row whose total does not add up, an unknown content.
- ``ma-hoa.xlsx``: the first bytes of a password-protected workbook (an OLE compound file with an
  ``EncryptionInfo`` stream), enough for the check that refuses it.
- ``van-ban.xlsx``: a CSV file saved with an .xlsx name.

:func:`write_many_establishments` writes a large list (old and new addresses, values typed in different ways) for
timing the import; it is not kept in the repository:

    .venv/bin/python tests/data/make_import_workbooks.py --many 20000 /tmp/20000-co-so.xlsx
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parents[1] / "db" / "reference"


def establishments(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cơ sở CNNT"
    ws["A1"] = "UBND TỈNH NINH BÌNH"
    ws["A2"] = "SỞ CÔNG THƯƠNG"
    ws["A3"] = "DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN ĐƯỢC HỖ TRỢ"
    ws.merge_cells("A3:J3")
    ws["A3"].font = Font(bold=True)
    ws["A3"].alignment = Alignment(horizontal="center")
    ws["I4"] = "Đơn vị tính: người"
    top = ["STT", "Tên cơ sở", "Loại hình", "MST", "Địa chỉ", "Ngành nghề", "Lao động", None, "Năm thành lập",
           "Ghi chú"]
    bottom = [None, None, None, None, None, None, "Tổng số", "Nữ", None, None]
    for col, (a, b) in enumerate(zip(top, bottom, strict=True), start=1):
        if a:
            ws.cell(6, col, a).font = Font(bold=True)
        if b:
            ws.cell(7, col, b).font = Font(bold=True)
    for col in (1, 2, 3, 4, 5, 6, 9, 10):
        ws.merge_cells(start_row=6, start_column=col, end_row=7, end_column=col)
    ws.merge_cells("G6:H6")
    ws.append([f"({i})" for i in range(1, 11)])
    rows = [
        ["I. HUYỆN NAM TRỰC (CŨ)"],
        [1, "HTX dệt may Nam Thanh", "HTX", "0100233488", "Xóm 3, X. Nam Thanh, H. Nam Trực, T. Nam Định",
         "DET MAY", "1.250", 900, 2005, ""],
        [2, "Cơ sở mộc Gia Tân", "", "", "Thôn Đông, Xã Gia Tân, Huyện Gia Viễn, Tỉnh Ninh Bình", "Đồ gỗ mỹ nghệ",
         12, 3, "15/03/2012", "Xã cũ bị chia"],
        [3, "Công ty TNHH Quang Trung", "Cty TNHH", "", "Phường Quang Trung, TP. Phủ Lý, Hà Nam", "Cơ khí",
         40, 55, datetime(2010, 5, 1), "Lao động nữ nhiều hơn tổng số"],
        [4, "Hộ kinh doanh Nam Ninh", "hộ KD", "", "Xã Nam Ninh, Tỉnh Ninh Bình", "Mây tre đan", " 8 ", 2,
         "2019", ""],
        [None, "Tổng cộng", None, None, None, None, 1307, 960],
        [],
        [None, None, None, None, None, "Người lập biểu", None, None, "Giám đốc"],
    ]
    for row in rows:
        ws.append(row)
    wb.save(path)


def proposals(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đề án KCĐP"
    ws["A1"] = "TỔNG HỢP ĐỀ ÁN KHUYẾN CÔNG ĐỊA PHƯƠNG"
    ws.merge_cells("A1:L1")
    ws["A2"] = "Đơn vị tính: triệu đồng"
    top = ["Mã đề án", "Tên đề án", "Năm", "Nguồn kinh phí", "Nội dung", "Tên cơ sở", "Địa chỉ",
           "Kinh phí (triệu đồng)", None, None, None, "Tình trạng"]
    bottom = [None, None, None, None, None, None, None, "Tổng cộng", "Khuyến công", "Đối ứng", "Khác", None]
    for col, (a, b) in enumerate(zip(top, bottom, strict=True), start=1):
        if a:
            ws.cell(4, col, a)
        if b:
            ws.cell(5, col, b)
    ws.merge_cells("H4:K4")
    rows = [
        ["KCDP-2024-01", "Hỗ trợ máy dệt cho HTX Nam Thanh", 2024, "KCĐP", "Ứng dụng máy móc thiết bị tiên tiến",
         "HTX dệt may Nam Thanh", "Xã Nam Thanh, Huyện Nam Trực, Tỉnh Nam Định", "1.500", "450,5", "1.049,5", 0,
         "da quyet toan"],
        ["", "Đào tạo nghề mây tre đan", 2025, "dia phuong", "Đào tạo nghề, truyền nghề", "", "Ninh Bình", 300,
         300, None, None, "Dang thuc hien"],
        ["KCDP-2024-03", "Hỗ trợ dây chuyền sấy", 2024, "KCĐP", "Dây chuyền công nghệ", "Cơ sở sấy Hà Nam",
         "Phường Quang Trung, Thành phố Phủ Lý, Tỉnh Hà Nam", 900, 300, 500, 0, "Đã phê duyệt"],
        ["KCDP-2024-04", "Hội chợ không có trong danh mục", 2024, "KCĐP", "Hội chợ hàng Tết", "", "Nam Định",
         100, 50, 50, 0, ""],
    ]
    for row in rows:
        ws.append(row)
    wb.save(path)


def encrypted(path: Path) -> None:
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    directory = "EncryptionInfo".encode("utf-16-le") + bytes(50) + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(header + directory + bytes(4096))


def text(path: Path) -> None:
    path.write_text("Tên cơ sở,Loại hình,Tỉnh/thành phố\nHTX Nam Thanh,HTX,Nam Định\n", encoding="utf-8")


def _csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_many_establishments(path: Path, count: int, seed: int = 1) -> None:
    """``count`` establishment rows: half with an old address (ward, district, province before 2025), half with a
    new one (commune, province), amounts and dates typed in several ways. Written with XlsxWriter (fast)."""
    import xlsxwriter

    rng = random.Random(seed)
    provinces = {r["code"]: r for r in _csv("legacy_provinces.csv")}
    districts = {r["code"]: r for r in _csv("legacy_districts.csv")}
    wards = rng.sample(_csv("legacy_wards.csv"), 3000)
    new_provinces = {r["code"]: r["name"] for r in _csv("provinces.csv")}
    communes = rng.sample(_csv("communes.csv"), 2000)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Danh sách")
    sheet.write_row(0, 0, ["DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN"])
    sheet.write_row(2, 0, ["STT", "Tên cơ sở", "Loại hình", "Mã số thuế", "Người đại diện", "Điện thoại",
                           "Tỉnh/thành phố", "Xã/phường", "Địa chỉ", "Ngành nghề", "Số lao động", "Lao động nữ",
                           "Ngày thành lập"])
    for i in range(1, count + 1):
        if i % 2:
            w = rng.choice(wards)
            d = districts[w["district_code"]]
            p = provinces[w["province_code"]]
            address = f"Thôn {i % 40 + 1}, {w['kind']} {w['name']}, {d['kind']} {d['name']}, {p['kind']} {p['name']}"
            province, commune = p["name"], f"{w['kind']} {w['name']}"
        else:
            c = rng.choice(communes)
            address, province, commune = f"Số {i} đường Trần Phú", new_provinces[c["province_code"]], \
                f"{c['kind']} {c['name']}"
        workers = rng.randint(5, 2500)
        sheet.write_row(i + 2, 0, [
            i, f"Cơ sở sản xuất số {i}", rng.choice(["HTX", "Hộ kinh doanh", "Cty TNHH", "Tổ hợp tác", "hộ KD"]), "",
            "Nguyễn Văn An", rng.choice(["0912345678", "+84 912 345 678", "0228.738.1245"]), province, commune,
            address, rng.choice(["Dệt may", "det may", "CƠ KHÍ", "Chế biến nông sản"]),
            rng.choice([workers, f"{workers:,}".replace(",", "."), f" {workers} "]), rng.randint(0, 4),
            rng.choice([f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/20{rng.randint(10, 24)}",
                        f"{rng.randint(1, 28)}-{rng.randint(1, 12)}-20{rng.randint(10, 24)}",
                        rng.randint(40000, 45000)])])
    workbook.close()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--many":
        write_many_establishments(Path(sys.argv[3]), int(sys.argv[2]))
        sys.exit(0)
    establishments(HERE / "co-so-tieu-de-hai-dong.xlsx")
    proposals(HERE / "de-an-trieu-dong.xlsx")
    encrypted(HERE / "ma-hoa.xlsx")
    text(HERE / "van-ban.xlsx")
    print("Đã ghi các tệp mẫu vào", HERE)
