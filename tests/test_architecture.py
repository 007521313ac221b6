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


# --- the module graph: every import, inside functions too, relative ones resolved ------------------------------------

def module_names(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its ``__init__.py``)."""
    found = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the package's modules it imports (``from a import b`` counts as importing ``a.b`` when that is a
    module, else ``a``; ``import a.b.c`` as ``a.b.c``), with ``from .x import y`` resolved against the module."""
    names = module_names(package)

    def known(name: str) -> str | None:
        while name and name not in names:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in names.items():
        here = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets.update(known(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = here.split(".")[:len(here.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in names else known(base))
        graph[module] = {t for t in targets if t is not None and t != module}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            child = next(edges, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def test_no_import_cycle_counting_imports_inside_functions() -> None:
    cycles = import_cycles(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


def test_the_cycle_check_sees_function_and_relative_imports(tmp_path: Path) -> None:
    package = tmp_path / "desktop_app"
    (package / "ui" / "a").mkdir(parents=True)
    for init in (package, package / "ui", package / "ui" / "a"):
        (init / "__init__.py").write_text("", encoding="utf-8")
    (package / "ui" / "a" / "one.py").write_text("from . import two\n", encoding="utf-8")
    (package / "ui" / "a" / "two.py").write_text("def f():\n    from ..b import three\n", encoding="utf-8")
    (package / "ui" / "b.py").write_text("def g():\n    import desktop_app.ui.a.one\n", encoding="utf-8")
    (package / "ui" / "c.py").write_text("from desktop_app.ui.a import one\n", encoding="utf-8")
    assert import_cycles(import_graph(package)) == [["desktop_app.ui.a.one", "desktop_app.ui.a.two",
                                                    "desktop_app.ui.b"]]


def test_the_ui_does_not_import_importlib() -> None:
    """Screens and dialogs are found by plain imports and maps, never by module or function names."""
    found = [f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}" for path in modules("ui")
             for line, name in imported_names(path) if name == "importlib" or name.startswith("importlib.")]
    assert not found, "\n".join(found)


#: The screenshot tool drives the screens: it sits above the GUI, and nothing below (nor the CLI) imports it.
BELOW_THE_SCREENSHOTS = ("ui", "services", "store", "domain", "reports", "importers", "cli")


@pytest.mark.parametrize("layer", BELOW_THE_SCREENSHOTS)
def test_nothing_below_imports_the_screenshot_tool(layer: str) -> None:
    graph = import_graph()
    prefix = f"desktop_app.{layer}"
    found = [f"{module} imports {target}" for module, targets in sorted(graph.items())
             if module == prefix or module.startswith(prefix + ".")
             for target in sorted(targets) if target.startswith("desktop_app.screenshots")]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("layer", ["services", "ui", "store", "domain", "reports", "importers"])
def test_only_the_command_line_and_tools_run_the_demo(layer: str) -> None:
    """No layer of the program's own work imports the demo generator, not even inside a function."""
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}" for path in modules(layer)
             for line, name in imported_names(path) if name == DEMO or name.startswith(DEMO + ".")]
    assert not found, found


# --- size: no class over 400 lines ------------------------------------------------------------------------------------

MAX_CLASS_LINES = 400


def long_classes(package: Path = PACKAGE, limit: int = MAX_CLASS_LINES) -> list[str]:
    """Every class (nested ones too) longer than ``limit`` lines, as "path:line Name (n lines)"."""
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.ClassDef):
                assert node.end_lineno is not None
                size = node.end_lineno - node.lineno + 1
                if size > limit:
                    found.append(f"{path.relative_to(package.parent)}:{node.lineno} {node.name} ({size} lines)")
    return found


def test_no_class_is_over_400_lines() -> None:
    found = long_classes()
    print("\n".join(found))
    assert not found, f"classes over {MAX_CLASS_LINES} lines (split them by responsibility):\n" + "\n".join(found)


def test_the_size_check_measures_from_class_to_last_line(tmp_path: Path) -> None:
    package = tmp_path / "desktop_app"
    package.mkdir()
    body = "".join(f"    x{i} = {i}\n" for i in range(4))
    inner = body.replace("    ", "        ")
    (package / "a.py").write_text(f"class Small:\n{body}\n\nclass Outer:\n    class Inner:\n{inner}", encoding="utf-8")
    assert long_classes(package, limit=5) == ["desktop_app/a.py:8 Outer (6 lines)"]
    assert long_classes(package, limit=4) == ["desktop_app/a.py:1 Small (5 lines)",
                                              "desktop_app/a.py:8 Outer (6 lines)",
                                              "desktop_app/a.py:9 Inner (5 lines)"]


# --- imports inside functions: only with a reason ---------------------------------------------------------------------

def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def function_imports(path: Path) -> list[tuple[int, bool]]:
    """Every import inside a function body (not under ``if TYPE_CHECKING:``), as (line, has a reason): a comment on
    its line or on the line directly above, or (a group under one comment) directly after an import that has one."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found: list[tuple[int, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        explained_up_to = 0  # the last line of the previous import with a reason, in this body
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom) and in_function:
                here, above = lines[child.lineno - 1], lines[child.lineno - 2] if child.lineno > 1 else ""
                reason = ("#" in here.split("import", 1)[1] or above.strip().startswith("#")
                          or explained_up_to == child.lineno - 1)
                found.append((child.lineno, reason))
                explained_up_to = (child.end_lineno or child.lineno) if reason else 0
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(ast.parse(source, filename=str(path)), False)
    return found


def test_an_import_inside_a_function_says_why() -> None:
    """An import stays inside a function only where it serves start-up time (or keeps an optional dependency
    optional), with a one-line reason on its line or the line above; otherwise it belongs at the top."""
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}" for path in sorted(PACKAGE.rglob("*.py"))
             for line, reason in function_imports(path) if not reason]
    assert not found, "imports inside a function without a reason:\n" + "\n".join(found)


def test_the_reason_check_reads_comments_and_skips_type_checking(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "import os  # top level: no reason needed\n"
        "def f():\n"
        "    import json\n"
        "    # start-up: the driver is heavy\n"
        "    import sqlite3\n"
        "    import sqlite3.dbapi2\n"
        "    from csv import reader  # optional\n"
        "    if TYPE_CHECKING:\n"
        "        from pathlib import Path\n"
        "    def g():\n"
        "        import re\n"
        "    x = 1\n"
        "    import glob\n", encoding="utf-8")
    assert function_imports(module) == [(4, False), (6, True), (7, True), (8, True), (12, False), (14, False)]
