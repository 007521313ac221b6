"""The proposal editor: one window per đề án with the tabs Chung, Cơ sở thụ hưởng, Dự toán, Tệp đính kèm, Lịch sử
and Văn bản, and an action bar with every workflow action the table has from the current state.

The editor holds no rule of its own: the services say what may be saved and which actions a user may take (an action
the user may not take stays visible, disabled, with the service's reason as its tooltip); the domain says whether a
budget line adds up; ``preview_cap`` says whether the support is within the cap. Everything typed stays in the
widgets until it is saved — a refusal, a conflict with another user or an unexpected error never clears it.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Action, DisbursementKind, DocumentKind, Outcome, ProposalForm, Scope
from desktop_app.domain.errors import ConflictError, PermissionDenied, UserError
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.domain.workflow import EDITABLE_STATES
from desktop_app.progress import Progress
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import (
    ActionOption,
    AttachmentInfo,
    BeneficiaryView,
    CapView,
    DocumentOption,
    ProposalDetail,
    ProposalInput,
)
from desktop_app.ui import msgbox, settings
from desktop_app.ui.errors import show_error
from desktop_app.ui.help import install_help_key
from desktop_app.ui.live_updates import PresenceLabel, ProposalStaleNotice
from desktop_app.ui.printing import print_with_dialog
from desktop_app.ui.proposals import drafts
from desktop_app.ui.proposals.dialogs import (
    ApproveDialog,
    CapLabel,
    EstablishmentPickerDialog,
    PdfPreviewDialog,
    document_dialog,
    reason_dialog,
    shortcut,
    show_cap,
)
from desktop_app.ui.proposals.models import (
    BudgetDelegate,
    BudgetLinesModel,
    ListTableModel,
    attachment_model,
    beneficiary_model,
    content_choices,
    document_model,
    history_model,
)
from desktop_app.ui.tasks import run_in_background
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

TAB_GENERAL, TAB_BENEFICIARIES, TAB_BUDGET, TAB_ATTACHMENTS, TAB_HISTORY, TAB_DOCUMENTS = range(6)
CAP_DELAY_MS = 150  # the cap check waits for a pause in typing, so each keystroke does not query the rules
log = logging.getLogger(__name__)
AUTOSAVE_MS = 30_000  # unsaved input is kept on this computer this often (drafts.py), against crashes

#: The đề án's text sections (Mẫu 1), in the order of the document.
TEXT_SECTIONS = (
    ("necessity", "Sự cần thiết"),
    ("objectives", "Mục tiêu"),
    ("scale", "Quy mô"),
    ("activities", "Nội dung hoạt động"),
    ("organisation_plan", "Phương án tổ chức thực hiện"),
    ("effectiveness", "Hiệu quả dự kiến"),
)
#: Service fields shown under another row of the general tab (the pair of dates, the place picker).
_FIELD_ROWS = {"end_date": "start_date", "commune_code": "province_code", "legacy_ward_code": "province_code",
               "location_as_recorded": "province_code"}
#: Service fields reported against the budget grid (``validate_line``).
LINE_FIELDS = frozenset(BudgetLinesModel.FIELD_COLUMNS)


def _button(text: str, tooltip: str = "", parent: QWidget | None = None) -> QPushButton:
    """A button that never becomes the dialog's default: Enter in a field must not submit the whole proposal."""
    button = QPushButton(text, parent)
    button.setAutoDefault(False)
    button.setDefault(False)
    if tooltip:
        button.setToolTip(tooltip)
    return button


