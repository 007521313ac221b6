"""Reading an address as people wrote it, before or after the 1 July 2025 reform, into today's province and commune.

Lists kept for years name the 63 old provinces and their districts ("Xã Nam Thanh, Huyện Nam Trực, Tỉnh Nam Định");
newer ones name the 34 provinces and 3,321 communes directly ("Xã Nam Ninh, Tỉnh Ninh Bình"). The resolver is a
pure function over the reference lists (``services.reference.provinces()/communes()/legacy_units()``): it parses
the parts from the right (province, district, ward, then street), tolerates abbreviations ("TP.", "Tp", "H.",
"X.", "P.", "TT.", "Q.3", "P1"), missing prefixes and missing or wrong diacritics (names are compared folded), and
maps an old ward to today's commune with ``ward_mappings``.

It never guesses silently (``db/reference/SOURCES.md``, "Caveats"):

- a ward split between several communes gets the source's default commune **and** ``needs_review``;
- a ward name found in several districts, a name that matches an old ward and a different new commune, a name
  found only by a close spelling, and a unit that is not in the lists all set ``needs_review`` with a note saying
  what a person has to check;
- what the row said is kept as ``as_recorded`` and the old ward's code as ``legacy_ward_code``.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from desktop_app.domain.vietnamese import fold, normalize
from desktop_app.importers.values import name_key

__all__ = ["AddressBook", "AddressResult", "LegacyLists", "Unit"]


class Unit(Protocol):
    """A code-list entry (``services.dto.CodeName``): code, name, parent code, kind in ``extra``."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def parent(self) -> str | None: ...

    @property
    def extra(self) -> str: ...


class LegacyLists(Protocol):
    """The pre-2025 lists (``services.reference.LegacyUnits``)."""

    @property
    def provinces(self) -> Sequence[Unit]: ...  # parent = today's province code

    @property
    def districts(self) -> Sequence[Unit]: ...  # parent = legacy province code

    @property
    def wards(self) -> Sequence[Unit]: ...  # parent = legacy district code

    @property
    def mappings(self) -> dict[str, list[tuple[str, bool]]]: ...  # legacy ward → [(commune, is default)]


@dataclass(frozen=True)
class AddressResult:
    """Where an address is today, and how sure the resolver is.

    Attributes:
        province_code: today's province (34), or None when it could not be found.
        commune_code: today's commune (3,321), or None.
        legacy_ward_code: the pre-2025 ward the text names, when it names one.
        street: the part of the address below the commune (house, street, hamlet).
        as_recorded: the address as the row wrote it.
        scheme: "legacy" (63 provinces), "new" (34 provinces) or "" (only a province was given).
        needs_review: a person must confirm the commune (split ward, ambiguous or unknown name, close spelling).
        split: the old ward was divided between several communes; ``candidates`` lists them.
        candidates: the commune codes a person may choose from.
        notes: why a review is needed, in Vietnamese.
        error: the province cannot be determined (the row cannot be placed at all).
    """

    province_code: str | None
    commune_code: str | None
    legacy_ward_code: str | None
    street: str
    as_recorded: str
    scheme: str = ""
    needs_review: bool = False
    split: bool = False
    candidates: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class _Part:
    text: str
    level: str | None  # "province", "city" (province or district), "district", "ward", or None (no prefix)
    kind: str | None
    key: str  # name key after the prefix
    whole: str  # name key of the whole part
    sure: bool  # the prefix was written with its diacritics or as an abbreviation
    name: str = ""  # the text after the prefix, as written


# accented word, folded word, abbreviations (folded), level, kind
_PREFIXES: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    ("thành phố", "thanh pho", ("tp", "t.p"), "city", "Thành phố"),
    ("thị xã", "thi xa", ("tx",), "district", "Thị xã"),
    ("thị trấn", "thi tran", ("tt",), "ward", "Thị trấn"),
    ("đặc khu", "dac khu", ("dk",), "ward", "Đặc khu"),
    ("tỉnh", "tinh", ("t",), "province", "Tỉnh"),
    ("huyện", "huyen", ("h",), "district", "Huyện"),
    ("quận", "quan", ("q",), "district", "Quận"),
    ("phường", "phuong", ("p", "f"), "ward", "Phường"),
    ("xã", "xa", ("x",), "ward", "Xã"),
)
_PROVINCE_ALIASES = {
    "hcm": "ho chi minh", "tphcm": "ho chi minh", "tp hcm": "ho chi minh", "sai gon": "ho chi minh",
    "saigon": "ho chi minh", "thua thien hue": "hue", "tt hue": "hue", "brvt": "ba ria vung tau",
    "br vt": "ba ria vung tau", "vung tau": "ba ria vung tau", "hn": "ha noi",
}
# Island districts that had no commune level; each became one special zone (SOURCES.md, "Caveats").
_ISLAND_DISTRICTS = {"318": "11948", "471": "19742", "498": "20333", "536": "21548", "755": "26732"}
_SPLIT = re.compile(r"\s*[,;\n]\s*")
_FUZZY_CUTOFF = 0.85


