"""Budget lines, their totals, and the support-cap check against the support rules.

A proposal's totals are always derived from its lines; they are never typed twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop_app.domain.enums import Scope
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import line_amount, share_of
from desktop_app.domain.vietnamese import format_date, format_vnd


@dataclass(frozen=True)
class BudgetLineInput:
    """One line of the dự toán (Mẫu 1): item, quantity × unit price, split into three sources."""

    item: str
    unit: str
    quantity: Decimal
    unit_price_vnd: int
    support_vnd: int
    counterpart_vnd: int
    other_vnd: int = 0

    @property
    def amount_vnd(self) -> int:
        return line_amount(self.quantity, self.unit_price_vnd)

    @property
    def total_vnd(self) -> int:
        return self.support_vnd + self.counterpart_vnd + self.other_vnd


@dataclass(frozen=True)
class BudgetTotals:
    """Sums over a proposal's lines."""

    total_vnd: int = 0
    support_vnd: int = 0
    counterpart_vnd: int = 0
    other_vnd: int = 0


def validate_line(line: BudgetLineInput, row: int) -> None:
    """Check one line; ``row`` (1-based) is named in the message.

    Raises:
        ValidationError: an empty item, a negative amount, or a split that does not add up.
    """
    where = f"Dòng dự toán {row}"
    if not line.item.strip():
        raise ValidationError(f"{where}: chưa nhập nội dung chi.", field="item")
    if line.quantity <= 0:
        raise ValidationError(f"{where}: số lượng phải lớn hơn 0.", field="quantity")
    for name, label in (("unit_price_vnd", "Đơn giá"), ("support_vnd", "Kinh phí khuyến công"),
                        ("counterpart_vnd", "Kinh phí đối ứng"), ("other_vnd", "Kinh phí khác")):
        value = getattr(line, name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{where}: {label} phải là số nguyên đồng.", field=name)
        if value < 0:
            raise ValidationError(f"{where}: {label} không được âm.", field=name)
    if line.total_vnd != line.amount_vnd:
        raise ValidationError(
            f"{where}: khuyến công + đối ứng + khác = {format_vnd(line.total_vnd)} đồng, "
            f"khác thành tiền {format_vnd(line.amount_vnd)} đồng (số lượng × đơn giá).",
            field="support_vnd",
        )


def totals(lines: Iterable[BudgetLineInput]) -> BudgetTotals:
    """Sum the lines."""
    t, s, c, o = 0, 0, 0, 0
    for line in lines:
        s += line.support_vnd
        c += line.counterpart_vnd
        o += line.other_vnd
        t += line.total_vnd
    return BudgetTotals(t, s, c, o)


@dataclass(frozen=True)
class SupportRule:
    """A support level (mức hỗ trợ): at most ``max_percent`` % of the eligible cost and at most ``cap_vnd``."""

    id: int | None
    content_code: str
    scope: Scope
    province_code: str | None
    max_percent: Decimal
    cap_vnd: int | None
    unit: str
    legal_basis: str
    valid_from: date
    valid_to: date | None = None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def allowed_support(self, eligible_cost_vnd: int) -> int:
        """min(percent × eligible cost, cap), in đồng."""
        by_share = share_of(eligible_cost_vnd, self.max_percent)
        return by_share if self.cap_vnd is None else min(by_share, self.cap_vnd)

    def describe(self) -> str:
        pct = f"{self.max_percent.normalize():f}".replace(".", ",")
        cap = f", tối đa {format_vnd(self.cap_vnd)} đồng/{self.unit}" if self.cap_vnd is not None else ""
        since = f" (áp dụng từ {format_date(self.valid_from)})"
        return f"{pct}% chi phí{cap} theo {self.legal_basis}{since}"


@dataclass(frozen=True)
class CapCheck:
    """The outcome of checking requested support against the rule in force.

    ``scope`` is the proposal's: a provincial proposal checked against a national rule (the province has entered
    none) says so, and no rule at all is a warning to act on, not a pass.
    """

    rule: SupportRule | None
    eligible_cost_vnd: int
    requested_vnd: int
    allowed_vnd: int | None
    scope: Scope | None = None

    @property
    def ok(self) -> bool:
        return self.allowed_vnd is None or self.requested_vnd <= self.allowed_vnd

    @property
    def checked(self) -> bool:
        """False when no rule applies, so nothing was checked (shown as a warning)."""
        return self.rule is not None

    @property
    def national_fallback(self) -> bool:
        """A provincial proposal checked against the national rule because the province has none."""
        return self.scope is Scope.LOCAL and self.rule is not None and self.rule.scope is Scope.NATIONAL

    @property
    def message(self) -> str:
        if self.rule is None:
            return ("Chưa có mức hỗ trợ cho nội dung này tại ngày của đề án nên chưa kiểm tra được mức trần. "
                    "Quản trị viên nhập mức hỗ trợ ở “Danh mục & cài đặt”, thẻ “Mức hỗ trợ”.")
        assert self.allowed_vnd is not None
        head = (
            f"Kinh phí khuyến công {format_vnd(self.requested_vnd)} đồng"
            f" {'trong' if self.ok else 'vượt'} mức hỗ trợ tối đa {format_vnd(self.allowed_vnd)} đồng"
        )
        text = f"{head} ({self.rule.describe()}; tổng chi phí {format_vnd(self.eligible_cost_vnd)} đồng)."
        if self.national_fallback:
            text = ("Tỉnh chưa có mức hỗ trợ khuyến công địa phương cho nội dung này; kiểm tra theo mức khuyến công "
                    f"quốc gia. {text}")
        return text


def rule_date(start_date: date | None, year: int) -> date:
    """The day whose support rules apply to a proposal: its start date, else 1 January of its plan year."""
    return start_date or date(year, 1, 1)


def select_rule(rules: Sequence[SupportRule], content_code: str, scope: Scope, province_code: str | None,
                on: date, parent_code: str | None = None) -> SupportRule | None:
    """The rule valid on ``on`` for the content (or its parent content), most specific first.

    A national (KCQG) proposal uses the national rule. A provincial (KCĐP) proposal uses its province's rule;
    where the province has entered none for the content, the national level is the ceiling — a province's
    own levels are data the administrator adds (HĐND resolutions), and until then checking against nothing
    would let any amount through.
    """
    def candidates(code: str | None, rule_scope: Scope) -> list[SupportRule]:
        if code is None:
            return []
        found = [r for r in rules if r.content_code == code and r.scope is rule_scope and r.valid_on(on)]
        if rule_scope is Scope.LOCAL:
            found = [r for r in found if r.province_code == province_code]
        return sorted(found, key=lambda r: r.valid_from, reverse=True)

    scopes = (Scope.LOCAL, Scope.NATIONAL) if scope is Scope.LOCAL else (Scope.NATIONAL,)
    for rule_scope in scopes:
        for code in (content_code, parent_code):
            found = candidates(code, rule_scope)
            if found:
                return found[0]
    return None


def check_cap(rule: SupportRule | None, lines_totals: BudgetTotals, requested_vnd: int | None = None,
              scope: Scope | None = None) -> CapCheck:
    """Check support (the lines' support, or ``requested_vnd``) against ``rule``; ``scope`` is the proposal's."""
    requested = lines_totals.support_vnd if requested_vnd is None else requested_vnd
    allowed = rule.allowed_support(lines_totals.total_vnd) if rule else None
    return CapCheck(rule, lines_totals.total_vnd, requested, allowed, scope)
