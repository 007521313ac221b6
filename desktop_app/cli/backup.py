"""``backup`` and ``restore``: copies of the database."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from desktop_app.cli.context import CliContext
from desktop_app.domain.errors import UserError
from desktop_app.services.backup import BackupService
from desktop_app.store.backup import restore_sqlite
from desktop_app.store.database import make_engine


def _backup(args: argparse.Namespace, ctx: CliContext) -> int:
    service = BackupService(ctx.services.db)
    out = Path(args.out) if args.out else Path.cwd() / service.default_name()
    path = service.backup(ctx.actor(), out)
    ctx.say(f"Đã sao lưu cơ sở dữ liệu vào {path}")
    return 0


def _restore(args: argparse.Namespace, ctx: CliContext) -> int:
    engine = make_engine(ctx.url)
    try:
        if engine.dialect.name != "sqlite" or not engine.url.database:
            raise UserError("Khôi phục bằng lệnh này chỉ áp dụng cho tệp SQLite; với PostgreSQL hãy dùng pg_restore.")
        target = Path(engine.url.database)
    finally:
        engine.dispose()
    source = Path(args.file)
    if not source.is_file():
        raise UserError(f"Không có tệp “{source}”.")
    if target.exists() and not args.yes:
        raise UserError(f"Lệnh sẽ thay thế {target}; thêm --yes để xác nhận (hãy đóng chương trình trước).")
    if target.exists():
        # Keep what is being replaced, in case the wrong backup was chosen.
        safety = target.with_name(f"{target.stem}.truoc-khoi-phuc{target.suffix}")
        shutil.copyfile(target, safety)
        ctx.say(f"Bản hiện tại được giữ ở {safety}")
    restore_sqlite(source, target)
    ctx.say(f"Đã khôi phục {target} từ {source}.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (quản trị hệ thống)")
    p.add_argument("--out", metavar="TỆP", help="tệp sao lưu (mặc định: khuyencong-sao-luu-<thời điểm> ở đây)")
    p.set_defaults(func=_backup)
    p = sub.add_parser("restore", help="khôi phục tệp SQLite từ bản sao lưu")
    p.add_argument("file", metavar="TỆP")
    p.add_argument("--yes", action="store_true", help="xác nhận thay thế cơ sở dữ liệu hiện có")
    p.set_defaults(func=_restore)
