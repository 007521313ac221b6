"""Yearly plans (kế hoạch khuyến công) per scope: the allocated envelope and how much of it is committed, and the
year's plan screen: against the envelope, each stage of the money of the year's proposals, as the ledger gives it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from desktop_app.domain.enums import Role, Scope, Stage, Status
from desktop_app.domain.errors import ConflictError, ValidationError
from desktop_app.domain.vietnamese import format_vnd, normalize
from desktop_app.services import audit
from desktop_app.services.auth import Actor, require_role, require_signed_in
from desktop_app.store.database import Database
from desktop_app.store.ledger_queries import ledger_of_row, with_ledger
from desktop_app.store.models import Plan, Proposal


@dataclass(frozen=True)
class PlanView:
    id: int | None
    year: int
    scope: Scope
    allocated_vnd: int
    committed_vnd: int
    decision_number: str
    decision_date: date | None
    version: int

    @property
    def remaining_vnd(self) -> int:
        return self.allocated_vnd - self.committed_vnd


@dataclass(frozen=True)
class PlanProposalRow:
    """One proposal of the year's plan with its stage figures (khuyến công support; ``None``: not at that stage)."""

    id: int
    code: str
    title: str
    status: Status
    requested_vnd: int | None
    approved_vnd: int | None
    disbursed_vnd: int | None
    settled_vnd: int | None


@dataclass(frozen=True)
class YearPlanView:
    """The year's plan for one scope: the envelope and its decision, and against it the ledger's stage totals.

    Each total is Σ of the ledger's stage figure (khuyến công support) over the year's proposals of the scope, so
    the same rule holds as in every report: a cancelled proposal requests nothing, a stopped one counts only what was
    disbursed.
    """

    plan: PlanView
    requested_vnd: int
    approved_vnd: int
    disbursed_vnd: int
    settled_vnd: int
    to_disburse_vnd: int
    proposals: tuple[PlanProposalRow, ...]

    @property
    def remaining_vnd(self) -> int:
        """What the envelope still holds after the approvals (negative: approvals pass it)."""
        return self.plan.allocated_vnd - self.approved_vnd

    @property
    def warning(self) -> str | None:
        """Why the approvals do not fit the envelope, in words; ``None`` when they do."""
        if self.approved_vnd <= self.plan.allocated_vnd:
            return None
        label = f"năm {self.plan.year} ({self.plan.scope.short})"
        if self.plan.id is None:
            return (f"Chưa giao kế hoạch kinh phí {label} nhưng đã phê duyệt {format_vnd(self.approved_vnd)} đồng "
                    "kinh phí khuyến công.")
        return (f"Kinh phí phê duyệt {format_vnd(self.approved_vnd)} đồng vượt kinh phí được giao "
                f"{format_vnd(self.plan.allocated_vnd)} đồng của kế hoạch {label}: vượt "
                f"{format_vnd(self.approved_vnd - self.plan.allocated_vnd)} đồng.")


