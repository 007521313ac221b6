"""Table models of the proposal editor: the editable budget grid with its live totals row, and the read-only
lists (beneficiaries, attachments, history, documents) (``table_model.ListModel``).

The budget grid keeps what the user typed as plain values and asks the domain (``validate_line``, ``totals``)
whether a line adds up; a line that does not is painted red and carries the domain's reason as its tooltip.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop_app.domain.budget import BudgetLineInput, BudgetTotals, totals, validate_line
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import line_amount
from desktop_app.domain.vietnamese import format_date, format_vnd
from desktop_app.services.dto import (
    AttachmentInfo,
    BeneficiaryView,
    BudgetLineView,
    CodeName,
    DocumentOption,
    HistoryEntry,
)
from desktop_app.ui.style import ERROR_BACKGROUND, ERROR_TEXT, MONEY_CELL, TEXT_CELL, TOTALS_BACKGROUND
from desktop_app.ui.table_model import ROW_ROLE, Column, ListModel

Index = QModelIndex | QPersistentModelIndex

_RIGHT, _LEFT = MONEY_CELL, TEXT_CELL
ERROR_COLOR = ERROR_TEXT


# --- parsing what is typed ----------------------------------------------------------------------------------------

MONEY_PATTERN = r"[0-9][0-9. ]{0,22}"
QUANTITY_PATTERN = r"[0-9][0-9.]{0,14}(,[0-9]{0,3})?"


def parse_vnd(text: str) -> int | None:
    """Đồng typed with dots or spaces between thousands ("1.250.000"); ``""`` is 0; ``None`` when unreadable."""
    digits = re.sub(r"[.\s]", "", text.strip().removesuffix("đ").removesuffix("đồng").strip())
    if not digits:
        return 0
    return int(digits) if digits.isdigit() else None


def parse_quantity(text: str) -> Decimal | None:
    """A quantity in Vietnamese notation: dots between thousands, a comma before the decimals ("1.250,5")."""
    cleaned = text.strip().replace(" ", "").replace(".", "").replace(",", ".")
    if not cleaned:
        return Decimal(0)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def format_quantity(value: Decimal) -> str:
    """``Decimal("1250.500")`` → ``"1.250,5"``."""
    text = f"{value:f}"
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    sign = "-" if whole.startswith("-") else ""
    grouped = format_vnd(int(whole.lstrip("-") or "0"))
    return f"{sign}{grouped}{',' + fraction if fraction else ''}"


# --- the budget grid ----------------------------------------------------------------------------------------------

@dataclass
class EditableLine:
    """A budget line as typed (mutable while the user edits it)."""

    item: str = ""
    unit: str = ""
    quantity: Decimal = Decimal(1)
    unit_price_vnd: int = 0
    support_vnd: int = 0
    counterpart_vnd: int = 0
    other_vnd: int = 0

    def to_input(self) -> BudgetLineInput:
        return BudgetLineInput(self.item, self.unit, self.quantity, self.unit_price_vnd, self.support_vnd,
                               self.counterpart_vnd, self.other_vnd)

    @property
    def amount_vnd(self) -> int:
        return line_amount(self.quantity, self.unit_price_vnd)


class BudgetLinesModel(QAbstractTableModel):
    """The dự toán grid: one row per line plus a last, read-only "Tổng cộng" row that follows every edit."""

    COL_ITEM, COL_UNIT, COL_QUANTITY, COL_UNIT_PRICE, COL_AMOUNT, COL_SUPPORT, COL_COUNTERPART, COL_OTHER = range(8)
    # Read-only, shown once the proposal is approved: the approved budget's support (DESIGN.md §3a).
    COL_APPROVED = 8
    HEADERS = ("Nội dung chi", "Đơn vị tính", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)",
               "Khuyến công hỗ trợ", "Đối ứng của cơ sở", "Nguồn khác", "Khuyến công được duyệt")
    MONEY_COLUMNS = (COL_UNIT_PRICE, COL_AMOUNT, COL_SUPPORT, COL_COUNTERPART, COL_OTHER, COL_APPROVED)
    _ATTRS = {COL_ITEM: "item", COL_UNIT: "unit", COL_QUANTITY: "quantity", COL_UNIT_PRICE: "unit_price_vnd",
              COL_SUPPORT: "support_vnd", COL_COUNTERPART: "counterpart_vnd", COL_OTHER: "other_vnd"}
    #: the column that shows the problem a domain error names
    FIELD_COLUMNS = {"item": COL_ITEM, "quantity": COL_QUANTITY, "unit_price_vnd": COL_UNIT_PRICE,
                     "support_vnd": COL_SUPPORT, "counterpart_vnd": COL_COUNTERPART, "other_vnd": COL_OTHER}

    lines_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[EditableLine] = []
        self._approved: list[int | None] = []
        self._read_only = False

    # --- content -----------------------------------------------------------------------------------------------

    def set_lines(self, lines: Sequence[BudgetLineView | BudgetLineInput]) -> None:
        self.beginResetModel()
        self._lines = [EditableLine(x.item, x.unit, Decimal(x.quantity), x.unit_price_vnd, x.support_vnd,
                                    x.counterpart_vnd, x.other_vnd) for x in lines]
        self._approved = [x.approved.support_vnd if isinstance(x, BudgetLineView) and x.approved else None
                          for x in lines]
        self.endResetModel()
        self.lines_changed.emit()

    def set_read_only(self, value: bool) -> None:
        self._read_only = value
        if self._lines:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    @property
    def read_only(self) -> bool:
        return self._read_only

    def line_count(self) -> int:
        return len(self._lines)

    @property
    def has_approved(self) -> bool:
        """Whether the lines carry an approved budget (the column is shown only then)."""
        return any(x is not None for x in self._approved)

    def is_totals_row(self, row: int) -> bool:
        return row == len(self._lines)

    def inputs(self) -> list[BudgetLineInput]:
        return [x.to_input() for x in self._lines]

    def totals(self) -> BudgetTotals:
        return totals(self.inputs())

    def problem(self, row: int) -> ValidationError | None:
        """The domain's objection to line ``row`` (0-based), or ``None`` when it adds up."""
        if not 0 <= row < len(self._lines):
            return None
        try:
            validate_line(self._lines[row].to_input(), row + 1)
        except ValidationError as exc:
            return exc
        return None

    def problems(self) -> list[tuple[int, ValidationError]]:
        return [(row, exc) for row in range(len(self._lines)) if (exc := self.problem(row)) is not None]

    def insert_line(self, row: int | None = None) -> int:
        """Insert an empty line (at the end by default); returns its row."""
        row = len(self._lines) if row is None else max(0, min(row, len(self._lines)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines.insert(row, EditableLine())
        if len(self._approved) >= row:
            self._approved.insert(row, None)
        self.endInsertRows()
        self._totals_changed()
        return row

    def remove_line(self, row: int) -> None:
        if not 0 <= row < len(self._lines):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._lines[row]
        if row < len(self._approved):
            del self._approved[row]
        self.endRemoveRows()
        self._totals_changed()

    def _totals_changed(self) -> None:
        last = len(self._lines)
        self.dataChanged.emit(self.index(last, 0), self.index(last, self.columnCount() - 1))
        self.lines_changed.emit()

    # --- Qt model ----------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return "" if section == len(self._lines) else str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if (self._read_only or self.is_totals_row(index.row())
                or index.column() in (self.COL_AMOUNT, self.COL_APPROVED)):
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def _text(self, line: EditableLine, column: int) -> str:
        if column == self.COL_ITEM:
            return line.item
        if column == self.COL_UNIT:
            return line.unit
        if column == self.COL_QUANTITY:
            return format_quantity(line.quantity)
        if column == self.COL_AMOUNT:
            return format_vnd(line.amount_vnd)
        return format_vnd(getattr(line, self._ATTRS[column]))

    def _approved_text(self, row: int) -> str:
        approved = self._approved[row] if row < len(self._approved) else None
        return format_vnd(approved) if approved is not None else ""

    def _totals_text(self, column: int) -> str:
        t = self.totals()
        if column == self.COL_ITEM:
            return "Tổng cộng"
        if column == self.COL_AMOUNT:
            return format_vnd(sum(x.amount_vnd for x in self._lines))
        approved = (format_vnd(sum(x or 0 for x in self._approved)) if self.has_approved else "")
        return {self.COL_SUPPORT: format_vnd(t.support_vnd), self.COL_COUNTERPART: format_vnd(t.counterpart_vnd),
                self.COL_OTHER: format_vnd(t.other_vnd), self.COL_APPROVED: approved}.get(column, "")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row, column = index.row(), index.column()
        totals_row = self.is_totals_row(row)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if totals_row:
                return self._totals_text(column)
            if column == self.COL_APPROVED:
                return self._approved_text(row)
            return self._text(self._lines[row], column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column in (self.COL_ITEM, self.COL_UNIT) else _RIGHT
        if role == Qt.ItemDataRole.FontRole and totals_row:
            font = QFont()
            font.setBold(True)
            return font
        if totals_row:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(TOTALS_BACKGROUND)
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Tổng của các dòng dự toán; tự cập nhật khi sửa từng dòng."
            return None
        problem = self.problem(row)
        if role == Qt.ItemDataRole.ForegroundRole and problem is not None:
            return QBrush(ERROR_COLOR)
        if role == Qt.ItemDataRole.BackgroundRole and problem is not None:
            return QBrush(ERROR_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole:
            if problem is not None:
                return problem.message
            if column == self.COL_AMOUNT:
                return "Thành tiền = số lượng × đơn giá; bằng tổng khuyến công + đối ứng + nguồn khác."
        if role == ROW_ROLE:
            return self._lines[row]
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        line, column = self._lines[index.row()], index.column()
        text = "" if value is None else str(value)
        new: Any
        if column in (self.COL_ITEM, self.COL_UNIT):
            new = " ".join(text.split())
        elif column == self.COL_QUANTITY:
            new = value if isinstance(value, Decimal) else parse_quantity(text)
        else:
            new = value if isinstance(value, int) and not isinstance(value, bool) else parse_vnd(text)
        if new is None:
            return False
        attr = self._ATTRS[column]
        if getattr(line, attr) == new:
            return True
        setattr(line, attr, new)
        # the whole line may turn red or back, and the amount follows quantity × unit price
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1))
        self._totals_changed()
        return True


class BudgetDelegate(QStyledItemDelegate):
    """Editors for the budget grid: numbers accept only digits and Vietnamese separators, so nothing typed is
    thrown away for being unreadable."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        column = index.column()
        if column == BudgetLinesModel.COL_QUANTITY:
            editor.setValidator(QRegularExpressionValidator(QUANTITY_PATTERN, editor))
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        elif column in BudgetLinesModel.MONEY_COLUMNS:
            editor.setValidator(QRegularExpressionValidator(MONEY_PATTERN, editor))
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        else:
            editor.setMaxLength(500 if column == BudgetLinesModel.COL_ITEM else 50)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        # a zero amount starts empty so typing a figure does not append to "0"
        editor.setText("" if text == "0" and index.column() != BudgetLinesModel.COL_QUANTITY else text)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


# --- read-only lists ------------------------------------------------------------------------------------------

def local_time(at: datetime) -> str:
    """A stored UTC timestamp in the user's local time, dd/mm/yyyy hh:mm."""
    local = at.astimezone() if at.tzinfo else at
    return f"{format_date(local.date())} {local:%H:%M}"


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{format_vnd(round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def beneficiary_model(parent: Any = None) -> ListModel[BeneficiaryView]:
    return ListModel([
        Column("Tên cơ sở", lambda b: b.name),
        Column("Mã số thuế", lambda b: b.tax_code),
        Column("Địa chỉ", lambda b: b.address),
    ], parent)


def attachment_model(parent: Any = None) -> ListModel[AttachmentInfo]:
    return ListModel([
        Column("Tên tệp", lambda a: a.filename),
        Column("Dung lượng", lambda a: size_text(a.size_bytes), numeric=True),
        Column("Thời điểm tải lên", lambda a: local_time(a.uploaded_at)),
        Column("Người tải lên", lambda a: a.uploaded_by),
    ], parent)


_HISTORY_KINDS = {"status": "Chuyển trạng thái", "audit": "Thay đổi dữ liệu"}


def history_model(parent: Any = None) -> ListModel[HistoryEntry]:
    return ListModel([
        Column("Thời điểm", lambda h: local_time(h.at)),
        Column("Người thực hiện", lambda h: h.username),
        Column("Loại", lambda h: _HISTORY_KINDS.get(h.kind, h.kind)),
        Column("Nội dung", lambda h: h.text),
        Column("Số văn bản", lambda h: h.document_number),
        Column("Ngày văn bản", lambda h: format_date(h.document_date)),
    ], parent, tooltip=lambda h: h.text)


def document_model(parent: Any = None) -> ListModel[DocumentOption]:
    return ListModel([
        Column("Văn bản", lambda d: d.label),
        Column("Tình trạng", lambda d: "Sẵn sàng" if d.enabled else (d.reason or "Chưa lập được")),
    ], parent, tooltip=lambda d: d.reason or None, enabled=lambda d: d.enabled)


def content_choices(contents: Sequence[CodeName]) -> list[tuple[str, str]]:
    """ND 45 contents for a picker, grouped: each group heading followed by its sub-types.

    "ND45-4.3.d" is shown as "4.3.d …", so the number says which group a sub-type belongs to; a sub-type whose
    parent is missing is listed at the end.
    """
    def label(c: CodeName) -> str:
        return f"{c.code.removeprefix('ND45-')} {c.name}"

    children: dict[str, list[CodeName]] = {}
    for c in contents:
        if c.parent:
            children.setdefault(c.parent, []).append(c)
    result: list[tuple[str, str]] = []
    placed: set[str] = set()
    for c in contents:
        if c.parent:
            continue
        result.append((c.code, label(c)))
        placed.add(c.code)
        for child in children.get(c.code, []):
            result.append((child.code, label(child)))
            placed.add(child.code)
    result += [(c.code, label(c)) for c in contents if c.code not in placed]
    return result
