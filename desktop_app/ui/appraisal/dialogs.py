"""Dialogs of the appraisal: open the council, declare a conflict of interest, conclude.

``open_council_dialog`` and ``conclude_dialog`` are also called from the proposal editor's action bar; each
returns True when the service saved something. The services decide who may do what; these dialogs show the
refusal (``ActionOption.refusal`` or the service's message) and keep what was typed.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from desktop_app.domain.enums import Action
from desktop_app.domain.errors import UserError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import ActionOption, CouncilView
from desktop_app.ui import msgbox
from desktop_app.ui.appraisal.points import format_points
from desktop_app.ui.style import ERROR_TEXT, NOTE_TEXT, SUCCESS_TEXT
from desktop_app.ui.widgets import DateEdit
from desktop_app.ui.widgets.display import value_label
from desktop_app.ui.widgets.members import MembersEditor
from desktop_app.ui.widgets.record_dialog import RecordDialog


def _option(services: Services, actor: Actor, proposal_id: int, *actions: Action) -> ActionOption | None:
    """The first of ``actions`` offered from the current state (allowed ones first), or None."""
    options = [o for o in services.proposals.allowed_actions(actor, proposal_id) if o.action in actions]
    allowed = [o for o in options if o.allowed]
    return (allowed or options)[0] if options else None


def _plain_text(lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # Tab moves on: the dialog works with the keyboard only
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


class OpenCouncilDialog(RecordDialog):
    """The appraisal council of a proposal: decision, meeting, criteria template and members."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> None:
        super().__init__(parent, "Mở hội đồng thẩm định", ok_text="Mở hội đồng")
        self.services, self.actor, self.proposal_id = services, actor, proposal_id
        self._error_item: int | None = None
        self.detail = services.proposals.get(actor, proposal_id)
        self.resize(760, 460)
        option = _option(services, actor, proposal_id, Action.OPEN_COUNCIL)
        if option is not None and option.refusal:
            # The guard speaks of the council being composed here, so the dialog stays usable: the service
            # refuses again on saving if the reason still holds.
            self.show_hint(f"Lưu ý: {option.refusal}", warning=True)
        name = value_label(f"{self.detail.code} — {self.detail.title}")
        name.setWordWrap(True)
        self.fields.add("proposal", "Đề án", name)
        self.decision_number = QLineEdit()
        self.decision_number.setPlaceholderText("Ví dụ: 12/QĐ-TTKC")
        self.fields.add("decision_number", "Số &quyết định thành lập", self.decision_number, required=True)
        self.decision_date = DateEdit()
        self.fields.add("decision_date", "&Ngày quyết định", self.decision_date, required=True)
        self.meeting_date = DateEdit(optional=True)
        self.fields.add("meeting_date", "Ngày &họp", self.meeting_date)
        self.place = QLineEdit()
        self.place.setPlaceholderText("Ví dụ: Phòng họp Trung tâm")
        self.fields.add("place", "Địa đ&iểm", self.place)
        self.template = QComboBox()
        templates = [t for t in services.reference.templates() if t.active]
        for t in templates:
            self.template.addItem(f"{t.name} (điểm đạt {format_points(t.pass_mark)}/"
                                  f"{format_points(sum((c.max_points for c in t.criteria), Decimal(0)))})",
                                  t.id)
        default = next((i for i, t in enumerate(templates) if t.is_default), 0)
        self.template.setCurrentIndex(default)
        self.fields.add("template_id", "&Mẫu tiêu chí chấm điểm", self.template)
        self.members = MembersEditor(services.users.appraisers(actor))
        self.fields.add("members", "Thành viên hội đồng", self.members, required=True)
        self.fallback_focus = self.members  # the workflow's council checks (≥ 3 members, chair, secretary)
        self.finish_layout()
        self.decision_number.setFocus()

    def focus_extra(self, field: str | None) -> bool:
        if field in (None, "members"):
            self.members.focus_member(self._error_item)
            return True
        return False

    def show_user_error(self, exc: UserError) -> None:
        self._error_item = exc.item  # the member the service's refusal is about, if one
        super().show_user_error(exc)
        if exc.field == "members":
            self.members.focus_member(exc.item)

    def submit(self) -> None:
        decision_date = self.decision_date.date_value()
        assert decision_date is not None  # not optional: always a date
        self.services.appraisal.open_council(
            self.actor, self.proposal_id, self.detail.version, decision_number=self.decision_number.text(),
            decision_date=decision_date, meeting_date=self.meeting_date.date_value(), place=self.place.text(),
            members=self.members.members(), template_id=self.template.currentData())


