"""Regenerate the SQLite databases of the released schemas kept in ``tests/data/schemas/`` (run from the
repository root):

    .venv/bin/python tests/data/make_schema_databases.py

Each ``khuyencong-<revision>.sqlite3.gz`` is a database migrated to exactly that revision (0001 … 0004, the
schemas released so far) and then given rows in every table — three per table, made from the column types, with
Vietnamese text, every nullable column filled, and three establishments in use sharing one tax code (as the
program before 0006 allowed). ``tests/store/test_upgrades.py`` upgrades each one to today's head and checks that
every row and value is still there. They are gzipped to keep the repository small.

Add the next released revision to ``RELEASED`` when a new schema ships.
"""

from __future__ import annotations

import gzip
import shutil
import sys
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from alembic import command

HERE = Path(__file__).resolve().parent
OUT = HERE / "schemas"
RELEASED = ("0001", "0002", "0003", "0004")
ROWS = 3
SHARED_TAX_CODE = "0100109106"
# Numbered rows start here, clear of the ids revision 0002 gives the reference rows it loads.
FIRST_ID = 1001


def _value(table: sa.Table, column: sa.Column, i: int, chosen: dict[str, list[object]]) -> object:
    """A value for ``column`` in row ``i`` (1-based), unique where a key needs it."""
    for fk in column.foreign_keys:
        choices = chosen.get(f"{fk.column.table.name}.{fk.column.name}", [])
        if choices:
            return choices[(i - 1) % len(choices)]
        return None
    if table.name == "establishments" and column.name == "tax_code":
        return SHARED_TAX_CODE
    if table.name == "establishments" and column.name == "archived":
        return False
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return i % 2 == 0
    if isinstance(kind, sa.Integer):
        return 2026 + i if column.name == "year" else i * 7
    if isinstance(kind, sa.Numeric):
        return Decimal(f"{i}.5")
    if isinstance(kind, sa.DateTime):
        return datetime(2025, 3, i, 8, 30, tzinfo=UTC).replace(tzinfo=None)
    if isinstance(kind, sa.Date):
        return date(2025, 3, i)
    if isinstance(kind, sa.LargeBinary):
        return bytes([i, 0, 255]) * 4
    if isinstance(kind, sa.String | sa.Text):
        length = getattr(kind, "length", None) or 200
        text = f"{column.name} thứ {i} – Hợp tác xã Mây tre đan Phú Vinh"
        if column.primary_key or column.unique or length < 12:
            text = f"Z{i}{table.name[:3]}{column.name[:3]}"
            if length < len(text):  # short codes (a province's two characters): letters, never a real code
                text = "".join(chr(65 + (i // 26 ** k) % 26) for k in reversed(range(length)))
        return text[:length]
    return None


def fill(url: str) -> dict[str, int]:
    """Put ``ROWS`` rows into every table of the database at ``url``; returns the row count of each table."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    chosen: dict[str, list[object]] = {}
    counts = {}
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            existing = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0
            rows = []
            for i in range(1, ROWS + 1):
                row = {}
                for column in table.columns:
                    if column.primary_key and isinstance(column.type, sa.Integer) and not column.foreign_keys \
                            and len(table.primary_key.columns) == 1:
                        row[column.name] = FIRST_ID + existing + i
                        continue
                    row[column.name] = _value(table, column, i + existing, chosen)
                rows.append(row)
            conn.execute(table.insert(), rows)
            for column in table.columns:
                if column.primary_key or column.unique:
                    values = list(conn.execute(sa.select(column).order_by(column.desc()).limit(ROWS)).scalars())
                    chosen[f"{table.name}.{column.name}"] = values
            counts[table.name] = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        assert not broken, broken[:5]
    engine.dispose()
    return counts


def make(revision: str, out: Path) -> dict[str, int]:
    sys.path.insert(0, str(HERE.parents[1]))
    from desktop_app.store.migrate import alembic_config

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"khuyencong-{revision}.sqlite3"
        url = f"sqlite:///{path}"
        cfg = alembic_config()
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        engine.dispose()
        counts = fill(url)
        vacuum = sa.create_engine(url)
        with vacuum.connect() as conn:
            conn.exec_driver_sql("VACUUM")
        vacuum.dispose()
        with path.open("rb") as src, out.open("wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as dst:
            shutil.copyfileobj(src, dst)  # no name or time in the header: the same rows give the same bytes
    return counts


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for revision in RELEASED:
        out = OUT / f"khuyencong-{revision}.sqlite3.gz"
        counts = make(revision, out)
        print(f"{out.name}: {len(counts)} tables, {sum(counts.values())} rows, {out.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
