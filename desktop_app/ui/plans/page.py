"""Kế hoạch năm: for a year and a scope, the envelope and its decision (set by a manager or the administrator), and
against it what the year's proposals requested, were approved, disbursed and settled — the ledger's stage figures as
``services.plans.year_plan`` sums them — what remains, a warning when the approvals pass the envelope, and the list of
proposals (double-click or Enter opens one).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Role, Scope, Status
from desktop_app.domain.errors import UserError
from desktop_app.domain.vietnamese import format_date, format_vnd
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.plans import PlanProposalRow, YearPlanView
from desktop_app.ui.page import Page
from desktop_app.ui.style import ERROR_STYLE, MUTED_TEXT
from desktop_app.ui.table_model import Column, ListModel
from desktop_app.ui.widgets import DateEdit, FieldMessage, FormFields, MoneyEdit
from desktop_app.ui.widgets.display import bold_label, setup_table, show_success, value_label

EDITORS = (Role.MANAGER, Role.ADMIN)


def _money(value: int | None) -> str:
    return "" if value is None else format_vnd(value)


PROPOSAL_COLUMNS: list[Column[PlanProposalRow]] = [
    Column("Mã đề án", lambda r: r.code),
    Column("Tên đề án", lambda r: r.title),
    Column("Trạng thái", lambda r: r.status.label),
    Column("Đề nghị (đồng)", lambda r: _money(r.requested_vnd), numeric=True),
    Column("Phê duyệt (đồng)", lambda r: _money(r.approved_vnd), numeric=True),
    Column("Đã giải ngân (đồng)", lambda r: _money(r.disbursed_vnd), numeric=True),
    Column("Quyết toán (đồng)", lambda r: _money(r.settled_vnd), numeric=True),
]


def _footer(rows: list[PlanProposalRow]) -> list[str]:
    def total(values: list[int | None]) -> str:
        return format_vnd(sum(v or 0 for v in values))

    return [f"Cộng: {len(rows)} đề án", "", "", total([r.requested_vnd for r in rows]),
            total([r.approved_vnd for r in rows]), total([r.disbursed_vnd for r in rows]),
            total([r.settled_vnd for r in rows])]


class ProposalTable(QTableView):
    """The plan's proposals; Enter opens the current one like a double-click."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.doubleClicked.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class PlanPage(Page):
    """The year's plan for one year and scope."""

    title = "Kế hoạch năm"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self.view_data: YearPlanView | None = None
        self.can_edit = actor.role in EDITORS

        self.year_combo = QComboBox()
        self.year_combo.setAccessibleName("Năm kế hoạch")
        self.year_combo.setEditable(True)  # a future year is typed
        self.year_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.scope_combo = QComboBox()
        self.scope_combo.setAccessibleName("Nguồn kinh phí")
        for scope in (Scope.LOCAL, Scope.NATIONAL):
            self.scope_combo.addItem(f"{scope.label} ({scope.short})", scope.value)
        top = QHBoxLayout()
        top.addWidget(QLabel("&Năm:"))
        top.itemAt(0).widget().setBuddy(self.year_combo)  # type: ignore[union-attr]
        top.addWidget(self.year_combo)
        scope_label = QLabel("Nguồn &kinh phí:")
        scope_label.setBuddy(self.scope_combo)
        top.addSpacing(12)
        top.addWidget(scope_label)
        top.addWidget(self.scope_combo)
        top.addStretch(1)

        # The envelope and its decision.
        envelope = QGroupBox("Kế hoạch kinh phí được giao")
        form = QFormLayout(envelope)
        self.fields = FormFields(form)
        self.allocated_edit = MoneyEdit()
        self.allocated_edit.setAccessibleName("Kinh phí được giao")
        self.decision_edit = QLineEdit()
        self.decision_edit.setMaxLength(50)
        self.decision_edit.setPlaceholderText("Ví dụ: 15/QĐ-UBND")
        self.decision_date_edit = DateEdit(optional=True)
        self.fields.add("allocated_vnd", "Kinh phí được giao (đồng)", self.allocated_edit, required=True)
        self.fields.add("decision_number", "Số quyết định giao", self.decision_edit)
        self.fields.add("decision_date", "Ngày quyết định", self.decision_date_edit)
        self.save_button = QPushButton("&Lưu kế hoạch")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.save_message = FieldMessage()
        form.addRow("", self.save_button)
        form.addRow("", self.save_message)
        if not self.can_edit:
            for widget in (self.allocated_edit, self.decision_edit):
                widget.setReadOnly(True)
            self.decision_date_edit.setReadOnly(True)
            self.save_button.setEnabled(False)
            self.save_button.setToolTip("Chỉ Lãnh đạo hoặc Quản trị hệ thống được giao kế hoạch kinh phí.")

        # The stages against the envelope.
        figures = QGroupBox("Thực hiện so với kế hoạch (kinh phí khuyến công)")
        grid = QGridLayout(figures)
        self.figure_labels: dict[str, QLabel] = {}
        items = (("allocated", "Kinh phí được giao"), ("requested", "Đề nghị"), ("approved", "Đã phê duyệt"),
                 ("remaining", "Còn lại của kế hoạch"), ("disbursed", "Đã giải ngân"),
                 ("to_disburse", "Còn phải giải ngân"), ("settled", "Đã quyết toán"))
        for i, (key, text) in enumerate(items):
            label = value_label("", numeric=True)
            font = label.font()
            font.setBold(key in ("approved", "remaining"))
            label.setFont(font)
            self.figure_labels[key] = label
            grid.addWidget(QLabel(text), i, 0)
            grid.addWidget(label, i, 1)
            grid.addWidget(QLabel("đồng"), i, 2)
        grid.setColumnStretch(1, 1)
        self.warning = FieldMessage()
        self.warning.setObjectName("plan_warning")

        upper = QHBoxLayout()
        upper.addWidget(envelope, 1)
        upper.addWidget(figures, 1)

        self.model: ListModel[PlanProposalRow] = ListModel(PROPOSAL_COLUMNS, self, footer=_footer)
        self.model.row_foreground = lambda r: QBrush(MUTED_TEXT) if r.status in (
            Status.CANCELLED, Status.STOPPED, Status.REJECTED) else None
        self.table = ProposalTable()
        self.table.setModel(self.model)
        setup_table(self.table, stretch_column=1)
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.setToolTip("Nhấp đúp hoặc nhấn Enter để mở đề án")
        self.heading = bold_label()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(upper)
        layout.addWidget(self.warning)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)

        self._fill_years()
        self.year_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        line = self.year_combo.lineEdit()
        assert line is not None
        line.editingFinished.connect(self.refresh)  # a typed year is loaded on Enter or on leaving the box
        self.scope_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    # --- choosing ------------------------------------------------------------------------------------------------

    def _fill_years(self) -> None:
        this_year = date.today().year
        years = sorted(set(self.services.plans.years(self.actor)) | {this_year, this_year + 1}, reverse=True)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(str(y))
        self.year_combo.setCurrentText(str(this_year))
        self.year_combo.blockSignals(False)

    def year(self) -> int | None:
        text = self.year_combo.currentText().strip()
        return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None

    def scope(self) -> Scope:
        return Scope(self.scope_combo.currentData())

    def show_plan(self, year: int, scope: Scope) -> None:
        """Choose the year and scope (as the user would) and load them."""
        self.scope_combo.blockSignals(True)
        self.scope_combo.setCurrentIndex(self.scope_combo.findData(scope.value))
        self.scope_combo.blockSignals(False)
        self.year_combo.setCurrentText(str(year))
        self.refresh()

    # --- loading -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        year = self.year()
        if year is None:
            self.warning.show_error("Năm kế hoạch phải là số trong khoảng 2000–2100.")
            return
        try:
            self.view_data = v = self.services.plans.year_plan(self.actor, year, self.scope())
        except UserError as exc:  # a role that may not read plans (the service says so)
            self.view_data = None
            self.model.set_rows([])
            self.warning.show_error(exc.message)
            return
        plan = v.plan
        self.allocated_edit.setValue(plan.allocated_vnd if plan.id is not None else None)
        self.decision_edit.setText(plan.decision_number)
        self.decision_date_edit.set_date_value(plan.decision_date)
        self.fields.clear()
        self.save_message.clear_message()
        figures = {"allocated": plan.allocated_vnd, "requested": v.requested_vnd, "approved": v.approved_vnd,
                   "remaining": v.remaining_vnd, "disbursed": v.disbursed_vnd, "to_disburse": v.to_disburse_vnd,
                   "settled": v.settled_vnd}
        for key, value in figures.items():
            self.figure_labels[key].setText(format_vnd(value))
        self.figure_labels["remaining"].setStyleSheet(ERROR_STYLE if v.remaining_vnd < 0 else "")
        if v.warning:
            self.warning.show_error(v.warning)
        elif plan.id is None:
            self.warning.show_warning(f"Chưa giao kế hoạch kinh phí năm {year} ({plan.scope.short}).")
        else:
            self.warning.clear_message()
        decided = (f", quyết định số {plan.decision_number}" if plan.decision_number else "") + (
            f" ngày {format_date(plan.decision_date)}" if plan.decision_date else "")
        self.heading.setText(f"Đề án năm {year} – {plan.scope.label}: {len(v.proposals)} đề án{decided}")
        self.model.set_rows(v.proposals)

    # --- saving --------------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Ctrl+S: save the envelope."""
        if self.can_edit:
            self._on_save_button_clicked()

    def _on_save_button_clicked(self) -> None:
        year, v = self.year(), self.view_data
        if year is None or v is None:
            return
        self.fields.clear()
        allocated = self.allocated_edit.value()
        if allocated is None:
            self.fields.set_error("allocated_vnd", "Chưa nhập kinh phí được giao.")
            self.fields.focus("allocated_vnd")
            return
        try:
            self.services.plans.save(self.actor, year, self.scope(), allocated, self.decision_edit.text(),
                                     self.decision_date_edit.date_value(),
                                     version=v.plan.version if v.plan.id is not None else None)
        except UserError as exc:
            if not self.fields.show_user_error(exc):
                self.save_message.show_error(exc.message)
            return
        self.refresh()
        show_success(self.save_message, f"Đã lưu kế hoạch kinh phí năm {year} ({self.scope().short}).")

    def has_unsaved_changes(self) -> bool:
        v = self.view_data
        if v is None or not self.can_edit:
            return False
        typed = (self.allocated_edit.value(), self.decision_edit.text().strip(), self.decision_date_edit.date_value())
        saved = (v.plan.allocated_vnd if v.plan.id is not None else None, v.plan.decision_number, v.plan.decision_date)
        return typed != saved

    # --- opening a proposal --------------------------------------------------------------------------------------

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if not index.isValid() or index.row() >= len(self.model.rows()):
            return  # the totals row
        # the proposal editor (~90 ms): when a proposal is first opened
        from desktop_app.ui.proposals.editor import open_proposal

        open_proposal(self, self.services, self.actor, self.model.row(index.row()).id)
        self.refresh()
