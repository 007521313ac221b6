"""mypy over the layers below the GUI (domain, store, services, reports, importers, cli, demo)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["desktop_app/domain", "desktop_app/store", "desktop_app/services", "desktop_app/reports",
            "desktop_app/importers", "desktop_app/cli", "desktop_app/demo"]


@pytest.mark.slow
def test_mypy_finds_nothing() -> None:
    run = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", *PACKAGES], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
