"""The budget grid driven as a user would: a block pasted from Excel, suggested support shares, typing over them,
Tab past computed columns, undo and redo, lines inserted and deleted from the keyboard, a copy pasted back, and
the values saved and read back through the services.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from _workflow_dialogs import type_text
from factories import Actors, make_proposal
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop_app.domain.budget import BudgetLineInput
from desktop_app.services.context import Services
from desktop_app.ui import msgbox
from desktop_app.ui.proposals.budget_grid_model import BudgetGridModel, parse_cell, read_clipboard_block
from desktop_app.ui.proposals.editor import TAB_BUDGET, ProposalEditor
from desktop_app.ui.proposals.models import BudgetLinesModel as M

pytestmark = pytest.mark.gui

SCREENS = Path("/tmp/budget-grid")
CTRL = Qt.KeyboardModifier.ControlModifier
#: two lines as Excel puts them on the clipboard: item, unit, quantity, unit price, amount, support (empty: let the
#: program suggest it), counterpart, other — Vietnamese separators, CRLF, a last newline
EXCEL_BLOCK = ("Máy dệt kiếm tự động\tmáy\t2\t100.000.000\t200.000.000\t\t100.000.000\t0\r\n"
               "Lắp đặt, chạy thử\tgói\t1\t40.000.000\t40.000.000\t\t20.000.000\t\r\n")


@pytest.fixture(autouse=True)
def quiet_messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    told: list[str] = []
    monkeypatch.setattr(msgbox, "warning", lambda _p, text, title="": told.append(text))
    monkeypatch.setattr(msgbox, "information", lambda _p, text, title="": told.append(text))
    monkeypatch.setattr(msgbox, "ask_save_changes", lambda _p, text, title="": "discard")
    return told


def open_budget(qtbot: Any, services: Services, actor: Any, proposal_id: int) -> ProposalEditor:
    editor = ProposalEditor(services, actor, proposal_id)
    qtbot.addWidget(editor)
    editor.resize(1280, 800)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    editor.tabs.setCurrentIndex(TAB_BUDGET)
    editor.budget.table.setFocus()
    return editor


def go(editor: ProposalEditor, row: int, column: int) -> None:
    """Click a cell: it alone is selected and current."""
    editor.budget.table.selectionModel().setCurrentIndex(editor.budget.lines.index(row, column),
                                                         QItemSelectionModel.SelectionFlag.ClearAndSelect)
    editor.budget.table.setFocus()


def paste(qtbot: Any, editor: ProposalEditor, row: int, column: int, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    go(editor, row, column)
    qtbot.keyClick(editor.budget.table, Qt.Key.Key_V, CTRL)


def type_cell(qtbot: Any, editor: ProposalEditor, row: int, column: int, text: str) -> None:
    """Type over a cell without F2 (like Excel): the first key opens it; Return commits."""
    go(editor, row, column)
    type_text(editor.budget.table, text[0])
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit), f"no cell editor at ({row}, {column})"
    type_text(cell, text[1:])
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not cell)


def shown(editor: ProposalEditor, row: int, column: int) -> str:
    return editor.budget.lines.index(row, column).data()


def is_suggestion(editor: ProposalEditor, row: int) -> bool:
    font = editor.budget.lines.index(row, M.COL_SUPPORT).data(Qt.ItemDataRole.FontRole)
    return font is not None and font.italic()


def shot(widget: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    if isinstance(widget, ProposalEditor):
        widget.budget.table.clearSelection()  # the grey italic suggestions, not the selection colour
        widget.update_cap()
    QApplication.processEvents()
    widget.grab().save(str(SCREENS / f"{name}.png"))


@pytest.fixture
def draft(sqlite_services: Services, sqlite_people: Actors) -> int:
    """A draft with no budget line yet (content 4.3.d: at most 50 %, at most 300 million, Thông tư 28/2018)."""
    return make_proposal(sqlite_services, sqlite_people.staff, lines=[]).id


def test_paste_a_block_from_excel_suggest_support_then_save_and_reload(
        qtbot: Any, sqlite_services: Services, sqlite_people: Actors, draft: int) -> None:
    editor = open_budget(qtbot, sqlite_services, sqlite_people.staff, draft)
    assert editor.budget.lines.line_count() == 0 and not editor.dirty
    paste(qtbot, editor, 0, M.COL_ITEM, EXCEL_BLOCK)  # on the totals row: the lines are added
    assert editor.budget.lines.line_count() == 2
    assert editor.dirty and editor.windowTitle().startswith("* ")
    assert [(x.item, x.unit, x.quantity, x.unit_price_vnd, x.counterpart_vnd, x.other_vnd)
            for x in editor.budget.lines.inputs()] == [
        ("Máy dệt kiếm tự động", "máy", Decimal(2), 100_000_000, 100_000_000, 0),
        ("Lắp đặt, chạy thử", "gói", Decimal(1), 40_000_000, 20_000_000, 0)]
    # the support share fills itself: the rest of each line (within 50 % of 240 million), grey italic
    assert shown(editor, 0, M.COL_SUPPORT) == "100.000.000" and shown(editor, 1, M.COL_SUPPORT) == "20.000.000"
    assert is_suggestion(editor, 0) and is_suggestion(editor, 1)
    assert editor.budget.lines.index(0, M.COL_SUPPORT).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#6b6b6b"
    assert "Đề xuất tự tính" in editor.budget.lines.index(0, M.COL_SUPPORT).data(Qt.ItemDataRole.ToolTipRole)
    assert editor.budget.lines.problems() == [] and editor.budget.message.isHidden()
    assert "Tổng kinh phí: <b>240.000.000</b>" in editor.budget.totals_label.text()
    assert shown(editor, 2, M.COL_SUPPORT) == "120.000.000"  # the totals row follows
    shot(editor, "after-paste")

    # the percentage: 30 % of each line, typed into the spin box
    spin = editor.budget.grid.percent_spin
    spin.setFocus()
    spin.lineEdit().selectAll()
    type_text(spin.lineEdit(), "30")
    assert spin.value() == 30
    assert shown(editor, 0, M.COL_SUPPORT) == "60.000.000" and shown(editor, 1, M.COL_SUPPORT) == "12.000.000"
    assert is_suggestion(editor, 0) and is_suggestion(editor, 1)
    shot(editor, "suggestions-30-percent")
    # more than the rule allows: the suggestion stops at the rule's 50 %
    spin.lineEdit().selectAll()
    type_text(spin.lineEdit(), "80")
    assert shown(editor, 0, M.COL_SUPPORT) == "100.000.000" and shown(editor, 1, M.COL_SUPPORT) == "20.000.000"
    assert editor.budget.grid.rule_note.text() == (
        "Mức hỗ trợ tối đa: 50% chi phí, không quá 300.000.000 đồng. Tỷ lệ 80% vượt mức này: đề xuất đang tính "
        "theo 50%, nhưng đề án không lưu được với tỷ lệ 80% — chọn tối đa 50%.")
    assert editor.budget.grid.percent_above_rule()
    spin.lineEdit().selectAll()
    type_text(spin.lineEdit(), "40")
    assert shown(editor, 0, M.COL_SUPPORT) == "80.000.000"

    # opening a suggested cell (F2) and leaving it untouched keeps it a suggestion
    steps = editor.budget.lines.undo_stack.count()
    go(editor, 0, M.COL_SUPPORT)
    qtbot.keyClick(editor.budget.table, Qt.Key.Key_F2)
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit) and cell.text() == "80.000.000"
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not cell)
    assert is_suggestion(editor, 0) and editor.budget.lines.undo_stack.count() == steps
    # typing over a suggestion makes it the user's; clearing it (Delete) gives the suggestion back
    type_cell(qtbot, editor, 1, M.COL_SUPPORT, "15.000.000")
    assert shown(editor, 1, M.COL_SUPPORT) == "15.000.000" and not is_suggestion(editor, 1)
    assert is_suggestion(editor, 0)
    go(editor, 1, M.COL_SUPPORT)
    qtbot.keyClick(editor.budget.table, Qt.Key.Key_Delete)
    assert shown(editor, 1, M.COL_SUPPORT) == "16.000.000" and is_suggestion(editor, 1)
    type_cell(qtbot, editor, 1, M.COL_SUPPORT, "20000000")
    type_cell(qtbot, editor, 0, M.COL_COUNTERPART, "120.000.000")  # line 0: 80 + 120 = 200 million

    # Ctrl+S saves what is shown; reading the proposal back through the service gives the same figures
    qtbot.keyClick(editor.budget.table, Qt.Key.Key_S, CTRL)
    assert not editor.dirty
    stored = sqlite_services.proposals.get(sqlite_people.staff, draft)
    assert [(x.item, x.quantity, x.unit_price_vnd, x.support_vnd, x.counterpart_vnd, x.other_vnd)
            for x in stored.lines] == [
        ("Máy dệt kiếm tự động", Decimal(2), 100_000_000, 80_000_000, 120_000_000, 0),
        ("Lắp đặt, chạy thử", Decimal(1), 40_000_000, 20_000_000, 20_000_000, 0)]
    assert (stored.total_vnd, stored.support_vnd) == (240_000_000, 100_000_000)
    editor.close()
    again = open_budget(qtbot, sqlite_services, sqlite_people.staff, draft)
    assert [shown(again, r, M.COL_SUPPORT) for r in range(2)] == ["80.000.000", "20.000.000"]
    assert not again.dirty
    # the 40 % chosen was saved with the proposal: line 1's support equals 40 % of its amount, shown as the
    # suggestion it is; line 2's 20 million typed over the 16 million suggested stays the user's
    assert again.budget.grid.percent_spin.value() == 40 and stored.support_percent == 40
    assert is_suggestion(again, 0) and not is_suggestion(again, 1)
    shot(again, "reloaded")


def test_a_bad_value_refuses_the_whole_paste_naming_the_cell(qtbot: Any, sqlite_services: Services,
                                                             sqlite_people: Actors, draft: int) -> None:
    editor = open_budget(qtbot, sqlite_services, sqlite_people.staff, draft)
    paste(qtbot, editor, 0, M.COL_ITEM, EXCEL_BLOCK)
    before, steps = editor.budget.lines.inputs(), editor.budget.lines.undo_stack.count()
    bad = ("Máy ép\tcái\t1\t10.000.000\t\t\t5.000.000\t0\n"
           "Máy sấy\tcái\t1\t8.000.000\t\t\t1.234.567,5\t0\n")  # half a đồng on the second pasted line
    paste(qtbot, editor, 1, M.COL_ITEM, bad)
    message = editor.budget.grid.message
    assert message.isVisible() and message.is_error
    assert message.text() == "Dòng 3, cột «Đối ứng»: “1.234.567,5” không phải là số nguyên đồng."
    assert editor.budget.lines.inputs() == before and editor.budget.lines.undo_stack.count() == steps  # nothing applied
    shot(editor, "paste-refused")
    paste(qtbot, editor, 0, M.COL_QUANTITY, "abc\n")
    assert message.text().startswith("Dòng 1, cột «Số lượng»: “abc” không phải là số lượng")
    paste(qtbot, editor, 0, M.COL_OTHER, "5\t6\t7\n")  # wider than what is left of the grid
    assert "nhiều hơn" in message.text()
    assert editor.budget.lines.inputs() == before
    # a good paste clears the message; English thousands separators are read too
    paste(qtbot, editor, 0, M.COL_UNIT_PRICE, "110,000,000\n")
    assert message.isHidden() and editor.budget.lines.inputs()[0].unit_price_vnd == 110_000_000


def test_tab_and_enter_skip_computed_columns_and_tab_at_the_end_adds_a_line(
        qtbot: Any, sqlite_services: Services, sqlite_people: Actors, draft: int) -> None:
    editor = open_budget(qtbot, sqlite_services, sqlite_people.staff, draft)
    paste(qtbot, editor, 0, M.COL_ITEM, EXCEL_BLOCK)
    view = editor.budget.table
    go(editor, 0, M.COL_UNIT_PRICE)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.currentIndex().column() == M.COL_SUPPORT  # "Thành tiền" is computed: skipped
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert view.currentIndex().column() == M.COL_UNIT_PRICE
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.currentIndex().column() == M.COL_SUPPORT
    # while typing: Tab commits and opens the next cell that can be typed in
    go(editor, 0, M.COL_UNIT_PRICE)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit)
    cell.selectAll()
    type_text(cell, "90.000.000")
    qtbot.keyClick(cell, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not cell)
    assert editor.budget.lines.inputs()[0].unit_price_vnd == 90_000_000
    assert (view.currentIndex().row(), view.currentIndex().column()) == (0, M.COL_SUPPORT)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    # the last cell of the last line: Tab adds a line and goes to its first cell (one undo step)
    go(editor, 1, M.COL_OTHER)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert editor.budget.lines.line_count() == 3
    assert (view.currentIndex().row(), view.currentIndex().column()) == (2, M.COL_ITEM)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert editor.budget.lines.line_count() == 2


def test_undo_redo_insert_delete_by_keyboard(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                             draft: int) -> None:
    editor = open_budget(qtbot, sqlite_services, sqlite_people.staff, draft)
    view, lines = editor.budget.table, editor.budget.lines
    paste(qtbot, editor, 0, M.COL_ITEM, EXCEL_BLOCK)
    pasted = lines.inputs()
    type_cell(qtbot, editor, 0, M.COL_ITEM, "Máy dệt")
    assert lines.inputs()[0].item == "Máy dệt"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # the typed cell
    assert lines.inputs() == pasted
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert lines.inputs()[0].item == "Máy dệt"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # the whole pasted block, one step
    assert lines.line_count() == 0
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert lines.inputs() == pasted

    # Ctrl+Insert inserts a line above the current one; Ctrl+Z takes it away
    go(editor, 1, M.COL_UNIT)
    qtbot.keyClick(view, Qt.Key.Key_Insert, CTRL)
    assert lines.line_count() == 3 and lines.inputs()[1].item == "" and lines.inputs()[2] == pasted[1]
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, M.COL_ITEM)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert lines.inputs() == pasted
    go(editor, 0, M.COL_ITEM)
    qtbot.keyClick(view, Qt.Key.Key_Plus, CTRL)  # Ctrl++ as in Excel
    assert lines.line_count() == 3 and lines.inputs()[0].item == ""
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert lines.inputs() == pasted
    go(editor, 2, M.COL_ITEM)  # Insert on the totals row: a line at the end
    qtbot.keyClick(view, Qt.Key.Key_Insert)
    assert lines.line_count() == 3 and lines.inputs()[:2] == pasted

    # both pasted lines selected, Ctrl+− deletes them in one step; Ctrl+Z puts them back as they were
    view.selectionModel().select(QItemSelection(lines.index(0, 0), lines.index(1, M.COL_OTHER)),
                                 QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view, Qt.Key.Key_Minus, CTRL)
    assert lines.line_count() == 1 and lines.inputs()[0].item == ""
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert lines.inputs()[:2] == pasted and lines.suggestion(0) and lines.suggestion(1)
    go(editor, 2, M.COL_ITEM)
    qtbot.keyClick(view, Qt.Key.Key_Delete, CTRL)
    assert lines.inputs() == pasted
    assert editor.dirty


def test_copy_out_then_paste_back_round_trip(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                             draft: int) -> None:
    editor = open_budget(qtbot, sqlite_services, sqlite_people.staff, draft)
    view, lines = editor.budget.table, editor.budget.lines
    paste(qtbot, editor, 0, M.COL_ITEM, EXCEL_BLOCK)
    type_cell(qtbot, editor, 0, M.COL_QUANTITY, "2,5")
    type_cell(qtbot, editor, 0, M.COL_COUNTERPART, "150.000.000")
    before = lines.inputs()
    view.selectAll()  # the totals row is left out of the copy
    qtbot.keyClick(view, Qt.Key.Key_C, CTRL)
    text = QGuiApplication.clipboard().text()
    assert text == ("Máy dệt kiếm tự động\tmáy\t2,5\t100.000.000\t250.000.000\t100.000.000\t150.000.000\t0\r\n"
                    "Lắp đặt, chạy thử\tgói\t1\t40.000.000\t40.000.000\t20.000.000\t20.000.000\t0\r\n")
    view.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_Delete, CTRL)
    assert lines.line_count() == 0
    go(editor, 0, M.COL_ITEM)
    qtbot.keyClick(view, Qt.Key.Key_V, CTRL)
    assert lines.inputs() == before
    # a few cells out of the middle go back where they are pasted
    view.selectionModel().select(QItemSelection(lines.index(0, M.COL_QUANTITY), lines.index(1, M.COL_UNIT_PRICE)),
                                 QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert view.copy_selection() == "2,5\t100.000.000\r\n1\t40.000.000\r\n"
    # one value pasted over several selected cells fills each of them (one undo step), as Excel does
    QGuiApplication.clipboard().setText("10.000.000\r\n")
    view.selectionModel().select(QItemSelection(lines.index(0, M.COL_OTHER), lines.index(1, M.COL_OTHER)),
                                 QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view, Qt.Key.Key_V, CTRL)
    assert [x.other_vnd for x in lines.inputs()] == [10_000_000, 10_000_000]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert lines.inputs() == before
    # the context menu offers the same commands
    assert [a.text().split("\t")[0] for a in view.actions()][:5] == \
        ["Sao chép", "Dán", "Xóa nội dung ô", "Chèn dòng", "Xóa dòng đang chọn"]


def test_read_only_proposal_takes_no_paste(qtbot: Any, sqlite_services: Services, sqlite_people: Actors) -> None:
    lines = [BudgetLineInput("Máy dệt", "máy", Decimal(1), 100_000_000, 50_000_000, 50_000_000)]
    d = make_proposal(sqlite_services, sqlite_people.staff, lines=lines)
    sqlite_services.proposals.submit(sqlite_people.staff, d.id, d.version)
    editor = open_budget(qtbot, sqlite_services, sqlite_people.staff, d.id)
    paste(qtbot, editor, 0, M.COL_ITEM, EXCEL_BLOCK)
    qtbot.keyClick(editor.budget.table, Qt.Key.Key_Insert, CTRL)
    qtbot.keyClick(editor.budget.table, Qt.Key.Key_Delete)
    assert editor.budget.lines.inputs() == lines and not editor.dirty
    assert not editor.budget.grid.percent_spin.isEnabled()


def test_grid_model_passes_the_model_tester_and_parses_like_the_importers(qtmodeltester: Any) -> None:
    model = BudgetGridModel()
    model.set_lines([BudgetLineInput("Máy", "cái", Decimal(1), 1_000, 400, 600)])
    qtmodeltester.check(model)
    model.paste(1, list(range(8)), read_clipboard_block("A\tb\t1\t2.000\t\t\t500\t\n"))
    assert model.line_count() == 2 and model.inputs()[1].support_vnd == 1_500 and model.suggestion(1)
    qtmodeltester.check(model)
    model.undo_stack.undo()
    assert model.line_count() == 1
    assert parse_cell(M.COL_UNIT_PRICE, "1.234.567") == 1_234_567
    assert parse_cell(M.COL_QUANTITY, "1.250,5") == Decimal("1250.5")
    assert read_clipboard_block('"Dòng\nhai"\tx\r\n') == [["Dòng\nhai", "x"]]


def is_counterpart_suggestion(editor: ProposalEditor, row: int) -> bool:
    index = editor.budget.lines.index(row, M.COL_COUNTERPART)
    font = index.data(Qt.ItemDataRole.FontRole)
    return font is not None and font.italic() and index.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#6b6b6b"


def choose_percent(editor: ProposalEditor, value: int) -> None:
    spin = editor.budget.grid.percent_spin
    spin.setFocus()
    spin.lineEdit().selectAll()
    type_text(spin.lineEdit(), str(value))
    assert spin.value() == value


def test_with_a_percentage_quantity_and_price_alone_give_a_line_that_adds_up_and_it_is_kept(
        qtbot: Any, sqlite_services: Services, sqlite_people: Actors, draft: int) -> None:
    editor = open_budget(qtbot, sqlite_services, sqlite_people.staff, draft)
    assert editor.budget.grid.percent_spin.value() == 0  # "Không chọn": nothing was stored
    choose_percent(editor, 30)
    assert editor.dirty  # choosing a percentage is a change to save
    editor.budget.add_line()
    type_cell(qtbot, editor, 0, M.COL_ITEM, "Máy se sợi")
    type_cell(qtbot, editor, 0, M.COL_QUANTITY, "2")
    type_cell(qtbot, editor, 0, M.COL_UNIT_PRICE, "100.000.000")
    editor.budget.add_line()
    type_cell(qtbot, editor, 1, M.COL_ITEM, "Vận chuyển, lắp đặt")
    type_cell(qtbot, editor, 1, M.COL_UNIT_PRICE, "15.000.000")
    # support 30 % of each line, counterpart the rest: both grey italic, and no line is red
    assert [shown(editor, r, M.COL_SUPPORT) for r in range(2)] == ["60.000.000", "4.500.000"]
    assert [shown(editor, r, M.COL_COUNTERPART) for r in range(2)] == ["140.000.000", "10.500.000"]
    assert all(is_suggestion(editor, r) and is_counterpart_suggestion(editor, r) for r in range(2))
    assert "thành tiền − khuyến công − nguồn khác" in \
        editor.budget.lines.index(0, M.COL_COUNTERPART).data(Qt.ItemDataRole.ToolTipRole)
    assert editor.budget.lines.problems() == [] and editor.budget.message.isHidden()
    assert editor.budget.lines.index(0, M.COL_COUNTERPART).data(Qt.ItemDataRole.BackgroundRole) is None
    shot(editor, "percent-30-quantity-price-only")

    # a counterpart typed is the user's; the support stays 30 %; Delete gives the suggestion back
    paste(qtbot, editor, 1, M.COL_OTHER, "500.000")  # (Enter in the very last cell would add a line)
    assert shown(editor, 1, M.COL_COUNTERPART) == "10.000.000" and is_counterpart_suggestion(editor, 1)
    type_cell(qtbot, editor, 1, M.COL_COUNTERPART, "9.000.000")
    assert not is_counterpart_suggestion(editor, 1) and editor.budget.lines.problem(1) is not None  # 4,5+9+0,5≠15
    go(editor, 1, M.COL_COUNTERPART)
    qtbot.keyClick(editor.budget.table, Qt.Key.Key_Delete)
    assert shown(editor, 1, M.COL_COUNTERPART) == "10.000.000" and is_counterpart_suggestion(editor, 1)

    assert editor.save()
    stored = sqlite_services.proposals.get(sqlite_people.staff, draft)
    assert stored.support_percent == 30
    assert [(x.support_vnd, x.counterpart_vnd, x.other_vnd) for x in stored.lines] == [
        (60_000_000, 140_000_000, 0), (4_500_000, 10_000_000, 500_000)]
    editor.close()

    again = open_budget(qtbot, sqlite_services, sqlite_people.staff, draft)
    assert again.budget.grid.percent_spin.value() == 30 and not again.dirty
    assert all(is_suggestion(again, r) and is_counterpart_suggestion(again, r) for r in range(2))
    shot(again, "percent-30-reopened")
    # the percentage alone changed: the editor has something to save, and the suggestions follow
    choose_percent(again, 40)
    assert again.dirty and shown(again, 0, M.COL_SUPPORT) == "80.000.000"
    assert shown(again, 0, M.COL_COUNTERPART) == "120.000.000"
    # "Không chọn": today's rule again — counterparts not typed are 0, the support is the rest of the line within
    # the rule's 50 % of 215 million
    again.budget.grid.percent_spin.setValue(0)
    assert shown(again, 0, M.COL_COUNTERPART) == "0" and shown(again, 0, M.COL_SUPPORT) == "107.500.000"
    assert not is_counterpart_suggestion(again, 0) and is_suggestion(again, 0)


def test_a_percentage_above_the_rule_suggests_the_rules_share_and_is_refused_on_save(
        qtbot: Any, sqlite_services: Services, sqlite_people: Actors, draft: int, quiet_messages: list[str]) -> None:
    editor = open_budget(qtbot, sqlite_services, sqlite_people.staff, draft)
    editor.budget.add_line()
    type_cell(qtbot, editor, 0, M.COL_ITEM, "Máy se sợi")
    type_cell(qtbot, editor, 0, M.COL_QUANTITY, "2")
    type_cell(qtbot, editor, 0, M.COL_UNIT_PRICE, "100.000.000")
    choose_percent(editor, 80)  # content 4.3.d: at most 50 %
    assert shown(editor, 0, M.COL_SUPPORT) == "100.000.000" and shown(editor, 0, M.COL_COUNTERPART) == "100.000.000"
    note = editor.budget.grid.rule_note
    assert "Tỷ lệ 80% vượt mức này" in note.text() and "không lưu được" in note.text()
    assert "#b3261e" in note.styleSheet()  # in red, before any save is tried
    shot(editor, "percent-80-above-rule")

    assert not editor.save()
    message = editor.budget.message
    assert message.isVisible() and message.is_error and quiet_messages == []
    assert message.text().startswith("Tỷ lệ hỗ trợ 80% vượt mức hỗ trợ tối đa 50% của nội dung này")
    assert editor.tabs.currentIndex() == TAB_BUDGET
    assert QApplication.focusWidget() in (editor.budget.grid.percent_spin, editor.budget.grid.percent_spin.lineEdit())
    assert editor.dirty and editor.budget.lines.line_count() == 1  # nothing typed is lost
    assert sqlite_services.proposals.get(sqlite_people.staff, draft).lines == []
    shot(editor, "percent-80-refused")

    choose_percent(editor, 50)
    assert "#b3261e" not in note.styleSheet() and "vượt" not in note.text()
    assert editor.save()
    stored = sqlite_services.proposals.get(sqlite_people.staff, draft)
    assert stored.support_percent == 50 and stored.lines[0].support_vnd == 100_000_000


def test_a_read_only_budget_shows_recorded_figures_not_suggestions(qtbot: Any, sqlite_services: Services,
                                                                    sqlite_people: Actors) -> None:
    # the support equals "the rest of the line", which an editable grid would draw as a grey italic suggestion
    lines = [BudgetLineInput("Máy dệt", "máy", Decimal(1), 100_000_000, 50_000_000, 50_000_000)]
    d = make_proposal(sqlite_services, sqlite_people.staff, lines=lines)
    sqlite_services.proposals.submit(sqlite_people.staff, d.id, d.version)
    editor = open_budget(qtbot, sqlite_services, sqlite_people.staff, d.id)
    assert shown(editor, 0, M.COL_SUPPORT) == "50.000.000"
    assert not is_suggestion(editor, 0)
    assert editor.budget.lines.index(0, M.COL_SUPPORT).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "chữ nghiêng" not in editor.budget.grid.rule_note.text()
