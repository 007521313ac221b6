"""What the ledger (``domain.ledger``) needs of each proposal, fetched with one grouped subquery per table.

Queries that list proposals (reports, the dashboard, the finance screen) add :func:`ledger_columns` to their
select and turn each row into :class:`~desktop_app.domain.ledger.LedgerInputs` with :func:`inputs_of`; the domain
then computes every stage figure. Nothing here adds up money for a stage: it only sums each table per proposal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import Status
from desktop_app.domain.ledger import Ledger, LedgerInputs, LineMoney, Split, ledger_of, spread_support
from desktop_app.store.models import (
    Acceptance,
    AcceptanceLine,
    BudgetLine,
    Contract,
    Disbursement,
    Proposal,
    Settlement,
)


@dataclass(frozen=True)
class LedgerSubqueries:
    lines: Any
    paid: Any
    accepted: Any


def subqueries() -> LedgerSubqueries:
    lines = (
        select(BudgetLine.proposal_id.label("pid"),
               func.sum(BudgetLine.support_vnd).label("rs"), func.sum(BudgetLine.counterpart_vnd).label("rc"),
               func.sum(BudgetLine.other_vnd).label("ro"),
               func.sum(BudgetLine.approved_support_vnd).label("as_"),
               func.sum(BudgetLine.approved_counterpart_vnd).label("ac"),
               func.sum(BudgetLine.approved_other_vnd).label("ao"),
               (func.count(BudgetLine.approved_support_vnd) == func.count()).label("frozen"))
        .group_by(BudgetLine.proposal_id).subquery("ledger_lines")
    )
    paid = (
        select(Disbursement.proposal_id.label("pid"),
               func.sum(case((Disbursement.kind == "advance", Disbursement.amount_vnd), else_=0)).label("adv"),
               func.sum(case((Disbursement.kind == "advance", 0), else_=Disbursement.amount_vnd)).label("pay"))
        .group_by(Disbursement.proposal_id).subquery("ledger_paid")
    )
    accepted = (
        select(AcceptanceLine.acceptance_id.label("aid"),
               func.sum(AcceptanceLine.verified_support_vnd).label("vs"),
               func.sum(AcceptanceLine.verified_counterpart_vnd).label("vc"),
               func.sum(AcceptanceLine.verified_other_vnd).label("vo"))
        .group_by(AcceptanceLine.acceptance_id).subquery("ledger_accepted")
    )
    return LedgerSubqueries(lines, paid, accepted)


def with_ledger(q: Select[Any]) -> Select[Any]:
    """``q`` (a select from ``proposals``) with the ledger's columns, all prefixed ``lg_``."""
    sq = subqueries()
    return (
        q.add_columns(
            Proposal.status.label("lg_status"), Proposal.approved_support_vnd.label("lg_approved"),
            sq.lines.c.rs.label("lg_rs"), sq.lines.c.rc.label("lg_rc"), sq.lines.c.ro.label("lg_ro"),
            sq.lines.c.as_.label("lg_as"), sq.lines.c.ac.label("lg_ac"), sq.lines.c.ao.label("lg_ao"),
            sq.lines.c.frozen.label("lg_frozen"), Contract.value_vnd.label("lg_contract"),
            sq.paid.c.adv.label("lg_adv"), sq.paid.c.pay.label("lg_pay"),
            Acceptance.passed.label("lg_passed"), Acceptance.signed_off_at.label("lg_signed"),
            sq.accepted.c.vs.label("lg_vs"), sq.accepted.c.vc.label("lg_vc"), sq.accepted.c.vo.label("lg_vo"),
            Settlement.settled_support_vnd.label("lg_settled"))
        .outerjoin(sq.lines, sq.lines.c.pid == Proposal.id)
        .outerjoin(Contract, Contract.proposal_id == Proposal.id)
        .outerjoin(sq.paid, sq.paid.c.pid == Proposal.id)
        .outerjoin(Acceptance, Acceptance.proposal_id == Proposal.id)
        .outerjoin(sq.accepted, sq.accepted.c.aid == Acceptance.id)
        .outerjoin(Settlement, Settlement.proposal_id == Proposal.id)
    )


def _int(value: Any) -> int:
    return int(value or 0)


def inputs_of(r: Any) -> LedgerInputs:
    """The ledger inputs of one row of a :func:`with_ledger` select."""
    approved = (Split(_int(r.lg_as), _int(r.lg_ac), _int(r.lg_ao))
                if r.lg_approved is not None and r.lg_frozen else None)
    accepted = Split(_int(r.lg_vs), _int(r.lg_vc), _int(r.lg_vo)) if r.lg_passed is not None else None
    return LedgerInputs(
        status=Status(r.lg_status), requested=Split(_int(r.lg_rs), _int(r.lg_rc), _int(r.lg_ro)),
        approved_support_vnd=None if r.lg_approved is None else int(r.lg_approved), approved=approved,
        contract_value_vnd=None if r.lg_contract is None else int(r.lg_contract),
        advanced_vnd=_int(r.lg_adv), paid_vnd=_int(r.lg_pay), accepted=accepted,
        acceptance_passed=r.lg_passed, acceptance_signed=r.lg_signed is not None,
        settled_support_vnd=None if r.lg_settled is None else int(r.lg_settled))


def ledger_of_row(r: Any) -> Ledger:
    return ledger_of(inputs_of(r))


def proposal_ledger(s: Session, proposal_id: int) -> Ledger:
    """The ledger of one proposal with its lines (requested, approved and accepted per line)."""
    row = s.execute(with_ledger(select(Proposal.id)).where(Proposal.id == proposal_id)).one()
    accepted = {x.budget_line_id: Split(x.verified_support_vnd, x.verified_counterpart_vnd, x.verified_other_vnd)
                for x in s.execute(select(AcceptanceLine).join(Acceptance)
                                   .where(Acceptance.proposal_id == proposal_id)).scalars()}
    inputs = inputs_of(row)
    rows = list(s.scalars(select(BudgetLine).where(BudgetLine.proposal_id == proposal_id)
                          .order_by(BudgetLine.position, BudgetLine.id)))
    requested = [Split(bl.support_vnd, bl.counterpart_vnd, bl.other_vnd) for bl in rows]
    approved: list[Split | None] = [None] * len(rows)
    if inputs.approved is not None:
        approved = [Split(bl.approved_support_vnd or 0, bl.approved_counterpart_vnd or 0, bl.approved_other_vnd or 0)
                    for bl in rows]
    elif inputs.approved_support_vnd is not None and 0 < inputs.approved_support_vnd <= sum(
            x.support_vnd for x in requested):
        # Approved before budgets were frozen per line: the same spread the upgrade applies.
        approved = list(spread_support(requested, inputs.approved_support_vnd))
    lines = [LineMoney(bl.id, bl.item, req, appr, accepted.get(bl.id) if inputs.accepted is not None else None)
             for bl, req, appr in zip(rows, requested, approved, strict=True)]
    return ledger_of(inputs, lines)
