"""The project's benchmark: each speed target against the fastest peer a user could otherwise use, measured in the
same run on the same database.

A user compares the program with what they would otherwise use, so every measure times a PEER doing the same job
on the same data, right beside ours, and the target is a ratio to it (where there is no sensible peer, the target
is in seconds and the anchor is ``-``). One line per measure::

    RATIO <name> <ours_s> <anchor_s> <ratio> <target> PASS|FAIL

The measures (full size: 100,000 establishments, 50,000 proposals; ``--quick`` divides by ten):

====================  ==========================================================================  ===============
name                  ours / peer                                                                 target
====================  ==========================================================================  ===============
demo                  ``DemoService.generate`` / —                                                ≤ 120 s
list_open             the establishment list's model (the screen's columns, loading through the   ≤ 1.5×
                      services on a worker) in a ``QTableView``, first screen painted / Qt's C++
                      ``QSqlQueryModel`` over the same joined query in a ``QTableView``, painted
list_sort             the list re-sorted by province, painted / ``QSqlQueryModel`` ordered so      ≤ 1.5×
list_scroll_end       a new list opened, then the last screen painted with its rows /             ≤ 1.5×
                      ``QSqlQueryModel`` opened and ``fetchMore`` to the end
search_<words>        a keystroke: the search box's text to the first page painted, p95 of        ≤ 0.1 s p95
                      several / ``QSqlQueryModel`` with ``LIKE '%…%'`` on the folded name
                      (anchor: its median)
export_xlsx           ``services.reports.establishments`` (child process) / XlsxWriter            ≤ 1.2×, memory
                      ``constant_memory`` writing the same cells from a raw cursor (child)        ≤ 1.5×
start_up              a fresh interpreter to the login window on screen / a bare PySide6 window   ≤ 1.5×
funding_summary       ``services.reports.funding_groups`` by province over five years / the       ≤ 1.5×
                      same per-proposal rows grouped and summed in one raw SQL query
document_pdf          one proposal document rendered in-process / —                               ≤ 0.3 s
main_window           the main window with its dashboard built and painted / —                    ≤ 1.0 s
import_xlsx           ``services.imports.run`` of 20,000 rows (child) / —                         ≤ 60 s
====================  ==========================================================================  ===============

With ``--pg URL`` (a PostgreSQL server's maintenance database, e.g. ``postgresql://postgres@127.0.0.1:5432/test``)
a scratch database is created on that server, filled by the demo (then ``ANALYZE``d, as autovacuum would soon do),
and the list and search measures run there too, against ``QSqlQueryModel`` on Qt's PostgreSQL driver; the
``EXPLAIN ANALYZE`` of the slowest search's page query is printed after the lines.

Run from the repository root (either form works)::

    .venv/bin/python -m tests.perf.bench [--quick] [--pg postgresql://postgres@127.0.0.1:5432/test] [--keep DIR]
    .venv/bin/python tests/perf/bench.py --quick

To measure one thing again and again without building the data each time: ``--keep DIR`` keeps the SQLite database
(``DIR/demo.sqlite3``) and, with ``--pg``, the PostgreSQL scratch database too (its URL is printed); ``--reuse
PATH`` then measures on that SQLite file and ``--reuse-pg URL`` on that PostgreSQL database (their demo lines are
left out, and neither is deleted), and ``--only NAME[,NAME]`` runs only the measures whose names start with one of
the NAMEs (``--only list`` runs list_open, list_sort and list_scroll_end without the search keystrokes; ``--only
list,search`` both; ``--only export_xlsx,start_up`` …)::

    .venv/bin/python -m tests.perf.bench --keep /tmp/kc-bench --pg postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python -m tests.perf.bench --reuse /tmp/kc-bench/demo.sqlite3 --only list
    .venv/bin/python -m tests.perf.bench --reuse-pg postgresql://postgres@127.0.0.1:5432/kc_bench_1234abcd --only list

The list measures time the same steps on both sides: the model and view built, the rows read, the events waiting
handled (the window's own paint) and the first screen grabbed. Both views have the screen's look
(``setup_list_view``) and both draw the same texts (the peer's SQL gives the legal form's label). Before each timer the
other side's leftovers are handled (a closed view's deletion, a shown window's pending paint) and our background
count is finished, so neither side's time holds the other's work.

Qt runs offscreen unless ``QT_QPA_PLATFORM`` says otherwise. The functions also run on tiny sizes in
``tests/perf/test_bench_quick.py`` (results asserted, not timed), so the benchmark cannot rot.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make ``desktop_app`` importable
    sys.path.insert(0, str(ROOT))

from desktop_app.services.context import Services, open_services  # noqa: E402

ADMIN, PASSWORD = "quantri", "matkhau123"
FULL = {"establishments": 100_000, "proposals": 50_000, "import_rows": 20_000, "keystrokes": 20}
QUICK = {"establishments": 10_000, "proposals": 5_000, "import_rows": 2_000, "keystrokes": 5}
DEMO_TODAY = date(2026, 11, 27)  # fixed, so every run writes the same data
SEARCHES = ("tan", "hop tac xa")
LIST_TIMEOUT_S = 60


@dataclass
class Ratio:
    """One measure: ours against the peer (``anchor_s``), or against an absolute limit when ``anchor_s`` is None."""

    name: str
    ours_s: float
    anchor_s: float | None
    limit: float  # the largest passing ratio, or seconds when ``absolute``
    absolute: bool = False
    ours_mb: float | None = None
    anchor_mb: float | None = None
    memory_limit: float | None = None  # the largest passing ratio of peak memory
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return None if not self.anchor_s else self.ours_s / self.anchor_s

    @property
    def memory_ratio(self) -> float | None:
        if self.ours_mb is None or not self.anchor_mb:
            return None
        return max(self.ours_mb, 0.0) / self.anchor_mb

    @property
    def target(self) -> str:
        text = f"<={self.limit:g}s" if self.absolute else f"<={self.limit:g}x"
        if self.memory_limit is not None:
            text += f",mem<={self.memory_limit:g}x"
        return text

    @property
    def passed(self) -> bool:
        if self.absolute:
            ok = self.ours_s <= self.limit
        else:
            ok = self.ratio is not None and self.ratio <= self.limit
        if self.memory_limit is not None:
            ok = ok and self.memory_ratio is not None and self.memory_ratio <= self.memory_limit
        return ok

    def line(self) -> str:
        anchor = "-" if self.anchor_s is None else f"{self.anchor_s:.4f}"
        ratio = "-" if self.ratio is None else f"{self.ratio:.2f}"
        verdict = "PASS" if self.passed else "FAIL"
        return f"RATIO {self.name} {self.ours_s:.4f} {anchor} {ratio} {self.target} {verdict}"


# --- helpers --------------------------------------------------------------------------------------------------------


def new_database(url: str) -> Services:
    """A migrated database with its first administrator (the demo adds the other users it needs)."""
    services, _ = open_services(url)
    if not services.auth.has_users():
        services.users.create_first_admin(ADMIN, PASSWORD, "Quản trị viên")
    return services


def _manager(services: Services) -> Any:
    from desktop_app.demo import DEMO_PASSWORD

    try:
        return services.auth.login("demo_lanhdao", DEMO_PASSWORD)
    except Exception:  # a database seeded with its own users: take its manager
        return services.auth.login("lanhdao", PASSWORD)


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _rss_mb() -> float | None:
    """The resident memory of this process now (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, AttributeError):
        return None


