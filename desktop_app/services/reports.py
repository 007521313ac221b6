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
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import LegalForm, Role, Scope, Stage, Status
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.ledger import Ledger, Split, problems
from desktop_app.domain.vietnamese import fold, format_date, sort_key
from desktop_app.progress import Progress
from desktop_app.reports.tabular import Row, TableReport, output_format, write_report
from desktop_app.reports.xlsx import ColumnSpec, Kind
from desktop_app.services.auth import Actor, require_role, require_signed_in
from desktop_app.services.dto import EstablishmentFilter, ProposalFilter, ReportResult
from desktop_app.services.organisation import OrganisationService
from desktop_app.store import ledger_queries, queries, report_queries
from desktop_app.store.database import Database, streaming_cache
from desktop_app.store.ledger_queries import ledger_of_row, with_ledger
from desktop_app.store.models import Commune, Content, Establishment, Proposal, Province, Sector
from desktop_app.store.settings import get_setting

REPORTERS = (Role.STAFF, Role.MANAGER)
GROUPS = report_queries.GROUPS
GROUP_HEADERS = {"year": "Năm", "province": "Tỉnh, thành phố", "commune": "Xã, phường, đặc khu",
                 "sector": "Ngành nghề", "content": "Nội dung hoạt động khuyến công", "scope": "Nguồn kinh phí"}
GROUP_WORDS = {"year": "năm", "province": "tỉnh, thành phố", "commune": "xã, phường", "sector": "ngành nghề",
               "content": "nội dung hoạt động", "scope": "nguồn kinh phí"}
UNKNOWN = "(Chưa xác định)"

#: The stages a funding summary can sum (``--stage``); the ledger decides which proposals have a figure there.
STAGES = [s.value for s in Stage]
#: Statuses the KCQG registration list holds by default: proposals that passed appraisal.
REGISTERED = (Status.APPRAISED, Status.SENT_TO_MINISTRY)
STOPPED_RULE = ("Đề án ngừng thực hiện chỉ được tính số đã giải ngân (phải thu hồi hoặc quyết toán); "
                "kinh phí phê duyệt của đề án đó không còn được tính.")
MONEY_KEYS = ("total", "support", "counterpart", "other")
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    """Roman numerals for group headings: 1 → "I", 14 → "XIV"."""
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _years(from_year: int, to_year: int) -> None:
    for value, field in ((from_year, "from_year"), (to_year, "to_year")):
        if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
            raise ValidationError("Năm báo cáo phải trong khoảng 2000–2100.", field=field)
    if from_year > to_year:
        raise ValidationError(f"Năm bắt đầu ({from_year}) sau năm kết thúc ({to_year}).", field="from_year")


def period_text(from_year: int, to_year: int) -> str:
    return f"Năm {from_year}" if from_year == to_year else f"Từ năm {from_year} đến năm {to_year}"


def scope_text(scope: Scope | None) -> str:
    return f"Nguồn kinh phí: {scope.label.lower()}" if scope else "Nguồn kinh phí: khuyến công quốc gia và địa phương"


@dataclass(frozen=True)
class LedgerCheck:
    """The outcome of :meth:`ReportService.ledger_check`."""

    checked: int
    problems: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class FundingGroup:
    """One line of the funding summary: its keys (code, label) and the sums."""

    keys: tuple[tuple[Any, str], ...]
    count: int
    total: int
    support: int
    counterpart: int
    other: int

    def money(self) -> list[int]:
        return [self.count, self.total, self.support, self.counterpart, self.other]


def _split_cells(x: Split) -> list[int]:
    return [x.total_vnd, x.support_vnd, x.counterpart_vnd, x.other_vnd]


def _figures(lg: Ledger, *wanted: tuple[Stage, str]) -> list[int | None]:
    """Cells of stage figures: (stage, "total" | "support"), empty where the proposal has none at that stage."""
    out: list[int | None] = []
    for stage, part in wanted:
        x = lg.stage(stage)
        out.append(None if x is None else (x.total_vnd if part == "total" else x.support_vnd))
    return out


def _has_split(stage: Stage) -> bool:
    """Whether the stage's figure is split into support, counterpart and other (a budget), or is one amount."""
    return stage in (Stage.REQUESTED, Stage.APPROVED, Stage.ACCEPTED)


