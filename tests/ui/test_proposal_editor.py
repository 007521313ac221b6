"""The proposal editor driven through its real widgets, offscreen: staff drafts, picks a beneficiary, types the budget,
sees the live totals and cap check, saves and submits; refusals show why; the manager approves; errors keep the input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from factories import Actors, advance_to, make_establishment, make_proposal, proposal_input
from PySide6.QtCore import QAbstractItemModel, QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from desktop_app.domain.budget import BudgetLineInput
from desktop_app.domain.enums import Action, DocumentKind, Outcome, ProposalForm, Scope, Status
from desktop_app.services.context import Services
from desktop_app.ui import msgbox, tasks
from desktop_app.ui.proposals import dialogs as proposal_dialogs
from desktop_app.ui.proposals.editor import (
    TAB_ATTACHMENTS,
    TAB_BENEFICIARIES,
    TAB_BUDGET,
    TAB_DOCUMENTS,
    TAB_GENERAL,
    TAB_HISTORY,
    ProposalEditor,
)
from desktop_app.ui.proposals.models import BudgetLinesModel

pytestmark = pytest.mark.gui

SCREENS = Path("/tmp/proposals")


class Messages:
    """What the message boxes would have said; confirmations answer ``answer``."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.infos: list[str] = []
        self.questions: list[str] = []
        self.answer = True
        self.save_answer = "discard"

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(msgbox, "warning", lambda _p, text, title="": self.warnings.append(text))
        monkeypatch.setattr(msgbox, "information", lambda _p, text, title="": self.infos.append(text))
        monkeypatch.setattr(msgbox, "confirm", lambda _p, text, title="": self.questions.append(text) or self.answer)
        monkeypatch.setattr(msgbox, "ask_save_changes",
                            lambda _p, text, title="": self.questions.append(text) or self.save_answer)


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    m = Messages()
    m.install(monkeypatch)
    return m


@pytest.fixture(autouse=True)
def synchronous() -> Iterator[None]:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


def open_editor(qtbot: Any, services: Services, actor: Any, proposal_id: int | None) -> ProposalEditor:
    editor = ProposalEditor(services, actor, proposal_id)
    qtbot.addWidget(editor)
    editor.resize(1280, 800)
    editor.show()
    qtbot.waitExposed(editor)
    activate(qtbot, editor)
    return editor


def activate(qtbot: Any, window: QWidget) -> None:
    """Make ``window`` the active one, so focus and shortcuts behave as on a desktop (also after a dialog)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def when_modal(action: Callable[[QWidget], None], errors: list[BaseException]) -> None:
    """Run ``action`` on the next modal dialog once it is shown (a dialog's ``exec`` blocks the test)."""
    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, run)
            return
        try:
            action(dialog)
        except BaseException as exc:  # re-raised by the test after exec returns
            errors.append(exc)
            dialog.close()

    QTimer.singleShot(0, run)


def type_cell(qtbot: Any, editor: ProposalEditor, row: int, column: int, text: str) -> None:
    """Type into a budget cell with the keyboard: F2 opens the editor, Return commits."""
    table = editor.budget.table
    table.setCurrentIndex(editor.budget.lines.index(row, column))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit), f"no cell editor at ({row}, {column})"
    cell.selectAll()
    type_text(qtbot, cell, text)
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not cell)


