"""What an import works with: the rows of a preview and their outcomes (returned to the GUI and the CLI), the
indexes of what the database already holds (to find duplicates), and the bulk-insert helpers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from desktop_app.domain.enums import LegalForm, Role
from desktop_app.domain.vietnamese import fold, format_vnd, sort_key
from desktop_app.importers.rows import ERROR, OK, SKIPPED, ParsedRow, ProposalRecord, RowProblem, RowProblems
from desktop_app.services.dto import EstablishmentInput, ProposalInput
from desktop_app.store.models import Establishment, Proposal

DUPLICATE = "duplicate"
SKIP, UPDATE, ADD = "skip", "update", "add"
ON_DUPLICATE = (SKIP, UPDATE, ADD)
ESTABLISHMENT_ROLES = (Role.STAFF, Role.MANAGER, Role.ADMIN)
PROPOSAL_ROLES = (Role.STAFF, Role.MANAGER)
BUDGET_ITEM = "Tổng hợp kinh phí theo số liệu nhập từ Excel"
BATCH = 1000
WHAT = {"establishments": "cơ sở", "proposals": "đề án"}
FIELD_COLUMNS = {"name": "name", "legal_form": "legal_form", "tax_code": "tax_code", "phone": "phone",
                  "email": "email", "workers": "workers", "female_workers": "female_workers",
                  "founded_on": "founded_on", "province_code": "province", "commune_code": "commune",
                  "title": "title", "year": "year", "scope": "scope", "content_code": "content",
                  "end_date": "end_date", "start_date": "start_date", "code": "code"}
EST_FIELDS = tuple(EstablishmentInput.__dataclass_fields__)
PROPOSAL_FIELDS = tuple(f for f in ProposalInput.__dataclass_fields__ if f != "code")


# --------------------------------------------------------------------------------------------------------------------
# Records returned to the GUI and the CLI
# --------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateOf:
    """What a row duplicates: a record in the database or an earlier row of the file."""

    reason: str
    existing_id: int | None = None
    existing_name: str = ""
    row: int | None = None
    imported: bool = True

    def text(self) -> str:
        if self.existing_id is not None:
            return f"{self.reason} với “{self.existing_name}” đã có (mã {self.existing_id})."
        return f"{self.reason} với dòng {self.row} của tệp."


@dataclass
class PreviewRow(RowProblems):
    """One row of the file as the preview shows it."""

    row: int
    status: str  # "ok", "error", "duplicate", "skipped"
    label: str
    problems: list[RowProblem]
    values: tuple[object, ...]
    parsed: ParsedRow
    duplicate: DuplicateOf | None = None
    note: str = ""

    @property
    def columns(self) -> str:
        """The columns named by the problems, for the preview table."""
        shown = self.errors or self.warnings
        return ", ".join(dict.fromkeys(p.column for p in shown if p.column))

    @property
    def reason(self) -> str:
        """Everything to say about the row, in one line."""
        if self.status == SKIPPED:
            return self.parsed.skip_reason
        parts = [p.text() for p in (self.errors or [])]
        if self.duplicate is not None:
            parts.append(self.duplicate.text())
        if not self.errors:
            parts += [f"Cảnh báo — {p.text()}" for p in self.warnings]
        if self.note:
            parts.append(self.note)
        return " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in parts)


@dataclass
class ImportPreview:
    """The file checked, row by row; nothing written yet."""

    kind: str
    path: str
    file_name: str
    sheet: str
    header_row: int
    labels: tuple[str, ...]
    rows: list[PreviewRow]
    notes: list[str] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def data_rows(self) -> int:
        """Rows that hold data (everything but the skipped title, total and signature lines)."""
        return sum(1 for r in self.rows if r.status != SKIPPED)

    @property
    def ok(self) -> int:
        return self._count(OK)

    @property
    def errors(self) -> int:
        return self._count(ERROR)

    @property
    def duplicates(self) -> int:
        return self._count(DUPLICATE)

    @property
    def skipped(self) -> int:
        return self._count(SKIPPED)

    @property
    def with_warnings(self) -> int:
        return sum(1 for r in self.rows if r.status in (OK, DUPLICATE) and r.warnings)

    def summary(self) -> str:
        what = WHAT[self.kind]
        text = (f"Tệp “{self.file_name}” (trang “{self.sheet}”, tiêu đề ở dòng {self.header_row}): "
                f"{format_vnd(self.data_rows)} dòng {what}; {format_vnd(self.ok)} hợp lệ, "
                f"{format_vnd(self.errors)} lỗi, {format_vnd(self.duplicates)} trùng")
        if self.with_warnings:
            text += f", {format_vnd(self.with_warnings)} có cảnh báo"
        if self.skipped:
            text += f"; bỏ qua {format_vnd(self.skipped)} dòng không phải dữ liệu"
        return text + "."


@dataclass(frozen=True)
class RowOutcome:
    """What the import did with one row."""

    row: int
    action: str  # "created", "updated", "skipped", "rejected"
    record_id: int | None
    text: str


@dataclass
class ImportResult:
    """The outcome of an import (or of an all-or-nothing import refused because of bad rows)."""

    kind: str
    file_name: str
    written: bool
    created: int
    updated: int
    skipped: int
    rejected: int
    establishments_created: int
    needs_review: int
    outcomes: list[RowOutcome]
    preview: ImportPreview
    seconds: float
    message: str

    @property
    def all_imported(self) -> bool:
        """Something was written and no row was rejected (duplicates skipped by choice do not count)."""
        return self.written and self.rejected == 0


# --------------------------------------------------------------------------------------------------------------------
# Indexes of what the database already holds
# --------------------------------------------------------------------------------------------------------------------


def place_key(name: str, commune: str | None, province: str | None) -> tuple[str, str, str]:
    """Duplicate key "same folded name and commune" (the province when the commune is unknown)."""
    return (fold(name), commune or "", "" if commune else (province or ""))


@dataclass
class Target:
    """An establishment the import will have: one in the database, or one to create (rows merged into it)."""

    existing_id: int | None
    name: str
    data: EstablishmentInput | None = None
    rows: list[int] = field(default_factory=list)
    action: str = "link"  # "create", "update", "link"
    new_id: int | None = None

    @property
    def id(self) -> int | None:
        return self.existing_id if self.existing_id is not None else self.new_id


class EstablishmentIndex:
    """Establishments by tax code and by (folded name, commune/province), the database's and the file's."""

    def __init__(self, s: Session) -> None:
        self.by_tax: dict[str, Target] = {}
        self.by_place: dict[tuple[str, str, str], Target] = {}
        q = select(Establishment.id, Establishment.name, Establishment.tax_code, Establishment.province_code,
                   Establishment.commune_code).order_by(Establishment.id)
        for eid, name, tax, province, commune in s.execute(q):
            target = Target(eid, name)
            if tax:
                self.by_tax.setdefault(tax, target)
            self.by_place.setdefault(place_key(name, commune, province), target)

    def find(self, data: EstablishmentInput) -> tuple[Target, str] | None:
        if data.tax_code and data.tax_code in self.by_tax:
            return self.by_tax[data.tax_code], "Trùng mã số thuế"
        key = place_key(data.name, data.commune_code, data.province_code)
        if key in self.by_place:
            return self.by_place[key], ("Trùng tên và xã/phường" if data.commune_code else "Trùng tên trong cùng tỉnh")
        return None

    def add(self, data: EstablishmentInput, target: Target) -> None:
        if data.tax_code:
            self.by_tax.setdefault(data.tax_code, target)
        self.by_place.setdefault(place_key(data.name, data.commune_code, data.province_code), target)


@dataclass(frozen=True)
class ExistingProposal:
    """A proposal in the database that a row may duplicate."""

    id: int
    code: str
    title: str
    imported: bool


def proposal_key(record: ProposalRecord) -> tuple[str, ...]:
    """Duplicate key: the code when the row has one, else the folded title with the year and the funding source."""
    data = record.data
    return ("code", data.code) if data.code else ("title", fold(data.title), str(data.year), data.scope.value)


class ProposalIndex:
    """The database's proposals by code and by (folded title, year, source)."""

    def __init__(self, s: Session) -> None:
        self.by_key: dict[tuple[str, ...], ExistingProposal] = {}
        q = select(Proposal.id, Proposal.code, Proposal.title, Proposal.title_folded, Proposal.year, Proposal.scope,
                   Proposal.imported).order_by(Proposal.id)
        for pid, code, title, folded, year, scope, imported in s.execute(q):
            found = ExistingProposal(pid, code, title, bool(imported))
            self.by_key.setdefault(("code", code), found)
            self.by_key.setdefault(("title", folded, str(year), scope), found)
        self.codes = {key[1] for key in self.by_key if key[0] == "code"}

    def find(self, record: ProposalRecord) -> ExistingProposal | None:
        return self.by_key.get(proposal_key(record))


