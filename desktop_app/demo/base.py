"""One run of the demo generator: reference data, counters, row buffers and the small helpers every part uses."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desktop_app.demo import vocab as V
from desktop_app.demo.common import _FAMILY, _UTC_MINUTES, _UTC_OFFSET, _People
from desktop_app.demo.reference import _load_reference
from desktop_app.demo.text import _Keys, _pick, parse_number
from desktop_app.demo.writer import _COLUMNS, _ID_TABLES, _Sink
from desktop_app.domain.enums import (
    LegalForm,
    Scope,
    Status,
)
from desktop_app.progress import Progress
from desktop_app.services.auth import Actor
from desktop_app.store.models import (
    Acceptance,
    Contract,
    Council,
    Decision,
    Disbursement,
    Liquidation,
    Plan,
    Settlement,
    StatusChange,
)


class GeneratorBase:
    """One run: reference data, counters and the row buffers. Not thread-safe; lives for one transaction."""

    def __init__(self, s: Session, actor: Actor, seed: int, today: date, progress: Progress, total: int) -> None:
        self.s = s
        self.actor = actor
        self.seed = seed
        self.today = today
        self.rng = random.Random(seed)
        self.progress = progress
        self.total = max(total, 1)
        self.done = 0
        self.sink = _Sink(s)
        self.sqlite = self.sink.dialect == "sqlite"
        self.keys = _Keys()
        self.ref = _load_reference(s)
        self.ids = {t: int(s.scalar(text(f"SELECT coalesce(max(id), 0) FROM {t}")) or 0) for t in _ID_TABLES}
        self.buffers: dict[str, list[tuple[Any, ...]]] = {t: [] for t in _COLUMNS}
        self._dates: dict[date, Any] = {}
        self.counters: Counter[tuple[int, str]] = Counter()
        self.status_count: Counter[Status] = Counter()
        self.scope_count: Counter[Scope] = Counter()
        self.form_count: Counter[LegalForm] = Counter()
        self.codes: Counter[tuple[int, Scope]] = Counter()
        self.plan_money: Counter[tuple[int, Scope]] = Counter()
        # establishments usable as beneficiaries: index → (id, province, commune, sector, name, product,
        # legacy ward, old place "xã …, huyện …, tỉnh …" when registered before the reform)
        self.est: list[tuple[int, str, str | None, str, str, str, str | None, str]] = []
        self.est_by_province: dict[str, list[int]] = {}
        self._communes = {c[0]: c for c in self.ref.communes}
        self._code_last: dict[tuple[int, Scope], int] = {}  # last proposal number per (year, scope)
        self._people = _People([], [], [], [])
        self._contents: tuple[list[Any], list[int]] = ([], [])
        self.centre: tuple[str, ...] = ()  # the provinces whose proposals this centre keeps
        self._signers: dict[str, tuple[str, ...]] = {}  # body → "Name, title" of who signs its decisions
        self._seed_numbers()

    # -- small helpers ----------------------------------------------------------------------------------------------

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def d(self, day: date | None) -> Any:
        """A date as the backend stores it."""
        if day is None or not self.sqlite:
            return day
        found = self._dates.get(day)
        if found is None:
            found = self._dates[day] = day.isoformat()
        return found

    def ts(self, day: date, minute_of_day: int) -> Any:
        """Local office time on ``day`` (minutes after midnight, UTC+7) as a stored UTC timestamp."""
        utc = minute_of_day - _UTC_MINUTES
        if self.sqlite and 0 <= utc < 1440:  # the same day in UTC: text built from the cached date
            return f"{self.d(day)} {utc // 60:02d}:{utc % 60:02d}:00.000000"
        at = datetime(day.year, day.month, day.day) + timedelta(minutes=minute_of_day) - _UTC_OFFSET
        return f"{at:%Y-%m-%d %H:%M:%S}.000000" if self.sqlite else at

    def num(self, value: Decimal | None) -> Any:
        return None if value is None else (float(value) if self.sqlite else value)

    def number(self, year: int, symbol: str) -> int:
        """The next number of a document series: one counter per (year, symbol as printed), from 01 each year
        (ND 30/2020 Art. 15), so no two documents of one body and kind share a number."""
        self.counters[(year, symbol)] += 1
        return self.counters[(year, symbol)]

    def _seed_numbers(self) -> None:
        """Start every series after the numbers the database already holds (a run with ``append``)."""
        if not self.ids["proposals"]:
            return
        sources = ((StatusChange.document_number, StatusChange.document_date),
                   (Decision.number, Decision.signed_on), (Council.decision_number, Council.decision_date),
                   (Council.minutes_number, Council.meeting_date), (Acceptance.minutes_number, Acceptance.held_on),
                   (Liquidation.number, Liquidation.signed_on), (Settlement.number, Settlement.settled_on),
                   (Contract.number, Contract.signed_on), (Plan.decision_number, Plan.decision_date),
                   (Disbursement.voucher_number, Disbursement.paid_on))
        for number, day in sources:
            for value, on in self.s.execute(select(number, day).where(number != "", day.is_not(None))):
                found = parse_number(value, on.year) if value and on is not None else None
                if found and found[2] > self.counters[found[:2]]:
                    self.counters[found[:2]] = found[2]

    def signer(self, rng: random.Random, body: str) -> str:
        """Who signs a decision of ``body`` ("SCT-<province>" or "BCT"): "Full name, title", the head or one of
        two deputies, the same people for the whole run."""
        people = self._signers.get(body)
        if people is None:
            rng = random.Random(f"{self.seed}-{body}")
            heads = ("Thứ trưởng", "Thứ trưởng") if body == "BCT" else ("Giám đốc", "Phó Giám đốc", "Phó Giám đốc")
            people = self._signers[body] = tuple(f"{' '.join(self.person(rng)[0])}, {title}" for title in heads)
        return people[int(rng.random() * len(people))]

    def person(self, rng: random.Random, female: bool | None = None) -> tuple[list[str], bool]:
        if female is None:
            female = rng.random() < 0.45
        family = _pick(rng, *_FAMILY)
        middle = rng.choice(V.FEMALE_MIDDLE if female else V.MALE_MIDDLE)
        given = rng.choice(V.FEMALE_GIVEN if female else V.MALE_GIVEN)
        return [family, middle, given], female

    def tick(self, n: int, status: str) -> None:
        self.done += n
        self.progress.set_progress(min(self.done, self.total), self.total, status)
        self.progress.check()

    def flush(self, tables: Sequence[str]) -> None:
        for t in tables:
            rows = self.buffers[t]
            if rows:
                self.sink.put(t, rows)
                self.buffers[t] = []
