"""The acceptance form: the council, the verified amount of every budget line beside the planned one, the outcome
figures planned vs achieved and the conclusion.

It is the body of the Nghiệm thu screen (:mod:`desktop_app.ui.acceptance.page`) and of ``acceptance_dialog``
(:mod:`desktop_app.ui.finance.dialogs`); both import it from here, so neither imports the other's module for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Outcome
from desktop_app.domain.errors import UserError, ValidationError
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import AcceptanceLineInput, AcceptanceView, BudgetLineView, ProposalDetail
from desktop_app.ui import msgbox
from desktop_app.ui.appraisal.forms import (
    READ_ONLY_COMBO,
    MembersEditor,
    bold_label,
    member_number,
    show_success,
    value_label,
)
from desktop_app.ui.widgets import DateEdit, FieldMessage, FormFields, MoneyEdit
from desktop_app.ui.widgets import set_read_only as set_field_read_only

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
EDITABLE_BACKGROUND = QColor("#fff8dc")
TOTALS_BACKGROUND = QColor("#eef2f7")
MISSING_COLOR = QColor("#8a5a00")


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


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


class AcceptanceLinesModel(QAbstractTableModel):
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
            return _RIGHT if col >= self.FIRST_PLANNED or col == self.COL_NO else _LEFT
        if role == Qt.ItemDataRole.FontRole and total:
            return _bold()
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

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return str(section + 1)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
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


class OutcomeModel(QAbstractTableModel):
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
            return _RIGHT if col >= self.COL_PLANNED else _LEFT
        if role == Qt.ItemDataRole.BackgroundRole and self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return QBrush(EDITABLE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_PLANNED and r.planned is None:
            return QBrush(MISSING_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_LABEL:
            return f"{r.outcome.label} ({r.outcome.unit})"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return str(section + 1)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            return False
        self.rows[index.row()].achieved = value
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True


def _money_table(model: QAbstractTableModel, stretch: int) -> QTableView:
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
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
    return view


def fit_height(view: QTableView, rows: int) -> None:
    """A table exactly as tall as its rows (the form scrolls, not each table)."""
    height = view.horizontalHeader().sizeHint().height() + sum(view.rowHeight(r) for r in range(rows))
    view.setFixedHeight(height + 2 * view.frameWidth() + 2)


class AcceptanceForm(QWidget):
    """What acceptance records: council (date, place, minutes, members), verified amounts, outcomes, result.

    ``load(proposal_id)`` reads the proposal and what was recorded; ``save()`` calls ``record_acceptance``.
    ``changed`` is emitted on every edit; ``dirty`` says whether something is typed and not saved.
    """

    changed = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.proposal_id: int | None = None
        self.detail: ProposalDetail | None = None
        self.acceptance: AcceptanceView | None = None
        self.dirty = False
        self._loading = False
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        council = QGroupBox("Hội đồng nghiệm thu")
        council_row = QHBoxLayout(council)
        council_form = QFormLayout()
        council_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields = FormFields(council_form)
        self.held_on = DateEdit()
        self.fields.add("held_on", "&Ngày nghiệm thu", self.held_on, required=True)
        self.place = QLineEdit()
        self.place.setPlaceholderText("Ví dụ: Tại cơ sở thụ hưởng")
        self.fields.add("place", "Địa đ&iểm", self.place)
        self.minutes_number = QLineEdit()
        self.minutes_number.setPlaceholderText("Ví dụ: 15/BB-NT")
        self.fields.add("minutes_number", "Số &biên bản", self.minutes_number)
        council_row.addLayout(council_form, 2)
        members_form = QFormLayout()
        members_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        members_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.member_fields = FormFields(members_form)
        self.members = MembersEditor(self.services.users.appraisers(self.actor), rows=0)
        self.member_fields.add("members", "Thành viên hội đồng", self.members)
        council_row.addLayout(members_form, 3)
        layout.addWidget(council)

        lines_head = QHBoxLayout()
        lines_caption = bold_label("Kinh phí nghiệm thu theo dòng dự toán (đồng)")
        self.copy_button = QPushButton("&Lấy theo dự toán được duyệt")
        self.copy_button.setToolTip("Điền kinh phí nghiệm thu bằng dự toán được duyệt của từng dòng, rồi sửa nếu khác")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        lines_head.addWidget(lines_caption, 1)
        lines_head.addWidget(self.copy_button)
        layout.addLayout(lines_head)
        self.lines_model = AcceptanceLinesModel(self)
        self.lines_view = _money_table(self.lines_model, AcceptanceLinesModel.COL_ITEM)
        self.lines_view.setAccessibleName("Kinh phí nghiệm thu theo dòng dự toán")
        lines_caption.setBuddy(self.lines_view)
        layout.addWidget(self.lines_view)
        self.excess_to_counterpart = QCheckBox(
            "Phần kinh phí khuyến công nghiệm thu vượt dự toán được duyệt của dòng thì chuyển sang vốn đối ứng")
        self.excess_to_counterpart.setToolTip(
            "Không chọn: chương trình từ chối dòng vượt và nêu rõ dòng, hai số liệu. Chọn: phần vượt được ghi là "
            "vốn đối ứng của cơ sở, tổng chi phí nghiệm thu giữ nguyên.")
        layout.addWidget(self.excess_to_counterpart)
        review_row = QHBoxLayout()
        self.review_note = FieldMessage()
        self.review_button = QPushButton("Xác nhận đã &kiểm tra")
        self.review_button.setToolTip("Lãnh đạo xác nhận số liệu nghiệm thu đã được điều chỉnh khi nâng cấp dữ liệu")
        self.review_button.setAutoDefault(False)
        self.review_button.setVisible(False)
        self.review_button.clicked.connect(self._on_review_clicked)
        review_row.addWidget(self.review_note, 1)
        review_row.addWidget(self.review_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(review_row)

        bottom = QHBoxLayout()
        outcomes = QVBoxLayout()
        outcomes.addWidget(bold_label("Kết quả đạt được so với kế hoạch"))
        self.outcome_model = OutcomeModel(self)
        self.outcome_view = _money_table(self.outcome_model, OutcomeModel.COL_LABEL)
        self.outcome_view.setAccessibleName("Chỉ tiêu kết quả: kế hoạch và đạt được")
        self.outcome_view.horizontalHeader().setMinimumSectionSize(90)
        outcomes.addWidget(self.outcome_view)
        outcomes.addStretch(1)
        bottom.addLayout(outcomes, 3)

        result = QGroupBox("Kết luận")
        result_form = QFormLayout(result)
        result_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        result_fields = FormFields(result_form)
        self.passed = QComboBox()
        self.passed.addItem("Đạt yêu cầu", True)
        self.passed.addItem("Không đạt yêu cầu", False)
        result_fields.add("passed", "&Kết quả", self.passed, required=True)
        self.conclusion = QPlainTextEdit()
        self.conclusion.setTabChangesFocus(True)
        self.conclusion.setPlaceholderText("Nhận xét, kết luận của hội đồng nghiệm thu")
        self.conclusion.setFixedHeight(self.conclusion.fontMetrics().lineSpacing() * 4 + 14)
        result_fields.add("conclusion", "Kết l&uận", self.conclusion)
        self.signed_label = value_label()
        self.signed_label.setWordWrap(True)
        result_fields.add("signed", "Ký duyệt", self.signed_label)
        self.result_fields = result_fields
        bottom.addWidget(result, 2, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(bottom)
        self.banner = FieldMessage()
        layout.addWidget(self.banner)
        layout.addStretch(1)

        for signal in (self.place.textEdited, self.minutes_number.textEdited, self.held_on.dateChanged,
                       self.passed.currentIndexChanged, self.conclusion.textChanged, self.members.changed,
                       self.lines_model.edited, self.outcome_model.edited):
            signal.connect(self._on_any_edited)
        self.excess_to_counterpart.toggled.connect(self._on_any_edited)

    # --- loading -------------------------------------------------------------------------------------------------

    def load(self, proposal_id: int) -> None:
        """Read the proposal and its acceptance record; what is shown replaces anything typed."""
        detail = self.services.proposals.get(self.actor, proposal_id)
        finance = self.services.implementation.finance(self.actor, proposal_id)
        self._loading = True
        self.proposal_id, self.detail, self.acceptance = proposal_id, detail, finance.acceptance
        a = finance.acceptance
        self.held_on.set_date_value(a.held_on if a else None)
        self.place.setText(a.place if a else "")
        self.minutes_number.setText(a.minutes_number if a else "")
        self.passed.setCurrentIndex(0 if a is None or a.passed else 1)
        self.conclusion.setPlainText(a.conclusion if a else "")
        self.members.set_members(a.members if a else [], minimum_rows=3)
        self.lines_model.set_lines(detail.lines, a.lines if a else None)
        self.outcome_model.set_targets(detail)
        if a is None:
            self.signed_label.setText("Chưa ghi kết quả nghiệm thu.")
        elif a.signed_off:
            self.signed_label.setText(f"Đã ký duyệt bởi {a.signed_off_by}. Số liệu nghiệm thu đã được chốt.")
        else:
            self.signed_label.setText("Chưa ký duyệt.")
        # Editing ends with the sign-off (the service refuses any later change; the screen shows it frozen).
        self.set_read_only(bool(a and a.signed_off))
        for group in (self.fields, self.member_fields, self.result_fields):
            group.clear()
        self.banner.clear_message()
        self.excess_to_counterpart.setChecked(False)
        if a is not None and a.needs_review:
            self.review_note.show_warning(a.review_note)
        else:
            self.review_note.clear_message()
        self.review_button.setVisible(bool(a and a.needs_review))
        fit_height(self.lines_view, self.lines_model.rowCount())
        fit_height(self.outcome_view, self.outcome_model.rowCount())
        self._loading = False
        self.dirty = False

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.held_on.setReadOnly(read_only)
        set_field_read_only(self.place, read_only)
        set_field_read_only(self.minutes_number, read_only)
        self.passed.setEnabled(not read_only)
        self.passed.setStyleSheet(READ_ONLY_COMBO if read_only else "")
        set_field_read_only(self.conclusion, read_only)
        self.members.set_read_only(read_only)
        self.lines_model.set_read_only(read_only)
        self.outcome_model.set_read_only(read_only)
        self.copy_button.setVisible(not read_only)
        self.excess_to_counterpart.setVisible(not read_only)

    # --- saving --------------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Record the acceptance through the service.

        Raises:
            UserError: as the service (or a line not filled in) words it; :meth:`show_user_error` shows it.
        """
        assert self.proposal_id is not None
        held_on = self.held_on.date_value()
        assert held_on is not None
        self.services.implementation.record_acceptance(
            self.actor, self.proposal_id, held_on=held_on, place=self.place.text(),
            passed=bool(self.passed.currentData()), conclusion=self.conclusion.toPlainText(),
            minutes_number=self.minutes_number.text(), lines=self.lines_model.inputs(),
            achieved=self.outcome_model.achieved(), members=self.members.members(),
            excess_to_counterpart=self.excess_to_counterpart.isChecked())
        self.dirty = False

    def show_user_error(self, exc: UserError) -> None:
        """The message beside the input it names (or above the buttons), and the cursor there."""
        for group in (self.fields, self.member_fields, self.result_fields):
            group.clear()
        self.banner.clear_message()
        if any(group.show_user_error(exc) for group in (self.fields, self.member_fields, self.result_fields)):
            if exc.field == "members":
                self.members.focus_member(member_number(exc.message))
            return
        self.banner.show_error(exc.message)
        if exc.field == "lines":
            missing = self.lines_model.first_missing()
            self._focus_cell(self.lines_view, missing or self.lines_model.index(0, AcceptanceLinesModel.FIRST_VERIFIED))
        elif exc.field == "achieved":
            self._focus_cell(self.outcome_view, self.outcome_model.index(0, OutcomeModel.COL_ACHIEVED))

    @staticmethod
    def _focus_cell(view: QTableView, index: QModelIndex) -> None:
        view.setCurrentIndex(index)
        view.scrollTo(index)
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_any_edited(self, *_args: object) -> None:
        if not self._loading and not self.read_only:
            self.dirty = True
            self.changed.emit()

    def _on_review_clicked(self) -> None:
        if self.proposal_id is None or not msgbox.confirm(
                self, "Xác nhận số liệu nghiệm thu đã được kiểm tra lại và đúng?"):
            return
        try:
            self.services.implementation.confirm_acceptance_review(self.actor, self.proposal_id)
        except UserError as exc:
            self.banner.show_error(exc.message)
            return
        self.load(self.proposal_id)
        show_success(self.banner, "Đã xác nhận kết quả nghiệm thu.")

    def _on_copy_clicked(self) -> None:
        self.lines_model.copy_planned()
