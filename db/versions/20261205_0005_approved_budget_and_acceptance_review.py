"""The approved budget is frozen per line; recorded acceptances are capped at it and marked for review.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05

Data steps (DESIGN.md §3a):
- every approved proposal gets its approved budget: the approved support spread over its lines proportionally,
  to the đồng, the remainder on the largest line; what a line's support loses becomes counterpart;
- every recorded acceptance is recomputed under "support per line ≤ approved line": the excess moves to the
  counterpart, and an acceptance whose figures changed is marked ``needs_review`` with the old and new totals in
  ``review_note`` (the report ``khuyencong report acceptance-review`` lists them). Nothing changes silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desktop_app.domain.ledger import Split, VerifiedLine, cap_acceptance, spread_support
from desktop_app.domain.vietnamese import format_vnd

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_support_vnd", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("approved_counterpart_vnd", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("approved_other_vnd", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("acceptances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("needs_review", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("review_note", sa.Text(), server_default="", nullable=False))
    _freeze_approved_budgets()
    _cap_acceptances()


def _freeze_approved_budgets() -> None:
    bind = op.get_bind()
    p = sa.table("proposals", sa.column("id", sa.Integer()), sa.column("approved_support_vnd", sa.BigInteger()))
    bl = sa.table("budget_lines", sa.column("id", sa.Integer()), sa.column("proposal_id", sa.Integer()),
                  sa.column("position", sa.Integer()), sa.column("support_vnd", sa.BigInteger()),
                  sa.column("counterpart_vnd", sa.BigInteger()), sa.column("other_vnd", sa.BigInteger()),
                  sa.column("approved_support_vnd", sa.BigInteger()),
                  sa.column("approved_counterpart_vnd", sa.BigInteger()),
                  sa.column("approved_other_vnd", sa.BigInteger()))
    approved = dict(bind.execute(sa.select(p.c.id, p.c.approved_support_vnd)
                                 .where(p.c.approved_support_vnd.is_not(None))).all())
    lines: dict[int, list[tuple[int, Split]]] = defaultdict(list)
    for row in bind.execute(sa.select(bl.c.id, bl.c.proposal_id, bl.c.support_vnd, bl.c.counterpart_vnd,
                                      bl.c.other_vnd).order_by(bl.c.proposal_id, bl.c.position, bl.c.id)):
        if row.proposal_id in approved:
            lines[row.proposal_id].append((row.id, Split(row.support_vnd, row.counterpart_vnd, row.other_vnd)))
    update = sa.update(bl).where(bl.c.id == sa.bindparam("lid")).values(
        approved_support_vnd=sa.bindparam("s"), approved_counterpart_vnd=sa.bindparam("c"),
        approved_other_vnd=sa.bindparam("o"))
    batch: list[dict[str, int]] = []
    for pid, amount in approved.items():
        own = lines.get(pid, [])
        asked = sum(x.support_vnd for _, x in own)
        if not own or not 0 < amount <= asked:
            continue  # nothing to spread over (or an inconsistent record): left unfrozen, the total stands
        for (lid, _), x in zip(own, spread_support([x for _, x in own], amount), strict=True):
            batch.append({"lid": lid, "s": x.support_vnd, "c": x.counterpart_vnd, "o": x.other_vnd})
        if len(batch) >= 5000:
            bind.execute(update, batch)
            batch = []
    if batch:
        bind.execute(update, batch)


def _cap_acceptances() -> None:
    bind = op.get_bind()
    a = sa.table("acceptances", sa.column("id", sa.Integer()), sa.column("proposal_id", sa.Integer()),
                 sa.column("needs_review", sa.Boolean()), sa.column("review_note", sa.Text()))
    al = sa.table("acceptance_lines", sa.column("acceptance_id", sa.Integer()),
                  sa.column("budget_line_id", sa.Integer()), sa.column("verified_support_vnd", sa.BigInteger()),
                  sa.column("verified_counterpart_vnd", sa.BigInteger()),
                  sa.column("verified_other_vnd", sa.BigInteger()))
    bl = sa.table("budget_lines", sa.column("id", sa.Integer()), sa.column("item", sa.String()),
                  sa.column("support_vnd", sa.BigInteger()), sa.column("approved_support_vnd", sa.BigInteger()))
    rows = bind.execute(
        sa.select(al.c.acceptance_id, al.c.budget_line_id, al.c.verified_support_vnd, al.c.verified_counterpart_vnd,
                  al.c.verified_other_vnd, bl.c.item, sa.func.coalesce(bl.c.approved_support_vnd, bl.c.support_vnd)
                  .label("limit"))
        .join(bl, bl.c.id == al.c.budget_line_id).order_by(al.c.acceptance_id, al.c.budget_line_id)
    ).all()
    by_acceptance: dict[int, list[object]] = defaultdict(list)
    for r in rows:
        by_acceptance[r.acceptance_id].append(r)
    line_update = (sa.update(al).where(al.c.acceptance_id == sa.bindparam("aid"),
                                       al.c.budget_line_id == sa.bindparam("lid"))
                   .values(verified_support_vnd=sa.bindparam("s"), verified_counterpart_vnd=sa.bindparam("c")))
    for aid, own in by_acceptance.items():
        verified = [VerifiedLine(r.item, Split(r.verified_support_vnd, r.verified_counterpart_vnd,  # type: ignore[attr-defined]
                                               r.verified_other_vnd)) for r in own]  # type: ignore[attr-defined]
        capped = cap_acceptance([Split(r.limit) for r in own], verified,  # type: ignore[attr-defined]
                                excess_to_counterpart=True)
        changed = [(r, new) for r, v, new in zip(own, verified, capped, strict=True) if new != v.verified]
        if not changed:
            continue
        bind.execute(line_update, [{"aid": aid, "lid": r.budget_line_id, "s": new.support_vnd,  # type: ignore[attr-defined]
                                    "c": new.counterpart_vnd} for r, new in changed])
        before = sum(v.verified.support_vnd for v in verified)
        after = sum(x.support_vnd for x in capped)
        note = (f"Nâng cấp dữ liệu: kinh phí khuyến công nghiệm thu {format_vnd(before)} đồng vượt kinh phí được "
                f"duyệt theo dòng; đã giới hạn còn {format_vnd(after)} đồng, phần vượt chuyển sang đối ứng. "
                f"Cần kiểm tra lại.")
        bind.execute(sa.update(a).where(a.c.id == aid).values(needs_review=True, review_note=note))


def downgrade() -> None:
    with op.batch_alter_table("acceptances", schema=None) as batch_op:
        batch_op.drop_column("review_note")
        batch_op.drop_column("needs_review")
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.drop_column("approved_other_vnd")
        batch_op.drop_column("approved_counterpart_vnd")
        batch_op.drop_column("approved_support_vnd")
