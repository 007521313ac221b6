"""Guards against a Qt binding that corrupts the interpreter.

PySide6 6.12.0 drops a reference to ``None``/``True`` on every signal emission; after a few thousand signals
the interpreter aborts ("deallocating None"). pyproject.toml pins PySide6 below 6.12; this test fails if a
binding with that defect is installed anyway.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit


class _Emitter(QObject):
    changed = Signal(int)
    toggled = Signal(bool)


def test_signal_emission_keeps_none_and_true_alive(qtbot) -> None:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    emitter = _Emitter()
    received: list[object] = []
    emitter.toggled.connect(received.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(200):
        edit.setText(str(i))
        emitter.changed.emit(i)
        emitter.toggled.emit(True)
    received.clear()
    assert sys.getrefcount(None) - none_before > -50
    assert sys.getrefcount(True) - true_before > -50
