"""The dự toán grid's model: the lines with their typed and suggested figures, the undo stack, pasting and
copying blocks, and the support rule in force. :mod:`.budget_grid` is its view and the tab's widget.

The support share of a line is a *suggestion* until the user types over it: the rest of the line (thành tiền −
đối ứng − nguồn khác), or, when a "Tỷ lệ hỗ trợ" is chosen, that share of thành tiền — in both cases never above
the support rule in force (``SupportRule``: its percentage, and its cap for the whole proposal). With a percentage
chosen, the counterpart (đối ứng) not typed is a suggestion too: the rest of the line (thành tiền − khuyến công −
nguồn khác), so typing only quantity and unit price gives a line that adds up. A suggestion is painted grey
italic; a typed value is the user's own; clearing the cell returns to the suggestion. What is saved is what is
shown; the chosen percentage is saved with the proposal, and a reopened proposal shows again as suggestions the
figures that equal them.

Every change goes through the model's ``QUndoStack``: one typed cell, one pasted block, one inserted or deleted
set of lines is one step of Ctrl+Z / Ctrl+Y.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QUndoCommand, QUndoStack

from desktop_app.domain.budget import BudgetLineInput, SupportRule, select_rule
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import share_of
from desktop_app.importers.errors import CellValueError
from desktop_app.importers.values import parse_amount
from desktop_app.services.context import Services
from desktop_app.services.dto import BudgetLineView
from desktop_app.ui.proposals.models import (
    BudgetLinesModel,
    EditableLine,
    Index,
    parse_quantity,
)
from desktop_app.ui.style import DISABLED_TEXT

SUGGESTION_COLOR = DISABLED_TEXT  # a suggestion reads as not yet typed
#: a quantity in Vietnamese notation: dots between thousands (in groups of three), a comma before the decimals
_QUANTITY_TEXT = re.compile(r"(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?")
_MAX_TEXT = {BudgetLinesModel.COL_ITEM: 500, BudgetLinesModel.COL_UNIT: 50}
#: the grid's short column names in messages ("Dòng 3, cột «Đối ứng»: …")
COLUMN_NAMES = {
    BudgetLinesModel.COL_ITEM: "Nội dung chi", BudgetLinesModel.COL_UNIT: "Đơn vị tính",
    BudgetLinesModel.COL_QUANTITY: "Số lượng", BudgetLinesModel.COL_UNIT_PRICE: "Đơn giá",
    BudgetLinesModel.COL_AMOUNT: "Thành tiền", BudgetLinesModel.COL_SUPPORT: "Khuyến công",
    BudgetLinesModel.COL_COUNTERPART: "Đối ứng", BudgetLinesModel.COL_OTHER: "Nguồn khác",
    BudgetLinesModel.COL_APPROVED: "Khuyến công được duyệt",
}
#: columns whose value is computed or decided elsewhere: never typed, skipped by Tab and Enter, ignored in a paste
COMPUTED_COLUMNS = frozenset({BudgetLinesModel.COL_AMOUNT, BudgetLinesModel.COL_APPROVED})


def parse_cell(column: int, text: str) -> Any:
    """The value typed or pasted into ``column`` (``None`` in the support or counterpart column means "the
    suggestion"; a counterpart not typed is 0 while no percentage is chosen).

    Raises:
        ValidationError: the text is not a value of the column (the reason, without the cell's name).
    """
    text = text.strip()
    if column in (BudgetLinesModel.COL_ITEM, BudgetLinesModel.COL_UNIT):
        value = " ".join(text.split())
        if len(value) > _MAX_TEXT[column]:
            raise ValidationError(f"dài quá {_MAX_TEXT[column]} ký tự.")
        return value
    if column == BudgetLinesModel.COL_QUANTITY:
        compact = text.replace(" ", "").replace("\u00a0", "")
        if not compact:
            return Decimal(0)
        quantity = parse_quantity(compact) if _QUANTITY_TEXT.fullmatch(compact) else None
        if quantity is None:
            raise ValidationError(f"“{text}” không phải là số lượng (phần thập phân sau dấu phẩy, ví dụ 1,5).")
        return quantity
    if column in SUGGESTED_COLUMNS and not text:
        return None
    try:
        amount = parse_amount(text)
    except CellValueError as exc:
        raise ValidationError(exc.message) from exc
    return amount or 0


def cell_name(row: int, column: int) -> str:
    return f"Dòng {row + 1}, cột «{COLUMN_NAMES[column]}»"


def read_clipboard_block(text: str) -> list[list[str]]:
    """Tab-separated lines as Excel and LibreOffice put them on the clipboard (``\\r\\n`` or ``\\n``, a last
    newline, cells with a line break or a tab quoted)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    return [row for row in csv.reader(io.StringIO(text), delimiter="\t", strict=False)] or [[""]]


def write_clipboard_block(rows: Sequence[Sequence[str]]) -> str:
    """Cells as tab-separated lines ending in ``\\r\\n`` (what Excel puts there); a cell with a tab, a line break
    or a leading quote is quoted."""
    def cell(value: str) -> str:
        if any(ch in value for ch in "\t\r\n") or value.startswith('"'):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "".join("\t".join(cell(v) for v in row) + "\r\n" for row in rows)


# --- the model ----------------------------------------------------------------------------------------------------

@dataclass
class GridLine(EditableLine):
    """A budget line as typed; ``support_typed`` is ``None`` while the support share is the suggestion, and
    ``counterpart_typed`` while no counterpart was typed (the suggestion with a percentage chosen, else 0)."""

    support_typed: int | None = None
    suggested: bool = False
    counterpart_typed: int | None = None
    counterpart_suggested: bool = False

    def copy(self) -> GridLine:
        return replace(self)


@dataclass(frozen=True)
class _Stored:
    """A line as it was before an insert or a delete (for undo)."""

    line: GridLine
    approved: int | None


_TYPED_ATTRS = {**BudgetLinesModel._ATTRS, BudgetLinesModel.COL_SUPPORT: "support_typed",
                BudgetLinesModel.COL_COUNTERPART: "counterpart_typed"}
#: the columns whose empty cell means "the suggestion"
SUGGESTED_COLUMNS = (BudgetLinesModel.COL_SUPPORT, BudgetLinesModel.COL_COUNTERPART)


class BudgetGridModel(BudgetLinesModel):
    """The budget lines with suggested support shares and an undo stack.

    Every change a user makes (``setData``, ``insert_line``, ``remove_line``, ``remove_lines``, ``paste``,
    ``clear_cells``) is a command on ``undo_stack``; ``set_lines`` (loading) starts a fresh history.
    """

    cell_refused = Signal(str)
    read_only_changed = Signal(bool)

    def __init__(self, parent: Any = None, rule: Callable[[], SupportRule | None] | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._rule_source = rule
        self._rule: SupportRule | None = None
        self._percent: Decimal | None = None

    def set_read_only(self, value: bool) -> None:
        super().set_read_only(value)
        if value:
            self.undo_stack.clear()  # nothing to undo in a proposal that may not be changed
        self.read_only_changed.emit(value)

    # --- suggestions -------------------------------------------------------------------------------------------

    @property
    def percent(self) -> Decimal | None:
        return self._percent

    @property
    def rule(self) -> SupportRule | None:
        return self._rule

    def effective_percent(self) -> Decimal | None:
        """The chosen share, never above the rule's percentage."""
        if self._percent is None:
            return None
        if self._rule is not None:
            return min(self._percent, self._rule.max_percent)
        return self._percent

    def set_percent(self, percent: Decimal | int | None) -> None:
        """The support share of each line's thành tiền (``None``: the rest of the line)."""
        self._percent = Decimal(percent) if percent else None
        self._refresh()

    def refresh_rule(self) -> None:
        """Ask again for the rule in force (the content, scope, place or date changed)."""
        self._refresh()

    def _lines_typed(self) -> list[GridLine]:
        return self._lines  # type: ignore[return-value]

    def _compute(self) -> None:
        """Each visible support share: the typed one, or the suggestion within the rule's room; then, with a
        percentage chosen, each counterpart not typed: the rest of the line."""
        self._rule = self._rule_source() if self._rule_source is not None else None
        lines = self._lines_typed()
        percent = self.effective_percent()
        allowed = self._rule.allowed_support(sum(x.amount_vnd for x in lines)) if self._rule else None
        used = sum(x.support_typed for x in lines if x.support_typed is not None)
        for line in lines:
            line.suggested = line.support_typed is None
            if percent is None or line.counterpart_typed is not None:
                line.counterpart_vnd = line.counterpart_typed or 0
            if line.support_typed is not None:
                line.support_vnd = line.support_typed
            else:
                amount = line.amount_vnd
                base = share_of(amount, percent) if percent is not None else \
                    amount - line.counterpart_vnd - line.other_vnd
                if allowed is not None:
                    base = min(base, allowed - used)
                line.support_vnd = max(base, 0)
                used += line.support_vnd
            line.counterpart_suggested = percent is not None and line.counterpart_typed is None
            if line.counterpart_suggested:
                line.counterpart_vnd = max(line.amount_vnd - line.support_vnd - line.other_vnd, 0)

    def _shown(self) -> list[tuple[int, int, bool]]:
        return [(x.support_vnd, x.counterpart_vnd, x.counterpart_suggested) for x in self._lines_typed()]

    def _refresh(self) -> None:
        """Recompute the suggestions; say so when a shown value changed."""
        before = self._shown()
        self._compute()
        if self._shown() != before and self._lines:
            self.dataChanged.emit(self.index(0, self.COL_SUPPORT),
                                  self.index(len(self._lines), self.COL_COUNTERPART))
            self._totals_changed()

    def suggestion(self, row: int) -> bool:
        """Whether the support share of line ``row`` is the suggestion (not typed)."""
        return 0 <= row < len(self._lines) and self._lines_typed()[row].suggested

    def counterpart_suggestion(self, row: int) -> bool:
        """Whether the counterpart of line ``row`` is the suggestion (a percentage chosen, no counterpart typed)."""
        return 0 <= row < len(self._lines) and self._lines_typed()[row].counterpart_suggested

    # --- content -----------------------------------------------------------------------------------------------

    def set_lines(self, lines: Sequence[BudgetLineView | BudgetLineInput]) -> None:
        """Show ``lines`` as stored; a support share or a counterpart that equals its suggestion (the percentage
        chosen, set before, counts) is shown as one."""
        self.beginResetModel()
        self._lines = [GridLine(x.item, x.unit, Decimal(x.quantity), x.unit_price_vnd, x.support_vnd,
                                x.counterpart_vnd, x.other_vnd, support_typed=x.support_vnd,
                                counterpart_typed=x.counterpart_vnd) for x in lines]
        self._approved = [x.approved.support_vnd if isinstance(x, BudgetLineView) and x.approved else None
                          for x in lines]
        stored = [(x.support_vnd, x.counterpart_vnd) for x in lines]
        typed = self._lines_typed()

        def same() -> bool:
            return [(x.support_vnd, x.counterpart_vnd) for x in typed] == stored

        for row, line in enumerate(typed):
            for attr, value in (("support_typed", stored[row][0]), ("counterpart_typed", stored[row][1])):
                setattr(line, attr, None)
                self._compute()
                if not same():
                    setattr(line, attr, value)
        self._compute()
        if not same():  # never show other figures than the stored ones
            for line, (support, counterpart) in zip(typed, stored, strict=True):
                line.support_typed, line.counterpart_typed = support, counterpart
            self._compute()
        self.endResetModel()
        self.undo_stack.clear()
        self.lines_changed.emit()

    def line(self, row: int) -> GridLine:
        return self._lines_typed()[row]

    def insert_line(self, row: int | None = None) -> int:
        """Insert an empty line (at the end by default), as one undo step; returns its row."""
        row = len(self._lines) if row is None else max(0, min(row, len(self._lines)))
        if not self._read_only:
            self.undo_stack.push(_LinesCommand(self, "Thêm dòng", insert={row: _Stored(GridLine(), None)}))
        return row

    def remove_line(self, row: int) -> None:
        self.remove_lines([row])

    def remove_lines(self, rows: Iterable[int]) -> None:
        """Delete lines ``rows`` (the totals row is never deleted), as one undo step."""
        wanted = sorted({r for r in rows if 0 <= r < len(self._lines)})
        if self._read_only or not wanted:
            return
        stored = {r: _Stored(self.line(r).copy(), self._approved[r] if r < len(self._approved) else None)
                  for r in wanted}
        label = "Xóa dòng" if len(wanted) == 1 else f"Xóa {len(wanted)} dòng"
        self.undo_stack.push(_LinesCommand(self, label, remove=stored))

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        row, column = index.row(), index.column()
        if (isinstance(value, Decimal) and column == self.COL_QUANTITY) or \
                (isinstance(value, int) and not isinstance(value, bool) and column in self.MONEY_COLUMNS):
            new: Any = value
        else:
            try:
                new = parse_cell(column, "" if value is None else str(value))
            except ValidationError as exc:
                self.cell_refused.emit(f"{cell_name(row, column)}: {exc.message}")
                return False
        if self._typed(row, column) == new:
            return True
        self.undo_stack.push(_CellsCommand(self, f"Sửa ô {cell_name(row, column)}",
                                           [(row, column, self._typed(row, column), new)]))
        return True

    def paste(self, top: int, columns: Sequence[int], block: Sequence[Sequence[str]]) -> int:
        """Put a pasted block at line ``top``, its cells in ``columns`` (the grid's shown columns from the current
        one); lines beyond the last are added. All or nothing, as one undo step; returns the cells changed.

        Raises:
            ValidationError: a value that does not fit its cell, named "Dòng 3, cột «Đối ứng»: …".
        """
        if self._read_only:
            raise ValidationError("Đề án đang ở chế độ chỉ xem; không dán được vào dự toán.")
        top = max(0, min(top, len(self._lines)))
        width = max((len(r) for r in block), default=0)
        if width > len(columns) and any(v.strip() for r in block for v in r[len(columns):]):
            raise ValidationError(f"Khối dán có {width} cột, nhiều hơn {len(columns)} cột còn lại của bảng "
                                  f"tính từ cột «{COLUMN_NAMES[columns[0]]}».")
        changes: list[tuple[int, int, Any, Any]] = []
        added = 0
        for offset, cells in enumerate(block):
            row = top + offset
            if row >= len(self._lines):
                added += 1
            for column, text in zip(columns, cells, strict=False):
                if column in COMPUTED_COLUMNS:
                    continue
                try:
                    new = parse_cell(column, text)
                except ValidationError as exc:
                    raise ValidationError(f"{cell_name(row, column)}: {exc.message}") from exc
                old = self._typed(row, column) if row < len(self._lines) else _TYPED_DEFAULT[column]
                if old != new:
                    changes.append((row, column, old, new))
        if not changes and not added:
            return 0
        rows = len(block)
        label = f"Dán {rows} dòng" if rows > 1 else "Dán"
        self.undo_stack.push(_CellsCommand(self, label, changes, added_rows=added))
        return len(changes)

    def fill(self, indexes: Iterable[QModelIndex], text: str) -> int:
        """One copied value pasted over several selected cells (as Excel does), as one undo step.

        Raises:
            ValidationError: the value does not fit one of the cells (named).
        """
        if self._read_only:
            raise ValidationError("Đề án đang ở chế độ chỉ xem; không dán được vào dự toán.")
        changes = []
        for index in sorted(indexes, key=lambda i: (i.row(), i.column())):
            row, column = index.row(), index.column()
            if not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
                continue
            try:
                new = parse_cell(column, text)
            except ValidationError as exc:
                raise ValidationError(f"{cell_name(row, column)}: {exc.message}") from exc
            if self._typed(row, column) != new:
                changes.append((row, column, self._typed(row, column), new))
        if changes:
            self.undo_stack.push(_CellsCommand(self, f"Dán vào {len(changes)} ô", changes))
        return len(changes)

    def clear_cells(self, indexes: Iterable[QModelIndex]) -> int:
        """Delete key: empty the typed cells (a support share returns to its suggestion), as one undo step."""
        changes = []
        for index in indexes:
            row, column = index.row(), index.column()
            if not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
                continue
            new = parse_cell(column, "")
            if self._typed(row, column) != new:
                changes.append((row, column, self._typed(row, column), new))
        if changes:
            self.undo_stack.push(_CellsCommand(self, "Xóa nội dung ô", changes))
        return len(changes)

    def copy_text(self, rows: Sequence[int], columns: Sequence[int]) -> str:
        """The cells as Excel takes them: tab-separated, numbers as shown (1.234.567; 1,5)."""
        return write_clipboard_block([[self._text(self._lines[r], c) if c != self.COL_APPROVED else
                                       self._approved_text(r) for c in columns]
                                      for r in rows if 0 <= r < len(self._lines)])

    # --- applying (the commands call these) -----------------------------------------------------------------------

    def _typed(self, row: int, column: int) -> Any:
        return getattr(self.line(row), _TYPED_ATTRS[column])

    def _apply_cells(self, values: Sequence[tuple[int, int, Any]]) -> None:
        for row, column, value in values:
            setattr(self.line(row), _TYPED_ATTRS[column], value)
        self._compute()
        if values:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._lines), self.columnCount() - 1))
        self._totals_changed()

    def _insert_stored(self, stored: dict[int, _Stored]) -> None:
        for row in sorted(stored):
            self.beginInsertRows(QModelIndex(), row, row)
            self._lines.insert(row, stored[row].line.copy())
            while len(self._approved) < row:
                self._approved.append(None)
            self._approved.insert(row, stored[row].approved)
            self.endInsertRows()
        self._after_rows_changed()

    def _remove_rows(self, rows: Iterable[int]) -> None:
        for row in sorted(rows, reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._lines[row]
            if row < len(self._approved):
                del self._approved[row]
            self.endRemoveRows()
        self._after_rows_changed()

    def _after_rows_changed(self) -> None:
        self._compute()
        if self._lines:
            self.dataChanged.emit(self.index(0, self.COL_SUPPORT), self.index(len(self._lines), self.COL_SUPPORT))
        self._totals_changed()

    # --- Qt model ----------------------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A read-only budget holds recorded figures, not suggestions: drawn like any other number.
        if index.isValid() and not self._read_only and (
                (index.column() == self.COL_SUPPORT and self.suggestion(index.row())) or
                (index.column() == self.COL_COUNTERPART and self.counterpart_suggestion(index.row()))):
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.ForegroundRole and self.problem(index.row()) is None:
                return QBrush(SUGGESTION_COLOR)
            if role == Qt.ItemDataRole.ToolTipRole and self.problem(index.row()) is None:
                return (self.suggestion_tooltip() if index.column() == self.COL_SUPPORT else
                        self.counterpart_tooltip())
        return super().data(index, role)

    @staticmethod
    def counterpart_tooltip() -> str:
        return ("Đề xuất tự tính: thành tiền − khuyến công − nguồn khác (phần cơ sở tự chi). Gõ số để thay bằng số "
                "của bạn; xóa ô (Delete) để trở lại đề xuất.")

    def suggestion_tooltip(self) -> str:
        percent = self.effective_percent()
        how = (f"{percent_text(percent)}% thành tiền" if percent is not None else
               "thành tiền − đối ứng − nguồn khác")
        rule = f"; không vượt mức hỗ trợ tối đa ({self._rule.describe()})" if self._rule is not None else ""
        return (f"Đề xuất tự tính: {how}{rule}. Gõ số để thay bằng số của bạn; xóa ô (Delete) để trở lại "
                "đề xuất.")


_TYPED_DEFAULT: dict[int, Any] = {
    BudgetLinesModel.COL_ITEM: "", BudgetLinesModel.COL_UNIT: "", BudgetLinesModel.COL_QUANTITY: Decimal(1),
    BudgetLinesModel.COL_UNIT_PRICE: 0, BudgetLinesModel.COL_SUPPORT: None, BudgetLinesModel.COL_COUNTERPART: None,
    BudgetLinesModel.COL_OTHER: 0,
}


def percent_text(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


class _CellsCommand(QUndoCommand):
    """Cells changed at once (one typed cell, a pasted block, cleared cells); a paste may add lines at the end."""

    def __init__(self, model: BudgetGridModel, text: str, changes: Sequence[tuple[int, int, Any, Any]],
                 added_rows: int = 0) -> None:
        super().__init__(text)
        self.model, self.changes, self.added_rows = model, list(changes), added_rows

    def redo(self) -> None:
        if self.added_rows:
            end = self.model.line_count()
            self.model._insert_stored({end + i: _Stored(GridLine(), None) for i in range(self.added_rows)})
        self.model._apply_cells([(r, c, new) for r, c, _old, new in self.changes])

    def undo(self) -> None:
        self.model._apply_cells([(r, c, old) for r, c, old, _new in reversed(self.changes)])
        if self.added_rows:
            end = self.model.line_count()
            self.model._remove_rows(range(end - self.added_rows, end))


class _LinesCommand(QUndoCommand):
    """Lines inserted or deleted (with what they held, so undo puts them back as they were)."""

    def __init__(self, model: BudgetGridModel, text: str, insert: dict[int, _Stored] | None = None,
                 remove: dict[int, _Stored] | None = None) -> None:
        super().__init__(text)
        self.model, self.insert, self.remove = model, insert or {}, remove or {}

    def redo(self) -> None:
        if self.insert:
            self.model._insert_stored(self.insert)
        if self.remove:
            self.model._remove_rows(self.remove)

    def undo(self) -> None:
        if self.remove:
            self.model._insert_stored(self.remove)
        if self.insert:
            self.model._remove_rows(self.insert)


# --- the rule in force --------------------------------------------------------------------------------------------

class RuleSource:
    """The support rule for the proposal being edited, chosen by ``select_rule`` from the catalogue (read once)."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._rules: list[SupportRule] | None = None
        self._parents: dict[str, str | None] = {}

    def rule(self, content_code: str | None, scope: Any, province_code: str | None, on: date) -> SupportRule | None:
        if not content_code:
            return None
        if self._rules is None:
            ref = self._services.reference
            self._rules = [SupportRule(r.id, r.content_code, r.scope, r.province_code, r.max_percent, r.cap_vnd,
                                       r.unit, r.legal_basis, r.valid_from, r.valid_to)
                           for r in ref.support_rules()]
            self._parents = {c.code: c.parent for c in ref.contents(include_inactive=True)}
        return select_rule(self._rules, content_code, scope, province_code, on, self._parents.get(content_code))
