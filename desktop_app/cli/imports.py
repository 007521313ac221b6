"""``import`` and ``template``: importing establishments and proposals from Excel, and writing the empty templates.

    khuyencong --user canbo import establishments danh-sach.xlsx [--dry-run] [--only-valid]
        [--on-duplicate skip|update|add] [--rejected-out loai.xlsx]
    khuyencong template establishments|proposals --out mau.xlsx

Exit codes of ``import``: 0 when every data row was imported (duplicates skipped by choice included), 1 when rows
were rejected (with ``--only-valid`` the valid ones were imported; without it nothing was), 2 when the file could
not be read (or another error, as for every command).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.cli.context import CliContext
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.services.progress import Progress

EXIT_OK = 0
EXIT_REJECTED = 1
KINDS = {"establishments": "establishments", "proposals": "proposals", "co-so": "establishments",
         "de-an": "proposals"}
_MAX_LISTED = 200


class _StderrProgress(Progress):
    """Prints a line now and then on the terminal while a long file is read or written."""

    def __init__(self, quiet: bool) -> None:
        self._quiet = quiet
        self._last = ""

    def set_progress(self, done: int, total: int, status: str = "") -> None:
        if self._quiet or not status or status == self._last or not sys.stderr.isatty():
            return
        self._last = status
        print(f"\r{status[:100]:<100}", end="", file=sys.stderr, flush=True)


def _print_rows(ctx: CliContext, title: str, rows: list[tuple[int, str]]) -> None:
    if not rows:
        return
    ctx.say(title)
    for number, text in rows[:_MAX_LISTED]:
        ctx.say(f"  Dòng {number}: {text}")
    if len(rows) > _MAX_LISTED:
        ctx.say(f"  … và {format_vnd(len(rows) - _MAX_LISTED)} dòng nữa (xem tệp các dòng bị loại).")


def _import(args: argparse.Namespace, ctx: CliContext) -> int:
    actor = ctx.actor()
    imports = ctx.services.imports
    kind = KINDS[args.kind]
    progress = _StderrProgress(quiet=False)
    preview = imports.preview(actor, kind, args.file, progress)
    ctx.say(preview.summary())
    for note in preview.notes:
        ctx.say(note)
    errors = [(r.row, r.reason) for r in preview.rows if r.status == "error"]
    duplicates = [(r.row, r.reason) for r in preview.rows if r.status == "duplicate"]
    warnings = [(r.row, r.reason) for r in preview.rows if r.status == "ok" and r.warnings]
    _print_rows(ctx, "Dòng lỗi (không nhập được):", errors)
    _print_rows(ctx, f"Dòng trùng (xử lý: {_DUPLICATE_WORDS[args.on_duplicate]}):", duplicates)
    if args.verbose:
        _print_rows(ctx, "Dòng có cảnh báo (vẫn nhập):", warnings)
    if args.dry_run:
        if args.rejected_out:
            count = imports.write_rejected(preview, args.rejected_out)
            ctx.say(f"Đã ghi {format_vnd(count)} dòng lỗi vào “{args.rejected_out}”.")
        if not errors or args.only_valid:
            # Run it and roll it back: rows refused only when merged into existing records show up too.
            tried = imports.run(actor, kind, preview, only_valid=args.only_valid, on_duplicate=args.on_duplicate,
                                dry_run=True)
            late = [(o.row, o.text) for o in tried.outcomes if o.action == "rejected" and o.row not in
                    {row for row, _ in errors}]
            _print_rows(ctx, "Dòng không nhập được khi ghi (gộp vào hồ sơ đã có):", late)
            errors += late
        ctx.say("Chạy thử (--dry-run): chưa ghi gì vào cơ sở dữ liệu.")
        return EXIT_REJECTED if errors else EXIT_OK
    result = imports.run(actor, kind, preview, only_valid=args.only_valid, on_duplicate=args.on_duplicate,
                         progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    ctx.say(result.message)
    if args.rejected_out:
        count = imports.write_rejected(result, args.rejected_out)
        ctx.say(f"Đã ghi {format_vnd(count)} dòng không được nhập (kèm lý do) vào “{args.rejected_out}”.")
    elif result.rejected:
        ctx.say("Gợi ý: thêm --rejected-out TỆP.xlsx để lưu các dòng bị loại kèm lý do, sửa rồi nhập lại.")
    return EXIT_OK if result.all_imported else EXIT_REJECTED


_DUPLICATE_WORDS = {"skip": "bỏ qua", "update": "cập nhật bản ghi đã có", "add": "vẫn thêm mới"}


def _template(args: argparse.Namespace, ctx: CliContext) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        out = out.with_name(out.name + ".xlsx")
    ctx.services.imports.write_template(KINDS[args.kind], out)
    what = "cơ sở" if KINDS[args.kind] == "establishments" else "đề án"
    ctx.say(f"Đã ghi tệp mẫu nhập {what}: {out}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="nhập danh sách cơ sở hoặc đề án từ tệp Excel (.xlsx)", add_help=False,
                       description="Nhập danh sách từ Excel trong một giao dịch. Mã thoát: 0 nhập hết, 1 có dòng "
                                   "bị loại, 2 không đọc được tệp.")
    p.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này")
    p.add_argument("kind", choices=sorted(KINDS), metavar="LOẠI",
                   help="establishments (cơ sở) hoặc proposals (đề án)")
    p.add_argument("file", metavar="TỆP.xlsx", help="tệp Excel cần nhập")
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    p.add_argument("--only-valid", action="store_true",
                   help="nhập các dòng hợp lệ, bỏ các dòng lỗi (mặc định: có dòng lỗi thì không nhập gì)")
    p.add_argument("--on-duplicate", choices=["skip", "update", "add"], default="skip",
                   help="dòng trùng (cùng mã số thuế, hoặc cùng tên và xã/phường; đề án: cùng mã): bỏ qua (mặc "
                        "định), cập nhật bản ghi đã có, hoặc vẫn thêm mới")
    p.add_argument("--rejected-out", metavar="TỆP.xlsx", help="ghi các dòng không nhập được kèm lý do ra tệp này")
    p.add_argument("-v", "--verbose", action="store_true", help="liệt kê cả các dòng có cảnh báo")
    p.set_defaults(func=_import)

    t = sub.add_parser("template", help="ghi tệp Excel mẫu để nhập cơ sở hoặc đề án", add_help=False)
    t.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này")
    t.add_argument("kind", choices=sorted(KINDS), metavar="LOẠI", help="establishments hoặc proposals")
    t.add_argument("--out", required=True, metavar="TỆP.xlsx", help="tệp mẫu sẽ ghi")
    t.set_defaults(func=_template)
