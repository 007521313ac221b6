"""Per-year number series for proposal codes and documents (ND 30/2020 Art. 15: from 01 each 1 January)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from desktop_app.store.models import DocumentNumber


def next_number(s: Session, year: int, series: str) -> int:
    """Take the next number of ``series`` in ``year``.

    SQLite units of work hold the write lock from their start, so they are serialised. On PostgreSQL the series
    row is created if missing without failing when another user creates it at the same moment (ON CONFLICT DO
    NOTHING), then locked (FOR UPDATE) before it is read, so two users never take the same number.
    """
    q = select(DocumentNumber).where(DocumentNumber.year == year, DocumentNumber.series == series)
    if s.get_bind().dialect.name == "postgresql":
        s.execute(pg_insert(DocumentNumber).values(year=year, series=series, last_number=0)
                  .on_conflict_do_nothing(index_elements=["year", "series"]))
        q = q.with_for_update()
    row = s.scalar(q)
    if row is None:
        row = DocumentNumber(year=year, series=series, last_number=0)
        s.add(row)
    row.last_number += 1
    s.flush()
    return row.last_number


def document_symbol(number: int, kind: str, abbreviation: str) -> str:
    """“05/BB-TTKC”: numbers below 10 get a leading zero (ND 30/2020 Phụ lục I)."""
    return f"{number:02d}/{kind}-{abbreviation}"
