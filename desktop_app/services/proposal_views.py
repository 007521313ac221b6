"""What the proposal use cases return: the full view of a proposal and a list row, and who may read them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.domain.budget import rule_date, totals
from desktop_app.domain.enums import Outcome, ProposalForm, Role, Scope, Status
from desktop_app.domain.ledger import Split
from desktop_app.services import transitions
from desktop_app.services.dto import (
    BeneficiaryView,
    BudgetLineView,
    CapView,
    ProposalDetail,
    ProposalInput,
    ProposalRow,
    TargetView,
)
from desktop_app.store.models import (
    BudgetLine,
    Commune,
    Content,
    Establishment,
    Proposal,
    Province,
    Sector,
)

READERS = (Role.STAFF, Role.MANAGER, Role.ADMIN, Role.APPRAISER)


def line_view(x: BudgetLine) -> BudgetLineView:
    approved = (Split(x.approved_support_vnd, x.approved_counterpart_vnd or 0, x.approved_other_vnd or 0)
                if x.approved_support_vnd is not None else None)
    return BudgetLineView(x.id, x.position, x.item, x.unit, Decimal(x.quantity), x.unit_price_vnd, x.support_vnd,
                          x.counterpart_vnd, x.other_vnd, approved)


def detail_of(s: Session, p: Proposal) -> ProposalDetail:
    """The full view of a proposal, with derived totals and the cap check."""
    lines = transitions.line_inputs(p)
    t = totals(lines)
    cap = transitions.cap_check_for(s, p.content_code, Scope(p.scope), p.province_code, rule_date(p.start_date, p.year),
                                    lines, p.approved_support_vnd)
    content = s.get(Content, p.content_code)
    sector = s.get(Sector, p.sector_code) if p.sector_code else None
    province = s.get(Province, p.province_code) if p.province_code else None
    commune = s.get(Commune, p.commune_code) if p.commune_code else None
    bens = []
    for b in p.beneficiaries:
        e = s.get(Establishment, b.establishment_id)
        if e is None:
            continue
        ep = s.get(Province, e.province_code) if e.province_code else None
        ec = s.get(Commune, e.commune_code) if e.commune_code else None
        address = ", ".join(x for x in (e.street, f"{ec.kind} {ec.name}" if ec else "", ep.name if ep else "") if x)
        bens.append(BeneficiaryView(e.id, e.name, e.tax_code, address or e.address_as_recorded))
    targets = {t.indicator: t for t in p.targets}
    target_views = [TargetView(o.value, o.label, o.unit, targets[o.value].planned_value,
                               targets[o.value].achieved_value) for o in Outcome if o.value in targets]
    values: dict[str, Any] = {f: getattr(p, f) for f in ProposalInput.__dataclass_fields__}
    values["scope"], values["form"] = Scope(p.scope), ProposalForm(p.form)
    return ProposalDetail(
        p.id, ProposalInput(**values), Status(p.status), content.name if content else "",
        sector.name if sector else "", province.name if province else "",
        f"{commune.kind} {commune.name}" if commune else "", [line_view(x) for x in p.lines], bens, target_views,
        t.total_vnd, t.support_vnd, t.counterpart_vnd, t.other_vnd, p.approved_support_vnd, p.approved_on,
        p.approval_number, CapView(cap.ok, cap.message, cap.allowed_vnd, cap.rule.legal_basis if cap.rule else "",
                                   cap.checked),
        p.version, p.imported)


def row_of(r: Any) -> ProposalRow:
    return ProposalRow(r.id, r.code, r.title, r.year, Scope(r.scope), Status(r.status), r.content_name,
                       r.beneficiary, r.province_name, r.commune_name, r.sector_name, r.start_date, r.end_date,
                       int(r.total), int(r.support), int(r.counterpart), int(r.other), r.approved_support_vnd,
                       int(r.advanced), int(r.paid))
