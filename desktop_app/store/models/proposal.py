"""Proposals (đề án), their beneficiaries, budget lines, outcome targets, history, decisions, attachments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from desktop_app.store.base import Base, Money, UTCDateTime, Versioned, utcnow


class Plan(Versioned, Base):
    """A year's plan (kế hoạch) per scope, with the allocated envelope."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(20))
    allocated_vnd: Mapped[int] = mapped_column(Money, default=0)
    decision_number: Mapped[str] = mapped_column(String(50), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("year", "scope"),)


class Proposal(Versioned, Base):
    """A support proposal. Money totals are derived from ``lines``; ``approved_support_vnd`` is frozen at approval."""

    __tablename__ = "proposals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    title_folded: Mapped[str] = mapped_column(String(500), index=True)
    title_sort: Mapped[str] = mapped_column(String(2000), index=True, server_default="")
    year: Mapped[int] = mapped_column(Integer, index=True)
    scope: Mapped[str] = mapped_column(String(20), index=True)
    form: Mapped[str] = mapped_column(String(20))
    content_code: Mapped[str] = mapped_column(ForeignKey("contents.code"), index=True)
    sector_code: Mapped[str | None] = mapped_column(ForeignKey("sectors.code"), index=True)
    implementing_unit: Mapped[str] = mapped_column(String(300), default="")
    partner_unit: Mapped[str] = mapped_column(String(300), default="")
    province_code: Mapped[str | None] = mapped_column(ForeignKey("provinces.code"), index=True)
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("communes.code"), index=True)
    location_as_recorded: Mapped[str] = mapped_column(String(500), default="")
    legacy_ward_code: Mapped[str | None] = mapped_column(ForeignKey("legacy_wards.code"))
    address_needs_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    necessity: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    scale: Mapped[str] = mapped_column(Text, default="")
    activities: Mapped[str] = mapped_column(Text, default="")
    organisation_plan: Mapped[str] = mapped_column(Text, default="")
    effectiveness: Mapped[str] = mapped_column(Text, default="")
    # The "Tỷ lệ hỗ trợ" chosen in the budget tab (1–100 %, never above the rule's): the share of each line's
    # amount suggested as its support; NULL when none was chosen (the suggestion is then the rest of the line).
    support_percent: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(30), index=True)
    approved_support_vnd: Mapped[int | None] = mapped_column(Money)
    approved_on: Mapped[date | None] = mapped_column(Date)
    approval_number: Mapped[str] = mapped_column(String(50), default="")
    imported: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lines: Mapped[list[BudgetLine]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="BudgetLine.position"
    )
    beneficiaries: Mapped[list[ProposalBeneficiary]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProposalBeneficiary.position"
    )
    targets: Mapped[list[OutcomeTarget]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (Index("ix_proposals_year_scope_status", "year", "scope", "status"),)


class ProposalBeneficiary(Base):
    __tablename__ = "proposal_beneficiaries"
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishments.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class BudgetLine(Base):
    """A line of the dự toán: quantity × unit price split into support, counterpart and other sources."""

    __tablename__ = "budget_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(500))
    unit: Mapped[str] = mapped_column(String(50), default="")
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit_price_vnd: Mapped[int] = mapped_column(Money)
    support_vnd: Mapped[int] = mapped_column(Money)
    counterpart_vnd: Mapped[int] = mapped_column(Money)
    other_vnd: Mapped[int] = mapped_column(Money, default=0)
    # The approved budget (DESIGN.md §3a): the line as frozen at approval, its support spread to the decided total.
    approved_support_vnd: Mapped[int | None] = mapped_column(Money)
    approved_counterpart_vnd: Mapped[int | None] = mapped_column(Money)
    approved_other_vnd: Mapped[int | None] = mapped_column(Money)


class OutcomeTarget(Base):
    """A planned outcome figure; the achieved value is recorded at acceptance and frozen at sign-off."""

    __tablename__ = "outcome_targets"
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(30), primary_key=True)
    planned_value: Mapped[int] = mapped_column(BigInteger, default=0)
    achieved_value: Mapped[int | None] = mapped_column(BigInteger)


class StatusChange(Base):
    """One workflow step: who, when, from/to, the note and the document that backs it."""

    __tablename__ = "status_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    document_number: Mapped[str] = mapped_column(String(50), default="")
    document_date: Mapped[date | None] = mapped_column(Date)


class Decision(Base):
    """A decision about a proposal: council founding, approval, ministry decision, adjustment, stop."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(50))
    signed_on: Mapped[date | None] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(200), default="")
    amount_vnd: Mapped[int | None] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, default="")


class Attachment(Base):
    """A file attached to a proposal, stored in the database so a backup holds everything."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size_bytes: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
