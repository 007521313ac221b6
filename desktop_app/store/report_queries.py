"""The queries behind the summary reports (SQLAlchemy Core): funding by group, disbursement progress, registration.

Money totals are the sums of each proposal's budget lines (the dự toán: total cost, khuyến công support,
counterpart, other sources); disbursed amounts are the sums of advances and payments. Grouping is done in SQL;
the reports sort the groups in Vietnamese order afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, String, case, cast, func, literal, select
from sqlalchemy.orm import Session, aliased

from desktop_app.store.models import (
    Acceptance,
    AcceptanceLine,
    BudgetLine,
    Commune,
    Content,
    Contract,
    Disbursement,
    Establishment,
    LegacyProvince,
    LegacyWard,
    ProgressReport,
    Proposal,
    ProposalBeneficiary,
    Province,
    Sector,
)

GROUPS = ("year", "province", "commune", "sector", "content", "scope")


def money_subquery() -> Any:
    """Per proposal: total cost, support, counterpart, other (sums of the budget lines)."""
    return (
        select(BudgetLine.proposal_id.label("pid"),
               func.sum(BudgetLine.support_vnd + BudgetLine.counterpart_vnd + BudgetLine.other_vnd).label("total"),
               func.sum(BudgetLine.support_vnd).label("support"),
               func.sum(BudgetLine.counterpart_vnd).label("counterpart"),
               func.sum(BudgetLine.other_vnd).label("other"))
        .group_by(BudgetLine.proposal_id)
        .subquery("money")
    )


def disbursed_subquery() -> Any:
    """Per proposal: advances and payments."""
    return (
        select(Disbursement.proposal_id.label("pid"),
               func.sum(case((Disbursement.kind == "advance", Disbursement.amount_vnd), else_=0)).label("advanced"),
               func.sum(case((Disbursement.kind == "payment", Disbursement.amount_vnd), else_=0)).label("paid"))
        .group_by(Disbursement.proposal_id)
        .subquery("disbursed")
    )


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


def funding_select(*, year_from: int, year_to: int, scope: str | None, statuses: Sequence[str],
                   by: Sequence[str], as_recorded: bool) -> Select[Any]:
    """Number of proposals and the money sums per group; for each key of ``by`` a ``k<i>`` code and ``l<i>`` label
    column (null when the proposal has no value for that key).

    ``as_recorded`` groups provinces and communes as they were recorded (the pre-2025 ward's province when the
    proposal has a legacy ward code) instead of the current ones. A place recorded before the reform whose old
    ward was not matched is its own group, named as such with today's province; a place recorded after it is
    marked as today's unit, so an old and a new province of one name never make two groups that read alike.
    """
    money = money_subquery()
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
    columns: list[Any] = []
    for i, (code, label) in enumerate(keys):
        columns += [code.label(f"k{i}"), label.label(f"l{i}")]
    columns += [func.count(Proposal.id).label("n"), func.coalesce(func.sum(money.c.total), 0).label("total"),
                func.coalesce(func.sum(money.c.support), 0).label("support"),
                func.coalesce(func.sum(money.c.counterpart), 0).label("counterpart"),
                func.coalesce(func.sum(money.c.other), 0).label("other")]
    q = (
        select(*columns)
        .select_from(Proposal)
        .outerjoin(money, money.c.pid == Proposal.id)
        .outerjoin(Province, Province.code == Proposal.province_code)
        .outerjoin(Commune, Commune.code == Proposal.commune_code)
        .outerjoin(Sector, Sector.code == Proposal.sector_code)
        .outerjoin(Content, Content.code == Proposal.content_code)
        .outerjoin(top, top.code == func.coalesce(Content.parent_code, Content.code))
        .outerjoin(ward, ward.code == Proposal.legacy_ward_code)
        .outerjoin(old_province, old_province.code == ward.province_code)
        .where(Proposal.year >= year_from, Proposal.year <= year_to, Proposal.status.in_(list(statuses)))
    )
    if scope:
        q = q.where(Proposal.scope == scope)
    group: list[Any] = []
    for code, label in keys:
        group += [code, label]
    return q.group_by(*group)


def progress_select(*, year_from: int, year_to: int, scope: str | None, statuses: Sequence[str]) -> Select[Any]:
    """Per approved proposal: approved support, contract, advances, payments, accepted support and latest progress."""
    paid = disbursed_subquery()
    accepted = (
        select(Acceptance.proposal_id.label("pid"),
               func.sum(AcceptanceLine.verified_support_vnd).label("accepted"),
               func.max(case((Acceptance.signed_off_at.is_not(None), 1), else_=0)).label("signed"))
        .join(AcceptanceLine, AcceptanceLine.acceptance_id == Acceptance.id)
        .group_by(Acceptance.proposal_id)
        .subquery("accepted")
    )
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
               func.coalesce(Proposal.approved_support_vnd, 0).label("approved"),
               func.coalesce(paid.c.advanced, 0).label("advanced"), func.coalesce(paid.c.paid, 0).label("paid"),
               accepted.c.accepted, func.coalesce(accepted.c.signed, 0).label("signed"),
               report.progress_percent)
        .outerjoin(paid, paid.c.pid == Proposal.id)
        .outerjoin(accepted, accepted.c.pid == Proposal.id)
        .outerjoin(Contract, Contract.proposal_id == Proposal.id)
        .outerjoin(latest, latest.c.pid == Proposal.id)
        .outerjoin(report, (report.proposal_id == Proposal.id)
                   & (report.year * 100 + report.month == latest.c.period))
        .outerjoin(ben, ben.c.pid == Proposal.id)
        .outerjoin(beneficiary, beneficiary.id == ben.c.eid)
        .where(Proposal.year >= year_from, Proposal.year <= year_to, Proposal.status.in_(list(statuses)))
    )
    if scope:
        q = q.where(Proposal.scope == scope)
    return q


def registration_select(*, year: int, scope: str, excluded_statuses: Sequence[str]) -> Select[Any]:
    """The proposals registered for ``year`` with their top-level content, place, dates and money."""
    money = money_subquery()
    top = aliased(Content)
    ben = first_beneficiary()
    beneficiary = aliased(Establishment)
    return (
        select(Proposal.id, Proposal.code, Proposal.title, Proposal.status, Proposal.implementing_unit,
               func.coalesce(beneficiary.name, "").label("beneficiary"), func.coalesce(ben.c.n, 0).label("n_ben"),
               func.coalesce(top.code, "").label("content_code"), func.coalesce(top.name, "").label("content_name"),
               func.coalesce(top.sort_order, 0).label("content_order"),
               func.coalesce(Commune.kind + literal(" ") + Commune.name, "").label("commune_name"),
               func.coalesce(Province.name, "").label("province_name"), Proposal.location_as_recorded,
               Proposal.start_date, Proposal.end_date,
               func.coalesce(money.c.total, 0).label("total"), func.coalesce(money.c.support, 0).label("support"),
               func.coalesce(money.c.counterpart, 0).label("counterpart"),
               func.coalesce(money.c.other, 0).label("other"))
        .outerjoin(money, money.c.pid == Proposal.id)
        .outerjoin(Content, Content.code == Proposal.content_code)
        .outerjoin(top, top.code == func.coalesce(Content.parent_code, Content.code))
        .outerjoin(Province, Province.code == Proposal.province_code)
        .outerjoin(Commune, Commune.code == Proposal.commune_code)
        .outerjoin(ben, ben.c.pid == Proposal.id)
        .outerjoin(beneficiary, beneficiary.id == ben.c.eid)
        .where(Proposal.year == year, Proposal.scope == scope, Proposal.status.not_in(list(excluded_statuses)))
    )


def run(session: Session, query: Select[Any], order: Sequence[Any] = ()) -> list[Any]:
    return list(session.execute(query.order_by(*order) if order else query))
