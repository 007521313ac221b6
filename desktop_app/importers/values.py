"""Reading cell values the way people type them into Excel: amounts, counts, years, dates, codes and names.

Every parser takes the raw value openpyxl gives (``None``, ``str``, ``int``, ``float``, ``Decimal``, ``bool``,
``datetime``, ``date``, ``time``) and returns the value in the program's form, or raises :class:`CellValueError`
with a Vietnamese reason that quotes the cell. Nothing else escapes (a property test feeds random values).

Conventions (``documents-locale.md`` §3): Vietnamese writes a dot between thousands and a comma before decimals
("1.234.567,5"), but lists copied from English-locale Excel carry "1,234,567.5"; both are read. Dates are day first
("05/11/2020", "5-11-2020"); Excel serial numbers are read in the workbook's date system. Money is integer đồng:
an amount that is not a whole number of đồng after applying the column's unit (đồng, nghìn, triệu, tỷ) is refused
rather than rounded.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from desktop_app.domain.vietnamese import fold, format_date, normalize
from desktop_app.importers.errors import CellValueError

__all__ = [
    "EPOCH_1900",
    "EPOCH_1904",
    "NameMatcher",
    "cell_text",
    "header_key",
    "header_multiplier",
    "name_key",
    "parse_amount",
    "parse_count",
    "parse_date",
    "parse_year",
    "shown",
]

EPOCH_1900 = date(1899, 12, 30)  # Excel's 1900 date system, after its fictitious 29/02/1900
EPOCH_1904 = date(1904, 1, 1)
MIN_YEAR, MAX_YEAR = 1900, 2100
_MAX_SERIAL = (date(MAX_YEAR, 12, 31) - EPOCH_1900).days
_MAX_AMOUNT = 10**15  # a thousand billion đồng (one nghìn tỷ): far above any proposal, keeps BIGINT safe
_EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
                 "#CALC!")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")


def shown(value: object) -> str:
    """The cell as a person would read it, for messages (dates dd/mm/yyyy, whole floats without ".0")."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_date(value.date()) if value.time() == time() else f"{format_date(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float) and math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = str(value)
    return normalize(text)[:80] + ("…" if len(normalize(text)) > 80 else "")


def cell_text(value: object) -> str:
    """The cell as text: NFC, trimmed, inner whitespace collapsed; numbers without a spurious ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime | date):
        return shown(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value.is_finite() else ""
    return normalize(str(value))


def _excel_error(text: str) -> str | None:
    upper = text.strip().upper()
    return upper if upper in _EXCEL_ERRORS else None


# --------------------------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------------------------

# Unit words that may follow a number in the cell itself; they override the column's unit.
_UNIT_WORDS: tuple[tuple[str, int], ...] = (
    ("trieu dong", 10**6), ("trieu d", 10**6), ("trieu", 10**6), ("tr.dong", 10**6), ("tr.d", 10**6),
    ("trd", 10**6), ("tr", 10**6), ("ty dong", 10**9), ("ti dong", 10**9), ("ty", 10**9), ("ti", 10**9),
    ("nghin dong", 10**3), ("ngan dong", 10**3), ("nghin", 10**3), ("ngan", 10**3), ("vnd", 1), ("dong", 1),
    ("d", 1),
)
_NUMBER = re.compile(r"[0-9][0-9.,']*")


def _split_unit(folded: str) -> tuple[str, int | None]:
    """("1,5 trieu") → ("1,5", 10**6); the unit, if any, written after the number."""
    for word, multiplier in _UNIT_WORDS:
        if folded.endswith(word):
            head = folded[: -len(word)].rstrip(" .")
            if head and (head[-1].isdigit() or head[-1] in ".,"):
                return head, multiplier
    return folded, None


def _decimal_from_text(number: str, comma_is_decimal: bool, what: str, original: str) -> Decimal:
    """Read "1.234.567", "1,234,567", "1.234.567,5", "1,5" … as a Decimal.

    ``comma_is_decimal`` settles the one ambiguous form, a single separator followed by exactly three digits
    ("1,234" / "1.234"): in đồng columns that is a thousands separator, in triệu columns the Vietnamese comma is
    the decimal mark.
    """
    number = number.replace("'", "")  # Swiss-style 1'234'567, also a leading apostrophe Excel users type
    if not re.fullmatch(r"[0-9][0-9.,]*", number) or number[-1] in ".,":
        raise CellValueError(f"“{original}” không phải là số {what}.")
    dots, commas = number.count("."), number.count(",")
    if dots and commas:
        decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        whole, _, fraction = number.rpartition(decimal_mark)
        if thousands + thousands in whole or decimal_mark in whole:
            raise CellValueError(f"“{original}” không phải là số {what}: dấu phân cách không đúng chỗ.")
        _check_groups(whole, thousands, original, what)
        return Decimal(whole.replace(thousands, "") + "." + fraction)
    separator = "." if dots else "," if commas else ""
    if not separator:
        return Decimal(number)
    count = dots or commas
    head, _, tail = number.partition(separator)
    if count > 1:
        _check_groups(number, separator, original, what)
        return Decimal(number.replace(separator, ""))
    if len(tail) == 3 and not (separator == "," and comma_is_decimal) and len(head) <= 3:
        return Decimal(head + tail)
    return Decimal(head + "." + tail)


def _check_groups(number: str, separator: str, original: str, what: str) -> None:
    groups = number.split(separator)
    if not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:]):
        raise CellValueError(
            f"“{original}” không phải là số {what}: các nhóm chữ số phải có 3 chữ số (ví dụ 1.234.567).")


def _to_decimal(value: object, what: str, comma_is_decimal: bool) -> tuple[Decimal | None, int | None]:
    """The number in a cell and the unit written in the cell (None when the cell names no unit)."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        raise CellValueError(f"Ô chứa giá trị đúng/sai (“{shown(value)}”), không phải số {what}.")
    if isinstance(value, datetime | date | time):
        raise CellValueError(f"Ô chứa ngày tháng “{shown(value)}”, không phải số {what}.")
    if isinstance(value, int):
        return Decimal(value), None
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellValueError(f"Ô chứa giá trị không hợp lệ, không phải số {what}.")
        return Decimal(repr(value)), None
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CellValueError(f"Ô chứa giá trị không hợp lệ, không phải số {what}.")
        return value, None
    text = normalize(str(value))
    if not text:
        return None, None
    error = _excel_error(text)
    if error:
        raise CellValueError(f"Ô có lỗi công thức Excel ({error}); hãy sửa công thức hoặc nhập số.")
    folded = _SPACES.sub(" ", fold(text)).strip()
    negative = False
    if folded.startswith("(") and folded.endswith(")"):
        folded, negative = folded[1:-1].strip(), True
    if folded[:1] in "-−–":
        folded, negative = folded[1:].strip(), True
    elif folded[:1] == "+":
        folded = folded[1:].strip()
    head, unit = _split_unit(folded)
    if head.startswith("d ") or head.startswith("vnd "):  # "đ 1.000.000"
        head = head.split(" ", 1)[1]
    number = head.replace(" ", "")
    if not number:
        raise CellValueError(f"“{text}” không phải là số {what}.")
    try:
        result = _decimal_from_text(number, comma_is_decimal, what, text)
    except InvalidOperation as exc:
        raise CellValueError(f"“{text}” không phải là số {what}.") from exc
    return (-result if negative else result), unit


def parse_amount(value: object, multiplier: int = 1, allow_negative: bool = False) -> int | None:
    """An amount of money in đồng.

    Args:
        value: the raw cell: a number, or text such as "1.234.567", "1,234,567 đ", "1,5 triệu", "(1.000)".
        multiplier: the column's unit in đồng (1; 1,000 for "nghìn đồng"; 1,000,000 for "triệu đồng"). A unit
            written in the cell itself ("1,5 triệu", "500.000 đ") takes precedence.
        allow_negative: accept amounts below zero.

    Returns:
        The integer number of đồng, or ``None`` for an empty cell.

    Raises:
        CellValueError: text that is not a number, a negative amount, or a fraction of a đồng.
    """
    number, unit = _to_decimal(value, "tiền", comma_is_decimal=multiplier > 1)
    if number is None:
        return None
    dong = number * (unit if unit is not None else multiplier)
    if dong != dong.to_integral_value():
        if (unit or multiplier) > 1:
            raise CellValueError(f"“{shown(value)}” có quá nhiều chữ số thập phân: số tiền quy ra đồng "
                                 f"({dong.normalize():f}) phải là số nguyên.")
        raise CellValueError(f"“{shown(value)}” không phải là số nguyên đồng.")
    result = int(dong)
    if result < 0 and not allow_negative:
        raise CellValueError(f"Số tiền “{shown(value)}” không được âm.")
    if abs(result) >= _MAX_AMOUNT:
        raise CellValueError(f"Số tiền “{shown(value)}” lớn bất thường (từ một nghìn tỷ đồng trở lên).")
    return result


def parse_count(value: object, what: str = "người") -> int | None:
    """A whole number of people or items ("1.709", " 75 ", 12.0, "25 người").

    Raises:
        CellValueError: not a whole non-negative number.
    """
    if isinstance(value, str):
        folded = fold(value).strip()
        m = re.fullmatch(r"(.*?[0-9])\s*(?:nguoi|lao dong|ld|cai|chiec)\.?", folded)
        if m:
            value = m.group(1)
    number, unit = _to_decimal(value, what, comma_is_decimal=False)
    if number is None:
        return None
    if unit not in (None, 1):
        raise CellValueError(f"“{shown(value)}” không phải là số {what}.")
    if number != number.to_integral_value():
        raise CellValueError(f"“{shown(value)}” phải là số nguyên.")
    if number < 0:
        raise CellValueError(f"“{shown(value)}” không được âm.")
    if number > 10**9:
        raise CellValueError(f"“{shown(value)}” lớn bất thường.")
    return int(number)


def parse_year(value: object) -> int | None:
    """A year: 2019, "2019", "Năm 2019", 2019.0, or a date (its year).

    Raises:
        CellValueError: no four-digit year between 1900 and 2100.
    """
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.year
    if isinstance(value, bool):
        raise CellValueError(f"“{shown(value)}” không phải là năm.")
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation as exc:
            raise CellValueError(f"“{shown(value)}” không phải là năm.") from exc
        if not number.is_finite() or number != number.to_integral_value() or not MIN_YEAR <= number <= MAX_YEAR:
            raise CellValueError(f"“{shown(value)}” không phải là năm (cần năm có 4 chữ số, ví dụ 2019).")
        return int(number)
    text = cell_text(value)
    if not text:
        return None
    years = re.findall(r"(?<![0-9])[0-9]{4}(?![0-9])", text)
    rest = re.sub(r"[0-9]{4}", "", fold(text)).replace("nam", "").strip(" .:-")
    if len(years) != 1 or rest or not MIN_YEAR <= int(years[0]) <= MAX_YEAR:
        raise CellValueError(f"“{shown(value)}” không phải là năm (cần năm có 4 chữ số, ví dụ 2019).")
    return int(years[0])


# --------------------------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------------------------

_DMY = re.compile(r"([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{2}|[0-9]{4})")
_YMD = re.compile(r"([0-9]{4})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})(?:[ t][0-9:.]+)?")
_MY = re.compile(r"([0-9]{1,2})\s*[/.\-]\s*([0-9]{4})")
_WORDS = re.compile(r"(?:ngay\s*)?([0-9]{1,2})\s*thang\s*([0-9]{1,2})\s*(?:,\s*)?nam\s*([0-9]{4})")


def _make_date(year: int, month: int, day: int, original: str) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellValueError(f"Ngày “{original}” có năm {year} không hợp lệ (cần từ {MIN_YEAR} đến {MAX_YEAR}).")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise CellValueError(f"Ngày “{original}” không có thật (ngày/tháng không hợp lệ).") from exc


def _from_serial(serial: Decimal, epoch: date, original: str) -> date:
    days = int(serial.to_integral_value(rounding="ROUND_FLOOR"))
    if days < 1 or days > _MAX_SERIAL:
        raise CellValueError(f"“{original}” không phải là ngày hợp lệ.")
    if epoch == EPOCH_1900 and days < 61:
        # Excel counts a 29/02/1900 that never existed; serials before it are one day off.
        days += 1
    return epoch + timedelta(days=days)


def parse_date(value: object, epoch: date = EPOCH_1900) -> tuple[date | None, str | None]:
    """A date typed any of the usual ways.

    Accepted: an Excel date; "05/11/2020", "5-11-2020", "5.11.2020", "05/11/20"; "2020-11-05"; "ngày 5 tháng 11
    năm 2020"; an Excel serial number (43775, also as text); a bare year (2005 → 01/01/2005) or month/year
    ("11/2020" → 01/11/2020), each with a warning.

    Args:
        value: the raw cell.
        epoch: the workbook's date system (1900, or 1904 for old Mac workbooks).

    Returns:
        ``(date, warning)``: the date (``None`` for an empty cell) and a note when the day or month was assumed.

    Raises:
        CellValueError: a date that cannot be read or does not exist.
    """
    if value is None:
        return None, None
    if isinstance(value, datetime):
        return _make_date(value.year, value.month, value.day, shown(value)), None
    if isinstance(value, date):
        return _make_date(value.year, value.month, value.day, shown(value)), None
    if isinstance(value, time) or isinstance(value, bool):
        raise CellValueError(f"“{shown(value)}” không phải là ngày.")
    original = shown(value)
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellValueError("Ô chứa giá trị không hợp lệ, không phải ngày.")
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise CellValueError("Ô chứa giá trị không hợp lệ, không phải ngày.")
        if number == number.to_integral_value() and MIN_YEAR <= number <= MAX_YEAR:
            # A bare year typed in a date column (serial 1900–2100 would be a date in 1905, never meant here).
            return date(int(number), 1, 1), f"Chỉ có năm {int(number)}; đã ghi ngày 01/01/{int(number)}."
        return _from_serial(number, epoch, original), None
    text = normalize(str(value))
    if not text:
        return None, None
    error = _excel_error(text)
    if error:
        raise CellValueError(f"Ô có lỗi công thức Excel ({error}); hãy nhập ngày dạng dd/mm/yyyy.")
    folded = fold(text).strip(" .")
    for prefix in ("ngay ", "ngay:", "ngay"):
        if folded.startswith(prefix) and "thang" not in folded:
            folded = folded[len(prefix):].strip()
            break
    if m := _WORDS.fullmatch(folded):
        return _make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)), text), None
    if m := _YMD.fullmatch(folded):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), text), None
    if m := _DMY.fullmatch(folded):
        year = int(m.group(3))
        if len(m.group(3)) == 2:
            # Two-digit years: the nearest century that does not put the date more than a year in the future.
            year += 2000 if year <= (date.today().year % 100) + 1 else 1900
        return _make_date(year, int(m.group(2)), int(m.group(1)), text), None
    if m := _MY.fullmatch(folded):
        month, year = int(m.group(1)), int(m.group(2))
        day = _make_date(year, month, 1, text)
        return day, f"Chỉ có tháng và năm ({month:02d}/{year}); đã ghi ngày 01/{month:02d}/{year}."
    if re.fullmatch(r"[0-9]{4}", folded):
        year = int(folded)
        return _make_date(year, 1, 1, text), f"Chỉ có năm {year}; đã ghi ngày 01/01/{year}."
    if re.fullmatch(r"[0-9]{8}", folded):
        y, m2, d = int(folded[:4]), int(folded[4:6]), int(folded[6:])
        if MIN_YEAR <= y <= MAX_YEAR and 1 <= m2 <= 12:
            return _make_date(y, m2, d, text), None
        return _make_date(int(folded[4:]), int(folded[2:4]), int(folded[:2]), text), None
    if re.fullmatch(r"[0-9]{5}(\.[0-9]+)?", folded):
        return _from_serial(Decimal(folded), epoch, text), None
    raise CellValueError(f"“{original}” không phải là ngày; hãy nhập dạng dd/mm/yyyy (ví dụ 05/11/2020).")