def duplicate_reason(key: tuple[str, ...]) -> str:
    return f"Trùng mã đề án {key[1]}" if key[0] == "code" else "Trùng tên đề án, năm và nguồn kinh phí"


PLACE_FIELDS = ("province_code", "commune_code", "street", "address_as_recorded", "legacy_ward_code",
                 "address_needs_review")


def merge_establishment(base: EstablishmentInput, new: EstablishmentInput) -> EstablishmentInput:
    """``base`` with every field the row fills taken from ``new`` (a blank cell keeps what was there).

    The address is one group: a row that names a place replaces province, commune, street, the address as recorded,
    the old ward and the review flag together, so a commune never stays behind in another province.
    """
    changes: dict[str, Any] = {}
    for name in EST_FIELDS:
        value = getattr(new, name)
        if name not in PLACE_FIELDS and value not in (None, ""):
            changes[name] = value
    if new.province_code:
        changes.update({name: getattr(new, name) for name in PLACE_FIELDS})
    if new.notes and base.notes and new.notes not in base.notes:
        changes["notes"] = f"{base.notes}\n{new.notes}"
    return replace(base, **changes)


def input_of(e: Establishment) -> EstablishmentInput:
    values = {f: getattr(e, f) for f in EST_FIELDS}
    values["legal_form"] = LegalForm(e.legal_form)
    return EstablishmentInput(**values)


