"""The project's benchmark: the speed and memory targets, as ratios against an anchor measured in the same run.

These machines are shared and noisy, so no target is a timed unit test. Instead one run measures an ANCHOR (a
fixed pure-Python workload: build, sort and hash 200,000 pseudo-random strings) three times — at the start, in
the middle and at the end — and prints every target both in seconds and as a multiple of the anchor's median.
Compare ratios between runs and machines, not seconds.

Targets (full sizes; ``--quick`` divides them by ten):

1. ``demo`` with 100,000 establishments and 50,000 proposals on SQLite (the issue: well under two minutes);
   with ``--pg URL`` also on PostgreSQL (a scratch database is created on that server and dropped).
2. The establishment list over those rows (``services.establishments.search``: first page of 200 + count):
   Vietnamese order, folded search ("hop tac xa"), a rare folded word, and descending order; median of 3.
3. Export of all establishments to xlsx (``services.reports.establishments``, which writes through the reports
   engine) and of one province's, each in a fresh child process so its peak memory is its own: "memory flat"
   means the peak grows far less than the row count.
4. Import of 20,000 establishment rows (``services.imports.run``) into a fresh database, in a child process.

Exports and imports are skipped, with the reason printed, when the modules that provide them are missing.

Run from the repository root (either form works)::

    .venv/bin/python -m tests.perf.bench [--quick] [--pg postgresql://postgres@127.0.0.1:5432/test] [--keep DIR]
    .venv/bin/python tests/perf/bench.py --quick

It takes a few minutes at full size on the 2-core machines; ``--keep DIR`` leaves the databases and files in DIR.
The functions are also run on tiny sizes by ``tests/perf/test_bench_quick.py`` (results asserted, not timed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
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
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make ``desktop_app`` importable
    sys.path.insert(0, str(ROOT))

from desktop_app.services.context import Services, open_services  # noqa: E402

ADMIN, PASSWORD = "quantri", "matkhau123"
FULL = {"establishments": 100_000, "proposals": 50_000, "import_rows": 20_000}
QUICK = {"establishments": 10_000, "proposals": 5_000, "import_rows": 2_000}
DEMO_TODAY = date(2026, 11, 27)  # fixed, so every run writes the same data


@dataclass
class Result:
    """One measured target."""

    name: str
    size: str
    seconds: float | None
    peak_mb: float | None = None
    budget_s: float | None = None
    budget_mb: float | None = None
    note: str = ""
    skipped: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        if self.skipped:
            return "bỏ qua"
        over = (self.budget_s is not None and self.seconds is not None and self.seconds > self.budget_s) or (
            self.budget_mb is not None and self.peak_mb is not None and self.peak_mb > self.budget_mb)
        if self.budget_s is None and self.budget_mb is None:
            return ""
        return "VƯỢT" if over else "đạt"


# --- anchor ---------------------------------------------------------------------------------------------------------


def anchor(size: int = 200_000) -> float:
    """Seconds for the fixed pure-Python workload (strings, sorting, hashing): the unit of every ratio."""
    started = time.perf_counter()
    rng = random.Random(20261127)
    letters = "abcdefghijklmnopqrstuvwxyzăâđêôơư"
    words = ["".join(rng.choice(letters) for _ in range(10)) for _ in range(size)]
    words.sort()
    digest = hashlib.sha256()
    for w in words:
        digest.update(w.encode())
    assert len(digest.hexdigest()) == 64
    return time.perf_counter() - started


# --- helpers --------------------------------------------------------------------------------------------------------


def new_database(url: str) -> Services:
    """A migrated database with its first administrator (the demo adds the other users it needs)."""
    services, _ = open_services(url)
    if not services.auth.has_users():
        services.users.create_first_admin(ADMIN, PASSWORD, "Quản trị viên")
    return services


def _manager(services: Services) -> Any:
    from desktop_app.services.demo import DEMO_PASSWORD

    try:
        return services.auth.login("demo_lanhdao", DEMO_PASSWORD)
    except Exception:  # a database seeded with its own users: take its manager
        return services.auth.login("lanhdao", PASSWORD)


def _median(fn: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def _rss_mb() -> float | None:
    """The resident memory of this process now (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, AttributeError):
        return None


