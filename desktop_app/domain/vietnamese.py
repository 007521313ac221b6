"""Vietnamese text and number conventions: normalisation, search folding, collation keys, money in words, formats.

Pure standard library so that the same rules apply in the GUI, the CLI, the PDF/Excel generators and the tests.
The rules follow ``documents-locale.md`` §3: NFC everywhere, a folded shadow form for searching without diacritics,
the dictionary order (letters first, then tones không dấu < huyền < hỏi < ngã < sắc < nặng, then case), the
accounting reading of amounts (linh, không trăm, mốt, tư, lăm) and the ND 30/2020 place-and-date line.
"""

from __future__ import annotations

import unicodedata
from datetime import date

__all__ = [
    "amount_in_words",
    "fold",
    "format_date",
    "format_document_date",
    "format_million",
    "format_vnd",
    "name_parts_sort_key",
    "normalize",
    "person_sort_key",
    "sort_key",
    "split_full_name",
]


# --------------------------------------------------------------------------------------------------------------------
# Normalisation and folding
# --------------------------------------------------------------------------------------------------------------------


def remove_invisible(text: str) -> tuple[str, int]:
    """``text`` without invisible format characters (Unicode category Cf: right-to-left overrides and other
    direction marks, zero-width spaces and joiners, byte-order marks, soft hyphens), and how many were removed.

    They change how a name is shown or compared without being seen: "ABC\u202eXYZ" prints reversed, and a name
    with a zero-width space inside is a different name that looks the same.
    """
    kept = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return kept, len(text) - len(kept)


def normalize(text: str | None) -> str:
    """Return ``text`` in NFC with surrounding whitespace removed and inner whitespace runs collapsed to one space.

    Some Vietnamese keyboards emit decomposed sequences; NFC makes equal-looking strings compare equal.

    Args:
        text: any text, or ``None``.

    Returns:
        The normalised text; ``""`` for ``None``.
    """
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold(text: str | None) -> str:
    """Return the search form of ``text``: case-folded, without diacritics, đ → d, whitespace collapsed.

    Both the stored text and the query are folded, so "ha nam" finds "Hà Nam" and "HÀ NAM".

    Args:
        text: any text (NFC or NFD), or ``None``.

    Returns:
        The folded text, e.g. ``"do quoc hung"`` for ``"ĐỖ QUỐC HƯNG"``; ``""`` for ``None``.
    """
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    # đ is a letter of its own, not d + a combining mark, so NFD stripping alone would keep it. Text converted from
    # legacy encodings often carries the look-alike Ð/ð (U+00D0/U+00F0) instead of Đ/đ.
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d").replace("ð", "d")
    return " ".join(unicodedata.normalize("NFC", stripped).split())


# --------------------------------------------------------------------------------------------------------------------
# Collation key
# --------------------------------------------------------------------------------------------------------------------

# The 29-letter Vietnamese alphabet with the loanword letters f j w z at their Latin places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"

# Primary weights. Fixed width, decimal digits only: the key must order the same under every database collation,
# and letters in the key could be tailored by some locales (Estonian z, Lithuanian y, Danish aa, Czech ch).
_PRIMARY_WIDTH = 2
_P_END = 0  # ends the primary level: a word that is a prefix of another sorts first ("An" < "Anh")
_P_SPACE = 1  # word separator, below everything else
_P_SYMBOL = 2  # punctuation and other symbols; told apart on the last level
_P_DIGIT0 = 3  # "0".."9" → 3..12, before the letters
_P_LETTER0 = _P_DIGIT0 + 10  # "a" → 13 … "z" → 45
_P_OTHER_LETTER = _P_LETTER0 + len(_ALPHABET)  # letters of other scripts, after z; told apart on the last level
_CODEPOINT_WIDTH = 7  # 0x10FFFF = 1114111 has 7 decimal digits

_LETTER_RANK = {letter: _P_LETTER0 + i for i, letter in enumerate(_ALPHABET)}

# Tone marks in dictionary order: none < huyền < hỏi < ngã < sắc < nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# Vowel marks that make a separate letter (ă â ê ô ơ ư); they are part of the primary weight, unlike tones.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_MARKED_LETTERS = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}


def _code(value: int, width: int) -> str:
    return str(value).zfill(width)


