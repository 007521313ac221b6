"""Importing establishments and proposals from the Excel workbooks centres already keep.

Two steps, both usable from the GUI (in a worker thread, with progress and cancel) and the CLI:

1. :meth:`ImportService.preview` reads the file (``desktop_app.importers``), checks every row against the reference
   lists and the database, and returns an :class:`ImportPreview`: one :class:`PreviewRow` per row with its status
   (``ok``, ``error``, ``duplicate``, ``skipped``), its problems (row, column, reason) and the counts. Nothing is
   written.
2. :meth:`ImportService.run` imports a preview (or a path, previewed first) in **one transaction**: either every
   valid row or, when any row is wrong and ``only_valid`` is false, nothing. Duplicates (same tax code, or same
   folded name in the same commune; for proposals the same code) are skipped, updated or added anyway as asked. A
   cancel (``progress.check()``) or any failure rolls everything back.

Proposals from earlier years are inserted directly in the state the file gives (settled ones included) with one
budget line "Tổng hợp kinh phí theo số liệu nhập từ Excel" (quantity 1, unit price = total) carrying the three
amounts, so totals stay derived from lines; the history gets one status change with action ``import`` ("Nhập từ
Excel"); proposals approved or further along get ``approved_support_vnd`` = the khuyến công amount. A proposal's
establishment is found by tax code, else by name and place, else created from the row.

Writes are bulk inserts (20,000 establishments in a few seconds). Audit: one summary entry per import (action
``import``, field ``file``) plus one ``import`` entry per created record naming the file and row; updates of
existing records are audited field by field (old → new) like any update.
"""

from __future__ import annotations

import time as _time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, insert, select, text
from sqlalchemy.orm import Session

from desktop_app.domain.budget import BudgetTotals, check_cap, select_rule
from desktop_app.domain.enums import Action, LegalForm, ProposalForm, Role, Scope, Status
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.vietnamese import fold, format_vnd, sort_key
from desktop_app.importers.columns import KINDS
from desktop_app.importers.reader import read_table
from desktop_app.importers.rows import ERROR, OK, SKIPPED, WARNING, Catalogue, ParsedRow, ProposalRecord, RowParser
from desktop_app.importers.rows import RowProblem as RowProblem
from desktop_app.importers.writer import write_rejected_rows
from desktop_app.importers.writer import write_template as _write_template
from desktop_app.services import audit
from desktop_app.services.auth import Actor, require_role
from desktop_app.services.dto import EstablishmentInput, ProposalInput
from desktop_app.services.establishments import clean_establishment
from desktop_app.services.progress import NO_PROGRESS, Progress
from desktop_app.services.proposals import clean_input, proposal_code
from desktop_app.services.reference import ReferenceService, rule_data
from desktop_app.store.base import utcnow
from desktop_app.store.database import Database, with_retries
from desktop_app.store.models import (
    AuditEntry,
    BudgetLine,
    Content,
    Establishment,
    Proposal,
    ProposalBeneficiary,
    StatusChange,
    SupportRule,
)

__all__ = ["DUPLICATE", "ImportPreview", "ImportResult", "ImportService", "PreviewRow", "RowOutcome", "RowProblem"]

DUPLICATE = "duplicate"
SKIP, UPDATE, ADD = "skip", "update", "add"
ON_DUPLICATE = (SKIP, UPDATE, ADD)
ESTABLISHMENT_ROLES = (Role.STAFF, Role.MANAGER, Role.ADMIN)
PROPOSAL_ROLES = (Role.STAFF, Role.MANAGER)
BUDGET_ITEM = "Tổng hợp kinh phí theo số liệu nhập từ Excel"
_BATCH = 1000
_WHAT = {"establishments": "cơ sở", "proposals": "đề án"}
_FIELD_COLUMNS = {"name": "name", "legal_form": "legal_form", "tax_code": "tax_code", "phone": "phone",
                  "email": "email", "workers": "workers", "female_workers": "female_workers",
                  "founded_on": "founded_on", "province_code": "province", "commune_code": "commune",
                  "title": "title", "year": "year", "scope": "scope", "content_code": "content",
                  "end_date": "end_date", "start_date": "start_date", "code": "code"}
