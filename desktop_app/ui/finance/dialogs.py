"""Dialogs of the implementation: contract, advance or payment, progress report, completion, acceptance,
acceptance sign-off, liquidation and settlement.

Each is ``xxx_dialog(parent, services, actor, proposal_id) -> bool`` (True when the service saved something);
``sign_contract_dialog``, ``report_completion``, ``sign_off_acceptance_dialog`` and ``settle_dialog`` are also
called from the proposal editor. The figures a record depends on (approved support, the advance limit, what is
already paid, what remains) are shown in the dialog, from the service's ``FinanceView``. The services check
every rule (the 70 % advance rule among them); a refusal keeps the dialog open beside the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Action, DisbursementKind
from desktop_app.domain.errors import UserError
from desktop_app.domain.vietnamese import amount_in_words, format_date, format_vnd
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import FinanceView, ProposalDetail
from desktop_app.ui import msgbox
from desktop_app.ui.acceptance.form import AcceptanceForm
from desktop_app.ui.errors import show_error
from desktop_app.ui.style import ERROR_TEXT, NOTE_TEXT, SUCCESS_TEXT
from desktop_app.ui.widgets import DateEdit, EnumCombo, MoneyEdit
from desktop_app.ui.widgets.display import value_label
from desktop_app.ui.widgets.record_dialog import RecordDialog


def vnd(amount: int | None) -> str:
    """An amount for a label: ``1.250.000 đồng`` (— when unknown)."""
    return "—" if amount is None else f"{format_vnd(amount)} đồng"


def percent_text(value: Decimal) -> str:
    """``Decimal("70")`` → ``"70"``, ``Decimal("70.50")`` → ``"70,5"``."""
    return f"{value.normalize():f}".replace(".", ",")


def _plain_text(lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def _refusal(services: Services, actor: Actor, proposal_id: int, action: Action,
             detail: ProposalDetail) -> str | None:
    """Why the workflow action may not be taken now (the service's words), or None."""
    for o in services.proposals.allowed_actions(actor, proposal_id):
        if o.action is action:
            return o.refusal
    return f"Không thể “{action.label}” khi đề án ở trạng thái “{detail.status.label}”."


class _ProposalDialog(RecordDialog):
    """A record about one proposal: the proposal named at the top, its detail and finance figures at hand."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, proposal_id: int, title: str,
                 ok_text: str = "Lưu") -> None:
        super().__init__(parent, title, ok_text)
        self.services, self.actor, self.proposal_id = services, actor, proposal_id
        self.detail = services.proposals.get(actor, proposal_id)
        self.finance: FinanceView = services.implementation.finance(actor, proposal_id)
        name = value_label(f"{self.detail.code} — {self.detail.title}")
        name.setWordWrap(True)
        self.fields.add("proposal", "Đề án", name)
        self.setMinimumWidth(640)

    def refuse_if(self, action: Action) -> bool:
        """Show the workflow's refusal of ``action`` and disable saving; True when refused."""
        refusal = _refusal(self.services, self.actor, self.proposal_id, action, self.detail)
        if refusal:
            self.show_hint(f"Chưa thực hiện được: {refusal}", warning=True)
            self.ok_button.setEnabled(False)
            self.ok_button.setToolTip(refusal)
        return refusal is not None


def _run(parent: QWidget | None, make: Callable[[QWidget | None, Services, Actor, int], _ProposalDialog],
         services: Services, actor: Actor,
         proposal_id: int) -> bool:
    try:
        dialog = make(parent, services, actor, proposal_id)
    except UserError as exc:  # the proposal is gone, or may not be read
        msgbox.warning(parent, exc.message)
        return False
    return dialog.run()


# --- contract ------------------------------------------------------------------------------------------------------

class ContractDialog(_ProposalDialog):
    """The contract: moves the proposal to Đang thực hiện."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> None:
        super().__init__(parent, services, actor, proposal_id, "Ký hợp đồng thực hiện đề án", "Ghi hợp đồng")
        approved = self.detail.approved_support_vnd
        self.fields.add("approved", "Kinh phí khuyến công được duyệt", value_label(vnd(approved)))
        self.number = QLineEdit()
        self.number.setPlaceholderText("Ví dụ: 07/HĐ-TTKC")
        self.fields.add("number", "Số &hợp đồng", self.number, required=True)
        self.signed_on = DateEdit()
        self.fields.add("signed_on", "Ngày &ký", self.signed_on, required=True)
        self.value = MoneyEdit()
        self.value.setValue(approved)
        self.fields.add("value_vnd", "&Giá trị hợp đồng (đồng)", self.value, required=True)
        self.party_a = QLineEdit()
        self.party_a.setPlaceholderText("Để trống: tên đơn vị trong tiêu đề văn bản")
        self.fields.add("party_a", "Bên &A (bên giao)", self.party_a)
        self.party_b = QLineEdit()
        self.party_b.setPlaceholderText(self.detail.data.implementing_unit or "Đơn vị thực hiện đề án")
        self.fields.add("party_b", "Bên &B (bên nhận)", self.party_b)
        self.start_date = DateEdit(optional=True, value=self.detail.data.start_date)
        self.fields.add("start_date", "Ngày &bắt đầu", self.start_date)
        self.end_date = DateEdit(optional=True, value=self.detail.data.end_date)
        self.fields.add("end_date", "Ngày &kết thúc", self.end_date)
        self.refuse_if(Action.SIGN_CONTRACT)
        self.fallback_focus = self.number
        self.finish_layout()
        self.number.setFocus()

    def submit(self) -> None:
        signed_on = self.signed_on.date_value()
        assert signed_on is not None
        self.services.implementation.sign_contract(
            self.actor, self.proposal_id, self.detail.version, number=self.number.text(), signed_on=signed_on,
            value_vnd=self.value.value(), party_a=self.party_a.text(), party_b=self.party_b.text(),
            start_date=self.start_date.date_value(), end_date=self.end_date.date_value())


def sign_contract_dialog(parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> bool:
    """Record the contract of an approved proposal; True when saved."""
    return _run(parent, ContractDialog, services, actor, proposal_id)


# --- advances and payments -----------------------------------------------------------------------------------------

class DisbursementDialog(_ProposalDialog):
    """An advance or a payment, with the limits beside it (the service checks them)."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, proposal_id: int,
                 kind: DisbursementKind | None = None) -> None:
        super().__init__(parent, services, actor, proposal_id, "Tạm ứng, thanh toán kinh phí", "Ghi nhận")
        f = self.finance
        self.fields.add("approved", "Kinh phí khuyến công được duyệt", value_label(vnd(f.approved_support_vnd)))
        self.fields.add("advance_limit", f"Hạn mức tạm ứng ({percent_text(f.advance_percent)}%)",
                        value_label(vnd(f.advance_limit_vnd)))
        self.fields.add("advanced", "Đã tạm ứng", value_label(vnd(f.advanced_vnd)))
        self.fields.add("advance_remaining", "Còn được tạm ứng", value_label(vnd(f.advance_remaining_vnd)))
        self.fields.add("paid", "Đã chi (tạm ứng và thanh toán)", value_label(vnd(f.paid_vnd)))
        self.fields.add("remaining", "Còn lại được chi", value_label(vnd(f.remaining_vnd)))
        self.kind = EnumCombo(DisbursementKind)
        if kind is not None:
            self.kind.set_value(kind)
        self.fields.add("kind", "&Loại", self.kind, required=True)
        self.amount = MoneyEdit()
        self.fields.add("amount_vnd", "&Số tiền (đồng)", self.amount, required=True)
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setStyleSheet(f"color: {NOTE_TEXT.name()}; font-style: italic;")
        self.fields.add("words", "Bằng chữ", self.words)
        self.amount.value_changed.connect(self._on_amount_value_changed)
        self.paid_on = DateEdit()
        self.fields.add("paid_on", "&Ngày chi", self.paid_on, required=True)
        self.voucher = QLineEdit()
        self.voucher.setPlaceholderText("Số phiếu chi, ủy nhiệm chi")
        self.fields.add("voucher_number", "Số &chứng từ", self.voucher)
        self.note = QLineEdit()
        self.fields.add("note", "&Ghi chú", self.note)
        self.fallback_focus = self.amount
        self.finish_layout()
        self.amount.setFocus()

    def _on_amount_value_changed(self, value: object) -> None:
        self.words.setText(amount_in_words(value) + " đồng." if isinstance(value, int) and value > 0 else "")

    def submit(self) -> None:
        amount = self.amount.value()
        paid_on = self.paid_on.date_value()
        assert paid_on is not None
        self.services.implementation.record_disbursement(
            self.actor, self.proposal_id, DisbursementKind(self.kind.value()), amount if amount is not None else 0,
            paid_on, self.voucher.text(), self.note.text())


