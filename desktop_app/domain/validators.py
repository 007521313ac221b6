"""Checks of identifiers and contact data typed into forms: tax codes, phone numbers, e-mail, date ranges.

Each ``check_*`` function returns ``None`` when the value is acceptable (an empty value included: whether a field
is required is the caller's decision) or a :class:`Problem` with a Vietnamese message. An ``"error"`` must be fixed;
a ``"warning"`` is shown but may be overridden, for facts the program cannot know for sure (a new carrier prefix,
a tax code whose check digit is disputed). Rules: ``documents-locale.md`` §4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from desktop_app.domain.vietnamese import format_date

__all__ = [
    "ERROR",
    "MOBILE_PREFIXES",
    "WARNING",
    "Problem",
    "check_date_range",
    "check_email",
    "check_phone",
    "check_tax_code",
    "format_phone",
    "normalize_phone",
    "normalize_tax_code",
]

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding about an input value.

    Attributes:
        severity: ``"error"`` (must be fixed) or ``"warning"`` (may be overridden).
        message: Vietnamese text shown to the user; it names the field.
        field: the input it concerns, when the caller wants to attach it (``dataclasses.replace`` it in).
    """

    severity: str
    message: str
    field: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in (ERROR, WARNING):
            raise ValueError(f"severity must be {ERROR!r} or {WARNING!r}, got {self.severity!r}")

    @property
    def is_error(self) -> bool:
        """True for an error, False for a warning."""
        return self.severity == ERROR


# --------------------------------------------------------------------------------------------------------------------
# Mã số thuế
# --------------------------------------------------------------------------------------------------------------------

# [0-9], never \d: \d also matches Arabic-Indic and full-width digits, which no tax code contains.
_TAX_CODE = re.compile(r"([0-9]{10})(?:-?([0-9]{3}))?|([0-9]{12})")
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})


def _compact_tax_code(text: str) -> str:
    # Codes are often copied from documents as "0100 233 488" or "0314.409.058-002", or with a typographic dash.
    return re.sub(r"[\s.]", "", text.translate(_DASHES))


def normalize_tax_code(text: str | None) -> str:
    """Return the tax code in its stored form: spaces and dots removed, the branch suffix after a dash.

    Args:
        text: the typed code, or ``None``.

    Returns:
        ``"0314409058-002"`` for ``"0314409058002"`` or ``"0314 409 058 - 002"``; ``""`` for an empty value;
        a malformed code comes back compacted but otherwise unchanged.
    """
    if text is None:
        return ""
    compact = _compact_tax_code(text)
    match = _TAX_CODE.fullmatch(compact)
    if match and match.group(2):
        return f"{match.group(1)}-{match.group(2)}"
    return compact


