"""What the report families share: who may run them, the groupings and stages, the headings' wording and
the small helpers turning a ledger into cells."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.domain.enums import Role, Scope, Stage, Status
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.ledger import Ledger, Split
from desktop_app.domain.vietnamese import sort_key
from desktop_app.store import report_queries
from desktop_app.store.database import streaming_cache

REPORTERS = (Role.STAFF, Role.MANAGER)
GROUPS = report_queries.GROUPS
GROUP_HEADERS = {"year": "Năm", "province": "Tỉnh, thành phố", "commune": "Xã, phường, đặc khu",
                 "sector": "Ngành nghề", "content": "Nội dung hoạt động khuyến công", "scope": "Nguồn kinh phí"}
GROUP_WORDS = {"year": "năm", "province": "tỉnh, thành phố", "commune": "xã, phường", "sector": "ngành nghề",
               "content": "nội dung hoạt động", "scope": "nguồn kinh phí"}
UNKNOWN = "(Chưa xác định)"

#: The stages a funding summary can sum (``--stage``); the ledger decides which proposals have a figure there.
STAGES = [s.value for s in Stage]
#: Statuses the KCQG registration list holds by default: proposals that passed appraisal.
REGISTERED = (Status.APPRAISED, Status.SENT_TO_MINISTRY)
STOPPED_RULE = ("Đề án ngừng thực hiện chỉ được tính số đã giải ngân (phải thu hồi hoặc quyết toán); "
                "kinh phí phê duyệt của đề án đó không còn được tính.")
MONEY_KEYS = ("total", "support", "counterpart", "other")
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    """Roman numerals for group headings: 1 → "I", 14 → "XIV"."""
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def check_years(from_year: int, to_year: int) -> None:
    for value, field in ((from_year, "from_year"), (to_year, "to_year")):
        if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
            raise ValidationError("Năm báo cáo phải trong khoảng 2000–2100.", field=field)
    if from_year > to_year:
        raise ValidationError(f"Năm bắt đầu ({from_year}) sau năm kết thúc ({to_year}).", field="from_year")


def period_text(from_year: int, to_year: int) -> str:
    return f"Năm {from_year}" if from_year == to_year else f"Từ năm {from_year} đến năm {to_year}"


def scope_text(scope: Scope | None) -> str:
    return f"Nguồn kinh phí: {scope.label.lower()}" if scope else "Nguồn kinh phí: khuyến công quốc gia và địa phương"


@dataclass(frozen=True)
class FundingGroup:
    """One line of the funding summary: its keys (code, label) and the sums."""

    keys: tuple[tuple[Any, str], ...]
    count: int
    total: int
    support: int
    counterpart: int
    other: int

    def money(self) -> list[int]:
        return [self.count, self.total, self.support, self.counterpart, self.other]


def split_cells(x: Split) -> list[int]:
    return [x.total_vnd, x.support_vnd, x.counterpart_vnd, x.other_vnd]


def figures(lg: Ledger, *wanted: tuple[Stage, str]) -> list[int | None]:
    """Cells of stage figures: (stage, "total" | "support"), empty where the proposal has none at that stage."""
    out: list[int | None] = []
    for stage, part in wanted:
        x = lg.stage(stage)
        out.append(None if x is None else (x.total_vnd if part == "total" else x.support_vnd))
    return out


def has_split(stage: Stage) -> bool:
    """Whether the stage's figure is split into support, counterpart and other (a budget), or is one amount."""
    return stage in (Stage.REQUESTED, Stage.APPROVED, Stage.ACCEPTED)


def stage_rule(stage: Stage) -> str:
    """Which proposals a stage's total holds, in words (the ledger's one rule)."""
    return {
        Stage.REQUESTED: "mọi đề án trừ đề án đã hủy",
        Stage.APPROVED: "đề án đã phê duyệt, trừ đề án ngừng thực hiện",
        Stage.CONTRACTED: "đề án đã ký hợp đồng, trừ đề án ngừng thực hiện",
        Stage.DISBURSED: "mọi đề án đã tạm ứng, thanh toán, kể cả đề án ngừng thực hiện",
        Stage.ACCEPTED: "đề án đã được ký duyệt kết quả nghiệm thu",
        Stage.SETTLED: "đề án đã quyết toán",
    }[stage]


def group_sort(key: str, code: Any, label: str) -> tuple[int, Any]:
    if code is None:
        return (2, "")
    if key == "year":
        return (0, int(code))
    if key == "scope":
        return (0, 0 if code == Scope.NATIONAL.value else 1)
    return (0, sort_key(label))


def group_label(key: str, code: Any, label: Any) -> str:
    if code is None:
        return UNKNOWN
    if key == "scope":
        return Scope(code).label
    return str(label) if label not in (None, "") else UNKNOWN


def stream_rows(s: Session, query: Any, order: Sequence[Any]) -> Iterator[Any]:
    """Rows in batches (flat memory on large exports); the cursor is closed even when the export stops early."""
    with streaming_cache(s):
        result = s.execute(query.order_by(*order).execution_options(yield_per=2000))
        try:
            yield from result
        finally:
            result.close()


def location_text(commune: str, province: str, as_recorded: str) -> str:
    if as_recorded:
        return as_recorded
    return ", ".join(x for x in (commune, province) if x)
