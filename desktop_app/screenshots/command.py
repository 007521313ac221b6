"""``khuyencong screenshots --out DIR``: a PNG of every main screen, filled with demo data.

A temporary SQLite database is filled by :mod:`desktop_app.demo`; :mod:`desktop_app.screenshots.shots` grabs each screen
offscreen. Nothing touches the user's database or remembered window state. The launcher dispatches the command here
(:func:`run`); the GUI package never imports this one.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from desktop_app.demo import fill_new_database
from desktop_app.screenshots.shots import take_all, write_help_images
from desktop_app.services.context import open_services
from desktop_app.ui.app import application, setup_logging


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


def main(argv: list[str], progress: Callable[[str], None] | None = None) -> int:
    """Run the command; returns the exit code."""
    args = _parser().parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    say = progress or (lambda text: print(text, file=sys.stderr))
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="khuyencong-screens-") as tmp:
        # Remembered window state of the real user must neither shape nor be changed by the screenshots.
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        app = application()
        say(f"Đang tạo dữ liệu mẫu: {args.establishments} cơ sở, {args.proposals} đề án…")
        services, _ = open_services(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        try:
            admin = fill_new_database(services, args.establishments, args.proposals, args.seed)
            written = take_all(app, services, admin, out)
            if args.help_images is not None:
                write_help_images(written, args.help_images)
        finally:
            services.close()
            QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                              QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation))
    say(f"Đã lưu {len(written)} ảnh vào {out} ({date.today():%d/%m/%Y}).")
    return 0


def run(argv: Sequence[str]) -> int:
    """``khuyencong [--db URL] screenshots …`` as the launcher received it: the log file, then :func:`main` with
    the command's own arguments (``--db`` has no effect: the pictures use a temporary database of demo data)."""
    setup_logging()
    parser = argparse.ArgumentParser(prog="khuyencong", add_help=False)
    parser.add_argument("--db")
    parser.add_argument("command", choices=["screenshots"])
    _args, rest = parser.parse_known_args(list(argv))
    return main(rest)
