"""The queries behind the summary reports (SQLAlchemy Core): funding by group, disbursement progress, registration.

Money comes from the ledger only: each query carries ``ledger_queries.with_ledger``'s columns, and the reports
ask ``domain.ledger`` for the stage figure of each proposal — or, for the funding summary's sums over thousands of
proposals, its SQL twin ``ledger_queries.stage_figure``; the reports sort the groups in Vietnamese order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, String, case, cast, func, literal, select
from sqlalchemy.orm import Session, aliased

from desktop_app.domain.enums import Stage
from desktop_app.store.ledger_queries import STAGE_COLUMNS, stage_figure, with_ledger
from desktop_app.store.models import (
    Acceptance,
    Commune,
    Content,
    Contract,
    Establishment,
    LegacyProvince,
    LegacyWard,
    Liquidation,
    ProgressReport,
    Proposal,
    ProposalBeneficiary,
    Province,
    Sector,
)

GROUPS = ("year", "province", "commune", "sector", "content", "scope")


def first_beneficiary() -> Any:
    """Per proposal: the first beneficiary's id and the number of beneficiaries."""
    return (
        select(ProposalBeneficiary.proposal_id.label("pid"),
               func.min(ProposalBeneficiary.establishment_id).label("eid"), func.count().label("n"))
        .group_by(ProposalBeneficiary.proposal_id)
        .subquery("ben")
    )


def _text(value: Any) -> Any:
    return cast(value, String)


def funding_select(*, year_from: int, year_to: int, scope: str | None, by: Sequence[str],
                   as_recorded: bool) -> Select[Any]:
    """One row per proposal of the years: for each key of ``by`` a ``k<i>`` code and ``l<i>`` label column (null when
    the proposal has no value for that key), and the ledger's columns (``ledger_queries.with_ledger``). The service
    asks the ledger for each proposal's stage figure and adds the groups up.

    ``as_recorded`` groups provinces and communes as they were recorded (the pre-2025 ward's province when the
    proposal has a legacy ward code) instead of the current ones. A place recorded before the reform whose old
    ward was not matched is its own group, named as such with today's province; a place recorded after it is
    marked as today's unit, so an old and a new province of one name never make two groups that read alike.
    """
    ward = aliased(LegacyWard)
    old_province = aliased(LegacyProvince)
    top = aliased(Content)
    old = ward.code.is_not(None)
    unmatched = (func.coalesce(Proposal.location_as_recorded, "") != "") & ward.code.is_(None)
    unmatched_label = literal("Địa bàn cũ chưa đối chiếu được, nay thuộc ") + Province.name
    keys: list[tuple[Any, Any]] = []
    for key in by:
        if key == "year":
            keys.append((Proposal.year, _text(Proposal.year)))
        elif key == "scope":
            keys.append((Proposal.scope, Proposal.scope))
        elif key == "province":
            current: tuple[Any, Any] = (literal("P") + Province.code, Province.name)
            if as_recorded:
                keys.append((case((old, literal("L") + old_province.code), (unmatched, literal("U") + Province.code),
                                  else_=current[0]),
                             case((old, old_province.name), (unmatched, unmatched_label),
                                  else_=Province.name + literal(" (địa giới từ 01/7/2025)"))))
            else:
                keys.append(current)
        elif key == "commune":
            current = (literal("C") + Commune.code, Commune.kind + literal(" ") + Commune.name + literal(", ")
                       + Province.name)
            if as_recorded:
                keys.append((case((old, literal("W") + ward.code), (unmatched, literal("U") + Province.code),
                                  else_=current[0]),
                             case((old, ward.kind + literal(" ") + ward.name + literal(", ") + old_province.name),
                                  (unmatched, unmatched_label), else_=current[1])))
            else:
                keys.append(current)
        elif key == "sector":
            keys.append((Proposal.sector_code, Sector.name))
        elif key == "content":
            keys.append((top.code, top.name))
        else:
            raise ValueError(f"unknown grouping {key!r}")
    columns: list[Any] = [Proposal.id]
    for i, (code, label) in enumerate(keys):
        columns += [code.label(f"k{i}"), label.label(f"l{i}")]
    q = (
        select(*columns)
        .select_from(Proposal)
        .outerjoin(Province, Province.code == Proposal.province_code)
        .outerjoin(Commune, Commune.code == Proposal.commune_code)
        .outerjoin(Sector, Sector.code == Proposal.sector_code)
        .outerjoin(Content, Content.code == Proposal.content_code)
        .outerjoin(top, top.code == func.coalesce(Content.parent_code, Content.code))
        .outerjoin(ward, ward.code == Proposal.legacy_ward_code)
        .outerjoin(old_province, old_province.code == ward.province_code)
        .where(Proposal.year >= year_from, Proposal.year <= year_to)
    )
    if scope:
        q = q.where(Proposal.scope == scope)
    return with_ledger(q)


