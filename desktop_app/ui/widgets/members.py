"""Council members (appraisal and acceptance councils): one row each, the name picked from the appraiser
accounts or typed for an outside expert, the title and the role in the council."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop_app.domain.enums import MemberRole
from desktop_app.services.dto import MemberInput, UserInfo
from desktop_app.ui.style import READ_ONLY_COMBO
from desktop_app.ui.widgets.display import bold_label

_DEFAULT_ROLES = (MemberRole.CHAIR, MemberRole.SECRETARY)


class _MemberRow:
    """The inputs of one member: name (an appraiser account or typed), title, role, and a remove button."""

    def __init__(self, editor: MembersEditor, number: int) -> None:
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name.setMinimumContentsLength(18)
        self.name.addItem("", None)
        for user in editor.users:
            self.name.addItem(user.full_name or user.username, user.id)
        self.name.setCurrentIndex(0)
        self.name.setAccessibleName(f"Họ và tên thành viên {number}")
        self.title = QLineEdit()
        self.title.setPlaceholderText("Chức danh, đơn vị")
        self.title.setAccessibleName(f"Chức danh thành viên {number}")
        self.role = QComboBox()
        for role in MemberRole:
            self.role.addItem(role.label, role)
        self.role.setAccessibleName(f"Vai trò thành viên {number}")
        self.remove = QPushButton("Xóa")
        self.remove.setToolTip("Bỏ thành viên này khỏi hội đồng")
        self.remove.setAutoDefault(False)
        self.name.activated.connect(lambda _i: editor.user_picked(self))

    def widgets(self) -> list[QWidget]:
        return [self.name, self.title, self.role, self.remove]

    def user_id(self, users: dict[int, UserInfo]) -> int | None:
        """The account when the name is exactly an appraiser's (typed or picked), else None (an outside expert)."""
        text = " ".join(self.name.currentText().split())
        data = self.name.currentData()
        if data is not None and self.name.itemText(self.name.currentIndex()) == text:
            return int(data)
        matches = [u.id for u in users.values() if (u.full_name or u.username) == text]
        return matches[0] if len(matches) == 1 else None

    def set_member(self, member: MemberInput) -> None:
        index = self.name.findData(member.user_id) if member.user_id else -1
        if index >= 0:
            self.name.setCurrentIndex(index)
        else:
            self.name.setCurrentIndex(0)
            self.name.setEditText(member.full_name)
        self.title.setText(member.title)
        self.title.setCursorPosition(0)  # show the start of a long title, not its end
        self.role.setCurrentIndex(self.role.findData(member.role))


class MembersEditor(QWidget):
    """Council members, one row each: name (pick an appraiser account or type an outside expert), title, role.

    ``members()`` gives ``MemberInput`` for the rows with a name or title (blank rows are ignored); the service
    validates the list (one chair, no user twice …).
    """

    changed = Signal()

    def __init__(self, users: Sequence[UserInfo], parent: QWidget | None = None, rows: int = 3) -> None:
        super().__init__(parent)
        self.users = list(users)
        self._by_id = {u.id: u for u in self.users}
        self._rows: list[_MemberRow] = []
        self._read_only = False
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(4)
        for col, header in enumerate(("Họ và tên", "Chức danh, đơn vị", "Vai trò trong hội đồng")):
            self._grid.addWidget(bold_label(header), 0, col)
        self._grid.setColumnStretch(0, 3)
        self._grid.setColumnStretch(1, 3)
        self._grid.setColumnStretch(2, 1)
        self.add_button = QPushButton("Thêm thành &viên")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self._add_row(focus=True))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._grid)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        outer.addLayout(bottom)
        for _ in range(rows):
            self._add_row()

    def _add_row(self, focus: bool = False) -> _MemberRow:
        row = _MemberRow(self, len(self._rows) + 1)
        position = len(self._rows)
        default = _DEFAULT_ROLES[position] if position < len(_DEFAULT_ROLES) else MemberRole.MEMBER
        row.role.setCurrentIndex(row.role.findData(default))
        self._rows.append(row)
        self._relayout()
        row.remove.clicked.connect(lambda: self._remove_row(row))
        row.name.editTextChanged.connect(lambda _t: self.changed.emit())
        row.title.textEdited.connect(lambda _t: self.changed.emit())
        row.role.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._apply_read_only()
        if focus:
            row.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()
        return row

    def _remove_row(self, row: _MemberRow) -> None:
        index = self._rows.index(row)
        self._rows.remove(row)
        for w in row.widgets():
            self._grid.removeWidget(w)
            w.hide()  # gone from the screen now, not when the deferred delete runs
            w.deleteLater()
        self._relayout()
        if self._rows:
            self._rows[min(index, len(self._rows) - 1)].name.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def _relayout(self) -> None:
        previous: QWidget | None = None
        for i, row in enumerate(self._rows, start=1):
            for col, w in enumerate(row.widgets()):
                self._grid.addWidget(w, i, col)
                if previous is not None:
                    QWidget.setTabOrder(previous, w)
                previous = w
        if previous is not None:
            QWidget.setTabOrder(previous, self.add_button)

    def user_picked(self, row: _MemberRow) -> None:
        """Picking an appraiser account fills the title from the account when it is still empty."""
        uid = row.name.currentData()
        user = self._by_id.get(uid) if uid is not None else None
        if user is not None and not row.title.text().strip():
            row.title.setText(user.title)

    def row_count(self) -> int:
        return len(self._rows)

    def row_widgets(self, index: int) -> _MemberRow:
        return self._rows[index]

    def add_member(self, member: MemberInput | None = None) -> _MemberRow:
        """Add a row (at the end), filled with ``member`` when given."""
        row = self._add_row()
        if member is not None:
            row.set_member(member)
        return row

    def set_members(self, members: Sequence[MemberInput], minimum_rows: int = 0) -> None:
        while self._rows:
            self._remove_row(self._rows[-1])
        for m in members:
            self.add_member(m)
        while len(self._rows) < minimum_rows:
            self._add_row()

    def _filled(self) -> list[_MemberRow]:
        return [r for r in self._rows if r.name.currentText().strip() or r.title.text().strip()]

    def members(self) -> list[MemberInput]:
        # Qt hands a str-based enum back as a plain str: turn it into the role again.
        return [MemberInput(" ".join(r.name.currentText().split()), MemberRole(r.role.currentData()),
                            r.title.text().strip(), r.user_id(self._by_id)) for r in self._filled()]

    def focus_member(self, number: int | None = None) -> None:
        """Focus the name of member ``number`` (1-based, counting the filled rows), or the first row."""
        filled = self._filled()
        if number is not None and 1 <= number <= len(filled):
            filled[number - 1].name.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self._rows:
            self._rows[0].name.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        for r in self._rows:
            r.name.setEnabled(not self._read_only)
            for combo in (r.name, r.role):
                combo.setStyleSheet(READ_ONLY_COMBO if self._read_only else "")
            r.title.setReadOnly(self._read_only)
            r.role.setEnabled(not self._read_only)
            r.remove.setVisible(not self._read_only)
        self.add_button.setVisible(not self._read_only)