def _table(parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(24)
    view.setTabKeyNavigation(False)
    return view


class ProposalEditor(QDialog):
    """Edit a draft (or read any other state) of one proposal, and take the workflow actions allowed now."""

    proposal_changed = Signal(int)

    def __init__(self, services: Services, actor: Actor, proposal_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.detail: ProposalDetail | None = None
        self.action_options: list[ActionOption] = []
        self.action_buttons: dict[Action, QPushButton] = {}
        self.preview: PdfPreviewDialog | None = None
        self._dirty = False
        self._loading = False
        self._documents_loaded = False
        self._location_as_recorded = ""
        self._address_needs_review = False
        self._loaded_commune: str | None = None
        self._legacy_ward_code: str | None = None
        try:
            services.proposals.require_editor(actor)
            self._role_refusal: str | None = None
        except PermissionDenied as exc:
            self._role_refusal = exc.message
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1240, 780)
        saved = settings.load_state("proposal_editor/geometry")
        if saved is not None:
            self.restoreGeometry(saved)

        self.heading = QLabel(self)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_general(), "Chung")
        self.tabs.addTab(self._build_beneficiaries(), "Cơ sở thụ hưởng")
        self.tabs.addTab(self._build_budget(), "Dự toán")
        self.tabs.addTab(self._build_attachments(), "Tệp đính kèm")
        self.tabs.addTab(self._build_history(), "Lịch sử")
        self.tabs.addTab(self._build_documents(), "Văn bản")
        for i in range(self.tabs.count()):
            self.tabs.setTabToolTip(i, f"Ctrl+{i + 1}")
            shortcut(QKeySequence(f"Ctrl+{i + 1}"), self, partial(self._go_to_tab, i))
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        self.actions_bar = QHBoxLayout()
        self.why_button = QToolButton(self)
        self.why_button.setText("Vì sao?")
        self.why_button.setToolTip("Vì sao một số thao tác đang bị khóa")
        self.why_button.clicked.connect(self._on_why_button_clicked)
        # F1: the guide, at "why is an action locked" when some are, else at drafting a proposal.
        install_help_key(self, lambda: "vi-sao" if self.refusals() else "de-an")
        self.records_button = self._build_records_button()
        self.save_button = _button("Lưu", "Lưu đề án (Ctrl+S)", self)
        self.close_button = _button("Đóng", "Đóng cửa sổ (Esc)", self)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        shortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        bar = QHBoxLayout()
        bar.addLayout(self.actions_bar)
        bar.addWidget(self.why_button)
        bar.addWidget(self.records_button)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.close_button)

        # Another desk saved this proposal: say so before a save here would meet a conflict.
        self.stale_notice = ProposalStaleNotice(services, actor, lambda: self.proposal_id,
                                                lambda: self.detail.version if self.detail else None,
                                                self.reload_from_notice, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.stale_notice)
        self.presence_label = PresenceLabel(services, actor, "proposal", self)
        self.finished.connect(lambda *_: self.presence_label.leave())
        layout.addWidget(self.presence_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bar)

        self._cap_timer = QTimer(self)
        self._cap_timer.setSingleShot(True)
        self._cap_timer.setInterval(CAP_DELAY_MS)
        self._cap_timer.timeout.connect(self.update_cap)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self.autosave)
        self._connect_changes()

        if proposal_id is None:
            self._new_draft()
        else:
            self.load(proposal_id)
        self.title_edit.setFocus()

    # --- building the tabs -----------------------------------------------------------------------------------

    def _build_records_button(self) -> QPushButton:
        """Records of the implementation that are not workflow steps (advances, payments, progress, acceptance
        result, liquidation), offered once the proposal is approved; the finance dialogs and services decide."""
        button = _button("Giải ngân, tiến độ", "Ghi tạm ứng, thanh toán, báo cáo tiến độ, kết quả nghiệm thu, "
                         "thanh lý hợp đồng", self)
        menu = QMenu(button)
        for text, function, kind in (("Tạm ứng…", "disbursement_dialog", DisbursementKind.ADVANCE),
                                     ("Thanh toán…", "disbursement_dialog", DisbursementKind.PAYMENT),
                                     ("Báo cáo tiến độ…", "progress_dialog", None),
                                     ("Ghi kết quả nghiệm thu…", "acceptance_dialog", None),
                                     ("Thanh lý hợp đồng…", "liquidation_dialog", None)):
            menu.addAction(text, partial(self.record, function, kind))
        button.setMenu(menu)
        button.setVisible(False)
        return button

    def record(self, function: str, kind: DisbursementKind | None = None) -> bool:
        """Open one of the finance dialogs for this proposal, then show what the database now holds."""
        if self.detail is None:
            return False
        import importlib

        module = importlib.import_module("desktop_app.ui.finance.dialogs")
        args: tuple[Any, ...] = (kind,) if kind is not None else ()
        try:
            saved = bool(getattr(module, function)(self, self.services, self.actor, self.detail.id, *args))
        except Exception as exc:  # a bug in a dialog: the crash dialog, the editor stays usable
            show_error(self, exc)
            saved = False
        self._reload_after_action()
        if saved:
            self.proposal_changed.emit(self.detail.id)
        return saved

    def _build_general(self) -> QWidget:
        reference = self.services.reference
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
        self.content_combo = CodeCombo(empty_label="", items=content_choices(reference.contents()))
        self.content_combo.setMinimumContentsLength(48)
        self._bold_content_groups()
        self.sector_combo = CodeCombo(empty_label="", items=reference.sectors())
        self.implementing_edit = QLineEdit()
        self.implementing_edit.setMaxLength(300)
        self.partner_edit = QLineEdit()
        self.partner_edit.setMaxLength(300)
        self.place = PlacePicker(reference)
        self.legacy_place = QLabel()
        self.legacy_place.setWordWrap(True)
        self.start_edit = DateEdit(optional=True)
        self.end_edit = DateEdit(optional=True)
        dates = QWidget()
        row = QHBoxLayout(dates)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.start_edit)
        to = QLabel("đến")
        row.addWidget(to)
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

        top = QHBoxLayout()
        top.addWidget(general, 3)
        top.addWidget(targets, 2)
        content = QWidget()
        column = QVBoxLayout(content)
        column.addLayout(top)
        column.addWidget(texts)
        column.addStretch(1)
        self.general_scroll = QScrollArea()
        self.general_scroll.setWidgetResizable(True)
        self.general_scroll.setWidget(content)
        order = [self.code_edit, self.title_edit, self.year_spin, self.scope_combo, self.form_combo,
                 self.content_combo, self.sector_combo, self.implementing_edit, self.partner_edit,
                 self.place.province, self.place.commune, self.start_edit, self.end_edit,
                 *self.target_edits.values(), *self.text_edits.values()]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        return self.general_scroll

    def _bold_content_groups(self) -> None:
        """Group headings (contents without a parent) in bold, so the sub-types read as belonging to them."""
        parents = {c.code for c in self.services.reference.contents() if not c.parent}
        model = self.content_combo.model()
        bold = QFont(self.content_combo.font())
        bold.setBold(True)
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if self.content_combo.codes()[row] in parents:
                model.setData(index, bold, Qt.ItemDataRole.FontRole)

    def _build_beneficiaries(self) -> QWidget:
        page = QWidget()
        self.beneficiaries = beneficiary_model(self)
        self.beneficiary_table = _table(page)
        self.beneficiary_table.setModel(self.beneficiaries)
        self.beneficiary_table.setAccessibleName("Cơ sở thụ hưởng")
        header = self.beneficiary_table.horizontalHeader()
        header.resizeSection(0, 360)
        header.resizeSection(1, 130)
        header.setStretchLastSection(True)
        self.beneficiary_hint = QLabel(page)
        self.beneficiary_hint.setWordWrap(True)
        self.add_beneficiary_button = _button("Thêm cơ sở…", "Tìm và chọn cơ sở thụ hưởng (Insert)", page)
        self.remove_beneficiary_button = _button("Bỏ chọn", "Bỏ cơ sở đang chọn khỏi danh sách (Delete)", page)
        self.add_beneficiary_button.clicked.connect(self.pick_beneficiaries)
        self.remove_beneficiary_button.clicked.connect(self.remove_beneficiary)
        only_here = Qt.ShortcutContext.WidgetShortcut
        shortcut(QKeySequence(Qt.Key.Key_Insert), self.beneficiary_table, self.pick_beneficiaries, only_here)
        shortcut(QKeySequence(Qt.Key.Key_Delete), self.beneficiary_table, self.remove_beneficiary, only_here)
        self.beneficiaries_message = FieldMessage(page)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_beneficiary_button)
        buttons.addWidget(self.remove_beneficiary_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.beneficiary_hint)
        layout.addLayout(buttons)
        layout.addWidget(self.beneficiaries_message)
        layout.addWidget(self.beneficiary_table, 1)
        return page

    def _on_lines_model_reset(self) -> None:
        self.budget_table.setColumnHidden(BudgetLinesModel.COL_APPROVED, not self.lines.has_approved)

    def _build_budget(self) -> QWidget:
        page = QWidget()
        self.lines = BudgetLinesModel(self)
        self.budget_table = QTableView(page)
        self.budget_table.setModel(self.lines)
        self.budget_table.setItemDelegate(BudgetDelegate(self.budget_table))
        self.budget_table.setAccessibleName("Dự toán kinh phí")
        self.budget_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                          | QAbstractItemView.EditTrigger.EditKeyPressed
                                          | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.budget_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.budget_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.budget_table.verticalHeader().setDefaultSectionSize(26)
        header = self.budget_table.horizontalHeader()
        header.setSectionResizeMode(BudgetLinesModel.COL_ITEM, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 90), (2, 80), (3, 125), (4, 135), (5, 135), (6, 135), (7, 110), (8, 150)):
            header.resizeSection(column, width)
        # The approved budget's column appears once the proposal is approved (its lines carry it).
        self.lines.modelReset.connect(self._on_lines_model_reset)
        self._on_lines_model_reset()
        self.add_line_button = _button("Thêm dòng", "Thêm một dòng dự toán (Insert)", page)
        self.remove_line_button = _button("Xóa dòng", "Xóa dòng dự toán đang chọn (Ctrl+Delete)", page)
        self.add_line_button.clicked.connect(self.add_line)
        self.remove_line_button.clicked.connect(self.remove_line)
        in_grid = Qt.ShortcutContext.WidgetWithChildrenShortcut  # also while a cell is being typed in
        shortcut(QKeySequence(Qt.Key.Key_Insert), self.budget_table, self.add_line, in_grid)
        shortcut(QKeySequence("Ctrl+Delete"), self.budget_table, self.remove_line, in_grid)
        self.totals_label = QLabel(page)
        self.totals_label.setWordWrap(True)
        self.lines_message = FieldMessage(page)
        self.cap_label = CapLabel(page)
        cap_box = QGroupBox("Kiểm tra mức hỗ trợ tối đa")
        cap_layout = QVBoxLayout(cap_box)
        cap_layout.addWidget(self.cap_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_line_button)
        buttons.addWidget(self.remove_line_button)
        self.budget_hint = QLabel("Gõ trực tiếp vào ô; Tab sang ô kế tiếp. Số tiền tính bằng đồng; số lượng dùng "
                                  "dấu phẩy cho phần thập phân.", page)
        self.budget_hint.setWordWrap(True)
        buttons.addWidget(self.budget_hint, 1)
        buttons.addStretch(0)  # keeps the buttons their size when the hint is hidden (read-only)
        layout = QVBoxLayout(page)
        layout.addLayout(buttons)
        layout.addWidget(self.budget_table, 1)
        layout.addWidget(self.lines_message)
        layout.addWidget(self.totals_label)
        layout.addWidget(cap_box)
        return page

    def _build_attachments(self) -> QWidget:
        page = QWidget()
        self.attachments = attachment_model(self)
        self.attachment_table = _table(page)
        self.attachment_table.setModel(self.attachments)
        self.attachment_table.setAccessibleName("Tệp đính kèm")
        header = self.attachment_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 110), (2, 150), (3, 160)):
            header.resizeSection(column, width)
        self.add_attachment_button = _button("Thêm tệp…", "Đính kèm tệp (Insert)", page)
        self.open_attachment_button = _button("Mở", "Mở tệp bằng chương trình mặc định của máy (Enter)", page)
        self.remove_attachment_button = _button("Xóa tệp", "Xóa tệp đang chọn (Delete)", page)
        self.add_attachment_button.clicked.connect(self.choose_attachments)
        self.open_attachment_button.clicked.connect(self.open_attachment)
        self.remove_attachment_button.clicked.connect(self.remove_attachment)
        self.attachment_table.activated.connect(lambda _i: self.open_attachment())
        self.attachment_table.selectionModel().currentRowChanged.connect(lambda *_: self._update_attachment_buttons())
        only_here = Qt.ShortcutContext.WidgetShortcut
        shortcut(QKeySequence(Qt.Key.Key_Insert), self.attachment_table, self.choose_attachments, only_here)
        shortcut(QKeySequence(Qt.Key.Key_Delete), self.attachment_table, self.remove_attachment, only_here)
        self.attachments_hint = QLabel(page)
        self.attachments_hint.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.add_attachment_button, self.open_attachment_button, self.remove_attachment_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(buttons)
        layout.addWidget(self.attachments_hint)
        layout.addWidget(self.attachment_table, 1)
        return page

    def _build_history(self) -> QWidget:
        page = QWidget()
        self.history = history_model(self)
        self.history_table = _table(page)
        self.history_table.setModel(self.history)
        self.history_table.setAccessibleName("Lịch sử đề án")
        self.history_table.setWordWrap(True)
        header = self.history_table.horizontalHeader()
        for column, width in ((0, 130), (1, 110), (2, 130), (4, 120), (5, 100)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(page)
        layout.addWidget(self.history_table)
        return page

    def _build_documents(self) -> QWidget:
        page = QWidget()
        self.documents: ListTableModel[DocumentOption] = document_model(self)
        self.document_table = _table(page)
        self.document_table.setModel(self.documents)
        self.document_table.setAccessibleName("Văn bản của đề án")
        header = self.document_table.horizontalHeader()
        header.resizeSection(0, 380)
        header.setStretchLastSection(True)
        self.view_document_button = _button("Xem", "Lập văn bản và xem trước (Enter)", page)
        self.save_dossier_button = _button("Lưu hồ sơ (.zip)…", "Lưu toàn bộ hồ sơ đề án thành một tệp nén", page)
        self.print_dossier_button = _button("In hồ sơ…", "In toàn bộ hồ sơ đề án một lần (chọn máy in, trang, số bản)",
                                            page)
        self.view_document_button.clicked.connect(self.view_document)
        self.save_dossier_button.clicked.connect(self.save_dossier_zip)
        self.print_dossier_button.clicked.connect(lambda: self.print_dossier())
        self.document_table.activated.connect(lambda _i: self.view_document())
        self.document_table.selectionModel().currentRowChanged.connect(lambda *_: self._update_document_buttons())
        self.document_reason = FieldMessage(page)
        buttons = QHBoxLayout()
        buttons.addWidget(self.view_document_button)
        buttons.addWidget(self.save_dossier_button)
        buttons.addWidget(self.print_dossier_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(buttons)
        layout.addWidget(self.document_table, 1)
        layout.addWidget(self.document_reason)
        return page

    def _connect_changes(self) -> None:
        for edit in (self.code_edit, self.title_edit, self.implementing_edit, self.partner_edit):
            edit.textChanged.connect(self._on_changed)
        for text in self.text_edits.values():
            text.textChanged.connect(self._on_changed)
        for target in self.target_edits.values():
            target.value_changed.connect(self._on_changed)
        self.title_edit.textChanged.connect(self._update_heading)
        self.year_spin.valueChanged.connect(self._on_cap_input_changed)
        self.scope_combo.value_changed.connect(self._on_cap_input_changed)
        self.content_combo.code_changed.connect(self._on_cap_input_changed)
        self.place.changed.connect(self._on_cap_input_changed)
        self.start_edit.dateChanged.connect(self._on_cap_input_changed)
        self.end_edit.dateChanged.connect(self._on_changed)
        self.form_combo.value_changed.connect(self._on_form_changed)
        self.sector_combo.code_changed.connect(self._on_changed)
        self.lines.lines_changed.connect(self._on_lines_changed)
        self.beneficiaries.rowsInserted.connect(self._on_changed)
        self.beneficiaries.rowsRemoved.connect(self._on_changed)

    # --- state -----------------------------------------------------------------------------------------------

    @property
    def proposal_id(self) -> int | None:
        return self.detail.id if self.detail else None

    @property
    def dirty(self) -> bool:
        return self._dirty

    @property
    def editable(self) -> bool:
        """Whether the user may change the proposal's content now (a draft, and a role that drafts)."""
        if self._role_refusal is not None:
            return False
        return self.detail is None or self.detail.status in EDITABLE_STATES

    def _read_only_reason(self) -> str | None:
        if self._role_refusal is not None:
            return self._role_refusal
        if self.detail is not None and self.detail.status not in EDITABLE_STATES:
            return (f"Đề án đang ở trạng thái “{self.detail.status.label}”; chỉ sửa được khi ở trạng thái "
                    "“Dự thảo”.")
        return None

    def _set_dirty(self, value: bool) -> None:
        self._dirty = value
        self._update_heading()

    def _on_changed(self, *_: Any) -> None:
        if not self._loading:
            self._set_dirty(True)
            if not self._autosave_timer.isActive():
                self._autosave_timer.start()

    def _on_cap_input_changed(self, *_: Any) -> None:
        self._on_changed()
        self._cap_timer.start()

    def _on_form_changed(self, *_: Any) -> None:
        self._on_changed()
        self._update_beneficiary_hint()

    def _on_lines_changed(self) -> None:
        self._on_changed()
        self._update_totals()
        self._cap_timer.start()

    def _update_heading(self, *_: Any) -> None:
        if self.detail is None:
            text = "Đề án mới"
        else:
            text = f"{self.detail.code} – {self.title_edit.text().strip() or self.detail.title}"
        self.heading.setText(text)
        self.setWindowTitle(f"{'* ' if self._dirty else ''}{text} – Đề án khuyến công")

    # --- loading ---------------------------------------------------------------------------------------------

    def _new_draft(self) -> None:
        """Defaults of a new draft: this year, the centre's province and name as the implementing unit."""
        self._loading = True
        org = self.services.organisation.get()
        self.place.set_codes(org.province_code, None)
        self.implementing_edit.setText(org.name)
        self.lines.set_lines([])
        self._loading = False
        self._apply_state()
        self._set_dirty(False)
        self.update_cap()

    def load(self, proposal_id: int) -> None:
        """Read the proposal from the services and show it (every tab), discarding unsaved input."""
        self.fill(self.services.proposals.get(self.actor, proposal_id))
        self._load_side()
        self.presence_label.follow(proposal_id)

    def fill(self, d: ProposalDetail) -> None:
        """Show ``d`` in every input (after loading or saving)."""
        self.detail = d
        data = d.data
        self._loading = True
        try:
            self._fill_general(data)
            self._loaded_commune = data.commune_code
            planned = {t.indicator: t.planned_value for t in d.targets}
            for outcome, target in self.target_edits.items():
                target.setValue(planned.get(outcome.value))
            self.beneficiaries.set_rows(d.beneficiaries)
            self.lines.set_lines(d.lines)
        finally:
            self._loading = False
        self._clear_messages()
        self._apply_state()
        self._set_dirty(False)
        self.update_cap()

    def _fill_general(self, data: ProposalInput) -> None:
        """The general tab's inputs from ``data`` (a saved proposal, or a draft kept after a crash)."""
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
        self.start_edit.set_date_value(data.start_date)
        self.end_edit.set_date_value(data.end_date)
        for key, edit in self.text_edits.items():
            edit.setPlainText(getattr(data, key))

    def _load_side(self) -> None:
        """Attachments, history, actions (and documents once their tab has been opened) of the saved proposal."""
        pid = self.proposal_id
        if pid is None:
            return
        self.attachments.set_rows(self.services.proposals.attachments(self.actor, pid))
        self.history.set_rows(self.services.proposals.history(self.actor, pid))
        if self.tabs.currentIndex() == TAB_HISTORY:
            self.history_table.resizeRowsToContents()
        self._load_actions()
        if self._documents_loaded or self.tabs.currentIndex() == TAB_DOCUMENTS:
            self._load_documents()
        self._update_attachment_buttons()

    def _apply_state(self) -> None:
        """Read-only or editable, per status and role; what the action bar and the side tabs offer."""
        editable = self.editable
        reason = self._read_only_reason()
        for line in (self.title_edit, self.implementing_edit, self.partner_edit, *self.target_edits.values()):
            set_read_only(line, not editable)
        for text in self.text_edits.values():
            set_read_only(text, not editable)
        set_read_only(self.code_edit, not editable or self.detail is not None)
        self.code_edit.setToolTip("Mã đề án không đổi sau khi đã lập." if self.detail is not None else
                                  "Để trống để chương trình tự đánh số theo nguồn kinh phí và năm.")
        for widget in (self.year_spin, self.scope_combo, self.form_combo, self.content_combo, self.sector_combo,
                       self.place):
            widget.setEnabled(editable)
        for date_edit in (self.start_edit, self.end_edit):
            date_edit.setReadOnly(not editable)
        self.lines.set_read_only(not editable)
        self.budget_hint.setVisible(editable)
        for button in (self.add_line_button, self.remove_line_button, self.add_beneficiary_button,
                       self.remove_beneficiary_button, self.save_button):
            button.setEnabled(editable)
            button.setToolTip(reason or button.toolTip())
        if editable:
            self.save_button.setToolTip("Lưu đề án (Ctrl+S)")
        saved = self.detail is not None
        for tab in (TAB_ATTACHMENTS, TAB_HISTORY, TAB_DOCUMENTS):
            self.tabs.setTabEnabled(tab, saved)
            self.tabs.setTabToolTip(tab, f"Ctrl+{tab + 1}" if saved else "Lưu đề án trước để dùng mục này.")
        parts = []
        if self.detail is not None:
            parts.append(f"Trạng thái: {self.detail.status.label}")
            if self.detail.approved_support_vnd is not None:
                parts.append(f"Kinh phí phê duyệt: {format_vnd(self.detail.approved_support_vnd)} đồng"
                             + (f" (QĐ số {self.detail.approval_number})" if self.detail.approval_number else ""))
        else:
            parts.append("Đề án mới, chưa lưu")
        if reason:
            parts.append(f"Chỉ xem: {reason}")
        self.status_label.setText(" · ".join(parts))
        review = (" — xã cũ đã bị chia tách: hãy xác nhận xã/phường hiện nay rồi lưu"
                  if self._address_needs_review else "")
        self.legacy_place.setText(f"Địa điểm theo hồ sơ trước sáp nhập 2025: {self._location_as_recorded}{review}"
                                  if self._location_as_recorded else "")
        self.legacy_place.setVisible(bool(self._location_as_recorded))
        self._update_beneficiary_hint()
        self._update_totals()
        self._update_attachment_buttons()
        if not saved:
            self._set_actions([])
        implementing = self.detail is not None and self.detail.approved_support_vnd is not None
        self.records_button.setVisible(implementing)
        self.records_button.setEnabled(self._role_refusal is None)
        if self._role_refusal is not None:
            self.records_button.setToolTip(self._role_refusal)

    def _clear_messages(self) -> None:
        self.fields.clear()
        for message in (self.targets_message, self.beneficiaries_message, self.lines_message):
            message.clear_message()
        self._update_line_problems()

    # --- what the user typed -----------------------------------------------------------------------------------

    def collect(self) -> ProposalInput:
        """The general tab as a ``ProposalInput`` (the services normalise and check it)."""
        texts = {key: edit.toPlainText() for key, edit in self.text_edits.items()}
        return ProposalInput(
            title=self.title_edit.text(), year=self.year_spin.value(), scope=self.scope_combo.value(),
            content_code=self.content_combo.code() or "", form=self.form_combo.value(),
            code=self.code_edit.text().strip(), sector_code=self.sector_combo.code(),
            implementing_unit=self.implementing_edit.text(), partner_unit=self.partner_edit.text(),
            province_code=self.place.province_code(), commune_code=self.place.commune_code(),
            location_as_recorded=self._location_as_recorded, legacy_ward_code=self._legacy_ward_code,
            # Choosing another commune is the person's confirmation of a split old ward.
            address_needs_review=self._address_needs_review and self.place.commune_code() == self._loaded_commune,
            start_date=self.start_edit.date_value(), end_date=self.end_edit.date_value(), **texts)

    def targets(self) -> dict[Outcome, int]:
        return {o: v for o, edit in self.target_edits.items() if (v := edit.value()) is not None}

    def beneficiary_ids(self) -> list[int]:
        return [b.establishment_id for b in self.beneficiaries.rows()]

    # --- saving ----------------------------------------------------------------------------------------------

    def save(self) -> bool:
        """Ctrl+S: create or save the draft; a refusal is shown beside its field and nothing typed is lost."""
        if not self.editable:
            msgbox.warning(self, self._read_only_reason() or "Không sửa được đề án này.")
            return False
        self.commit_open_cell()
        self._clear_messages()
        try:
            if self.detail is None:
                saved = self.services.proposals.create(self.actor, self.collect(), self.lines.inputs(),
                                                       self.beneficiary_ids(), self.targets())
            else:
                saved = self.services.proposals.save(self.actor, self.detail.id, self.detail.version, self.collect(),
                                                     self.lines.inputs(), self.beneficiary_ids(), self.targets())
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except UserError as exc:
            self.show_user_error(exc)
            return False
        except Exception as exc:  # a bug: crash dialog; the typed values stay in the widgets
            show_error(self, exc)
            return False
        self.fill(saved)
        self._load_side()
        drafts.discard(self.actor.username)
        self.proposal_changed.emit(saved.id)
        return True

    # --- the local draft (against crashes) ---------------------------------------------------------------------

    def autosave(self) -> bool:
        """Keep what is typed but not saved on this computer; the next start offers it back after a crash."""
        if not (self._dirty and self.editable):
            return False
        draft = drafts.Draft(self.proposal_id, self.detail.code if self.detail else "", datetime.now(),
                             self.collect(), self.lines.inputs(), list(self.beneficiaries.rows()), self.targets())
        try:
            drafts.save(self.actor.username, draft)
        except OSError as exc:  # a full disk must not interrupt the typing; the log says it
            log.warning("cannot keep the proposal draft: %s", exc)
            return False
        return True

    def restore_draft(self, draft: drafts.Draft) -> None:
        """Put a kept draft's input back into every field (unsaved, so the user checks it and saves)."""
        self._loading = True
        try:
            self._fill_general(draft.data)
            for outcome, target in self.target_edits.items():
                target.setValue(draft.targets.get(outcome))
            self.beneficiaries.set_rows(draft.beneficiaries)
            self.lines.set_lines(draft.lines)
        finally:
            self._loading = False
        self._set_dirty(True)
        self.update_cap()

    def _on_conflict(self, exc: ConflictError) -> None:
        question = (f"{exc.message}\n\nTải lại trạng thái mới nhất của đề án? Những gì bạn đã nhập vẫn giữ nguyên "
                    "trên màn hình; kiểm tra rồi bấm “Lưu” lần nữa để ghi lại.")
        if msgbox.confirm(self, question, title="Đề án vừa bị người khác thay đổi"):
            self.reload_keeping_input()

    def reload_from_notice(self) -> None:
        """“Tải lại” on the notice: the latest version replaces the form (after asking if something was typed)."""
        if self.proposal_id is None:
            return
        if self.dirty and not msgbox.confirm(self, "Bỏ những gì bạn đang nhập và tải bản mới nhất của đề án?",
                                             title="Tải lại đề án"):
            return
        self.load(self.proposal_id)
        self.stale_notice.setVisible(False)

    def reload_keeping_input(self) -> None:
        """Take the latest version and status from the database but leave every input as the user typed it."""
        if self.detail is None:
            return
        self.detail = self.services.proposals.get(self.actor, self.detail.id)
        self._apply_state()
        self._load_side()
        self._set_dirty(True)

    def show_user_error(self, exc: UserError) -> None:
        """Put a service's refusal beside the input it names and move the cursor there."""
        field = exc.field or ""
        if field in LINE_FIELDS:
            self._go_to_tab(TAB_BUDGET)
            self.lines_message.show_error(exc.message)
            problems = self.lines.problems()
            row = problems[0][0] if problems else 0
            column = BudgetLinesModel.FIELD_COLUMNS[field]
            if self.lines.line_count():
                self.budget_table.setCurrentIndex(self.lines.index(row, column))
            self.budget_table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif field == "beneficiaries":
            self._go_to_tab(TAB_BENEFICIARIES)
            self.beneficiaries_message.show_error(exc.message)
            self.add_beneficiary_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif field == "targets":
            self._go_to_tab(TAB_GENERAL)
            self.targets_message.show_error(exc.message)
            first = next(iter(self.target_edits.values()))
            self.general_scroll.ensureWidgetVisible(first)
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        elif field in _FIELD_ROWS or field in self.fields.keys():
            self._go_to_tab(TAB_GENERAL)
            for other, text in getattr(exc, "problems", ()):  # every general field that is wrong, at once
                if other != field and (other in _FIELD_ROWS or other in self.fields.keys()):
                    self.fields.set_error(_FIELD_ROWS.get(other, other), text)
            key = _FIELD_ROWS.get(field, field)
            self.fields.set_error(key, exc.message)
            target = {"commune_code": self.place.commune, "end_date": self.end_edit, "start_date": self.start_edit,
                      "province_code": self.place.province}.get(field) or self.fields.widget(key)
            self.general_scroll.ensureWidgetVisible(target)
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            msgbox.warning(self, exc.message)

    def _go_to_tab(self, index: int) -> None:
        if self.tabs.isTabEnabled(index):
            self.tabs.setCurrentIndex(index)

    # --- closing ---------------------------------------------------------------------------------------------

    def reject(self) -> None:
        """Escape / Đóng / the window's close button: unsaved changes are never dropped without asking."""
        self.commit_open_cell()
        if self._dirty and self.editable:
            answer = msgbox.ask_save_changes(self, "Đề án có thay đổi chưa lưu. Lưu trước khi đóng?")
            if answer == "cancel" or (answer == "save" and not self.save()):
                return
        drafts.discard(self.actor.username)  # saved, or dropped on purpose: nothing to offer back
        settings.save_state("proposal_editor/geometry", self.saveGeometry())
        self._cap_timer.stop()
        self._autosave_timer.stop()
        if self.preview is not None:
            self.preview.close()
        super().reject()

    # --- beneficiaries ---------------------------------------------------------------------------------------

    def _update_beneficiary_hint(self) -> None:
        group = self.form_combo.value() is not ProposalForm.SINGLE
        self.beneficiary_hint.setText(
            "Đề án nhóm hoặc đề án điểm: chọn các cơ sở cùng tham gia." if group else
            "Đề án đơn lẻ có một cơ sở thụ hưởng; muốn chọn nhiều cơ sở, đổi hình thức thành “Đề án nhóm”.")

    def pick_beneficiaries(self) -> None:
        if not self.editable:
            return
        multiple = self.form_combo.value() is not ProposalForm.SINGLE
        dialog = EstablishmentPickerDialog(self.services, self.actor, self, multiple, self.beneficiary_ids())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.add_beneficiaries(dialog.chosen)

    def add_beneficiaries(self, rows: list[Any]) -> None:
        """Add picked establishments (``EstablishmentRow``); a single proposal keeps only the latest pick."""
        single = self.form_combo.value() is ProposalForm.SINGLE
        if single and rows:
            rows = rows[-1:]
            while self.beneficiaries.rowCount():
                self.beneficiaries.remove(0)
        present = set(self.beneficiary_ids())
        for r in rows:
            if r.id in present:
                continue
            address = ", ".join(x for x in (r.commune_name, r.province_name) if x)
            self.beneficiaries.append(BeneficiaryView(r.id, r.name, r.tax_code, address))
        self.beneficiaries_message.clear_message()
        self.beneficiary_table.setFocus()
        self.beneficiary_table.selectRow(self.beneficiaries.rowCount() - 1)

    def remove_beneficiary(self) -> None:
        if not self.editable:
            return
        index = self.beneficiary_table.currentIndex()
        if index.isValid():
            self.beneficiaries.remove(index.row())

    # --- budget ----------------------------------------------------------------------------------------------

    def commit_open_cell(self) -> None:
        """A budget cell still being typed in (Ctrl+S pressed without leaving it) counts as typed."""
        focused = QApplication.focusWidget() or self.focusWidget()
        if focused is not None and focused is not self.budget_table and self.budget_table.isAncestorOf(focused):
            self.budget_table.commitData(focused)

    def add_line(self) -> None:
        if not self.editable:
            return
        row = self.lines.insert_line()
        self._go_to_tab(TAB_BUDGET)
        index = self.lines.index(row, BudgetLinesModel.COL_ITEM)
        self.budget_table.setCurrentIndex(index)
        self.budget_table.setFocus()
        self.budget_table.edit(index)

    def remove_line(self) -> None:
        if not self.editable:
            return
        index = self.budget_table.currentIndex()
        if index.isValid() and not self.lines.is_totals_row(index.row()):
            self.lines.remove_line(index.row())

    def _update_totals(self) -> None:
        t = self.lines.totals()
        share = f" ({t.support_vnd * 100 / t.total_vnd:.1f}% tổng kinh phí)".replace(".", ",") if t.total_vnd else ""
        self.totals_label.setText(
            f"Tổng kinh phí: <b>{format_vnd(t.total_vnd)}</b> đồng — khuyến công hỗ trợ "
            f"<b>{format_vnd(t.support_vnd)}</b> đồng{share}; đối ứng {format_vnd(t.counterpart_vnd)} đồng; "
            f"nguồn khác {format_vnd(t.other_vnd)} đồng.")
        self._update_line_problems()

    def _update_line_problems(self) -> None:
        problems = self.lines.problems()
        if not problems:
            self.lines_message.clear_message()
            return
        shown = [exc.message for _row, exc in problems[:3]]
        more = f" (và {len(problems) - 3} dòng khác)" if len(problems) > 3 else ""
        self.lines_message.show_error("\n".join(shown) + more)

    def update_cap(self) -> None:
        """The support-cap check, live: the rule in force, its legal basis and the allowed amount."""
        self._cap_timer.stop()
        if self.detail is not None and not self.editable:
            cap: CapView | None = self.detail.cap  # decided figures: the check the services made on the record
        else:
            content = self.content_combo.code()
            if not content:
                show_cap(self.cap_label, None, "Chọn nội dung hoạt động (tab Chung) để kiểm tra mức hỗ trợ.")
                return
            # the rules in force on the start date, else on 1 January of the plan year (as the services do)
            on = self.start_edit.date_value() or date(self.year_spin.value(), 1, 1)
            try:
                cap = self.services.proposals.preview_cap(content, self.scope_combo.value(),
                                                          self.place.province_code(), on, self.lines.inputs())
            except UserError as exc:
                show_cap(self.cap_label, None, exc.message)
                return
        show_cap(self.cap_label, cap)

    # --- attachments -----------------------------------------------------------------------------------------

    def _update_attachment_buttons(self) -> None:
        selected = self.attachment_table.currentIndex().isValid()
        editable = self.editable and self.detail is not None
        why = self._read_only_reason() or ""
        self.add_attachment_button.setEnabled(editable)
        self.remove_attachment_button.setEnabled(editable and selected)
        self.open_attachment_button.setEnabled(selected)
        self.add_attachment_button.setToolTip("Đính kèm tệp (Insert)" if editable else
                                              f"Chỉ thêm tệp khi đề án ở trạng thái “Dự thảo”. {why}".strip())
        self.remove_attachment_button.setToolTip("Xóa tệp đang chọn (Delete)" if editable else
                                                 f"Chỉ xóa tệp khi đề án ở trạng thái “Dự thảo”. {why}".strip())
        self.attachments_hint.setText("" if editable else "Thêm và xóa tệp chỉ làm được khi đề án ở trạng thái "
                                      "“Dự thảo”; vẫn mở xem được các tệp đã đính kèm.")
        self.attachments_hint.setVisible(not editable)

    def current_attachment(self) -> AttachmentInfo | None:
        index = self.attachment_table.currentIndex()
        return self.attachments.row(index.row()) if index.isValid() else None

    def choose_attachments(self) -> None:
        if not self.add_attachment_button.isEnabled():
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "Chọn tệp đính kèm", str(Path.home()),
                                                "Mọi tệp (*);;Tài liệu (*.pdf *.doc *.docx *.xls *.xlsx *.jpg *.png)")
        if paths:
            self.add_attachment_files([Path(p) for p in paths])

    def add_attachment_files(self, paths: list[Path]) -> None:
        """Read and attach the files in the background (a scan may be tens of megabytes)."""
        pid = self.proposal_id
        if pid is None:
            return
        services, actor = self.services, self.actor

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
            self._load_side()
            self.attachment_table.setFocus()
            self.attachment_table.selectRow(self.attachments.rowCount() - 1)

        def failed(exc: BaseException, tb: str) -> None:
            self._load_side()  # files attached before the failure are shown
            show_error(self, exc, tb)

        run_in_background(self, work, done, failed, title="Đang đính kèm tệp")

    def open_attachment(self) -> None:
        """Write the file to a temporary folder and open it with the program the system uses for its type."""
        attachment = self.current_attachment()
        if attachment is None:
            return
        services, actor = self.services, self.actor

        def work(_progress: Progress) -> Path:
            name, data = services.proposals.attachment_data(actor, attachment.id)
            folder = Path(tempfile.mkdtemp(prefix="khuyencong-"))
            path = folder / name
            path.write_bytes(data)
            return path

        def done(path: Path) -> None:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                msgbox.warning(self, f"Máy chưa có chương trình mở được tệp “{path.name}”. Tệp đã được lưu tạm "
                                     f"tại:\n{path}")

        run_in_background(self, work, done, title="Đang mở tệp đính kèm")

    def remove_attachment(self) -> None:
        attachment = self.current_attachment()
        if attachment is None or not self.remove_attachment_button.isEnabled():
            return
        if not msgbox.confirm(self, f"Xóa tệp “{attachment.filename}” khỏi đề án?"):
            return
        try:
            self.services.proposals.remove_attachment(self.actor, attachment.id)
        except UserError as exc:
            msgbox.warning(self, exc.message)
        self._load_side()

    # --- documents -------------------------------------------------------------------------------------------

    def _on_tabs_current_changed(self, index: int) -> None:
        if index == TAB_DOCUMENTS and not self._documents_loaded:
            self._load_documents()
        elif index == TAB_HISTORY:
            # rows fit their (wrapped) text only once the table has its real width
            QTimer.singleShot(0, self.history_table.resizeRowsToContents)

    def _load_documents(self) -> None:
        pid = self.proposal_id
        if pid is None:
            return
        self.documents.set_rows(self.services.documents.available(self.actor, pid))
        self._documents_loaded = True
        if self.documents.rowCount():
            self.document_table.selectRow(0)
        self._update_document_buttons()

    def current_document(self) -> DocumentOption | None:
        index = self.document_table.currentIndex()
        return self.documents.row(index.row()) if index.isValid() else None

    def _update_document_buttons(self) -> None:
        option = self.current_document()
        self.view_document_button.setEnabled(option is not None and option.enabled)
        self.view_document_button.setToolTip(
            "Lập văn bản và xem trước (Enter)" if option is None or option.enabled else option.reason or "")
        if option is not None and not option.enabled:
            self.document_reason.show_warning(f"{option.label}: {option.reason or 'chưa lập được.'}")
        else:
            self.document_reason.clear_message()
        dossier = next((d for d in self.documents.rows() if d.kind is DocumentKind.DOSSIER), None)
        self.save_dossier_button.setEnabled(dossier is not None and dossier.enabled)
        self.print_dossier_button.setEnabled(dossier is not None and dossier.enabled)

    def view_document(self) -> None:
        """Render the chosen document in the background, then preview it."""
        option, pid = self.current_document(), self.proposal_id
        if option is None or pid is None:
            return
        if not option.enabled:
            msgbox.warning(self, option.reason or f"Chưa lập được {option.label.lower()}.")
            return
        services, actor = self.services, self.actor

        def work(progress: Progress) -> bytes:
            if option.kind is DocumentKind.DOSSIER:
                return services.documents.dossier(actor, pid, progress=progress)
            return services.documents.render(actor, option.kind, pid, option.member_id, option.blank)

        def word() -> bytes:
            return services.documents.render_docx(actor, option.kind, pid, option.member_id, option.blank)

        def done(data: bytes) -> None:
            code = self.detail.code if self.detail else ""
            if self.preview is not None:
                self.preview.close()
            self.preview = PdfPreviewDialog(self, f"{option.label} – {code}", data,
                                            option.filename or f"{option.kind.value}-{code}.pdf",
                                            None if option.kind is DocumentKind.DOSSIER else word)
            self.preview.show()

        run_in_background(self, work, done, title=f"Đang lập {option.label.lower()}")

    def print_dossier(self) -> None:
        """Make the whole dossier (every document and attached PDF) in the background, then print it in one go."""
        pid = self.proposal_id
        if pid is None:
            return
        services, actor = self.services, self.actor
        code = self.detail.code if self.detail else ""

        def work(progress: Progress) -> bytes:
            return services.documents.dossier(actor, pid, progress=progress)

        def done(data: bytes) -> None:
            try:
                print_with_dialog(self, data, f"Hồ sơ đề án {code}")
            except UserError as exc:
                msgbox.warning(self, exc.message)

        run_in_background(self, work, done, title="Đang lập hồ sơ đề án để in")

    def save_dossier_zip(self, path: str | None = None) -> None:
        pid = self.proposal_id
        if pid is None:
            return
        if not path:
            folder = settings.get(settings.EXPORT_FOLDER) or str(Path.home())
            code = self.detail.code if self.detail else "de-an"
            path, _ = QFileDialog.getSaveFileName(self, "Lưu hồ sơ đề án", str(Path(folder) / f"ho-so-{code}.zip"),
                                                  "Tệp nén (*.zip)")
            if not path:
                return
            settings.put(settings.EXPORT_FOLDER, str(Path(path).parent))
        target = Path(path)
        services, actor = self.services, self.actor

        def work(progress: Progress) -> Path:
            data = services.documents.dossier(actor, pid, as_zip=True, progress=progress)
            try:
                target.write_bytes(data)
            except OSError as exc:
                raise UserError(f"Không ghi được tệp “{target}”: {exc.strerror or exc}.") from exc
            return target

        run_in_background(self, work, lambda p: msgbox.information(self, f"Đã lưu hồ sơ đề án vào:\n{p}"),
                          title="Đang lập hồ sơ đề án")

    # --- workflow actions ------------------------------------------------------------------------------------

    def _load_actions(self) -> None:
        pid = self.proposal_id
        self._set_actions([o for o in self.services.proposals.allowed_actions(self.actor, pid) if o.step]
                          if pid is not None else [])

    def _set_actions(self, options: list[ActionOption]) -> None:
        """Every action the table has from this state: enabled when the user may take it, else greyed with why."""
        self.action_options = options
        for button in self.action_buttons.values():
            self.actions_bar.removeWidget(button)
            button.hide()  # gone at once: a removed button would otherwise overlap the new ones until deleted
            button.deleteLater()
        self.action_buttons = {}
        previous: QWidget = self.tabs
        for option in options:
            button = _button(option.label, "", self)
            button.setEnabled(option.allowed)
            button.setToolTip(option.refusal or self._action_tooltip(option))
            button.clicked.connect(lambda _checked=False, a=option.action: self.run_action(a))
            self.actions_bar.addWidget(button)
            self.action_buttons[option.action] = button
            QWidget.setTabOrder(previous, button)
            previous = button
        refused = [o for o in options if not o.allowed]
        self.why_button.setVisible(bool(refused))

    @staticmethod
    def _action_tooltip(option: ActionOption) -> str:
        needs = []
        if option.needs_note:
            needs.append("cần ghi lý do")
        if option.needs_document:
            needs.append("cần số và ngày văn bản")
        return f"{option.label}" + (f" ({', '.join(needs)})" if needs else "")

    def refusals(self) -> list[tuple[str, str]]:
        return [(o.label, o.refusal) for o in self.action_options if o.refusal]

    def _on_why_button_clicked(self) -> None:
        lines = [f"• {label}: {reason}" for label, reason in self.refusals()]
        if lines:
            msgbox.information(self, "\n".join(lines) + "\n\nNhấn F1 để xem hướng dẫn “Vì sao một thao tác bị khóa?”.",
                               title="Vì sao chưa thực hiện được")

    def _ensure_saved(self, label: str) -> bool:
        self.commit_open_cell()
        if not (self._dirty and self.editable):
            return True
        answer = msgbox.ask_save_changes(self, f"Đề án có thay đổi chưa lưu. Lưu trước khi “{label}”?")
        if answer == "cancel":
            return False
        if answer == "save":
            return self.save()
        return True

    def run_action(self, action: Action) -> bool:
        """Take ``action``: ask what it needs, call the service, reload. Returns whether it was carried out."""
        if self.detail is None:
            return False
        option = next((o for o in self.action_options if o.action is action), None)
        label = option.label if option else action.label
        if not self._ensure_saved(label):
            return False
        pid = self.detail.id
        # the saved state decides (the save may have changed what is allowed)
        current = {o.action: o for o in self.services.proposals.allowed_actions(self.actor, pid)}
        option = current.get(action)
        if option is None or option.refusal:
            msgbox.warning(self, option.refusal if option and option.refusal else
                           f"Không thể “{action.label}” ở trạng thái hiện tại.")
            self._load_actions()
            return False
        handler = self._handlers().get(action)
        if handler is None:
            msgbox.warning(self, f"Chưa hỗ trợ thao tác “{action.label}”.")
            return False
        try:
            done = handler()
        except UserError as exc:
            msgbox.warning(self, exc.message)
            done = False
        except Exception as exc:  # a bug: crash dialog, then show whatever the database now holds
            show_error(self, exc)
            done = False
        self._reload_after_action()
        if done:
            self.proposal_changed.emit(pid)
        return bool(done)

    def _reload_after_action(self) -> None:
        if self.detail is None:
            return
        if self._dirty and self.editable:
            self.reload_keeping_input()  # the user chose not to save: keep their input, take the new version
        else:
            self.load(self.detail.id)

    def _handlers(self) -> dict[Action, Callable[[], Any]]:
        return {
            Action.SUBMIT: self._submit,
            Action.RETURN: self._return_for_correction,
            Action.CANCEL: self._cancel,
            Action.WITHDRAW: self._withdraw,
            Action.STOP: self._stop,
            Action.SEND_TO_MINISTRY: self._send_to_ministry,
            Action.APPROVE: self._approve,
            Action.OPEN_COUNCIL: lambda: self._external("appraisal", "open_council_dialog"),
            Action.PASS_APPRAISAL: lambda: self._external("appraisal", "conclude_dialog"),
            Action.FAIL_APPRAISAL: lambda: self._external("appraisal", "conclude_dialog"),
            Action.SIGN_CONTRACT: lambda: self._external("finance", "sign_contract_dialog"),
            Action.REPORT_COMPLETION: lambda: self._external("finance", "report_completion"),
            Action.ACCEPT: lambda: self._external("finance", "sign_off_acceptance_dialog"),
            Action.SETTLE: lambda: self._external("finance", "settle_dialog"),
        }

    def _external(self, package: str, function: str) -> bool:
        """The screens of the appraisal and finance steps, opened for this proposal."""
        import importlib

        module = importlib.import_module(f"desktop_app.ui.{package}.dialogs")
        result = getattr(module, function)(self, self.services, self.actor, self.proposal_id)
        return result is None or bool(result)

    def _submit(self) -> bool:
        assert self.detail is not None
        d = self.detail
        if not msgbox.confirm(self, f"Nộp đề án “{d.code}” để thẩm định?\nSau khi nộp, đề án không sửa được nữa "
                                    "(trừ khi được trả lại để chỉnh sửa)."):
            return False
        self.services.proposals.submit(self.actor, d.id, d.version)
        return True

    def _exec(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _return_for_correction(self) -> bool:
        assert self.detail is not None
        d = self.detail
        return self._exec(reason_dialog(
            self, "Trả lại đề án để chỉnh sửa", f"Trả đề án {d.code} về trạng thái “Dự thảo” cho cán bộ chỉnh sửa.",
            "&Trả lại", lambda reason: self.services.proposals.return_for_correction(self.actor, d.id, d.version,
                                                                                     reason)))

    def _cancel(self) -> bool:
        assert self.detail is not None
        d = self.detail
        return self._exec(reason_dialog(
            self, "Hủy đề án", f"Hủy đề án {d.code}. Đề án đã hủy không tiếp tục được nữa.", "&Hủy đề án",
            lambda reason: self.services.proposals.cancel(self.actor, d.id, d.version, reason)))

    def _withdraw(self) -> bool:
        assert self.detail is not None
        d = self.detail
        return self._exec(reason_dialog(
            self, "Rút lại đề án", f"Rút đề án {d.code} về trạng thái “Dự thảo” để chỉnh sửa (chỉ được rút khi chưa "
            "mở hội đồng thẩm định).", "&Rút lại",
            lambda reason: self.services.proposals.withdraw(self.actor, d.id, d.version, reason)))

    def _stop(self) -> bool:
        assert self.detail is not None
        d = self.detail
        return self._exec(document_dialog(
            self, "Ngừng thực hiện đề án", f"Ngừng thực hiện đề án {d.code} theo quyết định của cấp có thẩm quyền.",
            "&Ngừng thực hiện", "Số quyết định", "Ngày quyết định",
            lambda v: self.services.proposals.stop(self.actor, d.id, d.version, v["note"], v["number"], v["date"]),
            note_label="Lý do", note_required=True))

    def _send_to_ministry(self) -> bool:
        assert self.detail is not None
        d = self.detail
        return self._exec(document_dialog(
            self, "Gửi Bộ Công Thương", f"Ghi nhận văn bản gửi hồ sơ đề án {d.code} (khuyến công quốc gia) về Bộ "
            "Công Thương.", "&Ghi nhận", "Số văn bản", "Ngày văn bản",
            lambda v: self.services.proposals.send_to_ministry(self.actor, d.id, d.version, v["number"], v["date"],
                                                               v.get("note", "")),
            note_label="Ghi chú"))

    def _approve(self) -> bool:
        assert self.detail is not None
        d = self.detail
        dialog = ApproveDialog(self, d, self.actor.display_name, lambda v: self.services.proposals.approve(
            self.actor, d.id, d.version, v["approved_support_vnd"], v["decision_number"], v["decision_date"],
            v["signer"], v["note"], line_support_vnd=v["line_support_vnd"]))
        return self._exec(dialog)


def offer_kept_draft(parent: QWidget | None, services: Services, actor: Actor) -> bool:
    """At the start of a session: offer the proposal draft a crash left behind, and open it if wanted.

    Returns whether a draft was opened.
    """
    draft = drafts.load(actor.username)
    if draft is None:
        return False
    what = f"đề án {draft.code}" if draft.code else "đề án mới"
    title = draft.data.title.strip() or "(chưa có tên)"
    if not msgbox.confirm(parent, f"Lần trước chương trình đóng khi {what} “{title}” còn thay đổi chưa lưu "
                                  f"(giữ lúc {draft.saved_at:%H:%M ngày %d/%m/%Y}).\n\nMở lại để kiểm tra và lưu? "
                                  "Chọn “Không” để bỏ bản nháp này.", title="Bản nháp chưa lưu"):
        drafts.discard(actor.username)
        return False
    try:
        editor = ProposalEditor(services, actor, draft.proposal_id, parent)
    except UserError as exc:  # the proposal was deleted meanwhile: the input is shown as a new draft
        log.info("kept draft of a proposal that is gone: %s", exc.message)
        editor = ProposalEditor(services, actor, None, parent)
    editor.restore_draft(draft)
    editor.exec()
    editor.deleteLater()
    return True


def open_proposal(parent: QWidget | None, services: Services, actor: Actor, proposal_id: int | None) -> None:
    """Open the editor for ``proposal_id`` (``None``: a new draft) and return when the user closes it."""
    try:
        editor = ProposalEditor(services, actor, proposal_id, parent)
    except UserError as exc:  # the proposal was deleted meanwhile, or the user may not read it
        msgbox.warning(parent, exc.message)
        return
    editor.exec()
    editor.deleteLater()


__all__ = ["ProposalEditor", "offer_kept_draft", "open_proposal"]
