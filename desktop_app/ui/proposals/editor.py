"""The proposal editor: one window per đề án with the tabs Chung, Cơ sở thụ hưởng, Dự toán, Tệp đính kèm, Lịch sử
and Văn bản, and an action bar with every workflow action the table has from the current state.

This window is the shell: it loads the proposal into the tabs (:mod:`desktop_app.ui.proposals.tabs`), saves what
they collect, keeps a local draft against crashes, and takes the workflow actions (:mod:`.steps`) the action bar
(:mod:`.action_bar`) offers. The editor holds no rule of its own: the services say what may be saved and which
actions a user may take (an action the user may not take stays visible, disabled, with the service's reason as its
tooltip); the domain says whether a budget line adds up; ``preview_cap`` says whether the support is within the cap.
Everything typed stays in the widgets until it is saved — a refusal, a conflict with another user or an unexpected
error never clears it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop_app.domain.enums import Action, Outcome
from desktop_app.domain.errors import ConflictError, PermissionDenied, UserError
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.domain.workflow import EDITABLE_STATES
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import CapView, ProposalDetail, ProposalInput
from desktop_app.ui import msgbox, settings
from desktop_app.ui.errors import show_error
from desktop_app.ui.help import install_help_key
from desktop_app.ui.live_updates import PresenceLabel, ProposalStaleNotice
from desktop_app.ui.proposals import drafts, steps
from desktop_app.ui.proposals.action_bar import ActionBar
from desktop_app.ui.proposals.budget_grid_model import RuleSource
from desktop_app.ui.proposals.dialogs import shortcut
from desktop_app.ui.proposals.tabs import (
    AttachmentsTab,
    BeneficiariesTab,
    BudgetTab,
    DocumentsTab,
    GeneralTab,
    HistoryTab,
    ProposalTab,
    button,
)

TAB_GENERAL, TAB_BENEFICIARIES, TAB_BUDGET, TAB_ATTACHMENTS, TAB_HISTORY, TAB_DOCUMENTS = range(6)
TAB_TITLES = ("Chung", "Cơ sở thụ hưởng", "Dự toán", "Tệp đính kèm", "Lịch sử", "Văn bản")
CAP_DELAY_MS = 150  # the cap check waits for a pause in typing, so each keystroke does not query the rules
log = logging.getLogger(__name__)
AUTOSAVE_MS = 30_000  # unsaved input is kept on this computer this often (drafts.py), against crashes


def _heading(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _single_shot(parent: QWidget, interval_ms: int, slot: Callable[[], object]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer


def status_text(detail: ProposalDetail | None, read_only_reason: str | None) -> str:
    """The line under the heading: the status, the approved amount, and why the proposal is read-only."""
    parts = []
    if detail is not None:
        parts.append(f"Trạng thái: {detail.status.label}")
        if detail.approved_support_vnd is not None:
            parts.append(f"Kinh phí phê duyệt: {format_vnd(detail.approved_support_vnd)} đồng"
                         + (f" (QĐ số {detail.approval_number})" if detail.approval_number else ""))
    else:
        parts.append("Đề án mới, chưa lưu")
    if read_only_reason:
        parts.append(f"Chỉ xem: {read_only_reason}")
    return " · ".join(parts)


class ProposalEditor(QDialog):
    """Edit a draft (or read any other state) of one proposal, and take the workflow actions allowed now."""

    proposal_changed = Signal(int)

    def __init__(self, services: Services, actor: Actor, proposal_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.detail: ProposalDetail | None = None
        self._dirty = False
        self._loading = False
        try:
            services.proposals.require_editor(actor)
            self._role_refusal: str | None = None
        except PermissionDenied as exc:
            self._role_refusal = exc.message
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1240, 780)
        saved = settings.load_state("proposal_editor/geometry")
        if saved is not None:
            self.restoreGeometry(saved)

        self.heading = _heading(self)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.general = GeneralTab(services.reference)
        self.beneficiaries = BeneficiariesTab(services, actor)
        rules = RuleSource(services)
        self.budget = BudgetTab(rule=lambda: rules.rule(*self.general.cap_inputs()))
        self.attachments = AttachmentsTab(services, actor)
        self.history = HistoryTab(services, actor)
        self.documents = DocumentsTab(services, actor)
        self.pages: tuple[ProposalTab, ...] = (self.general, self.beneficiaries, self.budget, self.attachments,
                                               self.history, self.documents)
        self.tabs = QTabWidget(self)
        for i, (page, title) in enumerate(zip(self.pages, TAB_TITLES, strict=True)):
            self.tabs.addTab(page, title)
            self.tabs.setTabToolTip(i, f"Ctrl+{i + 1}")
            shortcut(QKeySequence(f"Ctrl+{i + 1}"), self, partial(self._go_to_tab, i))

        self.action_bar = ActionBar(self)
        self.action_bar.action_clicked.connect(self.run_action)
        self.action_bar.record_clicked.connect(self.record)
        # F1: the guide, at "why is an action locked" when some are, else at drafting a proposal.
        install_help_key(self, lambda: "vi-sao" if self.action_bar.refusals() else "de-an")
        self.save_button = button("Lưu", "Lưu đề án (Ctrl+S)", self)
        self.close_button = button("Đóng", "Đóng cửa sổ (Esc)", self)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        shortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        bar = QHBoxLayout()
        bar.addWidget(self.action_bar)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.close_button)

        # Another desk saved this proposal: say so before a save here would meet a conflict.
        self.stale_notice = ProposalStaleNotice(services, actor, lambda: self.proposal_id,
                                                lambda: self.detail.version if self.detail else None,
                                                self.reload_from_notice, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.stale_notice)
        self.presence_label = PresenceLabel(services, actor, "proposal", self)
        self.finished.connect(lambda *_: self.presence_label.leave())
        layout.addWidget(self.presence_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bar)

        self._cap_timer = _single_shot(self, CAP_DELAY_MS, self.update_cap)
        self._autosave_timer = _single_shot(self, AUTOSAVE_MS, self.autosave)
        self._connect_tabs()

        if proposal_id is None:
            self._new_draft()
        else:
            self.load(proposal_id)
        self.general.title_edit.setFocus()

    def _connect_tabs(self) -> None:
        self.general.changed.connect(self._on_changed)
        self.general.cap_inputs_changed.connect(self._cap_timer.start)
        self.general.cap_inputs_changed.connect(self.budget.refresh_rule)
        self.general.form_changed.connect(lambda: self.beneficiaries.set_form(self.general.form()))
        self.general.title_changed.connect(self._update_heading)
        self.beneficiaries.changed.connect(self._on_changed)
        self.budget.lines_changed.connect(self._on_lines_changed)
        self.attachments.changed.connect(self._load_side)

    # --- state -----------------------------------------------------------------------------------------------

    @property
    def proposal_id(self) -> int | None:
        return self.detail.id if self.detail else None

    @property
    def dirty(self) -> bool:
        return self._dirty

    @property
    def editable(self) -> bool:
        """Whether the user may change the proposal's content now (a draft, and a role that drafts)."""
        if self._role_refusal is not None:
            return False
        return self.detail is None or self.detail.status in EDITABLE_STATES

    def _read_only_reason(self) -> str | None:
        if self._role_refusal is not None:
            return self._role_refusal
        if self.detail is not None and self.detail.status not in EDITABLE_STATES:
            return (f"Đề án đang ở trạng thái “{self.detail.status.label}”; chỉ sửa được khi ở trạng thái "
                    "“Dự thảo”.")
        return None

    def _set_dirty(self, value: bool) -> None:
        self._dirty = value
        self._update_heading()

    def _on_changed(self) -> None:
        if not self._loading:
            self._set_dirty(True)
            if not self._autosave_timer.isActive():
                self._autosave_timer.start()

    def _on_lines_changed(self) -> None:
        self._on_changed()
        self._cap_timer.start()

    def _update_heading(self, *_: object) -> None:
        if self.detail is None:
            text = "Đề án mới"
        else:
            text = f"{self.detail.code} – {self.general.title_edit.text().strip() or self.detail.title}"
        self.heading.setText(text)
        self.setWindowTitle(f"{'* ' if self._dirty else ''}{text} – Đề án khuyến công")

    # --- loading ---------------------------------------------------------------------------------------------

    def _new_draft(self) -> None:
        """Defaults of a new draft: this year, the centre's province and name as the implementing unit."""
        self._loading = True
        org = self.services.organisation.get()
        self.general.set_defaults(org.province_code, org.name)
        self.budget.fill([])
        self._loading = False
        self._apply_state()
        self._set_dirty(False)
        self.update_cap()

    def load(self, proposal_id: int) -> None:
        """Read the proposal from the services and show it (every tab), discarding unsaved input."""
        self.fill(self.services.proposals.get(self.actor, proposal_id))
        self._load_side()
        self.presence_label.follow(proposal_id)

    def fill(self, d: ProposalDetail) -> None:
        """Show ``d`` in every input (after loading or saving)."""
        self.detail = d
        self._loading = True
        try:
            planned = {t.indicator: t.planned_value for t in d.targets}
            self.general.fill(d.data, {outcome: planned.get(outcome.value) for outcome in Outcome})
            self.beneficiaries.fill(d.beneficiaries)
            self.budget.fill(d.lines, d.data.support_percent)
        finally:
            self._loading = False
        self._clear_messages()
        self._apply_state()
        self._set_dirty(False)
        self.update_cap()

    def _load_side(self) -> None:
        """Attachments, history, actions (and documents once their tab has been opened) of the saved proposal."""
        if self.detail is None:
            return
        self.attachments.fill(self.detail.id)
        self.history.fill(self.detail.id)
        self._load_actions()
        self.documents.fill(self.detail)

    def _apply_state(self) -> None:
        """Read-only or editable, per status and role; what the action bar and the side tabs offer."""
        editable = self.editable
        reason = self._read_only_reason()
        for page in self.pages:
            page.set_editable(editable, reason)
        self.beneficiaries.set_form(self.general.form())
        self.save_button.setEnabled(editable)
        self.save_button.setToolTip("Lưu đề án (Ctrl+S)" if editable else reason or self.save_button.toolTip())
        saved = self.detail is not None
        for tab in (TAB_ATTACHMENTS, TAB_HISTORY, TAB_DOCUMENTS):
            self.tabs.setTabEnabled(tab, saved)
            self.tabs.setTabToolTip(tab, f"Ctrl+{tab + 1}" if saved else "Lưu đề án trước để dùng mục này.")
        self.status_label.setText(status_text(self.detail, reason))
        if not saved:
            self.action_bar.set_options([], self.tabs)
        implementing = self.detail is not None and self.detail.approved_support_vnd is not None
        self.action_bar.set_records(implementing, self._role_refusal)

    def _clear_messages(self) -> None:
        self.general.clear_messages()
        self.beneficiaries.clear_messages()
        self.budget.clear_messages()

    def update_cap(self) -> None:
        """The support-cap check, live: the rule in force, its legal basis and the allowed amount."""
        self._cap_timer.stop()
        if self.detail is not None and not self.editable:
            cap: CapView | None = self.detail.cap  # decided figures: the check the services made on the record
        else:
            typed = self.general.cap_inputs()
            if not typed.content_code:
                self.budget.show_cap(None, "Chọn nội dung hoạt động (tab Chung) để kiểm tra mức hỗ trợ.")
                return
            try:
                cap = self.services.proposals.preview_cap(typed.content_code, typed.scope, typed.province_code,
                                                          typed.on, self.budget.collect())
            except UserError as exc:
                self.budget.show_cap(None, exc.message)
                return
        self.budget.show_cap(cap)

    # --- saving ----------------------------------------------------------------------------------------------

    def save(self) -> bool:
        """Ctrl+S: create or save the draft; a refusal is shown beside its field and nothing typed is lost."""
        if not self.editable:
            msgbox.warning(self, self._read_only_reason() or "Không sửa được đề án này.")
            return False
        self.budget.commit_open_cell()
        self._clear_messages()
        general, lines, beneficiary_ids = self.general.collect(), self.budget.collect(), self.beneficiaries.ids()
        data = self._with_percent(general.data)
        try:
            if self.detail is None:
                saved = self.services.proposals.create(self.actor, data, lines, beneficiary_ids, general.targets)
            else:
                saved = self.services.proposals.save(self.actor, self.detail.id, self.detail.version, data,
                                                     lines, beneficiary_ids, general.targets)
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except UserError as exc:
            self.show_user_error(exc)
            return False
        except Exception as exc:  # a bug: crash dialog; the typed values stay in the widgets
            show_error(self, exc)
            return False
        self.fill(saved)
        self._load_side()
        drafts.discard(self.actor.username)
        self.proposal_changed.emit(saved.id)
        return True

    def _with_percent(self, data: ProposalInput) -> ProposalInput:
        """The General tab's fields with the "Tỷ lệ hỗ trợ" chosen on the budget tab."""
        return replace(data, support_percent=self.budget.percent())

    def autosave(self) -> bool:
        """Keep what is typed but not saved on this computer; the next start offers it back after a crash."""
        if not (self._dirty and self.editable):
            return False
        general = self.general.collect()
        draft = drafts.Draft(self.proposal_id, self.detail.code if self.detail else "", datetime.now(),
                             self._with_percent(general.data), self.budget.collect(), self.beneficiaries.collect(),
                             general.targets)
        try:
            drafts.save(self.actor.username, draft)
        except OSError as exc:  # a full disk must not interrupt the typing; the log says it
            log.warning("cannot keep the proposal draft: %s", exc)
            return False
        return True

    def restore_draft(self, draft: drafts.Draft) -> None:
        """Put a kept draft's input back into every field (unsaved, so the user checks it and saves)."""
        self._loading = True
        try:
            self.general.fill(draft.data, draft.targets, stored=False)
            self.beneficiaries.fill(draft.beneficiaries)
            self.budget.fill(draft.lines, draft.data.support_percent)
        finally:
            self._loading = False
        self._set_dirty(True)
        self.update_cap()

    def _on_conflict(self, exc: ConflictError) -> None:
        question = (f"{exc.message}\n\nTải lại trạng thái mới nhất của đề án? Những gì bạn đã nhập vẫn giữ nguyên "
                    "trên màn hình; kiểm tra rồi bấm “Lưu” lần nữa để ghi lại.")
        if msgbox.confirm(self, question, title="Đề án vừa bị người khác thay đổi"):
            self.reload_keeping_input()

    def reload_from_notice(self) -> None:
        """“Tải lại” on the notice: the latest version replaces the form (after asking if something was typed)."""
        if self.proposal_id is None:
            return
        if self.dirty and not msgbox.confirm(self, "Bỏ những gì bạn đang nhập và tải bản mới nhất của đề án?",
                                             title="Tải lại đề án"):
            return
        self.load(self.proposal_id)
        self.stale_notice.setVisible(False)

    def reload_keeping_input(self) -> None:
        """Take the latest version and status from the database but leave every input as the user typed it."""
        if self.detail is None:
            return
        self.detail = self.services.proposals.get(self.actor, self.detail.id)
        self._apply_state()
        self._load_side()
        self._set_dirty(True)

    def show_user_error(self, exc: UserError) -> None:
        """Put a service's refusal beside the input it names (on its tab) and move the cursor there."""
        if not any(page.show_error(exc) for page in (self.budget, self.beneficiaries, self.general)):
            msgbox.warning(self, exc.message)

    def _go_to_tab(self, index: int) -> None:
        if self.tabs.isTabEnabled(index):
            self.tabs.setCurrentIndex(index)

    def reject(self) -> None:
        """Escape / Đóng / the window's close button: unsaved changes are never dropped without asking."""
        if not self._settle_unsaved("đóng"):
            return
        drafts.discard(self.actor.username)  # saved, or dropped on purpose: nothing to offer back
        settings.save_state("proposal_editor/geometry", self.saveGeometry())
        self._cap_timer.stop()
        self._autosave_timer.stop()
        self.documents.close_preview()
        super().reject()

    # --- workflow actions ------------------------------------------------------------------------------------

    def _load_actions(self) -> None:
        pid = self.proposal_id
        self.action_bar.set_options([o for o in self.services.proposals.allowed_actions(self.actor, pid) if o.step]
                                    if pid is not None else [],
                                    self.tabs)

    def _settle_unsaved(self, doing: str) -> bool:
        """Unsaved changes before ``doing``: saved or dropped as the user answers; False to stay (or a failed save)."""
        self.budget.commit_open_cell()
        if not (self._dirty and self.editable):
            return True
        answer = msgbox.ask_save_changes(self, f"Đề án có thay đổi chưa lưu. Lưu trước khi {doing}?")
        return answer == "discard" or (answer == "save" and self.save())

    def run_action(self, action: Action) -> bool:
        """Take ``action``: ask what it needs, call the service, reload. Returns whether it was carried out."""
        if self.detail is None:
            return False
        option = self.action_bar.option(action)
        if not self._settle_unsaved(f"“{option.label if option else action.label}”"):
            return False
        # the saved state decides (the save may have changed what is allowed)
        current = {o.action: o for o in self.services.proposals.allowed_actions(self.actor, self.detail.id)}
        option = current.get(action)
        if option is None or option.refusal:
            msgbox.warning(self, option.refusal if option and option.refusal else
                           f"Không thể “{action.label}” ở trạng thái hiện tại.")
            self._load_actions()
            return False
        step = steps.steps().get(action)
        if step is None:
            msgbox.warning(self, f"Chưa hỗ trợ thao tác “{action.label}”.")
            return False
        try:
            done = step(self, self.services, self.actor, self.detail)
        except UserError as exc:
            msgbox.warning(self, exc.message)
            done = False
        except Exception as exc:  # a bug: crash dialog, then show whatever the database now holds
            show_error(self, exc)
            done = False
        return self._after_step(done)

    def record(self, entry: str) -> bool:
        """Open the finance dialog of a records-menu ``entry`` for this proposal, then show what the database holds."""
        if self.detail is None:
            return False
        try:
            saved = bool(steps.record_dialogs()[entry](self, self.services, self.actor, self.detail.id))
        except Exception as exc:  # a bug in a dialog: the crash dialog, the editor stays usable
            show_error(self, exc)
            saved = False
        return self._after_step(saved)

    def _after_step(self, done: bool) -> bool:
        """After a step or a record (taken or not): show what the database now holds; say so when it was taken."""
        assert self.detail is not None
        pid = self.detail.id
        if self._dirty and self.editable:
            self.reload_keeping_input()  # the user chose not to save: keep their input, take the new version
        else:
            self.load(pid)
        if done:
            self.proposal_changed.emit(pid)
        return done