def _elements(text: str) -> list[tuple[int, int, int, int | None]]:
    """Split normalised text into (primary, tone, upper-case flag, code point for the last level or None)."""
    result: list[tuple[int, int, int, int | None]] = []
    decomposed = unicodedata.normalize("NFD", text)
    i = 0
    while i < len(decomposed):
        base = decomposed[i]
        i += 1
        marks: list[str] = []
        while i < len(decomposed) and unicodedata.combining(decomposed[i]):
            marks.append(decomposed[i])
            i += 1
        if unicodedata.combining(base):
            # A mark with nothing to sit on: keep it visible to the key instead of silently merging strings.
            result.append((_P_SYMBOL, 0, 0, ord(base)))
            continue
        upper = 1 if base.isupper() else 0
        lower = base.lower()
        if (base.isascii() and lower in _LETTER_RANK) or lower in ("đ", "ð"):
            # ð (U+00F0) is the look-alike of đ that legacy-encoded text brings in; collate it as đ.
            letter = "đ" if lower == "ð" else lower
            tone = 0
            for mark in marks:
                letter = _MARKED_LETTERS.get((letter, mark), letter)
                # The first tone wins; a second one can only come from a typing mistake.
                if not tone:
                    tone = _TONES.get(mark, 0)
            # Marks foreign to Vietnamese (ü, ç, …) are ignored: "Müller" collates as "Muller".
            result.append((_LETTER_RANK[letter], tone, upper, None))
        elif "0" <= base <= "9":
            result.append((_P_DIGIT0 + ord(base) - ord("0"), 0, 0, None))
        elif base == " ":
            result.append((_P_SPACE, 0, 0, None))
        elif base.isalpha():
            result.append((_P_OTHER_LETTER, 0, upper, ord(unicodedata.normalize("NFC", base + "".join(marks))[0])))
        else:
            result.append((_P_SYMBOL, 0, 0, ord(base)))
    return result


def sort_key(text: str | None) -> str:
    """Return a collation key that sorts Vietnamese text in dictionary order by plain string comparison.

    Order: letters first (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, with f j w z at their Latin
    places; a space sorts below every character, digits before letters, punctuation between the space and the
    digits), then tones (none < huyền < hỏi < ngã < sắc < nặng), then case (lower first), then the code points of
    punctuation and foreign letters. A text that is a prefix of another sorts first.

    The key holds only the characters 0-9 (fixed-width decimal codes), so it can be stored in a column and
    ``ORDER BY`` on it gives the Vietnamese order on SQLite and PostgreSQL whatever the column's collation.
    No key is a proper prefix of another, so keys can be concatenated to sort by several fields.

    Args:
        text: any text, or ``None`` (sorts like ``""``, first).

    Returns:
        The key, e.g. ``sort_key("An") < sort_key("Anh") < sort_key("Ánh") < sort_key("Ba")``.
    """
    elements = _elements(normalize(text))
    primary = "".join(_code(p, _PRIMARY_WIDTH) for p, _, _, _ in elements)
    # Once the primary levels are equal every later level has the same length, so none needs its own terminator.
    tones = "".join(str(t) for _, t, _, _ in elements)
    cases = "".join(str(c) for _, _, c, _ in elements)
    codepoints = "".join(_code(cp, _CODEPOINT_WIDTH) for _, _, _, cp in elements if cp is not None)
    return primary + _code(_P_END, _PRIMARY_WIDTH) + tones + cases + codepoints


def split_full_name(full_name: str | None) -> tuple[str, str, str]:
    """Split "họ và tên" into (họ, tên đệm, tên) on spaces: first word, middle words, last word.

    Only a fallback for data that was entered as one field: compound given names and some ethnic-minority names
    do not follow this pattern, so forms should store the three parts separately.

    Args:
        full_name: the full name, family name first.

    Returns:
        ``(family, middle, given)``; a one-word name is taken as the given name.
    """
    words = normalize(full_name).split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_parts_sort_key(family: str | None, middle: str | None, given: str | None) -> str:
    """Return the key that sorts people by given name, then middle name, then family name.

    Args:
        family: họ.
        middle: tên đệm (chữ lót), possibly empty.
        given: tên.

    Returns:
        A key of the same alphabet as :func:`sort_key` (concatenation is safe because keys are prefix-free).
    """
    return sort_key(given) + sort_key(middle) + sort_key(family)


def person_sort_key(full_name: str) -> str:
    """Return the key that sorts people the Vietnamese way: by tên, then tên đệm, then họ.

    Args:
        full_name: "Nguyễn Văn An" style full name (family name first).

    Returns:
        The key, e.g. "Trần Văn An" < "Nguyễn Thị Bình" < "Lê Văn Bình".
    """
    family, middle, given = split_full_name(full_name)
    return name_parts_sort_key(family, middle, given)


# --------------------------------------------------------------------------------------------------------------------
# Amounts in words
# --------------------------------------------------------------------------------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 10**9


def _require_int(value: object, what: str) -> int:
    # bool is an int subclass; True đồng is a bug, not an amount.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what}: cần số nguyên đồng (int), nhận {type(value).__name__}")
    return value


