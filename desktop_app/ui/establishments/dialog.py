"""The establishment form: fields checked as they are typed (tax code, phone, e-mail shown beside the field),
province → commune pickers with type-ahead, a warning when the tax code or name + commune already exists, and the
establishment's proposals on a second tab.

Nothing typed is lost on an error: the dialog stays open, names the field and puts the cursor there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QIntValidator, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import LegalForm
from desktop_app.domain.errors import ConflictError, UserError, ValidationError
from desktop_app.domain.validators import Problem, check_email, check_phone, check_tax_code, format_phone
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import Duplicate, EstablishmentDetail, EstablishmentInput, ProposalFilter
from desktop_app.ui import msgbox
from desktop_app.ui.errors import show_error
from desktop_app.ui.style import FORM_LABEL_ALIGN, MONEY_ALIGN, WARNING_STYLE
from desktop_app.ui.widgets import CodeCombo, DateEdit, EnumCombo, FormFields, PlacePicker

HISTORY_HEADERS = ["Mã đề án", "Tên đề án", "Năm", "Nguồn", "Trạng thái", "Khuyến công đề nghị (đồng)",
                   "Khuyến công phê duyệt (đồng)"]
_PROPOSAL_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _int_or_none(text: str) -> int | None:
    digits = text.replace(".", "").replace(" ", "")
    return int(digits) if digits.isdigit() else None


class EstablishmentDialog(QDialog):
    """Register a new establishment (``establishment_id`` None) or edit one; ``saved`` holds the result."""

    #: A proposal of the history tab was chosen (double-click or Enter): the screen that opened this dialog opens
    #: it in the proposal editor, while this dialog waits.
    proposal_requested = Signal(int)

    def __init__(self, services: Services, actor: Actor, establishment_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.saved: EstablishmentDetail | None = None
        self.detail = services.establishments.get(actor, establishment_id) if establishment_id else None
        self._duplicates: list[Duplicate] = []
        self.setWindowTitle(f"Cơ sở CNNT – {self.detail.name}" if self.detail else "Đăng ký cơ sở CNNT mới")
        self.setMinimumSize(860, 640)

        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._build_form(), "Thông tin cơ sở")
        self.history = QTableView()
        self.tabs.addTab(self._build_history(), "Đề án đã tham gia")
        self.duplicate_label = QLabel()
        self.duplicate_label.setWordWrap(True)
        self.duplicate_label.setStyleSheet(WARNING_STYLE + " font-weight: bold;")
        self.duplicate_label.setVisible(False)
        layout.addWidget(self.duplicate_label)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.setShortcut("Ctrl+S")
        self.archive_button: QPushButton | None = None
        bottom = QHBoxLayout()
        if self.detail is not None:
            # Archiving is not saving: it sits at the far left, away from "Lưu", and asks before it acts.
            text = "Bỏ lưu trữ…" if self.detail.archived else "Đưa vào lưu trữ…"
            self.archive_button = QPushButton(text)
            self.archive_button.setAutoDefault(False)
            self.archive_button.setToolTip("Cất cơ sở khỏi danh sách (vẫn giữ lịch sử đề án); sẽ hỏi lại trước khi "
                                           "làm" if not self.detail.archived else "Đưa cơ sở trở lại danh sách")
            self.archive_button.clicked.connect(self._on_archive_clicked)
            bottom.addWidget(self.archive_button)
        bottom.addStretch(1)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        if self.detail is not None:
            self._load(self.detail)
            self._load_history()
        else:
            self.tabs.setTabEnabled(1, False)
            # A centre registers the establishments of its own province: start there, as a new proposal does.
            self.place.set_codes(services.organisation.get().province_code, None)
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- building ----------------------------------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        page = QWidget()
        columns = QHBoxLayout(page)
        columns.setSpacing(18)
        left, right = QFormLayout(), QFormLayout()
        for form in (left, right):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            form.setLabelAlignment(FORM_LABEL_ALIGN)
            form.setVerticalSpacing(8)  # else inherited from the columns' 18 px
            form.setHorizontalSpacing(10)
        for form, stretch in ((left, 3), (right, 2)):
            column = QVBoxLayout()
            column.addLayout(form)
            column.addStretch(1)  # rows keep their natural height; the spare space goes below
            columns.addLayout(column, stretch)
        self.fields = FormFields(left)
        self.more = FormFields(right)
        ref = self.services.reference

        self.name = QLineEdit()
        self.legal_form = EnumCombo(LegalForm, empty_label="— Chọn loại hình —")
        self.tax_code = QLineEdit()
        self.tax_code.setPlaceholderText("10 số, 10 số-3 số, hoặc 12 số định danh")
        self.representative = QLineEdit()
        self.representative_title = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("0912 345 678")
        self.email = QLineEdit()
        self.email.setPlaceholderText("ten@tenmien.vn")
        self.place = PlacePicker(ref, empty_province="— Chọn tỉnh, thành phố —", empty_commune="— Chọn xã, phường —")
        self.street = QLineEdit()
        self.street.setPlaceholderText("Số nhà, đường, thôn, xóm")
        self.fields.add("name", "Tên cơ sở", self.name, required=True)
        self.fields.add("legal_form", "Loại hình", self.legal_form, required=True)
        self.fields.add("tax_code", "Mã số thuế", self.tax_code)
        self.fields.add("representative", "Người đại diện", self.representative)
        self.fields.add("representative_title", "Chức vụ", self.representative_title)
        self.fields.add("phone", "Điện thoại", self.phone)
        self.fields.add("email", "Email", self.email)
        self.fields.add("province_code", "Địa bàn (tỉnh, xã)", self.place, required=True)
        self.fields.add("street", "Địa chỉ chi tiết", self.street)
        self.legacy_address = QLabel()
        self.legacy_address.setWordWrap(True)
        self.legacy_address.setVisible(False)
        left.addRow(self.legacy_address)

        self.sector = CodeCombo(empty_label="— Chưa chọn —", items=ref.sectors())
        self.main_products = QLineEdit()
        self.workers = QLineEdit()
        self.female_workers = QLineEdit()
        for box in (self.workers, self.female_workers):
            box.setValidator(QIntValidator(0, 10_000_000, box))
            box.setAlignment(MONEY_ALIGN)
        self.founded_on = DateEdit(optional=True)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(90)
        self.more.add("sector_code", "Ngành nghề", self.sector)
        self.more.add("main_products", "Sản phẩm chính", self.main_products)
        self.more.add("workers", "Số lao động", self.workers)
        self.more.add("female_workers", "Lao động nữ", self.female_workers)
        self.more.add("founded_on", "Ngày thành lập", self.founded_on)
        self.more.add("notes", "Ghi chú", self.notes)

        for widget, check in ((self.tax_code, check_tax_code), (self.phone, check_phone), (self.email, check_email)):
            widget.editingFinished.connect(lambda w=widget, c=check: self._check_field(w, c))
        self.tax_code.editingFinished.connect(self._check_duplicates)
        self.name.editingFinished.connect(self._check_duplicates)
        self.place.commune.code_changed.connect(lambda _c: self._check_duplicates())
        self.name.textEdited.connect(lambda _t: self.fields.clear("name"))
        return page

    def _build_history(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.history_note = QLabel("Nhấn đúp (hoặc Enter) vào một đề án để mở.")
        layout.addWidget(self.history_note)
        self.history_model = QStandardItemModel(0, len(HISTORY_HEADERS), self)
        self.history_model.setHorizontalHeaderLabels(HISTORY_HEADERS)
        self.history.setModel(self.history_model)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.history.doubleClicked.connect(self._on_history_double_clicked)
        self.history.activated.connect(self._on_history_double_clicked)
        layout.addWidget(self.history)
        return page

    # --- data in and out ---------------------------------------------------------------------------------------

    def _fields_of(self, key: str) -> FormFields:
        return self.fields if key in self.fields.keys() else self.more

    def _load(self, detail: EstablishmentDetail) -> None:
        d = detail.data
        self.name.setText(d.name)
        self.legal_form.set_value(d.legal_form)
        self.tax_code.setText(d.tax_code)
        self.representative.setText(d.representative)
        self.representative_title.setText(d.representative_title)
        self.phone.setText(format_phone(d.phone) if d.phone else "")
        self.email.setText(d.email)
        self.place.set_codes(d.province_code, d.commune_code)
        self.street.setText(d.street)
        if d.address_as_recorded:
            self.legacy_address.setText(f"Địa chỉ ghi nhận trước sắp xếp đơn vị hành chính 2025: "
                                        f"{d.address_as_recorded}")
            self.legacy_address.setVisible(True)
        self.sector.set_code(d.sector_code)
        self.main_products.setText(d.main_products)
        self.workers.setText("" if d.workers is None else str(d.workers))
        self.female_workers.setText("" if d.female_workers is None else str(d.female_workers))
        self.founded_on.set_date_value(d.founded_on)
        self.notes.setPlainText(d.notes)

    def data(self) -> EstablishmentInput:
        """What the form holds, as the service's input (not yet validated)."""
        base = self.detail.data if self.detail else EstablishmentInput(name="", legal_form=LegalForm.SME)
        return replace(
            base, name=self.name.text(), legal_form=self.legal_form.value(), tax_code=self.tax_code.text(),
            representative=self.representative.text(), representative_title=self.representative_title.text(),
            phone=self.phone.text(), email=self.email.text(), province_code=self.place.province_code(),
            commune_code=self.place.commune_code(), street=self.street.text(), sector_code=self.sector.code(),
            main_products=self.main_products.text(), workers=_int_or_none(self.workers.text()),
            female_workers=_int_or_none(self.female_workers.text()), founded_on=self.founded_on.date_value(),
            notes=self.notes.toPlainText())

    def _load_history(self) -> None:
        assert self.detail is not None
        self.history_model.removeRows(0, self.history_model.rowCount())
        try:
            page = self.services.proposals.search(self.actor, ProposalFilter(establishment_id=self.detail.id),
                                                  limit=1000, sort="year", descending=True)
        except UserError as exc:
            self.history_note.setText(exc.message)
            return
        for row in page.rows:
            # Two stages, two columns: what was asked, and what was approved (never one standing for the other).
            approved = format_vnd(row.approved_support_vnd) if row.approved_support_vnd is not None else ""
            items = [QStandardItem(t) for t in (row.code, row.title, str(row.year), row.scope.short,
                                                row.status.label, format_vnd(row.support_vnd), approved)]
            for i in (2, 5, 6):
                items[i].setTextAlignment(MONEY_ALIGN)
            items[0].setData(row.id, _PROPOSAL_ID_ROLE)
            self.history_model.appendRow(items)
        self.tabs.setTabText(1, f"Đề án đã tham gia ({page.total})")
        if not page.rows:
            self.history_note.setText("Cơ sở chưa tham gia đề án nào.")
        self.history.resizeColumnsToContents()
        self.history.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    # --- checks ------------------------------------------------------------------------------------------------

    def _check_field(self, widget: QLineEdit, check: Callable[[str], Problem | None]) -> None:
        key = {self.tax_code: "tax_code", self.phone: "phone", self.email: "email"}[widget]
        self.fields.show_problem(key, check(widget.text()))

    def _check_duplicates(self) -> None:
        data = self.data()
        if not data.name.strip() and not data.tax_code.strip():
            self._show_duplicates([])
            return
        try:
            found = self.services.establishments.duplicates(data, exclude_id=self.detail.id if self.detail else None)
        except UserError:
            found = []
        self._show_duplicates(found)

    def _show_duplicates(self, found: list[Duplicate]) -> None:
        self._duplicates = found
        if not found:
            self.duplicate_label.setVisible(False)
            return
        lines = [f"• {d.reason}: “{d.name}” (mã {d.id}{', MST ' + d.tax_code if d.tax_code else ''}"
                 f"{', ' + d.commune_name if d.commune_name else ''})" for d in found[:5]]
        more = f"\n… và {len(found) - 5} cơ sở khác" if len(found) > 5 else ""
        self.duplicate_label.setText("Có thể trùng với cơ sở đã đăng ký:\n" + "\n".join(lines) + more)
        self.duplicate_label.setVisible(True)

    # --- actions -----------------------------------------------------------------------------------------------

    def _on_save(self) -> None:
        for key in self.fields.keys():
            if key not in ("tax_code", "phone", "email"):  # keep the format warnings shown while typing
                self.fields.clear(key)
        self.more.clear()
        data = self.data()
        try:  # every missing or wrong field at once, beside each, before asking about duplicates
            self.services.establishments.validate(data)
        except ValidationError as exc:
            self._show_problems(exc)
            return
        self._check_duplicates()
        allow_duplicate = False
        if self._duplicates:
            if not msgbox.confirm(self, self.duplicate_label.text() + "\n\nVẫn lưu cơ sở này?",
                                  title="Có thể trùng cơ sở"):
                return
            allow_duplicate = True
        try:
            if self.detail is None:
                self.saved = self.services.establishments.create(self.actor, data, allow_duplicate=allow_duplicate)
            else:
                self.saved = self.services.establishments.update(self.actor, self.detail.id, data,
                                                                 self.detail.version, allow_duplicate=allow_duplicate)
        except ConflictError as exc:
            msgbox.warning(self, exc.message)
            return
        except UserError as exc:
            self._show_problems(exc)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()

    def _show_problems(self, exc: UserError) -> None:
        """Each problem beside its field (both columns), the cursor on the first; a message box for the rest."""
        problems = getattr(exc, "problems", ()) or ((exc.field, exc.message),)
        shown: list[str] = []
        for field, message in problems:
            key = "province_code" if field == "commune_code" else field
            if key and key in self.fields.keys() + self.more.keys():
                self._fields_of(key).set_error(key, message)
                shown.append(key)
        if not shown:
            msgbox.warning(self, exc.message)
            return
        self.tabs.setCurrentIndex(0)
        self._fields_of(shown[0]).focus(shown[0])

    def _on_archive_clicked(self) -> None:
        assert self.detail is not None
        archive = not self.detail.archived
        question = ("Lưu trữ cơ sở này? Cơ sở đã lưu trữ không hiện trong danh sách (trừ khi chọn “Hiện cả cơ sở "
                    "đã lưu trữ”) nhưng vẫn giữ nguyên lịch sử đề án." if archive else "Đưa cơ sở trở lại danh sách?")
        if not msgbox.confirm(self, question):
            return
        try:
            self.saved = self.services.establishments.set_archived(self.actor, self.detail.id, archive,
                                                                   self.detail.version)
        except UserError as exc:
            msgbox.warning(self, exc.message)
            return
        self.accept()

    def _on_history_double_clicked(self, index: QModelIndex) -> None:
        pid = self.history_model.item(index.row(), 0).data(_PROPOSAL_ID_ROLE)
        if pid is None:
            return
        self.proposal_requested.emit(int(pid))
        self._load_history()  # the proposal may have changed while it was open

