"""Score sheets against a criteria template: validation, member totals, the council average, pass or fail."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from desktop_app.domain.errors import ValidationError

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Criterion:
    id: int
    position: int
    name: str
    max_points: Decimal


@dataclass(frozen=True)
class MemberScores:
    """One member's sheet: points per criterion id; ``conflict`` excludes it from the average."""

    member_id: int
    points: Mapping[int, Decimal]
    conflict: bool = False
    submitted: bool = False


def validate_points(criteria: Sequence[Criterion], points: Mapping[int, Decimal]) -> Decimal:
    """Check every criterion has a score within 0..max and return the sheet total.

    Raises:
        ValidationError: naming the criterion whose score is missing or out of range.
    """
    total = Decimal(0)
    for c in criteria:
        if c.id not in points or points[c.id] is None:
            raise ValidationError(f"Tiêu chí “{c.name}”: chưa chấm điểm.", field=f"criterion:{c.id}")
        p = Decimal(points[c.id])
        if p < 0 or p > c.max_points:
            raise ValidationError(
                f"Tiêu chí “{c.name}”: điểm {p} ngoài khoảng 0–{c.max_points}.", field=f"criterion:{c.id}"
            )
        total += p
    return total


def template_total(criteria: Sequence[Criterion]) -> Decimal:
    return sum((c.max_points for c in criteria), Decimal(0))


@dataclass(frozen=True)
class CouncilResult:
    counted: int
    pending: int
    excluded: int
    average: Decimal | None
    passed: bool | None


def council_result(sheets: Sequence[MemberScores], pass_mark: Decimal,
                   criterion_ids: Collection[int] | None = None) -> CouncilResult:
    """Average of the submitted, complete sheets of members without a conflict of interest.

    With ``criterion_ids``, a sheet counts only when it scores every criterion: an incomplete sheet is pending,
    never a zero that would pull the average down.
    """
    def complete(s: MemberScores) -> bool:
        return s.submitted and (criterion_ids is None or all(
            c in s.points and s.points[c] is not None for c in criterion_ids))

    counted = [s for s in sheets if complete(s) and not s.conflict]
    pending = sum(1 for s in sheets if not complete(s) and not s.conflict)
    excluded = sum(1 for s in sheets if s.conflict)
    if not counted:
        return CouncilResult(0, pending, excluded, None, None)
    totals = [sum((Decimal(v) for v in s.points.values()), Decimal(0)) for s in counted]
    average = (sum(totals, Decimal(0)) / len(totals)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return CouncilResult(len(counted), pending, excluded, average, average >= pass_mark)
