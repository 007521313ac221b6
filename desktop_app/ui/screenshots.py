"""``khuyencong screenshots --out DIR``: a PNG of every main screen, filled with demo data.

A temporary SQLite database is filled with demo data by the ``fill`` the launcher hands in; the main window is
opened as the manager (and as the staff member, the appraiser and the administrator where their screen differs)
and each screen is grabbed offscreen.
Nothing touches the user's database or remembered window state.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from desktop_app.domain.enums import Role, Status
from desktop_app.domain.vietnamese import fold
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services, open_services
from desktop_app.services.dto import ProposalFilter

#: Screens of the main window and the dialogs grabbed for every run (the proposal editor adds one per tab).
PAGE_FILES = (
    "01-tong-quan.png", "02-co-so-cnnt.png", "03-de-an.png", "04-tham-dinh.png", "05-nghiem-thu.png",
    "06-giai-ngan.png", "07-bao-cao.png", "08-danh-muc-cai-dat.png", "09-ke-hoach.png", "10-hoi-dong.png",
    "11-nhat-ky.png",
)
EXPECTED = (
    "00-dang-nhap.png", "00-ket-noi-co-so-du-lieu.png", "00-thiet-lap-lan-dau-1.png", "00-thiet-lap-lan-dau-2.png",
    *PAGE_FILES,
    "01-tong-quan-can-bo.png", "01-tong-quan-tham-dinh-vien.png",
    "02-co-so-cnnt-bieu-mau.png", "02-co-so-cnnt-lich-su-de-an.png",
    "04-tham-dinh-phieu-cham-diem.png",
    "08-danh-muc-nguoi-dung.png", "08-danh-muc-muc-ho-tro.png", "08-danh-muc-mau-tieu-chi.png",
    "08-danh-muc-nganh-nghe.png", "08-danh-muc-don-vi.png", "10-hoi-dong-cua-toi.png", "12-huong-dan.png",
)
EDITOR_PREFIX = "03-de-an-bieu-mau-"
WINDOW_SIZE = (1280, 800)
#: Fills an empty database with demo data: (services, establishments, proposals, seed) → its administrator. The
#: demo generator sits beside the services, not below the GUI, so the launcher hands it in.
DemoFill = Callable[[Services, int, int, int], Actor]


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in fold(text)).split())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="khuyencong screenshots",
                                     description="Chụp ảnh mọi màn hình chính với dữ liệu mẫu (PNG).")
    parser.add_argument("--out", required=True, type=Path, help="thư mục lưu ảnh")
    parser.add_argument("--establishments", type=int, default=400, help="số cơ sở mẫu (mặc định 400)")
    parser.add_argument("--proposals", type=int, default=150, help="số đề án mẫu (mặc định 150)")
    parser.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên của dữ liệu mẫu")
    parser.add_argument("--help-images", type=Path, default=None,
                        help="thư mục ghi thêm ảnh thu nhỏ cho tài liệu hướng dẫn (resources/help/anh)")
    return parser


class Shooter:
    """Grabs widgets into ``out`` and remembers what it wrote."""

    def __init__(self, app, out: Path) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.out = out
        self.written: list[Path] = []

    def settle(self) -> None:
        for _ in range(3):
            self.app.processEvents()

    def grab(self, widget, name: str) -> Path:  # type: ignore[no-untyped-def]
        self.settle()
        path = self.out / name
        if not widget.grab().save(str(path)):
            raise OSError(f"Không ghi được ảnh {path}")
        self.written.append(path)
        return path


def _actor(services: Services, admin: Actor, role: Role) -> Actor:
    """A user of ``role`` from the demo data."""
    if role is Role.ADMIN:
        return admin
    for user in services.users.list(admin):
        if user.role is role and user.active:
            return Actor(user.id, user.username, user.full_name, user.role)
    raise LookupError(f"Dữ liệu mẫu không có người dùng vai trò {role.label}.")


def _sample_proposal(services: Services, actor: Actor) -> int:
    """A proposal far along the workflow (it has lines, beneficiaries, history and documents to show)."""
    for status in (Status.IN_PROGRESS, Status.APPROVED, Status.ACCEPTED, Status.APPRAISED, Status.DRAFT):
        page = services.proposals.search(actor, ProposalFilter(status=status), limit=1)
        if page.rows:
            return page.rows[0].id
    return services.proposals.search(actor, ProposalFilter(), limit=1).rows[0].id


def take_all(app, services: Services, admin: Actor, out: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    """Every screenshot, into ``out``; returns the files written."""
    from desktop_app.ui.admin.page import AdminPage
    from desktop_app.ui.establishments.dialog import EstablishmentDialog
    from desktop_app.ui.first_run import FirstRunWizard
    from desktop_app.ui.login import LoginDialog
    from desktop_app.ui.main_window import SCREENS, MainWindow
    from desktop_app.ui.proposals.editor import ProposalEditor
    from desktop_app.ui.tasks import set_synchronous

    set_synchronous(True)  # background loads finish before the grab
    shot = Shooter(app, out)
    manager = _actor(services, admin, Role.MANAGER)
    staff = _actor(services, admin, Role.STAFF)
    appraiser = _appraiser_with_tasks(services, admin)

    login = LoginDialog(services, organisation_name=services.organisation.get().name)
    login.username.setText(manager.username)
    login.show()
    shot.grab(login, "00-dang-nhap.png")
    login.close()

    from desktop_app.ui.connection_dialog import ConnectionDialog

    connect = ConnectionDialog()
    connect.server_radio.setChecked(True)  # an example server, not whatever this computer has saved
    for edit, text in ((connect.host, "may-chu"), (connect.database, "khuyencong"), (connect.user, "khuyencong")):
        edit.setText(text)
    connect.show()
    shot.grab(connect, "00-ket-noi-co-so-du-lieu.png")
    connect.close()

    wizard = FirstRunWizard(services)
    wizard.show()
    shot.grab(wizard, "00-thiet-lap-lan-dau-1.png")
    wizard.letterhead.name.setText("Trung tâm Khuyến công và Tư vấn phát triển công nghiệp")
    wizard.letterhead.place_name.setText("Ninh Bình")
    wizard.next()
    shot.grab(wizard, "00-thiet-lap-lan-dau-2.png")
    wizard.close()

    def window_for(actor: Actor) -> MainWindow:
        window = MainWindow(services, actor)
        window.resize(*WINDOW_SIZE)
        window.show()
        return window

    window = window_for(manager)
    for index, name in enumerate(PAGE_FILES):
        page = window.page(index)  # built first so that a screen that fails raises here instead of opening a dialog
        if SCREENS[index].key == "plans":
            _show_busiest_plan(services, manager, page)
        window.show_screen(index)
        shot.grab(window, name)
    assert len(PAGE_FILES) == len(SCREENS)
    window.close()

    window = window_for(staff)
    window.show_screen_by_key("dashboard")
    shot.grab(window, "01-tong-quan-can-bo.png")
    pid = _sample_proposal(services, staff)
    detail = services.proposals.get(staff, pid)
    establishment_id = detail.beneficiaries[0].establishment_id if detail.beneficiaries else None
    dialog = EstablishmentDialog(services, staff, establishment_id, window)
    dialog.show()
    shot.grab(dialog, "02-co-so-cnnt-bieu-mau.png")
    dialog.tabs.setCurrentIndex(1)
    shot.grab(dialog, "02-co-so-cnnt-lich-su-de-an.png")
    dialog.close()
    editor = ProposalEditor(services, staff, pid, window)
    editor.resize(*WINDOW_SIZE)
    editor.show()
    for i in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(i)
        shot.grab(editor, f"{EDITOR_PREFIX}{i + 1}-{_slug(editor.tabs.tabText(i))}.png")
    editor._dirty = False  # nothing was typed; do not ask to save
    editor.close()
    window.close()

    window = window_for(appraiser)
    window.show_screen_by_key("dashboard")
    shot.grab(window, "01-tong-quan-tham-dinh-vien.png")
    window.show_screen_by_key("councils")
    shot.grab(window, "10-hoi-dong-cua-toi.png")
    page = window.show_screen_by_key("appraisal")
    _select_first_task(page)
    shot.grab(window, "04-tham-dinh-phieu-cham-diem.png")
    window.close()

    window = window_for(manager)
    window.show_screen_by_key("plans")
    window.show_help()  # what F1 does
    from desktop_app.ui.help import HelpDialog

    guide = window.findChild(HelpDialog)
    assert guide is not None
    guide.resize(900, 700)
    shot.grab(guide, "12-huong-dan.png")
    guide.close()
    window.close()

    window = window_for(admin)
    page = window.show_screen_by_key("admin")
    assert isinstance(page, AdminPage)
    for index, name in enumerate(("08-danh-muc-nguoi-dung.png", "08-danh-muc-muc-ho-tro.png",
                                  "08-danh-muc-mau-tieu-chi.png", "08-danh-muc-nganh-nghe.png",
                                  "08-danh-muc-don-vi.png")):
        page.tabs.setCurrentIndex(index)
        shot.grab(window, name)
    window.close()
    set_synchronous(False)
    return shot.written


def _show_busiest_plan(services: Services, manager: Actor, page) -> None:  # type: ignore[no-untyped-def]
    """The plan page at the year and scope with the most proposals, with an envelope a little above its approvals
    (the demo data sets none), so the picture shows every figure."""
    from desktop_app.domain.enums import Scope

    best = max(((services.plans.year_plan(manager, y, sc), y, sc) for y in services.plans.years(manager)
                for sc in (Scope.LOCAL, Scope.NATIONAL)), key=lambda t: len(t[0].proposals))
    view, year, scope = best
    if view.plan.id is None:
        envelope = (view.approved_vnd * 6 // 5) // 1_000_000 * 1_000_000
        services.plans.save(manager, year, scope, envelope, "15/QĐ-UBND", date(year, 1, 15))
    page.show_plan(year, scope)


def write_help_images(written: list[Path], folder: Path) -> list[Path]:
    """Small copies of the screens the guide shows (``resources/help/anh``), from this run's pictures."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    from desktop_app.ui.help import GUIDE_IMAGES

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for path in written:
        if path.name in GUIDE_IMAGES:
            image = QImage(str(path)).scaledToWidth(560, Qt.TransformationMode.SmoothTransformation)
            target = folder / path.name
            if not image.save(str(target), "PNG"):
                raise OSError(f"Không ghi được ảnh {target}")
            out.append(target)
    return out


