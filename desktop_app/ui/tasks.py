"""Long work off the GUI thread: one helper, ``run_in_background``, with a delayed progress dialog and cancel.

The work itself is a plain function taking a :class:`desktop_app.progress.Progress` reporter, so it is
tested without Qt. Callbacks run on the GUI thread. Tests may call :func:`set_synchronous` to run work inline.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop_app.progress import Cancelled, Progress
from desktop_app.ui import gc_guard
from desktop_app.ui.errors import show_error

log = logging.getLogger(__name__)
_synchronous = False
_keep: set[object] = set()  # running tasks, kept alive until they report back
DIALOG_DELAY_MS = 500


def set_synchronous(value: bool) -> None:
    """Run background work inline (for tests)."""
    global _synchronous
    _synchronous = value


def is_synchronous() -> bool:
    """Whether background work runs inline (tests)."""
    return _synchronous


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


def _collect_on_gui_thread() -> None:
    """Before the first worker starts: garbage collection only on the GUI thread (see :mod:`gc_guard`)."""
    app = QCoreApplication.instance()
    if app is not None:
        gc_guard.install(app)


def run_in_background(parent: QWidget | None, fn: Callable[[Progress], Any], on_success: Callable[[Any], None],
                      on_failure: Callable[[BaseException, str], None] | None = None, title: str = "Đang xử lý",
                      cancellable: bool = True) -> _Reporter:
    """Run ``fn(progress)`` on a worker thread; a progress dialog appears if it outlives half a second.

    ``on_failure`` gets the exception and its traceback text; without it, the error is shown by
    :func:`desktop_app.ui.errors.show_error`. A ``Cancelled`` exception is not an error: nothing is reported.
    """
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
        _run_now(fn, reporter, on_success, failed)
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
    def succeeded(result: object) -> None:
        finish()
        on_success(result)

    def stopped(exc: BaseException, tb: str) -> None:
        finish()
        failed(exc, tb)

    signals.succeeded.connect(succeeded)
    signals.failed.connect(stopped)
    _keep.add(signals)
    _collect_on_gui_thread()
    QThreadPool.globalInstance().start(_Job(fn, reporter, signals))
    return reporter


class _Delivery(QObject):
    """One object for the program's life that tells the GUI thread a quiet job has finished.

    A per-job signals object could be freed by the GUI thread (once it has handled the result) while the worker
    was still returning from ``emit`` on it: a crash. This one is never freed, and it carries only the job's
    number; the outcome waits in ``_outcomes`` (no Python object crosses the threads inside a Qt event).
    """

    finished = Signal(int)


_delivery: _Delivery | None = None
_waiting: dict[int, tuple[_QuietReporter, Callable[[Any], None], Callable[[BaseException, str], None]]] = {}
_outcomes: dict[int, tuple[Any, BaseException | None, str]] = {}
_outcomes_lock = threading.Lock()
_numbers = iter(range(1, 2**62))


def _deliver(number: int) -> None:
    with _outcomes_lock:
        outcome = _outcomes.pop(number, None)
    if outcome is None:  # already handed over by the wait in run_quietly
        return
    result, exc, tb = outcome
    _reporter, succeeded, failed = _waiting.pop(number)
    if exc is None:
        succeeded(result)
    else:
        failed(exc, tb)


class _QuietReporter(Progress):
    """Cancellation only (a quiet job shows no progress); no Qt object, so nothing of Qt is freed on a worker."""

    def __init__(self) -> None:
        self._cancel = threading.Event()

    def set_progress(self, done: int, total: int, status: str = "") -> None:
        pass

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


def _quiet_job(number: int, fn: Callable[[Progress], Any], reporter: _QuietReporter,
               done: threading.Event | None = None) -> Callable[[], None]:
    """The work as a plain callable for the thread pool: a Python ``QRunnable`` subclass would be freed on the
    worker thread, and freeing a Qt wrapper there is deferred to the main thread, which crashed (shiboken 6.11)."""

    def run() -> None:
        try:
            outcome: tuple[Any, BaseException | None, str] = (fn(reporter), None, "")
        except BaseException as exc:  # reported to the GUI thread, never swallowed
            outcome = (None, exc, traceback.format_exc())
        with _outcomes_lock:
            _outcomes[number] = outcome
        if done is not None:
            done.set()
        assert _delivery is not None
        _delivery.finished.emit(number)

    return run


def run_quietly(fn: Callable[[Progress], Any], on_success: Callable[[Any], None],
                on_failure: Callable[[BaseException, str], None] | None = None,
                wait_s: float = 0.0) -> _QuietReporter:
    """Like :func:`run_in_background` but with no dialog: for the short queries behind a list (a page, a count, a
    search as the user types), which must never block the GUI thread and never flash a window.

    Call it on the GUI thread. The caller cancels the returned reporter when newer work makes this result useless
    (the next keystroke); a cancelled job reports nothing, whether it had started or not.

    ``wait_s`` (a list just opened): the GUI thread waits that long at most for the worker, and if the work is done
    by then its outcome is handed over at once, before this returns (the list is painted once, with its rows, and
    not empty first); otherwise it comes through the event loop as usual. The work still runs on the worker.
    """
    global _delivery

    reporter = _QuietReporter()

    def succeeded(result: Any) -> None:
        if not reporter.is_cancelled():
            on_success(result)

    def failed(exc: BaseException, tb: str) -> None:
        if isinstance(exc, Cancelled) or reporter.is_cancelled():
            return
        if on_failure is not None:
            on_failure(exc, tb)
        else:
            show_error(None, exc, tb)

    if _synchronous:
        _run_now(fn, reporter, succeeded, failed)
        return reporter
    if _delivery is None:
        _delivery = _Delivery()
        _delivery.finished.connect(_deliver)
    _collect_on_gui_thread()
    number = next(_numbers)
    _waiting[number] = (reporter, succeeded, failed)
    done = threading.Event() if wait_s > 0 else None
    QThreadPool.globalInstance().start(_quiet_job(number, fn, reporter, done))
    if done is not None and done.wait(wait_s):
        _deliver(number)  # the queued notice that follows finds nothing left to deliver
    return reporter


def _run_now(fn: Callable[[Any], Any], reporter: Any, succeeded: Callable[[Any], object],
             failed: Callable[[BaseException, str], object]) -> None:
    """Run ``fn`` on this thread (tests switch the helpers to it) and hand its outcome on as a worker would."""
    try:
        result = fn(reporter)
    except BaseException as exc:
        failed(exc, traceback.format_exc())
    else:
        succeeded(result)
