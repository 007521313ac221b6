"""What the ledger (``domain.ledger``) needs of each proposal, fetched with one grouped subquery per table.

Queries that list proposals (reports, the dashboard, the finance screen) add :func:`with_ledger` to their
select and turn each row into :class:`~desktop_app.domain.ledger.LedgerInputs` with :func:`inputs_of`; the domain
then computes every stage figure. A summary over thousands of proposals instead adds the stage figures up in the
database: :func:`stage_figure` is ``Ledger.stage`` written in SQL over the same ``lg_`` columns, and a test holds
the two to the same answer on random inputs (tests/store/test_ledger_sql.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from desktop_app.domain.enums import Stage, Status
from desktop_app.domain.ledger import Ledger, LedgerInputs, LineMoney, Split, ledger_of, spread_support
from desktop_app.store.models import (
    Acceptance,
    AcceptanceLine,
    BudgetLine,
    Contract,
    Decision,
    Disbursement,
    Proposal,
    Settlement,
)

AnySelect: TypeAlias = "Select[*tuple[Any, ...]]"

# Aliases, so a query that already joins these tables for other columns can still take the ledger's.
LedgerContract = aliased(Contract, name="lg_contract")
LedgerAcceptance = aliased(Acceptance, name="lg_acceptance")
LedgerSettlement = aliased(Settlement, name="lg_settlement")


def _sum(column: Any, owner: Any, key: Any) -> Any:
    """Σ ``column`` of the rows whose ``owner`` is ``key``: a correlated subquery, an index lookup per row, so a
    page of a list costs as little as the whole table of a report."""
    return select(func.sum(column)).where(owner == key).correlate_except(owner.table).scalar_subquery()


def with_ledger(q: AnySelect) -> AnySelect:
    """``q`` (a select from ``proposals``) with the ledger's columns, all prefixed ``lg_``."""
    pid, line = Proposal.id, BudgetLine.proposal_id
    advance = Disbursement.kind == "advance"
    frozen = (select(func.count(BudgetLine.id)).where(line == pid, BudgetLine.approved_support_vnd.is_(None))
              .correlate_except(BudgetLine).scalar_subquery())
    accepted = AcceptanceLine.acceptance_id
    return (
        q.add_columns(
            Proposal.status.label("lg_status"), Proposal.approved_support_vnd.label("lg_approved"),
            _sum(BudgetLine.support_vnd, line, pid).label("lg_rs"),
            _sum(BudgetLine.counterpart_vnd, line, pid).label("lg_rc"),
            _sum(BudgetLine.other_vnd, line, pid).label("lg_ro"),
            _sum(BudgetLine.approved_support_vnd, line, pid).label("lg_as"),
            _sum(BudgetLine.approved_counterpart_vnd, line, pid).label("lg_ac"),
            _sum(BudgetLine.approved_other_vnd, line, pid).label("lg_ao"),
            (frozen == 0).label("lg_frozen"), LedgerContract.value_vnd.label("lg_contract"),
            _sum(case((advance, Disbursement.amount_vnd), else_=0), Disbursement.proposal_id, pid).label("lg_adv"),
            _sum(case((advance, 0), else_=Disbursement.amount_vnd), Disbursement.proposal_id, pid).label("lg_pay"),
            LedgerAcceptance.passed.label("lg_passed"), LedgerAcceptance.signed_off_at.label("lg_signed"),
            _sum(AcceptanceLine.verified_support_vnd, accepted, LedgerAcceptance.id).label("lg_vs"),
            _sum(AcceptanceLine.verified_counterpart_vnd, accepted, LedgerAcceptance.id).label("lg_vc"),
            _sum(AcceptanceLine.verified_other_vnd, accepted, LedgerAcceptance.id).label("lg_vo"),
            LedgerSettlement.settled_support_vnd.label("lg_settled"))
        .outerjoin(LedgerContract, LedgerContract.proposal_id == pid)
        .outerjoin(LedgerAcceptance, LedgerAcceptance.proposal_id == pid)
        .outerjoin(LedgerSettlement, LedgerSettlement.proposal_id == pid)
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


@dataclass(frozen=True)
class StageFigure:
    """One stage's figure of a proposal in SQL: whether it has one (``present``) and its split."""

    present: Any
    support: Any
    counterpart: Any
    other: Any


#: The ``lg_`` columns :func:`stage_figure` reads for each stage (a summary selects only these, once per proposal).
STAGE_COLUMNS: dict[Stage, tuple[str, ...]] = {
    Stage.REQUESTED: ("lg_status", "lg_rs", "lg_rc", "lg_ro"),
    Stage.APPROVED: ("lg_status", "lg_approved", "lg_frozen", "lg_as", "lg_ac", "lg_ao"),
    Stage.CONTRACTED: ("lg_status", "lg_contract"),
    Stage.DISBURSED: ("lg_adv", "lg_pay"),
    Stage.ACCEPTED: ("lg_status", "lg_passed", "lg_signed", "lg_vs", "lg_vc", "lg_vo"),
    Stage.SETTLED: ("lg_status", "lg_settled"),
}


def stage_figure(c: Any, stage: Stage) -> StageFigure:
    """``ledger_of(inputs_of(row)).stage(stage)`` as SQL over the ``lg_`` columns ``c`` of a :func:`with_ledger`
    select (``subquery.c``): a summary sums the split over the rows where ``present`` holds.

    The rules, as ``domain.ledger`` states them: a cancelled proposal requests nothing; a stopped one counts only
    what was disbursed; the approved budget is the frozen lines when they add up to the decided support, else the
    decided support alone; the accepted figure counts once the passed acceptance is signed off.
    """
    zero = literal(0)

    def n(column: Any) -> Any:
        return func.coalesce(column, 0)

    if stage is Stage.REQUESTED:
        return StageFigure(c.lg_status != Status.CANCELLED.value, n(c.lg_rs), n(c.lg_rc), n(c.lg_ro))
    if stage is Stage.DISBURSED:
        paid = n(c.lg_adv) + n(c.lg_pay)
        return StageFigure(paid != 0, paid, zero, zero)
    not_stopped = c.lg_status != Status.STOPPED.value
    if stage is Stage.APPROVED:
        lines = and_(c.lg_frozen.is_(True), n(c.lg_as) == c.lg_approved)  # the frozen lines are the budget
        return StageFigure(and_(not_stopped, c.lg_approved.is_not(None)), c.lg_approved,
                           case((lines, n(c.lg_ac)), else_=0), case((lines, n(c.lg_ao)), else_=0))
    if stage is Stage.CONTRACTED:
        return StageFigure(and_(not_stopped, c.lg_contract.is_not(None)), c.lg_contract, zero, zero)
    if stage is Stage.ACCEPTED:
        return StageFigure(and_(not_stopped, c.lg_passed.is_(True), c.lg_signed.is_not(None)), n(c.lg_vs),
                           n(c.lg_vc), n(c.lg_vo))
    return StageFigure(and_(not_stopped, c.lg_settled.is_not(None)), c.lg_settled, zero, zero)


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


def check_select() -> AnySelect:
    """Every proposal with its ledger columns, its latest approval decision's amount and how many verified lines
    hold more support than their approved line — what ``domain.ledger.problems`` checks."""
    decision = (select(Decision.amount_vnd).where(Decision.proposal_id == Proposal.id,
                                                  Decision.kind.in_(("approval", "ministry")))
                .order_by(Decision.id.desc()).limit(1).correlate(Proposal).scalar_subquery())
    over = (select(func.count()).select_from(AcceptanceLine)
            .join(BudgetLine, BudgetLine.id == AcceptanceLine.budget_line_id)
            .where(BudgetLine.proposal_id == Proposal.id, BudgetLine.approved_support_vnd.is_not(None),
                   AcceptanceLine.verified_support_vnd > BudgetLine.approved_support_vnd)
            .correlate(Proposal).scalar_subquery())
    return with_ledger(select(Proposal.id, Proposal.code, decision.label("decision_vnd"),
                              over.label("lines_over")))