def _stage_rule(stage: Stage) -> str:
    """Which proposals a stage's total holds, in words (the ledger's one rule)."""
    return {
        Stage.REQUESTED: "mọi đề án trừ đề án đã hủy",
        Stage.APPROVED: "đề án đã phê duyệt, trừ đề án ngừng thực hiện",
        Stage.CONTRACTED: "đề án đã ký hợp đồng, trừ đề án ngừng thực hiện",
        Stage.DISBURSED: "mọi đề án đã tạm ứng, thanh toán, kể cả đề án ngừng thực hiện",
        Stage.ACCEPTED: "đề án đã được ký duyệt kết quả nghiệm thu",
        Stage.SETTLED: "đề án đã quyết toán",
    }[stage]


def _group_sort(key: str, code: Any, label: str) -> tuple[int, Any]:
    if code is None:
        return (2, "")
    if key == "year":
        return (0, int(code))
    if key == "scope":
        return (0, 0 if code == Scope.NATIONAL.value else 1)
    return (0, sort_key(label))


def _label(key: str, code: Any, label: Any) -> str:
    if code is None:
        return UNKNOWN
    if key == "scope":
        return Scope(code).label
    return str(label) if label not in (None, "") else UNKNOWN


def _stream(s: Session, query: Any, order: Sequence[Any]) -> Iterator[Any]:
    """Rows in batches (flat memory on large exports); the cursor is closed even when the export stops early."""
    with streaming_cache(s):
        result = s.execute(query.order_by(*order).execution_options(yield_per=2000))
        try:
            yield from result
        finally:
            result.close()


def _location(commune: str, province: str, as_recorded: str) -> str:
    if as_recorded:
        return as_recorded
    return ", ".join(x for x in (commune, province) if x)


