"""The “Văn bản” tab: the documents of the proposal (each previewed before it is saved or printed), and the whole
dossier as one print job or one zip file. The list is read when the tab is first opened, not with the editor."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QVBoxLayout, QWidget

from desktop_app.domain.enums import DocumentKind
from desktop_app.domain.errors import UserError
from desktop_app.progress import Progress
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import DocumentOption, ProposalDetail
from desktop_app.ui import msgbox, settings
from desktop_app.ui.printing import print_with_dialog
from desktop_app.ui.proposals.dialogs import PdfPreviewDialog
from desktop_app.ui.proposals.models import document_model
from desktop_app.ui.proposals.tabs.base import ProposalTab, button, list_table
from desktop_app.ui.table_model import ListModel
from desktop_app.ui.tasks import run_in_background
from desktop_app.ui.widgets import FieldMessage


class DocumentsTab(ProposalTab):
    """The documents the proposal has now (those not yet possible say why), the preview, the whole dossier."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._detail: ProposalDetail | None = None
        self._loaded = False
        self.preview: PdfPreviewDialog | None = None
        self.model: ListModel[DocumentOption] = document_model(self)
        self.table = list_table(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Văn bản của đề án")
        header = self.table.horizontalHeader()
        header.resizeSection(0, 380)
        header.setStretchLastSection(True)
        self.view_button = button("Xem", "Lập văn bản và xem trước (Enter)", self)
        self.save_button = button("Lưu hồ sơ (.zip)…", "Lưu toàn bộ hồ sơ đề án thành một tệp nén", self)
        self.print_button = button("In hồ sơ…", "In toàn bộ hồ sơ đề án một lần (chọn máy in, trang, số bản)", self)
        self.view_button.clicked.connect(self.view)
        self.save_button.clicked.connect(lambda: self.save_zip())
        self.print_button.clicked.connect(lambda: self.print_dossier())
        self.table.activated.connect(lambda _i: self.view())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.reason = FieldMessage(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.view_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reason)

    def fill(self, detail: ProposalDetail) -> None:
        """The saved proposal ``detail``: its documents are read now if the tab was already opened (or is open)."""
        self._detail = detail
        if self._loaded or self.isVisible():
            self._load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._load()

    def _load(self) -> None:
        if self._detail is None:
            return
        self.model.set_rows(self._services.documents.available(self._actor, self._detail.id))
        self._loaded = True
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    def current(self) -> DocumentOption | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        option = self.current()
        self.view_button.setEnabled(option is not None and option.enabled)
        self.view_button.setToolTip(
            "Lập văn bản và xem trước (Enter)" if option is None or option.enabled else option.reason or "")
        if option is not None and not option.enabled:
            self.reason.show_warning(f"{option.label}: {option.reason or 'chưa lập được.'}")
        else:
            self.reason.clear_message()
        dossier = next((d for d in self.model.rows() if d.kind is DocumentKind.DOSSIER), None)
        self.save_button.setEnabled(dossier is not None and dossier.enabled)
        self.print_button.setEnabled(dossier is not None and dossier.enabled)

    def view(self) -> None:
        """Render the chosen document in the background, then preview it."""
        option, detail = self.current(), self._detail
        if option is None or detail is None:
            return
        if not option.enabled:
            msgbox.warning(self.window(), option.reason or f"Chưa lập được {option.label.lower()}.")
            return
        services, actor, pid, code = self._services, self._actor, detail.id, detail.code

        def work(progress: Progress) -> bytes:
            if option.kind is DocumentKind.DOSSIER:
                return services.documents.dossier(actor, pid, progress=progress)
            return services.documents.render(actor, option.kind, pid, option.member_id, option.blank)

        def word() -> bytes:
            return services.documents.render_docx(actor, option.kind, pid, option.member_id, option.blank)

        def done(data: bytes) -> None:
            self.close_preview()
            self.preview = PdfPreviewDialog(self.window(), f"{option.label} – {code}", data,
                                            option.filename or f"{option.kind.value}-{code}.pdf",
                                            None if option.kind is DocumentKind.DOSSIER else word)
            self.preview.show()

        run_in_background(self.window(), work, done, title=f"Đang lập {option.label.lower()}")

    def close_preview(self) -> None:
        if self.preview is not None:
            self.preview.close()

    def print_dossier(self) -> None:
        """Make the whole dossier (every document and attached PDF) in the background, then print it in one go."""
        if self._detail is None:
            return
        services, actor, pid, code = self._services, self._actor, self._detail.id, self._detail.code

        def work(progress: Progress) -> bytes:
            return services.documents.dossier(actor, pid, progress=progress)

        def done(data: bytes) -> None:
            try:
                print_with_dialog(self.window(), data, f"Hồ sơ đề án {code}")
            except UserError as exc:
                msgbox.warning(self.window(), exc.message)

        run_in_background(self.window(), work, done, title="Đang lập hồ sơ đề án để in")

    def save_zip(self, path: str | None = None) -> None:
        """The whole dossier as one zip file (asks where, unless ``path`` is given)."""
        if self._detail is None:
            return
        pid = self._detail.id
        if not path:
            folder = settings.get(settings.EXPORT_FOLDER) or str(Path.home())
            path, _ = QFileDialog.getSaveFileName(self.window(), "Lưu hồ sơ đề án",
                                                  str(Path(folder) / f"ho-so-{self._detail.code}.zip"),
                                                  "Tệp nén (*.zip)")
            if not path:
                return
            settings.put(settings.EXPORT_FOLDER, str(Path(path).parent))
        target = Path(path)
        services, actor = self._services, self._actor

        def work(progress: Progress) -> Path:
            data = services.documents.dossier(actor, pid, as_zip=True, progress=progress)
            try:
                target.write_bytes(data)
            except OSError as exc:
                raise UserError(f"Không ghi được tệp “{target}”: {exc.strerror or exc}.") from exc
            return target

        run_in_background(self.window(), work,
                          lambda p: msgbox.information(self.window(), f"Đã lưu hồ sơ đề án vào:\n{p}"),
                          title="Đang lập hồ sơ đề án")
