"""The tables of the Nghiệm thu form: the verified amount of every budget line beside the planned one, and the
outcome figures planned vs achieved; both typed in whole đồng (or counts) through :class:`MoneyDelegate`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop_app.domain.enums import Outcome
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.services.dto import AcceptanceLineInput, BudgetLineView, ProposalDetail
from desktop_app.ui.style import (
    CENTER_ALIGN,
    EDITABLE_BACKGROUND,
    MONEY_CELL,
    TEXT_CELL,
    TOTALS_BACKGROUND,
    WARNING_TEXT,
    bold_font,
)
from desktop_app.ui.widgets import MoneyEdit

Index = QModelIndex | QPersistentModelIndex



class MoneyDelegate(QStyledItemDelegate):
    """Cells of whole đồng (or counts) typed in a :class:`MoneyEdit`: only digits get in, shown with dots."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        return MoneyEdit(parent)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, MoneyEdit)
        editor.setValue(index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, MoneyEdit)
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


# --- per budget line: planned and verified -------------------------------------------------------------------------

@dataclass
class VerifiedLine:
    """A budget line with the amounts verified at acceptance as typed (None: not typed yet)."""

    line: BudgetLineView
    support: int | None = None
    counterpart: int | None = None
    other: int | None = None

    def verified(self, which: int) -> int | None:
        return (self.support, self.counterpart, self.other)[which]


class _FiguresModel(QAbstractTableModel):
    """A table of figures typed in whole numbers (đồng or units): numbered rows, ``HEADERS`` across."""

    HEADERS: tuple[str, ...] = ()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return str(section + 1)

    def takes(self, index: Index, value: Any, role: int) -> bool:
        """An edit of an editable cell with a whole number ≥ 0 (or nothing, to clear it)."""
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


