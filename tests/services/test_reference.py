"""The administrator's support rules: a province starts its own (KCĐP) levels from the national ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from factories import Actors, make_proposal

from desktop_app.domain.enums import Scope
from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.services.context import Services
from desktop_app.services.reference import SupportRuleInput


def test_local_rules_start_from_a_copy_of_the_national_ones(services: Services, people: Actors) -> None:
    ref = services.reference
    national = [r for r in ref.support_rules() if r.scope is Scope.NATIONAL]
    local_draft = make_proposal(services, people.staff, scope=Scope.LOCAL)
    assert "kiểm tra theo mức khuyến công quốc gia" in local_draft.cap.message  # before: the national ceiling

    with pytest.raises(PermissionDenied):
        ref.copy_national_rules(people.staff, "37", "Nghị quyết 23/2025/NQ-HĐND", date(2026, 1, 1))
    with pytest.raises(ValidationError) as err:
        ref.copy_national_rules(people.admin, "37", " ", date(2026, 1, 1))
    assert err.value.field == "legal_basis"

    added = ref.copy_national_rules(people.admin, "37", "Nghị quyết 23/2025/NQ-HĐND", date(2026, 1, 1))
    assert added == len(national) > 0
    local = [r for r in ref.support_rules() if r.scope is Scope.LOCAL]
    assert {r.content_code for r in local} == {r.content_code for r in national}
    assert all(r.province_code == "37" and r.legal_basis == "Nghị quyết 23/2025/NQ-HĐND" for r in local)
    machines = next(r for r in local if r.content_code == "ND45-4.3.d")
    assert machines.cap_vnd == 300_000_000 and machines.max_percent == Decimal(50)
    assert ref.copy_national_rules(people.admin, "37", "Nghị quyết 23/2025/NQ-HĐND", date(2026, 1, 1)) == 0

    # The province lowers its level; the local proposal is now checked against it, not the national one.
    ref.save_support_rule(people.admin, SupportRuleInput(
        machines.content_code, Scope.LOCAL, machines.max_percent, 200_000_000, machines.unit, machines.legal_basis,
        machines.valid_from, province_code="37"), machines.id, machines.version)
    again = services.proposals.get(people.staff, local_draft.id)
    assert not again.cap.ok and again.cap.checked and again.cap.rule_legal_basis == "Nghị quyết 23/2025/NQ-HĐND"
    assert "quốc gia" not in again.cap.message


def test_a_content_without_any_rule_is_reported_as_not_checked(services: Services, people: Actors) -> None:
    d = make_proposal(services, people.staff, scope=Scope.NATIONAL, content_code="ND45-4.1")
    assert d.cap.ok and not d.cap.checked and "chưa kiểm tra được mức trần" in d.cap.message
