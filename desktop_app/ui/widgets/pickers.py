"""Pickers over code lists: type-ahead without diacritics ("ha nam" finds "Hà Nam"), and province → commune.

:class:`CodeCombo` is an editable ``QComboBox`` whose completer compares the *folded* typed text with the folded
names (anywhere in the name, not only at the start), so a user without a Vietnamese keyboard still finds the
commune. Leaving the field with text that names nothing puts the previous choice back: the combo never holds a
value that is not in the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QWidget

from desktop_app.domain.vietnamese import fold
from desktop_app.services.dto import CodeName

CODE_ROLE = Qt.ItemDataRole.UserRole + 10
FOLD_ROLE = Qt.ItemDataRole.UserRole + 11


class FoldingCompleter(QCompleter):
    """Matches the folded typed text against ``FOLD_ROLE`` and puts the real (accented) name in the field."""

    def __init__(self, model: QStandardItemModel, parent: QWidget | None = None) -> None:
        super().__init__(model, parent)
        self.setCompletionRole(FOLD_ROLE)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setMaxVisibleItems(12)

    def splitPath(self, path: str) -> list[str]:
        return [fold(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


class CodeCombo(QComboBox):
    """A choice of one code from a list of ``CodeName`` (or ``(code, name)`` pairs), with folded type-ahead.

    ``empty_label`` adds a first entry meaning "none" (``code()`` is None there), e.g. "Tất cả" in a filter.
    Emits ``code_changed(code or None)`` when the choice changes.
    """

    code_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, empty_label: str | None = None,
                 items: Iterable[CodeName | tuple[str, str]] = ()) -> None:
        super().__init__(parent)
        self._empty_label = empty_label
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self._completer = FoldingCompleter(self._model, self)
        self.setCompleter(self._completer)
        self.currentIndexChanged.connect(lambda _i: self.code_changed.emit(self.code()))
        line = self.lineEdit()
        assert line is not None
        line.editingFinished.connect(self._resolve_typed_text)
        self.set_items(items)

    def set_items(self, items: Iterable[CodeName | tuple[str, str]], keep_code: bool = True) -> None:
        """Replace the list; the current code stays chosen when it is still in the list."""
        previous = self.code() if keep_code else None
        self.blockSignals(True)
        self._model.clear()
        if self._empty_label is not None:
            self._model.appendRow(self._item(None, self._empty_label))
        for entry in items:
            code, name = (entry.code, entry.name) if isinstance(entry, CodeName) else entry
            self._model.appendRow(self._item(code, name))
        index = self._find(previous)
        self.setCurrentIndex(index if index >= 0 else (0 if self._model.rowCount() else -1))
        self.blockSignals(False)
        if self.code() != previous:
            self.code_changed.emit(self.code())

    @staticmethod
    def _item(code: str | None, name: str) -> QStandardItem:
        item = QStandardItem(name)
        item.setData(code, CODE_ROLE)
        item.setData(fold(name), FOLD_ROLE)
        return item

    def _find(self, code: str | None) -> int:
        for row in range(self._model.rowCount()):
            if self._model.item(row).data(CODE_ROLE) == code:
                return row
        return -1

    def code(self) -> str | None:
        index = self.currentIndex()
        if index < 0:
            return None
        value = self._model.item(index).data(CODE_ROLE)
        return str(value) if value is not None else None

    def name(self) -> str:
        """The shown name of the choice ("" for none)."""
        return "" if self.code() is None else self.currentText()

    def set_code(self, code: str | None) -> bool:
        """Choose ``code``; False (and no change) when it is not in the list."""
        index = self._find(code)
        if index < 0:
            return False
        self.setCurrentIndex(index)
        return True

    def codes(self) -> list[str | None]:
        return [self._model.item(r).data(CODE_ROLE) for r in range(self._model.rowCount())]

    def _resolve_typed_text(self) -> None:
        """Text typed without picking from the popup: take the single entry it names, else put the choice back."""
        typed = fold(self.currentText())
        if self.currentIndex() >= 0 and fold(self.itemText(self.currentIndex())) == typed:
            return
        exact = [r for r in range(self._model.rowCount()) if self._model.item(r).data(FOLD_ROLE) == typed]
        partial = [r for r in range(self._model.rowCount()) if typed and typed in self._model.item(r).data(FOLD_ROLE)]
        match = exact[0] if exact else (partial[0] if len(partial) == 1 else None)
        if match is None and not typed and self._empty_label is not None:
            match = 0
        if match is not None:
            self.setCurrentIndex(match)
        self.setEditText(self.itemText(self.currentIndex()) if self.currentIndex() >= 0 else "")


class EnumCombo(QComboBox):
    """A fixed choice among the members of a labelled enum (``.label`` shown), optionally with a "none" entry."""

    value_changed = Signal(object)

    def __init__(self, enum_type: type[Enum], parent: QWidget | None = None, empty_label: str | None = None,
                 members: Sequence[Any] | None = None) -> None:
        super().__init__(parent)
        self._enum_type = enum_type
        if empty_label is not None:
            self.addItem(empty_label, None)
        # Every enum of the domain shown to a user has a Vietnamese ``label``.
        choices: Sequence[Any] = members if members is not None else list(enum_type)
        for member in choices:
            self.addItem(member.label, member)
        self.currentIndexChanged.connect(lambda _i: self.value_changed.emit(self.value()))

    def value(self) -> Any:
        # Qt hands a str-based enum member back as a plain str: turn it back into the member
        data = self.currentData()
        return None if data is None else self._enum_type(data)

    def set_value(self, value: Any) -> bool:
        for i in range(self.count()):
            if self.itemData(i) == value:
                self.setCurrentIndex(i)
                return True
        return False


class PlacePicker(QWidget):
    """Province then commune (after the 2025 reform: two levels); choosing a province narrows the communes.

    ``reference`` is ``services.reference`` (``provinces()``, ``communes(province_code)``). With ``empty_label``
    both combos start with a "none" entry (a filter: "Tất cả tỉnh" / "Tất cả xã").
    """

    changed = Signal()

    def __init__(self, reference: Any, parent: QWidget | None = None, empty_province: str | None = "",
                 empty_commune: str | None = "") -> None:
        super().__init__(parent)
        self._reference = reference
        self.province = CodeCombo(self, empty_label=empty_province, items=reference.provinces())
        self.commune = CodeCombo(self, empty_label=empty_commune)
        self.province.setAccessibleName("Tỉnh, thành phố")
        self.commune.setAccessibleName("Xã, phường")
        self.province.setMinimumContentsLength(12)
        self.commune.setMinimumContentsLength(14)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.province, 2)
        layout.addWidget(self.commune, 3)
        self.setFocusProxy(self.province)
        self.province.code_changed.connect(self._province_changed)
        self.commune.code_changed.connect(lambda _c: self.changed.emit())
        self._province_changed(self.province.code())

    def _province_changed(self, code: str | None) -> None:
        communes = self._reference.communes(code) if code else []
        self.commune.set_items(communes)
        self.commune.setEnabled(bool(code))
        self.changed.emit()

    def province_code(self) -> str | None:
        return self.province.code()

    def commune_code(self) -> str | None:
        return self.commune.code()

    def set_codes(self, province_code: str | None, commune_code: str | None) -> None:
        self.province.set_code(province_code)
        self._province_changed(self.province.code())
        self.commune.set_code(commune_code)
