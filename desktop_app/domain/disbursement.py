"""Advance and payment limits: advances before acceptance within a share of approved support; total paid
never above the support that may be paid."""

from __future__ import annotations

from decimal import Decimal

from desktop_app.domain.enums import DisbursementKind
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import share_of
from desktop_app.domain.vietnamese import format_vnd

DEFAULT_ADVANCE_PERCENT = Decimal(70)


def check_disbursement(kind: DisbursementKind, amount_vnd: int, *, approved_support_vnd: int,
                       advanced_vnd: int, paid_vnd: int, accepted: bool,
                       advance_percent: Decimal = DEFAULT_ADVANCE_PERCENT,
                       verified_support_vnd: int | None = None) -> None:
    """Refuse an advance or payment that breaks a limit.

    Args:
        amount_vnd: the new amount.
        advanced_vnd: advances already recorded.
        paid_vnd: everything already disbursed (advances + payments).
        accepted: whether acceptance has been signed off (after it, only the total limit applies).
        verified_support_vnd: support verified at acceptance; when known it lowers the ceiling.

    Raises:
        ValidationError: with the limit, what is already used and what remains.
    """
    if amount_vnd <= 0:
        raise ValidationError("Số tiền phải lớn hơn 0.", field="amount_vnd")
    ceiling = approved_support_vnd
    if verified_support_vnd is not None:
        ceiling = min(ceiling, verified_support_vnd)
    if paid_vnd + amount_vnd > ceiling:
        raise ValidationError(
            f"Tổng số chi {format_vnd(paid_vnd + amount_vnd)} đồng vượt kinh phí khuyến công "
            f"{format_vnd(ceiling)} đồng; còn lại được chi {format_vnd(max(ceiling - paid_vnd, 0))} đồng.",
            field="amount_vnd",
        )
    if kind is DisbursementKind.ADVANCE:
        if accepted:
            raise ValidationError("Đề án đã nghiệm thu: ghi nhận thanh toán, không tạm ứng.", field="kind")
        limit = share_of(approved_support_vnd, advance_percent)
        if advanced_vnd + amount_vnd > limit:
            pct = f"{advance_percent.normalize():f}".replace(".", ",")
            raise ValidationError(
                f"Tạm ứng lũy kế {format_vnd(advanced_vnd + amount_vnd)} đồng vượt {pct}% kinh phí được duyệt "
                f"({format_vnd(limit)} đồng); còn được tạm ứng {format_vnd(max(limit - advanced_vnd, 0))} đồng.",
                field="amount_vnd",
            )