def _tax_check_digit(first9: str) -> int | None:
    """The N10 check digit of a tax code, or None when Σ mod 11 is 0 (the formula gives 10, which is no digit)."""
    remainder = sum(int(digit) * weight for digit, weight in zip(first9, _TAX_WEIGHTS, strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def check_tax_code(text: str | None) -> Problem | None:
    """Check a mã số thuế: 10 digits, 10 + "-" + 3 digits (dependent unit), or 12 digits (personal ID).

    Since 1/7/2025 the 12-digit personal identification number of the representative is the tax code of a
    household business; it has no check digit, so only its form is checked. For 10-digit codes the mod-11 check
    digit is verified as a warning only, because the source of the algorithm and its Σ mod 11 = 0 case are not
    confirmed.

    Args:
        text: the typed code, or ``None``.

    Returns:
        ``None`` when acceptable or empty; an error when malformed; a warning when the check digit does not match.
    """
    if text is None or not text.strip():
        return None
    compact = _compact_tax_code(text)
    match = _TAX_CODE.fullmatch(compact)
    if match is None:
        return Problem(
            ERROR,
            f"Mã số thuế “{text.strip()}” không đúng định dạng: cần 10 chữ số, 10 chữ số kèm 3 chữ số đơn vị "
            "phụ thuộc (dạng 0123456789-001) hoặc 12 chữ số định danh cá nhân.",
        )
    main, branch = match.group(1), match.group(2)
    if main is None:
        return None
    if main[2:9] == "0000000":
        return Problem(ERROR, f"Mã số thuế “{compact}” không hợp lệ: các chữ số thứ 3 đến 9 không thể đều là 0.")
    if branch == "000":
        return Problem(ERROR, f"Mã số thuế “{compact}” không hợp lệ: mã đơn vị phụ thuộc (3 số cuối) không thể là 000.")
    expected = _tax_check_digit(main[:9])
    if expected is None:
        return Problem(
            WARNING,
            f"Mã số thuế “{main}” có thể bị nhập sai: với 9 chữ số đầu này không có chữ số kiểm tra hợp lệ. "
            "Vui lòng đối chiếu với giấy chứng nhận đăng ký.",
        )
    if int(main[9]) != expected:
        return Problem(
            WARNING,
            f"Mã số thuế “{main}” có thể bị nhập sai: chữ số kiểm tra (chữ số thứ 10) phải là {expected}. "
            "Vui lòng đối chiếu với giấy chứng nhận đăng ký.",
        )
    return None


# --------------------------------------------------------------------------------------------------------------------
# Điện thoại
# --------------------------------------------------------------------------------------------------------------------

# Mobile prefixes in use (after the 2018 move to 10 digits). Carriers add prefixes from time to time, so an unknown
# one in the 03x/05x/07x/08x/09x families is only a warning.
MOBILE_PREFIXES = frozenset(
    """
    032 033 034 035 036 037 038 039
    052 055 056 058 059
    070 076 077 078 079
    081 082 083 084 085 086 087 088 089
    090 091 092 093 094 096 097 098 099
    """.split()
)
_MOBILE_FAMILIES = frozenset("35789")

# The 11-digit mobile numbers were renumbered in 2018-2019; tell the user the new prefix instead of a bare "wrong".
_OLD_MOBILE_PREFIXES = {
    **{f"016{d}": f"03{d}" for d in "23456789"},
    "0120": "070",
    "0121": "079",
    "0122": "077",
    "0126": "076",
    "0128": "078",
    "0123": "083",
    "0124": "084",
    "0125": "085",
    "0127": "081",
    "0129": "082",
    "0186": "056",
    "0188": "058",
    "0199": "059",
}

# Hà Nội and TP. Hồ Chí Minh have two-digit area codes (24, 28); every other province has three (2xx).
_TWO_DIGIT_AREAS = ("024", "028")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE_FORMAT_HINT = "số di động 10 chữ số (0912 345 678) hoặc số cố định 11 chữ số bắt đầu bằng 02"


def normalize_phone(text: str | None) -> str:
    """Return the phone number as stored: digits only, the +84 / 84 / 0084 country code replaced by 0.

    Args:
        text: the typed number, or ``None``.

    Returns:
        ``"0912345678"`` for ``"+84 912 345 678"``; a foreign number keeps its ``"+"`` (``"+12025550123"``);
        ``""`` for an empty value. Other characters (letters) are dropped, so check before normalising.
    """
    if not text:
        return ""
    compact = _PHONE_SEPARATORS.sub("", text.strip())
    international = compact.startswith("+") or compact.startswith("00")
    digits = "".join(ch for ch in compact if "0" <= ch <= "9")
    if international:
        digits = digits[2:] if compact.startswith("00") else digits
        if not digits.startswith("84"):
            return "+" + digits
        digits = digits[2:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        # "84912345678": the country code without "+"; no Vietnamese national number starts with 8.
        digits = digits[2:]
    else:
        return digits
    # "+84 (0) 912 …": the trunk 0 written after the country code.
    if digits.startswith("0"):
        digits = digits[1:]
    return "0" + digits


def check_phone(text: str | None) -> Problem | None:
    """Check a phone number: mobile "0" + 9 digits, "+84"/"84" + 9 digits, or landline 11 digits starting "02".

    Spaces, dots, dashes and parentheses are ignored.

    Args:
        text: the typed number, or ``None``.

    Returns:
        ``None`` when acceptable or empty; an error for letters or a wrong length; a warning for a mobile prefix
        that is not in the carriers' list or for a foreign number.
    """
    if text is None or not text.strip():
        return None
    shown = text.strip()
    compact = _PHONE_SEPARATORS.sub("", shown)
    if not re.fullmatch(r"\+?[0-9]+", compact):
        return Problem(
            ERROR,
            f"Điện thoại “{shown}” chỉ được chứa chữ số, dấu + ở đầu và các dấu cách, chấm, gạch ngang, ngoặc đơn.",
        )
    number = normalize_phone(shown)
    if number.startswith("+"):
        return Problem(WARNING, f"Điện thoại “{shown}” là số nước ngoài; chương trình không kiểm tra được số này.")
    if len(number) == 10 and number[0] == "0" and number[1] in _MOBILE_FAMILIES:
        if number[:3] not in MOBILE_PREFIXES:
            return Problem(
                WARNING,
                f"Điện thoại “{shown}”: đầu số {number[:3]} không có trong danh sách đầu số di động đang dùng. "
                "Vui lòng kiểm tra lại.",
            )
        return None
    if len(number) == 11 and number.startswith("02"):
        return None
    if len(number) == 11 and number[:4] in _OLD_MOBILE_PREFIXES:
        new_number = _OLD_MOBILE_PREFIXES[number[:4]] + number[4:]
        return Problem(
            ERROR,
            f"Điện thoại “{shown}” là số di động 11 số cũ, đã chuyển sang 10 số từ năm 2018: "
            f"{format_phone(new_number)}.",
        )
    return Problem(ERROR, f"Điện thoại “{shown}” không đúng định dạng: cần {_PHONE_FORMAT_HINT}.")


def format_phone(text: str) -> str:
    """Format a phone number for display.

    Mobiles as 4-3-3 ("0912 345 678"); landlines with the area code apart: "024 3824 1234" (Hà Nội, TP.HCM) and
    "0236 382 1234" (three-digit area codes).

    Args:
        text: the number, in any form :func:`normalize_phone` understands.

    Returns:
        The grouped number; anything that is not a recognisable Vietnamese number is returned as typed (trimmed),
        a foreign number in its ``"+"`` form.
    """
    number = normalize_phone(text)
    if number.startswith("+"):
        return number
    if len(number) == 10 and number.startswith("0") and number[1] != "2":
        return f"{number[:4]} {number[4:7]} {number[7:]}"
    if len(number) == 11 and number.startswith("02"):
        if number.startswith(_TWO_DIGIT_AREAS):
            return f"{number[:3]} {number[3:7]} {number[7:]}"
        return f"{number[:4]} {number[4:7]} {number[7:]}"
    return text.strip()


# --------------------------------------------------------------------------------------------------------------------
# Email, dates
# --------------------------------------------------------------------------------------------------------------------

# Deliberately simple: dot-separated atoms before "@", a dotted host name with a letter-only top-level domain.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def check_email(text: str | None) -> Problem | None:
    """Check an e-mail address with a simple pattern (name@domain.tld, no spaces or accented letters).

    Args:
        text: the typed address, or ``None``.

    Returns:
        ``None`` when acceptable or empty; otherwise an error.
    """
    if text is None or not text.strip():
        return None
    address = text.strip()
    if len(address) > 254 or not _EMAIL.fullmatch(address):
        return Problem(ERROR, f"Email “{address}” không hợp lệ; địa chỉ phải có dạng ten@tenmien.vn.")
    return None


def _as_date(value: date) -> date:
    # A datetime cannot be compared with a date; the range check is about days.
    return value.date() if isinstance(value, datetime) else value


def check_date_range(start: date | None, end: date | None) -> Problem | None:
    """Check that a period does not end before it starts.

    Args:
        start: ngày bắt đầu, or ``None`` when not entered yet.
        end: ngày kết thúc, or ``None`` when not entered yet.

    Returns:
        ``None`` when either date is missing or ``end`` is on or after ``start``; otherwise an error.
    """
    if start is None or end is None:
        return None
    if _as_date(end) < _as_date(start):
        return Problem(
            ERROR,
            f"Ngày kết thúc ({format_date(_as_date(end))}) không được trước ngày bắt đầu "
            f"({format_date(_as_date(start))}).",
        )
    return None
