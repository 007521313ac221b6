"""The administrator's small forms: a user, a password, a support rule, a sector.

Each saves through one service call; a refused or invalid input keeps the dialog open with the message beside the
field the service names (or in a message box when it names none), so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Role, Scope
from desktop_app.domain.errors import UserError, ValidationError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import CodeName, SupportRuleView, UserInfo
from desktop_app.services.reference import SupportRuleInput
from desktop_app.ui import msgbox
from desktop_app.ui.errors import show_error
from desktop_app.ui.widgets import CodeCombo, DateEdit, EnumCombo, FormFields, MoneyEdit

ND45_GROUPS = ("a", "b", "c", "d", "đ", "e", "g")


class FormDialog(QDialog):
    """A form with Lưu / Hủy whose ``submit()`` calls the service; the result is kept in ``result_value``."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.result_value: Any = None
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields = FormFields(self.form)
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def submit(self) -> Any:
        raise NotImplementedError

    def _on_save(self) -> None:
        self.fields.clear()
        try:
            self.result_value = self.submit()
        except UserError as exc:
            if not self.fields.show_user_error(exc):
                msgbox.warning(self, exc.message)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()


class UserDialog(FormDialog):
    """Add a user (``user`` None: with a password) or change one's name, title, role and activity."""

    def __init__(self, services: Services, actor: Actor, user: UserInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Thêm người dùng" if user is None else f"Sửa người dùng {user.username}", parent)
        self.services, self.actor, self.user = services, actor, user
        self.username = QLineEdit(user.username if user else "")
        self.username.setReadOnly(user is not None)
        self.full_name = QLineEdit(user.full_name if user else "")
        self.title_edit = QLineEdit(user.title if user else "")
        self.role = EnumCombo(Role)
        self.role.set_value(user.role if user else Role.STAFF)
        self.fields.add("username", "Tên đăng nhập", self.username, required=True)
        self.fields.add("full_name", "Họ và tên", self.full_name)
        self.fields.add("title", "Chức danh", self.title_edit)
        self.fields.add("role", "Vai trò", self.role, required=True)
        if user is None:
            self.password = QLineEdit()
            self.password.setEchoMode(QLineEdit.EchoMode.Password)
            self.confirm = QLineEdit()
            self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
            self.fields.add("password", "Mật khẩu", self.password, required=True)
            self.fields.add("confirm", "Nhập lại mật khẩu", self.confirm, required=True)
        else:
            self.active = QCheckBox("Đang hoạt động (bỏ chọn để ngừng tài khoản)")
            self.active.setChecked(user.active)
            self.fields.add("active", "Trạng thái", self.active)
        (self.full_name if user else self.username).setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> UserInfo:
        if self.user is None:
            if self.password.text() != self.confirm.text():
                raise ValidationError("Hai lần nhập mật khẩu không khớp.", field="confirm")
            return self.services.users.add(self.actor, self.username.text(), self.role.value(), self.password.text(),
                                           self.full_name.text(), self.title_edit.text())
        return self.services.users.update(self.actor, self.user.username, role=self.role.value(),
                                          active=self.active.isChecked(), full_name=self.full_name.text(),
                                          title=self.title_edit.text())


class PasswordDialog(FormDialog):
    """Set a user's password (which also unlocks a locked account)."""

    def __init__(self, services: Services, actor: Actor, username: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Đặt lại mật khẩu cho {username}", parent)
        self.services, self.actor, self.username = services, actor, username
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields.add("password", "Mật khẩu mới", self.password, required=True)
        self.fields.add("confirm", "Nhập lại mật khẩu", self.confirm, required=True)

    def submit(self) -> str:
        if self.password.text() != self.confirm.text():
            raise ValidationError("Hai lần nhập mật khẩu không khớp.", field="confirm")
        self.services.users.set_password(self.actor, self.username, self.password.text())
        return self.username


def parse_percent(text: str, field: str, label: str) -> Decimal:
    try:
        return Decimal(text.strip().replace(",", ".").rstrip("%").strip())
    except InvalidOperation as exc:
        raise ValidationError(f"{label} phải là một số (ví dụ 50 hoặc 37,5).", field=field) from exc


class SupportRuleDialog(FormDialog):
    """Add or change a support rule (mức hỗ trợ): content, scope, maximum share and amount, legal basis, validity."""

    def __init__(self, services: Services, actor: Actor, rule: SupportRuleView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Thêm mức hỗ trợ" if rule is None else "Sửa mức hỗ trợ", parent)
        self.setMinimumWidth(640)
        self.services, self.actor, self.rule = services, actor, rule
        ref = services.reference
        self.content = CodeCombo(items=ref.contents())
        self.content.setMinimumContentsLength(40)
        self.scope = EnumCombo(Scope)
        self.province = CodeCombo(empty_label="— Không áp dụng —", items=ref.provinces())
        self.max_percent = QLineEdit()
        self.max_percent.setPlaceholderText("ví dụ 50")
        self.cap = MoneyEdit()
        self.cap.setPlaceholderText("để trống nếu không giới hạn")
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("mô hình, cơ sở, lớp, hội chợ …")
        self.legal_basis = QLineEdit()
        self.valid_from = DateEdit()
        self.valid_to = DateEdit(optional=True)
        self.note = QLineEdit()
        self.fields.add("content_code", "Nội dung hỗ trợ", self.content, required=True)
        self.fields.add("scope", "Nguồn kinh phí", self.scope, required=True)
        self.fields.add("province_code", "Tỉnh (khuyến công địa phương)", self.province)
        self.fields.add("max_percent", "Tỷ lệ hỗ trợ tối đa (%)", self.max_percent, required=True)
        self.fields.add("cap_vnd", "Mức hỗ trợ tối đa (đồng)", self.cap)
        self.fields.add("unit", "Tính trên", self.unit)
        self.fields.add("legal_basis", "Căn cứ pháp lý", self.legal_basis, required=True)
        self.fields.add("valid_from", "Hiệu lực từ ngày", self.valid_from, required=True)
        self.fields.add("valid_to", "Hết hiệu lực ngày", self.valid_to)
        self.fields.add("note", "Ghi chú", self.note)
        self.scope.value_changed.connect(self._on_scope_value_changed)
        if rule is not None:
            self.content.set_code(rule.content_code)
            self.scope.set_value(rule.scope)
            self.province.set_code(rule.province_code)
            self.max_percent.setText(f"{rule.max_percent.normalize():f}".replace(".", ","))
            self.cap.setValue(rule.cap_vnd)
            self.unit.setText(rule.unit)
            self.legal_basis.setText(rule.legal_basis)
            self.valid_from.set_date_value(rule.valid_from)
            self.valid_to.set_date_value(rule.valid_to)
            self.note.setText(rule.note)
        else:
            self.valid_from.set_date_value(date(date.today().year, 1, 1))
        self._on_scope_value_changed(self.scope.value())

    def _on_scope_value_changed(self, scope: Scope | None) -> None:
        self.province.setEnabled(scope is Scope.LOCAL)

    def submit(self) -> SupportRuleView:
        content = self.content.code()
        if content is None:
            raise ValidationError("Chưa chọn nội dung hỗ trợ.", field="content_code")
        data = SupportRuleInput(
            content_code=content, scope=self.scope.value(),
            max_percent=parse_percent(self.max_percent.text(), "max_percent", "Tỷ lệ hỗ trợ tối đa"),
            cap_vnd=self.cap.value(), unit=self.unit.text(), legal_basis=self.legal_basis.text(),
            valid_from=self.valid_from.date_value() or date.today(), valid_to=self.valid_to.date_value(),
            province_code=self.province.code(), note=self.note.text())
        rule = self.rule
        return self.services.reference.save_support_rule(self.actor, data, rule.id if rule else None,
                                                         rule.version if rule else None)


class CopyNationalRulesDialog(FormDialog):
    """Start the province's own support rules (KCĐP) from a copy of the national ones, in one action."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__("Lập mức hỗ trợ địa phương từ mức quốc gia", parent)
        self.services, self.actor = services, actor
        self.save_button.setText("Sao chép")
        intro = QLabel("Mỗi mức hỗ trợ khuyến công quốc gia còn hiệu lực được chép thành mức của tỉnh (trừ nội dung "
                       "tỉnh đã có mức riêng). Sau đó sửa từng mức theo nghị quyết của Hội đồng nhân dân tỉnh.")
        intro.setWordWrap(True)
        self.form.insertRow(0, intro)
        self.province = CodeCombo(items=services.reference.provinces())
        self.province.set_code(services.organisation.get().province_code)
        self.legal_basis = QLineEdit()
        self.legal_basis.setPlaceholderText("ví dụ: Nghị quyết 23/2025/NQ-HĐND tỉnh")
        self.valid_from = DateEdit(value=date(date.today().year, 1, 1))
        self.fields.add("province_code", "Tỉnh, thành phố", self.province, required=True)
        self.fields.add("legal_basis", "Căn cứ pháp lý của tỉnh", self.legal_basis, required=True)
        self.fields.add("valid_from", "Hiệu lực từ ngày", self.valid_from, required=True)

    def submit(self) -> int:
        return self.services.reference.copy_national_rules(self.actor, self.province.code() or "",
                                                           self.legal_basis.text(),
                                                           self.valid_from.date_value() or date.today())


class SectorDialog(FormDialog):
    """Add or change a sector (ngành nghề) with its group of ND 45/2012 Art. 5."""

    def __init__(self, services: Services, actor: Actor, sector: CodeName | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Thêm ngành nghề" if sector is None else "Sửa ngành nghề", parent)
        self.services, self.actor = services, actor
        self.code = QLineEdit(sector.code if sector else "")
        self.code.setReadOnly(sector is not None)
        self.name = QLineEdit(sector.name if sector else "")
        self.group = QComboBox()
        for letter in ND45_GROUPS:
            self.group.addItem(f"Nhóm {letter}", letter)
        if sector is not None:
            self.group.setCurrentIndex(max(0, self.group.findData(sector.extra)))
        self.active = QCheckBox("Đang sử dụng")
        self.active.setChecked(sector is None or sector.parent == "1")
        self.fields.add("code", "Mã ngành nghề", self.code, required=True)
        self.fields.add("name", "Tên ngành nghề", self.name, required=True)
        self.fields.add("nd45_group", "Nhóm (Điều 5 NĐ 45/2012)", self.group, required=True)
        self.fields.add("active", "Trạng thái", self.active)

    def submit(self) -> CodeName:
        return self.services.reference.save_sector(self.actor, self.code.text(), self.name.text(),
                                                   str(self.group.currentData()), self.active.isChecked())


def run_form(dialog: FormDialog, on_saved: Callable[[Any], None]) -> bool:
    """Show ``dialog``; call ``on_saved`` with what it saved. True when something was saved."""
    if dialog.exec() == QDialog.DialogCode.Accepted:
        on_saved(dialog.result_value)
        return True
    return False
