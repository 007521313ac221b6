"""The reference data the demo generator reads before it writes (places, contents, rules, criteria)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.demo.common import CENTRE_PROVINCES
from desktop_app.domain.budget import SupportRule
from desktop_app.domain.errors import ValidationError
from desktop_app.services.reference import rule_data
from desktop_app.store.models import (
    Commune,
    Content,
    CriteriaTemplate,
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Organisation,
    Province,
    Sector,
    WardMapping,
)
from desktop_app.store.models import SupportRule as SupportRuleRow
from desktop_app.store.settings import get_setting

# --- reference data -------------------------------------------------------------------------------------------------


@dataclass
class _Reference:
    """Everything read from the database before generating."""

    provinces: dict[str, tuple[str, str]]  # code → (name, kind)
    communes: list[tuple[str, str, str, str]]  # (code, province code, name, kind)
    legacy: dict[str, list[tuple[str, str]]]  # commune → [(legacy ward code, "xã …, huyện …, tỉnh …")]
    sectors: list[str]
    contents: dict[str, str | None]  # code → parent code
    rules: list[SupportRule]
    template_id: int
    pass_mark: Decimal
    criteria: list[tuple[int, int]]  # (criterion id, maximum points as a whole number)
    advance_percent: Decimal
    org_name: str
    abbreviation: str
    org_province: str | None
    centre_setting: str  # the ``centre_provinces`` setting as stored: province codes separated by commas
    merged: frozenset[str]  # today's provinces made of several former provinces


def _load_reference(s: Session) -> _Reference:
    provinces = {code: (name, kind) for code, name, kind in
                 s.execute(select(Province.code, Province.name, Province.kind).order_by(Province.code))}
    commune_rows = s.execute(select(Commune.code, Commune.province_code, Commune.name, Commune.kind)
                             .order_by(Commune.code))
    communes = [(r[0], r[1], r[2], r[3]) for r in commune_rows]
    if not provinces or not communes:
        raise ValidationError("Cơ sở dữ liệu chưa có danh mục tỉnh, xã; hãy nâng cấp cơ sở dữ liệu trước.")
    legacy: dict[str, list[tuple[str, str]]] = {}
    q = (select(WardMapping.commune_code, LegacyWard.code, LegacyWard.kind, LegacyWard.name, LegacyDistrict.kind,
                LegacyDistrict.name, LegacyProvince.kind, LegacyProvince.name)
         .join(LegacyWard, LegacyWard.code == WardMapping.legacy_ward_code)
         .join(LegacyDistrict, LegacyDistrict.code == LegacyWard.district_code)
         .join(LegacyProvince, LegacyProvince.code == LegacyWard.province_code)
         .where(WardMapping.is_default.is_(True)).order_by(WardMapping.commune_code, LegacyWard.code))
    for commune, ward, wkind, wname, dkind, dname, pkind, pname in s.execute(q):
        legacy.setdefault(commune, []).append(
            (ward, f"{wkind.lower()} {wname}, {dkind.lower()} {dname}, {pkind.lower()} {pname}"))
    sectors = list(s.scalars(select(Sector.code).where(Sector.active.is_(True)).order_by(Sector.sort_order,
                                                                                         Sector.code)))
    contents = {code: parent for code, parent in
                s.execute(select(Content.code, Content.parent_code).where(Content.active.is_(True))
                          .order_by(Content.code))}
    rules = [rule_data(r) for r in s.scalars(select(SupportRuleRow).order_by(SupportRuleRow.id))]
    template = s.scalar(select(CriteriaTemplate).where(CriteriaTemplate.active.is_(True))
                        .order_by(CriteriaTemplate.is_default.desc(), CriteriaTemplate.id).limit(1))
    if template is None or not template.criteria:
        raise ValidationError("Chưa có mẫu tiêu chí chấm điểm đang dùng; không tạo được hội đồng thẩm định mẫu.")
    criteria = [(c.id, int(Decimal(c.max_points))) for c in template.criteria]
    pass_mark = Decimal(template.pass_mark)
    if sum(m for _, m in criteria) < pass_mark or pass_mark <= 0:
        raise ValidationError(f"Mẫu tiêu chí “{template.name}” có tổng điểm thấp hơn điểm đạt {pass_mark}; "
                              "không tạo được hội đồng thẩm định mẫu.")
    org = s.scalar(select(Organisation).limit(1))
    olds = Counter(s.scalars(select(LegacyProvince.province_code)))
    return _Reference(
        provinces, communes, legacy, sectors, contents, rules, template.id, pass_mark, criteria,
        Decimal(get_setting(s, "advance_percent", "70")),
        org.name if org else "", (org.abbreviation if org else "") or "TTKC", org.province_code if org else None,
        get_setting(s, CENTRE_PROVINCES, ""), frozenset(code for code, n in olds.items() if n > 1))
