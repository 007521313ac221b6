"""The money of a proposal: one ledger, six stages (DESIGN.md §3a).

Every screen, document and report asks this module for a stage figure; nothing else adds up money for a stage.

- requested: Σ budget lines as drafted;
- approved: the approved budget, i.e. the lines frozen at approval with their support spread to the decided total;
- contracted: the contract's value;
- disbursed: Σ advances and payments;
- accepted: the verified lines, support per line within the approved line (the excess is counterpart);
- settled: the settlement's support; to pay = settled − disbursed (negative: to recover).

A stopped proposal (Ngừng thực hiện) keeps its disbursed money, which must be recovered or settled; its approved
and contracted amounts no longer count (they are reported as nothing), and that one rule holds in every report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from desktop_app.domain.enums import Stage, Status
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import share_of
from desktop_app.domain.vietnamese import format_vnd


@dataclass(frozen=True)
class Split:
    """An amount split into khuyến công support, the establishment's counterpart and other sources."""

    support_vnd: int = 0
    counterpart_vnd: int = 0
    other_vnd: int = 0

    @property
    def total_vnd(self) -> int:
        return self.support_vnd + self.counterpart_vnd + self.other_vnd

    def __add__(self, other: Split) -> Split:
        return Split(self.support_vnd + other.support_vnd, self.counterpart_vnd + other.counterpart_vnd,
                     self.other_vnd + other.other_vnd)


ZERO = Split()


def total(splits: Sequence[Split]) -> Split:
    out = ZERO
    for x in splits:
        out = out + x
    return out


@dataclass(frozen=True)
class LineMoney:
    """One budget line at each stage that has figures per line."""

    line_id: int | None
    item: str
    requested: Split
    approved: Split | None = None
    accepted: Split | None = None


# --- approval: the approved budget ---------------------------------------------------------------------------------


