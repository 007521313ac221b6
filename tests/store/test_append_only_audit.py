"""The audit log is append-only in the database itself: bulk UPDATE, DELETE (and TRUNCATE on PostgreSQL) fail
whoever sends them, not only through the ORM."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from desktop_app.store.models import AuditEntry


def _count(services) -> int:
    with services.db.reading() as s:
        return s.scalar(select(func.count(AuditEntry.id))) or 0


def test_bulk_update_and_delete_are_refused(services, people) -> None:
    before = _count(services)
    assert before > 0
    statements = [update(AuditEntry).values(action="sua"), delete(AuditEntry),
                  text("UPDATE audit_entries SET username = 'ai_do' WHERE id = (SELECT MIN(id) FROM audit_entries)"),
                  text("DELETE FROM audit_entries")]
    if services.db.engine.dialect.name == "postgresql":
        statements.append(text("TRUNCATE audit_entries"))
    refused = 0
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), services.db.engine.begin() as conn:
            conn.execute(statement)
        refused += 1
    assert refused == len(statements)
    assert _count(services) == before
    with services.db.reading() as s:
        assert "ai_do" not in set(s.scalars(select(AuditEntry.username)))
