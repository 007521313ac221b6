"""Showing errors: a ``UserError`` as a plain message; anything else as a crash dialog with copyable details
and the log file's path (installed as ``sys.excepthook`` too)."""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop_app import __version__
from desktop_app.domain.errors import UserError
from desktop_app.paths import log_file
from desktop_app.ui import msgbox

log = logging.getLogger(__name__)


class CrashDialog(QDialog):
    """An unexpected error: what happened, the details to copy, and where the log is."""

    def __init__(self, parent: QWidget | None, details: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Lỗi không mong muốn")
        layout = QVBoxLayout(self)
        label = QLabel("Chương trình gặp lỗi không mong muốn. Dữ liệu đã lưu không bị ảnh hưởng; thao tác vừa rồi "
                       f"chưa được thực hiện.\nHãy gửi nội dung dưới đây cho bộ phận hỗ trợ. Nhật ký: {log_file()}")
        label.setWordWrap(True)
        layout.addWidget(label)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMinimumSize(620, 260)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox()
        copy = buttons.addButton("Sao chép chi tiết", QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.AcceptRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(self.details.toPlainText()))
        close.clicked.connect(self.accept)
        layout.addWidget(buttons)


def crash_details(tb: str) -> str:
    return (f"Phiên bản: khuyencong {__version__}; Python {platform.python_version()}; Qt {qVersion()}; "
            f"{platform.platform()}\n\n{tb}")


def show_error(parent: QWidget | None, exc: BaseException, tb: str = "") -> None:
    """A user error as a message; anything else logged and shown in the crash dialog."""
    if isinstance(exc, UserError):
        msgbox.warning(parent, exc.message)
        return
    tb = tb or "".join(traceback.format_exception(exc))
    log.error("unexpected error\n%s", tb)
    CrashDialog(parent, crash_details(tb)).exec()


def install_excepthook() -> None:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, exc, tb))
        if isinstance(exc, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        show_error(QApplication.activeWindow(), exc, text)

    sys.excepthook = hook
