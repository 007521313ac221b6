"""Reusable form widgets of the program (used by every screen):

- :class:`FormFields` / :class:`FieldMessage` — inputs with an inline error or warning under them;
- :class:`SearchBox` — debounced search as you type;
- :func:`list_layout` / :class:`ListColumns` — one layout for every list, its columns fitted, chosen and remembered;
- :class:`CodeCombo` / :class:`EnumCombo` / :class:`PlacePicker` — code-list pickers with type-ahead that ignores
  diacritics, and the province → commune pair;
- :class:`MoneyEdit` — whole đồng with dot grouping;
- :class:`DateEdit` — dates typed as dd/mm/yyyy, d/m/yy or ddmmyyyy, or picked on a calendar; optionally empty.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.ui.widgets.dates import DateEdit
    from desktop_app.ui.widgets.forms import FieldBox, FieldMessage, FormFields, set_read_only
    from desktop_app.ui.widgets.lists import ListColumns, list_layout, setup_list_view
    from desktop_app.ui.widgets.money import MoneyEdit
    from desktop_app.ui.widgets.pickers import CodeCombo, EnumCombo, FoldingCompleter, PlacePicker
    from desktop_app.ui.widgets.search import SearchBox

# Each widget's module is imported when the widget is first asked for: the login window, shown before anything
# else, needs only the form fields, not the pickers (which bring the services' data classes with them).
_MODULES = {"DateEdit": "dates", "FieldBox": "forms", "FieldMessage": "forms", "FormFields": "forms",
            "set_read_only": "forms", "ListColumns": "lists", "list_layout": "lists", "setup_list_view": "lists",
            "MoneyEdit": "money", "CodeCombo": "pickers", "EnumCombo": "pickers", "FoldingCompleter": "pickers",
            "PlacePicker": "pickers", "SearchBox": "search"}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CodeCombo",
    "DateEdit",
    "EnumCombo",
    "FieldBox",
    "FieldMessage",
    "FoldingCompleter",
    "FormFields",
    "ListColumns",
    "MoneyEdit",
    "PlacePicker",
    "SearchBox",
    "list_layout",
    "set_read_only",
    "setup_list_view",
]
