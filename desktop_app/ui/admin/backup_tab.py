"""The administrator's backups: back up now, restore a backup, and the automatic daily backups kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import UserError
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.services.auth import Actor
from desktop_app.services.backup import BackupService
from desktop_app.services.context import Services
from desktop_app.ui import msgbox
from desktop_app.ui.style import MONEY_ALIGN


class BackupTab(QWidget):
    """Sao lưu và khôi phục. A restore ends the session: the restored database has its own accounts."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.backups = BackupService(services.db)
        layout = QHBoxLayout(self)

        manual = QGroupBox("Sao lưu và khôi phục")
        box = QVBoxLayout(manual)
        note = QLabel(
            "Sao lưu ghi một bản sao nhất quán của cơ sở dữ liệu trong khi chương trình vẫn chạy.\n\n"
            "Khôi phục thay cơ sở dữ liệu bằng một bản sao lưu: bản sao lưu được kiểm tra trước, cơ sở dữ liệu "
            "hiện tại được giữ lại thành một bản sao an toàn mới, rồi phiên làm việc kết thúc để đăng nhập lại. "
            "Hãy đóng chương trình ở các máy và cửa sổ khác trước khi khôi phục.")
        note.setWordWrap(True)
        box.addWidget(note)
        self.backup_button = QPushButton("Sao lưu ngay…")
        self.restore_button = QPushButton("Khôi phục từ bản sao lưu…")
        for button in (self.backup_button, self.restore_button):
            box.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            button.setEnabled(actor.role is Role.ADMIN)
        box.addStretch(1)
        layout.addWidget(manual, 2)

        automatic = QGroupBox("Sao lưu tự động (lần mở chương trình đầu tiên mỗi ngày)")
        auto_box = QVBoxLayout(automatic)
        self.folder_label = QLabel(f"Thư mục: {self.backups.automatic_folder()}")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        auto_box.addWidget(self.folder_label)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Thời điểm", "Kích thước"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setColumnWidth(0, 200)
        auto_box.addWidget(self.table, 1)
        form = QFormLayout()
        self.keep = QSpinBox()
        self.keep.setRange(1, 365)
        self.keep.setEnabled(actor.role is Role.ADMIN)
        form.addRow("Số bản được giữ (bản cũ hơn bị xóa)", self.keep)
        auto_box.addLayout(form)
        self.keep_button = QPushButton("Lưu số bản được giữ")
        self.keep_button.setEnabled(actor.role is Role.ADMIN)
        auto_box.addWidget(self.keep_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(automatic, 3)

        self.backup_button.clicked.connect(self.back_up)
        self.restore_button.clicked.connect(self.restore)
        self.keep_button.clicked.connect(self.save_keep)

    def refresh(self) -> None:
        self.keep.setValue(self.backups.keep())
        kept = self.backups.automatic()
        self.table.clearSpans()
        self.table.setRowCount(len(kept))
        for row, b in enumerate(kept):
            self.table.setItem(row, 0, QTableWidgetItem(b.taken_at.strftime("%d/%m/%Y %H:%M:%S")))
            size = QTableWidgetItem(f"{format_vnd(max(1, b.size_bytes // 1024))} KB")
            size.setTextAlignment(MONEY_ALIGN)
            self.table.setItem(row, 1, size)
        if not kept:
            self.table.setRowCount(1)
            self.table.setItem(0, 0, QTableWidgetItem("Chưa có bản sao lưu tự động nào."))
            self.table.setSpan(0, 0, 1, 2)

    def back_up(self) -> None:
        suggested = str(Path.home() / self.backups.default_name())
        path, _ = QFileDialog.getSaveFileName(self, "Sao lưu cơ sở dữ liệu", suggested,
                                              "Bản sao lưu (*.sqlite3 *.dump)")
        if not path:
            return
        try:
            # The file dialog has already asked whether to replace an existing file.
            done = self.backups.backup(self.actor, Path(path), force=True)
        except UserError as exc:
            msgbox.warning(self, exc.message)
            return
        msgbox.information(self, f"Đã sao lưu cơ sở dữ liệu vào\n{done}")

    def restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn bản sao lưu cần khôi phục", str(Path.home()),
                                              "Bản sao lưu SQLite (*.sqlite3 *.db);;Mọi tệp (*)")
        if not path or not msgbox.confirm(
                self, f"Thay toàn bộ cơ sở dữ liệu bằng bản sao lưu\n{path}?\n\nCơ sở dữ liệu hiện tại được giữ "
                      "lại thành một bản sao an toàn. Sau khi khôi phục cần đăng nhập lại.",
                title="Khôi phục cơ sở dữ liệu"):
            return
        window = self.window()
        pause, resume = (getattr(window, "pause_live_updates", None), getattr(window, "resume_live_updates", None))
        if pause is not None:
            pause()  # its listening connection would count as another program holding the database
        try:
            result = self.backups.restore(self.actor, Path(path))
        except UserError as exc:
            if resume is not None:
                resume()
            msgbox.warning(self, exc.message)
            return
        kept = f"\nBản trước khi khôi phục: {result.safety_copy}" if result.safety_copy else ""
        msgbox.information(self, f"Đã khôi phục cơ sở dữ liệu từ\n{path}{kept}\n\nHãy đăng nhập lại.")
        end = getattr(window, "end_after_restore", None)
        if end is not None:
            end()

    def save_keep(self) -> None:
        try:
            self.backups.set_keep(self.actor, self.keep.value())
        except UserError as exc:
            msgbox.warning(self, exc.message)
            return
        msgbox.information(self, f"Sẽ giữ {self.keep.value()} bản sao lưu tự động mới nhất.")
