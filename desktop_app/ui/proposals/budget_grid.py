"""The dự toán grid that works like a spreadsheet: its view (the keyboard and clipboard of a spreadsheet) and the
tab's widget with the "Tỷ lệ hỗ trợ" choice. The lines, their suggestions and the undo stack are the model's
(:mod:`.budget_grid_model`).
"""


from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.budget import SupportRule
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.ui.proposals.budget_grid_model import (
    COMPUTED_COLUMNS,
    BudgetGridModel,
    percent_text,
    read_clipboard_block,
)
from desktop_app.ui.proposals.models import (
    BudgetDelegate,
    Index,
)
from desktop_app.ui.style import DISABLED_TEXT, ERROR_STYLE, colour_style
from desktop_app.ui.widgets import FieldMessage

# --- the view -----------------------------------------------------------------------------------------------------

class GridDelegate(BudgetDelegate):
    """A cell that was opened and left without typing is not changed (a suggestion stays a suggestion)."""

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        if editor.isModified():
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class BudgetGridView(QTableView):
    """Keyboard of a spreadsheet: Tab / Enter to the next cell that can be typed in (Tab past the last line adds
    one), Ctrl+C / Ctrl+V as tab-separated text, Ctrl+Z / Ctrl+Y, Ctrl++ / Insert and Ctrl+− / Ctrl+Delete for
    lines, Delete to empty cells."""

    paste_refused = Signal(str)
    pasted = Signal(int)

    def __init__(self, model: BudgetGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = model
        self.setModel(model)
        self.setItemDelegate(GridDelegate(self))
        self.setAccessibleName("Dự toán kinh phí")
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.verticalHeader().setDefaultSectionSize(26)
        in_grid = Qt.ShortcutContext.WidgetWithChildrenShortcut  # also while a cell is being typed in
        # Ctrl+C, Ctrl+V and Delete are read in keyPressEvent (a cell being typed in keeps them for its text); the
        # menu names them after a tab, the way a menu shows a shortcut.
        self.copy_action = self._action("Sao chép\tCtrl+C", (), self.copy_selection)
        self.paste_action = self._action("Dán\tCtrl+V", (), self.paste_clipboard)
        self.clear_action = self._action("Xóa nội dung ô\tDelete", (), self.clear_selection_cells)
        self.insert_action = self._action("Chèn dòng", ("Ctrl+Ins", "Ctrl++", "Ctrl+=", "Ctrl+Shift+=", "Ins"),
                                          self.insert_line)
        self.delete_action = self._action("Xóa dòng đang chọn", ("Ctrl+Del", "Ctrl+-"), self.delete_selected_lines)
        self.undo_action = model.undo_stack.createUndoAction(self, "Hoàn tác")
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = model.undo_stack.createRedoAction(self, "Làm lại")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(in_grid)
            self.addAction(action)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.paste_action, self.clear_action, self.insert_action, self.delete_action):
            model.read_only_changed.connect(action.setDisabled)

    def _action(self, text: str, keys: Sequence[str], slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    # --- where Tab and Enter go --------------------------------------------------------------------------------

    def editable_columns(self) -> list[int]:
        return [c for c in range(self.grid.columnCount())
                if c not in COMPUTED_COLUMNS and not self.isColumnHidden(c)]

    def shown_columns(self, start: int = 0) -> list[int]:
        ordered = sorted(range(self.grid.columnCount()), key=self.horizontalHeader().visualIndex)
        return [c for c in ordered if not self.isColumnHidden(c) and
                self.horizontalHeader().visualIndex(c) >= self.horizontalHeader().visualIndex(start)]

    def next_cell(self, index: QModelIndex, forward: bool = True) -> QModelIndex | None:
        """The next (or previous) cell that can be typed in, reading line by line; ``None`` past the end."""
        columns = sorted(self.editable_columns(), key=self.horizontalHeader().visualIndex)
        if not columns or self.grid.read_only:
            return None
        cells = [(r, c) for r in range(self.grid.line_count()) for c in columns]
        if not cells:
            return None
        here = (index.row(), index.column()) if index.isValid() else (-1, -1)
        key = self.horizontalHeader().visualIndex
        if forward:
            after = [rc for rc in cells if (rc[0], key(rc[1])) > (here[0], key(here[1]) if here[1] >= 0 else -1)]
            target = after[0] if after else None
        else:
            before = [rc for rc in cells if (rc[0], key(rc[1])) < (here[0], key(here[1]) if here[1] >= 0 else -1)]
            target = before[-1] if before else None
        return self.grid.index(*target) if target else None

    def advance(self, forward: bool = True) -> QModelIndex | None:
        """Move to the next cell to type in; Tab past the last cell of the last line adds a line (like Excel)."""
        target = self.next_cell(self.currentIndex(), forward)
        if target is None and forward and not self.grid.read_only and self.editable_columns():
            row = self.grid.insert_line()
            target = self.grid.index(row, min(self.editable_columns(), key=self.horizontalHeader().visualIndex))
        if target is not None:
            self.go_to(target)
        return target

    def go_to(self, index: QModelIndex) -> None:
        """Make ``index`` the current cell, selected alone (as a click or an arrow key does)."""
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        if action in (QAbstractItemView.CursorAction.MoveNext, QAbstractItemView.CursorAction.MovePrevious) \
                and not self.grid.read_only:
            target = self.next_cell(self.currentIndex(), action == QAbstractItemView.CursorAction.MoveNext)
            if target is not None:
                return target
            return self.currentIndex()
        return super().moveCursor(action, modifiers)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if hint == QAbstractItemDelegate.EndEditHint.EditNextItem \
                and self.next_cell(self.currentIndex(), True) is None:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            target = self.advance(True)  # a new line: type on in its first cell
            if target is not None:
                self.edit(target)
            return
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter: on to the next cell
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.advance(True)
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: Any) -> None:
        key, modifiers = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_clipboard()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            if modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
                self.advance(modifiers == Qt.KeyboardModifier.NoModifier)
                return
        if key == Qt.Key.Key_Tab and modifiers == Qt.KeyboardModifier.NoModifier and not self.grid.read_only:
            self.advance(True)
            event.accept()
            return
        if key == Qt.Key.Key_Backtab and not self.grid.read_only:
            self.advance(False)
            event.accept()
            return
        if key == Qt.Key.Key_Delete and modifiers == Qt.KeyboardModifier.NoModifier:
            self.clear_selection_cells()
            return
        super().keyPressEvent(event)

    # --- lines -------------------------------------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.selectionModel().selectedIndexes()} if self.selectionModel() else set()
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(r for r in rows if not self.grid.is_totals_row(r))

    def insert_line(self) -> None:
        """Ctrl++ / Insert: a new line above the current one (at the end from the totals row)."""
        if self.grid.read_only:
            return
        current = self.currentIndex()
        row = self.grid.insert_line(current.row() if current.isValid() else None)
        first = min(self.editable_columns(), key=self.horizontalHeader().visualIndex)
        self.go_to(self.grid.index(row, first))
        self.setFocus()

    def delete_selected_lines(self) -> None:
        """Ctrl+− / Ctrl+Delete: delete the selected lines (one undo step)."""
        rows = self.selected_rows()
        if self.grid.read_only or not rows:
            return
        column = max(self.currentIndex().column(), 0)
        self.grid.remove_lines(rows)
        row = min(rows[0], self.grid.line_count())
        self.go_to(self.grid.index(row, column))

    def clear_selection_cells(self) -> None:
        if self.grid.read_only:
            return
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        self.grid.clear_cells(i for i in indexes if i.isValid() and not self.grid.is_totals_row(i.row()))

    # --- clipboard ---------------------------------------------------------------------------------------------

    def selected_block(self) -> tuple[list[int], list[int]]:
        """The lines and shown columns of the selection's bounding rectangle (the totals row left out)."""
        indexes = [i for i in self.selectionModel().selectedIndexes() if not self.isColumnHidden(i.column())] \
            or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        rows = sorted({i.row() for i in indexes if not self.grid.is_totals_row(i.row())})
        if not rows:
            return [], []
        visual = [self.horizontalHeader().visualIndex(i.column()) for i in indexes]
        columns = [c for c in self.shown_columns() if min(visual) <= self.horizontalHeader().visualIndex(c)
                   <= max(visual)]
        return list(range(rows[0], rows[-1] + 1)), columns

    def copy_selection(self) -> str:
        rows, columns = self.selected_block()
        text = self.grid.copy_text(rows, columns) if rows else ""
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def paste_clipboard(self) -> bool:
        return self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> bool:
        """Paste tab-separated text at the current cell; a bad value refuses the whole block (``paste_refused``)."""
        if self.grid.read_only:
            return False
        block = read_clipboard_block(text)
        if not block:
            return False
        selected = [i for i in self.selectionModel().selectedIndexes() if not self.grid.is_totals_row(i.row())]
        current = self.currentIndex()
        top = current.row() if current.isValid() else self.grid.line_count()
        start = current.column() if current.isValid() else 0
        try:
            if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:  # one value over the selection
                changed = self.grid.fill(selected, block[0][0])
                self.pasted.emit(changed)
                return True
            changed = self.grid.paste(top, self.shown_columns(start), block)
        except ValidationError as exc:
            self.paste_refused.emit(exc.message)
            return False
        last = top + len(block) - 1
        width = min(max(len(r) for r in block), len(self.shown_columns(start)))
        columns = self.shown_columns(start)[:width]
        block_cells = QItemSelection(self.grid.index(top, columns[0]), self.grid.index(last, columns[-1]))
        self.selectionModel().select(block_cells, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.pasted.emit(changed)
        return True


class BudgetGrid(QWidget):
    """The budget tab's grid with its "Tỷ lệ hỗ trợ" choice and the message line for refused pastes."""

    def __init__(self, parent: QWidget | None = None, rule: Callable[[], SupportRule | None] | None = None) -> None:
        super().__init__(parent)
        self.model = BudgetGridModel(self, rule)
        self.view = BudgetGridView(self.model, self)
        self.percent_spin = QSpinBox(self)
        self.percent_spin.setRange(0, 100)
        self.percent_spin.setSpecialValueText("Không chọn")
        self.percent_spin.setAccessibleName("Tỷ lệ hỗ trợ")
        self.percent_spin.setToolTip("Khuyến công hỗ trợ bằng tỷ lệ này của thành tiền mỗi dòng (không vượt mức hỗ "
                                     "trợ tối đa), đối ứng chưa gõ là phần còn lại; tỷ lệ được lưu cùng đề án. "
                                     "“Không chọn”: khuyến công là phần còn lại sau đối ứng và nguồn khác.")
        self.percent_spin.valueChanged.connect(self._on_percent_changed)
        label = QLabel("Tỷ lệ hỗ trợ %:", self)
        label.setBuddy(self.percent_spin)
        self.rule_note = QLabel(self)
        self.rule_note.setStyleSheet(colour_style(DISABLED_TEXT))
        self.rule_note.setWordWrap(True)
        self.message = FieldMessage(self)
        self.model.cell_refused.connect(self.message.show_error)
        self.view.paste_refused.connect(self.message.show_error)
        self.view.pasted.connect(lambda _n: self.message.clear_message())
        self.model.lines_changed.connect(self._update_rule_note)
        self.model.read_only_changed.connect(self.percent_spin.setDisabled)
        self.model.read_only_changed.connect(lambda _read_only: self._update_rule_note())
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.percent_spin)
        top.addWidget(self.rule_note, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self._update_rule_note()

    def percent(self) -> int | None:
        """The "Tỷ lệ hỗ trợ" chosen (1–100), or None for "Không chọn"."""
        return self.percent_spin.value() or None

    def set_percent(self, percent: int | None) -> None:
        """Show a stored (or kept) percentage; the suggestions follow it."""
        self.percent_spin.setValue(percent or 0)

    def percent_above_rule(self) -> bool:
        """The percentage chosen is above the rule's: the suggestions use the rule's, and saving is refused."""
        rule, chosen = self.model.rule, self.model.percent
        return rule is not None and chosen is not None and chosen > rule.max_percent

    def _on_percent_changed(self, value: int) -> None:
        self.model.set_percent(value or None)
        self._update_rule_note()

    def refresh_rule(self, *_: Any) -> None:
        self.model.refresh_rule()
        self._update_rule_note()

    def _update_rule_note(self) -> None:
        rule, chosen = self.model.rule, self.model.percent
        if rule is None:
            text = "" if self.model.read_only else ("Khuyến công tự đề xuất (chữ nghiêng, màu xám) cho đến khi bạn gõ "
                                                    "số khác.")
        else:
            cap = f", không quá {format_vnd(rule.cap_vnd)} đồng" if rule.cap_vnd is not None else ""
            maximum = percent_text(rule.max_percent)
            text = f"Mức hỗ trợ tối đa: {maximum}% chi phí{cap}."
            if chosen is not None and chosen > rule.max_percent and self.model.read_only:
                text += f" Tỷ lệ {percent_text(chosen)}% đã chọn cao hơn mức này."
            elif chosen is not None and chosen > rule.max_percent:
                text += (f" Tỷ lệ {percent_text(chosen)}% vượt mức này: đề xuất đang tính theo {maximum}%, nhưng "
                         f"đề án không lưu được với tỷ lệ {percent_text(chosen)}% — chọn tối đa {maximum}%.")
        self.rule_note.setText(text)
        warn = self.percent_above_rule() and not self.model.read_only
        self.rule_note.setStyleSheet(ERROR_STYLE if warn else colour_style(DISABLED_TEXT))