def type_text(_qtbot: Any, widget: QWidget | None, text: str) -> None:
    """Type ``text`` key by key (``QTest.keyClicks`` cannot send Vietnamese letters)."""
    assert widget is not None
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def shot(widget: QWidget, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()  # pending layout requests (a label that just grew) before the picture
    widget.grab().save(str(SCREENS / f"{name}.png"))


# --- the staff's main path --------------------------------------------------------------------------------------

def test_staff_drafts_saves_and_submits_through_the_widgets(qtbot: Any, sqlite_services: Services,
                                                            sqlite_people: Actors, messages: Messages) -> None:
    services, staff = sqlite_services, sqlite_people.staff
    make_establishment(services, staff, name="Hợp tác xã Mây tre đan Phú Vinh", tax_code="0101234567")
    editor = open_editor(qtbot, services, staff, None)
    assert editor.heading.text() == "Đề án mới"
    assert not editor.tabs.isTabEnabled(TAB_ATTACHMENTS)

    # Chung: typed with the keyboard; the content found by typing without diacritics
    type_text(qtbot, editor.general.title_edit, "Hỗ trợ máy dệt mây tre tự động cho HTX Phú Vinh")
    editor.general.year_spin.setValue(2026)
    assert editor.general.scope_combo.set_value(Scope.NATIONAL)
    content_line = editor.general.content_combo.lineEdit()
    content_line.selectAll()
    type_text(qtbot, content_line, "ung dung may moc thiet bi")
    content_line.editingFinished.emit()
    assert editor.general.content_combo.code() == "ND45-4.3.d"
    editor.general.start_edit.set_date_value(__import__("datetime").date(2026, 3, 1))
    type_text(qtbot, editor.general.text_edits["objectives"], "Tăng năng suất dệt mây lên gấp đôi")
    type_text(qtbot, editor.general.target_edits[Outcome.JOBS], "12")
    assert editor.dirty and editor.windowTitle().startswith("* ")

    # Cơ sở thụ hưởng: the picker, searched without diacritics, chosen with Enter
    editor.tabs.setCurrentIndex(TAB_BENEFICIARIES)
    errors: list[BaseException] = []

    def pick(dialog: QWidget) -> None:
        assert isinstance(dialog, proposal_dialogs.EstablishmentPickerDialog)
        activate(qtbot, dialog)
        type_text(qtbot, dialog.search, "phu vinh")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # to the list, first row selected
        assert dialog.isVisible() and dialog.model.rowCount() == 1
        assert QApplication.focusWidget() is dialog.table
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # chooses

    when_modal(pick, errors)
    qtbot.mouseClick(editor.beneficiaries.add_button, Qt.MouseButton.LeftButton)
    assert not errors, errors
    assert [b.name for b in editor.beneficiaries.model.rows()] == ["Hợp tác xã Mây tre đan Phú Vinh"]
    activate(qtbot, editor)

    # Dự toán: two lines typed cell by cell; the totals row and the cap check follow live
    editor.tabs.setCurrentIndex(TAB_BUDGET)
    qtbot.mouseClick(editor.budget.add_button, Qt.MouseButton.LeftButton)
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit)  # "Thêm dòng" opens the item cell for typing
    type_text(qtbot, cell, "Máy dệt mây tự động")
    qtbot.keyClick(cell, Qt.Key.Key_Tab)  # Tab commits and opens the next cell
    type_text(qtbot, QApplication.focusWidget(), "máy")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    type_text(qtbot, QApplication.focusWidget(), "2")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    type_text(qtbot, QApplication.focusWidget(), "150.000.000")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not isinstance(QApplication.focusWidget(), QLineEdit))
    line = editor.budget.lines.inputs()[0]
    assert (line.item, line.unit, line.quantity, line.unit_price_vnd) == ("Máy dệt mây tự động", "máy", 2, 150_000_000)
    assert editor.budget.lines.problem(0) is not None  # the split is still empty: the line is red with its reason
    assert editor.budget.lines.data(editor.budget.lines.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None
    assert "khác thành tiền 300.000.000 đồng" in editor.budget.message.text()
    type_cell(qtbot, editor, 0, BudgetLinesModel.COL_SUPPORT, "150000000")
    type_cell(qtbot, editor, 0, BudgetLinesModel.COL_COUNTERPART, "150.000.000")
    assert editor.budget.lines.problem(0) is None and editor.budget.message.isHidden()

    qtbot.mouseClick(editor.budget.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    type_cell(qtbot, editor, 1, BudgetLinesModel.COL_ITEM, "Lắp đặt, chạy thử, chuyển giao kỹ thuật")
    type_cell(qtbot, editor, 1, BudgetLinesModel.COL_UNIT, "gói")
    type_cell(qtbot, editor, 1, BudgetLinesModel.COL_QUANTITY, "1")
    type_cell(qtbot, editor, 1, BudgetLinesModel.COL_UNIT_PRICE, "40.000.000")
    type_cell(qtbot, editor, 1, BudgetLinesModel.COL_SUPPORT, "20.000.000")
    type_cell(qtbot, editor, 1, BudgetLinesModel.COL_COUNTERPART, "20.000.000")

    totals_row = editor.budget.lines.line_count()
    text = lambda col: editor.budget.lines.index(totals_row, col).data()  # noqa: E731
    assert text(BudgetLinesModel.COL_ITEM) == "Tổng cộng"
    assert text(BudgetLinesModel.COL_AMOUNT) == "340.000.000"
    assert text(BudgetLinesModel.COL_SUPPORT) == "170.000.000"
    assert text(BudgetLinesModel.COL_COUNTERPART) == "170.000.000"
    assert "Tổng kinh phí: <b>340.000.000</b>" in editor.budget.totals_label.text()
    qtbot.waitUntil(lambda: "170.000.000" in editor.budget.cap_label.text())
    cap = editor.budget.cap_label.text()
    assert "trong mức hỗ trợ tối đa 170.000.000 đồng" in cap  # 50 % of 340 million, under the 300 million cap
    assert "Căn cứ: Điều 8 Thông tư 28/2018/TT-BTC." in cap
    assert "Mức hỗ trợ tối đa được phép: 170.000.000 đồng." in cap
    shot(editor, "editor-budget-new")

    # Ctrl+S saves; the code is numbered; the other tabs open up
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.detail is not None, messages.warnings
    d = editor.detail
    assert d.status is Status.DRAFT and d.code == "KCQG-2026-0001"
    assert not editor.dirty and editor.general.code_edit.isReadOnly()
    assert editor.tabs.isTabEnabled(TAB_ATTACHMENTS)
    stored = services.proposals.get(staff, d.id)
    assert stored.title == "Hỗ trợ máy dệt mây tre tự động cho HTX Phú Vinh"
    assert stored.data.objectives == "Tăng năng suất dệt mây lên gấp đôi"
    assert (stored.total_vnd, stored.support_vnd, stored.counterpart_vnd) == (340_000_000, 170_000_000, 170_000_000)
    assert [t.planned_value for t in stored.targets if t.indicator == Outcome.JOBS.value] == [12]
    assert [b.name for b in stored.beneficiaries] == ["Hợp tác xã Mây tre đan Phú Vinh"]

    # Nộp đề án: confirmed, then the draft becomes read-only
    submit = editor.action_bar.buttons[Action.SUBMIT]
    assert submit.isEnabled()
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    assert any("Nộp đề án “KCQG-2026-0001” để thẩm định?" in q for q in messages.questions)
    assert editor.detail.status is Status.SUBMITTED
    assert services.proposals.get(staff, d.id).status is Status.SUBMITTED
    assert editor.general.title_edit.isReadOnly() and not editor.save_button.isEnabled()
    assert "chỉ sửa được khi ở trạng thái “Dự thảo”" in editor.status_label.text()
    assert not editor.budget.lines.flags(editor.budget.lines.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not editor.attachments.add_button.isEnabled()
    editor.tabs.setCurrentIndex(TAB_HISTORY)
    texts = [h.text for h in editor.history.model.rows()]
    assert any("Nộp đề án → Chờ thẩm định" in t for t in texts)


def test_register_a_new_establishment_from_the_picker(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                      messages: Messages) -> None:
    """A beneficiary not yet registered: "Đăng ký cơ sở mới…" in the picker registers and chooses it."""
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, None)
    errors: list[BaseException] = []

    def register(dialog: QWidget) -> None:
        from desktop_app.domain.enums import LegalForm

        def fill(form: QWidget) -> None:
            type_text(qtbot, form.name, "Hộ kinh doanh Gốm Bát Tràng Mới")  # type: ignore[attr-defined]
            form.legal_form.set_value(LegalForm.HOUSEHOLD)  # type: ignore[attr-defined]
            form.place.set_codes("37", None)  # type: ignore[attr-defined]
            qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]

        when_modal(fill, errors)
        qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]

    when_modal(register, errors)
    editor.beneficiaries.pick()
    assert not errors, errors
    assert [b.name for b in editor.beneficiaries.model.rows()] == ["Hộ kinh doanh Gốm Bát Tràng Mới"]


