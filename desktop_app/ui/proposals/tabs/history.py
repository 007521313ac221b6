"""The “Lịch sử” tab: every step and change of the proposal, who made it and when (read in every state)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHeaderView, QVBoxLayout, QWidget

from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.ui.proposals.models import history_model
from desktop_app.ui.proposals.tabs.base import ProposalTab, list_table


class HistoryTab(ProposalTab):
    """The proposal's history, newest last; long notes wrap."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self.model = history_model(self)
        self.table = list_table(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Lịch sử đề án")
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for column, width in ((0, 130), (1, 110), (2, 130), (4, 120), (5, 100)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def fill(self, proposal_id: int) -> None:
        """The history of the saved proposal ``proposal_id``, as the services have it now."""
        self.model.set_rows(self._services.proposals.history(self._actor, proposal_id))
        if self.isVisible():
            self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # rows fit their (wrapped) text only once the table has its real width
        QTimer.singleShot(0, self.table.resizeRowsToContents)
