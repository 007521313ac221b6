"""The Nghiệm thu screen: the acceptance council, the verified amount of every budget line (khuyến công,
counterpart, other) beside the planned one, the outcome figures planned vs achieved, the conclusion.

Staff and managers record the result ("Ghi kết quả", as often as needed until sign-off); a manager signs it
off ("Ký duyệt nghiệm thu"), after which every input is read-only. The services decide who may do each; the
screen shows their refusal. :class:`AcceptanceForm` is also the body of ``acceptance_dialog``.
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
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Action, Outcome, Record, Status
from desktop_app.domain.errors import UserError, ValidationError
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import AcceptanceLineInput, AcceptanceView, BudgetLineView, ProposalDetail
from desktop_app.ui import msgbox
from desktop_app.ui.appraisal.forms import (
    READ_ONLY_COMBO,
    SIDE_LIST_WIDTH,
    MembersEditor,
    ProposalList,
    bold_label,
    proposal_heading,
    show_success,
    value_label,
)
from desktop_app.ui.errors import show_error
from desktop_app.ui.page import Page
from desktop_app.ui.widgets import DateEdit, FieldMessage, FormFields, MoneyEdit
from desktop_app.ui.widgets import set_read_only as set_field_read_only

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
EDITABLE_BACKGROUND = QColor("#fff8dc")
TOTALS_BACKGROUND = QColor("#eef2f7")
MISSING_COLOR = QColor("#8a5a00")

CHOICES: list[tuple[str, tuple[Status, ...]]] = [
    ("Chờ nghiệm thu và đã nghiệm thu", (Status.AWAITING_ACCEPTANCE, Status.ACCEPTED)),
    (Status.AWAITING_ACCEPTANCE.label, (Status.AWAITING_ACCEPTANCE,)),
    (Status.ACCEPTED.label, (Status.ACCEPTED,)),
    (Status.SETTLED.label, (Status.SETTLED,)),
]


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
                self.members.focus_member(exc.item)
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


class AcceptancePage(Page):
    """Nghiệm thu: record the acceptance council's result line by line; a manager signs it off."""

    title = "Nghiệm thu"
    toolbar_actions = frozenset({"save", "find"})

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self.proposal_id: int | None = None
        self._build()
        self.refresh()

    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        self.proposals = ProposalList(self.services, self.actor, CHOICES, name="acceptance/proposals")
        self.proposals.proposal_selected.connect(self._on_proposals_selected)
        self.proposals.set_change_guard(self._may_leave)
        splitter.addWidget(self.proposals)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        head, self.header, self.status_label = proposal_heading()
        right_layout.addLayout(head)
        self.empty = QLabel("Chọn một đề án ở danh sách bên trái để ghi kết quả nghiệm thu.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right_layout.addWidget(self.empty, 1)
        self.form = AcceptanceForm(self.services, self.actor)
        self.form.changed.connect(self._on_form_changed)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.form)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        right_layout.addWidget(self.scroll, 1)
        buttons = QHBoxLayout()
        self.record_button = QPushButton("&Ghi kết quả")
        self.record_button.setToolTip("Ghi kết quả nghiệm thu (Ctrl+S); ghi lại được cho tới khi ký duyệt")
        self.sign_button = QPushButton("Ký &duyệt nghiệm thu…")
        self.record_button.clicked.connect(self.save)
        self.sign_button.clicked.connect(self._on_sign_clicked)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_button)
        right_layout.addLayout(buttons)
        self.message = FieldMessage()
        right_layout.addWidget(self.message)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([SIDE_LIST_WIDTH, 1050 - SIDE_LIST_WIDTH])  # the room beside the navigation
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)
        self._show(None)

    # --- loading -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list, and the shown proposal unless something typed is not recorded yet."""
        self.proposals.reload()
        if self.proposal_id is not None and not self.has_unsaved_changes():
            self._show(self.proposal_id)

    def select_proposal(self, proposal_id: int) -> bool:
        return self.proposals.select_id(proposal_id)

    def _show(self, proposal_id: int | None) -> None:
        self.proposal_id = proposal_id
        self.message.clear_message()
        has = proposal_id is not None
        self.empty.setVisible(not has)
        self.scroll.setVisible(has)
        self.record_button.setVisible(has)
        self.sign_button.setVisible(has)
        self.status_label.setVisible(has)
        if proposal_id is None:
            self.header.setText("")
            self.actions_changed.emit()
            return
        try:
            self.form.load(proposal_id)
        except UserError as exc:
            msgbox.warning(self, exc.message)
            return
        detail = self.form.detail
        assert detail is not None
        self.header.setText(f"{detail.code} — {detail.title}")
        self.status_label.setText(detail.status.label)
        self._apply_actions()

    def _apply_actions(self) -> None:
        assert self.proposal_id is not None
        options = {o.action: o.refusal for o in self.services.proposals.allowed_actions(self.actor, self.proposal_id)}
        refused = options.get(Record.ACCEPTANCE, "")
        self.record_button.setEnabled(refused is None)
        self.record_button.setToolTip(refused or "Ghi kết quả nghiệm thu (Ctrl+S); ghi lại được cho tới khi ký duyệt")
        offered = Action.ACCEPT in options
        self.sign_button.setEnabled(offered)
        self.sign_button.setToolTip(options.get(Action.ACCEPT) or (
            "Ký duyệt kết quả nghiệm thu" if offered else "Đề án không ở trạng thái “Chờ nghiệm thu”."))
        self.actions_changed.emit()

    def action_refusal(self, name: str) -> str | None:
        if name == "save" and self.proposal_id is None:
            return "Chọn một đề án ở danh sách bên trái để ghi kết quả nghiệm thu."
        if name == "save" and not self.record_button.isEnabled():
            return self.record_button.toolTip()
        return super().action_refusal(name)

    # --- unsaved input -------------------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return self.proposal_id is not None and self.form.dirty

    def may_leave(self) -> bool:
        return self._may_leave(None)

    def _may_leave(self, _new_id: int | None) -> bool:
        """Typed figures are not dropped silently: leaving asks first."""
        if not self.has_unsaved_changes():
            return True
        answer = msgbox.ask_save_changes(self, "Kết quả nghiệm thu đang nhập chưa được ghi. Ghi trước khi chuyển "
                                               "sang đề án khác?")
        if answer == "save":
            return self._record()
        return answer == "discard"

    # --- actions -------------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Ctrl+S / "Ghi kết quả": record through the service; a refusal is shown and the input kept."""
        if self.proposal_id is None or not self.record_button.isEnabled():
            return
        if self._record():
            self._reload(self.proposal_id)
            show_success(self.message, "Đã ghi kết quả nghiệm thu.")

    def _record(self) -> bool:
        try:
            self.form.save()
        except UserError as exc:
            self.form.show_user_error(exc)
            self.message.show_error(exc.message)
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        return True

    def _on_sign_clicked(self) -> None:
        from desktop_app.ui.finance.dialogs import sign_off_acceptance_dialog

        if self.proposal_id is None:
            return
        if self.has_unsaved_changes():
            text = "Kết quả nghiệm thu đang nhập chưa được ghi. Hãy bấm “Ghi kết quả” trước khi ký duyệt."
            self.message.show_error(text)
            msgbox.warning(self, text)
            return
        options = {o.action: o.refusal for o in self.services.proposals.allowed_actions(self.actor, self.proposal_id)}
        refusal = options.get(Action.ACCEPT)
        if refusal:
            self.message.show_error(refusal)
            msgbox.warning(self, refusal)
            return
        if sign_off_acceptance_dialog(self, self.services, self.actor, self.proposal_id):
            self._reload(self.proposal_id)
            show_success(self.message, "Đã ký duyệt nghiệm thu; số liệu nghiệm thu đã được chốt.")

    def _reload(self, proposal_id: int) -> None:
        self.form.dirty = False
        self.proposals.reload()
        if self.proposal_id != proposal_id or self.proposals.current_id() != proposal_id:
            self.proposals.select_id(proposal_id)
        self._show(proposal_id)

    def focus_search(self) -> None:
        self.proposals.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.proposals.search.selectAll()

    # --- slots ---------------------------------------------------------------------------------------------------

    def _on_proposals_selected(self, proposal_id: object) -> None:
        self._show(proposal_id if isinstance(proposal_id, int) else None)

    def _on_form_changed(self) -> None:
        self.message.clear_message()
