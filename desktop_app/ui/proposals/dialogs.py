"""Dialogs of the proposal editor: the workflow actions that need input (reason, document, approval), the
establishment picker for beneficiaries, and the PDF preview of a document.

Every action dialog calls the service itself when the user presses OK, so a refusal keeps the dialog open with the
message beside the field it names (or at the top when it names none) and what was typed stays where it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QKeySequence, QPainter, QPaintEvent, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.ledger import Split, spread_support
from desktop_app.domain.vietnamese import amount_in_words, format_vnd
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import CapView, EstablishmentFilter, EstablishmentRow, Page, ProposalDetail
from desktop_app.ui import msgbox, settings
from desktop_app.ui.errors import show_error
from desktop_app.ui.establishments.dialog import EstablishmentDialog
from desktop_app.ui.printing import print_with_dialog
from desktop_app.ui.style import ERROR_STYLE, MONEY_ALIGN, WARNING_STYLE
from desktop_app.ui.style import SUCCESS_STYLE as OK_STYLE
from desktop_app.ui.table_model import Column, PagedTableModel
from desktop_app.ui.widgets import DateEdit, FieldMessage, FormFields, MoneyEdit, SearchBox


def shortcut(key: QKeySequence, parent: QWidget, slot: Callable[[], object],
             context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QShortcut:
    """A keyboard shortcut on ``parent`` (the window by default, or one widget with ``WidgetShortcut``)."""
    result = QShortcut(key, parent)
    result.setContext(context)
    result.activated.connect(slot)
    return result


def dialog_buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """OK (default: Enter) and Hủy (Escape), labelled in Vietnamese."""
    buttons = QDialogButtonBox(dialog)
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    cancel = buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
    ok.setDefault(True)
    cancel.setAutoDefault(False)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ActionDialog(QDialog):
    """A form whose OK runs ``submit(values)``; a ``UserError`` keeps it open beside the field it names.

    ``default_field`` receives the messages that name no field (a workflow refusal about the amount, say).
    """

    def __init__(self, parent: QWidget | None, title: str, intro: str, ok_text: str,
                 submit: Callable[[dict[str, Any]], Any], default_field: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self._submit = submit
        self._default_field = default_field
        self._required: dict[str, str] = {}
        self.result_value: Any = None
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro, self)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.message = FieldMessage(self)
        layout.addWidget(self.message)
        self.form_layout = QFormLayout()
        self.fields = FormFields(self.form_layout)
        layout.addLayout(self.form_layout)
        self.extra = QVBoxLayout()
        layout.addLayout(self.extra)
        self.buttons = dialog_buttons(self, ok_text)
        layout.addWidget(self.buttons)
        shortcut(QKeySequence("Ctrl+Return"), self, self.accept)

    def add(self, key: str, label: str, widget: QWidget, required_message: str | None = None) -> QWidget:
        self.fields.add(key, label, widget, required=required_message is not None)
        if required_message is not None:
            self._required[key] = required_message
        return widget

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key in self.fields.keys():
            widget = self.fields.widget(key)
            if isinstance(widget, QPlainTextEdit):
                result[key] = widget.toPlainText().strip()
            elif isinstance(widget, MoneyEdit):
                result[key] = widget.value()
            elif isinstance(widget, DateEdit):
                result[key] = widget.date_value()
            elif isinstance(widget, QLineEdit):
                result[key] = widget.text().strip()
        return result

    def accept(self) -> None:
        self.fields.clear()
        self.message.clear_message()
        values = self.values()
        for key, text in self._required.items():
            if values.get(key) in (None, ""):
                self.fields.set_error(key, text)
        if self.fields.focus_first_error():
            return
        try:
            self.result_value = self._submit(values)
        except UserError as exc:
            if not self.fields.show_user_error(exc):
                target = self._default_field
                if target is not None:
                    self.fields.set_error(target, exc.message)
                    self.fields.focus(target)
                else:
                    self.message.show_error(exc.message)
            return
        except Exception as exc:  # a bug: the crash dialog, and the dialog stays open with what was typed
            show_error(self, exc)
            return
        super().accept()


def reason_edit(placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # Tab leaves the box; Ctrl+Enter confirms
    edit.setPlaceholderText(placeholder)
    edit.setFixedHeight(90)
    return edit


def reason_dialog(parent: QWidget | None, title: str, intro: str, ok_text: str,
                  submit: Callable[[str], Any]) -> ActionDialog:
    """Return for correction, cancel: a reason is required."""
    dialog = ActionDialog(parent, title, intro, ok_text, lambda v: submit(v["reason"]), default_field="reason")
    dialog.add("reason", "Lý do", reason_edit("Ghi rõ lý do (bắt buộc)"), "Chưa nhập lý do.")
    return dialog


def document_dialog(parent: QWidget | None, title: str, intro: str, ok_text: str, number_label: str,
                    date_label: str, submit: Callable[[dict[str, Any]], Any], note_label: str | None = None,
                    note_required: bool = False) -> ActionDialog:
    """Stop, send to the ministry: a document number and date, with a reason or a note."""
    dialog = ActionDialog(parent, title, intro, ok_text, submit, default_field="note" if note_label else "number")
    if note_label:
        dialog.add("note", note_label, reason_edit("Ghi rõ lý do" if note_required else "Không bắt buộc"),
                   f"Chưa nhập {note_label.lower()}." if note_required else None)
    number = QLineEdit()
    number.setMaxLength(50)
    number.setPlaceholderText("Ví dụ: 123/QĐ-SCT")
    dialog.add("number", number_label, number, f"Chưa nhập {number_label.lower()}.")
    dialog.add("date", date_label, DateEdit(value=date.today()), f"Chưa nhập {date_label.lower()}.")
    return dialog


class ApproveDialog(ActionDialog):
    """Phê duyệt: decision number, date, signer and the approved support (default: the amount requested), with the
    support-cap check beside it and the amount in words."""

    def __init__(self, parent: QWidget | None, detail: ProposalDetail, signer: str,
                 submit: Callable[[dict[str, Any]], Any]) -> None:
        super().__init__(parent, "Phê duyệt đề án",
                         f"Phê duyệt đề án {detail.code} – {detail.title}. Kinh phí phê duyệt được cố định sau khi "
                         "phê duyệt.", "&Phê duyệt", submit, default_field="approved_support_vnd")
        number = QLineEdit()
        number.setMaxLength(50)
        number.setPlaceholderText("Ví dụ: 45/QĐ-SCT")
        self.add("decision_number", "Số quyết định", number, "Chưa nhập số quyết định phê duyệt.")
        self.add("decision_date", "Ngày quyết định", DateEdit(value=date.today()), "Chưa nhập ngày quyết định.")
        signer_edit = QLineEdit(signer)
        signer_edit.setMaxLength(200)
        self.add("signer", "Người ký", signer_edit)
        self.amount = MoneyEdit()
        self.amount.setValue(detail.support_vnd)
        self.add("approved_support_vnd", "Kinh phí khuyến công phê duyệt (đồng)", self.amount,
                 "Chưa nhập kinh phí khuyến công được phê duyệt.")
        note = QLineEdit()
        note.setMaxLength(500)
        self.add("note", "Ghi chú", note)
        self.requested = QLabel(f"Kinh phí khuyến công đề nghị: {format_vnd(detail.support_vnd)} đồng", self)
        self.cap_label = cap_label(detail.cap, self)
        self.words = QLabel(self)
        self.words.setWordWrap(True)
        for w in (self.requested, self.cap_label, self.words):
            self.extra.addWidget(w)
        self._requested = [Split(x.support_vnd, x.counterpart_vnd, x.other_vnd) for x in detail.lines]
        self.by_line = QCheckBox("Điều chỉnh kinh phí phê duyệt theo từng dòng dự toán", self)
        self.by_line.setToolTip("Mặc định chương trình chia kinh phí phê duyệt theo tỷ lệ kinh phí đề nghị của "
                                "từng dòng; phần giảm chuyển sang vốn đối ứng.")
        self.lines = self._lines_table(detail)
        self.extra.addWidget(QLabel("<b>Dự toán được duyệt</b> (cố định khi phê duyệt)", self))
        self.extra.addWidget(self.lines)
        self.extra.addWidget(self.by_line)
        self.by_line.toggled.connect(self._on_by_line_toggled)
        self.amount.value_changed.connect(self._on_amount_value_changed)
        self._on_amount_value_changed(self.amount.value())

    def _lines_table(self, detail: ProposalDetail) -> QTableWidget:
        table = QTableWidget(len(detail.lines), 4, self)
        table.setHorizontalHeaderLabels(["Nội dung chi", "Thành tiền", "Khuyến công đề nghị",
                                         "Khuyến công phê duyệt"])
        table.verticalHeader().setVisible(False)
        self.line_edits: list[MoneyEdit] = []
        for row, line in enumerate(detail.lines):
            cells = (line.item, format_vnd(line.total_vnd), format_vnd(line.support_vnd))
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if col:
                    item.setTextAlignment(MONEY_ALIGN)
                table.setItem(row, col, item)
            edit = MoneyEdit(table, allow_empty=False)
            edit.setEnabled(False)
            edit.value_changed.connect(self._on_line_value_changed)
            table.setCellWidget(row, 3, edit)
            self.line_edits.append(edit)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        table.setMinimumHeight(min(60 + 30 * len(detail.lines), 220))
        return table

    def _on_amount_value_changed(self, value: int | None) -> None:
        self.words.setText(f"Bằng chữ: {amount_in_words(value)} đồng." if value else "")
        if self.by_line.isChecked() or not value:
            return
        try:
            spread = spread_support(self._requested, value)
        except UserError:
            return  # above the request: the service names the problem when the manager confirms
        for edit, x in zip(self.line_edits, spread, strict=True):
            edit.blockSignals(True)
            edit.setValue(x.support_vnd)
            edit.blockSignals(False)

    def _on_by_line_toggled(self, checked: bool) -> None:
        for edit in self.line_edits:
            edit.setEnabled(checked)
        self.amount.setEnabled(not checked)
        if not checked:
            self._on_amount_value_changed(self.amount.value())

    def _on_line_value_changed(self, _value: int | None) -> None:
        if self.by_line.isChecked():
            self.amount.setValue(sum(e.value() or 0 for e in self.line_edits))

    def values(self) -> dict[str, Any]:
        result = super().values()
        result["line_support_vnd"] = [e.value() or 0 for e in self.line_edits] if self.by_line.isChecked() else None
        return result


def cap_text(cap: CapView) -> str:
    """The cap check as the editor and the approval show it: verdict, rule, legal basis, allowed amount."""
    lines = [cap.message]
    if cap.rule_legal_basis:
        lines.append(f"Căn cứ: {cap.rule_legal_basis}.")
    if cap.allowed_vnd is not None:
        lines.append(f"Mức hỗ trợ tối đa được phép: {format_vnd(cap.allowed_vnd)} đồng.")
    return "\n".join(lines)


_ICON_SIZE = 16


class CapLabel(QLabel):
    """The cap check's text with an icon at its left: a warning sign when nothing could be checked, so a missing
    rule never reads as a pass."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.icon_kind: QStyle.StandardPixmap | None = None

    def set_icon(self, kind: QStyle.StandardPixmap | None) -> None:
        self.icon_kind = kind
        self.setContentsMargins(_ICON_SIZE + 6 if kind is not None else 0, 0, 0, 0)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.icon_kind is not None:
            painter = QPainter(self)
            painter.drawPixmap(0, 1, self.style().standardIcon(self.icon_kind).pixmap(_ICON_SIZE, _ICON_SIZE))
            painter.end()


