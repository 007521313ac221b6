"""Driving modal dialogs in GUI tests: a handler runs once the dialog is up (it must close it), and anything it
raises is re-raised in the test instead of leaving the dialog open forever."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget


class DialogDriver:
    """``with_dialog(handler)`` arms a timer; call the code that opens the dialog next, then ``check()``."""

    def __init__(self) -> None:
        self.seen: list[QWidget] = []
        self.errors: list[BaseException] = []

    def with_dialog(self, handler: Callable[[Any], None]) -> None:
        def run() -> None:
            widget = QApplication.activeModalWidget()
            if widget is None:
                QTimer.singleShot(10, run)
                return
            self.seen.append(widget)
            try:
                handler(widget)
            except BaseException as exc:  # handed back to the test by check()
                self.errors.append(exc)
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()

        QTimer.singleShot(0, run)

    def check(self) -> None:
        if self.errors:
            raise self.errors[0]


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key, Vietnamese letters included (QTest.keyClicks takes ASCII only)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown if not ch.isascii() else
                                                     _key_of(ch), Qt.KeyboardModifier.NoModifier, ch))


def _key_of(ch: str) -> int:
    if ch.isalpha():
        return int(getattr(Qt.Key, f"Key_{ch.upper()}"))
    return int(Qt.Key.Key_unknown) if ch not in _PUNCTUATION else int(_PUNCTUATION[ch])


_PUNCTUATION = {" ": Qt.Key.Key_Space, "/": Qt.Key.Key_Slash, "-": Qt.Key.Key_Minus, ",": Qt.Key.Key_Comma,
                ".": Qt.Key.Key_Period, **{str(d): getattr(Qt.Key, f"Key_{d}") for d in range(10)}}
