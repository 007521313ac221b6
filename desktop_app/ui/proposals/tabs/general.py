"""The “Chung” tab: the proposal's general information, its planned outcome targets and its text sections."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from itertools import pairwise
from typing import Any, NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.budget import rule_date
from desktop_app.domain.enums import Outcome, ProposalForm, Scope
from desktop_app.domain.errors import UserError
from desktop_app.services.dto import ProposalInput
from desktop_app.services.reference import ReferenceService
from desktop_app.ui.proposals.models import content_choices
from desktop_app.ui.proposals.tabs.base import ProposalTab
from desktop_app.ui.widgets import (
    CodeCombo,
    DateEdit,
    EnumCombo,
    FieldMessage,
    FormFields,
    MoneyEdit,
    PlacePicker,
    set_read_only,
)

#: The đề án's text sections (Mẫu 1), in the order of the document.
TEXT_SECTIONS = (
    ("necessity", "Sự cần thiết"),
    ("objectives", "Mục tiêu"),
    ("scale", "Quy mô"),
    ("activities", "Nội dung hoạt động"),
    ("organisation_plan", "Phương án tổ chức thực hiện"),
    ("effectiveness", "Hiệu quả dự kiến"),
)
#: Service fields shown under another row of the form (the pair of dates, the place picker).
FIELD_ROWS = {"end_date": "start_date", "commune_code": "province_code", "legacy_ward_code": "province_code",
              "location_as_recorded": "province_code"}


class GeneralInput(NamedTuple):
    """What the general tab contributes to “Lưu”: the proposal's fields and its planned targets."""

    data: ProposalInput
    targets: dict[Outcome, int]


class CapInputs(NamedTuple):
    """The inputs the support-cap check depends on, as typed."""

    content_code: str | None
    scope: Scope
    province_code: str | None
    on: date  # the day whose rules apply


