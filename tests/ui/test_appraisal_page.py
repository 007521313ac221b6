"""The Thẩm định screen driven offscreen through its real widgets: an appraiser scores through the grid, a
conflict of interest leaves a member out of the live average, staff see scoring refused with the reason, the
manager concludes, and staff open a council through the dialog."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from _workflow_dialogs import DialogDriver, type_text
from factories import Actors, advance_to, make_proposal, score_all
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from desktop_app.domain.enums import Status
from desktop_app.services.context import Services
from desktop_app.ui import msgbox, tasks
from desktop_app.ui.appraisal.dialogs import ConcludeDialog, ConflictDialog, OpenCouncilDialog
from desktop_app.ui.appraisal.page import AppraisalPage
from desktop_app.ui.appraisal.score_grid import ScoreGridModel
from desktop_app.ui.errors import CrashDialog

pytestmark = pytest.mark.gui

POINTS_85 = ("13", "13", "17", "17", "13", "8", "4")


@pytest.fixture(autouse=True)
def _synchronous() -> Iterator[None]:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture(autouse=True)
def _no_crash_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected error fails the test instead of waiting on the modal crash dialog."""
    def fail(self: CrashDialog) -> int:
        raise AssertionError(self.details.toPlainText())

    monkeypatch.setattr(CrashDialog, "exec", fail)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(msgbox, "warning", lambda _parent, text, title="": shown.append(text))
    monkeypatch.setattr(msgbox, "confirm", lambda _parent, _text, title="": True)
    return shown


def appraising(services: Services, people: Actors) -> int:
    detail = make_proposal(services, people.staff)
    advance_to(services, people, detail.id, Status.APPRAISING)
    return detail.id


def open_page(qtbot: Any, services: Services, actor: Any, proposal_id: int) -> AppraisalPage:
    page = AppraisalPage(services, actor)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    assert page.select_proposal(proposal_id)
    return page


def type_score(qtbot: Any, page: AppraisalPage, row: int, text: str) -> None:
    """Type into the own column's cell the way a user does: open the cell's editor, type, press Enter."""
    model = page.grid_model
    assert model.own_column is not None
    index = model.index(row, model.own_column)
    page.grid.setCurrentIndex(index)
    page.grid.edit(index)
    editor = page.grid.indexWidget(index)
    assert isinstance(editor, QLineEdit) and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits and closes the editor through a queued call
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the closed editor goes now, not at teardown
    assert page.grid.indexWidget(index) is None


def own_sheet(services: Services, actor: Any, proposal_id: int) -> Any:
    council = services.appraisal.council(actor, proposal_id)
    assert council is not None
    return next(s for s in council.sheets if s.user_id == actor.id)


def submit_sheet(services: Services, actor: Any, proposal_id: int, points: tuple[int, ...]) -> None:
    council = services.appraisal.council(actor, proposal_id)
    assert council is not None
    sheet = next(s for s in council.sheets if s.user_id == actor.id)
    services.appraisal.save_scores(actor, sheet.id, sheet.version,
                                   {c.id: Decimal(p) for c, p in zip(council.criteria, points, strict=True)},
                                   "", submit=True)


