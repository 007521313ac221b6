"""Every test of the GUI carries the ``gui`` marker (registered in pyproject.toml), so ``-m "not gui"`` runs the
rest and ``-m gui`` only these: the tests under tests/ui, and any test elsewhere that drives widgets (asks for
``qtbot``)."""

from __future__ import annotations

from pathlib import Path

import pytest

UI_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        under_ui = UI_TESTS in Path(str(item.path)).resolve().parents
        if under_ui or "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)
