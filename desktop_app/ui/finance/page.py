"""The Giải ngân screen: for each proposal from Đã phê duyệt on, the contract, advances and payments with the
70 % advance rule and what remains, progress reports, acceptance, liquidation and settlement.

Every figure comes from ``services.implementation.finance`` (the service computes limits and remainders); each
button opens the dialog of one record. A workflow step that is refused shows the reason the service gives.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Action, DisbursementKind, Record, Stage, Status
from desktop_app.domain.errors import UserError
from desktop_app.domain.vietnamese import format_date, format_vnd
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import DisbursementView, FinanceView, ProgressView, ProposalDetail
from desktop_app.ui import msgbox
from desktop_app.ui.finance.dialogs import (
    acceptance_dialog,
    disbursement_dialog,
    liquidation_dialog,
    percent_text,
    progress_dialog,
    report_completion,
    settle_dialog,
    sign_contract_dialog,
    sign_off_acceptance_dialog,
    vnd,
)
from desktop_app.ui.list_detail_page import ListDetailPage
from desktop_app.ui.style import ADVANCE_TEXT, CAPTION_STYLE, colour_style
from desktop_app.ui.table_model import Column, ListModel
from desktop_app.ui.widgets import FieldMessage
from desktop_app.ui.widgets.display import bold_label, setup_table, show_success, value_label

FROM_APPROVAL = (Status.APPROVED, Status.IN_PROGRESS, Status.AWAITING_ACCEPTANCE, Status.ACCEPTED, Status.SETTLED)
CHOICES: list[tuple[str, tuple[Status, ...]]] = [
    ("Từ “Đã phê duyệt” trở đi", FROM_APPROVAL),
    *[(s.label, (s,)) for s in FROM_APPROVAL],
    (Status.STOPPED.label, (Status.STOPPED,)),
]

DISBURSEMENT_COLUMNS: list[Column[DisbursementView]] = [
    Column("Ngày chi", lambda d: format_date(d.paid_on)),
    Column("Loại", lambda d: d.kind.label),
    Column("Số tiền (đồng)", lambda d: format_vnd(d.amount_vnd), numeric=True),
    Column("Số chứng từ", lambda d: d.voucher_number),
    Column("Ghi chú", lambda d: d.note),
]

PROGRESS_COLUMNS: list[Column[ProgressView]] = [
    Column("Kỳ báo cáo", lambda r: f"Tháng {r.month:02d}/{r.year}"),
    Column("Ngày báo cáo", lambda r: format_date(r.reported_on)),
    Column("Tiến độ", lambda r: f"{r.progress_percent}%", numeric=True),
    Column("Kinh phí đã thực hiện (đồng)", lambda r: format_vnd(r.spent_vnd), numeric=True),
    Column("Xác nhận", lambda r: "Đã xác nhận" if r.confirmed else "Chưa"),
    Column("Nội dung", lambda r: r.note),
]


def _disbursement_footer(rows: list[DisbursementView]) -> list[str]:
    return ["Tổng cộng", "", format_vnd(sum(d.amount_vnd for d in rows)), "", ""]


def _figure(text: str = "") -> QLabel:
    """An amount under its caption, a little larger than the text around it."""
    label = bold_label(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() + 1)
    label.setFont(font)
    return label


class _Section(QGroupBox):
    """A titled block of label: value rows with its buttons under them."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        self.buttons = QHBoxLayout()
        outer.addLayout(self.buttons)
        self.buttons.addStretch(1)
        self._values: dict[str, QLabel] = {}

    def row(self, key: str, label: str) -> QLabel:
        value = value_label()
        value.setWordWrap(True)
        self._values[key] = value
        self.form.addRow(label, value)
        return value

    def set(self, key: str, text: str) -> None:
        self._values[key].setText(text or "—")

    def clear_values(self) -> None:
        for v in self._values.values():
            v.setText("—")

    def button(self, text: str) -> QPushButton:
        b = QPushButton(text)
        self.buttons.insertWidget(self.buttons.count() - 1, b)
        return b


