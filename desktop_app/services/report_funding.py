"""The money reports: the funding summary grouped by year, place, sector or content, and the implementation
and disbursement progress per approved proposal."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.domain.enums import Scope, Stage, Status
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.vietnamese import format_date
from desktop_app.progress import Progress
from desktop_app.reports.tabular import Row, TableReport, output_format, write_report
from desktop_app.reports.xlsx import ColumnSpec, Kind
from desktop_app.services.auth import Actor, require_role
from desktop_app.services.dto import ReportResult
from desktop_app.services.organisation import OrganisationService
from desktop_app.services.report_common import (
    GROUP_HEADERS,
    GROUP_WORDS,
    GROUPS,
    MONEY_KEYS,
    REPORTERS,
    STAGES,
    STOPPED_RULE,
    FundingGroup,
    check_years,
    figures,
    group_label,
    group_sort,
    has_split,
    period_text,
    roman,
    scope_text,
    stage_rule,
    stream_rows,
)
from desktop_app.store import queries, report_queries
from desktop_app.store.database import Database
from desktop_app.store.ledger_queries import ledger_of_row
from desktop_app.store.models import Proposal


class FundingReports:
    """The money reports (part of :class:`~desktop_app.services.reports.ReportService`)."""

    _db: Database
    _organisation: OrganisationService

    def funding_groups(self, actor: Actor, from_year: int, to_year: int, scope: Scope | None, by: Sequence[str],
                       as_recorded: bool = False, stage: str = "approved") -> list[FundingGroup]:
        """The funding summary's lines, sorted: years ascending, KCQG before KCĐP, names in Vietnamese order,
        "(Chưa xác định)" last.

        Raises:
            ValidationError: years out of range or reversed, no grouping, an unknown or repeated grouping.
        """
        require_role(actor, *REPORTERS, doing="lập báo cáo")
        check_years(from_year, to_year)
        by = list(by)
        if not by or len(by) > 2:
            raise ValidationError("Chọn một hoặc hai cách nhóm (năm, tỉnh, xã, ngành nghề, nội dung, nguồn).",
                                  field="by")
        if len(set(by)) != len(by):
            raise ValidationError("Hai cách nhóm phải khác nhau.", field="by")
        unknown = [k for k in by if k not in GROUPS]
        if unknown:
            raise ValidationError(f"Không có cách nhóm “{unknown[0]}”; chọn một trong: {', '.join(GROUPS)}.",
                                  field="by")
        if stage not in STAGES:
            raise ValidationError(f"Không có giai đoạn kinh phí “{stage}”; chọn: {', '.join(STAGES)}.",
                                  field="stage")
        # One aggregate in the database: the ledger's stage rule in SQL (ledger_queries.stage_figure), summed by
        # group, instead of every proposal's ledger read into Python.
        q = report_queries.funding_totals(year_from=from_year, year_to=to_year, scope=scope.value if scope else None,
                                          by=by, as_recorded=as_recorded, stage=Stage(stage))
        sums: dict[tuple[Any, ...], list[int]] = {}
        labels: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        with self._db.reading() as s:
            for r in s.execute(q):
                key = tuple(getattr(r, f"k{i}") for i in range(len(by)))
                labels[key] = tuple(getattr(r, f"l{i}") for i in range(len(by)))
                sums[key] = [int(r.n), int(r.total), int(r.support), int(r.counterpart), int(r.other)]
        groups = [FundingGroup(tuple((code, group_label(k, code, label)) for k, code, label in
                                     zip(by, key, labels[key], strict=True)), *acc)
                  for key, acc in sums.items()]
        groups.sort(key=lambda g: tuple(group_sort(k, code, label) for k, (code, label) in zip(by, g.keys,
                                                                                              strict=True)))
        return groups

    def funding(self, actor: Actor, from_year: int, to_year: int, scope: Scope | None, by: Sequence[str],
                as_recorded: bool, out: Path | str, progress: Progress | None = None,
                stage: str = "approved") -> ReportResult:
        """Write the funding summary to ``out`` (.xlsx or .pdf)."""
        output_format(out)
        groups = self.funding_groups(actor, from_year, to_year, scope, by, as_recorded, stage)
        by = list(by)
        label_header = " / ".join(GROUP_HEADERS[k] for k in by)
        columns = [ColumnSpec("STT", Kind.TEXT, 6, pdf_weight=5),
                   ColumnSpec(label_header, Kind.TEXT, 45 if len(by) == 1 else 55, pdf_weight=40),
                   ColumnSpec("Số đề án", Kind.NUMBER, 10, pdf_weight=8),
                   ColumnSpec("Tổng kinh phí", Kind.NUMBER, 20, pdf_weight=16),
                   ColumnSpec("Kinh phí khuyến công hỗ trợ", Kind.NUMBER, 20, pdf_weight=16),
                   ColumnSpec("Vốn đối ứng của cơ sở", Kind.NUMBER, 20, pdf_weight=16),
                   ColumnSpec("Nguồn khác", Kind.NUMBER, 18, pdf_weight=14)]
        grouping = " và ".join(GROUP_WORDS[k] for k in by)
        if as_recorded and any(k in ("province", "commune") for k in by):
            grouping += " (địa giới hành chính tại thời điểm ghi nhận)"
        words = Stage(stage).words
        if not has_split(Stage(stage)):
            columns[3:] = [ColumnSpec(f"Kinh phí khuyến công ({words})", Kind.NUMBER, 22, pdf_weight=20)]
        report = TableReport(
            f"Báo cáo tổng hợp kinh phí khuyến công — {words}",
            "\n".join([f"{period_text(from_year, to_year)}; {scope_text(scope).lower()}",
                       f"Tổng hợp theo {grouping}; số liệu: {words} ({stage_rule(Stage(stage))})"]),
            columns, sheet_name="Tổng hợp kinh phí")
        width = 5 if has_split(Stage(stage)) else 2

        def money(g: FundingGroup) -> list[int]:
            return g.money() if width == 5 else [g.count, g.support]

        def rows() -> Iterator[Row]:
            if len(by) == 1:
                for i, g in enumerate(groups, start=1):
                    yield Row([str(i), g.keys[0][1], *money(g)])
                return
            current: Any = object()
            block: list[FundingGroup] = []
            n_group = 0
            ends: list[FundingGroup | None] = [*groups, None]
            for entry in ends:
                head = entry.keys[0][0] if entry is not None else object()
                if block and (entry is None or head != current):
                    n_group += 1
                    sums = [sum(money(x)[i] for x in block) for i in range(width)]
                    yield Row([roman(n_group), block[0].keys[0][1], *sums], group=True)
                    for j, x in enumerate(block, start=1):
                        yield Row([str(j), x.keys[1][1], *money(x)])
                    block = []
                if entry is not None:
                    current = head
                    block.append(entry)

        written, totals = write_report(out, report, rows(), self._organisation.get(), progress, len(groups))
        keys = ("count", *MONEY_KEYS) if width == 5 else ("count", "support")
        return ReportResult(str(out), written, dict(zip(keys, (int(totals.get(c, 0)) for c in range(2, 2 + width)),
                                                        strict=True)))

    # --- implementation and disbursement progress --------------------------------------------------------------

    def progress_report(self, actor: Actor, from_year: int, to_year: int, scope: Scope | None, out: Path | str,
                        progress: Progress | None = None) -> ReportResult:
        """Per approved proposal: approved support, advances, payments, accepted support, what remains."""
        require_role(actor, *REPORTERS, doing="lập báo cáo")
        output_format(out)
        check_years(from_year, to_year)
        q = report_queries.progress_select(year_from=from_year, year_to=to_year,
                                           scope=scope.value if scope else None)
        columns = [ColumnSpec("STT", Kind.COUNT, 6, total=False, pdf_weight=4),
                   ColumnSpec("Mã đề án", Kind.TEXT, 16, pdf_weight=3),
                   ColumnSpec("Tên đề án", Kind.TEXT, 45, pdf_weight=28),
                   ColumnSpec("Đơn vị thụ hưởng", Kind.TEXT, 30, pdf_weight=18),
                   ColumnSpec("Trạng thái", Kind.TEXT, 16, pdf_weight=5),
                   ColumnSpec("Hợp đồng số", Kind.TEXT, 14, pdf_weight=3),
                   ColumnSpec("Kinh phí phê duyệt", Kind.NUMBER, 16, pdf_weight=12),
                   ColumnSpec("Đã tạm ứng", Kind.NUMBER, 16, pdf_weight=12),
                   ColumnSpec("Đã thanh toán", Kind.NUMBER, 16, pdf_weight=12),
                   ColumnSpec("Tổng đã giải ngân", Kind.NUMBER, 16, pdf_weight=12),
                   ColumnSpec("Kinh phí nghiệm thu", Kind.NUMBER, 16, pdf_weight=12),
                   ColumnSpec("Còn phải giải ngân", Kind.NUMBER, 16, pdf_weight=12),
                   ColumnSpec("Tỷ lệ giải ngân", Kind.PERCENT, 10, total=False, pdf_weight=8),
                   ColumnSpec("Tiến độ (%)", Kind.COUNT, 9, total=False, pdf_weight=7)]
        org = self._organisation.get()
        with self._db.reading() as s:
            total_rows = queries.count(s, q)
            report = TableReport("Báo cáo tiến độ thực hiện và giải ngân đề án khuyến công",
                                 f"{period_text(from_year, to_year)}; {scope_text(scope).lower()}; "
                                 f"số liệu đến ngày {format_date(date.today())}; {STOPPED_RULE}", columns,
                                 sheet_name="Tiến độ giải ngân")

            def rows() -> Iterator[list[object]]:
                for i, r in enumerate(stream_rows(s, q, [Proposal.year, Proposal.code, Proposal.id]), start=1):
                    lg = ledger_of_row(r)
                    approved, accepted = figures(lg, (Stage.APPROVED, "support"), (Stage.ACCEPTED, "support"))
                    beneficiary = r.beneficiary + (f" và {r.n_ben - 1} cơ sở khác" if r.n_ben > 1 else "")
                    yield [i, r.code, r.title, beneficiary, Status(r.status).label, r.contract_number, approved,
                           lg.advanced_vnd, lg.payments_vnd, lg.disbursed_vnd, accepted, lg.remaining_to_disburse_vnd,
                           lg.disbursed_vnd / approved if approved else None, r.progress_percent]

            written, totals = write_report(out, report, rows(), org, progress, total_rows)
        return ReportResult(str(out), written, dict(zip(
            ("approved", "advanced", "paid", "disbursed", "accepted", "remaining"),
            (int(totals.get(c, 0)) for c in range(6, 12)), strict=True)))
