"""Councils (appraisal and acceptance), their members, score sheets and scores."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.store.base import Base, UTCDateTime, Versioned


class Council(Versioned, Base):
    """A council for one proposal. Its average and conclusion are frozen once concluded."""

    __tablename__ = "councils"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    decision_number: Mapped[str] = mapped_column(String(50), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    meeting_date: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300), default="")
    template_id: Mapped[int | None] = mapped_column(ForeignKey("criteria_templates.id"))
    pass_mark: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    average_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    passed: Mapped[bool | None] = mapped_column(Boolean)
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    conclusion: Mapped[str] = mapped_column(Text, default="")
    minutes_number: Mapped[str] = mapped_column(String(50), default="")
    members: Mapped[list[CouncilMember]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CouncilMember.position"
    )


class CouncilMember(Versioned, Base):
    __tablename__ = "council_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    conflict_note: Mapped[str] = mapped_column(Text, default="")


class ScoreSheet(Versioned, Base):
    """A member's score sheet; ``submitted_at`` set when the member hands it in."""

    __tablename__ = "score_sheets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id", ondelete="CASCADE"), unique=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str] = mapped_column(Text, default="")
    scores: Mapped[list[Score]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class Score(Base):
    __tablename__ = "scores"
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"), primary_key=True)
    points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
