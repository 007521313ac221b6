"""Points of a score sheet as the user reads and types them: a decimal comma, at most two decimals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

#: What a score cell accepts while typing: up to three digits, a comma or a dot, up to two decimals.
POINTS_PATTERN = r"[0-9]{0,3}([.,][0-9]{0,2})?"


def format_points(value: Decimal | None, places: int | None = None) -> str:
    """Points with a decimal comma: ``Decimal("12.50")`` → ``"12,5"``; with ``places=2`` → ``"12,50"``."""
    if value is None:
        return ""
    if places is not None:
        text = f"{value.quantize(Decimal(1).scaleb(-places)):f}"
    else:
        text = f"{value.normalize():f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def parse_points(text: str) -> Decimal | None:
    """Points typed with a comma or a dot ("12,5"); None when empty or unreadable."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