# --- refusals show why --------------------------------------------------------------------------------------------

def test_staff_sees_approve_and_return_disabled_with_the_reason(qtbot: Any, sqlite_services: Services,
                                                                sqlite_people: Actors, messages: Messages) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, d.id, Status.APPRAISED)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    approve, back = editor.action_bar.buttons[Action.APPROVE], editor.action_bar.buttons[Action.RETURN]
    assert not approve.isEnabled() and not back.isEnabled()
    assert approve.toolTip() == ("Vai trò “Cán bộ nghiệp vụ” không được “Phê duyệt”; chỉ Lãnh đạo được làm việc "
                                 "này.")
    assert back.toolTip().startswith("Vai trò “Cán bộ nghiệp vụ” không được “Trả lại để chỉnh sửa”")
    assert editor.action_bar.why_button.isVisible()
    editor.action_bar.why_button.click()
    assert "Phê duyệt: Vai trò “Cán bộ nghiệp vụ” không được “Phê duyệt”" in messages.infos[-1]
    # read-only outside the draft state
    assert editor.general.title_edit.isReadOnly() and not editor.general.content_combo.isEnabled()
    shot(editor, "editor-refused-actions")


def test_over_the_cap_cannot_be_submitted_and_says_which_rule(qtbot: Any, sqlite_services: Services,
                                                              sqlite_people: Actors, messages: Messages) -> None:
    staff = sqlite_people.staff
    lines = [BudgetLineInput("Dây chuyền dệt", "dây chuyền", Decimal(1), 800_000_000, 400_000_000, 400_000_000)]
    d = make_proposal(sqlite_services, staff, scope=Scope.NATIONAL, lines=lines)
    editor = open_editor(qtbot, sqlite_services, staff, d.id)
    cap = editor.budget.cap_label.text()
    assert "Kinh phí khuyến công 400.000.000 đồng vượt mức hỗ trợ tối đa 300.000.000 đồng" in cap
    assert "Căn cứ: Điều 8 Thông tư 28/2018/TT-BTC." in cap and "#b3261e" in editor.budget.cap_label.styleSheet()
    submit = editor.action_bar.buttons[Action.SUBMIT]
    assert not submit.isEnabled()
    assert "vượt mức hỗ trợ tối đa 300.000.000 đồng" in submit.toolTip()
    assert "Điều 8 Thông tư 28/2018/TT-BTC" in submit.toolTip()
    # even when asked directly (a stale button), the refusal is shown and nothing changes
    assert editor.run_action(Action.SUBMIT) is False
    assert "Điều 8 Thông tư 28/2018/TT-BTC" in messages.warnings[-1]
    assert sqlite_services.proposals.get(staff, d.id).status is Status.DRAFT

    # lowering the support to the cap makes it submittable, live and after saving
    editor.tabs.setCurrentIndex(TAB_BUDGET)
    type_cell(qtbot, editor, 0, BudgetLinesModel.COL_SUPPORT, "300.000.000")
    type_cell(qtbot, editor, 0, BudgetLinesModel.COL_COUNTERPART, "500.000.000")
    editor.update_cap()
    assert "trong mức hỗ trợ tối đa 300.000.000 đồng" in editor.budget.cap_label.text()
    assert editor.save()
    assert editor.action_bar.buttons[Action.SUBMIT].isEnabled()


# --- the manager ----------------------------------------------------------------------------------------------

def test_a_missing_cap_is_an_amber_warning_with_an_icon(qtbot: Any, sqlite_services: Services,
                                                        sqlite_people: Actors, messages: Messages) -> None:
    staff = sqlite_people.staff
    d = make_proposal(sqlite_services, staff, scope=Scope.LOCAL, content_code="ND45-4.1")  # no rule at all
    editor = open_editor(qtbot, sqlite_services, staff, d.id)
    assert "chưa kiểm tra được mức trần" in editor.budget.cap_label.text()
    assert "#8a5a00" in editor.budget.cap_label.styleSheet()  # amber, not the green of a pass
    assert editor.budget.cap_label.icon_kind is proposal_dialogs.QStyle.StandardPixmap.SP_MessageBoxWarning
    editor.tabs.setCurrentIndex(TAB_BUDGET)
    shot(editor, "editor-cap-missing")
    # A content with a national rule only: the local proposal is checked against it, and says so.
    editor.tabs.setCurrentIndex(0)
    assert editor.general.content_combo.set_code("ND45-4.3.d")
    editor.update_cap()
    assert "kiểm tra theo mức khuyến công quốc gia" in editor.budget.cap_label.text()
    assert "#1b6e20" in editor.budget.cap_label.styleSheet()


