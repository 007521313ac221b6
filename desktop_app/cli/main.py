"""``khuyencong`` sub-commands: parse, dispatch, print Vietnamese errors, exit non-zero on failure."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from desktop_app import __version__
from desktop_app.cli import backup, connect, demo, imports, reports, users
from desktop_app.cli.context import CliContext
from desktop_app.domain.errors import UserError
from desktop_app.paths import default_database_url

log = logging.getLogger(__name__)

EXIT_USER_ERROR = 2

#: The modules whose ``register`` adds their sub-commands (a plain list: a renamed module fails at import, and the
#: bundle builder sees every one).
COMMAND_MODULES = (backup, connect, demo, imports, reports, users)


class VietnameseArgumentParser(argparse.ArgumentParser):
    """argparse with its fixed phrases in Vietnamese (headings, usage line, -h, error phrases)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # our own -h, with a Vietnamese help text
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "Cách dùng: ", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", "Cách dùng: ", 1)

    def error(self, message: str) -> None:  # type: ignore[override]
        message = (message.replace("the following arguments are required", "thiếu tham số bắt buộc")
                   .replace("unrecognized arguments", "tham số không hiểu được")
                   .replace("invalid choice", "lựa chọn không hợp lệ")
                   .replace("argument", "tham số").replace("expected one argument", "cần một giá trị")
                   .replace("choose from", "chọn một trong"))
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER_ERROR, f"Lỗi: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = VietnameseArgumentParser(
        prog="khuyencong", description="Quản lý đề án khuyến công. Không có lệnh con: mở chương trình.",
    )
    parser.add_argument("--version", action="version", version=f"khuyencong {__version__}", help="phiên bản")
    parser.add_argument("--db", metavar="URL", help="cơ sở dữ liệu (URL SQLAlchemy); mặc định KHUYENCONG_DB "
                        "hoặc tệp SQLite trong thư mục dữ liệu của người dùng")
    parser.add_argument("--user", metavar="TÊN", help="người thực hiện lệnh (mật khẩu: KHUYENCONG_PASSWORD)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=VietnameseArgumentParser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USER_ERROR
    ctx = CliContext(url=args.db or default_database_url(), username=args.user)
    try:
        return int(args.func(args, ctx) or 0)
    except UserError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return getattr(exc, "exit_code", EXIT_USER_ERROR)
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu; không có thay đổi nào dở dang được lưu.", file=sys.stderr)
        return 130
    finally:
        ctx.close()
