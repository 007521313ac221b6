"""“Kết nối cơ sở dữ liệu…”: this computer's file or the centre's PostgreSQL server, with “Kiểm tra kết nối”.

Reached from the login window and the File menu. The choice is saved by :mod:`desktop_app.connection` (the
password into the operating system's credential store); the program opens the new database on the next sign-in.
The database layer is imported only when the user presses “Kiểm tra kết nối”, so the dialog can be shown
before anything heavy is loaded.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app import connection
from desktop_app.connection import SSL_MODE_LABELS, SSL_MODES, ConnectionChoice
from desktop_app.domain.errors import UserError
from desktop_app.ui.style import ERROR_STYLE, SUCCESS_STYLE
from desktop_app.ui.widgets import FormFields


class ConnectionDialog(QDialog):
    """Edits the remembered connection; ``choice`` holds what was saved once the dialog is accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kết nối cơ sở dữ liệu")
        self.setMinimumWidth(560)
        saved = connection.load() or ConnectionChoice()
        self.choice: ConnectionChoice | None = None
        self._has_stored_password = saved.is_server and connection.stored_password(saved) is not None

        layout = QVBoxLayout(self)
        intro = QLabel("Chọn nơi lưu dữ liệu của chương trình trên máy này. Một trung tâm có nhiều người dùng "
                       "chung một máy chủ PostgreSQL; mật khẩu được cất trong kho mật khẩu của hệ điều hành.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.local_radio = QRadioButton("Tệp trên máy này (một người dùng)")
        self.server_radio = QRadioButton("Máy chủ PostgreSQL của trung tâm (nhiều người dùng)")
        group = QButtonGroup(self)
        group.addButton(self.local_radio)
        group.addButton(self.server_radio)
        layout.addWidget(self.local_radio)
        self.file = QLineEdit(saved.file)
        self.file.setPlaceholderText(str(connection.local_database_file()))
        local_form = QFormLayout()
        local_form.addRow("Tệp dữ liệu", self.file)
        self.local_box = QWidget()
        self.local_box.setLayout(local_form)
        layout.addWidget(self.local_box)
        layout.addWidget(self.server_radio)

        self.server_box = QGroupBox()
        form = QFormLayout(self.server_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields = FormFields(form)
        self.host = QLineEdit(saved.host)
        self.host.setPlaceholderText("ví dụ: may-chu hoặc 192.168.1.10")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(saved.port)
        self.database = QLineEdit(saved.database or "khuyencong")
        self.user = QLineEdit(saved.user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if self._has_stored_password:
            self.password.setPlaceholderText("(đã lưu — để trống nếu không đổi)")
        self.sslmode = QComboBox()
        for mode in SSL_MODES:
            self.sslmode.addItem(SSL_MODE_LABELS[mode], mode)
        self.sslmode.setCurrentIndex(SSL_MODES.index(saved.sslmode) if saved.sslmode in SSL_MODES else 2)
        for key, label, widget in (("host", "Máy chủ", self.host), ("port", "Cổng", self.port),
                                   ("database", "Tên cơ sở dữ liệu", self.database), ("user", "Người dùng", self.user),
                                   ("password", "Mật khẩu", self.password), ("sslmode", "Mã hóa (SSL)", self.sslmode)):
            self.fields.add(key, label, widget, required=key in ("host", "database", "user"))
        layout.addWidget(self.server_box)

        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setObjectName("connectionResult")
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result_label)
        buttons = QDialogButtonBox()
        self.check_button = QPushButton("Kiểm tra kết nối")
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.check_button.clicked.connect(self.check)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        (self.server_radio if saved.is_server else self.local_radio).setChecked(True)
        self.local_radio.toggled.connect(self._sync_enabled)
        self._sync_enabled()

    def _sync_enabled(self) -> None:
        server = self.server_radio.isChecked()
        self.server_box.setEnabled(server)
        self.local_box.setEnabled(not server)
        self.result_label.clear()

    def current_choice(self) -> ConnectionChoice:
        if not self.server_radio.isChecked():
            return ConnectionChoice(kind="local", file=self.file.text().strip())
        return ConnectionChoice(kind="server", host=self.host.text().strip(), port=self.port.value(),
                                database=self.database.text().strip(), user=self.user.text().strip(),
                                sslmode=str(self.sslmode.currentData()))

    def _password(self, choice: ConnectionChoice) -> str | None:
        typed = self.password.text()
        return typed or connection.stored_password(choice)

    def _validated(self) -> ConnectionChoice | None:
        self.fields.clear()
        choice = self.current_choice()
        try:
            connection.validate(choice)
        except UserError as exc:
            if exc.field:
                self.fields.set_error(exc.field, exc.message)
                self.fields.focus(exc.field)
            self._show_result(exc.message, ok=False)
            return None
        return choice

    def check(self) -> bool:
        """Try the connection now; the result (in Vietnamese) is shown under the form. True when it works."""
        choice = self._validated()
        if choice is None:
            return False
        # the database layer (~0.7 s): only to test; this dialog opens before it
        from desktop_app.services.connection import check_connection

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = check_connection(choice.url(self._password(choice)))
        finally:
            QGuiApplication.restoreOverrideCursor()
        field = {"wrong_password": "password", "no_password": "password", "unknown_user": "user",
                 "database_missing": "database", "host_unreachable": "host"}.get(report.problem.value)
        if field:
            self.fields.set_error(field, report.message)
        self._show_result(report.message, ok=report.ok)
        return report.ok

    def _show_result(self, text: str, ok: bool) -> None:
        self.result_label.setStyleSheet(SUCCESS_STYLE if ok else ERROR_STYLE)
        self.result_label.setText(("✓ " if ok else "✗ ") + text)

    def _on_save(self) -> None:
        choice = self._validated()
        if choice is None:
            return
        try:
            connection.save(choice, self.password.text() or None)
        except UserError as exc:
            self._show_result(exc.message, ok=False)
            return
        self.choice = choice
        self.accept()
