"""The import screen: choose an Excel file → preview every row with its status → choose how → import → result.

Reading and checking the file and importing it run off the GUI thread (``run_in_background``) with a progress
dialog and a cancel button; a cancelled import wrote nothing (the service runs it in one transaction). The dialog
decides nothing itself: the statuses, reasons, counts and the refusal of a role all come from
``services.imports``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.progress import Cancelled, Progress
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.imports import ImportPreview, ImportResult, PreviewRow, RowOutcome
from desktop_app.ui import msgbox, settings
from desktop_app.ui.errors import show_error
from desktop_app.ui.style import ERROR_STYLE, IMPORT_ROW_BACKGROUNDS, MONEY_CELL
from desktop_app.ui.tasks import run_in_background

Index = QModelIndex | QPersistentModelIndex

_TITLES = {"establishments": "Nhập danh sách cơ sở từ Excel", "proposals": "Nhập danh sách đề án từ Excel"}
_WHAT = {"establishments": "cơ sở", "proposals": "đề án"}
_TEMPLATE_NAMES = {"establishments": "mau-nhap-co-so.xlsx", "proposals": "mau-nhap-de-an.xlsx"}
STATUS_TEXT = {"ok": "Hợp lệ", "error": "Lỗi", "duplicate": "Trùng", "skipped": "Bỏ qua"}
OUTCOME_TEXT = {"created": "Đã tạo mới", "updated": "Đã cập nhật", "skipped": "Bỏ qua (trùng)",
                "rejected": "Không nhập"}

FILTERS = (("Tất cả các dòng", None), ("Dòng lỗi", "error"), ("Dòng trùng", "duplicate"),
           ("Dòng có cảnh báo", "warning"), ("Dòng hợp lệ", "ok"), ("Dòng không phải dữ liệu", "skipped"))


@dataclass(frozen=True)
class _Cancelled:
    """What a cancelled background step returns (``run_in_background`` reports nothing for ``Cancelled``)."""


class PreviewTableModel(QAbstractTableModel):
    """The preview's rows, one per Excel row: number, status, name, columns, reason, and the outcome after import."""

    COL_ROW, COL_STATUS, COL_LABEL, COL_COLUMNS, COL_REASON, COL_OUTCOME = range(6)

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = ("Dòng", "Trạng thái", "Cơ sở" if kind == "establishments" else "Đề án", "Cột",
                        "Lý do / ghi chú", "Kết quả")
        self._all: list[PreviewRow] = []
        self._rows: list[PreviewRow] = []
        self._filter: str | None = None
        self._outcomes: dict[int, RowOutcome] = {}

    def set_rows(self, rows: list[PreviewRow]) -> None:
        self.beginResetModel()
        self._all = rows
        self._outcomes = {}
        self._rows = self._filtered()
        self.endResetModel()

    def set_outcomes(self, outcomes: list[RowOutcome]) -> None:
        self.beginResetModel()
        self._outcomes = {o.row: o for o in outcomes}
        self.endResetModel()

    def set_filter(self, status: str | None) -> None:
        self.beginResetModel()
        self._filter = status
        self._rows = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[PreviewRow]:
        if self._filter is None:
            return list(self._all)
        if self._filter == "warning":
            return [r for r in self._all if r.status in ("ok", "duplicate") and r.warnings]
        return [r for r in self._all if r.status == self._filter]

    def row_at(self, index: int) -> PreviewRow:
        return self._rows[index]

    def outcome(self, row_number: int) -> RowOutcome | None:
        return self._outcomes.get(row_number)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def _status_text(self, row: PreviewRow) -> str:
        text = STATUS_TEXT.get(row.status, row.status)
        if row.status in ("ok", "duplicate") and row.warnings:
            text += " (cảnh báo)"
        return text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            outcome = self._outcomes.get(row.row)
            values = (str(row.row), self._status_text(row), row.label, row.columns, row.reason,
                      (OUTCOME_TEXT.get(outcome.action, outcome.action) if outcome else ""))
            if role == Qt.ItemDataRole.ToolTipRole:
                if col == self.COL_OUTCOME and outcome is not None:
                    return outcome.text
                return row.reason if col in (self.COL_REASON, self.COL_COLUMNS, self.COL_STATUS) else values[col]
            return values[col]
        if role == Qt.ItemDataRole.BackgroundRole and col in (self.COL_ROW, self.COL_STATUS):
            key = "warning" if row.status == "ok" and row.warnings else row.status
            colour = IMPORT_ROW_BACKGROUNDS.get(key)
            return QBrush(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_ROW:
            return MONEY_CELL
        return None


class ImportDialog(QDialog):
    """Import establishments or proposals from an Excel workbook.

    Args:
        services: the services.
        actor: the signed-in user (the service refuses roles that may not import).
        kind: "establishments" or "proposals".
        parent: the parent window.
    """

    import_finished = Signal(object)  # the ImportResult, after something was written

    def __init__(self, services: Services, actor: Actor, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.kind = kind
        self.preview: ImportPreview | None = None
        self.import_result: ImportResult | None = None
        self.setWindowTitle(_TITLES.get(kind, "Nhập từ Excel"))
        self.setMinimumSize(1000, 640)

        layout = QVBoxLayout(self)
        intro = QLabel(f"Chọn tệp Excel (.xlsx) danh sách {_WHAT[kind]}. Chương trình đọc và kiểm tra từng dòng "
                       "trước; chưa có gì được ghi cho đến khi bấm “Nhập”.")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("Tệp Excel:"))
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("Chưa chọn tệp")
        file_row.addWidget(self.path_edit, 1)
        self.choose_button = QPushButton("Chọn tệp…")
        self.template_button = QPushButton("Tải mẫu Excel…")
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.template_button)
        layout.addLayout(file_row)

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary_label)

        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("Hiện:"))
        self.filter_combo = QComboBox()
        for text, _status in FILTERS:
            self.filter_combo.addItem(text)
        filter_row.addWidget(self.filter_combo)
        self.count_label = QLabel()
        filter_row.addWidget(self.count_label, 1)
        layout.addLayout(filter_row)

        self.model = PreviewTableModel(kind, self)
        self.table = QTableView()
        self.table.setObjectName("import_preview_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        for col, width in enumerate((56, 110, 260, 140, 420, 110)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(PreviewTableModel.COL_REASON, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setMinimumHeight(36)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.detail_label)

        options = QGroupBox("Cách nhập")
        grid = QGridLayout(options)
        self.only_valid = QRadioButton("Nhập các dòng hợp lệ, bỏ qua các dòng lỗi")
        self.all_or_nothing = QRadioButton("Còn dòng lỗi thì không nhập gì")
        self.only_valid.setChecked(True)
        self._validity = QButtonGroup(self)
        self._validity.addButton(self.only_valid)
        self._validity.addButton(self.all_or_nothing)
        grid.addWidget(QLabel("Dòng lỗi:"), 0, 0)
        grid.addWidget(self.only_valid, 0, 1)
        grid.addWidget(self.all_or_nothing, 0, 2)
        dup_text = ("cùng mã số thuế, hoặc cùng tên và xã/phường" if kind == "establishments"
                    else "cùng mã đề án")
        grid.addWidget(QLabel(f"Dòng trùng ({dup_text}):"), 1, 0)
        self.dup_skip = QRadioButton("Bỏ qua")
        self.dup_update = QRadioButton("Cập nhật bản ghi đã có")
        self.dup_add = QRadioButton("Vẫn thêm mới")
        self.dup_skip.setChecked(True)
        self._duplicates = QButtonGroup(self)
        for col, button in enumerate((self.dup_skip, self.dup_update, self.dup_add), start=1):
            self._duplicates.addButton(button)
            grid.addWidget(button, 1, col)
        grid.setColumnStretch(4, 1)
        layout.addWidget(options)

        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setVisible(False)
        layout.addWidget(self.result_label)

        buttons = QDialogButtonBox()
        self.rejected_button = buttons.addButton("Lưu các dòng bị loại…", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = buttons.addButton("Nhập", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)

        self.choose_button.clicked.connect(lambda: self.choose_file())
        self.template_button.clicked.connect(lambda: self.download_template())
        self.rejected_button.clicked.connect(lambda: self.save_rejected())
        self.import_button.clicked.connect(self.confirm_import)
        self.close_button.clicked.connect(self.reject)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.model.modelReset.connect(lambda: self.detail_label.setText(""))
        self._update_buttons()

    # --- state ---------------------------------------------------------------------------------------------------

    def on_duplicate(self) -> str:
        """The duplicate choice: "skip", "update" or "add"."""
        if self.dup_update.isChecked():
            return "update"
        if self.dup_add.isChecked():
            return "add"
        return "skip"

    def _update_buttons(self) -> None:
        preview = self.preview
        importable = preview is not None and self.import_result is None and (preview.ok + preview.duplicates) > 0
        self.import_button.setEnabled(importable)
        has_rejected = bool(preview and preview.errors) or bool(self.import_result and (self.import_result.rejected
                                                                                  or self.import_result.skipped))
        self.rejected_button.setEnabled(has_rejected)

    def _on_filter_combo_changed(self, index: int) -> None:
        self.model.set_filter(FILTERS[index][1] if 0 <= index < len(FILTERS) else None)
        self._update_count()

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail_label.setText("")
            return
        row = self.model.row_at(current.row())
        text = f"Dòng {row.row} — {STATUS_TEXT.get(row.status, row.status)}: {row.reason or 'không có ghi chú.'}"
        outcome = self.model.outcome(row.row)
        if outcome is not None:
            text += f"\nKết quả: {outcome.text}"
        self.detail_label.setText(text)

    def _update_count(self) -> None:
        total = len(self.preview.rows) if self.preview else 0
        shown = self.model.rowCount()
        self.count_label.setText(f"{format_vnd(shown)} / {format_vnd(total)} dòng" if total else "")

    def _set_message(self, text: str, error: bool = False) -> None:
        self.summary_label.setStyleSheet(ERROR_STYLE if error else "")
        self.summary_label.setText(text)

    # --- choose and preview --------------------------------------------------------------------------------------

    def _folder(self) -> str:
        return str(settings.get(settings.EXPORT_FOLDER) or Path.home())

    def choose_file(self, path: str | None = None) -> None:
        """Ask for a workbook (unless ``path`` is given) and preview it."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp Excel cần nhập", self._folder(),
                                                  "Tệp Excel (*.xlsx *.xlsm);;Mọi tệp (*)")
            if not path:
                return
            settings.put(settings.EXPORT_FOLDER, str(Path(path).parent))
        self.load_file(path)

    def load_file(self, path: str) -> None:
        """Read and check ``path`` in the background; the table shows every row when done."""
        self.path_edit.setText(path)
        self.preview = None
        self.import_result = None
        self.model.set_rows([])
        self.result_label.setVisible(False)
        self._set_message("Đang đọc và kiểm tra tệp…")
        self._update_buttons()
        services, actor, kind = self.services, self.actor, self.kind

        def work(progress: Progress) -> ImportPreview | _Cancelled:
            try:
                return services.imports.preview(actor, kind, path, progress)
            except Cancelled:
                return _Cancelled()

        run_in_background(self, work, self._on_preview_ready, self._on_preview_failed,
                          title="Đang đọc tệp Excel")

    def _on_preview_ready(self, preview: ImportPreview | _Cancelled) -> None:
        if isinstance(preview, _Cancelled):
            self._set_message("Đã hủy đọc tệp.")
            return
        self.preview = preview
        self.model.set_rows(preview.rows)
        self.filter_combo.setCurrentIndex(1 if preview.errors else 0)
        self.model.set_filter(FILTERS[self.filter_combo.currentIndex()][1])
        text = preview.summary()
        if preview.notes:
            text += "\n" + "\n".join(preview.notes)
        if preview.errors:
            text += ("\nCác dòng lỗi được liệt kê bên dưới (số dòng, cột, lý do). Có thể sửa trong Excel rồi chọn lại "
                     "tệp, hoặc nhập các dòng hợp lệ và lưu các dòng bị loại ra tệp riêng.")
        self._set_message(text)
        self._update_count()
        self._update_buttons()

    def _on_preview_failed(self, exc: BaseException, tb: str) -> None:
        self.preview = None
        if isinstance(exc, UserError):
            self._set_message(exc.message, error=True)
        else:
            self._set_message("Không đọc được tệp do lỗi không mong muốn.", error=True)
        self._update_buttons()
        show_error(self, exc, tb)

    # --- import --------------------------------------------------------------------------------------------------

    def confirm_import(self) -> None:
        """Ask for confirmation, then import in the background."""
        preview = self.preview
        if preview is None:
            return
        what = _WHAT[self.kind]
        only_valid = self.only_valid.isChecked()
        if preview.errors and not only_valid:
            msgbox.warning(self, f"Có {format_vnd(preview.errors)} dòng lỗi. Với lựa chọn “Còn dòng lỗi thì không "
                                 "nhập gì”, hãy sửa tệp rồi chọn lại, hoặc chọn nhập các dòng hợp lệ.")
            return
        dup_words = {"skip": "bỏ qua", "update": "cập nhật bản ghi đã có", "add": "vẫn thêm mới"}
        text = f"Nhập {format_vnd(preview.ok)} dòng {what} hợp lệ"
        if preview.duplicates:
            text += f"; {format_vnd(preview.duplicates)} dòng trùng sẽ được {dup_words[self.on_duplicate()]}"
        if preview.errors:
            text += f"; {format_vnd(preview.errors)} dòng lỗi không được nhập"
        text += "?\nViệc nhập chạy trong một lần: nếu hủy hoặc có lỗi thì không có gì được ghi."
        if not msgbox.confirm(self, text, title="Xác nhận nhập"):
            return
        self.run_import()

    def run_import(self) -> None:
        """Import the previewed file with the options chosen (no confirmation)."""
        preview = self.preview
        if preview is None:
            return
        services, actor, kind = self.services, self.actor, self.kind
        only_valid, on_duplicate = self.only_valid.isChecked(), self.on_duplicate()

        def work(progress: Progress) -> ImportResult | _Cancelled:
            try:
                return services.imports.run(actor, kind, preview, only_valid=only_valid, on_duplicate=on_duplicate,
                                            progress=progress)
            except Cancelled:
                return _Cancelled()

        self.import_button.setEnabled(False)
        run_in_background(self, work, self._on_import_done, self._on_import_failed, title="Đang nhập dữ liệu")

    def _on_import_done(self, result: ImportResult | _Cancelled) -> None:
        if isinstance(result, _Cancelled):
            self._show_result("Đã hủy nhập; không có dữ liệu nào được ghi.", error=True)
            self._update_buttons()
            return
        self.import_result = result
        self.model.set_outcomes(result.outcomes)
        self._show_result(result.message, error=not result.written)
        if not result.written:
            self.import_result = None  # nothing happened: the user may change the options and try again
        self._update_buttons()
        if result.written:
            self.import_finished.emit(result)

    def _on_import_failed(self, exc: BaseException, tb: str) -> None:
        self._show_result("Chưa nhập được; không có dữ liệu nào được ghi.", error=True)
        self._update_buttons()
        show_error(self, exc, tb)

    def _show_result(self, text: str, error: bool = False) -> None:
        self.result_label.setStyleSheet(ERROR_STYLE if error else "font-weight: bold;")
        self.result_label.setText(text)
        self.result_label.setVisible(True)

    # --- files ---------------------------------------------------------------------------------------------------

    def save_rejected(self, path: str | None = None) -> None:
        """Write the rows left out (with the reason) to a workbook the user picks."""
        source: ImportPreview | ImportResult | None = self.import_result or self.preview
        if source is None:
            return
        if path is None:
            stem = Path(self.preview.file_name).stem if self.preview else "nhap"
            suggested = str(Path(self._folder()) / f"{stem}-cac-dong-bi-loai.xlsx")
            path, _ = QFileDialog.getSaveFileName(self, "Lưu các dòng bị loại", suggested, "Tệp Excel (*.xlsx)")
            if not path:
                return
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            settings.put(settings.EXPORT_FOLDER, str(Path(path).parent))
        try:
            count = self.services.imports.write_rejected(source, path)
        except Exception as exc:
            show_error(self, exc)
            return
        msgbox.information(self, f"Đã lưu {format_vnd(count)} dòng bị loại (kèm cột “Lý do bị loại”) vào tệp:\n"
                                 f"{path}")

    def download_template(self, path: str | None = None) -> None:
        """Write the empty template for this kind of list where the user picks."""
        if path is None:
            suggested = str(Path(self._folder()) / _TEMPLATE_NAMES[self.kind])
            path, _ = QFileDialog.getSaveFileName(self, "Lưu tệp Excel mẫu", suggested, "Tệp Excel (*.xlsx)")
            if not path:
                return
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            settings.put(settings.EXPORT_FOLDER, str(Path(path).parent))
        try:
            self.services.imports.write_template(self.kind, path)
        except Exception as exc:
            show_error(self, exc)
            return
        msgbox.information(self, f"Đã lưu tệp mẫu:\n{path}\nĐiền dữ liệu từ dòng 2 rồi chọn tệp để nhập.")


__all__ = ["ImportDialog", "PreviewTableModel"]
