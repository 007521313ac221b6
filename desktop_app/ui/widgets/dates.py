"""A date input that takes dates as Vietnamese users type them, with a calendar, and that may be left empty.

A ``QDateEdit`` edits a date section by section: typing "01032027" into an empty optional field leaves
" 1032027" and stores nothing. This field is a plain line edit instead: it reads dd/mm/yyyy, d/m/yy, ddmmyyyy or
ddmmyy (separators "/", "." or "-"), shows the date as dd/MM/yyyy once the cursor leaves, and opens a calendar
from the button at its right. Clearing the text of an optional field clears the date.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QStyle, QToolTip, QWidget

DISPLAY_FORMAT = "dd/MM/yyyy"
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)
_SEPARATED = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})\s*$")
_DIGITS = re.compile(r"^\s*(\d{2})(\d{2})(\d{2}|\d{4})\s*$")


def parse_typed_date(text: str, complete_only: bool = False) -> dt.date | None:
    """The date ``text`` names (dd/mm/yyyy, d/m/yy, ddmmyyyy, ddmmyy), or None.

    A two-digit year is 20yy. With ``complete_only`` (while the user is still typing) only a four-digit year
    counts, so "1/3/20" is not taken for 2020 before "27" is typed.
    """
    match = _SEPARATED.match(text) or _DIGITS.match(text)
    if match is None:
        return None
    day, month, year_text = match.groups()
    if complete_only and len(year_text) != 4:
        return None
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    try:
        value = dt.date(year, int(month), int(day))
    except ValueError:
        return None
    return value if FIRST_DATE <= value <= LAST_DATE else None


def format_typed_date(value: dt.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


class _CalendarPopup(QCalendarWidget):
    """The month shown under the field; choosing a day puts it in the field and closes."""

    def __init__(self, owner: DateEdit) -> None:
        super().__init__(owner)
        self.setWindowFlags(Qt.WindowType.Popup)
        self.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setDateRange(QDate(FIRST_DATE.year, 1, 1), QDate(LAST_DATE.year, 12, 31))


class DateEdit(QLineEdit):
    """``date_value()`` / ``set_date_value()`` speak ``datetime.date`` (None when empty and ``optional``).

    ``dateChanged(QDate)`` is emitted when the date changes (an invalid ``QDate`` when it is cleared).
    """

    dateChanged = Signal(QDate)

    def __init__(self, parent: QWidget | None = None, optional: bool = False, value: dt.date | None = None) -> None:
        super().__init__(parent)
        self._optional = optional
        self._value: dt.date | None = None
        self.setPlaceholderText("dd/mm/yyyy")
        self.setMaxLength(12)
        self.setToolTip("Gõ ngày dạng 01/03/2027, 1/3/27 hoặc 01032027, hoặc chọn trên lịch"
                        + ("; xóa trắng nếu không có." if optional else "."))
        self.calendar_action = QAction(self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView),
                                       "Chọn ngày trên lịch", self)
        self.calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self._calendar: _CalendarPopup | None = None
        self.textEdited.connect(self._on_text_edited)
        self.editingFinished.connect(self._on_editing_finished)
        self.set_date_value(value if value is not None or optional else dt.date.today())

    # --- value ---------------------------------------------------------------------------------------------------

    def date_value(self) -> dt.date | None:
        return self._value

    def set_date_value(self, value: dt.date | None) -> None:
        if value is None and not self._optional:
            value = dt.date.today()
        self.setText(format_typed_date(value) if value is not None else "")
        self._store(value)

    def clear_date(self) -> None:
        self.set_date_value(None)

    def date(self) -> QDate:
        """The date as a ``QDate`` (invalid when empty), like ``QDateEdit.date()``."""
        value = self._value
        return QDate(value.year, value.month, value.day) if value is not None else QDate()

    def setDate(self, value: QDate) -> None:
        self.set_date_value(dt.date(value.year(), value.month(), value.day()) if value.isValid() else None)

    def _store(self, value: dt.date | None) -> None:
        if value == self._value:
            return
        self._value = value
        self.dateChanged.emit(self.date())

    # --- typing --------------------------------------------------------------------------------------------------

    def _on_text_edited(self, text: str) -> None:
        # While typing, a complete date is taken at once (the cap check and the end date follow it); a partial
        # one waits for the cursor to leave.
        if not text.strip():
            if self._optional:
                self._store(None)
            return
        value = parse_typed_date(text, complete_only=True)
        if value is not None:
            self._store(value)

    def _on_editing_finished(self) -> None:
        text = self.text()
        if not text.strip():
            if self._optional:
                self._store(None)
                return
            self.setText(format_typed_date(self._value) if self._value else "")
            self._warn("Ngày này không được để trống.")
            return
        value = parse_typed_date(text)
        if value is None:
            shown = format_typed_date(self._value) if self._value else ""
            self.setText(shown)
            self._warn(f"“{text.strip()}” không phải là ngày hợp lệ; hãy gõ dạng 01/03/2027.")
            return
        self.setText(format_typed_date(value))
        self._store(value)

    def _warn(self, text: str) -> None:
        if self.isVisible():
            QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), text, self)

    def setReadOnly(self, read_only: bool) -> None:
        super().setReadOnly(read_only)
        self.calendar_action.setVisible(not read_only)
        self.style().unpolish(self)  # the read-only grey of the application's style sheet, at once
        self.style().polish(self)

    # --- calendar ------------------------------------------------------------------------------------------------

    def show_calendar(self) -> None:
        if self.isReadOnly() or not self.isEnabled():
            return
        if self._calendar is None:
            self._calendar = _CalendarPopup(self)
            self._calendar.clicked.connect(self._on_calendar_clicked)
            self._calendar.activated.connect(self._on_calendar_clicked)
        self._calendar.setSelectedDate(self.date() if self._value else QDate.currentDate())
        self._calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self._calendar.show()
        self._calendar.setFocus()

    def _on_calendar_clicked(self, value: QDate) -> None:
        if self._calendar is not None:
            self._calendar.hide()
        self.setDate(value)
        self.setFocus()

    @property
    def calendar(self) -> QCalendarWidget | None:
        return self._calendar