class PeakMemory:
    """Samples the resident memory every 10 ms while the block runs; ``growth_mb`` is the peak above the start.

    (The process-wide ``ru_maxrss`` would not do: signing in with Argon2 briefly takes 64 MiB, more than an
    export, so the peak before the export would hide the export's own.)
    """

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
def postgres_scratch(server_url: str) -> Iterator[str]:
    """A scratch PostgreSQL database on the server of ``server_url`` (its maintenance database), dropped after."""
    import psycopg

    base = server_url.replace("postgresql+psycopg://", "postgresql://")
    name = f"kc_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(base, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _child(*args: str) -> dict[str, Any]:
    """Run one measured operation in a fresh interpreter; it prints one JSON line."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- targets --------------------------------------------------------------------------------------------------------


def bench_demo(url: str, establishments: int, proposals: int, label: str = "SQLite") -> Result:
    """Target 1: the demo command's work, on a fresh database at ``url``."""
    from desktop_app.services.demo import CENTRE_PROVINCES
    from desktop_app.store.settings import set_setting

    services = new_database(url)
    try:
        admin = services.auth.login(ADMIN, PASSWORD)
        first_three = ", ".join(p.code for p in services.reference.provinces()[:3])
        with services.db.transaction() as s:  # a regional centre's data, so one province's export is a part
            set_setting(s, CENTRE_PROVINCES, first_three)
        with PeakMemory() as memory:
            started = time.perf_counter()
            result = services.demo.generate(admin, establishments, proposals, seed=1, today=DEMO_TODAY)
            seconds = time.perf_counter() - started
    finally:
        services.close()
    return Result(f"demo ({label})", f"{establishments:,} cơ sở + {proposals:,} đề án".replace(",", "."), seconds,
                  peak_mb=memory.growth_mb, budget_s=120.0,
                  note=f"{result.rows:,} dòng".replace(",", "."), extra={"rows": result.rows})


