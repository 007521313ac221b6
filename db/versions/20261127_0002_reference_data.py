"""Reference data: administrative units of both eras, contents, sectors, national support rules, the default
appraisal criteria template, and default settings. Source files and their licences: db/reference/README.md.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from alembic import op

from desktop_app.domain.vietnamese import fold, normalize

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFERENCE = Path(__file__).resolve().parent.parent / "reference"
BATCH = 2000


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            yield {k: normalize(v) for k, v in row.items()}


def _insert(table: sa.TableClause, rows: Iterator[dict[str, object]]) -> None:
    batch: list[dict[str, object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            op.bulk_insert(table, batch)
            batch = []
    if batch:
        op.bulk_insert(table, batch)


def _t(name: str, *cols: str, types: dict[str, sa.types.TypeEngine] | None = None) -> sa.TableClause:
    types = types or {}
    return sa.table(name, *(sa.column(c, types.get(c, sa.String())) for c in cols))


def upgrade() -> None:
    provinces = _t("provinces", "code", "name", "kind", "name_folded")
    _insert(provinces, ({"code": r["code"], "name": r["name"], "kind": r["kind"], "name_folded": fold(r["name"])}
                        for r in _rows("provinces.csv")))
    communes = _t("communes", "code", "province_code", "name", "kind", "name_folded")
    _insert(communes, ({**r, "name_folded": fold(r["name"])} for r in _rows("communes.csv")))

    mapping = {r["legacy_province_code"]: r["province_code"] for r in _rows("legacy_province_mapping.csv")}
    legacy_provinces = _t("legacy_provinces", "code", "name", "kind", "name_folded", "province_code")
    _insert(legacy_provinces, ({**r, "name_folded": fold(r["name"]), "province_code": mapping[r["code"]]}
                               for r in _rows("legacy_provinces.csv")))
    districts = _t("legacy_districts", "code", "province_code", "name", "kind", "name_folded")
    _insert(districts, ({**r, "name_folded": fold(r["name"])} for r in _rows("legacy_districts.csv")))
    wards = _t("legacy_wards", "code", "district_code", "province_code", "name", "kind", "name_folded")
    _insert(wards, ({**r, "name_folded": fold(r["name"])} for r in _rows("legacy_wards.csv")))
    ward_mappings = _t("ward_mappings", "legacy_ward_code", "commune_code", "is_default",
                       types={"is_default": sa.Boolean()})
    _insert(ward_mappings, ({"legacy_ward_code": r["legacy_ward_code"], "commune_code": r["commune_code"],
                             "is_default": r["is_default"] == "1"} for r in _rows("ward_mapping.csv")))

    contents = _t("contents", "code", "parent_code", "name", "legal_basis", "sort_order", "active",
                  types={"sort_order": sa.Integer(), "active": sa.Boolean()})
    # Parents first, so the self-referencing foreign key holds row by row.
    content_rows = sorted(_rows("contents.csv"), key=lambda r: (r["parent_code"] != "", int(r["sort_order"] or 0)))
    _insert(contents, ({"code": r["code"], "parent_code": r["parent_code"] or None, "name": r["name"],
                        "legal_basis": r["legal_basis"], "sort_order": int(r["sort_order"] or 0), "active": True}
                       for r in content_rows))
    sectors = _t("sectors", "code", "name", "nd45_group", "sort_order", "active",
                 types={"sort_order": sa.Integer(), "active": sa.Boolean()})
    _insert(sectors, ({"code": r["code"], "name": r["name"], "nd45_group": r["nd45_group"],
                       "sort_order": int(r["sort_order"] or 0), "active": True} for r in _rows("sectors.csv")))

    rules = _t("support_rules", "content_code", "scope", "province_code", "max_percent", "cap_vnd", "unit",
               "legal_basis", "valid_from", "valid_to", "note", "version",
               types={"max_percent": sa.Numeric(5, 2), "cap_vnd": sa.BigInteger(), "valid_from": sa.Date(),
                      "valid_to": sa.Date(), "version": sa.Integer()})
    _insert(rules, ({"content_code": r["content_code"], "scope": r["scope"].lower(),
                     "province_code": r["province_code"] or None, "max_percent": Decimal(r["max_percent"]),
                     "cap_vnd": int(r["cap_vnd"]) if r["cap_vnd"] else None, "unit": r["unit"],
                     "legal_basis": r["legal_basis"], "valid_from": date.fromisoformat(r["valid_from"]),
                     "valid_to": date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
                     "note": r.get("note", ""), "version": 1} for r in _rows("support_rules.csv")))

    templates = _t("criteria_templates", "id", "name", "pass_mark", "is_default", "active", "version",
                   types={"id": sa.Integer(), "pass_mark": sa.Numeric(6, 2), "is_default": sa.Boolean(),
                          "active": sa.Boolean(), "version": sa.Integer()})
    op.bulk_insert(templates, [{"id": 1, "name": "Mẫu chấm điểm mặc định (theo Điều 9 Thông tư 36/2013/TT-BCT)",
                                "pass_mark": Decimal(70), "is_default": True, "active": True, "version": 1}])
    criteria = _t("criteria", "template_id", "position", "name", "max_points",
                  types={"template_id": sa.Integer(), "position": sa.Integer(), "max_points": sa.Numeric(6, 2)})
    _insert(criteria, ({"template_id": 1, "position": int(r["position"]), "name": r["name"],
                        "max_points": Decimal(r["max_points"])} for r in _rows("criteria_default.csv")))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('criteria_templates', 'id'), 1)")

    settings = _t("app_settings", "key", "value")
    op.bulk_insert(settings, [
        {"key": "advance_percent", "value": "70"},
        {"key": "attachment_max_bytes", "value": str(20 * 1024 * 1024)},
        {"key": "login_max_failures", "value": "5"},
        {"key": "login_lock_minutes", "value": "15"},
    ])


def downgrade() -> None:
    for table in ("app_settings", "criteria", "criteria_templates", "support_rules", "sectors", "contents",
                  "ward_mappings", "legacy_wards", "legacy_districts", "legacy_provinces", "communes", "provinces"):
        op.execute(sa.text(f"DELETE FROM {table}"))
