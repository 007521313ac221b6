"""Reference data: administrative units (both eras), activity contents, sectors, support rules, criteria."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.store.base import Base, Money, Versioned


class Province(Versioned, Base):
    """A province in force since 1 July 2025 (34)."""

    __tablename__ = "provinces"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    name_folded: Mapped[str] = mapped_column(String(100), index=True)


class Commune(Versioned, Base):
    """A commune, ward or special zone in force since 1 July 2025 (3,321)."""

    __tablename__ = "communes"
    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    name_folded: Mapped[str] = mapped_column(String(100), index=True)


class LegacyProvince(Base):
    """One of the 63 provinces before 1 July 2025."""

    __tablename__ = "legacy_provinces"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    name_folded: Mapped[str] = mapped_column(String(100), index=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"))


class LegacyDistrict(Base):
    __tablename__ = "legacy_districts"
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("legacy_provinces.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    name_folded: Mapped[str] = mapped_column(String(100), index=True)


class LegacyWard(Base):
    __tablename__ = "legacy_wards"
    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("legacy_districts.code"), index=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("legacy_provinces.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    name_folded: Mapped[str] = mapped_column(String(100), index=True)


class WardMapping(Base):
    """Old ward → new commune. A split ward has several rows, one of them the default."""

    __tablename__ = "ward_mappings"
    legacy_ward_code: Mapped[str] = mapped_column(ForeignKey("legacy_wards.code"), primary_key=True)
    commune_code: Mapped[str] = mapped_column(ForeignKey("communes.code"), primary_key=True, index=True)
    is_default: Mapped[bool] = mapped_column(Boolean)


class Content(Versioned, Base):
    """An activity content of ND 45/2012 Art. 4, or a sub-type of one (``parent_code``)."""

    __tablename__ = "contents"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("contents.code"))
    name: Mapped[str] = mapped_column(String(300))
    legal_basis: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Sector(Versioned, Base):
    """A sector (ngành nghề), mapped to its group of ND 45/2012 Art. 5."""

    __tablename__ = "sectors"
    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    nd45_group: Mapped[str] = mapped_column(String(2))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SupportRule(Versioned, Base):
    """A support level: at most ``max_percent`` % of cost and ``cap_vnd`` per ``unit``, valid for a period."""

    __tablename__ = "support_rules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_code: Mapped[str] = mapped_column(ForeignKey("contents.code"), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[str | None] = mapped_column(ForeignKey("provinces.code"))
    max_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    cap_vnd: Mapped[int | None] = mapped_column(Money)
    unit: Mapped[str] = mapped_column(String(100))
    legal_basis: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class CriteriaTemplate(Versioned, Base):
    """A scoring template for appraisal councils, with its pass mark on the members' average."""

    __tablename__ = "criteria_templates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    pass_mark: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="template", cascade="all, delete-orphan", lazy="selectin", order_by="Criterion.position"
    )


class Criterion(Base):
    __tablename__ = "criteria"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("criteria_templates.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    max_points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    template: Mapped[CriteriaTemplate] = relationship(back_populates="criteria", lazy="raise")
