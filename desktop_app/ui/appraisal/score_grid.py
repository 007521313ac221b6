"""The score grid of an appraisal council: criteria × members, the signed-in member typing in their own column.

:class:`ScoreGridModel` keeps what is typed, as text, until it is saved, and asks the domain whether each score is
within its criterion's range; :class:`ScoreGridView` is as tall as its rows and says when someone tries to type
where they may not.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop_app.domain.appraisal import Criterion, MemberScores, validate_points
from desktop_app.domain.errors import ValidationError
from desktop_app.services.dto import CouncilView, SheetView
from desktop_app.ui.appraisal.points import POINTS_PATTERN, format_points, parse_points
from desktop_app.ui.style import (
    CENTER_CELL,
    EDITABLE_BACKGROUND,
    ERROR_BACKGROUND,
    ERROR_TEXT,
    MONEY_ALIGN,
    MONEY_CELL,
    MUTED_TEXT,
    TOTALS_BACKGROUND,
    bold_font,
)

Index = QModelIndex | QPersistentModelIndex


class ScoreGridModel(QAbstractTableModel):
    """Criteria × members. The own column (if any) holds what is typed, as text, until it is saved.

    Rows: one per criterion, then "Tổng điểm" and "Tình trạng phiếu". Columns: criterion, maximum, members.
    """

    COL_CRITERION, COL_MAX, FIRST_MEMBER = 0, 1, 2
    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.council: CouncilView | None = None
        self._own = -1  # index in council.sheets of the column the user may type in, -1 for none
        self._editable = False
        self._edits: dict[int, str] = {}
        self.dirty = False

    # --- loading -------------------------------------------------------------------------------------------------

    def set_council(self, council: CouncilView | None, own_sheet_id: int | None, editable: bool) -> None:
        self.beginResetModel()
        self.council = council
        self._own = -1
        self._edits = {}
        if council is not None and own_sheet_id is not None:
            for i, sheet in enumerate(council.sheets):
                if sheet.id == own_sheet_id:
                    self._own = i
                    self._edits = {cid: format_points(p) for cid, p in sheet.points.items()}
        self._editable = editable and self._own >= 0
        self.dirty = False
        self.endResetModel()

    @property
    def criteria_count(self) -> int:
        return len(self.council.criteria) if self.council else 0

    @property
    def total_row(self) -> int:
        return self.criteria_count

    @property
    def status_row(self) -> int:
        return self.criteria_count + 1

    @property
    def own_column(self) -> int | None:
        return self.FIRST_MEMBER + self._own if self._own >= 0 else None

    @property
    def editable(self) -> bool:
        return self._editable

    def sheet_at(self, column: int) -> SheetView | None:
        if self.council is None or column < self.FIRST_MEMBER:
            return None
        i = column - self.FIRST_MEMBER
        return self.council.sheets[i] if i < len(self.council.sheets) else None

    def row_of_criterion(self, criterion_id: int) -> int | None:
        if self.council is None:
            return None
        for row, c in enumerate(self.council.criteria):
            if c.id == criterion_id:
                return row
        return None

    # --- what was typed ------------------------------------------------------------------------------------------

    def _domain_criteria(self) -> list[Criterion]:
        assert self.council is not None
        return [Criterion(c.id, c.position, c.name, c.max_points) for c in self.council.criteria]

    def problem(self, criterion_id: int) -> str | None:
        """Why the typed score of a criterion cannot be accepted (the domain's words), or None."""
        text = self._edits.get(criterion_id, "").strip()
        if not text:
            return None
        value = parse_points(text)
        if value is None:
            return f"Điểm “{text}” không phải là số."
        criterion = next(c for c in self._domain_criteria() if c.id == criterion_id)
        try:
            validate_points([criterion], {criterion_id: value})
        except ValidationError as exc:
            return exc.message
        return None

    def typed_points(self) -> dict[int, Decimal]:
        """The own column's scores that can be read and are within range."""
        result = {}
        for cid, text in self._edits.items():
            value = parse_points(text)
            if value is not None and self.problem(cid) is None:
                result[cid] = value
        return result

    def points_to_save(self) -> dict[int, str]:
        """What is typed, as typed: the service parses and checks it (and names the criterion it refuses)."""
        return {cid: text.strip() for cid, text in self._edits.items() if text.strip()}

    def own_complete(self) -> bool:
        if self.council is None or self._own < 0:
            return False
        points = self.typed_points()
        return all(c.id in points for c in self.council.criteria)

    def live_sheets(self) -> list[MemberScores]:
        """The council's sheets for the average, the own one as typed (counted once every score is in)."""
        assert self.council is not None
        sheets = []
        for i, s in enumerate(self.council.sheets):
            if i == self._own and self._editable:
                sheets.append(MemberScores(s.member_id, self.typed_points(), s.conflict, self.own_complete()))
            else:
                sheets.append(MemberScores(s.member_id, s.points, s.conflict, s.submitted))
        return sheets

    def _column_total(self, i: int) -> Decimal | None:
        assert self.council is not None
        if i == self._own:
            points = self.typed_points()
        else:
            points = self.council.sheets[i].points
        return sum(points.values(), Decimal(0)) if points else None

    # --- Qt model ------------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.council is None else self.criteria_count + 2

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.council is None else self.FIRST_MEMBER + len(self.council.sheets)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable and index.column() == self.own_column and index.row() < self.criteria_count:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.council is None:
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < self.rowCount() and 0 <= col < self.columnCount()):
            return None
        if col == self.COL_CRITERION:
            return self._criterion_data(row, role)
        if col == self.COL_MAX:
            return self._max_data(row, role)
        return self._member_data(row, col - self.FIRST_MEMBER, role)

    def _criterion_data(self, row: int, role: int) -> Any:
        assert self.council is not None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if row < self.criteria_count:
                c = self.council.criteria[row]
                return f"{c.position}. {c.name}"
            return "Tổng điểm" if row == self.total_row else "Tình trạng phiếu"
        if role == Qt.ItemDataRole.FontRole and row >= self.criteria_count:
            return bold_font()
        if role == Qt.ItemDataRole.BackgroundRole and row >= self.criteria_count:
            return QBrush(TOTALS_BACKGROUND)
        return None

    def _max_data(self, row: int, role: int) -> Any:
        assert self.council is not None
        if role == Qt.ItemDataRole.DisplayRole:
            if row < self.criteria_count:
                return format_points(self.council.criteria[row].max_points)
            if row == self.total_row:
                return format_points(sum((c.max_points for c in self.council.criteria), Decimal(0)))
            return ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return MONEY_CELL
        if role == Qt.ItemDataRole.FontRole and row == self.total_row:
            return bold_font()
        if role == Qt.ItemDataRole.BackgroundRole and row >= self.criteria_count:
            return QBrush(TOTALS_BACKGROUND)
        return None

    def _member_data(self, row: int, i: int, role: int) -> Any:
        assert self.council is not None
        sheet = self.council.sheets[i]
        own = i == self._own
        criterion = self.council.criteria[row] if row < self.criteria_count else None
        problem = self.problem(criterion.id) if own and criterion is not None else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if criterion is not None:
                return self._edits.get(criterion.id, "") if own else format_points(sheet.points.get(criterion.id))
            if row == self.total_row:
                return format_points(self._column_total(i))
            return self._status_text(sheet, own)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return CENTER_CELL if row == self.status_row else MONEY_CELL
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setStrikeOut(sheet.conflict and row != self.status_row)
            font.setBold(row == self.total_row)
            font.setItalic(row == self.status_row and not sheet.submitted)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if problem:
                return QBrush(ERROR_TEXT)
            if sheet.conflict or (not sheet.submitted and not own):
                return QBrush(MUTED_TEXT)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if problem:
                return QBrush(ERROR_BACKGROUND)
            if row >= self.criteria_count:
                return QBrush(TOTALS_BACKGROUND)
            if own and self._editable:
                return QBrush(EDITABLE_BACKGROUND)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if problem:
                return problem
            if sheet.conflict:
                return f"{sheet.member_name} có xung đột lợi ích, không được tính: {sheet.conflict_note}"
            if own and self._editable and criterion is not None:
                return f"Điểm từ 0 đến {format_points(criterion.max_points)}"
            return None
        return None

    def _status_text(self, sheet: SheetView, own: bool) -> str:
        if sheet.conflict:
            return "Xung đột lợi ích"
        if own and self.dirty:
            return "Chưa lưu"
        return "Đã nộp" if sheet.submitted else "Chưa nộp"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.council is None:
            if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
                return str(section + 1)
            return None
        sheet = self.sheet_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if section == self.COL_CRITERION:
                return "Tiêu chí"
            if section == self.COL_MAX:
                return "Tối đa"
            if sheet is not None:
                mine = " (bạn)" if section == self.own_column else ""
                return f"{sheet.member_name}{mine}\n{sheet.member_role.label}"
            return None
        if role == Qt.ItemDataRole.FontRole and sheet is not None:
            font = QFont()
            font.setStrikeOut(sheet.conflict)
            font.setBold(section == self.own_column)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and sheet is not None and sheet.conflict:
            return QBrush(MUTED_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole and sheet is not None and sheet.conflict:
            return f"Xung đột lợi ích: {sheet.conflict_note}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        assert self.council is not None
        criterion = self.council.criteria[index.row()]
        text = str(value or "").strip()
        if self._edits.get(criterion.id, "") == text:
            return True
        self._edits[criterion.id] = text
        self.dirty = True
        self.dataChanged.emit(index, index)
        column = index.column()
        self.dataChanged.emit(self.index(self.total_row, column), self.index(self.status_row, column))
        self.edited.emit()
        return True


class PointsDelegate(QStyledItemDelegate):
    """A line edit that accepts only points (at most two decimals, comma or dot)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setValidator(QRegularExpressionValidator(POINTS_PATTERN, editor))
        editor.setAlignment(MONEY_ALIGN)
        return editor


class ScoreGridView(QTableView):
    """The score grid; trying to type in a cell one may not edit emits ``edit_refused`` so the page can say why.

    It is as tall as its rows (criteria wrap, so that depends on the width): no empty band under the rows,
    and no scroll bar while the screen has room.
    """

    edit_refused = Signal(int)  # the column

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_to_rows)
        # Criteria wrap: when the criterion column changes width, the rows' heights change with it.
        self.horizontalHeader().sectionResized.connect(lambda *_args: self._fit_timer.start())

    def fit_to_rows(self) -> None:
        model = self.model()
        if model is None:
            return
        self.resizeRowsToContents()
        rows = sum(self.rowHeight(r) for r in range(model.rowCount()))
        height = rows + self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth() + 4
        if self.horizontalScrollBar().isVisible():
            height += self.horizontalScrollBar().height()
        self.setMaximumHeight(height)
        self.setMinimumHeight(min(height, 240))  # a long template scrolls rather than pushing the buttons away

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_timer.start()

    def edit(self, *args: Any) -> Any:
        if len(args) == 3:
            index, trigger, _event = args
            model = self.model()
            typing = trigger in (QAbstractItemView.EditTrigger.DoubleClicked,
                                 QAbstractItemView.EditTrigger.EditKeyPressed,
                                 QAbstractItemView.EditTrigger.AnyKeyPressed)
            if (typing and isinstance(model, ScoreGridModel) and index.isValid()
                    and index.row() < model.criteria_count and index.column() >= model.FIRST_MEMBER
                    and not (model.flags(index) & Qt.ItemFlag.ItemIsEditable)):
                self.edit_refused.emit(index.column())
        return super().edit(*args)
