"""The layers import downwards only (DESIGN.md §2): domain ← store ← services ← ui / cli.

Imports are read with ``ast`` from every module, including imports inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "desktop_app"

QT = ("PySide6", "shiboken6")
FILE_LIBS = ("openpyxl", "xlsxwriter", "reportlab", "pypdf")

# layer → (forbidden package prefixes)
RULES: dict[str, tuple[str, ...]] = {
    "domain": ("desktop_app.store", "desktop_app.services", "desktop_app.reports", "desktop_app.importers",
               "desktop_app.ui", "desktop_app.cli", "sqlalchemy", "alembic", *QT, *FILE_LIBS),
    "store": ("desktop_app.services", "desktop_app.reports", "desktop_app.importers", "desktop_app.ui",
              "desktop_app.cli", *QT, *FILE_LIBS),
    "services": ("desktop_app.ui", "desktop_app.cli", *QT),
    "reports": ("desktop_app.ui", "desktop_app.cli", *QT),
    "importers": ("desktop_app.ui", "desktop_app.cli", *QT),
    "cli": ("desktop_app.ui", *QT),
    "ui": ("sqlalchemy", "alembic", "desktop_app.store", "desktop_app.cli"),
}


def imported_names(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append((node.lineno, node.module))
    return names


def modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(RULES))
def test_layer_imports_only_downwards(layer: str) -> None:
    found = modules(layer)
    assert found, f"no modules in desktop_app/{layer}"
    violations = []
    for path in found:
        for line, name in imported_names(path):
            if any(name == bad or name.startswith(bad + ".") for bad in RULES[layer]):
                violations.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    assert not violations, "upward or forbidden imports:\n" + "\n".join(violations)


def test_ui_runs_no_sql() -> None:
    offenders = []
    for path in modules("ui"):
        text = path.read_text(encoding="utf-8")
        for needle in ("session.execute(", "session.scalars(", "session.query(", ".execute(select"):
            if needle in text:
                offenders.append(f"{path.name}: {needle}")
    assert not offenders, offenders


def test_rule_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from PySide6.QtWidgets import QWidget\n", encoding="utf-8")
    assert (2, "PySide6.QtWidgets") in imported_names(bad)