def test_appraiser_fills_and_submits_own_sheet_through_the_grid(qtbot: Any, sqlite_services: Services,
                                                                  sqlite_people: Actors, warnings: list[str]) -> None:
    pid = appraising(sqlite_services, sqlite_people)
    appraiser = sqlite_people.appraisers[0]
    page = open_page(qtbot, sqlite_services, appraiser, pid)
    model = page.grid_model
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    own = model.own_column
    assert own == ScoreGridModel.FIRST_MEMBER  # the first member (chair) is this appraiser
    assert model.headerData(own, Qt.Orientation.Horizontal) == "Đỗ Quốc Hưng (bạn)\nChủ tịch"
    # Only the own column can be typed in.
    assert model.flags(model.index(0, own)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, own + 1)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(model.total_row, own)) & Qt.ItemFlag.ItemIsEditable

    # A score above the criterion's maximum: painted red live, refused by the service on submit, nothing saved.
    for row, text in enumerate(POINTS_85):
        type_score(qtbot, page, row, "25" if row == 2 else text)
    assert model.data(model.index(2, own)) == "25"
    assert "ngoài khoảng 0–20" in model.data(model.index(2, own), Qt.ItemDataRole.ToolTipRole)
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert page.message.is_error and "Tính khả thi" in page.message.text()
    assert page.grid.currentIndex().row() == 2 and page.grid.currentIndex().column() == own
    assert not own_sheet(sqlite_services, appraiser, pid).submitted
    assert model.data(model.index(0, own)) == "13"  # what was typed is still there

    type_score(qtbot, page, 2, "17")
    assert model.data(model.index(model.total_row, own)) == "85"
    assert model.data(model.index(model.status_row, own)) == "Chưa lưu"
    # Independent scoring: no running result for a member before the council concludes.
    assert page.council_panel.average_label.text() == "—"
    assert page.council_panel.result_label.text() == "Công bố sau khi hội đồng kết luận"
    type_text(page.comment, "Đề án cần thiết, dự toán hợp lý")
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)

    sheet = own_sheet(sqlite_services, appraiser, pid)
    assert sheet.submitted
    assert sheet.total == Decimal(85)
    assert sheet.comment == "Đề án cần thiết, dự toán hợp lý"
    assert page.message.text() == "Đã nộp phiếu chấm điểm."
    assert model.data(model.index(model.status_row, own)) == "Đã nộp"
    assert page.tasks.data(page.tasks.index(0, 3)) == "Đã nộp"
    assert not page.has_unsaved_changes()
    assert warnings == []
    # Submitted: the column is frozen; the member may reopen it (asked first) and then correct it.
    assert not model.flags(model.index(0, own)) & Qt.ItemFlag.ItemIsEditable
    assert not page.submit_button.isVisible() and page.reopen_button.isVisible()
    qtbot.mouseClick(page.reopen_button, Qt.MouseButton.LeftButton)
    assert not own_sheet(sqlite_services, appraiser, pid).submitted
    assert model.flags(model.index(0, own)) & Qt.ItemFlag.ItemIsEditable
    assert page.submit_button.isVisible() and not page.reopen_button.isVisible()
    assert page.message.text() == "Đã mở lại phiếu; sửa rồi nộp lại."


def test_draft_is_saved_when_leaving_and_decimal_comma_is_read(qtbot: Any, sqlite_services: Services,
                                                               sqlite_people: Actors, warnings: list[str]) -> None:
    first = appraising(sqlite_services, sqlite_people)
    second = appraising(sqlite_services, sqlite_people)
    appraiser = sqlite_people.appraisers[1]
    page = open_page(qtbot, sqlite_services, appraiser, first)
    type_score(qtbot, page, 0, "12,5")
    assert page.has_unsaved_changes()
    assert page.select_proposal(second)  # nothing typed is lost: the draft is saved on the way out
    sheet = own_sheet(sqlite_services, appraiser, first)
    assert not sheet.submitted
    assert list(sheet.points.values()) == [Decimal("12.5")]
    assert page.select_proposal(first)
    assert page.grid_model.data(page.grid_model.index(0, page.grid_model.own_column)) == "12,5"


