"""The "Đề án" screen: the proposal list with search as you type, filters, export to Excel and import.

The list is a :class:`PagedTableModel` loading in the background (``services.proposals.rows`` for the pages,
``services.proposals.count`` for the total, both on worker threads; a newer keystroke cancels the older query), with
sorting and filtering done by the service in SQL, so a database of 100,000 proposals opens at once and typing in
the search box never waits for the database.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QTableView,
    QWidget,
)

from desktop_app.domain.enums import Scope, Status
from desktop_app.domain.errors import PermissionDenied
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.domain.workflow import STATUS_ORDER
from desktop_app.progress import Progress
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import Page as RowsPage
from desktop_app.services.dto import ProposalFilter, ProposalRow
from desktop_app.ui import msgbox, settings
from desktop_app.ui.page import Page
from desktop_app.ui.proposals.editor import open_proposal
from desktop_app.ui.proposals.models import content_choices
from desktop_app.ui.table_model import ROW_ROLE, Column, ListSource, PagedTableModel
from desktop_app.ui.tasks import run_in_background
from desktop_app.ui.widgets import CodeCombo, EnumCombo, ListColumns, SearchBox, list_layout, setup_list_view

FIRST_YEAR = 2012  # Nghị định 45/2012/NĐ-CP: the programme as this tool knows it starts here


def _money(value: int | None) -> str:
    return "" if value is None else format_vnd(value)


#: The list's columns; their display text is also what "Xuất Excel" writes.
COLUMNS: list[Column[ProposalRow]] = [
    Column("Mã đề án", lambda r: r.code, "code"),
    Column("Tên đề án", lambda r: r.title, "title"),
    Column("Năm", lambda r: str(r.year), "year", numeric=True, raw=lambda r: r.year),
    Column("Nguồn", lambda r: r.scope.short, "scope"),
    Column("Trạng thái", lambda r: r.status.label, "status_order"),
    Column("Nội dung", lambda r: r.content_name, "content"),
    Column("Cơ sở thụ hưởng", lambda r: r.beneficiary),
    Column("Tỉnh, thành phố", lambda r: r.province_name, "province"),
    Column("Tổng kinh phí đề nghị", lambda r: _money(r.total_vnd), numeric=True, raw=lambda r: r.total_vnd),
    Column("Khuyến công đề nghị", lambda r: _money(r.support_vnd), numeric=True, raw=lambda r: r.support_vnd),
    Column("Đối ứng đề nghị", lambda r: _money(r.counterpart_vnd), numeric=True, raw=lambda r: r.counterpart_vnd),
    Column("Khuyến công phê duyệt", lambda r: _money(r.approved_support_vnd), numeric=True,
           raw=lambda r: r.approved_support_vnd),
    Column("Đã giải ngân", lambda r: _money(r.paid_vnd), numeric=True, raw=lambda r: r.paid_vnd),
]
COL_TITLE, COL_YEAR = 1, 2
MONEY_COLUMNS = {8, 9, 10, 11, 12}
DEFAULT_HIDDEN = (3, 5, 6, 10, 12)  # Nguồn (in the code), Nội dung, Cơ sở thụ hưởng, Đối ứng, Đã giải ngân


def export_cells(row: ProposalRow) -> list[object]:
    """One row as written to Excel: the on-screen text, but đồng as numbers so the sheet can sum them."""
    cells: list[object] = []
    for i, column in enumerate(COLUMNS):
        if i in MONEY_COLUMNS or i == COL_YEAR:
            cells.append(column.raw(row) if column.raw else column.text(row))
        else:
            cells.append(column.text(row))
    return cells


class ProposalsPage(Page):
    """List of proposals: search, filters (year, scope, state, content, province), open, new, export, import."""

    title = "Đề án"
    toolbar_actions = frozenset({"new", "find", "print"})

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self._filter = ProposalFilter()

        self.search = SearchBox("Tìm theo mã hoặc tên đề án (gõ không dấu cũng được)…", self)
        self.search.setAccessibleName("Tìm đề án")
        self.year_filter = CodeCombo(self, empty_label="Tất cả các năm",
                                     items=[(str(y), str(y)) for y in range(date.today().year + 1, FIRST_YEAR - 1,
                                                                            -1)])
        self.year_filter.setMinimumContentsLength(10)
        self.scope_filter = EnumCombo(Scope, self, empty_label="Tất cả nguồn kinh phí")
        self.status_filter = EnumCombo(Status, self, empty_label="Tất cả trạng thái", members=STATUS_ORDER)
        self.content_filter = CodeCombo(self, empty_label="Tất cả nội dung",
                                        items=content_choices(services.reference.contents()))
        self.content_filter.setMinimumContentsLength(24)
        self.province_filter = CodeCombo(self, empty_label="Tất cả tỉnh, thành phố",
                                         items=services.reference.provinces())
        self.clear_filters_button = QPushButton("Bỏ &lọc", self)
        self.clear_filters_button.setToolTip("Xóa ô tìm kiếm và mọi điều kiện lọc")

        self.new_button = QPushButton("Đề án mới", self)
        self.new_button.setToolTip("Lập đề án mới (Ctrl+N)")
        self.open_button = QPushButton("&Mở", self)
        self.open_button.setToolTip("Mở đề án đang chọn (Enter hoặc nhấp đúp)")
        self.export_button = QPushButton("&Xuất Excel…", self)
        self.export_button.setToolTip("Xuất danh sách đang hiển thị (đúng bộ lọc và thứ tự sắp xếp) ra tệp Excel")
        self.import_button = QPushButton("Nhậ&p từ Excel…", self)
        self.import_button.setToolTip("Nhập đề án từ tệp Excel theo mẫu")
        try:
            services.proposals.require_editor(actor)
        except PermissionDenied as exc:
            for button in (self.new_button, self.import_button):
                button.setEnabled(False)
                button.setToolTip(exc.message)
        self.count_label = QLabel(self)

        self.model: PagedTableModel[ProposalRow] = PagedTableModel(COLUMNS, self._fetch, "code", self)
        self.model.load_in_background(self._source)  # before the view sorts it: no query on the GUI thread
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_list_view(self.table)
        self.table.setAccessibleName("Danh sách đề án")

        filters: list[QWidget | QLayout] = []
        for text, widget in (("&Năm:", self.year_filter), ("Ng&uồn:", self.scope_filter),
                             ("&Trạng thái:", self.status_filter), ("Nội &dung:", self.content_filter),
                             ("Tỉn&h:", self.province_filter)):
            box = QHBoxLayout()
            label = QLabel(text, self)
            label.setBuddy(widget)
            box.addWidget(label)
            box.addWidget(widget, 1)
            filters.append(box)
        filters.append(self.clear_filters_button)
        list_layout(self.search, self.table, self.count_label,
                    buttons=[self.new_button, self.open_button, self.export_button, self.import_button],
                    filters=filters, parent=self)
        # Newest year first. The title takes the room left; the columns needed less often are one right click
        # away on the header, so the money columns fit without scrolling.
        self.columns = ListColumns(self.table, "proposals", stretch=COL_TITLE, stretch_min=260,
                                   hidden=DEFAULT_HIDDEN, sort=(COL_YEAR, Qt.SortOrder.DescendingOrder))

        self.setTabOrder(self.search, self.clear_filters_button)
        self.setTabOrder(self.clear_filters_button, self.year_filter)
        self.setTabOrder(self.year_filter, self.scope_filter)
        self.setTabOrder(self.scope_filter, self.status_filter)
        self.setTabOrder(self.status_filter, self.content_filter)
        self.setTabOrder(self.content_filter, self.province_filter)
        self.setTabOrder(self.province_filter, self.table)
        self.setTabOrder(self.table, self.new_button)

        self.search.search_changed.connect(self._on_filters_changed)
        self.year_filter.code_changed.connect(self._on_filters_changed)
        self.scope_filter.value_changed.connect(self._on_filters_changed)
        self.status_filter.value_changed.connect(self._on_filters_changed)
        self.content_filter.code_changed.connect(self._on_filters_changed)
        self.province_filter.code_changed.connect(self._on_filters_changed)
        self.clear_filters_button.clicked.connect(self.clear_filters)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.new_button.clicked.connect(self.new_item)
        self.open_button.clicked.connect(self.open_current)
        self.export_button.clicked.connect(self.export)
        self.import_button.clicked.connect(self.import_from_excel)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(lambda *_: self._update_count())
        self.model.total_changed.connect(lambda _n: self._update_count())
        self._update_count()

    # --- data ------------------------------------------------------------------------------------------------

    def _fetch(self, offset: int, limit: int, sort: str, descending: bool) -> RowsPage[ProposalRow]:
        return self.services.proposals.search(self.actor, self._filter, offset, limit, sort, descending)

    def _source(self) -> ListSource[ProposalRow]:
        """The current filter's queries, for the worker threads (the filter is read here, on the GUI thread)."""
        services, actor, flt = self.services, self.actor, self._filter
        return ListSource(lambda offset, limit, sort, desc: services.proposals.rows(
            actor, flt, offset, limit, sort, desc), lambda: services.proposals.count(actor, flt))

    def current_filter(self) -> ProposalFilter:
        year = self.year_filter.code()
        return ProposalFilter(text=self.search.text().strip(), year=int(year) if year else None,
                              scope=self.scope_filter.value(), status=self.status_filter.value(),
                              content_code=self.content_filter.code(), province_code=self.province_filter.code())

    def _on_filters_changed(self, *_: Any) -> None:
        self._filter = self.current_filter()
        self.model.reload()

    def clear_filters(self) -> None:
        for combo in (self.year_filter, self.content_filter, self.province_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for enum_combo in (self.scope_filter, self.status_filter):
            enum_combo.blockSignals(True)
            enum_combo.setCurrentIndex(0)
            enum_combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.search.flush()
        self._on_filters_changed()

    def refresh(self) -> None:
        """Reload from the first page, keeping the filters and the proposal that was selected."""
        selected = self.current_row()
        self._filter = self.current_filter()
        self.model.reload()
        if selected is not None:
            chosen = selected.id
            self.model.when_loaded(lambda: self.select_proposal(chosen))  # the list reloads in the background

    def _update_count(self) -> None:
        total = self.model.total
        if self.model.loading:
            self.count_label.setText("Đang tải…")
        elif not self.model.counted:  # the first page is shown; the count is on its way
            self.count_label.setText(f"Đang đếm… (đang hiện {format_vnd(self.model.rowCount())} đề án)")
        else:
            self.count_label.setText(f"Có {format_vnd(total)} đề án" if total else "Không có đề án nào phù hợp")
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.current_row() is not None)
        self.export_button.setEnabled(self.model.total > 0)

    def current_row(self) -> ProposalRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = index.siblingAtColumn(0).data(ROW_ROLE)
        return row if isinstance(row, ProposalRow) else None

    def select_proposal(self, proposal_id: int) -> bool:
        """Select the row of ``proposal_id`` among those fetched so far."""
        for i, row in enumerate(self.model.rows()):
            if row.id == proposal_id:
                self.table.selectRow(i)
                self.table.scrollTo(self.model.index(i, 0))
                return True
        return False

    # --- actions ---------------------------------------------------------------------------------------------

    def _on_table_activated(self, index: QModelIndex) -> None:
        row = index.siblingAtColumn(0).data(ROW_ROLE)
        if isinstance(row, ProposalRow):
            self._open(row.id)

    def open_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self._open(row.id)

    def _open(self, proposal_id: int | None) -> None:
        open_proposal(self, self.services, self.actor, proposal_id)
        self.refresh()
        if proposal_id is None:
            self.table.setFocus()

    def action_refusal(self, name: str) -> str | None:
        if name == "new" and not self.new_button.isEnabled():
            return self.new_button.toolTip()
        return super().action_refusal(name)

    def new_item(self) -> None:
        """Ctrl+N: draft a new proposal."""
        if not self.new_button.isEnabled():
            msgbox.warning(self, self.new_button.toolTip())
            return
        self._open(None)

    def focus_search(self) -> None:
        """Ctrl+F."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def print_current(self) -> None:
        """Ctrl+P: the list is printed as an Excel file."""
        self.export()

    def export(self, path: str | None = None) -> None:
        """Write the list as shown (filters, sort order, columns) to an .xlsx file, in the background."""
        if path is None:
            folder = settings.get(settings.EXPORT_FOLDER) or str(Path.home())
            suggested = str(Path(folder) / f"danh-sach-de-an-{date.today():%Y%m%d}.xlsx")
            path, _ = QFileDialog.getSaveFileName(self, "Xuất danh sách đề án", suggested, "Tệp Excel (*.xlsx)")
            if not path:
                return
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            settings.put(settings.EXPORT_FOLDER, str(Path(path).parent))
        target = path
        f = self._filter
        sort, descending = self.model.sort_key
        total = self.model.total
        services, actor = self.services, self.actor
        headers = [c.header for c in COLUMNS]
        subtitle = self._filter_description()

        def work(progress: Progress) -> int:
            rows = (export_cells(r) for r in services.proposals.iter_rows(actor, f, sort, descending))
            return services.reports.export_list(actor, target, "Danh sách đề án khuyến công", headers, rows,
                                                numeric_columns=MONEY_COLUMNS | {COL_YEAR},
                                                unsummed_columns={COL_YEAR}, subtitle=subtitle, progress=progress,
                                                total_rows=total)

        def done(count: int) -> None:
            msgbox.information(self, f"Đã xuất {format_vnd(count)} đề án ra tệp:\n{target}")

        run_in_background(self, work, done, title="Đang xuất danh sách đề án")

    def _filter_description(self) -> str:
        parts = []
        if self.search.text().strip():
            parts.append(f"Tìm: “{self.search.text().strip()}”")
        for combo in (self.year_filter, self.content_filter, self.province_filter):
            if combo.code() is not None:
                parts.append(combo.currentText().strip())
        for enum_combo in (self.scope_filter, self.status_filter):
            if enum_combo.value() is not None:
                parts.append(enum_combo.currentText())
        return "; ".join(parts)

    def import_from_excel(self) -> None:
        # the import dialog and its checks (~85 ms): on first use
        from desktop_app.ui.importers.dialog import ImportDialog

        dialog = ImportDialog(self.services, self.actor, "proposals", self)
        dialog.exec()
        self.refresh()


__all__ = ["COLUMNS", "ProposalsPage", "export_cells"]
