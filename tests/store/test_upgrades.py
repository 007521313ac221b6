"""A database of each released schema (tests/data/schemas, made by tests/data/make_schema_databases.py) is
upgraded to today's head by the program's own start-up path, with every row and every value kept."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop_app.services.context import open_services
from desktop_app.store.migrate import head_revision

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"
RELEASED = ("0001", "0002", "0003", "0004")


def _snapshot(path: Path) -> dict[str, dict[tuple, dict[str, object]]]:
    """Every row of every table, by primary key, as SQLite stores it."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT IN ('alembic_version', 'sqlite_sequence')")]
        result: dict[str, dict[tuple, dict[str, object]]] = {}
        for table in tables:
            info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            names = [c[1] for c in info]
            key = [c[1] for c in sorted(info, key=lambda c: c[5]) if c[5]] or ["rowid"]
            rows = conn.execute(f'SELECT {", ".join(f"{chr(34)}{k}{chr(34)}" for k in key)}, * FROM "{table}"')
            result[table] = {tuple(r[:len(key)]): dict(zip(names, r[len(key):], strict=True)) for r in rows}
        return result
    finally:
        conn.close()


@pytest.mark.parametrize("revision", RELEASED)
def test_upgrade_keeps_every_row(revision: str, tmp_path: Path) -> None:
    path = tmp_path / "khuyencong.sqlite3"
    with gzip.open(SCHEMAS / f"khuyencong-{revision}.sqlite3.gz", "rb") as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    before = _snapshot(path)
    assert sum(len(rows) for rows in before.values()) >= 100

    services, copy = open_services(f"sqlite:///{path}")
    services.close()
    assert copy is not None and Path(copy).exists()  # the copy taken before migrating

    after = _snapshot(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    shared = conn.execute("SELECT count(*) FROM establishments WHERE tax_code_shared").fetchone()[0]
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    conn.close()
    lost = []
    for table, rows in before.items():
        for key, values in rows.items():
            now = after.get(table, {}).get(key)
            if now is None:
                lost.append(f"{table} {key}")
                continue
            changed = {c: (v, now.get(c)) for c, v in values.items() if now.get(c) != v}
            if changed:
                lost.append(f"{table} {key}: {changed}")
    assert not lost, lost[:10]
    counts = {t: (len(r), len(after[t])) for t, r in before.items()}
    if revision == "0001":  # revision 0002 loads the reference lists on top of the rows already there
        assert all(n_after >= n_before for n_before, n_after in counts.values())
    else:
        assert all(n_after == n_before for n_before, n_after in counts.values()), counts
    # The three establishments that shared a tax code are kept; all but the oldest are flagged.
    assert shared == 2
    assert {"audit_entries_no_update", "audit_entries_no_delete"} <= triggers
