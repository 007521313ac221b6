"""Random walks of the workflow: whatever a user tries, in whatever order, with whatever amounts, the ledger's
limits hold after every step (approved ≤ requested, Σ approved lines = approved, accepted ≤ approved per line,
disbursed ≤ approved, advances ≤ the share, settled ≤ accepted) and every refusal is a user error, never a crash."""

from __future__ import annotations

from datetime import date

import pytest
from factories import Actors, council_members, make_proposal, score_all
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from desktop_app.domain.enums import DisbursementKind, Outcome, Status
from desktop_app.domain.errors import UserError
from desktop_app.domain.money import share_of
from desktop_app.services.context import Services
from desktop_app.services.dto import AcceptanceLineInput
from desktop_app.store.ledger_queries import proposal_ledger

# Steps are drawn most often so that walks reach acceptance and settlement; every other move is tried on the way.
OPS = ("step",) * 6 + ("advance", "payment", "accept", "accept_excess", "liquidate", "stop")


def _step(services: Services, people: Actors, pid: int, data: st.DataObject) -> None:
    """One move along the normal path, with the amounts drawn at random."""
    ps, ap, im = services.proposals, services.appraisal, services.implementation
    s, m = people.staff, people.manager
    d = ps.get(s, pid)
    if d.status is Status.DRAFT:
        ps.submit(s, pid, d.version)
    elif d.status is Status.SUBMITTED:
        ap.open_council(s, pid, d.version, decision_number="12/QĐ-TTKC", decision_date=date(2026, 4, 1),
                        meeting_date=date(2026, 4, 10), place="Phòng họp", members=council_members(people))
    elif d.status is Status.APPRAISING:
        score_all(services, people)
        ap.conclude(m, pid, ps.get(s, pid).version, "05/BB-HĐTĐ")
    elif d.status is Status.APPRAISED:
        approved = data.draw(st.integers(1, d.support_vnd), label="approved")
        per_line = None
        if data.draw(st.booleans(), label="by line"):
            per_line = [x.support_vnd for x in d.lines]
            cut = d.support_vnd - approved
            for i, x in enumerate(d.lines):
                take = min(cut, x.support_vnd)
                per_line[i] -= take
                cut -= take
        ps.approve(m, pid, d.version, approved, "45/QĐ-SCT", date(2026, 6, 1), line_support_vnd=per_line)
    elif d.status is Status.APPROVED:
        im.sign_contract(s, pid, d.version, number="07/HĐ-TTKC", signed_on=date(2026, 6, 10))
    elif d.status is Status.IN_PROGRESS:
        im.report_completion(s, pid, d.version)
    elif d.status is Status.AWAITING_ACCEPTANCE:
        im.sign_off_acceptance(m, pid, d.version)
    elif d.status is Status.ACCEPTED:
        im.settle(m, pid, d.version, number="30/QT-TTKC", settled_on=date(2027, 1, 10))


def _check_ledger(services: Services, pid: int) -> None:
    with services.db.reading() as s:
        lg = proposal_ledger(s, pid)
    assert lg.approved is None or lg.approved.support_vnd <= lg.requested.support_vnd
    if lg.approved is None:
        assert lg.disbursed_vnd == 0
        return
    approved = lg.approved.support_vnd
    assert sum(x.approved.support_vnd for x in lg.lines if x.approved) == approved
    for x in lg.lines:
        assert x.approved is not None and x.approved.total_vnd == x.requested.total_vnd
        if x.accepted is not None:
            assert x.accepted.support_vnd <= x.approved.support_vnd
    assert lg.contracted_vnd in (None, approved)
    assert lg.advanced_vnd <= share_of(approved, 70)
    # After acceptance less may be payable than was already advanced: that is money to recover, never more paid.
    assert lg.disbursed_vnd <= approved and lg.payable_ceiling_vnd <= approved
    if lg.settled_support_vnd is not None:
        assert lg.accepted is not None and lg.settled_support_vnd <= lg.accepted.support_vnd
        assert lg.to_pay_vnd == lg.settled_support_vnd - lg.disbursed_vnd


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(ops=st.lists(st.sampled_from(OPS), min_size=8, max_size=30), data=st.data())
def test_random_walks_keep_the_ledger(sqlite_services: Services, sqlite_people: Actors, ops: list[str],
                                      data: st.DataObject) -> None:
    services, people = sqlite_services, sqlite_people
    im = services.implementation
    pid = make_proposal(services, people.staff).id
    for op in ops:
        d = services.proposals.get(people.staff, pid)
        try:
            if op == "step":
                _step(services, people, pid, data)
            elif op in ("advance", "payment"):
                kind = DisbursementKind.ADVANCE if op == "advance" else DisbursementKind.PAYMENT
                amount = data.draw(st.integers(1, max(d.support_vnd, 1)), label=op)
                im.record_disbursement(people.staff, pid, kind, amount, date(2026, 7, 1))
            elif op in ("accept", "accept_excess"):
                lines = [AcceptanceLineInput(x.id or 0,
                                             data.draw(st.integers(0, x.budget.support_vnd * 13 // 10), label="sup"),
                                             x.budget.counterpart_vnd, x.budget.other_vnd) for x in d.lines]
                im.record_acceptance(people.staff, pid, held_on=date(2026, 11, 20), place="Tại cơ sở", passed=True,
                                     conclusion="Đạt", minutes_number="15/BB-NT", lines=lines,
                                     achieved={Outcome.JOBS: 5}, excess_to_counterpart=op == "accept_excess")
            elif op == "stop":
                services.proposals.stop(people.manager, pid, d.version, "Cơ sở ngừng sản xuất", "99/QĐ-SCT",
                                        date(2026, 9, 1))
            elif op == "liquidate":
                im.record_liquidation(people.staff, pid, number="20/BB-TL", signed_on=date(2026, 12, 1))
        except UserError:
            pass  # refused with words: the point is that nothing else happens
        _check_ledger(services, pid)
    event(f"walk ended in {services.proposals.get(people.staff, pid).status.value}")