class FinancePage(ListDetailPage):
    """Giải ngân: contract, advances and payments, progress, acceptance, liquidation and settlement."""

    title = "Giải ngân"
    toolbar_actions = frozenset({"find"})
    list_choices = CHOICES
    list_name = "finance/proposals"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self.detail: ProposalDetail | None = None
        self.finance: FinanceView | None = None
        self._options: dict[Action | Record, str | None] = {}
        self.start()

    # --- building ------------------------------------------------------------------------------------------------

    def build_detail(self, layout: QVBoxLayout) -> None:
        self.empty = self.empty_label("Chọn một đề án ở danh sách bên trái để xem hợp đồng, tạm ứng và thanh toán.")
        layout.addWidget(self.empty, 1)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self._build_figures())
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_contract_tab(), "&1. Hợp đồng")
        self.tabs.addTab(self._build_disbursement_tab(), "&2. Tạm ứng, thanh toán")
        self.tabs.addTab(self._build_progress_tab(), "&3. Tiến độ")
        self.tabs.addTab(self._build_closure_tab(), "&4. Nghiệm thu, thanh lý, quyết toán")
        body.addWidget(self.tabs, 1)
        layout.addWidget(self.body, 1)
        self.message = FieldMessage()
        layout.addWidget(self.message)

    def _build_figures(self) -> QWidget:
        box = QGroupBox("Kinh phí khuyến công")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(6)
        self.approved_value = _figure()
        self.limit_caption = QLabel("Hạn mức tạm ứng")
        self.limit_value = _figure()
        self.advance_remaining_value = _figure()
        self.advanced_value = _figure()
        self.paid_value = _figure()
        self.remaining_value = _figure()
        self.accepted_value = _figure()
        self.settled_value = _figure()
        self.to_pay_caption = QLabel("Sau quyết toán")
        self.to_pay_value = _figure()
        cells: list[tuple[str | QLabel, QLabel]] = [
            ("Được duyệt", self.approved_value), (self.limit_caption, self.limit_value),
            ("Còn được tạm ứng", self.advance_remaining_value), ("Đã tạm ứng", self.advanced_value),
            ("Đã chi (tạm ứng và thanh toán)", self.paid_value), ("Còn lại được chi", self.remaining_value),
            ("Nghiệm thu (đã ký duyệt)", self.accepted_value), ("Quyết toán", self.settled_value),
            (self.to_pay_caption, self.to_pay_value)]
        for i, (caption, value) in enumerate(cells):
            row, col = divmod(i, 3)
            label = caption if isinstance(caption, QLabel) else QLabel(caption)
            label.setStyleSheet(CAPTION_STYLE)
            label.setBuddy(value)
            grid.addWidget(label, row * 2, col)
            grid.addWidget(value, row * 2 + 1, col)
        for c in range(3):
            grid.setColumnStretch(c, 1)
        self.advance_remaining_value.setStyleSheet(colour_style(ADVANCE_TEXT))
        self.remaining_value.setStyleSheet(colour_style(ADVANCE_TEXT))
        return box

    def _build_contract_tab(self) -> QWidget:
        self.contract = _Section("Hợp đồng thực hiện")
        for key, label in (("number", "Số hợp đồng:"), ("signed_on", "Ngày ký:"), ("party_a", "Bên A:"),
                           ("party_b", "Bên B:"), ("value", "Giá trị hợp đồng:"), ("period", "Thời gian thực hiện:")):
            self.contract.row(key, label)
        self.contract_button = self.contract.button("&Ký hợp đồng…")
        self.contract_button.clicked.connect(self._on_contract_clicked)
        return self._tab(self.contract)

    def _build_disbursement_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.disbursements: ListModel[DisbursementView] = ListModel(DISBURSEMENT_COLUMNS, self,
                                                                    footer=_disbursement_footer)
        self.disbursements.row_foreground = lambda d: (QBrush(ADVANCE_TEXT) if d.kind is DisbursementKind.ADVANCE
                                                       else None)
        self.disbursement_view = QTableView()
        self.disbursement_view.setModel(self.disbursements)
        setup_table(self.disbursement_view, stretch_column=4)
        self.disbursement_view.setAccessibleName("Các lần tạm ứng, thanh toán")
        layout.addWidget(self.disbursement_view, 1)
        buttons = QHBoxLayout()
        self.advance_button = QPushButton("Tạm ứn&g…")
        self.payment_button = QPushButton("Th&anh toán…")
        self.advance_button.clicked.connect(lambda: self._on_disbursement_clicked(DisbursementKind.ADVANCE))
        self.payment_button.clicked.connect(lambda: self._on_disbursement_clicked(DisbursementKind.PAYMENT))
        buttons.addWidget(self.advance_button)
        buttons.addWidget(self.payment_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _build_progress_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.progress: ListModel[ProgressView] = ListModel(PROGRESS_COLUMNS, self)
        self.progress_view = QTableView()
        self.progress_view.setModel(self.progress)
        setup_table(self.progress_view, stretch_column=5)
        self.progress_view.setAccessibleName("Báo cáo tiến độ hằng tháng")
        layout.addWidget(self.progress_view, 1)
        buttons = QHBoxLayout()
        self.progress_button = QPushButton("Thêm &báo cáo tiến độ…")
        self.completion_button = QPushButton("Báo cáo &hoàn thành…")
        self.progress_button.clicked.connect(self._on_progress_clicked)
        self.completion_button.clicked.connect(self._on_completion_clicked)
        buttons.addWidget(self.progress_button)
        buttons.addStretch(1)
        buttons.addWidget(self.completion_button)
        layout.addLayout(buttons)
        return page

    def _build_closure_tab(self) -> QWidget:
        self.acceptance = _Section("Nghiệm thu")
        for key, label in (("held", "Ngày, địa điểm:"), ("result", "Kết quả:"), ("support", "Khuyến công nghiệm thu:"),
                           ("counterpart", "Đối ứng nghiệm thu:"), ("signed", "Ký duyệt:")):
            self.acceptance.row(key, label)
        self.acceptance_button = self.acceptance.button("&Ghi kết quả nghiệm thu…")
        self.sign_off_button = self.acceptance.button("Ký &duyệt nghiệm thu…")
        self.acceptance_button.clicked.connect(self._on_acceptance_clicked)
        self.sign_off_button.clicked.connect(self._on_sign_off_clicked)
        self.liquidation = _Section("Thanh lý hợp đồng")
        for key, label in (("number", "Biên bản:"), ("accepted", "Giá trị thanh lý:"), ("paid", "Đã chi:"),
                           ("remaining", "Còn phải chi:")):
            self.liquidation.row(key, label)
        self.liquidation_button = self.liquidation.button("Thanh &lý hợp đồng…")
        self.liquidation_button.clicked.connect(self._on_liquidation_clicked)
        self.settlement = _Section("Quyết toán")
        for key, label in (("number", "Quyết định:"), ("settled", "Kinh phí quyết toán:"),
                           ("returned", "Phải nộp lại:")):
            self.settlement.row(key, label)
        self.settle_button = self.settlement.button("&Quyết toán…")
        self.settle_button.clicked.connect(self._on_settle_clicked)
        page = QWidget()
        layout = QHBoxLayout(page)
        left = QVBoxLayout()
        left.addWidget(self.acceptance)
        left.addStretch(1)
        layout.addLayout(left, 1)
        right = QVBoxLayout()
        right.addWidget(self.liquidation)
        right.addWidget(self.settlement)
        right.addStretch(1)
        layout.addLayout(right, 1)
        return page

    @staticmethod
    def _tab(section: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(section)
        layout.addStretch(1)
        return page

    # --- loading -------------------------------------------------------------------------------------------------

    def show_proposal(self, proposal_id: int | None) -> None:
        self.proposal_id = proposal_id
        has = proposal_id is not None
        self.empty.setVisible(not has)
        self.body.setVisible(has)
        self.status_label.setVisible(has)
        if proposal_id is None:
            self.show_heading(None)
            self.message.clear_message()
            return
        try:
            self.detail = self.services.proposals.get(self.actor, proposal_id)
            self.finance = self.services.implementation.finance(self.actor, proposal_id)
            self._options = {o.action: o.refusal
                             for o in self.services.proposals.allowed_actions(self.actor, proposal_id)}
        except UserError as exc:
            msgbox.warning(self, exc.message)
            return
        self.show_heading(self.detail)
        self._fill(self.finance)

    def _fill(self, f: FinanceView) -> None:
        self.approved_value.setText(vnd(f.approved_support_vnd))
        self.limit_caption.setText(f"Hạn mức tạm ứng ({percent_text(f.advance_percent)}% kinh phí được duyệt)")
        self.limit_value.setText(vnd(f.advance_limit_vnd))
        self.advanced_value.setText(vnd(f.advanced_vnd))
        self.advance_remaining_value.setText(vnd(f.advance_remaining_vnd))
        self.paid_value.setText(vnd(f.paid_vnd))
        self.remaining_value.setText(vnd(f.remaining_vnd))
        # The ledger's later stages: what acceptance certified, what was settled, and what is left to pay or return.
        lg = f.ledger
        accepted = lg.stage(Stage.ACCEPTED) if lg else None
        self.accepted_value.setText(vnd(accepted.support_vnd) if accepted else "—")
        self.settled_value.setText(vnd(lg.settled_support_vnd) if lg and lg.settled_support_vnd is not None else "—")
        to_pay = lg.to_pay_vnd if lg else None
        if to_pay is None:
            self.to_pay_caption.setText("Sau quyết toán")
            self.to_pay_value.setText("—")
        else:
            self.to_pay_caption.setText("Cơ sở phải nộp trả" if to_pay < 0 else "Còn phải thanh toán")
            self.to_pay_value.setText(vnd(abs(to_pay)))

        c = f.contract
        self.contract.clear_values()
        if c is not None:
            self.contract.set("number", c.number)
            self.contract.set("signed_on", format_date(c.signed_on))
            self.contract.set("party_a", c.party_a)
            self.contract.set("party_b", c.party_b)
            self.contract.set("value", vnd(c.value_vnd))
            self.contract.set("period", " – ".join(x for x in (format_date(c.start_date), format_date(c.end_date))
                                                   if x))
        else:
            self.contract.set("number", "Chưa ký hợp đồng")
        self.disbursements.set_rows(f.disbursements)
        self.progress.set_rows(f.progress)

        a = f.acceptance
        self.acceptance.clear_values()
        if a is not None:
            self.acceptance.set("held", f"{format_date(a.held_on)}" + (f", {a.place}" if a.place else ""))
            self.acceptance.set("result", ("Đạt yêu cầu" if a.passed else "Không đạt yêu cầu")
                                + (f" (biên bản số {a.minutes_number})" if a.minutes_number else ""))
            self.acceptance.set("support", vnd(a.verified_support_vnd))
            self.acceptance.set("counterpart", vnd(a.verified_counterpart_vnd))
            self.acceptance.set("signed", f"Đã ký duyệt ({a.signed_off_by})" if a.signed_off else "Chưa ký duyệt")
        else:
            self.acceptance.set("held", "Chưa ghi kết quả nghiệm thu")
        liq = f.liquidation
        self.liquidation.clear_values()
        if liq is not None:
            self.liquidation.set("number", f"Số {liq.number} ngày {format_date(liq.signed_on)}")
            self.liquidation.set("accepted", vnd(liq.accepted_value_vnd))
            self.liquidation.set("paid", vnd(liq.paid_vnd))
            self.liquidation.set("remaining", vnd(liq.remaining_vnd))
        st = f.settlement
        self.settlement.clear_values()
        if st is not None:
            self.settlement.set("number", f"Số {st.number} ngày {format_date(st.settled_on)}")
            self.settlement.set("settled", vnd(st.settled_support_vnd))
            self.settlement.set("returned", vnd(st.returned_vnd))

        # Workflow steps: offered when the table has them from this state; their refusal is the tooltip.
        for button, action in ((self.contract_button, Action.SIGN_CONTRACT),
                               (self.completion_button, Action.REPORT_COMPLETION),
                               (self.sign_off_button, Action.ACCEPT), (self.settle_button, Action.SETTLE)):
            offered = action in self._options
            button.setEnabled(offered)
            refusal = self._options.get(action)
            button.setToolTip(refusal or (action.label if offered else
                                          f"Không áp dụng khi đề án ở trạng thái “{f.status.label}”."))
        # Records that are not workflow steps: open in the states the workflow's records table gives; the
        # tooltip says why one is not.
        for button, record in ((self.advance_button, Record.DISBURSE), (self.payment_button, Record.DISBURSE),
                               (self.progress_button, Record.PROGRESS), (self.liquidation_button, Record.LIQUIDATE),
                               (self.acceptance_button, Record.ACCEPTANCE)):
            button.setEnabled(self._options.get(record, "") is None)
            button.setToolTip(self._options.get(record) or "")

    # --- actions -------------------------------------------------------------------------------------------------

    def _refused(self, action: Action) -> bool:
        """Show why a workflow step may not be taken now; True when it is refused."""
        refusal = self._options.get(action)
        if refusal:
            self.message.show_error(refusal)
            msgbox.warning(self, refusal)
            return True
        return False

    def _after(self, saved: bool, text: str) -> None:
        if not saved or self.proposal_id is None:
            return
        self.reload_showing(self.proposal_id)
        show_success(self.message, text)

    def _on_contract_clicked(self) -> None:
        if self.proposal_id is not None and not self._refused(Action.SIGN_CONTRACT):
            self._after(sign_contract_dialog(self, self.services, self.actor, self.proposal_id),
                        "Đã ghi hợp đồng; đề án chuyển sang “Đang thực hiện”.")

    def _on_disbursement_clicked(self, kind: DisbursementKind) -> None:
        if self.proposal_id is not None:
            self._after(disbursement_dialog(self, self.services, self.actor, self.proposal_id, kind),
                        f"Đã ghi nhận {kind.label.lower()}.")

    def _on_progress_clicked(self) -> None:
        if self.proposal_id is not None:
            self._after(progress_dialog(self, self.services, self.actor, self.proposal_id),
                        "Đã ghi báo cáo tiến độ.")

    def _on_completion_clicked(self) -> None:
        if self.proposal_id is not None and not self._refused(Action.REPORT_COMPLETION):
            self._after(report_completion(self, self.services, self.actor, self.proposal_id),
                        "Đã báo cáo hoàn thành; đề án chờ nghiệm thu.")

    def _on_acceptance_clicked(self) -> None:
        if self.proposal_id is not None:
            self._after(acceptance_dialog(self, self.services, self.actor, self.proposal_id),
                        "Đã ghi kết quả nghiệm thu.")

    def _on_sign_off_clicked(self) -> None:
        if self.proposal_id is not None and not self._refused(Action.ACCEPT):
            self._after(sign_off_acceptance_dialog(self, self.services, self.actor, self.proposal_id),
                        "Đã ký duyệt nghiệm thu.")

    def _on_liquidation_clicked(self) -> None:
        if self.proposal_id is not None:
            self._after(liquidation_dialog(self, self.services, self.actor, self.proposal_id),
                        "Đã lập biên bản thanh lý hợp đồng.")

    def _on_settle_clicked(self) -> None:
        if self.proposal_id is not None and not self._refused(Action.SETTLE):
            self._after(settle_dialog(self, self.services, self.actor, self.proposal_id),
                        "Đã quyết toán; hồ sơ đề án được đóng.")