def _read_group(group: int, full: bool) -> list[str]:
    """Read 1..999; ``full`` (not the leading group) says the hundreds are read even when zero ("không trăm")."""
    hundreds, rest = divmod(group, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGITS[units]))
    return words


def _read(number: int) -> list[str]:
    """Read a positive integer; the count of tỷ is itself read as a number ("một nghìn tỷ", "một tỷ tỷ")."""
    billions, rest = divmod(number, _BILLION)
    words: list[str] = []
    if billions:
        words += [*_read(billions), "tỷ"]
    for scale, unit in ((10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        group, rest = divmod(rest, scale)
        if not group:
            # All-zero groups are skipped: 1.000.005 → "một triệu không trăm linh năm".
            continue
        words += _read_group(group, full=bool(words))
        if unit:
            words.append(unit)
    return words


def amount_in_words(dong: int) -> str:
    """Read an amount of đồng in words, the accounting way, without the word "đồng".

    Groups of three digits with nghìn / triệu / tỷ; "linh" for a zero tens digit after hundreds; "không trăm" for a
    non-leading group under 100; "mốt", "tư", "lăm" after tens; all-zero groups skipped.

    Args:
        dong: the amount; an ``int`` (``bool``, ``float`` and ``Decimal`` are refused).

    Returns:
        The reading with its first letter capitalised, e.g. ``"Một nghìn không trăm linh một"`` for 1001,
        ``"Âm năm trăm nghìn"`` for -500000, ``"Không"`` for 0.

    Raises:
        TypeError: when ``dong`` is not an ``int``.
    """
    _require_int(dong, "Số tiền")
    if dong == 0:
        words = ["không"]
    else:
        words = _read(abs(dong))
        if dong < 0:
            words.insert(0, "âm")
    text = " ".join(words)
    return text[0].upper() + text[1:]


# --------------------------------------------------------------------------------------------------------------------
# Number and date formats
# --------------------------------------------------------------------------------------------------------------------


def _group_thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def format_vnd(dong: int) -> str:
    """Format đồng with a dot between thousands, as the accounting law asks: ``"1.234.567"``.

    Args:
        dong: the amount; an ``int``.

    Returns:
        The formatted amount, ``"-1.234.567"`` for negatives.

    Raises:
        TypeError: when ``dong`` is not an ``int``.
    """
    _require_int(dong, "Số tiền")
    return ("-" if dong < 0 else "") + _group_thousands(abs(dong))


def format_million(dong: int, decimals: int = 1) -> str:
    """Format đồng in triệu đồng with a comma before the decimals: 181_946_900_000 → ``"181.946,9"``.

    Halves are rounded away from zero, as in ``money.round_vnd``; integer arithmetic keeps huge sums exact.

    Args:
        dong: the amount in đồng; an ``int``.
        decimals: number of decimals shown (0 or more).

    Returns:
        The amount in triệu, e.g. ``"1,5"`` for 1_500_000 and ``"-0,3"`` for -250_000.

    Raises:
        TypeError: when ``dong`` is not an ``int``.
        ValueError: when ``decimals`` is negative.
    """
    _require_int(dong, "Số tiền")
    if decimals < 0:
        raise ValueError(f"Số chữ số thập phân phải từ 0 trở lên, nhận {decimals}")
    scaled, remainder = divmod(abs(dong) * 10**decimals, 10**6)
    if 2 * remainder >= 10**6:
        scaled += 1
    whole, fraction = divmod(scaled, 10**decimals)
    text = _group_thousands(whole)
    if decimals:
        text += "," + str(fraction).zfill(decimals)
    # No "-0,0": an amount that rounds to zero carries no sign.
    return ("-" if dong < 0 and scaled else "") + text


def format_date(d: date | None) -> str:
    """Format a date as dd/mm/yyyy, the form used in tables and input fields.

    Args:
        d: the date, or ``None``.

    Returns:
        ``"05/11/2020"``; ``""`` for ``None``.
    """
    if d is None:
        return ""
    # Not strftime: it is locale- and platform-dependent and mishandles years before 1000 on some systems.
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_document_date(place: str, d: date) -> str:
    """Format the place-and-date line of an administrative document (ND 30/2020, Phụ lục I).

    Days below 10 and the months 1 and 2 get a leading zero; months 3 to 12 do not.

    Args:
        place: the place name (địa danh) as it must be printed, e.g. "Nam Định".
        d: the date of the document.

    Returns:
        ``"Nam Định, ngày 05 tháng 01 năm 2020"``, ``"Hà Nội, ngày 29 tháng 6 năm 2019"``; without a place,
        just ``"ngày 05 tháng 01 năm 2020"``.
    """
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    line = f"ngày {d.day:02d} tháng {month} năm {d.year}"
    where = normalize(place)
    return f"{where}, {line}" if where else line
