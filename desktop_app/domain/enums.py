"""Code lists as string enums. The value is what the database stores; ``label`` is what a user reads."""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    """A string enum whose members carry a Vietnamese label."""

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs in declaration order, for pickers and drop-down lists."""
        return [(m.value, m.label) for m in cls]


class Role(_Labelled):
    ADMIN = "admin"
    STAFF = "staff"
    APPRAISER = "appraiser"
    MANAGER = "manager"


class Scope(_Labelled):
    NATIONAL = "national"
    LOCAL = "local"

    @property
    def short(self) -> str:
        return "KCQG" if self is Scope.NATIONAL else "KCĐP"


class LegalForm(_Labelled):
    SME = "sme"
    COOPERATIVE = "cooperative"
    COOPERATIVE_GROUP = "coop_group"
    HOUSEHOLD = "household"
    ARTISAN = "artisan"


class ProposalForm(_Labelled):
    SINGLE = "single"
    GROUP = "group"
    FLAGSHIP = "flagship"


class Status(_Labelled):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPRAISING = "appraising"
    APPRAISED = "appraised"
    SENT_TO_MINISTRY = "sent_to_ministry"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    ACCEPTED = "accepted"
    SETTLED = "settled"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    STOPPED = "stopped"

    @property
    def is_closed(self) -> bool:
        return self in (Status.SETTLED, Status.REJECTED, Status.CANCELLED, Status.STOPPED)


class Action(_Labelled):
    SUBMIT = "submit"
    RETURN = "return"
    OPEN_COUNCIL = "open_council"
    PASS_APPRAISAL = "pass_appraisal"
    FAIL_APPRAISAL = "fail_appraisal"
    SEND_TO_MINISTRY = "send_to_ministry"
    APPROVE = "approve"
    SIGN_CONTRACT = "sign_contract"
    REPORT_COMPLETION = "report_completion"
    ACCEPT = "accept"
    SETTLE = "settle"
    CANCEL = "cancel"
    STOP = "stop"
    WITHDRAW = "withdraw"
    IMPORT = "import"


class Record(_Labelled):
    """What is recorded on a proposal besides its status changes; ``domain.workflow.RECORDS`` says in which
    states and by whom. The values differ from every ``Action`` value, so both can key one mapping."""

    EDIT = "edit"
    DELETE = "delete"
    ATTACH = "attach"
    DETACH = "detach"
    SCORE = "score"
    DISBURSE = "disburse"
    PROGRESS = "progress"
    ACCEPTANCE = "acceptance"
    REVIEW_ACCEPTANCE = "review_acceptance"
    LIQUIDATE = "liquidate"


class Stage(_Labelled):
    """The six stages of a proposal's money (DESIGN.md §3a); ``domain.ledger`` computes each figure."""

    REQUESTED = "requested"
    APPROVED = "approved"
    CONTRACTED = "contracted"
    DISBURSED = "disbursed"
    ACCEPTED = "accepted"
    SETTLED = "settled"

    @property
    def words(self) -> str:
        """The words a report's title uses for the figure it sums."""
        return _STAGE_TITLES[self]


class CouncilKind(_Labelled):
    APPRAISAL = "appraisal"
    ACCEPTANCE = "acceptance"


class MemberRole(_Labelled):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    SECRETARY = "secretary"
    MEMBER = "member"


class DisbursementKind(_Labelled):
    ADVANCE = "advance"
    PAYMENT = "payment"


class DecisionKind(_Labelled):
    COUNCIL = "council"
    APPROVAL = "approval"
    MINISTRY = "ministry"
    ADJUSTMENT = "adjustment"
    STOP = "stop"


class Outcome(_Labelled):
    MACHINES = "machines"
    PRODUCTION_VALUE = "production_value"
    JOBS = "jobs"
    TRAINED = "trained"
    AVERAGE_INCOME = "average_income"
    TRADEMARKS = "trademarks"

    @property
    def unit(self) -> str:
        return _OUTCOME_UNITS[self]


class DocumentKind(_Labelled):
    """The documents printed for one proposal."""

    PROPOSAL = "proposal"
    COUNCIL = "council"
    SCORE_SHEET = "score_sheet"
    APPRAISAL = "appraisal"
    DECISION = "decision"
    CONTRACT = "contract"
    ACCEPTANCE_COUNCIL = "acceptance_council"
    ACCEPTANCE = "acceptance"
    LIQUIDATION = "liquidation"
    SETTLEMENT = "settlement"
    DOSSIER = "dossier"


_OUTCOME_UNITS = {
    Outcome.MACHINES: "máy/dây chuyền",
    Outcome.PRODUCTION_VALUE: "đồng/năm",
    Outcome.JOBS: "người",
    Outcome.TRAINED: "người",
    Outcome.AVERAGE_INCOME: "đồng/người/tháng",
    Outcome.TRADEMARKS: "sản phẩm/nhãn hiệu",
}

_STAGE_TITLES = {
    Stage.REQUESTED: "kinh phí đề nghị",
    Stage.APPROVED: "kinh phí được phê duyệt",
    Stage.CONTRACTED: "giá trị hợp đồng",
    Stage.DISBURSED: "kinh phí đã giải ngân",
    Stage.ACCEPTED: "kinh phí nghiệm thu",
    Stage.SETTLED: "kinh phí quyết toán",
}