def offer_kept_draft(parent: QWidget | None, services: Services, actor: Actor) -> bool:
    """At the start of a session: offer the proposal draft a crash left behind, and open it if wanted.

    Returns whether a draft was opened.
    """
    draft = drafts.load(actor.username)
    if draft is None:
        return False
    what = f"đề án {draft.code}" if draft.code else "đề án mới"
    title = draft.data.title.strip() or "(chưa có tên)"
    if not msgbox.confirm(parent, f"Lần trước chương trình đóng khi {what} “{title}” còn thay đổi chưa lưu "
                                  f"(giữ lúc {draft.saved_at:%H:%M ngày %d/%m/%Y}).\n\nMở lại để kiểm tra và lưu? "
                                  "Chọn “Không” để bỏ bản nháp này.", title="Bản nháp chưa lưu"):
        drafts.discard(actor.username)
        return False
    try:
        editor = ProposalEditor(services, actor, draft.proposal_id, parent)
    except UserError as exc:  # the proposal was deleted meanwhile: the input is shown as a new draft
        log.info("kept draft of a proposal that is gone: %s", exc.message)
        editor = ProposalEditor(services, actor, None, parent)
    editor.restore_draft(draft)
    editor.exec()
    editor.deleteLater()
    return True


def open_proposal(parent: QWidget | None, services: Services, actor: Actor, proposal_id: int | None) -> None:
    """Open the editor for ``proposal_id`` (``None``: a new draft) and return when the user closes it."""
    try:
        editor = ProposalEditor(services, actor, proposal_id, parent)
    except UserError as exc:  # the proposal was deleted meanwhile, or the user may not read it
        msgbox.warning(parent, exc.message)
        return
    editor.exec()
    editor.deleteLater()


__all__ = ["ProposalEditor", "offer_kept_draft", "open_proposal"]
