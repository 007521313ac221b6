"""Budget lines, totals and the support-cap check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop_app.domain.budget import (
    BudgetLineInput,
    SupportRule,
    check_cap,
    rule_date,
    select_rule,
    totals,
    validate_line,
)
from desktop_app.domain.disbursement import check_disbursement
from desktop_app.domain.enums import DisbursementKind, Scope
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import line_amount, require_vnd, round_vnd, share_of

MACHINES = SupportRule(1, "ND45-4.3.d", Scope.NATIONAL, None, Decimal(50), 300_000_000, "cơ sở",
                       "Điều 8 Thông tư 28/2018/TT-BTC", date(2018, 5, 11))


def test_money_helpers_never_use_floats() -> None:
    assert round_vnd(Decimal("1.5")) == 2 and round_vnd(Decimal("-1.5")) == -2
    assert share_of(333_333, 70) == 233_333  # rounded down so a limit is never exceeded
    assert line_amount(Decimal("2.5"), 1_000_001) == 2_500_003
    with pytest.raises(TypeError):
        require_vnd(1.0)
    with pytest.raises(TypeError):
        require_vnd(True)


def test_line_split_must_add_up_and_names_the_row() -> None:
    ok = BudgetLineInput("Máy", "máy", Decimal(2), 100, 120, 80, 0)
    validate_line(ok, 1)
    with pytest.raises(ValidationError, match="Dòng dự toán 3") as err:
        validate_line(BudgetLineInput("Máy", "máy", Decimal(2), 100, 120, 70, 0), 3)
    assert err.value.field == "support_vnd"
    with pytest.raises(ValidationError, match="nội dung chi"):
        validate_line(BudgetLineInput(" ", "", Decimal(1), 1, 1, 0, 0), 1)
    assert totals([ok, ok]).total_vnd == 400 and totals([ok]).support_vnd == 120


def test_cap_is_the_smaller_of_share_and_amount() -> None:
    lines = totals([BudgetLineInput("Máy", "máy", Decimal(1), 800_000_000, 400_000_000, 400_000_000)])
    result = check_cap(MACHINES, lines)
    assert result.allowed_vnd == 300_000_000 and not result.ok
    assert "Điều 8 Thông tư 28/2018/TT-BTC" in result.message and "300.000.000" in result.message
    small = totals([BudgetLineInput("Máy", "máy", Decimal(1), 400_000_000, 200_000_000, 200_000_000)])
    assert check_cap(MACHINES, small).allowed_vnd == 200_000_000 and check_cap(MACHINES, small).ok


def test_rule_selection_by_date_scope_parent_and_province() -> None:
    old = SupportRule(2, "ND45-4.3.d", Scope.NATIONAL, None, Decimal(50), 150_000_000, "cơ sở", "TTLT 26/2014",
                      date(2014, 4, 1), date(2018, 5, 10))
    local = SupportRule(3, "ND45-4.3", Scope.LOCAL, "37", Decimal(40), 200_000_000, "cơ sở", "NQ HĐND",
                        date(2024, 1, 1))
    rules = [MACHINES, old, local]
    assert select_rule(rules, "ND45-4.3.d", Scope.NATIONAL, None, date(2017, 1, 1)) is old
    assert select_rule(rules, "ND45-4.3.d", Scope.NATIONAL, None, date(2026, 1, 1)) is MACHINES
    assert select_rule(rules, "ND45-4.3.d", Scope.LOCAL, "37", date(2026, 1, 1), "ND45-4.3") is local
    # A province without its own level is checked against the national one.
    assert select_rule(rules, "ND45-4.3.d", Scope.LOCAL, "01", date(2026, 1, 1), "ND45-4.3") is MACHINES
    assert select_rule(rules, "ND45-4.1", Scope.NATIONAL, None, date(2026, 1, 1)) is None


def test_advances_and_payments_limits() -> None:
    kw = {"approved_support_vnd": 100_000_000, "advanced_vnd": 0, "paid_vnd": 0, "accepted": False}
    check_disbursement(DisbursementKind.ADVANCE, 70_000_000, **kw)
    with pytest.raises(ValidationError, match=r"còn được tạm ứng 70\.000\.000"):
        check_disbursement(DisbursementKind.ADVANCE, 70_000_001, **kw)
    with pytest.raises(ValidationError, match=r"còn được tạm ứng 5\.000\.000"):
        check_disbursement(DisbursementKind.ADVANCE, 6_000_000, **{**kw, "advanced_vnd": 65_000_000,
                                                                   "paid_vnd": 65_000_000})
    with pytest.raises(ValidationError, match="vượt kinh phí khuyến công"):
        check_disbursement(DisbursementKind.PAYMENT, 40_000_000, **{**kw, "paid_vnd": 70_000_000, "accepted": True,
                                                                    "verified_support_vnd": 95_000_000})
    with pytest.raises(ValidationError, match="không tạm ứng"):
        check_disbursement(DisbursementKind.ADVANCE, 1, **{**kw, "accepted": True})
    with pytest.raises(ValidationError, match="lớn hơn 0"):
        check_disbursement(DisbursementKind.PAYMENT, 0, **kw)


def test_no_rule_is_a_warning_and_a_local_proposal_says_it_uses_the_national_rule() -> None:
    lines = totals([BudgetLineInput("Máy", "máy", Decimal(1), 400_000_000, 200_000_000, 200_000_000)])
    missing = check_cap(None, lines, scope=Scope.LOCAL)
    assert not missing.checked and "chưa kiểm tra được mức trần" in missing.message
    assert "Danh mục & cài đặt" in missing.message  # says where the rule is entered
    local = check_cap(MACHINES, lines, scope=Scope.LOCAL)
    assert local.checked and local.national_fallback and local.ok
    assert local.message.startswith("Tỉnh chưa có mức hỗ trợ khuyến công địa phương cho nội dung này; kiểm tra "
                                    "theo mức khuyến công quốc gia.")
    national = check_cap(MACHINES, lines, scope=Scope.NATIONAL)
    assert not national.national_fallback and "Tỉnh chưa có" not in national.message


def test_rules_apply_on_the_start_date_else_on_the_first_day_of_the_plan_year() -> None:
    assert rule_date(date(2026, 3, 1), 2026) == date(2026, 3, 1)
    assert rule_date(None, 2027) == date(2027, 1, 1)
