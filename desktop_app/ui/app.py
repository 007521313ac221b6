"""Starting the desktop program: logging, the Qt application and its fonts, the database, sign-in, main window.

``main(argv)`` is called by :mod:`desktop_app.launcher` with the raw arguments: ``[]`` for a plain start,
``["--db", URL]`` for another database (the screenshot command is dispatched by the launcher, not here).

The login window is on screen before the database layer (SQLAlchemy, the services, the drivers) is even imported:
a worker imports it and opens the database while the user types (only modules without Qt: PySide's classes are
set up on first use, which must happen on the GUI thread). This module therefore imports only Qt and light
modules at its top; the rest is imported where used.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from desktop_app import APP_NAME, __version__
from desktop_app.domain.errors import DatabaseVersionError, UserError
from desktop_app.paths import default_database_url, log_file
from desktop_app.ui import msgbox, settings
from desktop_app.ui.fonts import register_fonts
from desktop_app.ui.login import LoginDialog
from desktop_app.ui.qt_vietnamese import QtVietnameseTranslator
from desktop_app.ui.qt_vietnamese import install as install_qt_vietnamese
from desktop_app.ui.settings import APPLICATION, ORGANISATION

if TYPE_CHECKING:
    from desktop_app.progress import Progress
    from desktop_app.services.auth import Actor
    from desktop_app.services.context import Services

log = logging.getLogger(__name__)


def setup_logging() -> None:
    """Log to the user's log file (rotated), once per process (at start-up: once the login window is up)."""
    from logging.handlers import RotatingFileHandler  # ~14 ms: after the login window is up

    root = logging.getLogger()
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return
    handler = RotatingFileHandler(log_file(), maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


#: A field that cannot be typed in looks it: grey like a disabled list, on every form, without each form doing so.
READ_ONLY_STYLE = ("QLineEdit[readOnly=\"true\"], QPlainTextEdit[readOnly=\"true\"], QTextEdit[readOnly=\"true\"]"
                   " { background-color: #eceff3; color: #333333; }")


def application() -> QApplication:
    """The Qt application (the running one in tests), with the program's name, style and fonts."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    # Lists and the database open on worker threads; a shorter switch interval lets the GUI thread take the
    # interpreter back within a millisecond instead of five while a worker runs Python code.
    sys.setswitchinterval(0.001)
    if not app.property("khuyencong_styled"):
        # Once per process: setting the style again re-polishes every widget, which under an application style
        # sheet can reach widgets already on their way out.
        app.setStyle("Fusion")  # the same look on Windows and Linux, and in the screenshots
        app.setStyleSheet(app.styleSheet() + READ_ONLY_STYLE)
        app.setProperty("khuyencong_styled", True)
    register_fonts(app, point_size=settings.get(settings.FONT_SIZE))
    if not any(isinstance(child, QtVietnameseTranslator) for child in app.children()):
        install_qt_vietnamese(app)
    return app


def open_services(url: str) -> tuple[Services, str | None]:
    """Open and migrate the database (imports the database layer on first use)."""
    # start-up: the database layer only once the login window is shown
    from desktop_app.services.context import open_services as open_and_migrate

    return open_and_migrate(url)


def open_database(url: str) -> Services | None:
    """Open and migrate the database; a clear message (and None) when that is not possible."""
    try:
        services, backup = open_services(url)
    except Exception as exc:
        explain_open_failure(url, exc)
        return None
    announce_backup(backup)
    from desktop_app.services.backup import BackupService  # the database layer: after the login window is shown

    BackupService(services.db).daily()  # the first start of each day keeps a copy in the data folder
    return services


def explain_open_failure(url: str, exc: BaseException) -> None:
    if isinstance(exc, DatabaseVersionError):
        log.warning("database too new: %s", exc.message)
        msgbox.warning(None, exc.message, title="Không mở được cơ sở dữ liệu")
        return
    if isinstance(exc, UserError):
        msgbox.warning(None, exc.message, title="Không mở được cơ sở dữ liệu")
        return
    # driver errors differ between SQLite and PostgreSQL; all mean "cannot connect"
    log.error("cannot open database %s", _hide_password(url), exc_info=exc)
    msgbox.warning(None, "Không kết nối được cơ sở dữ liệu.\n\n"
                         f"Địa chỉ: {_hide_password(url)}\nLỗi: {exc.__class__.__name__}: {str(exc).strip()[:300]}"
                         f"\n\nHãy kiểm tra máy chủ, tên cơ sở dữ liệu và mật khẩu. Nhật ký: {log_file()}",
                   title="Không mở được cơ sở dữ liệu")


def announce_backup(backup: str | None) -> None:
    if backup:
        log.info("backup before migration: %s", backup)
        msgbox.information(None, "Cơ sở dữ liệu đã được nâng cấp lên phiên bản mới của chương trình.\n"
                                 f"Bản sao lưu trước khi nâng cấp: {backup}", title="Đã nâng cấp cơ sở dữ liệu")


class DatabaseOpening:
    """The database being opened on a worker while the login window waits for the user.

    ``wait()`` blocks until it is done (a user who signs in faster than the database opens); the outcome is in
    ``services`` / ``backup`` / ``error`` / ``has_users`` / ``organisation_name``.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.services: Services | None = None
        self.backup: str | None = None
        self.error: BaseException | None = None
        self.has_users = True
        self.organisation_name = ""
        self._done = threading.Event()

    def start(self, on_done: Any) -> None:
        from desktop_app.ui.tasks import run_quietly  # the worker machinery: after the login window is shown

        run_quietly(self._open, lambda _r: on_done(), lambda _exc, _tb: on_done())

    def _open(self, _progress: Progress) -> None:
        try:
            self.services, self.backup = open_services(self.url)
            from desktop_app.services.backup import BackupService  # the database layer: after the login window is shown

            BackupService(self.services.db).daily()  # the first start of each day keeps a copy in the data folder
            self.has_users = self.services.auth.has_users()
            if self.has_users:
                self.organisation_name = self.services.organisation.get().name
        except BaseException as exc:
            self.error = exc
        finally:
            self._done.set()

    def wait(self) -> Services | None:
        self._done.wait()
        return self.services

    @property
    def done(self) -> bool:
        return self._done.is_set()


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


class ReconnectRequested(Exception):
    """The user saved another database connection: close this one and open the new one."""


def sign_in(services: Services) -> Actor | None:
    """The first-run wizard on an empty database, else the login dialog; None when the user gives up."""
    if not services.auth.has_users():
        return first_run(services)
    dialog = LoginDialog(services, organisation_name=services.organisation.get().name)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        if dialog.reconnect:
            raise ReconnectRequested
        return None
    return dialog.actor


def first_run(services: Services) -> Actor | None:
    from desktop_app.ui.first_run import FirstRunWizard  # only an empty database needs the wizard

    wizard = FirstRunWizard(services)
    if wizard.exec() != QDialog.DialogCode.Accepted or wizard.actor is None:
        return None
    return wizard.actor


def run(app: QApplication, services: Services, actor: Actor | None = None) -> int:
    """Sign in (unless ``actor`` already did), show the main window, and sign in again after "Đăng xuất" until
    the user quits."""
    from desktop_app.ui.main_window import MainWindow  # start-up: the main window and its screens only after sign-in
    from desktop_app.ui.proposals.editor import offer_kept_draft

    while True:
        if actor is None:
            actor = sign_in(services)
        if actor is None:
            return 0
        log.info("signed in: %s (%s)", actor.username, actor.role.value)
        window = MainWindow(services, actor)
        window.show()
        # A proposal left with unsaved input by a crash is offered back once the window is up.
        QTimer.singleShot(0, lambda w=window, a=actor: offer_kept_draft(w, services, a))
        code = app.exec()
        if not window.logged_out:
            return code
        window.deleteLater()
        if window.reconnect:
            raise ReconnectRequested
        actor = None


def start(app: QApplication, url: str) -> int | None:
    """Show the login window at once, open the database behind it, then sign in and run. None: the database
    could not be opened (the reason was shown).

    Raises:
        ReconnectRequested: the user chose another database to work on.
    """
    login = LoginDialog(None)
    opening = DatabaseOpening(url)
    login.wait_for(opening.wait)
    login.show()
    setup_logging()  # the log file and its handler's modules: after the window is up
    log.info("khuyencong %s starting, database %s", __version__, _hide_password(url))
    from desktop_app.ui.errors import install_excepthook  # its dialogs' Qt classes: after the window is up

    install_excepthook()
    waiting = QEventLoop()
    closed: list[int] = []
    login.finished.connect(closed.append)
    login.finished.connect(waiting.quit)  # the user quit (or signed in) before the database was open
    opening.start(waiting.quit)
    if not opening.done:
        waiting.exec()
    services = opening.wait()
    if services is None:
        login.close()
        explain_open_failure(url, opening.error or RuntimeError("?"))
        return None
    try:
        announce_backup(opening.backup)
        actor: Actor | None = None
        if not opening.has_users:
            login.close()
            actor = first_run(services)
            if actor is None:
                return 0
        else:
            login.attach(services, opening.organisation_name)
            if login.actor is None and not closed:
                login.exec()
            if login.reconnect:  # "Kết nối cơ sở dữ liệu…" chose another database
                raise ReconnectRequested
            if login.actor is None:
                return 0
            actor = login.actor
        return run(app, services, actor)
    finally:
        services.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="khuyencong", description=APP_NAME)
    parser.add_argument("--db", help="địa chỉ cơ sở dữ liệu (mặc định: tệp SQLite trong thư mục dữ liệu)")
    return parser


def main(argv: list[str]) -> int:
    """Start the GUI; returns the process exit code (the log file is set up once the login window is up)."""
    args, rest = _parser().parse_known_args(argv)
    if rest:
        _parser().error(f"tham số không hợp lệ: {' '.join(rest)}")
    app = application()
    while True:
        url = args.db or default_database_url()
        try:
            code = start(app, url)
        except ReconnectRequested:
            log.info("reconnecting to the newly chosen database")
            continue
        if code is not None:
            return code
        if args.db or os.environ.get("KHUYENCONG_DB") or not _choose_connection():
            return 1


def _choose_connection() -> bool:
    """After a failed start: offer the connection dialog; True when the user saved another connection."""
    from desktop_app.ui.connection_dialog import ConnectionDialog  # only after a failed start (~20 ms)

    if not msgbox.confirm(None, "Mở “Kết nối cơ sở dữ liệu…” để chọn hoặc sửa kết nối?", title="Kết nối"):
        return False
    return ConnectionDialog().exec() == QDialog.DialogCode.Accepted