def establishment_params(data: EstablishmentInput, now: Any) -> dict[str, Any]:
    values = {f: getattr(data, f) for f in EST_FIELDS}  # not asdict(): it deep-copies, 3× slower at 20,000 rows
    values["legal_form"] = data.legal_form.value
    values.update(name_folded=fold(data.name), name_sort=sort_key(data.name), archived=False, version=1,
                  created_at=now, updated_at=now)
    return values


def table_of(model: Any) -> Table:
    """The Core table of a mapped class (Core inserts: see :func:`insert_returning_ids`)."""
    table: Table = model.__table__
    return table


def insert_returning_ids(s: Session, model: Any, params: list[dict[str, Any]]) -> list[int]:
    """Bulk-insert ``params`` and return the new ids in parameter order.

    Core, not the ORM bulk insert: that one splits a batch into one statement per row as soon as a column is None in
    some rows and not in others. SQLite would also run ``RETURNING … sort_by_parameter_order`` row by row, so there
    one multi-row INSERT returns the ids unsorted and they are sorted: inside our write transaction SQLite assigns
    rowids in increasing order as it processes the VALUES rows in order. On PostgreSQL a 1,000-row INSERT … VALUES
    with RETURNING spends most of its time in the driver's query conversion (25,000 placeholders), so the ids are
    taken from the sequence first and the rows inserted with a plain executemany.
    """
    if not params:
        return []
    table = table_of(model)
    if s.get_bind().dialect.name == "postgresql":
        sequence = s.scalar(text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name})
        ids = list(s.scalars(text("SELECT nextval(:sequence) FROM generate_series(1, :n)"),
                             {"sequence": sequence, "n": len(params)}))
        s.execute(insert(table), [{**p, "id": i} for p, i in zip(params, ids, strict=True)])
        return ids
    if s.get_bind().dialect.name == "sqlite":
        return sorted(s.scalars(insert(table).returning(table.c.id), params).all())
    return list(s.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), params).all())
