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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop_app.domain.vietnamese import fold, normalize
from desktop_app.importers.address_index import AddressIndex, LegacyLists, Part, Unit, parse_part

__all__ = ["AddressBook", "AddressResult", "LegacyLists", "Unit"]

# Island districts that had no commune level; each became one special zone (SOURCES.md, "Caveats").
_ISLAND_DISTRICTS = {"318": "11948", "471": "19742", "498": "20333", "536": "21548", "755": "26732"}
_SPLIT = re.compile(r"\s*[,;\n]\s*")


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


class AddressBook(AddressIndex):
    """The reference lists indexed for resolving addresses; build once per import, then call :meth:`resolve`."""

    def __init__(self, provinces: Sequence[Unit], communes: Sequence[Unit], legacy: LegacyLists) -> None:
        super().__init__(provinces, communes, legacy)
        self._cache: dict[tuple[str, str, str, str, bool | None], AddressResult] = {}

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
        parts = [parse_part(t) for t in texts]
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
            hint = parse_part(province)
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
        district_part: Part | None = None
        if parts and parts[-1].level in ("district", "city", None):
            found = self._find_districts(parts[-1], primary, group or everywhere)
            if found:
                district_part = parts.pop()
            elif parts[-1].level in ("district", "city") and (parts[-1].sure or len(parts) > 1):
                district_part = parts.pop()
        if district_part is None and district:
            district_part = parse_part(district)
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
        ward_part: Part | None = None
        if parts:
            candidate = parts[-1]
            if candidate.level == "ward" or self._find_wards(candidate, district_code, olds, group) \
                    or (not district_named and self._new_communes(candidate, today)):
                ward_part = parts.pop()
        if ward_part is None and commune:
            ward_part = parse_part(commune)
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

    def _legacy_result(self, work: _Work, ward_part: Part, legacy: list[str], district_code: str | None,
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
    def _check_kind(work: _Work, part: Part, found: tuple[str, str], label: str) -> None:
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
