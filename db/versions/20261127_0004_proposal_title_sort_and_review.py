"""Proposals get a Vietnamese sort key for their title and a flag for an address a person must confirm
(an old ward split between several new communes).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desktop_app.domain.vietnamese import sort_key

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_sort", sa.String(length=2000), server_default="", nullable=False))
        batch_op.add_column(sa.Column("address_needs_review", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_index(batch_op.f("ix_proposals_title_sort"), ["title_sort"], unique=False)

    # Data step: the key of every existing title (computed in Python: it is the domain's collation).
    bind = op.get_bind()
    proposals = sa.table("proposals", sa.column("id", sa.Integer()), sa.column("title", sa.String()),
                         sa.column("title_sort", sa.String()))
    rows = bind.execute(sa.select(proposals.c.id, proposals.c.title)).all()
    update = sa.update(proposals).where(proposals.c.id == sa.bindparam("pid")).values(title_sort=sa.bindparam("key"))
    for start in range(0, len(rows), 5000):
        batch = [{"pid": pid, "key": sort_key(title)} for pid, title in rows[start:start + 5000]]
        bind.execute(update, batch)


def downgrade() -> None:
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_title_sort"))
        batch_op.drop_column("address_needs_review")
        batch_op.drop_column("title_sort")
