"""Demo establishments of every legal form, with their names, addresses, tax codes, phones and e-mails."""

from __future__ import annotations

import random
from datetime import date, timedelta

from desktop_app.demo import vocab as V
from desktop_app.demo.common import (
    _COMMON_SECTORS,
    _CRAFT_SECTORS,
    _EST_BATCH,
    _FEMALE_SECTORS,
    _LEGAL_FORMS,
    _REFORM_DAY,
    _WORKERS,
)
from desktop_app.demo.people import PeopleGenerator
from desktop_app.demo.text import (
    _MOBILE,
    _TAX_PREFIXES,
    _lower_first,
    _pick,
    _ri,
    _scramble,
    _tax_check_digit,
    _weighted,
)
from desktop_app.domain.enums import (
    LegalForm,
)
from desktop_app.domain.vietnamese import format_vnd


class EstablishmentGenerator(PeopleGenerator):
    """Establishments, written in batches."""

    # -- establishments ---------------------------------------------------------------------------------------------

    def establishments(self, count: int, registered_before: date) -> None:
        """Write ``count`` establishments; those registered before ``registered_before`` may be beneficiaries."""
        rng = self.rng
        forms, form_weights = _weighted(V.LEGAL_FORM_WEIGHTS)
        sector_weights = [(c, 8 if c in _COMMON_SECTORS else 3) for c in self.ref.sectors]
        sectors, sector_cum = _weighted(sector_weights) if sector_weights else ([None], [1])
        craft_sectors = [c for c in self.ref.sectors if c in _CRAFT_SECTORS] or sectors
        # a centre registers the establishments of the province(s) it serves
        communes = [c for c in self.ref.communes if c[1] in self.centre] or self.ref.communes
        seen: set[tuple[str | None, str]] = set()
        start = min(date(self.today.year - 6, 1, 1), registered_before - timedelta(days=365))
        span_old = max((registered_before - start).days, 1)
        span_new = max((self.today - registered_before).days, 1)
        rows = self.buffers["establishments"]
        for n in range(count):
            eid = self.next_id("establishments")
            # the first ones take every legal form in turn, so even a small run has them all
            form: LegalForm = _LEGAL_FORMS[n] if n < len(_LEGAL_FORMS) else _pick(rng, forms, form_weights)
            self.form_count[form] += 1
            sector = rng.choice(craft_sectors) if form is LegalForm.ARTISAN else _pick(rng, sectors, sector_cum)
            words = V.SECTOR_WORDS.get(sector or "", V.FALLBACK_SECTOR)
            ccode, pcode, cname, ckind = communes[int(rng.random() * len(communes))]
            rep_parts, female = self.person(rng)
            products = rng.sample(words.products, min(len(words.products), 1 + (rng.random() < 0.4)))
            name_parts = self._establishment_name(rng, form, words, cname, pcode, rep_parts, products[0])
            name, folded, key = self.keys.compose(name_parts)
            tries = 0
            while (ccode, folded) in seen:
                tries += 1
                extra = rng.choice(V.TRADE_NAMES) if tries < 3 else str(tries)
                name, folded, key = self.keys.compose([*name_parts, extra])
            seen.add((ccode, folded))
            representative = " ".join(rep_parts)
            lo, hi = _WORKERS[form]
            workers = _ri(rng, lo, hi)
            female_share = 0.75 if sector in _FEMALE_SECTORS else 0.4
            female_workers = min(workers, int(workers * female_share * (0.6 + 0.8 * rng.random())))
            first_ones = n < len(_LEGAL_FORMS)  # always usable as beneficiaries, so proposals have some
            archived = rng.random() < 0.015 and not first_ones
            beneficiary = rng.random() < 0.9 or first_ones
            if beneficiary:
                created_day = start + timedelta(days=int(rng.random() * span_old))
            else:
                created_day = registered_before + timedelta(days=1 + int(rng.random() * span_new))
                created_day = min(created_day, self.today)
            founded = date(1985 if form is LegalForm.ARTISAN else 1995, 1, 1) + timedelta(
                days=int(rng.random() * ((self.today - date(1996, 1, 1)).days - 60)))
            founded = min(founded, created_day - timedelta(days=30))  # registered after it was founded
            street = self._street(rng, pcode, ckind)
            recorded, needs_review, where = "", False, ""
            legacy_code: str | None = None
            commune_code: str | None = ccode
            olds = self.ref.legacy.get(ccode)
            if olds and created_day < _REFORM_DAY:  # registered before the reform: the old address, as written
                legacy_code, where = olds[int(rng.random() * len(olds))]
                recorded = f"{street}, {where}"
                if rng.random() < 0.03:  # an old ward not matched to a new commune yet: to be reviewed
                    commune_code, needs_review, legacy_code = None, True, None
            if beneficiary and not archived:
                self.est.append((eid, pcode, commune_code, sector or "", name, products[0], legacy_code, where))
                self.est_by_province.setdefault(pcode, []).append(len(self.est) - 1)
            created = self.ts(created_day, 450 + int(rng.random() * 540))
            notes = ""
            if rng.random() < 0.03:
                notes = (f"Sản phẩm {_lower_first(products[0])} đạt chứng nhận sản phẩm công nghiệp nông thôn "
                         f"tiêu biểu cấp tỉnh năm {_ri(rng, 2019, max(2019, self.today.year - 1))}.")
            rows.append((
                eid, name, folded, key, form.value, self._tax_code(rng, eid, form, female), representative,
                rng.choice(V.REPRESENTATIVE_TITLES[form]), self._phone(rng, pcode),
                self._email(rng, form, name_parts, rep_parts), pcode, commune_code, street, recorded, legacy_code,
                needs_review, sector, ", ".join(products), workers, female_workers, self.d(founded), notes, archived,
                False, created, created, 1))
            if len(rows) >= _EST_BATCH:
                self.flush(("establishments",))
                rows = self.buffers["establishments"]
                self.tick(_EST_BATCH, f"Đang tạo cơ sở: {format_vnd(n + 1)}/{format_vnd(count)}")
        left = len(rows)
        self.flush(("establishments",))
        if left:
            self.tick(left, f"Đã tạo {format_vnd(count)} cơ sở")

    def _establishment_name(self, rng: random.Random, form: LegalForm, words: V.SectorWords, commune: str,
                            province: str, rep: list[str], product: str) -> list[str]:
        r = rng.random()
        if form is LegalForm.SME:
            prefix = rng.choice(V.SME_PREFIXES)
            if prefix == "Doanh nghiệp tư nhân" or r < 0.3:
                return [prefix, rng.choice(V.TRADE_NAMES)]
            return [prefix, words.craft, rng.choice(V.TRADE_NAMES)]
        if form is LegalForm.COOPERATIVE:
            return [rng.choice(V.COOPERATIVE_PREFIXES), words.craft,
                    commune if r < 0.6 else rng.choice(V.TRADE_NAMES)]
        if form is LegalForm.COOPERATIVE_GROUP:
            return ["Tổ hợp tác", words.craft, _lower_first(self._village_word(rng, province)),
                    rng.choice(V.VILLAGE_NAMES)]
        if form is LegalForm.HOUSEHOLD:
            if r < 0.5:
                return ["Hộ kinh doanh", *rep]
            if r < 0.8:
                return ["Cơ sở", words.craft, *rep]
            return ["Cơ sở sản xuất", _lower_first(product), rep[2]]
        return [rng.choice(V.ARTISAN_PREFIXES), *rep]

    @staticmethod
    def _village_word(rng: random.Random, province: str) -> str:
        if province in V.SOUTHERN_PROVINCES:
            return "Ấp"
        if province in V.MOUNTAIN_PROVINCES:
            return rng.choice(("Bản", "Thôn", "Xóm"))
        if province in V.HIGHLAND_PROVINCES:
            return rng.choice(("Thôn", "Buôn"))
        return rng.choice(("Thôn", "Xóm"))

    def _street(self, rng: random.Random, province: str, commune_kind: str) -> str:
        if commune_kind == "Phường":
            if rng.random() < 0.6:
                return f"Số {_ri(rng, 1, 300)} đường {rng.choice(V.STREET_NAMES)}"
            return f"{'Khu phố' if province in V.SOUTHERN_PROVINCES else 'Tổ dân phố'} {_ri(rng, 1, 25)}"
        return f"{self._village_word(rng, province)} {rng.choice(V.VILLAGE_NAMES)}"

    @staticmethod
    def _tax_code(rng: random.Random, eid: int, form: LegalForm, female: bool) -> str:
        r = rng.random()
        personal = (form is LegalForm.HOUSEHOLD and r < 0.8) or (form is LegalForm.ARTISAN and r < 0.5)
        if personal:
            born = _ri(rng, 1955, 2002)
            century_sex = (0 if born < 2000 else 2) + (1 if female else 0)
            tail = _scramble(eid, 6)
            return f"0{rng.choice(_TAX_PREFIXES)}{century_sex}{born % 100:02d}{tail:06d}"
        if (form is LegalForm.COOPERATIVE_GROUP and r < 0.4) or (form is LegalForm.ARTISAN) or r > 0.97:
            return ""
        body = _scramble(eid, 7) or 1
        first = rng.randrange(len(_TAX_PREFIXES))
        for k in range(len(_TAX_PREFIXES)):
            head = f"{_TAX_PREFIXES[(first + k) % len(_TAX_PREFIXES)]}{body:07d}"
            check = _tax_check_digit(head)
            if check is not None:
                code = f"{head}{check}"
                return f"{code}-{_ri(rng, 1, 9):03d}" if form is LegalForm.SME and r < 0.02 else code
        return ""

    @staticmethod
    def _phone(rng: random.Random, province: str) -> str:
        r = rng.random()
        if r < 0.04:
            return ""
        if r < 0.18:
            area = {"01": "024", "79": "028"}.get(province)
            if area:
                return f"{area}{_ri(rng, 30_000_000, 39_999_999)}"
            return f"02{_ri(rng, 3, 99):02d}{_ri(rng, 3_000_000, 3_999_999)}"
        return f"{rng.choice(_MOBILE)}{_ri(rng, 0, 9_999_999):07d}"

    def _email(self, rng: random.Random, form: LegalForm, name_parts: list[str], rep: list[str]) -> str:
        r = rng.random()
        if form in (LegalForm.SME, LegalForm.COOPERATIVE) and r < 0.5:
            # letters and digits only: commune names such as "Ea H'Leo" carry an apostrophe
            slug = "".join(ch for ch in self.keys.compose(name_parts[-1:])[1] if ch.isascii() and ch.isalnum())
            slug = slug or "coso"
            if r < 0.2:
                return f"lienhe@{slug}.vn"
            return f"{slug}{_ri(rng, 1, 99)}@{rng.choice(V.EMAIL_DOMAINS)}"
        if r < 0.12:
            folded = self.keys.compose(rep)[1].split()
            return f"{folded[2]}{folded[0]}{_ri(rng, 60, 99)}@{rng.choice(V.EMAIL_DOMAINS)}"
        return ""
