"""Nhật ký: the audit log, newest first, filtered by user, kind of record, record (a proposal code or a number),
action and dates; "Xuất Excel…" (and Ctrl+P) writes what the filters select through the service. Administrators and
managers read it; for anyone else the page says so (the service refuses them too)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import UserError
from desktop_app.services.audit_log import AuditFilter, AuditRow
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import Page as RowsPage
from desktop_app.ui import msgbox, settings
from desktop_app.ui.page import Page
from desktop_app.ui.style import CAPTION_STYLE
from desktop_app.ui.table_model import Column, PagedTableModel
from desktop_app.ui.widgets import DateEdit, FieldMessage
from desktop_app.ui.widgets.display import bold_label, setup_table

READERS = (Role.ADMIN, Role.MANAGER)

COLUMNS: list[Column[AuditRow]] = [
    Column("Thời điểm", lambda r: r.at.astimezone().strftime("%d/%m/%Y %H:%M:%S")),
    Column("Người dùng", lambda r: r.username),
    Column("Thao tác", lambda r: r.action_text),
    Column("Loại bản ghi", lambda r: r.entity_text),
    Column("Bản ghi", lambda r: r.record),
    Column("Trường", lambda r: r.field_text),
    Column("Giá trị cũ", lambda r: r.old_text),
    Column("Giá trị mới", lambda r: r.new_text),
]


class AuditLogPage(Page):
    """The audit-log viewer."""

    title = "Nhật ký"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self.allowed = actor.role in READERS
        self.user_combo = QComboBox()
        self.entity_combo = QComboBox()
        self.action_combo = QComboBox()
        self.record_edit = QLineEdit()
        self.record_edit.setPlaceholderText("Mã đề án hoặc số bản ghi")
        self.record_edit.setClearButtonEnabled(True)
        self.from_edit = DateEdit(optional=True)
        self.to_edit = DateEdit(optional=True)
        self.export_button = QPushButton("&Xuất Excel…")
        self.export_button.clicked.connect(self.print_current)
        grid = QGridLayout()
        for i, (text, widget) in enumerate((("&Người dùng:", self.user_combo), ("&Loại bản ghi:", self.entity_combo),
                                            ("&Bản ghi:", self.record_edit), ("&Thao tác:", self.action_combo),
                                            ("Từ ngà&y:", self.from_edit), ("Đến n&gày:", self.to_edit))):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, i // 3, (i % 3) * 2)
            grid.addWidget(widget, i // 3, (i % 3) * 2 + 1)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        self.message = FieldMessage()
        self.heading = bold_label("Nhật ký thay đổi dữ liệu")
        self.model: PagedTableModel[AuditRow] = PagedTableModel(COLUMNS, self._fetch, "at", self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table, stretch_column=7)
        self.table.setWordWrap(False)
        self.count_label = QLabel()
        self.count_label.setStyleSheet(CAPTION_STYLE)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        if not self.allowed:
            for widget in (self.user_combo, self.entity_combo, self.action_combo, self.record_edit, self.from_edit,
                           self.to_edit, self.export_button, self.table):
                widget.setEnabled(False)
            self.message.show_warning("Chỉ Quản trị hệ thống và Lãnh đạo được xem nhật ký thay đổi dữ liệu.")
            return
        self._fill_choices()
        for combo in (self.user_combo, self.entity_combo, self.action_combo):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.record_edit.editingFinished.connect(self.refresh)
        self.from_edit.dateChanged.connect(lambda _d: self.refresh())
        self.to_edit.dateChanged.connect(lambda _d: self.refresh())
        self.refresh()

    def _fill_choices(self) -> None:
        choices = self.services.audit_log.choices(self.actor)
        for combo, items in ((self.user_combo, [(u, u) for u in choices.usernames]),
                             (self.entity_combo, [(label, code) for code, label in choices.entities]),
                             (self.action_combo, [(label, code) for code, label in choices.actions])):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("Tất cả", "")
            for text, value in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
            combo.blockSignals(False)

    def current_filter(self) -> AuditFilter:
        return AuditFilter(username=self.user_combo.currentData() or "", entity=self.entity_combo.currentData() or "",
                           record=self.record_edit.text().strip(), action=self.action_combo.currentData() or "",
                           date_from=self.from_edit.date_value(), date_to=self.to_edit.date_value())

    def _fetch(self, offset: int, limit: int, _sort: str, _descending: bool) -> RowsPage[AuditRow]:
        if not self.allowed:
            return RowsPage([], 0, 0)
        return self.services.audit_log.entries(self.actor, self.current_filter(), offset, limit)

    def refresh(self) -> None:
        if not self.allowed:
            return
        self.message.clear_message()
        f = self.current_filter()
        if f.date_from and f.date_to and f.date_from > f.date_to:  # checked here: a refused fetch would break a reset
            self.message.show_error("“Từ ngày” phải trước hoặc bằng “Đến ngày”.")
            return
        self.model.reload()
        self.count_label.setText(f"{self.model.total} mục nhật ký (mới nhất trước)")

    def focus_search(self) -> None:
        self.record_edit.setFocus()
        self.record_edit.selectAll()

    def ask_export_path(self) -> str:
        folder = settings.get(settings.EXPORT_FOLDER) or str(Path.home())
        suggested = str(Path(folder) / f"nhat-ky-{date.today():%Y%m%d}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "Xuất nhật ký ra Excel", suggested, "Bảng tính Excel (*.xlsx)")
        return path

    def print_current(self) -> None:
        """Export the entries the filters select to xlsx."""
        if not self.allowed:
            return
        path = self.ask_export_path()
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        settings.put(settings.EXPORT_FOLDER, str(Path(path).parent))
        try:
            written = self.services.audit_log.export_xlsx(self.actor, self.current_filter(), path)
        except UserError as exc:
            msgbox.warning(self, exc.message)
            return
        msgbox.information(self, f"Đã xuất {written} mục nhật ký ra tệp:\n{path}", title="Xuất Excel")
