"""Tests of the form-input checks (desktop_app.domain.validators)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.validators import (
    MOBILE_PREFIXES,
    Problem,
    check_date_range,
    check_email,
    check_phone,
    check_tax_code,
    format_phone,
    normalize_phone,
    normalize_tax_code,
)

PROFILE = settings(database=None, deadline=None, max_examples=300)
WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


# --------------------------------------------------------------------------------------------------------------------
# Problem
# --------------------------------------------------------------------------------------------------------------------


def test_problem_is_frozen_and_checks_severity() -> None:
    problem = Problem("error", "Email không hợp lệ.")
    assert problem.field is None and problem.is_error
    assert not Problem("warning", "x").is_error
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.message = "khác"  # type: ignore[misc]
    assert dataclasses.replace(problem, field="email") == Problem("error", "Email không hợp lệ.", "email")
    with pytest.raises(ValueError):
        Problem("fatal", "x")


# --------------------------------------------------------------------------------------------------------------------
# Mã số thuế
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "0100233488",
        "0100047516",  # 010004751 → check digit 6, the worked example of the circular
        "0314409058",
        "0314409058-002",
        "0314409058002",
        " 0314 409 058 - 002 ",
        "0314.409.058-002",
        "0314409058–002",  # en dash pasted from a document
        "001234567890",  # 12-digit personal identification number (hộ kinh doanh since 1/7/2025)
        "079203012345",
    ],
)
def test_valid_tax_codes(code: str) -> None:
    assert check_tax_code(code) is None


@pytest.mark.parametrize("code", [None, "", "   "])
def test_empty_tax_code_is_not_checked(code: str | None) -> None:
    assert check_tax_code(code) is None


@pytest.mark.parametrize(
    "code",
    [
        "12345",
        "010023348",  # 9 digits
        "01002334881",  # 11 digits
        "0100233488-02",
        "0100233488-0021",
        "01002334AB",
        "0100233488/002",
        "0123456789012345",
        "١٢٣٤٥٦٧٨٩٠",  # Arabic-Indic digits are digits to Python, not to the tax office
    ],
)
def test_malformed_tax_codes_are_errors(code: str) -> None:
    problem = check_tax_code(code)
    assert problem is not None
    assert problem.severity == "error"
    assert "Mã số thuế" in problem.message
    assert "10 chữ số" in problem.message and "12 chữ số" in problem.message


def test_tax_code_with_all_zero_sequence_is_an_error() -> None:
    problem = check_tax_code("0100000008")
    assert problem is not None and problem.severity == "error"
    assert "Mã số thuế" in problem.message and "thứ 3 đến 9" in problem.message


def test_tax_code_branch_000_is_an_error() -> None:
    problem = check_tax_code("0314409058-000")
    assert problem is not None and problem.severity == "error"
    assert "000" in problem.message


def test_wrong_check_digit_is_a_warning() -> None:
    problem = check_tax_code("0100233489")
    assert problem == Problem(
        "warning",
        "Mã số thuế “0100233489” có thể bị nhập sai: chữ số kiểm tra (chữ số thứ 10) phải là 8. "
        "Vui lòng đối chiếu với giấy chứng nhận đăng ký.",
    )
    branch = check_tax_code("0100233489-001")
    assert branch is not None and branch.severity == "warning"


def test_check_digit_sum_divisible_by_11_is_a_warning_for_every_digit() -> None:
    first9 = "100000008"
    assert sum(int(d) * w for d, w in zip(first9, WEIGHTS, strict=True)) % 11 == 0
    for last in "0123456789":
        problem = check_tax_code(first9 + last)
        assert problem is not None and problem.severity == "warning"
        assert "Mã số thuế" in problem.message


@PROFILE
@given(st.integers(min_value=0, max_value=999_999_999))
def test_check_digit_property(number: int) -> None:
    first9 = f"{number:09d}"
    remainder = sum(int(d) * w for d, w in zip(first9, WEIGHTS, strict=True)) % 11
    results = {last: check_tax_code(first9 + last) for last in "0123456789"}
    if first9[2:] == "0000000":
        assert all(p is not None and p.severity == "error" for p in results.values())
    elif remainder == 0:
        assert all(p is not None and p.severity == "warning" for p in results.values())
    else:
        valid = [last for last, problem in results.items() if problem is None]
        assert valid == [str(10 - remainder)]
        assert all(p.severity == "warning" for p in results.values() if p is not None)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (None, ""),
        ("", ""),
        ("0314409058002", "0314409058-002"),
        ("0314 409 058 - 002", "0314409058-002"),
        ("0314.409.058", "0314409058"),
        (" 0100233488 ", "0100233488"),
        ("001234567890", "001234567890"),
        ("12 345", "12345"),
    ],
)
def test_normalize_tax_code(raw: str | None, stored: str) -> None:
    assert normalize_tax_code(raw) == stored


# --------------------------------------------------------------------------------------------------------------------
# Điện thoại
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "(+84) 912 345 678",
        "+84912345678",
        "84912345678",
        "+84 (0) 912 345 678",
        "0084 912 345 678",
        "0362345678",
        "0879123456",
        "02438241234",
        "(024) 3824 1234",
        "0236 382 1234",
    ],
)
def test_valid_phones(phone: str) -> None:
    assert check_phone(phone) is None


@pytest.mark.parametrize("phone", [None, "", "  "])
def test_empty_phone_is_not_checked(phone: str | None) -> None:
    assert check_phone(phone) is None


@pytest.mark.parametrize(
    "phone",
    [
        "091234567",  # 9 digits
        "09123456789",  # 11 digits, not a landline
        "0243824123",  # landline one digit short
        "024382412345",
        "1900123456",
        "0412345678",  # 04x is no mobile family
        "+84 91234567",
    ],
)
def test_phones_of_wrong_length_are_errors(phone: str) -> None:
    problem = check_phone(phone)
    assert problem is not None and problem.severity == "error"
    assert problem.message.startswith("Điện thoại")
    assert "10 chữ số" in problem.message and "11 chữ số" in problem.message


@pytest.mark.parametrize("phone", ["0912abc678", "0912 345 678 máy lẻ 12", "0912/345/678", "09+12345678"])
def test_phones_with_letters_or_symbols_are_errors(phone: str) -> None:
    problem = check_phone(phone)
    assert problem is not None and problem.severity == "error"
    assert problem.message.startswith("Điện thoại") and "chỉ được chứa chữ số" in problem.message


@pytest.mark.parametrize("phone", ["0501234567", "0712345678", "0801234567", "0951234567", "0311234567"])
def test_unknown_mobile_prefix_is_a_warning(phone: str) -> None:
    problem = check_phone(phone)
    assert problem is not None and problem.severity == "warning"
    assert problem.message.startswith("Điện thoại") and phone[:3] in problem.message


def test_old_eleven_digit_mobile_gets_its_new_number() -> None:
    problem = check_phone("0166 234 5678")
    assert problem is not None and problem.severity == "error"
    assert problem.message.endswith("0362 345 678.")
    converted = check_phone("01234567890")
    assert converted is not None and "0834 567 890" in converted.message


def test_foreign_phone_is_a_warning() -> None:
    problem = check_phone("+1 202 555 0123")
    assert problem is not None and problem.severity == "warning"
    assert "nước ngoài" in problem.message


def test_every_listed_prefix_is_accepted() -> None:
    assert len(MOBILE_PREFIXES) == 36
    for prefix in MOBILE_PREFIXES:
        assert check_phone(prefix + "1234567") is None


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (None, ""),
        ("", ""),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084912345678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("(024) 3824.1234", "02438241234"),
        ("+84 24 3824 1234", "02438241234"),
        ("0912-345-678", "0912345678"),
        ("+1 202 555 0123", "+12025550123"),
    ],
)
def test_normalize_phone(raw: str | None, stored: str) -> None:
    assert normalize_phone(raw) == stored


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("0912345678", "0912 345 678"),
        ("+84 912.345.678", "0912 345 678"),
        ("02438241234", "024 3824 1234"),
        ("02838221234", "028 3822 1234"),
        ("02363821234", "0236 382 1234"),
        ("0228 384 5678", "0228 384 5678"),
        ("+12025550123", "+12025550123"),
        (" 12345 ", "12345"),
    ],
)
def test_format_phone(raw: str, shown: str) -> None:
    assert format_phone(raw) == shown


@PROFILE
@given(st.sampled_from(sorted(MOBILE_PREFIXES)), st.integers(min_value=0, max_value=9_999_999))
def test_mobile_round_trip(prefix: str, subscriber: int) -> None:
    number = f"{prefix}{subscriber:07d}"
    shown = format_phone(number)
    assert len(shown) == 12 and shown.count(" ") == 2
    assert normalize_phone(shown) == number
    assert normalize_phone("+84 " + shown[1:]) == number
    assert check_phone(shown) is None


# --------------------------------------------------------------------------------------------------------------------
# Email and dates
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [None, "", "ttkc@namdinh.gov.vn", "nguyen.van.an+kc@gmail.com", "  a_b-c@sub.domain.com.vn ", "X@Y.IO"],
)
def test_valid_emails(email: str | None) -> None:
    assert check_email(email) is None


@pytest.mark.parametrize(
    "email",
    [
        "ttkc",
        "ttkc@",
        "@namdinh.gov.vn",
        "ttkc@namdinh",
        "ttkc@@namdinh.gov.vn",
        "ttkc @namdinh.gov.vn",
        "nguyễn@gmail.com",
        ".an@gmail.com",
        "an.@gmail.com",
        "an..binh@gmail.com",
        "an@-gmail.com",
        "an@gmail..com",
        "an@gmail.c",
        "an@gmail.com.",
        "a" * 250 + "@b.vn",
    ],
)
def test_invalid_emails(email: str) -> None:
    problem = check_email(email)
    assert problem is not None and problem.severity == "error"
    assert problem.message.startswith("Email")


def test_date_range() -> None:
    assert check_date_range(date(2025, 3, 1), date(2025, 12, 31)) is None
    assert check_date_range(date(2025, 3, 1), date(2025, 3, 1)) is None
    assert check_date_range(None, date(2025, 3, 1)) is None
    assert check_date_range(date(2025, 3, 1), None) is None
    assert check_date_range(None, None) is None
    assert check_date_range(datetime(2025, 3, 1, 17, 0), date(2025, 3, 1)) is None
    problem = check_date_range(date(2025, 3, 5), date(2025, 3, 1))
    assert problem == Problem("error", "Ngày kết thúc (01/03/2025) không được trước ngày bắt đầu (05/03/2025).")
