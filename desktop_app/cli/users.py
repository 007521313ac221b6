"""``init`` and ``user …``: the first administrator and user accounts."""

from __future__ import annotations

import argparse

from desktop_app.cli.context import CliContext, read_password
from desktop_app.domain.enums import Role
from desktop_app.domain.errors import UserError

ROLE_NAMES = {"admin": Role.ADMIN, "staff": Role.STAFF, "appraiser": Role.APPRAISER, "manager": Role.MANAGER}


def _init(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services
    if services.auth.has_users():
        ctx.say("Cơ sở dữ liệu đã được khởi tạo và có người dùng; không thay đổi gì.")
        if args.admin:
            raise UserError("Đã có người dùng; dùng “user add” để thêm tài khoản quản trị.")
        return 0
    if not args.admin:
        raise UserError("Cơ sở dữ liệu mới: cần --admin TÊN để tạo tài khoản quản trị đầu tiên.")
    password = read_password("KHUYENCONG_PASSWORD", f"Mật khẩu cho {args.admin}: ", confirm=True)
    services.users.create_first_admin(args.admin, password, args.full_name or "")
    ctx.say(f"Đã khởi tạo cơ sở dữ liệu {services.db.url} và tạo quản trị viên “{args.admin}”.")
    return 0


def _add(args: argparse.Namespace, ctx: CliContext) -> int:
    actor = ctx.actor()
    password = read_password("KHUYENCONG_NEW_PASSWORD", f"Mật khẩu cho {args.name}: ", confirm=True)
    info = ctx.services.users.add(actor, args.name, ROLE_NAMES[args.role], password, args.full_name or "",
                                  args.title or "")
    ctx.say(f"Đã thêm người dùng “{info.username}” ({info.role.label}).")
    return 0


def _list(args: argparse.Namespace, ctx: CliContext) -> int:
    users = ctx.services.users.list(ctx.actor())
    ctx.say(f"{'Tên đăng nhập':<20} {'Họ tên':<30} {'Vai trò':<22} Trạng thái")
    for u in users:
        state = "đang hoạt động" if u.active else "ngừng hoạt động"
        if u.locked:
            state += ", tạm khóa"
        ctx.say(f"{u.username:<20} {u.full_name:<30} {u.role.label:<22} {state}")
    return 0


def _passwd(args: argparse.Namespace, ctx: CliContext) -> int:
    actor = ctx.actor()
    password = read_password("KHUYENCONG_NEW_PASSWORD", f"Mật khẩu mới cho {args.name}: ", confirm=True)
    ctx.services.users.set_password(actor, args.name, password)
    ctx.say(f"Đã đặt mật khẩu mới cho “{args.name}”.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="khởi tạo cơ sở dữ liệu và quản trị viên đầu tiên")
    p.add_argument("--admin", metavar="TÊN", help="tên đăng nhập của quản trị viên đầu tiên")
    # ``init --db URL`` reads as a centre's IT person would type it; the global --db works as well.
    p.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="cơ sở dữ liệu cần khởi tạo")
    p.add_argument("--full-name", metavar="HỌ_TÊN", help="họ tên quản trị viên")
    p.set_defaults(func=_init)

    user = sub.add_parser("user", help="quản lý người dùng")
    usub = user.add_subparsers(dest="user_command", metavar="LỆNH", required=True)
    p = usub.add_parser("add", help="thêm người dùng (mật khẩu: KHUYENCONG_NEW_PASSWORD)")
    p.add_argument("name", metavar="TÊN")
    p.add_argument("--role", required=True, choices=sorted(ROLE_NAMES), help="vai trò")
    p.add_argument("--full-name", metavar="HỌ_TÊN")
    p.add_argument("--title", metavar="CHỨC_VỤ")
    p.set_defaults(func=_add)
    p = usub.add_parser("list", help="danh sách người dùng")
    p.set_defaults(func=_list)
    p = usub.add_parser("passwd", help="đặt mật khẩu (mật khẩu mới: KHUYENCONG_NEW_PASSWORD)")
    p.add_argument("name", metavar="TÊN")
    p.set_defaults(func=_passwd)
