"""What acceptance records (:class:`AcceptanceForm`): the council, the verified amounts line by line, the outcome
figures and the conclusion. It is the body of the Nghiệm thu screen and of ``acceptance_dialog``."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import AcceptanceView, ProposalDetail
from desktop_app.ui import msgbox
from desktop_app.ui.acceptance.models import AcceptanceLinesModel, OutcomeModel, fit_height, money_table
from desktop_app.ui.style import (
    READ_ONLY_COMBO,
)
from desktop_app.ui.widgets import DateEdit, FieldMessage, FormFields
from desktop_app.ui.widgets import set_read_only as set_field_read_only
from desktop_app.ui.widgets.display import bold_label, show_success, value_label
from desktop_app.ui.widgets.members import MembersEditor


class AcceptanceForm(QWidget):
    """What acceptance records: council (date, place, minutes, members), verified amounts, outcomes, result.

    ``load(proposal_id)`` reads the proposal and what was recorded; ``save()`` calls ``record_acceptance``.
    ``changed`` is emitted on every edit; ``dirty`` says whether something is typed and not saved.
    """

    changed = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.proposal_id: int | None = None
        self.detail: ProposalDetail | None = None
        self.acceptance: AcceptanceView | None = None
        self.dirty = False
        self._loading = False
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        council = QGroupBox("Hội đồng nghiệm thu")
        council_row = QHBoxLayout(council)
        council_form = QFormLayout()
        council_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields = FormFields(council_form)
        self.held_on = DateEdit()
        self.fields.add("held_on", "&Ngày nghiệm thu", self.held_on, required=True)
        self.place = QLineEdit()
        self.place.setPlaceholderText("Ví dụ: Tại cơ sở thụ hưởng")
        self.fields.add("place", "Địa đ&iểm", self.place)
        self.minutes_number = QLineEdit()
        self.minutes_number.setPlaceholderText("Ví dụ: 15/BB-NT")
        self.fields.add("minutes_number", "Số &biên bản", self.minutes_number)
        council_row.addLayout(council_form, 2)
        members_form = QFormLayout()
        members_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        members_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.member_fields = FormFields(members_form)
        self.members = MembersEditor(self.services.users.appraisers(self.actor), rows=0)
        self.member_fields.add("members", "Thành viên hội đồng", self.members)
        council_row.addLayout(members_form, 3)
        layout.addWidget(council)

        lines_head = QHBoxLayout()
        lines_caption = bold_label("Kinh phí nghiệm thu theo dòng dự toán (đồng)")
        self.copy_button = QPushButton("&Lấy theo dự toán được duyệt")
        self.copy_button.setToolTip("Điền kinh phí nghiệm thu bằng dự toán được duyệt của từng dòng, rồi sửa nếu khác")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        lines_head.addWidget(lines_caption, 1)
        lines_head.addWidget(self.copy_button)
        layout.addLayout(lines_head)
        self.lines_model = AcceptanceLinesModel(self)
        self.lines_view = money_table(self.lines_model, AcceptanceLinesModel.COL_ITEM)
        self.lines_view.setAccessibleName("Kinh phí nghiệm thu theo dòng dự toán")
        lines_caption.setBuddy(self.lines_view)
        layout.addWidget(self.lines_view)
        self.excess_to_counterpart = QCheckBox(
            "Phần kinh phí khuyến công nghiệm thu vượt dự toán được duyệt của dòng thì chuyển sang vốn đối ứng")
        self.excess_to_counterpart.setToolTip(
            "Không chọn: chương trình từ chối dòng vượt và nêu rõ dòng, hai số liệu. Chọn: phần vượt được ghi là "
            "vốn đối ứng của cơ sở, tổng chi phí nghiệm thu giữ nguyên.")
        layout.addWidget(self.excess_to_counterpart)
        review_row = QHBoxLayout()
        self.review_note = FieldMessage()
        self.review_button = QPushButton("Xác nhận đã &kiểm tra")
        self.review_button.setToolTip("Lãnh đạo xác nhận số liệu nghiệm thu đã được điều chỉnh khi nâng cấp dữ liệu")
        self.review_button.setAutoDefault(False)
        self.review_button.setVisible(False)
        self.review_button.clicked.connect(self._on_review_clicked)
        review_row.addWidget(self.review_note, 1)
        review_row.addWidget(self.review_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(review_row)

        bottom = QHBoxLayout()
        outcomes = QVBoxLayout()
        outcomes.addWidget(bold_label("Kết quả đạt được so với kế hoạch"))
        self.outcome_model = OutcomeModel(self)
        self.outcome_view = money_table(self.outcome_model, OutcomeModel.COL_LABEL)
        self.outcome_view.setAccessibleName("Chỉ tiêu kết quả: kế hoạch và đạt được")
        self.outcome_view.horizontalHeader().setMinimumSectionSize(90)
        outcomes.addWidget(self.outcome_view)
        outcomes.addStretch(1)
        bottom.addLayout(outcomes, 3)

        result = QGroupBox("Kết luận")
        result_form = QFormLayout(result)
        result_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        result_fields = FormFields(result_form)
        self.passed = QComboBox()
        self.passed.addItem("Đạt yêu cầu", True)
        self.passed.addItem("Không đạt yêu cầu", False)
        result_fields.add("passed", "&Kết quả", self.passed, required=True)
        self.conclusion = QPlainTextEdit()
        self.conclusion.setTabChangesFocus(True)
        self.conclusion.setPlaceholderText("Nhận xét, kết luận của hội đồng nghiệm thu")
        self.conclusion.setFixedHeight(self.conclusion.fontMetrics().lineSpacing() * 4 + 14)
        result_fields.add("conclusion", "Kết l&uận", self.conclusion)
        self.signed_label = value_label()
        self.signed_label.setWordWrap(True)
        result_fields.add("signed", "Ký duyệt", self.signed_label)
        self.result_fields = result_fields
        bottom.addWidget(result, 2, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(bottom)
        self.banner = FieldMessage()
        layout.addWidget(self.banner)
        layout.addStretch(1)

        for signal in (self.place.textEdited, self.minutes_number.textEdited, self.held_on.dateChanged,
                       self.passed.currentIndexChanged, self.conclusion.textChanged, self.members.changed,
                       self.lines_model.edited, self.outcome_model.edited):
            signal.connect(self._on_any_edited)
        self.excess_to_counterpart.toggled.connect(self._on_any_edited)

    # --- loading -------------------------------------------------------------------------------------------------

    def load(self, proposal_id: int) -> None:
        """Read the proposal and its acceptance record; what is shown replaces anything typed."""
        detail = self.services.proposals.get(self.actor, proposal_id)
        finance = self.services.implementation.finance(self.actor, proposal_id)
        self._loading = True
        self.proposal_id, self.detail, self.acceptance = proposal_id, detail, finance.acceptance
        a = finance.acceptance
        self.held_on.set_date_value(a.held_on if a else None)
        self.place.setText(a.place if a else "")
        self.minutes_number.setText(a.minutes_number if a else "")
        self.passed.setCurrentIndex(0 if a is None or a.passed else 1)
        self.conclusion.setPlainText(a.conclusion if a else "")
        self.members.set_members(a.members if a else [], minimum_rows=3)
        self.lines_model.set_lines(detail.lines, a.lines if a else None)
        self.outcome_model.set_targets(detail)
        if a is None:
            self.signed_label.setText("Chưa ghi kết quả nghiệm thu.")
        elif a.signed_off:
            self.signed_label.setText(f"Đã ký duyệt bởi {a.signed_off_by}. Số liệu nghiệm thu đã được chốt.")
        else:
            self.signed_label.setText("Chưa ký duyệt.")
        # Editing ends with the sign-off (the service refuses any later change; the screen shows it frozen).
        self.set_read_only(bool(a and a.signed_off))
        for group in (self.fields, self.member_fields, self.result_fields):
            group.clear()
        self.banner.clear_message()
        self.excess_to_counterpart.setChecked(False)
        if a is not None and a.needs_review:
            self.review_note.show_warning(a.review_note)
        else:
            self.review_note.clear_message()
        self.review_button.setVisible(bool(a and a.needs_review))
        fit_height(self.lines_view, self.lines_model.rowCount())
        fit_height(self.outcome_view, self.outcome_model.rowCount())
        self._loading = False
        self.dirty = False

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.held_on.setReadOnly(read_only)
        set_field_read_only(self.place, read_only)
        set_field_read_only(self.minutes_number, read_only)
        self.passed.setEnabled(not read_only)
        self.passed.setStyleSheet(READ_ONLY_COMBO if read_only else "")
        set_field_read_only(self.conclusion, read_only)
        self.members.set_read_only(read_only)
        self.lines_model.set_read_only(read_only)
        self.outcome_model.set_read_only(read_only)
        self.copy_button.setVisible(not read_only)
        self.excess_to_counterpart.setVisible(not read_only)

    # --- saving --------------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Record the acceptance through the service.

        Raises:
            UserError: as the service (or a line not filled in) words it; :meth:`show_user_error` shows it.
        """
        assert self.proposal_id is not None
        held_on = self.held_on.date_value()
        assert held_on is not None
        self.services.implementation.record_acceptance(
            self.actor, self.proposal_id, held_on=held_on, place=self.place.text(),
            passed=bool(self.passed.currentData()), conclusion=self.conclusion.toPlainText(),
            minutes_number=self.minutes_number.text(), lines=self.lines_model.inputs(),
            achieved=self.outcome_model.achieved(), members=self.members.members(),
            excess_to_counterpart=self.excess_to_counterpart.isChecked())
        self.dirty = False

    def show_user_error(self, exc: UserError) -> None:
        """The message beside the input it names (or above the buttons), and the cursor there."""
        for group in (self.fields, self.member_fields, self.result_fields):
            group.clear()
        self.banner.clear_message()
        if any(group.show_user_error(exc) for group in (self.fields, self.member_fields, self.result_fields)):
            if exc.field == "members":
                self.members.focus_member(exc.item)
            return
        self.banner.show_error(exc.message)
        if exc.field == "lines":
            missing = self.lines_model.first_missing()
            self._focus_cell(self.lines_view, missing or self.lines_model.index(0, AcceptanceLinesModel.FIRST_VERIFIED))
        elif exc.field == "achieved":
            self._focus_cell(self.outcome_view, self.outcome_model.index(0, OutcomeModel.COL_ACHIEVED))

    @staticmethod
    def _focus_cell(view: QTableView, index: QModelIndex) -> None:
        view.setCurrentIndex(index)
        view.scrollTo(index)
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_any_edited(self, *_args: object) -> None:
        if not self._loading and not self.read_only:
            self.dirty = True
            self.changed.emit()

    def _on_review_clicked(self) -> None:
        if self.proposal_id is None or not msgbox.confirm(
                self, "Xác nhận số liệu nghiệm thu đã được kiểm tra lại và đúng?"):
            return
        try:
            self.services.implementation.confirm_acceptance_review(self.actor, self.proposal_id)
        except UserError as exc:
            self.banner.show_error(exc.message)
            return
        self.load(self.proposal_id)
        show_success(self.banner, "Đã xác nhận kết quả nghiệm thu.")

    def _on_copy_clicked(self) -> None:
        self.lines_model.copy_planned()
