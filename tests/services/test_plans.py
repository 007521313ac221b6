"""Yearly plans and what is committed against them; administrators correct the commune list."""

from __future__ import annotations

from datetime import date

import pytest
from factories import advance_to, make_proposal

from desktop_app.domain.enums import DisbursementKind, Scope, Status
from desktop_app.domain.errors import ConflictError, PermissionDenied, ValidationError


def test_envelope_and_committed_support(services, people) -> None:
    with pytest.raises(PermissionDenied):
        services.plans.save(people.staff, 2026, Scope.LOCAL, 5_000_000_000)
    plan = services.plans.save(people.manager, 2026, Scope.LOCAL, 5_000_000_000, "15/QĐ-UBND")
    assert plan.committed_vnd == 0 and plan.remaining_vnd == 5_000_000_000
    d = make_proposal(services, people.staff)
    advance_to(services, people, d.id, Status.APPROVED)
    plan = next(p for p in services.plans.plans(people.staff, 2026) if p.scope is Scope.LOCAL)
    assert plan.committed_vnd == 250_000_000 and plan.remaining_vnd == 4_750_000_000
    with pytest.raises(ConflictError):
        services.plans.save(people.manager, 2026, Scope.LOCAL, 1, version=plan.version + 5)
    with pytest.raises(ValidationError):
        services.plans.save(people.manager, 2026, Scope.NATIONAL, -1)


def test_commune_list_is_editable_by_the_administrator(services, people) -> None:
    with pytest.raises(PermissionDenied):
        services.reference.save_commune(people.manager, "99001", "37", "Tân Mới", "Xã")
    added = services.reference.save_commune(people.admin, "99001", "37", "Tân Mới", "Xã")
    assert added.name == "Xã Tân Mới" and any(c.code == "99001" for c in services.reference.communes("37"))
    with pytest.raises(ValidationError) as err:
        services.reference.save_commune(people.admin, "1", "37", "X", "Xã")
    assert err.value.field == "code"


def test_year_plan_sums_the_ledger_stages_against_the_envelope(services, people) -> None:
    staff, manager = people.staff, people.manager
    with pytest.raises(PermissionDenied):
        services.plans.year_plan(people.appraisers[0], 2026, Scope.LOCAL)
    empty = services.plans.year_plan(staff, 2026, Scope.LOCAL)
    assert empty.plan.id is None and empty.proposals == () and empty.warning is None and empty.remaining_vnd == 0

    drafted = make_proposal(services, staff)  # requested 250.000.000, not approved
    approved = make_proposal(services, staff)
    advance_to(services, people, approved.id, Status.IN_PROGRESS)  # approved 250.000.000, contract signed
    services.implementation.record_disbursement(staff, approved.id, DisbursementKind.ADVANCE, 175_000_000,
                                                date(2026, 6, 20))
    settled = make_proposal(services, staff)
    advance_to(services, people, settled.id, Status.SETTLED)
    cancelled = make_proposal(services, staff)
    services.proposals.cancel(staff, cancelled.id, cancelled.version, "Cơ sở rút hồ sơ")
    make_proposal(services, staff, scope=Scope.NATIONAL)  # another scope: not in this plan

    view = services.plans.year_plan(staff, 2026, Scope.LOCAL)
    assert [r.code for r in view.proposals] == sorted([drafted.code, approved.code, settled.code, cancelled.code])
    assert view.requested_vnd == 3 * 250_000_000  # the cancelled one requests nothing
    assert view.approved_vnd == 2 * 250_000_000
    assert view.disbursed_vnd == 175_000_000 + 250_000_000 and view.settled_vnd == 250_000_000
    assert view.to_disburse_vnd == 75_000_000
    assert view.warning == ("Chưa giao kế hoạch kinh phí năm 2026 (KCĐP) nhưng đã phê duyệt 500.000.000 đồng kinh phí "
                            "khuyến công.")
    row = next(r for r in view.proposals if r.id == approved.id)
    assert (row.status, row.requested_vnd, row.approved_vnd, row.disbursed_vnd, row.settled_vnd) == (
        Status.IN_PROGRESS, 250_000_000, 250_000_000, 175_000_000, None)

    services.plans.save(manager, 2026, Scope.LOCAL, 400_000_000, "15/QĐ-UBND")
    view = services.plans.year_plan(staff, 2026, Scope.LOCAL)
    assert view.plan.allocated_vnd == 400_000_000 and view.plan.decision_number == "15/QĐ-UBND"
    assert view.remaining_vnd == -100_000_000
    assert view.warning == ("Kinh phí phê duyệt 500.000.000 đồng vượt kinh phí được giao 400.000.000 đồng của kế hoạch "
                            "năm 2026 (KCĐP): vượt 100.000.000 đồng.")
    services.plans.save(manager, 2026, Scope.LOCAL, 1_000_000_000, "15/QĐ-UBND", version=view.plan.version)
    view = services.plans.year_plan(staff, 2026, Scope.LOCAL)
    assert view.warning is None and view.remaining_vnd == 500_000_000
    assert 2026 in services.plans.years(staff)
