"""Plain frozen records handed to the GUI and the CLI. No ORM object ever leaves the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Generic, TypeVar

from desktop_app.domain.enums import (
    Action,
    CouncilKind,
    DisbursementKind,
    DocumentKind,
    LegalForm,
    MemberRole,
    Record,
    Role,
    Scope,
    Status,
)
from desktop_app.domain.ledger import Ledger
from desktop_app.domain.records import (  # noqa: F401  (part of what the GUI receives)
    BudgetLineView,
    EstablishmentInput,
    OrganisationInfo,
    ProposalInput,
    TargetView,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list plus the total number of matching rows."""

    rows: list[T]
    total: int
    offset: int


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    title: str
    role: Role
    active: bool
    locked: bool


@dataclass(frozen=True)
class CodeName:
    """An entry of a code list (province, commune, content, sector …)."""

    code: str
    name: str
    parent: str | None = None
    extra: str = ""


@dataclass(frozen=True)
class EstablishmentRow:
    """A row of the establishment list."""

    id: int
    name: str
    legal_form: LegalForm
    tax_code: str
    representative: str
    phone: str
    province_name: str
    commune_name: str
    sector_name: str
    workers: int | None
    archived: bool


@dataclass(frozen=True)
class EstablishmentDetail:
    id: int
    data: EstablishmentInput
    province_name: str
    commune_name: str
    sector_name: str
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def address(self) -> str:
        parts = [self.data.street, self.commune_name, self.province_name]
        return ", ".join(p for p in parts if p) or self.data.address_as_recorded


@dataclass(frozen=True)
class EstablishmentFilter:
    text: str = ""
    province_code: str | None = None
    commune_code: str | None = None
    sector_code: str | None = None
    legal_form: LegalForm | None = None
    include_archived: bool = False


@dataclass(frozen=True)
class Duplicate:
    id: int
    name: str
    tax_code: str
    commune_name: str
    reason: str


@dataclass(frozen=True)
class ProposalRow:
    """A row of the proposal list."""

    id: int
    code: str
    title: str
    year: int
    scope: Scope
    status: Status
    content_name: str
    beneficiary: str
    province_name: str
    commune_name: str
    sector_name: str
    start_date: date | None
    end_date: date | None
    total_vnd: int
    support_vnd: int
    counterpart_vnd: int
    other_vnd: int
    approved_support_vnd: int | None
    advanced_vnd: int
    paid_vnd: int


@dataclass(frozen=True)
class ProposalFilter:
    """What the proposal lists filter on; ``statuses`` keeps the proposals in any of them (filtered in the query,
    so paging, sorting and the count are the database's)."""

    text: str = ""
    year: int | None = None
    scope: Scope | None = None
    status: Status | None = None
    content_code: str | None = None
    province_code: str | None = None
    establishment_id: int | None = None
    statuses: tuple[Status, ...] = ()


@dataclass(frozen=True)
class BeneficiaryView:
    establishment_id: int
    name: str
    tax_code: str
    address: str


@dataclass(frozen=True)
class CapView:
    ok: bool
    message: str
    allowed_vnd: int | None
    rule_legal_basis: str
    #: False when no rule applied and nothing was checked: a warning, not a pass.
    checked: bool = True


@dataclass(frozen=True)
class ProposalDetail:
    id: int
    data: ProposalInput
    status: Status
    content_name: str
    sector_name: str
    province_name: str
    commune_name: str
    lines: list[BudgetLineView]
    beneficiaries: list[BeneficiaryView]
    targets: list[TargetView]
    total_vnd: int
    support_vnd: int
    counterpart_vnd: int
    other_vnd: int
    approved_support_vnd: int | None
    approved_on: date | None
    approval_number: str
    cap: CapView
    version: int
    imported: bool

    @property
    def code(self) -> str:
        return self.data.code

    @property
    def title(self) -> str:
        return self.data.title

    @property
    def support_percent(self) -> int | None:
        return self.data.support_percent


@dataclass(frozen=True)
class ActionOption:
    """A status change of the workflow table from the current state, or a record of its records table (a
    ``Record``, listed in every state); ``refusal`` is why the user may not take it now."""

    action: Action | Record
    label: str
    refusal: str | None
    needs_note: bool
    needs_document: bool

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    @property
    def step(self) -> bool:
        """A status change (a button of the action bar), not a record."""
        return isinstance(self.action, Action)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    username: str  # who, as people know them: the user's full name (the login name when none was entered)
    kind: str  # "status" or "audit"
    text: str
    document_number: str = ""
    document_date: date | None = None


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    filename: str
    content_type: str
    size_bytes: int
    uploaded_at: datetime
    uploaded_by: str


@dataclass(frozen=True)
class MemberInput:
    full_name: str
    role: MemberRole
    title: str = ""
    user_id: int | None = None


@dataclass(frozen=True)
class CriterionView:
    id: int
    position: int
    name: str
    max_points: Decimal


@dataclass(frozen=True)
class SheetView:
    id: int
    member_id: int
    member_name: str
    member_role: MemberRole
    user_id: int | None
    conflict: bool
    conflict_note: str
    submitted: bool
    points: dict[int, Decimal]
    total: Decimal | None
    comment: str
    version: int


