"""Cell values as people type them: amounts, counts, years, dates, names and headers."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.importers.errors import CellValueError
from desktop_app.importers.values import (
    EPOCH_1904,
    NameMatcher,
    cell_text,
    header_key,
    header_multiplier,
    name_key,
    parse_amount,
    parse_count,
    parse_date,
    parse_year,
)

# --- amounts ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (1234567, 1234567),
    (1234567.0, 1234567),
    (Decimal("1234567"), 1234567),
    ("1.234.567", 1234567),
    ("1,234,567", 1234567),
    ("1,234,567 đ", 1234567),
    ("1.234.567 đồng", 1234567),
    ("2,140,000,000 đ", 2140000000),
    ("1 234 567", 1234567),
    ("1\u00a0234\u00a0567", 1234567),
    (" 300.000.000 ", 300000000),
    ("500.000 VNĐ", 500000),
    ("1.234", 1234),  # one dot and three digits: a thousands separator in đồng
    ("1,234", 1234),
    ("0", 0),
    ("1,5 triệu", 1500000),  # a unit in the cell wins over the column's
    ("2 tỷ", 2000000000),
    ("750 nghìn", 750000),
    (None, None),
    ("", None),
    ("   ", None),
])
def test_amounts_in_dong(value: object, expected: int | None) -> None:
    assert parse_amount(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (1.5, 1500000),
    ("1,5", 1500000),  # the Vietnamese decimal comma
    ("1.5", 1500000),
    ("1.234", 1234000000),  # a dot and three digits: Vietnamese thousands
    ("1,234", 1234000),  # a comma and three digits: Vietnamese decimals
    ("1.234,5", 1234500000),
    ("1,234.5", 1234500000),
    (450, 450000000),
    ("500.000 đ", 500000),  # the cell says đồng
])
def test_amounts_in_a_trieu_column(value: object, expected: int) -> None:
    assert parse_amount(value, 10**6) == expected


@pytest.mark.parametrize(("value", "words"), [
    ("abc", "không phải là số tiền"),
    ("1.234.567,5", "không phải là số nguyên đồng"),
    (0.1234567, "quá nhiều chữ số thập phân"),  # in triệu: 123.456,7 đồng
    ("-1.000", "không được âm"),
    ("(1.000)", "không được âm"),
    ("1.23.456", "3 chữ số"),
    ("#VALUE!", "lỗi công thức"),
    (True, "đúng/sai"),
    (datetime(2020, 1, 1), "ngày tháng"),
    (float("nan"), "không hợp lệ"),
    (10**16, "lớn bất thường"),
])
def test_bad_amounts_say_why(value: object, words: str) -> None:
    multiplier = 10**6 if isinstance(value, float) and value < 1 else 1
    with pytest.raises(CellValueError) as info:
        parse_amount(value, multiplier)
    assert words in info.value.message


def test_negative_amounts_when_allowed() -> None:
    assert parse_amount("-1.000", allow_negative=True) == -1000


# --- counts and years ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("1.709", 1709), (" 75 ", 75), (239, 239), (12.0, 12), ("25 người", 25), ("1,709", 1709), (None, None),
])
def test_counts(value: object, expected: int | None) -> None:
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", ["2.5", -3, "ba", 1.5])
def test_bad_counts(value: object) -> None:
    with pytest.raises(CellValueError):
        parse_count(value)


@pytest.mark.parametrize(("value", "expected"), [
    (2019, 2019), ("2019", 2019), ("Năm 2019", 2019), (2019.0, 2019), (datetime(2018, 4, 1), 2018), (None, None),
])
def test_years(value: object, expected: int | None) -> None:
    assert parse_year(value) == expected


@pytest.mark.parametrize("value", ["19", "2019-2020", 1850, 2019.5, "năm ngoái"])
def test_bad_years(value: object) -> None:
    with pytest.raises(CellValueError):
        parse_year(value)


# --- dates -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (datetime(2005, 9, 16), date(2005, 9, 16)),
    (date(2005, 9, 16), date(2005, 9, 16)),
    ("05/11/2020", date(2020, 11, 5)),
    ("5/11/2020", date(2020, 11, 5)),
    ("5-11-2020", date(2020, 11, 5)),
    ("19-11-2007", date(2007, 11, 19)),
    ("5.11.2020", date(2020, 11, 5)),
    ("05/11/20", date(2020, 11, 5)),
    ("2020-11-05", date(2020, 11, 5)),
    ("2019-04-01 00:00:00", date(2019, 4, 1)),
    ("ngày 05 tháng 11 năm 2020", date(2020, 11, 5)),
    (41925, date(2014, 10, 13)),  # an Excel serial number
    ("41925", date(2014, 10, 13)),
    (41925.75, date(2014, 10, 13)),
    ("20201105", date(2020, 11, 5)),
    (None, None),
    ("", None),
])
def test_dates(value: object, expected: date | None) -> None:
    assert parse_date(value) == (expected, None)


def test_serial_numbers_in_the_1904_date_system() -> None:
    assert parse_date(40463, EPOCH_1904) == (date(2014, 10, 13), None)


@pytest.mark.parametrize(("value", "expected", "note"), [
    (2005, date(2005, 1, 1), "Chỉ có năm 2005"),
    ("2005", date(2005, 1, 1), "Chỉ có năm 2005"),
    ("11/2020", date(2020, 11, 1), "Chỉ có tháng và năm"),
])
def test_partial_dates_are_completed_with_a_warning(value: object, expected: date, note: str) -> None:
    day, warning = parse_date(value)
    assert day == expected
    assert warning is not None and note in warning


@pytest.mark.parametrize(("value", "words"), [
    ("31/02/2020", "không có thật"),
    ("13/13/2020", "không có thật"),
    ("hôm qua", "không phải là ngày"),
    (time(8, 30), "không phải là ngày"),
    ("01/01/1800", "năm 1800"),
    ("#REF!", "lỗi công thức"),
    (-5, "không phải là ngày hợp lệ"),
])
def test_bad_dates_say_why(value: object, words: str) -> None:
    with pytest.raises(CellValueError) as info:
        parse_date(value)
    assert words in info.value.message


# --- names and headers -----------------------------------------------------------------------------------------------


def test_name_keys_ignore_case_diacritics_punctuation_and_leading_zeros() -> None:
    assert name_key("Bà Rịa - Vũng Tàu") == name_key("BA RIA–VUNG TAU") == "ba ria vung tau"
    assert name_key("Phường 01") == name_key("phuong 1")
    assert name_key("Thừa Thiên Huế") == "thua thien hue"


def test_header_keys_ignore_case_diacritics_spacing_and_units() -> None:
    assert header_key("Tỉnh/thành phố") == header_key("TỈNH / THÀNH PHỐ") == header_key("tinh thanh pho (*)")
    assert header_key("Tổng kinh phí (đồng)") == header_key("Tổng kinh phí (triệu đồng)") == "tongkinhphi"
    assert header_key("Mã số thuế *") == "masothue"


@pytest.mark.parametrize(("text", "unit"), [
    ("Tổng kinh phí (đồng)", 1), ("Kinh phí (triệu đồng)", 10**6), ("Kinh phí (tr.đ)", 10**6),
    ("Đơn vị tính: triệu đồng", 10**6), ("ĐVT: nghìn đồng", 10**3), ("Kinh phí (tỷ đồng)", 10**9),
    ("Trạng thái", None), ("Tổng kinh phí", None),
])
def test_header_units(text: str, unit: int | None) -> None:
    assert header_multiplier(text) == unit


def test_name_matcher_matches_without_diacritics_and_by_code() -> None:
    sectors = NameMatcher("ngành nghề", [("DET_MAY", "Dệt may"), ("CO_KHI", "Cơ khí")])
    assert sectors.match("det may") == sectors.match("DỆT MAY") == sectors.match(" Dệt  may ") == "DET_MAY"
    assert sectors.match("CO_KHI") == "CO_KHI"
    assert sectors.match(None) is None
    with pytest.raises(CellValueError) as info:
        sectors.match("Gốm sứ")
    assert info.value.message == "“Gốm sứ” không có trong danh mục ngành nghề."


def test_name_matcher_refuses_a_name_shared_by_two_codes() -> None:
    matcher = NameMatcher("nội dung", [("A", "Chuyển giao công nghệ"), ("B", "Chuyen giao cong nghe")])
    with pytest.raises(CellValueError) as info:
        matcher.match("chuyển giao công nghệ")
    assert "trùng tên nhiều nội dung" in info.value.message


def test_cell_text() -> None:
    assert cell_text(" Hợp  tác   xã ") == "Hợp tác xã"
    assert cell_text(117468142.0) == "117468142"
    assert cell_text(datetime(2020, 11, 5)) == "05/11/2020"
    assert cell_text(None) == ""


# --- properties ------------------------------------------------------------------------------------------------------

CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20), st.floats(allow_nan=True),
    st.decimals(allow_nan=True), st.text(max_size=40), st.datetimes(), st.dates(), st.times(),
    st.from_regex(r"[-(]?[0-9 .,]{1,15}\)? ?(đ|đồng|triệu|tr|tỷ|nghìn|VNĐ)?", fullmatch=True),
    st.from_regex(r"[0-9]{1,4}[/.\- ][0-9]{1,4}([/.\- ][0-9]{1,5})?", fullmatch=True),
)


@settings(max_examples=400, deadline=None)
@given(CELLS, st.sampled_from([1, 1000, 10**6, 10**9]))
def test_value_parsers_raise_only_their_own_error(value: object, multiplier: int) -> None:
    for parse in (lambda v: parse_amount(v, multiplier), parse_count, parse_year, parse_date,
                  NameMatcher("x", [("A", "Dệt may")]).match, cell_text):
        try:
            result = parse(value)
        except CellValueError as exc:
            assert exc.message
        else:
            if parse is parse_date:
                assert isinstance(result, tuple)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**14))
def test_amounts_written_with_separators_read_back(amount: int) -> None:
    dotted = f"{amount:,}".replace(",", ".")
    assert parse_amount(dotted) == amount
    assert parse_amount(f"{amount:,} đ") == amount
    assert parse_amount(amount) == amount


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
def test_dates_written_day_first_read_back(day: date) -> None:
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}") == (day, None)
    assert parse_date(f"{day.day}-{day.month}-{day.year}") == (day, None)
    serial = (day - date(1899, 12, 30)).days
    if not 1900 <= serial <= 2100:  # those serials are read as a bare year
        assert parse_date(serial) == (day, None)