def disbursement_dialog(parent: QWidget | None, services: Services, actor: Actor, proposal_id: int,
                        kind: DisbursementKind | None = None) -> bool:
    """Record an advance or a payment (``kind`` preselects one); True when saved."""
    try:
        dialog = DisbursementDialog(parent, services, actor, proposal_id, kind)
    except UserError as exc:
        msgbox.warning(parent, exc.message)
        return False
    return dialog.run()


# --- progress -------------------------------------------------------------------------------------------------------

class ProgressDialog(_ProposalDialog):
    """A monthly progress report."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> None:
        super().__init__(parent, services, actor, proposal_id, "Báo cáo tiến độ thực hiện", "Ghi báo cáo")
        today = date.today()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.setGroupSeparatorShown(False)
        self.fields.add("year", "&Năm", self.year, required=True)
        self.month = QSpinBox()
        self.month.setRange(1, 12)
        self.month.setValue(today.month)
        self.fields.add("month", "&Tháng", self.month, required=True)
        self.reported_on = DateEdit()
        self.fields.add("reported_on", "Ngày &báo cáo", self.reported_on, required=True)
        self.percent = QSpinBox()
        self.percent.setRange(0, 100)
        self.percent.setSuffix(" %")
        last = self.finance.progress[-1].progress_percent if self.finance.progress else 0
        self.percent.setValue(last)
        self.fields.add("progress_percent", "Tiến độ &hoàn thành", self.percent, required=True)
        self.spent = MoneyEdit()
        self.fields.add("spent_vnd", "Kinh phí đã &thực hiện (đồng)", self.spent)
        self.note = _plain_text(3)
        self.note.setPlaceholderText("Công việc đã làm, khó khăn, kiến nghị")
        self.fields.add("note", "Nội dung", self.note)
        self.confirmed = QCheckBox("Đã kiểm tra thực tế, xác nhận")
        self.fields.add("confirmed", "&Xác nhận", self.confirmed)
        self.fallback_focus = self.month
        self.finish_layout()
        self.month.setFocus()

    def submit(self) -> None:
        reported_on = self.reported_on.date_value()
        assert reported_on is not None
        self.services.implementation.add_progress_report(
            self.actor, self.proposal_id, year=self.year.value(), month=self.month.value(), reported_on=reported_on,
            progress_percent=self.percent.value(), spent_vnd=self.spent.value() or 0,
            note=self.note.toPlainText(), confirmed=self.confirmed.isChecked())


def progress_dialog(parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> bool:
    """Add a monthly progress report; True when saved."""
    return _run(parent, ProgressDialog, services, actor, proposal_id)


# --- completion -----------------------------------------------------------------------------------------------------

class CompletionDialog(_ProposalDialog):
    """The implementer reports completion: Đang thực hiện → Chờ nghiệm thu."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> None:
        super().__init__(parent, services, actor, proposal_id, "Báo cáo hoàn thành đề án", "Báo cáo hoàn thành")
        f = self.finance
        self.fields.add("contract", "Hợp đồng", value_label(
            f"Số {f.contract.number} ngày {format_date(f.contract.signed_on)}" if f.contract else "Chưa có"))
        self.fields.add("paid", "Đã chi", value_label(vnd(f.paid_vnd)))
        last = f.progress[-1] if f.progress else None
        self.fields.add("progress", "Tiến độ gần nhất", value_label(
            f"{last.progress_percent}% (tháng {last.month}/{last.year})" if last else "Chưa có báo cáo tiến độ"))
        self.note = _plain_text(3)
        self.fields.add("note", "&Ghi chú", self.note)
        self.refuse_if(Action.REPORT_COMPLETION)
        self.finish_layout()
        self.note.setFocus()

    def submit(self) -> None:
        self.services.implementation.report_completion(self.actor, self.proposal_id, self.detail.version,
                                                       self.note.toPlainText())


