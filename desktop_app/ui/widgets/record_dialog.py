"""A dialog that saves one record through one service call (a council, a contract, a disbursement …).

On a ``UserError`` it stays open, shows the message beside the field the service named (or in a banner) and puts
the cursor there, so nothing typed is lost. Permissions are never decided here: the service refuses, and the
dialog shows its words.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.domain.errors import UserError
from desktop_app.ui.errors import show_error
from desktop_app.ui.style import NOTE_STYLE, WARNING_STYLE
from desktop_app.ui.widgets.forms import FieldMessage, FormFields


class RecordDialog(QDialog):
    """A form whose "save" button calls :meth:`submit`; it closes only when the service accepted the record.

    Subclasses add inputs with ``self.fields.add(key, label, widget)`` (keys are the services' field names) and
    implement :meth:`submit`. A ``UserError`` naming one of the fields is shown under it and focuses it; other
    errors go to the banner at the top and focus :attr:`fallback_focus` when one is set.
    """

    def __init__(self, parent: QWidget | None, title: str, ok_text: str = "Lưu") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.saved = False
        self.fallback_focus: QWidget | None = None
        self._outer = QVBoxLayout(self)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setVisible(False)
        self._outer.addWidget(self.hint)
        self.banner = FieldMessage(self)
        self._outer.addWidget(self.banner)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._outer.addLayout(self.form)
        self.fields = FormFields(self.form)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        """Put the buttons last (call after adding every input)."""
        self._outer.addWidget(self.buttons)

    def add_widget(self, widget: QWidget) -> None:
        """A block below the form rows (a table, a member list …)."""
        self._outer.addWidget(widget)

    def show_hint(self, text: str, warning: bool = False) -> None:
        """A line of explanation above the form (amber when it warns of a refusal)."""
        self.hint.setText(text)
        self.hint.setStyleSheet(WARNING_STYLE if warning else NOTE_STYLE)
        self.hint.setVisible(bool(text))

    def submit(self) -> None:
        """Save through the service; raise ``UserError`` to keep the dialog open."""
        raise NotImplementedError

    def focus_extra(self, field: str | None) -> bool:
        """Focus an input that is not one of :attr:`fields` (a member list, a table) for a service's field name."""
        return False

    def show_user_error(self, exc: UserError) -> None:
        self.fields.clear()
        self.banner.clear_message()
        if not self.fields.show_user_error(exc):
            self.banner.show_error(exc.message)
            if not self.focus_extra(exc.field) and self.fallback_focus is not None:
                self.fallback_focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.fit_height()

    def fit_height(self) -> None:
        """Grow to show a message that just appeared in full (wrapped labels need the height for the width)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def accept(self) -> None:
        self.fields.clear()
        self.banner.clear_message()
        try:
            self.submit()
        except UserError as exc:
            self.show_user_error(exc)
            return
        except Exception as exc:  # a bug: the crash dialog, and the form stays as typed
            show_error(self, exc)
            return
        self.saved = True
        super().accept()

    def run(self) -> bool:
        """Show the dialog modally; True when something was saved."""
        self.exec()
        return self.saved
