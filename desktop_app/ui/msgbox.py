"""Every message box goes through here, so tests can patch one place and wording stays consistent."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
         buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    labels = {QMessageBox.StandardButton.Ok: "Đồng ý", QMessageBox.StandardButton.Cancel: "Hủy",
              QMessageBox.StandardButton.Yes: "Có", QMessageBox.StandardButton.No: "Không",
              QMessageBox.StandardButton.Save: "Lưu", QMessageBox.StandardButton.Discard: "Không lưu",
              QMessageBox.StandardButton.Close: "Đóng"}
    for std, label in labels.items():
        button = box.button(std)
        if button is not None:
            button.setText(label)
    return box


def information(parent: QWidget | None, text: str, title: str = "Thông báo") -> None:
    _box(parent, QMessageBox.Icon.Information, title, text).exec()


def warning(parent: QWidget | None, text: str, title: str = "Chưa thực hiện được") -> None:
    _box(parent, QMessageBox.Icon.Warning, title, text).exec()


def confirm(parent: QWidget | None, text: str, title: str = "Xác nhận") -> bool:
    box = _box(parent, QMessageBox.Icon.Question, title, text,
               QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_save_changes(parent: QWidget | None, text: str, title: str = "Chưa lưu thay đổi") -> str:
    """Unsaved changes: returns ``"save"``, ``"discard"`` or ``"cancel"`` (Escape keeps the user where they were)."""
    box = _box(parent, QMessageBox.Icon.Question, title, text,
               QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
               | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"
