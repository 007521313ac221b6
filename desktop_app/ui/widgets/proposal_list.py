"""The list of proposals on the left of a record screen: a status filter, a search box and the proposals
(``services.proposals.search`` with the chosen statuses filtered in the query); it emits ``proposal_selected``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTableView, QWidget

from desktop_app.domain.enums import Status
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import Page, ProposalFilter, ProposalRow
from desktop_app.ui.table_model import Column, PagedTableModel
from desktop_app.ui.widgets.lists import ListColumns, list_layout, setup_list_view
from desktop_app.ui.widgets.search import SearchBox

PROPOSAL_COLUMNS: list[Column[ProposalRow]] = [
    Column("Mã đề án", lambda r: r.code, sort="code"),
    Column("Tên đề án", lambda r: r.title, sort="title"),
    Column("Năm", lambda r: str(r.year), sort="year", numeric=True, raw=lambda r: r.year),
    Column("Trạng thái", lambda r: r.status.label, sort="status"),
]
COL_TITLE, COL_YEAR = 1, 2
#: Room the side list asks of its screen: code and status fitted, the title readable (the year, in the code too,
#: is hidden until chosen from the header's menu; the list is still sorted by it, newest first).
SIDE_LIST_WIDTH = 400


class ProposalList(QWidget):
    """A status filter, a search box and the proposals; emits ``proposal_selected(id or None)``."""

    proposal_selected = Signal(object)

    def __init__(self, services: Services, actor: Actor, choices: Sequence[tuple[str, Sequence[Status]]],
                 parent: QWidget | None = None, columns: Sequence[Column[ProposalRow]] = PROPOSAL_COLUMNS,
                 name: str = "proposal_list") -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self._choices = list(choices)
        self.status_combo = QComboBox()
        for label, _statuses in self._choices:
            self.status_combo.addItem(label)
        self.status_combo.setAccessibleName("Lọc theo trạng thái")
        self.search = SearchBox("Tìm theo mã hoặc tên đề án…")
        self.model: PagedTableModel[ProposalRow] = PagedTableModel(columns, self._fetch_for(""), "code", self)
        self.view = QTableView()
        self.view.setModel(self.model)
        setup_list_view(self.view)
        self.view.setTabKeyNavigation(False)
        # Newest year first; the title takes the room left, at least enough to read it.
        self.columns = ListColumns(self.view, name, stretch=COL_TITLE, stretch_min=140, hidden=[COL_YEAR],
                                   sort=(COL_YEAR, Qt.SortOrder.DescendingOrder))
        self.count_label = QLabel()
        status_filter = QHBoxLayout()
        caption = QLabel("&Trạng thái:")
        caption.setBuddy(self.status_combo)
        status_filter.addWidget(caption)
        status_filter.addWidget(self.status_combo, 1)
        layout = list_layout(self.search, self.view, self.count_label, filters=[status_filter], parent=self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.search_changed.connect(lambda _t: self.reload())
        self._current: int | None = None
        self._first_load = True
        self._guard: Callable[[int | None], bool] | None = None
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_changed)

    def set_change_guard(self, guard: Callable[[int | None], bool]) -> None:
        """``guard(new_id)`` may refuse leaving the current proposal (unsaved input): the selection stays."""
        self._guard = guard

    def focus_search(self) -> None:
        """Ctrl+F: the cursor in the search box, its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _fetch_for(self, text: str) -> Callable[[int, int, str, bool], Page[ProposalRow]]:
        f = ProposalFilter(text=text, statuses=tuple(self._choices[max(self.status_combo.currentIndex(), 0)][1]))
        return lambda offset, limit, sort, descending: self.services.proposals.search(
            self.actor, f, offset, limit, sort, descending)

    def reload(self) -> None:
        """Fetch again (filter, search or data changed), keeping the selected proposal when it is still listed."""
        keep = self._current
        self.view.selectionModel().blockSignals(True)
        self.model.set_fetch(self._fetch_for(self.search.text().strip()))
        self.view.selectionModel().blockSignals(False)
        self.count_label.setText(f"{self.model.total} đề án")
        if keep is not None and self.select_id(keep):
            return
        if keep is None and self._first_load and self.model.rowCount():
            # Opening the screen shows the first proposal at once (and the list has a current row to move from).
            self._first_load = False
            self.select_id(self.model.row(0).id)
            return
        self._first_load = False
        self._set_current(None)

    def select_id(self, proposal_id: int) -> bool:
        """Select a proposal by id (fetching further pages if needed); False when it is not in the list or the
        change guard keeps the current one (unsaved input)."""
        if proposal_id != self._current and self._guard is not None and not self._guard(proposal_id):
            return False
        row = self._row_of(proposal_id)
        while row is None and self.model.canFetchMore():
            self.model.fetchMore()
            row = self._row_of(proposal_id)
        if row is None:
            return False
        self.view.selectionModel().blockSignals(True)
        self.view.setCurrentIndex(self.model.index(row, 0))
        self.view.selectRow(row)
        self.view.selectionModel().blockSignals(False)
        self._set_current(proposal_id)
        return True

    def _row_of(self, proposal_id: int) -> int | None:
        for i, r in enumerate(self.model.rows()):
            if r.id == proposal_id:
                return i
        return None

    def current_id(self) -> int | None:
        return self._current

    def current_row(self) -> ProposalRow | None:
        row = self._row_of(self._current) if self._current is not None else None
        return self.model.row(row) if row is not None else None

    def _set_current(self, proposal_id: int | None) -> None:
        changed = proposal_id != self._current
        self._current = proposal_id
        if changed:
            self.proposal_selected.emit(proposal_id)

    def _on_view_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        new_id = self.model.row(current.row()).id if current.isValid() else None
        if new_id == self._current:
            return
        if self._guard is not None and not self._guard(new_id):
            back = self._row_of(self._current) if self._current is not None else None
            self.view.selectionModel().blockSignals(True)
            if back is not None:
                self.view.setCurrentIndex(self.model.index(back, 0))
                self.view.selectRow(back)
            else:
                self.view.clearSelection()
            self.view.selectionModel().blockSignals(False)
            return
        self._set_current(new_id)
