"""Turning the rows of an import sheet into validated records, with every problem named by row, column and reason.

:class:`RowParser` reads one :class:`desktop_app.importers.reader.RawRow` at a time and returns a
:class:`ParsedRow`: ``"ok"`` with an ``EstablishmentInput`` or a :class:`ProposalRecord` (and any warnings), or
``"error"`` with the list of :class:`RowProblem` (Excel row number, column header as written in the file,
Vietnamese reason), or ``"skipped"`` for the lines lists carry that are not data (a "Tổng cộng" row, the row of
column numbers under the header, group headings, the signature block). It never raises: a cell that cannot be read
becomes a problem of its row.

Duplicates and the look-ups that need the database (does the establishment exist, is the code taken) are the
service's part (``desktop_app.services.imports``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop_app.domain.enums import LegalForm, ProposalForm, Scope, Status
from desktop_app.domain.records import EstablishmentInput, ProposalInput
from desktop_app.domain.validators import check_email, check_phone, check_tax_code, normalize_phone, normalize_tax_code
from desktop_app.domain.vietnamese import fold, format_date, format_vnd, normalize, remove_invisible
from desktop_app.importers.addresses import AddressBook, AddressResult, LegacyLists, Unit
from desktop_app.importers.columns import ColumnSpec, HeaderMatch, columns_for
from desktop_app.importers.errors import CellValueError
from desktop_app.importers.reader import RawRow
from desktop_app.importers.values import (
    EPOCH_1900,
    NameMatcher,
    cell_text,
    parse_amount,
    parse_count,
    parse_date,
    parse_year,
)

__all__ = ["ERROR", "OK", "SKIPPED", "WARNING", "Catalogue", "ParsedRow", "ProposalRecord", "RowParser",
           "RowProblem", "infer_legal_form"]

OK, ERROR, SKIPPED = "ok", "error", "skipped"
WARNING = "warning"
REFORM_DAY = date(2025, 7, 1)
APPROVED_STATES = frozenset({Status.APPROVED, Status.IN_PROGRESS, Status.AWAITING_ACCEPTANCE, Status.ACCEPTED,
                             Status.SETTLED, Status.STOPPED})
_LIMITS = {"name": 300, "representative": 200, "representative_title": 100, "email": 200, "main_products": 500,
           "street": 300, "code": 40, "title": 500, "implementing_unit": 300, "establishment": 300, "tax_code": 20}


@dataclass(frozen=True)
class RowProblem:
    """One finding about one row: the Excel row number, the column header as written, the reason in Vietnamese."""

    row: int
    column: str
    reason: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def text(self) -> str:
        return f"{self.column}: {self.reason}" if self.column else self.reason


@dataclass(frozen=True)
class ProposalRecord:
    """What a proposal row says: the general fields, the state it is in, its money and its beneficiary."""

    data: ProposalInput
    status: Status
    total_vnd: int
    support_vnd: int
    counterpart_vnd: int
    other_vnd: int
    establishment: EstablishmentInput | None
    establishment_name: str
    tax_code: str
    legal_form_given: bool

    @property
    def approved_support_vnd(self) -> int | None:
        """Proposals approved or further along were approved for the khuyến công amount of the row."""
        return self.support_vnd if self.status in APPROVED_STATES else None


class RowProblems:
    """The errors and the warnings among a row's ``problems``."""

    problems: list[RowProblem]

    @property
    def errors(self) -> list[RowProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[RowProblem]:
        return [p for p in self.problems if not p.is_error]


@dataclass
class ParsedRow(RowProblems):
    """A row of the sheet after parsing."""

    row: int
    status: str
    values: tuple[object, ...]
    problems: list[RowProblem] = field(default_factory=list)
    establishment: EstablishmentInput | None = None
    proposal: ProposalRecord | None = None
    label: str = ""
    skip_reason: str = ""
    note: str = ""


def infer_legal_form(text: str) -> LegalForm | None:
    """The legal form a name or an abbreviation implies ("HTX Nam Dương", "Cty TNHH", "hộ KD", "Cơ sở …")."""
    folded = " " + re.sub(r"[^0-9a-z]+", " ", fold(text)).strip() + " "
    if " hop tac xa " in folded or " htx " in folded:
        return LegalForm.COOPERATIVE
    if " to hop tac " in folded or " tht " in folded:
        return LegalForm.COOPERATIVE_GROUP
    if " nghe nhan " in folded:
        return LegalForm.ARTISAN
    if any(w in folded for w in (" cong ty ", " cty ", " doanh nghiep ", " dn ", " dnnvv ", " dntn ", " tnhh ",
                                  " co phan ", " ctcp ", " sme ")):
        return LegalForm.SME
    if any(w in folded for w in (" ho kinh doanh ", " ho kd ", " hkd ", " ho ca the ", " ho gia dinh ",
                                  " ho san xuat ")) or folded.startswith((" ho ", " co so ")):
        return LegalForm.HOUSEHOLD
    return None


_STATUS_SYNONYMS = {
    "moi": Status.DRAFT, "du thao": Status.DRAFT, "dang soan": Status.DRAFT, "da nop": Status.SUBMITTED,
    "cho tham dinh": Status.SUBMITTED, "dat": Status.APPRAISED, "khong dat tham dinh": Status.REJECTED,
    "da duyet": Status.APPROVED, "phe duyet": Status.APPROVED, "duoc phe duyet": Status.APPROVED,
    "da phe duyet": Status.APPROVED, "dang trien khai": Status.IN_PROGRESS, "dang thuc hien": Status.IN_PROGRESS,
    "quyet toan": Status.SETTLED, "da quyet toan xong": Status.SETTLED, "huy": Status.CANCELLED,
    "da huy": Status.CANCELLED, "ngung": Status.STOPPED, "dung thuc hien": Status.STOPPED,
    "gui bo": Status.SENT_TO_MINISTRY, "da gui bo cong thuong": Status.SENT_TO_MINISTRY,
}
_SCOPE_SYNONYMS = {
    "KCQG": Scope.NATIONAL, "KC QG": Scope.NATIONAL, "quốc gia": Scope.NATIONAL, "trung ương": Scope.NATIONAL,
    "khuyến công trung ương": Scope.NATIONAL, "KCĐP": Scope.LOCAL, "KCDP": Scope.LOCAL, "KC ĐP": Scope.LOCAL,
    "địa phương": Scope.LOCAL, "tỉnh": Scope.LOCAL, "ngân sách tỉnh": Scope.LOCAL,
    "khuyến công tỉnh": Scope.LOCAL,
}
_FORM_SYNONYMS = {"đơn lẻ": ProposalForm.SINGLE, "nhóm": ProposalForm.GROUP, "điểm": ProposalForm.FLAGSHIP}
_LEGAL_FORM_SYNONYMS = {"DNNVV": LegalForm.SME, "DN": LegalForm.SME, "HTX": LegalForm.COOPERATIVE,
                        "THT": LegalForm.COOPERATIVE_GROUP, "HKD": LegalForm.HOUSEHOLD, "Hộ KD": LegalForm.HOUSEHOLD}
_TOTALS = re.compile(r"(tong cong|tong so|tong|cong|cong chung|tong chung)"
                     r"( toan tinh| ca nam| cac nam| chung| cac de an| so de an| so co so| toan bo)?")
_PARENTHESES = re.compile(r"\([^)]*\)")


def _is_total(folded: str) -> bool:
    """"Tổng cộng", "TỔNG CỘNG:", "Cộng", "Tổng số (30 cơ sở)", "Tổng cộng toàn tỉnh" …"""
    return bool(_TOTALS.fullmatch(_PARENTHESES.sub("", folded).strip(" :.-")))


_SIGNATURES = ("nguoi lap bieu", "nguoi lap", "lap bieu", "giam doc", "pho giam doc", "thu truong", "ke toan",
               "xac nhan", "ky ten", "ky, ghi ro ho ten", "ky ghi ro ho ten", "lanh dao", "truong phong",
               "chu tich", "tm ", "kt ", "noi nhan")
_GROUP_HEADING = re.compile(r"([ivxlcdm]+|[a-z]|[0-9]+)[.)]\s.*")
_COLUMN_NUMBER = re.compile(r"\(?[0-9]{1,2}\)?|\([a-z]\)|[a-z]")


@dataclass
class Catalogue:
    """The reference lists a row is checked against, indexed once per import."""

    addresses: AddressBook
    contents: NameMatcher
    sectors: NameMatcher
    legal_forms: NameMatcher = field(default_factory=lambda: NameMatcher(
        "loại hình", [(f.value, f.label) for f in LegalForm], {k: v.value for k, v in _LEGAL_FORM_SYNONYMS.items()}))
    scopes: NameMatcher = field(default_factory=lambda: NameMatcher(
        "nguồn kinh phí", [(s.value, s.label) for s in Scope], {k: v.value for k, v in _SCOPE_SYNONYMS.items()}))
    statuses: NameMatcher = field(default_factory=lambda: NameMatcher(
        "trạng thái", [(s.value, s.label) for s in Status], {k: v.value for k, v in _STATUS_SYNONYMS.items()}))
    forms: NameMatcher = field(default_factory=lambda: NameMatcher(
        "hình thức đề án", [(f.value, f.label) for f in ProposalForm], {k: v.value for k, v in _FORM_SYNONYMS.items()},
        strip_prefixes=("de an",)))
    today: date = field(default_factory=date.today)

    @classmethod
    def build(cls, provinces: Sequence[Unit], communes: Sequence[Unit], legacy: LegacyLists,
              contents: Sequence[Unit], sectors: Sequence[Unit], today: date | None = None) -> Catalogue:
        """Index the lists: provinces and communes of today, the legacy units, contents and sectors."""
        return cls(
            addresses=AddressBook(provinces, communes, legacy),
            contents=NameMatcher("nội dung hoạt động khuyến công", [(c.code, c.name) for c in contents],
                                 strip_prefixes=("ho tro", "ho tro ung dung")),
            sectors=NameMatcher("ngành nghề", [(s.code, s.name) for s in sectors],
                                strip_prefixes=("nganh", "san xuat")),
            today=today or date.today(),
        )


class _Row:
    """The cells of one row by field, and the problems found so far."""

    def __init__(self, raw: RawRow, columns: dict[str, tuple[int, str]]) -> None:
        self.raw = raw
        self.columns = columns
        self.problems: list[RowProblem] = []
        self._cleaned: set[str] = set()

    def value(self, name: str) -> object:
        where = self.columns.get(name)
        if where is None:
            return None
        value = self.raw.get(where[0])
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def text(self, name: str) -> str:
        text, removed = remove_invisible(cell_text(self.value(name)))
        if removed and name not in self._cleaned:
            self._cleaned.add(name)
            self.warn(name, f"Đã bỏ {removed} ký tự ẩn (ký tự đổi hướng chữ hoặc ký tự độ rộng 0) trong ô này.")
        return normalize(text) if removed else text

    def label(self, name: str) -> str:
        where = self.columns.get(name)
        return where[1] if where else ""

    def error(self, name: str, reason: str) -> None:
        self.problems.append(RowProblem(self.raw.number, self.label(name), reason, ERROR))

    def warn(self, name: str, reason: str) -> None:
        self.problems.append(RowProblem(self.raw.number, self.label(name), reason, WARNING))

    def read(self, name: str, parse: Callable[[object], Any]) -> Any:
        """``parse(value)``, or None with an error on the column when the cell cannot be read."""
        try:
            return parse(self.value(name))
        except CellValueError as exc:
            self.error(name, exc.message)
            return None

    def limited(self, name: str, limit_key: str | None = None) -> str:
        text = self.text(name)
        limit = _LIMITS.get(limit_key or name)
        if limit and len(text) > limit:
            self.error(name, f"Dài {len(text)} ký tự, quá giới hạn {limit} ký tự.")
            return text[:limit]
        return text

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


class RowParser:
    """Parses the rows of one sheet, in order (the footer under a "Tổng cộng" row is recognised as such)."""

    def __init__(self, kind: str, header: HeaderMatch, catalogue: Catalogue, default_multiplier: int | None = None,
                 epoch: date = EPOCH_1900) -> None:
        self.kind = kind
        self.catalogue = catalogue
        self.epoch = epoch
        specs = {c.field: c for c in columns_for(kind)}
        self._specs: dict[str, ColumnSpec] = specs
        self._columns: dict[str, tuple[int, str]] = {m.spec.field: (m.index, m.label) for m in header.columns}
        self._multipliers = {m.spec.field: (m.multiplier or default_multiplier or 1) for m in header.columns
                             if m.spec.money}
        self._key = "name" if kind == "establishments" else "title"
        self._after_totals = False
        self._first = True

    def label(self, name: str) -> str:
        """The column's header as written in the file, else the template's."""
        where = self._columns.get(name)
        if where:
            return where[1]
        spec = self._specs.get(name)
        return spec.label if spec else name

    def parse(self, raw: RawRow) -> ParsedRow:
        """Parse one row; never raises."""
        row = _Row(raw, self._columns)
        first, self._first = self._first, False
        skip = self._non_data(row, first)
        if skip:
            return ParsedRow(raw.number, SKIPPED, raw.values, skip_reason=skip, label=row.text(self._key))
        if self.kind == "establishments":
            return self._establishment(row)
        return self._proposal(row)

    # --- lines that are not data ---------------------------------------------------------------------------------

    def _non_data(self, row: _Row, first: bool) -> str:
        key = fold(row.text(self._key))
        if key and not first and not self._after_totals and not _is_total(key) \
                and not any(key.startswith(s) for s in _SIGNATURES) and not _GROUP_HEADING.fullmatch(key):
            return ""  # the usual data row: a name that is no total, signature or heading
        texts = [t for t in (cell_text(v) for v in row.raw.values) if t]
        folded = [fold(t) for t in texts]
        recognised = [f for f in self._columns if row.value(f) is not None]
        if first and texts and all(_COLUMN_NUMBER.fullmatch(f) for f in folded) and len(texts) >= 3:
            return "Dòng đánh số thứ tự cột dưới tiêu đề, không phải dữ liệu."
        totals = [f for f in folded if _is_total(f)]
        if totals and (not key or _is_total(key)):
            self._after_totals = True
            return f"Dòng “{texts[folded.index(totals[0])]}”, không phải dữ liệu."
        if not key and len(recognised) <= 3:
            if all(any(f.startswith(s) for s in _SIGNATURES) or ("thang" in f and "nam" in f) for f in folded):
                return "Dòng chữ ký, ngày tháng cuối danh sách, không phải dữ liệu."
            if self._after_totals or len(recognised) <= 1:
                return "Dòng ghi chú, không phải dữ liệu (không có " + self.label(self._key) + ")."
        if key and len(recognised) <= 3 and any(key.startswith(s) for s in _SIGNATURES):
            return "Dòng chữ ký cuối danh sách, không phải dữ liệu."
        if key and len(recognised) == 1 and _GROUP_HEADING.fullmatch(key):
            return f"Dòng tiêu đề nhóm “{row.text(self._key)}”, không phải dữ liệu."
        if self._after_totals and len(recognised) <= 3:
            return "Dòng dưới dòng tổng cộng, không phải dữ liệu."
        return ""

    # --- shared pieces -------------------------------------------------------------------------------------------

    def _tax_code(self, row: _Row) -> str:
        value = row.value("tax_code")
        text = cell_text(value)
        if not text:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool) and text.isdigit() and len(text) in (9, 11):
            # Stored as a number, Excel dropped the leading 0 of the tax code.
            text = "0" + text
            row.warn("tax_code", f"Mã số thuế được lưu dạng số nên mất số 0 ở đầu; đã ghi lại là {text}.")
        problem = check_tax_code(text)
        if problem is not None:
            if problem.is_error:
                row.error("tax_code", problem.message)
                return ""
            row.warn("tax_code", problem.message)
        return normalize_tax_code(text)

    def _legal_form(self, row: _Row, name: str, required: bool) -> tuple[LegalForm | None, bool]:
        """(form, whether the row gave it). A blank form is inferred from the name (with a warning when
        ``required``: a proposal's beneficiary needs a form only if it has to be created)."""
        text = row.text("legal_form")
        if text:
            code = self.catalogue.legal_forms.lookup(text)
            form = LegalForm(code) if code else infer_legal_form(text)
            if form is None:
                choices = ", ".join(f.label for f in LegalForm)
                row.error("legal_form", f"“{text}” không phải là loại hình cơ sở; hãy ghi một trong: {choices}.")
            return form, True
        form = infer_legal_form(name) if name else None
        if form is not None and required:
            row.warn("legal_form" if "legal_form" in self._columns else self._name_field,
                     f"Chưa ghi loại hình; suy ra từ tên cơ sở là “{form.label}”.")
        elif required and name:
            row.error("legal_form" if "legal_form" in self._columns else self._name_field,
                      "Chưa ghi loại hình và không suy ra được từ tên cơ sở; hãy ghi Doanh nghiệp nhỏ và vừa, "
                      "Hợp tác xã, Tổ hợp tác, Hộ kinh doanh hoặc Nghệ nhân.")
        return form, False

    @property
    def _name_field(self) -> str:
        return "name" if self.kind == "establishments" else "establishment"

    def _address(self, row: _Row, prefer_legacy: bool | None) -> AddressResult | None:
        address, commune = row.text("address"), row.text("commune")
        province, district = row.text("province"), row.text("district")
        if not (address or commune or province or district):
            return None
        result = self.catalogue.addresses.resolve(address, commune, province, district, prefer_legacy)
        place_column = "province" if province else "address" if address else "commune" if commune else "district"
        if result.error:
            row.error(place_column, result.error)
            return result
        note_column = "commune" if commune and not address else "address" if address else place_column
        for note in result.notes:
            row.warn(note_column, note)
        if len(result.street) > _LIMITS["street"]:
            row.error(note_column, f"Địa chỉ dài {len(result.street)} ký tự, quá giới hạn {_LIMITS['street']} ký tự.")
        return result

    def _sector(self, row: _Row) -> tuple[str | None, str]:
        """(sector code, note to keep when the sector is not in the list)."""
        text = row.text("sector")
        if not text:
            return None, ""
        code = self.catalogue.sectors.lookup(text)
        if code is None:
            row.warn("sector", f"“{text}” không có trong danh mục ngành nghề; đã ghi vào Ghi chú để chọn lại sau.")
            return None, f"Ngành nghề (theo tệp nhập): {text}"
        return code, ""

    def _phone(self, row: _Row) -> str:
        value = row.value("phone")
        text = cell_text(value)
        if not text:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool) and text.isdigit() and len(text) in (9, 10):
            # A number cell: Excel dropped the leading 0.
            text = "0" + text
        problem = check_phone(text)
        if problem is not None:
            if problem.is_error:
                row.error("phone", problem.message)
                return ""
            row.warn("phone", problem.message)
        phone = normalize_phone(text)
        if len(phone) > 20:
            row.error("phone", "Số điện thoại quá dài.")
            return ""
        return phone

    def _email(self, row: _Row) -> str:
        text = row.text("email")
        problem = check_email(text)
        if problem is not None:
            row.error("email", problem.message)
            return ""
        return text.lower()

    def _date(self, row: _Row, name: str) -> date | None:
        def parse(value: object) -> date | None:
            day, note = parse_date(value, self.epoch)
            if note:
                row.warn(name, note)
            return day
        return row.read(name, parse)

    # --- establishments ------------------------------------------------------------------------------------------

    def _establishment(self, row: _Row) -> ParsedRow:
        name = row.limited("name")
        if not name:
            row.error("name", "Chưa nhập tên cơ sở.")
        form, _ = self._legal_form(row, name, required=True)
        tax_code = self._tax_code(row)
        representative = row.limited("representative")
        title = row.limited("representative_title")
        phone = self._phone(row)
        email = self._email(row)
        place = self._address(row, prefer_legacy=None)
        if place is None:
            row.error("province" if "province" in self._columns else "address", "Chưa nhập tỉnh/thành phố.")
        sector, sector_note = self._sector(row)
        products = row.limited("main_products")
        workers = row.read("workers", lambda v: parse_count(v, "lao động"))
        female = row.read("female_workers", lambda v: parse_count(v, "lao động"))
        if workers is not None and female is not None and female > workers:
            row.error("female_workers", f"Lao động nữ ({female}) nhiều hơn {self.label('workers')} ({workers}).")
        founded = self._date(row, "founded_on")
        if founded is not None and founded > self.catalogue.today:
            row.error("founded_on", f"Ngày thành lập {format_date(founded)} ở tương lai.")
        notes = "\n".join(t for t in (row.text("notes"), sector_note) if t)
        if row.has_errors or form is None or place is None or place.error:
            return ParsedRow(row.raw.number, ERROR, row.raw.values, row.problems, label=name)
        data = EstablishmentInput(
            name=name, legal_form=form, tax_code=tax_code, representative=representative,
            representative_title=title, phone=phone, email=email, province_code=place.province_code,
            commune_code=place.commune_code, street=place.street, address_as_recorded=place.as_recorded[:500],
            legacy_ward_code=place.legacy_ward_code, address_needs_review=place.needs_review, sector_code=sector,
            main_products=products, workers=workers, female_workers=female, founded_on=founded, notes=notes)
        return ParsedRow(row.raw.number, OK, row.raw.values, row.problems, establishment=data, label=name,
                         note=self._place_note(place))

    # --- proposals -----------------------------------------------------------------------------------------------

    def _proposal(self, row: _Row) -> ParsedRow:
        code = row.limited("code").upper()
        title = row.limited("title")
        if not title:
            row.error("title", "Chưa nhập tên đề án.")
        year = row.read("year", parse_year)
        if year is None and not any(p.column == self.label("year") for p in row.problems):
            row.error("year", "Chưa nhập năm kế hoạch.")
        elif year is not None and not 2000 <= year <= 2100:
            row.error("year", f"Năm {year} không hợp lệ (cần trong khoảng 2000–2100).")
            year = None
        scope = row.read("scope", self.catalogue.scopes.match)
        if scope is None and row.value("scope") is None:
            row.error("scope", "Chưa ghi nguồn kinh phí (KCQG hoặc KCĐP).")
        content = row.read("content", self.catalogue.contents.match)
        if content is None and row.value("content") is None:
            row.error("content", "Chưa ghi nội dung hoạt động khuyến công.")
        form_code = row.read("form", self.catalogue.forms.match)
        implementing = row.limited("implementing_unit")
        start = self._date(row, "start_date")
        end = self._date(row, "end_date")
        if start and end and end < start:
            row.error("end_date", f"Ngày kết thúc ({format_date(end)}) trước ngày bắt đầu ({format_date(start)}).")
        status_code = row.read("status", self.catalogue.statuses.match)
        status = Status(status_code) if status_code else Status.DRAFT
        money = self._money(row)
        prefer_legacy = None
        if year is not None:
            prefer_legacy = True if year < 2025 else False if year > 2025 else None
        if start is not None:
            prefer_legacy = start < REFORM_DAY
        place = self._address(row, prefer_legacy)
        sector, _ = self._sector(row)
        establishment_name = row.limited("establishment", "establishment")
        tax_code = self._tax_code(row)
        form, form_given = self._legal_form(row, establishment_name, required=False)
        label = " — ".join(t for t in (code, title) if t)
        if row.has_errors or money is None or year is None or scope is None or content is None \
                or (place is not None and place.error):
            return ParsedRow(row.raw.number, ERROR, row.raw.values, row.problems, label=label)
        if place is not None and place.split:
            row.warn(self._place_column(row), "Xã cũ đã bị chia tách: đề án và cơ sở thụ hưởng được gán xã/phường "
                                              "mặc định và đánh dấu cần người xác nhận.")
        data = ProposalInput(
            title=title, year=year, scope=Scope(scope), content_code=content,
            form=ProposalForm(form_code) if form_code else ProposalForm.SINGLE, code=code, sector_code=sector,
            implementing_unit=implementing,
            province_code=place.province_code if place else None,
            commune_code=place.commune_code if place else None,
            location_as_recorded=(place.as_recorded[:500] if place else ""),
            legacy_ward_code=place.legacy_ward_code if place else None,
            address_needs_review=bool(place and place.needs_review), start_date=start, end_date=end)
        establishment = None
        if establishment_name:
            establishment = EstablishmentInput(
                name=establishment_name, legal_form=form or LegalForm.HOUSEHOLD, tax_code=tax_code,
                province_code=place.province_code if place else None,
                commune_code=place.commune_code if place else None, street=place.street if place else "",
                address_as_recorded=place.as_recorded[:500] if place else "",
                legacy_ward_code=place.legacy_ward_code if place else None,
                address_needs_review=bool(place and place.needs_review), sector_code=sector,
                notes="" if form else "Loại hình tạm ghi “Hộ kinh doanh” khi nhập đề án từ Excel; cần kiểm tra.")
        total, support, counterpart, other = money
        record = ProposalRecord(data, status, total, support, counterpart, other, establishment, establishment_name,
                                tax_code, form_given)
        note = " ".join(t for t in (f"Nhập ở trạng thái “{status.label}”.", self._place_note(place)) if t)
        return ParsedRow(row.raw.number, OK, row.raw.values, row.problems, proposal=record, label=label, note=note)

    def _place_note(self, place: AddressResult | None) -> str:
        """Where an old address is today, so the clerk sees the conversion before importing."""
        if place is None or place.scheme != "legacy" or not place.province_code:
            return ""
        where = self.catalogue.addresses.place_label(place.province_code, place.commune_code)
        return f"Theo địa giới hiện nay: {where}."

    @staticmethod
    def _place_column(row: _Row) -> str:
        for name in ("address", "commune", "province"):
            if row.value(name) is not None:
                return name
        return "address"

    def _money(self, row: _Row) -> tuple[int, int, int, int] | None:
        amounts: dict[str, int | None] = {}
        for name in ("total", "support", "counterpart", "other"):
            amounts[name] = row.read(name, functools.partial(parse_amount, multiplier=self._multipliers.get(name, 1)))
        failed = {p.column for p in row.problems}
        if any(self.label(n) in failed for n in amounts if n in self._columns):
            return None
        support = amounts["support"]
        if support is None:
            row.error("support", "Chưa nhập kinh phí khuyến công.")
            return None
        counterpart = amounts["counterpart"] or 0
        other = amounts["other"] or 0
        total = amounts["total"]
        parts = support + counterpart + other
        if total is None:
            total = parts
        if support <= 0:
            row.error("support", "Kinh phí khuyến công phải lớn hơn 0.")
            return None
        if total != parts:
            row.error("total", self._sum_message(total, support, counterpart, other))
            return None
        return total, support, counterpart, other

    def _sum_message(self, total: int, support: int, counterpart: int, other: int) -> str:
        names = [self.label("support"), self.label("counterpart"), self.label("other")]
        parts = support + counterpart + other
        difference = total - parts
        # The problem's column is the total's; the text names the three parts.
        return (f"{format_vnd(total)} đồng không bằng {' + '.join(names)} = "
                f"{format_vnd(support)} + {format_vnd(counterpart)} + {format_vnd(other)} = {format_vnd(parts)} đồng "
                f"({'thừa' if difference > 0 else 'thiếu'} {format_vnd(abs(difference))} đồng).")

