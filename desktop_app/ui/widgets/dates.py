"""A date input shown as dd/MM/yyyy with a calendar, that may also be left empty."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QDateEdit, QWidget

DISPLAY_FORMAT = "dd/MM/yyyy"
_EMPTY = QDate(1900, 1, 1)  # the minimum date stands for "not entered" and shows as blank


class DateEdit(QDateEdit):
    """``date_value()`` / ``set_date_value()`` speak ``datetime.date`` (None when empty and ``optional``)."""

    def __init__(self, parent: QWidget | None = None, optional: bool = False, value: date | None = None) -> None:
        super().__init__(parent)
        self._optional = optional
        self.setDisplayFormat(DISPLAY_FORMAT)
        self.setCalendarPopup(True)
        self.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        if optional:
            self.setMinimumDate(_EMPTY)
            self.setSpecialValueText(" ")
        else:
            self.setMinimumDate(QDate(1950, 1, 1))
        self.setMaximumDate(QDate(2100, 12, 31))
        self.set_date_value(value if value is not None or optional else date.today())

    def date_value(self) -> date | None:
        current = self.date()
        if self._optional and current == _EMPTY:
            return None
        return date(current.year(), current.month(), current.day())

    def set_date_value(self, value: date | None) -> None:
        if value is None:
            self.setDate(_EMPTY if self._optional else QDate.currentDate())
        else:
            self.setDate(QDate(value.year, value.month, value.day))

    def clear_date(self) -> None:
        self.set_date_value(None)
