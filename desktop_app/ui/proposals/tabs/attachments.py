"""The “Tệp đính kèm” tab: files attached to a saved proposal (added and removed while it is a draft, opened in
any state). A file is stored the moment it is added; nothing here waits for “Lưu”."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from desktop_app.domain.errors import UserError
from desktop_app.progress import Progress
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import AttachmentInfo
from desktop_app.ui import msgbox
from desktop_app.ui.errors import show_error
from desktop_app.ui.proposals.dialogs import shortcut
from desktop_app.ui.proposals.models import attachment_model
from desktop_app.ui.proposals.tabs.base import ProposalTab, button, list_table
from desktop_app.ui.tasks import run_in_background


class AttachmentsTab(ProposalTab):
    """The attached files; ``changed`` once a file was added or removed (the proposal's history grew)."""

    changed = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._proposal_id: int | None = None
        self._editable = True
        self._reason = ""
        self.model = attachment_model(self)
        self.table = list_table(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Tệp đính kèm")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 110), (2, 150), (3, 160)):
            header.resizeSection(column, width)
        self.add_button = button("Thêm tệp…", "Đính kèm tệp (Insert)", self)
        self.open_button = button("Mở", "Mở tệp bằng chương trình mặc định của máy (Enter)", self)
        self.remove_button = button("Xóa tệp", "Xóa tệp đang chọn (Delete)", self)
        self.add_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_current)
        self.remove_button.clicked.connect(self.remove_current)
        self.table.activated.connect(lambda _i: self.open_current())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        only_here = Qt.ShortcutContext.WidgetShortcut
        shortcut(QKeySequence(Qt.Key.Key_Insert), self.table, self.choose_files, only_here)
        shortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.remove_current, only_here)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)

    def fill(self, proposal_id: int) -> None:
        """The files attached to the saved proposal ``proposal_id``, as the services have them now."""
        self._proposal_id = proposal_id
        self.model.set_rows(self._services.proposals.attachments(self._actor, proposal_id))
        self._update_buttons()

    def set_editable(self, editable: bool, reason: str | None = None) -> None:
        """Files are added and removed only while the proposal is a draft; ``reason`` says why not."""
        self._editable, self._reason = editable, reason or ""
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.table.currentIndex().isValid()
        editable = self._editable and self._proposal_id is not None  # files belong to a saved proposal
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable and selected)
        self.open_button.setEnabled(selected)
        self.add_button.setToolTip("Đính kèm tệp (Insert)" if editable else
                                   f"Chỉ thêm tệp khi đề án ở trạng thái “Dự thảo”. {self._reason}".strip())
        self.remove_button.setToolTip("Xóa tệp đang chọn (Delete)" if editable else
                                      f"Chỉ xóa tệp khi đề án ở trạng thái “Dự thảo”. {self._reason}".strip())
        self.hint.setText("" if editable else "Thêm và xóa tệp chỉ làm được khi đề án ở trạng thái "
                          "“Dự thảo”; vẫn mở xem được các tệp đã đính kèm.")
        self.hint.setVisible(not editable)

    def current(self) -> AttachmentInfo | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def choose_files(self) -> None:
        if not self.add_button.isEnabled():
            return
        paths, _ = QFileDialog.getOpenFileNames(self.window(), "Chọn tệp đính kèm", str(Path.home()),
                                                "Mọi tệp (*);;Tài liệu (*.pdf *.doc *.docx *.xls *.xlsx *.jpg *.png)")
        if paths:
            self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> None:
        """Read and attach the files in the background (a scan may be tens of megabytes)."""
        pid = self._proposal_id
        if pid is None:
            return
        services, actor = self._services, self._actor

        def work(progress: Progress) -> list[AttachmentInfo]:
            added = []
            for i, path in enumerate(paths):
                progress.check()
                progress.set_progress(i, len(paths), f"Đang đính kèm “{path.name}”")
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise UserError(f"Không đọc được tệp “{path.name}”: {exc.strerror or exc}.") from exc
                added.append(services.proposals.add_attachment(actor, pid, path.name, data))
            return added

        def done(_added: list[AttachmentInfo]) -> None:
            self.changed.emit()
            self.table.setFocus()
            self.table.selectRow(self.model.rowCount() - 1)

        def failed(exc: BaseException, tb: str) -> None:
            self.changed.emit()  # files attached before the failure are shown
            show_error(self.window(), exc, tb)

        run_in_background(self.window(), work, done, failed, title="Đang đính kèm tệp")

    def open_current(self) -> None:
        """Write the file to a temporary folder and open it with the program the system uses for its type."""
        attachment = self.current()
        if attachment is None:
            return
        services, actor = self._services, self._actor

        def work(_progress: Progress) -> Path:
            name, data = services.proposals.attachment_data(actor, attachment.id)
            folder = Path(tempfile.mkdtemp(prefix="khuyencong-"))
            path = folder / name
            path.write_bytes(data)
            return path

        def done(path: Path) -> None:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                msgbox.warning(self.window(), f"Máy chưa có chương trình mở được tệp “{path.name}”. Tệp đã được "
                                              f"lưu tạm tại:\n{path}")

        run_in_background(self.window(), work, done, title="Đang mở tệp đính kèm")

    def remove_current(self) -> None:
        attachment = self.current()
        if attachment is None or not self.remove_button.isEnabled():
            return
        if not msgbox.confirm(self.window(), f"Xóa tệp “{attachment.filename}” khỏi đề án?"):
            return
        try:
            self._services.proposals.remove_attachment(self._actor, attachment.id)
        except UserError as exc:
            msgbox.warning(self.window(), exc.message)
        self.changed.emit()
