"""The "Danh mục & cài đặt" screen: users and roles, support rules, criteria templates, sectors, the letterhead and
the advance share. Only an administrator may change them (the services refuse anybody else, and say why); other
roles see the lists with a note that they are read-only for them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import UserError
from desktop_app.domain.vietnamese import format_date, format_vnd
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import CodeName, SupportRuleView, UserInfo
from desktop_app.ui import msgbox
from desktop_app.ui.admin.backup_tab import BackupTab
from desktop_app.ui.admin.dialogs import (
    CopyNationalRulesDialog,
    PasswordDialog,
    SectorDialog,
    SupportRuleDialog,
    UserDialog,
    run_form,
)
from desktop_app.ui.admin.templates_tab import TemplatesTab
from desktop_app.ui.first_run import LetterheadForm
from desktop_app.ui.page import Page
from desktop_app.ui.style import HEADING_STYLE, MONEY_ALIGN, WARNING_NOTE_STYLE
from desktop_app.ui.widgets import FormFields, ListColumns, setup_list_view
from desktop_app.ui.widgets.display import button_row


def _table(headers: list[str], stretch: int, name: str) -> QTableWidget:
    """A list of the screen, with the columns every list has (fitted, chosen from the header, remembered)."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    setup_list_view(table)
    table.list_columns = ListColumns(table, f"admin/{name}", stretch=stretch, stretch_min=160)  # type: ignore[attr-defined]
    return table


def _fill(table: QTableWidget, rows: list[list[str]], right: frozenset[int] = frozenset()) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if c in right:
                item.setTextAlignment(MONEY_ALIGN)
            table.setItem(r, c, item)


_NEW_TABS = (0, 1, 2, 3)  # users, rules, templates, sectors: Ctrl+N adds one
_SAVE_TABS = (2, 4)  # the template being edited, the letterhead: Ctrl+S saves it