class PeakMemory:
    """Samples the resident memory every 10 ms while the block runs; ``growth_mb`` is the peak above the start."""

    def __init__(self) -> None:
        self.start = _rss_mb()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            now = _rss_mb()
            if now is not None and self.peak is not None:
                self.peak = max(self.peak, now)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        now = _rss_mb()
        if now is not None and self.peak is not None:
            self.peak = max(self.peak, now)

    @property
    def growth_mb(self) -> float | None:
        return None if self.start is None or self.peak is None else self.peak - self.start


@contextmanager
def postgres_scratch(server_url: str, keep: bool = False) -> Iterator[str]:
    """A scratch PostgreSQL database on the server of ``server_url`` (its maintenance database), dropped after
    (unless ``keep``)."""
    import psycopg

    base = server_url.replace("postgresql+psycopg://", "postgresql://")
    name = f"kc_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        if not keep:
            with psycopg.connect(base, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _child(*args: str) -> dict[str, Any]:
    """Run one measured operation in a fresh interpreter; it prints one JSON line."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def captured_sql(services: Services) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (with their parameters) that the services send to the driver inside the block."""
    from sqlalchemy import event

    seen: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(services.db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(services.db.engine, "before_cursor_execute", before)


# --- demo data ------------------------------------------------------------------------------------------------------


def bench_demo(url: str, establishments: int, proposals: int, label: str = "sqlite") -> Ratio:
    """The demo command's work, on a fresh database at ``url``."""
    from desktop_app.demo import CENTRE_PROVINCES, DemoService
    from desktop_app.store.settings import set_setting

    services = new_database(url)
    try:
        admin = services.auth.login(ADMIN, PASSWORD)
        first_three = ", ".join(p.code for p in services.reference.provinces()[:3])
        with services.db.transaction() as s:  # a regional centre's data, so one province's export is a part
            set_setting(s, CENTRE_PROVINCES, first_three)
        with PeakMemory() as memory:
            started = time.perf_counter()
            result = DemoService(services.db).generate(admin, establishments, proposals, seed=1, today=DEMO_TODAY)
            seconds = time.perf_counter() - started
        if services.db.engine.dialect.name == "postgresql":
            # A loaded table is analysed by autovacuum within a minute; do it now so the plans are the real ones.
            with services.db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
    finally:
        services.close()
    return Ratio(f"demo_{label}", seconds, None, 120.0, absolute=True, ours_mb=memory.growth_mb,
                 note=f"{establishments:,} cơ sở + {proposals:,} đề án, {result.rows:,} dòng".replace(",", "."),
                 extra={"rows": result.rows})


# --- Qt: the peer lists and our screen -------------------------------------------------------------------------------


def qt_app() -> Any:
    from desktop_app.ui.app import application

    return application()


def wait_for(signal: Any, ready: Callable[[], bool], timeout_s: float = LIST_TIMEOUT_S) -> None:
    """Run the event loop until ``ready()`` (checked when ``signal`` fires), without spinning the CPU."""
    from PySide6.QtCore import QEventLoop, QTimer

    if ready():
        return
    loop = QEventLoop()

    def check(*_args: object) -> None:
        if ready():
            loop.quit()

    signal.connect(check)
    limit = QTimer()  # stopped after, so no timer of an earlier wait is left pending for the next measures
    limit.setSingleShot(True)
    limit.timeout.connect(loop.quit)
    limit.start(int(timeout_s * 1000))
    loop.exec()
    limit.stop()
    signal.disconnect(check)
    if not ready():
        raise TimeoutError("the list did not load in time")


def painted(view: Any) -> None:
    """Paint what the view shows now, synchronously: every visible cell's text is asked for and drawn.

    The events waiting are handled first, as the program's event loop would: a window just shown is painted there
    (our list runs the event loop while its first page is read, so its window was painted there; the peer's must be
    too, or only ours would pay for that paint). ``grab`` then renders whether or not the window system has exposed
    the window yet (``repaint`` on a window shown a moment ago paints nothing offscreen, which made a peer look
    free)."""
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.processEvents()
    view.viewport().grab()


class PeerList:
    """Qt's C++ ``QSqlQueryModel`` in a ``QTableView`` over the same database: what a Qt programmer would write (the
    view with the look of our lists, ``setup_list_view``, so both sides paint the same screen)."""

    def __init__(self, url: str) -> None:
        from PySide6.QtSql import QSqlDatabase
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        self.name = f"peer-{uuid.uuid4().hex[:6]}"
        if parsed.get_backend_name() == "sqlite":
            self.db = QSqlDatabase.addDatabase("QSQLITE", self.name)
            self.db.setDatabaseName(parsed.database or "")
        else:
            self.db = QSqlDatabase.addDatabase("QPSQL", self.name)
            self.db.setHostName(parsed.host or "127.0.0.1")
            self.db.setPort(parsed.port or 5432)
            self.db.setDatabaseName(parsed.database or "")
            self.db.setUserName(parsed.username or "")
            self.db.setPassword(parsed.password or "")
        if not self.db.open():
            raise RuntimeError(f"QSqlDatabase: {self.db.lastError().text()}")
        self.view: Any = None
        self.model: Any = None

    def show(self, where: str = "", order: str = "e.name_sort, e.id") -> None:
        """The list with ``where`` in ``order``, in a new or the same view, and its first screen painted."""
        from PySide6.QtSql import QSqlQueryModel
        from PySide6.QtWidgets import QTableView

        from desktop_app.domain.enums import LegalForm
        from desktop_app.ui.widgets import setup_list_view

        # the legal form as the screen shows it (its label, as a Qt programmer would write it in SQL), so both sides
        # draw the same texts
        labels = " ".join(f"WHEN '{f.value}' THEN '{f.label.replace(chr(39), chr(39) * 2)}'" for f in LegalForm)
        sql = (f"SELECT e.name, CASE e.legal_form {labels} ELSE e.legal_form END, e.tax_code, e.representative, "
               "e.phone, c.kind || ' ' || c.name, p.name, s.name, e.workers FROM establishments e "
               "LEFT JOIN provinces p ON p.code = e.province_code "
               "LEFT JOIN communes c ON c.code = e.commune_code LEFT JOIN sectors s ON s.code = e.sector_code "
               f"WHERE e.archived = {'false' if self.db.driverName() == 'QPSQL' else '0'} {where} ORDER BY {order}")
        if self.model is None:
            self.model = QSqlQueryModel()
            self.view = QTableView()
            self.view.resize(1070, 700)
        self.model.setQuery(sql, self.db)
        if self.model.lastError().isValid():
            raise RuntimeError(f"peer query: {self.model.lastError().text()}")
        if self.view.model() is None:
            self.view.setModel(self.model)
            setup_list_view(self.view)  # the screen's look (no row numbers, one line per row), as ours has
            self.view.show()
        painted(self.view)

    def open_and_scroll_to_end(self) -> int:
        self.show()
        return self.scroll_to_end()

    def scroll_to_end(self) -> int:
        while self.model.canFetchMore():
            self.model.fetchMore()
        self.view.scrollToBottom()
        painted(self.view)
        return int(self.model.rowCount())

    def close(self) -> None:
        from PySide6.QtSql import QSqlDatabase

        if self.view is not None:
            self.view.close()
            self.view.deleteLater()
        self.model = self.view = None
        self.db.close()
        del self.db
        QSqlDatabase.removeDatabase(self.name)


def settled(ours: OurList | None = None) -> None:
    """Before a timer starts: ``ours``'s count (which runs in the background after its first page) is done, and the
    events either side left behind (a window's pending paint, a closed view's deletion) are handled now, so that
    neither side's time holds the other's work."""
    from PySide6.QtCore import QCoreApplication, QEvent

    if ours is not None:
        ours.counted()
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, int(QEvent.Type.DeferredDelete))
        QCoreApplication.processEvents()


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


class OurList:
    """The establishment screen's list: its model (the screen's columns, loading in the background through the
    services) in a ``QTableView`` set up as the screen's (``setup_list_view``), as :class:`PeerList` is Qt's model in
    one set up the same way. The screen's filter widgets are left out on both sides (the main window measure builds
    whole screens)."""

    def __init__(self, services: Services, actor: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QTableView

        from desktop_app.services.dto import EstablishmentFilter
        from desktop_app.ui.establishments.page import COLUMNS
        from desktop_app.ui.table_model import ListSource, PagedTableModel
        from desktop_app.ui.widgets import setup_list_view

        self.filter = EstablishmentFilter()

        def source() -> ListSource[Any]:
            flt = self.filter
            return ListSource(lambda offset, limit, sort, desc: services.establishments.rows(
                actor, flt, offset, limit, sort, desc), lambda: services.establishments.count(actor, flt))

        self.model: Any = PagedTableModel(COLUMNS, _no_fetch, "name")
        self.model.load_in_background(source)
        self.view = QTableView()
        self.view.resize(1070, 700)
        self.view.setModel(self.model)
        setup_list_view(self.view)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # as the screen does
        self.view.setSortingEnabled(True)
        self.view.show()

    def show(self, text: str = "", change: Callable[[], None] | None = None) -> None:
        """Reload for ``text`` (a keystroke) or by ``change`` (a click on a header), and paint the first screen."""
        from desktop_app.services.dto import EstablishmentFilter

        self.filter = EstablishmentFilter(text=text)
        (change or self.model.reload)()
        wait_for(self.model.loaded, lambda: not self.model.loading)
        painted(self.view)

    def counted(self) -> int:
        wait_for(self.model.total_changed, lambda: self.model.counted)
        return int(self.model.total)

    def open_and_scroll_to_end(self) -> int:
        self.show()
        rows = self.scroll_to_end()
        self.close()
        return rows

    def scroll_to_end(self) -> int:
        """Jump to the end (the scroll bar has the list's length once it is counted) and wait for the rows on the
        last screen to be read."""
        self.counted()
        self.view.scrollToBottom()
        painted(self.view)  # the placeholders on screen ask for their pages
        height = self.view.viewport().height()
        top = self.view.rowAt(0)
        bottom = self.view.rowAt(height - 1)
        bottom = self.model.rowCount() - 1 if bottom < 0 else bottom
        wait_for(self.model.rows_filled, lambda: self.model.loaded_between(top, bottom))
        painted(self.view)
        return int(self.model.rowCount())

    def close(self) -> None:
        self.view.close()
        self.view.deleteLater()


def _no_fetch(offset: int, limit: int, sort: str, descending: bool) -> Any:
    raise AssertionError("the list loads in the background")


def bench_lists(url: str, keystrokes: int, label: str = "sqlite", searches: bool = True) -> list[Ratio]:
    """The establishment list against ``QSqlQueryModel``: open, sort, scroll to the end, search keystrokes (unless
    ``searches`` is false)."""
    from PySide6.QtCore import Qt

    from desktop_app.domain.vietnamese import fold

    qt_app()
    services, _ = open_services(url, migrate=False)
    actor = _manager(services)
    suffix = "" if label == "sqlite" else f"_{label}"
    results = []
    ours: OurList | None = None
    peer: PeerList | None = None
    try:
        # open: a new model and view each time, the median of nine (a few milliseconds each, so one slow round on a
        # shared machine does not decide), alternating with the peer; each timer starts with the other side's
        # leftovers handled (see ``settled``)
        ours_open, peer_open = [], []
        for _ in range(9):
            if ours is not None:
                ours.close()
            if peer is not None:
                peer.close()
            settled()
            seconds, ours = _timed(lambda: _opened(OurList(services, actor)))
            ours_open.append(seconds)
            peer = PeerList(url)
            settled(ours)
            seconds, _none = _timed(peer.show)
            peer_open.append(seconds)
        assert ours is not None and peer is not None
        total = ours.counted()
        results.append(Ratio(f"list_open{suffix}", statistics.median(ours_open), statistics.median(peer_open), 1.5,
                             note=f"{total:,} cơ sở".replace(",", "."),
                             extra={"total": total, "names": [r.name for r in ours.model.rows()[:200]]}))

        # sort by province (a click on its header)
        province = next(i for i, c in enumerate(ours.model.columns) if c.sort == "province")
        settled(ours)
        ours_sort, _none = _timed(lambda: ours.show(change=lambda: ours.view.sortByColumn(  # type: ignore[union-attr]
            province, Qt.SortOrder.AscendingOrder)))
        settled(ours)
        peer_sort, _none = _timed(lambda: peer.show(order="p.name_folded, e.id"))  # type: ignore[union-attr]
        results.append(Ratio(f"list_sort{suffix}", ours_sort, peer_sort, 1.5,
                             extra={"provinces": [r.province_name for r in ours.model.rows()[:200]]}))
        ours.show(change=lambda: ours.view.sortByColumn(0, Qt.SortOrder.AscendingOrder))  # type: ignore[union-attr]
        peer.show()

        # to the end: from a new list to its last screen painted (Qt's PostgreSQL driver reads every row when the
        # list opens, its SQLite driver as the user scrolls: opening and scrolling are timed together on both sides)
        ours.counted()
        ours.close()
        peer.close()
        settled()
        ours_end, ours_rows = _timed(lambda: OurList(services, actor).open_and_scroll_to_end())
        peer = PeerList(url)
        settled()
        peer_end, peer_rows = _timed(lambda: peer.open_and_scroll_to_end())  # type: ignore[union-attr]
        ours = _opened(OurList(services, actor))
        peer.show()
        results.append(Ratio(f"list_scroll_end{suffix}", ours_end, peer_end, 1.5,
                             note=f"{ours_rows:,} / {peer_rows:,} dòng".replace(",", "."),
                             extra={"rows": ours_rows, "peer_rows": peer_rows}))

        # search keystrokes: after the whole list, the text typed to the first page painted
        for text in SEARCHES if searches else ():
            ours_times, peer_times = [], []
            likes = " ".join(f"AND e.name_folded LIKE '%{w}%'" for w in fold(text).split())
            for _ in range(keystrokes):
                ours.show("")
                seconds, _none = _timed(lambda t=text: ours.show(t))  # type: ignore[misc, union-attr]
                ours_times.append(seconds)
                peer.show()
                seconds, _none = _timed(lambda w=likes: peer.show(where=w))  # type: ignore[misc, union-attr]
                peer_times.append(seconds)
            found = ours.counted()
            results.append(Ratio(f"search_{text.replace(' ', '_')}{suffix}", _p95(ours_times),
                                 statistics.median(peer_times), 0.1, absolute=True,
                                 note=f"p95 of {keystrokes}, median {statistics.median(ours_times):.4f} s; "
                                      + f"{found:,} khớp".replace(",", ".") + "; peer: median",
                                 extra={"total": found, "median_s": statistics.median(ours_times),
                                        "names": [r.name for r in ours.model.rows()[:200]]}))
    finally:
        if ours is not None:
            ours.close()
        if peer is not None:
            peer.close()
        services.close()
    return results


def _opened(ours: OurList) -> OurList:
    ours.show()
    return ours


def explain_slowest_search(url: str) -> str:
    """EXPLAIN ANALYZE of the first-page query of the slowest search on PostgreSQL (for the closing note)."""
    from desktop_app.services.dto import EstablishmentFilter
    from desktop_app.ui.table_model import FIRST_PAGE_ROWS

    services, _ = open_services(url, migrate=False)
    try:
        actor = _manager(services)

        slowest: tuple[float, str, Any] = (-1.0, "", None)
        for words in SEARCHES:
            for _ in range(2):  # the second run: warm
                with captured_sql(services) as seen:
                    seconds, _rows = _timed(lambda w=words: services.establishments.rows(  # type: ignore[misc]
                        actor, EstablishmentFilter(text=w), 0, FIRST_PAGE_ROWS))
            if seconds > slowest[0]:
                slowest = (seconds, words, seen[-1])
        _seconds, words, (statement, parameters) = slowest
        with services.db.engine.connect() as conn:
            plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).all()
        return f"EXPLAIN ANALYZE, search “{words}” (page query, bound parameters {parameters}):\n" + "\n".join(
            str(r[0]) for r in plan) + f"\n-- statement:\n{statement}"
    finally:
        services.close()


# --- export ---------------------------------------------------------------------------------------------------------


def bench_export(url: str, workdir: Path) -> Ratio:
    """xlsx export of every establishment against XlsxWriter writing the same cells, each in a fresh process."""
    out, peer_out = workdir / "co-so-tat-ca.xlsx", workdir / "co-so-peer.xlsx"
    ours = _child("export", url, str(out))
    peer = _child("export-peer", url, str(peer_out))
    return Ratio("export_xlsx", ours["seconds"], peer["seconds"], 1.2, ours_mb=ours["peak_mb"],
                 anchor_mb=peer["peak_mb"], memory_limit=1.5,
                 note=f"{ours['rows']:,} dòng; {ours['peak_mb']:.0f} / {peer['peak_mb']:.0f} MB".replace(",", "."),
                 extra={"rows": ours["rows"], "peer_rows": peer["rows"], "path": str(out)})


def peer_export(url: str, out: str) -> int:
    """The peer: XlsxWriter ``constant_memory`` with its formats made once, ``write_row`` per row from a raw driver
    cursor running the report's query; the same cells (texts, numbers, dates) as the program's export."""
    import xlsxwriter
    from sqlalchemy.engine import make_url

    from desktop_app.domain.enums import LegalForm

    labels = {f.value: f.label for f in LegalForm}
    sql = ("SELECT e.name, e.legal_form, e.tax_code, e.representative, e.representative_title, e.phone, e.street, "
           "c.kind || ' ' || c.name, p.name, e.address_as_recorded, s.name, e.main_products, e.workers, "
           "e.female_workers, e.founded_on, e.archived FROM establishments e "
           "LEFT JOIN provinces p ON p.code = e.province_code LEFT JOIN communes c ON c.code = e.commune_code "
           "LEFT JOIN sectors s ON s.code = e.sector_code ORDER BY e.name_sort, e.id")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        import sqlite3

        conn: Any = sqlite3.connect(parsed.database or "")
        cursor = conn.execute(sql)
    else:
        import psycopg

        conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        cursor = conn.cursor(name="peer")  # a server-side cursor: rows stream
        cursor.execute(sql)
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Danh sách cơ sở")
    cell = book.add_format({"font_name": "Times New Roman", "font_size": 12, "valign": "top", "border": 1})
    number = book.add_format({"font_name": "Times New Roman", "font_size": 12, "border": 1, "num_format": "#,##0"})
    day = book.add_format({"font_name": "Times New Roman", "font_size": 12, "border": 1, "num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["STT", "Tên cơ sở", "Loại hình", "Mã số thuế", "Người đại diện", "Chức vụ", "Điện thoại",
                           "Địa chỉ", "Ngành nghề", "Sản phẩm chính", "Số lao động", "Lao động nữ", "Ngày thành lập",
                           "Ghi chú"], cell)
    row = 0
    while True:
        batch = cursor.fetchmany(2000)
        if not batch:
            break
        for (name, form, tax, rep, title, phone, street, commune, province, recorded, sector, products, workers,
             women, founded, archived) in batch:
            row += 1
            address = ", ".join(x for x in (street, commune, province) if x) or recorded
            sheet.write_row(row, 0, [row, name, labels[form], tax, rep, title, phone, address, sector or "",
                                     products], cell)
            sheet.write_row(row, 10, [workers, women], number)
            if founded:
                day_value = founded if isinstance(founded, date) else date.fromisoformat(founded)
                sheet.write_datetime(row, 12, datetime(day_value.year, day_value.month, day_value.day), day)
            sheet.write_string(row, 13, "Đã lưu trữ" if archived else "", cell)
    book.close()
    conn.close()
    return row


# --- start-up -------------------------------------------------------------------------------------------------------

_OURS_START = """
import sys
from PySide6.QtWidgets import QApplication
from desktop_app.ui.login import LoginDialog

show = LoginDialog.show

def shown(self):
    show(self)
    self.repaint()
    print("SHOWN", flush=True)

LoginDialog.show = shown
LoginDialog.exec = lambda self: 0  # the user closes the window: the program ends
from desktop_app import launcher
sys.exit(launcher.main(["--db", sys.argv[1]]))
"""

_PEER_START = """
import sys
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget

app = QApplication(sys.argv[:1])
window = QWidget()
layout = QVBoxLayout(window)
layout.addWidget(QLabel("Tên đăng nhập"))
layout.addWidget(QLineEdit())
window.show()
window.repaint()
print("SHOWN", flush=True)
"""


def _time_to_shown(code: str, *args: str, env: dict[str, str]) -> float:
    """Seconds from starting a fresh interpreter to its window on screen (it prints SHOWN), then let it end."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == "SHOWN":
            seconds = time.perf_counter() - started
            break
    else:
        raise RuntimeError(f"the window was never shown: {child.stderr.read() if child.stderr else ''}"[-3000:])
    _out, err = child.communicate(timeout=120)
    if child.returncode != 0:
        raise RuntimeError(f"start-up child failed ({child.returncode}): {err[-3000:]}")
    return seconds


def bench_start_up(url: str, workdir: Path, runs: int = 3) -> Ratio:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "KHUYENCONG_DATA_DIR": str(workdir / "data"), "XDG_CONFIG_HOME": str(workdir / "config"),
           "PYTHONPATH": str(ROOT)}
    ours, peer = [], []
    for _ in range(runs):  # alternated, so both see the same disk cache and load
        ours.append(_time_to_shown(_OURS_START, url, env=env))
        peer.append(_time_to_shown(_PEER_START, env=env))
    imports = importtime_summary(env)
    return Ratio("start_up", statistics.median(ours), statistics.median(peer), 1.5,
                 note=f"median of {runs}; {imports}", extra={"ours": ours, "peer": peer})


def importtime_summary(env: dict[str, str]) -> str:
    """What ``python -X importtime`` says the login window's imports cost, and whether the database layer is in."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import desktop_app.ui.app"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    total, heavy = 0, []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        module = parts[2].strip()
        if parts[2].startswith(" ") and not parts[2].startswith("  "):
            total += int(parts[1])
        if module in ("sqlalchemy", "alembic", "desktop_app.store.database"):
            heavy.append(module)
    return f"imports {total / 1e6:.2f} s" + (f" with {', '.join(heavy)}" if heavy else ", no database layer")


# --- reports, documents, main window -------------------------------------------------------------------------------


def bench_funding(url: str) -> Ratio:
    """The funding summary by province over five years against the SQL it runs, as one raw driver query."""
    services, _ = open_services(url, migrate=False)
    try:
        actor = _manager(services)
        years = (DEMO_TODAY.year - 4, DEMO_TODAY.year)
        services.reports.funding_groups(actor, *years, None, ["province"])  # warm: both then read a warm cache
        ours = []
        for _ in range(3):
            seconds, groups = _timed(lambda: services.reports.funding_groups(actor, *years, None, ["province"]))
            ours.append(seconds)
        # The service has the database add the ledger's stage figures up by group (ledger_queries.stage_figure); the
        # anchor is the plainest such query a programmer would write over the very same per-proposal rows: group
        # and sum the approved split, with none of the ledger's rules (stopped, frozen lines), as raw driver SQL.
        from desktop_app.store.report_queries import funding_select

        per_proposal = funding_select(year_from=years[0], year_to=years[1], scope=None, by=["province"],
                                      as_recorded=False)
        inner = str(per_proposal.compile(dialect=services.db.engine.dialect, compile_kwargs={"literal_binds": True}))
        statement = ("SELECT k0, COUNT(*), SUM(lg_as), SUM(lg_ac), SUM(lg_ao) FROM (" + inner + ") AS per_proposal "
                     "WHERE lg_approved IS NOT NULL GROUP BY k0")
        parameters: Any = ()
        raw = services.db.engine.raw_connection()
        try:
            anchor = []
            for _ in range(3):
                cursor = raw.cursor()
                seconds, rows = _timed(lambda c=cursor: (c.execute(statement, parameters), c.fetchall())[1])
                anchor.append(seconds)
                cursor.close()
        finally:
            raw.close()
    finally:
        services.close()
    return Ratio("funding_summary", statistics.median(ours), statistics.median(anchor), 1.5,
                 note=f"{years[0]}–{years[1]}, {len(groups)} nhóm", extra={"groups": len(groups), "rows": len(rows)})


def bench_document(url: str) -> Ratio:
    """One proposal document (the đề án with its budget table) rendered to PDF bytes in-process."""
    from sqlalchemy import func, select

    from desktop_app.domain.enums import DocumentKind
    from desktop_app.store.models import Proposal

    services, _ = open_services(url, migrate=False)
    try:
        actor = _manager(services)
        with services.db.reading() as s:
            proposal_id = s.scalar(select(func.min(Proposal.id)))
        services.documents.render(actor, DocumentKind.PROPOSAL, proposal_id)  # warm: fonts loaded once
        times = []
        for _ in range(3):
            seconds, pdf = _timed(lambda: services.documents.render(actor, DocumentKind.PROPOSAL, proposal_id))
            times.append(seconds)
    finally:
        services.close()
    return Ratio("document_pdf", statistics.median(times), None, 0.3, absolute=True,
                 note=f"{len(pdf) / 1024:.0f} KB", extra={"bytes": len(pdf)})


def bench_main_window(url: str) -> Ratio:
    """The main window as a manager signs in: built, the dashboard computed and painted."""
    from desktop_app.ui.main_window import MainWindow

    app = qt_app()
    services, _ = open_services(url, migrate=False)
    try:
        actor = _manager(services)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            window = MainWindow(services, actor)
            window.show()
            app.processEvents()
            window.repaint()
            times.append(time.perf_counter() - started)
            window.close()
            window.deleteLater()
            app.processEvents()
    finally:
        services.close()
    return Ratio("main_window", statistics.median(times), None, 1.0, absolute=True, note="median of 3")


# --- import ---------------------------------------------------------------------------------------------------------


def make_import_file(url: str, rows: int, path: Path) -> int:
    """An establishments workbook under the import template's headers, from the demo rows at ``url``."""
    import xlsxwriter

    from desktop_app.domain.enums import LegalForm
    from desktop_app.importers.columns import columns_for
    from desktop_app.services.dto import EstablishmentFilter

    services, _ = open_services(url, migrate=False)
    try:
        actor = _manager(services)
        specs = columns_for("establishments")
        workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = workbook.add_worksheet("Cơ sở")
        dates = workbook.add_format({"num_format": "dd/mm/yyyy"})
        for col, spec in enumerate(specs):
            sheet.write_string(0, col, spec.label)
        written = 0
        for r in services.establishments.iter_rows(actor, EstablishmentFilter(), sort="id"):
            values = {"name": r.name, "legal_form": LegalForm(r.legal_form).label, "tax_code": r.tax_code,
                      "representative": r.representative, "representative_title": r.representative_title,
                      "phone": r.phone, "email": r.email, "province": r.province_name, "district": "",
                      "commune": r.commune_name, "address": r.street, "sector": r.sector_name,
                      "main_products": r.main_products, "workers": r.workers, "female_workers": r.female_workers,
                      "founded_on": r.founded_on, "notes": r.notes}
            written += 1
            for col, spec in enumerate(specs):
                value = values.get(spec.field)
                if value is None or value == "":
                    continue
                if isinstance(value, date):
                    sheet.write_datetime(written, col, value, dates)
                elif isinstance(value, int):
                    sheet.write_number(written, col, value)
                else:
                    sheet.write_string(written, col, str(value))
            if written >= rows:
                break
        workbook.close()
        return written
    finally:
        services.close()


def bench_import(workdir: Path, source_url: str, rows: int) -> Ratio:
    """Import ``rows`` establishment rows into a fresh database, in a fresh process."""
    path = workdir / "nhap-co-so.xlsx"
    written = make_import_file(source_url, rows, path)
    target = f"sqlite:///{workdir / 'nhap.sqlite3'}"
    new_database(target).close()
    data = _child("import", target, str(path))
    return Ratio("import_xlsx", data["seconds"], None, 60.0, absolute=True, ours_mb=data["peak_mb"],
                 note=f"{written:,} dòng, tạo {data['created']:,}".replace(",", "."),
                 extra={**data, "written": written})


# --- child processes ------------------------------------------------------------------------------------------------


def _child_main(args: Sequence[str]) -> int:
    kind, url = args[0], args[1]
    if kind == "export-peer":
        with PeakMemory() as memory:
            seconds, rows = _timed(lambda: peer_export(url, args[2]))
        print(json.dumps({"seconds": seconds, "rows": rows, "peak_mb": memory.growth_mb}))
        return 0
    services, _ = open_services(url, migrate=False)
    try:
        if kind == "export":
            from desktop_app.services.dto import EstablishmentFilter

            actor = _manager(services)
            f = EstablishmentFilter(include_archived=True)
            with PeakMemory() as memory:
                seconds, report = _timed(lambda: services.reports.establishments(actor, f, args[2]))
            print(json.dumps({"seconds": seconds, "rows": report.rows, "peak_mb": memory.growth_mb}))
        elif kind == "import":
            actor = services.auth.login(ADMIN, PASSWORD)
            with PeakMemory() as memory:
                seconds, result = _timed(lambda: services.imports.run(actor, "establishments", args[2],
                                                                      only_valid=True))
            print(json.dumps({"seconds": seconds, "created": result.created, "rejected": result.rejected,
                              "peak_mb": memory.growth_mb, "message": result.message}))
        else:
            raise SystemExit(f"unknown child {kind}")
    finally:
        services.close()
    return 0


# --- the run --------------------------------------------------------------------------------------------------------


def _wanted(only: Sequence[str] | None, *names: str) -> bool:
    """Whether ``--only`` asks for any of the measures ``names`` (every measure without ``--only``)."""
    return only is None or any(n.startswith(prefix) for n in names for prefix in only)


def run(sizes: dict[str, int], workdir: Path, pg_url: str | None = None,
        say: Callable[[str], None] = print, *, reuse: Path | None = None, reuse_pg: str | None = None,
        only: Sequence[str] | None = None, keep_pg: bool = False) -> tuple[list[Ratio], str]:
    """Every measure (and, with ``pg_url`` or ``reuse_pg``, the PostgreSQL ones); returns them and the PostgreSQL
    plan text. ``reuse``/``reuse_pg``: databases the demo already filled (not rebuilt, not deleted); ``only``: the
    prefixes of the measures to run; ``keep_pg``: leave the PostgreSQL scratch database on the server."""
    results: list[Ratio] = []
    if reuse is not None:
        url = f"sqlite:///{reuse}"
    else:
        url = f"sqlite:///{workdir / 'demo.sqlite3'}"
        results.append(bench_demo(url, sizes["establishments"], sizes["proposals"]))
        say(results[-1].line())
    lists = ("list_open", "list_sort", "list_scroll_end")
    search_names = tuple(f"search_{t.replace(' ', '_')}" for t in SEARCHES)
    steps: list[tuple[tuple[str, ...], Callable[[], list[Ratio]]]] = [
        (lists + search_names, lambda: bench_lists(url, sizes["keystrokes"],
                                                   searches=_wanted(only, *search_names))),
        (("export_xlsx",), lambda: [bench_export(url, workdir)]),
        (("start_up",), lambda: [bench_start_up(url, workdir)]),
        (("funding_summary",), lambda: [bench_funding(url)]),
        (("document_pdf",), lambda: [bench_document(url)]),
        (("main_window",), lambda: [bench_main_window(url)]),
        (("import_xlsx",), lambda: [bench_import(workdir, url, sizes["import_rows"])]),
    ]
    for names, step in steps:
        if not _wanted(only, *names):
            continue
        for measured in step():
            if _wanted(only, measured.name):
                results.append(measured)
                say(measured.line())
    plan = ""
    pg_lists = tuple(f"{n}_pg" for n in lists + search_names)
    if reuse_pg:
        if _wanted(only, *pg_lists):
            plan = _pg_lists(reuse_pg, sizes, only, results, say)
    elif pg_url:
        with postgres_scratch(pg_url, keep=keep_pg) as pg:
            if keep_pg:
                say(f"PostgreSQL database kept: {pg}")
            results.append(bench_demo(pg, sizes["establishments"], sizes["proposals"], "postgresql"))
            say(results[-1].line())
            if _wanted(only, *pg_lists):
                plan = _pg_lists(pg, sizes, only, results, say)
    return results, plan


def _pg_lists(pg: str, sizes: dict[str, int], only: Sequence[str] | None, results: list[Ratio],
              say: Callable[[str], None]) -> str:
    """The list and search measures on the PostgreSQL database ``pg``; returns the slowest search's plan."""
    searches = _wanted(only, *(f"search_{t.replace(' ', '_')}_pg" for t in SEARCHES))
    for measured in bench_lists(pg, sizes["keystrokes"], "pg", searches=searches):
        if _wanted(only, measured.name):
            results.append(measured)
            say(measured.line())
    return explain_slowest_search(pg) if searches else ""


def format_report(results: Sequence[Ratio], plan: str = "") -> str:
    lines = [r.line() for r in results]
    lines += ["", "Notes:"] + [f"  {r.name}: {r.note}" for r in results if r.note]
    if plan:
        lines += ["", plan]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        return _child_main(argv[1:])
    parser = argparse.ArgumentParser(description="The project's benchmark (ours against the fastest peer).")
    parser.add_argument("--quick", action="store_true", help="a tenth of the full sizes")
    parser.add_argument("--pg", metavar="URL", help="also measure on this PostgreSQL server (maintenance DB URL)")
    parser.add_argument("--keep", metavar="DIR", help="keep the databases and files in DIR")
    parser.add_argument("--reuse", metavar="PATH", help="measure on this SQLite database the demo already filled")
    parser.add_argument("--reuse-pg", metavar="URL", help="measure on this PostgreSQL database the demo filled")
    parser.add_argument("--only", metavar="NAME[,NAME]", help="only the measures whose names start so")
    args = parser.parse_args(argv)
    only = [n.strip() for n in args.only.split(",") if n.strip()] if args.only else None
    sizes = QUICK if args.quick else FULL
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kc-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KHUYENCONG_DATA_DIR", str(workdir / "data"))
    try:
        results, plan = run(sizes, workdir, args.pg, say=lambda s: print(s, file=sys.stderr, flush=True),
                            reuse=Path(args.reuse).resolve() if args.reuse else None, reuse_pg=args.reuse_pg,
                            only=only, keep_pg=bool(args.keep))
        print(format_report(results, plan))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
