"""The benchmark's code works: its functions run on tiny sizes and give the expected results.

Nothing here is timed (the machines are shared and noisy); the benchmark itself is ``tests/perf/bench.py``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.domain.vietnamese import fold, sort_key


def _load_bench():  # type: ignore[no-untyped-def]
    """``bench.py`` by its path: it is a script, not a test module, and tests/perf is not a package."""
    spec = importlib.util.spec_from_file_location("kc_bench", Path(__file__).with_name("bench.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["kc_bench"] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


bench = _load_bench()

TINY = {"establishments": 300, "proposals": 80, "import_rows": 60}


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[float], list[bench.Result]]:
    workdir = tmp_path_factory.mktemp("bench")
    said: list[str] = []
    anchors, results = bench.run(TINY, workdir, say=said.append)
    assert said and said[0].startswith("Mốc")
    return workdir, anchors, results


def _by_name(results: list[bench.Result], prefix: str) -> list[bench.Result]:
    found = [r for r in results if r.name.startswith(prefix)]
    assert found, prefix
    return found


def test_anchor_is_a_fixed_workload():
    assert 0 < bench.anchor(2_000) < 60


def test_demo_target(measured):
    _workdir, anchors, results = measured
    assert len(anchors) == 3 and all(a > 0 for a in anchors)
    (demo,) = _by_name(results, "demo")
    assert demo.size == "300 cơ sở + 80 đề án"
    assert demo.extra["rows"] > 300 + 80 and demo.budget_s == 120.0
    assert demo.seconds is not None and demo.seconds > 0 and demo.verdict == "đạt"


def test_list_targets(measured):
    _workdir, _anchors, results = measured
    lists = _by_name(results, "danh sách cơ sở")
    assert len(lists) == 4
    plain, search, rare, descending = lists
    total = plain.extra["total"]
    assert 250 < total <= 300 and plain.extra["rows"] == min(200, total)
    assert plain.extra["names"] == sorted(plain.extra["names"], key=sort_key)
    assert descending.extra["names"] == sorted(descending.extra["names"], key=sort_key, reverse=True)
    assert 0 < search.extra["total"] < total
    assert all(all(w in fold(n) for w in ("hop", "tac", "xa")) for n in search.extra["names"])
    words = rare.name.split("“")[1].rstrip("”").split()
    assert rare.extra["total"] >= 1
    assert all(all(w in fold(n) for w in words) for n in rare.extra["names"])


def test_export_targets(measured):
    workdir, _anchors, results = measured
    if bench.export_available():
        pytest.skip(bench.export_available())
    one, every = _by_name(results, "xuất Excel")
    assert every.extra["rows"] == 300 and 0 < one.extra["rows"] < 300
    assert every.peak_mb is not None and every.peak_mb < 150
    workbook = load_workbook(workdir / "co-so-tat-ca.xlsx", read_only=True)
    try:
        texts = [c for row in workbook.active.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    finally:
        workbook.close()
    assert any("Hợp tác xã" in t for t in texts) and any("Hộ kinh doanh" in t or "Cơ sở" in t for t in texts)


def test_import_target(measured):
    _workdir, _anchors, results = measured
    (imported,) = _by_name(results, "nhập Excel")
    if imported.skipped:
        pytest.skip(imported.skipped)
    assert imported.size == "60 dòng"
    assert imported.extra["created"] + imported.extra["rejected"] == 60
    assert imported.extra["created"] >= 55, imported.extra["message"]


def test_summary_table(measured):
    _workdir, anchors, results = measured
    table = bench.format_table(anchors, results)
    assert table.splitlines()[0].startswith("Mốc (anchor")
    for r in results:
        assert r.name in table
    assert "× mốc" in table and "VƯỢT" not in table
