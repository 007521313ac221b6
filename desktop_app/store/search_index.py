"""Substring search on folded establishment names through an index, on both databases.

``LIKE '%word%'`` cannot use a B-tree index, so every keystroke read the whole table. The names are indexed by
their trigrams instead:

- SQLite: an FTS5 table with the ``trigram`` tokenizer (built into SQLite since 3.34) over
  ``establishments.name_folded`` (external content: the table holds only the index), kept in step by triggers in
  the same transaction as the change of the row;
- PostgreSQL: a GIN index with ``gin_trgm_ops`` (extension ``pg_trgm``), which PostgreSQL keeps itself.

:func:`folded_name_match` gives the condition with the same results as ``LIKE`` on every word (a test compares
them); it compiles to the index on each database. A trigram needs three characters, so words shorter than that are
checked with ``LIKE`` on the rows the index found (or, when no word is long enough, on the table as before).

Neither object is in the SQLAlchemy models (FTS5 and operator classes are not portable); migrations create them
with :func:`create` and the autogenerate comparison skips them through :func:`include_object`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, and_, bindparam, select, true
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean

FTS_TABLE = "establishments_fts"
TRGM_INDEX = "ix_establishments_name_folded_trgm"
_TRIGGERS = ("establishments_fts_ai", "establishments_fts_ad", "establishments_fts_au")
TRIGRAM = 3
LIKE_ESCAPE = "/"

# The FTS5 table as SQLAlchemy sees it in queries (its own metadata: never created from the models).
_fts = Table(FTS_TABLE, MetaData(), Column("rowid", Integer), Column("name_folded", String))


# --- DDL (called by migrations) -----------------------------------------------------------------------------------


def create(conn: Connection) -> None:
    """Create the index for this database and fill it from the existing rows."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(name_folded, content='establishments', "
            "content_rowid='id', tokenize='trigram case_sensitive 1')")
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        ensure_triggers(conn)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON establishments "
                             "USING gin (name_folded gin_trgm_ops)")


def ensure_triggers(conn: Connection) -> None:
    """(Re)create the SQLite triggers that keep the FTS5 table in step with ``establishments``.

    A batch migration that rebuilds ``establishments`` drops its triggers with the old table, so the start-up
    migration calls this after every upgrade; it does nothing where the FTS5 table does not exist.
    """
    if conn.dialect.name != "sqlite":
        return
    exists = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                  (FTS_TABLE,)).first()
    if not exists:
        return
    ai, ad, au = _TRIGGERS
    conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {ai} AFTER INSERT ON establishments BEGIN "
                         f"INSERT INTO {FTS_TABLE}(rowid, name_folded) VALUES (new.id, new.name_folded); END")
    conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {ad} AFTER DELETE ON establishments BEGIN "
                         f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name_folded) "
                         "VALUES ('delete', old.id, old.name_folded); END")
    conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {au} AFTER UPDATE OF name_folded ON establishments BEGIN "
                         f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name_folded) "
                         "VALUES ('delete', old.id, old.name_folded); "
                         f"INSERT INTO {FTS_TABLE}(rowid, name_folded) VALUES (new.id, new.name_folded); END")


def drop(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for trigger in _TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {TRGM_INDEX}")  # the extension may serve others: kept


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's filter: the search index and FTS5's own tables are not in the models, and that is intended."""
    if type_ == "table" and name is not None and name.startswith(FTS_TABLE):
        return False
    return not (type_ == "index" and name == TRGM_INDEX)


# --- the condition ------------------------------------------------------------------------------------------------


def like_pattern(word: str) -> str:
    """``%word%`` with LIKE's wildcards in ``word`` taken literally (escaped with ``/``)."""
    escaped = word.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return f"%{escaped}%"


def like_words(column: Any, words: list[str]) -> Any:
    """Every word appears in ``column``; one bound pattern per word, so the planner sees the whole pattern."""
    return and_(*(column.like(like_pattern(w), escape=LIKE_ESCAPE) for w in words)) if words else true()


def fts_query(words: list[str]) -> str:
    """The FTS5 query for words of three characters or more: each a quoted string (a substring), all required."""
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


class FoldedNameMatch(ColumnElement[bool]):
    """Every word of ``folded_text`` appears in ``establishments.name_folded`` — through the index."""

    type = Boolean()
    inherit_cache = True
    _traverse_internals = [("portable", InternalTraversal.dp_clauseelement),
                           ("sqlite", InternalTraversal.dp_clauseelement)]

    def __init__(self, id_column: Any, name_column: Any, folded_text: str) -> None:
        words = [w for w in folded_text.split() if w]
        # PostgreSQL (and any other database): LIKE, which pg_trgm's GIN index answers.
        self.portable = like_words(name_column, words)
        long_words = [w for w in words if len(w) >= TRIGRAM]
        if long_words:
            short = [w for w in words if len(w) < TRIGRAM]
            found = select(_fts.c.rowid).where(_fts_match(fts_query(long_words)))
            self.sqlite = and_(id_column.in_(found), *(like_words(name_column, short),) if short else ())
        else:
            self.sqlite = self.portable

    def self_group(self, against: Any = None) -> Any:
        return self  # a condition already: no "= 1" around it where booleans are integers (SQLite)


class _FtsMatch(ColumnElement[bool]):
    type = Boolean()
    inherit_cache = True
    _traverse_internals = [("query", InternalTraversal.dp_clauseelement)]

    def __init__(self, query: str) -> None:
        self.query = bindparam("fts_query", query, type_=String(), unique=True)

    def self_group(self, against: Any = None) -> Any:
        return self


def _fts_match(query: str) -> _FtsMatch:
    return _FtsMatch(query)


@compiles(_FtsMatch)
def _compile_fts_match(element: _FtsMatch, compiler: Any, **kw: Any) -> str:
    return f"{FTS_TABLE} MATCH {compiler.process(element.query, **kw)}"


@compiles(FoldedNameMatch)
def _compile_portable(element: FoldedNameMatch, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.portable, **kw))


@compiles(FoldedNameMatch, "sqlite")
def _compile_sqlite(element: FoldedNameMatch, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.sqlite, **kw))


def folded_name_match(id_column: Any, name_column: Any, folded_text: str) -> Any:
    """The search condition on establishment names (``folded_text`` is already folded)."""
    if not folded_text.split():
        return true()
    return FoldedNameMatch(id_column, name_column, folded_text)
