"""The ledger's rules: spreading an approved support over the lines, capping acceptance at the approved lines, and
which figure each stage reports (the one rule for stopped proposals)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.enums import Stage, Status
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.ledger import (
    LedgerInputs,
    Split,
    VerifiedLine,
    approved_lines,
    cap_acceptance,
    ledger_of,
    spread_support,
)

lines_st = st.lists(st.builds(Split, st.integers(0, 10**11), st.integers(0, 10**11), st.integers(0, 10**10)),
                    min_size=1, max_size=12).filter(lambda xs: sum(x.support_vnd for x in xs) > 0)


@given(lines_st, st.data())
def test_spread_adds_up_to_the_đồng_and_keeps_each_line_whole(lines: list[Split], data: st.DataObject) -> None:
    asked = sum(x.support_vnd for x in lines)
    approved = data.draw(st.integers(1, asked))
    spread = spread_support(lines, approved)
    assert sum(x.support_vnd for x in spread) == approved
    for before, after in zip(lines, spread, strict=True):
        assert after.total_vnd == before.total_vnd  # the line's cost is unchanged
        assert 0 <= after.support_vnd <= before.support_vnd
        assert after.other_vnd == before.other_vnd


def test_spread_is_proportional_with_the_remainder_on_the_largest_line() -> None:
    lines = [Split(100, 0), Split(200, 0), Split(700, 0)]
    assert [x.support_vnd for x in spread_support(lines, 500)] == [50, 100, 350]
    assert [x.support_vnd for x in spread_support(lines, 999)] == [99, 200, 700]  # no line above its request
    assert spread_support(lines, 1000) == lines


@pytest.mark.parametrize(("amount", "message"), [(0, "Chưa nhập"), (1001, "vượt kinh phí đề nghị 1.000 đồng")])
def test_spread_refuses_nothing_or_more_than_requested(amount: int, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        spread_support([Split(1000, 0)], amount)


def test_a_manager_sets_each_line_within_its_request() -> None:
    lines = [Split(100, 50), Split(200, 0)]
    assert approved_lines(lines, [80, 200]) == [Split(80, 70), Split(200, 0)]
    with pytest.raises(ValidationError, match="Dòng dự toán 2: kinh phí khuyến công phê duyệt 201 đồng vượt"):
        approved_lines(lines, [100, 201])


def test_acceptance_above_an_approved_line_is_refused_or_moved_to_counterpart() -> None:
    approved = [Split(170_000_000, 180_000_000)]
    verified = [VerifiedLine("Máy dệt", Split(200_452_000, 150_000_000))]
    with pytest.raises(ValidationError, match=r"Dòng 1 \(Máy dệt\): kinh phí khuyến công nghiệm thu 200\.452\.000 "
                                              r"đồng vượt kinh phí được duyệt 170\.000\.000 đồng"):
        cap_acceptance(approved, verified, excess_to_counterpart=False)
    assert cap_acceptance(approved, verified, excess_to_counterpart=True) == [Split(170_000_000, 180_452_000)]


@given(lines_st, st.lists(st.integers(0, 10**11), min_size=12, max_size=12))
def test_accepted_support_never_passes_the_approved_line(lines: list[Split], verified: list[int]) -> None:
    claimed = [VerifiedLine(f"dòng {i}", Split(v, 1000)) for i, v in enumerate(verified[:len(lines)])]
    capped = cap_acceptance(lines, claimed, excess_to_counterpart=True)
    for limit, claim, x in zip(lines, claimed, capped, strict=True):
        assert x.support_vnd <= limit.support_vnd
        assert x.total_vnd == claim.verified.total_vnd  # the verified cost is kept whole


def _inputs(status: Status, **kw: object) -> LedgerInputs:
    base = dict(requested=Split(300, 200), approved_support_vnd=250, approved=Split(250, 250),
                contract_value_vnd=250, advanced_vnd=100, paid_vnd=50, accepted=Split(240, 260),
                acceptance_passed=True, acceptance_signed=True, settled_support_vnd=None)
    base.update(kw)
    return LedgerInputs(status, **base)  # type: ignore[arg-type]


def test_stage_figures_of_a_running_and_a_stopped_proposal() -> None:
    lg = ledger_of(_inputs(Status.ACCEPTED))
    assert lg.stage(Stage.REQUESTED) == Split(300, 200)
    assert lg.stage(Stage.APPROVED) == Split(250, 250)
    assert lg.stage(Stage.CONTRACTED) == Split(250)
    assert lg.stage(Stage.DISBURSED) == Split(150)
    assert lg.stage(Stage.ACCEPTED) == Split(240, 260)
    assert lg.stage(Stage.SETTLED) is None
    assert lg.payable_ceiling_vnd == 240 and lg.remaining_to_disburse_vnd == 90

    stopped = ledger_of(_inputs(Status.STOPPED, accepted=None, acceptance_passed=None, acceptance_signed=False))
    # A stopped proposal counts only what was disbursed, which must be recovered.
    assert [stopped.stage(s) for s in Stage] == [Split(300, 200), None, None, Split(150), None, None]
    assert stopped.remaining_to_disburse_vnd == 0 and stopped.to_pay_vnd == -150

    cancelled = ledger_of(_inputs(Status.CANCELLED, approved_support_vnd=None, approved=None))
    assert cancelled.stage(Stage.REQUESTED) is None


def test_an_acceptance_not_signed_off_is_no_accepted_figure_yet() -> None:
    lg = ledger_of(_inputs(Status.AWAITING_ACCEPTANCE, acceptance_signed=False))
    assert lg.accepted == Split(240, 260) and lg.stage(Stage.ACCEPTED) is None
    assert lg.payable_ceiling_vnd == 250
    failed = ledger_of(_inputs(Status.AWAITING_ACCEPTANCE, acceptance_passed=False, acceptance_signed=False))
    assert failed.accepted is None


def test_approved_total_stands_when_lines_were_never_frozen() -> None:
    lg = ledger_of(_inputs(Status.APPROVED, approved=None))
    assert lg.approved == Split(250)
