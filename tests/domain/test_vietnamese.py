"""Tests of the Vietnamese text and number conventions (desktop_app.domain.vietnamese)."""

from __future__ import annotations

import random
import re
import sqlite3
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.vietnamese import (
    amount_in_words,
    fold,
    format_date,
    format_document_date,
    format_million,
    format_vnd,
    name_parts_sort_key,
    normalize,
    person_sort_key,
    sort_key,
    split_full_name,
)

# No example database: the tests must not leave files in the working tree.
PROFILE = settings(database=None, deadline=None, max_examples=300)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --------------------------------------------------------------------------------------------------------------------
# normalize / fold
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  Hà   Nam \t", "Hà Nam"),
        ("Nguyễn\u00a0Văn\n An", "Nguyễn Văn An"),
        (nfd("Khuyến công"), "Khuyến công"),
    ],
)
def test_normalize(raw: str | None, expected: str) -> None:
    result = normalize(raw)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("Hà Nam", "ha nam"),
        ("ĐỖ QUỐC HƯNG", "do quoc hung"),
        ("Đắk Lắk", "dak lak"),
        (nfd("Khuyến  công   Thanh Hóa"), "khuyen cong thanh hoa"),
        ("  Ứng Hòa ", "ung hoa"),
        ("Bà Rịa - Vũng Tàu", "ba ria - vung tau"),
        ("Ơn Ưng Ân Ăn Ên Ôn", "on ung an an en on"),
        ("\u00d0ồng Tháp", "dong thap"),  # Ð (U+00D0) from legacy encodings, the look-alike of Đ
    ],
)
def test_fold(raw: str | None, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_makes_search_match_both_ways() -> None:
    stored = ["Hà Nam", "Hà Nội", "Hải Phòng", "Nam Định"]
    assert [name for name in stored if fold("ha nam") in fold(name)] == ["Hà Nam"]
    assert [name for name in stored if fold("HÀ N") in fold(name)] == ["Hà Nam", "Hà Nội"]
    assert [name for name in stored if fold("hai") in fold(name)] == ["Hải Phòng"]


VIETNAMESE_TEXT = st.text(
    alphabet="aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
    "AÁÀĂẮÂẦĐÊẾÔỐƠỚƯỨYÝ0123456789 -.,",
    max_size=30,
)


@PROFILE
@given(VIETNAMESE_TEXT)
def test_fold_properties(text: str) -> None:
    folded = fold(text)
    assert folded == fold(folded)
    assert folded == fold(nfd(text))
    assert re.fullmatch(r"[a-z0-9 \-.,]*", folded)


# --------------------------------------------------------------------------------------------------------------------
# sort_key
# --------------------------------------------------------------------------------------------------------------------

EXPECTED_ORDER = [
    "An Phú",
    "Ánh Dương",
    "Ba Đình",
    "Bắc Ninh",
    "Bình Minh",
    "dệt may",
    "Dũng Tiến",
    "Đức Thắng",
    "Ô Môn",
    "ơn",
    "Thạch Hà",
    "Thanh Hóa",
    "Uông Bí",
    "Ứng Hòa",
    "Ý Yên",
    "Yên Định",
    "Zeta",
]


def test_sort_key_gives_dictionary_order() -> None:
    shuffled = EXPECTED_ORDER[:]
    random.Random(2025).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == EXPECTED_ORDER
    assert sorted(reversed(EXPECTED_ORDER), key=sort_key) == EXPECTED_ORDER


def test_plain_sorted_is_wrong_which_is_why_the_key_exists() -> None:
    assert sorted(["Ô Môn", "Đức Thắng", "Yên Định"]) == ["Yên Định", "Ô Môn", "Đức Thắng"]
    assert sorted(["Ô Môn", "Đức Thắng", "Yên Định"], key=sort_key) == ["Đức Thắng", "Ô Môn", "Yên Định"]


@pytest.mark.parametrize(
    "chain",
    [
        ["a", "à", "ả", "ã", "á", "ạ", "ă", "â"],
        ["ă", "ằ", "ẳ", "ẵ", "ắ", "ặ", "â", "ầ", "ẩ", "ẫ", "ấ", "ậ", "b"],
        ["d", "đ", "e"],
        ["o", "ô", "ơ", "p"],
        ["u", "ư", "v"],
        ["e", "ê", "f", "g"],
        ["i", "j", "k"],
        ["v", "w", "x", "y", "z"],
        ["ma", "mà", "mả", "mã", "má", "mạ"],
    ],
)
def test_letter_and_tone_order(chain: list[str]) -> None:
    keys = [sort_key(item) for item in chain]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_letters_before_tones_before_case() -> None:
    # Letters decide first: "ạb" < "ac" although ạ has the heaviest tone.
    assert sort_key("ạb") < sort_key("ac")
    # Tones decide before case: "à" < "Á".
    assert sort_key("à") < sort_key("Á") < sort_key("ạ")
    # Case last, lower first.
    assert sort_key("an") < sort_key("An") < sort_key("AN")
    # The first tone difference decides, reading left to right.
    assert sort_key("mà má") < sort_key("má mà")


def test_prefix_space_digit_and_punctuation_order() -> None:
    assert sort_key("") < sort_key("A") < sort_key("An") < sort_key("An Phú") < sort_key("Anh")
    assert sort_key("Y Yên") < sort_key("Yên")
    # Digits come before letters, the word separator before both.
    assert sort_key("Phường 1") < sort_key("Phường A")
    assert sort_key("Phường") < sort_key("Phường 1") < sort_key("Phường1")
    assert sort_key("Lô 9") < sort_key("Lô A")
    # Punctuation ranks between the space and the digits, each mark consistently.
    assert sort_key("A B") < sort_key("A-B") < sort_key("A0") < sort_key("AB")
    assert sort_key("A-B") != sort_key("A.B")
    assert sort_key("TP.HCM") == sort_key("TP.HCM")
    assert sort_key("A-B") < sort_key("A-C") and sort_key("A.B") < sort_key("A-C")


def test_sort_key_normalises_its_input() -> None:
    assert sort_key("\u00d0ồng Tháp") == sort_key("Đồng Tháp")
    assert sort_key(nfd("Nguyễn Thị Ánh")) == sort_key("Nguyễn Thị Ánh")
    assert sort_key("  Hà   Nam ") == sort_key("Hà Nam")
    assert sort_key(None) == sort_key("")


def test_sort_key_alphabet_and_sql_order() -> None:
    keys = {name: sort_key(name) for name in [*EXPECTED_ORDER, "", "Müller", "Σ", "TP.HCM", "Phường 10"]}
    assert all(re.fullmatch(r"[0-9a-z]+", key) for key in keys.values())
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE TABLE place (name TEXT, name_key TEXT)")
        shuffled = EXPECTED_ORDER[:]
        random.Random(7).shuffle(shuffled)
        connection.executemany("INSERT INTO place VALUES (?, ?)", [(name, sort_key(name)) for name in shuffled])
        rows = connection.execute("SELECT name FROM place ORDER BY name_key").fetchall()
    finally:
        connection.close()
    assert [name for (name,) in rows] == EXPECTED_ORDER


def test_foreign_letters_and_marks_are_handled() -> None:
    # Marks foreign to Vietnamese are ignored; letters of other scripts come after z, told apart by code point.
    assert sort_key("Müller") == sort_key("Muller")
    assert sort_key("zz") < sort_key("α") < sort_key("β")
    assert sort_key("α") != sort_key("β")


# Reference collation, written independently of the implementation: explicit tables instead of Unicode decomposition,
# tuples instead of an encoded string.
TONE_ROWS = [
    "aàảãáạ",
    "ăằẳẵắặ",
    "âầẩẫấậ",
    "eèẻẽéẹ",
    "êềểễếệ",
    "iìỉĩíị",
    "oòỏõóọ",
    "ôồổỗốộ",
    "ơờởỡớợ",
    "uùủũúụ",
    "ưừửữứự",
    "yỳỷỹýỵ",
]
REFERENCE_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
REFERENCE: dict[str, tuple[int, int, int]] = {" ": (0, 0, 0)}
for _digit in range(10):
    REFERENCE[str(_digit)] = (1 + _digit, 0, 0)
for _letter in REFERENCE_ALPHABET:
    REFERENCE[_letter] = (100 + REFERENCE_ALPHABET.index(_letter), 0, 0)
for _row in TONE_ROWS:
    for _tone, _char in enumerate(_row):
        REFERENCE[_char] = (REFERENCE[_row[0]][0], _tone, 0)
for _char, (_primary, _tone, _) in list(REFERENCE.items()):
    if _char.upper() != _char:
        REFERENCE[_char.upper()] = (_primary, _tone, 1)


def reference_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    triples = [REFERENCE[ch] for ch in " ".join(text.split())]
    return tuple(t[0] for t in triples), tuple(t[1] for t in triples), tuple(t[2] for t in triples)


def test_reference_tables_are_sane() -> None:
    assert all(len(row) == 6 and unicodedata.is_normalized("NFC", row) for row in TONE_ROWS)
    assert len(REFERENCE_ALPHABET) == 33
    assert REFERENCE["Ặ"] == (REFERENCE["ă"][0], 5, 1)


REFERENCE_TEXT = st.text(alphabet="".join(REFERENCE), max_size=12)


@PROFILE
@given(REFERENCE_TEXT)
def test_sort_key_alphabet_property(text: str) -> None:
    key = sort_key(text)
    assert re.fullmatch(r"[0-9a-z]*", key)
    assert key == sort_key(nfd(text))


@PROFILE
@given(st.lists(REFERENCE_TEXT, min_size=2, max_size=8))
def test_sort_key_matches_reference_order(texts: list[str]) -> None:
    by_key = [reference_key(text) for text in sorted(texts, key=sort_key)]
    assert by_key == sorted(reference_key(text) for text in texts)


@PROFILE
@given(REFERENCE_TEXT, REFERENCE_TEXT)
def test_sort_key_pairwise_and_prefix_free(a: str, b: str) -> None:
    key_a, key_b = sort_key(a), sort_key(b)
    assert (key_a < key_b) == (reference_key(a) < reference_key(b))
    assert (key_a == key_b) == (reference_key(a) == reference_key(b))
    if key_a != key_b:
        # Prefix-free keys are what make concatenated keys (person_sort_key) sort like tuples.
        assert not key_a.startswith(key_b) and not key_b.startswith(key_a)


# --------------------------------------------------------------------------------------------------------------------
# Person names
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Nguyễn Văn An", ("Nguyễn", "Văn", "An")),
        ("  Tôn   Nữ Thị  Hà ", ("Tôn", "Nữ Thị", "Hà")),
        ("Lê Lợi", ("Lê", "", "Lợi")),
        ("Hùng", ("", "", "Hùng")),
        ("", ("", "", "")),
    ],
)
def test_split_full_name(full_name: str, parts: tuple[str, str, str]) -> None:
    assert split_full_name(full_name) == parts


