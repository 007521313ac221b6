"""What every tab of the proposal editor has, and the small builders they share.

A tab shows one part of the proposal (``fill``), locks its inputs outside the draft state or for a role that does
not draft (``set_editable``), hands over what it contributes to “Lưu” (``collect``) and shows a service's refusal
about its own input (``show_error``). The editor (:mod:`desktop_app.ui.proposals.editor`) loads, saves and runs
the workflow; the tabs never call each other.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QPushButton, QTableView, QTabWidget, QWidget

from desktop_app.domain.errors import UserError


def button(text: str, tooltip: str = "", parent: QWidget | None = None) -> QPushButton:
    """A button that never becomes the dialog's default: Enter in a field must not submit the whole proposal."""
    result = QPushButton(text, parent)
    result.setAutoDefault(False)
    result.setDefault(False)
    if tooltip:
        result.setToolTip(tooltip)
    return result


def list_table(parent: QWidget) -> QTableView:
    """A read-only list of whole rows (beneficiaries, attachments, history, documents)."""
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(24)
    view.setTabKeyNavigation(False)
    return view


class ProposalTab(QWidget):
    """One tab of the editor. Tabs whose records are stored as they are made (attachments) or that only show
    records (history, documents) contribute nothing to “Lưu” and stay usable in every state."""

    def set_editable(self, editable: bool, reason: str | None = None) -> None:
        """Lock or unlock the tab's inputs; ``reason`` says why they are locked (shown as the tooltip)."""

    def collect(self) -> Any:
        """What the tab contributes to “Lưu”; ``None`` for a tab that contributes nothing."""
        return None

    def show_error(self, exc: UserError) -> bool:
        """Show a service's refusal beside the input it names, if that input is on this tab; True when shown."""
        return False

    def reveal(self) -> None:
        """Bring this tab to the front (a message or the cursor is about to go on it)."""
        tabs = self.parentWidget()
        while tabs is not None and not isinstance(tabs, QTabWidget):
            tabs = tabs.parentWidget()
        if tabs is None:
            return
        index = tabs.indexOf(self)
        if index >= 0 and tabs.isTabEnabled(index):
            tabs.setCurrentIndex(index)
