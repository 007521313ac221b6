"""Rural industrial establishments (cơ sở CNNT)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, UTCDateTime, Versioned, utcnow


class Establishment(Versioned, Base):
    """An establishment. ``name_folded``/``name_sort`` are derived for search and Vietnamese ordering."""

    __tablename__ = "establishments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300), index=True)
    name_sort: Mapped[str] = mapped_column(String(1200), index=True)
    legal_form: Mapped[str] = mapped_column(String(20))
    tax_code: Mapped[str] = mapped_column(String(20), default="", index=True)
    representative: Mapped[str] = mapped_column(String(200), default="")
    representative_title: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    province_code: Mapped[str | None] = mapped_column(ForeignKey("provinces.code"), index=True)
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("communes.code"), index=True)
    street: Mapped[str] = mapped_column(String(300), default="")
    address_as_recorded: Mapped[str] = mapped_column(String(500), default="")
    legacy_ward_code: Mapped[str | None] = mapped_column(ForeignKey("legacy_wards.code"))
    address_needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    sector_code: Mapped[str | None] = mapped_column(ForeignKey("sectors.code"), index=True)
    main_products: Mapped[str] = mapped_column(String(500), default="")
    workers: Mapped[int | None] = mapped_column(Integer)
    female_workers: Mapped[int | None] = mapped_column(Integer)
    founded_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by the upgrade that made tax codes unique on the rows that already shared one, so they stay valid;
    # cleared when the code of such a row is changed.
    tax_code_shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        Index("ix_establishments_commune_name", "commune_code", "name_folded"),
        # One establishment in use per tax code, enforced by the database so two users saving at once cannot
        # both succeed; archived ones and empty codes do not count.
        Index("uq_establishments_tax_code_in_use", "tax_code", unique=True,
              sqlite_where=text("tax_code <> '' AND archived = 0 AND tax_code_shared = 0"),
              postgresql_where=text("tax_code <> '' AND NOT archived AND NOT tax_code_shared")),
    )
