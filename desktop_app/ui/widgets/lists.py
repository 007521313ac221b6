"""One layout and one behaviour for every list of the program.

- :func:`list_layout` puts the parts in the same places on every screen: the search box with the list's buttons at
  its right, the filters under it, the table, and the count under the table.
- :class:`ListColumns` gives a table its columns' behaviour: widths from the content on first use (within bounds,
  the title-like column taking what is left), a column chooser on the header's context menu, and the widths,
  order, hidden columns and sort remembered per list on this computer (QSettings, through ``ui.settings``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.ui import settings
from desktop_app.ui.style import CAPTION_STYLE

MIN_WIDTH = 48
MAX_WIDTH = 360
SHORT_WIDTH = 140
_PADDING = 18


def list_layout(search: QWidget, table: QTableView, count: QLabel, buttons: Sequence[QWidget] = (),
                filters: Sequence[QWidget | QLayout] = (), heading: QWidget | None = None,
                parent: QWidget | None = None) -> QVBoxLayout:
    """Search (and the list's buttons at its right) / "Lọc:" and the filters / the table / the count."""
    layout = QVBoxLayout(parent) if parent is not None else QVBoxLayout()
    if heading is not None:
        layout.addWidget(heading)
    top = QHBoxLayout()
    top.addWidget(search, 1)
    for button in buttons:
        top.addWidget(button)
    layout.addLayout(top)
    if filters:
        row = QHBoxLayout()
        row.addWidget(QLabel("Lọc:"))
        for item in filters:
            if isinstance(item, QLayout):
                row.addLayout(item)
            else:
                row.addWidget(item)
        row.addStretch(0)
        layout.addLayout(row)
    layout.addWidget(table, 1)
    count.setStyleSheet(CAPTION_STYLE)
    layout.addWidget(count)
    return layout


def setup_list_view(view: QTableView) -> None:
    """The look every list shares: whole rows selected, one line per row, no row numbers; and new rows laid out at
    once (see :class:`_LayOutOnReset`). Call it after ``setModel``."""
    if view.model() is not None:
        _LayOutOnReset(view)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.horizontalHeader().setHighlightSections(False)


class _LayOutOnReset(QObject):
    """When the model is reset (a list's first page, a search's result), the view lays its rows out and shows or
    hides its scroll bar there and then, not in two later turns of the event loop: the window's next paint is then
    the last one, where it was a paint of the rows under the old layout and a second one once the scroll bar had
    appeared (at 100,000 rows, a second paint of the whole list)."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        view.model().modelReset.connect(self._lay_out)

    def _lay_out(self) -> None:
        view = self.view
        if not isValid(view) or not view.isVisible():
            return  # laid out when shown, as usual (or the view is being deleted: a QTableWidget clears its model)
        view.doItemsLayout()  # the rows and the scroll bars' ranges
        QCoreApplication.sendEvent(view, QEvent(QEvent.Type.LayoutRequest))  # the scroll bar shown or hidden


def _fit_within(natural: dict[int, int], floor: dict[int, int], room: int) -> dict[int, int]:
    """Widths no wider than ``natural`` that fit ``room`` by narrowing the widest columns first (a long name is
    cut with "…" before a short code is), never below ``floor`` (the header's text); may still exceed ``room``."""
    if sum(natural.values()) <= room or not natural:
        return dict(natural)
    cap = max(natural.values())
    while cap > MIN_WIDTH:
        widths = {c: max(floor[c], min(w, cap)) for c, w in natural.items()}
        if sum(widths.values()) <= room:
            return widths
        cap -= 4
    return {c: max(floor[c], min(w, cap)) for c, w in natural.items()}


class ListColumns(QObject):
    """The columns of one list: fitted to the content, chosen from the header's menu, remembered by ``name``.

    ``stretch`` is the column (the name or title) that takes the room left when the others are fitted, never less
    than ``stretch_min`` pixels; ``hidden`` are the columns hidden until the user shows them (rarely needed ones, so
    the rest fit without scrolling). ``sort`` is the first-use sort (column, order); a list with one is sortable by
    its header (leave the view's sorting off until then, so the model is not asked twice).
    """

    def __init__(self, view: QTableView, name: str, stretch: int | None = None, stretch_min: int = 200,
                 hidden: Iterable[int] = (), sort: tuple[int, Qt.SortOrder] | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.name = name
        self.stretch = stretch
        self.stretch_min = stretch_min
        self.default_hidden = set(hidden)
        self.default_sort = sort
        header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu_requested)
        self._fitted = False
        self._restoring = False
        self.auto = True  # widths follow the view's width until the user sets one (or one was remembered)
        saved = settings.load_state(self._key)
        model = view.model()
        for column in self.default_hidden:
            header.setSectionHidden(column, True)
        if saved is not None:
            self._restoring = True
            self._fitted = header.restoreState(saved)
            self.auto = not self._fitted
            self._restoring = False
        if sort is not None and saved is None:
            header.setSortIndicator(*sort)
        if sort is not None:  # sorting on: the remembered (or first-use) order is asked of the model, once
            view.setSortingEnabled(True)
        if not self._fitted:
            # Fitted once the first rows are in: after the event that brought them, so a QTableWidget filled
            # cell by cell is measured full.
            model.modelReset.connect(self._schedule_fit)
            model.rowsInserted.connect(self._schedule_fit)
            if model.rowCount():
                self._fit_once()
        header.sectionResized.connect(self._on_user_change)
        header.sectionMoved.connect(self._on_user_change)
        header.sortIndicatorChanged.connect(self._store)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Until the user has set a width, the columns follow the window (first shown, resized); the viewport's own
        # resize is the one that comes with its new width.
        if event.type() == QEvent.Type.Resize and self.auto and self.view.model().rowCount():
            self._fitted = True
            self.fit_to_content()
        return False

    @property
    def _key(self) -> str:
        return f"{self.name}/columns"

    # --- widths ------------------------------------------------------------------------------------------------

    def _schedule_fit(self, *_args: object) -> None:
        if not self._fitted:
            QTimer.singleShot(0, self, self._fit_once)  # dropped if the list is gone first

    def _fit_once(self) -> None:
        if self._fitted or not self.view.model().rowCount():
            return
        self._fitted = True
        self.fit_to_content()

    def fit_to_content(self) -> None:
        """Each column as wide as its header and the rows fetched so far (within bounds); the stretch column gets
        what is left of the view's width, but at least ``stretch_min``."""
        view, header = self.view, self.view.horizontalHeader()
        self._restoring = True  # a computed width is not a user's choice to remember
        try:
            model: QAbstractItemModel = view.model()
            shown = [c for c in range(model.columnCount()) if not header.isSectionHidden(c) and c != self.stretch]
            natural = {c: max(MIN_WIDTH, min(max(view.sizeHintForColumn(c), header.sectionSizeHint(c)) + _PADDING // 2,
                                             MAX_WIDTH)) for c in shown}
            # A short column (a code, a year, an amount, a status) is never cut; only the wide ones give way.
            floor = {c: natural[c] if natural[c] <= SHORT_WIDTH else max(MIN_WIDTH, header.sectionSizeHint(c))
                     for c in shown}
            room = view.viewport().width() - 2 - (self.stretch_min if self.stretch is not None else 0)
            widths = _fit_within(natural, floor, room)
            for column, width in widths.items():
                header.resizeSection(column, width)
            if self.stretch is not None:
                wanted = max(view.sizeHintForColumn(self.stretch), header.sectionSizeHint(self.stretch)) + _PADDING
                left = view.viewport().width() - 2 - sum(widths.values())
                # All the room left (the column reads best wide), never below the minimum.
                header.resizeSection(self.stretch, max(self.stretch_min, min(left, wanted + MAX_WIDTH)))
        finally:
            self._restoring = False

    # --- the chooser -------------------------------------------------------------------------------------------

    def menu(self) -> QMenu:
        """The header's context menu: one check per column (the last visible one cannot be hidden), and reset."""
        header, model = self.view.horizontalHeader(), self.view.model()
        menu = QMenu(self.view)
        menu.setToolTipsVisible(True)
        shown = [c for c in range(model.columnCount()) if not header.isSectionHidden(c)]
        for column in range(model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "").replace("\n", " ")
            action = QAction(title, menu)
            action.setCheckable(True)
            action.setChecked(column in shown)
            action.setEnabled(not (column in shown and len(shown) == 1))
            action.toggled.connect(lambda on, c=column: self.set_visible(c, on))
            menu.addAction(action)
        menu.addSeparator()
        reset = menu.addAction("Đặt lại cột như ban đầu")
        reset.triggered.connect(self.reset)
        return menu

    def _on_header_menu_requested(self, pos: QPoint) -> None:
        self.menu().popup(self.view.horizontalHeader().mapToGlobal(pos))

    def set_visible(self, column: int, visible: bool) -> None:
        header = self.view.horizontalHeader()
        header.setSectionHidden(column, not visible)
        if visible and header.sectionSize(column) < MIN_WIDTH:
            header.resizeSection(column, max(MIN_WIDTH, self.view.sizeHintForColumn(column) + _PADDING // 2))
        self._store()

    def reset(self) -> None:
        """Back to the first-use columns: default order, visibility, widths from the content and sort."""
        header = self.view.horizontalHeader()
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            if logical != visual:
                header.moveSection(header.visualIndex(visual), visual)
        for column in range(header.count()):
            header.setSectionHidden(column, column in self.default_hidden)
        self.fit_to_content()
        if self.default_sort is not None and self.view.isSortingEnabled():
            self.view.sortByColumn(*self.default_sort)
        self._store()

    # --- memory ------------------------------------------------------------------------------------------------

    def _on_user_change(self, *_args: object) -> None:
        if not self._restoring:
            self.auto = False
            self._store()

    def _store(self, *_args: object) -> None:
        if not self._restoring:
            settings.save_state(self._key, self.view.horizontalHeader().saveState())

    def visible_columns(self) -> list[int]:
        """The shown columns in their on-screen order."""
        header = self.view.horizontalHeader()
        return [header.logicalIndex(v) for v in range(header.count()) if not header.isSectionHidden(
            header.logicalIndex(v))]
