"""The errors a user can cause and understand.

A ``UserError`` carries a Vietnamese message (and, when it concerns one input, the field it names) so the GUI
can show it next to that field and the CLI can print it. Anything that is not a ``UserError`` is a bug and goes
to the crash dialog / traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; ``message`` is shown as is.

    ``exit_code`` is what the command line exits with (README, "Exit codes"): 2 refused or bad input, 3 busy or
    conflict; 1 is kept for an import that rejected rows.
    """

    exit_code = 2
    #: the 1-based entry of a list field the message is about (a ``ValidationError`` sets it), else None
    item: int | None = None

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(UserError):
    """Input that breaks a rule; ``field`` names the input when there is one.

    A check that looks at a whole form passes every ``(field, message)`` it found in ``problems`` (this error's
    own first), so the form can show them all at once instead of one per attempt to save. When the message is
    about one entry of a list field (the 2nd council member, say), ``item`` is its 1-based number.
    """

    def __init__(self, message: str, field: str | None = None,
                 problems: tuple[tuple[str, str], ...] = (), item: int | None = None) -> None:
        super().__init__(message, field)
        if not problems and field:
            problems = ((field, message),)
        self.problems = problems
        self.item = item


class PermissionDenied(UserError):
    """The acting user's role may not do this."""


class NotFound(UserError):
    """A record that was asked for does not exist (or no longer exists)."""


class ConflictError(UserError):
    """Someone else changed the record since it was read; nothing was overwritten."""

    exit_code = 3


class BusyError(UserError):
    """The database stayed locked by another user's work (or a deadlock kept recurring); nothing was written."""

    exit_code = 3


class RightsRevoked(PermissionDenied):
    """The signed-in account was deactivated or lost the role it signed in with: the session must end."""

    def __init__(self, message: str, user_id: int | None = None) -> None:
        super().__init__(message)
        self.user_id = user_id


class WorkflowError(UserError):
    """A workflow action that is not allowed in the proposal's current state, or whose guard fails."""


class AuthenticationError(UserError):
    """Wrong user name or password, or a locked account."""


class DatabaseVersionError(UserError):
    """The database was made by a newer version of the program."""
