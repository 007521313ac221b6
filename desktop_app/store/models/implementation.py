"""After approval: contract, advances and payments, monthly progress, acceptance, liquidation, settlement."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.store.base import Base, Money, UTCDateTime, Versioned, utcnow


class Contract(Versioned, Base):
    __tablename__ = "contracts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    number: Mapped[str] = mapped_column(String(50))
    signed_on: Mapped[date] = mapped_column(Date)
    party_a: Mapped[str] = mapped_column(String(300), default="")
    party_b: Mapped[str] = mapped_column(String(300), default="")
    value_vnd: Mapped[int] = mapped_column(Money)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class Disbursement(Base):
    """An advance (tạm ứng) or a payment (thanh toán). Recorded once; a mistake is corrected by a new row."""

    __tablename__ = "disbursements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    paid_on: Mapped[date] = mapped_column(Date)
    amount_vnd: Mapped[int] = mapped_column(Money)
    voucher_number: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProgressReport(Versioned, Base):
    """A monthly progress report (due before the 25th)."""

    __tablename__ = "progress_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    reported_on: Mapped[date] = mapped_column(Date)
    progress_percent: Mapped[int] = mapped_column(Integer)
    spent_vnd: Mapped[int] = mapped_column(Money, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (UniqueConstraint("proposal_id", "year", "month"),)


class Acceptance(Versioned, Base):
    """The acceptance (nghiệm thu) result; frozen once signed off."""

    __tablename__ = "acceptances"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300), default="")
    passed: Mapped[bool] = mapped_column(Boolean)
    conclusion: Mapped[str] = mapped_column(Text, default="")
    minutes_number: Mapped[str] = mapped_column(String(50), default="")
    signed_off_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by the upgrade that capped recorded acceptances at the approved lines: a person confirms the new figures.
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    lines: Mapped[list[AcceptanceLine]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class AcceptanceLine(Base):
    """Verified amounts per budget line, counterpart included (TTLT 26/2014 Art. 8.3)."""

    __tablename__ = "acceptance_lines"
    acceptance_id: Mapped[int] = mapped_column(ForeignKey("acceptances.id", ondelete="CASCADE"), primary_key=True)
    budget_line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id", ondelete="CASCADE"), primary_key=True)
    verified_support_vnd: Mapped[int] = mapped_column(Money)
    verified_counterpart_vnd: Mapped[int] = mapped_column(Money)
    verified_other_vnd: Mapped[int] = mapped_column(Money, default=0)


class Liquidation(Versioned, Base):
    """Contract liquidation minutes (biên bản thanh lý hợp đồng, Mẫu 6)."""

    __tablename__ = "liquidations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    number: Mapped[str] = mapped_column(String(50))
    signed_on: Mapped[date] = mapped_column(Date)
    accepted_value_vnd: Mapped[int] = mapped_column(Money)
    paid_vnd: Mapped[int] = mapped_column(Money)
    remaining_vnd: Mapped[int] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, default="")


class Settlement(Versioned, Base):
    """Settlement (quyết toán): the amount settled and what is returned."""

    __tablename__ = "settlements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    number: Mapped[str] = mapped_column(String(50))
    settled_on: Mapped[date] = mapped_column(Date)
    settled_support_vnd: Mapped[int] = mapped_column(Money)
    returned_vnd: Mapped[int] = mapped_column(Money, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