def funding_totals(*, year_from: int, year_to: int, scope: str | None, by: Sequence[str], as_recorded: bool,
                   stage: Stage) -> Select[Any]:
    """The funding summary's groups in one query: per group of ``by`` its ``k<i>`` codes, ``l<i>`` labels, the
    number ``n`` of proposals with a ``stage`` figure and the sums ``total``, ``support``, ``counterpart`` and
    ``other`` of those figures (the ledger's rule, :func:`~desktop_app.store.ledger_queries.stage_figure`, applied
    to each proposal of :func:`funding_select`)."""
    every = funding_select(year_from=year_from, year_to=year_to, scope=scope, by=by,
                           as_recorded=as_recorded).subquery("per_proposal")
    # The proposals with a figure at this stage, with only the columns the stage needs, each computed once per
    # proposal: ``OFFSET 0`` keeps SQLite and PostgreSQL from merging this select into the aggregate, where every
    # use of a column would run its subquery again.
    rows = (select(*(every.c[f"k{i}"] for i in range(len(by))), *(every.c[f"l{i}"] for i in range(len(by))),
                   *(every.c[name] for name in STAGE_COLUMNS[stage]))
            .where(stage_figure(every.c, stage).present).offset(0).subquery("figures"))
    figure = stage_figure(rows.c, stage)
    keys = [rows.c[f"k{i}"] for i in range(len(by))]
    labels = [func.min(rows.c[f"l{i}"]).label(f"l{i}") for i in range(len(by))]
    support, counterpart, other = (func.coalesce(func.sum(x), 0) for x in
                                   (figure.support, figure.counterpart, figure.other))
    return (select(*keys, *labels, func.count().label("n"), (support + counterpart + other).label("total"),
                   support.label("support"), counterpart.label("counterpart"), other.label("other"))
            .group_by(*keys))


def progress_select(*, year_from: int, year_to: int, scope: str | None) -> Select[Any]:
    """Every proposal that was approved (stopped ones included), with its contract number, latest progress and the
    ledger's columns."""
    latest = (
        select(ProgressReport.proposal_id.label("pid"),
               func.max(ProgressReport.year * 100 + ProgressReport.month).label("period"))
        .group_by(ProgressReport.proposal_id)
        .subquery("latest")
    )
    report = aliased(ProgressReport)
    ben = first_beneficiary()
    beneficiary = aliased(Establishment)
    q = (
        select(Proposal.id, Proposal.code, Proposal.title, Proposal.year, Proposal.scope, Proposal.status,
               func.coalesce(beneficiary.name, "").label("beneficiary"), func.coalesce(ben.c.n, 0).label("n_ben"),
               func.coalesce(Contract.number, "").label("contract_number"), Contract.signed_on,
               report.progress_percent)
        .outerjoin(Contract, Contract.proposal_id == Proposal.id)
        .outerjoin(latest, latest.c.pid == Proposal.id)
        .outerjoin(report, (report.proposal_id == Proposal.id)
                   & (report.year * 100 + report.month == latest.c.period))
        .outerjoin(ben, ben.c.pid == Proposal.id)
        .outerjoin(beneficiary, beneficiary.id == ben.c.eid)
        .where(Proposal.year >= year_from, Proposal.year <= year_to, Proposal.approved_support_vnd.is_not(None))
    )
    if scope:
        q = q.where(Proposal.scope == scope)
    return with_ledger(q)


def review_select() -> Select[Any]:
    """Proposals whose acceptance is marked for review, with the liquidation value recorded before."""
    return with_ledger(
        select(Proposal.id, Proposal.code, Proposal.title, Proposal.status, Acceptance.review_note,
               Liquidation.accepted_value_vnd.label("liquidated"))
        .join(Acceptance, Acceptance.proposal_id == Proposal.id)
        .outerjoin(Liquidation, Liquidation.proposal_id == Proposal.id)
        .where(Acceptance.needs_review.is_(True))
    )


def registration_select(*, year: int, scope: str, statuses: Sequence[str]) -> Select[Any]:
    """The proposals registered for ``year`` with their top-level content, place, dates and the ledger's columns."""
    top = aliased(Content)
    ben = first_beneficiary()
    beneficiary = aliased(Establishment)
    return with_ledger(
        select(Proposal.id, Proposal.code, Proposal.title, Proposal.status, Proposal.implementing_unit,
               func.coalesce(beneficiary.name, "").label("beneficiary"), func.coalesce(ben.c.n, 0).label("n_ben"),
               func.coalesce(top.code, "").label("content_code"), func.coalesce(top.name, "").label("content_name"),
               func.coalesce(top.sort_order, 0).label("content_order"),
               func.coalesce(Commune.kind + literal(" ") + Commune.name, "").label("commune_name"),
               func.coalesce(Province.name, "").label("province_name"), Proposal.location_as_recorded,
               Proposal.start_date, Proposal.end_date)
        .outerjoin(Content, Content.code == Proposal.content_code)
        .outerjoin(top, top.code == func.coalesce(Content.parent_code, Content.code))
        .outerjoin(Province, Province.code == Proposal.province_code)
        .outerjoin(Commune, Commune.code == Proposal.commune_code)
        .outerjoin(ben, ben.c.pid == Proposal.id)
        .outerjoin(beneficiary, beneficiary.id == ben.c.eid)
        .where(Proposal.year == year, Proposal.scope == scope, Proposal.status.in_(list(statuses)))
    )


def run(session: Session, query: Select[Any], order: Sequence[Any] = ()) -> list[Any]:
    return list(session.execute(query.order_by(*order) if order else query))
