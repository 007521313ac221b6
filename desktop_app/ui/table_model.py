"""One recipe for list models: columns declared once, display text vs raw sort value, the row object under a
custom role. :class:`PagedTableModel` fetches page by page from a service so a 100,000-row table opens at once;
:class:`ListModel` holds a short list already in memory (a council's members, a proposal's attachments …).

Sorting asks the service for a new ordering (SQL ``ORDER BY``), never a ``QSortFilterProxyModel``.

A screen that calls :meth:`PagedTableModel.load_in_background` gets lists that never wait on the GUI thread: the
first page is fetched by a worker (through :func:`desktop_app.ui.tasks.run_quietly`) and shown as soon as it comes,
the total is counted afterwards and announced by ``total_changed``, further pages are fetched by workers as the
user scrolls, and a newer reload (the next keystroke, another sort) cancels the older one, whose result is dropped.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from desktop_app.progress import Progress
from desktop_app.services.dto import Page
from desktop_app.ui.errors import show_error
from desktop_app.ui.style import DISABLED_TEXT, MONEY_CELL, TEXT_CELL, bold_font
from desktop_app.ui.tasks import is_synchronous, run_quietly

T = TypeVar("T")
log = logging.getLogger(__name__)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_SIZE = 500
ALL_ROWS = 2**31 - 1  # the ``limit`` that asks for every remaining row
#: While the user types (a first page asked for within ``TYPING_GAP_S`` of the previous one), the count waits this
#: long after the page is shown: a keystroke meanwhile makes it unnecessary, and a count of the whole list then never
#: competes with the next search for the two cores of an office machine. A list just opened (or re-sorted after a
#: pause) is counted at once: its scroll bar gets its length without a wait.
COUNT_DELAY_MS = 150
TYPING_GAP_S = 1.0
#: The first page in the background mode: a screenful or two (a tall screen shows about 60 rows); the next pages
#: are full ones, fetched while the user looks at the first.
FIRST_PAGE_ROWS = 120
#: A list just opened (not a keystroke, not a sort): the GUI thread waits this long at most for its first page, read
#: by a worker, so the window is painted once with its rows rather than empty and then again; a slower page comes
#: through the event loop as any other.
OPENING_WAIT_S = 0.035
Index = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ROW = int(ROW_ROLE)
_SORT = int(SORT_ROLE)
_SERVED_ROLES = frozenset({_DISPLAY, _ALIGNMENT, _ROW, _SORT})
_HORIZONTAL = Qt.Orientation.Horizontal
#: QStyledItemDelegate::initStyleOption asks for font, alignment, foreground, check state, decoration, display and
#: background, in that order (Qt 6)
_DELEGATE_ROLES, _DELEGATE_ALIGNMENT, _DELEGATE_DISPLAY = 7, 1, 5


@dataclass(frozen=True)
class Column(Generic[T]):
    """A column: header, how to show a row, the service's sort key (None: not sortable), right-aligned?"""

    header: str
    text: Callable[[T], str]
    sort: str | None = None
    numeric: bool = False
    raw: Callable[[T], Any] | None = None


@dataclass(frozen=True)
class ListSource(Generic[T]):
    """What a background list asks for, captured on the GUI thread (the filter as the widgets show it) and then
    called on worker threads: ``rows(offset, limit, sort, descending)`` without the total, and ``count()``."""

    rows: Callable[[int, int, str, bool], Sequence[T]]
    count: Callable[[], int]


