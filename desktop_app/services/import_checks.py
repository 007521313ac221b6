"""An import's first step: who may import what, reading the file and checking every row against the
reference lists and the database (nothing written)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.budget import BudgetTotals, check_cap, rule_date, select_rule
from desktop_app.domain.enums import LegalForm
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.vietnamese import fold, format_vnd
from desktop_app.importers.columns import KINDS
from desktop_app.importers.reader import read_table
from desktop_app.importers.rows import ERROR, OK, WARNING, Catalogue, ParsedRow, ProposalRecord, RowParser, RowProblem
from desktop_app.progress import NO_PROGRESS, Progress
from desktop_app.services.auth import Actor, require_role
from desktop_app.services.dto import EstablishmentInput
from desktop_app.services.establishments import clean_establishment
from desktop_app.services.import_rows import (
    DUPLICATE,
    ESTABLISHMENT_ROLES,
    FIELD_COLUMNS,
    PROPOSAL_ROLES,
    DuplicateOf,
    EstablishmentIndex,
    ImportPreview,
    PreviewRow,
    ProposalIndex,
    Target,
    duplicate_reason,
    proposal_key,
)
from desktop_app.services.proposals import clean_input
from desktop_app.services.reference import ReferenceService, rule_data
from desktop_app.store.database import Database
from desktop_app.store.models import Content, SupportRule


class ImportChecks:
    """Permissions and the preview of an import file (part of :class:`~desktop_app.services.imports.ImportService`)."""

    _db: Database

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
            self._reject(row, parser.label(FIELD_COLUMNS.get(exc.field or "", "name")), exc.message)
            return None

    def _check_establishments(self, s: Session, rows: list[PreviewRow], parser: RowParser) -> None:
        index = EstablishmentIndex(s)
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
                index.add(cleaned, Target(None, cleaned.name, cleaned, [row.row], "create"))
            if cleaned.address_needs_review:
                row.note = " ".join(t for t in (row.note, "Địa chỉ cần người xác nhận xã/phường sau khi nhập.") if t)

    def _rules(self, s: Session) -> tuple[list[Any], dict[str, str | None]]:
        rules = [rule_data(r) for r in s.scalars(select(SupportRule))]
        parents = {code: parent for code, parent in s.execute(select(Content.code, Content.parent_code))}
        return rules, parents

    def _check_proposals(self, s: Session, rows: list[PreviewRow], parser: RowParser) -> None:
        index = EstablishmentIndex(s)
        proposals = ProposalIndex(s)
        in_file: dict[tuple[str, ...], int] = {}
        rules, parents = self._rules(s)
        for row in rows:
            record = row.parsed.proposal
            if row.status != OK or record is None:
                continue
            try:
                clean_input(record.data)
            except ValidationError as exc:
                self._reject(row, parser.label(FIELD_COLUMNS.get(exc.field or "", "title")), exc.message)
                continue
            note = self._beneficiary_note(row, record, index, parser)
            if row.status == ERROR:
                continue
            row.note = " ".join(t for t in (note, row.note) if t)
            self._cap_warning(row, record, rules, parents, parser)
            key = proposal_key(record)
            existing = proposals.find(record)
            if existing is not None:
                row.duplicate = DuplicateOf(duplicate_reason(key), existing.id, existing.title,
                                            imported=existing.imported)
                row.status = DUPLICATE
            elif key in in_file:
                row.duplicate = DuplicateOf(duplicate_reason(key), row=in_file[key])
                row.status = DUPLICATE
            else:
                in_file[key] = row.row

    def _beneficiary_note(self, row: PreviewRow, record: ProposalRecord, index: EstablishmentIndex,
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
        index.add(cleaned, Target(None, cleaned.name, cleaned, [row.row], "create"))
        form = "" if record.legal_form_given else f", loại hình suy ra “{cleaned.legal_form.label}”"
        return f"Sẽ tạo cơ sở thụ hưởng mới “{cleaned.name}”{form}."

    def _cap_warning(self, row: PreviewRow, record: ProposalRecord, rules: list[Any], parents: dict[str, str | None],
                     parser: RowParser) -> None:
        data = record.data
        on = rule_date(data.start_date, data.year)
        rule = select_rule(rules, data.content_code, data.scope, data.province_code, on,
                           parents.get(data.content_code))
        cap = check_cap(rule, BudgetTotals(record.total_vnd, record.support_vnd, record.counterpart_vnd,
                                           record.other_vnd), record.support_vnd)
        if rule is not None and not cap.ok:
            row.problems.append(RowProblem(row.row, parser.label("support"), cap.message, WARNING))