_EST_FIELDS = tuple(EstablishmentInput.__dataclass_fields__)
_PROPOSAL_FIELDS = tuple(f for f in ProposalInput.__dataclass_fields__ if f != "code")


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
class PreviewRow:
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
    def errors(self) -> list[RowProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[RowProblem]:
        return [p for p in self.problems if not p.is_error]

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
        what = _WHAT[self.kind]
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


def _place_key(name: str, commune: str | None, province: str | None) -> tuple[str, str, str]:
    """Duplicate key "same folded name and commune" (the province when the commune is unknown)."""
    return (fold(name), commune or "", "" if commune else (province or ""))


@dataclass
class _Target:
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


class _EstablishmentIndex:
    """Establishments by tax code and by (folded name, commune/province), the database's and the file's."""

    def __init__(self, s: Session) -> None:
        self.by_tax: dict[str, _Target] = {}
        self.by_place: dict[tuple[str, str, str], _Target] = {}
        q = select(Establishment.id, Establishment.name, Establishment.tax_code, Establishment.province_code,
                   Establishment.commune_code).order_by(Establishment.id)
        for eid, name, tax, province, commune in s.execute(q):
            target = _Target(eid, name)
            if tax:
                self.by_tax.setdefault(tax, target)
            self.by_place.setdefault(_place_key(name, commune, province), target)

    def find(self, data: EstablishmentInput) -> tuple[_Target, str] | None:
        if data.tax_code and data.tax_code in self.by_tax:
            return self.by_tax[data.tax_code], "Trùng mã số thuế"
        key = _place_key(data.name, data.commune_code, data.province_code)
        if key in self.by_place:
            return self.by_place[key], ("Trùng tên và xã/phường" if data.commune_code else "Trùng tên trong cùng tỉnh")
        return None

    def add(self, data: EstablishmentInput, target: _Target) -> None:
        if data.tax_code:
            self.by_tax.setdefault(data.tax_code, target)
        self.by_place.setdefault(_place_key(data.name, data.commune_code, data.province_code), target)


@dataclass(frozen=True)
class _Existing:
    """A proposal in the database that a row may duplicate."""

    id: int
    code: str
    title: str
    imported: bool


def _proposal_key(record: ProposalRecord) -> tuple[str, ...]:
    """Duplicate key: the code when the row has one, else the folded title with the year and the funding source."""
    data = record.data
    return ("code", data.code) if data.code else ("title", fold(data.title), str(data.year), data.scope.value)


class _ProposalIndex:
    """The database's proposals by code and by (folded title, year, source)."""

    def __init__(self, s: Session) -> None:
        self.by_key: dict[tuple[str, ...], _Existing] = {}
        q = select(Proposal.id, Proposal.code, Proposal.title, Proposal.title_folded, Proposal.year, Proposal.scope,
                   Proposal.imported).order_by(Proposal.id)
        for pid, code, title, folded, year, scope, imported in s.execute(q):
            found = _Existing(pid, code, title, bool(imported))
            self.by_key.setdefault(("code", code), found)
            self.by_key.setdefault(("title", folded, str(year), scope), found)
        self.codes = {key[1] for key in self.by_key if key[0] == "code"}

    def find(self, record: ProposalRecord) -> _Existing | None:
        return self.by_key.get(_proposal_key(record))


def _duplicate_reason(key: tuple[str, ...]) -> str:
    return f"Trùng mã đề án {key[1]}" if key[0] == "code" else "Trùng tên đề án, năm và nguồn kinh phí"


_PLACE_FIELDS = ("province_code", "commune_code", "street", "address_as_recorded", "legacy_ward_code",
                 "address_needs_review")


def _merge(base: EstablishmentInput, new: EstablishmentInput) -> EstablishmentInput:
    """``base`` with every field the row fills taken from ``new`` (a blank cell keeps what was there).

    The address is one group: a row that names a place replaces province, commune, street, the address as recorded,
    the old ward and the review flag together, so a commune never stays behind in another province.
    """
    changes: dict[str, Any] = {}
    for name in _EST_FIELDS:
        value = getattr(new, name)
        if name not in _PLACE_FIELDS and value not in (None, ""):
            changes[name] = value
    if new.province_code:
        changes.update({name: getattr(new, name) for name in _PLACE_FIELDS})
    if new.notes and base.notes and new.notes not in base.notes:
        changes["notes"] = f"{base.notes}\n{new.notes}"
    return replace(base, **changes)


def _input_of(e: Establishment) -> EstablishmentInput:
    values = {f: getattr(e, f) for f in _EST_FIELDS}
    values["legal_form"] = LegalForm(e.legal_form)
    return EstablishmentInput(**values)


def _row_params(data: EstablishmentInput, now: Any) -> dict[str, Any]:
    values = {f: getattr(data, f) for f in _EST_FIELDS}  # not asdict(): it deep-copies, 3× slower at 20,000 rows
    values["legal_form"] = data.legal_form.value
    values.update(name_folded=fold(data.name), name_sort=sort_key(data.name), archived=False, version=1,
                  created_at=now, updated_at=now)
    return values


def _table(model: Any) -> Table:
    """The Core table of a mapped class (Core inserts: see :func:`_insert_returning_ids`)."""
    table: Table = model.__table__
    return table


def _insert_returning_ids(s: Session, model: Any, params: list[dict[str, Any]]) -> list[int]:
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
    table = _table(model)
    if s.get_bind().dialect.name == "postgresql":
        sequence = s.scalar(text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name})
        ids = list(s.scalars(text("SELECT nextval(:sequence) FROM generate_series(1, :n)"),
                             {"sequence": sequence, "n": len(params)}))
        s.execute(insert(table), [{**p, "id": i} for p, i in zip(params, ids, strict=True)])
        return ids
    if s.get_bind().dialect.name == "sqlite":
        return sorted(s.scalars(insert(table).returning(table.c.id), params).all())
    return list(s.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), params).all())


# --------------------------------------------------------------------------------------------------------------------
# The service
# --------------------------------------------------------------------------------------------------------------------


class _DryRunDone(Exception):
    """Raised at the end of a dry run's transaction to roll everything back."""

    def __init__(self, outcomes: list[RowOutcome]) -> None:
        super().__init__("dry run")
        self.outcomes = outcomes


class _NothingWritten(Exception):
    """Raised inside the transaction to roll it back when an all-or-nothing import meets a refused row."""

    def __init__(self, outcomes: list[RowOutcome]) -> None:
        super().__init__("all-or-nothing import refused")
        self.outcomes = outcomes


