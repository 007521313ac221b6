"""What the program remembers on this computer (QSettings), declared once with defaults.

Two kinds: *preferences* the user chooses (last user name, last export folder, font size) and *state* the window
remembers (geometry, splitters, column widths). Business configuration (caps, criteria, letterhead) lives in the
database, never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "khuyencong"
APPLICATION = "khuyencong"


@dataclass(frozen=True)
class Option:
    """A setting: its key, default and type."""

    key: str
    default: Any
    kind: type


# Preferences.
LAST_USERNAME = Option("preferences/last_username", "", str)
EXPORT_FOLDER = Option("preferences/export_folder", "", str)
FONT_SIZE = Option("preferences/font_size", 10, int)
LAST_PAGE = Option("preferences/last_page", 0, int)

# Remembered window state.
MAIN_GEOMETRY = Option("state/main_window/geometry", QByteArray(), QByteArray)
MAIN_STATE = Option("state/main_window/state", QByteArray(), QByteArray)

OPTIONS = (LAST_USERNAME, EXPORT_FOLDER, FONT_SIZE, LAST_PAGE, MAIN_GEOMETRY, MAIN_STATE)


def _settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def get(option: Option) -> Any:
    value = _settings().value(option.key, option.default)
    if value is None:
        return option.default
    if option.kind is QByteArray:
        return value if isinstance(value, QByteArray) else option.default
    try:
        return option.kind(value)
    except (TypeError, ValueError):
        return option.default


def put(option: Option, value: Any) -> None:
    _settings().setValue(option.key, value)


# Per-widget state (splitters, table headers) is keyed by the widget's name so each screen declares its own.

def load_state(name: str) -> QByteArray | None:
    """The saved state of a splitter or header named ``name`` (e.g. ``"establishments/columns"``), or None."""
    value = _settings().value(f"state/{name}")
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def save_state(name: str, state: QByteArray) -> None:
    _settings().setValue(f"state/{name}", state)


def remember_splitter(splitter: Any, name: str) -> None:
    saved = load_state(f"{name}/splitter")
    if saved is not None:
        splitter.restoreState(saved)
    splitter.splitterMoved.connect(lambda *_a: save_state(f"{name}/splitter", splitter.saveState()))
