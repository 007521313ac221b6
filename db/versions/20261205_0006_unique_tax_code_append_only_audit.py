"""One establishment in use per tax code (a partial unique index), and an audit log the database itself keeps
append-only (triggers that refuse UPDATE, DELETE and, on PostgreSQL, TRUNCATE).

Establishments that already shared a tax code are flagged ``tax_code_shared`` (all but the oldest of each
code) so the index can be built without changing or hiding any of them.

Note for later migrations: a SQLite batch migration that rebuilds ``audit_entries`` drops its triggers; such a
migration must create them again (``create_audit_triggers``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFUSAL = "audit entries are append-only"


def create_audit_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_entries_no_{event.lower()} BEFORE {event} ON audit_entries "
                       f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")
        return
    op.execute("CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
               f"BEGIN RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege'; END $$")
    op.execute("CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries "
               "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()")
    op.execute("CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
               "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()")


def drop_audit_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
        return
    op.execute("DROP TRIGGER IF EXISTS audit_entries_no_change ON audit_entries")
    op.execute("DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries")
    op.execute("DROP FUNCTION IF EXISTS audit_entries_append_only()")


def upgrade() -> None:
    with op.batch_alter_table("establishments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tax_code_shared", sa.Boolean(), server_default=sa.false(), nullable=False))

    establishments = sa.table("establishments", sa.column("id", sa.Integer()), sa.column("tax_code", sa.String()),
                              sa.column("archived", sa.Boolean()), sa.column("tax_code_shared", sa.Boolean()))
    older = establishments.alias("older")
    in_use = sa.and_(establishments.c.tax_code != "", establishments.c.archived.is_(sa.false()))
    op.execute(sa.update(establishments).where(in_use, sa.exists().where(
        older.c.tax_code == establishments.c.tax_code, older.c.archived.is_(sa.false()),
        older.c.id < establishments.c.id)).values(tax_code_shared=True))

    with op.batch_alter_table("establishments", schema=None) as batch_op:
        batch_op.create_index("uq_establishments_tax_code_in_use", ["tax_code"], unique=True,
                              sqlite_where=sa.text("tax_code <> '' AND archived = 0 AND tax_code_shared = 0"),
                              postgresql_where=sa.text("tax_code <> '' AND NOT archived AND NOT tax_code_shared"))
    create_audit_triggers()


def downgrade() -> None:
    drop_audit_triggers()
    with op.batch_alter_table("establishments", schema=None) as batch_op:
        batch_op.drop_index("uq_establishments_tax_code_in_use")
        batch_op.drop_column("tax_code_shared")
