"""The sign-in dialog: user name and password; the service's message on failure (wrong password, lockout).

At start-up it is shown before the database is open (``services`` None): the program opens it meanwhile and
:meth:`LoginDialog.attach` hands the services over; a user quicker than that waits at "Đăng nhập" for the opening.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import AuthenticationError
from desktop_app.ui import settings
from desktop_app.ui.widgets.forms import FormFields

if TYPE_CHECKING:  # the database layer is imported after this window is on screen
    from desktop_app.services.auth import Actor
    from desktop_app.services.context import Services


class LoginDialog(QDialog):
    """Asks for the user name and password until ``services.auth.login`` accepts them; ``actor`` holds the user."""

    def __init__(self, services: Services | None, parent: QWidget | None = None, organisation_name: str = "") -> None:
        super().__init__(parent)
        self.services = services
        self._wait: Callable[[], Services | None] | None = None
        self.actor: Actor | None = None
        self.setWindowTitle("Đăng nhập – Quản lý đề án khuyến công")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        heading = QLabel("Quản lý đề án khuyến công")
        font = heading.font()  # a font, not a style sheet: the sheet machinery would cost the first window its start
        font.setPointSize(16)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        self.organisation = QLabel(organisation_name)
        self.organisation.setWordWrap(True)
        self.organisation.setVisible(bool(organisation_name))
        layout.addWidget(self.organisation)
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
        # The buttons in a row of their own, as a button box would lay them out (the connection on the left):
        # a QDialogButtonBox would set up PySide's whole Qt namespace, 15 ms before this first window could show.
        self.buttons = QWidget()
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        self.reconnect = False  # the user chose another database: the program opens it and asks again
        self.connect_button = QPushButton("Kết nối cơ sở dữ liệu…")
        self.connect_button.setAutoDefault(False)  # Enter signs in; it never opens the connection dialog
        self.connect_button.clicked.connect(self._on_connect)
        self.ok_button = QPushButton("Đăng nhập")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self._on_login)
        quit_button = QPushButton("Thoát")
        quit_button.clicked.connect(self.reject)
        row.addWidget(self.connect_button)
        row.addStretch(1)
        row.addWidget(self.ok_button)
        row.addWidget(quit_button)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.username, self.password)
        (self.password if self.username.text() else self.username).setFocus()  # Qt's OtherFocusReason

    def wait_for(self, wait: Callable[[], Services | None]) -> None:
        """How to get the services if "Đăng nhập" is pressed before :meth:`attach` (blocks until they are open)."""
        self._wait = wait

    def attach(self, services: Services, organisation_name: str = "") -> None:
        """The database is open: sign-in can go ahead; the centre's name appears under the heading."""
        self.services = services
        self.organisation.setText(organisation_name)
        self.organisation.setVisible(bool(organisation_name))

    def _on_connect(self) -> None:
        # start-up: the login window shows without it (~20 ms)
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
        if self.services is None and self._wait is not None:
            self.services = self._wait()
        if self.services is None:  # the database could not be opened: the program says why once this closes
            self.reject()
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
