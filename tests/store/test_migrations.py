"""Migrations: an empty database reaches head with its reference data; the models and the migrations agree;
the SQLite file is copied aside before an upgrade; a database newer than the program is refused untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text

from desktop_app.domain.errors import DatabaseVersionError
from desktop_app.services.context import open_services
from desktop_app.store import search_index
from desktop_app.store.database import Database
from desktop_app.store.migrate import alembic_config, current_revision, head_revision, upgrade_to_head
from desktop_app.store.models import (
    Base,
    Commune,
    Content,
    CriteriaTemplate,
    LegacyProvince,
    LegacyWard,
    Province,
    Sector,
    SupportRule,
    WardMapping,
)


def test_empty_database_reaches_head_with_reference_data(blank_db_url: str) -> None:
    db = Database.from_url(blank_db_url)
    assert current_revision(db.engine) is None
    assert upgrade_to_head(db.engine) is None  # nothing to back up on a new database
    assert current_revision(db.engine) == head_revision()
    with db.reading() as s:
        counts = {m.__name__: s.scalar(select(func.count()).select_from(m)) for m in
                  (Province, Commune, LegacyProvince, LegacyWard, Content, Sector, SupportRule, CriteriaTemplate)}
        assert counts["Province"] == 34
        assert counts["Commune"] == 3321
        assert counts["LegacyProvince"] == 63
        assert counts["LegacyWard"] > 10_000
        assert counts["Content"] >= 9 and counts["Sector"] >= 6 and counts["SupportRule"] >= 5
        hanoi = s.get(Province, "01")
        assert hanoi is not None and hanoi.name == "Hà Nội" and hanoi.name_folded == "ha noi"
        nam_dinh = s.scalar(select(LegacyProvince).where(LegacyProvince.name == "Nam Định"))
        assert nam_dinh is not None and nam_dinh.province_code == "37"
        defaults = s.scalar(select(func.count()).select_from(WardMapping).where(WardMapping.is_default.is_(True)))
        assert defaults == counts["LegacyWard"]  # every old ward has exactly one default new commune
        template = s.scalar(select(CriteriaTemplate).where(CriteriaTemplate.is_default.is_(True)))
        assert template is not None and template.pass_mark == 70
        assert sum(c.max_points for c in template.criteria) == 100
    db.dispose()


def test_models_and_migrations_agree(blank_db_url: str) -> None:
    db = Database.from_url(blank_db_url)
    upgrade_to_head(db.engine)
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True,
                                                 "include_object": search_index.include_object})
        diff = compare_metadata(ctx, Base.metadata)
    db.dispose()
    assert diff == [], f"autogenerate would change the schema: {diff}"


def test_populated_database_upgrades_keeping_its_rows(blank_db_url: str) -> None:
    db = Database.from_url(blank_db_url)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.execute(text("INSERT INTO establishments (id, name, name_folded, name_sort, legal_form, tax_code, "
                          "representative, representative_title, phone, email, street, address_as_recorded, "
                          "address_needs_review, main_products, notes, archived, created_at, updated_at, version, "
                          "province_code) VALUES (7, 'Cơ sở Cũ', 'co so cu', '0', 'household', '', '', '', '', '', "
                          "'', '', false, '', '', false, '2025-01-01 00:00:00', '2025-01-01 00:00:00', 3, '37')"))
    backup = upgrade_to_head(db.engine)
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT name, version FROM establishments WHERE id = 7")).one() == ("Cơ sở Cũ", 3)
        assert conn.execute(text("SELECT version FROM provinces WHERE code = '37'")).scalar() == 1
    db.dispose()
    if blank_db_url.startswith("sqlite"):
        assert backup is not None and Path(backup).exists()
        old = Database.from_url(f"sqlite:///{backup}")
        assert current_revision(old.engine) == "0002"
        old.dispose()


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    services, _ = open_services(f"sqlite:///{path}")
    with services.db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffff'"))
    services.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseVersionError, match="phiên bản mới hơn"):
        open_services(f"sqlite:///{path}")
    assert path.read_bytes() == before
