"""The reference lists indexed for reading addresses: today's provinces and communes, the pre-2025 provinces,
districts and wards, looked up by folded name (exactly, by kind, or by a close spelling); and an address part
parsed into its level and name. :class:`~desktop_app.importers.addresses.AddressBook` resolves over it."""


import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from desktop_app.domain.vietnamese import fold, normalize
from desktop_app.importers.values import name_key


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
class Part:
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
PROVINCE_ALIASES = {
    "hcm": "ho chi minh", "tphcm": "ho chi minh", "tp hcm": "ho chi minh", "sai gon": "ho chi minh",
    "saigon": "ho chi minh", "thua thien hue": "hue", "tt hue": "hue", "brvt": "ba ria vung tau",
    "br vt": "ba ria vung tau", "vung tau": "ba ria vung tau", "hn": "ha noi",
}
FUZZY_CUTOFF = 0.85


@functools.lru_cache(maxsize=65536)
def parse_part(text: str) -> Part:
    """Split a part of an address into its prefix (level and kind) and the name; cached, parts repeat a lot."""
    text = normalize(text).strip(" .-")
    lower = text.lower()
    folded = fold(text)
    whole = name_key(text)
    for accented, plain, abbreviations, level, kind in _PREFIXES:
        if lower.startswith(accented + " "):
            rest = name_key(text[len(accented):])
            if rest:
                return Part(text, level, kind, rest, whole, True, text[len(accented):].strip())
        if folded.startswith(plain + " ") and lower[: len(plain)] == plain:
            # Typed without diacritics: "xa nam thanh" is probably Xã Nam Thanh, but "Quan Sơn" is a name, so the
            # resolver tries both readings.
            rest = name_key(folded[len(plain):])
            if rest:
                return Part(text, level, kind, rest, whole, False, text[len(plain):].strip())
        for abbreviation in abbreviations:
            pattern = (rf"{re.escape(abbreviation)}(?:\.\s*|\s+)(.+)" if len(abbreviation) > 1
                       else rf"{re.escape(abbreviation)}\.\s*(.+)")
            m = re.fullmatch(pattern, folded)
            if m is None and abbreviation in ("p", "q", "f"):
                m = re.fullmatch(rf"{abbreviation}\s*([0-9]+)", folded)
            if m is not None and name_key(m.group(1)):
                return Part(text, level, kind, name_key(m.group(1)), whole, True, text[-len(m.group(1)):].strip())
    return Part(text, None, None, whole, whole, False, text)


def unit_name(kind: str, name: str) -> str:
    """"huyện Nam Trực", "Quận 1": the generic noun in lower case unless the name is a number (ND 30 Phụ lục II)."""
    return f"{kind} {name}" if name[:1].isdigit() else f"{kind.lower()} {name}"


class AddressIndex:
    """Loading the lists and matching one part of an address against them."""

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
        return f"{unit_name(kind, name)} ({self._province_label(province)})"

    def _province_label(self, code: str) -> str:
        return unit_name(self._province_kind.get(code, "Tỉnh"), self._province_name.get(code, code))

    def _old_province_label(self, code: str) -> str:
        return unit_name(self._old_kind.get(code, "Tỉnh"), self._old_name.get(code, code))

    def _ward_label(self, code: str) -> str:
        district, kind, name = self._ward[code]
        province, dkind, dname = self._district[district]
        return f"{unit_name(kind, name)}, {unit_name(dkind, dname)}, {self._old_province_label(province)}"

    def _district_label(self, code: str) -> str:
        province, kind, name = self._district[code]
        return f"{unit_name(kind, name)} ({self._old_province_label(province)})"

    # --- matching ------------------------------------------------------------------------------------------------

    @staticmethod
    def _keys(part: Part) -> list[tuple[str, str | None]]:
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

    def _provinces(self, part: Part) -> tuple[str | None, str | None]:
        """(legacy province, today's province) a part names; a district or ward prefix names no province."""
        if part.level in ("district", "ward") and part.sure:
            return None, None
        for key, kind in self._keys(part):
            key = PROVINCE_ALIASES.get(key, key)
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
    def _written(part: Part, key: str) -> str:
        """The name as typed for the reading ``key`` (after the prefix, or the whole part)."""
        return part.name if key == part.key else part.text

    def _districts(self, part: Part, olds: list[str]) -> list[str]:
        if part.level in ("ward", "province") and part.sure:
            return []
        for key, kind in self._keys(part):
            found = [d for p in olds for d in self._districts_by_key.get((p, key), [])]
            if found:
                return self._prefer_kind(found, kind, self._district, self._written(part, key))
        return []

    def _legacy_wards(self, part: Part, district: str | None, olds: list[str]) -> list[str]:
        for key, kind in self._keys(part):
            if district is not None:
                found = list(self._wards_in_district.get((district, key), []))
            else:
                found = [w for p in olds for w in self._wards_in_province.get((p, key), [])]
            if found:
                return self._prefer_kind(found, kind, self._ward, self._written(part, key))
        return []

    def _find_districts(self, part: Part, primary: list[str], group: list[str]) -> list[str]:
        return self._districts(part, primary) or (self._districts(part, group) if group != primary else [])

    def _find_wards(self, part: Part, district: str | None, primary: list[str], group: list[str]) -> list[str]:
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

    def _new_communes(self, part: Part, province: str | None) -> list[str]:
        if province is None:
            return []
        for key, kind in self._keys(part):
            found = list(self._communes_by_key.get((province, key), []))
            if found:
                return self._prefer_kind(found, kind, self._commune, self._written(part, key))
        return []

    def _close_legacy(self, part: Part, district: str | None, olds: list[str]) -> list[str]:
        """Legacy wards whose name is spelled almost like the part's (a typo beyond diacritics)."""
        if district is not None:
            keys = self._ward_keys_district.get(district, [])
            close = difflib.get_close_matches(part.key, keys, n=3, cutoff=FUZZY_CUTOFF)
            return sorted({w for k in close for w in self._wards_in_district.get((district, k), [])})
        keys = [k for p in olds for k in self._ward_keys_province.get(p, [])]
        close = difflib.get_close_matches(part.key, keys, n=3, cutoff=FUZZY_CUTOFF)
        return sorted({w for k in close for p in olds for w in self._wards_in_province.get((p, k), [])})

    def _close_new(self, part: Part, province: str | None) -> list[str]:
        if province is None:
            return []
        close = difflib.get_close_matches(part.key, self._commune_keys.get(province, []), n=3, cutoff=FUZZY_CUTOFF)
        return sorted({c for k in close for c in self._communes_by_key.get((province, k), [])})
