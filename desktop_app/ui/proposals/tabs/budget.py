"""The “Dự toán” tab: the budget lines typed straight into a grid, their totals, and the support-cap check.

The grid (its model and view) is built in one place, :meth:`BudgetTab._build_grid`; the rest of the tab reaches it
through ``self.lines`` (the model: lines in, ``inputs()`` out, ``lines_changed``) and ``self.table`` (the view).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.budget import BudgetLineInput, SupportRule
from desktop_app.domain.errors import UserError
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.services.dto import BudgetLineView, CapView
from desktop_app.ui.proposals.budget_grid import BudgetGrid
from desktop_app.ui.proposals.dialogs import CapLabel, show_cap
from desktop_app.ui.proposals.models import BudgetLinesModel
from desktop_app.ui.proposals.tabs.base import ProposalTab, button
from desktop_app.ui.widgets import FieldMessage

#: Service fields reported against the budget grid (``validate_line``).
LINE_FIELDS = frozenset(BudgetLinesModel.FIELD_COLUMNS)


class BudgetTab(ProposalTab):
    """Dự toán: the lines (a totals row under them), the live totals and problems, and the cap check."""

    lines_changed = Signal()  # a cell typed, a line added or removed

    def __init__(self, parent: QWidget | None = None,
                 rule: Callable[[], SupportRule | None] | None = None) -> None:
        """``rule``: the support rule in force for what the General tab holds (the grid's suggestions obey it)."""
        super().__init__(parent)
        self._editable = True
        self._build_grid(rule)
        self.lines.lines_changed.connect(self._on_lines_changed)
        self.grid.percent_spin.valueChanged.connect(lambda _value: self.lines_changed.emit())
        self.add_button = button("Thêm dòng", "Thêm một dòng dự toán (Insert)", self)
        self.remove_button = button("Xóa dòng", "Xóa các dòng dự toán đang chọn (Ctrl+Delete, Ctrl+−)", self)
        self.add_button.clicked.connect(self.add_line)
        self.remove_button.clicked.connect(self.remove_line)
        self.totals_label = QLabel(self)
        self.totals_label.setWordWrap(True)
        self.message = FieldMessage(self)
        self.cap_label = CapLabel(self)
        cap_box = QGroupBox("Kiểm tra mức hỗ trợ tối đa")
        cap_layout = QVBoxLayout(cap_box)
        cap_layout.addWidget(self.cap_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        self.hint = QLabel("Gõ trực tiếp vào ô; Tab, Enter sang ô kế tiếp; dán khối từ Excel (Ctrl+V); "
                           "Ctrl+Z hoàn tác. Số tiền tính bằng đồng; số lượng dùng dấu phẩy cho phần thập "
                           "phân.", self)
        self.hint.setWordWrap(True)
        buttons.addWidget(self.hint, 1)
        buttons.addStretch(0)  # keeps the buttons their size when the hint is hidden (read-only)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.totals_label)
        layout.addWidget(cap_box)

    def _build_grid(self, rule: Callable[[], SupportRule | None] | None) -> None:
        """The spreadsheet-like grid (budget_grid.py: paste/copy, undo, Tab to typed cells, suggested support):
        ``self.lines`` (the model) and ``self.table`` (the view typed into)."""
        self.grid = BudgetGrid(self, rule)
        self.lines, self.table = self.grid.model, self.grid.view
        self.table.setAccessibleName("Dự toán kinh phí")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(BudgetLinesModel.COL_ITEM, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 90), (2, 80), (3, 125), (4, 135), (5, 135), (6, 135), (7, 110), (8, 150)):
            header.resizeSection(column, width)
        # The approved budget's column appears once the proposal is approved (its lines carry it).
        self.lines.modelReset.connect(self._on_lines_model_reset)
        self._on_lines_model_reset()

    def refresh_rule(self) -> None:
        """What the rule depends on changed (content, source of funds, place, start date)."""
        self.grid.refresh_rule()

    def _on_lines_model_reset(self) -> None:
        self.table.setColumnHidden(BudgetLinesModel.COL_APPROVED, not self.lines.has_approved)

    def _on_lines_changed(self) -> None:
        self._update_totals()
        self.lines_changed.emit()

    # --- the lines in and out ----------------------------------------------------------------------------------

    def fill(self, lines: Sequence[BudgetLineView | BudgetLineInput], percent: int | None = None) -> None:
        """Show the lines and the "Tỷ lệ hỗ trợ" stored with them (set first: the suggestions depend on it)."""
        self.grid.set_percent(percent)
        self.lines.set_lines(lines)

    def percent(self) -> int | None:
        """The "Tỷ lệ hỗ trợ" chosen, saved with the proposal (``ProposalInput.support_percent``)."""
        return self.grid.percent()

    def set_editable(self, editable: bool, reason: str | None = None) -> None:
        self._editable = editable
        self.lines.set_read_only(not editable)
        self.hint.setVisible(editable)
        for b in (self.add_button, self.remove_button):
            b.setEnabled(editable)
            b.setToolTip(reason or b.toolTip())

    def collect(self) -> list[BudgetLineInput]:
        return self.lines.inputs()

    def commit_open_cell(self) -> None:
        """A cell still being typed in (Ctrl+S pressed without leaving it) counts as typed."""
        focused = QApplication.focusWidget() or self.window().focusWidget()
        if focused is not None and focused is not self.table and self.table.isAncestorOf(focused):
            self.table.commitData(focused)

    def add_line(self) -> None:
        """“Thêm dòng”: a new line at the end (one undo step), its first cell open for typing."""
        if not self._editable:
            return
        row = self.lines.insert_line()
        self.reveal()
        index = self.lines.index(row, BudgetLinesModel.COL_ITEM)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def remove_line(self) -> None:
        """“Xóa dòng”: the selected lines (one undo step)."""
        if self._editable:
            self.table.delete_selected_lines()

    # --- totals, problems, the cap -------------------------------------------------------------------------------

    def _update_totals(self) -> None:
        t = self.lines.totals()
        share = f" ({t.support_vnd * 100 / t.total_vnd:.1f}% tổng kinh phí)".replace(".", ",") if t.total_vnd else ""
        self.totals_label.setText(
            f"Tổng kinh phí: <b>{format_vnd(t.total_vnd)}</b> đồng — khuyến công hỗ trợ "
            f"<b>{format_vnd(t.support_vnd)}</b> đồng{share}; đối ứng {format_vnd(t.counterpart_vnd)} đồng; "
            f"nguồn khác {format_vnd(t.other_vnd)} đồng.")
        self._update_line_problems()

    def _update_line_problems(self) -> None:
        problems = self.lines.problems()
        if not problems:
            self.message.clear_message()
            return
        shown = [exc.message for _row, exc in problems[:3]]
        more = f" (và {len(problems) - 3} dòng khác)" if len(problems) > 3 else ""
        self.message.show_error("\n".join(shown) + more)

    def show_cap(self, cap: CapView | None, placeholder: str = "") -> None:
        """The support-cap check: the rule in force, its legal basis and the allowed amount (or why none)."""
        show_cap(self.cap_label, cap, placeholder)

    def clear_messages(self) -> None:
        self.message.clear_message()
        self._update_line_problems()

    def show_error(self, exc: UserError) -> bool:
        """A refusal about a line: the first line with a problem, at the column of the field named; about the
        percentage: beside its box, the cursor in it."""
        if exc.field == "support_percent":
            self.reveal()
            self.message.show_error(exc.message)
            self.grid.percent_spin.setFocus(Qt.FocusReason.OtherFocusReason)
            self.grid.percent_spin.selectAll()
            return True
        if exc.field not in LINE_FIELDS:
            return False
        self.reveal()
        self.message.show_error(exc.message)
        problems = self.lines.problems()
        row = problems[0][0] if problems else 0
        if self.lines.line_count():
            self.table.setCurrentIndex(self.lines.index(row, BudgetLinesModel.FIELD_COLUMNS[exc.field]))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
