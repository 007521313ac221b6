"""Hội đồng: the appraisal and acceptance councils (date, members, proposal, state) with filters. An appraiser sees
"Hội đồng của tôi" — only the councils he sits on (the service enforces it) — with what is left for him to do.
Double-click or Enter opens the council's proposal.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop_app.domain.enums import CouncilKind, Role
from desktop_app.domain.vietnamese import format_date
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.councils import CouncilFilter, CouncilRow
from desktop_app.ui.page import Page
from desktop_app.ui.style import CAPTION_STYLE, DISABLED_TEXT, TODO_TEXT
from desktop_app.ui.table_model import Column, ListModel
from desktop_app.ui.widgets import SearchBox
from desktop_app.ui.widgets.display import bold_label, setup_table

COLUMNS: list[Column[CouncilRow]] = [
    Column("Loại", lambda r: "Thẩm định" if r.kind is CouncilKind.APPRAISAL else "Nghiệm thu"),
    Column("Ngày họp", lambda r: format_date(r.meeting_date) if r.meeting_date else ""),
    Column("Số quyết định", lambda r: r.decision_number),
    Column("Mã đề án", lambda r: r.proposal_code),
    Column("Tên đề án", lambda r: r.proposal_title),
    Column("Thành viên", lambda r: f"{len(r.members)}: " + "; ".join(m.split(" (")[0] for m in r.members)),
    Column("Tình trạng", lambda r: r.state),
]
MY_TASK = Column[CouncilRow]("Việc của tôi", lambda r: r.my_task)


class CouncilTable(QTableView):
    """Enter opens the current council's proposal like a double-click."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.doubleClicked.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class CouncilsPage(Page):
    """The councils list with its filters."""

    title = "Hội đồng"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Loại hội đồng")
        self.kind_combo.addItem("Tất cả", None)
        for kind in CouncilKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.year_combo = QComboBox()
        self.year_combo.setAccessibleName("Năm kế hoạch")
        self.year_combo.addItem("Tất cả các năm", None)
        for year in services.plans.years(actor):
            self.year_combo.addItem(str(year), year)
        self.state_combo = QComboBox()
        self.state_combo.setAccessibleName("Tình trạng")
        for text, value in (("Tất cả", None), ("Đang làm việc", False), ("Đã kết luận", True)):
            self.state_combo.addItem(text, value)
        self.search = SearchBox("Tìm theo mã, tên đề án hoặc số quyết định…")
        filters = QHBoxLayout()
        for text, widget in (("&Loại:", self.kind_combo), ("&Năm:", self.year_combo),
                             ("&Tình trạng:", self.state_combo)):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
            filters.addSpacing(8)
        filters.addWidget(self.search, 1)

        self.heading = bold_label()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() + 1.5)
        self.heading.setFont(font)
        self.count_label = QLabel()
        self.count_label.setStyleSheet(CAPTION_STYLE)
        self.mine = actor.role is Role.APPRAISER
        self.model: ListModel[CouncilRow] = ListModel([*COLUMNS, MY_TASK] if self.mine else COLUMNS, self)
        self.model.row_foreground = self._foreground
        self.model.row_tooltip = lambda r: "\n".join(r.members)
        self.table = CouncilTable()
        self.table.setModel(self.model)
        last = self.model.columnCount() - 1
        setup_table(self.table, stretch_column=last)
        # Title and member names can be long: fixed widths (the tooltip lists the members), so the state and the
        # appraiser's task stay in view; the last column takes what is left.
        header = self.table.horizontalHeader()
        for column, width in ((4, 200 if self.mine else 250), (5, 150 if self.mine else 200), (6, 220)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.table.setColumnHidden(2, self.mine)  # the decision number matters to the organisers, not the members
        self.table.setWordWrap(False)
        self.table.setToolTip("Nhấp đúp hoặc nhấn Enter để mở đề án của hội đồng")
        self.table.doubleClicked.connect(self._on_table_double_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        for combo in (self.kind_combo, self.year_combo, self.state_combo):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.search.search_changed.connect(lambda _t: self.refresh())
        self.refresh()

    def _foreground(self, row: CouncilRow) -> QBrush | None:
        if row.my_task_open:
            return QBrush(TODO_TEXT)
        return QBrush(DISABLED_TEXT) if row.concluded else None

    def current_filter(self) -> CouncilFilter:
        kind = self.kind_combo.currentData()
        return CouncilFilter(kind=CouncilKind(kind) if kind else None, year=self.year_combo.currentData(),
                             concluded=self.state_combo.currentData(), text=self.search.text())

    def refresh(self) -> None:
        result = self.services.councils.councils(self.actor, self.current_filter())
        self.heading.setText("Hội đồng của tôi" if result.only_mine else "Hội đồng thẩm định và nghiệm thu")
        self.model.set_rows(result.rows)
        shown = len(result.rows)
        todo = sum(1 for r in result.rows if r.my_task_open)
        text = f"{result.total} hội đồng" + (f" (hiển thị {shown} hội đồng đầu tiên)" if shown < result.total else "")
        if result.only_mine:
            text += f"; {todo} hội đồng còn phiếu chấm điểm chờ bạn nộp"
        self.count_label.setText(text)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        # the proposal editor (~90 ms): when a proposal is first opened
        from desktop_app.ui.proposals.editor import open_proposal

        open_proposal(self, self.services, self.actor, self.model.row(index.row()).proposal_id)
        self.refresh()
