"""Đổi mật khẩu (every role), Đặt lại mật khẩu (administrator, for another user) and the font-size control.

``install_account_menu`` adds the "Tài khoản" menu to the main window, so the window itself changes by one line.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import UserError
from desktop_app.services.auth import MIN_PASSWORD_LENGTH, Actor
from desktop_app.services.context import Services
from desktop_app.ui import msgbox, settings
from desktop_app.ui.fonts import UI_FAMILY
from desktop_app.ui.widgets import FieldMessage, FormFields

FONT_SIZES = range(8, 19)


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(200)
    return edit


class _PasswordDialog(QDialog):
    """A form of password fields whose OK calls :meth:`submit`; a refused one names its field."""

    def __init__(self, parent: QWidget | None, title: str, intro: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.form = QFormLayout()
        self.fields = FormFields(self.form)
        layout.addLayout(self.form)
        self.banner = FieldMessage()
        layout.addWidget(self.banner)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Đổi mật khẩu")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        raise NotImplementedError

    def accept(self) -> None:
        self.fields.clear()
        self.banner.clear_message()
        try:
            self.submit()
        except UserError as exc:
            if not self.fields.show_user_error(exc):
                self.banner.show_error(exc.message)
            return
        super().accept()


class ChangePasswordDialog(_PasswordDialog):
    """The signed-in user changes his own password, typing the current one first."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor) -> None:
        super().__init__(parent, "Đổi mật khẩu",
                         f"Đổi mật khẩu của tài khoản “{actor.username}”. Mật khẩu mới có ít nhất "
                         f"{MIN_PASSWORD_LENGTH} ký tự.")
        self.services, self.actor = services, actor
        self.current = self.fields.add("current", "Mật khẩu hiện tại", _password_edit(), required=True)
        self.new = self.fields.add("new", "Mật khẩu mới", _password_edit(), required=True)
        self.repeated = self.fields.add("repeated", "Nhập lại mật khẩu mới", _password_edit(), required=True)

    def submit(self) -> None:
        assert isinstance(self.current, QLineEdit) and isinstance(self.new, QLineEdit)
        assert isinstance(self.repeated, QLineEdit)
        self.services.account.change_own_password(self.actor, self.current.text(), self.new.text(),
                                                  self.repeated.text())


class ResetPasswordDialog(_PasswordDialog):
    """The administrator sets a new password for another user (who then changes it himself)."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor) -> None:
        super().__init__(parent, "Đặt lại mật khẩu người dùng",
                         "Đặt mật khẩu mới cho một người dùng quên mật khẩu; báo mật khẩu này cho người đó và đề "
                         "nghị họ đổi lại ngay sau khi đăng nhập.")
        self.services, self.actor = services, actor
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đặt lại mật khẩu")
        self.user_combo = QComboBox()
        for user in services.users.list(actor):
            if user.id != actor.id:
                self.user_combo.addItem(f"{user.username} – {user.full_name} ({user.role.label})", user.username)
        self.fields.add("username", "Người dùng", self.user_combo, required=True)
        self.new = self.fields.add("password", "Mật khẩu mới", _password_edit(), required=True)
        self.repeated = self.fields.add("repeated", "Nhập lại mật khẩu mới", _password_edit(), required=True)

    def submit(self) -> None:
        assert isinstance(self.new, QLineEdit) and isinstance(self.repeated, QLineEdit)
        username = self.user_combo.currentData()
        if not username:
            raise UserError("Chưa chọn người dùng.", field="username")
        if self.new.text() != self.repeated.text():
            raise UserError("Hai lần nhập mật khẩu mới không khớp nhau.", field="repeated")
        self.services.users.set_password(self.actor, username, self.new.text())


# --- font size -------------------------------------------------------------------------------------------------

def font_size() -> int:
    size = settings.get(settings.FONT_SIZE)
    return size if size in FONT_SIZES else settings.FONT_SIZE.default


def set_font_size(size: int) -> int:
    """Apply ``size`` (clamped to the offered range) to the whole program and remember it; returns the size set."""
    size = min(max(size, FONT_SIZES[0]), FONT_SIZES[-1])
    app = QApplication.instance()
    if isinstance(app, QApplication):
        font = QFont(app.font())
        font.setFamily(UI_FAMILY)
        font.setPointSize(size)
        app.setFont(font)
    settings.put(settings.FONT_SIZE, size)
    return size


def install_account_menu(window: QMainWindow, services: Services, actor: Actor) -> dict[str, QAction]:
    """Add "Tài khoản" to ``window``'s menu bar: change password, reset another's (administrator), font size."""
    menu = window.menuBar().addMenu("Tài &khoản")
    actions: dict[str, QAction] = {}

    def add(key: str, text: str, slot: object,
            shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: _run(window, slot))
        menu.addAction(action)
        actions[key] = action
        return action

    add("change_password", "Đổi mật khẩu…", lambda: _change_password(window, services, actor))
    if actor.role is Role.ADMIN:
        add("reset_password", "Đặt lại mật khẩu người dùng…", lambda: _reset_password(window, services, actor))
    menu.addSeparator()
    add("font_bigger", "Tăng cỡ chữ", lambda: set_font_size(font_size() + 1), QKeySequence.StandardKey.ZoomIn)
    add("font_smaller", "Giảm cỡ chữ", lambda: set_font_size(font_size() - 1), QKeySequence.StandardKey.ZoomOut)
    add("font_default", "Cỡ chữ mặc định", lambda: set_font_size(settings.FONT_SIZE.default), "Ctrl+0")
    return actions


def _run(window: QWidget, slot: object) -> None:
    try:
        slot()  # type: ignore[operator]
    except UserError as exc:
        msgbox.warning(window, exc.message)


def _change_password(parent: QWidget, services: Services, actor: Actor) -> None:
    if ChangePasswordDialog(parent, services, actor).exec() == QDialog.DialogCode.Accepted:
        msgbox.information(parent, "Đã đổi mật khẩu. Lần đăng nhập sau hãy dùng mật khẩu mới.", title="Đổi mật khẩu")


def _reset_password(parent: QWidget, services: Services, actor: Actor) -> None:
    dialog = ResetPasswordDialog(parent, services, actor)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        msgbox.information(parent, f"Đã đặt lại mật khẩu cho “{dialog.user_combo.currentData()}”.",
                           title="Đặt lại mật khẩu")