def test_person_sort_key_sorts_by_given_then_middle_then_family() -> None:
    expected = [
        "Đỗ Văn Ân",
        # Same given name: the middle name decides (Thị < Văn), then the family name (Lê < Trần).
        "Nguyễn Thị Bình",
        "Lê Văn Bình",
        "Trần Văn Bình",
        "Ô Văn Ôn",
        "Vũ Thị Yến",
    ]
    shuffled = expected[:]
    random.Random(1).shuffle(shuffled)
    assert sorted(shuffled, key=person_sort_key) == expected
    assert re.fullmatch(r"[0-9a-z]+", person_sort_key("Nguyễn Văn An"))


def test_person_sort_key_equals_parts_key() -> None:
    assert person_sort_key("Nguyễn Thị Minh Khai") == name_parts_sort_key("Nguyễn", "Thị Minh", "Khai")
    # A missing middle name sorts before any middle name.
    assert person_sort_key("Lê Lợi") < person_sort_key("Lê A Lợi")
    # Given name decides before family name although the family name "A" is smaller.
    assert person_sort_key("Bùi An") < person_sort_key("An Bình")


@PROFILE
@given(st.lists(st.tuples(REFERENCE_TEXT, REFERENCE_TEXT, REFERENCE_TEXT), min_size=2, max_size=6))
def test_name_parts_key_sorts_like_tuples(people: list[tuple[str, str, str]]) -> None:
    def reference(person: tuple[str, str, str]) -> tuple[object, ...]:
        family, middle, given = person
        return reference_key(given), reference_key(middle), reference_key(family)

    by_key = [reference(p) for p in sorted(people, key=lambda p: name_parts_sort_key(*p))]
    assert by_key == sorted(reference(p) for p in people)