_LABELS: dict[StrEnum, str] = {
    Stage.REQUESTED: "Đề nghị",
    Stage.APPROVED: "Phê duyệt",
    Stage.CONTRACTED: "Hợp đồng",
    Stage.DISBURSED: "Giải ngân",
    Stage.ACCEPTED: "Nghiệm thu",
    Stage.SETTLED: "Quyết toán",
    Role.ADMIN: "Quản trị hệ thống",
    Role.STAFF: "Cán bộ nghiệp vụ",
    Role.APPRAISER: "Thành viên hội đồng",
    Role.MANAGER: "Lãnh đạo",
    Scope.NATIONAL: "Khuyến công quốc gia",
    Scope.LOCAL: "Khuyến công địa phương",
    LegalForm.SME: "Doanh nghiệp nhỏ và vừa",
    LegalForm.COOPERATIVE: "Hợp tác xã",
    LegalForm.COOPERATIVE_GROUP: "Tổ hợp tác",
    LegalForm.HOUSEHOLD: "Hộ kinh doanh",
    LegalForm.ARTISAN: "Nghệ nhân",
    ProposalForm.SINGLE: "Đề án đơn lẻ",
    ProposalForm.GROUP: "Đề án nhóm",
    ProposalForm.FLAGSHIP: "Đề án điểm",
    Status.DRAFT: "Dự thảo",
    Status.SUBMITTED: "Chờ thẩm định",
    Status.APPRAISING: "Đang thẩm định",
    Status.APPRAISED: "Đạt thẩm định",
    Status.SENT_TO_MINISTRY: "Đã gửi Bộ",
    Status.APPROVED: "Đã phê duyệt",
    Status.IN_PROGRESS: "Đang thực hiện",
    Status.AWAITING_ACCEPTANCE: "Chờ nghiệm thu",
    Status.ACCEPTED: "Đã nghiệm thu",
    Status.SETTLED: "Đã quyết toán",
    Status.REJECTED: "Không đạt",
    Status.CANCELLED: "Hủy",
    Status.STOPPED: "Ngừng thực hiện",
    Action.SUBMIT: "Nộp đề án",
    Action.RETURN: "Trả lại để chỉnh sửa",
    Action.OPEN_COUNCIL: "Mở hội đồng thẩm định",
    Action.PASS_APPRAISAL: "Kết luận đạt thẩm định",
    Action.FAIL_APPRAISAL: "Kết luận không đạt",
    Action.SEND_TO_MINISTRY: "Gửi Bộ Công Thương",
    Action.APPROVE: "Phê duyệt",
    Action.SIGN_CONTRACT: "Ký hợp đồng",
    Action.REPORT_COMPLETION: "Báo cáo hoàn thành, chờ nghiệm thu",
    Action.ACCEPT: "Ký duyệt nghiệm thu",
    Action.SETTLE: "Quyết toán",
    Action.CANCEL: "Hủy đề án",
    Action.STOP: "Ngừng thực hiện",
    Action.WITHDRAW: "Rút lại đề án",
    Action.IMPORT: "Nhập từ Excel",
    Record.EDIT: "Sửa đề án",
    Record.DELETE: "Xóa đề án",
    Record.ATTACH: "Đính kèm tệp",
    Record.DETACH: "Xóa tệp đính kèm",
    Record.SCORE: "Chấm điểm",
    Record.DISBURSE: "Tạm ứng, thanh toán",
    Record.PROGRESS: "Báo cáo tiến độ",
    Record.ACCEPTANCE: "Ghi kết quả nghiệm thu",
    Record.REVIEW_ACCEPTANCE: "Xác nhận kết quả nghiệm thu đã kiểm tra lại",
    Record.LIQUIDATE: "Thanh lý hợp đồng",
    CouncilKind.APPRAISAL: "Hội đồng thẩm định",
    CouncilKind.ACCEPTANCE: "Hội đồng nghiệm thu",
    MemberRole.CHAIR: "Chủ tịch",
    MemberRole.VICE_CHAIR: "Phó Chủ tịch",
    MemberRole.SECRETARY: "Thư ký",
    MemberRole.MEMBER: "Ủy viên",
    DisbursementKind.ADVANCE: "Tạm ứng",
    DisbursementKind.PAYMENT: "Thanh toán",
    DecisionKind.COUNCIL: "Quyết định thành lập hội đồng",
    DecisionKind.APPROVAL: "Quyết định phê duyệt",
    DecisionKind.MINISTRY: "Quyết định của Bộ Công Thương",
    DecisionKind.ADJUSTMENT: "Quyết định điều chỉnh",
    DecisionKind.STOP: "Quyết định ngừng thực hiện",
    Outcome.MACHINES: "Máy móc, dây chuyền được lắp đặt",
    Outcome.PRODUCTION_VALUE: "Giá trị sản xuất tăng thêm",
    Outcome.JOBS: "Việc làm mới",
    Outcome.TRAINED: "Lao động được đào tạo",
    Outcome.AVERAGE_INCOME: "Thu nhập bình quân của người lao động",
    Outcome.TRADEMARKS: "Sản phẩm, nhãn hiệu được đăng ký",
    DocumentKind.PROPOSAL: "Đề án",
    DocumentKind.COUNCIL: "Quyết định thành lập hội đồng thẩm định",
    DocumentKind.CONTRACT: "Hợp đồng thực hiện đề án",
    DocumentKind.ACCEPTANCE_COUNCIL: "Quyết định thành lập hội đồng nghiệm thu",
    DocumentKind.SETTLEMENT: "Quyết định phê duyệt quyết toán",
    DocumentKind.SCORE_SHEET: "Phiếu thẩm định",
    DocumentKind.APPRAISAL: "Biên bản họp hội đồng thẩm định",
    DocumentKind.DECISION: "Quyết định phê duyệt",
    DocumentKind.ACCEPTANCE: "Biên bản nghiệm thu",
    DocumentKind.LIQUIDATION: "Biên bản thanh lý hợp đồng",
    DocumentKind.DOSSIER: "Hồ sơ đề án (gộp)",
}
