"""Score sheets and the council average."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop_app.domain.appraisal import Criterion, MemberScores, council_result, template_total, validate_points
from desktop_app.domain.errors import ValidationError

CRITERIA = [Criterion(1, 1, "Phù hợp chính sách", Decimal(60)), Criterion(2, 2, "Hồ sơ", Decimal(40))]


def test_points_are_checked_per_criterion() -> None:
    assert validate_points(CRITERIA, {1: Decimal(50), 2: Decimal("30.5")}) == Decimal("80.5")
    with pytest.raises(ValidationError, match=r"Hồ sơ.*chưa chấm"):
        validate_points(CRITERIA, {1: Decimal(50)})
    with pytest.raises(ValidationError, match="ngoài khoảng 0–60") as err:
        validate_points(CRITERIA, {1: Decimal(61), 2: Decimal(0)})
    assert err.value.field == "criterion:1"
    assert template_total(CRITERIA) == 100


def test_average_excludes_conflicts_and_unsubmitted_sheets() -> None:
    sheets = [MemberScores(1, {1: Decimal(50), 2: Decimal(30)}, submitted=True),
              MemberScores(2, {1: Decimal(40), 2: Decimal(25)}, submitted=True),
              MemberScores(3, {1: Decimal(10), 2: Decimal(0)}, conflict=True, submitted=True),
              MemberScores(4, {}, submitted=False)]
    result = council_result(sheets, Decimal(70))
    assert (result.counted, result.pending, result.excluded) == (2, 1, 1)
    assert result.average == Decimal("72.50") and result.passed is True
    assert council_result(sheets[:2], Decimal(73)).passed is False
    assert council_result([sheets[3]], Decimal(70)).average is None
