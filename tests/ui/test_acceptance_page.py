"""The Nghiệm thu screen driven offscreen through its real widgets: staff record the verified amounts (support
and counterpart) and the outcome figures, a refused input names the line and keeps what was typed, a manager
signs off and every input becomes read-only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from _workflow_dialogs import DialogDriver, type_text
from factories import Actors, advance_to, make_proposal
from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QTableView

from desktop_app.domain.budget import BudgetLineInput
from desktop_app.domain.enums import Outcome, Status
from desktop_app.services.context import Services
from desktop_app.services.dto import AcceptanceLineInput
from desktop_app.ui import msgbox, tasks
from desktop_app.ui.acceptance.form import AcceptanceLinesModel, OutcomeModel
from desktop_app.ui.acceptance.page import AcceptancePage
from desktop_app.ui.errors import CrashDialog
from desktop_app.ui.finance.dialogs import AcceptanceDialog, SignOffDialog, acceptance_dialog
from desktop_app.ui.widgets import MoneyEdit

pytestmark = pytest.mark.gui

LINES = [BudgetLineInput("Máy dệt tự động", "máy", Decimal(2), 300_000_000, 250_000_000, 350_000_000, 0),
         BudgetLineInput("Đào tạo vận hành", "lớp", Decimal(1), 20_000_000, 10_000_000, 5_000_000, 5_000_000)]


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


def awaiting(services: Services, people: Actors) -> int:
    detail = make_proposal(services, people.staff, lines=LINES)
    advance_to(services, people, detail.id, Status.AWAITING_ACCEPTANCE)
    return detail.id


def open_page(qtbot: Any, services: Services, actor: Any, proposal_id: int) -> AcceptancePage:
    page = AcceptancePage(services, actor)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    assert page.select_proposal(proposal_id)
    return page


def type_amount(qtbot: Any, view: QTableView, index: QModelIndex, digits: str) -> None:
    """Open the cell's money editor, type the digits, press Enter (as a user does)."""
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    assert isinstance(editor, MoneyEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, digits)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def verified(page: AcceptancePage, row: int, which: int) -> QModelIndex:
    return page.form.lines_model.index(row, AcceptanceLinesModel.FIRST_VERIFIED + which)


def achieved(page: AcceptancePage, outcome: Outcome) -> QModelIndex:
    return page.form.outcome_model.index(list(Outcome).index(outcome), OutcomeModel.COL_ACHIEVED)