def report_completion(parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> bool:
    """Report that the proposal is carried out and waits for acceptance; True when recorded."""
    return _run(parent, CompletionDialog, services, actor, proposal_id)


# --- acceptance -----------------------------------------------------------------------------------------------------

class AcceptanceDialog(QDialog):
    """The acceptance form of the Nghiệm thu screen in a dialog (from the proposal editor or Giải ngân)."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ghi kết quả nghiệm thu")
        self.saved = False
        self.form = AcceptanceForm(services, actor)
        self.form.load(proposal_id)
        detail = self.form.detail
        assert detail is not None
        layout = QVBoxLayout(self)
        layout.addWidget(value_label(f"{detail.code} — {detail.title}"))
        layout.addWidget(self.form)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("Ghi kết quả", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setEnabled(not self.form.read_only)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(980, 720)

    def accept(self) -> None:
        try:
            self.form.save()
        except UserError as exc:
            self.form.show_user_error(exc)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.saved = True
        super().accept()


def acceptance_dialog(parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> bool:
    """Record (or correct, until sign-off) the acceptance result; True when saved."""
    try:
        dialog = AcceptanceDialog(parent, services, actor, proposal_id)
    except UserError as exc:
        msgbox.warning(parent, exc.message)
        return False
    dialog.exec()
    return dialog.saved


class SignOffDialog(_ProposalDialog):
    """A manager signs off the acceptance: its figures are frozen and the proposal is Đã nghiệm thu."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> None:
        super().__init__(parent, services, actor, proposal_id, "Ký duyệt kết quả nghiệm thu", "Ký duyệt")
        a = self.finance.acceptance
        if a is not None:
            held = format_date(a.held_on) + (f" — {a.place}" if a.place else "")
            self.fields.add("held", "Nghiệm thu", value_label(held))
            self.fields.add("minutes", "Biên bản số", value_label(a.minutes_number or "—"))
            result = value_label("Đạt yêu cầu" if a.passed else "Không đạt yêu cầu")
            result.setStyleSheet(f"font-weight: bold; color: {(SUCCESS_TEXT if a.passed else ERROR_TEXT).name()};")
            self.fields.add("passed", "Kết quả", result)
            self.fields.add("support", "Khuyến công nghiệm thu", value_label(vnd(a.verified_support_vnd)))
            self.fields.add("counterpart", "Đối ứng nghiệm thu", value_label(vnd(a.verified_counterpart_vnd)))
            self.fields.add("other", "Nguồn khác nghiệm thu", value_label(vnd(a.verified_other_vnd)))
            if a.conclusion:
                conclusion = value_label(a.conclusion)
                conclusion.setWordWrap(True)
                self.fields.add("conclusion", "Kết luận", conclusion)
        self.note = _plain_text(2)
        self.fields.add("note", "&Ý kiến", self.note)
        if not self.refuse_if(Action.ACCEPT):
            self.show_hint("Sau khi ký duyệt, số liệu nghiệm thu được chốt và không sửa được nữa.", warning=True)
        self.finish_layout()
        self.note.setFocus()

    def submit(self) -> None:
        self.services.implementation.sign_off_acceptance(self.actor, self.proposal_id, self.detail.version,
                                                         self.note.toPlainText())


def sign_off_acceptance_dialog(parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> bool:
    """Sign off the recorded acceptance (managers); True when signed."""
    return _run(parent, SignOffDialog, services, actor, proposal_id)


# --- liquidation and settlement ------------------------------------------------------------------------------------

class LiquidationDialog(_ProposalDialog):
    """The contract liquidation minutes; the accepted value, paid and remaining amounts are the service's."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> None:
        super().__init__(parent, services, actor, proposal_id, "Thanh lý hợp đồng", "Lập biên bản")
        f = self.finance
        a = f.acceptance
        self.fields.add("verified", "Khuyến công nghiệm thu", value_label(vnd(a.verified_support_vnd if a else None)))
        self.fields.add("approved", "Khuyến công được duyệt", value_label(vnd(f.approved_support_vnd)))
        self.fields.add("paid", "Đã chi", value_label(vnd(f.paid_vnd)))
        self.show_hint("Giá trị nghiệm thu được thanh lý, số đã chi và số còn lại do chương trình tính khi lập "
                       "biên bản.")
        liq = f.liquidation
        self.number = QLineEdit(liq.number if liq else "")
        self.number.setPlaceholderText("Ví dụ: 20/BB-TL")
        self.fields.add("number", "Số &biên bản", self.number, required=True)
        self.signed_on = DateEdit(value=liq.signed_on if liq else None)
        self.fields.add("signed_on", "Ngày &ký", self.signed_on, required=True)
        self.note = _plain_text(2)
        if liq:
            self.note.setPlainText(liq.note)
        self.fields.add("note", "&Ghi chú", self.note)
        self.fallback_focus = self.number
        self.finish_layout()
        self.number.setFocus()

    def submit(self) -> None:
        signed_on = self.signed_on.date_value()
        assert signed_on is not None
        self.services.implementation.record_liquidation(self.actor, self.proposal_id, number=self.number.text(),
                                                        signed_on=signed_on, note=self.note.toPlainText())


def liquidation_dialog(parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> bool:
    """Record (or correct) the contract liquidation minutes; True when saved."""
    return _run(parent, LiquidationDialog, services, actor, proposal_id)


class SettleDialog(_ProposalDialog):
    """Settlement (quyết toán): Đã nghiệm thu → Đã quyết toán."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> None:
        super().__init__(parent, services, actor, proposal_id, "Quyết toán kinh phí đề án", "Quyết toán")
        liq = self.finance.liquidation
        if liq is not None:
            self.fields.add("liquidation", "Biên bản thanh lý",
                            value_label(f"Số {liq.number} ngày {format_date(liq.signed_on)}"))
            self.fields.add("accepted", "Giá trị được thanh lý", value_label(vnd(liq.accepted_value_vnd)))
        self.fields.add("paid", "Đã chi", value_label(vnd(self.finance.paid_vnd)))
        self.number = QLineEdit()
        self.number.setPlaceholderText("Ví dụ: 30/QT-TTKC")
        self.fields.add("number", "Số &quyết định quyết toán", self.number, required=True)
        self.settled_on = DateEdit()
        self.fields.add("settled_on", "&Ngày quyết toán", self.settled_on, required=True)
        self.note = _plain_text(2)
        self.fields.add("note", "&Ghi chú", self.note)
        self.refuse_if(Action.SETTLE)
        self.fallback_focus = self.number
        self.finish_layout()
        self.number.setFocus()

    def submit(self) -> None:
        settled_on = self.settled_on.date_value()
        assert settled_on is not None
        self.services.implementation.settle(self.actor, self.proposal_id, self.detail.version,
                                            number=self.number.text(), settled_on=settled_on,
                                            note=self.note.toPlainText())


def settle_dialog(parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> bool:
    """Settle the proposal's funding (managers); True when settled."""
    return _run(parent, SettleDialog, services, actor, proposal_id)


__all__ = [
    "acceptance_dialog",
    "disbursement_dialog",
    "liquidation_dialog",
    "progress_dialog",
    "report_completion",
    "settle_dialog",
    "sign_contract_dialog",
    "sign_off_acceptance_dialog",
]
