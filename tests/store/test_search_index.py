"""Name search through the index (FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL) finds exactly what ``LIKE``
on every folded word finds, and the index follows inserts, renames, deletes and rollbacks in the same transaction."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import delete, insert, select, update

from desktop_app.domain.vietnamese import fold, sort_key
from desktop_app.store import search_index
from desktop_app.store.database import Database
from desktop_app.store.models import Establishment

SYLLABLES = ["Hợp", "tác", "xã", "Đồng", "Tâm", "gốm", "Bát", "Tràng", "mây", "tre", "đan", "Phú", "Vinh", "cơ",
             "sở", "chế", "biến", "nông", "sản", "Hà", "An", "Thái", "Bình", "dệt", "lụa", "100%", "A_B", "x/y",
             'mộc "Quê"', "Ánh", "Dương", "thủ", "công", "mỹ", "nghệ", "Ý", "Ơn"]


def _names(rng: random.Random, n: int) -> list[str]:
    return [" ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 6))) for _ in range(n)]


def _insert(db: Database, names: list[str]) -> None:
    with db.transaction() as s:
        s.execute(insert(Establishment), [
            {"name": n, "name_folded": fold(n), "name_sort": sort_key(n), "legal_form": "household", "version": 1}
            for n in names])


def _found(db: Database, text: str, indexed: bool) -> list[int]:
    folded = fold(text)
    words = folded.split()
    cond = (search_index.folded_name_match(Establishment.id, Establishment.name_folded, folded) if indexed
            else search_index.like_words(Establishment.name_folded, words))
    with db.reading() as s:
        return list(s.scalars(select(Establishment.id).where(cond).order_by(Establishment.id)))


def _queries(rng: random.Random, names: list[str]) -> list[str]:
    """Substrings of stored names (inside and across words), short words, several words, and misses."""
    found = []
    for _ in range(60):
        folded = fold(rng.choice(names))
        start = rng.randrange(len(folded))
        found.append(folded[start:start + rng.randint(1, 9)])
    several = [" ".join(rng.sample([*fold(rng.choice(names)).split(), "ta", "on"], 2)) for _ in range(20)]
    return found + several + ["hop tac xa", "ha", "XÃ", "100%", "%", "_", "a_b", "x/y", '"que"', "zzz", "đồng tâm"]


def test_index_gives_the_same_rows_as_like_on_random_names(db_url: str) -> None:
    rng = random.Random(13)
    db = Database.from_url(db_url)
    try:
        names = _names(rng, 400)
        _insert(db, names)
        hits = 0
        for text in _queries(rng, names):
            expected = _found(db, text, indexed=False)
            assert _found(db, text, indexed=True) == expected, text
            hits += bool(expected)
        assert hits >= 60  # the comparison is not between empty results
    finally:
        db.dispose()


def test_index_follows_changes_in_the_same_transaction(db_url: str) -> None:
    db = Database.from_url(db_url)
    try:
        _insert(db, ["Cơ sở mây tre Phú Vinh", "Hợp tác xã gốm Bát Tràng"])
        assert len(_found(db, "phu vinh", indexed=True)) == 1
        with db.transaction() as s:
            s.execute(update(Establishment).where(Establishment.name_folded == "co so may tre phu vinh")
                      .values(name="Cơ sở lụa Vạn Phúc", name_folded="co so lua van phuc"))
        assert _found(db, "phu vinh", indexed=True) == []
        assert len(_found(db, "van phuc", indexed=True)) == 1
        with pytest.raises(RuntimeError), db.transaction() as s:
            s.execute(delete(Establishment).where(Establishment.name_folded.like("%bat trang%")))
            raise RuntimeError("rolled back")
        assert len(_found(db, "bat trang", indexed=True)) == 1
        with db.transaction() as s:
            s.execute(delete(Establishment).where(Establishment.name_folded.like("%bat trang%")))
        assert _found(db, "bat trang", indexed=True) == []
    finally:
        db.dispose()


def test_sqlite_search_uses_the_fts_table(sqlite_url: str) -> None:
    db = Database.from_url(sqlite_url)
    try:
        cond = search_index.folded_name_match(Establishment.id, Establishment.name_folded, "hop tac xa")
        sql = str(select(Establishment.id).where(cond).compile(db.engine))
        assert "establishments_fts MATCH" in sql and "LIKE" in sql  # "xa" is too short for a trigram
        with db.engine.connect() as conn:
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql,
                                                                     ('"hop" AND "tac"', "%xa%")))
        assert "establishments_fts VIRTUAL TABLE INDEX" in plan, plan
    finally:
        db.dispose()
