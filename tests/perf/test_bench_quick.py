"""The benchmark's code works: every measure runs on tiny sizes, its peer beside it, and gives the expected results.

Nothing here is timed (the machines are shared and noisy); the benchmark itself is ``tests/perf/bench.py``. Only
the shape of the RATIO lines and the work each side did are asserted, not PASS or FAIL.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.domain.vietnamese import fold, sort_key

pytestmark = pytest.mark.gui


def _load_bench():  # type: ignore[no-untyped-def]
    """``bench.py`` by its path: it is a script, not a test module, and tests/perf is not a package."""
    spec = importlib.util.spec_from_file_location("kc_bench", Path(__file__).with_name("bench.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["kc_bench"] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


bench = _load_bench()

TINY = {"establishments": 300, "proposals": 80, "import_rows": 60, "keystrokes": 2}
LINE = re.compile(r"^RATIO (\w+) (\d+\.\d{4}) (\d+\.\d{4}|-) (\d+\.\d{2}|-) (<=[\d.]+[sx](,mem<=[\d.]+x)?) "
                  r"(PASS|FAIL)$")


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[bench.Ratio]]:
    workdir = tmp_path_factory.mktemp("bench")
    said: list[str] = []
    results, plan = bench.run(TINY, workdir, say=said.append)
    assert plan == ""  # no PostgreSQL asked for
    assert said == [r.line() for r in results]  # each line as soon as it is measured
    return workdir, results


def _one(results: list[bench.Ratio], name: str) -> bench.Ratio:
    found = [r for r in results if r.name == name]
    assert len(found) == 1, name
    return found[0]


def test_every_measure_prints_one_ratio_line(measured) -> None:
    _workdir, results = measured
    names = [r.name for r in results]
    assert names == ["demo_sqlite", "list_open", "list_sort", "list_scroll_end", "search_tan", "search_hop_tac_xa",
                     "export_xlsx", "start_up", "funding_summary", "document_pdf", "main_window", "import_xlsx"]
    for r in results:
        assert r.ours_s > 0 and LINE.match(r.line()), r.line()
        assert (r.anchor_s is None) == (r.name in ("demo_sqlite", "document_pdf", "main_window", "import_xlsx"))
    report = bench.format_report(results)
    assert report.splitlines()[:len(results)] == [r.line() for r in results]


def test_ratio_verdicts() -> None:
    assert bench.Ratio("x", 1.2, 1.0, 1.5).line() == "RATIO x 1.2000 1.0000 1.20 <=1.5x PASS"
    assert bench.Ratio("x", 2.0, 1.0, 1.5).line().endswith("FAIL")
    assert bench.Ratio("x", 0.05, 0.2, 0.1, absolute=True).line() == "RATIO x 0.0500 0.2000 0.25 <=0.1s PASS"
    assert bench.Ratio("x", 0.5, None, 0.3, absolute=True).line() == "RATIO x 0.5000 - - <=0.3s FAIL"
    memory = bench.Ratio("x", 1.0, 1.0, 1.2, ours_mb=40.0, anchor_mb=20.0, memory_limit=1.5)
    assert memory.line() == "RATIO x 1.0000 1.0000 1.00 <=1.2x,mem<=1.5x FAIL"


def test_lists_show_the_same_rows_as_the_peer(measured) -> None:
    _workdir, results = measured
    opened = _one(results, "list_open")
    total = opened.extra["total"]
    assert 250 < total <= 300
    assert opened.extra["names"] == sorted(opened.extra["names"], key=sort_key)
    provinces = _one(results, "list_sort").extra["provinces"]
    assert [fold(p) for p in provinces] == sorted(fold(p) for p in provinces)
    end = _one(results, "list_scroll_end")
    assert end.extra["rows"] == end.extra["peer_rows"] == total
    for name, words in (("search_tan", ["tan"]), ("search_hop_tac_xa", ["hop", "tac", "xa"])):
        search = _one(results, name)
        assert 0 < search.extra["total"] < total
        assert all(all(w in fold(n) for w in words) for n in search.extra["names"])


def test_export_against_the_writer(measured) -> None:
    workdir, results = measured
    export = _one(results, "export_xlsx")
    assert export.extra["rows"] == export.extra["peer_rows"] == 300
    assert export.ours_mb is not None and export.anchor_mb is not None
    workbook = load_workbook(workdir / "co-so-tat-ca.xlsx", read_only=True)
    try:
        texts = [c for row in workbook.active.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    finally:
        workbook.close()
    assert any("Hợp tác xã" in t for t in texts)


def test_start_up_and_the_rest(measured) -> None:
    _workdir, results = measured
    start = _one(results, "start_up")
    assert "no database layer" in start.note  # the login window's imports leave SQLAlchemy and Alembic out
    funding = _one(results, "funding_summary")
    assert 0 < funding.extra["groups"] <= funding.extra["rows"]  # the anchor also groups stopped proposals
    assert _one(results, "document_pdf").extra["bytes"] > 10_000
    imported = _one(results, "import_xlsx")
    assert imported.extra["written"] == 60 and imported.extra["created"] >= 55, imported.extra
    assert _one(results, "demo_sqlite").extra["rows"] > 300 + 80
