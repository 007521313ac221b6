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

:class:`ImportService` is the one door; its parts live beside it: the checks of a preview in
:mod:`.import_checks`, the writes in :mod:`.import_writes`, and the rows, results and duplicate indexes they share in
:mod:`.import_rows`.
"""

from __future__ import annotations

import time as _time
from pathlib import Path

from sqlalchemy.orm import Session

from desktop_app.domain.enums import Action, LegalForm, ProposalForm, Scope, Status
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.vietnamese import format_vnd, sort_key
from desktop_app.importers.columns import KINDS
from desktop_app.importers.rows import ERROR
from desktop_app.importers.rows import RowProblem as RowProblem
from desktop_app.importers.writer import write_rejected_rows
from desktop_app.importers.writer import write_template as _write_template
from desktop_app.progress import NO_PROGRESS, Progress
from desktop_app.services.auth import Actor
from desktop_app.services.import_checks import ImportChecks
from desktop_app.services.import_rows import (
    BUDGET_ITEM,
    DUPLICATE,
    ON_DUPLICATE,
    SKIP,
    WHAT,
    ImportPreview,
    ImportResult,
    PreviewRow,
    RowOutcome,
)
from desktop_app.services.import_writes import ImportWrites
from desktop_app.services.reference import ReferenceService
from desktop_app.store.database import Database, with_retries
from desktop_app.store.models import AuditEntry

__all__ = ["BUDGET_ITEM", "DUPLICATE", "ImportPreview", "ImportResult", "ImportService", "PreviewRow", "RowOutcome",
           "RowProblem"]


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


class ImportService(ImportChecks, ImportWrites):
    """Use cases: preview an import file, import it in one transaction, write the rejected rows, write a template."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
        what = WHAT[kind]
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

