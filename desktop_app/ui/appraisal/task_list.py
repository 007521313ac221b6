"""The appraiser's own score sheets, on the left of the Thẩm định screen in place of the list of proposals."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QTableView, QVBoxLayout, QWidget

from desktop_app.domain.vietnamese import format_date
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import ScoreTask
from desktop_app.ui.table_model import Column, ListModel
from desktop_app.ui.widgets import ListColumns, setup_list_view
from desktop_app.ui.widgets.display import bold_label

TASK_COLUMNS: list[Column[ScoreTask]] = [
    Column("Mã đề án", lambda t: t.proposal_code),
    Column("Tên đề án", lambda t: t.proposal_title),
    Column("Ngày họp", lambda t: format_date(t.meeting_date)),
    Column("Phiếu", lambda t: "Đã nộp" if t.submitted else "Chưa nộp"),
]


class TaskList(QWidget):
    """The sheets the signed-in appraiser is to fill (and those handed in); emits ``proposal_selected(id or None)``
    like :class:`~desktop_app.ui.widgets.proposal_list.ProposalList`."""

    proposal_selected = Signal(object)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bold_label("Phiếu chấm điểm của tôi"))
        self.tasks: ListModel[ScoreTask] = ListModel(TASK_COLUMNS, self)
        self.view = QTableView()
        self.view.setModel(self.tasks)
        setup_list_view(self.view)
        self.view.setTabKeyNavigation(False)
        self.columns = ListColumns(self.view, "appraisal/tasks", stretch=1, stretch_min=110)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_changed)
        layout.addWidget(self.view, 1)
        self._current: int | None = None
        self._guard: Callable[[int | None], bool] | None = None

    def set_change_guard(self, guard: Callable[[int | None], bool]) -> None:
        """``guard(new_id)`` may refuse leaving the current sheet (unsaved scores): the selection stays."""
        self._guard = guard

    def reload(self) -> None:
        """Read the sheets again, keeping the selected one when it is still listed. A sheet that left the list
        (conflict declared, council concluded) stays on screen until another is chosen, so the user sees what
        became of it."""
        self.tasks.set_rows(self.services.appraisal.my_tasks(self.actor, include_submitted=True))
        row = self._row_of(self._current)
        self.view.selectionModel().blockSignals(True)
        if row is not None:
            self.view.selectRow(row)
        self.view.selectionModel().blockSignals(False)

    def select_id(self, proposal_id: int) -> bool:
        """Select the sheet of a proposal; False when it is not listed or the change guard keeps the current one."""
        row = self._row_of(proposal_id)
        if row is None:
            return False
        self.view.selectRow(row)
        return self._current == proposal_id

    def select_first(self) -> None:
        """Show the first sheet to fill (opening the screen)."""
        if self._current is None and self.tasks.rowCount():
            self.view.selectRow(0)

    def current_id(self) -> int | None:
        return self._current

    def focus_search(self) -> None:
        """Ctrl+F: the list has no search box; the cursor goes to the list."""
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _row_of(self, proposal_id: int | None) -> int | None:
        return next((i for i, t in enumerate(self.tasks.rows()) if t.proposal_id == proposal_id), None)

    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        new_id = self.tasks.row(current.row()).proposal_id if current.isValid() else None
        if new_id == self._current:
            return
        if self._guard is not None and not self._guard(new_id):
            back = self._row_of(self._current)
            self.view.selectionModel().blockSignals(True)
            if back is not None:
                self.view.selectRow(back)
            self.view.selectionModel().blockSignals(False)
            return
        self._current = new_id
        self.proposal_selected.emit(new_id)