# --------------------------------------------------------------------------------------------------------------------
# Names and headers
# --------------------------------------------------------------------------------------------------------------------


def name_key(text: str) -> str:
    """The comparison form of a name: folded, punctuation as spaces, collapsed; numbers without leading zeros.

    "Bà Rịa - Vũng Tàu", "ba ria vung tau" and "BÀ RỊA–VŨNG TÀU" give the same key; so do "Phường 01" and
    "Phường 1".
    """
    folded = fold(text)
    words = re.sub(r"[^0-9a-z]+", " ", folded).split()
    return " ".join(w.lstrip("0") or "0" if w.isdigit() else w for w in words)


_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def header_key(text: str) -> str:
    """The comparison form of a header: folded, without units in brackets, without any space or punctuation.

    So "Tỉnh/thành phố", "TỈNH / THÀNH PHỐ", "Tinh thanh pho" and "Tỉnh/thành phố (*)" all give "tinhthanhpho".
    """
    folded = fold(_PARENS.sub(" ", unicodedata.normalize("NFC", text)))
    return re.sub(r"[^0-9a-z]+", "", folded)


def header_multiplier(text: str) -> int | None:
    """The unit a header or a "Đơn vị tính: …" line states for its amounts, in đồng (None when it states none)."""
    folded = fold(text)
    if re.search(r"\btr(?:ieu)?\b|\btr\.?\s*d(?:ong)?\b|\btrd\b|trieu dong", folded):
        return 10**6
    if re.search(r"\bty dong\b|\bti dong\b|\(ty\)|\bty\b", folded):
        return 10**9
    if re.search(r"\bnghin\b|\bngan\b|1\.?000\s*d", folded):
        return 10**3
    if re.search(r"\bdong\b|\bvnd\b|\(d\)", folded):
        return 1
    return None