def test_conflict_of_interest_excludes_member_from_live_average(qtbot: Any, sqlite_services: Services,
                                                                sqlite_people: Actors, warnings: list[str]) -> None:
    pid = appraising(sqlite_services, sqlite_people)
    first, second, third = sqlite_people.appraisers
    submit_sheet(sqlite_services, first, pid, (13, 13, 17, 17, 13, 8, 4))  # 85
    submit_sheet(sqlite_services, second, pid, (10, 10, 12, 12, 9, 5, 2))  # 60
    page = open_page(qtbot, sqlite_services, third, pid)
    model = page.grid_model
    for row, text in enumerate(("5", "5", "10", "10", "5", "3", "2")):  # 40
        type_score(qtbot, page, row, text)
    # The others' sheets are not shown to him: only his own column is on screen, and no result yet.
    hidden = [c for c in range(model.FIRST_MEMBER, model.columnCount()) if page.grid.isColumnHidden(c)]
    assert [model.sheet_at(c).user_id for c in hidden] == [first.id, second.id]
    assert all(model.sheet_at(c).points == {} for c in hidden)
    assert page.council_panel.average_label.text() == "—" and "kết luận" in page.council_panel.result_label.text()

    driver = DialogDriver()

    def declare(dialog: ConflictDialog) -> None:
        dialog.ok_button.click()  # no reason given: the dialog stays open and points at the field
        assert dialog.isVisible()
        assert dialog.fields.message("conflict_note").text() == "Hãy ghi rõ lý do xung đột lợi ích."
        assert dialog.focusWidget() is dialog.note
        type_text(dialog.note, "Là người thân của chủ cơ sở thụ hưởng")
        dialog.ok_button.click()

    driver.with_dialog(declare)
    qtbot.mouseClick(page.conflict_button, Qt.MouseButton.LeftButton)
    driver.check()
    assert isinstance(driver.seen[0], ConflictDialog)

    own = next(c for c in range(model.FIRST_MEMBER, model.columnCount()) if model.sheet_at(c).user_id == third.id)
    assert model.headerData(own, Qt.Orientation.Horizontal, Qt.ItemDataRole.FontRole).strikeOut()
    assert model.data(model.index(model.status_row, own)) == "Xung đột lợi ích"
    assert "Là người thân" in model.headerData(own, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert not model.flags(model.index(0, own)) & Qt.ItemFlag.ItemIsEditable
    assert page.council_panel.average_label.text() == "—"
    council = sqlite_services.appraisal.council(sqlite_people.staff, pid)
    assert council is not None and council.average == Decimal("72.50") and council.excluded == 1


def test_staff_sees_scoring_refused_with_the_reason(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                    warnings: list[str]) -> None:
    pid = appraising(sqlite_services, sqlite_people)
    before = sqlite_services.appraisal.council(sqlite_people.staff, pid)
    page = open_page(qtbot, sqlite_services, sqlite_people.staff, pid)
    model = page.grid_model
    assert model.own_column is None
    assert not any(model.flags(model.index(r, c)) & Qt.ItemFlag.ItemIsEditable
                   for r in range(model.rowCount()) for c in range(model.columnCount()))
    assert not page.council_panel.comment_box.isVisible()

    # Typing a score in a member's column: the service's refusal is shown beside the grid.
    page.grid.setCurrentIndex(model.index(0, model.FIRST_MEMBER))
    page.grid.setFocus()
    qtbot.keyClicks(page.grid, "9")
    reason = "Vai trò “Cán bộ nghiệp vụ” không được chấm điểm; chỉ Thành viên hội đồng được làm việc này."
    assert page.message.text() == reason

    assert not page.save_button.isVisible() and not page.submit_button.isVisible()  # no sheet of theirs
    page.save()  # Ctrl+S from the main window: the same refusal, in a message box
    assert warnings == [reason]
    after = sqlite_services.appraisal.council(sqlite_people.staff, pid)
    assert after == before  # nothing was written


def test_appraiser_cannot_type_in_another_members_column(qtbot: Any, sqlite_services: Services,
                                                         sqlite_people: Actors, warnings: list[str]) -> None:
    pid = appraising(sqlite_services, sqlite_people)
    page = open_page(qtbot, sqlite_services, sqlite_people.appraisers[1], pid)
    model = page.grid_model
    page.grid.setCurrentIndex(model.index(0, model.FIRST_MEMBER))  # the chair's column, not theirs
    page.grid.setFocus()
    qtbot.keyClicks(page.grid, "9")
    assert page.message.text() == "Chỉ thành viên được phân công mới chấm phiếu này."
    assert model.data(model.index(0, model.FIRST_MEMBER)) == ""


def test_manager_concludes_and_a_refused_conclusion_says_why(qtbot: Any, sqlite_services: Services,
                                                             sqlite_people: Actors, warnings: list[str]) -> None:
    pid = appraising(sqlite_services, sqlite_people)
    submit_sheet(sqlite_services, sqlite_people.appraisers[0], pid, (13, 13, 17, 17, 13, 8, 4))
    page = open_page(qtbot, sqlite_services, sqlite_people.manager, pid)
    assert page.conclude_button.isVisible() and not page.conclude_button.isEnabled()
    assert page.conclude_button.toolTip() == "Còn 2 thành viên chưa nộp phiếu chấm điểm."
    qtbot.mouseClick(page.conclude_button, Qt.MouseButton.LeftButton)  # disabled: nothing happens
    assert warnings == []
    assert sqlite_services.proposals.get(sqlite_people.manager, pid).status is Status.APPRAISING

    score_all(sqlite_services, sqlite_people)
    page.refresh()
    assert page.council_panel.average_label.text() == "85,00"
    driver = DialogDriver()

    def conclude(dialog: ConcludeDialog) -> None:
        assert dialog.result_label.text() == "ĐẠT"
        assert dialog.ok_button.isEnabled()
        type_text(dialog.minutes_number, "05/BB-HĐTĐ")
        type_text(dialog.conclusion, "Đề án đạt yêu cầu, đề nghị phê duyệt kinh phí.")
        dialog.ok_button.click()

    driver.with_dialog(conclude)
    qtbot.mouseClick(page.conclude_button, Qt.MouseButton.LeftButton)
    driver.check()

    detail = sqlite_services.proposals.get(sqlite_people.manager, pid)
    assert detail.status is Status.APPRAISED
    council = sqlite_services.appraisal.council(sqlite_people.manager, pid)
    assert council is not None and council.concluded and council.minutes_number == "05/BB-HĐTĐ"
    assert page.status_label.text() == "Đạt thẩm định"
    assert page.council_panel.conclusion_label.text() == ("Đã kết luận (biên bản số 05/BB-HĐTĐ): Đề án đạt yêu cầu, "
                                                          "đề nghị phê duyệt kinh phí.")
    assert page.council_panel.average_caption.text() == "Điểm bình quân:"


def test_staff_opens_a_council_through_the_dialog(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                  warnings: list[str]) -> None:
    detail = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, detail.id, Status.SUBMITTED)
    page = open_page(qtbot, sqlite_services, sqlite_people.staff, detail.id)
    assert page.stack.currentIndex() == 1 and page.open_button_empty.isEnabled()
    driver = DialogDriver()
    names = [a.full_name for a in sqlite_people.appraisers]

    def fill(dialog: OpenCouncilDialog) -> None:
        dialog.ok_button.click()  # no decision number: refused beside the field, focus there
        assert dialog.isVisible()
        assert dialog.fields.message("decision_number").text() == "Chưa nhập số quyết định thành lập hội đồng."
        assert dialog.focusWidget() is dialog.decision_number
        type_text(dialog.decision_number, "12/QĐ-TTKC")
        dialog.decision_date.set_date_value(date(2026, 4, 1))
        dialog.meeting_date.set_date_value(date(2026, 4, 10))
        type_text(dialog.place, "Phòng họp Trung tâm")
        members = dialog.members
        for i in range(2):  # two members only: the workflow refuses, the member list gets the focus
            members.row_widgets(i).name.setCurrentIndex(members.row_widgets(i).name.findText(names[i]))
            members.user_picked(members.row_widgets(i))
        dialog.ok_button.click()
        assert dialog.isVisible()
        assert dialog.banner.text() == "Hội đồng thẩm định phải có ít nhất 3 thành viên."
        first_name = members.row_widgets(0).name
        assert dialog.focusWidget() in (first_name, first_name.lineEdit())
        third = members.row_widgets(2)
        type_text(third.name.lineEdit(), "Nguyễn Văn Chuyên Gia")  # an outside expert, typed
        type_text(third.title, "Trường Đại học Công nghiệp")
        dialog.ok_button.click()

    driver.with_dialog(fill)
    qtbot.mouseClick(page.open_button_empty, Qt.MouseButton.LeftButton)
    driver.check()
    council = sqlite_services.appraisal.council(sqlite_people.staff, detail.id)
    assert council is not None
    assert council.decision_number == "12/QĐ-TTKC" and council.meeting_date == date(2026, 4, 10)
    assert [(s.member_name, s.member_role.label, s.user_id) for s in council.sheets] == [
        (names[0], "Chủ tịch", sqlite_people.appraisers[0].id),
        (names[1], "Thư ký", sqlite_people.appraisers[1].id),
        ("Nguyễn Văn Chuyên Gia", "Ủy viên", None),
    ]
    assert page.stack.currentIndex() == 2
    assert page.grid_model.columnCount() == ScoreGridModel.FIRST_MEMBER + 3
    assert page.status_label.text() == "Đang thẩm định"


