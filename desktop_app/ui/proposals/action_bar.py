"""The proposal editor's action bar: a button for every workflow action the table has from the proposal's state
(enabled when the user may take it, else greyed with the service's reason), “Vì sao?” listing those reasons, and
the records menu of the implementation. The bar only shows and asks; the editor takes the action."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QToolButton, QWidget

from desktop_app.domain.enums import Action, Record
from desktop_app.services.dto import ActionOption
from desktop_app.ui import msgbox
from desktop_app.ui.help import show_help, why_anchor
from desktop_app.ui.proposals.steps import RECORDS
from desktop_app.ui.proposals.tabs.base import button


def _tooltip(option: ActionOption) -> str:
    needs = []
    if option.needs_note:
        needs.append("cần ghi lý do")
    if option.needs_document:
        needs.append("cần số và ngày văn bản")
    return f"{option.label}" + (f" ({', '.join(needs)})" if needs else "")


class ActionBar(QWidget):
    """The workflow buttons, “Vì sao?” and “Giải ngân, tiến độ”, left to right."""

    action_clicked = Signal(object)  # the Action of the button
    record_clicked = Signal(str)  # the entry of the records menu (one of ``RECORDS``)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options: list[ActionOption] = []
        self.buttons: dict[Action, QPushButton] = {}
        self._row = QHBoxLayout()
        self.why_button = QToolButton(self)
        self.why_button.setText("Vì sao?")
        self.why_button.setToolTip("Vì sao một số thao tác đang bị khóa")
        self.why_button.clicked.connect(self._on_why_button_clicked)
        self.records_button = self._build_records_button()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._row)
        layout.addWidget(self.why_button)
        layout.addWidget(self.records_button)

    def _build_records_button(self) -> QPushButton:
        """Records of the implementation that are not workflow steps (advances, payments, progress, acceptance
        result, liquidation), offered once the proposal is approved; the finance dialogs and services decide."""
        records = button("Giải ngân, tiến độ", "Ghi tạm ứng, thanh toán, báo cáo tiến độ, kết quả nghiệm thu, "
                         "thanh lý hợp đồng", self)
        menu = QMenu(records)
        for text in RECORDS:
            menu.addAction(text, partial(self.record_clicked.emit, text))
        records.setMenu(menu)
        records.setVisible(False)
        return records

    def set_options(self, options: list[ActionOption], after: QWidget) -> None:
        """Every action the table has from this state; the keyboard reaches the buttons right after ``after``."""
        self.options = options
        for old in self.buttons.values():
            self._row.removeWidget(old)
            old.hide()  # gone at once: a removed button would otherwise overlap the new ones until deleted
            old.deleteLater()
        self.buttons = {}
        previous = after
        for option in options:
            new = button(option.label, "", self)
            new.setEnabled(option.allowed)
            new.setToolTip(option.refusal or _tooltip(option))
            new.clicked.connect(lambda _checked=False, a=option.action: self.action_clicked.emit(a))
            self._row.addWidget(new)
            if isinstance(option.action, Action):  # the editor is handed status changes only (``step``)
                self.buttons[option.action] = new
            QWidget.setTabOrder(previous, new)
            previous = new
        self.why_button.setVisible(any(not o.allowed for o in options))

    def option(self, action: Action) -> ActionOption | None:
        return next((o for o in self.options if o.action is action), None)

    def refusals(self) -> list[tuple[str, str]]:
        return [(o.label, o.refusal) for o in self.options if o.refusal]

    def set_records(self, offered: bool, refusal: str | None) -> None:
        """The records menu is offered once the proposal is approved; ``refusal``: why this user may not use it."""
        self.records_button.setVisible(offered)
        self.records_button.setEnabled(refusal is None)
        if refusal is not None:
            self.records_button.setToolTip(refusal)

    def refused_actions(self) -> list[Action | Record]:
        return [o.action for o in self.options if o.refusal]

    def _on_why_button_clicked(self) -> None:
        lines = [f"• {label}: {reason}" for label, reason in self.refusals()]
        if lines:
            show_help(self.window(), anchor=why_anchor(self.refused_actions()))  # the guide at the locked task's part
            msgbox.information(self.window(), "\n".join(lines) + "\n\nNhấn F1 để xem hướng dẫn “Vì sao một thao "
                               "tác bị khóa?”.", title="Vì sao chưa thực hiện được")
