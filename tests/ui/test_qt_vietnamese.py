"""Qt's own texts (context menus, standard buttons) are in Vietnamese once the application is set up."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from desktop_app.ui.app import application


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