# --------------------------------------------------------------------------------------------------------------------
# Amounts in words
# --------------------------------------------------------------------------------------------------------------------

AMOUNTS = [
    (0, "Không"),
    (5, "Năm"),
    (10, "Mười"),
    (11, "Mười một"),
    (14, "Mười bốn"),
    (15, "Mười lăm"),
    (20, "Hai mươi"),
    (21, "Hai mươi mốt"),
    (24, "Hai mươi tư"),
    (25, "Hai mươi lăm"),
    (34, "Ba mươi tư"),
    (50, "Năm mươi"),
    (55, "Năm mươi lăm"),
    (100, "Một trăm"),
    (101, "Một trăm linh một"),
    (104, "Một trăm linh bốn"),
    (105, "Một trăm linh năm"),
    (110, "Một trăm mười"),
    (111, "Một trăm mười một"),
    (115, "Một trăm mười lăm"),
    (121, "Một trăm hai mươi mốt"),
    (1000, "Một nghìn"),
    (1001, "Một nghìn không trăm linh một"),
    (1005, "Một nghìn không trăm linh năm"),
    (1010, "Một nghìn không trăm mười"),
    (1014, "Một nghìn không trăm mười bốn"),
    (2025, "Hai nghìn không trăm hai mươi lăm"),
    (15000, "Mười lăm nghìn"),
    (21000, "Hai mươi mốt nghìn"),
    (305000, "Ba trăm linh năm nghìn"),
    (1000000, "Một triệu"),
    (1000005, "Một triệu không trăm linh năm"),
    (1000010, "Một triệu không trăm mười"),
    (2021000, "Hai triệu không trăm hai mươi mốt nghìn"),
    (5000050, "Năm triệu không trăm năm mươi"),
    (5025110, "Năm triệu không trăm hai mươi lăm nghìn một trăm mười"),
    (1000000000, "Một tỷ"),
    (1000000001, "Một tỷ không trăm linh một"),
    (1505555005, "Một tỷ năm trăm linh năm triệu năm trăm năm mươi lăm nghìn không trăm linh năm"),
    (22080000000, "Hai mươi hai tỷ không trăm tám mươi triệu"),
    (181946900000, "Một trăm tám mươi mốt tỷ chín trăm bốn mươi sáu triệu chín trăm nghìn"),
    (1000000000000, "Một nghìn tỷ"),
    (1002000000000, "Một nghìn không trăm linh hai tỷ"),
    (1200000000000, "Một nghìn hai trăm tỷ"),
    (10**15, "Một triệu tỷ"),
    (10**18, "Một tỷ tỷ"),
    (2 * 10**18 + 3 * 10**9, "Hai tỷ không trăm linh ba tỷ"),
]


