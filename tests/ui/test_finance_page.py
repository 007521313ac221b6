"""The Giải ngân screen driven offscreen through its real widgets: the contract, an advance over 70 % refused
with the service's message (nothing saved), advances and payments with the remaining amounts shown, progress,
completion, liquidation and settlement; a refused step says why."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from _workflow_dialogs import DialogDriver, type_text
from factories import Actors, advance_to, make_proposal
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from desktop_app.domain.enums import DisbursementKind, Status
from desktop_app.services.context import Services
from desktop_app.ui import msgbox, tasks
from desktop_app.ui.errors import CrashDialog
from desktop_app.ui.finance.dialogs import (
    CompletionDialog,
    ContractDialog,
    DisbursementDialog,
    LiquidationDialog,
    ProgressDialog,
    SettleDialog,
)
from desktop_app.ui.finance.page import FinancePage

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _synchronous(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def fail(self: CrashDialog) -> int:
        raise AssertionError(self.details.toPlainText())

    monkeypatch.setattr(CrashDialog, "exec", fail)
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(msgbox, "warning", lambda _parent, text, title="": shown.append(text))
    return shown


def proposal_in(services: Services, people: Actors, status: Status) -> int:
    detail = make_proposal(services, people.staff)  # 250.000.000 đồng of support
    advance_to(services, people, detail.id, status)
    return detail.id


def open_page(qtbot: Any, services: Services, actor: Any, proposal_id: int) -> FinancePage:
    page = FinancePage(services, actor)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    assert page.select_proposal(proposal_id)
    return page


def run_dialog(qtbot: Any, button: Any, handler: Any) -> list[Any]:
    driver = DialogDriver()
    driver.with_dialog(handler)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    driver.check()
    return driver.seen


def test_contract_is_signed_through_the_dialog(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                               warnings: list[str]) -> None:
    pid = proposal_in(sqlite_services, sqlite_people, Status.APPROVED)
    page = open_page(qtbot, sqlite_services, sqlite_people.staff, pid)
    assert page.contract_button.isEnabled()
    assert page.approved_value.text() == "250.000.000 đồng"
    assert page.limit_caption.text() == "Hạn mức tạm ứng (70% kinh phí được duyệt)"
    assert page.limit_value.text() == "175.000.000 đồng"

    def sign(dialog: ContractDialog) -> None:
        assert dialog.value.value() == 250_000_000  # the approved support, to be changed if the contract differs
        dialog.ok_button.click()  # no number: refused beside the field, which gets the focus
        assert dialog.isVisible()
        assert dialog.fields.message("number").text() == "Chưa nhập số hợp đồng."
        assert dialog.focusWidget() is dialog.number
        type_text(dialog.number, "07/HĐ-TTKC")
        dialog.signed_on.set_date_value(date(2026, 6, 10))
        dialog.value.selectAll()
        qtbot.keyClicks(dialog.value, "260000000")  # above the approved support: the service refuses
        dialog.ok_button.click()
        assert dialog.isVisible()
        assert dialog.fields.message("value_vnd").text() == ("Giá trị hợp đồng 260.000.000 đồng vượt kinh phí được "
                                                             "duyệt 250.000.000 đồng.")
        assert dialog.focusWidget() is dialog.value
        dialog.value.selectAll()
        qtbot.keyClicks(dialog.value, "250000000")
        dialog.ok_button.click()

    run_dialog(qtbot, page.contract_button, sign)
    finance = sqlite_services.implementation.finance(sqlite_people.staff, pid)
    assert finance.status is Status.IN_PROGRESS
    assert finance.contract is not None and finance.contract.number == "07/HĐ-TTKC"
    assert finance.contract.value_vnd == 250_000_000 and finance.contract.signed_on == date(2026, 6, 10)
    assert page.status_label.text() == "Đang thực hiện"
    assert page.contract._values["number"].text() == "07/HĐ-TTKC"
    assert page.message.text() == "Đã ghi hợp đồng; đề án chuyển sang “Đang thực hiện”."
    assert not page.contract_button.isEnabled()


def test_an_advance_over_70_percent_shows_the_service_message_and_saves_nothing(
        qtbot: Any, sqlite_services: Services, sqlite_people: Actors, warnings: list[str]) -> None:
    pid = proposal_in(sqlite_services, sqlite_people, Status.IN_PROGRESS)
    page = open_page(qtbot, sqlite_services, sqlite_people.staff, pid)
    page.tabs.setCurrentIndex(1)

    def too_much(dialog: DisbursementDialog) -> None:
        assert dialog.kind.value() == DisbursementKind.ADVANCE
        assert dialog.fields.widget("advance_limit").text() == "175.000.000 đồng"
        assert dialog.fields.widget("advance_remaining").text() == "175.000.000 đồng"
        qtbot.keyClicks(dialog.amount, "200000000")
        assert dialog.amount.text() == "200.000.000"
        assert dialog.words.text() == "Hai trăm triệu đồng."
        dialog.ok_button.click()
        assert dialog.isVisible()  # refused: the dialog stays, with what was typed
        assert dialog.fields.message("amount_vnd").text() == (
            "Tạm ứng lũy kế 200.000.000 đồng vượt 70% kinh phí được duyệt (175.000.000 đồng); "
            "còn được tạm ứng 175.000.000 đồng.")
        assert dialog.focusWidget() is dialog.amount
        assert dialog.amount.value() == 200_000_000
        dialog.cancel_button.click()

    run_dialog(qtbot, page.advance_button, too_much)
    finance = sqlite_services.implementation.finance(sqlite_people.staff, pid)
    assert finance.disbursements == [] and finance.advanced_vnd == 0
    assert page.disbursements.rowCount() == 0
    assert page.message.text() == ""

    def within(dialog: DisbursementDialog) -> None:
        qtbot.keyClicks(dialog.amount, "175000000")
        dialog.paid_on.set_date_value(date(2026, 6, 20))
        type_text(dialog.voucher, "PC-012")
        type_text(dialog.note, "Tạm ứng đợt 1")
        dialog.ok_button.click()

    run_dialog(qtbot, page.advance_button, within)
    assert page.advanced_value.text() == "175.000.000 đồng"
    assert page.advance_remaining_value.text() == "0 đồng"
    assert page.paid_value.text() == "175.000.000 đồng"
    assert page.remaining_value.text() == "75.000.000 đồng"
    QAbstractItemModelTester(page.disbursements, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model = page.disbursements
    assert [model.data(model.index(0, c)) for c in range(5)] == ["20/06/2026", "Tạm ứng", "175.000.000", "PC-012",
                                                                 "Tạm ứng đợt 1"]
    assert model.data(model.index(1, 0)) == "Tổng cộng" and model.data(model.index(1, 2)) == "175.000.000"
    assert page.message.text() == "Đã ghi nhận tạm ứng."


def test_payments_progress_and_completion(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                          warnings: list[str]) -> None:
    pid = proposal_in(sqlite_services, sqlite_people, Status.IN_PROGRESS)
    sqlite_services.implementation.record_disbursement(sqlite_people.staff, pid, DisbursementKind.ADVANCE,
                                                       175_000_000, date(2026, 6, 20))
    page = open_page(qtbot, sqlite_services, sqlite_people.staff, pid)

    def payment(dialog: DisbursementDialog) -> None:
        assert dialog.kind.value() == DisbursementKind.PAYMENT
        qtbot.keyClicks(dialog.amount, "100000000")  # more than remains: refused by the service
        dialog.ok_button.click()
        assert dialog.fields.message("amount_vnd").text() == (
            "Tổng số chi 275.000.000 đồng vượt kinh phí khuyến công 250.000.000 đồng; còn lại được chi "
            "75.000.000 đồng.")
        dialog.amount.selectAll()
        qtbot.keyClicks(dialog.amount, "50000000")
        dialog.ok_button.click()

    run_dialog(qtbot, page.payment_button, payment)
    assert page.paid_value.text() == "225.000.000 đồng"
    assert page.remaining_value.text() == "25.000.000 đồng"

    def progress(dialog: ProgressDialog) -> None:
        dialog.year.setValue(2026)
        dialog.month.setValue(8)
        dialog.percent.setValue(60)
        qtbot.keyClicks(dialog.spent, "300000000")
        type_text(dialog.note, "Đã lắp đặt và chạy thử máy")
        dialog.confirmed.setChecked(True)
        dialog.ok_button.click()

    page.tabs.setCurrentIndex(2)
    run_dialog(qtbot, page.progress_button, progress)
    QAbstractItemModelTester(page.progress, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert [page.progress.data(page.progress.index(0, c)) for c in (0, 2, 3, 4)] == [
        "Tháng 08/2026", "60%", "300.000.000", "Đã xác nhận"]

    def same_month(dialog: ProgressDialog) -> None:
        dialog.year.setValue(2026)
        dialog.month.setValue(8)
        dialog.ok_button.click()
        assert dialog.fields.message("month").text() == "Đã có báo cáo tiến độ tháng 8/2026."
        assert dialog.focusWidget() is dialog.month
        dialog.cancel_button.click()

    run_dialog(qtbot, page.progress_button, same_month)
    assert len(sqlite_services.implementation.finance(sqlite_people.staff, pid).progress) == 1

    def complete(dialog: CompletionDialog) -> None:
        assert dialog.ok_button.isEnabled()
        type_text(dialog.note, "Đơn vị đã hoàn thành")
        dialog.ok_button.click()

    run_dialog(qtbot, page.completion_button, complete)
    assert sqlite_services.proposals.get(sqlite_people.staff, pid).status is Status.AWAITING_ACCEPTANCE
    assert page.status_label.text() == "Chờ nghiệm thu"
    assert not page.completion_button.isEnabled()


def test_liquidation_and_settlement(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                    warnings: list[str]) -> None:
    pid = proposal_in(sqlite_services, sqlite_people, Status.ACCEPTED)  # 175.000.000 advanced, accepted in full
    page = open_page(qtbot, sqlite_services, sqlite_people.staff, pid)
    page.tabs.setCurrentIndex(3)
    assert page.acceptance._values["signed"].text() == "Đã ký duyệt (Phạm Văn Lãnh)"
    assert not page.acceptance_button.isEnabled()  # frozen after sign-off
    assert page.advance_remaining_value.text() == "0 đồng"
    # The ledger's later stages: accepted in full, nothing settled yet.
    assert page.accepted_value.text() == "250.000.000 đồng" and page.settled_value.text() == "—"
    assert page.to_pay_value.text() == "—"

    # Settling before the liquidation, or as staff: refused, and the reason is shown.
    qtbot.mouseClick(page.settle_button, Qt.MouseButton.LeftButton)
    assert warnings == ["Vai trò “Cán bộ nghiệp vụ” không được “Quyết toán”; chỉ Lãnh đạo được làm việc này."]

    def pay_rest(dialog: DisbursementDialog) -> None:
        assert dialog.fields.widget("remaining").text() == "75.000.000 đồng"
        qtbot.keyClicks(dialog.amount, "75000000")
        dialog.ok_button.click()

    run_dialog(qtbot, page.payment_button, pay_rest)

    def liquidate(dialog: LiquidationDialog) -> None:
        dialog.ok_button.click()
        assert dialog.fields.message("number").text() == "Chưa nhập số biên bản thanh lý."
        type_text(dialog.number, "20/BB-TL")
        dialog.signed_on.set_date_value(date(2026, 12, 1))
        dialog.ok_button.click()

    run_dialog(qtbot, page.liquidation_button, liquidate)
    assert page.liquidation._values["number"].text() == "Số 20/BB-TL ngày 01/12/2026"
    assert page.liquidation._values["accepted"].text() == "250.000.000 đồng"
    assert page.liquidation._values["remaining"].text() == "0 đồng"

    manager_page = open_page(qtbot, sqlite_services, sqlite_people.manager, pid)
    warnings.clear()

    def settle(dialog: SettleDialog) -> None:
        assert dialog.ok_button.isEnabled()
        dialog.ok_button.click()
        assert dialog.fields.message("number").text() == "Chưa nhập số quyết định quyết toán."
        type_text(dialog.number, "30/QT-TTKC")
        dialog.settled_on.set_date_value(date(2027, 1, 10))
        dialog.ok_button.click()

    run_dialog(qtbot, manager_page.settle_button, settle)
    finance = sqlite_services.implementation.finance(sqlite_people.manager, pid)
    assert finance.status is Status.SETTLED
    assert finance.settlement is not None and finance.settlement.settled_support_vnd == 250_000_000
    assert manager_page.settlement._values["returned"].text() == "0 đồng"
    assert manager_page.status_label.text() == "Đã quyết toán"
    assert manager_page.settled_value.text() == "250.000.000 đồng"
    assert (manager_page.to_pay_caption.text(), manager_page.to_pay_value.text()) == ("Còn phải thanh toán", "0 đồng")
    # The file is closed: no record button works any more.
    assert not any(b.isEnabled() for b in (manager_page.advance_button, manager_page.payment_button,
                                           manager_page.progress_button, manager_page.liquidation_button,
                                           manager_page.settle_button, manager_page.contract_button))
    assert warnings == []


def test_list_shows_proposals_from_approval_on(qtbot: Any, sqlite_services: Services, sqlite_people: Actors) -> None:
    approved = proposal_in(sqlite_services, sqlite_people, Status.APPROVED)
    running = proposal_in(sqlite_services, sqlite_people, Status.IN_PROGRESS)
    proposal_in(sqlite_services, sqlite_people, Status.APPRAISED)  # not yet approved: not here
    page = FinancePage(sqlite_services, sqlite_people.staff)
    qtbot.addWidget(page)
    QAbstractItemModelTester(page.proposals.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert sorted(r.id for r in page.proposals.model.rows()) == sorted([approved, running])
    page.proposals.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    codes = [r.code for r in page.proposals.model.rows()]
    assert codes == sorted(codes, reverse=True)