def test_staff_records_verified_amounts_and_outcomes(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                     warnings: list[str]) -> None:
    pid = awaiting(sqlite_services, sqlite_people)
    page = open_page(qtbot, sqlite_services, sqlite_people.staff, pid)
    form = page.form
    QAbstractItemModelTester(form.lines_model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    QAbstractItemModelTester(form.outcome_model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert page.status_label.text() == "Chờ nghiệm thu"
    model = form.lines_model
    assert model.data(model.index(0, 2)) == "250.000.000" and model.data(model.index(0, 3)) == "350.000.000"
    assert model.data(model.index(2, 1)) == "Tổng cộng"

    form.held_on.set_date_value(date(2026, 11, 20))
    type_text(form.place, "Tại cơ sở thụ hưởng, xã Gia Vân")
    type_text(form.minutes_number, "15/BB-NT")
    appraisers = sqlite_people.appraisers
    for i in range(2):
        row = form.members.row_widgets(i)
        row.name.setCurrentIndex(row.name.findText(appraisers[i].full_name))
    type_amount(qtbot, form.lines_view, verified(page, 0, 0), "240000000")
    type_amount(qtbot, form.lines_view, verified(page, 0, 1), "350000000")
    type_amount(qtbot, form.lines_view, verified(page, 0, 2), "0")
    type_amount(qtbot, form.outcome_view, achieved(page, Outcome.MACHINES), "2")
    type_amount(qtbot, form.outcome_view, achieved(page, Outcome.JOBS), "6")
    assert model.data(verified(page, 0, 0)) == "240.000.000"
    assert page.has_unsaved_changes()

    # The second line is not filled in: refused naming the line, the cursor on the missing cell, nothing lost.
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert form.banner.text() == ("Dòng 2 (Đào tạo vận hành): chưa nhập đủ kinh phí nghiệm thu (nhập 0 nếu không "
                                  "có).")
    assert form.lines_view.currentIndex() == verified(page, 1, 0) and form.lines_view.hasFocus()
    assert sqlite_services.implementation.finance(sqlite_people.staff, pid).acceptance is None
    assert model.data(verified(page, 0, 0)) == "240.000.000"

    # More than planned: the service refuses and names the line.
    type_amount(qtbot, form.lines_view, verified(page, 1, 0), "12000000")
    type_amount(qtbot, form.lines_view, verified(page, 1, 1), "5000000")
    type_amount(qtbot, form.lines_view, verified(page, 1, 2), "5000000")
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert form.banner.text() == ("Dòng 2 (Đào tạo vận hành): kinh phí khuyến công nghiệm thu 12.000.000 đồng vượt "
                                  "kinh phí được duyệt 10.000.000 đồng. Sửa số liệu hoặc chọn chuyển phần vượt sang "
                                  "kinh phí đối ứng.")
    assert page.message.is_error
    assert sqlite_services.implementation.finance(sqlite_people.staff, pid).acceptance is None
    # Chosen: the 2 million above the approved line are recorded as counterpart, the verified cost kept whole.
    assert form.excess_to_counterpart.isVisible()
    form.excess_to_counterpart.setChecked(True)
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    first = sqlite_services.implementation.finance(sqlite_people.staff, pid).acceptance
    assert first is not None and first.lines[1].verified_support_vnd == 10_000_000
    assert first.lines[1].verified_counterpart_vnd == 7_000_000
    assert not form.excess_to_counterpart.isChecked()  # the choice is made again for each recording
    type_amount(qtbot, form.lines_view, verified(page, 1, 1), "5000000")  # recorded again below, corrected

    type_amount(qtbot, form.lines_view, verified(page, 1, 0), "9500000")
    assert model.data(model.index(2, AcceptanceLinesModel.FIRST_VERIFIED)) == "249.500.000"  # live total
    type_text(form.conclusion, "Đề án hoàn thành đúng nội dung, đạt mục tiêu.")
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)

    finance = sqlite_services.implementation.finance(sqlite_people.staff, pid)
    a = finance.acceptance
    assert a is not None and not a.signed_off
    assert (a.verified_support_vnd, a.verified_counterpart_vnd, a.verified_other_vnd) == (249_500_000, 355_000_000,
                                                                                         5_000_000)
    detail = sqlite_services.proposals.get(sqlite_people.staff, pid)
    assert a.lines == [AcceptanceLineInput(detail.lines[0].id or 0, 240_000_000, 350_000_000, 0),
                       AcceptanceLineInput(detail.lines[1].id or 0, 9_500_000, 5_000_000, 5_000_000)]
    assert {t.indicator: t.achieved_value for t in detail.targets} == {"machines": 2, "jobs": 6}
    assert (a.place, a.minutes_number, a.held_on, a.passed) == ("Tại cơ sở thụ hưởng, xã Gia Vân", "15/BB-NT",
                                                                 date(2026, 11, 20), True)
    assert [(m.full_name, m.role.label, m.user_id) for m in a.members] == [
        (appraisers[0].full_name, "Chủ tịch", appraisers[0].id), (appraisers[1].full_name, "Thư ký", appraisers[1].id)]
    assert page.message.text() == "Đã ghi kết quả nghiệm thu."
    assert not page.has_unsaved_changes()
    assert form.signed_label.text() == "Chưa ký duyệt."
    assert warnings == []


def record(services: Services, people: Actors, pid: int) -> None:
    detail = services.proposals.get(people.staff, pid)
    services.implementation.record_acceptance(
        people.staff, pid, held_on=date(2026, 11, 20), place="Tại cơ sở", passed=True, conclusion="Đạt",
        minutes_number="15/BB-NT", lines=[AcceptanceLineInput(x.id or 0, x.support_vnd, x.counterpart_vnd, x.other_vnd)
                                          for x in detail.lines], achieved={Outcome.MACHINES: 2})


def test_manager_signs_off_and_the_screen_becomes_read_only(qtbot: Any, sqlite_services: Services,
                                                            sqlite_people: Actors, warnings: list[str]) -> None:
    pid = awaiting(sqlite_services, sqlite_people)
    record(sqlite_services, sqlite_people, pid)

    staff_page = open_page(qtbot, sqlite_services, sqlite_people.staff, pid)
    qtbot.mouseClick(staff_page.sign_button, Qt.MouseButton.LeftButton)  # staff may record, not sign off
    refusal = "Vai trò “Cán bộ nghiệp vụ” không được “Ký duyệt nghiệm thu”; chỉ Lãnh đạo được làm việc này."
    assert warnings == [refusal]
    assert staff_page.message.text() == refusal

    page = open_page(qtbot, sqlite_services, sqlite_people.manager, pid)
    form = page.form
    assert form.lines_model.flags(verified(page, 0, 0)) & Qt.ItemFlag.ItemIsEditable
    driver = DialogDriver()

    def sign(dialog: SignOffDialog) -> None:
        assert dialog.ok_button.isEnabled()
        type_text(dialog.note, "Đồng ý kết quả nghiệm thu")
        dialog.ok_button.click()

    driver.with_dialog(sign)
    qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    driver.check()

    assert sqlite_services.proposals.get(sqlite_people.manager, pid).status is Status.ACCEPTED
    a = sqlite_services.implementation.finance(sqlite_people.manager, pid).acceptance
    assert a is not None and a.signed_off and a.signed_off_by == "Phạm Văn Lãnh"
    assert page.status_label.text() == "Đã nghiệm thu"
    assert form.signed_label.text() == "Đã ký duyệt bởi Phạm Văn Lãnh. Số liệu nghiệm thu đã được chốt."
    # Frozen: no input accepts typing, no save button works.
    assert form.place.isReadOnly() and form.minutes_number.isReadOnly() and form.held_on.isReadOnly()
    assert form.conclusion.isReadOnly() and not form.passed.isEnabled()
    assert not form.members.row_widgets(0).name.isEnabled() and form.members.row_widgets(0).title.isReadOnly()
    assert not any(form.lines_model.flags(form.lines_model.index(r, c)) & Qt.ItemFlag.ItemIsEditable
                   for r in range(form.lines_model.rowCount()) for c in range(form.lines_model.columnCount()))
    assert not form.outcome_model.flags(achieved(page, Outcome.JOBS)) & Qt.ItemFlag.ItemIsEditable
    assert not form.copy_button.isVisible()
    assert not page.record_button.isEnabled() and not page.sign_button.isEnabled()
    assert not form.outcome_model.setData(achieved(page, Outcome.JOBS), 9)


def test_copy_planned_and_leaving_with_unsaved_input_asks(qtbot: Any, sqlite_services: Services,
                                                         sqlite_people: Actors, monkeypatch: pytest.MonkeyPatch,
                                                         warnings: list[str]) -> None:
    first = awaiting(sqlite_services, sqlite_people)
    second = awaiting(sqlite_services, sqlite_people)
    page = open_page(qtbot, sqlite_services, sqlite_people.staff, first)
    qtbot.mouseClick(page.form.copy_button, Qt.MouseButton.LeftButton)
    assert page.form.lines_model.totals()[3:] == [260_000_000, 355_000_000, 5_000_000]
    answers = ["cancel", "discard"]
    monkeypatch.setattr(msgbox, "ask_save_changes", lambda _p, _t, title="": answers.pop(0))
    assert not page.select_proposal(second)
    assert page.proposal_id == first and page.has_unsaved_changes()  # "Hủy": stays, figures kept
    assert page.form.lines_model.totals()[3] == 260_000_000
    page.proposals.view.setCurrentIndex(page.proposals.model.index(
        next(i for i, r in enumerate(page.proposals.model.rows()) if r.id == second), 0))
    assert page.proposal_id == second and not page.has_unsaved_changes()  # "Không lưu": moves on
    assert sqlite_services.implementation.finance(sqlite_people.staff, first).acceptance is None


def test_acceptance_dialog_records_from_elsewhere(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                  warnings: list[str]) -> None:
    pid = awaiting(sqlite_services, sqlite_people)
    driver = DialogDriver()

    def fill(dialog: AcceptanceDialog) -> None:
        qtbot.mouseClick(dialog.form.copy_button, Qt.MouseButton.LeftButton)
        type_text(dialog.form.minutes_number, "16/BB-NT")
        dialog.ok_button.click()

    driver.with_dialog(fill)
    assert acceptance_dialog(None, sqlite_services, sqlite_people.staff, pid)
    driver.check()
    a = sqlite_services.implementation.finance(sqlite_people.staff, pid).acceptance
    assert a is not None and a.minutes_number == "16/BB-NT" and a.verified_support_vnd == 260_000_000
