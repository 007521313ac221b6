"""Reading and writing the key-value business settings table."""

from __future__ import annotations

from sqlalchemy.orm import Session

from desktop_app.store.models import AppSetting


def get_setting(session: Session, key: str, default: str) -> str:
    row = session.get(AppSetting, key)
    return default if row is None else row.value


def get_int_setting(session: Session, key: str, default: int) -> int:
    try:
        return int(get_setting(session, key, str(default)))
    except ValueError:
        return default


def set_setting(session: Session, key: str, value: str) -> str | None:
    """Store ``value``; returns the previous value (for the audit log)."""
    row = session.get(AppSetting, key)
    if row is None:
        session.add(AppSetting(key=key, value=value))
        return None
    old = row.value
    row.value = value
    return old
