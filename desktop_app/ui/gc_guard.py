"""Python's cyclic garbage collection only on the GUI thread.

The collector runs in whichever thread happens to allocate when a threshold is passed. With list pages, counts
and the database opening on worker threads, that is often a worker; collecting a dead widget there makes
shiboken defer the widget's deletion to the main thread, which crashed (a double deletion, shiboken 6.11). So
automatic collection is switched off and a timer on the GUI thread collects instead, generation by generation as
the thresholds say — the remedy pyqtgraph uses for the same crash.
"""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 200
_installed: QTimer | None = None


def _collect() -> None:
    gen0, gen1, gen2 = gc.get_count()
    first, second, third = gc.get_threshold()
    if gen0 > first:
        gc.collect(0)
        if gen1 > second:
            gc.collect(1)
            if gen2 > third:
                gc.collect(2)


def install(parent: QObject) -> None:
    """Collect on the GUI thread from now on (call it there, with a long-lived ``parent`` such as the app)."""
    global _installed
    if _installed is not None or threading.current_thread() is not threading.main_thread():
        return
    gc.disable()
    timer = QTimer(parent)
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(_collect)
    timer.start()
    _installed = timer