class ReportService:
    """Summary reports for the Báo cáo screen and ``khuyencong report …``."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._organisation = OrganisationService(db)

    # --- funding summary ---------------------------------------------------------------------------------------

    def funding_groups(self, actor: Actor, from_year: int, to_year: int, scope: Scope | None, by: Sequence[str],
                       as_recorded: bool = False, stage: str = "approved") -> list[FundingGroup]:
        """The funding summary's lines, sorted: years ascending, KCQG before KCĐP, names in Vietnamese order,
        "(Chưa xác định)" last.

        Raises:
            ValidationError: years out of range or reversed, no grouping, an unknown or repeated grouping.
        """
        require_role(actor, *REPORTERS, doing="lập báo cáo")
        _years(from_year, to_year)
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
        groups = [FundingGroup(tuple((code, _label(k, code, label)) for k, code, label in
                                     zip(by, key, labels[key], strict=True)), *acc)
                  for key, acc in sums.items()]
        groups.sort(key=lambda g: tuple(_group_sort(k, code, label) for k, (code, label) in zip(by, g.keys,
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
        if not _has_split(Stage(stage)):
            columns[3:] = [ColumnSpec(f"Kinh phí khuyến công ({words})", Kind.NUMBER, 22, pdf_weight=20)]
        report = TableReport(
            f"Báo cáo tổng hợp kinh phí khuyến công — {words}",
            "\n".join([f"{period_text(from_year, to_year)}; {scope_text(scope).lower()}",
                       f"Tổng hợp theo {grouping}; số liệu: {words} ({_stage_rule(Stage(stage))})"]),
            columns, sheet_name="Tổng hợp kinh phí")
        width = 5 if _has_split(Stage(stage)) else 2

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

    # --- proposals ---------------------------------------------------------------------------------------------

    def _names(self, s: Session, model: Any, code: str | None) -> str:
        if not code:
            return ""
        row = s.get(model, code)
        return row.name if row is not None else code

    def proposals(self, actor: Actor, f: ProposalFilter, out: Path | str, progress: Progress | None = None,
                  year_from: int | None = None, year_to: int | None = None) -> ReportResult:
        """The proposal list with the filters of the Đề án screen (and an optional range of years), streamed."""
        require_role(actor, *REPORTERS, doing="lập báo cáo")
        output_format(out)
        if year_from is not None or year_to is not None:
            _years(year_from or 2000, year_to or 2100)
        q = with_ledger(queries.proposal_select(
            text=fold(f.text), year=f.year, year_from=year_from, year_to=year_to,
            scope=f.scope.value if f.scope else None, status=f.status.value if f.status else None,
            content_code=f.content_code, province_code=f.province_code, establishment_id=f.establishment_id,
            statuses=[x.value for x in f.statuses]))
        columns = [ColumnSpec("STT", Kind.COUNT, 6, total=False, pdf_weight=4),
                   ColumnSpec("Mã đề án", Kind.TEXT, 16, pdf_weight=3),
                   ColumnSpec("Tên đề án", Kind.TEXT, 45, pdf_weight=26),
                   ColumnSpec("Đơn vị thụ hưởng", Kind.TEXT, 30, pdf_weight=18),
                   ColumnSpec("Địa điểm", Kind.TEXT, 28, pdf_weight=15, in_pdf=False),
                   ColumnSpec("Ngành nghề", Kind.TEXT, 18, pdf_weight=10, in_pdf=False),
                   ColumnSpec("Nội dung", Kind.TEXT, 28, pdf_weight=15, in_pdf=False),
                   ColumnSpec("Năm", Kind.COUNT, 7, total=False, pdf_weight=5, in_pdf=False),
                   ColumnSpec("Nguồn", Kind.TEXT, 8, pdf_weight=6, in_pdf=False),
                   ColumnSpec("Bắt đầu", Kind.DATE, 11, pdf_weight=8),
                   ColumnSpec("Kết thúc", Kind.DATE, 11, pdf_weight=8),
                   ColumnSpec("Tổng kinh phí đề nghị", Kind.NUMBER, 16, pdf_weight=11),
                   ColumnSpec("Khuyến công đề nghị", Kind.NUMBER, 16, pdf_weight=11),
                   ColumnSpec("Khuyến công phê duyệt", Kind.NUMBER, 16, pdf_weight=11),
                   ColumnSpec("Đã giải ngân", Kind.NUMBER, 16, pdf_weight=11),
                   ColumnSpec("Khuyến công nghiệm thu", Kind.NUMBER, 16, pdf_weight=11),
                   ColumnSpec("Khuyến công quyết toán", Kind.NUMBER, 16, pdf_weight=11),
                   ColumnSpec("Trạng thái", Kind.TEXT, 16, pdf_weight=5)]
        org = self._organisation.get()
        with self._db.reading() as s:
            lines = []
            if year_from is not None or year_to is not None:
                lines.append(period_text(year_from or year_to or 0, year_to or year_from or 0))
            if f.year is not None:
                lines.append(f"Năm {f.year}")
            lines.append(scope_text(f.scope))
            if f.status:
                lines.append(f"Trạng thái: {f.status.label}")
            if f.statuses:
                lines.append(f"Trạng thái: {', '.join(x.label for x in f.statuses)}")
            if f.content_code:
                lines.append(f"Nội dung: {self._names(s, Content, f.content_code)}")
            if f.province_code:
                lines.append(f"Tỉnh, thành phố: {self._names(s, Province, f.province_code)}")
            if f.establishment_id:
                e = s.get(Establishment, f.establishment_id)
                lines.append(f"Cơ sở thụ hưởng: {e.name if e else f.establishment_id}")
            if f.text.strip():
                lines.append(f"Tìm theo: “{f.text.strip()}”")
            total_rows = queries.count(s, q)
            lines.append(STOPPED_RULE)
            report = TableReport("Danh sách đề án khuyến công", "; ".join(lines), columns,
                                 sheet_name="Danh sách đề án")

            def rows() -> Iterator[list[object]]:
                for i, r in enumerate(_stream(s, q, [Proposal.code, Proposal.id]), start=1):
                    lg = ledger_of_row(r)
                    yield [i, r.code, r.title, r.beneficiary,
                           _location(r.commune_name, r.province_name, r.location_as_recorded), r.sector_name,
                           r.content_name, r.year, Scope(r.scope).short, r.start_date, r.end_date,
                           *_figures(lg, (Stage.REQUESTED, "total"), (Stage.REQUESTED, "support"),
                                     (Stage.APPROVED, "support"), (Stage.DISBURSED, "support"),
                                     (Stage.ACCEPTED, "support"), (Stage.SETTLED, "support")),
                           Status(r.status).label]

            written, totals = write_report(out, report, rows(), org, progress, total_rows)
        return ReportResult(str(out), written, dict(zip(
            ("requested_total", "requested", "approved", "disbursed", "accepted", "settled"),
            (int(totals.get(c, 0)) for c in range(11, 17)), strict=True)))

    # --- establishments ----------------------------------------------------------------------------------------

    def establishments(self, actor: Actor, f: EstablishmentFilter, out: Path | str,
                       progress: Progress | None = None) -> ReportResult:
        """The establishment list with the filters of the Cơ sở screen, in Vietnamese order, streamed."""
        require_role(actor, *REPORTERS, doing="lập báo cáo")
        output_format(out)
        q = queries.establishment_select(text=fold(f.text), province_code=f.province_code,
                                         commune_code=f.commune_code, sector_code=f.sector_code,
                                         legal_form=f.legal_form.value if f.legal_form else None,
                                         include_archived=f.include_archived)
        columns = [ColumnSpec("STT", Kind.COUNT, 6, total=False, pdf_weight=4),
                   ColumnSpec("Tên cơ sở", Kind.TEXT, 40, pdf_weight=24),
                   ColumnSpec("Loại hình", Kind.TEXT, 18, pdf_weight=11),
                   ColumnSpec("Mã số thuế", Kind.TEXT, 14, pdf_weight=10),
                   ColumnSpec("Người đại diện", Kind.TEXT, 22, pdf_weight=13),
                   ColumnSpec("Chức vụ", Kind.TEXT, 14, pdf_weight=9),
                   ColumnSpec("Điện thoại", Kind.TEXT, 13, pdf_weight=9),
                   ColumnSpec("Địa chỉ", Kind.TEXT, 40, pdf_weight=24),
                   ColumnSpec("Ngành nghề", Kind.TEXT, 20, pdf_weight=12),
                   ColumnSpec("Sản phẩm chính", Kind.TEXT, 25, pdf_weight=14),
                   ColumnSpec("Số lao động", Kind.NUMBER, 10, pdf_weight=7),
                   ColumnSpec("Lao động nữ", Kind.NUMBER, 10, pdf_weight=7),
                   ColumnSpec("Ngày thành lập", Kind.DATE, 12, pdf_weight=9),
                   ColumnSpec("Ghi chú", Kind.TEXT, 14, pdf_weight=9)]
        org = self._organisation.get()
        with self._db.reading() as s, streaming_cache(s):  # the count and the rows read every page once
            lines = []
            if f.province_code:
                lines.append(f"Tỉnh, thành phố: {self._names(s, Province, f.province_code)}")
            if f.commune_code:
                commune = s.get(Commune, f.commune_code)
                lines.append(f"Xã, phường: {commune.kind + ' ' + commune.name if commune else f.commune_code}")
            if f.sector_code:
                lines.append(f"Ngành nghề: {self._names(s, Sector, f.sector_code)}")
            if f.legal_form:
                lines.append(f"Loại hình: {LegalForm(f.legal_form).label}")
            if f.text.strip():
                lines.append(f"Tìm theo: “{f.text.strip()}”")
            lines.append("Gồm cả cơ sở đã lưu trữ" if f.include_archived else "Không gồm cơ sở đã lưu trữ")
            lines.append(f"Số liệu đến ngày {format_date(date.today())}")
            total_rows = queries.count(s, q)
            report = TableReport("Danh sách cơ sở công nghiệp nông thôn", "; ".join(lines), columns, unit="",
                                 sheet_name="Danh sách cơ sở")

            def rows() -> Iterator[list[object]]:
                order = [Establishment.name_sort, Establishment.id]
                for i, r in enumerate(_stream(s, q, order), start=1):
                    address = ", ".join(x for x in (r.street, r.commune_name, r.province_name) if x)
                    yield [i, r.name, LegalForm(r.legal_form).label, r.tax_code, r.representative,
                           r.representative_title, r.phone, address or r.address_as_recorded, r.sector_name,
                           r.main_products, r.workers, r.female_workers, r.founded_on,
                           "Đã lưu trữ" if r.archived else ""]

            written, totals = write_report(out, report, rows(), org, progress, total_rows)
        return ReportResult(str(out), written, {"workers": int(totals.get(10, 0)),
                                                "female_workers": int(totals.get(11, 0))})

    # --- implementation and disbursement progress --------------------------------------------------------------

    def progress_report(self, actor: Actor, from_year: int, to_year: int, scope: Scope | None, out: Path | str,
                        progress: Progress | None = None) -> ReportResult:
        """Per approved proposal: approved support, advances, payments, accepted support, what remains."""
        require_role(actor, *REPORTERS, doing="lập báo cáo")
        output_format(out)
        _years(from_year, to_year)
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
                for i, r in enumerate(_stream(s, q, [Proposal.year, Proposal.code, Proposal.id]), start=1):
                    lg = ledger_of_row(r)
                    approved, accepted = _figures(lg, (Stage.APPROVED, "support"), (Stage.ACCEPTED, "support"))
                    beneficiary = r.beneficiary + (f" và {r.n_ben - 1} cơ sở khác" if r.n_ben > 1 else "")
                    yield [i, r.code, r.title, beneficiary, Status(r.status).label, r.contract_number, approved,
                           lg.advanced_vnd, lg.payments_vnd, lg.disbursed_vnd, accepted, lg.remaining_to_disburse_vnd,
                           lg.disbursed_vnd / approved if approved else None, r.progress_percent]

            written, totals = write_report(out, report, rows(), org, progress, total_rows)
        return ReportResult(str(out), written, dict(zip(
            ("approved", "advanced", "paid", "disbursed", "accepted", "remaining"),
            (int(totals.get(c, 0)) for c in range(6, 12)), strict=True)))

    # --- a list as shown on screen ---------------------------------------------------------------------------

    def export_list(self, actor: Actor, path: Path | str, title: str, headers: list[str],
                    rows: Iterable[Sequence[object]], *, numeric_columns: AbstractSet[int] = frozenset(),
                    unsummed_columns: AbstractSet[int] = frozenset(), subtitle: str = "",
                    progress: Progress | None = None, total_rows: int | None = None) -> int:
        """Write a list as the screen shows it (its columns, its filters in ``subtitle``) under the centre's
        letterhead; returns the rows written. The rows come from the services the screen already asked."""
        require_signed_in(actor, doing="xuất danh sách")
        from desktop_app.reports.table_export import export_table

        return export_table(path, title, headers, rows, numeric_columns=numeric_columns,
                            unsummed_columns=unsummed_columns, organisation=self._organisation.get(),
                            subtitle=subtitle, progress=progress, total_rows=total_rows)

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
            for r in _stream(s, ledger_queries.check_select(), [Proposal.id]):
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
                for i, r in enumerate(_stream(s, q, [Proposal.code, Proposal.id]), start=1):
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
        _years(year, year)
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
                sums = [sum(x) for x in zip(*(_split_cells(ledger_of_row(r).requested) for r in block),
                                            strict=True)]
                yield Row([roman(n_group), block[0].content_name if code else UNKNOWN, "", "", "", "", *sums, ""],
                          group=True)
                for j, r in enumerate(block, start=1):
                    beneficiary = r.beneficiary + (f" và {r.n_ben - 1} cơ sở khác" if r.n_ben > 1 else "")
                    yield Row([str(j), r.title, r.implementing_unit, beneficiary,
                               _location(r.commune_name, r.province_name, r.location_as_recorded), when(r),
                               *_split_cells(ledger_of_row(r).requested), Status(r.status).label])

        written, totals = write_report(out, report, rows(), org, progress, len(records))
        return ReportResult(str(out), written, dict(zip(MONEY_KEYS, (int(totals.get(c, 0)) for c in range(6, 10)),
                                                        strict=True)))

    def proposal_count(self, actor: Actor, from_year: int, to_year: int) -> int:
        """How many proposals the years hold (the Báo cáo screen shows it before exporting)."""
        require_role(actor, *REPORTERS, doing="lập báo cáo")
        with self._db.reading() as s:
            return int(s.scalar(select(func.count(Proposal.id)).where(Proposal.year >= from_year,
                                                                      Proposal.year <= to_year)) or 0)