def test_manager_approves_through_the_approve_dialog(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                     messages: Messages) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, d.id, Status.APPRAISED)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.manager, d.id)
    approve = editor.action_bar.buttons[Action.APPROVE]
    assert approve.isEnabled()
    seen: dict[str, Any] = {}
    errors: list[BaseException] = []

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, proposal_dialogs.ApproveDialog)
        activate(qtbot, dialog)
        assert dialog.amount.value() == 250_000_000  # default: the support requested
        assert "Bằng chữ: Hai trăm năm mươi triệu đồng." == dialog.words.text()
        seen["cap"] = dialog.cap_label.text()
        # OK with no decision number: the dialog stays, names the field and puts the cursor there
        qtbot.keyClick(dialog.fields.widget("signer"), Qt.Key.Key_Return)
        assert dialog.isVisible()
        assert dialog.fields.errors() == {"decision_number": "Chưa nhập số quyết định phê duyệt."}
        assert QApplication.focusWidget() is dialog.fields.widget("decision_number")
        # more than requested: the service refuses, beside the amount
        type_text(qtbot, dialog.fields.widget("decision_number"), "45/QĐ-SCT")
        dialog.amount.setValue(260_000_000)
        dialog.accept()
        assert dialog.isVisible()
        seen["amount_error"] = dialog.fields.errors().get("approved_support_vnd", "")
        dialog.amount.setValue(240_000_000)
        qtbot.keyClick(dialog.fields.widget("decision_number"), Qt.Key.Key_Return)  # Enter = Phê duyệt

    when_modal(fill, errors)
    qtbot.mouseClick(approve, Qt.MouseButton.LeftButton)
    assert not errors, errors
    assert "Kinh phí phê duyệt 260.000.000 đồng vượt kinh phí đề nghị 250.000.000 đồng." == seen["amount_error"]
    assert "Kinh phí khuyến công 250.000.000 đồng trong mức hỗ trợ tối đa 300.000.000 đồng" in seen["cap"]
    assert "Căn cứ: Điều 8 Thông tư 28/2018/TT-BTC." in seen["cap"]
    assert editor.detail is not None and editor.detail.status is Status.APPROVED
    assert editor.detail.approved_support_vnd == 240_000_000 and editor.detail.approval_number == "45/QĐ-SCT"
    assert "Kinh phí phê duyệt: 240.000.000 đồng (QĐ số 45/QĐ-SCT)" in editor.status_label.text()
    assert set(editor.action_bar.buttons) == {Action.SIGN_CONTRACT, Action.STOP}


def test_manager_returns_with_a_reason_and_cancel_needs_one(qtbot: Any, sqlite_services: Services,
                                                            sqlite_people: Actors, messages: Messages) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, d.id, Status.SUBMITTED)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.manager, d.id)
    errors: list[BaseException] = []

    def give_reason(dialog: QWidget) -> None:
        activate(qtbot, dialog)
        reason = dialog.fields.widget("reason")  # type: ignore[attr-defined]
        dialog.accept()  # type: ignore[attr-defined]
        assert dialog.isVisible() and dialog.fields.errors() == {"reason": "Chưa nhập lý do."}  # type: ignore
        type_text(qtbot, reason, "Thiếu báo giá máy móc")
        qtbot.keyClick(reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter confirms

    when_modal(give_reason, errors)
    assert editor.run_action(Action.RETURN)
    assert not errors, errors
    assert editor.detail is not None and editor.detail.status is Status.DRAFT
    assert any("Ghi chú: Thiếu báo giá máy móc" in h.text for h in editor.history.model.rows())


# --- errors keep the input ------------------------------------------------------------------------------------

def test_validation_error_names_the_field_and_focuses_it(qtbot: Any, sqlite_services: Services,
                                                         sqlite_people: Actors, messages: Messages) -> None:
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, None)
    editor.general.content_combo.set_code("ND45-4.3.d")
    editor.tabs.setCurrentIndex(TAB_BUDGET)
    assert editor.save() is False
    assert editor.tabs.currentIndex() == TAB_GENERAL
    assert editor.general.fields.errors() == {"title": "Chưa nhập tên đề án."}
    assert QApplication.focusWidget() is editor.general.title_edit
    shot(editor, "editor-validation-error")

    # a line whose split does not add up: the budget tab, the line and the column named
    type_text(qtbot, editor.general.title_edit, "Đề án thử")
    assert editor.general.fields.errors() == {}  # the message goes as soon as the title is typed
    editor.budget.lines.set_lines([BudgetLineInput("Máy", "cái", Decimal(1), 100, 30, 30)])
    assert editor.save() is False
    assert editor.tabs.currentIndex() == TAB_BUDGET
    assert "Dòng dự toán 1: khuyến công + đối ứng + khác = 60 đồng, khác thành tiền 100 đồng" in \
        editor.budget.message.text()
    assert editor.budget.table.currentIndex().column() == BudgetLinesModel.COL_SUPPORT
    assert QApplication.focusWidget() is editor.budget.table
    assert editor.general.title_edit.text() == "Đề án thử" and editor.detail is None  # nothing typed was lost

    # a group of several establishments on a single proposal: the beneficiaries tab
    editor.budget.lines.set_lines([BudgetLineInput("Máy", "cái", Decimal(1), 100, 50, 50)])
    ids = [make_establishment(sqlite_services, sqlite_people.staff) for _ in range(2)]
    rows = sqlite_services.establishments.search(sqlite_people.staff, __import__(
        "desktop_app.services.dto", fromlist=["EstablishmentFilter"]).EstablishmentFilter()).rows
    editor.general.form_combo.set_value(ProposalForm.GROUP)
    editor.beneficiaries.add([r for r in rows if r.id in ids])
    editor.general.form_combo.set_value(ProposalForm.SINGLE)
    assert editor.save() is False
    assert editor.tabs.currentIndex() == TAB_BENEFICIARIES
    assert "Đề án đơn lẻ chỉ có một cơ sở thụ hưởng" in editor.beneficiaries.message.text()


