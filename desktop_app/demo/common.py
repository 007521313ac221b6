"""The demo generator's constants: counts, shares, the status mix, ages and gaps of the histories, and the
running records of one run (the proposal plans, the people who act)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from desktop_app.demo import vocab as V
from desktop_app.demo.text import _weighted
from desktop_app.domain.enums import (
    Action,
    LegalForm,
    Role,
    Scope,
    Status,
)

DEMO_PASSWORD = "demo12345"
SCREENSHOT_ADMIN = "quantri"  # the administrator the screenshots command creates (password: the demo one)
MAX_ESTABLISHMENTS = 1_000_000
MAX_PROPOSALS = 500_000
RUNNERS = (Role.ADMIN, Role.MANAGER)
#: The app setting naming the provinces whose proposals a centre keeps (codes separated by commas): a regional
#: centre serves several. Unset, a centre serves the province of its letterhead.
CENTRE_PROVINCES = "centre_provinces"
#: The day the 34 provinces replaced the 63: records made before it keep their old addresses.
_REFORM_DAY = date(2025, 7, 1)
#: The first year of the demo histories, so the reports of the 2018–2020 plans have data.
_FIRST_YEAR = 2018

_EST_BATCH = 5_000
_PROPOSAL_BATCH = 1_000
_UTC_MINUTES = 7 * 60  # office hours are local time (UTC+7); timestamps are stored in UTC
_UTC_OFFSET = timedelta(minutes=_UTC_MINUTES)
_OFFICE_OPENS = 8 * 60  # minutes after midnight, local time: the workflow steps of a day start at 8:00
_NATIONAL_ONLY = frozenset({"ND45-4.2.d", "ND45-4.4.c", "ND45-4.4.d", "ND45-4.4.g", "ND45-4.8.b"})
_GROUP_SHARE = 0.18
_BEFORE_MINISTRY = frozenset({Status.DRAFT, Status.SUBMITTED, Status.APPRAISING, Status.APPRAISED})
_FLAGSHIP_SHARE = 0.04

# Status mix of the proposals after the first ones (which cover every state of both scopes), per mille.
_STATUS_WEIGHTS: tuple[tuple[Status, int], ...] = (
    (Status.SETTLED, 300), (Status.ACCEPTED, 50), (Status.AWAITING_ACCEPTANCE, 50), (Status.IN_PROGRESS, 150),
    (Status.APPROVED, 50), (Status.APPRAISED, 40), (Status.SENT_TO_MINISTRY, 30), (Status.APPRAISING, 50),
    (Status.SUBMITTED, 60), (Status.DRAFT, 80), (Status.REJECTED, 60), (Status.CANCELLED, 40), (Status.STOPPED, 40),
)

# How long before "today" the last step of a proposal in each state happened: (min days, max days).
_AGE: dict[Status, tuple[int, int]] = {
    Status.DRAFT: (0, 60), Status.SUBMITTED: (0, 45), Status.APPRAISING: (0, 20), Status.APPRAISED: (0, 40),
    Status.SENT_TO_MINISTRY: (0, 90), Status.APPROVED: (0, 45), Status.IN_PROGRESS: (30, 240),
    Status.AWAITING_ACCEPTANCE: (0, 60), Status.ACCEPTED: (0, 120), Status.SETTLED: (0, 10 * 365),
    Status.REJECTED: (0, 10 * 365), Status.CANCELLED: (0, 10 * 365), Status.STOPPED: (0, 10 * 365),
}  # closed ones reach back to the first demo year (see ``chain``)

# Days from the previous step to each step: (min, max).
_GAP: dict[str, tuple[int, int]] = {
    "create": (0, 0), "submit": (3, 30), "return": (5, 20), "resubmit": (5, 25), "open": (7, 40),
    "pass": (10, 30), "fail": (10, 30), "send": (5, 30), "approve": (10, 60), "approve_national": (30, 120),
    "contract": (10, 60), "complete": (120, 300), "accept": (10, 45), "settle": (20, 70), "stop": (30, 150),
    "cancel": (5, 60),
}

# The action of each step of a history ("create" is none: the proposal is made in Dự thảo). From which status to
# which, and whether staff or a manager takes it, is the workflow table's (``history``).
_STEP_ACTIONS: dict[str, Action | None] = {
    "create": None, "submit": Action.SUBMIT, "return": Action.RETURN, "resubmit": Action.SUBMIT,
    "open": Action.OPEN_COUNCIL, "pass": Action.PASS_APPRAISAL, "fail": Action.FAIL_APPRAISAL,
    "send": Action.SEND_TO_MINISTRY, "approve": Action.APPROVE, "contract": Action.SIGN_CONTRACT,
    "complete": Action.REPORT_COMPLETION, "accept": Action.ACCEPT, "settle": Action.SETTLE,
    "cancel": Action.CANCEL, "stop": Action.STOP,
}


_FAMILY = _weighted(V.FAMILY_NAMES)
_LEGAL_FORMS = tuple(LegalForm)
_COMMON_SECTORS = frozenset({"MAY_TRE_DAN", "CHE_BIEN_NONG_SAN", "CHE_BIEN_THUC_PHAM", "CO_KHI", "DO_GO",
                             "DO_GO_MY_NGHE", "GOM_SU", "DET_MAY", "THU_CONG_MY_NGHE", "CO_KHI_NONG_NGHIEP",
                             "VLXD_KHONG_NUNG"})
_CRAFT_SECTORS = frozenset({"THU_CONG_MY_NGHE", "MAY_TRE_DAN", "GOM_SU", "SON_MAI", "DO_GO_MY_NGHE", "DET_THO_CAM",
                            "THEU_REN", "CHAM_KHAC"})
_FEMALE_SECTORS = frozenset({"DET_MAY", "THEU_REN", "DET_THO_CAM", "MAY_TRE_DAN", "CHE_BIEN_THUC_PHAM", "DA_GIAY"})
_WORKERS: dict[LegalForm, tuple[int, int]] = {
    LegalForm.HOUSEHOLD: (2, 15), LegalForm.COOPERATIVE_GROUP: (5, 30), LegalForm.COOPERATIVE: (10, 120),
    LegalForm.SME: (10, 250), LegalForm.ARTISAN: (1, 20),
}
_ACTIVITIES = {
    "machine": "Khảo sát, lựa chọn thiết bị; mua sắm, lắp đặt, chạy thử; chuyển giao kỹ thuật vận hành; tổng kết, "
               "nghiệm thu.",
    "model": "Xây dựng nhà xưởng, lắp đặt thiết bị; hoàn thiện quy trình công nghệ; hội nghị giới thiệu mô hình.",
    "training": "Tuyển sinh, khai giảng; giảng dạy lý thuyết và thực hành; kiểm tra, cấp chứng chỉ.",
    "fair": "Đăng ký, thuê gian hàng; thiết kế, dàn dựng; vận chuyển hàng trưng bày; tổng kết.",
    "default": "Chuẩn bị, tổ chức thực hiện các nội dung của đề án; tổng kết, nghiệm thu, quyết toán.",
}


# --- the generator --------------------------------------------------------------------------------------------------


@dataclass
class _ProposalPlan:
    """What is decided before the establishments exist: enough to order proposals by creation."""

    created: date
    order: int
    seed: int
    scope: Scope
    status: Status


@dataclass
class _People:
    staff: list[tuple[int, str]]  # (id, display name)
    managers: list[tuple[int, str]]
    appraisers: list[tuple[int, str, str]]  # (id, full name, title)
    created: list[str]
