"""mypy over the whole package — every layer, the GUI included — with the settings of ``[tool.mypy]`` in
pyproject.toml, finds nothing. mypy's cache (.mypy_cache) makes a run after a small change take seconds."""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_mypy_finds_nothing_in_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the configuration's ``files`` and the cache are relative to the project
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml")])
    assert status == 0, stdout + stderr
    assert "Success: no issues found" in stdout
