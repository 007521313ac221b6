"""The workflow steps the proposal editor takes, each asking first for what it needs (a confirmation, a reason, a
document, the approval), and the records of the implementation it offers once the proposal is approved.

Every step is a plain function ``(parent, services, actor, proposal) -> bool`` (True when carried out); the maps
below say which one an action (or an entry of the records menu) opens. The steps owned by the appraisal and finance
screens open those screens' dialogs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QWidget

from desktop_app.domain.enums import Action, DisbursementKind
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import ProposalDetail
from desktop_app.ui import msgbox
from desktop_app.ui.proposals.dialogs import ApproveDialog, document_dialog, reason_dialog

Step = Callable[[QWidget, Services, Actor, ProposalDetail], bool]
#: A dialog of another screen, opened for one proposal: ``(parent, services, actor, proposal_id) -> saved``.
ScreenDialog = Callable[[QWidget, Services, Actor, int], bool]

#: The records menu (“Giải ngân, tiến độ”), in its order.
RECORDS = ("Tạm ứng…", "Thanh toán…", "Báo cáo tiến độ…", "Ghi kết quả nghiệm thu…", "Thanh lý hợp đồng…")


def _accepted(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def submit(parent: QWidget, services: Services, actor: Actor, d: ProposalDetail) -> bool:
    if not msgbox.confirm(parent, f"Nộp đề án “{d.code}” để thẩm định?\nSau khi nộp, đề án không sửa được nữa "
                                  "(trừ khi được trả lại để chỉnh sửa)."):
        return False
    services.proposals.submit(actor, d.id, d.version)
    return True


def return_for_correction(parent: QWidget, services: Services, actor: Actor, d: ProposalDetail) -> bool:
    return _accepted(reason_dialog(
        parent, "Trả lại đề án để chỉnh sửa", f"Trả đề án {d.code} về trạng thái “Dự thảo” cho cán bộ chỉnh sửa.",
        "&Trả lại", lambda reason: services.proposals.return_for_correction(actor, d.id, d.version, reason)))


def cancel(parent: QWidget, services: Services, actor: Actor, d: ProposalDetail) -> bool:
    return _accepted(reason_dialog(
        parent, "Hủy đề án", f"Hủy đề án {d.code}. Đề án đã hủy không tiếp tục được nữa.", "&Hủy đề án",
        lambda reason: services.proposals.cancel(actor, d.id, d.version, reason)))


def withdraw(parent: QWidget, services: Services, actor: Actor, d: ProposalDetail) -> bool:
    return _accepted(reason_dialog(
        parent, "Rút lại đề án", f"Rút đề án {d.code} về trạng thái “Dự thảo” để chỉnh sửa (chỉ được rút khi chưa "
        "mở hội đồng thẩm định).", "&Rút lại",
        lambda reason: services.proposals.withdraw(actor, d.id, d.version, reason)))


def stop(parent: QWidget, services: Services, actor: Actor, d: ProposalDetail) -> bool:
    return _accepted(document_dialog(
        parent, "Ngừng thực hiện đề án", f"Ngừng thực hiện đề án {d.code} theo quyết định của cấp có thẩm quyền.",
        "&Ngừng thực hiện", "Số quyết định", "Ngày quyết định",
        lambda v: services.proposals.stop(actor, d.id, d.version, v["note"], v["number"], v["date"]),
        note_label="Lý do", note_required=True))


def send_to_ministry(parent: QWidget, services: Services, actor: Actor, d: ProposalDetail) -> bool:
    return _accepted(document_dialog(
        parent, "Gửi Bộ Công Thương", f"Ghi nhận văn bản gửi hồ sơ đề án {d.code} (khuyến công quốc gia) về Bộ "
        "Công Thương.", "&Ghi nhận", "Số văn bản", "Ngày văn bản",
        lambda v: services.proposals.send_to_ministry(actor, d.id, d.version, v["number"], v["date"],
                                                      v.get("note", "")),
        note_label="Ghi chú"))


def approve(parent: QWidget, services: Services, actor: Actor, d: ProposalDetail) -> bool:
    return _accepted(ApproveDialog(parent, d, actor.display_name, lambda v: services.proposals.approve(
        actor, d.id, d.version, v["approved_support_vnd"], v["decision_number"], v["decision_date"],
        v["signer"], v["note"], line_support_vnd=v["line_support_vnd"])))


def _on_screen(dialog: ScreenDialog) -> Step:
    """A step taken in another screen's dialog, opened for the proposal."""
    def step(parent: QWidget, services: Services, actor: Actor, d: ProposalDetail) -> bool:
        return bool(dialog(parent, services, actor, d.id))

    return step


def steps() -> dict[Action, Step]:
    """Every action the editor can take, and the step that takes it."""
    # Start-up time: the appraisal and finance dialogs load when a step first needs them, not with the editor.
    from desktop_app.ui.appraisal import dialogs as appraisal
    from desktop_app.ui.finance import dialogs as finance

    return {
        Action.SUBMIT: submit,
        Action.RETURN: return_for_correction,
        Action.CANCEL: cancel,
        Action.WITHDRAW: withdraw,
        Action.STOP: stop,
        Action.SEND_TO_MINISTRY: send_to_ministry,
        Action.APPROVE: approve,
        Action.OPEN_COUNCIL: _on_screen(appraisal.open_council_dialog),
        Action.PASS_APPRAISAL: _on_screen(appraisal.conclude_dialog),
        Action.FAIL_APPRAISAL: _on_screen(appraisal.conclude_dialog),
        Action.SIGN_CONTRACT: _on_screen(finance.sign_contract_dialog),
        Action.REPORT_COMPLETION: _on_screen(finance.report_completion),
        Action.ACCEPT: _on_screen(finance.sign_off_acceptance_dialog),
        Action.SETTLE: _on_screen(finance.settle_dialog),
    }


def record_dialogs() -> dict[str, ScreenDialog]:
    """Each entry of the records menu (:data:`RECORDS`) and the finance dialog it opens."""
    # Start-up time: the finance dialogs load when a record is first made, not with the editor.
    from desktop_app.ui.finance import dialogs as finance

    return {
        "Tạm ứng…": lambda p, s, a, pid: finance.disbursement_dialog(p, s, a, pid, DisbursementKind.ADVANCE),
        "Thanh toán…": lambda p, s, a, pid: finance.disbursement_dialog(p, s, a, pid, DisbursementKind.PAYMENT),
        "Báo cáo tiến độ…": finance.progress_dialog,
        "Ghi kết quả nghiệm thu…": finance.acceptance_dialog,
        "Thanh lý hợp đồng…": finance.liquidation_dialog,
    }
