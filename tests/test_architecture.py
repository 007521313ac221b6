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

# The demo data generator writes the tables directly: only the command line and the tools (the launcher, the
# benchmark) may run it, never a layer the program's own work goes through.
DEMO = "desktop_app.demo"

# layer → (forbidden package prefixes)
RULES: dict[str, tuple[str, ...]] = {
    "domain": ("desktop_app.store", "desktop_app.services", "desktop_app.reports", "desktop_app.importers",
               "desktop_app.ui", "desktop_app.cli", DEMO, "sqlalchemy", "alembic", *QT, *FILE_LIBS),
    "store": ("desktop_app.services", "desktop_app.reports", "desktop_app.importers", "desktop_app.ui",
              "desktop_app.cli", DEMO, *QT, *FILE_LIBS),
    "services": ("desktop_app.ui", "desktop_app.cli", DEMO, *QT),
    # reports and importers are the services' helpers: domain and store in, files out; never the services
    "reports": ("desktop_app.services", "desktop_app.ui", "desktop_app.cli", DEMO, *QT),
    "importers": ("desktop_app.services", "desktop_app.ui", "desktop_app.cli", DEMO, *QT),
    "cli": ("desktop_app.ui", "desktop_app.store", *QT),
    "ui": ("sqlalchemy", "alembic", "desktop_app.store", "desktop_app.cli", "desktop_app.reports", DEMO),
    # the demo sits above the store, beside the services: never the GUI or the command line
    "demo": ("desktop_app.ui", "desktop_app.cli", *QT),
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


def modules(layer: str, package: Path = PACKAGE) -> list[Path]:
    return sorted((package / layer).rglob("*.py"))


def violations(layer: str, package: Path = PACKAGE) -> list[str]:
    """Every import in ``package/layer`` that its rule forbids, as "path:line imports name"."""
    found = []
    for path in modules(layer, package):
        for line, name in imported_names(path):
            if any(name == bad or name.startswith(bad + ".") for bad in RULES[layer]):
                found.append(f"{path.relative_to(package.parent)}:{line} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(RULES))
def test_layer_imports_only_downwards(layer: str) -> None:
    assert modules(layer), f"no modules in desktop_app/{layer}"
    found = violations(layer)
    assert not found, "upward or forbidden imports:\n" + "\n".join(found)


# One forbidden import per rule, written into a small tree: the check must name each of them.
BREAKING = {
    "domain": "from desktop_app.store.models import Proposal\n",
    "store": "import desktop_app.services.proposals\n",
    "services": "def f():\n    from PySide6.QtWidgets import QWidget\n",
    "reports": "from desktop_app.services.dto import OrganisationInfo\n",
    "importers": "from desktop_app.services.dto import EstablishmentInput\n",
    "cli": "from desktop_app.store.database import Database\n",
    "ui": "from sqlalchemy import select\n",
    "demo": "from desktop_app.cli.main import main\n",
}


def test_each_rule_catches_a_breaking_tree(tmp_path: Path) -> None:
    package = tmp_path / "desktop_app"
    assert set(BREAKING) == set(RULES)
    for layer, source in BREAKING.items():
        (package / layer).mkdir(parents=True)
        (package / layer / "ok.py").write_text("from desktop_app.domain.enums import Status\n", encoding="utf-8")
        (package / layer / "bad.py").write_text(source, encoding="utf-8")
    for layer in RULES:
        found = violations(layer, package)
        assert len(found) == 1 and found[0].startswith(f"desktop_app/{layer}/bad.py:"), (layer, found)


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


@pytest.mark.parametrize("layer", ["services", "ui", "store", "domain", "reports", "importers"])
def test_only_the_command_line_and_tools_run_the_demo(layer: str) -> None:
    """No layer of the program's own work imports the demo generator, not even inside a function."""
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}" for path in modules(layer)
             for line, name in imported_names(path) if name == DEMO or name.startswith(DEMO + ".")]
    assert not found, found