@functools.lru_cache(maxsize=65536)
def _parse_part(text: str) -> _Part:
    """Split a part of an address into its prefix (level and kind) and the name; cached, parts repeat a lot."""
    text = normalize(text).strip(" .-")
    lower = text.lower()
    folded = fold(text)
    whole = name_key(text)
    for accented, plain, abbreviations, level, kind in _PREFIXES:
        if lower.startswith(accented + " "):
            rest = name_key(text[len(accented):])
            if rest:
                return _Part(text, level, kind, rest, whole, True, text[len(accented):].strip())
        if folded.startswith(plain + " ") and lower[: len(plain)] == plain:
            # Typed without diacritics: "xa nam thanh" is probably Xã Nam Thanh, but "Quan Sơn" is a name, so the
            # resolver tries both readings.
            rest = name_key(folded[len(plain):])
            if rest:
                return _Part(text, level, kind, rest, whole, False, text[len(plain):].strip())
        for abbreviation in abbreviations:
            pattern = (rf"{re.escape(abbreviation)}(?:\.\s*|\s+)(.+)" if len(abbreviation) > 1
                       else rf"{re.escape(abbreviation)}\.\s*(.+)")
            m = re.fullmatch(pattern, folded)
            if m is None and abbreviation in ("p", "q", "f"):
                m = re.fullmatch(rf"{abbreviation}\s*([0-9]+)", folded)
            if m is not None and name_key(m.group(1)):
                return _Part(text, level, kind, name_key(m.group(1)), whole, True, text[-len(m.group(1)):].strip())
    return _Part(text, None, None, whole, whole, False, text)


def _unit_name(kind: str, name: str) -> str:
    """"huyện Nam Trực", "Quận 1": the generic noun in lower case unless the name is a number (ND 30 Phụ lục II)."""
    return f"{kind} {name}" if name[:1].isdigit() else f"{kind.lower()} {name}"


@dataclass
class _Work:
    """The resolution of one address, built step by step."""

    notes: list[str] = field(default_factory=list)
    review: bool = False
    split: bool = False
    candidates: tuple[str, ...] = ()

    def flag(self, note: str) -> None:
        self.review = True
        self.notes.append(note[:1].upper() + note[1:])


