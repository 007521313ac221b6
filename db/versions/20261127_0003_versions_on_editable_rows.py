"""versions on editable rows

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

Every row a user can change carries a version for optimistic locking; the version columns get a server
default so bulk inserts (import, demo data) need not name them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


VERSIONED_BEFORE = ("organisation", "users", "support_rules", "criteria_templates", "establishments", "plans",
                    "proposals", "councils", "score_sheets", "contracts", "acceptances", "liquidations", "settlements")


def upgrade() -> None:
    for table in VERSIONED_BEFORE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("version", existing_type=sa.Integer(), existing_nullable=False,
                                  server_default=sa.text("1"))

    with op.batch_alter_table('app_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))

    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))

    with op.batch_alter_table('contents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))

    with op.batch_alter_table('council_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))

    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))

    with op.batch_alter_table('provinces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))

    with op.batch_alter_table('sectors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('sectors', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('provinces', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('council_members', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('contents', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('app_settings', schema=None) as batch_op:
        batch_op.drop_column('version')

