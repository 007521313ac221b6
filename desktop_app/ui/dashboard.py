"""The "Tổng quan" screen: proposals by state and funding by year and scope as charts, what is due or overdue,
and the signed-in user's own tasks (an appraiser sees the score sheets waiting for them)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Role, Scope, Status
from desktop_app.domain.vietnamese import format_date, format_document_date
from desktop_app.domain.workflow import STATUS_ORDER
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import DashboardData, DueItem
from desktop_app.ui import settings
from desktop_app.ui.errors import show_error
from desktop_app.ui.page import Page
from desktop_app.ui.style import (
    BAR_LABEL_TEXT,
    CARD_BORDER,
    FIGURE_TEXT,
    HEADING_STYLE,
    OVERDUE_TEXT,
    STAGE_COLOURS,
    STATUS_BAR_COLOUR,
)

MAX_DUE_ROWS = 500  # the table is a reminder, not a report: the rest is counted below it
_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_KEY_ROLE = Qt.ItemDataRole.UserRole + 2
_CODES_ROLE = Qt.ItemDataRole.UserRole + 3


class _Figure(QFrame):
    """A number with its caption (the row of key figures above the charts)."""

    def __init__(self, caption: str, colour: QColor = FIGURE_TEXT) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"_Figure {{ background: white; border: 1px solid {CARD_BORDER.name()}; "
                           "border-radius: 6px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 6)
        layout.setSpacing(0)
        self.value = QLabel("0")
        self.value.setStyleSheet(f"font-size: 17pt; font-weight: bold; color: {colour.name()};")
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


def days_left_text(due: date, today: date, overdue: bool) -> str:
    """The state of a deadline with the days counted: "Còn 5 ngày", "Hôm nay là hạn", "Quá hạn 3 ngày"."""
    days = (due - today).days
    if overdue:
        return f"Quá hạn {-days} ngày" if days < 0 else "Quá hạn"
    return "Hôm nay là hạn" if days == 0 else f"Còn {days} ngày"


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setPointSize(11)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(4)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    # Axis numbers as a Vietnamese reader writes them: 12.500, not 12500.
    chart.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    chart.setLocalizeNumbers(True)
    return chart


class DashboardPage(Page):
    """Figures and reminders for today; double-click a reminder to open the proposal."""

    title = "Tổng quan"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(services, actor, parent)
        self.today = today
        self.data: DashboardData | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        self.heading = QLabel("Tổng quan")
        self.heading.setStyleSheet(HEADING_STYLE)
        self.subheading = QLabel()
        # The figures and charts for one plan year and scope (the reminders and tasks stay whole).
        self.year_combo = QComboBox()
        self.year_combo.setAccessibleName("Năm kế hoạch")
        self.year_combo.addItem("Mọi năm", None)
        for year in services.plans.years(actor):
            self.year_combo.addItem(str(year), year)
        self.scope_combo = QComboBox()
        self.scope_combo.setAccessibleName("Nguồn kinh phí")
        self.scope_combo.addItem("Mọi nguồn", None)
        for scope in (Scope.LOCAL, Scope.NATIONAL):
            self.scope_combo.addItem(scope.short, scope.value)
        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addSpacing(16)
        for text, combo in (("&Năm:", self.year_combo), ("Ng&uồn:", self.scope_combo)):
            label = QLabel(text)
            label.setBuddy(combo)
            head.addWidget(label)
            head.addWidget(combo)
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        head.addStretch(1)
        head.addWidget(self.subheading)
        layout.addLayout(head)

        figures = QGridLayout()
        figures.setHorizontalSpacing(10)
        self.total_figure = _Figure("đề án trong cơ sở dữ liệu")
        self.appraisal_figure = _Figure("đề án chờ hoặc đang thẩm định")
        self.progress_figure = _Figure("đề án đang thực hiện hoặc chờ nghiệm thu")
        self.overdue_figure = _Figure("việc đã quá hạn", OVERDUE_TEXT)
        for i, figure in enumerate((self.total_figure, self.appraisal_figure, self.progress_figure,
                                    self.overdue_figure)):
            figures.addWidget(figure, 0, i)
        layout.addLayout(figures)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("dashboard_splitter")
        charts = QWidget()
        charts_layout = QHBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        self.status_view = QChartView()
        self.funding_view = QChartView()
        for view in (self.status_view, self.funding_view):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(230)
            charts_layout.addWidget(view)
        self.splitter.addWidget(charts)

        lists = QWidget()
        lists_layout = QHBoxLayout(lists)
        lists_layout.setContentsMargins(0, 0, 0, 0)
        due_box = QGroupBox("Việc đến hạn và quá hạn")
        due_layout = QVBoxLayout(due_box)
        self.due_table = QTableWidget(0, 3)
        self.due_table.setHorizontalHeaderLabels(["Hạn", "Việc", "Tình trạng"])
        self.due_table.verticalHeader().setVisible(False)
        self.due_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.due_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.due_table.setWordWrap(False)
        self.due_table.verticalHeader().setDefaultSectionSize(24)
        self.due_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.due_table.setColumnWidth(0, 90)
        self.due_table.setColumnWidth(2, 100)
        self.due_table.cellActivated.connect(self._on_due_table_cell_activated)
        self.due_table.cellDoubleClicked.connect(self._on_due_table_cell_activated)
        self.due_more = QLabel()
        due_layout.addWidget(self.due_table)
        due_layout.addWidget(self.due_more)
        tasks_box = QGroupBox(f"Việc của tôi ({actor.role.label})")
        tasks_layout = QVBoxLayout(tasks_box)
        self.tasks = QListWidget()
        self.tasks.setWordWrap(True)
        self.tasks.setAlternatingRowColors(True)
        self.tasks.setSpacing(2)
        self.tasks.itemActivated.connect(self._on_tasks_item_activated)
        self.tasks.itemDoubleClicked.connect(self._on_tasks_item_activated)
        tasks_layout.addWidget(self.tasks)
        lists_layout.addWidget(due_box, 3)
        lists_layout.addWidget(tasks_box, 2)
        self.splitter.addWidget(lists)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        settings.remember_splitter(self.splitter, "dashboard")
        layout.addWidget(self.splitter, 1)
        self.refresh()

    # --- loading -----------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        today = self.today or date.today()
        scope = self.scope_combo.currentData()
        self.data = self.services.dashboard.overview(self.actor, today, self.year_combo.currentData(),
                                                     Scope(scope) if scope else None)
        organisation = self.services.organisation.get()
        place = organisation.place_name or organisation.province_name
        self.subheading.setText(format_document_date(place, today) if place else format_date(today))
        self._show_figures(self.data)
        self._show_status_chart(self.data)
        self._show_funding_chart(self.data)
        self._show_due(self.data.due)
        self._show_tasks(self.data)

    def _show_figures(self, data: DashboardData) -> None:
        counts = data.by_status
        self.total_figure.value.setText(f"{sum(counts.values()):,}".replace(",", "."))
        self.appraisal_figure.value.setText(str(sum(counts[s] for s in (Status.SUBMITTED, Status.APPRAISING))))
        self.progress_figure.value.setText(
            str(sum(counts[s] for s in (Status.IN_PROGRESS, Status.AWAITING_ACCEPTANCE))))
        self.overdue_figure.value.setText(str(sum(1 for d in data.due if d.overdue)))

    def _show_status_chart(self, data: DashboardData) -> None:
        chart = _chart("Đề án theo trạng thái")
        shown = list(reversed(STATUS_ORDER))  # horizontal bars draw bottom-up: first state on top
        bars = QBarSet("Số đề án")
        bars.setColor(STATUS_BAR_COLOUR)
        bars.setLabelColor(BAR_LABEL_TEXT)  # the count beside each bar (white by default: invisible)
        for status in shown:
            bars.append(data.by_status.get(status, 0))
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([s.label for s in shown])
        categories.setTruncateLabels(False)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        values = QValueAxis()
        top = max([*data.by_status.values(), 1])
        values.setRange(0, max(top * 1.1, 4))
        values.applyNiceNumbers()
        values.setLabelFormat("%.0f")  # a localised axis shows nothing for "%d"
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)
        chart.legend().setVisible(False)
        self.status_view.setChart(chart)

    def _show_funding_chart(self, data: DashboardData) -> None:
        chart = _chart("Khuyến công phê duyệt, đã giải ngân (triệu đồng)")
        years = sorted({row[0] for row in data.funding})
        series = QBarSeries()
        top = 1.0
        for label, column, colour in (("Phê duyệt", 3, STAGE_COLOURS[0]), ("Đã giải ngân", 4, STAGE_COLOURS[1])):
            bars = QBarSet(label)
            bars.setColor(colour)
            amounts: dict[int, int] = {}
            for year, _scope, _count, approved, disbursed in data.funding:
                amounts[year] = amounts.get(year, 0) + (approved if column == 3 else disbursed)
            for year in years:
                millions = round(amounts.get(year, 0) / 1_000_000)  # whole millions: the label stays short
                top = max(top, millions)
                bars.append(millions)
            series.append(bars)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([str(y) for y in years] or ["—"])
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        values = QValueAxis()
        values.setRange(0, max(top * 1.1, 5))  # at least 0–5 so an empty database shows no repeated labels
        values.applyNiceNumbers()
        values.setLabelFormat("%.0f")
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsPrecision(9)
        series.setLabelsAngle(-90)  # two bars a year side by side: upright labels do not overlap
        for bar_set in series.barSets():
            bar_set.setLabelColor(BAR_LABEL_TEXT)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.funding_view.setChart(chart)

    def _show_due(self, due: list[DueItem]) -> None:
        shown = due[:MAX_DUE_ROWS]
        self.due_table.setRowCount(len(shown))
        for row, item in enumerate(shown):
            cells = [QTableWidgetItem(format_date(item.due)), QTableWidgetItem(item.text),
                     QTableWidgetItem(days_left_text(item.due, self.today or date.today(), item.overdue))]
            for cell in cells:
                cell.setData(_ID_ROLE, item.proposal_id)
                cell.setToolTip(item.text)
                if item.overdue:
                    cell.setForeground(QBrush(OVERDUE_TEXT))
            self.due_table.setItem(row, 0, cells[0])
            self.due_table.setItem(row, 1, cells[1])
            self.due_table.setItem(row, 2, cells[2])
        if not due:
            self.due_more.setText("Không có việc nào đến hạn.")
        elif len(due) > MAX_DUE_ROWS:
            self.due_more.setText(f"Đang hiện {MAX_DUE_ROWS} trong {len(due):,} việc".replace(",", "."))
        else:
            self.due_more.setText("Nhấn đúp vào một dòng để mở đề án.")

    def _show_tasks(self, data: DashboardData) -> None:
        self.tasks.clear()
        for row, text in enumerate(data.tasks):
            item = QListWidgetItem(text, self.tasks)
            codes = data.task_codes[row] if row < len(data.task_codes) else []
            item.setData(_CODES_ROLE, list(codes))
            item.setToolTip(f"{text}\n(Nhấn đúp hoặc Enter để mở đề án)" if codes else text)
        if self.actor.role is Role.APPRAISER and data.score_tasks:
            for row, task in zip(range(self.tasks.count()), data.score_tasks, strict=False):
                item = self.tasks.item(row)
                item.setData(_ID_ROLE, task.proposal_id)
                item.setData(_KEY_ROLE, "appraisal")

    # --- actions -----------------------------------------------------------------------------------------------

    def _on_due_table_cell_activated(self, row: int, _column: int) -> None:
        item = self.due_table.item(row, 0)
        proposal_id = item.data(_ID_ROLE) if item else None
        if proposal_id is not None:
            self._open_proposal(int(proposal_id))

    def _on_tasks_item_activated(self, item: QListWidgetItem) -> None:
        if item.data(_KEY_ROLE) == "appraisal":
            # A score sheet is filled on the Thẩm định screen.
            window = self.window()
            if hasattr(window, "show_screen_by_key"):
                window.show_screen_by_key("appraisal")
            return
        codes = item.data(_CODES_ROLE) or []
        code = codes[0] if len(codes) == 1 else self.choose_code(codes) if codes else None
        if code:
            self._open_proposal(self.services.proposals.get_by_code(self.actor, code).id)

    def choose_code(self, codes: list[str]) -> str | None:
        """Which of a task's proposals to open, when the line names several."""
        code, ok = QInputDialog.getItem(self, "Mở đề án", f"Chọn đề án cần mở ({len(codes)} đề án):", codes, 0, False)
        return code if ok and code else None

    def _open_proposal(self, proposal_id: int) -> None:
        # the proposal editor (~90 ms): not at start-up, when one is opened
        from desktop_app.ui.proposals.editor import open_proposal

        try:
            open_proposal(self, self.services, self.actor, proposal_id)
        except Exception as exc:
            show_error(self, exc)
        self.refresh()
