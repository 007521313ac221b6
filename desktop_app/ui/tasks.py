"""Long work off the GUI thread: one helper, ``run_in_background``, with a delayed progress dialog and cancel.

The work itself is a plain function taking a :class:`desktop_app.services.progress.Progress` reporter, so it is
tested without Qt. Callbacks run on the GUI thread. Tests may call :func:`set_synchronous` to run work inline.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop_app.services.progress import Cancelled, Progress

log = logging.getLogger(__name__)
_synchronous = False
_keep: set[object] = set()  # running tasks, kept alive until they report back
DIALOG_DELAY_MS = 500


def set_synchronous(value: bool) -> None:
    """Run background work inline (for tests)."""
    global _synchronous
    _synchronous = value


class _Signals(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object, str)


class _Reporter(Progress):
    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def set_progress(self, done: int, total: int, status: str = "") -> None:
        self._signals.progressed.emit(done, total, status)

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], reporter: _Reporter, signals: _Signals) -> None:
        super().__init__()
        self.fn, self.reporter, self.signals = fn, reporter, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.reporter)
        except BaseException as exc:  # reported to the GUI thread, never swallowed
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.succeeded.emit(result)


def run_in_background(parent: QWidget | None, fn: Callable[[Progress], Any], on_success: Callable[[Any], None],
                      on_failure: Callable[[BaseException, str], None] | None = None, title: str = "Đang xử lý",
                      cancellable: bool = True) -> _Reporter:
    """Run ``fn(progress)`` on a worker thread; a progress dialog appears if it outlives half a second.

    ``on_failure`` gets the exception and its traceback text; without it, the error is shown by
    :func:`desktop_app.ui.errors.show_error`. A ``Cancelled`` exception is not an error: nothing is reported.
    """
    from desktop_app.ui.errors import show_error

    signals = _Signals()
    reporter = _Reporter(signals)

    def failed(exc: BaseException, tb: str) -> None:
        if isinstance(exc, Cancelled):
            return
        if on_failure is not None:
            on_failure(exc, tb)
        else:
            show_error(parent, exc, tb)

    if _synchronous:
        try:
            result = fn(reporter)
        except BaseException as exc:
            failed(exc, traceback.format_exc())
        else:
            on_success(result)
        return reporter

    dialog = QProgressDialog(title, "Hủy" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(DIALOG_DELAY_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.canceled.connect(reporter.cancel)
    timer = QTimer(dialog)
    timer.setSingleShot(True)
    timer.timeout.connect(dialog.show)
    timer.start(DIALOG_DELAY_MS)

    def progressed(done: int, total: int, status: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if status:
            dialog.setLabelText(status)

    def finish() -> None:
        timer.stop()
        dialog.close()
        dialog.deleteLater()
        _keep.discard(signals)

    signals.progressed.connect(progressed)
    signals.succeeded.connect(lambda result: (finish(), on_success(result)))
    signals.failed.connect(lambda exc, tb: (finish(), failed(exc, tb)))
    _keep.add(signals)
    QThreadPool.globalInstance().start(_Job(fn, reporter, signals))
    return reporter


def run_quietly(fn: Callable[[Progress], Any], on_success: Callable[[Any], None],
                on_failure: Callable[[BaseException, str], None] | None = None) -> _Reporter:
    """Like :func:`run_in_background` but with no dialog: for the short queries behind a list (a page, a count, a
    search as the user types), which must never block the GUI thread and never flash a window.

    The caller cancels the returned reporter when newer work makes this result useless (the next keystroke); a
    cancelled job reports nothing, whether it had started or not.
    """
    from desktop_app.ui.errors import show_error

    signals = _Signals()
    reporter = _Reporter(signals)

    def succeeded(result: Any) -> None:
        _keep.discard(signals)
        if not reporter.is_cancelled():
            on_success(result)

    def failed(exc: BaseException, tb: str) -> None:
        _keep.discard(signals)
        if isinstance(exc, Cancelled) or reporter.is_cancelled():
            return
        if on_failure is not None:
            on_failure(exc, tb)
        else:
            show_error(None, exc, tb)

    if _synchronous:
        try:
            result = fn(reporter)
        except BaseException as exc:
            failed(exc, traceback.format_exc())
        else:
            succeeded(result)
        return reporter
    signals.succeeded.connect(succeeded)
    signals.failed.connect(failed)
    _keep.add(signals)
    QThreadPool.globalInstance().start(_Job(fn, reporter, signals))
    return reporter

