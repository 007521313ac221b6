"""Yearly plans and what is committed against them; administrators correct the commune list."""

from __future__ import annotations

import pytest
from factories import advance_to, make_proposal

from desktop_app.domain.enums import Scope, Status
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
