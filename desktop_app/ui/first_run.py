"""The first-run wizard of an empty database: the centre's letterhead, then the first administrator."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget, QWizard, QWizardPage

from desktop_app.domain.errors import UserError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import OrganisationInfo
from desktop_app.services.organisation import EMPTY
from desktop_app.ui import msgbox
from desktop_app.ui.widgets import CodeCombo, FormFields

LETTERHEAD_FIELDS = ("name", "parent_body", "abbreviation", "province_code", "place_name", "director_name",
                     "director_title", "address", "phone", "email")


class LetterheadForm(QWidget):
    """The letterhead fields (also used by the administrator's Đơn vị tab)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields = FormFields(form)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Trung tâm Khuyến công và Tư vấn phát triển công nghiệp")
        self.parent_body = QLineEdit()
        self.parent_body.setPlaceholderText("Sở Công Thương tỉnh …")
        self.abbreviation = QLineEdit("TTKC")
        self.province = CodeCombo(empty_label="", items=services.reference.provinces())
        self.place_name = QLineEdit()
        self.place_name.setPlaceholderText("Địa danh ghi trên văn bản, ví dụ “Ninh Bình”")
        self.director_name = QLineEdit()
        self.director_title = QLineEdit("Giám đốc")
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.fields.add("name", "Tên đơn vị", self.name, required=True)
        self.fields.add("parent_body", "Cơ quan chủ quản", self.parent_body)
        self.fields.add("abbreviation", "Tên viết tắt", self.abbreviation)
        self.fields.add("province_code", "Tỉnh, thành phố", self.province)
        self.fields.add("place_name", "Địa danh", self.place_name, required=True)
        self.fields.add("director_name", "Thủ trưởng đơn vị", self.director_name)
        self.fields.add("director_title", "Chức vụ thủ trưởng", self.director_title)
        self.fields.add("address", "Địa chỉ", self.address)
        self.fields.add("phone", "Điện thoại", self.phone)
        self.fields.add("email", "Email", self.email)
        self.province.code_changed.connect(self._on_province_code_changed)
        self._version = 0

    def _on_province_code_changed(self, _code: str | None) -> None:
        # The place name of the date line is usually the province's name: fill it in when still empty.
        if not self.place_name.text().strip() and self.province.code():
            self.place_name.setText(self.province.name())

    def info(self) -> OrganisationInfo:
        return replace(
            EMPTY, name=self.name.text(), parent_body=self.parent_body.text(), abbreviation=self.abbreviation.text(),
            province_code=self.province.code(), province_name=self.province.name(), place_name=self.place_name.text(),
            director_name=self.director_name.text(), director_title=self.director_title.text(),
            address=self.address.text(), phone=self.phone.text(), email=self.email.text(), version=self._version)

    def set_info(self, info: OrganisationInfo) -> None:
        for key in LETTERHEAD_FIELDS:
            if key == "province_code":
                self.province.set_code(info.province_code)
            else:
                getattr(self, key).setText(getattr(info, key))
        self._version = info.version

    def setReadOnly(self, read_only: bool) -> None:
        for key in LETTERHEAD_FIELDS:
            widget = self.fields.widget(key)
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(read_only)
            else:
                widget.setEnabled(not read_only)


class _LetterheadPage(QWizardPage):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setTitle("Thông tin đơn vị")
        self.setSubTitle("Tên và địa danh này in ở đầu mọi văn bản, biên bản và báo cáo của chương trình.")
        layout = QVBoxLayout(self)
        self.form = LetterheadForm(services)
        layout.addWidget(self.form)

    def validatePage(self) -> bool:
        # The service decides what is required; here only the obvious empty fields are caught before going on.
        self.form.fields.clear()
        for key, text in (("name", "Chưa nhập tên đơn vị."), ("place_name", "Chưa nhập địa danh.")):
            widget = self.form.fields.widget(key)
            assert isinstance(widget, QLineEdit)
            if not widget.text().strip():
                self.form.fields.set_error(key, text)
        return not self.form.fields.focus_first_error()


class _AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Tài khoản quản trị đầu tiên")
        self.setSubTitle("Người quản trị thêm người dùng, phân vai trò và sửa danh mục. Hãy ghi nhớ mật khẩu.")
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields = FormFields(form)
        self.username = QLineEdit("quantri")
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields.add("username", "Tên đăng nhập", self.username, required=True)
        self.fields.add("full_name", "Họ và tên", self.full_name)
        self.fields.add("password", "Mật khẩu", self.password, required=True)
        self.fields.add("confirm", "Nhập lại mật khẩu", self.confirm, required=True)
        hint = QLabel("Mật khẩu cần ít nhất 8 ký tự.")
        hint.setStyleSheet("color: palette(mid);")
        form.addRow("", hint)


class FirstRunWizard(QWizard):
    """Sets up an empty database; ``actor`` is the new administrator once it is accepted."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor: Actor | None = None
        self._saved: OrganisationInfo | None = None
        self.setWindowTitle("Thiết lập lần đầu – Quản lý đề án khuyến công")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setMinimumSize(720, 560)
        for button, text in ((QWizard.WizardButton.NextButton, "Tiếp theo >"),
                             (QWizard.WizardButton.BackButton, "< Quay lại"),
                             (QWizard.WizardButton.FinishButton, "Hoàn tất"),
                             (QWizard.WizardButton.CancelButton, "Hủy")):
            self.setButtonText(button, text)
        self.letterhead_page = _LetterheadPage(services)
        self.admin_page = _AdminPage()
        self.addPage(self.letterhead_page)
        self.addPage(self.admin_page)
        self.admin_page.validatePage = self._finish  # type: ignore[method-assign]

    @property
    def letterhead(self) -> LetterheadForm:
        return self.letterhead_page.form

    def _finish(self) -> bool:
        """Save the letterhead (once), then create the administrator; an error keeps the wizard open at its field."""
        admin = self.admin_page
        admin.fields.clear()
        if admin.password.text() != admin.confirm.text():
            admin.fields.set_error("confirm", "Hai lần nhập mật khẩu không khớp.")
            admin.fields.focus("confirm")
            return False
        info = self.letterhead.info()
        if self._saved is None:
            try:
                self._saved = self.services.organisation.save(None, info)
            except UserError as exc:
                self.back()
                if not self.letterhead.fields.show_user_error(exc):
                    msgbox.warning(self, exc.message)
                return False
        try:
            self.actor = self.services.users.create_first_admin(admin.username.text(), admin.password.text(),
                                                               admin.full_name.text())
        except UserError as exc:
            if not admin.fields.show_user_error(exc):
                msgbox.warning(self, exc.message)
            return False
        # The letterhead was edited again after the first save (Back, change, Finish): save the new text too.
        if replace(info, version=0, province_name="") != replace(self._saved, version=0, province_name=""):
            try:
                self.services.organisation.save(self.actor, replace(info, version=self._saved.version))
            except UserError as exc:
                msgbox.warning(self, exc.message)
        return True
