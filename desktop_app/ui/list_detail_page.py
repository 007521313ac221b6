"""The frame of the record screens (Thẩm định, Nghiệm thu, Giải ngân): a list of proposals on the left, the proposal
chosen in it on the right under its heading (code, title and state).

:class:`ListDetailPage` builds the frame and wires the list to the detail; a screen fills in :meth:`build_detail`
(the right-hand side under the heading) and :meth:`show_proposal` (show one proposal, or none). A screen whose
input can be left unsaved overrides :meth:`may_leave_for`: the list then keeps its selection while the answer is
no. The list is a :class:`~desktop_app.ui.widgets.proposal_list.ProposalList` unless :meth:`build_list` gives
another widget with the same signal and methods (the appraiser's own score sheets).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Protocol

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from desktop_app.domain.enums import Status
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import ProposalDetail
from desktop_app.ui.page import Page
from desktop_app.ui.widgets.display import proposal_heading
from desktop_app.ui.widgets.proposal_list import SIDE_LIST_WIDTH, ProposalList

#: The width the two sides share at first: the room beside the navigation on an office screen.
DETAIL_ROOM = 1050


class SideList(Protocol):
    """What the page needs of the list on the left (a :class:`ProposalList` has it)."""

    proposal_selected: SignalInstance

    def reload(self) -> None: ...

    def select_id(self, proposal_id: int) -> bool: ...

    def current_id(self) -> int | None: ...

    def set_change_guard(self, guard: Callable[[int | None], bool]) -> None: ...

    def focus_search(self) -> None: ...


class ListDetailPage(Page):
    """A list of proposals on the left, the one chosen on the right; subclasses fill in the right-hand side.

    Subclasses set :attr:`list_choices` (the status filter of the list) and :attr:`list_name` (where the list's
    column layout is remembered), then call :meth:`start` at the end of their ``__init__``.
    """

    list_choices: ClassVar[Sequence[tuple[str, Sequence[Status]]]] = ()
    list_name: ClassVar[str] = "proposal_list"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self.proposal_id: int | None = None
        self.proposals: ProposalList | None = None

    # --- building ------------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Build the frame, show no proposal, then load the list (which may select its first proposal)."""
        self._build_frame()
        self.show_proposal(None)
        self.refresh()

    def _build_frame(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        self.side_list = self.build_list()
        self.side_list.proposal_selected.connect(self._on_list_selected)
        self.side_list.set_change_guard(self.may_leave_for)
        assert isinstance(self.side_list, QWidget)
        splitter.addWidget(self.side_list)
        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(6, 0, 0, 0)
        head, self.header, self.status_label = proposal_heading()
        layout.addLayout(head)
        self.build_detail(layout)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([SIDE_LIST_WIDTH, DETAIL_ROOM - SIDE_LIST_WIDTH])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(splitter)

    def build_list(self) -> SideList:
        """The list on the left: the proposals in :attr:`list_choices`."""
        self.proposals = ProposalList(self.services, self.actor, self.list_choices, name=self.list_name)
        return self.proposals

    def build_detail(self, layout: QVBoxLayout) -> None:
        """Add the right-hand side's widgets under the heading."""
        raise NotImplementedError

    @staticmethod
    def empty_label(text: str) -> QLabel:
        """What the right-hand side says while no proposal is chosen."""
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        return label

    # --- showing -------------------------------------------------------------------------------------------------

    def show_proposal(self, proposal_id: int | None) -> None:
        """Show ``proposal_id`` on the right (None: nothing chosen); what is shown replaces anything typed."""
        raise NotImplementedError

    def show_heading(self, detail: ProposalDetail | None) -> None:
        """The heading over the right-hand side: code and title, and the state as a badge."""
        self.header.setText(f"{detail.code} — {detail.title}" if detail is not None else "")
        if detail is not None:
            self.status_label.setText(detail.status.label)
        self.status_label.setVisible(detail is not None)

    def refresh(self) -> None:
        """Reload the list, and the shown proposal unless something typed is not saved yet."""
        self.side_list.reload()
        if self.proposal_id is not None and not self.has_unsaved_changes():
            self.show_proposal(self.proposal_id)

    def reload_showing(self, proposal_id: int) -> None:
        """After an action: reload the list and show ``proposal_id`` afresh, even when it left the list's filter."""
        self.side_list.reload()
        if self.proposal_id != proposal_id or self.side_list.current_id() != proposal_id:
            self.side_list.select_id(proposal_id)
        self.show_proposal(proposal_id)

    def select_proposal(self, proposal_id: int) -> bool:
        """Show a proposal (from another screen, or a test); False when it is not in the list."""
        return self.side_list.select_id(proposal_id)

    def focus_search(self) -> None:
        self.side_list.focus_search()

    # --- unsaved input -------------------------------------------------------------------------------------------

    def may_leave(self) -> bool:
        return self.may_leave_for(None)

    def may_leave_for(self, _new_id: int | None) -> bool:
        """Whether the shown proposal may be left for ``new_id`` (save or ask first); True when nothing is typed."""
        return True

    def _on_list_selected(self, proposal_id: object) -> None:
        self.show_proposal(proposal_id if isinstance(proposal_id, int) else None)