def _appraiser_with_tasks(services: Services, admin: Actor) -> Actor:
    """The appraiser with the most score sheets waiting (so the score sheet screen shows one)."""
    best: tuple[int, Actor] | None = None
    for user in services.users.appraisers(admin):
        actor = Actor(user.id, user.username, user.full_name, user.role)
        count = len(services.appraisal.my_tasks(actor))
        if best is None or count > best[0]:
            best = (count, actor)
    if best is None:
        raise LookupError("Dữ liệu mẫu không có thẩm định viên.")
    return best[1]


def _select_first_task(page) -> None:  # type: ignore[no-untyped-def]
    view = getattr(page, "task_view", None)
    if view is not None and view.model() is not None and view.model().rowCount() > 0:
        view.setCurrentIndex(view.model().index(0, 0))
        view.selectRow(0)


def main(argv: list[str], progress: Callable[[str], None] | None = None, fill: DemoFill | None = None) -> int:
    """Run the command; returns the exit code."""
    args = _parser().parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    say = progress or (lambda text: print(text, file=sys.stderr))
    from PySide6.QtCore import QSettings, QStandardPaths

    from desktop_app.ui.app import application

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="khuyencong-screens-") as tmp:
        # Remembered window state of the real user must neither shape nor be changed by the screenshots.
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        app = application()
        say(f"Đang tạo dữ liệu mẫu: {args.establishments} cơ sở, {args.proposals} đề án…")
        services, _ = open_services(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        try:
            if fill is None:
                raise RuntimeError("screenshots need the demo data filler (the launcher hands it in)")
            admin = fill(services, args.establishments, args.proposals, args.seed)
            written = take_all(app, services, admin, out)
            if args.help_images is not None:
                write_help_images(written, args.help_images)
        finally:
            services.close()
            QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                              QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation))
    say(f"Đã lưu {len(written)} ảnh vào {out} ({date.today():%d/%m/%Y}).")
    return 0
