"""``demo``: fill the database with realistic demo data (establishments, proposals in every state).

    khuyencong [--db URL] --user TÊN demo --establishments 100000 --proposals 50000 [--seed 1] [--append]

Everything is written in one transaction: an error or Ctrl+C leaves the database as it was. Progress goes to
stderr (one updating line on a terminal, a line per tenth otherwise); the summary goes to stdout.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import TextIO

from desktop_app.cli.context import CliContext
from desktop_app.demo import MAX_ESTABLISHMENTS, MAX_PROPOSALS, DemoService
from desktop_app.domain.enums import LegalForm, Scope
from desktop_app.domain.errors import UserError, ValidationError
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.domain.workflow import STATUS_ORDER
from desktop_app.progress import Progress


class StderrProgress(Progress):
    """Progress on a text stream: an updating line on a terminal, otherwise a line at every tenth."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tty = bool(getattr(stream, "isatty", lambda: False)())
        self._last_time = 0.0
        self._last_tenth = -1
        self._open_line = False

    def set_progress(self, done: int, total: int, status: str = "") -> None:
        percent = 100 if total <= 0 else min(100, done * 100 // total)
        line = f"{status} ({percent}%)" if status else f"{percent}%"
        if self._tty:
            now = time.monotonic()
            if now - self._last_time >= 0.2 or done >= total:
                self._stream.write("\r" + line.ljust(72))
                self._stream.flush()
                self._last_time, self._open_line = now, True
        elif percent // 10 != self._last_tenth:
            self._last_tenth = percent // 10
            print(line, file=self._stream, flush=True)

    def end(self) -> None:
        """Close the updating line so the next message starts on its own."""
        if self._open_line:
            self._stream.write("\n")
            self._stream.flush()
            self._open_line = False


def _count(top: int) -> Callable[[str], int]:
    """An argparse type: a whole number from 0 to ``top`` (dots as thousands separators allowed)."""

    def parse(text: str) -> int:
        try:
            value = int(text.replace(".", "").replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{text}” không phải số nguyên") from None
        if not 0 <= value <= top:
            raise argparse.ArgumentTypeError(f"{text} ngoài khoảng 0–{format_vnd(top)}")
        return value

    return parse


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” không phải ngày dạng NNNN-TT-NN") from None


def _demo(args: argparse.Namespace, ctx: CliContext) -> int:
    actor = ctx.actor()
    progress = StderrProgress(sys.stderr)
    try:
        result = DemoService(ctx.services.db).generate(actor, args.establishments, args.proposals, seed=args.seed,
                                                       progress=progress, append=args.append, today=args.today)
    except ValidationError as exc:
        if exc.field == "append":
            raise UserError(f"{exc.message} Thêm tham số --append để thêm dữ liệu mẫu vào dữ liệu hiện có.") \
                from exc
        raise
    finally:
        progress.end()
    seconds = f"{result.seconds:.1f}".replace(".", ",")
    ctx.say(f"Đã tạo dữ liệu mẫu trong {seconds} giây (hạt giống {result.seed}): "
            f"{format_vnd(result.establishments)} cơ sở, {format_vnd(result.proposals)} đề án, "
            f"{format_vnd(result.rows)} dòng dữ liệu.")
    if result.proposals:
        scopes = ", ".join(f"{s.short}: {format_vnd(result.by_scope[s])}" for s in Scope)
        ctx.say(f"Đề án theo trạng thái ({scopes}):")
        for status in STATUS_ORDER:
            ctx.say(f"  {status.label:<20} {format_vnd(result.by_status.get(status, 0)):>9}")
    if result.establishments:
        ctx.say("Cơ sở theo loại hình:")
        for form in LegalForm:
            ctx.say(f"  {form.label:<26} {format_vnd(result.by_legal_form.get(form, 0)):>9}")
    if result.created_users:
        ctx.say(f"Đã tạo tài khoản mẫu: {', '.join(result.created_users)} (mật khẩu: {result.password}).")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo", help="tạo dữ liệu mẫu (cơ sở, đề án ở mọi trạng thái) để dùng thử", add_help=False,
        description="Tạo dữ liệu mẫu: cơ sở ở 34 tỉnh, thành phố và đề án ở mọi trạng thái với đầy đủ hồ sơ. "
                    "Cần vai trò quản trị hoặc lãnh đạo. Mọi thứ được ghi trong một giao dịch: lỗi hoặc Ctrl+C "
                    "không để lại dữ liệu dở dang.")
    p.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này")
    p.add_argument("--establishments", metavar="N", type=_count(MAX_ESTABLISHMENTS), required=True,
                   help="số cơ sở cần tạo")
    p.add_argument("--proposals", metavar="M", type=_count(MAX_PROPOSALS), required=True,
                   help="số đề án cần tạo")
    p.add_argument("--seed", metavar="S", type=int, default=1,
                   help="hạt giống ngẫu nhiên: cùng hạt giống và cùng ngày cho cùng dữ liệu (mặc định 1)")
    p.add_argument("--append", action="store_true",
                   help="thêm vào cơ sở dữ liệu đã có cơ sở hoặc đề án (mặc định chỉ tạo vào cơ sở dữ liệu trống)")
    p.add_argument("--today", metavar="NGÀY", type=_day, default=None,
                   help="ngày mà lịch sử đề án dẫn tới, dạng NNNN-TT-NN (mặc định: hôm nay)")
    p.set_defaults(func=_demo)