class PagedTableModel(QAbstractTableModel, Generic[T]):
    """Rows fetched page by page from ``fetch(offset, limit, sort, descending)``."""

    #: the number of matching rows, once counted (in the background mode it comes after the first page)
    total_changed = Signal(int)
    #: a reload's first page is in the model (or failed): the list is ready to be looked at
    loaded = Signal()
    #: rows read in the background were put in the model (a page further down, or one jumped to)
    rows_filled = Signal()

    def __init__(self, columns: Sequence[Column[T]], fetch: Callable[[int, int, str, bool], Page[T]],
                 default_sort: str, parent: Any = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._fetch = fetch
        self._rows: list[T] = []
        #: the display texts of the rows painted so far, one tuple per row (a paint asks for each cell's text again)
        self._cells: dict[int, tuple[str, ...]] = {}
        self._alignments = tuple(MONEY_CELL if c.numeric else TEXT_CELL for c in self.columns)
        self._headers = tuple(c.header for c in self.columns)
        self._total = 0
        self._sort = default_sort
        self._descending = False
        self._page_size = page_size
        self._source_of: Callable[[], ListSource[T]] | None = None
        self._source: ListSource[T] | None = None
        self._generation = 0
        self._jobs: list[Any] = []  # reporters of this generation's running work, cancelled by the next reload
        self._counted = True
        self._exhausted = True
        self._fetching = False
        self._awaiting_first = False
        self._blocks: set[int] = set()  # pages being read (or read) to fill placeholders, this reload
        self._last_start: float | None = None  # when the last reload's first page was asked for (monotonic)
        self._opened = False  # a first page has been shown (later reloads are keystrokes, sorts, refreshes)

    # --- loading -----------------------------------------------------------------------------------------------

    def load_in_background(self, source_of: Callable[[], ListSource[T]]) -> None:
        """From now on, load through worker threads; ``source_of`` is called on the GUI thread at each reload."""
        self._source_of = source_of

    def when_loaded(self, action: Callable[[], object]) -> None:
        """Run ``action`` once the current reload's first page is in (at once when it already is)."""
        if not self._awaiting_first:
            action()
            return

        def once() -> None:
            self.loaded.disconnect(once)
            action()

        self.loaded.connect(once)

    @property
    def loading(self) -> bool:
        """Whether a reload's first page is still on its way."""
        return self._awaiting_first

    @property
    def settled(self) -> bool:
        """Whether the last reload is complete: its first page is in and the total is counted."""
        return not self._awaiting_first and self._counted

    @property
    def counted(self) -> bool:
        """Whether :attr:`total` is the real count (in the background mode it arrives after the first page)."""
        return self._counted

    def set_fetch(self, fetch: Callable[[int, int, str, bool], Page[T]]) -> None:
        """New filter: replace the source and reload from the first page."""
        self._fetch = fetch
        self.reload()

    def reload(self) -> None:
        if self._source_of is not None:
            self._reload_in_background(self._source_of())
            return
        self.beginResetModel()
        page = self._fetch(0, self._page_size, self._sort, self._descending)
        self._rows, self._cells = list(page.rows), {}
        self._total = page.total
        self.endResetModel()
        self.total_changed.emit(self._total)
        self.loaded.emit()

    def _report(self, exc: BaseException, tb: str) -> None:
        """A query of this list failed on a worker: the error dialog if the list is on screen, else the log only
        (a screen closed meanwhile, or a program closing its database, must not raise a dialog from nowhere)."""
        owner = self.parent()
        if isinstance(owner, QWidget) and owner.isVisible():
            show_error(owner, exc, tb)
        else:
            log.error("a list query failed while its screen was not shown\n%s", tb)

    def _is_current(self, generation: int) -> bool:
        """Whether a result of ``generation`` is still wanted: no newer reload, and the model not deleted (a screen
        closed while its count was running)."""
        return generation == self._generation and isValid(self)

    def _reload_in_background(self, source: ListSource[T]) -> None:
        for job in self._jobs:
            job.cancel()  # a newer keystroke or sort: the older query's result is not wanted any more
        self._jobs = []
        self._generation += 1
        self._blocks = set()
        generation, sort, descending = self._generation, self._sort, self._descending
        size = min(self._page_size, FIRST_PAGE_ROWS)
        self._source, self._fetching, self._awaiting_first = source, True, True
        typing = [False]  # set when the first page is asked for

        def first_page(progress: Progress) -> list[T]:
            progress.check()
            return list(source.rows(0, size, sort, descending))

        def counted(progress: Progress) -> int:
            progress.check()
            return source.count()

        def shown(rows: list[T]) -> None:
            if not self._is_current(generation):
                return
            self._opened = True
            self.beginResetModel()
            self._rows, self._cells, self._fetching, self._awaiting_first = rows, {}, False, False
            self._exhausted = len(rows) < size
            self._total, self._counted = len(rows), self._exhausted
            self.endResetModel()
            self.loaded.emit()
            if self._exhausted:
                self.total_changed.emit(self._total)
            elif typing[0]:  # the page is painted first; while typing, the count starts once the user pauses
                later(COUNT_DELAY_MS, count)
            else:  # after the paint of the page (the turn of the event loop that paints it comes first)
                later(0, lambda: later(0, count))

        def count() -> None:
            self._jobs.append(run_quietly(counted, total_known, failed))

        def total_known(total: int) -> None:
            if self._is_current(generation):
                self._total, self._counted = max(total, len(self._rows)), True
                self._make_room(self._total)
                self.total_changed.emit(self._total)

        def failed(exc: BaseException, tb: str) -> None:
            if self._is_current(generation):
                self._fetching = self._awaiting_first = False
                self.loaded.emit()
                self._report(exc, tb)

        def later(delay_ms: int, start: Callable[[], object]) -> None:
            if is_synchronous():
                start()
            else:
                QTimer.singleShot(delay_ms, self, lambda: self._is_current(generation) and start())

        def start() -> None:
            now = time.monotonic()
            typing[0] = self._last_start is not None and now - self._last_start < TYPING_GAP_S
            self._last_start = now
            wait = 0.0 if self._opened else OPENING_WAIT_S
            self._jobs.append(run_quietly(first_page, shown, failed, wait_s=wait))

        # Started on the next turn of the event loop: several reloads in one turn (a screen setting its sort
        # indicator, enabling sorting and refreshing while it is built) run one query, the last one.
        later(0, start)

    @property
    def total(self) -> int:
        """Rows matching the current filter (not only those fetched)."""
        return self._total

    @property
    def sort_key(self) -> tuple[str, bool]:
        return self._sort, self._descending

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid():
            return False
        if self._source_of is not None:
            return not self._exhausted and not self._fetching
        return len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        if self._source_of is not None:
            self._fetch_more_in_background()
            return
        page = self._fetch(len(self._rows), self._page_size, self._sort, self._descending)
        if not page.rows:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._rows.extend(page.rows)
        self._total = max(self._total, len(self._rows))  # fetchMore before any reload must not leave total < rows
        self.endInsertRows()

    def _fetch_more_in_background(self) -> None:
        source = self._source
        if source is None or self._exhausted or self._fetching:
            return
        generation, offset, size = self._generation, len(self._rows), self._page_size
        sort, descending = self._sort, self._descending
        self._fetching = True

        def next_page(progress: Progress) -> list[T]:
            progress.check()
            return list(source.rows(offset, size, sort, descending))

        def arrived(rows: list[T]) -> None:
            if self._is_current(generation):
                self._fetching = False
                self._fill(offset, rows, size)

        def failed(exc: BaseException, tb: str) -> None:
            if self._is_current(generation):
                self._fetching = False
                self._report(exc, tb)

        self._jobs.append(run_quietly(next_page, arrived, failed))

    def _append(self, rows: Sequence[T], asked: int) -> None:
        self._fill(len(self._rows), rows, asked)

    def _make_room(self, total: int) -> None:
        """The count is in: every row gets its place now (a placeholder until its page is read), so the scroll bar
        has its real length and a jump to the end reads the last page only."""
        if total > len(self._rows):
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, total - 1)
            self._rows.extend([None] * (total - first))  # type: ignore[list-item]
            self.endInsertRows()
        self._exhausted = True  # nothing to append any more: holes are filled by _fill_hole

    def _fill(self, offset: int, rows: Sequence[T], asked: int) -> None:
        """Put ``rows`` read at ``offset`` in their places, adding rows past the end."""
        inside = max(0, min(len(rows), len(self._rows) - offset))
        if inside:
            self._rows[offset:offset + inside] = rows[:inside]
            for stale in [r for r in self._cells if offset <= r < offset + inside]:
                del self._cells[stale]
            self.dataChanged.emit(self.index(offset, 0), self.index(offset + inside - 1, len(self.columns) - 1))
        extra = rows[inside:]
        if extra:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(extra) - 1)
            self._rows.extend(extra)
            self.endInsertRows()
        if offset + len(rows) >= len(self._rows):
            self._exhausted = self._exhausted or len(rows) < asked
        if len(self._rows) > self._total or (self._exhausted and not self._counted):
            self._total, self._counted = len(self._rows), self._counted or self._exhausted
            self.total_changed.emit(self._total)
        self.rows_filled.emit()

    def _fill_hole(self, row: int) -> None:
        """A placeholder is on screen: read its page in the background (once)."""
        source = self._source
        block = row // self._page_size
        if source is None or block in self._blocks:
            return
        self._blocks.add(block)
        generation, offset, size = self._generation, block * self._page_size, self._page_size
        sort, descending = self._sort, self._descending

        def read(progress: Progress) -> list[T]:
            progress.check()
            return list(source.rows(offset, size, sort, descending))

        def arrived(rows: list[T]) -> None:
            if self._is_current(generation):
                self._fill(offset, rows, size)

        def failed(exc: BaseException, tb: str) -> None:
            if self._is_current(generation):
                self._blocks.discard(block)
                self._report(exc, tb)

        self._jobs.append(run_quietly(read, arrived, failed))

    def loaded_between(self, first: int, last: int) -> bool:
        """Whether rows ``first``..``last`` are all read (not placeholders)."""
        return all(r is not None for r in self._rows[max(first, 0):last + 1])

    def fetch_all(self) -> None:
        """Every remaining row, now (an export of the list as shown, a jump to the end).

        In the background mode the rest is read in one query: paging through it would make the database skip the
        rows before each page again, 200 times for a list of 100,000.
        """
        if self._source_of is None:
            while self.canFetchMore():
                self.fetchMore()
            return
        source = self._source
        if source is None:
            return
        self._generation += 1  # a page still on its way would now arrive out of order: drop it
        self._fetching = False
        if self._awaiting_first:
            self.beginResetModel()
            self._rows, self._cells, self._awaiting_first, self._counted = [], {}, False, False
            self._exhausted = False
            self.endResetModel()
        hole = next((i for i, r in enumerate(self._rows) if r is None), len(self._rows))
        if not self._exhausted or hole < len(self._rows):
            self._fill(hole, source.rows(hole, ALL_ROWS, self._sort, self._descending), ALL_ROWS)

    # --- Qt model ----------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def row(self, index: int) -> T:
        return self._rows[index]

    def rows(self) -> list[T]:
        """The rows read from the top of the list (up to the first one not read yet)."""
        return list(itertools.takewhile(lambda r: r is not None, self._rows))

    def _cells_of(self, r: int) -> tuple[str, ...] | None:
        """Row ``r``'s display texts (worked out once, when it is first painted), or None: no such row, or a
        placeholder (whose page is then asked for)."""
        if r < 0 or r >= len(self._rows):
            return None
        row = self._rows[r]
        if row is None:  # shown before its page was read (a jump down the list)
            self._fill_hole(r)
            return None
        cells = self._cells[r] = tuple([c.text(row) for c in self.columns])
        return cells

    def multiData(self, index: Index, roleDataSpan: Any) -> None:
        # A view's delegate (QStyledItemDelegate) asks for a cell's seven roles in one call, in a fixed order, each
        # entry empty: only the text and the alignment are filled, one crossing into Python per cell instead of
        # seven. Any other request is answered role by role through ``data``.
        if roleDataSpan.size() == _DELEGATE_ROLES:
            text, alignment = roleDataSpan[_DELEGATE_DISPLAY], roleDataSpan[_DELEGATE_ALIGNMENT]
            if text.role() == _DISPLAY and alignment.role() == _ALIGNMENT:
                r = index.row()
                cells = self._cells.get(r)
                if cells is None:
                    cells = self._cells_of(r)
                if cells is not None:
                    column = index.column()
                    text.setData(cells[column])
                    alignment.setData(self._alignments[column])
                return
        super().multiData(index, roleDataSpan)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Roles the model does not serve are turned away before any call back into Qt.
        if role not in _SERVED_ROLES:
            return None
        r = index.row()
        if role == _DISPLAY:
            cells = self._cells.get(r)
            if cells is None:
                cells = self._cells_of(r)
            return None if cells is None else cells[index.column()]
        if r < 0 or r >= len(self._rows):
            return None
        row = self._rows[r]
        if row is None:
            self._fill_hole(r)
            return None
        if role == _ALIGNMENT:
            return self._alignments[index.column()]
        if role == _ROW:
            return row
        col = self.columns[index.column()]
        return col.raw(row) if col.raw else col.text(row)  # SORT_ROLE

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != _DISPLAY:  # asked for several roles of every section at each paint of a header
            return None
        if orientation == _HORIZONTAL:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort
        if key is None:
            return
        self._sort, self._descending = key, order == Qt.SortOrder.DescendingOrder
        self.reload()

    def export_rows(self) -> tuple[list[str], list[list[str]]]:
        """Headers and the display text of every matching row (fetching the rest), for 'export as shown'."""
        self.fetch_all()
        headers = [c.header for c in self.columns]
        return headers, [[c.text(r) for c in self.columns] for r in self._rows]


