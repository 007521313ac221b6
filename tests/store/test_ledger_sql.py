"""The ledger's stage rule in SQL (``ledger_queries.stage_figure``, which the funding summary sums in the database)
gives, on random inputs, exactly what ``domain.ledger`` gives for each proposal: one rule, two spellings, held
together here.

The random rows stand for the ``lg_`` columns of ``with_ledger`` (what the tables hold per proposal), including the
awkward ones: no approval, an approval whose frozen lines do not add up to the decided support, unfrozen lines,
an acceptance that failed or is not signed off, a stopped or cancelled proposal, disbursements that cancel out.
"""

from __future__ import annotations

import random
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, MetaData, String, Table, create_engine, select

from desktop_app.domain.enums import Stage, Status
from desktop_app.store.ledger_queries import STAGE_COLUMNS, ledger_of_row, stage_figure

ROWS = 600

metadata = MetaData()
ledger_rows = Table(
    "ledger_rows", metadata,
    Column("id", Integer, primary_key=True),
    Column("lg_status", String(20), nullable=False),
    *(Column(name, BigInteger) for name in ("lg_approved", "lg_rs", "lg_rc", "lg_ro", "lg_as", "lg_ac", "lg_ao",
                                            "lg_contract", "lg_adv", "lg_pay", "lg_vs", "lg_vc", "lg_vo",
                                            "lg_settled")),
    Column("lg_frozen", Boolean, nullable=False),
    Column("lg_passed", Boolean),
    Column("lg_signed", DateTime),
)


def _maybe(rng: random.Random, value: Any, none_share: float = 0.3) -> Any:
    return None if rng.random() < none_share else value


def _random_row(rng: random.Random, i: int) -> dict[str, Any]:
    amount = lambda: rng.choice([0, rng.randrange(1, 5) * 10_000_000, rng.randrange(1, 10**9)])  # noqa: E731
    rs, rc, ro = amount(), amount(), amount()
    approved = _maybe(rng, rng.choice([rs, rs // 2, amount()]))
    as_ = rng.choice([approved, amount(), None]) if approved is not None else _maybe(rng, amount(), 0.7)
    adv, pay = _maybe(rng, amount()), _maybe(rng, amount())
    if rng.random() < 0.1 and adv:
        pay = -adv  # a payment recovered in full
    return {"id": i, "lg_status": rng.choice(list(Status)).value, "lg_approved": approved,
            "lg_rs": _maybe(rng, rs, 0.1), "lg_rc": _maybe(rng, rc, 0.1), "lg_ro": _maybe(rng, ro, 0.1), "lg_as": as_,
            "lg_ac": _maybe(rng, amount()), "lg_ao": _maybe(rng, amount()), "lg_frozen": rng.random() < 0.7,
            "lg_contract": _maybe(rng, amount(), 0.5), "lg_adv": adv, "lg_pay": pay,
            "lg_vs": _maybe(rng, amount()), "lg_vc": _maybe(rng, amount()), "lg_vo": _maybe(rng, amount()),
            "lg_passed": rng.choice([None, True, False]),
            "lg_signed": _maybe(rng, datetime(2026, rng.randrange(1, 13), 1), 0.4),
            "lg_settled": _maybe(rng, amount(), 0.6)}


def _check_stage_sql(url: str, seed: int) -> None:
    engine = create_engine(url)
    rng = random.Random(seed)
    rows = [_random_row(rng, i) for i in range(1, ROWS + 1)]
    try:
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(ledger_rows.insert(), rows)
        with engine.connect() as conn:
            for stage in Stage:
                # only the columns the stage declares it needs (a summary selects no others)
                c = SimpleNamespace(id=ledger_rows.c.id, **{n: ledger_rows.c[n] for n in STAGE_COLUMNS[stage]})
                f = stage_figure(c, stage)
                got = {r.id: (bool(r.present), int(r.support or 0), int(r.counterpart or 0), int(r.other or 0))
                       for r in conn.execute(select(c.id, f.present.label("present"), f.support.label("support"),
                                                    f.counterpart.label("counterpart"), f.other.label("other")))}
                present = 0
                for row in rows:
                    figure = ledger_of_row(SimpleNamespace(**row)).stage(stage)
                    sql = got[row["id"]]
                    assert sql[0] is (figure is not None), (stage, row)
                    if figure is not None:
                        present += 1
                        assert sql[1:] == (figure.support_vnd, figure.counterpart_vnd, figure.other_vnd), (stage, row)
                assert 0 < present < ROWS, stage  # the random rows reach both sides of the rule
    finally:
        metadata.drop_all(engine)
        engine.dispose()


def test_stage_sql_agrees_with_the_ledger(empty_db_url: str) -> None:
    for seed in (1, 2, 3):
        _check_stage_sql(empty_db_url, seed)
