"""The row parser: every value form, every bad row (row number, column, Vietnamese reason), the lines that are not
data, and a property test that random rows never make it raise."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.enums import LegalForm, ProposalForm, Scope, Status
from desktop_app.importers.columns import columns_for, match_header
from desktop_app.importers.reader import RawRow
from desktop_app.importers.rows import ERROR, OK, SKIPPED, WARNING, Catalogue, ParsedRow, RowParser, infer_legal_form

EST_HEADER = ["STT", "Tên cơ sở", "Loại hình", "Mã số thuế", "Người đại diện", "Chức vụ", "Điện thoại", "Email",
              "Tỉnh/thành phố", "Xã/phường", "Địa chỉ", "Ngành nghề", "Sản phẩm chính", "Số lao động", "Lao động nữ",
              "Ngày thành lập", "Ghi chú"]
PROP_HEADER = ["Mã đề án", "Tên đề án", "Năm", "Nguồn kinh phí", "Nội dung", "Mã số thuế", "Tên cơ sở",
               "Tỉnh/thành phố", "Xã/phường", "Địa chỉ", "Ngành nghề", "Ngày bắt đầu", "Ngày kết thúc",
               "Tổng kinh phí (đồng)", "Kinh phí khuyến công (đồng)", "Kinh phí đối ứng (đồng)",
               "Kinh phí khác (đồng)", "Trạng thái"]


def parser(catalogue: Catalogue, kind: str, header: Sequence[str] | None = None,
           default_multiplier: int | None = None) -> RowParser:
    header = list(header or (EST_HEADER if kind == "establishments" else PROP_HEADER))
    match = match_header([(1, header)], columns_for(kind))
    assert match is not None
    return RowParser(kind, match, catalogue, default_multiplier)


def establishment(catalogue: Catalogue, **cells: object) -> ParsedRow:
    values = {"Tên cơ sở": "HTX Nam Dương", "Loại hình": "HTX", "Tỉnh/thành phố": "Nam Định",
              "Xã/phường": "Xã Nam Dương", "Địa chỉ": "Xã Nam Dương, Huyện Nam Trực, Tỉnh Nam Định"}
    values.update({k.replace("_", " "): v for k, v in cells.items()})
    p = parser(catalogue, "establishments")
    p.parse(RawRow(7, tuple(1 if h == "STT" else None for h in EST_HEADER)))  # a first row, so row 8 is not "first"
    return p.parse(RawRow(8, tuple(values.get(h) for h in EST_HEADER)))


def proposal(catalogue: Catalogue, header: Sequence[str] | None = None, multiplier: int | None = None,
             **cells: object) -> ParsedRow:
    values: dict[str, object] = {
        "Mã đề án": "KCQG-2019-01", "Tên đề án": "Hỗ trợ máy dệt", "Năm": 2019, "Nguồn kinh phí": "KCQG",
        "Nội dung": "Ứng dụng máy móc thiết bị tiên tiến", "Mã số thuế": "0100233488", "Tên cơ sở": "HTX Nam Dương",
        "Địa chỉ": "Xã Nam Dương, Huyện Nam Trực, Tỉnh Nam Định", "Ngày bắt đầu": "01/04/2019",
        "Ngày kết thúc": "30/11/2019", "Tổng kinh phí (đồng)": "2.460.000.000",
        "Kinh phí khuyến công (đồng)": "300.000.000", "Kinh phí đối ứng (đồng)": "2.160.000.000",
        "Kinh phí khác (đồng)": 0, "Trạng thái": "Da quyet toan"}
    values.update({k.replace("_", " "): v for k, v in cells.items()})
    head = list(header or PROP_HEADER)
    p = parser(catalogue, "proposals", head, multiplier)
    return p.parse(RawRow(5, tuple(values.get(h) for h in head)))


def problems(row: ParsedRow, severity: str = ERROR) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.reason) for p in row.problems if p.severity == severity]


# --- establishments --------------------------------------------------------------------------------------------------


def test_a_typical_old_row(catalogue: Catalogue) -> None:
    row = establishment(catalogue, Mã_số_thuế="0100233488", Người_đại_diện=" Bùi  Thanh Tùng ",
                        Điện_thoại="0228.648.2872", Email="HTX@Example.VN", Ngành_nghề="CƠ KHÍ",
                        Sản_phẩm_chính="Nón lá", Số_lao_động="1.657", Lao_động_nữ=2, Ngày_thành_lập="27/09/2008")
    assert row.status == OK and row.problems == []
    e = row.establishment
    assert e is not None
    assert (e.name, e.legal_form, e.tax_code, e.representative) == ("HTX Nam Dương", LegalForm.COOPERATIVE,
                                                                     "0100233488", "Bùi Thanh Tùng")
    assert (e.phone, e.email, e.sector_code, e.workers, e.female_workers) == ("02286482872", "htx@example.vn",
                                                                               "CO_KHI", 1657, 2)
    assert (e.province_code, e.commune_code, e.legacy_ward_code, e.address_needs_review) == ("37", "14011", "14002",
                                                                                            False)
    assert e.address_as_recorded == "Xã Nam Dương, Huyện Nam Trực, Tỉnh Nam Định"
    assert e.founded_on == date(2008, 9, 27)
    assert row.note == "Theo địa giới hiện nay: Xã Nam Minh, tỉnh Ninh Bình."


@pytest.mark.parametrize(("typed", "form"), [
    ("HTX", LegalForm.COOPERATIVE), ("Hợp tác xã", LegalForm.COOPERATIVE), ("hop tac xa", LegalForm.COOPERATIVE),
    ("Tổ hợp tác", LegalForm.COOPERATIVE_GROUP), ("THT", LegalForm.COOPERATIVE_GROUP),
    ("hộ KD", LegalForm.HOUSEHOLD), ("Hộ kinh doanh", LegalForm.HOUSEHOLD), ("HKD", LegalForm.HOUSEHOLD),
    ("Cty TNHH", LegalForm.SME), ("Công ty cổ phần", LegalForm.SME), ("DNNVV", LegalForm.SME),
    ("Doanh nghiệp nhỏ và vừa", LegalForm.SME), ("doanh nghiep tu nhan", LegalForm.SME),
    ("Nghệ nhân", LegalForm.ARTISAN), ("artisan", LegalForm.ARTISAN),
])
def test_legal_forms_as_typed(catalogue: Catalogue, typed: str, form: LegalForm) -> None:
    row = establishment(catalogue, Loại_hình=typed)
    assert row.status == OK and row.establishment is not None and row.establishment.legal_form is form


def test_blank_legal_form_is_inferred_from_the_name_with_a_warning(catalogue: Catalogue) -> None:
    row = establishment(catalogue, Tên_cơ_sở="Cơ sở mây tre Bùi Ngọc Quý", Loại_hình=None)
    assert row.status == OK and row.establishment is not None
    assert row.establishment.legal_form is LegalForm.HOUSEHOLD
    assert problems(row, WARNING) == [(8, "Loại hình", "Chưa ghi loại hình; suy ra từ tên cơ sở là “Hộ kinh doanh”.")]


@pytest.mark.parametrize(("cells", "column", "reason"), [
    ({"Tên cơ sở": None}, "Tên cơ sở", "Chưa nhập tên cơ sở."),
    ({"Loại hình": "Trang trại"}, "Loại hình", "“Trang trại” không phải là loại hình cơ sở"),
    ({"Tên cơ sở": "Mây tre Quý", "Loại hình": None}, "Loại hình", "không suy ra được từ tên cơ sở"),
    ({"Mã số thuế": "12345"}, "Mã số thuế", "không đúng định dạng"),
    ({"Điện thoại": "09123"}, "Điện thoại", "không đúng định dạng"),
    ({"Điện thoại": "01662345678"}, "Điện thoại", "số di động 11 số cũ"),
    ({"Email": "htx@"}, "Email", "không hợp lệ"),
    ({"Số lao động": 10, "Lao động nữ": 12}, "Lao động nữ", "Lao động nữ (12) nhiều hơn Số lao động (10)."),
    ({"Số lao động": "mười"}, "Số lao động", "không phải là số lao động"),
    ({"Ngày thành lập": "31/02/2010"}, "Ngày thành lập", "không có thật"),
    ({"Ngày thành lập": "01/01/2030"}, "Ngày thành lập", "Ngày thành lập 01/01/2030 ở tương lai."),
    ({"Tỉnh/thành phố": "Xứ Đoài", "Địa chỉ": None}, "Tỉnh/thành phố", "Không tìm thấy tỉnh/thành phố “Xứ Đoài”"),
    ({"Tỉnh/thành phố": None, "Xã/phường": None, "Địa chỉ": None}, "Tỉnh/thành phố", "Chưa nhập tỉnh/thành phố."),
    ({"Tên cơ sở": "X" * 301}, "Tên cơ sở", "quá giới hạn 300 ký tự"),
])
def test_bad_establishment_rows_name_row_column_and_reason(catalogue: Catalogue, cells: dict[str, object],
                                                           column: str, reason: str) -> None:
    row = establishment(catalogue, **{k.replace(" ", "_"): v for k, v in cells.items()})
    assert row.status == ERROR and row.establishment is None
    found = problems(row)
    assert any(r == 8 and c == column and reason in text for r, c, text in found), found


def test_warnings_do_not_reject(catalogue: Catalogue) -> None:
    row = establishment(catalogue, Mã_số_thuế="0100233489", Điện_thoại="+84 953 725 323", Ngành_nghề="Làm muối",
                        Ghi_chú="Cơ sở cũ")
    assert row.status == OK and row.establishment is not None
    columns = [c for _, c, _ in problems(row, WARNING)]
    assert columns == ["Mã số thuế", "Điện thoại", "Ngành nghề"]
    assert row.establishment.sector_code is None
    assert row.establishment.notes == "Cơ sở cũ\nNgành nghề (theo tệp nhập): Làm muối"


def test_numbers_that_lost_their_leading_zero(catalogue: Catalogue) -> None:
    row = establishment(catalogue, Mã_số_thuế=100233488, Điện_thoại=912345678)
    assert row.establishment is not None
    assert (row.establishment.tax_code, row.establishment.phone) == ("0100233488", "0912345678")
    assert "mất số 0 ở đầu" in problems(row, WARNING)[0][2]


def test_split_ward_establishment_is_flagged(catalogue: Catalogue) -> None:
    row = establishment(catalogue, Tỉnh_thành_phố="Ninh Bình", Xã_phường="Xã Gia Tân",
                        Địa_chỉ="Thôn Đông, Xã Gia Tân, Huyện Gia Viễn, Tỉnh Ninh Bình")
    assert row.status == OK and row.establishment is not None
    assert row.establishment.address_needs_review and row.establishment.legacy_ward_code == "14503"
    assert row.establishment.street == "Thôn Đông"
    assert any("đã được chia" in r for _, _, r in problems(row, WARNING))


# --- lines that are not data -----------------------------------------------------------------------------------------


def test_totals_signatures_headings_and_column_numbers_are_skipped(catalogue: Catalogue) -> None:
    p = parser(catalogue, "establishments")
    width = len(EST_HEADER)

    def raw(number: int, cells: dict[int, object]) -> RawRow:
        return RawRow(number, tuple(cells.get(i) for i in range(width)))

    numbering = p.parse(raw(7, {i: f"({i + 1})" for i in range(width)}))
    heading = p.parse(raw(8, {0: "I", 1: "I. HUYỆN Ý YÊN"}))
    data = p.parse(raw(9, {0: 1, 1: "HTX Yên Phúc", 2: "HTX", 8: "Nam Định"}))
    company = p.parse(raw(10, {0: 2, 1: "Công ty TNHH Cộng Hòa", 2: "Cty TNHH", 8: "Nam Định"}))
    totals = p.parse(raw(11, {1: "Tổng cộng", 13: 1234}))
    signature = p.parse(raw(13, {12: "Người lập biểu", 15: "Giám đốc"}))
    date_line = p.parse(raw(14, {15: "Nam Định, ngày 05 tháng 01 năm 2020"}))
    assert [r.status for r in (numbering, heading, data, company, totals, signature, date_line)] == [
        SKIPPED, SKIPPED, OK, OK, SKIPPED, SKIPPED, SKIPPED]
    assert totals.skip_reason == "Dòng “Tổng cộng”, không phải dữ liệu."
    assert "chữ ký" in signature.skip_reason


def test_a_data_row_without_a_name_is_an_error_not_skipped(catalogue: Catalogue) -> None:
    p = parser(catalogue, "establishments")
    row = p.parse(RawRow(9, (1, None, "HTX", "0100233488", "Nguyễn Văn A", None, "0912345678", None, "Nam Định")))
    assert row.status == ERROR and problems(row)[0][1:] == ("Tên cơ sở", "Chưa nhập tên cơ sở.")


# --- proposals -------------------------------------------------------------------------------------------------------


def test_a_settled_national_proposal(catalogue: Catalogue) -> None:
    row = proposal(catalogue)
    assert row.status == OK, row.problems
    r = row.proposal
    assert r is not None
    assert (r.data.code, r.data.year, r.data.scope, r.data.content_code, r.data.form) == (
        "KCQG-2019-01", 2019, Scope.NATIONAL, "ND45-4.3.d", ProposalForm.SINGLE)
    assert (r.total_vnd, r.support_vnd, r.counterpart_vnd, r.other_vnd) == (2460000000, 300000000, 2160000000, 0)
    assert r.status is Status.SETTLED and r.approved_support_vnd == 300000000
    assert (r.data.start_date, r.data.end_date) == (date(2019, 4, 1), date(2019, 11, 30))
    assert (r.data.province_code, r.data.commune_code, r.data.legacy_ward_code) == ("37", "14011", "14002")
    assert r.data.location_as_recorded == "Xã Nam Dương, Huyện Nam Trực, Tỉnh Nam Định"
    assert r.establishment is not None and r.establishment.legal_form is LegalForm.COOPERATIVE
    assert r.tax_code == "0100233488"


@pytest.mark.parametrize(("typed", "status"), [
    ("Da quyet toan", Status.SETTLED), ("ĐÃ QUYẾT TOÁN", Status.SETTLED), ("đã nghiệm thu", Status.ACCEPTED),
    ("Dang thuc hien", Status.IN_PROGRESS), ("Đã phê duyệt", Status.APPROVED), ("Không đạt", Status.REJECTED),
    ("huy", Status.CANCELLED), (None, Status.DRAFT), ("settled", Status.SETTLED),
])
def test_states_match_without_diacritics(catalogue: Catalogue, typed: object, status: Status) -> None:
    row = proposal(catalogue, Trạng_thái=typed)
    assert row.proposal is not None and row.proposal.status is status
    approved = status in (Status.APPROVED, Status.IN_PROGRESS, Status.ACCEPTED, Status.SETTLED)
    assert (row.proposal.approved_support_vnd is not None) == approved


@pytest.mark.parametrize(("typed", "code"), [
    ("ung dung may moc thiet bi tien tien", "ND45-4.3.d"), ("Hỗ trợ ứng dụng máy móc thiết bị tiên tiến",
                                                            "ND45-4.3.d"),
    ("ND45-4.3.d", "ND45-4.3.d"), ("Dây chuyền công nghệ", "ND45-4.3.e"), ("đào tạo nghề, truyền nghề", "ND45-4.1"),
])
def test_contents_by_name_or_code(catalogue: Catalogue, typed: str, code: str) -> None:
    row = proposal(catalogue, Nội_dung=typed)
    assert row.proposal is not None and row.proposal.data.content_code == code


@pytest.mark.parametrize(("typed", "scope"), [
    ("KCQG", Scope.NATIONAL), ("Khuyến công quốc gia", Scope.NATIONAL), ("kcdp", Scope.LOCAL),
    ("KCĐP", Scope.LOCAL), ("khuyen cong dia phuong", Scope.LOCAL),
])
def test_scopes(catalogue: Catalogue, typed: str, scope: Scope) -> None:
    row = proposal(catalogue, Nguồn_kinh_phí=typed)
    assert row.proposal is not None and row.proposal.data.scope is scope


def test_amounts_typed_every_which_way(catalogue: Catalogue) -> None:
    for total, support, counterpart in (("2,460,000,000 đ", "300,000,000 đ", "2,160,000,000 đ"),
                                        (2460000000, 300000000.0, "2.160.000.000"),
                                        ("2 460 000 000", "300 000 000", "2160000000")):
        row = proposal(catalogue, **{"Tổng kinh phí (đồng)": total, "Kinh phí khuyến công (đồng)": support,
                                     "Kinh phí đối ứng (đồng)": counterpart})
        assert row.proposal is not None and row.proposal.total_vnd == 2460000000


def test_trieu_columns_when_the_header_says_so(catalogue: Catalogue) -> None:
    header = [h.replace("(đồng)", "(triệu đồng)") for h in PROP_HEADER]
    row = proposal(catalogue, header=header, **{"Tổng kinh phí (triệu đồng)": "2.460",
                                                "Kinh phí khuyến công (triệu đồng)": "299,5",
                                                "Kinh phí đối ứng (triệu đồng)": 2160.5,
                                                "Kinh phí khác (triệu đồng)": None})
    assert row.status == OK, row.problems
    assert row.proposal is not None
    assert (row.proposal.total_vnd, row.proposal.support_vnd, row.proposal.counterpart_vnd) == (
        2460000000, 299500000, 2160500000)


def test_a_unit_line_above_the_header_applies_to_unlabelled_amounts(catalogue: Catalogue) -> None:
    header = [h.replace(" (đồng)", "") for h in PROP_HEADER]
    row = proposal(catalogue, header=header, multiplier=10**6,
                   **{"Tổng kinh phí": 2460, "Kinh phí khuyến công": 300, "Kinh phí đối ứng": 2160,
                      "Kinh phí khác": 0})
    assert row.proposal is not None and row.proposal.total_vnd == 2460000000


def test_total_that_does_not_add_up_names_the_columns_and_amounts(catalogue: Catalogue) -> None:
    row = proposal(catalogue, **{"Tổng kinh phí (đồng)": "2.460.000.001"})
    assert row.status == ERROR
    assert problems(row) == [(5, "Tổng kinh phí (đồng)", (
        "2.460.000.001 đồng không bằng Kinh phí khuyến công (đồng) + Kinh phí đối ứng (đồng) + "
        "Kinh phí khác (đồng) = 300.000.000 + 2.160.000.000 + 0 = 2.460.000.000 đồng (thừa 1 đồng)."))]


def test_a_missing_total_is_the_sum_of_the_parts(catalogue: Catalogue) -> None:
    row = proposal(catalogue, **{"Tổng kinh phí (đồng)": None, "Kinh phí khác (đồng)": "10.000"})
    assert row.proposal is not None and row.proposal.total_vnd == 2460010000


@pytest.mark.parametrize(("cells", "column", "reason"), [
    ({"Tên đề án": None}, "Tên đề án", "Chưa nhập tên đề án."),
    ({"Năm": None}, "Năm", "Chưa nhập năm kế hoạch."),
    ({"Năm": "19"}, "Năm", "không phải là năm"),
    ({"Năm": 1999}, "Năm", "Năm 1999 không hợp lệ"),
    ({"Nguồn kinh phí": "Ngân hàng"}, "Nguồn kinh phí", "không có trong danh mục nguồn kinh phí"),
    ({"Nguồn kinh phí": None}, "Nguồn kinh phí", "Chưa ghi nguồn kinh phí"),
    ({"Nội dung": "Hội chợ hàng Tết"}, "Nội dung", "không có trong danh mục nội dung hoạt động khuyến công"),
    ({"Nội dung": None}, "Nội dung", "Chưa ghi nội dung"),
    ({"Ngày kết thúc": "01/01/2019"}, "Ngày kết thúc", "Ngày kết thúc (01/01/2019) trước ngày bắt đầu (01/04/2019)."),
    ({"Kinh phí khuyến công (đồng)": None}, "Kinh phí khuyến công (đồng)", "Chưa nhập kinh phí khuyến công."),
    ({"Kinh phí khuyến công (đồng)": "ba trăm triệu"}, "Kinh phí khuyến công (đồng)", "không phải là số tiền"),
    ({"Kinh phí khuyến công (đồng)": 0, "Kinh phí đối ứng (đồng)": "2.460.000.000"}, "Kinh phí khuyến công (đồng)",
     "phải lớn hơn 0"),
    ({"Trạng thái": "Đang chờ"}, "Trạng thái", "không có trong danh mục trạng thái"),
    ({"Tỉnh/thành phố": "Xứ Đoài", "Địa chỉ": None}, "Tỉnh/thành phố", "Không tìm thấy tỉnh/thành phố"),
])
def test_bad_proposal_rows(catalogue: Catalogue, cells: dict[str, object], column: str, reason: str) -> None:
    row = proposal(catalogue, **{k.replace(" ", "_"): v for k, v in cells.items()})
    assert row.status == ERROR and row.proposal is None
    assert any(r == 5 and c == column and reason in text for r, c, text in problems(row)), problems(row)


def test_split_ward_is_flagged_on_the_proposal(catalogue: Catalogue) -> None:
    row = proposal(catalogue, Địa_chỉ="Xã Gia Tân, Huyện Gia Viễn, Tỉnh Ninh Bình")
    assert row.proposal is not None
    assert row.proposal.data.legacy_ward_code == "14503"
    assert row.proposal.data.commune_code is not None and row.proposal.data.address_needs_review
    assert any("chia tách" in text for _, _, text in problems(row, "warning"))
    assert row.proposal.establishment is not None and row.proposal.establishment.address_needs_review
    assert row.proposal.establishment.commune_code is not None


def test_infer_legal_form() -> None:
    assert infer_legal_form("Cơ sở dệt Đặng Văn Cường") is LegalForm.HOUSEHOLD
    assert infer_legal_form("Công ty TNHH Hợp Hưng") is LegalForm.SME
    assert infer_legal_form("Mây tre Quý") is None


# --- properties ------------------------------------------------------------------------------------------------------

CELL = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**16, max_value=10**16), st.floats(), st.text(max_size=30),
    st.datetimes(min_value=datetime(1800, 1, 1)), st.dates(),
    st.sampled_from(["HTX", "Nam Định", "Xã Nam Thanh, Huyện Nam Trực, Tỉnh Nam Định", "1.234.567", "05/11/2020",
                     "Tổng cộng", "Da quyet toan", "KCQG", "Dệt may", "0100233488", "#REF!", "=SUM(A1)", "(1)"]),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["establishments", "proposals"]), st.lists(st.lists(CELL, max_size=22), min_size=1,
                                                                  max_size=5))
def test_row_parser_never_raises(catalogue: Catalogue, kind: str, rows: list[list[object]]) -> None:
    p = parser(catalogue, kind)
    for number, cells in enumerate(rows, start=2):
        row = p.parse(RawRow(number, tuple(cells)))
        assert row.status in (OK, ERROR, SKIPPED)
        assert row.row == number
        if row.status == OK:
            assert (row.establishment if kind == "establishments" else row.proposal) is not None
            assert not row.errors
        if row.status == ERROR:
            assert row.errors and all(p.row == number and p.reason for p in row.errors)
        if row.status == SKIPPED:
            assert row.skip_reason
