"""The council shown on the Thẩm định screen: who sits on it and when, the score grid, the signed-in member's
comment, the live result against the pass mark, and the buttons of the own sheet and of the conclusion.

The panel shows; the page acts (its buttons are connected by :class:`~desktop_app.ui.appraisal.page.AppraisalPage`,
which calls the services).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.appraisal import council_result
from desktop_app.domain.vietnamese import format_date
from desktop_app.services.auth import Actor
from desktop_app.services.dto import CouncilView
from desktop_app.ui.appraisal.points import format_points
from desktop_app.ui.appraisal.score_grid import PointsDelegate, ScoreGridModel, ScoreGridView
from desktop_app.ui.style import CENTER_ALIGN, ERROR_STYLE, NOTE_STYLE, SUCCESS_STYLE
from desktop_app.ui.widgets import FieldMessage, set_read_only
from desktop_app.ui.widgets.display import bold_label, value_label


class CouncilPanel(QWidget):
    """A council with its score sheets; :meth:`fill` shows one, :meth:`update_result` follows what is typed."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.council: CouncilView | None = None
        self.own_sheet_id: int | None = None
        self.own_reopenable = False
        self.comment_dirty = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_info())
        self._build_grid(layout)
        self._build_comment(layout)
        layout.addWidget(self._build_result())
        layout.addLayout(self._build_buttons())
        self.message = FieldMessage()
        layout.addWidget(self.message)
        layout.addStretch(1)

    # --- building ------------------------------------------------------------------------------------------------

    def _build_info(self) -> QGroupBox:
        info = QGroupBox("Hội đồng thẩm định")
        grid = QGridLayout(info)
        grid.setHorizontalSpacing(12)
        self.decision_label = value_label()
        self.meeting_label = value_label()
        self.place_label = value_label()
        self.members_label = value_label()
        self.members_label.setWordWrap(True)
        grid.addWidget(QLabel("Quyết định thành lập:"), 0, 0)
        grid.addWidget(self.decision_label, 0, 1)
        grid.addWidget(QLabel("Ngày họp:"), 0, 2)
        grid.addWidget(self.meeting_label, 0, 3)
        grid.addWidget(QLabel("Địa điểm:"), 1, 0)
        grid.addWidget(self.place_label, 1, 1, 1, 3)
        grid.addWidget(QLabel("Thành viên:"), 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.members_label, 2, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return info

    def _build_grid(self, layout: QVBoxLayout) -> None:
        self.grid_model = ScoreGridModel(self)
        self.grid_model.edited.connect(self._on_grid_model_edited)
        self.grid = ScoreGridView()
        self.grid.setModel(self.grid_model)
        self.grid.setItemDelegate(PointsDelegate(self.grid))
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.grid.setWordWrap(True)
        self.grid.verticalHeader().setVisible(False)
        self.grid.setTabKeyNavigation(False)
        self.grid.setAccessibleName("Bảng điểm: tiêu chí theo hàng, thành viên theo cột")
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(60)
        header.setDefaultAlignment(CENTER_ALIGN)
        layout.addWidget(self.grid, 10)  # the grid takes the room; the stretch below only fills what is left

    def _build_comment(self, layout: QVBoxLayout) -> None:
        self.comment_box = QWidget()
        comment_layout = QHBoxLayout(self.comment_box)
        comment_layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("&Nhận xét của bạn:")
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(self.comment.fontMetrics().lineSpacing() * 2 + 14)
        self.comment.setPlaceholderText("Ý kiến nhận xét, đề nghị chỉnh sửa (nếu có)")
        caption.setBuddy(self.comment)
        self.comment.textChanged.connect(self._on_comment_changed)
        comment_layout.addWidget(caption)
        comment_layout.addWidget(self.comment, 1)
        layout.addWidget(self.comment_box)

    def _build_result(self) -> QGroupBox:
        result = QGroupBox("Kết quả")
        result_layout = QGridLayout(result)
        self.average_caption = QLabel("Điểm bình quân:")
        self.average_label = bold_label()
        self.pass_mark_label = bold_label()
        self.result_label = bold_label()
        self.counts_label = value_label()
        self.counts_label.setWordWrap(True)  # a long note must not widen the screen and squeeze the list
        self.conclusion_label = value_label()
        self.conclusion_label.setWordWrap(True)
        result_layout.addWidget(self.average_caption, 0, 0)
        result_layout.addWidget(self.average_label, 0, 1)
        result_layout.addWidget(QLabel("Điểm đạt:"), 0, 2)
        result_layout.addWidget(self.pass_mark_label, 0, 3)
        result_layout.addWidget(QLabel("Kết quả:"), 0, 4)
        result_layout.addWidget(self.result_label, 0, 5)
        result_layout.addWidget(self.counts_label, 1, 0, 1, 6)
        result_layout.addWidget(self.conclusion_label, 2, 0, 1, 6)
        result_layout.setColumnStretch(6, 1)
        return result

    def _build_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Lưu nháp")
        self.save_button.setToolTip("Lưu phiếu chấm điểm của bạn, chưa nộp (Ctrl+S)")
        self.submit_button = QPushButton("Nộ&p phiếu")
        self.submit_button.setToolTip("Nộp phiếu chấm điểm để được tính vào điểm bình quân (Ctrl+Enter)")
        self.conflict_button = QPushButton("Khai báo &xung đột lợi ích…")
        self.reopen_button = QPushButton("&Mở lại phiếu để sửa…")
        self.reopen_button.setToolTip("Phiếu đã nộp không sửa được; mở lại để sửa rồi nộp lại (được đến khi hội đồng "
                                      "kết luận). Trong lúc mở lại, phiếu không được tính vào điểm bình quân.")
        self.reopen_button.setVisible(False)
        self.conclude_button = QPushButton("&Kết luận…")
        for b in (self.save_button, self.submit_button, self.conflict_button, self.reopen_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.conclude_button)
        return buttons

    # --- showing -------------------------------------------------------------------------------------------------

    @property
    def unsaved(self) -> bool:
        """Scores or a comment typed and not saved."""
        return self.grid_model.dirty or self.comment_dirty

    def mark_saved(self) -> None:
        """What is typed was saved (or is not to be saved: the sheet left the average)."""
        self.grid_model.dirty = self.comment_dirty = False

    def fill(self, council: CouncilView) -> None:
        self.council = council
        decision = council.decision_number
        if council.decision_date:
            decision += f" ngày {format_date(council.decision_date)}"
        self.decision_label.setText(decision or "—")
        self.meeting_label.setText(format_date(council.meeting_date) or "—")
        self.place_label.setText(council.place or "—")
        self.members_label.setText("; ".join(
            f"{s.member_name} ({s.member_role.label})" + (f" — xung đột lợi ích: {s.conflict_note}" if s.conflict
                                                          else "")
            for s in council.sheets))
        own = next((s for s in council.sheets if s.user_id == self.actor.id), None)
        self.own_sheet_id = own.id if own else None
        # The own column is where the signed-in member types; the service still checks every save.
        # A submitted sheet is frozen (the service refuses to save it); its member may reopen it until the
        # council concludes.
        editable = own is not None and not own.conflict and not council.concluded and not own.submitted
        self.own_reopenable = own is not None and own.submitted and not own.conflict and not council.concluded
        self.grid_model.set_council(council, self.own_sheet_id, editable)
        self.comment.blockSignals(True)
        self.comment.setPlainText(own.comment if own else "")
        self.comment.blockSignals(False)
        self.comment_dirty = False
        set_read_only(self.comment, not editable)
        self.comment_box.setVisible(own is not None)
        self._size_grid()
        # Independent scoring: the service sends no points of the others yet, so their columns are not shown.
        for i, sheet in enumerate(council.sheets):
            self.grid.setColumnHidden(ScoreGridModel.FIRST_MEMBER + i,
                                      council.scores_hidden and sheet.user_id != self.actor.id)
        own_column = self.grid_model.own_column
        if own_column is not None:
            self.grid.setCurrentIndex(self.grid_model.index(0, own_column))
        # Score buttons belong to the member's own sheet; anyone else who tries to type a score (or presses
        # Ctrl+S) is told by the service why not.
        self.save_button.setVisible(self.grid_model.editable)
        self.submit_button.setVisible(self.grid_model.editable)
        self.conflict_button.setVisible(own is not None and not own.conflict and not council.concluded)
        self.reopen_button.setVisible(self.own_reopenable)
        self.update_result()

    def _size_grid(self) -> None:
        header = self.grid.horizontalHeader()
        members = self.grid_model.columnCount() - ScoreGridModel.FIRST_MEMBER
        self.grid.setColumnWidth(ScoreGridModel.COL_MAX, 60)
        for i in range(members):
            column = ScoreGridModel.FIRST_MEMBER + i
            # Wide enough for the member's name (bold for one's own), within reason.
            self.grid.setColumnWidth(column, max(96, min(header.sectionSizeHint(column) + 16, 190)))
        header.setSectionResizeMode(ScoreGridModel.COL_CRITERION, QHeaderView.ResizeMode.Stretch)
        self.grid.fit_to_rows()

    def update_result(self) -> None:
        """The average and the result: the council's once concluded, else live from the sheets as typed."""
        council = self.council
        if council is None:
            return
        if council.concluded:
            average, passed = council.average, council.passed
            self.average_caption.setText("Điểm bình quân:")
            counted, pending, excluded = council.counted, council.pending, council.excluded
            self.conclusion_label.setText(
                f"Đã kết luận{' (biên bản số ' + council.minutes_number + ')' if council.minutes_number else ''}: "
                f"{council.conclusion}")
            self.conclusion_label.setVisible(True)
        elif council.scores_hidden:
            self.average_caption.setText("Điểm bình quân:")
            self.average_label.setText("—")
            self.pass_mark_label.setText(format_points(council.pass_mark))
            self.result_label.setText("Công bố sau khi hội đồng kết luận")
            self.result_label.setStyleSheet(NOTE_STYLE)
            self.counts_label.setText("Mỗi thành viên chấm độc lập: điểm của các thành viên khác và kết quả chỉ "
                                      "hiện sau khi hội đồng kết luận. "
                                      f"Phiếu đã nộp: {council.counted}; chưa nộp: {council.pending}.")
            self.conclusion_label.setVisible(False)
            return
        else:
            result = council_result(self.grid_model.live_sheets(), council.pass_mark)
            average, passed = result.average, result.passed
            counted, pending, excluded = result.counted, result.pending, result.excluded
            self.average_caption.setText("Điểm bình quân (tạm tính):")
            self.conclusion_label.setVisible(False)
        self.average_label.setText(format_points(average, 2) if average is not None else "—")
        self.pass_mark_label.setText(format_points(council.pass_mark))
        if passed is None:
            self.result_label.setText("Chưa xác định")
            self.result_label.setStyleSheet(NOTE_STYLE)
        else:
            self.result_label.setText("Đạt" if passed else "Không đạt")
            self.result_label.setStyleSheet(SUCCESS_STYLE if passed else ERROR_STYLE)
        self.counts_label.setText(f"Phiếu được tính: {counted}; chưa nộp: {pending}; "
                                  f"loại trừ do xung đột lợi ích: {excluded}.")

    def _on_grid_model_edited(self) -> None:
        self.message.clear_message()
        self.update_result()

    def _on_comment_changed(self) -> None:
        if not self.comment.isReadOnly():
            self.comment_dirty = True
