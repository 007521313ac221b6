"""Upgrade 0010 → 0011 and back: ``proposals.support_percent`` appears empty on the proposals already there, holds
the percentage chosen, and a downgrade drops it keeping every proposal and its budget lines."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from desktop_app.store.database import Database, sqlite_pragma
from desktop_app.store.migrate import alembic_config


def _migrate(db: Database, revision: str, down: bool = False) -> None:
    with db.engine.connect() as conn:
        if db.is_sqlite:
            sqlite_pragma(conn, "PRAGMA foreign_keys=OFF")  # as upgrade_to_head does around batch migrations
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)
        conn.commit()


def _columns(db: Database) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("proposals")}


def _seed(db: Database) -> None:
    with db.engine.begin() as c:
        c.execute(text(
            "INSERT INTO proposals (id, code, title, title_folded, title_sort, year, scope, form, content_code, "
            "implementing_unit, partner_unit, location_as_recorded, necessity, objectives, scale, activities, "
            "organisation_plan, effectiveness, status, approval_number, imported, address_needs_review, created_at, "
            "updated_at, version) VALUES (7, 'KCDP-2026-0007', 'Máy dệt', 'may det', 'may det', 2026, 'local', "
            "'single', 'ND45-4.3.d', '', '', '', '', '', '', '', '', '', 'draft', '', false, false, '2026-01-01', "
            "'2026-01-01', 1)"))
        c.execute(text(
            "INSERT INTO budget_lines (id, proposal_id, position, item, unit, quantity, unit_price_vnd, support_vnd, "
            "counterpart_vnd, other_vnd) VALUES (3, 7, 1, 'Máy dệt kiếm', 'máy', 2, 100000000, 60000000, 140000000, "
            "0)"))


def _lines(db: Database) -> list[tuple[object, ...]]:
    with db.engine.connect() as c:
        return [tuple(r) for r in c.execute(text(
            "SELECT id, proposal_id, support_vnd, counterpart_vnd FROM budget_lines ORDER BY id"))]


def test_upgrade_adds_an_empty_percentage_and_downgrade_drops_it_keeping_the_rows(blank_db_url: str) -> None:
    db = Database.from_url(blank_db_url)
    _migrate(db, "0010")
    assert "support_percent" not in _columns(db)
    _seed(db)
    _migrate(db, "0011")
    with db.engine.begin() as c:
        assert c.execute(text("SELECT support_percent FROM proposals WHERE id = 7")).scalar_one() is None
        c.execute(text("UPDATE proposals SET support_percent = 30 WHERE id = 7"))
        assert c.execute(text("SELECT support_percent FROM proposals WHERE id = 7")).scalar_one() == 30

    _migrate(db, "0010", down=True)
    assert "support_percent" not in _columns(db)
    with db.engine.connect() as c:
        assert c.execute(text("SELECT code, title FROM proposals")).all() == [("KCDP-2026-0007", "Máy dệt")]
    assert _lines(db) == [(3, 7, 60_000_000, 140_000_000)]  # the recreated table took no line with it

    _migrate(db, "0011")
    with db.engine.connect() as c:
        assert c.execute(text("SELECT support_percent FROM proposals WHERE id = 7")).scalar_one() is None
    assert _lines(db) == [(3, 7, 60_000_000, 140_000_000)]
    db.dispose()
