"""The sign-in dialog: user name and password; the service's message on failure (wrong password, lockout)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import AuthenticationError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.ui import settings
from desktop_app.ui.widgets import FormFields


class LoginDialog(QDialog):
    """Asks for the user name and password until ``services.auth.login`` accepts them; ``actor`` holds the user."""

    def __init__(self, services: Services, parent: QWidget | None = None, organisation_name: str = "") -> None:
        super().__init__(parent)
        self.services = services
        self.actor: Actor | None = None
        self.setWindowTitle("Đăng nhập – Quản lý đề án khuyến công")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        heading = QLabel("Quản lý đề án khuyến công")
        heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout.addWidget(heading)
        if organisation_name:
            org = QLabel(organisation_name)
            org.setWordWrap(True)
            layout.addWidget(org)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields = FormFields(form)
        self.username = QLineEdit(settings.get(settings.LAST_USERNAME))
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields.add("username", "Tên đăng nhập", self.username)
        self.fields.add("password", "Mật khẩu", self.password)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("Đăng nhập", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Thoát", QDialogButtonBox.ButtonRole.RejectRole)
        self.reconnect = False  # the user chose another database: the program opens it and asks again
        self.connect_button = self.buttons.addButton("Kết nối cơ sở dữ liệu…", QDialogButtonBox.ButtonRole.ResetRole)
        self.connect_button.setAutoDefault(False)  # Enter signs in; it never opens the connection dialog
        self.connect_button.clicked.connect(self._on_connect)
        self.ok_button.setDefault(True)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._on_login)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.username, self.password)
        (self.password if self.username.text() else self.username).setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_connect(self) -> None:
        from desktop_app.ui.connection_dialog import ConnectionDialog

        if ConnectionDialog(self).exec() == QDialog.DialogCode.Accepted:
            self.reconnect = True
            self.reject()

    def _on_login(self) -> None:
        self.fields.clear()
        if not self.username.text().strip():
            self.fields.set_error("username", "Chưa nhập tên đăng nhập.")
            self.fields.focus("username")
            return
        try:
            self.actor = self.services.auth.login(self.username.text(), self.password.text())
        except AuthenticationError as exc:
            field = exc.field if exc.field in ("username", "password") else "password"
            self.fields.set_error(field, exc.message)
            self.password.selectAll()
            self.fields.focus(field)
            # The dialog grows with the message under the field (a wrapped lockout message) instead of clipping it.
            self.adjustSize()
            return
        settings.put(settings.LAST_USERNAME, self.actor.username)
        self.accept()