class GeneralTab(ProposalTab):
    """Chung: the form (code, title, year, source of funds, content, place, dates…), the targets and the texts."""

    changed = Signal()  # anything typed
    cap_inputs_changed = Signal()  # year, source of funds, content, place or start date: the cap check may change
    form_changed = Signal()  # single / group / pilot: how many beneficiaries the proposal takes
    title_changed = Signal(str)

    def __init__(self, reference: ReferenceService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reference = reference
        self._location_as_recorded = ""
        self._address_needs_review = False
        self._loaded_commune: str | None = None
        self._legacy_ward_code: str | None = None
        self._stored = False  # filled from the database once: the code no longer changes
        content = QWidget()
        column = QVBoxLayout(content)
        top = QHBoxLayout()
        top.addWidget(self._build_form(), 3)
        top.addWidget(self._build_targets(), 2)
        column.addLayout(top)
        column.addWidget(self._build_texts())
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        order = [self.code_edit, self.title_edit, self.year_spin, self.scope_combo, self.form_combo,
                 self.content_combo, self.sector_combo, self.implementing_edit, self.partner_edit,
                 self.place.province, self.place.commune, self.start_edit, self.end_edit,
                 *self.target_edits.values(), *self.text_edits.values()]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        self._show_legacy_place()
        self._connect_changes()

    def _build_form(self) -> QGroupBox:
        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(40)
        self.code_edit.setPlaceholderText("Để trống: tự đánh số khi lưu")
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(500)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(date.today().year)
        self.scope_combo = EnumCombo(Scope)
        self.form_combo = EnumCombo(ProposalForm)
        self.content_combo = CodeCombo(empty_label="", items=content_choices(self._reference.contents()))
        self.content_combo.setMinimumContentsLength(48)
        self._bold_content_groups()
        self.sector_combo = CodeCombo(empty_label="", items=self._reference.sectors())
        self.implementing_edit = QLineEdit()
        self.implementing_edit.setMaxLength(300)
        self.partner_edit = QLineEdit()
        self.partner_edit.setMaxLength(300)
        self.place = PlacePicker(self._reference)
        self.legacy_place = QLabel()
        self.legacy_place.setWordWrap(True)
        self.start_edit = DateEdit(optional=True)
        self.end_edit = DateEdit(optional=True)
        dates = QWidget()
        row = QHBoxLayout(dates)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.start_edit)
        row.addWidget(QLabel("đến"))
        row.addWidget(self.end_edit)
        row.addStretch(1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields = FormFields(form)
        self.fields.add("code", "Mã đề án", self.code_edit)
        self.fields.add("title", "Tên đề án", self.title_edit, required=True)
        self.fields.add("year", "Năm kế hoạch", self.year_spin, required=True)
        self.fields.add("scope", "Nguồn kinh phí", self.scope_combo, required=True)
        self.fields.add("form", "Hình thức", self.form_combo)
        self.fields.add("content_code", "Nội dung (NĐ 45)", self.content_combo, required=True)
        self.fields.add("sector_code", "Ngành nghề", self.sector_combo)
        self.fields.add("implementing_unit", "Đơn vị thực hiện", self.implementing_edit)
        self.fields.add("partner_unit", "Đơn vị phối hợp", self.partner_edit)
        self.fields.add("province_code", "Địa điểm (tỉnh, xã)", self.place)
        form.addRow("", self.legacy_place)
        self.fields.add("start_date", "Thời gian thực hiện", dates)
        general = QGroupBox("Thông tin chung")
        general.setLayout(form)
        return general

    def _build_targets(self) -> QGroupBox:
        targets_form = QFormLayout()
        self.target_edits: dict[Outcome, MoneyEdit] = {}
        for outcome in Outcome:
            edit = MoneyEdit()
            edit.setToolTip(f"{outcome.label} ({outcome.unit}); để trống nếu không đặt chỉ tiêu")
            self.target_edits[outcome] = edit
            targets_form.addRow(f"{outcome.label} ({outcome.unit})", edit)
        self.targets_message = FieldMessage()
        targets_form.addRow(self.targets_message)
        targets = QGroupBox("Chỉ tiêu kết quả dự kiến")
        targets.setLayout(targets_form)
        return targets

    def _build_texts(self) -> QGroupBox:
        self.text_edits: dict[str, QPlainTextEdit] = {}
        texts_grid = QGridLayout()
        for i, (key, label) in enumerate(TEXT_SECTIONS):
            section = QPlainTextEdit()
            section.setTabChangesFocus(True)
            section.setMinimumHeight(90)
            caption = QLabel(label)
            caption.setBuddy(section)
            self.text_edits[key] = section
            texts_grid.addWidget(caption, (i // 2) * 2, i % 2)
            texts_grid.addWidget(section, (i // 2) * 2 + 1, i % 2)
        texts = QGroupBox("Thuyết minh đề án")
        texts.setLayout(texts_grid)
        return texts

    def _bold_content_groups(self) -> None:
        """Group headings (contents without a parent) in bold, so the sub-types read as belonging to them."""
        parents = {c.code for c in self._reference.contents() if not c.parent}
        model = self.content_combo.model()
        bold = QFont(self.content_combo.font())
        bold.setBold(True)
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if self.content_combo.codes()[row] in parents:
                model.setData(index, bold, Qt.ItemDataRole.FontRole)

    def _connect_changes(self) -> None:
        for edit in (self.code_edit, self.title_edit, self.implementing_edit, self.partner_edit):
            edit.textChanged.connect(self._on_changed)
        for text in self.text_edits.values():
            text.textChanged.connect(self._on_changed)
        for target in self.target_edits.values():
            target.value_changed.connect(self._on_changed)
        self.title_edit.textChanged.connect(self.title_changed)
        self.year_spin.valueChanged.connect(self._on_cap_input_changed)
        self.scope_combo.value_changed.connect(self._on_cap_input_changed)
        self.content_combo.code_changed.connect(self._on_cap_input_changed)
        self.place.changed.connect(self._on_cap_input_changed)
        self.start_edit.dateChanged.connect(self._on_cap_input_changed)
        self.end_edit.dateChanged.connect(self._on_changed)
        self.form_combo.value_changed.connect(self._on_form_changed)
        self.sector_combo.code_changed.connect(self._on_changed)

    def _on_changed(self, *_: object) -> None:
        self.changed.emit()

    def _on_cap_input_changed(self, *_: object) -> None:
        self.changed.emit()
        self.cap_inputs_changed.emit()

    def _on_form_changed(self, *_: object) -> None:
        self.changed.emit()
        self.form_changed.emit()

    # --- the proposal in, the input out ------------------------------------------------------------------------

    def set_defaults(self, province_code: str | None, implementing_unit: str) -> None:
        """A new draft: the centre's province as the place, its name as the implementing unit."""
        self.place.set_codes(province_code, None)
        self.implementing_edit.setText(implementing_unit)

    def fill(self, data: ProposalInput, targets: Mapping[Outcome, int | None], *, stored: bool = True) -> None:
        """Show ``data`` and the planned ``targets``: the proposal as stored, or (``stored`` False) a draft kept
        after a crash, for which the commune the proposal was loaded with stays the one that needs confirming."""
        self.code_edit.setText(data.code)
        self.title_edit.setText(data.title)
        self.year_spin.setValue(data.year)
        self.scope_combo.set_value(data.scope)
        self.form_combo.set_value(data.form)
        self.content_combo.set_code(data.content_code)
        self.sector_combo.set_code(data.sector_code)
        self.implementing_edit.setText(data.implementing_unit)
        self.partner_edit.setText(data.partner_unit)
        self.place.set_codes(data.province_code, data.commune_code)
        self._location_as_recorded, self._legacy_ward_code = data.location_as_recorded, data.legacy_ward_code
        self._address_needs_review = data.address_needs_review
        if stored:
            self._loaded_commune, self._stored = data.commune_code, True
        self.start_edit.set_date_value(data.start_date)
        self.end_edit.set_date_value(data.end_date)
        for key, edit in self.text_edits.items():
            edit.setPlainText(getattr(data, key))
        for outcome, target in self.target_edits.items():
            target.setValue(targets.get(outcome))
        self._show_legacy_place()

    def _show_legacy_place(self) -> None:
        """The place as recorded before the 2025 merger of communes, under the place picker, when there is one."""
        review = (" — xã cũ đã bị chia tách: hãy xác nhận xã/phường hiện nay rồi lưu"
                  if self._address_needs_review else "")
        self.legacy_place.setText(f"Địa điểm theo hồ sơ trước sáp nhập 2025: {self._location_as_recorded}{review}"
                                  if self._location_as_recorded else "")
        self.legacy_place.setVisible(bool(self._location_as_recorded))

    def set_editable(self, editable: bool, reason: str | None = None) -> None:
        """Lock or unlock the inputs; the code also stays fixed once the proposal has been created."""
        code_fixed = self._stored
        for line in (self.title_edit, self.implementing_edit, self.partner_edit, *self.target_edits.values()):
            set_read_only(line, not editable)
        for text in self.text_edits.values():
            set_read_only(text, not editable)
        set_read_only(self.code_edit, not editable or code_fixed)
        self.code_edit.setToolTip("Mã đề án không đổi sau khi đã lập." if code_fixed else
                                  "Để trống để chương trình tự đánh số theo nguồn kinh phí và năm.")
        for widget in (self.year_spin, self.scope_combo, self.form_combo, self.content_combo, self.sector_combo,
                       self.place):
            widget.setEnabled(editable)
        for date_edit in (self.start_edit, self.end_edit):
            date_edit.setReadOnly(not editable)

    def collect(self) -> GeneralInput:
        """The form as a ``ProposalInput`` (the services normalise and check it) and the targets typed."""
        # the text sections only (the "Tỷ lệ hỗ trợ" is the budget tab's: the editor adds it when saving)
        texts: dict[str, Any] = {key: edit.toPlainText() for key, edit in self.text_edits.items()}
        data = ProposalInput(
            title=self.title_edit.text(), year=self.year_spin.value(), scope=self.scope_combo.value(),
            content_code=self.content_combo.code() or "", form=self.form_combo.value(),
            code=self.code_edit.text().strip(), sector_code=self.sector_combo.code(),
            implementing_unit=self.implementing_edit.text(), partner_unit=self.partner_edit.text(),
            province_code=self.place.province_code(), commune_code=self.place.commune_code(),
            location_as_recorded=self._location_as_recorded, legacy_ward_code=self._legacy_ward_code,
            # Choosing another commune is the person's confirmation of a split old ward.
            address_needs_review=self._address_needs_review and self.place.commune_code() == self._loaded_commune,
            start_date=self.start_edit.date_value(), end_date=self.end_edit.date_value(), **texts)
        targets = {o: v for o, edit in self.target_edits.items() if (v := edit.value()) is not None}
        return GeneralInput(data, targets)

    def form(self) -> ProposalForm:
        return self.form_combo.value()

    def cap_inputs(self) -> CapInputs:
        return CapInputs(self.content_combo.code(), self.scope_combo.value(), self.place.province_code(),
                         rule_date(self.start_edit.date_value(), self.year_spin.value()))

    # --- messages ----------------------------------------------------------------------------------------------

    def clear_messages(self) -> None:
        self.fields.clear()
        self.targets_message.clear_message()

    def show_error(self, exc: UserError) -> bool:
        """A refusal about the targets or a general field: every wrong field marked at once, the cursor on it."""
        field = exc.field or ""
        if field == "targets":
            self.reveal()
            self.targets_message.show_error(exc.message)
            first = next(iter(self.target_edits.values()))
            self.scroll_area.ensureWidgetVisible(first)
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if not self._is_field(field):
            return False
        self.reveal()
        for other, text in getattr(exc, "problems", ()):  # every general field that is wrong, at once
            if other != field and self._is_field(other):
                self.fields.set_error(FIELD_ROWS.get(other, other), text)
        key = FIELD_ROWS.get(field, field)
        self.fields.set_error(key, exc.message)
        target = {"commune_code": self.place.commune, "end_date": self.end_edit, "start_date": self.start_edit,
                  "province_code": self.place.province}.get(field) or self.fields.widget(key)
        self.scroll_area.ensureWidgetVisible(target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _is_field(self, field: str) -> bool:
        return field in FIELD_ROWS or field in self.fields.keys()
