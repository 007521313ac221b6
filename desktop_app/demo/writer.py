"""Writing the demo rows: the tables and their columns (from the schema), bulk inserts per backend."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from desktop_app.domain.errors import ValidationError
from desktop_app.store import models  # noqa: F401  (every table in the metadata)
from desktop_app.store.base import Base

# Insert order of a batch of proposals: parents before children (foreign keys are checked row by row).
_PROPOSAL_TABLES = ("proposals", "proposal_beneficiaries", "budget_lines", "outcome_targets", "status_changes",
                    "decisions", "councils", "council_members", "score_sheets", "scores", "contracts",
                    "disbursements", "progress_reports", "acceptances", "acceptance_lines", "liquidations",
                    "settlements")
# The columns of each table the generator writes, as the schema declares them (the models' ``__table__``): each
# row the generator builds holds a value for every column, in this order.
_COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(c.name for c in Base.metadata.tables[table].columns)
    for table in ("establishments", *_PROPOSAL_TABLES)}
_ID_TABLES = ("establishments", "proposals", "budget_lines", "status_changes", "decisions", "councils",
              "council_members", "score_sheets", "contracts", "disbursements", "progress_reports", "acceptances",
              "liquidations", "settlements")


# --- writing --------------------------------------------------------------------------------------------------------


class _Sink:
    """Appends rows to tables on the session's connection, as fast as the backend allows.

    SQLite: ``executemany`` with values already in SQLAlchemy's storage form (dates as ISO text, timestamps as
    ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC, money and points as numbers). PostgreSQL: ``COPY … FROM STDIN`` with
    Python values (psycopg adapts them).
    """

    def __init__(self, s: Session) -> None:
        self._conn = s.connection()
        self.dialect = self._conn.dialect.name
        if self.dialect not in ("sqlite", "postgresql"):
            raise ValidationError("Chỉ tạo được dữ liệu mẫu trên SQLite hoặc PostgreSQL.")
        self.rows = 0
        self._sql: dict[str, str] = {}

    def put(self, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = _COLUMNS[table]
        if len(rows[0]) != len(columns):  # a schema change the generator does not follow yet
            raise ValueError(f"demo rows of {table}: {len(rows[0])} values for the {len(columns)} columns "
                             f"{', '.join(columns)}")
        if self.dialect == "sqlite":
            sql = self._sql.get(table)
            if sql is None:
                sql = self._sql[table] = (f"INSERT INTO {table} ({', '.join(columns)}) "
                                          f"VALUES ({', '.join('?' * len(columns))})")
            self._conn.exec_driver_sql(sql, list(rows))
        else:
            raw = self._conn.connection.dbapi_connection
            assert raw is not None
            with raw.cursor() as cursor, cursor.copy(  # type: ignore[attr-defined]
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        self.rows += len(rows)


@contextmanager
def _large_page_cache(s: Session, sqlite: bool) -> Iterator[None]:
    """On SQLite, a 256 MiB page cache while writing (the indexes of the big tables then stay in memory); the
    connection's own setting comes back afterwards, even when the run fails."""
    if not sqlite:
        yield
        return
    before = s.execute(text("PRAGMA cache_size")).scalar()
    s.execute(text("PRAGMA cache_size=-262144"))
    try:
        yield
    finally:
        with suppress(SQLAlchemyError):  # best effort: the run's own error is the one to report
            s.execute(text(f"PRAGMA cache_size={int(before or -2000)}"))
