"""Searching and listing proposals: a page, its count, the rows streamed for an export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from desktop_app.domain.enums import Role
from desktop_app.domain.vietnamese import fold
from desktop_app.services.appraisal import seated_proposal_ids
from desktop_app.services.auth import Actor, require_role
from desktop_app.services.dto import Page, ProposalFilter, ProposalRow
from desktop_app.services.proposal_views import READERS, row_of
from desktop_app.store import queries
from desktop_app.store.database import Database
from desktop_app.store.models import Proposal


class ProposalLists:
    """The proposal lists (part of :class:`~desktop_app.services.proposals.ProposalService`)."""

    _db: Database

    @staticmethod
    def _query(f: ProposalFilter, actor: Actor) -> Any:
        return queries.proposal_select().where(*ProposalLists._conditions(f, actor))

    @staticmethod
    def _conditions(f: ProposalFilter, actor: Actor) -> list[Any]:
        conds = queries.proposal_conditions(
            text=fold(f.text), year=f.year, scope=f.scope.value if f.scope else None,
            status=f.status.value if f.status else None, content_code=f.content_code,
            province_code=f.province_code, establishment_id=f.establishment_id,
            statuses=[x.value for x in f.statuses])
        if actor.role is Role.APPRAISER:  # only the proposals whose council he sits on
            conds.append(Proposal.id.in_(seated_proposal_ids(actor.id)))
        return conds

    def search(self, actor: Actor, f: ProposalFilter, offset: int = 0, limit: int = 200, sort: str = "code",
               descending: bool = False) -> Page[ProposalRow]:
        require_role(actor, *READERS, doing="xem danh sách đề án")
        order = _order(sort, descending)
        with self._db.reading() as s:
            q = self._query(f, actor)
            rows = [row_of(r) for r in queries.page(s, q, order, offset, limit)]
            total = (queries.proposal_count(s, self._conditions(f, actor)) if offset == 0 or len(rows) == limit
                     else offset + len(rows))
            return Page(rows, total, offset)

    def rows(self, actor: Actor, f: ProposalFilter, offset: int = 0, limit: int = 200, sort: str = "code",
             descending: bool = False) -> list[ProposalRow]:
        """One page without the total: the list shows it at once and asks :meth:`count` separately."""
        require_role(actor, *READERS, doing="xem danh sách đề án")
        order = _order(sort, descending)
        with self._db.reading() as s:
            return [row_of(r) for r in queries.page(s, self._query(f, actor), order, offset, limit)]

    def count(self, actor: Actor, f: ProposalFilter) -> int:
        """How many proposals match ``f`` (the proposals table alone: no join, no per-proposal sums)."""
        require_role(actor, *READERS, doing="xem danh sách đề án")
        with self._db.reading() as s:
            return queries.proposal_count(s, self._conditions(f, actor))

    def iter_rows(self, actor: Actor, f: ProposalFilter, sort: str = "code",
                  descending: bool = False) -> Iterator[ProposalRow]:
        require_role(actor, *READERS, doing="xuất danh sách đề án")
        order = _order(sort, descending)
        with self._db.reading() as s:
            for r in queries.stream(s, self._query(f, actor), order):
                yield row_of(r)


def _order(sort: str, descending: bool) -> list[Any]:
    """The list's order: the chosen column, then the code (a year's or a status's proposals in code order, as a clerk
    files them), then the id so that pages never skip or repeat a row."""
    column = queries.PROPOSAL_SORTS.get(sort, queries.PROPOSAL_SORTS["code"])
    return [column.desc() if descending else column.asc(), Proposal.code, Proposal.id]
