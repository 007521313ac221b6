"""The Thẩm định screen: proposals under appraisal on the left, the council and its score grid on the right.

Staff and managers see the proposals in Chờ thẩm định / Đang thẩm định (and, by filter, concluded ones); an
appraiser sees their own score sheets. The grid has one row per criterion (with its maximum) and one column
per member; the signed-in appraiser types in their own column only. A member with a conflict of interest is
struck out and left out of the live average, which is compared with the template's pass mark as it is typed.
Saving, submitting, declaring a conflict and concluding are the services' calls; a refusal is shown as the
service words it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from desktop_app.domain.enums import Action, Record, Role, Status
from desktop_app.domain.errors import UserError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import CouncilView, ProposalDetail
from desktop_app.ui import msgbox
from desktop_app.ui.appraisal.council_panel import CouncilPanel
from desktop_app.ui.appraisal.dialogs import conclude_dialog, declare_conflict_dialog, open_council_dialog
from desktop_app.ui.appraisal.task_list import TaskList
from desktop_app.ui.errors import show_error
from desktop_app.ui.list_detail_page import ListDetailPage, SideList
from desktop_app.ui.widgets.display import show_success

STAFF_CHOICES: list[tuple[str, tuple[Status, ...]]] = [
    ("Chờ thẩm định và đang thẩm định", (Status.SUBMITTED, Status.APPRAISING)),
    (Status.SUBMITTED.label, (Status.SUBMITTED,)),
    (Status.APPRAISING.label, (Status.APPRAISING,)),
    ("Đã kết luận: đạt thẩm định", (Status.APPRAISED,)),
    ("Đã kết luận: không đạt", (Status.REJECTED,)),
]



class AppraisalPage(ListDetailPage):
    """Thẩm định: councils and score sheets."""

    title = "Thẩm định"
    toolbar_actions = frozenset({"new", "save", "find"})
    list_choices = STAFF_CHOICES
    list_name = "appraisal/proposals"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        # Which list the left side shows is a matter of the user's work, not a permission: an appraiser works
        # from their own sheets, the centre from the proposals' statuses.
        self.is_appraiser = actor.role is Role.APPRAISER
        self.detail: ProposalDetail | None = None
        self.council: CouncilView | None = None
        self._refused_column: int | None = None
        self.start()
        if self.task_list is not None:
            self.task_list.select_first()  # the first sheet to fill, shown at once

    # --- building ------------------------------------------------------------------------------------------------

    def build_list(self) -> SideList:
        if not self.is_appraiser:
            self.task_list: TaskList | None = None
            return super().build_list()
        self.task_list = TaskList(self.services, self.actor)
        self.tasks, self.task_view = self.task_list.tasks, self.task_list.view
        return self.task_list

    def build_detail(self, layout: QVBoxLayout) -> None:
        self.stack = QStackedWidget()
        self.empty_page = self.empty_label("Chọn một đề án ở danh sách bên trái để xem hội đồng và phiếu chấm điểm.")
        self.stack.addWidget(self.empty_page)
        self.stack.addWidget(self._build_no_council())
        self.council_panel = CouncilPanel(self.actor)
        self.stack.addWidget(self.council_panel)
        layout.addWidget(self.stack, 1)
        panel = self.council_panel
        # The panel's parts the actions below work with.
        self.grid, self.grid_model, self.comment = panel.grid, panel.grid_model, panel.comment
        self.message = panel.message
        self.save_button, self.submit_button = panel.save_button, panel.submit_button
        self.conflict_button, self.reopen_button = panel.conflict_button, panel.reopen_button
        self.conclude_button = panel.conclude_button
        self.grid.edit_refused.connect(self._on_grid_edit_refused)
        self.save_button.clicked.connect(lambda: self._save_sheet(submit=False))
        self.submit_button.clicked.connect(self._on_submit_clicked)
        self.conflict_button.clicked.connect(self._on_conflict_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_clicked)
        self.conclude_button.clicked.connect(self._on_conclude_clicked)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self._on_submit_clicked)

    def _build_no_council(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.no_council_label = QLabel("Đề án chưa có hội đồng thẩm định.")
        self.no_council_label.setWordWrap(True)
        self.open_button_empty = QPushButton("&Mở hội đồng thẩm định…")
        self.open_button_empty.clicked.connect(self._on_open_clicked)
        layout.addWidget(self.no_council_label)
        row = QHBoxLayout()
        row.addWidget(self.open_button_empty)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    # --- loading -------------------------------------------------------------------------------------------------

    def show_proposal(self, proposal_id: int | None) -> None:
        self._fill_proposal(proposal_id)
        self.actions_changed.emit()  # Ctrl+N / Ctrl+S depend on what is shown

    def _fill_proposal(self, proposal_id: int | None) -> None:
        self.proposal_id = proposal_id
        self.message.clear_message()
        self._refused_column = None
        if proposal_id is None:
            self.detail = self.council = None
            self.show_heading(None)
            self.stack.setCurrentWidget(self.empty_page)
            return
        try:
            self.detail = self.services.proposals.get(self.actor, proposal_id)
            self.council = self.services.appraisal.council(self.actor, proposal_id)
        except UserError as exc:
            msgbox.warning(self, exc.message)
            self.detail = self.council = None
            self.stack.setCurrentWidget(self.empty_page)
            return
        self.show_heading(self.detail)
        if self.council is None:
            self.stack.setCurrentIndex(1)
            self._apply_open_option(self.open_button_empty)
            return
        self.stack.setCurrentIndex(2)
        self.council_panel.fill(self.council)
        self._apply_conclude_option()

    def _options(self) -> dict[Action | Record, str | None]:
        if self.proposal_id is None:
            return {}
        try:
            return {o.action: o.refusal for o in self.services.proposals.allowed_actions(self.actor, self.proposal_id)}
        except UserError:
            return {}

    def _apply_open_option(self, button: QPushButton) -> None:
        options = self._options()
        offered = Action.OPEN_COUNCIL in options
        button.setEnabled(offered)
        refusal = options.get(Action.OPEN_COUNCIL)
        button.setToolTip(refusal or ("" if offered else "Chỉ mở hội đồng cho đề án “Chờ thẩm định”."))

    def _apply_conclude_option(self) -> None:
        options = self._options()
        offered = [options[a] for a in (Action.PASS_APPRAISAL, Action.FAIL_APPRAISAL) if a in options]
        self.conclude_button.setVisible(bool(offered))
        refusal = None if any(r is None for r in offered) else (offered[0] if offered else None)
        self.conclude_button.setEnabled(refusal is None)
        self.conclude_button.setToolTip(refusal or "Kết luận thẩm định theo điểm bình quân")

    # --- unsaved input -------------------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        """Scores or a comment typed and not saved (the main window asks before closing)."""
        return self.stack.currentIndex() == 2 and self.council_panel.unsaved

    def may_leave_for(self, _new_id: int | None) -> bool:
        """Leaving a sheet with unsaved scores saves them as a draft first; if that fails, stay."""
        if not self.has_unsaved_changes():
            return True
        return self._save_sheet(submit=False, quiet=True)

    # --- slots ---------------------------------------------------------------------------------------------------

    def _on_grid_edit_refused(self, column: int) -> None:
        if column != self._refused_column:
            self._refused_column = column
            self._explain_refusal(column, popup=False)

    def _on_open_clicked(self) -> None:
        if self.proposal_id is None:
            return
        if open_council_dialog(self, self.services, self.actor, self.proposal_id):
            self._reload_after_action(self.proposal_id)

    def _on_submit_clicked(self) -> None:
        if self.stack.currentIndex() != 2 or not self.submit_button.isVisible():
            return
        if self.grid_model.editable and not msgbox.confirm(
                self, "Nộp phiếu chấm điểm? Phiếu đã nộp được tính vào điểm bình quân của hội đồng."):
            return
        self._save_sheet(submit=True)

    def _on_conflict_clicked(self) -> None:
        own_sheet_id = self.council_panel.own_sheet_id
        if own_sheet_id is None or self.detail is None or self.proposal_id is None:
            return
        label = f"{self.detail.code} — {self.detail.title}"
        if declare_conflict_dialog(self, self.services, self.actor, own_sheet_id, label):
            self.council_panel.mark_saved()  # the sheet is out of the average, not to save
            self._reload_after_action(self.proposal_id)
            self.message.show_warning("Đã khai báo xung đột lợi ích: phiếu của bạn không được tính.")

    def _on_reopen_clicked(self) -> None:
        council, own_sheet_id = self.council, self.council_panel.own_sheet_id
        if council is None or own_sheet_id is None or self.proposal_id is None:
            return
        sheet = next((x for x in council.sheets if x.id == own_sheet_id), None)
        if sheet is None or not msgbox.confirm(
                self, "Mở lại phiếu đã nộp để sửa? Cho đến khi nộp lại, phiếu không được tính vào điểm bình quân."):
            return
        try:
            self.services.appraisal.reopen_sheet(self.actor, sheet.id, sheet.version)
        except UserError as exc:
            self.message.show_error(exc.message)
            return
        self._reload_after_action(self.proposal_id)
        show_success(self.message, "Đã mở lại phiếu; sửa rồi nộp lại.")

    def _on_conclude_clicked(self) -> None:
        if self.proposal_id is None:
            return
        refusal = self.conclude_button.toolTip() if not self._conclude_allowed() else None
        if refusal:
            self.message.show_error(refusal)
            msgbox.warning(self, refusal)
            return
        if conclude_dialog(self, self.services, self.actor, self.proposal_id):
            self._reload_after_action(self.proposal_id)

    def _conclude_allowed(self) -> bool:
        options = self._options()
        return any(options.get(a, "x") is None for a in (Action.PASS_APPRAISAL, Action.FAIL_APPRAISAL))

    def _reload_after_action(self, proposal_id: int) -> None:
        """Reload the list and keep showing the proposal just acted on, even when it left the list's filter."""
        self.refresh()
        if self.proposal_id != proposal_id:
            self.show_proposal(proposal_id)

    # --- saving --------------------------------------------------------------------------------------------------

    def action_refusal(self, name: str) -> str | None:
        if name == "save" and not (self.stack.currentIndex() == 2 and self.grid_model.editable):
            return "Ctrl+S lưu nháp phiếu chấm điểm của bạn; đề án đang xem không có phiếu nào bạn được chấm."
        if name == "new":
            if self.stack.currentIndex() != 1:
                return "Ctrl+N mở hội đồng thẩm định cho đề án chưa có hội đồng; hãy chọn một đề án như vậy."
            if not self.open_button_empty.isEnabled():
                return self.open_button_empty.toolTip()
        return super().action_refusal(name)

    def save(self) -> None:
        """Ctrl+S: save the own score sheet as a draft (or say why the signed-in user has none to save)."""
        if self.stack.currentIndex() == 2:
            self._save_sheet(submit=False)

    def new_item(self) -> None:
        """Ctrl+N: open the council of the proposal shown, when it has none yet."""
        if self.stack.currentIndex() == 1 and self.open_button_empty.isEnabled():
            self._on_open_clicked()

    def _save_sheet(self, submit: bool, quiet: bool = False) -> bool:
        """Save (or hand in) the own sheet through the service; without one, ask the service and show why not."""
        council = self.council
        if council is None:
            return True
        if not self.grid_model.editable:
            column = self.grid.currentIndex().column() if self.grid.currentIndex().isValid() else -1
            self._explain_refusal(column, popup=True)
            return False
        sheet = self.grid_model.sheet_at(self.grid_model.own_column or 0)
        assert sheet is not None
        try:
            saved = self.services.appraisal.save_scores(self.actor, sheet.id, sheet.version,
                                                        self.grid_model.points_to_save(), self.comment.toPlainText(),
                                                        submit=submit)
        except UserError as exc:
            self._show_save_error(exc)
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        self.council_panel.mark_saved()
        if not quiet and self.proposal_id is not None:
            self._reload_after_action(self.proposal_id)
            show_success(self.message, "Đã nộp phiếu chấm điểm." if saved.submitted and submit
                         else "Đã lưu nháp phiếu chấm điểm.")
        return True

    def _show_save_error(self, exc: UserError) -> None:
        self.message.show_error(exc.message)
        field = exc.field or ""
        if field.startswith("criterion:") and self.grid_model.own_column is not None:
            row = self.grid_model.row_of_criterion(int(field.split(":", 1)[1]))
            if row is not None:
                index = self.grid_model.index(row, self.grid_model.own_column)
                self.grid.setCurrentIndex(index)
                self.grid.scrollTo(index)
                self.grid.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        msgbox.warning(self, exc.message)

    def _explain_refusal(self, column: int, popup: bool) -> None:
        """Ask the service why the signed-in user may not score the sheet of ``column`` (a query: nothing is
        written). The service decides; the screen only shows the answer."""
        council = self.council
        if council is None or not council.sheets or self.proposal_id is None:
            return
        sheet = self.grid_model.sheet_at(column) or council.sheets[0]
        try:
            reason = self.services.proposals.why_not(self.actor, Record.SCORE, self.proposal_id, sheet.id)
        except UserError as exc:
            reason = exc.message
        if reason:
            self.message.show_error(reason)
            if popup:
                msgbox.warning(self, reason)
            return
        # The service allows it: the sheet is the user's after all (e.g. the list was stale); show it afresh.
        self.show_proposal(self.proposal_id)
