"""The errors of the Excel importers.

Two kinds, both ``UserError`` so the GUI shows them as plain messages and the CLI prints them:

- :class:`ImportFileError`: the whole file cannot be used (not an .xlsx, encrypted, corrupt, empty, too large, no
  header row, required columns missing). The CLI exits with code 2 on it.
- :class:`CellValueError`: one cell cannot be read as what its column holds. The row parser catches it and turns it
  into a :class:`desktop_app.importers.rows.RowProblem` naming the row and the column; it never escapes the parser.
"""

from __future__ import annotations

from desktop_app.domain.errors import UserError, ValidationError


class ImportFileError(UserError):
    """The file cannot be imported at all; ``message`` says why and what to do, in Vietnamese."""

    exit_code = 2


class CellValueError(ValidationError):
    """A cell value that cannot be read (a date that does not exist, text in an amount column …)."""
