"""The Nghiệm thu screen: the acceptance council, the verified amount of every budget line (khuyến công,
counterpart, other) beside the planned one, the outcome figures planned vs achieved, the conclusion.

Staff and managers record the result ("Ghi kết quả", as often as needed until sign-off); a manager signs it
off ("Ký duyệt nghiệm thu"), after which every input is read-only. The services decide who may do each; the
screen shows their refusal. The form itself (:class:`AcceptanceForm`, :mod:`desktop_app.ui.acceptance.form`) is
also the body of ``acceptance_dialog``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Action, Status
from desktop_app.domain.errors import UserError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.ui import msgbox
from desktop_app.ui.acceptance.form import AcceptanceForm
from desktop_app.ui.appraisal.forms import SIDE_LIST_WIDTH, ProposalList, proposal_heading, show_success
from desktop_app.ui.errors import show_error
from desktop_app.ui.finance.dialogs import sign_off_acceptance_dialog
from desktop_app.ui.page import Page
from desktop_app.ui.widgets import FieldMessage

CHOICES: list[tuple[str, tuple[Status, ...]]] = [
    ("Chờ nghiệm thu và đã nghiệm thu", (Status.AWAITING_ACCEPTANCE, Status.ACCEPTED)),
    (Status.AWAITING_ACCEPTANCE.label, (Status.AWAITING_ACCEPTANCE,)),
    (Status.ACCEPTED.label, (Status.ACCEPTED,)),
    (Status.SETTLED.label, (Status.SETTLED,)),
]




class AcceptancePage(Page):
    """Nghiệm thu: record the acceptance council's result line by line; a manager signs it off."""

    title = "Nghiệm thu"
    toolbar_actions = frozenset({"save", "find"})

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self.proposal_id: int | None = None
        self._build()
        self.refresh()

    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        self.proposals = ProposalList(self.services, self.actor, CHOICES, name="acceptance/proposals")
        self.proposals.proposal_selected.connect(self._on_proposals_selected)
        self.proposals.set_change_guard(self._may_leave)
        splitter.addWidget(self.proposals)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        head, self.header, self.status_label = proposal_heading()
        right_layout.addLayout(head)
        self.empty = QLabel("Chọn một đề án ở danh sách bên trái để ghi kết quả nghiệm thu.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right_layout.addWidget(self.empty, 1)
        self.form = AcceptanceForm(self.services, self.actor)
        self.form.changed.connect(self._on_form_changed)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.form)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        right_layout.addWidget(self.scroll, 1)
        buttons = QHBoxLayout()
        self.record_button = QPushButton("&Ghi kết quả")
        self.record_button.setToolTip("Ghi kết quả nghiệm thu (Ctrl+S); ghi lại được cho tới khi ký duyệt")
        self.sign_button = QPushButton("Ký &duyệt nghiệm thu…")
        self.record_button.clicked.connect(self.save)
        self.sign_button.clicked.connect(self._on_sign_clicked)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_button)
        right_layout.addLayout(buttons)
        self.message = FieldMessage()
        right_layout.addWidget(self.message)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([SIDE_LIST_WIDTH, 1050 - SIDE_LIST_WIDTH])  # the room beside the navigation
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)
        self._show(None)

    # --- loading -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list, and the shown proposal unless something typed is not recorded yet."""
        self.proposals.reload()
        if self.proposal_id is not None and not self.has_unsaved_changes():
            self._show(self.proposal_id)

    def select_proposal(self, proposal_id: int) -> bool:
        return self.proposals.select_id(proposal_id)

    def _show(self, proposal_id: int | None) -> None:
        self.proposal_id = proposal_id
        self.message.clear_message()
        has = proposal_id is not None
        self.empty.setVisible(not has)
        self.scroll.setVisible(has)
        self.record_button.setVisible(has)
        self.sign_button.setVisible(has)
        self.status_label.setVisible(has)
        if proposal_id is None:
            self.header.setText("")
            self.actions_changed.emit()
            return
        try:
            self.form.load(proposal_id)
        except UserError as exc:
            msgbox.warning(self, exc.message)
            return
        detail = self.form.detail
        assert detail is not None
        self.header.setText(f"{detail.code} — {detail.title}")
        self.status_label.setText(detail.status.label)
        self._apply_actions()

    def _apply_actions(self) -> None:
        assert self.proposal_id is not None
        signed = bool(self.form.acceptance and self.form.acceptance.signed_off)
        self.record_button.setEnabled(not signed)
        self.record_button.setToolTip("Kết quả nghiệm thu đã được ký duyệt; không sửa được." if signed else
                                      "Ghi kết quả nghiệm thu (Ctrl+S); ghi lại được cho tới khi ký duyệt")
        options = {o.action: o.refusal for o in self.services.proposals.actions(self.actor, self.proposal_id)}
        offered = Action.ACCEPT in options
        self.sign_button.setEnabled(offered)
        self.sign_button.setToolTip(options.get(Action.ACCEPT) or (
            "Ký duyệt kết quả nghiệm thu" if offered else "Đề án không ở trạng thái “Chờ nghiệm thu”."))
        self.actions_changed.emit()

    def action_refusal(self, name: str) -> str | None:
        if name == "save" and self.proposal_id is None:
            return "Chọn một đề án ở danh sách bên trái để ghi kết quả nghiệm thu."
        if name == "save" and not self.record_button.isEnabled():
            return self.record_button.toolTip()
        return super().action_refusal(name)

    # --- unsaved input -------------------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return self.proposal_id is not None and self.form.dirty

    def may_leave(self) -> bool:
        return self._may_leave(None)

    def _may_leave(self, _new_id: int | None) -> bool:
        """Typed figures are not dropped silently: leaving asks first."""
        if not self.has_unsaved_changes():
            return True
        answer = msgbox.ask_save_changes(self, "Kết quả nghiệm thu đang nhập chưa được ghi. Ghi trước khi chuyển "
                                               "sang đề án khác?")
        if answer == "save":
            return self._record()
        return answer == "discard"

    # --- actions -------------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Ctrl+S / "Ghi kết quả": record through the service; a refusal is shown and the input kept."""
        if self.proposal_id is None or not self.record_button.isEnabled():
            return
        if self._record():
            self._reload(self.proposal_id)
            show_success(self.message, "Đã ghi kết quả nghiệm thu.")

    def _record(self) -> bool:
        try:
            self.form.save()
        except UserError as exc:
            self.form.show_user_error(exc)
            self.message.show_error(exc.message)
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        return True

    def _on_sign_clicked(self) -> None:
        if self.proposal_id is None:
            return
        if self.has_unsaved_changes():
            text = "Kết quả nghiệm thu đang nhập chưa được ghi. Hãy bấm “Ghi kết quả” trước khi ký duyệt."
            self.message.show_error(text)
            msgbox.warning(self, text)
            return
        options = {o.action: o.refusal for o in self.services.proposals.actions(self.actor, self.proposal_id)}
        refusal = options.get(Action.ACCEPT)
        if refusal:
            self.message.show_error(refusal)
            msgbox.warning(self, refusal)
            return
        if sign_off_acceptance_dialog(self, self.services, self.actor, self.proposal_id):
            self._reload(self.proposal_id)
            show_success(self.message, "Đã ký duyệt nghiệm thu; số liệu nghiệm thu đã được chốt.")

    def _reload(self, proposal_id: int) -> None:
        self.form.dirty = False
        self.proposals.reload()
        if self.proposal_id != proposal_id or self.proposals.current_id() != proposal_id:
            self.proposals.select_id(proposal_id)
        self._show(proposal_id)

    def focus_search(self) -> None:
        self.proposals.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.proposals.search.selectAll()

    # --- slots ---------------------------------------------------------------------------------------------------

    def _on_proposals_selected(self, proposal_id: object) -> None:
        self._show(proposal_id if isinstance(proposal_id, int) else None)

    def _on_form_changed(self) -> None:
        self.message.clear_message()
