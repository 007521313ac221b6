"""The look shared by every screen: colours, alignments, fonts and the small style sheets built from them.

One place, so that "an error is this red" and "money is right-aligned" are said once. Colours are ``QColor``s (a
model hands ``QBrush(colour)`` to Qt); the ``*_STYLE`` strings are the same colours for a label's style sheet.
Alignments come twice: the flag for widgets (``setAlignment``), and the plain ``int`` a model returns for
``TextAlignmentRole`` (what Qt's views read fastest).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

# --- alignments ----------------------------------------------------------------------------------------------------

#: Amounts, counts, years and points: right-aligned so the digits line up.
MONEY_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: Words: left-aligned.
TEXT_ALIGN = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
#: A form's labels, right-aligned against their inputs.
FORM_LABEL_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: A state in a grid cell ("Đã nộp"), a placeholder in an empty pane, a table's column headers.
CENTER_ALIGN = Qt.AlignmentFlag.AlignCenter
#: The same, as a model returns them for ``Qt.ItemDataRole.TextAlignmentRole``.
MONEY_CELL = int(MONEY_ALIGN)
TEXT_CELL = int(TEXT_ALIGN)
CENTER_CELL = int(CENTER_ALIGN)

# --- text colours --------------------------------------------------------------------------------------------------

#: A refusal, an error, a figure below zero, "Không đạt".
ERROR_TEXT = QColor("#b3261e")
#: Something was saved; "Đạt".
SUCCESS_TEXT = QColor("#1b6e20")
#: A warning: something to look at, not an error (an amount not planned, a hint that an action will be refused).
WARNING_TEXT = QColor("#8a5a00")
#: A neutral note beside a result ("Chưa xác định").
NOTE_TEXT = QColor("#444444")
#: The caption above a figure, the row count under a list.
CAPTION_TEXT = QColor("#555555")
#: The hint in an empty preview.
HINT_TEXT = QColor("#6b7785")
#: A row or column that does not count (a member with a conflict of interest, a sheet not handed in, a stopped
#: proposal).
MUTED_TEXT = QColor("#8a8a8a")
#: A row that is done or not available (a finished task, a document that cannot be made yet).
DISABLED_TEXT = QColor("#6b6b6b")
#: A task still to do.
TODO_TEXT = QColor("#9a4b00")
#: Advances (tạm ứng) and what may still be advanced, told apart from payments.
ADVANCE_TEXT = QColor("#1f4e79")
#: A disabled choice that must stay readable (a record frozen after sign-off is read, not greyed out).
READ_ONLY_TEXT = QColor("#1a1a1a")
#: Who else is working in the program (the status bar).
PRESENCE_TEXT = QColor("#1f5f99")

# --- backgrounds ---------------------------------------------------------------------------------------------------

#: Cells the signed-in user types in (their own score column, verified amounts).
EDITABLE_BACKGROUND = QColor("#fff8dc")
#: A cell whose value the domain refuses.
ERROR_BACKGROUND = QColor("#fde7e6")
#: The totals row of a table.
TOTALS_BACKGROUND = QColor("#eef2f7")
#: A note that asks for attention (read-only for this role, the list is out of date).
WARNING_BACKGROUND = QColor("#fff4d6")
WARNING_BORDER = QColor("#e5c66b")
#: A row of an import preview, by what became of it (an error, a duplicate, a warning, not data).
IMPORT_ROW_BACKGROUNDS = {"error": QColor("#f8d7da"), "duplicate": QColor("#ffe8b3"), "warning": QColor("#fff7d6"),
                          "skipped": QColor("#ededed")}
#: The state badge beside a proposal's heading.
BADGE_BACKGROUND = QColor("#eef4fa")
BADGE_BORDER = QColor("#99aabb")
#: A figure's card on the dashboard.
CARD_BORDER = QColor("#d5dbe1")
#: The list of screens on the left of the main window, and the screen chosen in it.
NAVIGATION_BACKGROUND = QColor("#eef2f6")
SELECTED_BACKGROUND = QColor("#1f5f99")

# --- charts --------------------------------------------------------------------------------------------------------

#: The stages of the money, by bar: approved, disbursed.
STAGE_COLOURS = (QColor("#1f5f99"), QColor("#e08a1e"))
#: The bars of the proposals by status.
STATUS_BAR_COLOUR = QColor("#3c7fb8")
#: A figure that is late (overdue tasks).
OVERDUE_TEXT = ERROR_TEXT
#: A headline figure of the dashboard.
FIGURE_TEXT = QColor("#1f5f99")
#: The count written beside a bar (Qt's default, white, is invisible on the light background).
BAR_LABEL_TEXT = QColor("#222222")


# --- style sheets --------------------------------------------------------------------------------------------------

def colour_style(colour: QColor) -> str:
    """A label's style sheet that only sets its text colour."""
    return f"color: {colour.name()};"


ERROR_STYLE = colour_style(ERROR_TEXT)
WARNING_STYLE = colour_style(WARNING_TEXT)
SUCCESS_STYLE = colour_style(SUCCESS_TEXT)
NOTE_STYLE = colour_style(NOTE_TEXT)
CAPTION_STYLE = colour_style(CAPTION_TEXT)
#: The heading at the top of a screen.
HEADING_STYLE = "font-size: 14pt; font-weight: bold;"
#: A note on a pale yellow card (read-only for this role).
WARNING_NOTE_STYLE = (f"background: {WARNING_BACKGROUND.name()}; border: 1px solid {WARNING_BORDER.name()}; "
                      "padding: 6px;")
#: The state badge beside a proposal's heading.
BADGE_STYLE = (f"padding: 2px 8px; border: 1px solid {BADGE_BORDER.name()}; border-radius: 8px; "
               f"background: {BADGE_BACKGROUND.name()};")
#: A disabled combo box that stays readable (a record frozen after sign-off).
READ_ONLY_COMBO = f"QComboBox:disabled {{ color: {READ_ONLY_TEXT.name()}; }}"


# --- fonts ---------------------------------------------------------------------------------------------------------

def bold_font(base: QFont | None = None) -> QFont:
    """``base`` (the application's font by default) in bold: a totals row, one's own column."""
    font = QFont(base) if base is not None else QFont()
    font.setBold(True)
    return font