class ImportService:
    """Use cases: preview an import file, import it in one transaction, write the rejected rows, write a template."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- permissions ---------------------------------------------------------------------------------------------

    def _require(self, actor: Actor, kind: str) -> None:
        if kind not in KINDS:
            raise ValidationError(f"Loại dữ liệu nhập “{kind}” không hợp lệ (establishments hoặc proposals).",
                                  field="kind")
        if kind == "establishments":
            require_role(actor, *ESTABLISHMENT_ROLES, doing="nhập danh sách cơ sở từ Excel", now=self._db)
        else:
            require_role(actor, *PROPOSAL_ROLES, doing="nhập danh sách đề án từ Excel", now=self._db)

    # --- preview -------------------------------------------------------------------------------------------------

    def catalogue(self) -> Catalogue:
        """The reference lists indexed for parsing (read fresh: an administrator may have changed them)."""
        reference = ReferenceService(self._db)
        return Catalogue.build(reference.provinces(), reference.communes(), reference.legacy_units(),
                               reference.contents(include_inactive=True), reference.sectors(include_inactive=True))

    def preview(self, actor: Actor, kind: str, path: str | Path, progress: Progress = NO_PROGRESS) -> ImportPreview:
        """Read and check ``path`` without writing anything.

        Args:
            actor: the user (staff, manager or administrator for establishments; staff or manager for proposals).
            kind: "establishments" or "proposals".
            path: the .xlsx file.
            progress: progress reporter; cancelling raises ``Cancelled``.

        Returns:
            The rows with their status and problems, and the counts.

        Raises:
            ImportFileError: the file cannot be read (not .xlsx, encrypted, corrupt, empty, too large, required
                columns missing).
            PermissionDenied: the role may not import this kind.
        """
        self._require(actor, kind)
        progress.set_progress(0, 0, "Đang đọc tệp…")
        table = read_table(path, kind, progress)
        progress.check()
        progress.set_progress(0, len(table.rows), "Đang đọc danh mục…")
        parser = RowParser(kind, table.header, self.catalogue(), table.default_multiplier, table.epoch)
        parsed: list[ParsedRow] = []
        for i, raw in enumerate(table.rows, start=1):
            parsed.append(parser.parse(raw))
            if i % 500 == 0:
                progress.check()
                progress.set_progress(i, len(table.rows), f"Đang kiểm tra dòng {format_vnd(i)}/"
                                                          f"{format_vnd(len(table.rows))}")
        rows = [PreviewRow(p.row, p.status, p.label, list(p.problems), p.values, p, note=p.note) for p in parsed]
        with self._db.reading() as s:
            if kind == "establishments":
                self._check_establishments(s, rows, parser)
            else:
                self._check_proposals(s, rows, parser)
        progress.set_progress(len(rows), len(rows), "Đã kiểm tra xong")
        return ImportPreview(kind, str(path), table.file_name, table.sheet, table.header.last_row,
                             table.header.labels, rows, list(table.notes))

    @staticmethod
    def _reject(row: PreviewRow, column: str, reason: str) -> None:
        row.problems.append(RowProblem(row.row, column, reason, ERROR))
        row.status = ERROR

    def _clean_establishment(self, row: PreviewRow, data: EstablishmentInput,
                             parser: RowParser) -> EstablishmentInput | None:
        try:
            return clean_establishment(data)[0]
        except ValidationError as exc:
            self._reject(row, parser.label(_FIELD_COLUMNS.get(exc.field or "", "name")), exc.message)
            return None

    def _check_establishments(self, s: Session, rows: list[PreviewRow], parser: RowParser) -> None:
        index = _EstablishmentIndex(s)
        for row in rows:
            data = row.parsed.establishment
            if row.status != OK or data is None:
                continue
            # The row parser applied every rule of clean_establishment (same domain validators) and normalised the
            # values; calling it again per row would double the preview time of a 20,000-row file.
            cleaned = data
            found = index.find(cleaned)
            if found is not None:
                target, reason = found
                if target.existing_id is not None:
                    row.duplicate = DuplicateOf(reason, target.existing_id, target.name)
                else:
                    row.duplicate = DuplicateOf(reason, row=target.rows[0])
                row.status = DUPLICATE
            else:
                index.add(cleaned, _Target(None, cleaned.name, cleaned, [row.row], "create"))
            if cleaned.address_needs_review:
                row.note = " ".join(t for t in (row.note, "Địa chỉ cần người xác nhận xã/phường sau khi nhập.") if t)

    def _rules(self, s: Session) -> tuple[list[Any], dict[str, str | None]]:
        rules = [rule_data(r) for r in s.scalars(select(SupportRule))]
        parents = {code: parent for code, parent in s.execute(select(Content.code, Content.parent_code))}
        return rules, parents

    def _check_proposals(self, s: Session, rows: list[PreviewRow], parser: RowParser) -> None:
        index = _EstablishmentIndex(s)
        proposals = _ProposalIndex(s)
        in_file: dict[tuple[str, ...], int] = {}
        rules, parents = self._rules(s)
        for row in rows:
            record = row.parsed.proposal
            if row.status != OK or record is None:
                continue
            try:
                clean_input(record.data)
            except ValidationError as exc:
                self._reject(row, parser.label(_FIELD_COLUMNS.get(exc.field or "", "title")), exc.message)
                continue
            note = self._beneficiary_note(row, record, index, parser)
            if row.status == ERROR:
                continue
            row.note = " ".join(t for t in (note, row.note) if t)
            self._cap_warning(row, record, rules, parents, parser)
            key = _proposal_key(record)
            existing = proposals.find(record)
            if existing is not None:
                row.duplicate = DuplicateOf(_duplicate_reason(key), existing.id, existing.title,
                                            imported=existing.imported)
                row.status = DUPLICATE
            elif key in in_file:
                row.duplicate = DuplicateOf(_duplicate_reason(key), row=in_file[key])
                row.status = DUPLICATE
            else:
                in_file[key] = row.row

    def _beneficiary_note(self, row: PreviewRow, record: ProposalRecord, index: _EstablishmentIndex,
                          parser: RowParser) -> str:
        probe = record.establishment
        if probe is None and record.tax_code:
            probe = EstablishmentInput(name="", legal_form=LegalForm.HOUSEHOLD, tax_code=record.tax_code)
        if probe is None:
            return "Không có cơ sở thụ hưởng."
        found = index.find(probe)
        if found is not None:
            target, _ = found
            if target.existing_id is not None:
                note = f"Cơ sở thụ hưởng: “{target.name}” (đã có, mã {target.existing_id})."
                if record.establishment_name and fold(record.establishment_name) != fold(target.name) \
                        and record.tax_code and index.by_tax.get(record.tax_code) is target:
                    row.problems.append(RowProblem(row.row, parser.label("establishment"), (
                        f"Mã số thuế {record.tax_code} là của cơ sở “{target.name}”, khác tên trong tệp "
                        f"“{record.establishment_name}”; đề án được gắn với cơ sở “{target.name}”."), WARNING))
                return note
            return f"Cơ sở thụ hưởng: “{target.name}” (tạo mới ở dòng {target.rows[0]})."
        if record.establishment is None:
            self._reject(row, parser.label("tax_code"), f"Không có cơ sở nào mang mã số thuế {record.tax_code}; "
                                                        "hãy ghi thêm Tên cơ sở để tạo mới.")
            return ""
        if not record.establishment.province_code:
            self._reject(row, parser.label("establishment"),
                         f"Chưa có cơ sở “{record.establishment.name}” và thiếu tỉnh/thành phố để tạo mới.")
            return ""
        cleaned = self._clean_establishment(row, record.establishment, parser)
        if cleaned is None:
            return ""
        index.add(cleaned, _Target(None, cleaned.name, cleaned, [row.row], "create"))
        form = "" if record.legal_form_given else f", loại hình suy ra “{cleaned.legal_form.label}”"
        return f"Sẽ tạo cơ sở thụ hưởng mới “{cleaned.name}”{form}."

    def _cap_warning(self, row: PreviewRow, record: ProposalRecord, rules: list[Any], parents: dict[str, str | None],
                     parser: RowParser) -> None:
        data = record.data
        on = data.start_date or date(data.year, 1, 1)
        rule = select_rule(rules, data.content_code, data.scope, data.province_code, on,
                           parents.get(data.content_code))
        cap = check_cap(rule, BudgetTotals(record.total_vnd, record.support_vnd, record.counterpart_vnd,
                                           record.other_vnd), record.support_vnd)
        if rule is not None and not cap.ok:
            row.problems.append(RowProblem(row.row, parser.label("support"), cap.message, WARNING))

    # --- run -----------------------------------------------------------------------------------------------------

    def run(self, actor: Actor, kind: str, source: str | Path | ImportPreview, only_valid: bool = False,
            on_duplicate: str = SKIP, progress: Progress = NO_PROGRESS, dry_run: bool = False) -> ImportResult:
        """Import a file (or a preview of it) in one transaction.

        Args:
            actor: the user.
            kind: "establishments" or "proposals".
            source: the file, or the preview the user confirmed.
            only_valid: import the valid rows and leave out the bad ones; when false, a single bad row means
                nothing is imported.
            on_duplicate: "skip" (leave the existing record), "update" (fill it with the row's values) or "add"
                (create another record anyway).
            progress: progress reporter; cancelling rolls back everything.
            dry_run: do everything, then roll it back: the outcome says what a real run would do, row by row
                (merges into existing records included), and nothing is written.

        Returns:
            What was done with each row; ``written`` is false when nothing was imported.

        Raises:
            ImportFileError: the file cannot be read.
            PermissionDenied: the role may not import this kind.
            Cancelled: the user cancelled; nothing was written.
        """
        self._require(actor, kind)
        if on_duplicate not in ON_DUPLICATE:
            raise ValidationError("Cách xử lý dòng trùng phải là skip, update hoặc add.", field="on_duplicate")
        started = _time.perf_counter()
        preview = source if isinstance(source, ImportPreview) else self.preview(actor, kind, source, progress)
        if preview.kind != kind:
            raise ValidationError("Bản xem trước không cùng loại dữ liệu nhập.", field="kind")
        bad = [r for r in preview.rows if r.status == ERROR]
        if bad and not only_valid:
            outcomes = [RowOutcome(r.row, "rejected", None, r.reason) for r in bad]
            message = (f"Có {format_vnd(len(bad))} dòng lỗi nên chưa nhập dòng nào. Sửa các dòng lỗi rồi nhập lại, "
                       "hoặc chọn chỉ nhập các dòng hợp lệ.")
            return ImportResult(kind, preview.file_name, False, 0, 0, 0, len(bad), 0, 0, outcomes, preview,
                                _time.perf_counter() - started, message)
        def write() -> tuple[list[RowOutcome], dict[str, int], int, int, int, int]:
            with self._db.transaction() as s:
                if kind == "establishments":
                    outcomes, extra = self._run_establishments(s, actor, preview, on_duplicate, progress)
                else:
                    outcomes, extra = self._run_proposals(s, actor, preview, on_duplicate, progress)
                progress.check()
                created = sum(1 for o in outcomes if o.action == "created")
                updated = sum(1 for o in outcomes if o.action == "updated")
                skipped = sum(1 for o in outcomes if o.action == "skipped")
                rejected = sum(1 for o in outcomes if o.action == "rejected")
                if rejected and not only_valid:
                    # A row refused only now (an update of a proposal not imported from Excel): all or nothing.
                    raise _NothingWritten(outcomes)
                self._summary(s, actor, kind, preview, created, updated, skipped, rejected, extra)
                if dry_run:
                    raise _DryRunDone(outcomes)
            return outcomes, extra, created, updated, skipped, rejected

        try:
            # Two imports updating the same records in opposite orders deadlock on PostgreSQL: run it again.
            outcomes, extra, created, updated, skipped, rejected = with_retries(write)
        except _DryRunDone as tried:
            bad_rows = [o for o in tried.outcomes if o.action == "rejected"]
            message = ("Chạy thử: chưa ghi gì. " + (f"{format_vnd(len(bad_rows))} dòng sẽ không nhập được."
                                                     if bad_rows else "Mọi dòng đều nhập được."))
            return ImportResult(kind, preview.file_name, False, 0, 0, 0, len(bad_rows), 0, 0, tried.outcomes,
                                preview, _time.perf_counter() - started, message)
        except _NothingWritten as refused:
            bad_rows = [o for o in refused.outcomes if o.action == "rejected"]
            message = (f"Có {format_vnd(len(bad_rows))} dòng không nhập được nên chưa nhập dòng nào. "
                       "Xem lý do từng dòng, hoặc chọn chỉ nhập các dòng hợp lệ.")
            return ImportResult(kind, preview.file_name, False, 0, 0, 0, len(bad_rows), 0, 0, bad_rows, preview,
                                _time.perf_counter() - started, message)
        what = _WHAT[kind]
        message = f"Đã nhập {format_vnd(created)} {what} mới"
        if updated:
            message += f", cập nhật {format_vnd(updated)} {what}"
        if skipped:
            message += f", bỏ qua {format_vnd(skipped)} dòng trùng"
        if rejected:
            message += f", không nhập {format_vnd(rejected)} dòng lỗi"
        if extra["establishments_created"]:
            message += f"; tạo {format_vnd(extra['establishments_created'])} cơ sở thụ hưởng mới"
        if extra["needs_review"]:
            message += f". {format_vnd(extra['needs_review'])} cơ sở cần người xác nhận xã/phường"
        message += "."
        return ImportResult(kind, preview.file_name, True, created, updated, skipped, rejected,
                            extra["establishments_created"], extra["needs_review"], outcomes, preview,
                            _time.perf_counter() - started, message)

    @staticmethod
    def _summary(s: Session, actor: Actor, kind: str, preview: ImportPreview, created: int, updated: int,
                 skipped: int, rejected: int, extra: dict[str, int]) -> None:
        """The one audit entry that says what this import did."""
        summary = (f"tệp “{preview.file_name}” (trang “{preview.sheet}”): tạo {created}, cập nhật {updated}, "
                   f"bỏ qua {skipped} dòng trùng, loại {rejected} dòng lỗi")
        if extra["establishments_created"]:
            summary += f"; tạo {extra['establishments_created']} cơ sở thụ hưởng"
        s.add(AuditEntry(user_id=actor.id, username=actor.username, action=Action.IMPORT.value,
                         entity="establishment" if kind == "establishments" else "proposal", entity_id=None,
                         field="file", old_value=None, new_value=summary))

    # --- establishments ------------------------------------------------------------------------------------------

    def _run_establishments(self, s: Session, actor: Actor, preview: ImportPreview, on_duplicate: str,
                            progress: Progress) -> tuple[list[RowOutcome], dict[str, int]]:
        index = _EstablishmentIndex(s)
        outcomes: list[RowOutcome] = []
        creates: list[_Target] = []
        updates: dict[int, _Target] = {}
        row_target: dict[int, _Target] = {}
        for row in preview.rows:
            if row.status == SKIPPED:
                continue
            data = row.parsed.establishment
            if row.status == ERROR or data is None:
                outcomes.append(RowOutcome(row.row, "rejected", None, row.reason))
                continue
            found = index.find(data)
            if found is not None and on_duplicate == ADD and found[1] == "Trùng mã số thuế":
                # "Add anyway" cannot give a second establishment a tax code: the database keeps it unique.
                outcomes.append(RowOutcome(row.row, "rejected", None,
                                           f"Mã số thuế {data.tax_code} đã thuộc cơ sở “{found[0].name}”; mỗi mã số "
                                           "thuế chỉ thuộc một cơ sở (chọn bỏ qua hoặc cập nhật dòng trùng)."))
                continue
            if found is not None and on_duplicate != ADD:
                target, reason = found
                if on_duplicate == SKIP:
                    where = (f"“{target.name}” đã có (mã {target.existing_id})" if target.existing_id is not None
                             else f"dòng {target.rows[0]} của tệp")
                    outcomes.append(RowOutcome(row.row, "skipped", target.existing_id,
                                               f"{reason} với {where}; bỏ qua."))
                    continue
                first_update = target.existing_id is not None and target.existing_id not in updates
                if first_update:
                    existing = s.get(Establishment, target.existing_id)
                    assert existing is not None
                    base = _input_of(existing)
                else:
                    assert target.data is not None
                    base = target.data
                merged = _merge(base, data)
                try:
                    clean_establishment(merged)  # the merged record must keep every rule, like a typed one
                except ValidationError as exc:
                    outcomes.append(RowOutcome(row.row, "rejected", target.existing_id,
                                               f"Cập nhật “{target.name}” theo dòng này làm hồ sơ sai: {exc.message}"))
                    continue
                if first_update:
                    assert target.existing_id is not None
                    target.action = "update"
                    updates[target.existing_id] = target
                target.data = merged
                target.rows.append(row.row)
                row_target[row.row] = target
                where = "đã có" if target.existing_id is not None else f"tạo từ dòng {target.rows[0]}"
                outcomes.append(RowOutcome(row.row, "updated", target.existing_id,
                                           f"{reason} với “{target.name}” ({where}); đã cập nhật theo dòng này."))
                continue
            target = _Target(None, data.name, data, [row.row], "create")
            creates.append(target)
            index.add(data, target)
            row_target[row.row] = target
            outcomes.append(RowOutcome(row.row, "created", None, "Tạo mới."))
        progress.check()
        now = utcnow()
        total = len(creates) + len(updates)
        done = 0
        for start in range(0, len(creates), _BATCH):
            batch = creates[start:start + _BATCH]
            params = [_row_params(t.data, now) for t in batch if t.data is not None]
            ids = _insert_returning_ids(s, Establishment, params)
            for target, new_id in zip(batch, ids, strict=True):
                target.new_id = new_id
            self._audit_created(s, actor, "establishment", [(t.new_id, t.rows[0]) for t in batch], preview, now)
            done += len(batch)
            progress.check()
            progress.set_progress(done, total, f"Đang ghi: {format_vnd(done)}/{format_vnd(total)} cơ sở")
        for target in updates.values():
            self._update_establishment(s, actor, target, preview)
            done += 1
            if done % 200 == 0:
                progress.check()
                progress.set_progress(done, total, f"Đang ghi: {format_vnd(done)}/{format_vnd(total)} cơ sở")
        outcomes = [replace(o, record_id=row_target[o.row].id) if o.row in row_target else o for o in outcomes]
        needs_review = sum(1 for t in [*creates, *updates.values()] if t.data and t.data.address_needs_review)
        return outcomes, {"establishments_created": 0, "needs_review": needs_review}

    def _update_establishment(self, s: Session, actor: Actor, target: _Target, preview: ImportPreview) -> None:
        e = s.get(Establishment, target.existing_id)
        assert e is not None and target.data is not None
        data, _ = clean_establishment(target.data)
        before = audit.snapshot(e, _EST_FIELDS)
        for name, value in asdict(data).items():
            setattr(e, name, value.value if isinstance(value, LegalForm) else value)
        e.name_folded = fold(data.name)
        e.name_sort = sort_key(data.name)
        s.flush()
        after = audit.snapshot(e, _EST_FIELDS)
        audit.record(s, actor, "import_update", "establishment", e.id, before, after)

    @staticmethod
    def _audit_created(s: Session, actor: Actor, entity: str, created: Sequence[tuple[int | None, int]],
                       preview: ImportPreview, now: Any) -> None:
        entries = [{"at": now, "user_id": actor.id, "username": actor.username, "action": Action.IMPORT.value,
                    "entity": entity, "entity_id": record_id, "field": "",
                    "old_value": None, "new_value": f"Nhập từ Excel: tệp “{preview.file_name}”, dòng {row}"}
                   for record_id, row in created]
        if entries:
            s.execute(insert(_table(AuditEntry)), entries)

    # --- proposals -----------------------------------------------------------------------------------------------

    def _run_proposals(self, s: Session, actor: Actor, preview: ImportPreview, on_duplicate: str,
                       progress: Progress) -> tuple[list[RowOutcome], dict[str, int]]:
        index = _EstablishmentIndex(s)
        proposals = _ProposalIndex(s)
        taken = set(proposals.codes)
        outcomes: dict[int, RowOutcome] = {}
        plans: list[tuple[PreviewRow, ProposalRecord, _Target | None, str, int | None]] = []
        by_key: dict[tuple[str, ...], int] = {}  # duplicate key → position in plans
        new_establishments: list[_Target] = []
        for row in preview.rows:
            if row.status == SKIPPED:
                continue
            record = row.parsed.proposal
            if row.status == ERROR or record is None:
                outcomes[row.row] = RowOutcome(row.row, "rejected", None, row.reason)
                continue
            code = record.data.code
            key = _proposal_key(record)
            existing = proposals.find(record)
            replace_pid: int | None = None
            if existing is not None or key in by_key:
                reason = _duplicate_reason(key)
                if on_duplicate == SKIP:
                    where = (f"đề án “{existing.title}” đã có (mã {existing.code})" if existing is not None
                             else f"dòng {plans[by_key[key]][0].row} của tệp")
                    outcomes[row.row] = RowOutcome(row.row, "skipped", existing.id if existing else None,
                                                   f"{reason} với {where}; bỏ qua.")
                    continue
                if on_duplicate == UPDATE and existing is not None:
                    if not existing.imported:
                        outcomes[row.row] = RowOutcome(row.row, "rejected", existing.id, (
                            f"{reason}: đề án “{existing.title}” (mã {existing.code}) được lập trong chương trình "
                            "(không nhập từ Excel); không ghi đè từ tệp. Hãy chọn bỏ qua hoặc vẫn thêm mới."))
                        continue
                    replace_pid = existing.id
                elif on_duplicate == UPDATE:
                    # The later row of the file wins over the earlier one with the same key.
                    position = by_key[key]
                    earlier = plans[position][0].row
                    plans[position] = (row, record, None, plans[position][3], None)
                    outcomes[earlier] = RowOutcome(earlier, "skipped", None,
                                                   f"{reason}; được thay bằng dòng {row.row} của tệp.")
                    self._plan_beneficiary(plans, position, index, new_establishments)
                    continue
                elif key[0] == "code":
                    code = ""  # "add anyway": the copy gets a new code
            plans.append((row, record, None, code, replace_pid))
            by_key.setdefault(key, len(plans) - 1)
            if code:
                taken.add(code)
            self._plan_beneficiary(plans, len(plans) - 1, index, new_establishments)
        progress.check()
        now = utcnow()
        # Beneficiaries first (bulk), so the proposals can point at them.
        for start in range(0, len(new_establishments), _BATCH):
            batch = new_establishments[start:start + _BATCH]
            params = [_row_params(t.data, now) for t in batch if t.data is not None]
            ids = _insert_returning_ids(s, Establishment, params)
            for created, new_id in zip(batch, ids, strict=True):
                created.new_id = new_id
            self._audit_created(s, actor, "establishment", [(t.new_id, t.rows[0]) for t in batch], preview, now)
            progress.check()
        done = 0
        for start in range(0, len(plans), _BATCH):
            chunk = plans[start:start + _BATCH]
            fresh = [p for p in chunk if p[4] is None]
            for row, record, beneficiary, _code, update_id in chunk:
                if update_id is not None:
                    self._update_proposal(s, actor, update_id, row, record, beneficiary, preview)
                    outcomes[row.row] = RowOutcome(row.row, "updated", update_id,
                                                   "Đã cập nhật đề án nhập trước đây.")
            codes = []
            for _row, record, _target, code, _pid in fresh:
                if not code:
                    code = proposal_code(s, record.data.scope, record.data.year)
                    while code in taken:
                        code = proposal_code(s, record.data.scope, record.data.year)
                    taken.add(code)
                codes.append(code)
            params = [self._proposal_params(record, code, actor, now)
                      for (row, record, _t, _c, _p), code in zip(fresh, codes, strict=True)]
            ids = _insert_returning_ids(s, Proposal, params)
            lines, beneficiaries, changes, entries = [], [], [], []
            for (row, record, beneficiary, _given, _pid), new_pid, code in zip(fresh, ids, codes, strict=True):
                lines.append(self._line_params(new_pid, record))
                if beneficiary is not None and beneficiary.id is not None:
                    beneficiaries.append({"proposal_id": new_pid, "establishment_id": beneficiary.id, "position": 0})
                changes.append({"proposal_id": new_pid, "action": Action.IMPORT.value, "from_status": None,
                                "to_status": record.status.value, "user_id": actor.id, "at": now,
                                "note": f"Nhập từ Excel ({preview.file_name}, dòng {row.row})",
                                "document_number": "", "document_date": None})
                entries.append((new_pid, row.row))
                text = "Tạo mới" + (f" với mã {code}" if code != record.data.code else "")
                if beneficiary is not None:
                    text += f"; cơ sở thụ hưởng “{beneficiary.name}”"
                outcomes[row.row] = RowOutcome(row.row, "created", new_pid, text + ".")
            if lines:
                s.execute(insert(_table(BudgetLine)), lines)
            if beneficiaries:
                s.execute(insert(_table(ProposalBeneficiary)), beneficiaries)
            if changes:
                s.execute(insert(_table(StatusChange)), changes)
            self._audit_created(s, actor, "proposal", entries, preview, now)
            done += len(chunk)
            progress.check()
            progress.set_progress(done, len(plans), f"Đang ghi: {format_vnd(done)}/{format_vnd(len(plans))} đề án")
        needs_review = sum(1 for t in new_establishments if t.data and t.data.address_needs_review)
        ordered = [outcomes[r] for r in sorted(outcomes)]
        return ordered, {"establishments_created": len(new_establishments), "needs_review": needs_review}

    @staticmethod
    def _plan_beneficiary(plans: list[tuple[PreviewRow, ProposalRecord, _Target | None, str, int | None]],
                          position: int, index: _EstablishmentIndex, new_establishments: list[_Target]) -> None:
        row, record, _, code, pid = plans[position]
        probe = record.establishment
        if probe is None and record.tax_code:
            probe = EstablishmentInput(name="", legal_form=LegalForm.HOUSEHOLD, tax_code=record.tax_code)
        target: _Target | None = None
        if probe is not None:
            found = index.find(probe)
            if found is not None:
                target = found[0]
            elif record.establishment is not None:
                data, _ = clean_establishment(record.establishment)
                target = _Target(None, data.name, data, [row.row], "create")
                index.add(data, target)
                new_establishments.append(target)
        plans[position] = (row, record, target, code, pid)

    @staticmethod
    def _proposal_params(record: ProposalRecord, code: str, actor: Actor, now: Any) -> dict[str, Any]:
        data = clean_input(record.data)
        values = {f: getattr(data, f) for f in _PROPOSAL_FIELDS}
        values["scope"], values["form"] = data.scope.value, data.form.value
        values.update(code=code, title_folded=fold(data.title), title_sort=sort_key(data.title),
                      status=record.status.value,
                      approved_support_vnd=record.approved_support_vnd, approved_on=None, approval_number="",
                      imported=True, created_by=actor.id, version=1, created_at=now, updated_at=now)
        return values

    @staticmethod
    def _line_params(proposal_id: int, record: ProposalRecord) -> dict[str, Any]:
        return {"proposal_id": proposal_id, "position": 1, "item": BUDGET_ITEM, "unit": "đề án",
                "quantity": Decimal(1), "unit_price_vnd": record.total_vnd, "support_vnd": record.support_vnd,
                "counterpart_vnd": record.counterpart_vnd, "other_vnd": record.other_vnd}

    def _update_proposal(self, s: Session, actor: Actor, pid: int, row: PreviewRow, record: ProposalRecord,
                         target: _Target | None, preview: ImportPreview) -> None:
        p = s.get(Proposal, pid)
        assert p is not None
        data = clean_input(record.data)
        fields = list(_PROPOSAL_FIELDS)
        before = {**audit.snapshot(p, tuple(fields)), "status": p.status,
                  "approved_support_vnd": p.approved_support_vnd,
                  "total_vnd": sum(x.support_vnd + x.counterpart_vnd + x.other_vnd for x in p.lines),
                  "support_vnd": sum(x.support_vnd for x in p.lines)}
        for f in fields:
            value = getattr(data, f)
            setattr(p, f, value.value if isinstance(value, Scope | ProposalForm) else value)
        p.title_folded = fold(data.title)
        p.title_sort = sort_key(data.title)
        old_status = p.status
        p.status = record.status.value
        p.approved_support_vnd = record.approved_support_vnd
        s.execute(delete(BudgetLine).where(BudgetLine.proposal_id == pid))
        s.execute(delete(ProposalBeneficiary).where(ProposalBeneficiary.proposal_id == pid))
        s.flush()
        s.expire(p, ["lines", "beneficiaries"])
        s.execute(insert(_table(BudgetLine)), [self._line_params(pid, record)])
        if target is not None and target.id is not None:
            s.execute(insert(_table(ProposalBeneficiary)), [{"proposal_id": pid, "establishment_id": target.id,
                                                     "position": 0}])
        if old_status != p.status:
            s.add(StatusChange(proposal_id=pid, action=Action.IMPORT.value, from_status=old_status,
                               to_status=p.status, user_id=actor.id,
                               note=f"Cập nhật từ Excel ({preview.file_name}, dòng {row.row})"))
        s.flush()
        after = {**audit.snapshot(p, tuple(fields)), "status": p.status,
                 "approved_support_vnd": p.approved_support_vnd, "total_vnd": record.total_vnd,
                 "support_vnd": record.support_vnd}
        audit.record(s, actor, "import_update", "proposal", pid, before, after)

    # --- files ---------------------------------------------------------------------------------------------------

    @staticmethod
    def rejected_rows(source: ImportPreview | ImportResult) -> list[tuple[int, tuple[object, ...], str]]:
        """The rows not imported, with the reason: the preview's bad rows, or the result's rejected and skipped
        rows."""
        if isinstance(source, ImportPreview):
            return [(r.row, r.values, r.reason) for r in source.rows if r.status == ERROR]
        values = {r.row: r.values for r in source.preview.rows}
        return [(o.row, values.get(o.row, ()), o.text) for o in source.outcomes
                if o.action in ("rejected", "skipped")]

    def write_rejected(self, source: ImportPreview | ImportResult, path: str | Path) -> int:
        """Write the rows that were (or would be) left out, with a "Lý do bị loại" column; returns how many.

        Raises:
            UserError: the file cannot be written.
        """
        preview = source if isinstance(source, ImportPreview) else source.preview
        return write_rejected_rows(path, preview.labels, self.rejected_rows(source))

    def write_template(self, kind: str, path: str | Path) -> Path:
        """Write the empty import template of ``kind`` (header, instructions, drop-down lists) to ``path``.

        Raises:
            UserError: the file cannot be written.
        """
        if kind not in KINDS:
            raise ValidationError(f"Loại mẫu “{kind}” không hợp lệ (establishments hoặc proposals).", field="kind")
        reference = ReferenceService(self._db)
        provinces = {p.code: p.name for p in reference.provinces()}
        communes = sorted(reference.communes(), key=lambda c: (sort_key(provinces.get(c.parent or "", "")),
                                                               sort_key(c.name)))
        lists = {
            "legal_form": [f.label for f in LegalForm],
            "sector": [x.name for x in reference.sectors()],
            "province": [p.name for p in reference.provinces()],
            "commune": [c.name for c in communes],
            "scope": [Scope.NATIONAL.short, Scope.LOCAL.short],
            "content": [c.name for c in reference.contents() if c.parent is not None or not any(
                x.parent == c.code for x in reference.contents())],
            "form": [f.label for f in ProposalForm],
            "status": [st.label for st in Status],
        }
        _write_template(path, kind, lists)
        return Path(path)