@pytest.mark.parametrize(("dong", "words"), AMOUNTS)
def test_amount_in_words(dong: int, words: str) -> None:
    assert amount_in_words(dong) == words


def test_amount_in_words_negative() -> None:
    assert amount_in_words(-1) == "Âm một"
    assert amount_in_words(-2025) == "Âm hai nghìn không trăm hai mươi lăm"


@pytest.mark.parametrize("value", [1.0, True, False, Decimal("1000"), "1000", None])
def test_amount_in_words_refuses_non_integers(value: object) -> None:
    with pytest.raises(TypeError):
        amount_in_words(value)  # type: ignore[arg-type]


_WORD_VALUES = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}


def parse_words(text: str) -> int:
    """Read the words back into a number (an independent check of amount_in_words)."""
    words = text.lower().split()
    sign = 1
    if words[0] == "âm":
        sign, words = -1, words[1:]
    big = mid = group = pending = 0
    for word in words:
        if word in _WORD_VALUES:
            pending = _WORD_VALUES[word]
        elif word == "trăm":
            group, pending = group + pending * 100, 0
        elif word == "mươi":
            group, pending = group + pending * 10, 0
        elif word == "mười":
            group += 10
        elif word == "linh":
            pass
        elif word in ("nghìn", "triệu"):
            mid, group, pending = mid + (group + pending) * (1000 if word == "nghìn" else 10**6), 0, 0
        elif word == "tỷ":
            big, mid, group, pending = (big + mid + group + pending) * 10**9, 0, 0, 0
        else:
            raise AssertionError(f"unexpected word {word!r} in {text!r}")
    return sign * (big + mid + group + pending)


