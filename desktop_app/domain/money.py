"""Money is an integer number of đồng. Ratios use ``Decimal``; there is one rounding rule, here."""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

Percent = Decimal


def require_vnd(value: object, field: str = "Số tiền") -> int:
    """Return ``value`` as đồng, refusing floats and other non-integers.

    Args:
        value: the amount; ``int`` (not ``bool``) only.
        field: name of the field for the error message.

    Raises:
        TypeError: when the value is not an integer (a float sneaking in is a bug, not user input).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field}: số tiền phải là số nguyên đồng, nhận {type(value).__name__}")
    return value


def round_vnd(value: Decimal | int) -> int:
    """The one rounding rule for money: to the nearest đồng, halves away from zero."""
    if isinstance(value, int):
        return value
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def share_of(amount_vnd: int, percent: Decimal | int) -> int:
    """``percent`` % of ``amount_vnd`` in đồng, rounded down so a limit is never exceeded by rounding."""
    value = Decimal(amount_vnd) * Decimal(percent) / Decimal(100)
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def line_amount(quantity: Decimal, unit_price_vnd: int) -> int:
    """Quantity × unit price of a budget line, in đồng."""
    return round_vnd(Decimal(quantity) * unit_price_vnd)