def cap_label(cap: CapView | None, parent: QWidget | None = None) -> CapLabel:
    label = CapLabel(parent)
    show_cap(label, cap)
    return label


def show_cap(label: QLabel, cap: CapView | None, placeholder: str = "") -> None:
    """Green within the cap, red above it, amber with a warning sign when no rule applies (nothing checked)."""
    icon: QStyle.StandardPixmap | None = None
    if cap is None:
        label.setText(placeholder)
        label.setStyleSheet("")
    else:
        label.setText(cap_text(cap))
        if not cap.checked:
            label.setStyleSheet(WARNING_STYLE)
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning
        elif cap.ok:
            label.setStyleSheet(OK_STYLE)
            icon = QStyle.StandardPixmap.SP_DialogApplyButton
        else:
            label.setStyleSheet(ERROR_STYLE)
            icon = QStyle.StandardPixmap.SP_MessageBoxCritical
    if isinstance(label, CapLabel):
        label.set_icon(icon)


# --- beneficiaries ----------------------------------------------------------------------------------------------

ESTABLISHMENT_COLUMNS: list[Column[EstablishmentRow]] = [
    Column("Tên cơ sở", lambda r: r.name, "name"),
    Column("Mã số thuế", lambda r: r.tax_code, "tax_code"),
    Column("Loại hình", lambda r: r.legal_form.label, "legal_form"),
    Column("Xã, phường", lambda r: r.commune_name, "commune"),
    Column("Tỉnh, thành phố", lambda r: r.province_name, "province"),
    Column("Ngành nghề", lambda r: r.sector_name, "sector"),
]


