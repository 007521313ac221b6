"""One recipe for list models: columns declared once, display text vs raw sort value, the row object under a
custom role, and paged fetching from a service so a 100,000-row table opens at once.

Sorting asks the service for a new ordering (SQL ``ORDER BY``), never a ``QSortFilterProxyModel``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop_app.services.dto import Page

T = TypeVar("T")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_SIZE = 500
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    """A column: header, how to show a row, the service's sort key (None: not sortable), right-aligned?"""

    header: str
    text: Callable[[T], str]
    sort: str | None = None
    numeric: bool = False
    raw: Callable[[T], Any] | None = None


class PagedTableModel(QAbstractTableModel, Generic[T]):
    """Rows fetched page by page from ``fetch(offset, limit, sort, descending)``."""

    def __init__(self, columns: Sequence[Column[T]], fetch: Callable[[int, int, str, bool], Page[T]],
                 default_sort: str, parent: Any = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._fetch = fetch
        self._rows: list[T] = []
        self._total = 0
        self._sort = default_sort
        self._descending = False
        self._page_size = page_size

    # --- loading -----------------------------------------------------------------------------------------------

    def set_fetch(self, fetch: Callable[[int, int, str, bool], Page[T]]) -> None:
        """New filter: replace the source and reload from the first page."""
        self._fetch = fetch
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        page = self._fetch(0, self._page_size, self._sort, self._descending)
        self._rows = list(page.rows)
        self._total = page.total
        self.endResetModel()

    @property
    def total(self) -> int:
        """Rows matching the current filter (not only those fetched)."""
        return self._total

    @property
    def sort_key(self) -> tuple[str, bool]:
        return self._sort, self._descending

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
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

    def fetch_all(self) -> None:
        while self.canFetchMore():
            self.fetchMore()

    # --- Qt model ----------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def row(self, index: int) -> T:
        return self._rows[index]

    def rows(self) -> list[T]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, col = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if col.numeric else _LEFT)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return col.raw(row) if col.raw else col.text(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

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