class AddressBook:
    """The reference lists indexed for resolving addresses; build once per import, then call :meth:`resolve`."""

    def __init__(self, provinces: Sequence[Unit], communes: Sequence[Unit], legacy: LegacyLists) -> None:
        self._province_name = {p.code: p.name for p in provinces}
        self._province_kind = {p.code: p.extra for p in provinces}
        self._new_by_key: dict[str, str] = {name_key(p.name): p.code for p in provinces}
        self._commune: dict[str, tuple[str, str, str]] = {}  # code → (province, kind, bare name)
        self._communes_by_key: dict[tuple[str, str], list[str]] = {}
        self._commune_keys: dict[str, list[str]] = {}
        for c in communes:
            kind = c.extra
            bare = c.name[len(kind) + 1:] if kind and c.name.startswith(kind + " ") else c.name
            province = c.parent or ""
            self._commune[c.code] = (province, kind, bare)
            self._communes_by_key.setdefault((province, name_key(bare)), []).append(c.code)
            self._commune_keys.setdefault(province, []).append(name_key(bare))
        self._old_name = {p.code: p.name for p in legacy.provinces}
        self._old_kind = {p.code: p.extra for p in legacy.provinces}
        self._old_today = {p.code: p.parent or "" for p in legacy.provinces}
        self._old_by_key: dict[str, str] = {name_key(p.name): p.code for p in legacy.provinces}
        self._olds_of_today: dict[str, list[str]] = {}
        for p in legacy.provinces:
            self._olds_of_today.setdefault(p.parent or "", []).append(p.code)
        self._district: dict[str, tuple[str, str, str]] = {}  # code → (legacy province, kind, name)
        self._districts_by_key: dict[tuple[str, str], list[str]] = {}
        self._districts_anywhere: dict[str, list[str]] = {}
        for d in legacy.districts:
            self._district[d.code] = (d.parent or "", d.extra, d.name)
            self._districts_by_key.setdefault((d.parent or "", name_key(d.name)), []).append(d.code)
            self._districts_anywhere.setdefault(name_key(d.name), []).append(d.code)
        self._ward: dict[str, tuple[str, str, str]] = {}  # code → (district, kind, name)
        self._wards_in_district: dict[tuple[str, str], list[str]] = {}
        self._wards_in_province: dict[tuple[str, str], list[str]] = {}
        self._ward_keys_district: dict[str, list[str]] = {}
        self._ward_keys_province: dict[str, list[str]] = {}
        for w in legacy.wards:
            district = w.parent or ""
            province = self._district.get(district, ("", "", ""))[0]
            key = name_key(w.name)
            self._ward[w.code] = (district, w.extra, w.name)
            self._wards_in_district.setdefault((district, key), []).append(w.code)
            self._wards_in_province.setdefault((province, key), []).append(w.code)
            self._ward_keys_district.setdefault(district, []).append(key)
            self._ward_keys_province.setdefault(province, []).append(key)
        self._mappings = {k: list(v) for k, v in legacy.mappings.items()}
        self._cache: dict[tuple[str, str, str, str, bool | None], AddressResult] = {}

    # --- names ---------------------------------------------------------------------------------------------------

    def commune_label(self, code: str) -> str:
        """"Xã Nam Ninh" for a commune code."""
        _, kind, name = self._commune.get(code, ("", "", code))
        return f"{kind} {name}".strip()

    def place_label(self, province_code: str | None, commune_code: str | None) -> str:
        """"Xã Minh Thái, tỉnh Ninh Bình": today's commune and province, for messages."""
        parts = [self.commune_label(commune_code)] if commune_code else []
        if province_code:
            parts.append(self._province_label(province_code))
        return ", ".join(parts)

    def _commune_full(self, code: str) -> str:
        province, kind, name = self._commune.get(code, ("", "", code))
        return f"{_unit_name(kind, name)} ({self._province_label(province)})"

    def _province_label(self, code: str) -> str:
        return _unit_name(self._province_kind.get(code, "Tỉnh"), self._province_name.get(code, code))

    def _old_province_label(self, code: str) -> str:
        return _unit_name(self._old_kind.get(code, "Tỉnh"), self._old_name.get(code, code))

    def _ward_label(self, code: str) -> str:
        district, kind, name = self._ward[code]
        province, dkind, dname = self._district[district]
        return f"{_unit_name(kind, name)}, {_unit_name(dkind, dname)}, {self._old_province_label(province)}"

    def _district_label(self, code: str) -> str:
        province, kind, name = self._district[code]
        return f"{_unit_name(kind, name)} ({self._old_province_label(province)})"

    # --- matching ------------------------------------------------------------------------------------------------

    @staticmethod
    def _keys(part: _Part) -> list[tuple[str, str | None]]:
        """The readings of a part to try, best first: (name key, kind it must preferably have)."""
        readings: list[tuple[str, str | None]] = [(part.key, part.kind)]
        if not part.sure and part.whole != part.key:
            readings.append((part.whole, None))
        return readings

    @staticmethod
    def _prefer_kind(codes: list[str], kind: str | None, kinds: dict[str, tuple[str, str, str]],
                     written: str = "") -> list[str]:
        """Narrow several matches: first to the kind the prefix named, then to the name spelled exactly as
        written ("Cẩm Giàng" and "Cẩm Giang" fold alike but are different communes)."""
        if len(codes) < 2:
            return codes
        if kind is not None:
            codes = [c for c in codes if kinds[c][1] == kind] or codes
        exact = normalize(written).casefold()
        if exact and len(codes) > 1:
            codes = [c for c in codes if normalize(kinds[c][2]).casefold() == exact] or codes
        return codes

    def _provinces(self, part: _Part) -> tuple[str | None, str | None]:
        """(legacy province, today's province) a part names; a district or ward prefix names no province."""
        if part.level in ("district", "ward") and part.sure:
            return None, None
        for key, kind in self._keys(part):
            key = _PROVINCE_ALIASES.get(key, key)
            old, new = self._old_by_key.get(key), self._new_by_key.get(key)
            if old is None and new is None:
                continue
            if kind == "Thành phố" and part.sure:
                # "Thành phố Nam Định" is a district-level city, not the province of the same name.
                if old is not None and self._old_kind.get(old) != "Thành phố":
                    old = None
                if new is not None and self._province_kind.get(new) != "Thành phố":
                    new = None
                if old is None and new is None:
                    return None, None
            return old, new
        return None, None

    @staticmethod
    def _written(part: _Part, key: str) -> str:
        """The name as typed for the reading ``key`` (after the prefix, or the whole part)."""
        return part.name if key == part.key else part.text

    def _districts(self, part: _Part, olds: list[str]) -> list[str]:
        if part.level in ("ward", "province") and part.sure:
            return []
        for key, kind in self._keys(part):
            found = [d for p in olds for d in self._districts_by_key.get((p, key), [])]
            if found:
                return self._prefer_kind(found, kind, self._district, self._written(part, key))
        return []

    def _legacy_wards(self, part: _Part, district: str | None, olds: list[str]) -> list[str]:
        for key, kind in self._keys(part):
            if district is not None:
                found = list(self._wards_in_district.get((district, key), []))
            else:
                found = [w for p in olds for w in self._wards_in_province.get((p, key), [])]
            if found:
                return self._prefer_kind(found, kind, self._ward, self._written(part, key))
        return []

    def _find_districts(self, part: _Part, primary: list[str], group: list[str]) -> list[str]:
        return self._districts(part, primary) or (self._districts(part, group) if group != primary else [])

    def _find_wards(self, part: _Part, district: str | None, primary: list[str], group: list[str]) -> list[str]:
        found = self._legacy_wards(part, district, primary)
        if district is None and group and group != primary:
            if not found:
                return self._legacy_wards(part, None, group)
            if part.sure and part.kind and all(self._ward[w][1] != part.kind for w in found):
                # "Xã Nam Thanh, Ninh Bình" found only "Phường Nam Thành" there: a Xã Nam Thanh of a province merged
                # into today's Ninh Bình is as likely, so both are offered.
                more = [w for w in self._legacy_wards(part, None, group) if self._ward[w][1] == part.kind]
                found = found + [w for w in more if w not in found]
        return found

    def _new_communes(self, part: _Part, province: str | None) -> list[str]:
        if province is None:
            return []
        for key, kind in self._keys(part):
            found = list(self._communes_by_key.get((province, key), []))
            if found:
                return self._prefer_kind(found, kind, self._commune, self._written(part, key))
        return []

    def _close_legacy(self, part: _Part, district: str | None, olds: list[str]) -> list[str]:
        """Legacy wards whose name is spelled almost like the part's (a typo beyond diacritics)."""
        if district is not None:
            keys = self._ward_keys_district.get(district, [])
            close = difflib.get_close_matches(part.key, keys, n=3, cutoff=_FUZZY_CUTOFF)
            return sorted({w for k in close for w in self._wards_in_district.get((district, k), [])})
        keys = [k for p in olds for k in self._ward_keys_province.get(p, [])]
        close = difflib.get_close_matches(part.key, keys, n=3, cutoff=_FUZZY_CUTOFF)
        return sorted({w for k in close for p in olds for w in self._wards_in_province.get((p, k), [])})

    def _close_new(self, part: _Part, province: str | None) -> list[str]:
        if province is None:
            return []
        close = difflib.get_close_matches(part.key, self._commune_keys.get(province, []), n=3, cutoff=_FUZZY_CUTOFF)
        return sorted({c for k in close for c in self._communes_by_key.get((province, k), [])})

    # --- resolution ----------------------------------------------------------------------------------------------

    def _map_ward(self, ward: str, work: _Work) -> str | None:
        """Today's commune of a legacy ward; a split ward gets its default commune and a review flag."""
        rows = self._mappings.get(ward, [])
        if not rows:
            work.flag(f"Không có dữ liệu chuyển đổi cho {self._ward_label(ward)}; cần chọn xã/phường mới.")
            return None
        if len(rows) == 1:
            return rows[0][0]
        default = next((c for c, is_default in rows if is_default), rows[0][0])
        work.split = True
        work.candidates = tuple(c for c, _ in rows)
        others = ", ".join(self.commune_label(c) for c, _ in rows)
        work.flag(f"{self._ward_label(ward)} đã được chia cho nhiều xã/phường mới ({others}); tạm ghi "
                  f"{self.commune_label(default)}, cần người xác nhận.")
        return default

    def resolve(self, address: str = "", commune: str = "", province: str = "", district: str = "",
                prefer_legacy: bool | None = None) -> AddressResult:
        """Resolve one address.

        Args:
            address: the address column ("Thôn Đông, Xã Nam Thanh, Huyện Nam Trực, Tỉnh Nam Định", or only the
                street).
            commune: the "Xã/phường" column, used when the address names no commune.
            province: the "Tỉnh/thành phố" column, used when the address names no province.
            district: a "Huyện" column of old lists.
            prefer_legacy: which reading wins when a name is both an old ward and a different new commune (True
                for records made before 1 July 2025, False after, None unknown → today's, flagged either way).

        Returns:
            The resolution; ``error`` is set when the province cannot be determined.
        """
        cache_key = (address, commune, province, district, prefer_legacy)
        cached = self._cache.get(cache_key)
        if cached is None:
            cached = self._resolve(normalize(address), normalize(commune), normalize(province), normalize(district),
                                   prefer_legacy)
            if len(self._cache) < 200_000:
                self._cache[cache_key] = cached
        return cached

    def _resolve(self, address: str, commune: str, province: str, district: str,
                 prefer_legacy: bool | None) -> AddressResult:
        work = _Work()
        texts = [t for t in _SPLIT.split(address) if t.strip(" .-")] if address else []
        parts = [_parse_part(t) for t in texts]
        as_recorded = self._as_recorded(address, [commune, district, province])

        # 1. Province: the last part of the address, else the province column.
        old: str | None = None
        new: str | None = None
        named_in_address = False
        if parts:
            old, new = self._provinces(parts[-1])
            if old or new:
                named_in_address = True
                parts.pop()
            elif parts[-1].level == "province" and parts[-1].sure:
                return self._fail(f"Không tìm thấy “{parts[-1].text}” trong danh mục tỉnh, thành phố (63 tỉnh, "
                                  "thành phố trước 01/7/2025 và 34 tỉnh, thành phố hiện nay).", as_recorded)
        if province:
            hint = _parse_part(province)
            h_old, h_new = self._provinces(hint)
            if not named_in_address:
                old, new = h_old, h_new
                if not (old or new):
                    return self._fail(f"Không tìm thấy tỉnh/thành phố “{province}” trong danh mục (63 tỉnh, "
                                      f"thành phố trước 01/7/2025 và 34 tỉnh, thành phố hiện nay).", as_recorded)
            elif h_old or h_new:
                a_today = new or self._old_today.get(old or "", "")
                h_today = h_new or self._old_today.get(h_old or "", "")
                if a_today and h_today and a_today != h_today and self._old_today.get(old or "") != h_today:
                    work.flag(f"Cột tỉnh/thành phố (“{province}”) khác tỉnh trong địa chỉ; đã theo địa chỉ.")

        # 2. District (old lists only): the next part, else the district column. Old units are looked for first in
        #    the old province named, then in every old province merged into today's (an old district written with
        #    today's province name).
        today = new or self._old_today.get(old or "", "") or None
        group = list(self._olds_of_today.get(today or "", []))
        primary = [old] if old else group
        everywhere = list(self._old_name)
        district_code: str | None = None
        district_named = False
        district_part: _Part | None = None
        if parts and parts[-1].level in ("district", "city", None):
            found = self._find_districts(parts[-1], primary, group or everywhere)
            if found:
                district_part = parts.pop()
            elif parts[-1].level in ("district", "city") and (parts[-1].sure or len(parts) > 1):
                district_part = parts.pop()
        if district_part is None and district:
            district_part = _parse_part(district)
        if district_part is not None:
            district_named = True
            found = self._find_districts(district_part, primary, group or everywhere)
            if len(found) == 1:
                district_code = found[0]
                old = self._district[district_code][0]
                primary = [old]
                today = today or self._old_today.get(old) or None
            elif found:
                work.flag(f"“{district_part.text}” có ở nhiều tỉnh cũ ("
                          + "; ".join(self._district_label(d) for d in found) + "); cần xác nhận.")
            else:
                work.flag(f"Không tìm thấy “{district_part.text}” trong danh mục huyện, quận, thị xã, thành phố "
                          "trước 01/7/2025; cần chọn xã/phường mới.")
        if not (old or new) and district_code is None:
            if not province and not parts and not commune and district_part is None:
                return self._fail("Chưa có tỉnh/thành phố.", as_recorded)
            return self._fail("Không xác định được tỉnh/thành phố của địa chỉ; hãy ghi tên tỉnh/thành phố.",
                              as_recorded)
        olds = primary

        # 3. Commune / ward: the next part if it looks like one, else the commune column.
        ward_part: _Part | None = None
        if parts:
            candidate = parts[-1]
            if candidate.level == "ward" or self._find_wards(candidate, district_code, olds, group) \
                    or (not district_named and self._new_communes(candidate, today)):
                ward_part = parts.pop()
        if ward_part is None and commune:
            ward_part = _parse_part(commune)
        street = ", ".join(p.text for p in parts)

        if district_code in _ISLAND_DISTRICTS and ward_part is None:
            zone = _ISLAND_DISTRICTS[district_code]
            if zone in self._commune:
                return self._done(work, self._commune[zone][0], zone, None, street, as_recorded, "legacy")
        if ward_part is None:
            if district_named:
                work.flag("Địa chỉ chỉ ghi đến huyện, chưa có xã/phường; cần chọn xã/phường mới.")
            return self._done(work, today, None, None, street, as_recorded, "legacy" if district_named else "")

        legacy = self._find_wards(ward_part, district_code, olds, group)
        legacy_only = district_named or new is None
        fresh = [] if legacy_only else self._new_communes(ward_part, new)
        if legacy_only or (legacy and not fresh):
            return self._legacy_result(work, ward_part, legacy, district_code, olds, today, street, as_recorded)
        if fresh and not legacy:
            if len(fresh) > 1:
                # Names that fold alike ("Cam Giang": Cẩm Giang or Cẩm Giàng) are not guessed silently.
                work.candidates = tuple(fresh)
                work.flag(f"“{ward_part.text}” ứng với nhiều xã/phường hiện nay ("
                          + "; ".join(self._commune_full(c) for c in fresh) + "); cần xác nhận.")
            self._check_kind(work, ward_part, self._commune[fresh[0]][1:], self._commune_full(fresh[0]))
            return self._done(work, today, fresh[0], None, street, as_recorded, "new")
        if fresh and legacy:
            old_communes = {c for w in legacy for c, _ in self._mappings.get(w, [])}
            if old_communes == {fresh[0]} and len(legacy) == 1 and len(fresh) == 1:
                # Both readings lead to the same commune: nothing to confirm.
                ward = legacy[0] if prefer_legacy else None
                return self._done(work, today, fresh[0], ward, street, as_recorded, "legacy" if ward else "new")
            if prefer_legacy:
                work.flag(f"“{ward_part.text}” vừa là tên xã/phường cũ ({self._ward_label(legacy[0])}) vừa là "
                          f"tên {self._commune_full(fresh[0])} hiện nay; đã hiểu theo địa giới cũ, cần xác nhận.")
                return self._legacy_result(work, ward_part, legacy, district_code, olds, today, street, as_recorded)
            work.flag(f"“{ward_part.text}” vừa là tên {self._commune_full(fresh[0])} hiện nay vừa là tên xã/phường "
                      f"cũ ({self._ward_label(legacy[0])}); đã hiểu theo địa giới hiện nay, cần xác nhận.")
            return self._done(work, today, fresh[0], None, street, as_recorded, "new")

        # Not found under either scheme: try a close spelling, else keep the province only.
        close_old = self._close_legacy(ward_part, district_code, olds)
        close_new = self._close_new(ward_part, new)
        if len(close_old) == 1 and not close_new:
            work.flag(f"Không có “{ward_part.text}” trong danh mục; có lẽ là {self._ward_label(close_old[0])}, "
                      "cần xác nhận.")
            commune_code = self._map_ward(close_old[0], work)
            return self._done(work, self._province_of(commune_code, today), commune_code, close_old[0], street,
                              as_recorded, "legacy")
        if len(close_new) == 1 and not close_old:
            work.flag(f"Không có “{ward_part.text}” trong danh mục; có lẽ là {self._commune_full(close_new[0])}, "
                      "cần xác nhận.")
            return self._done(work, today, close_new[0], None, street, as_recorded, "new")
        where = self._province_label(today) if today else "tỉnh đã ghi"
        work.flag(f"Không tìm thấy “{ward_part.text}” trong danh mục xã, phường của {where} (trước và sau "
                  "01/7/2025); cần chọn xã/phường.")
        return self._done(work, today, None, None, street, as_recorded, "legacy" if district_named else "")

    def _legacy_result(self, work: _Work, ward_part: _Part, legacy: list[str], district_code: str | None,
                       olds: list[str], today: str | None, street: str, as_recorded: str) -> AddressResult:
        if len(legacy) == 1:
            self._check_kind(work, ward_part, self._ward[legacy[0]][1:], self._ward_label(legacy[0]))
            commune_code = self._map_ward(legacy[0], work)
            return self._done(work, self._province_of(commune_code, today), commune_code, legacy[0], street,
                              as_recorded, "legacy")
        if legacy:
            targets = {c for w in legacy for c, _ in self._mappings.get(w, [])}
            if len(targets) == 1:
                commune_code = next(iter(targets))
                return self._done(work, self._province_of(commune_code, today), commune_code, None, street,
                                  as_recorded, "legacy")
            work.candidates = tuple(sorted(targets))
            work.flag(f"“{ward_part.text}” có ở nhiều nơi: " + "; ".join(self._ward_label(w) for w in legacy)
                      + ". Hãy ghi thêm huyện hoặc chọn xã/phường mới.")
            return self._done(work, today, None, None, street, as_recorded, "legacy")
        close = self._close_legacy(ward_part, district_code, olds)
        if len(close) == 1:
            work.flag(f"Không có “{ward_part.text}” trong danh mục; có lẽ là {self._ward_label(close[0])}, "
                      "cần xác nhận.")
            commune_code = self._map_ward(close[0], work)
            return self._done(work, self._province_of(commune_code, today), commune_code, close[0], street,
                              as_recorded, "legacy")
        where = self._district_label(district_code) if district_code else (
            self._old_province_label(olds[0]) if len(olds) == 1 else "tỉnh đã ghi")
        work.flag(f"Không tìm thấy “{ward_part.text}” trong danh mục xã, phường, thị trấn của {where} trước "
                  "01/7/2025; cần chọn xã/phường mới.")
        return self._done(work, today, None, None, street, as_recorded, "legacy")

    @staticmethod
    def _check_kind(work: _Work, part: _Part, found: tuple[str, str], label: str) -> None:
        """Flag a match that needed both another kind and other diacritics ("Xã Nam Thanh" → Phường Nam Thành)."""
        kind, name = found
        if part.sure and part.kind and kind != part.kind and part.name.lower() != name.lower():
            work.flag(f"“{part.text}” được hiểu là {label} (khác loại đơn vị và dấu); cần xác nhận.")

    def _province_of(self, commune_code: str | None, fallback: str | None) -> str | None:
        if commune_code and commune_code in self._commune:
            return self._commune[commune_code][0]
        return fallback

    @staticmethod
    def _as_recorded(address: str, others: list[str]) -> str:
        """The row's address: the address column plus the unit columns it does not already contain."""
        pieces = [address] if address else []
        folded = fold(address)
        for text in others:
            if text and fold(text) not in folded:
                pieces.append(text)
        return ", ".join(pieces)

    @staticmethod
    def _fail(message: str, as_recorded: str) -> AddressResult:
        return AddressResult(None, None, None, "", as_recorded, error=message)

    @staticmethod
    def _done(work: _Work, province: str | None, commune: str | None, ward: str | None, street: str,
              as_recorded: str, scheme: str) -> AddressResult:
        return AddressResult(province, commune, ward, street, as_recorded, scheme, work.review, work.split,
                             work.candidates, tuple(work.notes))
