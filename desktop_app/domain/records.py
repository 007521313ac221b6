"""The plain records that travel between the layers below the GUI: the centre's letterhead data, what an
importer or a form hands in (establishment, proposal), and the budget lines and outcome targets a document prints.

They hold no behaviour beyond derived sums; the services fill them, the reports and importers read them, and
``services.dto`` exports them with the rest of what the GUI receives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop_app.domain.enums import LegalForm, ProposalForm, Scope
from desktop_app.domain.ledger import Split


@dataclass(frozen=True)
class OrganisationInfo:
    name: str
    parent_body: str
    abbreviation: str
    province_code: str | None
    province_name: str
    place_name: str
    director_name: str
    director_title: str
    address: str
    phone: str
    email: str
    version: int


@dataclass(frozen=True)
class EstablishmentInput:
    name: str
    legal_form: LegalForm
    tax_code: str = ""
    representative: str = ""
    representative_title: str = ""
    phone: str = ""
    email: str = ""
    province_code: str | None = None
    commune_code: str | None = None
    street: str = ""
    address_as_recorded: str = ""
    legacy_ward_code: str | None = None
    address_needs_review: bool = False
    sector_code: str | None = None
    main_products: str = ""
    workers: int | None = None
    female_workers: int | None = None
    founded_on: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class BudgetLineView:
    id: int | None
    position: int
    item: str
    unit: str
    quantity: Decimal
    unit_price_vnd: int
    support_vnd: int
    counterpart_vnd: int
    other_vnd: int
    approved: Split | None = None  # the approved budget's line (DESIGN.md §3a), once approved

    @property
    def total_vnd(self) -> int:
        return self.support_vnd + self.counterpart_vnd + self.other_vnd

    @property
    def budget(self) -> Split:
        """The line as it now binds: the approved line once approved, else the request."""
        return self.approved or Split(self.support_vnd, self.counterpart_vnd, self.other_vnd)


@dataclass(frozen=True)
class ProposalInput:
    """The general tab of a proposal (everything but lines, beneficiaries and targets)."""

    title: str
    year: int
    scope: Scope
    content_code: str
    form: ProposalForm = ProposalForm.SINGLE
    code: str = ""
    sector_code: str | None = None
    implementing_unit: str = ""
    partner_unit: str = ""
    province_code: str | None = None
    commune_code: str | None = None
    location_as_recorded: str = ""
    legacy_ward_code: str | None = None
    address_needs_review: bool = False
    start_date: date | None = None
    end_date: date | None = None
    necessity: str = ""
    objectives: str = ""
    scale: str = ""
    activities: str = ""
    organisation_plan: str = ""
    effectiveness: str = ""
    #: the "Tỷ lệ hỗ trợ" chosen in the budget tab (1–100 %): each line's support is suggested as this share of
    #: its amount; ``None``: none chosen (the suggestion is the rest of the line)
    support_percent: int | None = None


@dataclass(frozen=True)
class TargetView:
    indicator: str
    label: str
    unit: str
    planned_value: int
    achieved_value: int | None