def test_list_filters_by_status_and_models_are_sound(qtbot: Any, sqlite_services: Services,
                                                     sqlite_people: Actors) -> None:
    under = appraising(sqlite_services, sqlite_people)
    waiting = make_proposal(sqlite_services, sqlite_people.staff).id
    advance_to(sqlite_services, sqlite_people, waiting, Status.SUBMITTED)
    make_proposal(sqlite_services, sqlite_people.staff)  # a draft: not on this screen
    page = AppraisalPage(sqlite_services, sqlite_people.manager)
    qtbot.addWidget(page)
    assert page.proposals is not None
    QAbstractItemModelTester(page.proposals.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert sorted(r.id for r in page.proposals.model.rows()) == sorted([under, waiting])
    page.proposals.status_combo.setCurrentIndex(2)  # Đang thẩm định
    assert [r.id for r in page.proposals.model.rows()] == [under]
    assert page.proposals.count_label.text() == "1 đề án"


def test_comment_field_does_not_swallow_tab(qtbot: Any, sqlite_services: Services, sqlite_people: Actors) -> None:
    pid = appraising(sqlite_services, sqlite_people)
    page = open_page(qtbot, sqlite_services, sqlite_people.appraisers[0], pid)
    assert isinstance(page.comment, QPlainTextEdit) and page.comment.tabChangesFocus()


def test_appraiser_scores_and_submits_with_the_keyboard_only(qtbot: Any, sqlite_services: Services,
                                                             sqlite_people: Actors, warnings: list[str]) -> None:
    pid = appraising(sqlite_services, sqlite_people)
    appraiser = sqlite_people.appraisers[0]
    page = open_page(qtbot, sqlite_services, appraiser, pid)
    QAbstractItemModelTester(page.tasks, QAbstractItemModelTester.FailureReportingMode.Fatal)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.grid.setFocus()
    assert page.grid.currentIndex() == page.grid_model.index(0, page.grid_model.own_column)

    def key(k: Any, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, k, modifier)
        QApplication.processEvents()

    for text in POINTS_85:
        for ch in text:  # the first digit opens the cell's editor, the rest go into it
            key(ch)
        key(Qt.Key.Key_Return)
        key(Qt.Key.Key_Down)
    assert page.grid_model.data(page.grid_model.index(page.grid_model.total_row, page.grid_model.own_column)) == "85"
    visited = []
    while QApplication.focusWidget() is not page.submit_button and len(visited) < 10:
        key(Qt.Key.Key_Tab)  # the comment box passes Tab on: the buttons are reachable
        visited.append(QApplication.focusWidget())
    assert visited[0] is page.comment and QApplication.focusWidget() is page.submit_button
    key(Qt.Key.Key_Space)
    sheet = own_sheet(sqlite_services, appraiser, pid)
    assert sheet.submitted and sheet.total == Decimal(85)


def test_the_side_list_shows_the_title_and_the_newest_year_first(qtbot: Any, sqlite_services: Services,
                                                                  sqlite_people: Actors) -> None:
    older = make_proposal(sqlite_services, sqlite_people.staff, year=2025, start_date=None, end_date=None)
    sqlite_services.proposals.submit(sqlite_people.staff, older.id, older.version)
    newer = make_proposal(sqlite_services, sqlite_people.staff, year=2026)
    sqlite_services.proposals.submit(sqlite_people.staff, newer.id, newer.version)
    page = AppraisalPage(sqlite_services, sqlite_people.staff)
    qtbot.addWidget(page)
    page.resize(1060, 760)  # the room the main window gives a screen at 1280 × 800
    page.show()
    qtbot.waitExposed(page)
    assert page.proposals is not None
    view, model = page.proposals.view, page.proposals.model
    assert [r.id for r in model.rows()] == [newer.id, older.id]
    header = view.horizontalHeader()
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    assert header.sectionSize(1) >= 140  # the proposal's name is readable (it was about 60 px)
    assert header.sectionSize(0) >= view.sizeHintForColumn(0)  # the code is not cut
    assert sum(header.sectionSize(c) for c in shown) <= view.viewport().width()
