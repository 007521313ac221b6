"""Addresses before and after 1 July 2025, resolved to today's province and commune."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.importers.addresses import AddressBook

NINH_BINH = "37"
NAM_NINH = "14005"  # Xã Nam Ninh, Ninh Bình (SOURCES.md spot check)
NAM_THANH_OLD = "14005"  # legacy ward Xã Nam Thanh, Huyện Nam Trực, Tỉnh Nam Định


@pytest.mark.parametrize("text", [
    "Xã Nam Thanh, Huyện Nam Trực, Tỉnh Nam Định",
    "Xa Nam Thanh, Huyen Nam Truc, Tinh Nam Dinh",  # no diacritics at all
    "X. Nam Thanh, H. Nam Trực, T. Nam Định",  # abbreviations
    "Nam Thanh, Nam Trực, Nam Định",  # no prefixes
    "xã nam thanh, huyện nam trực, tỉnh nam định",
    "XÃ NAM THANH - HUYỆN NAM TRỰC - TỈNH NAM ĐỊNH".replace(" - ", ", "),
    "Xã Nam Thanh, Huyện Nam Trưc, Tỉnh Nam Đinh",  # diacritics typed wrong
    "Xã Nam Thanh,Huyện Nam Trực,Tỉnh Nam Định",
    "Xã Nam Thanh; Huyện Nam Trực; Tỉnh Nam Định",
])
def test_old_address_maps_to_today_in_ninh_binh(book: AddressBook, text: str) -> None:
    result = book.resolve(text)
    assert result.error is None
    assert (result.province_code, result.commune_code, result.legacy_ward_code) == (NINH_BINH, NAM_NINH,
                                                                                   NAM_THANH_OLD)
    assert result.scheme == "legacy"
    assert not result.needs_review
    assert result.as_recorded == text.strip()
    assert book.place_label(result.province_code, result.commune_code) == "Xã Nam Ninh, tỉnh Ninh Bình"


def test_street_is_kept_apart(book: AddressBook) -> None:
    result = book.resolve("Xóm 3, Thôn Đông, Xã Nam Thanh, Huyện Nam Trực, Tỉnh Nam Định")
    assert result.street == "Xóm 3, Thôn Đông"
    assert result.commune_code == NAM_NINH


def test_columns_fill_what_the_address_lacks(book: AddressBook) -> None:
    result = book.resolve("Thôn Đông", commune="Xã Tân Minh", province="Nam Định")
    assert (result.province_code, result.commune_code, result.legacy_ward_code) == (NINH_BINH, "13807", "13807")
    assert result.street == "Thôn Đông"
    assert result.as_recorded == "Thôn Đông, Xã Tân Minh, Nam Định"
    with_district = book.resolve("", commune="Xã Nam Thanh", district="Huyện Nam Trực", province="Tỉnh Nam Định")
    assert with_district.commune_code == NAM_NINH


def test_district_level_city_is_not_taken_for_the_province(book: AddressBook) -> None:
    result = book.resolve("Xã Mỹ Thắng, Thành phố Nam Định", province="Nam Định")
    assert (result.commune_code, result.legacy_ward_code) == ("13693", "13717")  # Phường Đông A today
    assert book.commune_label(result.commune_code) == "Phường Đông A"


def test_new_scheme_address_resolves_directly(book: AddressBook) -> None:
    result = book.resolve("Xã Nam Ninh, Tỉnh Ninh Bình")
    assert (result.province_code, result.commune_code, result.legacy_ward_code) == (NINH_BINH, NAM_NINH, None)
    assert result.scheme == "new"
    assert not result.needs_review


def test_numbered_wards_and_city_abbreviations(book: AddressBook) -> None:
    a = book.resolve("Số 5 Trần Phú, P.1, Q.3, TP.HCM")
    b = book.resolve("Phường 01, Quận 3, Thành phố Hồ Chí Minh")
    c = book.resolve("P1, Q3, Tp Hồ Chí Minh")
    assert a.province_code == b.province_code == c.province_code == "79"
    assert a.commune_code == b.commune_code == c.commune_code is not None
    assert a.street == "Số 5 Trần Phú"


def test_thi_tran_abbreviation(book: AddressBook) -> None:
    result = book.resolve("TT. Lâm, H. Ý Yên, Nam Định")
    assert result.province_code == NINH_BINH and result.commune_code == "13795" and result.legacy_ward_code


def test_split_ward_is_flagged_not_guessed_silently(book: AddressBook) -> None:
    result = book.resolve("Thôn Đông, Xã Gia Tân, Huyện Gia Viễn, Tỉnh Ninh Bình")
    assert result.split and result.needs_review
    assert result.legacy_ward_code == "14503"
    assert set(result.candidates) == {result.commune_code, *result.candidates} and len(result.candidates) == 2
    assert book.commune_label(result.commune_code) == "Xã Gia Vân"  # the source's default, to be confirmed
    assert "đã được chia cho nhiều xã/phường mới" in result.notes[0]
    assert "Phường Tây Hoa Lư" in result.notes[0] and "cần người xác nhận" in result.notes[0]


def test_same_ward_name_in_two_old_provinces_is_ambiguous_without_a_district(book: AddressBook) -> None:
    # "Xã Nam Thanh" under today's Ninh Bình: Phường Nam Thành (old Ninh Bình) or Xã Nam Thanh (old Nam Định).
    result = book.resolve("Xã Nam Thanh, Tỉnh Ninh Bình")
    assert result.province_code == NINH_BINH
    assert result.commune_code is None and result.needs_review
    assert "có ở nhiều nơi" in result.notes[0]


def test_ward_name_found_in_one_district_of_the_old_province(book: AddressBook) -> None:
    near = book.resolve("Xã Yên Phong, Nam Định")  # Huyện Ý Yên
    far = book.resolve("Xã Yên Phong, Ninh Bình")  # Huyện Yên Mô
    assert near.commune_code != far.commune_code
    assert near.province_code == far.province_code == NINH_BINH
    assert not near.needs_review and not far.needs_review


def test_close_spelling_is_proposed_for_confirmation(book: AddressBook) -> None:
    result = book.resolve("Xã Nam Thnah, Huyện Nam Trực, Tỉnh Nam Định")
    assert result.commune_code == NAM_NINH and result.needs_review
    assert "có lẽ là xã Nam Thanh" in result.notes[0]


def test_unknown_ward_keeps_the_province_and_asks(book: AddressBook) -> None:
    result = book.resolve("Xã Không Có, Tỉnh Nam Định")
    assert result.province_code == NINH_BINH and result.commune_code is None and result.needs_review
    assert "Không tìm thấy “Xã Không Có”" in result.notes[0]


def test_district_without_ward(book: AddressBook) -> None:
    result = book.resolve("Huyện Nam Trực, Tỉnh Nam Định")
    assert result.province_code == NINH_BINH and result.commune_code is None and result.needs_review


def test_island_district_becomes_its_special_zone(book: AddressBook) -> None:
    result = book.resolve("Huyện Côn Đảo, Tỉnh Bà Rịa - Vũng Tàu")
    assert (result.province_code, result.commune_code) == ("79", "26732")


def test_province_only(book: AddressBook) -> None:
    result = book.resolve("", province="Hà Nội")
    assert (result.province_code, result.commune_code, result.needs_review, result.error) == ("01", None, False, None)
    assert book.resolve("", province="Thừa Thiên Huế").province_code == "46"


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"address": "Tỉnh Xứ Sở"}, "Không tìm thấy “Tỉnh Xứ Sở”"),
    ({"address": "Thôn Đông", "province": "Xứ Sở"}, "Không tìm thấy tỉnh/thành phố “Xứ Sở”"),
    ({"address": "Thôn Đông"}, "Không xác định được tỉnh/thành phố"),
])
def test_unknown_province_is_an_error(book: AddressBook, kwargs: dict[str, str], words: str) -> None:
    result = book.resolve(**kwargs)
    assert result.error is not None and words in result.error
    assert result.province_code is None


def test_old_name_and_new_commune_conflict_follows_the_records_era(book: AddressBook) -> None:
    # Xã Định Hóa exists in old Ninh Bình (Kim Sơn) and, merged, as today's Xã Định Hóa: same commune.
    old = book.resolve("Xã Định Hóa, Tỉnh Ninh Bình", prefer_legacy=True)
    new = book.resolve("Xã Định Hóa, Tỉnh Ninh Bình")
    assert old.commune_code == new.commune_code
    assert old.legacy_ward_code == "14677" and new.legacy_ward_code is None
    assert not old.needs_review and not new.needs_review


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=20), st.text(max_size=20), st.text(max_size=20),
       st.sampled_from([None, True, False]))
def test_resolve_never_raises(book: AddressBook, address: str, commune: str, province: str, district: str,
                              prefer: bool | None) -> None:
    result = book.resolve(address, commune, province, district, prefer)
    if result.error is not None:
        assert result.province_code is None and result.commune_code is None
    if result.commune_code is not None:
        assert result.province_code is not None
        assert book.commune_label(result.commune_code) != result.commune_code  # a real commune
    assert result.needs_review == bool(result.notes)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Xã", "Phường", "Huyện", "Tỉnh", "TP.", "X.", "P.", "TT.", "Q.", "H.", "Nam",
                                 "Thanh", "Trực", "Định", "Ninh", "Bình", "1", "01", ",", ";", " - ", "Đông"]),
                max_size=14))
def test_resolve_never_raises_on_address_like_words(book: AddressBook, words: list[str]) -> None:
    result = book.resolve(" ".join(words))
    assert result.needs_review == bool(result.notes)
    assert result.error is None or result.province_code is None


@pytest.mark.parametrize(("text", "code"), [("Xã Cẩm Giàng, Thành phố Hải Phòng", "10903"),
                                            ("Xã Cẩm Giang, Thành phố Hải Phòng", "10888")])
def test_names_differing_only_by_tone_are_told_apart(book: AddressBook, text: str, code: str) -> None:
    result = book.resolve(text)
    assert result.error is None and result.commune_code == code and result.scheme == "new"
    # (“Xã Cẩm Giàng” is still flagged: an old town of that name existed too; the note says so.)
    assert not result.needs_review or any("Cẩm Giàng" in note for note in result.notes)


def test_names_differing_only_by_tone_typed_without_tones_need_review(book: AddressBook) -> None:
    result = book.resolve("Xa Cam Giang, Thanh pho Hai Phong")
    assert result.province_code == "31" and result.needs_review