class ListModel(QAbstractTableModel, Generic[T]):
    """A short list held in memory (a council's members, a proposal's disbursements, its attachments …), with the
    columns declared once as for :class:`PagedTableModel`; read-only.

    ``footer`` (optional) gives the texts of a totals row shown in bold after the rows (it is not a row object);
    ``tooltip`` a row's tooltip; ``enabled`` says whether a row is available (an unavailable one is shown grey but
    stays selectable, so the keyboard can reach it and read why). :attr:`row_foreground` may colour a row.
    """

    def __init__(self, columns: Sequence[Column[T]], parent: Any = None, *,
                 footer: Callable[[list[T]], list[str]] | None = None,
                 tooltip: Callable[[T], str | None] | None = None,
                 enabled: Callable[[T], bool] | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[T] = []
        self._footer = footer
        self.row_tooltip = tooltip
        self.row_enabled = enabled
        self.row_foreground: Callable[[T], QBrush | None] | None = None

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row(self, index: int) -> T:
        return self._rows[index]

    def append(self, row: T) -> None:
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(row)
        self.endInsertRows()

    def remove(self, index: int) -> None:
        if not 0 <= index < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), index, index)
        del self._rows[index]
        self.endRemoveRows()

    def _has_footer(self) -> bool:
        return self._footer is not None and bool(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows) + (1 if self._has_footer() else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return MONEY_CELL if col.numeric else TEXT_CELL
        if index.row() >= len(self._rows):  # the totals row
            if role == Qt.ItemDataRole.DisplayRole and self._footer is not None:
                texts = self._footer(self._rows)
                return texts[index.column()] if index.column() < len(texts) else ""
            if role == Qt.ItemDataRole.FontRole:
                return bold_font()
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return col.raw(row) if col.raw else col.text(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            if self.row_enabled is not None and not self.row_enabled(row):
                return QBrush(DISABLED_TEXT)
            return self.row_foreground(row) if self.row_foreground is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and self.row_tooltip is not None:
            return self.row_tooltip(row) or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header if 0 <= section < len(self.columns) else None
        return str(section + 1)
