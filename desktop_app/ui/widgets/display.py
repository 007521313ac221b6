"""Read-only pieces of the record screens (Thẩm định, Nghiệm thu, Giải ngân, Kế hoạch, Hội đồng, Nhật ký):

- :func:`bold_label` / :func:`value_label` — a caption, and a value that can be selected and copied;
- :func:`proposal_heading` — the code and title of the proposal shown, with its state as a badge;
- :func:`show_success` — a message line in green;
- :func:`setup_table` — the common look of a table of records;
- :func:`button_row` — buttons in a row, pushed to the left.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView

from desktop_app.ui.style import BADGE_STYLE, MONEY_ALIGN, SUCCESS_STYLE
from desktop_app.ui.widgets.forms import FieldMessage


def bold_label(text: str = "") -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def proposal_heading() -> tuple[QHBoxLayout, QLabel, QLabel]:
    """The heading of the proposal shown on the right of a split page: code and title, and the state as a badge.

    Returns the layout to add, the title label and the state label.
    """
    head = QHBoxLayout()
    title = bold_label()
    title.setWordWrap(True)
    font = title.font()
    font.setPointSizeF(font.pointSizeF() + 1.5)
    title.setFont(font)
    state = QLabel()
    state.setStyleSheet(BADGE_STYLE)
    head.addWidget(title, 1)
    head.addWidget(state, 0, Qt.AlignmentFlag.AlignTop)
    return head, title, state


def value_label(text: str = "", numeric: bool = False) -> QLabel:
    """A read-only value shown in a form (selectable, so it can be copied)."""
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if numeric:
        label.setAlignment(MONEY_ALIGN)
    return label


def show_success(message: FieldMessage, text: str) -> None:
    """A message line in green: something was saved."""
    message.clear_message()
    message.setStyleSheet(SUCCESS_STYLE)
    message.setText(text)
    message.setVisible(True)


def setup_table(view: QTableView, stretch_column: int | None = None) -> None:
    """The common look of the screens' tables: whole-row selection, no grid clutter, Vietnamese-friendly rows."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(26)
    view.setTabKeyNavigation(False)  # Tab leaves the table: the form stays usable with the keyboard only
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch_column is not None:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)


def button_row(*labels: str) -> tuple[QHBoxLayout, list[QPushButton]]:
    """A row of buttons with ``labels``, left-aligned; returns the layout and the buttons in order."""
    row = QHBoxLayout()
    buttons = [QPushButton(label) for label in labels]
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row, buttons