def bench_list(url: str) -> list[Result]:
    """Target 2: first page + count of the establishment list, in Vietnamese order and with folded searches."""
    from desktop_app.services.dto import EstablishmentFilter

    services, _ = open_services(url, migrate=False)
    try:
        actor = _manager(services)
        total = services.establishments.count(actor, EstablishmentFilter())
        from desktop_app.domain.vietnamese import fold

        # a rarer search: the last two words of a name from the middle of the list
        probe = services.establishments.search(actor, EstablishmentFilter(), offset=total // 2, limit=1).rows
        rare = " ".join(probe[0].name.split()[-2:]) if probe else "phu"

        cases = [
            ("danh sách, thứ tự tiếng Việt", EstablishmentFilter(), "name", False),
            ("tìm “hop tac xa”", EstablishmentFilter(text="hop tac xa"), "name", False),
            (f"tìm “{fold(rare)}”", EstablishmentFilter(text=fold(rare)), "name", False),
            ("thứ tự giảm dần", EstablishmentFilter(), "name", True),
        ]
        results = []
        for label, f, sort, desc in cases:
            seconds, page = _median(lambda f=f, sort=sort, desc=desc: services.establishments.search(
                actor, f, offset=0, limit=200, sort=sort, descending=desc))
            results.append(Result(f"danh sách cơ sở: {label}", f"{total:,} dòng".replace(",", "."), seconds,
                                  budget_s=1.0, note=f"{page.total:,} khớp".replace(",", "."),
                                  extra={"total": page.total, "rows": len(page.rows),
                                         "names": [r.name for r in page.rows]}))
        return results
    finally:
        services.close()


def export_available() -> str:
    """Why the export target cannot run, or "" when it can."""
    try:
        from desktop_app.reports import table_export  # noqa: F401
        from desktop_app.services.reports import ReportService
    except ImportError as exc:
        return f"chưa có mô-đun xuất Excel ({exc.name})"
    if not hasattr(ReportService, "establishments"):
        return "ReportService chưa có establishments()"
    return ""


def bench_export(url: str, workdir: Path) -> list[Result]:
    """Target 3: xlsx export of every establishment and of one province's, each in a fresh process."""
    reason = export_available()
    if reason:
        return [Result("xuất Excel danh sách cơ sở", "", None, skipped=reason)]
    results = []
    for scope, province in (("một tỉnh", "first"), ("tất cả", "")):
        out = workdir / f"co-so-{'tinh' if province else 'tat-ca'}.xlsx"
        data = _child("export", url, str(out), province)
        results.append(Result(f"xuất Excel cơ sở ({scope})", f"{data['rows']:,} dòng".replace(",", "."),
                              data["seconds"], peak_mb=data["peak_mb"], budget_mb=150.0,
                              note=f"tệp {out.stat().st_size / 1e6:.1f} MB", extra=data))
    return results


def import_available() -> str:
    try:
        from desktop_app.importers.columns import columns_for  # noqa: F401
        from desktop_app.services.imports import ImportService
    except ImportError as exc:
        return f"chưa có mô-đun nhập Excel ({exc.name})"
    if not hasattr(ImportService, "run"):
        return "ImportService chưa có run()"
    return ""


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


def bench_import(workdir: Path, source_url: str, rows: int) -> Result:
    """Target 4: import ``rows`` establishment rows into a fresh database, in a fresh process."""
    reason = import_available()
    if reason:
        return Result("nhập Excel cơ sở", "", None, skipped=reason)
    path = workdir / "nhap-co-so.xlsx"
    written = make_import_file(source_url, rows, path)
    target = f"sqlite:///{workdir / 'nhap.sqlite3'}"
    new_database(target).close()
    data = _child("import", target, str(path))
    return Result("nhập Excel cơ sở", f"{written:,} dòng".replace(",", "."), data["seconds"],
                  peak_mb=data["peak_mb"], note=f"tạo {data['created']:,} cơ sở".replace(",", "."), extra=data)


# --- child processes ------------------------------------------------------------------------------------------------


def _child_main(args: Sequence[str]) -> int:
    kind, url = args[0], args[1]
    services, _ = open_services(url, migrate=False)
    try:
        if kind == "export":
            from desktop_app.services.dto import EstablishmentFilter

            out, province = args[2], args[3] if len(args) > 3 else ""
            actor = _manager(services)
            f = EstablishmentFilter(include_archived=True)
            if province == "first":
                code = services.reference.provinces()[0].code
                f = EstablishmentFilter(province_code=code, include_archived=True)
            with PeakMemory() as memory:
                started = time.perf_counter()
                report = services.reports.establishments(actor, f, out)
                seconds = time.perf_counter() - started
            print(json.dumps({"seconds": seconds, "rows": report.rows, "peak_mb": memory.growth_mb}))
        elif kind == "import":
            path = args[2]
            actor = services.auth.login(ADMIN, PASSWORD)
            with PeakMemory() as memory:
                started = time.perf_counter()
                result = services.imports.run(actor, "establishments", path, only_valid=True)
                seconds = time.perf_counter() - started
            print(json.dumps({"seconds": seconds, "created": result.created, "rejected": result.rejected,
                              "peak_mb": memory.growth_mb, "message": result.message}))
        else:
            raise SystemExit(f"unknown child {kind}")
    finally:
        services.close()
    return 0


# --- the run --------------------------------------------------------------------------------------------------------


def run(sizes: dict[str, int], workdir: Path, pg_url: str | None = None,
        say: Callable[[str], None] = print) -> tuple[list[float], list[Result]]:
    """Measure the anchor (3 times) and every target; returns the anchor times and the results."""
    anchors = [anchor()]
    say(f"Mốc: {anchors[0]:.2f} giây; đang tạo dữ liệu mẫu…")
    url = f"sqlite:///{workdir / 'demo.sqlite3'}"
    results = [bench_demo(url, sizes["establishments"], sizes["proposals"])]
    say(f"Dữ liệu mẫu (SQLite): {results[-1].seconds:.1f} giây")
    if pg_url:
        with postgres_scratch(pg_url) as pg:
            results.append(bench_demo(pg, sizes["establishments"], sizes["proposals"], "PostgreSQL"))
        say(f"Dữ liệu mẫu (PostgreSQL): {results[-1].seconds:.1f} giây")
    results += bench_list(url)
    anchors.append(anchor())
    say("Đang xuất Excel…")
    results += bench_export(url, workdir)
    say("Đang nhập Excel…")
    results.append(bench_import(workdir, url, sizes["import_rows"]))
    anchors.append(anchor())
    return anchors, results


def format_table(anchors: list[float], results: list[Result]) -> str:
    unit = statistics.median(anchors)
    lines = [f"Mốc (anchor, trung vị của {len(anchors)} lần đo): {unit:.3f} giây  "
             f"[{', '.join(f'{a:.3f}' for a in anchors)}]", ""]
    head = (f"{'mục tiêu':<44} {'quy mô':>28} {'giây':>9} {'× mốc':>9} {'đỉnh MB':>8} {'ngưỡng':>12} "
            f"{'kết quả':>7}  ghi chú")
    lines += [head, "-" * len(head)]
    for r in results:
        if r.skipped:
            lines.append(f"{r.name:<44} {'':>28} {'—':>9} {'—':>9} {'—':>8} {'':>12} {r.verdict:>7}  {r.skipped}")
            continue
        budget = []
        if r.budget_s is not None:
            budget.append(f"<{r.budget_s:g} giây")
        if r.budget_mb is not None:
            budget.append(f"<{r.budget_mb:g} MB")
        peak = f"{r.peak_mb:.0f}" if r.peak_mb is not None else ""
        lines.append(f"{r.name:<44} {r.size:>28} {r.seconds:>9.3f} {r.seconds / unit:>9.2f} {peak:>8} "
                     f"{', '.join(budget):>12} {r.verdict:>7}  {r.note}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        return _child_main(argv[1:])
    parser = argparse.ArgumentParser(description="The project's benchmark (ratios against an anchor).")
    parser.add_argument("--quick", action="store_true", help="a tenth of the full sizes")
    parser.add_argument("--pg", metavar="URL", help="also time the demo on this PostgreSQL server (maintenance DB URL)")
    parser.add_argument("--keep", metavar="DIR", help="keep the databases and files in DIR")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kc-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KHUYENCONG_DATA_DIR", str(workdir / "data"))
    try:
        anchors, results = run(sizes, workdir, args.pg, say=lambda s: print(s, file=sys.stderr, flush=True))
        print(format_table(anchors, results))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