def test_every_general_error_at_once(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                     messages: Messages) -> None:
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, None)
    editor.general.content_combo.set_code(None)
    assert editor.save() is False
    errors = editor.general.fields.errors()
    assert errors["title"] == "Chưa nhập tên đề án."
    assert errors["content_code"] == "Chưa chọn nội dung hoạt động khuyến công."
    assert QApplication.focusWidget() is editor.general.title_edit
    type_text(qtbot, editor.general.title_edit, "Đề án thử")
    assert set(editor.general.fields.errors()) == {"content_code"}  # each message goes as its field is corrected
    editor.general.content_combo.set_code("ND45-4.3.d")
    assert editor.general.fields.errors() == {}


def test_end_before_start_is_shown_under_the_dates(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                   messages: Messages) -> None:
    import datetime

    d = make_proposal(sqlite_services, sqlite_people.staff)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    editor.general.end_edit.set_date_value(datetime.date(2026, 1, 1))
    assert editor.save() is False
    assert "start_date" in editor.general.fields.errors()
    assert QApplication.focusWidget() is editor.general.end_edit


def test_conflict_offers_to_reload_and_keeps_what_was_typed(qtbot: Any, sqlite_services: Services,
                                                            sqlite_people: Actors, messages: Messages) -> None:
    staff, manager = sqlite_people.staff, sqlite_people.manager
    d = make_proposal(sqlite_services, staff)
    editor = open_editor(qtbot, sqlite_services, staff, d.id)
    # someone else saves meanwhile
    other = sqlite_services.proposals.get(manager, d.id)
    sqlite_services.proposals.save(manager, d.id, other.version, proposal_input(title="Tên do lãnh đạo sửa"),
                                   [BudgetLineInput(x.item, x.unit, x.quantity, x.unit_price_vnd, x.support_vnd,
                                                    x.counterpart_vnd, x.other_vnd) for x in other.lines],
                                   [b.establishment_id for b in other.beneficiaries])
    editor.general.title_edit.setText("Tên do cán bộ nhập")
    assert editor.save() is False
    assert "vừa được người khác thay đổi" in messages.questions[-1]
    assert editor.general.title_edit.text() == "Tên do cán bộ nhập" and editor.dirty
    assert editor.detail is not None and editor.detail.version > d.version
    assert editor.save() is True  # the typed value now overwrites, knowingly
    assert sqlite_services.proposals.get(staff, d.id).title == "Tên do cán bộ nhập"