@dataclass(frozen=True)
class CouncilView:
    id: int
    proposal_id: int
    proposal_code: str
    proposal_title: str
    kind: CouncilKind
    decision_number: str
    decision_date: date | None
    meeting_date: date | None
    place: str
    pass_mark: Decimal
    criteria: list[CriterionView]
    sheets: list[SheetView]
    average: Decimal | None
    passed: bool | None
    concluded: bool
    conclusion: str
    minutes_number: str
    counted: int
    pending: int
    excluded: int
    version: int
    #: True when the viewer is a member who may not see the other members' points yet (independent scoring):
    #: their sheets come without points, total or comment, and the average and result are None.
    scores_hidden: bool = False


@dataclass(frozen=True)
class ScoreTask:
    """A score sheet waiting for an appraiser."""

    sheet_id: int
    council_id: int
    proposal_id: int
    proposal_code: str
    proposal_title: str
    meeting_date: date | None
    submitted: bool


@dataclass(frozen=True)
class ContractView:
    number: str
    signed_on: date
    party_a: str
    party_b: str
    value_vnd: int
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class DisbursementView:
    id: int
    kind: DisbursementKind
    paid_on: date
    amount_vnd: int
    voucher_number: str
    note: str


@dataclass(frozen=True)
class ProgressView:
    id: int
    year: int
    month: int
    reported_on: date
    progress_percent: int
    spent_vnd: int
    note: str
    confirmed: bool


@dataclass(frozen=True)
class AcceptanceLineInput:
    budget_line_id: int
    verified_support_vnd: int
    verified_counterpart_vnd: int
    verified_other_vnd: int = 0


@dataclass(frozen=True)
class AcceptanceView:
    held_on: date
    place: str
    passed: bool
    conclusion: str
    minutes_number: str
    lines: list[AcceptanceLineInput]
    verified_support_vnd: int
    verified_counterpart_vnd: int
    verified_other_vnd: int
    signed_off: bool
    signed_off_by: str
    members: list[MemberInput]
    version: int
    needs_review: bool = False
    review_note: str = ""


@dataclass(frozen=True)
class LiquidationView:
    number: str
    signed_on: date
    accepted_value_vnd: int
    paid_vnd: int
    remaining_vnd: int
    note: str


@dataclass(frozen=True)
class SettlementView:
    number: str
    settled_on: date
    settled_support_vnd: int
    returned_vnd: int
    note: str


@dataclass(frozen=True)
class FinanceView:
    """Everything the Giải ngân screen shows for one proposal."""

    proposal_id: int
    status: Status
    approved_support_vnd: int | None
    advance_percent: Decimal
    advance_limit_vnd: int
    advanced_vnd: int
    paid_vnd: int
    remaining_vnd: int
    advance_remaining_vnd: int
    contract: ContractView | None
    disbursements: list[DisbursementView]
    progress: list[ProgressView]
    acceptance: AcceptanceView | None
    liquidation: LiquidationView | None
    settlement: SettlementView | None
    ledger: Ledger | None = None


@dataclass(frozen=True)
class SupportRuleView:
    id: int
    content_code: str
    content_name: str
    scope: Scope
    province_code: str | None
    max_percent: Decimal
    cap_vnd: int | None
    unit: str
    legal_basis: str
    valid_from: date
    valid_to: date | None
    note: str
    version: int


@dataclass(frozen=True)
class TemplateView:
    id: int
    name: str
    pass_mark: Decimal
    is_default: bool
    active: bool
    criteria: list[CriterionView]
    version: int


@dataclass(frozen=True)
class DueItem:
    """Something due or overdue, for the dashboard."""

    kind: str
    text: str
    due: date
    overdue: bool
    proposal_id: int | None = None


@dataclass(frozen=True)
class DashboardData:
    by_status: dict[Status, int]
    funding: list[tuple[int, Scope, int, int, int]]  # year, scope, approved proposals, approved, disbursed
    due: list[DueItem]
    tasks: list[str] = field(default_factory=list)
    score_tasks: list[ScoreTask] = field(default_factory=list)
    task_codes: list[list[str]] = field(default_factory=list)  # the proposals behind each line of ``tasks``


@dataclass(frozen=True)
class DocumentOption:
    """A document that may be printed for a proposal; ``reason`` says why not when ``enabled`` is False.

    Score sheets come one per council member (``member_id``); ``filename`` is a suggested file name.
    """

    kind: DocumentKind
    label: str
    enabled: bool
    reason: str = ""
    member_id: int | None = None
    filename: str = ""
    blank: bool = False  # the form to fill by hand at the meeting (score sheet, acceptance minutes)


@dataclass(frozen=True)
class ReportResult:
    """What a report export wrote: the file, the number of data rows, and the "Tổng cộng" figures by column."""

    path: str
    rows: int
    totals: dict[str, int] = field(default_factory=dict)



@dataclass(frozen=True)
class DemoResult:
    """What ``desktop_app.demo.DemoService.generate`` wrote."""

    establishments: int
    proposals: int
    seed: int
    by_status: dict[Status, int]
    by_legal_form: dict[LegalForm, int]
    by_scope: dict[Scope, int]
    rows: int  # rows written in all tables
    created_users: list[str]  # demo users made because the database had none of a needed role
    password: str  # their password ("" when none was made)
    seconds: float