def open_council_dialog(parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> bool:
    """Found the appraisal council of a proposal in Chờ thẩm định; True when it was saved."""
    try:
        dialog = OpenCouncilDialog(parent, services, actor, proposal_id)
    except UserError as exc:
        msgbox.warning(parent, exc.message)
        return False
    return dialog.run()


class ConflictDialog(RecordDialog):
    """An appraiser declares a conflict of interest: their sheet no longer counts in the average."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, sheet_id: int,
                 proposal_label: str = "") -> None:
        super().__init__(parent, "Khai báo xung đột lợi ích", ok_text="Khai báo")
        self.services, self.actor, self.sheet_id = services, actor, sheet_id
        self.resize(560, 260)
        self.show_hint("Sau khi khai báo, phiếu chấm điểm của bạn không được tính vào điểm bình quân của hội đồng "
                       "và không sửa được nữa.", warning=True)
        if proposal_label:
            self.fields.add("proposal", "Đề án", value_label(proposal_label))
        self.note = _plain_text(4)
        self.note.setPlaceholderText("Ví dụ: là người thân của chủ cơ sở thụ hưởng")
        self.fields.add("conflict_note", "&Lý do", self.note, required=True)
        self.finish_layout()
        self.note.setFocus()

    def submit(self) -> None:
        self.services.appraisal.declare_conflict(self.actor, self.sheet_id, self.note.toPlainText())


def declare_conflict_dialog(parent: QWidget | None, services: Services, actor: Actor, sheet_id: int,
                            proposal_label: str = "") -> bool:
    """Declare a conflict of interest on the actor's own score sheet; True when it was recorded."""
    return ConflictDialog(parent, services, actor, sheet_id, proposal_label).run()


class ConcludeDialog(RecordDialog):
    """The manager concludes the appraisal from the council's average (frozen once concluded)."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, proposal_id: int,
                 council: CouncilView) -> None:
        super().__init__(parent, "Kết luận thẩm định", ok_text="Kết luận")
        self.services, self.actor, self.proposal_id = services, actor, proposal_id
        self._error_item: int | None = None
        self.council = council
        self.resize(620, 380)
        self.detail = services.proposals.get(actor, proposal_id)
        option = _option(services, actor, proposal_id, Action.PASS_APPRAISAL, Action.FAIL_APPRAISAL)
        self.refusal = option.refusal if option is not None else (
            f"Không thể kết luận khi đề án ở trạng thái “{self.detail.status.label}”.")
        name = value_label(f"{council.proposal_code} — {council.proposal_title}")
        name.setWordWrap(True)
        self.fields.add("proposal", "Đề án", name)
        self.fields.add("average", "Điểm bình quân",
                        value_label(format_points(council.average, 2) if council.average is not None
                                    else "Chưa có phiếu hợp lệ"))
        self.fields.add("pass_mark", "Điểm đạt", value_label(format_points(council.pass_mark)))
        result = "Chưa xác định" if council.passed is None else ("ĐẠT" if council.passed else "KHÔNG ĐẠT")
        self.result_label = value_label(result)
        colour = SUCCESS_TEXT if council.passed else ERROR_TEXT if council.passed is False else NOTE_TEXT
        self.result_label.setStyleSheet(f"font-weight: bold; color: {colour.name()};")
        self.fields.add("result", "Kết quả", self.result_label)
        self.fields.add("sheets", "Phiếu chấm",
                        value_label(f"{council.counted} phiếu được tính, {council.pending} chưa nộp, "
                                    f"{council.excluded} loại trừ do xung đột lợi ích"))
        self.minutes_number = QLineEdit()
        self.minutes_number.setPlaceholderText("Ví dụ: 05/BB-HĐTĐ")
        self.fields.add("minutes_number", "Số &biên bản họp", self.minutes_number)
        self.conclusion = _plain_text(3)
        self.conclusion.setPlaceholderText("Để trống: “Đề án đạt yêu cầu, đề nghị phê duyệt.” hoặc "
                                           "“Đề án không đạt yêu cầu.”")
        self.fields.add("conclusion", "&Kết luận", self.conclusion)
        if self.refusal:
            self.show_hint(f"Chưa kết luận được: {self.refusal}", warning=True)
            self.ok_button.setEnabled(False)
            self.ok_button.setToolTip(self.refusal)
        self.fallback_focus = self.minutes_number
        self.finish_layout()
        self.minutes_number.setFocus()

    def submit(self) -> None:
        self.services.appraisal.conclude(self.actor, self.proposal_id, self.detail.version,
                                         self.minutes_number.text(), self.conclusion.toPlainText())


def conclude_dialog(parent: QWidget | None, services: Services, actor: Actor, proposal_id: int) -> bool:
    """Conclude the appraisal of a proposal (average, pass mark, result, minutes); True when concluded."""
    try:
        council = services.appraisal.council(actor, proposal_id)
        if council is None:
            msgbox.warning(parent, "Đề án chưa có hội đồng thẩm định.")
            return False
        dialog = ConcludeDialog(parent, services, actor, proposal_id, council)
    except UserError as exc:
        msgbox.warning(parent, exc.message)
        return False
    return dialog.run()
