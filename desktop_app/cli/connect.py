"""``connect``: which database this computer opens by default (the password goes to the credential store)."""

from __future__ import annotations

import argparse

from desktop_app import connection
from desktop_app.cli.context import CliContext
from desktop_app.domain.errors import UserError
from desktop_app.services.connection import check_connection


def _connect(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.show:
        choice = connection.load()
        if choice is None:
            ctx.say("Chưa lưu kết nối nào: chương trình dùng tệp trên máy này "
                    f"({connection.local_database_file()}).")
            return 0
        ctx.say(choice.describe())
        if choice.is_server:
            ctx.say(f"Địa chỉ: {choice.url()}")
            saved = connection.stored_password(choice) is not None
            ctx.say("Mật khẩu: đã lưu trong kho mật khẩu của hệ điều hành (không hiển thị)." if saved
                    else "Mật khẩu: chưa lưu (dùng tệp pgpass hoặc biến PGPASSWORD).")
        return 0
    if args.local:
        connection.forget()
        ctx.say(f"Từ nay chương trình dùng tệp trên máy này: {connection.local_database_file()}")
        return 0
    if not args.url:
        raise UserError("Cần địa chỉ cơ sở dữ liệu (postgresql://người_dùng@máy_chủ/tên_csdl), hoặc --show, --local.")
    choice, password = connection.parse_url(args.url)
    if not args.no_check:
        report = check_connection(choice.url(password or connection.stored_password(choice)))
        if not report.ok:
            raise UserError(f"{report.message} Kết nối chưa được lưu (thêm --no-check để vẫn lưu).")
        ctx.say(report.message)
    path = connection.save(choice, password)
    ctx.say(f"Đã lưu kết nối: {choice.describe()} (tệp {path}"
            + ("; mật khẩu trong kho mật khẩu của hệ điều hành)." if password else ")."))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("connect", help="chọn cơ sở dữ liệu mặc định của máy này (máy chủ PostgreSQL hoặc tệp)")
    p.add_argument("url", nargs="?", metavar="URL",
                   help="postgresql://người_dùng:mật_khẩu@máy_chủ:5432/tên_csdl?sslmode=require hoặc sqlite:///tệp")
    p.add_argument("--show", action="store_true", help="hiện kết nối đã lưu (không hiện mật khẩu)")
    p.add_argument("--local", action="store_true", help="trở lại dùng tệp trên máy này")
    p.add_argument("--no-check", action="store_true", help="lưu mà không thử kết nối")
    p.set_defaults(func=_connect)
