"""What the documents print, as plain frozen records (a snapshot of one proposal's file, read in one transaction).

The document service fills a :class:`ProposalFile`; each document module turns it into a PDF. Nothing here
touches the database, so the documents are rendered and tested from records alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from desktop_app.domain.enums import CouncilKind, MemberRole, ProposalForm, Scope, Status
from desktop_app.domain.ledger import Ledger
from desktop_app.services.dto import BudgetLineView, TargetView


@dataclass(frozen=True)
class BeneficiaryRecord:
    name: str
    tax_code: str
    address: str
    representative: str
    representative_title: str
    phone: str
    legal_form: str


@dataclass(frozen=True)
class ProposalRecord:
    id: int
    code: str
    title: str
    year: int
    scope: Scope
    form: ProposalForm
    status: Status
    content_name: str
    content_basis: str
    sector_name: str
    implementing_unit: str
    partner_unit: str
    location: str
    start_date: date | None
    end_date: date | None
    necessity: str
    objectives: str
    scale: str
    activities: str
    organisation_plan: str
    effectiveness: str
    beneficiaries: tuple[BeneficiaryRecord, ...]
    lines: tuple[BudgetLineView, ...]
    targets: tuple[TargetView, ...]
    total_vnd: int
    support_vnd: int
    counterpart_vnd: int
    other_vnd: int
    approved_support_vnd: int | None
    approved_on: date | None
    approval_number: str
    submitted_on: date | None


@dataclass(frozen=True)
class CriterionRecord:
    id: int
    position: int
    name: str
    max_points: Decimal


@dataclass(frozen=True)
class MemberRecord:
    member_id: int
    user_id: int | None
    full_name: str
    title: str
    role: MemberRole
    conflict: bool
    conflict_note: str
    submitted: bool
    points: dict[int, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    comment: str = ""
    submitted_on: date | None = None


@dataclass(frozen=True)
class CouncilRecord:
    kind: CouncilKind
    decision_number: str
    decision_date: date | None
    meeting_date: date | None
    place: str
    pass_mark: Decimal
    criteria: tuple[CriterionRecord, ...]
    members: tuple[MemberRecord, ...]
    average: Decimal | None
    passed: bool | None
    concluded: bool
    concluded_on: date | None
    conclusion: str
    minutes_number: str

    def member(self, role: MemberRole) -> MemberRecord | None:
        return next((m for m in self.members if m.role is role), None)


@dataclass(frozen=True)
class DecisionRecord:
    kind: str
    number: str
    signed_on: date | None
    signer: str
    signer_title: str
    amount_vnd: int | None
    note: str


@dataclass(frozen=True)
class ContractRecord:
    number: str
    signed_on: date
    party_a: str
    party_b: str
    value_vnd: int
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class AcceptanceLineRecord:
    item: str
    unit: str
    quantity: Decimal
    planned_total_vnd: int
    planned_support_vnd: int
    support_vnd: int
    counterpart_vnd: int
    other_vnd: int

    @property
    def total_vnd(self) -> int:
        return self.support_vnd + self.counterpart_vnd + self.other_vnd


@dataclass(frozen=True)
class AcceptanceRecord:
    held_on: date
    place: str
    passed: bool
    conclusion: str
    minutes_number: str
    lines: tuple[AcceptanceLineRecord, ...]
    members: tuple[MemberRecord, ...]
    signed_off: bool
    signed_off_by: str

    @property
    def support_vnd(self) -> int:
        return sum(x.support_vnd for x in self.lines)

    @property
    def counterpart_vnd(self) -> int:
        return sum(x.counterpart_vnd for x in self.lines)

    @property
    def other_vnd(self) -> int:
        return sum(x.other_vnd for x in self.lines)

    @property
    def total_vnd(self) -> int:
        return self.support_vnd + self.counterpart_vnd + self.other_vnd


@dataclass(frozen=True)
class LiquidationRecord:
    number: str
    signed_on: date
    accepted_value_vnd: int
    paid_vnd: int
    remaining_vnd: int
    note: str
    advanced_vnd: int


@dataclass(frozen=True)
class SettlementRecord:
    number: str
    settled_on: date
    settled_support_vnd: int
    returned_vnd: int
    note: str


@dataclass(frozen=True)
class ProposalFile:
    """Everything the documents of one proposal print."""

    proposal: ProposalRecord
    council: CouncilRecord | None = None
    approval: DecisionRecord | None = None
    contract: ContractRecord | None = None
    acceptance: AcceptanceRecord | None = None
    liquidation: LiquidationRecord | None = None
    ledger: Ledger | None = None  # the stage figures every document states (domain.ledger)
    acceptance_council: CouncilRecord | None = None
    settlement: SettlementRecord | None = None
