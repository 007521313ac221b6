"""The summary reports a centre sends to the province and the ministry, as Excel (.xlsx) or PDF.

- ``funding``: number of proposals, total cost, khuyến công support, counterpart and other funds, grouped by one or
  two of year, province, commune, sector, content, scope; provinces as they are now, or as they were recorded
  (the pre-2025 province of the proposal's legacy ward) for the years before the 2025 reform.
- ``proposals`` and ``establishments``: the lists with the filters of their screens, streamed.
- ``progress_report``: implementation and disbursement per approved proposal.
- ``registration``: the KCQG registration summary (the Sở's table sent to the ministry by 20 June).

Amounts are the sums of the proposals' budget lines (the dự toán), in đồng; "Tổng cộng" is computed on exact
integers. Grouping by content uses the top-level contents of ND 45/2012 Art. 4 (a sub-type counts under its
parent). By default the funding summary counts approved proposals (Đã phê duyệt to Đã quyết toán). Staff and
managers run reports (DESIGN.md §4); every report takes a progress reporter and can be cancelled, leaving no file
behind.

:class:`ReportService` is the one door; the report families live beside it: the money reports in
:mod:`.report_funding`, the lists in :mod:`.report_lists`; this module keeps the registration summary and the
ledger checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from desktop_app.domain.enums import Scope, Status
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.ledger import problems
from desktop_app.domain.vietnamese import format_date
from desktop_app.progress import Progress
from desktop_app.reports.tabular import Row, TableReport, output_format, write_report
from desktop_app.reports.xlsx import ColumnSpec, Kind
from desktop_app.services.auth import Actor, require_role
from desktop_app.services.dto import ReportResult
from desktop_app.services.organisation import OrganisationService
from desktop_app.services.report_common import (
    MONEY_KEYS,
    REGISTERED,
    REPORTERS,
    UNKNOWN,
    check_years,
    location_text,
    roman,
    split_cells,
    stream_rows,
)
from desktop_app.services.report_funding import FundingReports
from desktop_app.services.report_lists import ListReports
from desktop_app.store import ledger_queries, queries, report_queries
from desktop_app.store.database import Database
from desktop_app.store.ledger_queries import ledger_of_row
from desktop_app.store.models import Proposal
from desktop_app.store.settings import get_setting


@dataclass(frozen=True)
class LedgerCheck:
    """The outcome of :meth:`ReportService.ledger_check`."""

    checked: int
    problems: list[tuple[str, list[str]]]


class ReportService(FundingReports, ListReports):
    """Summary reports for the Báo cáo screen and ``khuyencong report …``."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._organisation = OrganisationService(db)

    # --- the ledger checked against itself ---------------------------------------------------------------------

    def ledger_check(self, actor: Actor, progress: Progress | None = None) -> LedgerCheck:
        """Check every proposal's recorded money against the ledger's rules (decision = contract = approved, the
        approved lines add up, acceptance within approval per line, advances within the share, paid within
        approval, settled within accepted). Returns how many were checked and what disagrees, by proposal code."""
        require_role(actor, *REPORTERS, doing="kiểm tra số liệu kinh phí")
        found: list[tuple[str, list[str]]] = []
        checked = 0
        with self._db.reading() as s:
            percent = Decimal(get_setting(s, "advance_percent", "70"))
            total = queries.count(s, select(Proposal.id))
            for r in stream_rows(s, ledger_queries.check_select(), [Proposal.id]):
                checked += 1
                if progress is not None and checked % 2000 == 0:
                    progress.set_progress(checked, total, "Đang kiểm tra số liệu kinh phí…")
                    progress.check()
                issues = problems(ledger_of_row(r), advance_percent=percent, lines_over_approval=int(r.lines_over),
                                  decision_vnd=None if r.decision_vnd is None else int(r.decision_vnd))
                if issues:
                    found.append((r.code, issues))
        return LedgerCheck(checked, found)

    # --- acceptances to review after the upgrade that capped them at the approved budget ----------------------

    def acceptance_review(self, actor: Actor, out: Path | str, progress: Progress | None = None) -> ReportResult:
        """Acceptances whose verified support the upgrade capped at the approved lines: what changed, and the
        liquidation and settlement recorded before, so a person can confirm or correct each one."""
        require_role(actor, *REPORTERS, doing="lập báo cáo")
        output_format(out)
        columns = [ColumnSpec("STT", Kind.COUNT, 6, total=False, pdf_weight=4),
                   ColumnSpec("Mã đề án", Kind.TEXT, 16, pdf_weight=8),
                   ColumnSpec("Tên đề án", Kind.TEXT, 45, pdf_weight=26),
                   ColumnSpec("Trạng thái", Kind.TEXT, 16, pdf_weight=9),
                   ColumnSpec("Khuyến công phê duyệt", Kind.NUMBER, 16, pdf_weight=11),
                   ColumnSpec("Khuyến công nghiệm thu (sau điều chỉnh)", Kind.NUMBER, 18, pdf_weight=11),
                   ColumnSpec("Giá trị thanh lý đã ghi", Kind.NUMBER, 16, pdf_weight=11),
                   ColumnSpec("Quyết toán đã ghi", Kind.NUMBER, 16, pdf_weight=11),
                   ColumnSpec("Đã giải ngân", Kind.NUMBER, 16, pdf_weight=11),
                   ColumnSpec("Ghi chú", Kind.TEXT, 60, pdf_weight=30)]
        org = self._organisation.get()
        with self._db.reading() as s:
            q = report_queries.review_select()
            total_rows = queries.count(s, q)
            report = TableReport("Danh sách kết quả nghiệm thu cần kiểm tra lại",
                                 "Kinh phí khuyến công nghiệm thu vượt kinh phí được duyệt theo dòng đã được giới hạn "
                                 f"khi nâng cấp dữ liệu; số liệu đến ngày {format_date(date.today())}", columns,
                                 sheet_name="Nghiệm thu cần kiểm tra")

            def rows() -> Iterator[list[object]]:
                for i, r in enumerate(stream_rows(s, q, [Proposal.code, Proposal.id]), start=1):
                    lg = ledger_of_row(r)
                    yield [i, r.code, r.title, Status(r.status).label, lg.approved_support_vnd,
                           lg.accepted_support_vnd, r.liquidated, lg.settled_support_vnd, lg.disbursed_vnd,
                           r.review_note]

            written, _totals = write_report(out, report, rows(), org, progress, total_rows)
        return ReportResult(str(out), written, {})

    # --- KCQG registration summary -----------------------------------------------------------------------------

    def registration(self, actor: Actor, year: int, out: Path | str, progress: Progress | None = None,
                     statuses: Sequence[Status] = REGISTERED) -> ReportResult:
        """The summary table of the proposals registered for the national programme of ``year`` (Mẫu số 2),
        grouped by activity content with subtotals: by default only those that passed appraisal (Đạt thẩm định,
        Đã gửi Bộ), with the budget they request; the title says which statuses it holds."""
        require_role(actor, *REPORTERS, doing="lập báo cáo")
        output_format(out)
        check_years(year, year)
        if not statuses:
            raise ValidationError("Chọn ít nhất một trạng thái đề án.", field="status")
        q = report_queries.registration_select(year=year, scope=Scope.NATIONAL.value,
                                               statuses=[s.value for s in statuses])
        columns = [ColumnSpec("STT", Kind.TEXT, 6, pdf_weight=5),
                   ColumnSpec("Tên đề án", Kind.TEXT, 45, pdf_weight=30),
                   ColumnSpec("Đơn vị thực hiện", Kind.TEXT, 28, pdf_weight=17),
                   ColumnSpec("Đơn vị thụ hưởng", Kind.TEXT, 28, pdf_weight=17),
                   ColumnSpec("Địa điểm", Kind.TEXT, 25, pdf_weight=15),
                   ColumnSpec("Thời gian thực hiện", Kind.TEXT, 14, pdf_weight=4),
                   ColumnSpec("Tổng kinh phí", Kind.NUMBER, 16, pdf_weight=12),
                   ColumnSpec("Kinh phí khuyến công quốc gia", Kind.NUMBER, 16, pdf_weight=12),
                   ColumnSpec("Vốn đối ứng", Kind.NUMBER, 16, pdf_weight=12),
                   ColumnSpec("Nguồn khác", Kind.NUMBER, 14, pdf_weight=10),
                   ColumnSpec("Ghi chú", Kind.TEXT, 16, pdf_weight=10)]
        org = self._organisation.get()
        with self._db.reading() as s:
            records = report_queries.run(s, q)
        records.sort(key=lambda r: (r.content_order if r.content_code else 10_000, r.content_code or "~",
                                    r.code))
        held = ", ".join(s.label for s in statuses)
        report = TableReport(f"Biểu tổng hợp đăng ký kế hoạch khuyến công quốc gia năm {year}",
                             "(Kèm theo báo cáo đăng ký kế hoạch khuyến công quốc gia gửi Bộ Công Thương)\n"
                             f"Gồm các đề án: {held}; số liệu: kinh phí đề nghị",
                             columns, sheet_name=f"Đăng ký KCQG {year}")

        def when(r: Any) -> str:
            start, end = r.start_date, r.end_date
            if start and end:
                return f"{start.month:02d}/{start.year}–{end.month:02d}/{end.year}"
            return format_date(start or end)

        def rows() -> Iterator[Row]:
            n_group = 0
            by_content: dict[str, list[Any]] = {}
            for r in records:
                by_content.setdefault(r.content_code or "", []).append(r)
            for code, block in by_content.items():
                n_group += 1
                sums = [sum(x) for x in zip(*(split_cells(ledger_of_row(r).requested) for r in block),
                                            strict=True)]
                yield Row([roman(n_group), block[0].content_name if code else UNKNOWN, "", "", "", "", *sums, ""],
                          group=True)
                for j, r in enumerate(block, start=1):
                    beneficiary = r.beneficiary + (f" và {r.n_ben - 1} cơ sở khác" if r.n_ben > 1 else "")
                    yield Row([str(j), r.title, r.implementing_unit, beneficiary,
                               location_text(r.commune_name, r.province_name, r.location_as_recorded), when(r),
                               *split_cells(ledger_of_row(r).requested), Status(r.status).label])

        written, totals = write_report(out, report, rows(), org, progress, len(records))
        return ReportResult(str(out), written, dict(zip(MONEY_KEYS, (int(totals.get(c, 0)) for c in range(6, 10)),
                                                        strict=True)))

    def proposal_count(self, actor: Actor, from_year: int, to_year: int) -> int:
        """How many proposals the years hold (the Báo cáo screen shows it before exporting)."""
        require_role(actor, *REPORTERS, doing="lập báo cáo")
        with self._db.reading() as s:
            return int(s.scalar(select(func.count(Proposal.id)).where(Proposal.year >= from_year,
                                                                      Proposal.year <= to_year)) or 0)
