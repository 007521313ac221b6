"""The shared form widgets: money with dots, optional dates, debounced search, folded type-ahead, inline messages."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.domain.enums import LegalForm
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.validators import check_tax_code
from desktop_app.ui.widgets import CodeCombo, DateEdit, EnumCombo, FormFields, MoneyEdit, SearchBox


def test_money_edit_groups_thousands_as_typed(qtbot: QtBot) -> None:
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "1250000")
    assert edit.text() == "1.250.000" and edit.value() == 1_250_000
    edit.setValue(None)
    assert edit.text() == "" and edit.value() is None
    edit.setValue(300_000_000)
    assert edit.text() == "300.000.000"
    strict = MoneyEdit(allow_empty=False)
    qtbot.addWidget(strict)
    assert strict.value() == 0


def test_date_edit_shows_dd_mm_yyyy_and_may_be_empty(qtbot: QtBot) -> None:
    edit = DateEdit(optional=True)
    qtbot.addWidget(edit)
    assert edit.date_value() is None
    edit.set_date_value(date(2026, 1, 22))
    assert edit.text() == "22/01/2026" and edit.date_value() == date(2026, 1, 22)
    edit.clear_date()
    assert edit.date_value() is None
    required = DateEdit(value=date(2025, 7, 1))
    qtbot.addWidget(required)
    assert required.date_value() == date(2025, 7, 1)


def test_search_box_waits_for_a_pause(qtbot: QtBot) -> None:
    box = SearchBox()
    qtbot.addWidget(box)
    seen: list[str] = []
    box.search_changed.connect(seen.append)
    qtbot.keyClicks(box, "gom")
    assert seen == []  # nothing while typing
    qtbot.waitUntil(lambda: seen == ["gom"], timeout=2000)
    box.flush()
    assert seen == ["gom"]  # the same text is not searched twice


def test_code_combo_resolves_typed_text_without_diacritics(qtbot: QtBot) -> None:
    combo = CodeCombo(empty_label="Tất cả", items=[("01", "Hà Nội"), ("35", "Hà Nam cũ"), ("37", "Ninh Bình")])
    qtbot.addWidget(combo)
    assert combo.code() is None and combo.name() == ""
    combo.setEditText("ninh binh")
    combo.lineEdit().editingFinished.emit()
    assert combo.code() == "37" and combo.currentText() == "Ninh Bình"
    combo.setEditText("ha")  # two entries contain it: nothing is guessed
    combo.lineEdit().editingFinished.emit()
    assert combo.code() == "37" and combo.currentText() == "Ninh Bình"
    combo.set_items([("01", "Hà Nội")])
    assert combo.code() is None  # the choice left the list
    enum = EnumCombo(LegalForm, empty_label="Tất cả")
    qtbot.addWidget(enum)
    assert enum.value() is None and enum.set_value(LegalForm.ARTISAN) and enum.currentText() == LegalForm.ARTISAN.label


def test_form_fields_show_errors_and_warnings_beside_the_field(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    fields = FormFields(QFormLayout(host))
    name, tax = QLineEdit(), QLineEdit()
    fields.add("name", "Tên", name, required=True)
    fields.add("tax_code", "Mã số thuế", tax)
    host.show()
    fields.show_problem("tax_code", check_tax_code("0100233489"))
    assert fields.message("tax_code").isVisible() and not fields.has_errors()
    assert fields.show_user_error(ValidationError("Chưa nhập tên cơ sở.", field="name"))
    assert fields.errors() == {"name": "Chưa nhập tên cơ sở."}
    assert host.focusWidget() is name
    assert not fields.show_user_error(ValidationError("Lỗi chung."))
    fields.clear()
    assert not fields.has_errors() and not fields.message("tax_code").isVisible()


@pytest.mark.parametrize("typed", ["01032027", "01/03/2027", "1/3/27", "1.3.2027", "010327"])
def test_a_date_is_typed_into_an_empty_optional_field(qtbot: QtBot, typed: str) -> None:
    edit = DateEdit(optional=True)
    qtbot.addWidget(edit)
    changes: list[object] = []
    edit.dateChanged.connect(changes.append)
    edit.setFocus()
    qtbot.keyClicks(edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    edit.editingFinished.emit()  # offscreen, focus may stay: the tab key alone does not always finish editing
    assert edit.date_value() == date(2027, 3, 1)
    assert edit.text() == "01/03/2027"
    assert changes  # the form hears of it (the cap check follows the start date)


def test_a_filled_date_is_retyped_and_an_optional_one_cleared(qtbot: QtBot) -> None:
    edit = DateEdit(optional=True, value=date(2026, 5, 12))
    qtbot.addWidget(edit)
    edit.selectAll()
    qtbot.keyClicks(edit, "15/8/2026")
    assert edit.date_value() == date(2026, 8, 15)  # taken as soon as the year is complete
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.text() == "" and edit.date_value() is None
    required = DateEdit(value=date(2026, 5, 12))
    qtbot.addWidget(required)
    required.selectAll()
    qtbot.keyClicks(required, "31022026")  # no 31 February: the previous date stays
    required.editingFinished.emit()
    assert required.date_value() == date(2026, 5, 12) and required.text() == "12/05/2026"
    required.selectAll()
    qtbot.keyClick(required, Qt.Key.Key_Delete)
    required.editingFinished.emit()
    assert required.date_value() == date(2026, 5, 12)  # a required date cannot be emptied


def test_a_date_is_picked_on_the_calendar(qtbot: QtBot) -> None:
    from PySide6.QtCore import QDate

    edit = DateEdit(optional=True)
    qtbot.addWidget(edit)
    edit.calendar_action.trigger()
    assert edit.calendar is not None and edit.calendar.isVisible()
    edit.calendar.clicked.emit(QDate(2027, 1, 5))
    assert edit.date_value() == date(2027, 1, 5) and not edit.calendar.isVisible()
    edit.setReadOnly(True)
    assert not edit.calendar_action.isVisible()


def test_a_list_lays_out_its_new_rows_at_once(qtbot: QtBot) -> None:
    """A reset (a list's first page) settles the view's layout and its scroll bar there and then, so the window's
    next paint is the final one."""
    from PySide6.QtWidgets import QTableView

    from desktop_app.ui.table_model import Column, ListModel
    from desktop_app.ui.widgets import setup_list_view

    model: ListModel[int] = ListModel([Column("Số", str)])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    setup_list_view(view)
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)
    assert not view.verticalScrollBar().isVisible()
    model.set_rows(list(range(200)))
    assert view.verticalScrollBar().isVisible() and view.verticalScrollBar().maximum() > 0  # no event handled
