"""The connection check for the GUI and the command line (they do not reach the store directly)."""

from __future__ import annotations

from desktop_app.store.connection_check import ConnectionReport, Problem
from desktop_app.store.connection_check import check_connection as _check

__all__ = ["ConnectionReport", "Problem", "check_connection"]


def check_connection(url: str) -> ConnectionReport:
    """Try ``url`` without changing anything; the report's message says in Vietnamese what is wrong."""
    return _check(url)