def test_unexpected_error_shows_the_crash_dialog_and_keeps_the_input(qtbot: Any, sqlite_services: Services,
                                                                     sqlite_people: Actors, messages: Messages,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.ui.proposals import editor as editor_module

    d = make_proposal(sqlite_services, sqlite_people.staff)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    shown: list[BaseException] = []
    monkeypatch.setattr(editor_module, "show_error", lambda _p, exc, tb="": shown.append(exc))

    def broken(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("ổ đĩa đầy")

    monkeypatch.setattr(sqlite_services.proposals, "save", broken)
    editor.general.title_edit.setText("Giữ nguyên")
    assert editor.save() is False
    assert [str(e) for e in shown] == ["ổ đĩa đầy"]
    assert editor.general.title_edit.text() == "Giữ nguyên" and editor.dirty


def test_unsaved_changes_prompt_on_close(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                         messages: Messages) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    type_text(qtbot, editor.general.title_edit, " (bổ sung)")
    messages.save_answer = "cancel"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.isVisible() and "Lưu trước khi đóng?" in messages.questions[-1]
    messages.save_answer = "save"
    editor.reject()
    assert not editor.isVisible()
    assert sqlite_services.proposals.get(sqlite_people.staff, d.id).title.endswith("(bổ sung)")


# --- attachments, history, documents ---------------------------------------------------------------------------

def test_attachments_add_open_and_remove_while_draft(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                     messages: Messages, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.ui.proposals.tabs import attachments as attachments_module

    d = make_proposal(sqlite_services, sqlite_people.staff)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    editor.tabs.setCurrentIndex(TAB_ATTACHMENTS)
    quote = tmp_path / "Báo giá máy dệt.pdf"
    quote.write_bytes(b"%PDF-1.4 bao gia")
    editor.attachments.add_files([quote])
    assert [a.filename for a in editor.attachments.model.rows()] == ["Báo giá máy dệt.pdf"]
    assert editor.attachments.model.index(0, 1).data() == "16 byte"

    opened: list[str] = []
    monkeypatch.setattr(attachments_module.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    editor.attachments.table.setFocus()
    editor.attachments.table.selectRow(0)
    qtbot.keyClick(editor.attachments.table, Qt.Key.Key_Return)
    assert len(opened) == 1 and Path(opened[0]).name == "Báo giá máy dệt.pdf"
    assert Path(opened[0]).read_bytes() == b"%PDF-1.4 bao gia"
    shot(editor, "editor-attachments")

    qtbot.keyClick(editor.attachments.table, Qt.Key.Key_Delete)
    assert "Xóa tệp “Báo giá máy dệt.pdf” khỏi đề án?" in messages.questions[-1]
    assert editor.attachments.model.rowCount() == 0
    assert sqlite_services.proposals.attachments(sqlite_people.staff, d.id) == []

    # once submitted: still open-able, no longer removable, and the buttons say why
    editor.attachments.add_files([quote])
    sqlite_services.proposals.submit(sqlite_people.staff, d.id, sqlite_services.proposals.get(
        sqlite_people.staff, d.id).version)
    editor.load(d.id)
    editor.attachments.table.selectRow(0)
    assert editor.attachments.open_button.isEnabled()
    assert not editor.attachments.add_button.isEnabled() and not editor.attachments.remove_button.isEnabled()
    assert "Chỉ xóa tệp khi đề án ở trạng thái “Dự thảo”" in editor.attachments.remove_button.toolTip()


def test_documents_tab_previews_and_saves(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                          messages: Messages, tmp_path: Path) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    editor.tabs.setCurrentIndex(TAB_DOCUMENTS)
    options = editor.documents.model.rows()
    assert options[0].kind is DocumentKind.PROPOSAL and options[0].enabled
    decision = next(i for i, o in enumerate(options) if o.kind is DocumentKind.DECISION)
    editor.documents.table.selectRow(decision)
    assert not editor.documents.view_button.isEnabled()
    assert editor.documents.reason.text().endswith(": Đề án chưa được phê duyệt.")
    assert editor.documents.model.index(decision, 1).data() == "Đề án chưa được phê duyệt."
    assert editor.documents.view_button.toolTip() == "Đề án chưa được phê duyệt."

    editor.documents.table.selectRow(0)
    editor.documents.table.setFocus()
    qtbot.keyClick(editor.documents.table, Qt.Key.Key_Return)  # Enter = Xem
    assert editor.documents.preview is not None and editor.documents.preview.isVisible()
    assert editor.documents.preview.document.pageCount() >= 1
    assert editor.documents.preview.windowTitle() == f"{options[0].label} – {d.code}"
    saved = editor.documents.preview.save(str(tmp_path / "de-an.pdf"))
    assert saved and Path(saved).read_bytes().startswith(b"%PDF")
    editor.documents.preview.resize(1280, 800)
    editor.documents.preview.grab()  # the first paint asks for the pages, which are rendered on a worker thread
    qtbot.wait(800)
    shot(editor.documents.preview, "editor-document-preview")
    editor.documents.save_zip(str(tmp_path / "ho-so.zip"))
    assert (tmp_path / "ho-so.zip").read_bytes().startswith(b"PK")
    shot(editor, "editor-documents")


def test_appraiser_reads_but_cannot_edit(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                         messages: Messages) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, d.id, Status.APPRAISING)  # he reads only what he sits on
    editor = open_editor(qtbot, sqlite_services, sqlite_people.appraisers[0], d.id)
    assert editor.general.title_edit.isReadOnly() and not editor.save_button.isEnabled()
    assert "Chỉ cán bộ nghiệp vụ hoặc lãnh đạo được lập và sửa đề án." in editor.status_label.text()
    assert all(not b.isEnabled() for b in editor.action_bar.buttons.values())
    assert editor.save() is False and messages.warnings


def test_read_only_fields_look_read_only(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                         messages: Messages) -> None:
    from PySide6.QtGui import QColor

    from desktop_app.ui.app import application

    application()  # the application's style sheet greys read-only fields
    d = make_proposal(sqlite_services, sqlite_people.staff)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)

    def background(widget: QWidget) -> QColor:
        image = widget.grab().toImage()
        return image.pixelColor(image.width() - 6, image.height() // 2)

    assert background(editor.general.title_edit) == QColor("white")  # a draft: typed in
    assert editor.run_action(Action.SUBMIT)  # now read-only while the window stays open
    assert editor.general.title_edit.isReadOnly() and editor.general.start_edit.isReadOnly()
    for field in (editor.general.title_edit, editor.general.start_edit, editor.general.implementing_edit):
        assert background(field) == QColor("#eceff3"), field.objectName()
    shot(editor, "editor-read-only")


def test_screenshots_of_every_tab(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                  messages: Messages) -> None:
    """Not an assertion of looks: the PNGs are for a person to look at (1280×800)."""
    d = make_proposal(sqlite_services, sqlite_people.staff)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    names = ["general", "beneficiaries", "budget", "attachments", "history", "documents"]
    for index, name in enumerate(names):
        editor.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        assert editor.tabs.currentIndex() == index
        shot(editor, f"tab-{name}")
    assert len(names) == editor.tabs.count()


# --- models -----------------------------------------------------------------------------------------------------

def test_budget_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = BudgetLinesModel()
    model.set_lines([BudgetLineInput("Máy", "cái", Decimal("2.5"), 1_000_000, 1_500_000, 1_000_000)])
    qtmodeltester.check(model)
    row = model.insert_line()
    assert model.setData(model.index(row, BudgetLinesModel.COL_ITEM), "  Vận   chuyển ")
    assert model.setData(model.index(row, BudgetLinesModel.COL_QUANTITY), "1.000,5")
    assert model.setData(model.index(row, BudgetLinesModel.COL_UNIT_PRICE), "2.000")
    assert not model.setData(model.index(row, BudgetLinesModel.COL_AMOUNT), "1")  # derived, not typed
    assert not model.setData(model.index(row + 1, BudgetLinesModel.COL_ITEM), "x")  # the totals row
    assert model.index(0, BudgetLinesModel.COL_QUANTITY).data() == "2,5"
    assert model.index(row, BudgetLinesModel.COL_ITEM).data() == "Vận chuyển"
    assert model.index(row, BudgetLinesModel.COL_AMOUNT).data() == "2.001.000"
    assert model.index(row + 1, BudgetLinesModel.COL_SUPPORT).data() == "1.500.000"
    qtmodeltester.check(model)
    model.remove_line(0)
    assert model.rowCount() == 2
    model.set_read_only(True)
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    qtmodeltester.check(model)


def test_list_models_pass_the_model_tester(qtmodeltester: Any, sqlite_services: Services,
                                           sqlite_people: Actors) -> None:
    from desktop_app.ui.proposals.models import beneficiary_model, history_model

    d = make_proposal(sqlite_services, sqlite_people.staff)
    models: list[QAbstractItemModel] = []
    b = beneficiary_model()
    b.set_rows(d.beneficiaries)
    h = history_model()
    h.set_rows(sqlite_services.proposals.history(sqlite_people.staff, d.id))
    models += [b, h]
    for m in models:
        qtmodeltester.check(m)
    texts = [h.index(r, 3).data() for r in range(h.rowCount())]
    # One row for the creation, by the user's full name, not four field rows under a login name.
    assert texts == ["Tạo đề án KCDP-2026-0001 (Khuyến công địa phương, năm 2026): Hỗ trợ ứng dụng máy móc thiết "
                     "bị tiên tiến trong sản xuất hàng mây tre đan → Dự thảo"]
    assert [h.index(r, 1).data() for r in range(h.rowCount())] == ["Lê Thị Cán Bộ"]
    assert b.index(0, 0).data().startswith("Hợp tác xã Mây tre đan Hưng Thịnh")


# --- the steps owned by the appraisal and finance screens --------------------------------------------------------

def test_open_council_is_offered_to_staff_and_opens_the_appraisal_dialog(
        qtbot: Any, sqlite_services: Services, sqlite_people: Actors, messages: Messages,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.ui.appraisal import dialogs as appraisal_dialogs

    d = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, d.id, Status.SUBMITTED)
    calls: list[tuple[Any, ...]] = []

    def fake_open(parent: Any, services: Services, actor: Any, proposal_id: int) -> bool:
        calls.append((parent, actor, proposal_id))
        advance_to(services, sqlite_people, proposal_id, Status.APPRAISING)  # what the real dialog saves
        return True

    monkeypatch.setattr(appraisal_dialogs, "open_council_dialog", fake_open)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    button = editor.action_bar.buttons[Action.OPEN_COUNCIL]
    assert button.isEnabled(), button.toolTip()  # the members are chosen in the dialog, not before
    changed: list[int] = []
    editor.proposal_changed.connect(changed.append)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert calls == [(editor, sqlite_people.staff, d.id)]
    assert editor.detail is not None and editor.detail.status is Status.APPRAISING and changed == [d.id]
    # concluding is for the manager: staff sees it disabled with the reason
    assert not editor.action_bar.buttons[Action.PASS_APPRAISAL].isEnabled()
    assert "Lãnh đạo" in editor.action_bar.buttons[Action.PASS_APPRAISAL].toolTip()


def test_manager_signs_off_acceptance_through_the_finance_dialog(qtbot: Any, sqlite_services: Services,
                                                                 sqlite_people: Actors, messages: Messages) -> None:
    from datetime import date

    from desktop_app.services.dto import AcceptanceLineInput

    s, staff = sqlite_services, sqlite_people.staff
    d = make_proposal(s, staff)
    d = advance_to(s, sqlite_people, d.id, Status.AWAITING_ACCEPTANCE)
    editor = open_editor(qtbot, s, sqlite_people.manager, d.id)
    accept = editor.action_bar.buttons[Action.ACCEPT]
    assert not accept.isEnabled() and accept.toolTip() == "Chưa ghi nhận kết quả nghiệm thu."
    assert editor.action_bar.records_button.isVisible()  # the acceptance result is recorded from the records menu
    s.implementation.record_acceptance(staff, d.id, held_on=date(2026, 11, 20), place="Tại cơ sở", passed=True,
                                       conclusion="Đạt", minutes_number="15/BB-NT",
                                       lines=[AcceptanceLineInput(x.id or 0, x.support_vnd, x.counterpart_vnd,
                                                                  x.other_vnd) for x in d.lines],
                                       achieved={Outcome.MACHINES: 2})
    editor.load(d.id)
    accept = editor.action_bar.buttons[Action.ACCEPT]
    assert accept.isEnabled()
    errors: list[BaseException] = []

    def sign(dialog: QWidget) -> None:
        assert dialog.windowTitle() == "Ký duyệt kết quả nghiệm thu"
        dialog.ok_button.click()  # type: ignore[attr-defined]

    when_modal(sign, errors)
    qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
    assert not errors, errors
    assert editor.detail is not None and editor.detail.status is Status.ACCEPTED
    assert set(editor.action_bar.buttons) == {Action.SETTLE}
    assert "Chưa lập biên bản thanh lý hợp đồng." == editor.action_bar.buttons[Action.SETTLE].toolTip()


def test_records_menu_opens_the_finance_dialogs(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                messages: Messages, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.domain.enums import DisbursementKind
    from desktop_app.ui.finance import dialogs as finance_dialogs

    d = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, d.id, Status.IN_PROGRESS)
    calls: list[tuple[str, Any]] = []
    for name in ("disbursement_dialog", "progress_dialog", "acceptance_dialog", "liquidation_dialog"):
        monkeypatch.setattr(finance_dialogs, name, lambda _p, _s, _a, pid, *rest, n=name: calls.append(
            (n, rest[0] if rest else None)) or False)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    assert editor.action_bar.records_button.isVisible() and editor.action_bar.records_button.isEnabled()
    menu = editor.action_bar.records_button.menu()
    assert [a.text() for a in menu.actions()] == ["Tạm ứng…", "Thanh toán…", "Báo cáo tiến độ…",
                                                  "Ghi kết quả nghiệm thu…", "Thanh lý hợp đồng…"]
    for action in menu.actions():
        action.trigger()
    assert calls == [("disbursement_dialog", DisbursementKind.ADVANCE), ("disbursement_dialog",
                                                                       DisbursementKind.PAYMENT),
                     ("progress_dialog", None), ("acceptance_dialog", None), ("liquidation_dialog", None)]
    assert Action.REPORT_COMPLETION in editor.action_bar.buttons and Action.STOP in editor.action_bar.buttons
    assert not editor.action_bar.buttons[Action.STOP].isEnabled()  # staff may not stop; the manager may


def test_tab_order_of_the_general_tab_follows_the_form(qtbot: Any, sqlite_services: Services,
                                                       sqlite_people: Actors, messages: Messages) -> None:
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, None)
    general = editor.general
    general.code_edit.setFocus()
    expected = [general.title_edit, general.year_spin, general.scope_combo, general.form_combo, general.content_combo,
                general.sector_combo, general.implementing_edit, general.partner_edit, general.place.province,
                general.place.commune]
    reached = []
    for _ in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        # an editable combo box or spin box hands the focus to its line edit
        owner = focused.parentWidget() if isinstance(focused, QLineEdit) and focused.parentWidget() in expected \
            else focused
        reached.append(owner)
    assert reached == expected


def test_a_cell_still_being_typed_in_is_saved_by_ctrl_s(qtbot: Any, sqlite_services: Services,
                                                        sqlite_people: Actors, messages: Messages) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    editor.tabs.setCurrentIndex(TAB_BUDGET)
    editor.budget.table.setCurrentIndex(editor.budget.lines.index(0, BudgetLinesModel.COL_ITEM))
    editor.budget.table.setFocus()
    qtbot.keyClick(editor.budget.table, Qt.Key.Key_F2)
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit)
    cell.selectAll()
    type_text(qtbot, cell, "Máy dệt kiếm hiện đại")
    qtbot.keyClick(cell, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # no Enter, no Tab first
    assert not editor.dirty
    assert sqlite_services.proposals.get(sqlite_people.staff, d.id).lines[0].item == "Máy dệt kiếm hiện đại"


def test_approve_dialog_spreads_the_amount_or_takes_it_line_by_line(qtbot: Any, sqlite_services: Services,
                                                                    sqlite_people: Actors) -> None:
    from PySide6.QtTest import QTest

    lines = [BudgetLineInput("Máy dệt", "máy", Decimal(2), 200_000_000, 200_000_000, 200_000_000),
             BudgetLineInput("Chuyển giao kỹ thuật", "gói", Decimal(1), 100_000_000, 50_000_000, 50_000_000)]
    d = make_proposal(sqlite_services, sqlite_people.staff, lines=lines)
    d = advance_to(sqlite_services, sqlite_people, d.id, Status.APPRAISED)
    submitted: list[dict[str, Any]] = []

    def submit(v: dict[str, Any]) -> Any:
        submitted.append(v)
        return sqlite_services.proposals.approve(sqlite_people.manager, d.id, d.version, v["approved_support_vnd"],
                                                 v["decision_number"], v["decision_date"],
                                                 line_support_vnd=v["line_support_vnd"])

    dialog = proposal_dialogs.ApproveDialog(None, d, "Trần Văn Giám", submit)
    qtbot.addWidget(dialog)
    dialog.show()
    # 200 of the 250 million requested, spread in proportion: 160 + 40 million
    dialog.amount.setValue(200_000_000)
    assert [e.value() for e in dialog.line_edits] == [160_000_000, 40_000_000]
    assert not dialog.line_edits[0].isEnabled()
    shot(dialog, "phe-duyet-theo-ty-le")
    # line by line: the manager takes the whole cut from the transfer line; the total follows the lines
    dialog.by_line.setChecked(True)
    assert dialog.line_edits[1].isEnabled() and not dialog.amount.isEnabled()
    dialog.line_edits[0].selectAll()
    QTest.keyClicks(dialog.line_edits[0], "200000000")
    dialog.line_edits[1].selectAll()
    QTest.keyClicks(dialog.line_edits[1], "0")
    assert dialog.amount.value() == 200_000_000
    shot(dialog, "phe-duyet-theo-dong")
    dialog.fields.widget("decision_number").setText("45/QĐ-SCT")  # type: ignore[union-attr]
    dialog.accept()
    assert submitted and submitted[-1]["line_support_vnd"] == [200_000_000, 0]
    approved = sqlite_services.proposals.get(sqlite_people.staff, d.id)
    assert [x.approved.support_vnd for x in approved.lines if x.approved] == [200_000_000, 0]
    assert approved.lines[1].approved is not None and approved.lines[1].approved.counterpart_vnd == 100_000_000
    assert approved.approved_support_vnd == 200_000_000


def test_budget_tab_shows_the_approved_budget_once_approved(qtbot: Any, sqlite_services: Services,
                                                           sqlite_people: Actors) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    assert editor.budget.table.isColumnHidden(BudgetLinesModel.COL_APPROVED)  # a draft has no approved budget
    editor.close()
    d = advance_to(sqlite_services, sqlite_people, d.id, Status.APPRAISED)
    sqlite_services.proposals.approve(sqlite_people.manager, d.id, d.version, 200_000_000, "45/QĐ-SCT",
                                      date(2026, 6, 1))
    editor = open_editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    model = editor.budget.lines
    assert not editor.budget.table.isColumnHidden(BudgetLinesModel.COL_APPROVED)
    assert model.headerData(BudgetLinesModel.COL_APPROVED, Qt.Orientation.Horizontal) == "Khuyến công được duyệt"
    assert model.data(model.index(0, BudgetLinesModel.COL_APPROVED)) == "200.000.000"
    assert model.data(model.index(model.line_count(), BudgetLinesModel.COL_APPROVED)) == "200.000.000"
    assert model.data(model.index(0, BudgetLinesModel.COL_SUPPORT)) == "250.000.000"  # the request stays shown
    assert not model.flags(model.index(0, BudgetLinesModel.COL_APPROVED)) & Qt.ItemFlag.ItemIsEditable
