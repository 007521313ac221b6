"""The contract between the main window and its screens."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop_app.services.auth import Actor
from desktop_app.services.context import Services


class Page(QWidget):
    """A screen of the main window: built with the services and the signed-in user; ``refresh`` reloads it.

    ``title`` names the screen in the navigation. A page may implement ``new_item``, ``save``, ``focus_search``
    and ``print_current`` to answer the main window's toolbar actions (Ctrl+N, Ctrl+S, Ctrl+F, Ctrl+P).
    """

    title = ""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor

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
