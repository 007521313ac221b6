"""F1: the Vietnamese guide shipped in ``resources/help`` (by task and by role), shown in a QTextBrowser and opened
at the section of the screen the user is on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop_app.paths import resources_dir

#: The guide's section for each screen of the main window (its key in ``main_window.SCREENS``).
SECTIONS = {
    "dashboard": "tong-quan", "establishments": "co-so", "proposals": "de-an", "appraisal": "tham-dinh",
    "acceptance": "nghiem-thu", "finance": "giai-ngan", "reports": "bao-cao", "admin": "danh-muc",
    "plans": "ke-hoach", "councils": "hoi-dong", "audit": "nhat-ky",
}

#: Where the guide explains why a workflow action may be locked (``Action`` values → the task's "Vì sao" part).
WHY_SECTIONS = {
    "submit": "vi-sao-de-an", "cancel": "vi-sao-de-an", "withdraw": "vi-sao-rut-lai",
    "return": "vi-sao-tham-dinh", "open_council": "vi-sao-tham-dinh", "pass_appraisal": "vi-sao-tham-dinh",
    "fail_appraisal": "vi-sao-tham-dinh", "send_to_ministry": "vi-sao-tham-dinh", "approve": "vi-sao-tham-dinh",
    "report_completion": "vi-sao-nghiem-thu", "accept": "vi-sao-nghiem-thu",
    "sign_contract": "vi-sao-giai-ngan", "settle": "vi-sao-giai-ngan", "stop": "vi-sao-giai-ngan",
}
WHY_GENERAL = "vi-sao"


def why_anchor(actions: Iterable[object]) -> str:
    """The guide's part for the first locked action's task (scoring → appraisal, disbursement → finance …), or
    the general "why is an action locked" section."""
    for action in actions:
        anchor = WHY_SECTIONS.get(str(getattr(action, "value", action)))
        if anchor:
            return anchor
    return WHY_GENERAL


#: The screens the guide shows, made small by ``khuyencong screenshots --help-images resources/help/anh``.
GUIDE_IMAGES = ("01-tong-quan.png", "03-de-an.png", "04-tham-dinh.png", "09-ke-hoach.png", "10-hoi-dong.png",
                "11-nhat-ky.png")


def guide_path() -> str:
    return str(resources_dir() / "help" / "huong-dan.html")


class HelpDialog(QDialog):
    """The guide; links inside it move to their section. Not modal, so the user can follow it while working."""

    def __init__(self, parent: QWidget | None = None, section: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn sử dụng (F1)")
        self.resize(820, 680)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        # The pictures are handed to the document up front instead of being looked up through the file URL: the
        # lookup went wrong with the program's application set-up (the image was refused as too large).
        document = self.browser.document()
        for name in GUIDE_IMAGES:
            image = QImage(str(resources_dir() / "help" / "anh" / name))
            if not image.isNull():
                document.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(f"anh/{name}"), image)
        self.browser.setHtml(Path(guide_path()).read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.section = ""
        self.show_section(section)

    def show_section(self, section: str) -> None:
        if section:
            self.section = section  # the anchor last shown
            self.browser.scrollToAnchor(section)


def show_help(parent: QWidget | None, screen_key: str = "", anchor: str = "") -> HelpDialog:
    """Open (or bring forward) the guide at ``anchor``, or else at the section of the screen ``screen_key``."""
    section = anchor or SECTIONS.get(screen_key, "")
    dialog = parent.findChild(HelpDialog) if parent is not None else None
    if dialog is None:
        dialog = HelpDialog(parent, section)
    dialog.show()
    dialog.show_section(section)  # again once shown: the layout (and so the anchor's place) is final only now
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def install_help_key(widget: QWidget, anchor: Callable[[], str]) -> QShortcut:
    """F1 in a dialog of its own (the proposal editor) opens the guide at ``anchor()``, chosen when pressed."""
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), widget)
    shortcut.activated.connect(lambda: show_help(widget, anchor=anchor()))
    return shortcut