class AdminPage(Page):
    """Tabs: Người dùng, Mức hỗ trợ, Mẫu tiêu chí, Ngành nghề, Đơn vị và cài đặt."""

    title = "Danh mục & cài đặt"
    toolbar_actions = frozenset({"new", "save"})

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self.users: list[UserInfo] = []
        self.rules: list[SupportRuleView] = []
        self.sectors: list[CodeName] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        heading = QLabel("Danh mục và cài đặt")
        heading.setStyleSheet(HEADING_STYLE)
        layout.addWidget(heading)
        self.read_only_note = QLabel(
            f"Bạn đang đăng nhập với vai trò “{actor.role.label}”: chỉ quản trị hệ thống được thay đổi danh mục và "
            "cài đặt. Bạn có thể xem; thao tác sửa sẽ bị từ chối kèm lý do.")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet(WARNING_NOTE_STYLE)
        self.read_only_note.setVisible(actor.role is not Role.ADMIN)
        layout.addWidget(self.read_only_note)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._users_tab(), "Người dùng")
        self.tabs.addTab(self._rules_tab(), "Mức hỗ trợ")
        self.templates_tab = TemplatesTab(services, actor)
        self.tabs.addTab(self.templates_tab, "Mẫu tiêu chí chấm điểm")
        self.tabs.addTab(self._sectors_tab(), "Ngành nghề")
        self.tabs.addTab(self._organisation_tab(), "Đơn vị và cài đặt")
        self.backup_tab = BackupTab(services, actor, self)
        self.tabs.addTab(self.backup_tab, "Sao lưu và khôi phục")
        self.tabs.currentChanged.connect(lambda _i: self.actions_changed.emit())
        self.refresh()

    # --- users -------------------------------------------------------------------------------------------------

    def _users_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row, (self.add_user_button, self.edit_user_button, self.password_button) = button_row(
            "Thêm người dùng…", "Sửa / đổi vai trò…", "Đặt lại mật khẩu…")
        layout.addLayout(row)
        self.users_table = _table(["Tên đăng nhập", "Họ và tên", "Chức danh", "Vai trò", "Trạng thái"], 1, "users")
        self.users_note = QLabel()
        layout.addWidget(self.users_table)
        layout.addWidget(self.users_note)
        self.add_user_button.clicked.connect(self.add_user)
        self.edit_user_button.clicked.connect(self.edit_user)
        self.password_button.clicked.connect(self.reset_password)
        self.users_table.doubleClicked.connect(lambda _i: self.edit_user())
        return tab

    def _load_users(self) -> None:
        try:
            self.users = self.services.users.list(self.actor)
        except UserError as exc:
            self.users = []
            self.users_note.setText(exc.message)
        else:
            self.users_note.setText(f"{len(self.users)} người dùng. Đặt lại mật khẩu cũng mở khóa tài khoản.")

        def state(u: UserInfo) -> str:
            if not u.active:
                return "Ngừng hoạt động"
            return "Tạm khóa (nhập sai mật khẩu)" if u.locked else "Đang hoạt động"

        _fill(self.users_table, [[u.username, u.full_name, u.title, u.role.label, state(u)] for u in self.users])

    def _selected_user(self) -> UserInfo | None:
        row = self.users_table.currentRow()
        if 0 <= row < len(self.users):
            return self.users[row]
        msgbox.information(self, "Hãy chọn một người dùng trong danh sách.")
        return None

    def add_user(self) -> None:
        run_form(UserDialog(self.services, self.actor, None, self), lambda _u: self._load_users())

    def edit_user(self) -> None:
        user = self._selected_user()
        if user is not None:
            run_form(UserDialog(self.services, self.actor, user, self), lambda _u: self._load_users())

    def reset_password(self) -> None:
        user = self._selected_user()
        if user is not None:
            run_form(PasswordDialog(self.services, self.actor, user.username, self), self._password_set)

    def _password_set(self, username: str) -> None:
        self._load_users()
        msgbox.information(self, f"Đã đặt mật khẩu mới cho “{username}”.")

    # --- support rules -----------------------------------------------------------------------------------------

    def _rules_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row, (self.add_rule_button, self.edit_rule_button, self.copy_rules_button) = button_row(
            "Thêm mức hỗ trợ…", "Sửa…", "Lập mức của tỉnh từ mức quốc gia…")
        self.copy_rules_button.setToolTip("Chép các mức khuyến công quốc gia thành mức khuyến công địa phương của "
                                          "tỉnh, rồi sửa theo nghị quyết của tỉnh")
        layout.addLayout(row)
        self.rules_table = _table(["Nội dung", "Nguồn", "Tỉnh", "Tối đa (%)", "Mức tối đa (đồng)", "Tính trên",
                                   "Căn cứ pháp lý", "Hiệu lực từ", "Đến"], 0, "rules")
        layout.addWidget(self.rules_table)
        self.add_rule_button.clicked.connect(self.add_rule)
        self.edit_rule_button.clicked.connect(self.edit_rule)
        self.copy_rules_button.clicked.connect(self.copy_national_rules)
        self.rules_table.doubleClicked.connect(lambda _i: self.edit_rule())
        return tab

    def _load_rules(self) -> None:
        self.rules = self.services.reference.support_rules()
        provinces = {p.code: p.name for p in self.services.reference.provinces()}
        _fill(self.rules_table, [
            [r.content_name or r.content_code, r.scope.short, provinces.get(r.province_code or "", ""),
             f"{r.max_percent.normalize():f}".replace(".", ","),
             format_vnd(r.cap_vnd) if r.cap_vnd is not None else "không giới hạn", r.unit, r.legal_basis,
             format_date(r.valid_from), format_date(r.valid_to) if r.valid_to else ""]
            for r in self.rules], right=frozenset({3, 4}))

    def add_rule(self) -> None:
        run_form(SupportRuleDialog(self.services, self.actor, None, self), lambda _r: self._load_rules())

    def copy_national_rules(self) -> None:
        def done(added: int) -> None:
            self._load_rules()
            msgbox.information(self, f"Đã lập {added} mức hỗ trợ khuyến công địa phương từ mức quốc gia; hãy sửa "
                                     "từng mức theo nghị quyết của tỉnh." if added else
                               "Tỉnh đã có mức hỗ trợ riêng cho mọi nội dung có mức quốc gia; không chép thêm.")

        run_form(CopyNationalRulesDialog(self.services, self.actor, self), done)

    def edit_rule(self) -> None:
        row = self.rules_table.currentRow()
        if not 0 <= row < len(self.rules):
            msgbox.information(self, "Hãy chọn một mức hỗ trợ trong danh sách.")
            return
        run_form(SupportRuleDialog(self.services, self.actor, self.rules[row], self), lambda _r: self._load_rules())

    # --- sectors -----------------------------------------------------------------------------------------------

    def _sectors_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row, (self.add_sector_button, self.edit_sector_button) = button_row("Thêm ngành nghề…", "Sửa…")
        layout.addLayout(row)
        self.sectors_table = _table(["Mã", "Tên ngành nghề", "Nhóm (Điều 5 NĐ 45/2012)", "Trạng thái"], 1,
                                    "sectors")
        layout.addWidget(self.sectors_table)
        self.add_sector_button.clicked.connect(self.add_sector)
        self.edit_sector_button.clicked.connect(self.edit_sector)
        self.sectors_table.doubleClicked.connect(lambda _i: self.edit_sector())
        return tab

    def _load_sectors(self) -> None:
        self.sectors = self.services.reference.sectors(include_inactive=True)
        _fill(self.sectors_table, [[s.code, s.name, f"Nhóm {s.extra}", "Đang dùng" if s.parent == "1" else
                                    "Ngừng dùng"] for s in self.sectors])

    def add_sector(self) -> None:
        run_form(SectorDialog(self.services, self.actor, None, self), lambda _s: self._load_sectors())

    def edit_sector(self) -> None:
        row = self.sectors_table.currentRow()
        if not 0 <= row < len(self.sectors):
            msgbox.information(self, "Hãy chọn một ngành nghề trong danh sách.")
            return
        run_form(SectorDialog(self.services, self.actor, self.sectors[row], self), lambda _s: self._load_sectors())

    # --- letterhead and settings -------------------------------------------------------------------------------

    def _organisation_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        letterhead = QGroupBox("Thông tin đơn vị (in ở đầu văn bản)")
        box = QVBoxLayout(letterhead)
        self.letterhead = LetterheadForm(self.services)
        box.addWidget(self.letterhead)
        self.save_letterhead_button = QPushButton("Lưu thông tin đơn vị")
        box.addWidget(self.save_letterhead_button, 0, Qt.AlignmentFlag.AlignRight)
        box.addStretch(1)
        layout.addWidget(letterhead, 3)
        other = QGroupBox("Cài đặt nghiệp vụ")
        other_layout = QVBoxLayout(other)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # the regulation's box under its label
        self.settings_fields = FormFields(form)
        self.advance_percent = QLineEdit()
        self.advance_percent.setMaximumWidth(100)
        self.settings_fields.add("advance_percent", "Tỷ lệ tạm ứng tối đa (%)", self.advance_percent)
        other_layout.addLayout(form)
        hint = QLabel("Phần kinh phí khuyến công được tạm ứng trước nghiệm thu (mặc định 70% theo TTLT 26/2014).")
        hint.setWordWrap(True)
        other_layout.addWidget(hint)
        self.local_regulation = QPlainTextEdit()
        self.local_regulation.setMaximumHeight(90)
        self.local_regulation.setPlaceholderText("Quyết định số 05/2021/QĐ-UBND ngày 10 tháng 3 năm 2021 của Ủy ban "
                                                 "nhân dân tỉnh … ban hành Quy chế quản lý và sử dụng kinh phí "
                                                 "khuyến công địa phương")
        self.settings_fields.add("local_regulation", "Quy chế kinh phí khuyến công của tỉnh (số, ngày)",
                                 self.local_regulation)
        regulation_hint = QLabel("In trong căn cứ của các quyết định về đề án khuyến công địa phương. Để trống thì "
                                 "dùng câu trong mẫu văn bản letterhead.toml.")
        regulation_hint.setWordWrap(True)
        other_layout.addWidget(regulation_hint)
        self.save_settings_button = QPushButton("Lưu cài đặt")
        other_layout.addWidget(self.save_settings_button, 0, Qt.AlignmentFlag.AlignRight)
        other_layout.addStretch(1)
        layout.addWidget(other, 2)
        self.save_letterhead_button.clicked.connect(self.save_letterhead)
        self.save_settings_button.clicked.connect(self.save_settings)
        return tab

    def _load_organisation(self) -> None:
        self.letterhead.set_info(self.services.organisation.get())
        percent = self.services.organisation.advance_percent()
        self.advance_percent.setText(f"{percent.normalize():f}".replace(".", ","))
        self.local_regulation.setPlainText(self.services.organisation.local_regulation())

    def save_letterhead(self) -> None:
        self.letterhead.fields.clear()
        try:
            saved = self.services.organisation.save(self.actor, self.letterhead.info())
        except UserError as exc:
            if not self.letterhead.fields.show_user_error(exc):
                msgbox.warning(self, exc.message)
            return
        self.letterhead.set_info(saved)
        msgbox.information(self, "Đã lưu thông tin đơn vị.")

    def save_settings(self) -> None:
        self.settings_fields.clear()
        try:
            self.services.organisation.set_advance_percent(self.actor, self.advance_percent.text())
            self.services.organisation.set_local_regulation(self.actor, self.local_regulation.toPlainText())
        except UserError as exc:
            if not self.settings_fields.show_user_error(exc):
                msgbox.warning(self, exc.message)
            return
        self._load_organisation()
        msgbox.information(self, "Đã lưu cài đặt.")

    # --- page --------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._load_users()
        self._load_rules()
        self.templates_tab.refresh()
        self._load_sectors()
        self._load_organisation()
        self.backup_tab.refresh()

    def action_refusal(self, name: str) -> str | None:
        tab, caption = self.tabs.currentIndex(), self.tabs.tabText(self.tabs.currentIndex())
        if name == "new" and tab not in _NEW_TABS:
            return f"Thẻ “{caption}” không có mục nào để thêm mới."
        if name == "save" and tab not in _SAVE_TABS:
            return f"Thẻ “{caption}” lưu từng mục trong hộp thoại của nó; không có gì để lưu ở đây."
        return super().action_refusal(name)

    def new_item(self) -> None:
        actions = {0: self.add_user, 1: self.add_rule, 2: self.templates_tab.new_template, 3: self.add_sector}
        action = actions.get(self.tabs.currentIndex())
        if action is not None:
            action()

    def save(self) -> None:
        actions = {2: self.templates_tab.save_template, 4: self.save_letterhead}
        action = actions.get(self.tabs.currentIndex())
        if action is not None:
            action()
