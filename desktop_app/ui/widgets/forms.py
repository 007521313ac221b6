"""Form fields with their message beside them: a validation error (red) or a warning (amber) under the input.

One helper, :class:`FormFields`, wraps a ``QFormLayout``: ``add(key, label, widget)`` puts the input and a hidden
message label in the row; ``set_error(key, text)`` shows the message and ``focus_first_error()`` moves the cursor
there, so a dialog that refuses to close names the field and puts focus on it. ``show_user_error(exc)`` routes a
service's ``ValidationError`` (whose ``field`` names the input) to the right row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore  # ``QtCore.Qt`` when used: the login window shows before PySide sets Qt up
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.domain.errors import UserError
from desktop_app.ui.style import ERROR_STYLE, WARNING_STYLE

if TYPE_CHECKING:
    from desktop_app.domain.validators import Problem

#: The signal that says "the user changed this input", by kind of widget (the first one a widget has is used).
_CHANGE_SIGNALS = ("dateChanged", "value_changed", "code_changed", "changed", "textEdited", "valueChanged",
                   "currentIndexChanged", "textChanged", "toggled")


def set_read_only(widget: QWidget, read_only: bool) -> None:
    """Make a text field read-only (or not) and restyle it at once: the application's style sheet greys read-only
    fields, but Qt applies a property selector only when a widget is polished, not when the property changes."""
    widget.setReadOnly(read_only)  # type: ignore[attr-defined]
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class FieldMessage(QLabel):
    """The line under an input: hidden while empty, red for an error, amber for a warning."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        # Selectable from the start: turning it on later, when a first message shows, changes the label's focus
        # policy after the form's tab order was set, and Qt then sends Tab round in a loop (seen in Qt 6.11).
        self.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setVisible(False)
        self.is_error = False

    def show_error(self, text: str) -> None:
        self._show(text, ERROR_STYLE, True)

    def show_warning(self, text: str) -> None:
        self._show(text, WARNING_STYLE, False)

    def clear_message(self) -> None:
        self.setText("")
        self.is_error = False
        self.setVisible(False)

    def _show(self, text: str, style: str, is_error: bool) -> None:
        if not text:
            self.clear_message()
            return
        self.setStyleSheet(style)
        self.setText(text)
        self.is_error = is_error
        self.setVisible(True)


class FieldBox(QWidget):
    """An input with its message label under it (what :class:`FormFields` puts in a row)."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.message = FieldMessage(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self.message)
        self.setFocusProxy(field)


class FormFields:
    """The inputs of a form by key, each with an inline message; keys are the service's field names."""

    def __init__(self, layout: QFormLayout) -> None:
        self.layout = layout
        self._boxes: dict[str, FieldBox] = {}
        self._labels: dict[str, str] = {}

    def add(self, key: str, label: str, widget: QWidget, required: bool = False) -> QWidget:
        """Add a row ``label: widget`` with a message line; a required field's label gets a red star."""
        box = FieldBox(widget)
        self._boxes[key] = box
        self._labels[key] = label
        caption = QLabel(label)
        if required:
            caption.setText(f"{label} <span style='color:#b3261e'>*</span>")
            caption.setTextFormat(QtCore.Qt.TextFormat.RichText)
        caption.setBuddy(widget)
        self.layout.addRow(caption, box)
        self._clear_on_change(key, widget)
        return widget

    def _clear_on_change(self, key: str, widget: QWidget) -> None:
        """An error under a field goes as soon as the user changes that field (the next check shows it again if
        it still applies), so a corrected field never keeps its old message."""
        def clear(*_args: object) -> None:
            if self._boxes[key].message.is_error:
                self._boxes[key].message.clear_message()

        for signal_name in _CHANGE_SIGNALS:
            signal = getattr(widget, signal_name, None)
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(clear)
                return

    def widget(self, key: str) -> QWidget:
        return self._boxes[key].field

    def message(self, key: str) -> FieldMessage:
        return self._boxes[key].message

    def label(self, key: str) -> str:
        return self._labels[key]

    def keys(self) -> list[str]:
        return list(self._boxes)

    def set_error(self, key: str, text: str) -> None:
        self._boxes[key].message.show_error(text)

    def set_warning(self, key: str, text: str) -> None:
        self._boxes[key].message.show_warning(text)

    def show_problem(self, key: str, problem: Problem | None) -> None:
        """Show a validator's finding (or clear the row when there is none)."""
        if problem is None:
            self.clear(key)
        elif problem.is_error:
            self.set_error(key, problem.message)
        else:
            self.set_warning(key, problem.message)

    def clear(self, key: str | None = None) -> None:
        for k in [key] if key else list(self._boxes):
            self._boxes[k].message.clear_message()

    def errors(self) -> dict[str, str]:
        return {k: b.message.text() for k, b in self._boxes.items() if b.message.is_error}

    def has_errors(self) -> bool:
        return bool(self.errors())

    def focus(self, key: str) -> None:
        field = self._boxes[key].field
        field.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)

    def focus_first_error(self) -> bool:
        """Focus the first field (in form order) showing an error; False when there is none."""
        for key, box in self._boxes.items():
            if box.message.is_error:
                self.focus(key)
                return True
        return False

    def show_user_error(self, exc: UserError) -> bool:
        """Show a service's error beside the field it names (every field, when the error lists several problems)
        and focus the first; False when it names no field of this form."""
        problems = getattr(exc, "problems", ()) or ((exc.field, exc.message),)
        shown = [key for key, text in problems if key in self._boxes]
        for key, text in problems:
            if key in self._boxes:
                self.set_error(key, text)
        if shown:
            self.focus(shown[0])
        return bool(shown)
