"""The Nghiệm thu screen: the acceptance council, the verified amount of every budget line (khuyến công,
counterpart, other) beside the planned one, the outcome figures planned vs achieved, the conclusion.

Staff and managers record the result ("Ghi kết quả", as often as needed until sign-off); a manager signs it
off ("Ký duyệt nghiệm thu"), after which every input is read-only. The services decide who may do each; the
screen shows their refusal. The form itself is
:class:`~desktop_app.ui.acceptance.form.AcceptanceForm` (also the body of ``acceptance_dialog``).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Action, Record, Status
from desktop_app.domain.errors import UserError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.ui import msgbox
from desktop_app.ui.acceptance.form import AcceptanceForm
from desktop_app.ui.errors import show_error
from desktop_app.ui.list_detail_page import ListDetailPage
from desktop_app.ui.widgets import FieldMessage
from desktop_app.ui.widgets.display import show_success

CHOICES: list[tuple[str, tuple[Status, ...]]] = [
    ("Chờ nghiệm thu và đã nghiệm thu", (Status.AWAITING_ACCEPTANCE, Status.ACCEPTED)),
    (Status.AWAITING_ACCEPTANCE.label, (Status.AWAITING_ACCEPTANCE,)),
    (Status.ACCEPTED.label, (Status.ACCEPTED,)),
    (Status.SETTLED.label, (Status.SETTLED,)),
]



class AcceptancePage(ListDetailPage):
    """Nghiệm thu: record the acceptance council's result line by line; a manager signs it off."""

    title = "Nghiệm thu"
    toolbar_actions = frozenset({"save", "find"})
    list_choices = CHOICES
    list_name = "acceptance/proposals"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self.start()

    def build_detail(self, right_layout: QVBoxLayout) -> None:
        self.empty = self.empty_label("Chọn một đề án ở danh sách bên trái để ghi kết quả nghiệm thu.")
        right_layout.addWidget(self.empty, 1)
        self.form = AcceptanceForm(self.services, self.actor)
        self.form.changed.connect(self._on_form_changed)
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setWidget(self.form)
        self.form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        right_layout.addWidget(self.form_scroll, 1)
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

    # --- loading -------------------------------------------------------------------------------------------------

    def show_proposal(self, proposal_id: int | None) -> None:
        self.proposal_id = proposal_id
        self.message.clear_message()
        has = proposal_id is not None
        self.empty.setVisible(not has)
        self.form_scroll.setVisible(has)
        self.record_button.setVisible(has)
        self.sign_button.setVisible(has)
        self.status_label.setVisible(has)
        if proposal_id is None:
            self.show_heading(None)
            self.actions_changed.emit()
            return
        try:
            self.form.load(proposal_id)
        except UserError as exc:
            msgbox.warning(self, exc.message)
            return
        detail = self.form.detail
        assert detail is not None
        self.show_heading(detail)
        self._apply_actions()

    def _apply_actions(self) -> None:
        assert self.proposal_id is not None
        options = {o.action: o.refusal for o in self.services.proposals.allowed_actions(self.actor, self.proposal_id)}
        refused = options.get(Record.ACCEPTANCE, "")
        self.record_button.setEnabled(refused is None)
        self.record_button.setToolTip(refused or "Ghi kết quả nghiệm thu (Ctrl+S); ghi lại được cho tới khi ký duyệt")
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

    def may_leave_for(self, _new_id: int | None) -> bool:
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
        # the finance dialogs (~25 ms): on first use, not when the page opens
        from desktop_app.ui.finance.dialogs import sign_off_acceptance_dialog

        if self.proposal_id is None:
            return
        if self.has_unsaved_changes():
            text = "Kết quả nghiệm thu đang nhập chưa được ghi. Hãy bấm “Ghi kết quả” trước khi ký duyệt."
            self.message.show_error(text)
            msgbox.warning(self, text)
            return
        options = {o.action: o.refusal for o in self.services.proposals.allowed_actions(self.actor, self.proposal_id)}
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
        self.reload_showing(proposal_id)

    # --- slots ---------------------------------------------------------------------------------------------------

    def _on_form_changed(self) -> None:
        self.message.clear_message()
