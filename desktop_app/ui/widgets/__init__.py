"""Reusable form widgets of the program (used by every screen):

- :class:`FormFields` / :class:`FieldMessage` — inputs with an inline error or warning under them;
- :class:`SearchBox` — debounced search as you type;
- :func:`list_layout` / :class:`ListColumns` — one layout for every list, its columns fitted, chosen and remembered;
- :class:`CodeCombo` / :class:`EnumCombo` / :class:`PlacePicker` — code-list pickers with type-ahead that ignores
  diacritics, and the province → commune pair;
- :class:`MoneyEdit` — whole đồng with dot grouping;
- :class:`DateEdit` — dates typed as dd/mm/yyyy, d/m/yy or ddmmyyyy, or picked on a calendar; optionally empty.
"""

from desktop_app.ui.widgets.dates import DateEdit
from desktop_app.ui.widgets.forms import FieldBox, FieldMessage, FormFields, set_read_only
from desktop_app.ui.widgets.lists import ListColumns, list_layout, setup_list_view
from desktop_app.ui.widgets.money import MoneyEdit
from desktop_app.ui.widgets.pickers import CodeCombo, EnumCombo, FoldingCompleter, PlacePicker
from desktop_app.ui.widgets.search import SearchBox

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
