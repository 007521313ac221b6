"""An index on ``establishments.archived``: the list counts the establishments in use from it (a covering index
scan of a few pages instead of reading the whole table, which also pushed the list's own pages out of the cache).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_establishments_archived", "establishments", ["archived"])


def downgrade() -> None:
    op.drop_index("ix_establishments_archived", table_name="establishments")
