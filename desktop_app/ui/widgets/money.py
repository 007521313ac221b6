"""A line edit for amounts of money in whole đồng, shown with dot grouping (1.250.000) as the user types."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop_app.domain.vietnamese import format_vnd
from desktop_app.ui.style import MONEY_ALIGN

MAX_VND = 10**15  # far above any grant; keeps the text field from overflowing into nonsense


class MoneyEdit(QLineEdit):
    """Integer đồng with thousands dots; ``value()`` is None while empty. Emits ``value_changed(object)``."""

    value_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, allow_empty: bool = True) -> None:
        super().__init__(parent)
        self._allow_empty = allow_empty
        self.setAlignment(MONEY_ALIGN)
        self.setPlaceholderText("0")
        self._reformatting = False
        self.textEdited.connect(self._reformat)
        if not allow_empty:
            self.setText("0")

    def value(self) -> int | None:
        digits = "".join(ch for ch in self.text() if "0" <= ch <= "9")
        if not digits:
            return None if self._allow_empty else 0
        return int(digits)

    def setValue(self, value: int | None) -> None:
        if value is None:
            self.setText("" if self._allow_empty else "0")
        else:
            self.setText(format_vnd(int(value)))
        self.value_changed.emit(self.value())

    def _reformat(self, text: str) -> None:
        if self._reformatting:
            return
        # Keep the cursor after the same number of digits, whatever dots are added or removed before it.
        digits_before = sum(1 for ch in text[: self.cursorPosition()] if ch.isdigit())
        digits = "".join(ch for ch in text if "0" <= ch <= "9").lstrip("0") or ("0" if any(c == "0" for c in text)
                                                                           else "")
        if digits and int(digits) > MAX_VND:
            digits = str(MAX_VND)
        shown = format_vnd(int(digits)) if digits else ""
        self._reformatting = True
        self.setText(shown)
        seen, pos = 0, 0
        for pos, ch in enumerate(shown, start=1):  # noqa: B007 - pos is used after the loop
            if ch.isdigit():
                seen += 1
            if seen >= digits_before:
                break
        self.setCursorPosition(pos if digits_before else 0)
        self._reformatting = False
        self.value_changed.emit(self.value())
