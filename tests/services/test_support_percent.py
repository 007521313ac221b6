"""The "Tỷ lệ hỗ trợ" chosen for a proposal: saved with it, audited old → new, refused above the percentage of the
support rule in force for its content, source of funds, province and date, or outside 1–100 %."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from factories import machine_lines, make_establishment, make_proposal, proposal_input

from desktop_app.domain.enums import Outcome, Scope
from desktop_app.domain.errors import ValidationError
from desktop_app.services.dto import ProposalFilter
from desktop_app.services.reference import SupportRuleInput


def test_the_percentage_is_saved_read_back_and_audited(services, people) -> None:
    d = make_proposal(services, people.staff, support_percent=30)
    assert d.support_percent == 30 and d.data.support_percent == 30
    assert services.proposals.get(people.staff, d.id).support_percent == 30
    eid = d.beneficiaries[0].establishment_id
    d = services.proposals.save(people.staff, d.id, d.version, replace(d.data, support_percent=45), machine_lines(),
                                [eid], {Outcome.MACHINES: 2, Outcome.JOBS: 5})
    assert d.support_percent == 45
    d = services.proposals.save(people.staff, d.id, d.version, replace(d.data, support_percent=None),
                                machine_lines(), [eid], {Outcome.MACHINES: 2, Outcome.JOBS: 5})
    assert d.support_percent is None
    assert services.proposals.get(people.manager, d.id).support_percent is None
    texts = [e.text for e in services.proposals.history(people.staff, d.id) if "Tỷ lệ hỗ trợ" in e.text]
    assert texts == ["Sửa đề án: Tỷ lệ hỗ trợ: 30% → 45%", "Sửa đề án: Tỷ lệ hỗ trợ: 45% → (trống)"]


def test_a_proposal_without_a_percentage_keeps_none(services, people) -> None:
    d = make_proposal(services, people.staff)
    assert d.support_percent is None
    assert not any("Tỷ lệ hỗ trợ" in e.text for e in services.proposals.history(people.staff, d.id))


def test_above_the_rules_percentage_is_refused_naming_the_field(services, people) -> None:
    # content 4.3.d: at most 50 % (Thông tư 28/2018), the national level for a province without its own
    eid = make_establishment(services, people.staff)
    with pytest.raises(ValidationError) as err:
        services.proposals.create(people.staff, proposal_input(support_percent=80), machine_lines(), [eid])
    assert err.value.field == "support_percent"
    assert err.value.message.startswith("Tỷ lệ hỗ trợ 80% vượt mức hỗ trợ tối đa 50% của nội dung này (50% chi phí")
    assert "chọn tỷ lệ không quá 50%" in err.value.message
    assert services.proposals.search(people.staff, ProposalFilter()).total == 0  # nothing written
    assert make_proposal(services, people.staff, eid, support_percent=50).support_percent == 50  # the maximum itself

    d = make_proposal(services, people.staff, support_percent=30)
    with pytest.raises(ValidationError, match="Tỷ lệ hỗ trợ 51% vượt") as err:
        services.proposals.save(people.staff, d.id, d.version, replace(d.data, support_percent=51), machine_lines(),
                                [d.beneficiaries[0].establishment_id])
    assert err.value.field == "support_percent"
    assert services.proposals.get(people.staff, d.id).support_percent == 30  # unchanged


def test_the_rule_in_force_on_the_proposals_date_and_province_decides(services, people) -> None:
    # the province (37) adopts its own, lower level for 4.3.d from 1 June 2026
    services.reference.save_support_rule(people.admin, SupportRuleInput(
        "ND45-4.3.d", Scope.LOCAL, Decimal(40), 200_000_000, "cơ sở", "Nghị quyết 12/2026/NQ-HĐND",
        date(2026, 6, 1), province_code="37"))
    eid = make_establishment(services, people.staff)
    before = make_proposal(services, people.staff, eid, support_percent=45, start_date=date(2026, 3, 1))
    assert before.support_percent == 45  # started before the provincial level: the national 50 %
    with pytest.raises(ValidationError, match="vượt mức hỗ trợ tối đa 40%") as err:
        make_proposal(services, people.staff, eid, support_percent=45, start_date=date(2026, 7, 1))
    assert err.value.field == "support_percent" and "Nghị quyết 12/2026/NQ-HĐND" in err.value.message
    # a national (KCQG) proposal is held to the national rule, not the province's
    national = make_proposal(services, people.staff, eid, Scope.NATIONAL, support_percent=45,
                             start_date=date(2026, 7, 1))
    assert national.support_percent == 45


@pytest.mark.parametrize("value", [0, -5, 101, 12.5, True, "30"])
def test_a_percentage_outside_1_to_100_is_refused(services, people, value: object) -> None:
    eid = make_establishment(services, people.staff)
    with pytest.raises(ValidationError) as err:
        services.proposals.create(people.staff, proposal_input(support_percent=value), machine_lines(), [eid])
    assert err.value.field == "support_percent"
    assert err.value.message.startswith("Tỷ lệ hỗ trợ phải là số nguyên từ 1 đến 100 (%)")
