"""Upgrade 0004 → 0005: approved budgets are frozen per line, recorded acceptances above the approved line are
capped (the excess becomes counterpart), marked for review and listed by the review report; nothing else changes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from alembic import command
from sqlalchemy import text

from desktop_app.domain.enums import Role
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.store.database import Database, sqlite_pragma
from desktop_app.store.migrate import alembic_config, upgrade_to_head


def _at_0004(url: str) -> Database:
    db = Database.from_url(url)
    with db.engine.connect() as conn:
        if db.is_sqlite:
            sqlite_pragma(conn, "PRAGMA foreign_keys=OFF")  # as upgrade_to_head does around batch migrations
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
        conn.commit()
    return db


def _seed(db: Database) -> None:
    """Two approved proposals as a 0004 program recorded them: one whose acceptance verified more support on a line
    than the spread approved budget allows, one within it."""
    with db.engine.begin() as c:
        c.execute(text("INSERT INTO users (id, username, full_name, role, password_hash, active, failed_logins, "
                       "title, created_at, version) VALUES (1, 'lanhdao', 'Lãnh Đạo', 'manager', 'x', true, 0, '', "
                       "'2022-01-01', 1)"))
        for pid, code, approved in ((1, "KCDP-2022-0003", 255_000_000), (2, "KCDP-2022-0004", 100_000_000)):
            c.execute(text(
                "INSERT INTO proposals (id, code, title, title_folded, title_sort, year, scope, form, content_code, "
                "implementing_unit, partner_unit, location_as_recorded, necessity, objectives, scale, activities, "
                "organisation_plan, effectiveness, status, approved_support_vnd, approval_number, imported, "
                "address_needs_review, created_at, updated_at, version) VALUES (:id, :code, 'Máy dệt', 'may det', "
                "'may det', 2022, 'local', 'single', 'ND45-4.3', '', '', '', '', '', '', '', '', '', 'accepted', "
                ":approved, '01/QĐ-SCT', false, false, '2022-01-01', '2022-01-01', 1)"),
                {"id": pid, "code": code, "approved": approved})
        lines = [  # (id, proposal, position, support, counterpart)
            (1, 1, 1, 200_000_000, 150_000_000), (2, 1, 2, 100_000_000, 50_000_000),
            (3, 2, 1, 100_000_000, 100_000_000),
        ]
        for lid, pid, pos, sup, cp in lines:
            c.execute(text(
                "INSERT INTO budget_lines (id, proposal_id, position, item, unit, quantity, unit_price_vnd, "
                "support_vnd, counterpart_vnd, other_vnd) VALUES (:id, :pid, :pos, :item, 'máy', 1, :price, :sup, "
                ":cp, 0)"), {"id": lid, "pid": pid, "pos": pos, "item": f"Dòng {lid}", "price": sup + cp, "sup": sup,
                             "cp": cp})
        for aid, pid in ((1, 1), (2, 2)):
            c.execute(text(
                "INSERT INTO acceptances (id, proposal_id, held_on, place, passed, conclusion, minutes_number, "
                "version) VALUES (:id, :pid, '2022-11-20', '', true, 'Đạt', '05/BB-NT', 1)"), {"id": aid, "pid": pid})
        # KCDP-2022-0003 verified the requested 300.452.000 đồng although 255.000.000 were approved.
        for aid, lid, sup, cp in ((1, 1, 200_452_000, 150_000_000), (1, 2, 100_000_000, 50_000_000),
                                  (2, 3, 90_000_000, 100_000_000)):
            c.execute(text(
                "INSERT INTO acceptance_lines (acceptance_id, budget_line_id, verified_support_vnd, "
                "verified_counterpart_vnd, verified_other_vnd) VALUES (:a, :l, :s, :c, 0)"),
                {"a": aid, "l": lid, "s": sup, "c": cp})


def test_upgrade_freezes_approved_budgets_and_caps_acceptances(blank_db_url: str, tmp_path: Path) -> None:
    db = _at_0004(blank_db_url)
    _seed(db)
    upgrade_to_head(db.engine)
    with db.engine.connect() as c:
        approved = c.execute(text("SELECT id, approved_support_vnd, approved_counterpart_vnd FROM budget_lines "
                                  "ORDER BY id")).all()
        # 255 of 300 million spread proportionally: 170 + 85 million, what the support lost became counterpart.
        assert [tuple(r) for r in approved] == [(1, 170_000_000, 180_000_000), (2, 85_000_000, 65_000_000),
                                                (3, 100_000_000, 100_000_000)]
        verified = c.execute(text("SELECT budget_line_id, verified_support_vnd, verified_counterpart_vnd "
                                  "FROM acceptance_lines ORDER BY budget_line_id")).all()
        assert [tuple(r) for r in verified] == [(1, 170_000_000, 180_452_000), (2, 85_000_000, 65_000_000),
                                                (3, 90_000_000, 100_000_000)]
        review = c.execute(text("SELECT proposal_id, needs_review, review_note FROM acceptances ORDER BY id")).all()
    assert review[0][1] and "300.452.000" in review[0][2] and "255.000.000" in review[0][2]
    assert not review[1][1] and review[1][2] == ""
    db.dispose()


def test_review_report_lists_the_capped_acceptances(blank_db_url: str, tmp_path: Path) -> None:
    db = _at_0004(blank_db_url)
    _seed(db)
    upgrade_to_head(db.engine)
    services = Services.over(db)
    manager = Actor(1, "lanhdao", "Lãnh Đạo", Role.MANAGER)
    out = tmp_path / "kiem-tra.xlsx"
    result = services.reports.acceptance_review(manager, out)
    assert result.rows == 1
    rows = [r for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    body = [r for r in rows if r[1] == "KCDP-2022-0003"]
    assert body and body[0][4] == 255_000_000 and body[0][5] == 255_000_000
    assert "300.452.000" in body[0][9]
    db.dispose()
