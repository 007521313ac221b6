"""The main window: navigation on the left, the screens in a stack, menus, toolbar, shortcuts and status bar.

The toolbar's actions (new, save, find, refresh, print) are forwarded to the current :class:`Page`. Screens are
built the first time they are shown, so the window opens at once; each is refreshed when the user comes back to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolBar,
    QWidget,
)

from desktop_app import APP_NAME, __version__
from desktop_app.domain.errors import RightsRevoked
from desktop_app.paths import log_file
from desktop_app.services import auth
from desktop_app.services.auth import Actor
from desktop_app.services.changes import Change
from desktop_app.services.context import Services
from desktop_app.ui import live_updates, msgbox, settings
from desktop_app.ui.account.dialogs import install_account_menu
from desktop_app.ui.errors import show_error
from desktop_app.ui.help import show_help as show_guide
from desktop_app.ui.page import Page
from desktop_app.ui.style import NAVIGATION_BACKGROUND, SELECTED_BACKGROUND

log = logging.getLogger(__name__)
SP = QStyle.StandardPixmap


@dataclass(frozen=True)
class Screen:
    """One entry of the navigation: its title, icon and how to build the page."""

    key: str
    title: str
    icon: QStyle.StandardPixmap
    load: Callable[[], type[Page]]


def _dashboard() -> type[Page]:
    from desktop_app.ui.dashboard import DashboardPage  # start-up: a screen's module is imported when first shown

    return DashboardPage


def _establishments() -> type[Page]:
    # start-up: a screen's module is imported when first shown
    from desktop_app.ui.establishments.page import EstablishmentsPage

    return EstablishmentsPage


def _proposals() -> type[Page]:
    from desktop_app.ui.proposals.page import ProposalsPage  # start-up: a screen's module is imported when first shown

    return ProposalsPage


def _appraisal() -> type[Page]:
    from desktop_app.ui.appraisal.page import AppraisalPage  # start-up: a screen's module is imported when first shown

    return AppraisalPage


def _acceptance() -> type[Page]:
    # start-up: a screen's module is imported when first shown
    from desktop_app.ui.acceptance.page import AcceptancePage

    return AcceptancePage


def _finance() -> type[Page]:
    from desktop_app.ui.finance.page import FinancePage  # start-up: a screen's module is imported when first shown

    return FinancePage


def _reports() -> type[Page]:
    from desktop_app.ui.reports.page import ReportsPage  # start-up: a screen's module is imported when first shown

    return ReportsPage


def _admin() -> type[Page]:
    from desktop_app.ui.admin.page import AdminPage  # start-up: a screen's module is imported when first shown

    return AdminPage


def _plans() -> type[Page]:
    from desktop_app.ui.plans.page import PlanPage  # start-up: a screen's module is imported when first shown

    return PlanPage


def _councils() -> type[Page]:
    from desktop_app.ui.councils.page import CouncilsPage  # start-up: a screen's module is imported when first shown

    return CouncilsPage


def _audit() -> type[Page]:
    from desktop_app.ui.audit.page import AuditLogPage  # start-up: a screen's module is imported when first shown

    return AuditLogPage


SCREENS = (
    Screen("dashboard", "Tổng quan", SP.SP_ComputerIcon, _dashboard),
    Screen("establishments", "Cơ sở CNNT", SP.SP_DirHomeIcon, _establishments),
    Screen("proposals", "Đề án", SP.SP_FileDialogDetailedView, _proposals),
    Screen("appraisal", "Thẩm định", SP.SP_FileDialogListView, _appraisal),
    Screen("acceptance", "Nghiệm thu", SP.SP_DialogApplyButton, _acceptance),
    Screen("finance", "Giải ngân", SP.SP_DriveHDIcon, _finance),
    Screen("reports", "Báo cáo", SP.SP_FileDialogContentsView, _reports),
    Screen("admin", "Danh mục & cài đặt", SP.SP_FileDialogInfoView, _admin),
    Screen("plans", "Kế hoạch năm", SP.SP_FileDialogNewFolder, _plans),
    Screen("councils", "Hội đồng", SP.SP_DirLinkIcon, _councils),
    Screen("audit", "Nhật ký", SP.SP_FileDialogInfoView, _audit),
)


class MainWindow(QMainWindow):
    """The program's window for one signed-in user. ``logout_requested`` asks the caller to sign in again."""

    logout_requested = Signal()
    # Emitted from any thread when a service refused this session because its account changed.
    rights_revoked = Signal(str)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.logged_out = False
        self.reconnect = False  # set with logged_out when the user chose another database
        self._pages: dict[int, Page] = {}
        organisation = services.organisation.get().name
        self.setWindowTitle(f"{APP_NAME} – {organisation}" if organisation else APP_NAME)
        self.setMinimumSize(1024, 680)
        self.resize(1280, 800)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setSpacing(2)
        self.nav.setMaximumWidth(320)
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.setStyleSheet(
            f"QListWidget#navigation {{ background: {NAVIGATION_BACKGROUND.name()}; padding: 6px; font-size: 11pt; }}"
            "QListWidget#navigation::item { padding: 7px 8px; border-radius: 4px; }"
            f"QListWidget#navigation::item:selected {{ background: {SELECTED_BACKGROUND.name()}; color: white; }}")
        for screen in SCREENS:
            QListWidgetItem(self.style().standardIcon(screen.icon), screen.title, self.nav)
        # Wide enough for the longest title at any font size; a screen with a wide minimum must not squeeze it.
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setMinimumWidth(max(200, self.nav.sizeHintForColumn(0) + 36))
        self.stack = QStackedWidget()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([210, 1070])
        self.setCentralWidget(self.splitter)

        self._build_actions()
        self._build_menus()
        self.account_actions = install_account_menu(self, services, actor)
        self._build_toolbar()
        self._build_status_bar()
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self._restore_state()
        self._ending = False
        self.rights_revoked.connect(self.end_session, Qt.ConnectionType.QueuedConnection)
        auth.on_rights_revoked(self._on_rights_revoked)
        # Other desks' changes refresh the screen being shown (PostgreSQL NOTIFY, SQLite change counter).
        self.resume_live_updates()

    # --- building ----------------------------------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon: QStyle.StandardPixmap | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip or text.rstrip('…')} ({shown})" if shown else (tip or text.rstrip("…")))
        action.triggered.connect(lambda _checked=False: self._guarded(slot))
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("Thêm mới", lambda: self.current_page().new_item(), QKeySequence.StandardKey.New,
                                       SP.SP_FileIcon, "Thêm bản ghi mới")
        self.save_action = self._action("Lưu", lambda: self.current_page().save(), QKeySequence.StandardKey.Save,
                                        SP.SP_DialogSaveButton)
        self.find_action = self._action("Tìm", lambda: self.current_page().focus_search(),
                                        QKeySequence.StandardKey.Find, SP.SP_FileDialogContentsView,
                                        "Tìm trong danh sách")
        self.refresh_action = self._action("Làm mới", self.refresh_current, "F5", SP.SP_BrowserReload,
                                           "Tải lại dữ liệu")
        self.print_action = self._action("In / xuất", lambda: self.current_page().print_current(),
                                         QKeySequence.StandardKey.Print, SP.SP_DialogOpenButton,
                                         "In hoặc xuất nội dung đang xem")
        self.page_actions = {"new": self.new_action, "save": self.save_action, "find": self.find_action,
                             "print": self.print_action}
        self._tips = {name: action.toolTip() for name, action in self.page_actions.items()}
        self.import_establishments_action = self._action("Nhập cơ sở từ Excel…",
                                                         lambda: self.open_import("establishments"))
        self.import_proposals_action = self._action("Nhập đề án từ Excel…", lambda: self.open_import("proposals"))
        self.connection_action = self._action("Kết nối cơ sở dữ liệu…", self.choose_connection)
        self.logout_action = self._action("Đăng xuất", self.logout, "Ctrl+Shift+L")
        self.quit_action = self._action("Thoát", self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setShortcuts([QKeySequence("Ctrl+Q")])
        self.about_action = self._action("Giới thiệu", self.show_about)
        self.log_action = self._action("Vị trí tệp nhật ký", self.show_log_path)
        self.help_action = self._action("Hướng dẫn sử dụng", self.show_help, QKeySequence.StandardKey.HelpContents)
        self.screen_actions: list[QAction] = []
        for i, screen in enumerate(SCREENS):
            action = self._action(screen.title, partial(self.show_screen, i), f"Ctrl+{i + 1}" if i < 9 else None,
                                  screen.icon)
            self.screen_actions.append(action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Tệp")
        file_menu.addAction(self.import_establishments_action)
        file_menu.addAction(self.import_proposals_action)
        file_menu.addSeparator()
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        file_menu.addAction(self.connection_action)
        file_menu.addAction(self.logout_action)
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Sửa")
        for action in (self.new_action, self.save_action, self.find_action, self.refresh_action):
            edit_menu.addAction(action)
        view_menu = bar.addMenu("&Xem")
        for action in self.screen_actions:
            view_menu.addAction(action)
        help_menu = bar.addMenu("T&rợ giúp")
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.log_action)
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Thanh công cụ")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.new_action, self.save_action, self.find_action, self.refresh_action, self.print_action):
            toolbar.addAction(action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.user_label = QLabel(f"Người dùng: {self.actor.display_name}")
        self.role_label = QLabel(f"Vai trò: {self.actor.role.label}")
        # A short place for the data; the full address (never the password) in the tooltip.
        shown, full = self.services.data_location()
        self.db_label = QLabel(shown)
        self.db_label.setToolTip(full)
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.user_label, self.role_label):
            bar.addPermanentWidget(label)
        bar.addWidget(self.db_label, 1)

    # --- state -------------------------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = settings.get(settings.MAIN_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.get(settings.MAIN_STATE)
        if not state.isEmpty():
            self.restoreState(state)
        settings.remember_splitter(self.splitter, "main_window")
        last = settings.get(settings.LAST_PAGE)
        self.show_screen(last if 0 <= last < len(SCREENS) else 0)

    def _on_rights_revoked(self, error: RightsRevoked) -> None:
        if error.user_id != self.actor.id:
            return
        try:
            self.rights_revoked.emit(error.message)
        except RuntimeError:  # this window was deleted without being closed: stop listening
            auth.off_rights_revoked(self._on_rights_revoked)

    def end_session(self, message: str) -> None:
        """The account was deactivated or its role changed: close what is open and go back to the login."""
        if self._ending:
            return
        self._ending = True
        while (modal := QApplication.activeModalWidget()) is not None and modal is not self:
            modal.close()
        msgbox.warning(self, f"{message}\n\nPhiên làm việc đã kết thúc.", title="Cần đăng nhập lại")
        self.logged_out = True
        self.logout_requested.emit()
        self.close()

    def end_after_restore(self) -> None:
        """The database was replaced: its accounts may differ, so sign in again (nothing left to save)."""
        self._ending = True
        self.logged_out = True
        self.logout_requested.emit()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        auth.off_rights_revoked(self._on_rights_revoked)
        for page in self._pages.values():
            if self._ending:
                break  # the session has no rights left to save with
            if not page.may_leave():
                auth.on_rights_revoked(self._on_rights_revoked)
                self.logged_out = False
                event.ignore()
                return
        settings.put(settings.MAIN_GEOMETRY, self.saveGeometry())
        settings.put(settings.MAIN_STATE, self.saveState())
        settings.save_state("main_window/splitter", self.splitter.saveState())
        settings.put(settings.LAST_PAGE, max(self.nav.currentRow(), 0))
        self.live.stop()
        super().closeEvent(event)

    # --- navigation --------------------------------------------------------------------------------------------

    def show_screen(self, index: int) -> Page:
        """Show the screen at ``index`` of :data:`SCREENS` (building it the first time)."""
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)  # comes back through _on_nav_current_row_changed
        else:
            self._on_nav_current_row_changed(index)
        return self._pages[index]

    def show_screen_by_key(self, key: str) -> Page:
        return self.show_screen(next(i for i, s in enumerate(SCREENS) if s.key == key))

    def page(self, index: int) -> Page:
        """The page at ``index``, built if needed (without showing it)."""
        if index not in self._pages:
            page_class = SCREENS[index].load()
            page = page_class(self.services, self.actor, self.stack)
            self._pages[index] = page
            self.stack.addWidget(page)
            return page
        return self._pages[index]

    def _on_nav_current_row_changed(self, index: int) -> None:
        if index < 0:
            return
        fresh = index not in self._pages
        try:
            page = self.page(index)
        except Exception as exc:  # a screen that fails to build must not take the window with it
            show_error(self, exc)
            return
        self.stack.setCurrentWidget(page)
        if fresh:
            page.actions_changed.connect(lambda page=page: self._update_page_actions(page))
        if not fresh and not page.has_unsaved_changes():  # a reload would drop what was typed
            self._guarded(page.refresh)
        self._update_page_actions(page)

    def _update_page_actions(self, page: Page) -> None:
        """Enable the toolbar actions the shown page answers; the others are greyed with the reason as tooltip."""
        if page is not self.stack.currentWidget():
            return
        for name, action in self.page_actions.items():
            refusal = page.action_refusal(name)
            action.setEnabled(refusal is None)
            action.setToolTip(self._tips[name] if refusal is None else refusal)

    def current_page(self) -> Page:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Page)
        return widget

    def resume_live_updates(self) -> None:
        """Listen for other desks' changes (again)."""
        self.live = live_updates.start(self.services, self)
        self.live.changed.connect(self._on_live_change)

    def pause_live_updates(self) -> None:
        """Close the listening connection: a restore needs the database held by nobody, this window included."""
        self.live.stop()

    def _on_live_change(self, change: Change) -> None:
        """Another desk committed a change: reload the shown screen unless the user is typing in it."""
        if change.own or set(change.tables) == {"presence"}:
            return  # this window's own saves already refreshed what they touched; presence changes no list
        page = self.current_page()
        if page.has_unsaved_changes():
            return
        try:
            page.refresh()
        except Exception:  # a lost connection shows on the user's next action, not as a pop-up out of nowhere
            log.warning("live refresh of %s failed", type(page).__name__, exc_info=True)

    def refresh_current(self) -> None:
        self.current_page().refresh()

    def _guarded(self, slot: Callable[[], object]) -> None:
        """Run an action; a user error is shown as a message, anything else in the crash dialog."""
        try:
            slot()
        except Exception as exc:
            show_error(self, exc)

    # --- actions -----------------------------------------------------------------------------------------------

    def open_import(self, kind: str) -> None:
        # the import dialog and its checks (~85 ms): on first use
        from desktop_app.ui.importers.dialog import ImportDialog

        dialog = ImportDialog(self.services, self.actor, kind, self)
        dialog.exec()
        self.refresh_current()

    def choose_connection(self) -> None:
        """“Kết nối cơ sở dữ liệu…”: save another connection; the program signs out and opens it."""
        from desktop_app.ui.connection_dialog import ConnectionDialog  # only when asked (~20 ms)

        if ConnectionDialog(self).exec() != QDialog.DialogCode.Accepted:
            return
        if msgbox.confirm(self, "Đã lưu kết nối. Đăng xuất ngay để mở cơ sở dữ liệu vừa chọn?"):
            self.reconnect = True
            self.logout()

    def logout(self) -> None:
        if not all(page.may_leave() for page in self._pages.values()):
            return
        self.logged_out = True
        self.logout_requested.emit()
        self.close()

    def show_about(self) -> None:
        msgbox.information(self, f"{APP_NAME}\nPhiên bản {__version__}\n\nCơ sở dữ liệu: {self.services.db.url}\n"
                                 f"Tệp nhật ký: {log_file()}", title="Giới thiệu")

    def show_help(self) -> None:
        """F1: the guide, at the section of the current screen."""
        index = self.nav.currentRow()
        show_guide(self, SCREENS[index].key if 0 <= index < len(SCREENS) else "")

    def show_log_path(self) -> None:
        path = str(log_file())
        QApplication.clipboard().setText(path)
        msgbox.information(self, f"Tệp nhật ký của chương trình:\n{path}\n\n(Đường dẫn đã được sao chép.)",
                           title="Tệp nhật ký")

    def nav_icon(self, index: int) -> QIcon:
        return self.style().standardIcon(SCREENS[index].icon)
