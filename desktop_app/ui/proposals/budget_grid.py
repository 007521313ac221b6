"""The dự toán grid that works like a spreadsheet: paste a block from Excel or LibreOffice, copy lines back out,
Tab and Enter through the cells that can be typed in, undo and redo every change, and a support share
(khuyến công) that fills itself.

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

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QFont, QGuiApplication, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.budget import BudgetLineInput, SupportRule, select_rule
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import share_of
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.importers.errors import CellValueError
from desktop_app.importers.values import parse_amount
from desktop_app.services.context import Services
from desktop_app.services.dto import BudgetLineView
from desktop_app.ui.proposals.models import (
    BudgetDelegate,
    BudgetLinesModel,
    EditableLine,
    Index,
    parse_quantity,
)
from desktop_app.ui.style import DISABLED_TEXT, ERROR_STYLE, colour_style
from desktop_app.ui.widgets import FieldMessage

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
        how = (f"{_percent_text(percent)}% thành tiền" if percent is not None else
               "thành tiền − đối ứng − nguồn khác")
        rule = f"; không vượt mức hỗ trợ tối đa ({self._rule.describe()})" if self._rule is not None else ""
        return (f"Đề xuất tự tính: {how}{rule}. Gõ số để thay bằng số của bạn; xóa ô (Delete) để trở lại "
                "đề xuất.")


_TYPED_DEFAULT: dict[int, Any] = {
    BudgetLinesModel.COL_ITEM: "", BudgetLinesModel.COL_UNIT: "", BudgetLinesModel.COL_QUANTITY: Decimal(1),
    BudgetLinesModel.COL_UNIT_PRICE: 0, BudgetLinesModel.COL_SUPPORT: None, BudgetLinesModel.COL_COUNTERPART: None,
    BudgetLinesModel.COL_OTHER: 0,
}


def _percent_text(value: Decimal) -> str:
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


# --- the view -----------------------------------------------------------------------------------------------------

class GridDelegate(BudgetDelegate):
    """A cell that was opened and left without typing is not changed (a suggestion stays a suggestion)."""

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        if editor.isModified():
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class BudgetGridView(QTableView):
    """Keyboard of a spreadsheet: Tab / Enter to the next cell that can be typed in (Tab past the last line adds
    one), Ctrl+C / Ctrl+V as tab-separated text, Ctrl+Z / Ctrl+Y, Ctrl++ / Insert and Ctrl+− / Ctrl+Delete for
    lines, Delete to empty cells."""

    paste_refused = Signal(str)
    pasted = Signal(int)

    def __init__(self, model: BudgetGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = model
        self.setModel(model)
        self.setItemDelegate(GridDelegate(self))
        self.setAccessibleName("Dự toán kinh phí")
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.verticalHeader().setDefaultSectionSize(26)
        in_grid = Qt.ShortcutContext.WidgetWithChildrenShortcut  # also while a cell is being typed in
        # Ctrl+C, Ctrl+V and Delete are read in keyPressEvent (a cell being typed in keeps them for its text); the
        # menu names them after a tab, the way a menu shows a shortcut.
        self.copy_action = self._action("Sao chép\tCtrl+C", (), self.copy_selection)
        self.paste_action = self._action("Dán\tCtrl+V", (), self.paste_clipboard)
        self.clear_action = self._action("Xóa nội dung ô\tDelete", (), self.clear_selection_cells)
        self.insert_action = self._action("Chèn dòng", ("Ctrl+Ins", "Ctrl++", "Ctrl+=", "Ctrl+Shift+=", "Ins"),
                                          self.insert_line)
        self.delete_action = self._action("Xóa dòng đang chọn", ("Ctrl+Del", "Ctrl+-"), self.delete_selected_lines)
        self.undo_action = model.undo_stack.createUndoAction(self, "Hoàn tác")
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = model.undo_stack.createRedoAction(self, "Làm lại")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(in_grid)
            self.addAction(action)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.paste_action, self.clear_action, self.insert_action, self.delete_action):
            model.read_only_changed.connect(action.setDisabled)

    def _action(self, text: str, keys: Sequence[str], slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    # --- where Tab and Enter go --------------------------------------------------------------------------------

    def editable_columns(self) -> list[int]:
        return [c for c in range(self.grid.columnCount())
                if c not in COMPUTED_COLUMNS and not self.isColumnHidden(c)]

    def shown_columns(self, start: int = 0) -> list[int]:
        ordered = sorted(range(self.grid.columnCount()), key=self.horizontalHeader().visualIndex)
        return [c for c in ordered if not self.isColumnHidden(c) and
                self.horizontalHeader().visualIndex(c) >= self.horizontalHeader().visualIndex(start)]

    def next_cell(self, index: QModelIndex, forward: bool = True) -> QModelIndex | None:
        """The next (or previous) cell that can be typed in, reading line by line; ``None`` past the end."""
        columns = sorted(self.editable_columns(), key=self.horizontalHeader().visualIndex)
        if not columns or self.grid.read_only:
            return None
        cells = [(r, c) for r in range(self.grid.line_count()) for c in columns]
        if not cells:
            return None
        here = (index.row(), index.column()) if index.isValid() else (-1, -1)
        key = self.horizontalHeader().visualIndex
        if forward:
            after = [rc for rc in cells if (rc[0], key(rc[1])) > (here[0], key(here[1]) if here[1] >= 0 else -1)]
            target = after[0] if after else None
        else:
            before = [rc for rc in cells if (rc[0], key(rc[1])) < (here[0], key(here[1]) if here[1] >= 0 else -1)]
            target = before[-1] if before else None
        return self.grid.index(*target) if target else None

    def advance(self, forward: bool = True) -> QModelIndex | None:
        """Move to the next cell to type in; Tab past the last cell of the last line adds a line (like Excel)."""
        target = self.next_cell(self.currentIndex(), forward)
        if target is None and forward and not self.grid.read_only and self.editable_columns():
            row = self.grid.insert_line()
            target = self.grid.index(row, min(self.editable_columns(), key=self.horizontalHeader().visualIndex))
        if target is not None:
            self.go_to(target)
        return target

    def go_to(self, index: QModelIndex) -> None:
        """Make ``index`` the current cell, selected alone (as a click or an arrow key does)."""
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        if action in (QAbstractItemView.CursorAction.MoveNext, QAbstractItemView.CursorAction.MovePrevious) \
                and not self.grid.read_only:
            target = self.next_cell(self.currentIndex(), action == QAbstractItemView.CursorAction.MoveNext)
            if target is not None:
                return target
            return self.currentIndex()
        return super().moveCursor(action, modifiers)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if hint == QAbstractItemDelegate.EndEditHint.EditNextItem \
                and self.next_cell(self.currentIndex(), True) is None:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            target = self.advance(True)  # a new line: type on in its first cell
            if target is not None:
                self.edit(target)
            return
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter: on to the next cell
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.advance(True)
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: Any) -> None:
        key, modifiers = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_clipboard()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            if modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
                self.advance(modifiers == Qt.KeyboardModifier.NoModifier)
                return
        if key == Qt.Key.Key_Tab and modifiers == Qt.KeyboardModifier.NoModifier and not self.grid.read_only:
            self.advance(True)
            event.accept()
            return
        if key == Qt.Key.Key_Backtab and not self.grid.read_only:
            self.advance(False)
            event.accept()
            return
        if key == Qt.Key.Key_Delete and modifiers == Qt.KeyboardModifier.NoModifier:
            self.clear_selection_cells()
            return
        super().keyPressEvent(event)

    # --- lines -------------------------------------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.selectionModel().selectedIndexes()} if self.selectionModel() else set()
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(r for r in rows if not self.grid.is_totals_row(r))

    def insert_line(self) -> None:
        """Ctrl++ / Insert: a new line above the current one (at the end from the totals row)."""
        if self.grid.read_only:
            return
        current = self.currentIndex()
        row = self.grid.insert_line(current.row() if current.isValid() else None)
        first = min(self.editable_columns(), key=self.horizontalHeader().visualIndex)
        self.go_to(self.grid.index(row, first))
        self.setFocus()

    def delete_selected_lines(self) -> None:
        """Ctrl+− / Ctrl+Delete: delete the selected lines (one undo step)."""
        rows = self.selected_rows()
        if self.grid.read_only or not rows:
            return
        column = max(self.currentIndex().column(), 0)
        self.grid.remove_lines(rows)
        row = min(rows[0], self.grid.line_count())
        self.go_to(self.grid.index(row, column))

    def clear_selection_cells(self) -> None:
        if self.grid.read_only:
            return
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        self.grid.clear_cells(i for i in indexes if i.isValid() and not self.grid.is_totals_row(i.row()))

    # --- clipboard ---------------------------------------------------------------------------------------------

    def selected_block(self) -> tuple[list[int], list[int]]:
        """The lines and shown columns of the selection's bounding rectangle (the totals row left out)."""
        indexes = [i for i in self.selectionModel().selectedIndexes() if not self.isColumnHidden(i.column())] \
            or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        rows = sorted({i.row() for i in indexes if not self.grid.is_totals_row(i.row())})
        if not rows:
            return [], []
        visual = [self.horizontalHeader().visualIndex(i.column()) for i in indexes]
        columns = [c for c in self.shown_columns() if min(visual) <= self.horizontalHeader().visualIndex(c)
                   <= max(visual)]
        return list(range(rows[0], rows[-1] + 1)), columns

    def copy_selection(self) -> str:
        rows, columns = self.selected_block()
        text = self.grid.copy_text(rows, columns) if rows else ""
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def paste_clipboard(self) -> bool:
        return self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> bool:
        """Paste tab-separated text at the current cell; a bad value refuses the whole block (``paste_refused``)."""
        if self.grid.read_only:
            return False
        block = read_clipboard_block(text)
        if not block:
            return False
        selected = [i for i in self.selectionModel().selectedIndexes() if not self.grid.is_totals_row(i.row())]
        current = self.currentIndex()
        top = current.row() if current.isValid() else self.grid.line_count()
        start = current.column() if current.isValid() else 0
        try:
            if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:  # one value over the selection
                changed = self.grid.fill(selected, block[0][0])
                self.pasted.emit(changed)
                return True
            changed = self.grid.paste(top, self.shown_columns(start), block)
        except ValidationError as exc:
            self.paste_refused.emit(exc.message)
            return False
        last = top + len(block) - 1
        width = min(max(len(r) for r in block), len(self.shown_columns(start)))
        columns = self.shown_columns(start)[:width]
        block_cells = QItemSelection(self.grid.index(top, columns[0]), self.grid.index(last, columns[-1]))
        self.selectionModel().select(block_cells, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.pasted.emit(changed)
        return True


class BudgetGrid(QWidget):
    """The budget tab's grid with its "Tỷ lệ hỗ trợ" choice and the message line for refused pastes."""

    def __init__(self, parent: QWidget | None = None, rule: Callable[[], SupportRule | None] | None = None) -> None:
        super().__init__(parent)
        self.model = BudgetGridModel(self, rule)
        self.view = BudgetGridView(self.model, self)
        self.percent_spin = QSpinBox(self)
        self.percent_spin.setRange(0, 100)
        self.percent_spin.setSpecialValueText("Không chọn")
        self.percent_spin.setAccessibleName("Tỷ lệ hỗ trợ")
        self.percent_spin.setToolTip("Khuyến công hỗ trợ bằng tỷ lệ này của thành tiền mỗi dòng (không vượt mức hỗ "
                                     "trợ tối đa), đối ứng chưa gõ là phần còn lại; tỷ lệ được lưu cùng đề án. "
                                     "“Không chọn”: khuyến công là phần còn lại sau đối ứng và nguồn khác.")
        self.percent_spin.valueChanged.connect(self._on_percent_changed)
        label = QLabel("Tỷ lệ hỗ trợ %:", self)
        label.setBuddy(self.percent_spin)
        self.rule_note = QLabel(self)
        self.rule_note.setStyleSheet(colour_style(DISABLED_TEXT))
        self.rule_note.setWordWrap(True)
        self.message = FieldMessage(self)
        self.model.cell_refused.connect(self.message.show_error)
        self.view.paste_refused.connect(self.message.show_error)
        self.view.pasted.connect(lambda _n: self.message.clear_message())
        self.model.lines_changed.connect(self._update_rule_note)
        self.model.read_only_changed.connect(self.percent_spin.setDisabled)
        self.model.read_only_changed.connect(lambda _read_only: self._update_rule_note())
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.percent_spin)
        top.addWidget(self.rule_note, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self._update_rule_note()

    def percent(self) -> int | None:
        """The "Tỷ lệ hỗ trợ" chosen (1–100), or None for "Không chọn"."""
        return self.percent_spin.value() or None

    def set_percent(self, percent: int | None) -> None:
        """Show a stored (or kept) percentage; the suggestions follow it."""
        self.percent_spin.setValue(percent or 0)

    def percent_above_rule(self) -> bool:
        """The percentage chosen is above the rule's: the suggestions use the rule's, and saving is refused."""
        rule, chosen = self.model.rule, self.model.percent
        return rule is not None and chosen is not None and chosen > rule.max_percent

    def _on_percent_changed(self, value: int) -> None:
        self.model.set_percent(value or None)
        self._update_rule_note()

    def refresh_rule(self, *_: Any) -> None:
        self.model.refresh_rule()
        self._update_rule_note()

    def _update_rule_note(self) -> None:
        rule, chosen = self.model.rule, self.model.percent
        if rule is None:
            text = "" if self.model.read_only else ("Khuyến công tự đề xuất (chữ nghiêng, màu xám) cho đến khi bạn gõ "
                                                    "số khác.")
        else:
            cap = f", không quá {format_vnd(rule.cap_vnd)} đồng" if rule.cap_vnd is not None else ""
            maximum = _percent_text(rule.max_percent)
            text = f"Mức hỗ trợ tối đa: {maximum}% chi phí{cap}."
            if chosen is not None and chosen > rule.max_percent and self.model.read_only:
                text += f" Tỷ lệ {_percent_text(chosen)}% đã chọn cao hơn mức này."
            elif chosen is not None and chosen > rule.max_percent:
                text += (f" Tỷ lệ {_percent_text(chosen)}% vượt mức này: đề xuất đang tính theo {maximum}%, nhưng "
                         f"đề án không lưu được với tỷ lệ {_percent_text(chosen)}% — chọn tối đa {maximum}%.")
        self.rule_note.setText(text)
        warn = self.percent_above_rule() and not self.model.read_only
        self.rule_note.setStyleSheet(ERROR_STYLE if warn else colour_style(DISABLED_TEXT))
