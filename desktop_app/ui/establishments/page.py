"""The "Cơ sở CNNT" screen: every establishment in a paged list (fast at 100,000 rows), search as you type
without diacritics, filters, Vietnamese order, export of the list as shown to Excel, and the form.

Searching, filtering and sorting are done by ``services.establishments.search`` in SQL; the model only holds the
pages the user has scrolled through.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from desktop_app.domain.enums import LegalForm
from desktop_app.domain.validators import format_phone
from desktop_app.progress import Progress
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import EstablishmentFilter, EstablishmentRow
from desktop_app.services.dto import Page as RowsPage
from desktop_app.services.establishments import row_of
from desktop_app.ui import msgbox, settings
from desktop_app.ui.errors import show_error
from desktop_app.ui.establishments.dialog import EstablishmentDialog
from desktop_app.ui.page import Page
from desktop_app.ui.proposals.editor import open_proposal
from desktop_app.ui.style import HEADING_STYLE
from desktop_app.ui.table_model import ROW_ROLE, Column, ListSource, PagedTableModel
from desktop_app.ui.tasks import run_in_background
from desktop_app.ui.widgets import (
    CodeCombo,
    EnumCombo,
    ListColumns,
    PlacePicker,
    SearchBox,
    list_layout,
    setup_list_view,
)

#: The list's columns; their display text is also what "Xuất Excel" writes.
COLUMNS: list[Column[EstablishmentRow]] = [
    Column("Tên cơ sở", lambda r: r.name + (" (đã lưu trữ)" if r.archived else ""), "name"),
    Column("Loại hình", lambda r: r.legal_form.label, "legal_form"),
    Column("Mã số thuế", lambda r: r.tax_code, "tax_code"),
    Column("Người đại diện", lambda r: r.representative),
    Column("Điện thoại", lambda r: format_phone(r.phone) if r.phone else ""),
    Column("Xã, phường", lambda r: r.commune_name, "commune"),
    Column("Tỉnh, thành phố", lambda r: r.province_name, "province"),
    Column("Ngành nghề", lambda r: r.sector_name, "sector"),
    Column("Lao động", lambda r: "" if r.workers is None else str(r.workers), "workers", numeric=True,
           raw=lambda r: r.workers),
]
WORKERS_COLUMN = 8
DEFAULT_HIDDEN = (3, 4)  # Người đại diện, Điện thoại: shown from the header's menu


def _export_row(row: EstablishmentRow) -> list[object]:
    """The row as shown, with the number of workers as a number so Excel can sum it."""
    return [row.workers if i == WORKERS_COLUMN else c.text(row) for i, c in enumerate(COLUMNS)]


class EstablishmentsPage(Page):
    """The establishment list with its filters; Enter or double-click opens the form."""

    title = "Cơ sở CNNT"
    toolbar_actions = frozenset({"new", "save", "find", "print"})

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        heading = QLabel("Cơ sở công nghiệp nông thôn")
        heading.setStyleSheet(HEADING_STYLE)
        self.search = SearchBox("Tìm theo tên hoặc mã số thuế (gõ không dấu cũng được)…")
        self.search.setMinimumWidth(320)
        self.new_button = QPushButton("Thêm cơ sở…")
        self.edit_button = QPushButton("Xem / sửa…")
        self.export_button = QPushButton("Xuất Excel…")

        self.place = PlacePicker(services.reference, empty_province="Tất cả tỉnh, thành phố",
                                 empty_commune="Tất cả xã, phường")
        self.sector = CodeCombo(empty_label="Tất cả ngành nghề", items=services.reference.sectors())
        self.sector.setMinimumContentsLength(18)
        self.legal_form = EnumCombo(LegalForm, empty_label="Tất cả loại hình")
        self.archived = QCheckBox("Hiện cả cơ sở đã lưu trữ")

        self.model: PagedTableModel[EstablishmentRow] = PagedTableModel(COLUMNS, self._fetch, "name", self)
        self.model.load_in_background(self._source)  # before the view sorts it: no query on the GUI thread
        self.table = QTableView()
        self.table.setObjectName("establishments_table")
        self.table.setModel(self.model)
        setup_list_view(self.table)
        self.count_label = QLabel()
        layout = list_layout(self.search, self.table, self.count_label,
                             buttons=[self.new_button, self.edit_button, self.export_button],
                             filters=[self.place, self.sector, self.legal_form, self.archived], heading=heading,
                             parent=self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        # The name takes the room left; the representative and phone are one right click away, so the province
        # and the workers fit without scrolling.
        self.columns = ListColumns(self.table, "establishments", stretch=0, stretch_min=270,
                                   hidden=DEFAULT_HIDDEN, sort=(0, Qt.SortOrder.AscendingOrder))

        self.search.search_changed.connect(lambda _t: self.refresh())
        self.place.changed.connect(self.refresh)
        self.sector.code_changed.connect(lambda _c: self.refresh())
        self.legal_form.value_changed.connect(lambda _v: self.refresh())
        self.archived.toggled.connect(lambda _b: self.refresh())
        self.new_button.clicked.connect(self.new_item)
        self.edit_button.clicked.connect(self.open_current)
        self.export_button.clicked.connect(self.print_current)
        self.table.activated.connect(self._on_table_activated)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(lambda *_a: self._update_count())
        self.model.total_changed.connect(lambda _n: self._update_count())
        self.refresh()

    # --- data --------------------------------------------------------------------------------------------------

    def filter(self) -> EstablishmentFilter:
        return EstablishmentFilter(text=self.search.text().strip(), province_code=self.place.province_code(),
                                   commune_code=self.place.commune_code(), sector_code=self.sector.code(),
                                   legal_form=self.legal_form.value(), include_archived=self.archived.isChecked())

    def _fetch(self, offset: int, limit: int, sort: str, descending: bool) -> RowsPage[EstablishmentRow]:
        return self.services.establishments.search(self.actor, self.filter(), offset, limit, sort, descending)

    def _source(self) -> ListSource[EstablishmentRow]:
        """The current filter's queries, for the worker threads (the widgets are read here, on the GUI thread)."""
        services, actor, flt = self.services, self.actor, self.filter()
        return ListSource(lambda offset, limit, sort, desc: services.establishments.rows(
            actor, flt, offset, limit, sort, desc), lambda: services.establishments.count(actor, flt))

    def refresh(self) -> None:
        self.model.reload()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        if not self.model.counted:  # the first page is shown; the count is on its way
            self.count_label.setText(f"Đang đếm… (đang hiện {shown:,} cơ sở)".replace(",", "."))
            return
        text = f"{total:,} cơ sở".replace(",", ".")
        if shown < total:
            text += f" (đang hiện {shown:,}; cuộn xuống để xem tiếp)".replace(",", ".")
        self.count_label.setText(text)

    def selected_row(self) -> EstablishmentRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = self.model.data(index, ROW_ROLE)
        return row if isinstance(row, EstablishmentRow) else None

    # --- actions -----------------------------------------------------------------------------------------------

    def new_item(self) -> None:
        dialog = EstablishmentDialog(self.services, self.actor, None, self)
        if dialog.exec() and dialog.saved is not None:
            self.refresh()
            saved = dialog.saved.id
            self.model.when_loaded(lambda: self._select(saved))  # the list reloads in the background

    def open_current(self) -> None:
        row = self.selected_row()
        if row is None:
            msgbox.information(self, "Hãy chọn một cơ sở trong danh sách.")
            return
        self.open_establishment(row.id)

    def open_establishment(self, establishment_id: int) -> None:
        dialog = EstablishmentDialog(self.services, self.actor, establishment_id, self)
        dialog.proposal_requested.connect(lambda pid: self._open_proposal(dialog, pid))
        if dialog.exec() and dialog.saved is not None:
            self.refresh()
            saved = dialog.saved.id
            self.model.when_loaded(lambda: self._select(saved))  # the list reloads in the background

    def _open_proposal(self, dialog: EstablishmentDialog, proposal_id: int) -> None:
        """A proposal chosen on the establishment's history tab: the editor, over the establishment's dialog."""
        try:
            open_proposal(dialog, self.services, self.actor, proposal_id)
        except Exception as exc:  # a bug in the editor: the crash dialog, the establishment stays open
            show_error(dialog, exc)

    def _on_table_activated(self, index: QModelIndex) -> None:
        row = self.model.data(index, ROW_ROLE)
        if isinstance(row, EstablishmentRow):
            self.open_establishment(row.id)

    def _select(self, establishment_id: int) -> None:
        for i, row in enumerate(self.model.rows()):
            if row.id == establishment_id:
                self.table.selectRow(i)
                self.table.scrollTo(self.model.index(i, 0))
                return

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def save(self) -> None:
        """Ctrl+S on the list: nothing is edited in place; open the selected record instead."""
        self.open_current()

    def ask_export_path(self) -> str:
        folder = settings.get(settings.EXPORT_FOLDER) or str(Path.home())
        suggested = str(Path(folder) / f"danh-sach-co-so-{date.today():%Y%m%d}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "Xuất danh sách cơ sở ra Excel", suggested,
                                              "Bảng tính Excel (*.xlsx)")
        return path

    def print_current(self) -> None:
        """Export the list as shown (every matching row, in the shown order) to an xlsx file, off the GUI thread."""
        path = self.ask_export_path()
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        settings.put(settings.EXPORT_FOLDER, str(Path(path).parent))
        services, actor, flt = self.services, self.actor, self.filter()
        sort, descending = self.model.sort_key
        headers = [c.header for c in COLUMNS]
        total = self.model.total
        subtitle = self._filter_text()

        def work(progress: Progress) -> int:
            rows = (_export_row(row_of(r)) for r in services.establishments.iter_rows(actor, flt, sort, descending))
            return services.reports.export_list(actor, path, "Danh sách cơ sở công nghiệp nông thôn", headers, rows,
                                                numeric_columns={WORKERS_COLUMN}, subtitle=subtitle,
                                                progress=progress, total_rows=total)

        def done(count: int) -> None:
            msgbox.information(self, f"Đã xuất {count:,} cơ sở ra tệp:\n{path}".replace(",", "."))

        run_in_background(self, work, done, title="Đang xuất danh sách cơ sở")

    def _filter_text(self) -> str:
        parts = []
        if self.search.text().strip():
            parts.append(f"Tìm: “{self.search.text().strip()}”")
        for label, value in (("Tỉnh", self.place.province.name()), ("Xã", self.place.commune.name()),
                             ("Ngành nghề", self.sector.name())):
            if value:
                parts.append(f"{label}: {value}")
        if self.legal_form.value() is not None:
            parts.append(f"Loại hình: {self.legal_form.value().label}")
        return "; ".join(parts)
