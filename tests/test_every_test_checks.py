"""Every test checks something: a test function whose body has no ``assert``, no ``pytest.raises``/``warns``, no
``qtbot.wait…`` and no mock ``assert_…`` call passes whatever the code does, so it is refused here.

A test may leave its checks to a helper named ``check_…`` or ``assert_…`` (a leading underscore is allowed);
helpers themselves (functions not named ``test…``) are not scanned.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
#: Context managers and calls that check: ``pytest.raises(...)``, ``pytest.warns(...)``, ``pytest.fail(...)``.
CHECKING_CALLS = frozenset({"raises", "warns", "fail", "deprecated_call"})
#: Helpers a test may hand its checks to.
HELPER_PREFIXES = ("check_", "assert_")


def _called_name(call: ast.Call) -> tuple[str, str]:
    """The called function's name, and the name it is an attribute of (``qtbot.waitUntil`` → waitUntil, qtbot)."""
    func = call.func
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else ""
        return func.attr, owner
    return (func.id if isinstance(func, ast.Name) else ""), ""


def _checks(test: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name, owner = _called_name(node)
            if name in CHECKING_CALLS:
                return True
            if owner == "qtbot" and name.startswith("wait"):
                return True
            if name.startswith("assert") or name.lstrip("_").startswith(HELPER_PREFIXES):
                return True  # a mock's assert_called_…, unittest's assertEqual, or a checking helper
    return False


def unchecked_tests(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
                if not _checks(node):
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name}")
    return found


def test_every_test_function_checks_something() -> None:
    assert unchecked_tests(TESTS) == []


def test_the_scan_finds_a_test_that_checks_nothing(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_sample.py").write_text(
        "import pytest\n"
        "def helper():\n    pass\n"
        "def test_nothing():\n    helper()\n"
        "def test_asserts():\n    assert 1\n"
        "def test_raises():\n    with pytest.raises(ValueError):\n        int('x')\n"
        "def test_waits(qtbot):\n    qtbot.waitUntil(lambda: True)\n"
        "def test_mock(m):\n    m.assert_called_once_with(1)\n"
        "def test_helper():\n    _check_all()\n", encoding="utf-8")
    assert unchecked_tests(tmp_path / "tests") == ["tests/test_sample.py:4 test_nothing"]