FORBIDDEN = re.compile(
    r"mươi một|mươi bốn|mươi năm|mười năm|linh (?:mốt|tư|lăm|mười|không)|^không trăm|trăm không\b|mươi không"
)


def check_reading(dong: int) -> None:
    words = amount_in_words(dong)
    assert words[0].isupper() and words[1:] == words[1:].lower()
    assert "đồng" not in words and "  " not in words
    assert parse_words(words) == dong
    assert not FORBIDDEN.search(words.lower()), words


def test_amount_in_words_round_trip_small_numbers() -> None:
    for dong in range(0, 12_000):
        check_reading(dong)


@PROFILE
@given(st.integers(min_value=-(10**21), max_value=10**21))
def test_amount_in_words_round_trip(dong: int) -> None:
    check_reading(dong)


# --------------------------------------------------------------------------------------------------------------------
# Number and date formats
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dong", "text"),
    [(0, "0"), (999, "999"), (1000, "1.000"), (1234567, "1.234.567"), (-1234567, "-1.234.567"), (-5, "-5")],
)
def test_format_vnd(dong: int, text: str) -> None:
    assert format_vnd(dong) == text


@pytest.mark.parametrize("value", [1.5, True, Decimal("1")])
def test_format_vnd_refuses_non_integers(value: object) -> None:
    with pytest.raises(TypeError):
        format_vnd(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("dong", "decimals", "text"),
    [
        (181_946_900_000, 1, "181.946,9"),
        (181_946_900_000, 0, "181.947"),
        (181_946_900_000, 3, "181.946,900"),
        (1_500_000, 1, "1,5"),
        (1_250_000, 1, "1,3"),
        (1_249_999, 1, "1,2"),
        (0, 1, "0,0"),
        (-250_000, 1, "-0,3"),
        (-40_000, 1, "0,0"),
        (-2_500_000_000, 2, "-2.500,00"),
        (10**30, 1, "1" + ".000" * 8 + ",0"),
    ],
)
def test_format_million(dong: int, decimals: int, text: str) -> None:
    assert format_million(dong, decimals) == text


def test_format_million_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        format_million(1, -1)
    with pytest.raises(TypeError):
        format_million(1.5)  # type: ignore[arg-type]


def test_format_date() -> None:
    assert format_date(date(2020, 11, 5)) == "05/11/2020"
    assert format_date(date(2025, 7, 1)) == "01/07/2025"
    assert format_date(datetime(2026, 1, 9, 15, 30)) == "09/01/2026"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    ("place", "d", "line"),
    [
        ("Nam Định", date(2020, 1, 5), "Nam Định, ngày 05 tháng 01 năm 2020"),
        ("Hà Nội", date(2019, 6, 29), "Hà Nội, ngày 29 tháng 6 năm 2019"),
        ("Phú Yên", date(2025, 2, 28), "Phú Yên, ngày 28 tháng 02 năm 2025"),
        ("Thanh Hóa", date(2025, 3, 1), "Thanh Hóa, ngày 01 tháng 3 năm 2025"),
        (" Huế ", date(2025, 12, 31), "Huế, ngày 31 tháng 12 năm 2025"),
        ("", date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
    ],
)
def test_format_document_date(place: str, d: date, line: str) -> None:
    assert format_document_date(place, d) == line
