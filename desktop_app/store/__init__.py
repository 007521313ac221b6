"""Persistence: SQLAlchemy models, engine and sessions, queries, migrations. No Qt here."""
