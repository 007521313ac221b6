"""The report service: every report written as Excel and read back with openpyxl (titles, headers, sums, number
formats), and as PDF read back with pypdf; the seed article's 2018–2020 figures reproduced to the đồng.

Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from factories import advance_to, make_establishment, make_proposal
from pypdf import PdfReader

from desktop_app.domain.budget import BudgetLineInput
from desktop_app.domain.enums import DisbursementKind, Scope, Status
from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.services.dto import EstablishmentFilter, ProposalFilter
from desktop_app.services.progress import Cancelled, Progress

# The seed article: KCQG funding of 2018–2020 for 9 of the 28 northern provinces (as they were then), in triệu
# đồng: total 181.946,9; khuyến công support 22.080; counterpart and other funds 159.866,9.
SEED_TOTAL = 181_946_900_000
SEED_SUPPORT = 22_080_000_000
SEED_REST = 159_866_900_000
# One proposal per old province: (legacy ward code, old province, current province, year, support, counterpart, other)
SEED = [
    ("00688", "Hà Giang", "Tuyên Quang", 2018, 2_400_000_000, 17_000_000_000, 0),
    ("01267", "Cao Bằng", "Cao Bằng", 2018, 2_500_000_000, 18_200_000_000, 0),
    ("01834", "Bắc Kạn", "Thái Nguyên", 2018, 2_300_000_000, 16_500_000_000, 366_900_000),
    ("02200", "Tuyên Quang", "Tuyên Quang", 2019, 2_600_000_000, 19_000_000_000, 0),
    ("02635", "Lào Cai", "Lào Cai", 2019, 2_450_000_000, 17_300_000_000, 0),
    ("04249", "Yên Bái", "Lào Cai", 2019, 2_430_000_000, 17_500_000_000, 500_000_000),
    ("05431", "Thái Nguyên", "Thái Nguyên", 2020, 2_500_000_000, 18_000_000_000, 0),
    ("05971", "Lạng Sơn", "Lạng Sơn", 2020, 2_400_000_000, 17_500_000_000, 0),
    ("07201", "Bắc Giang", "Bắc Ninh", 2020, 2_500_000_000, 18_000_000_000, 0),
]


def test_seed_data_matches_the_article() -> None:
    assert sum(x[4] for x in SEED) == SEED_SUPPORT
    assert sum(x[5] + x[6] for x in SEED) == SEED_REST
    assert SEED_SUPPORT + SEED_REST == SEED_TOTAL


def sheet_rows(path: Path) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(path)
    return [tuple(c for c in row) for row in wb.active.iter_rows(values_only=True)]


def header_index(rows: list[tuple[object, ...]], first: str = "STT") -> int:
    return next(i for i, r in enumerate(rows) if r and r[0] == first)


def total_row(rows: list[tuple[object, ...]]) -> tuple[object, ...]:
    return next(r for r in rows if "Tổng cộng" in r)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(path.read_bytes())).pages).split())


@pytest.fixture
def seeded_funding(services, people):
    """The nine settled KCQG proposals of the seed article, each recorded in a pre-2025 ward."""
    units = services.reference.legacy_units()
    districts = {d.code: d for d in units.districts}
    provinces = {p.code: p for p in units.provinces}
    wards = {w.code: w for w in units.wards}
    ids = []
    for ward_code, old_name, _current, year, support, counterpart, other in SEED:
        ward = wards[ward_code]
        old_province = provinces[districts[ward.parent].parent]
        assert old_province.name == old_name
        commune = next(c for c, default in units.mappings[ward_code] if default)
        eid = make_establishment(services, people.staff, province_code=old_province.parent)
        total = support + counterpart + other
        d = make_proposal(
            services, people.staff, eid, scope=Scope.NATIONAL, year=year, content_code="ND45-4.7.d",
            title=f"Hỗ trợ đầu tư hạ tầng cụm công nghiệp tại {old_name}", start_date=date(year, 6, 1),
            end_date=date(year, 12, 31), province_code=old_province.parent, commune_code=commune,
            legacy_ward_code=ward_code,
            location_as_recorded=f"{ward.extra} {ward.name}, tỉnh {old_name}",
            lines=[BudgetLineInput("San lấp mặt bằng, đường giao thông nội bộ", "gói", Decimal(1), total, support,
                                   counterpart, other)])
        advance_to(services, people, d.id, Status.SETTLED)
        ids.append(d.id)
    # Noise that must not count: a local proposal of 2019, a KCQG draft of 2020, a KCQG proposal of 2021.
    make_proposal(services, people.staff, scope=Scope.LOCAL, year=2019)
    make_proposal(services, people.staff, scope=Scope.NATIONAL, year=2020)
    advance_to(services, people, make_proposal(services, people.staff, scope=Scope.NATIONAL, year=2021).id,
               Status.APPROVED)
    return ids


@pytest.mark.slow
def test_funding_summary_reproduces_the_seed_article(services, people, seeded_funding, tmp_path) -> None:
    reports = services.reports
    out = tmp_path / "kcqg-2018-2020.xlsx"
    result = reports.funding(people.manager, 2018, 2020, Scope.NATIONAL, ["year"], False, out)
    assert result.rows == 3
    assert result.totals == {"count": 9, "total": SEED_TOTAL, "support": SEED_SUPPORT,
                             "counterpart": SEED_REST - 866_900_000, "other": 866_900_000}
    assert result.totals["counterpart"] + result.totals["other"] == SEED_REST
    rows = sheet_rows(out)
    assert rows[0][0] == "SỞ CÔNG THƯƠNG TỈNH NINH BÌNH"
    assert rows[1][0] == "TRUNG TÂM KHUYẾN CÔNG VÀ TƯ VẤN PHÁT TRIỂN CÔNG NGHIỆP"
    assert any(r[0] == "BÁO CÁO TỔNG HỢP KINH PHÍ KHUYẾN CÔNG — KINH PHÍ ĐƯỢC PHÊ DUYỆT" for r in rows)
    assert any(str(r[0]).startswith("Từ năm 2018 đến năm 2020; nguồn kinh phí: khuyến công quốc gia") for r in rows)
    assert any(r[-1] == "Đơn vị tính: đồng" for r in rows)
    h = header_index(rows)
    assert rows[h] == ("STT", "Năm", "Số đề án", "Tổng kinh phí", "Kinh phí khuyến công hỗ trợ",
                       "Vốn đối ứng của cơ sở", "Nguồn khác")
    by_year = {r[1]: r for r in rows[h + 1:h + 4]}
    assert set(by_year) == {"2018", "2019", "2020"}
    assert by_year["2019"][2:] == (3, 2_600_000_000 + 19_000_000_000 + 2_450_000_000 + 17_300_000_000
                                   + 2_430_000_000 + 17_500_000_000 + 500_000_000, 7_480_000_000,
                                   53_800_000_000, 500_000_000)
    assert total_row(rows)[1:] == ("Tổng cộng", 9, SEED_TOTAL, SEED_SUPPORT, SEED_REST - 866_900_000, 866_900_000)
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert ws.freeze_panes == f"A{h + 2}"
    total_cells = next(r for r in ws.iter_rows(min_row=h + 2) if r[1].value == "Tổng cộng")
    assert all(c.number_format == "#,##0" for c in total_cells[2:])
    assert total_cells[1].font.b

    # By province as recorded: the nine old provinces, in Vietnamese order.
    out = tmp_path / "kcqg-tinh.xlsx"
    result = reports.funding(people.manager, 2018, 2020, Scope.NATIONAL, ["province"], True, out)
    rows = sheet_rows(out)
    h = header_index(rows)
    names = [r[1] for r in rows[h + 1:h + 1 + result.rows]]
    assert names == ["Bắc Giang", "Bắc Kạn", "Cao Bằng", "Hà Giang", "Lạng Sơn", "Lào Cai", "Thái Nguyên",
                     "Tuyên Quang", "Yên Bái"]
    assert total_row(rows)[2:] == (9, SEED_TOTAL, SEED_SUPPORT, SEED_REST - 866_900_000, 866_900_000)
    assert any("địa giới hành chính tại thời điểm ghi nhận" in str(r[0]) for r in rows)

    # The same money by the provinces of today: six, the same totals.
    groups = reports.funding_groups(people.manager, 2018, 2020, Scope.NATIONAL, ["province"])
    assert [g.keys[0][1] for g in groups] == ["Bắc Ninh", "Cao Bằng", "Lạng Sơn", "Lào Cai", "Thái Nguyên",
                                              "Tuyên Quang"]
    assert sum(g.total for g in groups) == SEED_TOTAL and sum(g.support for g in groups) == SEED_SUPPORT
    assert next(g for g in groups if g.keys[0][1] == "Tuyên Quang").count == 2

    # The PDF variant prints the same figures.
    pdf = tmp_path / "kcqg.pdf"
    result = reports.funding(people.manager, 2018, 2020, Scope.NATIONAL, ["year", "province"], True, pdf)
    text = pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "BÁO CÁO TỔNG HỢP KINH PHÍ KHUYẾN CÔNG" in text
    assert "Tổng cộng 9 181.946.900.000 22.080.000.000 159.000.000.000 866.900.000" in text
    assert "I 2018 3" in text and "Hà Giang" in text and "Yên Bái" in text
    assert result.totals["total"] == SEED_TOTAL


def test_funding_two_keys_has_subtotals_outside_the_total(services, people, tmp_path) -> None:
    for year, support in ((2025, 250_000_000), (2025, 200_000_000), (2026, 100_000_000)):
        d = make_proposal(services, people.staff, year=year, start_date=date(year, 3, 1),
                          end_date=date(year, 11, 30),
                          lines=[BudgetLineInput("Máy", "máy", Decimal(1), support * 2, support, support, 0)])
        advance_to(services, people, d.id, Status.APPROVED)
    out = tmp_path / "two.xlsx"
    result = services.reports.funding(people.staff, 2025, 2026, None, ["year", "scope"], False, out)
    rows = sheet_rows(out)
    h = header_index(rows)
    assert rows[h][1] == "Năm / Nguồn kinh phí"
    body = rows[h + 1:h + 5]
    assert body == [("I", "2025", 2, 900_000_000, 450_000_000, 450_000_000, 0),
                    ("1", "Khuyến công địa phương", 2, 900_000_000, 450_000_000, 450_000_000, 0),
                    ("II", "2026", 1, 200_000_000, 100_000_000, 100_000_000, 0),
                    ("1", "Khuyến công địa phương", 1, 200_000_000, 100_000_000, 100_000_000, 0)]
    assert total_row(rows)[1:] == ("Tổng cộng", 3, 1_100_000_000, 550_000_000, 550_000_000, 0)
    assert result.rows == 2 and result.totals["count"] == 3
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(h + 2, 2).font.b and not ws.cell(h + 3, 2).font.b


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"by": []}, "Chọn một hoặc hai cách nhóm"),
    ({"by": ["year", "province", "sector"]}, "Chọn một hoặc hai cách nhóm"),
    ({"by": ["year", "year"]}, "phải khác nhau"),
    ({"by": ["district"]}, "Không có cách nhóm “district”"),
    ({"from_year": 2021, "to_year": 2020}, "Năm bắt đầu (2021) sau năm kết thúc (2020)"),
    ({"from_year": 1999}, "2000–2100"),
])
def test_funding_refuses_bad_parameters(services, people, tmp_path, kwargs, message) -> None:
    args = {"from_year": 2020, "to_year": 2020, "scope": None, "by": ["year"], "as_recorded": False,
            "out": tmp_path / "x.xlsx"} | kwargs
    with pytest.raises(ValidationError, match=re.escape(message)):
        services.reports.funding(people.staff, **args)
    assert not (tmp_path / "x.xlsx").exists()
    assert not list(tmp_path.glob(".khuyencong-*"))


def test_bad_extension_and_roles_are_refused(services, people, tmp_path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(ValidationError, match=r"\.xlsx \(Excel\) hoặc \.pdf"):
        services.reports.funding(people.staff, 2020, 2020, None, ["year"], False, tmp_path / "x.csv")
    for actor in (people.admin, people.appraisers[0]):
        with pytest.raises(PermissionDenied):
            services.reports.funding(actor, 2020, 2020, None, ["year"], False, tmp_path / "x.xlsx")
        with pytest.raises(PermissionDenied):
            services.reports.proposals(actor, ProposalFilter(), tmp_path / "x.xlsx")
    assert not list(tmp_path.iterdir())


def test_proposal_list_export(services, people, tmp_path) -> None:
    a = make_proposal(services, people.staff, title="=HYPERLINK(\"http://x\")")
    b = make_proposal(services, people.staff, scope=Scope.NATIONAL)
    advance_to(services, people, b.id, Status.IN_PROGRESS)
    services.implementation.record_disbursement(people.staff, b.id, DisbursementKind.ADVANCE, 175_000_000,
                                                date(2026, 6, 20))
    make_proposal(services, people.staff, year=2025, start_date=date(2025, 3, 1), end_date=date(2025, 9, 30))
    out = tmp_path / "de-an.xlsx"
    result = services.reports.proposals(people.staff, ProposalFilter(year=2026), out)
    assert result.rows == 2
    assert result.totals["requested_total"] == 1_200_000_000 and result.totals["requested"] == 500_000_000
    assert result.totals["approved"] == 250_000_000 and result.totals["disbursed"] == 175_000_000
    assert result.totals["accepted"] == 0 and result.totals["settled"] == 0
    rows = sheet_rows(out)
    h = header_index(rows)
    assert rows[h][:3] == ("STT", "Mã đề án", "Tên đề án") and rows[h][-1] == "Trạng thái"
    data = {r[1]: r for r in rows[h + 1:h + 3]}
    assert data[a.code][2] == "=HYPERLINK(\"http://x\")"  # text, not a formula
    assert data[a.code][9] == datetime(2026, 3, 1) and data[a.code][-1] == "Dự thảo"
    assert data[b.code][8] == "KCQG" and data[b.code][-1] == "Đang thực hiện"
    ws = openpyxl.load_workbook(out).active
    title_cell = ws.cell(h + 2, 3) if ws.cell(h + 2, 2).value == a.code else ws.cell(h + 3, 3)
    assert title_cell.data_type == "s" and title_cell.quotePrefix
    assert ws.cell(h + 2, 10).number_format == "dd/mm/yyyy"
    assert ws.cell(h + 2, 12).number_format == "#,##0"
    assert total_row(rows)[1] == "Tổng cộng" and total_row(rows)[11] == 1_200_000_000
    assert any("Năm 2026" in str(r[0]) for r in rows[:h])

    pdf = tmp_path / "de-an.pdf"
    services.reports.proposals(people.staff, ProposalFilter(year=2026, scope=Scope.NATIONAL), pdf)
    text = pdf_text(pdf)
    assert "DANH SÁCH ĐỀ ÁN KHUYẾN CÔNG" in text and b.code in text and a.code not in text
    assert "Tổng cộng 600.000.000 250.000.000 250.000.000 175.000.000 0 0" in text


def test_establishment_list_export(services, people, tmp_path) -> None:
    make_establishment(services, people.staff, name="Cơ sở Ô Mai Hàng Đường", workers=10, female_workers=7,
                       founded_on=date(2010, 5, 4))
    make_establishment(services, people.staff, name="Công ty Đúc đồng Ý Yên", workers=30, female_workers=3)
    make_establishment(services, people.staff, name="Hộ Ánh Dương", province_code="01", workers=5,
                       female_workers=2)
    out = tmp_path / "co-so.xlsx"
    result = services.reports.establishments(people.staff, EstablishmentFilter(province_code="37"), out)
    assert result.rows == 2 and result.totals == {"workers": 40, "female_workers": 10}
    rows = sheet_rows(out)
    h = header_index(rows)
    names = [r[1] for r in rows[h + 1:h + 3]]
    assert names == ["Công ty Đúc đồng Ý Yên", "Cơ sở Ô Mai Hàng Đường"]  # Vietnamese order
    assert rows[h + 2][12] == datetime(2010, 5, 4)
    assert total_row(rows)[10:12] == (40, 10)
    assert any("Tỉnh, thành phố: Ninh Bình" in str(r[0]) for r in rows[:h])
    assert not any(r[-1] == "Đơn vị tính: đồng" for r in rows)


def test_progress_report(services, people, tmp_path) -> None:
    settled = make_proposal(services, people.staff)
    advance_to(services, people, settled.id, Status.SETTLED)
    running = make_proposal(services, people.staff, lines=[
        BudgetLineInput("Máy", "máy", Decimal(1), 400_000_000, 200_000_000, 200_000_000, 0)])
    advance_to(services, people, running.id, Status.IN_PROGRESS)
    services.implementation.record_disbursement(people.staff, running.id, DisbursementKind.ADVANCE, 100_000_000,
                                                date(2026, 7, 1))
    services.implementation.add_progress_report(people.staff, running.id, year=2026, month=7,
                                                reported_on=date(2026, 7, 20), progress_percent=40)
    services.implementation.add_progress_report(people.staff, running.id, year=2026, month=8,
                                                reported_on=date(2026, 8, 20), progress_percent=65)
    make_proposal(services, people.staff)  # a draft: not in the report
    out = tmp_path / "tien-do.xlsx"
    result = services.reports.progress_report(people.manager, 2026, 2026, None, out)
    assert result.rows == 2
    assert result.totals == {"approved": 450_000_000, "advanced": 275_000_000, "paid": 75_000_000,
                             "disbursed": 350_000_000, "accepted": 250_000_000, "remaining": 100_000_000}
    rows = sheet_rows(out)
    h = header_index(rows)
    data = {r[1]: r for r in rows[h + 1:h + 3]}
    assert data[running.code][6:14] == (200_000_000, 100_000_000, 0, 100_000_000, None, 100_000_000, 0.5, 65)
    assert data[settled.code][6:12] == (250_000_000, 175_000_000, 75_000_000, 250_000_000, 250_000_000, 0)
    assert data[settled.code][5] == "07/HĐ-TTKC"
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(h + 2, 13).number_format == "0.0%"


def test_registration_summary(services, people, tmp_path) -> None:
    make_proposal(services, people.staff, scope=Scope.NATIONAL, year=2027, title="Máy sấy nông sản")
    submitted = make_proposal(services, people.staff, scope=Scope.NATIONAL, year=2027, content_code="ND45-4.1",
                              title="Đào tạo nghề mây tre đan",
                              lines=[BudgetLineInput("Đào tạo", "lớp", Decimal(1), 100_000_000, 100_000_000, 0, 0)])
    services.proposals.submit(people.staff, submitted.id, submitted.version)
    cancelled = make_proposal(services, people.staff, scope=Scope.NATIONAL, year=2027)
    services.proposals.cancel(people.staff, cancelled.id, cancelled.version, "Cơ sở rút đề nghị")
    make_proposal(services, people.staff, scope=Scope.LOCAL, year=2027)
    out = tmp_path / "dang-ky.xlsx"
    # By default the list holds only proposals that passed appraisal: none here.
    default = services.reports.registration(people.staff, 2027, tmp_path / "mac-dinh.xlsx")
    assert default.rows == 0 and default.totals["total"] == 0
    assert any("Gồm các đề án: Đạt thẩm định, Đã gửi Bộ" in str(r[0]) for r in sheet_rows(tmp_path / "mac-dinh.xlsx"))
    result = services.reports.registration(people.staff, 2027, out, statuses=[Status.DRAFT, Status.SUBMITTED])
    assert result.rows == 2
    assert result.totals == {"total": 700_000_000, "support": 350_000_000, "counterpart": 350_000_000, "other": 0}
    rows = sheet_rows(out)
    assert any(r[0] == "BIỂU TỔNG HỢP ĐĂNG KÝ KẾ HOẠCH KHUYẾN CÔNG QUỐC GIA NĂM 2027" for r in rows)
    h = header_index(rows)
    body = rows[h + 1:h + 5]
    assert body[0][:2] == ("I", "Đào tạo nghề, truyền nghề") and body[0][6] == 100_000_000
    assert body[1][:2] == ("1", "Đào tạo nghề mây tre đan") and body[1][-1] == "Chờ thẩm định"
    assert body[2][0] == "II" and body[2][1].startswith("Mô hình trình diễn kỹ thuật")
    assert body[3][1] == "Máy sấy nông sản" and body[3][5] == "03/2026–11/2026" and body[3][-1] == "Dự thảo"
    assert total_row(rows)[1:10] == ("Tổng cộng", None, None, None, None, 700_000_000, 350_000_000,
                                     350_000_000, 0)


class _CancelAfter(Progress):
    def __init__(self) -> None:
        self.calls = 0

    def is_cancelled(self) -> bool:
        self.calls += 1
        return self.calls > 1


def test_a_cancelled_export_leaves_no_file(services, people, tmp_path) -> None:
    for i in range(3):
        make_establishment(services, people.staff, name=f"Cơ sở số {i}")
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "co-so.xlsx"
    out.write_bytes(b"old file")
    progress = _CancelAfter()
    import desktop_app.reports.xlsx as xlsx

    old = xlsx._PROGRESS_EVERY
    xlsx._PROGRESS_EVERY = 1
    try:
        with pytest.raises(Cancelled):
            services.reports.establishments(people.staff, EstablishmentFilter(), out, progress)
    finally:
        xlsx._PROGRESS_EVERY = old
    assert out.read_bytes() == b"old file"
    assert [p.name for p in tmp_path.iterdir()] == ["co-so.xlsx"]
