"""Qt's own texts (context menus, standard buttons) are in Vietnamese once the application is set up."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMenu

from desktop_app.ui.app import application

pytestmark = pytest.mark.gui


def test_context_menu_and_buttons_are_vietnamese(qtbot) -> None:
    application()
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    texts = [a.text().replace("&", "").split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    assert "Sao chép" in texts and "Dán" in texts and "Chọn tất cả" in texts
    assert not {"Copy", "Paste", "Select All"} & set(texts)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    labels = {b.text() for b in box.buttons()}
    assert labels == {"Đồng ý", "Hủy"}


def test_a_text_qt_does_not_know_here_stays_qt_s_own(qtbot) -> None:
    # An empty answer would be taken as the translation: "Ctrl" vanishing from shortcuts, "%1" left unfilled.
    from PySide6.QtCore import QCoreApplication

    application()
    assert QCoreApplication.translate("QShortcut", "Ctrl") == "Ctrl"
    assert QCoreApplication.translate("QFileDialog", "%1 File") == "%1 File"
    assert QCoreApplication.translate("QMessageBox", "OK") == "Đồng ý"


def test_every_menu_and_toolbar_action_shows_its_whole_shortcut(qtbot, sqlite_services, sqlite_people) -> None:
    from PySide6.QtGui import QKeySequence

    from desktop_app.ui.main_window import MainWindow

    application()
    window = MainWindow(sqlite_services, sqlite_people.manager)
    qtbot.addWidget(window)
    native = QKeySequence.SequenceFormat.NativeText
    shown = {a.text(): a.shortcut().toString(native) for menu in window.menuBar().findChildren(QMenu)
             for a in menu.actions() if not a.isSeparator()}
    assert shown["In / xuất"] == "Ctrl+P" and shown["Thoát"] == "Ctrl+Q" and shown["Đăng xuất"] == "Ctrl+Shift+L"
    assert shown["Thêm mới"] == "Ctrl+N" and shown["Lưu"] == "Ctrl+S" and shown["Tìm"] == "Ctrl+F"
    assert shown["Làm mới"] == "F5" and shown["Tổng quan"] == "Ctrl+1" and shown["Danh mục & cài đặt"] == "Ctrl+8"
    window.show_screen_by_key("establishments")  # a screen that answers every toolbar action
    for action in window.toolbar.actions():
        sequence = action.shortcut().toString(native)
        assert sequence and action.toolTip().endswith(f"({sequence})"), action.toolTip()
    assert window.new_action.toolTip() == "Thêm bản ghi mới (Ctrl+N)"


def test_the_file_dialog_keeps_its_labels(qtbot) -> None:
    from PySide6.QtWidgets import QFileDialog, QLabel

    application()
    dialog = QFileDialog(None, "Xuất danh sách", "", "Bảng tính Excel (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = {label.text().replace("&", "") for label in dialog.findChildren(QLabel)}
    assert {"Thư mục:", "Tên tệp:", "Kiểu tệp:"} <= labels  # in Vietnamese, none emptied by the translator
