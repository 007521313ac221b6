"""The list reports: proposals and establishments with their screens' filters, and any list as shown on screen."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.domain.enums import LegalForm, Scope, Stage, Status
from desktop_app.domain.vietnamese import fold, format_date
from desktop_app.progress import Progress
from desktop_app.reports.table_export import export_table
from desktop_app.reports.tabular import TableReport, output_format, write_report
from desktop_app.reports.xlsx import ColumnSpec, Kind
from desktop_app.services.auth import Actor, require_role, require_signed_in
from desktop_app.services.dto import EstablishmentFilter, ProposalFilter, ReportResult
from desktop_app.services.organisation import OrganisationService
from desktop_app.services.report_common import (
    REPORTERS,
    STOPPED_RULE,
    check_years,
    figures,
    location_text,
    period_text,
    scope_text,
    stream_rows,
)
from desktop_app.store import queries
from desktop_app.store.database import Database, streaming_cache
from desktop_app.store.ledger_queries import ledger_of_row, with_ledger
from desktop_app.store.models import Commune, Content, Establishment, Proposal, Province, Sector


class ListReports:
    """The list reports (part of :class:`~desktop_app.services.reports.ReportService`)."""

    _db: Database
    _organisation: OrganisationService

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
            check_years(year_from or 2000, year_to or 2100)
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
                for i, r in enumerate(stream_rows(s, q, [Proposal.code, Proposal.id]), start=1):
                    lg = ledger_of_row(r)
                    yield [i, r.code, r.title, r.beneficiary,
                           location_text(r.commune_name, r.province_name, r.location_as_recorded), r.sector_name,
                           r.content_name, r.year, Scope(r.scope).short, r.start_date, r.end_date,
                           *figures(lg, (Stage.REQUESTED, "total"), (Stage.REQUESTED, "support"),
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
                for i, r in enumerate(stream_rows(s, q, order), start=1):
                    address = ", ".join(x for x in (r.street, r.commune_name, r.province_name) if x)
                    yield [i, r.name, LegalForm(r.legal_form).label, r.tax_code, r.representative,
                           r.representative_title, r.phone, address or r.address_as_recorded, r.sector_name,
                           r.main_products, r.workers, r.female_workers, r.founded_on,
                           "Đã lưu trữ" if r.archived else ""]

            written, totals = write_report(out, report, rows(), org, progress, total_rows)
        return ReportResult(str(out), written, {"workers": int(totals.get(10, 0)),
                                                "female_workers": int(totals.get(11, 0))})

    # --- a list as shown on screen ---------------------------------------------------------------------------

    def export_list(self, actor: Actor, path: Path | str, title: str, headers: list[str],
                    rows: Iterable[Sequence[object]], *, numeric_columns: AbstractSet[int] = frozenset(),
                    unsummed_columns: AbstractSet[int] = frozenset(), subtitle: str = "",
                    progress: Progress | None = None, total_rows: int | None = None) -> int:
        """Write a list as the screen shows it (its columns, its filters in ``subtitle``) under the centre's
        letterhead; returns the rows written. The rows come from the services the screen already asked."""
        require_signed_in(actor, doing="xuất danh sách")
        return export_table(path, title, headers, rows, numeric_columns=numeric_columns,
                            unsummed_columns=unsummed_columns, organisation=self._organisation.get(),
                            subtitle=subtitle, progress=progress, total_rows=total_rows)
