"""``report …`` and ``document …``: the summary reports (Excel or PDF) and a proposal's documents (PDF) from the
command line, for scripting the reports sent to the province and the ministry.

Examples::

    khuyencong --user lanhdao report funding --from-year 2018 --to-year 2020 --scope national \\
        --by province --as-recorded --out kcqg-2018-2020.xlsx
    khuyencong --user canbo document acceptance KCDP-2026-0001 --out bien-ban-nghiem-thu.pdf
    khuyencong --user canbo document acceptance KCDP-2026-0001 --blank --out mau-bien-ban.docx
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.context import CliContext
from desktop_app.domain.enums import DocumentKind, LegalForm, Scope, Status
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.services.dto import EstablishmentFilter, ProposalFilter, ReportResult
from desktop_app.services.reports import REGISTERED

SCOPES = {"national": Scope.NATIONAL, "local": Scope.LOCAL, "all": None}
DOCUMENTS = {"proposal": DocumentKind.PROPOSAL, "council": DocumentKind.COUNCIL,
             "score-sheet": DocumentKind.SCORE_SHEET, "appraisal": DocumentKind.APPRAISAL,
             "decision": DocumentKind.DECISION, "contract": DocumentKind.CONTRACT,
             "acceptance-council": DocumentKind.ACCEPTANCE_COUNCIL, "acceptance": DocumentKind.ACCEPTANCE,
             "liquidation": DocumentKind.LIQUIDATION, "settlement": DocumentKind.SETTLEMENT,
             "dossier": DocumentKind.DOSSIER}
TOTAL_LABELS = {"count": "số đề án", "total": "tổng kinh phí", "support": "kinh phí khuyến công",
                "counterpart": "vốn đối ứng", "other": "nguồn khác", "advanced": "đã tạm ứng",
                "paid": "đã thanh toán", "disbursed": "đã giải ngân", "approved": "phê duyệt",
                "accepted": "nghiệm thu", "remaining": "còn phải giải ngân", "workers": "lao động",
                "requested": "khuyến công đề nghị", "requested_total": "tổng kinh phí đề nghị",
                "settled": "quyết toán",
                "female_workers": "lao động nữ"}


def _say_result(ctx: CliContext, result: ReportResult) -> None:
    ctx.say(f"Đã ghi {result.path}: {format_vnd(result.rows)} dòng.")
    if result.totals:
        parts = [f"{TOTAL_LABELS.get(k, k)} {format_vnd(v)}" for k, v in result.totals.items()]
        ctx.say("Tổng cộng: " + "; ".join(parts) + ".")


def _funding(args: argparse.Namespace, ctx: CliContext) -> int:
    result = ctx.services.reports.funding(ctx.actor(), args.from_year, args.to_year, SCOPES[args.scope], args.by,
                                         args.as_recorded, Path(args.out), stage=args.stage)
    _say_result(ctx, result)
    return 0


def _proposals(args: argparse.Namespace, ctx: CliContext) -> int:
    f = ProposalFilter(text=args.text or "", year=args.year, scope=SCOPES[args.scope],
                       status=Status(args.status) if args.status else None, content_code=args.content,
                       province_code=args.province)
    result = ctx.services.reports.proposals(ctx.actor(), f, Path(args.out), year_from=args.from_year,
                                           year_to=args.to_year)
    _say_result(ctx, result)
    return 0


def _establishments(args: argparse.Namespace, ctx: CliContext) -> int:
    f = EstablishmentFilter(text=args.text or "", province_code=args.province, commune_code=args.commune,
                            sector_code=args.sector, legal_form=LegalForm(args.legal_form) if args.legal_form else None,
                            include_archived=args.include_archived)
    _say_result(ctx, ctx.services.reports.establishments(ctx.actor(), f, Path(args.out)))
    return 0


def _progress(args: argparse.Namespace, ctx: CliContext) -> int:
    result = ctx.services.reports.progress_report(ctx.actor(), args.from_year, args.to_year, SCOPES[args.scope],
                                                  Path(args.out))
    _say_result(ctx, result)
    return 0


def _registration(args: argparse.Namespace, ctx: CliContext) -> int:
    statuses = [Status(x) for x in args.status] if args.status else list(REGISTERED)
    _say_result(ctx, ctx.services.reports.registration(ctx.actor(), args.year, Path(args.out), statuses=statuses))
    return 0


def _ledger_check(args: argparse.Namespace, ctx: CliContext) -> int:
    result = ctx.services.reports.ledger_check(ctx.actor())
    for code, issues in result.problems[:args.limit]:
        ctx.say(f"{code}: {'; '.join(issues)}.")
    if len(result.problems) > args.limit:
        ctx.say(f"… và {format_vnd(len(result.problems) - args.limit)} đề án khác.")
    ctx.say(f"Đã kiểm tra {format_vnd(result.checked)} đề án: "
            + (f"{format_vnd(len(result.problems))} đề án có số liệu không khớp." if result.problems
               else "số liệu kinh phí khớp ở mọi đề án."))
    return 1 if result.problems else 0


def _acceptance_review(args: argparse.Namespace, ctx: CliContext) -> int:
    _say_result(ctx, ctx.services.reports.acceptance_review(ctx.actor(), Path(args.out)))
    return 0


def _document(args: argparse.Namespace, ctx: CliContext) -> int:
    actor = ctx.actor()
    docs = ctx.services.documents
    kind = DOCUMENTS[args.kind]
    out = Path(args.out)
    suffix = out.suffix.lower()
    as_zip = kind is DocumentKind.DOSSIER and (args.zip or suffix == ".zip")
    if kind is DocumentKind.DOSSIER:
        wanted: tuple[str, ...] = (".zip",) if as_zip else (".pdf",)
    else:
        wanted = (".pdf", ".docx")
    if suffix not in wanted:
        raise ValidationError(f"Tệp “{out.name}” phải có đuôi {' hoặc '.join(wanted)}.", field="out")
    if args.blank and kind not in (DocumentKind.SCORE_SHEET, DocumentKind.ACCEPTANCE):
        raise ValidationError("--blank chỉ dùng cho score-sheet (phiếu thẩm định) và acceptance (biên bản nghiệm "
                              "thu).", field="blank")
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise ValidationError(f"Không tìm thấy thư mục lưu tệp: {out.parent}", field="out")
    proposal_id = docs.proposal_id_by_code(actor, args.code)
    if kind is DocumentKind.DOSSIER:
        data = docs.dossier(actor, proposal_id, as_zip=as_zip)
    else:
        member_id = None
        if kind is DocumentKind.SCORE_SHEET and args.member:
            member_id = docs.member_id(actor, proposal_id, args.member)
        elif kind is DocumentKind.SCORE_SHEET and not args.blank:
            raise ValidationError("In phiếu thẩm định cần --member (họ tên, tên đăng nhập hoặc mã thành viên), "
                                  "hoặc --blank cho mẫu trống.", field="member")
        render = docs.render_docx if suffix == ".docx" else docs.render
        data = render(actor, kind, proposal_id, member_id, args.blank)
    out.write_bytes(data)
    ctx.say(f"Đã ghi {out} ({format_vnd(len(data) // 1024 or 1)} KB).")
    return 0


def _year(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"“{value}” không phải là năm") from exc


def register(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help="lập báo cáo tổng hợp (Excel .xlsx hoặc PDF)")
    rsub = report.add_subparsers(dest="report_command", metavar="BÁO_CÁO", required=True)

    p = rsub.add_parser("funding", help="tổng hợp kinh phí theo năm, tỉnh, xã, ngành nghề, nội dung, nguồn")
    p.add_argument("--from-year", type=_year, required=True, metavar="NĂM", help="từ năm")
    p.add_argument("--to-year", type=_year, required=True, metavar="NĂM", help="đến năm")
    p.add_argument("--scope", choices=sorted(SCOPES), default="all", help="nguồn kinh phí (mặc định: all)")
    p.add_argument("--by", action="append", required=True, choices=["year", "province", "commune", "sector",
                                                                    "content", "scope"],
                   help="nhóm theo (một hoặc hai lần)")
    p.add_argument("--as-recorded", action="store_true",
                   help="nhóm tỉnh, xã theo địa giới lúc ghi nhận (trước 1/7/2025) thay vì hiện nay")
    p.add_argument("--stage", choices=["requested", "approved", "contracted", "disbursed", "accepted", "settled"],
                   default="approved",
                   help="giai đoạn kinh phí được cộng: đề nghị, phê duyệt (mặc định), hợp đồng, giải ngân, nghiệm thu, "
                        "quyết toán")
    p.add_argument("--out", required=True, metavar="TỆP", help="tệp .xlsx hoặc .pdf")
    p.set_defaults(func=_funding)

    p = rsub.add_parser("proposals", help="danh sách đề án")
    p.add_argument("--year", type=_year, metavar="NĂM")
    p.add_argument("--from-year", type=_year, metavar="NĂM")
    p.add_argument("--to-year", type=_year, metavar="NĂM")
    p.add_argument("--scope", choices=sorted(SCOPES), default="all")
    p.add_argument("--status", choices=[s.value for s in Status], help="trạng thái")
    p.add_argument("--content", metavar="MÃ", help="mã nội dung hoạt động (ví dụ ND45-4.3)")
    p.add_argument("--province", metavar="MÃ", help="mã tỉnh, thành phố")
    p.add_argument("--text", metavar="CHỮ", help="tìm theo tên hoặc mã đề án")
    p.add_argument("--out", required=True, metavar="TỆP", help="tệp .xlsx hoặc .pdf")
    p.set_defaults(func=_proposals)

    p = rsub.add_parser("establishments", help="danh sách cơ sở công nghiệp nông thôn")
    p.add_argument("--province", metavar="MÃ")
    p.add_argument("--commune", metavar="MÃ")
    p.add_argument("--sector", metavar="MÃ")
    p.add_argument("--legal-form", choices=[f.value for f in LegalForm])
    p.add_argument("--text", metavar="CHỮ", help="tìm theo tên hoặc mã số thuế")
    p.add_argument("--include-archived", action="store_true", help="gồm cả cơ sở đã lưu trữ")
    p.add_argument("--out", required=True, metavar="TỆP", help="tệp .xlsx hoặc .pdf")
    p.set_defaults(func=_establishments)

    p = rsub.add_parser("progress", help="tiến độ thực hiện và giải ngân")
    p.add_argument("--from-year", type=_year, required=True, metavar="NĂM")
    p.add_argument("--to-year", type=_year, required=True, metavar="NĂM")
    p.add_argument("--scope", choices=sorted(SCOPES), default="all")
    p.add_argument("--out", required=True, metavar="TỆP", help="tệp .xlsx hoặc .pdf")
    p.set_defaults(func=_progress)

    p = rsub.add_parser("registration", help="biểu tổng hợp đăng ký kế hoạch khuyến công quốc gia")
    p.add_argument("--year", type=_year, required=True, metavar="NĂM", help="năm kế hoạch")
    p.add_argument("--status", action="append", choices=[s.value for s in Status], metavar="TRẠNG_THÁI",
                   help="trạng thái đề án được đưa vào (lặp lại được; mặc định: appraised và sent_to_ministry)")
    p.add_argument("--out", required=True, metavar="TỆP", help="tệp .xlsx hoặc .pdf")
    p.set_defaults(func=_registration)

    p = rsub.add_parser("ledger-check", help="kiểm tra số liệu kinh phí mọi đề án theo sáu giai đoạn (thoát 1 nếu có "
                                             "đề án không khớp)")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="in tối đa N đề án không khớp (mặc định 50)")
    p.set_defaults(func=_ledger_check)

    p = rsub.add_parser("acceptance-review",
                        help="kết quả nghiệm thu cần kiểm tra lại sau khi nâng cấp (vượt kinh phí được duyệt)")
    p.add_argument("--out", required=True, metavar="TỆP", help="tệp .xlsx hoặc .pdf")
    p.set_defaults(func=_acceptance_review)

    p = sub.add_parser("document", help="in văn bản của một đề án (PDF hoặc Word .docx)")
    p.add_argument("kind", choices=list(DOCUMENTS), metavar="LOẠI", help=" | ".join(DOCUMENTS))
    p.add_argument("code", metavar="MÃ_ĐỀ_ÁN")
    p.add_argument("--out", required=True, metavar="TỆP",
                   help="tệp .pdf hoặc .docx (Word, để sửa câu chữ trước khi ký); hồ sơ: .pdf hoặc .zip")
    p.add_argument("--blank", action="store_true",
                   help="mẫu trống để ghi tay tại cuộc họp (score-sheet, acceptance): số liệu đề án in sẵn, "
                        "kết quả để trống")
    p.add_argument("--member", metavar="THÀNH_VIÊN", help="phiếu thẩm định của ai (họ tên, tên đăng nhập)")
    p.add_argument("--zip", action="store_true", help="hồ sơ: nén mọi văn bản và tệp đính kèm vào một tệp .zip")
    p.set_defaults(func=_document)
