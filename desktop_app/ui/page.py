"""The contract between the main window and its screens."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from desktop_app.services.auth import Actor
from desktop_app.services.context import Services

#: The toolbar actions a page may answer, with what each does (for the reason shown when a page does not).
TOOLBAR_ACTIONS = {"new": "thêm mới", "save": "lưu", "find": "tìm", "print": "in hoặc xuất"}


class Page(QWidget):
    """A screen of the main window: built with the services and the signed-in user; ``refresh`` reloads it.

    ``title`` names the screen in the navigation. A page declares in ``toolbar_actions`` which of the main window's
    toolbar actions it answers ("new", "save", "find", "print" → ``new_item``, ``save``, ``focus_search``,
    ``print_current``; Ctrl+N, Ctrl+S, Ctrl+F, Ctrl+P); the window disables the others with the reason in the
    tooltip. A page whose answer depends on what is shown overrides ``action_refusal`` and emits
    ``actions_changed`` when that changes.
    """

    title = ""
    toolbar_actions: ClassVar[frozenset[str]] = frozenset()
    actions_changed = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor

    def action_refusal(self, name: str) -> str | None:
        """Why the toolbar action ``name`` does nothing on this page now, or None when it works."""
        if name in self.toolbar_actions:
            return None
        return f"Màn hình “{self.title}” không có chức năng {TOOLBAR_ACTIONS.get(name, name)}."

    def refresh(self) -> None:
        """Reload what the page shows from the services."""

    def has_unsaved_changes(self) -> bool:
        """Whether something typed on this page is not saved yet."""
        return False

    def may_leave(self) -> bool:
        """Called before the window closes or the user signs out: save or ask; False keeps the window open."""
        return True

    def new_item(self) -> None:
        """Ctrl+N."""

    def save(self) -> None:
        """Ctrl+S."""

    def focus_search(self) -> None:
        """Ctrl+F: focus the search box."""

    def print_current(self) -> None:
        """Ctrl+P: print or export what is shown."""
