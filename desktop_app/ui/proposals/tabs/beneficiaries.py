"""The “Cơ sở thụ hưởng” tab: the establishments the proposal supports, picked from the register."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.domain.enums import ProposalForm
from desktop_app.domain.errors import UserError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import BeneficiaryView, EstablishmentRow
from desktop_app.ui.proposals.dialogs import EstablishmentPickerDialog, shortcut
from desktop_app.ui.proposals.models import beneficiary_model
from desktop_app.ui.proposals.tabs.base import ProposalTab, button, list_table
from desktop_app.ui.widgets import FieldMessage


class BeneficiariesTab(ProposalTab):
    """The beneficiaries: one for a single proposal, several for a group or pilot one (the form on “Chung”)."""

    changed = Signal()  # a beneficiary added or removed

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._actor = services, actor
        self._editable = True
        self._form = ProposalForm.SINGLE
        self.model = beneficiary_model(self)
        self.table = list_table(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Cơ sở thụ hưởng")
        header = self.table.horizontalHeader()
        header.resizeSection(0, 360)
        header.resizeSection(1, 130)
        header.setStretchLastSection(True)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.add_button = button("Thêm cơ sở…", "Tìm và chọn cơ sở thụ hưởng (Insert)", self)
        self.remove_button = button("Bỏ chọn", "Bỏ cơ sở đang chọn khỏi danh sách (Delete)", self)
        self.add_button.clicked.connect(self.pick)
        self.remove_button.clicked.connect(self.remove_current)
        only_here = Qt.ShortcutContext.WidgetShortcut
        shortcut(QKeySequence(Qt.Key.Key_Insert), self.table, self.pick, only_here)
        shortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.remove_current, only_here)
        self.message = FieldMessage(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.model.rowsInserted.connect(self._on_rows_changed)
        self.model.rowsRemoved.connect(self._on_rows_changed)

    def _on_rows_changed(self, *_: object) -> None:
        self.changed.emit()

    def fill(self, rows: Sequence[BeneficiaryView]) -> None:
        self.model.set_rows(rows)

    def set_editable(self, editable: bool, reason: str | None = None) -> None:
        self._editable = editable
        for b in (self.add_button, self.remove_button):
            b.setEnabled(editable)
            b.setToolTip(reason or b.toolTip())

    def set_form(self, form: ProposalForm) -> None:
        """The proposal's form: a single proposal has one beneficiary, a group or pilot one several."""
        self._form = form
        self.hint.setText(
            "Đề án đơn lẻ có một cơ sở thụ hưởng; muốn chọn nhiều cơ sở, đổi hình thức thành “Đề án nhóm”."
            if form is ProposalForm.SINGLE else "Đề án nhóm hoặc đề án điểm: chọn các cơ sở cùng tham gia.")

    def collect(self) -> list[BeneficiaryView]:
        return self.model.rows()

    def ids(self) -> list[int]:
        return [b.establishment_id for b in self.model.rows()]

    def pick(self) -> None:
        """“Thêm cơ sở…” (Insert): search the register and choose (several, unless the proposal is single)."""
        if not self._editable:
            return
        multiple = self._form is not ProposalForm.SINGLE
        dialog = EstablishmentPickerDialog(self._services, self._actor, self.window(), multiple, self.ids())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.add(dialog.chosen)

    def add(self, rows: Sequence[EstablishmentRow]) -> None:
        """Add picked establishments; a single proposal keeps only the latest pick."""
        if self._form is ProposalForm.SINGLE and rows:
            rows = rows[-1:]
            while self.model.rowCount():
                self.model.remove(0)
        present = set(self.ids())
        for r in rows:
            if r.id in present:
                continue
            address = ", ".join(x for x in (r.commune_name, r.province_name) if x)
            self.model.append(BeneficiaryView(r.id, r.name, r.tax_code, address))
        self.message.clear_message()
        self.table.setFocus()
        self.table.selectRow(self.model.rowCount() - 1)

    def remove_current(self) -> None:
        if not self._editable:
            return
        index = self.table.currentIndex()
        if index.isValid():
            self.model.remove(index.row())

    def clear_messages(self) -> None:
        self.message.clear_message()

    def show_error(self, exc: UserError) -> bool:
        if exc.field != "beneficiaries":
            return False
        self.reveal()
        self.message.show_error(exc.message)
        self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
