"""Yearly plans (kế hoạch khuyến công) per scope: the allocated envelope and how much of it is committed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from desktop_app.domain.enums import Role, Scope, Stage
from desktop_app.domain.errors import ConflictError, ValidationError
from desktop_app.domain.vietnamese import normalize
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