class EstablishmentPickerDialog(QDialog):
    """Search the establishments (without diacritics) and pick one, or several for a group proposal.

    Enter in the search box moves to the list; Enter (or a double click) in the list chooses.
    """

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, multiple: bool = False,
                 exclude: Sequence[int] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Chọn cơ sở thụ hưởng")
        self.resize(900, 520)
        self._services, self._actor = services, actor
        self._exclude = set(exclude)
        self._text = ""
        self.chosen: list[EstablishmentRow] = []
        self.search = SearchBox("Tìm theo tên hoặc mã số thuế (gõ không dấu cũng được)…", self)
        self.model: PagedTableModel[EstablishmentRow] = PagedTableModel(ESTABLISHMENT_COLUMNS, self._fetch, "name",
                                                                        self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multiple
                                    else QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.hint = QLabel("Giữ Ctrl hoặc Shift để chọn nhiều cơ sở (đề án nhóm)." if multiple else
                           "Đề án đơn lẻ có một cơ sở thụ hưởng.", self)
        self.message = FieldMessage(self)
        self.register_button = QPushButton("Đăng &ký cơ sở mới…", self)
        self.register_button.setAutoDefault(False)
        self.register_button.setToolTip("Cơ sở chưa có trong danh sách: đăng ký rồi chọn luôn")
        self.register_button.clicked.connect(self.register_new)
        # Plain buttons, no default (a QDialogButtonBox would make "Chọn" the default when shown): Enter in the
        # search box goes to the list, so it never chooses a row the user has not seen; Enter in the list chooses.
        choose, cancel = QPushButton("&Chọn", self), QPushButton("Hủy", self)
        for button in (choose, cancel):
            button.setAutoDefault(False)
        choose.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(choose)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.hint, 1)
        row.addWidget(self.register_button)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.search.search_changed.connect(self._on_search_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.table.activated.connect(lambda _i: self.accept())

    def _fetch(self, offset: int, limit: int, sort: str, descending: bool) -> Page[EstablishmentRow]:
        return self._services.establishments.search(self._actor, EstablishmentFilter(text=self._text), offset, limit,
                                                    sort, descending)

    def _on_search_changed(self, text: str) -> None:
        self._text = text
        self.model.reload()

    def _on_search_return_pressed(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def register_new(self) -> None:
        """Register an establishment with the establishments screen's dialog and choose it at once."""
        dialog = EstablishmentDialog(self._services, self._actor, None, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.saved is None:
            return
        e = dialog.saved
        self.chosen = [EstablishmentRow(e.id, e.name, e.data.legal_form, e.data.tax_code, e.data.representative,
                                        e.data.phone, e.province_name, e.commune_name, e.sector_name,
                                        e.data.workers, e.archived)]
        super().accept()

    def selected_rows(self) -> list[EstablishmentRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row(r) for r in rows]

    def accept(self) -> None:
        rows = self.selected_rows()
        if not rows and self.model.rowCount() == 1:
            rows = [self.model.row(0)]
        if not rows:
            self.message.show_error("Chưa chọn cơ sở nào: tìm rồi chọn một dòng trong danh sách.")
            self.table.setFocus()
            return
        already = [r.name for r in rows if r.id in self._exclude]
        if already and len(already) == len(rows):
            self.message.show_error(f"Cơ sở “{already[0]}” đã có trong danh sách thụ hưởng.")
            return
        self.chosen = [r for r in rows if r.id not in self._exclude]
        super().accept()


# --- PDF preview ----------------------------------------------------------------------------------------------

class PdfPreviewDialog(QDialog):
    """A rendered document on screen, with "Lưu PDF…" to keep a copy, "Xuất Word…" for an editable .docx (when
    ``word`` can make one) and "In…" through the standard print dialog."""

    def __init__(self, parent: QWidget | None, title: str, data: bytes, filename: str,
                 word: Callable[[], bytes] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 760)
        self.data = data
        self._title = title
        self._filename = filename
        self._word = word
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self)
        self._buffer.setData(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.pages = QLabel(f"{self.document.pageCount()} trang", self)
        self.print_button = QPushButton("&In…", self)
        self.print_button.setToolTip("In văn bản: chọn máy in, các trang và số bản (Ctrl+P)")
        save = QPushButton("&Lưu PDF…", self)
        save.setToolTip("Lưu văn bản thành tệp PDF (Ctrl+S)")
        self.word_button = QPushButton("Xuất &Word…", self)
        self.word_button.setToolTip("Lưu văn bản thành tệp Word (.docx) để sửa câu chữ trước khi ký")
        self.word_button.setVisible(word is not None)
        close = QPushButton("Đón&g", self)
        # no default button: the Enter that opened the preview bubbles up to the editor, which would press it
        for button in (self.print_button, save, self.word_button, close):
            button.setAutoDefault(False)
        self.print_button.clicked.connect(lambda: self.print_document())
        save.clicked.connect(lambda: self.save())
        self.word_button.clicked.connect(lambda: self.save_word())
        close.clicked.connect(self.accept)
        shortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        shortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_document)
        bar = QHBoxLayout()
        bar.addWidget(self.pages)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(save)
        bar.addWidget(self.word_button)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)

    def print_document(self) -> int:
        """The standard print dialog (printer, page range, copies), then the pages; returns the pages printed."""
        try:
            return print_with_dialog(self, self.data, self._title)
        except UserError as exc:
            msgbox.warning(self, exc.message)
            return 0

    def save_word(self, path: str | None = None) -> str | None:
        """Write the document as an editable Word file (.docx)."""
        if self._word is None:
            return None
        if not path:
            folder = settings.get(settings.EXPORT_FOLDER) or str(Path.home())
            name = str(Path(self._filename).with_suffix(".docx"))
            path, _ = QFileDialog.getSaveFileName(self, "Xuất Word", str(Path(folder) / name), "Tệp Word (*.docx)")
            if not path:
                return None
            settings.put(settings.EXPORT_FOLDER, str(Path(path).parent))
        if not path.lower().endswith(".docx"):
            path += ".docx"
        try:
            Path(path).write_bytes(self._word())
        except UserError as exc:
            msgbox.warning(self, exc.message)
            return None
        except OSError as exc:
            msgbox.warning(self, f"Không ghi được tệp “{path}”: {exc.strerror or exc}. Nếu tệp đang mở trong Word, "
                                 "hãy đóng tệp rồi thử lại.")
            return None
        return path

    def save(self, path: str | None = None) -> str | None:
        if not path:
            folder = settings.get(settings.EXPORT_FOLDER) or str(Path.home())
            path, _ = QFileDialog.getSaveFileName(self, "Lưu văn bản", str(Path(folder) / self._filename),
                                                  "Tệp PDF (*.pdf)")
            if not path:
                return None
            settings.put(settings.EXPORT_FOLDER, str(Path(path).parent))
        try:
            Path(path).write_bytes(self.data)
        except OSError as exc:
            msgbox.warning(self, f"Không ghi được tệp “{path}”: {exc.strerror or exc}.")
            return None
        return path
