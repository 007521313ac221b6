"""Pieces shared by the Thẩm định, Nghiệm thu and Giải ngân screens.

- :class:`RecordDialog` — a dialog that saves through one service call; on a ``UserError`` it stays open, shows
  the message beside the field the service named (or in a banner) and puts the cursor there, so nothing typed
  is lost;
- :class:`ListModel` — a small in-memory table model over DTOs (council members, disbursements, tasks …);
- :class:`ProposalList` — the left-hand list of proposals in some statuses (``services.proposals.search``
  with a status filter per status, merged), with a search box;
- :class:`MembersEditor` — council members picked from the appraiser accounts or typed, with their role;
- small formatting helpers (points with a decimal comma, yes/no).

Permissions are never decided here: buttons call the services and show what they refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import MemberRole, Status
from desktop_app.domain.errors import UserError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import MemberInput, Page, ProposalFilter, ProposalRow, UserInfo
from desktop_app.ui.errors import show_error
from desktop_app.ui.table_model import ROW_ROLE, SORT_ROLE, Column, PagedTableModel
from desktop_app.ui.widgets import FieldMessage, FormFields, ListColumns, SearchBox, list_layout, setup_list_view

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


# --- formatting -----------------------------------------------------------------------------------------------------

def format_points(value: Decimal | None, places: int | None = None) -> str:
    """Points with a decimal comma: ``Decimal("12.50")`` → ``"12,5"``; with ``places=2`` → ``"12,50"``."""
    if value is None:
        return ""
    if places is not None:
        text = f"{value.quantize(Decimal(1).scaleb(-places)):f}"
    else:
        text = f"{value.normalize():f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


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
    state.setStyleSheet("padding: 2px 8px; border: 1px solid #9ab; border-radius: 8px; background: #eef4fa;")
    head.addWidget(title, 1)
    head.addWidget(state, 0, Qt.AlignmentFlag.AlignTop)
    return head, title, state


def value_label(text: str = "", numeric: bool = False) -> QLabel:
    """A read-only value shown in a form (selectable, so it can be copied)."""
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if numeric:
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


def show_success(message: FieldMessage, text: str) -> None:
    """A message line in green: something was saved."""
    message.clear_message()
    message.setStyleSheet("color: #1b6e20;")
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


# --- a dialog that saves through a service ------------------------------------------------------------------------

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
        self.hint.setStyleSheet("color: #8a5a00;" if warning else "color: #444;")
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


# --- a small table model over DTOs -------------------------------------------------------------------------------

class ListModel(QAbstractTableModel, Generic[T]):
    """Rows held in memory (a council's members, a proposal's disbursements …), columns as in ``table_model``.

    ``footer`` (optional) gives a totals row shown in bold after the rows; it is not a row object.
    """

    def __init__(self, columns: Sequence[Column[T]], parent: Any = None,
                 footer: Callable[[list[T]], list[str]] | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[T] = []
        self._footer = footer
        self.row_foreground: Callable[[T], Any] | None = None
        self.row_tooltip: Callable[[T], str] | None = None

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row(self, index: int) -> T:
        return self._rows[index]

    def _has_footer(self) -> bool:
        return self._footer is not None and bool(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows) + (1 if self._has_footer() else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        col = self.columns[index.column()]
        if index.row() >= len(self._rows):  # the totals row
            if role == Qt.ItemDataRole.DisplayRole and self._footer is not None:
                texts = self._footer(self._rows)
                return texts[index.column()] if index.column() < len(texts) else ""
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _RIGHT if col.numeric else _LEFT
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col.numeric else _LEFT
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return col.raw(row) if col.raw else col.text(row)
        if role == Qt.ItemDataRole.ForegroundRole and self.row_foreground is not None:
            return self.row_foreground(row)
        if role == Qt.ItemDataRole.ToolTipRole and self.row_tooltip is not None:
            return self.row_tooltip(row) or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header if 0 <= section < len(self.columns) else None
        return str(section + 1)


# --- the list of proposals on the left ----------------------------------------------------------------------------

PROPOSAL_COLUMNS: list[Column[ProposalRow]] = [
    Column("Mã đề án", lambda r: r.code, sort="code"),
    Column("Tên đề án", lambda r: r.title, sort="title"),
    Column("Năm", lambda r: str(r.year), sort="year", numeric=True, raw=lambda r: r.year),
    Column("Trạng thái", lambda r: r.status.label, sort="status"),
]
COL_TITLE, COL_YEAR = 1, 2
#: Room the side list asks of its screen: code and status fitted, the title readable (the year, in the code too,
#: is hidden until chosen from the header's menu; the list is still sorted by it, newest first).
SIDE_LIST_WIDTH = 400


class ProposalList(QWidget):
    """A status filter, a search box and the proposals; emits ``proposal_selected(id or None)``."""

    proposal_selected = Signal(object)

    def __init__(self, services: Services, actor: Actor, choices: Sequence[tuple[str, Sequence[Status]]],
                 parent: QWidget | None = None, columns: Sequence[Column[ProposalRow]] = PROPOSAL_COLUMNS,
                 name: str = "proposal_list") -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self._choices = list(choices)
        self.status_combo = QComboBox()
        for label, _statuses in self._choices:
            self.status_combo.addItem(label)
        self.status_combo.setAccessibleName("Lọc theo trạng thái")
        self.search = SearchBox("Tìm theo mã hoặc tên đề án…")
        self.model: PagedTableModel[ProposalRow] = PagedTableModel(columns, self._fetch_for(""), "code", self)
        self.view = QTableView()
        self.view.setModel(self.model)
        setup_list_view(self.view)
        self.view.setTabKeyNavigation(False)
        # Newest year first; the title takes the room left, at least enough to read it.
        self.columns = ListColumns(self.view, name, stretch=COL_TITLE, stretch_min=140, hidden=[COL_YEAR],
                                   sort=(COL_YEAR, Qt.SortOrder.DescendingOrder))
        self.count_label = QLabel()
        status_filter = QHBoxLayout()
        caption = QLabel("&Trạng thái:")
        caption.setBuddy(self.status_combo)
        status_filter.addWidget(caption)
        status_filter.addWidget(self.status_combo, 1)
        layout = list_layout(self.search, self.view, self.count_label, filters=[status_filter], parent=self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.search_changed.connect(lambda _t: self.reload())
        self._current: int | None = None
        self._first_load = True
        self._guard: Callable[[int | None], bool] | None = None
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_changed)

    def set_change_guard(self, guard: Callable[[int | None], bool]) -> None:
        """``guard(new_id)`` may refuse leaving the current proposal (unsaved input): the selection stays."""
        self._guard = guard

    def _fetch_for(self, text: str) -> Callable[[int, int, str, bool], Page[ProposalRow]]:
        f = ProposalFilter(text=text, statuses=tuple(self._choices[max(self.status_combo.currentIndex(), 0)][1]))
        return lambda offset, limit, sort, descending: self.services.proposals.search(
            self.actor, f, offset, limit, sort, descending)

    def reload(self) -> None:
        """Fetch again (filter, search or data changed), keeping the selected proposal when it is still listed."""
        keep = self._current
        self.view.selectionModel().blockSignals(True)
        self.model.set_fetch(self._fetch_for(self.search.text().strip()))
        self.view.selectionModel().blockSignals(False)
        self.count_label.setText(f"{self.model.total} đề án")
        if keep is not None and self.select_id(keep):
            return
        if keep is None and self._first_load and self.model.rowCount():
            # Opening the screen shows the first proposal at once (and the list has a current row to move from).
            self._first_load = False
            self.select_id(self.model.row(0).id)
            return
        self._first_load = False
        self._set_current(None)

    def select_id(self, proposal_id: int) -> bool:
        """Select a proposal by id (fetching further pages if needed); False when it is not in the list or the
        change guard keeps the current one (unsaved input)."""
        if proposal_id != self._current and self._guard is not None and not self._guard(proposal_id):
            return False
        row = self._row_of(proposal_id)
        while row is None and self.model.canFetchMore():
            self.model.fetchMore()
            row = self._row_of(proposal_id)
        if row is None:
            return False
        self.view.selectionModel().blockSignals(True)
        self.view.setCurrentIndex(self.model.index(row, 0))
        self.view.selectRow(row)
        self.view.selectionModel().blockSignals(False)
        self._set_current(proposal_id)
        return True

    def _row_of(self, proposal_id: int) -> int | None:
        for i, r in enumerate(self.model.rows()):
            if r.id == proposal_id:
                return i
        return None

    def current_id(self) -> int | None:
        return self._current

    def current_row(self) -> ProposalRow | None:
        row = self._row_of(self._current) if self._current is not None else None
        return self.model.row(row) if row is not None else None

    def _set_current(self, proposal_id: int | None) -> None:
        changed = proposal_id != self._current
        self._current = proposal_id
        if changed:
            self.proposal_selected.emit(proposal_id)

    def _on_view_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        new_id = self.model.row(current.row()).id if current.isValid() else None
        if new_id == self._current:
            return
        if self._guard is not None and not self._guard(new_id):
            back = self._row_of(self._current) if self._current is not None else None
            self.view.selectionModel().blockSignals(True)
            if back is not None:
                self.view.setCurrentIndex(self.model.index(back, 0))
                self.view.selectRow(back)
            else:
                self.view.clearSelection()
            self.view.selectionModel().blockSignals(False)
            return
        self._set_current(new_id)


# --- council members -----------------------------------------------------------------------------------------------

_DEFAULT_ROLES = (MemberRole.CHAIR, MemberRole.SECRETARY)
#: A disabled choice that must stay readable (a record frozen after sign-off is read, not greyed out).
READ_ONLY_COMBO = "QComboBox:disabled { color: #1a1a1a; }"


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
