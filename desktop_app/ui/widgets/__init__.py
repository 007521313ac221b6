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

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.ui.widgets.dates import DateEdit
    from desktop_app.ui.widgets.forms import FieldBox, FieldMessage, FormFields, set_read_only
    from desktop_app.ui.widgets.lists import ListColumns, list_layout, setup_list_view
    from desktop_app.ui.widgets.money import MoneyEdit
    from desktop_app.ui.widgets.pickers import CodeCombo, EnumCombo, FoldingCompleter, PlacePicker
    from desktop_app.ui.widgets.search import SearchBox


def __getattr__(name: str) -> Any:
    """Each widget's module is imported when the widget is first asked for, then the widget is kept here."""
    # Start-up time: the login window needs only the form fields, not the pickers (they bring the services' classes).
    value: Any
    if name in ("FieldBox", "FieldMessage", "FormFields", "set_read_only"):
        from desktop_app.ui.widgets import forms  # start-up: on first use

        value = getattr(forms, name)
    elif name == "DateEdit":
        from desktop_app.ui.widgets import dates  # start-up: on first use

        value = dates.DateEdit
    elif name in ("ListColumns", "list_layout", "setup_list_view"):
        from desktop_app.ui.widgets import lists  # start-up: on first use

        value = getattr(lists, name)
    elif name == "MoneyEdit":
        from desktop_app.ui.widgets import money  # start-up: on first use

        value = money.MoneyEdit
    elif name in ("CodeCombo", "EnumCombo", "FoldingCompleter", "PlacePicker"):
        from desktop_app.ui.widgets import pickers  # start-up: on first use

        value = getattr(pickers, name)
    elif name == "SearchBox":
        from desktop_app.ui.widgets import search  # start-up: on first use

        value = search.SearchBox
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
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
