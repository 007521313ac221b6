"""Code lists (provinces, communes, contents, sectors) and the administrator's reference data: support rules,
criteria templates and sectors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.budget import SupportRule as RuleData
from desktop_app.domain.enums import Role, Scope
from desktop_app.domain.errors import ConflictError, NotFound, ValidationError
from desktop_app.domain.vietnamese import fold, normalize, sort_key
from desktop_app.services import audit
from desktop_app.services.auth import Actor, require_role
from desktop_app.services.dto import CodeName, CriterionView, SupportRuleView, TemplateView
from desktop_app.store.database import Database
from desktop_app.store.models import (
    Commune,
    Content,
    Council,
    CriteriaTemplate,
    Criterion,
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Province,
    Sector,
    SupportRule,
    WardMapping,
)

_RULE_FIELDS = ("content_code", "scope", "province_code", "max_percent", "cap_vnd", "unit", "legal_basis",
                "valid_from", "valid_to", "note")


def rule_data(r: SupportRule) -> RuleData:
    return RuleData(r.id, r.content_code, Scope(r.scope), r.province_code, Decimal(r.max_percent), r.cap_vnd,
                    r.unit, r.legal_basis, r.valid_from, r.valid_to)


@dataclass(frozen=True)
class SupportRuleInput:
    content_code: str
    scope: Scope
    max_percent: Decimal
    cap_vnd: int | None
    unit: str
    legal_basis: str
    valid_from: date
    valid_to: date | None = None
    province_code: str | None = None
    note: str = ""


@dataclass(frozen=True)
class LegacyUnits:
    """The pre-2025 units, for resolving addresses recorded before the reform."""

    provinces: list[CodeName]
    districts: list[CodeName]
    wards: list[CodeName]
    mappings: dict[str, list[tuple[str, bool]]]


def _template_view(t: CriteriaTemplate) -> TemplateView:
    return TemplateView(t.id, t.name, Decimal(t.pass_mark), t.is_default, t.active,
                        [CriterionView(c.id, c.position, c.name, Decimal(c.max_points)) for c in t.criteria],
                        t.version)


class ReferenceService:
    """Read access for everybody; changes for administrators, audited."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[str, list[CodeName]] = {}

    def _cached(self, key: str, load) -> list[CodeName]:
        if key not in self._cache:
            with self._db.reading() as s:
                self._cache[key] = load(s)
        return self._cache[key]

    def provinces(self) -> list[CodeName]:
        """The 34 provinces, in Vietnamese alphabetical order."""
        def load(s: Session) -> list[CodeName]:
            rows = [CodeName(p.code, p.name, extra=p.kind) for p in s.scalars(select(Province))]
            return sorted(rows, key=lambda c: sort_key(c.name))
        return self._cached("provinces", load)

    def communes(self, province_code: str | None = None) -> list[CodeName]:
        """Communes of a province (or all), alphabetical; ``extra`` is the kind (Xã, Phường, Đặc khu)."""
        def load(s: Session) -> list[CodeName]:
            rows = [CodeName(c.code, f"{c.kind} {c.name}", c.province_code, c.kind) for c in s.scalars(select(Commune))]
            return sorted(rows, key=lambda c: sort_key(c.name))
        everything = self._cached("communes", load)
        return [c for c in everything if province_code is None or c.parent == province_code]

    def province_name(self, code: str | None) -> str:
        return next((p.name for p in self.provinces() if p.code == code), "")

    def commune_name(self, code: str | None) -> str:
        return next((c.name for c in self.communes() if c.code == code), "")

    def contents(self, include_inactive: bool = False) -> list[CodeName]:
        """ND 45 Art. 4 contents; sub-types carry their parent's code in ``parent``."""
        def load(s: Session) -> list[CodeName]:
            rows = s.scalars(select(Content).order_by(Content.sort_order, Content.code))
            return [CodeName(c.code, c.name, c.parent_code, "1" if c.active else "0") for c in rows]
        return [c for c in self._cached("contents", load) if include_inactive or c.extra == "1"]

    def content_name(self, code: str | None) -> str:
        return next((c.name for c in self.contents(True) if c.code == code), "")

    def sectors(self, include_inactive: bool = False) -> list[CodeName]:
        """Sectors; ``extra`` is the ND 45 Art. 5 group letter."""
        def load(s: Session) -> list[CodeName]:
            rows = s.scalars(select(Sector).order_by(Sector.sort_order, Sector.name))
            return [CodeName(x.code, x.name, "1" if x.active else "0", x.nd45_group) for x in rows]
        return [c for c in self._cached("sectors", load) if include_inactive or c.parent == "1"]

    def sector_name(self, code: str | None) -> str:
        return next((c.name for c in self.sectors(True) if c.code == code), "")

    def legacy_units(self) -> LegacyUnits:
        with self._db.reading() as s:
            return _load_legacy(s)

    def save_sector(self, actor: Actor, code: str, name: str, nd45_group: str, active: bool = True) -> CodeName:
        require_role(actor, Role.ADMIN, doing="sửa danh mục ngành nghề")
        code, name = code.strip().upper(), normalize(name)
        if not code or not name:
            raise ValidationError("Ngành nghề cần có mã và tên.", field="name" if code else "code")
        if nd45_group not in ("a", "b", "c", "d", "đ", "e", "g"):
            raise ValidationError("Nhóm theo Điều 5 Nghị định 45/2012 phải là a, b, c, d, đ, e hoặc g.",
                                  field="nd45_group")
        with self._db.transaction() as s:
            sector = s.get(Sector, code)
            before = audit.snapshot(sector, ("name", "nd45_group", "active")) if sector else None
            if sector is None:
                order = len(self.sectors(True)) + 1
                sector = Sector(code=code, name=name, nd45_group=nd45_group, sort_order=order, active=active)
                s.add(sector)
            else:
                sector.name, sector.nd45_group, sector.active = name, nd45_group, active
            audit.record(s, actor, "update" if before else "create", "sector", None,
                         before, {"name": name, "nd45_group": nd45_group, "active": active})
        self._cache.pop("sectors", None)
        return CodeName(code, name, "1" if active else "0", nd45_group)

    def save_commune(self, actor: Actor, code: str, province_code: str, name: str, kind: str,
                     version: int | None = None) -> CodeName:
        """Add a commune or correct one (a rename decided after the 2025 reform, a wrong spelling)."""
        require_role(actor, Role.ADMIN, doing="sửa danh mục xã/phường")
        code, name, kind = code.strip(), normalize(name), normalize(kind)
        if not (code.isdigit() and len(code) == 5):
            raise ValidationError("Mã xã/phường gồm 5 chữ số.", field="code")
        if not name:
            raise ValidationError("Chưa nhập tên xã/phường.", field="name")
        if kind not in ("Xã", "Phường", "Đặc khu"):
            raise ValidationError("Loại đơn vị phải là Xã, Phường hoặc Đặc khu.", field="kind")
        with self._db.transaction() as s:
            if s.get(Province, province_code) is None:
                raise ValidationError("Tỉnh/thành phố không có trong danh mục.", field="province_code")
            row = s.get(Commune, code)
            before = audit.snapshot(row, ("province_code", "name", "kind")) if row else None
            if row is None:
                row = Commune(code=code, province_code=province_code, name=name, kind=kind, name_folded=fold(name))
                s.add(row)
            else:
                if version is not None and version != row.version:
                    raise ConflictError("Xã/phường vừa được người khác sửa; hãy tải lại.")
                row.province_code, row.name, row.kind, row.name_folded = province_code, name, kind, fold(name)
            s.flush()
            audit.record(s, actor, "update" if before else "create", "commune", None, before,
                         {"code": code, "province_code": province_code, "name": name, "kind": kind})
        self._cache.pop("communes", None)
        return CodeName(code, f"{kind} {name}", province_code, kind)

    # --- support rules -------------------------------------------------------------------------------------

    def support_rules(self) -> list[SupportRuleView]:
        with self._db.reading() as s:
            names = {c.code: c.name for c in s.scalars(select(Content))}
            rules = s.scalars(select(SupportRule).order_by(SupportRule.content_code, SupportRule.valid_from))
            return [SupportRuleView(r.id, r.content_code, names.get(r.content_code, ""), Scope(r.scope),
                                    r.province_code, Decimal(r.max_percent), r.cap_vnd, r.unit, r.legal_basis,
                                    r.valid_from, r.valid_to, r.note, r.version) for r in rules]

    def rules_data(self, session: Session) -> list[RuleData]:
        return [rule_data(r) for r in session.scalars(select(SupportRule))]

    def save_support_rule(self, actor: Actor, data: SupportRuleInput, rule_id: int | None = None,
                          version: int | None = None) -> SupportRuleView:
        """Add or change a support rule. A rule is data with its legal basis and validity dates, never code."""
        require_role(actor, Role.ADMIN, doing="sửa mức hỗ trợ")
        if not 0 < data.max_percent <= 100:
            raise ValidationError("Tỷ lệ hỗ trợ tối đa phải trong khoảng 0–100%.", field="max_percent")
        if data.cap_vnd is not None and data.cap_vnd <= 0:
            raise ValidationError("Mức hỗ trợ tối đa phải lớn hơn 0 đồng (để trống nếu không giới hạn).",
                                  field="cap_vnd")
        if not normalize(data.legal_basis):
            raise ValidationError("Chưa nhập căn cứ pháp lý của mức hỗ trợ.", field="legal_basis")
        if data.valid_to and data.valid_to < data.valid_from:
            raise ValidationError("Ngày hết hiệu lực trước ngày có hiệu lực.", field="valid_to")
        if data.scope is Scope.LOCAL and not data.province_code:
            raise ValidationError("Mức hỗ trợ khuyến công địa phương cần chọn tỉnh/thành phố.", field="province_code")
        values = {"content_code": data.content_code, "scope": data.scope.value,
                  "province_code": data.province_code if data.scope is Scope.LOCAL else None,
                  "max_percent": data.max_percent, "cap_vnd": data.cap_vnd, "unit": normalize(data.unit),
                  "legal_basis": normalize(data.legal_basis), "valid_from": data.valid_from,
                  "valid_to": data.valid_to, "note": normalize(data.note)}
        with self._db.transaction() as s:
            if s.get(Content, data.content_code) is None:
                raise ValidationError("Nội dung hỗ trợ không có trong danh mục.", field="content_code")
            if rule_id is None:
                rule = SupportRule(**values)
                s.add(rule)
                s.flush()
                audit.record(s, actor, "create", "support_rule", rule.id, None, values)
            else:
                found = s.get(SupportRule, rule_id)
                if found is None:
                    raise NotFound("Mức hỗ trợ không còn tồn tại.")
                rule = found
                if version is not None and version != rule.version:
                    raise ConflictError("Mức hỗ trợ vừa được người khác sửa; hãy tải lại.")
                before = audit.snapshot(rule, _RULE_FIELDS)
                for k, v in values.items():
                    setattr(rule, k, v)
                audit.record(s, actor, "update", "support_rule", rule.id, before, values)
            s.flush()
            rule_id = rule.id
        return next(r for r in self.support_rules() if r.id == rule_id)

    def copy_national_rules(self, actor: Actor, province_code: str, legal_basis: str, valid_from: date) -> int:
        """Start a province's own (KCĐP) support rules from a copy of the national ones in force on ``valid_from``.

        A content the province already has a rule for on that date is left alone, so the action can be repeated
        after new national rules are added. The copies carry the province's legal basis (its HĐND resolution) and
        are then edited one by one. Returns how many rules were added.
        """
        require_role(actor, Role.ADMIN, doing="sửa mức hỗ trợ")
        if not province_code:
            raise ValidationError("Chưa chọn tỉnh, thành phố.", field="province_code")
        basis = normalize(legal_basis)
        if not basis:
            raise ValidationError("Chưa nhập căn cứ pháp lý của mức hỗ trợ địa phương.", field="legal_basis")
        with self._db.transaction() as s:
            if s.get(Province, province_code) is None:
                raise ValidationError("Tỉnh, thành phố không có trong danh mục.", field="province_code")
            rules = [rule_data(r) for r in s.scalars(select(SupportRule))]
            national = [r for r in rules if r.scope is Scope.NATIONAL and r.valid_on(valid_from)]
            local = {r.content_code for r in rules if r.scope is Scope.LOCAL and r.province_code == province_code
                     and (r.valid_to is None or r.valid_to >= valid_from)}
            added = 0
            for r in sorted(national, key=lambda x: (x.content_code, x.valid_from)):
                if r.content_code in local:
                    continue
                values = {"content_code": r.content_code, "scope": Scope.LOCAL.value, "province_code": province_code,
                          "max_percent": r.max_percent, "cap_vnd": r.cap_vnd, "unit": r.unit, "legal_basis": basis,
                          "valid_from": valid_from, "valid_to": None,
                          "note": f"Sao chép từ mức khuyến công quốc gia ({r.legal_basis})"}
                rule = SupportRule(**values)
                s.add(rule)
                s.flush()
                audit.record(s, actor, "create", "support_rule", rule.id, None, values)
                local.add(r.content_code)
                added += 1
            return added

    # --- criteria templates --------------------------------------------------------------------------------

    def templates(self) -> list[TemplateView]:
        with self._db.reading() as s:
            return [_template_view(t) for t in s.scalars(select(CriteriaTemplate).order_by(CriteriaTemplate.id))]

    def default_template(self) -> TemplateView:
        templates = [t for t in self.templates() if t.active]
        for t in templates:
            if t.is_default:
                return t
        if not templates:
            raise NotFound("Chưa có mẫu tiêu chí chấm điểm nào; quản trị hệ thống cần tạo một mẫu.")
        return templates[0]

    def save_template(self, actor: Actor, name: str, pass_mark: Decimal, criteria: list[tuple[str, Decimal]],
                      template_id: int | None = None, make_default: bool = False,
                      version: int | None = None) -> TemplateView:
        """Create or replace a criteria template (criteria are replaced only while no council used them)."""
        require_role(actor, Role.ADMIN, doing="sửa mẫu tiêu chí chấm điểm")
        name = normalize(name)
        if not name:
            raise ValidationError("Chưa nhập tên mẫu tiêu chí.", field="name")
        if not criteria:
            raise ValidationError("Mẫu cần ít nhất một tiêu chí.", field="criteria")
        for i, (cname, points) in enumerate(criteria, start=1):
            if not normalize(cname):
                raise ValidationError(f"Tiêu chí {i}: chưa nhập tên.", field="criteria")
            if points <= 0:
                raise ValidationError(f"Tiêu chí {i}: điểm tối đa phải lớn hơn 0.", field="criteria")
        total = sum((p for _, p in criteria), Decimal(0))
        if not 0 < pass_mark <= total:
            raise ValidationError(f"Điểm đạt phải lớn hơn 0 và không vượt tổng điểm {total}.", field="pass_mark")
        with self._db.transaction() as s:
            if template_id is None:
                t = CriteriaTemplate(name=name, pass_mark=pass_mark, is_default=False, active=True)
                s.add(t)
            else:
                existing = s.get(CriteriaTemplate, template_id)
                if existing is None:
                    raise NotFound("Mẫu tiêu chí không còn tồn tại.")
                t = existing
                if version is not None and version != t.version:
                    raise ConflictError("Mẫu tiêu chí vừa được người khác sửa; hãy tải lại.")
                used = s.scalar(select(Council.id).where(Council.template_id == t.id).limit(1))
                old = [(c.name, Decimal(c.max_points)) for c in t.criteria]
                if used and old != [(normalize(n), p) for n, p in criteria]:
                    raise ValidationError("Mẫu đã được hội đồng sử dụng; hãy tạo mẫu mới thay vì sửa tiêu chí.",
                                          field="criteria")
                t.name, t.pass_mark = name, pass_mark
            if template_id is None or [(c.name, Decimal(c.max_points)) for c in t.criteria] != criteria:
                t.criteria.clear()
                s.flush()
                for i, (cname, points) in enumerate(criteria, start=1):
                    t.criteria.append(Criterion(position=i, name=normalize(cname), max_points=points))
            if make_default:
                for other in s.scalars(select(CriteriaTemplate)):
                    other.is_default = other is t
            s.flush()
            audit.record(s, actor, "update" if template_id else "create", "criteria_template", t.id, None,
                         {"name": name, "pass_mark": pass_mark,
                          "criteria": "; ".join(f"{n} ({p})" for n, p in criteria)})
            return _template_view(t)


def _load_legacy(s: Session) -> LegacyUnits:
    provinces = [CodeName(p.code, p.name, p.province_code, p.kind) for p in s.scalars(select(LegacyProvince))]
    districts = [CodeName(d.code, d.name, d.province_code, d.kind) for d in s.scalars(select(LegacyDistrict))]
    wards = [CodeName(w.code, w.name, w.district_code, w.kind) for w in s.scalars(select(LegacyWard))]
    mappings: dict[str, list[tuple[str, bool]]] = {}
    for m in s.scalars(select(WardMapping)):
        mappings.setdefault(m.legacy_ward_code, []).append((m.commune_code, m.is_default))
    return LegacyUnits(provinces, districts, wards, mappings)
