"""The Thẩm định screen: proposals under appraisal on the left, the council and its score grid on the right.

Staff and managers see the proposals in Chờ thẩm định / Đang thẩm định (and, by filter, concluded ones); an
appraiser sees their own score sheets. The grid has one row per criterion (with its maximum) and one column
per member; the signed-in appraiser types in their own column only. A member with a conflict of interest is
struck out and left out of the live average, which is compared with the template's pass mark as it is typed.
Saving, submitting, declaring a conflict and concluding are the services' calls; a refusal is shown as the
service words it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.appraisal import Criterion, MemberScores, council_result, validate_points
from desktop_app.domain.enums import Action, Record, Role, Status
from desktop_app.domain.errors import UserError, ValidationError
from desktop_app.domain.vietnamese import format_date
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import CouncilView, ProposalDetail, ScoreTask, SheetView
from desktop_app.ui import msgbox
from desktop_app.ui.appraisal.dialogs import conclude_dialog, declare_conflict_dialog, open_council_dialog
from desktop_app.ui.appraisal.forms import (
    SIDE_LIST_WIDTH,
    ListModel,
    ProposalList,
    bold_label,
    format_points,
    proposal_heading,
    show_success,
    value_label,
)
from desktop_app.ui.errors import show_error
from desktop_app.ui.page import Page
from desktop_app.ui.table_model import Column
from desktop_app.ui.widgets import FieldMessage, ListColumns, set_read_only, setup_list_view

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
OWN_BACKGROUND = QColor("#fff8dc")
ERROR_BACKGROUND = QColor("#fde7e6")
ERROR_COLOR = QColor("#b3261e")
MUTED_COLOR = QColor("#8a8a8a")
TOTALS_BACKGROUND = QColor("#eef2f7")
PASS_COLOR = "#1b6e20"
FAIL_COLOR = "#b3261e"
POINTS_PATTERN = r"[0-9]{0,3}([.,][0-9]{0,2})?"

STAFF_CHOICES: list[tuple[str, tuple[Status, ...]]] = [
    ("Chờ thẩm định và đang thẩm định", (Status.SUBMITTED, Status.APPRAISING)),
    (Status.SUBMITTED.label, (Status.SUBMITTED,)),
    (Status.APPRAISING.label, (Status.APPRAISING,)),
    ("Đã kết luận: đạt thẩm định", (Status.APPRAISED,)),
    ("Đã kết luận: không đạt", (Status.REJECTED,)),
]


def parse_points(text: str) -> Decimal | None:
    """Points typed with a comma or a dot ("12,5"); None when empty or unreadable."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


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
            return _bold()
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
            return _RIGHT
        if role == Qt.ItemDataRole.FontRole and row == self.total_row:
            return _bold()
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
            return _CENTER if row == self.status_row else _RIGHT
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setStrikeOut(sheet.conflict and row != self.status_row)
            font.setBold(row == self.total_row)
            font.setItalic(row == self.status_row and not sheet.submitted)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if problem:
                return QBrush(ERROR_COLOR)
            if sheet.conflict or (not sheet.submitted and not own):
                return QBrush(MUTED_COLOR)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if problem:
                return QBrush(ERROR_BACKGROUND)
            if row >= self.criteria_count:
                return QBrush(TOTALS_BACKGROUND)
            if own and self._editable:
                return QBrush(OWN_BACKGROUND)
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
            return QBrush(MUTED_COLOR)
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


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class _PointsDelegate(QStyledItemDelegate):
    """A line edit that accepts only points (at most two decimals, comma or dot)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setValidator(QRegularExpressionValidator(POINTS_PATTERN, editor))
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
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

    def edit(self, *args: Any) -> Any:  # type: ignore[override]
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


TASK_COLUMNS: list[Column[ScoreTask]] = [
    Column("Mã đề án", lambda t: t.proposal_code),
    Column("Tên đề án", lambda t: t.proposal_title),
    Column("Ngày họp", lambda t: format_date(t.meeting_date)),
    Column("Phiếu", lambda t: "Đã nộp" if t.submitted else "Chưa nộp"),
]


class AppraisalPage(Page):
    """Thẩm định: councils and score sheets."""

    title = "Thẩm định"
    toolbar_actions = frozenset({"new", "save", "find"})

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        # Which list the left side shows is a matter of the user's work, not a permission: an appraiser works
        # from their own sheets, the centre from the proposals' statuses.
        self.is_appraiser = actor.role is Role.APPRAISER
        self.proposal_id: int | None = None
        self.detail: ProposalDetail | None = None
        self.council: CouncilView | None = None
        self._own_sheet_id: int | None = None
        self._comment_dirty = False
        self._refused_column: int | None = None
        self._build()
        self._show_proposal(None)
        self.refresh()
        if self.is_appraiser and self.proposal_id is None and self.tasks.rowCount():
            self.task_view.selectRow(0)  # the first sheet to fill, shown at once

    # --- building ------------------------------------------------------------------------------------------------

    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        if self.is_appraiser:
            left_layout.addWidget(bold_label("Phiếu chấm điểm của tôi"))
            self.tasks: ListModel[ScoreTask] = ListModel(TASK_COLUMNS, self)
            self.task_view = QTableView()
            self.task_view.setModel(self.tasks)
            setup_list_view(self.task_view)
            self.task_view.setTabKeyNavigation(False)
            self.task_columns = ListColumns(self.task_view, "appraisal/tasks", stretch=1, stretch_min=110)
            self.task_view.selectionModel().currentRowChanged.connect(self._on_task_view_current_changed)
            left_layout.addWidget(self.task_view, 1)
            self.proposals: ProposalList | None = None
        else:
            self.proposals = ProposalList(self.services, self.actor, STAFF_CHOICES, name="appraisal/proposals")
            self.proposals.proposal_selected.connect(self._on_proposals_selected)
            self.proposals.set_change_guard(self._may_leave)
            left_layout.addWidget(self.proposals, 1)
        splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        head, self.header, self.status_label = proposal_heading()
        right_layout.addLayout(head)

        self.stack = QStackedWidget()
        self.empty_page = QLabel("Chọn một đề án ở danh sách bên trái để xem hội đồng và phiếu chấm điểm.")
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_page.setWordWrap(True)
        self.stack.addWidget(self.empty_page)
        self.stack.addWidget(self._build_no_council())
        self.stack.addWidget(self._build_council())
        right_layout.addWidget(self.stack, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([SIDE_LIST_WIDTH, 1050 - SIDE_LIST_WIDTH])  # the room beside the navigation
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._on_submit_clicked)

    def _build_no_council(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.no_council_label = QLabel("Đề án chưa có hội đồng thẩm định.")
        self.no_council_label.setWordWrap(True)
        self.open_button_empty = QPushButton("&Mở hội đồng thẩm định…")
        self.open_button_empty.clicked.connect(self._on_open_clicked)
        layout.addWidget(self.no_council_label)
        row = QHBoxLayout()
        row.addWidget(self.open_button_empty)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _build_council(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        info = QGroupBox("Hội đồng thẩm định")
        grid = QGridLayout(info)
        grid.setHorizontalSpacing(12)
        self.decision_label = value_label()
        self.meeting_label = value_label()
        self.place_label = value_label()
        self.members_label = value_label()
        self.members_label.setWordWrap(True)
        grid.addWidget(QLabel("Quyết định thành lập:"), 0, 0)
        grid.addWidget(self.decision_label, 0, 1)
        grid.addWidget(QLabel("Ngày họp:"), 0, 2)
        grid.addWidget(self.meeting_label, 0, 3)
        grid.addWidget(QLabel("Địa điểm:"), 1, 0)
        grid.addWidget(self.place_label, 1, 1, 1, 3)
        grid.addWidget(QLabel("Thành viên:"), 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.members_label, 2, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addWidget(info)

        self.grid_model = ScoreGridModel(self)
        self.grid_model.edited.connect(self._on_grid_model_edited)
        self.grid = ScoreGridView()
        self.grid.setModel(self.grid_model)
        self.grid.setItemDelegate(_PointsDelegate(self.grid))
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.grid.setWordWrap(True)
        self.grid.verticalHeader().setVisible(False)
        self.grid.setTabKeyNavigation(False)
        self.grid.setAccessibleName("Bảng điểm: tiêu chí theo hàng, thành viên theo cột")
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(60)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid.edit_refused.connect(self._on_grid_edit_refused)
        layout.addWidget(self.grid, 10)  # the grid takes the room; the stretch below only fills what is left

        self.comment_box = QWidget()
        comment_layout = QHBoxLayout(self.comment_box)
        comment_layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("&Nhận xét của bạn:")
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(self.comment.fontMetrics().lineSpacing() * 2 + 14)
        self.comment.setPlaceholderText("Ý kiến nhận xét, đề nghị chỉnh sửa (nếu có)")
        caption.setBuddy(self.comment)
        self.comment.textChanged.connect(self._on_comment_changed)
        comment_layout.addWidget(caption)
        comment_layout.addWidget(self.comment, 1)
        layout.addWidget(self.comment_box)

        result = QGroupBox("Kết quả")
        result_layout = QGridLayout(result)
        self.average_caption = QLabel("Điểm bình quân:")
        self.average_label = bold_label()
        self.pass_mark_label = bold_label()
        self.result_label = bold_label()
        self.counts_label = value_label()
        self.counts_label.setWordWrap(True)  # a long note must not widen the screen and squeeze the list
        self.conclusion_label = value_label()
        self.conclusion_label.setWordWrap(True)
        result_layout.addWidget(self.average_caption, 0, 0)
        result_layout.addWidget(self.average_label, 0, 1)
        result_layout.addWidget(QLabel("Điểm đạt:"), 0, 2)
        result_layout.addWidget(self.pass_mark_label, 0, 3)
        result_layout.addWidget(QLabel("Kết quả:"), 0, 4)
        result_layout.addWidget(self.result_label, 0, 5)
        result_layout.addWidget(self.counts_label, 1, 0, 1, 6)
        result_layout.addWidget(self.conclusion_label, 2, 0, 1, 6)
        result_layout.setColumnStretch(6, 1)
        layout.addWidget(result)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Lưu nháp")
        self.save_button.setToolTip("Lưu phiếu chấm điểm của bạn, chưa nộp (Ctrl+S)")
        self.submit_button = QPushButton("Nộ&p phiếu")
        self.submit_button.setToolTip("Nộp phiếu chấm điểm để được tính vào điểm bình quân (Ctrl+Enter)")
        self.conflict_button = QPushButton("Khai báo &xung đột lợi ích…")
        self.reopen_button = QPushButton("&Mở lại phiếu để sửa…")
        self.reopen_button.setToolTip("Phiếu đã nộp không sửa được; mở lại để sửa rồi nộp lại (được đến khi hội đồng "
                                      "kết luận). Trong lúc mở lại, phiếu không được tính vào điểm bình quân.")
        self.reopen_button.setVisible(False)
        self._own_reopenable = False
        self.conclude_button = QPushButton("&Kết luận…")
        for b in (self.save_button, self.submit_button, self.conflict_button, self.reopen_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.conclude_button)
        self.save_button.clicked.connect(lambda: self._save_sheet(submit=False))
        self.submit_button.clicked.connect(self._on_submit_clicked)
        self.conflict_button.clicked.connect(self._on_conflict_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_clicked)
        self.conclude_button.clicked.connect(self._on_conclude_clicked)
        layout.addLayout(buttons)
        self.message = FieldMessage()
        layout.addWidget(self.message)
        layout.addStretch(1)
        return page

    # --- loading -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list and the selected council (what is typed and not saved yet is kept)."""
        if self.is_appraiser:
            keep = self.proposal_id
            self.tasks.set_rows(self.services.appraisal.my_tasks(self.actor, include_submitted=True))
            self.task_view.selectionModel().blockSignals(True)
            row = next((i for i, t in enumerate(self.tasks.rows()) if t.proposal_id == keep), None)
            if row is not None:
                self.task_view.selectRow(row)
            self.task_view.selectionModel().blockSignals(False)
            # A sheet that left the list (conflict declared, council concluded) stays on screen until another
            # is chosen, so the user sees what became of it.
        else:
            assert self.proposals is not None
            self.proposals.reload()
        if self.proposal_id is not None and not self.has_unsaved_changes():
            self._show_proposal(self.proposal_id)

    def select_proposal(self, proposal_id: int) -> bool:
        """Show a proposal (from another screen, or a test); False when it is not in the list."""
        if self.is_appraiser:
            row = next((i for i, t in enumerate(self.tasks.rows()) if t.proposal_id == proposal_id), None)
            if row is None:
                return False
            self.task_view.selectRow(row)
            return self.proposal_id == proposal_id
        assert self.proposals is not None
        return self.proposals.select_id(proposal_id)

    def _show_proposal(self, proposal_id: int | None) -> None:
        self._fill_proposal(proposal_id)
        self.actions_changed.emit()  # Ctrl+N / Ctrl+S depend on what is shown

    def _fill_proposal(self, proposal_id: int | None) -> None:
        self.proposal_id = proposal_id
        self.message.clear_message()
        self._refused_column = None
        if proposal_id is None:
            self.detail = self.council = None
            self.header.setText("")
            self.status_label.setVisible(False)
            self.stack.setCurrentWidget(self.empty_page)
            return
        try:
            self.detail = self.services.proposals.get(self.actor, proposal_id)
            self.council = self.services.appraisal.council(self.actor, proposal_id)
        except UserError as exc:
            msgbox.warning(self, exc.message)
            self.detail = self.council = None
            self.stack.setCurrentWidget(self.empty_page)
            return
        self.header.setText(f"{self.detail.code} — {self.detail.title}")
        self.status_label.setText(self.detail.status.label)
        self.status_label.setVisible(True)
        if self.council is None:
            self.stack.setCurrentIndex(1)
            self._apply_open_option(self.open_button_empty)
            return
        self.stack.setCurrentIndex(2)
        self._fill_council(self.council)

    def _fill_council(self, council: CouncilView) -> None:
        decision = council.decision_number
        if council.decision_date:
            decision += f" ngày {format_date(council.decision_date)}"
        self.decision_label.setText(decision or "—")
        self.meeting_label.setText(format_date(council.meeting_date) or "—")
        self.place_label.setText(council.place or "—")
        self.members_label.setText("; ".join(
            f"{s.member_name} ({s.member_role.label})" + (f" — xung đột lợi ích: {s.conflict_note}" if s.conflict
                                                          else "")
            for s in council.sheets))
        own = next((s for s in council.sheets if s.user_id == self.actor.id), None)
        self._own_sheet_id = own.id if own else None
        # The own column is where the signed-in member types; the service still checks every save.
        # A submitted sheet is frozen (the service refuses to save it); its member may reopen it until the
        # council concludes.
        editable = own is not None and not own.conflict and not council.concluded and not own.submitted
        self._own_reopenable = own is not None and own.submitted and not own.conflict and not council.concluded
        self.grid_model.set_council(council, self._own_sheet_id, editable)
        self.comment.blockSignals(True)
        self.comment.setPlainText(own.comment if own else "")
        self.comment.blockSignals(False)
        self._comment_dirty = False
        set_read_only(self.comment, not editable)
        self.comment_box.setVisible(own is not None)
        self._size_grid()
        # Independent scoring: the service sends no points of the others yet, so their columns are not shown.
        for i, sheet in enumerate(council.sheets):
            self.grid.setColumnHidden(ScoreGridModel.FIRST_MEMBER + i,
                                      council.scores_hidden and sheet.user_id != self.actor.id)
        own_column = self.grid_model.own_column
        if own_column is not None:
            self.grid.setCurrentIndex(self.grid_model.index(0, own_column))
        # Score buttons belong to the member's own sheet; anyone else who tries to type a score (or presses
        # Ctrl+S) is told by the service why not.
        self.save_button.setVisible(self.grid_model.editable)
        self.submit_button.setVisible(self.grid_model.editable)
        self.conflict_button.setVisible(own is not None and not own.conflict and not council.concluded)
        self.reopen_button.setVisible(self._own_reopenable)
        self._apply_conclude_option()
        self._update_result()

    def _size_grid(self) -> None:
        header = self.grid.horizontalHeader()
        members = self.grid_model.columnCount() - ScoreGridModel.FIRST_MEMBER
        self.grid.setColumnWidth(ScoreGridModel.COL_MAX, 60)
        for i in range(members):
            column = ScoreGridModel.FIRST_MEMBER + i
            # Wide enough for the member's name (bold for one's own), within reason.
            self.grid.setColumnWidth(column, max(96, min(header.sectionSizeHint(column) + 16, 190)))
        header.setSectionResizeMode(ScoreGridModel.COL_CRITERION, QHeaderView.ResizeMode.Stretch)
        self.grid.fit_to_rows()

    def _options(self) -> dict[Action | Record, str | None]:
        if self.proposal_id is None:
            return {}
        try:
            return {o.action: o.refusal for o in self.services.proposals.allowed_actions(self.actor, self.proposal_id)}
        except UserError:
            return {}

    def _apply_open_option(self, button: QPushButton) -> None:
        options = self._options()
        offered = Action.OPEN_COUNCIL in options
        button.setEnabled(offered)
        refusal = options.get(Action.OPEN_COUNCIL)
        button.setToolTip(refusal or ("" if offered else "Chỉ mở hội đồng cho đề án “Chờ thẩm định”."))

    def _apply_conclude_option(self) -> None:
        options = self._options()
        offered = [options[a] for a in (Action.PASS_APPRAISAL, Action.FAIL_APPRAISAL) if a in options]
        self.conclude_button.setVisible(bool(offered))
        refusal = None if any(r is None for r in offered) else (offered[0] if offered else None)
        self.conclude_button.setEnabled(refusal is None)
        self.conclude_button.setToolTip(refusal or "Kết luận thẩm định theo điểm bình quân")

    def _update_result(self) -> None:
        council = self.council
        if council is None:
            return
        if council.concluded:
            average, passed = council.average, council.passed
            self.average_caption.setText("Điểm bình quân:")
            counted, pending, excluded = council.counted, council.pending, council.excluded
            self.conclusion_label.setText(
                f"Đã kết luận{' (biên bản số ' + council.minutes_number + ')' if council.minutes_number else ''}: "
                f"{council.conclusion}")
            self.conclusion_label.setVisible(True)
        elif council.scores_hidden:
            self.average_caption.setText("Điểm bình quân:")
            self.average_label.setText("—")
            self.pass_mark_label.setText(format_points(council.pass_mark))
            self.result_label.setText("Công bố sau khi hội đồng kết luận")
            self.result_label.setStyleSheet("color: #444;")
            self.counts_label.setText("Mỗi thành viên chấm độc lập: điểm của các thành viên khác và kết quả chỉ "
                                      "hiện sau khi hội đồng kết luận. "
                                      f"Phiếu đã nộp: {council.counted}; chưa nộp: {council.pending}.")
            self.conclusion_label.setVisible(False)
            return
        else:
            result = council_result(self.grid_model.live_sheets(), council.pass_mark)
            average, passed = result.average, result.passed
            counted, pending, excluded = result.counted, result.pending, result.excluded
            self.average_caption.setText("Điểm bình quân (tạm tính):")
            self.conclusion_label.setVisible(False)
        self.average_label.setText(format_points(average, 2) if average is not None else "—")
        self.pass_mark_label.setText(format_points(council.pass_mark))
        if passed is None:
            self.result_label.setText("Chưa xác định")
            self.result_label.setStyleSheet("color: #444;")
        else:
            self.result_label.setText("Đạt" if passed else "Không đạt")
            self.result_label.setStyleSheet(f"color: {PASS_COLOR if passed else FAIL_COLOR};")
        self.counts_label.setText(f"Phiếu được tính: {counted}; chưa nộp: {pending}; "
                                  f"loại trừ do xung đột lợi ích: {excluded}.")

    # --- unsaved input -------------------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        """Scores or a comment typed and not saved (the main window asks before closing)."""
        return self.stack.currentIndex() == 2 and (self.grid_model.dirty or self._comment_dirty)

    def may_leave(self) -> bool:
        return self._may_leave(None)

    def _may_leave(self, _new_id: int | None) -> bool:
        """Leaving a sheet with unsaved scores saves them as a draft first; if that fails, stay."""
        if not self.has_unsaved_changes():
            return True
        return self._save_sheet(submit=False, quiet=True)

    # --- slots ---------------------------------------------------------------------------------------------------

    def _on_proposals_selected(self, proposal_id: object) -> None:
        self._show_proposal(proposal_id if isinstance(proposal_id, int) else None)

    def _on_task_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        new_id = self.tasks.row(current.row()).proposal_id if current.isValid() else None
        if new_id == self.proposal_id:
            return
        if not self._may_leave(new_id):
            back = next((i for i, t in enumerate(self.tasks.rows()) if t.proposal_id == self.proposal_id), None)
            self.task_view.selectionModel().blockSignals(True)
            if back is not None:
                self.task_view.selectRow(back)
            self.task_view.selectionModel().blockSignals(False)
            return
        self._show_proposal(new_id)

    def _on_grid_model_edited(self) -> None:
        self.message.clear_message()
        self._update_result()

    def _on_comment_changed(self) -> None:
        if not self.comment.isReadOnly():
            self._comment_dirty = True

    def _on_grid_edit_refused(self, column: int) -> None:
        if column != self._refused_column:
            self._refused_column = column
            self._explain_refusal(column, popup=False)

    def _on_open_clicked(self) -> None:
        if self.proposal_id is None:
            return
        if open_council_dialog(self, self.services, self.actor, self.proposal_id):
            self._reload_after_action(self.proposal_id)

    def _on_submit_clicked(self) -> None:
        if self.stack.currentIndex() != 2 or not self.submit_button.isVisible():
            return
        if self.grid_model.editable and not msgbox.confirm(
                self, "Nộp phiếu chấm điểm? Phiếu đã nộp được tính vào điểm bình quân của hội đồng."):
            return
        self._save_sheet(submit=True)

    def _on_conflict_clicked(self) -> None:
        if self._own_sheet_id is None or self.detail is None:
            return
        label = f"{self.detail.code} — {self.detail.title}"
        if declare_conflict_dialog(self, self.services, self.actor, self._own_sheet_id, label):
            self.grid_model.dirty = self._comment_dirty = False  # the sheet is out of the average, not to save
            self._reload_after_action(self.proposal_id)
            self.message.show_warning("Đã khai báo xung đột lợi ích: phiếu của bạn không được tính.")

    def _on_reopen_clicked(self) -> None:
        council = self.council
        if council is None or self._own_sheet_id is None or self.proposal_id is None:
            return
        sheet = next((x for x in council.sheets if x.id == self._own_sheet_id), None)
        if sheet is None or not msgbox.confirm(
                self, "Mở lại phiếu đã nộp để sửa? Cho đến khi nộp lại, phiếu không được tính vào điểm bình quân."):
            return
        try:
            self.services.appraisal.reopen_sheet(self.actor, sheet.id, sheet.version)
        except UserError as exc:
            self.message.show_error(exc.message)
            return
        self._reload_after_action(self.proposal_id)
        show_success(self.message, "Đã mở lại phiếu; sửa rồi nộp lại.")

    def _on_conclude_clicked(self) -> None:
        if self.proposal_id is None:
            return
        refusal = self.conclude_button.toolTip() if not self._conclude_allowed() else None
        if refusal:
            self.message.show_error(refusal)
            msgbox.warning(self, refusal)
            return
        if conclude_dialog(self, self.services, self.actor, self.proposal_id):
            self._reload_after_action(self.proposal_id)

    def _conclude_allowed(self) -> bool:
        options = self._options()
        return any(options.get(a, "x") is None for a in (Action.PASS_APPRAISAL, Action.FAIL_APPRAISAL))

    def _reload_after_action(self, proposal_id: int) -> None:
        """Reload the list and keep showing the proposal just acted on, even when it left the list's filter."""
        self.refresh()
        if self.proposal_id != proposal_id:
            self._show_proposal(proposal_id)

    # --- saving --------------------------------------------------------------------------------------------------

    def action_refusal(self, name: str) -> str | None:
        if name == "save" and not (self.stack.currentIndex() == 2 and self.grid_model.editable):
            return "Ctrl+S lưu nháp phiếu chấm điểm của bạn; đề án đang xem không có phiếu nào bạn được chấm."
        if name == "new":
            if self.stack.currentIndex() != 1:
                return "Ctrl+N mở hội đồng thẩm định cho đề án chưa có hội đồng; hãy chọn một đề án như vậy."
            if not self.open_button_empty.isEnabled():
                return self.open_button_empty.toolTip()
        return super().action_refusal(name)

    def save(self) -> None:
        """Ctrl+S: save the own score sheet as a draft (or say why the signed-in user has none to save)."""
        if self.stack.currentIndex() == 2:
            self._save_sheet(submit=False)

    def new_item(self) -> None:
        """Ctrl+N: open the council of the proposal shown, when it has none yet."""
        if self.stack.currentIndex() == 1 and self.open_button_empty.isEnabled():
            self._on_open_clicked()

    def focus_search(self) -> None:
        if self.proposals is not None:
            self.proposals.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.proposals.search.selectAll()
        else:
            self.task_view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _save_sheet(self, submit: bool, quiet: bool = False) -> bool:
        """Save (or hand in) the own sheet through the service; without one, ask the service and show why not."""
        council = self.council
        if council is None:
            return True
        if not self.grid_model.editable:
            column = self.grid.currentIndex().column() if self.grid.currentIndex().isValid() else -1
            self._explain_refusal(column, popup=True)
            return False
        sheet = self.grid_model.sheet_at(self.grid_model.own_column or 0)
        assert sheet is not None
        try:
            saved = self.services.appraisal.save_scores(self.actor, sheet.id, sheet.version,
                                                        self.grid_model.points_to_save(), self.comment.toPlainText(),
                                                        submit=submit)
        except UserError as exc:
            self._show_save_error(exc)
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        self.grid_model.dirty = self._comment_dirty = False
        if not quiet and self.proposal_id is not None:
            self._reload_after_action(self.proposal_id)
            show_success(self.message, "Đã nộp phiếu chấm điểm." if saved.submitted and submit
                         else "Đã lưu nháp phiếu chấm điểm.")
        return True

    def _show_save_error(self, exc: UserError) -> None:
        self.message.show_error(exc.message)
        field = exc.field or ""
        if field.startswith("criterion:") and self.grid_model.own_column is not None:
            row = self.grid_model.row_of_criterion(int(field.split(":", 1)[1]))
            if row is not None:
                index = self.grid_model.index(row, self.grid_model.own_column)
                self.grid.setCurrentIndex(index)
                self.grid.scrollTo(index)
                self.grid.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        msgbox.warning(self, exc.message)

    def _explain_refusal(self, column: int, popup: bool) -> None:
        """Ask the service why the signed-in user may not score the sheet of ``column`` (a query: nothing is
        written). The service decides; the screen only shows the answer."""
        council = self.council
        if council is None or not council.sheets or self.proposal_id is None:
            return
        sheet = self.grid_model.sheet_at(column) or council.sheets[0]
        try:
            reason = self.services.proposals.why_not(self.actor, Record.SCORE, self.proposal_id, sheet.id)
        except UserError as exc:
            reason = exc.message
        if reason:
            self.message.show_error(reason)
            if popup:
                msgbox.warning(self, reason)
            return
        # The service allows it: the sheet is the user's after all (e.g. the list was stale); show it afresh.
        self._show_proposal(self.proposal_id)
