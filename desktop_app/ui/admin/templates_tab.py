"""The "Mẫu tiêu chí chấm điểm" tab of the settings screen: the criteria templates an appraisal council scores
with (name, pass mark, criteria with their maximum points, the default one)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError, ValidationError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import TemplateView
from desktop_app.ui import msgbox, settings
from desktop_app.ui.admin.dialogs import parse_percent
from desktop_app.ui.errors import show_error
from desktop_app.ui.style import ERROR_STYLE, MONEY_ALIGN
from desktop_app.ui.widgets import FormFields
from desktop_app.ui.widgets.display import button_row


def _points(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


class TemplatesTab(QWidget):
    """The templates on the left, the one chosen on the right with its criteria; "Lưu mẫu" saves it through the
    service (only an administrator may: the service refuses anybody else, and says why)."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.templates: list[TemplateView] = []
        layout = QHBoxLayout(self)
        self.templates_splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.templates_list = QListWidget()
        self.templates_list.setWordWrap(True)
        self.new_template_button = QPushButton("Mẫu mới")
        left_layout.addWidget(QLabel("Các mẫu tiêu chí"))
        left_layout.addWidget(self.templates_list)
        left_layout.addWidget(self.new_template_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.template_fields = FormFields(form)
        self.template_name = QLineEdit()
        self.pass_mark = QLineEdit()
        self.pass_mark.setMaximumWidth(120)
        self.make_default = QCheckBox("Dùng làm mẫu mặc định khi lập hội đồng")
        self.template_fields.add("name", "Tên mẫu", self.template_name, required=True)
        self.template_fields.add("pass_mark", "Điểm đạt", self.pass_mark, required=True)
        self.template_fields.add("default", "", self.make_default)
        right_layout.addLayout(form)
        self.criteria_table = QTableWidget(0, 2)
        self.criteria_table.setHorizontalHeaderLabels(["Tiêu chí", "Điểm tối đa"])
        self.criteria_table.verticalHeader().setDefaultSectionSize(24)
        self.criteria_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.criteria_table.setColumnWidth(1, 110)
        self.criteria_table.itemChanged.connect(lambda _i: self._update_total())
        right_layout.addWidget(self.criteria_table, 1)
        self.criteria_message = QLabel()
        self.criteria_message.setWordWrap(True)
        self.criteria_message.setStyleSheet(ERROR_STYLE)
        self.criteria_message.setVisible(False)
        right_layout.addWidget(self.criteria_message)
        row, (self.add_criterion_button, self.remove_criterion_button, self.save_template_button) = button_row(
            "Thêm tiêu chí", "Xóa tiêu chí", "Lưu mẫu")
        self.total_label = QLabel()
        row.insertWidget(2, self.total_label)
        right_layout.addLayout(row)
        self.templates_splitter.addWidget(left)
        self.templates_splitter.addWidget(right)
        self.templates_splitter.setSizes([260, 800])
        settings.remember_splitter(self.templates_splitter, "admin_templates")
        layout.addWidget(self.templates_splitter)
        self.templates_list.currentRowChanged.connect(self._on_templates_list_current_row_changed)
        self.new_template_button.clicked.connect(self.new_template)
        self.add_criterion_button.clicked.connect(lambda: self._add_criterion("", ""))
        self.remove_criterion_button.clicked.connect(self._remove_criterion)
        self.save_template_button.clicked.connect(self.save_template)
        self._template: TemplateView | None = None

    def refresh(self) -> None:
        """Read the templates again, keeping the one shown."""
        self._load_templates(self._template.id if self._template is not None else None)

    def _load_templates(self, select_id: int | None = None) -> None:
        self.templates = self.services.reference.templates()
        self.templates_list.blockSignals(True)
        self.templates_list.clear()
        for t in self.templates:
            label = t.name + (" (mặc định)" if t.is_default else "") + ("" if t.active else " (ngừng dùng)")
            QListWidgetItem(label, self.templates_list)
        self.templates_list.blockSignals(False)
        index = next((i for i, t in enumerate(self.templates) if t.id == select_id), 0 if self.templates else -1)
        self.templates_list.setCurrentRow(index)
        self._on_templates_list_current_row_changed(index)

    def _on_templates_list_current_row_changed(self, row: int) -> None:
        self._template = self.templates[row] if 0 <= row < len(self.templates) else None
        self._show_template(self._template)

    def _show_template(self, t: TemplateView | None) -> None:
        self.template_fields.clear()
        self.criteria_message.setVisible(False)
        self.template_name.setText(t.name if t else "")
        self.pass_mark.setText(_points(t.pass_mark) if t else "70")
        self.make_default.setChecked(bool(t and t.is_default))
        self.criteria_table.blockSignals(True)
        self.criteria_table.setRowCount(0)
        self.criteria_table.blockSignals(False)
        for c in t.criteria if t else []:
            self._add_criterion(c.name, _points(c.max_points))
        self._update_total()

    def _add_criterion(self, name: str, points: str) -> None:
        self.criteria_table.blockSignals(True)
        row = self.criteria_table.rowCount()
        self.criteria_table.insertRow(row)
        self.criteria_table.setItem(row, 0, QTableWidgetItem(name))
        item = QTableWidgetItem(points)
        item.setTextAlignment(MONEY_ALIGN)
        self.criteria_table.setItem(row, 1, item)
        self.criteria_table.blockSignals(False)
        self._update_total()
        if not name:
            self.criteria_table.setCurrentCell(row, 0)
            self.criteria_table.editItem(self.criteria_table.item(row, 0) or QTableWidgetItem())

    def _remove_criterion(self) -> None:
        row = self.criteria_table.currentRow()
        if row >= 0:
            self.criteria_table.removeRow(row)
            self._update_total()

    def _criteria(self) -> list[tuple[str, Decimal]]:
        result = []
        for row in range(self.criteria_table.rowCount()):
            name_item, points_item = self.criteria_table.item(row, 0), self.criteria_table.item(row, 1)
            name = name_item.text() if name_item else ""
            points = points_item.text() if points_item else ""
            if not name.strip() and not points.strip():
                continue
            result.append((name, parse_percent(points or "0", "criteria", f"Tiêu chí {row + 1}: điểm tối đa")))
        return result

    def _update_total(self) -> None:
        try:
            total = sum((p for _, p in self._criteria()), Decimal(0))
        except ValidationError:
            self.total_label.setText("Tổng điểm: —")
            return
        self.total_label.setText(f"Tổng điểm: {_points(total)}")

    def new_template(self) -> None:
        self.templates_list.clearSelection()
        self._template = None
        self._show_template(None)
        self.template_name.setFocus()

    def save_template(self) -> None:
        self.template_fields.clear()
        self.criteria_message.setVisible(False)
        t = self._template
        try:
            saved = self.services.reference.save_template(
                self.actor, self.template_name.text(),
                parse_percent(self.pass_mark.text(), "pass_mark", "Điểm đạt"), self._criteria(),
                template_id=t.id if t else None, make_default=self.make_default.isChecked(),
                version=t.version if t else None)
        except UserError as exc:
            if exc.field == "criteria":
                self.criteria_message.setText(exc.message)
                self.criteria_message.setVisible(True)
                self.criteria_table.setFocus()
            elif not self.template_fields.show_user_error(exc):
                msgbox.warning(self, exc.message)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self._load_templates(saved.id)
        msgbox.information(self, f"Đã lưu mẫu tiêu chí “{saved.name}”.")