def spread_support(requested: Sequence[Split], approved_support_vnd: int) -> list[Split]:
    """Spread an approved support below the requested one over the lines, proportionally and to the đồng.

    Each line keeps its total cost; what its support loses becomes counterpart. The rounding remainder goes to the
    line with the largest requested support (the first of equals) — to the next largest where that line has no
    room left — so the lines add up to the approved total and none passes its request.

    Raises:
        ValidationError: the approved support is negative or above the requested support.
    """
    asked = sum(x.support_vnd for x in requested)
    _check_approved_total(approved_support_vnd, asked)
    if approved_support_vnd == asked:
        return list(requested)
    shares = [x.support_vnd * approved_support_vnd // asked for x in requested]
    left = approved_support_vnd - sum(shares)
    for i in sorted(range(len(requested)), key=lambda i: (-requested[i].support_vnd, i)):
        room = min(requested[i].support_vnd - shares[i], left)
        shares[i] += room
        left -= room
    return approved_lines(requested, shares)


def approved_lines(requested: Sequence[Split], line_support_vnd: Sequence[int]) -> list[Split]:
    """The approved budget from the support a manager set per line (each within the line's requested support).

    Raises:
        ValidationError: naming the line whose support is negative or above its requested support.
    """
    if len(line_support_vnd) != len(requested):
        raise ValidationError("Số dòng kinh phí phê duyệt khác số dòng dự toán.", field="lines")
    out = []
    for i, (line, support) in enumerate(zip(requested, line_support_vnd, strict=True), start=1):
        if isinstance(support, bool) or not isinstance(support, int) or support < 0:
            raise ValidationError(f"Dòng dự toán {i}: kinh phí phê duyệt phải là số nguyên đồng không âm.",
                                  field="lines")
        if support > line.support_vnd:
            raise ValidationError(
                f"Dòng dự toán {i}: kinh phí khuyến công phê duyệt {format_vnd(support)} đồng vượt kinh phí đề nghị "
                f"{format_vnd(line.support_vnd)} đồng.", field="lines")
        out.append(Split(support, line.counterpart_vnd + line.support_vnd - support, line.other_vnd))
    return out


def _check_approved_total(approved_support_vnd: int, asked_vnd: int) -> None:
    if isinstance(approved_support_vnd, bool) or not isinstance(approved_support_vnd, int):
        raise ValidationError("Kinh phí phê duyệt phải là số nguyên đồng.", field="approved_support_vnd")
    if approved_support_vnd <= 0:
        raise ValidationError("Chưa nhập kinh phí khuyến công phê duyệt.", field="approved_support_vnd")
    if approved_support_vnd > asked_vnd:
        raise ValidationError(
            f"Kinh phí phê duyệt {format_vnd(approved_support_vnd)} đồng vượt kinh phí đề nghị "
            f"{format_vnd(asked_vnd)} đồng.", field="approved_support_vnd")


# --- acceptance: within the approved budget ------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedLine:
    """What the acceptance council verified for one line, as typed."""

    item: str
    verified: Split


def cap_acceptance(approved: Sequence[Split], verified: Sequence[VerifiedLine], *,
                   excess_to_counterpart: bool) -> list[Split]:
    """The accepted lines: khuyến công support per line at most the approved line's support.

    With ``excess_to_counterpart`` the support above the approved line is moved to the counterpart (the verified
    cost is kept whole); without it such a line is refused.

    Raises:
        ValidationError: naming the line and both figures.
    """
    out = []
    for i, (limit, line) in enumerate(zip(approved, verified, strict=True), start=1):
        v = line.verified
        if v.support_vnd <= limit.support_vnd:
            out.append(v)
            continue
        if not excess_to_counterpart:
            raise ValidationError(
                f"Dòng {i} ({line.item}): kinh phí khuyến công nghiệm thu {format_vnd(v.support_vnd)} đồng vượt "
                f"kinh phí được duyệt {format_vnd(limit.support_vnd)} đồng. Sửa số liệu hoặc chọn chuyển phần vượt "
                f"sang kinh phí đối ứng.", field="lines")
        excess = v.support_vnd - limit.support_vnd
        out.append(Split(limit.support_vnd, v.counterpart_vnd + excess, v.other_vnd))
    return out


# --- the ledger ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerInputs:
    """What the tables hold for one proposal, summed per table (the store fills it, one query per table)."""

    status: Status
    requested: Split
    approved_support_vnd: int | None = None
    approved: Split | None = None
    contract_value_vnd: int | None = None
    advanced_vnd: int = 0
    paid_vnd: int = 0
    accepted: Split | None = None
    acceptance_passed: bool | None = None
    acceptance_signed: bool = False
    settled_support_vnd: int | None = None


@dataclass(frozen=True)
class Ledger:
    """The six stage figures of one proposal and what follows from them."""

    status: Status
    requested: Split
    approved: Split | None
    contracted_vnd: int | None
    advanced_vnd: int
    payments_vnd: int
    accepted: Split | None
    acceptance_signed: bool
    settled_support_vnd: int | None
    lines: tuple[LineMoney, ...] = field(default=())

    @property
    def stopped(self) -> bool:
        return self.status is Status.STOPPED

    @property
    def disbursed_vnd(self) -> int:
        return self.advanced_vnd + self.payments_vnd

    @property
    def approved_support_vnd(self) -> int | None:
        return self.approved.support_vnd if self.approved is not None else None

    @property
    def accepted_support_vnd(self) -> int | None:
        return self.accepted.support_vnd if self.accepted is not None else None

    @property
    def payable_ceiling_vnd(self) -> int:
        """What may be paid in all: the approved support, or the accepted support once acceptance is signed off."""
        approved = self.approved_support_vnd or 0
        if self.acceptance_signed and self.accepted is not None:
            return min(approved, self.accepted.support_vnd)
        return approved

    @property
    def remaining_to_disburse_vnd(self) -> int:
        """What may still be paid out; nothing for a stopped proposal."""
        if self.stopped:
            return 0
        return max(self.payable_ceiling_vnd - self.disbursed_vnd, 0)

    @property
    def to_pay_vnd(self) -> int | None:
        """Settled − disbursed once settled (negative: to recover); for a stopped proposal, − disbursed."""
        if self.settled_support_vnd is not None:
            return self.settled_support_vnd - self.disbursed_vnd
        if self.stopped:
            return -self.disbursed_vnd
        return None

    def stage(self, stage: Stage) -> Split | None:
        """The figure a report sums for ``stage``; ``None`` where the proposal has none at that stage.

        The one rule for every report: a cancelled proposal requests nothing; a stopped one counts only what was
        disbursed; the accepted figure counts once the acceptance is signed off.
        """
        if stage is Stage.REQUESTED:
            return None if self.status is Status.CANCELLED else self.requested
        if stage is Stage.DISBURSED:
            return Split(self.disbursed_vnd) if self.disbursed_vnd else None
        if self.stopped:
            return None
        if stage is Stage.APPROVED:
            return self.approved
        if stage is Stage.CONTRACTED:
            return Split(self.contracted_vnd) if self.contracted_vnd is not None else None
        if stage is Stage.ACCEPTED:
            return self.accepted if self.acceptance_signed else None
        return Split(self.settled_support_vnd) if self.settled_support_vnd is not None else None


def problems(lg: Ledger, *, advance_percent: Decimal = Decimal(70), decision_vnd: int | None = None,
             lines_over_approval: int = 0) -> list[str]:
    """Where a proposal's recorded money breaks the ledger's rules, in words (empty when it agrees with itself).

    ``decision_vnd`` is the approval decision's amount; ``lines_over_approval`` how many verified lines hold more
    support than their approved line (counted by the caller from the tables when the ledger has no lines).
    """
    out: list[str] = []
    if lg.approved is None:
        if lg.contracted_vnd is not None or lg.disbursed_vnd:
            out.append("có hợp đồng hoặc đã chi nhưng chưa có kinh phí phê duyệt")
        return out
    approved = lg.approved.support_vnd
    if approved > lg.requested.support_vnd:
        out.append(f"phê duyệt {format_vnd(approved)} vượt đề nghị {format_vnd(lg.requested.support_vnd)}")
    if decision_vnd is not None and decision_vnd != approved:
        out.append(f"quyết định {format_vnd(decision_vnd)} khác kinh phí phê duyệt {format_vnd(approved)}")
    if lg.contracted_vnd is not None and lg.contracted_vnd != approved:
        out.append(f"hợp đồng {format_vnd(lg.contracted_vnd)} khác kinh phí phê duyệt {format_vnd(approved)}")
    lines = [x for x in lg.lines if x.approved is not None]
    if lines and sum(x.approved.support_vnd for x in lines if x.approved) != approved:
        out.append("tổng các dòng dự toán được duyệt khác kinh phí phê duyệt")
    over = lines_over_approval + sum(1 for x in lines if x.accepted and x.approved
                                     and x.accepted.support_vnd > x.approved.support_vnd)
    if over:
        out.append(f"{over} dòng nghiệm thu vượt dự toán được duyệt")
    if lg.accepted is not None and lg.accepted.support_vnd > approved:
        out.append(f"nghiệm thu {format_vnd(lg.accepted.support_vnd)} vượt phê duyệt {format_vnd(approved)}")
    if lg.disbursed_vnd > approved:
        out.append(f"đã chi {format_vnd(lg.disbursed_vnd)} vượt phê duyệt {format_vnd(approved)}")
    if lg.advanced_vnd > share_of(approved, advance_percent):
        out.append(f"tạm ứng {format_vnd(lg.advanced_vnd)} vượt {advance_percent.normalize():f}% phê duyệt")
    if lg.settled_support_vnd is not None and (
            lg.accepted is None or lg.settled_support_vnd > lg.accepted.support_vnd):
        out.append(f"quyết toán {format_vnd(lg.settled_support_vnd)} vượt kinh phí nghiệm thu")
    return out


def ledger_of(x: LedgerInputs, lines: Sequence[LineMoney] = ()) -> Ledger:
    """The ledger of one proposal. ``approved`` falls back to the decided total when no lines were frozen
    (a proposal approved before lines were frozen, or imported with a total only)."""
    approved = x.approved
    if x.approved_support_vnd is None:
        approved = None
    elif approved is None or approved.support_vnd != x.approved_support_vnd:
        approved = Split(x.approved_support_vnd)
    accepted = x.accepted if x.acceptance_passed else None
    return Ledger(x.status, x.requested, approved, x.contract_value_vnd, x.advanced_vnd, x.paid_vnd, accepted,
                  bool(x.acceptance_signed and accepted is not None), x.settled_support_vnd, tuple(lines))