class PlanService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def plans(self, actor: Actor, year: int | None = None) -> list[PlanView]:
        """Plans (and years with approved proposals but no plan yet), newest year first."""
        require_signed_in(actor, doing="xem kế hoạch kinh phí")
        with self._db.reading() as s:
            # The ledger's approved figure: a stopped proposal's approval no longer counts against the envelope.
            committed: dict[tuple[int, str], int] = {}
            q = with_ledger(select(Proposal.year, Proposal.scope).where(Proposal.approved_support_vnd.is_not(None)))
            for r in s.execute(q):
                approved = ledger_of_row(r).stage(Stage.APPROVED)
                if approved is not None:
                    key = (int(r.year), r.scope)
                    committed[key] = committed.get(key, 0) + approved.support_vnd
            views = {}
            for p in s.scalars(select(Plan)):
                views[(p.year, p.scope)] = PlanView(p.id, p.year, Scope(p.scope), p.allocated_vnd,
                                                    committed.get((p.year, p.scope), 0), p.decision_number,
                                                    p.decision_date, p.version)
            for (y, sc), v in committed.items():
                views.setdefault((y, sc), PlanView(None, y, Scope(sc), 0, v, "", None, 0))
        rows = [v for v in views.values() if year is None or v.year == year]
        return sorted(rows, key=lambda v: (-v.year, v.scope.value))

    def save(self, actor: Actor, year: int, scope: Scope, allocated_vnd: int, decision_number: str = "",
             decision_date: date | None = None, version: int | None = None) -> PlanView:
        """Set the year's envelope for a scope (managers and administrators)."""
        require_role(actor, Role.MANAGER, Role.ADMIN, doing="giao kế hoạch kinh phí")
        if not 2000 <= year <= 2100:
            raise ValidationError("Năm kế hoạch phải trong khoảng 2000–2100.", field="year")
        if isinstance(allocated_vnd, bool) or not isinstance(allocated_vnd, int) or allocated_vnd < 0:
            raise ValidationError("Kinh phí được giao phải là số nguyên đồng không âm.", field="allocated_vnd")
        with self._db.transaction() as s:
            plan = s.scalar(select(Plan).where(Plan.year == year, Plan.scope == scope.value))
            if plan is None:
                plan = Plan(year=year, scope=scope.value, allocated_vnd=allocated_vnd, version=1)
                s.add(plan)
                before = None
            else:
                if version is not None and version != plan.version:
                    raise ConflictError("Kế hoạch vừa được người khác sửa; hãy tải lại.")
                before = audit.snapshot(plan, ("allocated_vnd", "decision_number", "decision_date"))
            plan.allocated_vnd = allocated_vnd
            plan.decision_number = normalize(decision_number)
            plan.decision_date = decision_date
            s.flush()
            audit.record(s, actor, "update" if before else "create", "plan", plan.id, before,
                         audit.snapshot(plan, ("allocated_vnd", "decision_number", "decision_date")))
        return next(p for p in self.plans(actor, year) if p.scope is scope)

    def year_plan(self, actor: Actor, year: int, scope: Scope) -> YearPlanView:
        """The year's plan for ``scope``: envelope, decision, the ledger's requested, approved, disbursed and settled
        support summed over the year's proposals, what remains, and the proposals themselves (by code)."""
        require_role(actor, Role.STAFF, Role.MANAGER, Role.ADMIN, doing="xem kế hoạch năm")
        with self._db.reading() as s:
            plan = s.scalar(select(Plan).where(Plan.year == year, Plan.scope == scope.value))
            q = with_ledger(select(Proposal.id, Proposal.code, Proposal.title)
                            .where(Proposal.year == year, Proposal.scope == scope.value)
                            .order_by(Proposal.code))
            rows = []
            for r in s.execute(q):
                lg = ledger_of_row(r)
                figures = [lg.stage(stage) for stage in (Stage.REQUESTED, Stage.APPROVED, Stage.DISBURSED,
                                                         Stage.SETTLED)]
                rows.append((PlanProposalRow(int(r.id), r.code, r.title, lg.status,
                                             *[f.support_vnd if f is not None else None for f in figures]),
                             lg.remaining_to_disburse_vnd))
            committed = sum(x.approved_vnd or 0 for x, _ in rows)
            view = (PlanView(plan.id, year, scope, plan.allocated_vnd, committed, plan.decision_number,
                             plan.decision_date, plan.version) if plan is not None
                    else PlanView(None, year, scope, 0, committed, "", None, 0))
        return YearPlanView(
            view, requested_vnd=sum(x.requested_vnd or 0 for x, _ in rows), approved_vnd=committed,
            disbursed_vnd=sum(x.disbursed_vnd or 0 for x, _ in rows),
            settled_vnd=sum(x.settled_vnd or 0 for x, _ in rows), to_disburse_vnd=sum(left for _, left in rows),
            proposals=tuple(x for x, _ in rows))

    def years(self, actor: Actor) -> list[int]:
        """Years that have a plan or a proposal, newest first (for the year picker)."""
        require_signed_in(actor, doing="xem kế hoạch năm")
        with self._db.reading() as s:
            found = set(s.scalars(select(Plan.year).distinct())) | set(s.scalars(select(Proposal.year).distinct()))
        return sorted((int(y) for y in found), reverse=True)