class AcceptanceLinesModel(_FiguresModel):
    """Rows: the proposal's budget lines, then the totals. Columns: item, planned ×3, verified ×3."""

    COL_NO, COL_ITEM = 0, 1
    FIRST_PLANNED, FIRST_VERIFIED = 2, 5
    HEADERS = ("STT", "Nội dung chi", "Được duyệt\nkhuyến công", "Được duyệt\nđối ứng", "Được duyệt\nnguồn khác",
               "Nghiệm thu\nkhuyến công", "Nghiệm thu\nđối ứng", "Nghiệm thu\nnguồn khác")
    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[VerifiedLine] = []
        self.read_only = False

    def set_lines(self, lines: list[BudgetLineView], verified: list[AcceptanceLineInput] | None) -> None:
        by_line = {v.budget_line_id: v for v in verified or []}
        self.beginResetModel()
        self.lines = []
        for bl in lines:
            v = by_line.get(bl.id or 0)
            self.lines.append(VerifiedLine(bl, v.verified_support_vnd, v.verified_counterpart_vnd,
                                           v.verified_other_vnd) if v else VerifiedLine(bl))
        self.endResetModel()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if self.lines:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def copy_planned(self) -> None:
        """Take the planned amounts as verified (the common case, then adjusted line by line)."""
        for v in self.lines:
            budget = v.line.budget
            v.support, v.counterpart, v.other = budget.support_vnd, budget.counterpart_vnd, budget.other_vnd
        if self.lines:
            self.dataChanged.emit(self.index(0, self.FIRST_VERIFIED), self.index(self.rowCount() - 1, 7))
        self.edited.emit()

    def inputs(self) -> list[AcceptanceLineInput]:
        """The lines for the service; a line with an amount not typed is refused, naming the line."""
        result = []
        for i, v in enumerate(self.lines, start=1):
            if None in (v.support, v.counterpart, v.other):
                raise ValidationError(f"Dòng {i} ({v.line.item}): chưa nhập đủ kinh phí nghiệm thu "
                                      "(nhập 0 nếu không có).", field="lines")
            result.append(AcceptanceLineInput(v.line.id or 0, v.support or 0, v.counterpart or 0, v.other or 0))
        return result

    def first_missing(self) -> QModelIndex | None:
        for row, v in enumerate(self.lines):
            for k in range(3):
                if v.verified(k) is None:
                    return self.index(row, self.FIRST_VERIFIED + k)
        return None

    def totals(self) -> list[int]:
        """Planned ×3 then verified ×3, over all lines (a verified amount not typed counts 0)."""
        return [sum(v.line.budget.support_vnd for v in self.lines),
                sum(v.line.budget.counterpart_vnd for v in self.lines),
                sum(v.line.budget.other_vnd for v in self.lines)] + [sum(v.verified(k) or 0 for v in self.lines)
                                                               for k in range(3)]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.lines else len(self.lines) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only and index.row() < len(self.lines) and index.column() >= self.FIRST_VERIFIED:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row, col = index.row(), index.column()
        total = row == len(self.lines)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if total:
                if col == self.COL_ITEM:
                    return "Tổng cộng"
                return format_vnd(self.totals()[col - 2]) if col >= self.FIRST_PLANNED else ""
            v = self.lines[row]
            if col == self.COL_NO:
                return str(row + 1)
            if col == self.COL_ITEM:
                return v.line.item
            if col < self.FIRST_VERIFIED:
                budget = v.line.budget
                return format_vnd((budget.support_vnd, budget.counterpart_vnd, budget.other_vnd)[col - 2])
            value = v.verified(col - self.FIRST_VERIFIED)
            if role == Qt.ItemDataRole.EditRole:
                return value
            return format_vnd(value) if value is not None else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return MONEY_CELL if col >= self.FIRST_PLANNED or col == self.COL_NO else TEXT_CELL
        if role == Qt.ItemDataRole.FontRole and total:
            return bold_font()
        if role == Qt.ItemDataRole.BackgroundRole:
            if total:
                return QBrush(TOTALS_BACKGROUND)
            if self.flags(index) & Qt.ItemFlag.ItemIsEditable:
                return QBrush(EDITABLE_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole and not total and col >= self.FIRST_VERIFIED:
            v = self.lines[row]
            budget = v.line.budget
            planned = (budget.support_vnd, budget.counterpart_vnd, budget.other_vnd)[col - self.FIRST_VERIFIED]
            return f"Dự toán được duyệt: {format_vnd(planned)} đồng"
        if role == Qt.ItemDataRole.ToolTipRole and not total and col == self.COL_ITEM:
            return self.lines[row].line.item
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not self.takes(index, value, role):
            return False
        v = self.lines[index.row()]
        which = index.column() - self.FIRST_VERIFIED
        if which == 0:
            v.support = value
        elif which == 1:
            v.counterpart = value
        else:
            v.other = value
        self.dataChanged.emit(index, index)
        last = len(self.lines)
        self.dataChanged.emit(self.index(last, self.FIRST_PLANNED), self.index(last, self.columnCount() - 1))
        self.edited.emit()
        return True


# --- outcome figures -----------------------------------------------------------------------------------------------

@dataclass
class OutcomeRow:
    outcome: Outcome
    planned: int | None
    achieved: int | None


class OutcomeModel(_FiguresModel):
    """The outcome figures of the domain (``Outcome``): planned in the proposal, achieved at acceptance."""

    COL_LABEL, COL_UNIT, COL_PLANNED, COL_ACHIEVED = range(4)
    HEADERS = ("Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Đạt được")
    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[OutcomeRow] = []
        self.read_only = False

    def set_targets(self, detail: ProposalDetail) -> None:
        targets = {t.indicator: t for t in detail.targets}
        self.beginResetModel()
        self.rows = [OutcomeRow(o, targets[o.value].planned_value if o.value in targets else None,
                                targets[o.value].achieved_value if o.value in targets else None) for o in Outcome]
        self.endResetModel()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 3))

    def achieved(self) -> dict[Outcome, int]:
        return {r.outcome: r.achieved for r in self.rows if r.achieved is not None}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only and index.column() == self.COL_ACHIEVED:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_LABEL:
                return r.outcome.label
            if col == self.COL_UNIT:
                return r.outcome.unit
            value = r.planned if col == self.COL_PLANNED else r.achieved
            return format_vnd(value) if value is not None else ""
        if role == Qt.ItemDataRole.EditRole:
            return r.achieved if col == self.COL_ACHIEVED else self.data(index)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return MONEY_CELL if col >= self.COL_PLANNED else TEXT_CELL
        if role == Qt.ItemDataRole.BackgroundRole and self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return QBrush(EDITABLE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_PLANNED and r.planned is None:
            return QBrush(WARNING_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_LABEL:
            return f"{r.outcome.label} ({r.outcome.unit})"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not self.takes(index, value, role):
            return False
        self.rows[index.row()].achieved = value
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True


def money_table(model: QAbstractTableModel, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setItemDelegate(MoneyDelegate(view))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                         | QAbstractItemView.EditTrigger.AnyKeyPressed
                         | QAbstractItemView.EditTrigger.SelectedClicked)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setDefaultAlignment(CENTER_ALIGN)
    return view


def fit_height(view: QTableView, rows: int) -> None:
    """A table exactly as tall as its rows (the form scrolls, not each table)."""
    height = view.horizontalHeader().sizeHint().height() + sum(view.rowHeight(r) for r in range(rows))
    view.setFixedHeight(height + 2 * view.frameWidth() + 2)