class NameMatcher:
    """Finds a code by its name or code typed without diacritics, in any case, with any spacing.

    Built from ``(code, name)`` pairs plus synonyms (key → code). A name shared by two codes is ambiguous and
    matches neither: the message lists both.
    """

    def __init__(self, what: str, entries: Iterable[tuple[str, str]], synonyms: dict[str, str] | None = None,
                 strip_prefixes: tuple[str, ...] = ()) -> None:
        self.what = what
        self._by_key: dict[str, set[str]] = {}
        self._names: dict[str, str] = {}
        self._strip = strip_prefixes
        self._memo: dict[str, set[str]] = {}
        for code, name in entries:
            self._names[code] = name
            for text in (name, code):
                for key in self._keys(text):
                    self._by_key.setdefault(key, set()).add(code)
        for text, code in (synonyms or {}).items():
            for key in self._keys(text):
                self._by_key.setdefault(key, set()).add(code)

    @staticmethod
    def _keys(text: str) -> tuple[str, ...]:
        key = name_key(text)
        return (key, key.replace(" ", "")) if key else ()

    def name(self, code: str) -> str:
        return self._names.get(code, code)

    def lookup(self, text: str) -> str | None:
        """The code for ``text``, or None when nothing (or more than one code) matches."""
        codes = self._candidates(text)
        return next(iter(codes)) if len(codes) == 1 else None

    def _candidates(self, text: str) -> set[str]:
        cached = self._memo.get(text)
        if cached is None:
            cached = self._find(text)
            if len(self._memo) < 50_000:
                self._memo[text] = cached
        return cached

    def _find(self, text: str) -> set[str]:
        key = name_key(text)
        if not key:
            return set()
        codes = self._by_key.get(key) or self._by_key.get(key.replace(" ", ""), set())
        if not codes:
            for prefix in self._strip:
                if key.startswith(prefix + " "):
                    rest = key[len(prefix) + 1:]
                    codes = self._by_key.get(rest) or self._by_key.get(rest.replace(" ", ""), set())
                    if codes:
                        break
        return codes

    def match(self, value: object) -> str | None:
        """The code for a cell, ``None`` for an empty cell.

        Raises:
            CellValueError: no entry or several entries have this name.
        """
        text = cell_text(value)
        if not text:
            return None
        codes = self._candidates(text)
        if len(codes) == 1:
            return next(iter(codes))
        if codes:
            names = "; ".join(sorted(f"{self._names.get(c, c)} ({c})" for c in codes))
            raise CellValueError(f"“{text}” trùng tên nhiều {self.what}: {names}; hãy ghi mã.")
        raise CellValueError(f"“{text}” không có trong danh mục {self.what}.")
