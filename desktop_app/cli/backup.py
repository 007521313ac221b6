"""``backup`` and ``restore``: copies of the database."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.context import CliContext
from desktop_app.domain.errors import DatabaseVersionError, UserError
from desktop_app.services.backup import BackupService


def _backup(args: argparse.Namespace, ctx: CliContext) -> int:
    service = BackupService(ctx.services.db)
    out = Path(args.out) if args.out else Path.cwd() / service.default_name()
    path = service.backup(ctx.actor(), out, force=args.force)
    ctx.say(f"Đã sao lưu cơ sở dữ liệu vào {path}")
    return 0


def _restore(args: argparse.Namespace, ctx: CliContext) -> int:
    source = Path(args.file)
    if not source.is_file():
        raise UserError(f"Không có tệp “{source}”." if not source.exists() else f"“{source}” là thư mục, không "
                        "phải tệp sao lưu.")
    try:
        service = BackupService(ctx.services.db)
    except DatabaseVersionError:
        raise
    except UserError as exc:
        # A damaged database cannot be signed in to; restoring over it would also need that. The way out keeps
        # the damaged file for whoever may still rescue something from it.
        raise UserError(f"{exc.message}\nĐể khôi phục: đổi tên hoặc chuyển tệp cơ sở dữ liệu này sang chỗ khác (giữ "
                        "lại), rồi chạy lại lệnh khôi phục; khi chưa có cơ sở dữ liệu, lệnh không cần đăng nhập.") \
            from exc
    # An administrator's action; only a database without any account yet may be restored without signing in.
    actor = ctx.actor() if ctx.username or service.has_users() else None
    if not args.yes:
        raise UserError(f"Lệnh sẽ thay thế cơ sở dữ liệu {ctx.services.db.url} bằng “{source}” (bản hiện tại được "
                        "giữ lại thành một bản sao an toàn); thêm --yes để xác nhận.")
    result = service.restore(actor, source)
    if result.safety_copy:
        ctx.say(f"Bản trước khi khôi phục được giữ ở {result.safety_copy}")
    ctx.say(f"Đã khôi phục {result.target} từ {source}.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (quản trị hệ thống)")
    p.add_argument("--out", metavar="TỆP", help="tệp sao lưu (mặc định: khuyencong-sao-luu-<thời điểm> ở đây)")
    p.add_argument("--force", action="store_true", help="ghi đè tệp đã có")
    p.set_defaults(func=_backup)
    p = sub.add_parser("restore", help="khôi phục tệp SQLite từ bản sao lưu (quản trị hệ thống)")
    p.add_argument("file", metavar="TỆP")
    p.add_argument("--yes", action="store_true", help="xác nhận thay thế cơ sở dữ liệu hiện có")
    p.set_defaults(func=_restore)
