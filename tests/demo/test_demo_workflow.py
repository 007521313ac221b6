"""The demo's histories are ones the program could have made: every status change it writes is a row of the
workflow table (from that status, in the proposal's scope, by a role the row lets take it), each proposal's
changes follow one another, and the last one is its status."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from desktop_app.demo import DemoService
from desktop_app.domain import workflow
from desktop_app.domain.enums import Action, Role, Scope, Status
from desktop_app.store.models import AuditEntry, Proposal, StatusChange, User

TODAY = date(2026, 11, 27)


def test_every_status_change_the_demo_writes_is_a_row_of_the_workflow_table(services, people) -> None:
    result = DemoService(services.db).generate(people.manager, 80, 260, seed=11, today=TODAY)
    assert all(n > 0 for n in result.by_status.values()), result.by_status
    with services.db.reading() as s:
        scope_status = {pid: (Scope(scope), Status(status))
                        for pid, scope, status in s.execute(select(Proposal.id, Proposal.scope, Proposal.status))}
        roles = {uid: Role(role) for uid, role in s.execute(select(User.id, User.role))}
        changes = defaultdict(list)
        for c in s.execute(select(StatusChange.proposal_id, StatusChange.action, StatusChange.from_status,
                                  StatusChange.to_status, StatusChange.user_id, StatusChange.note,
                                  StatusChange.document_number)
                           .order_by(StatusChange.proposal_id, StatusChange.at, StatusChange.id)):
            changes[c.proposal_id].append(c)
        # the run's own audit entry is the only one it writes: no status is changed behind the table's back
        audited = {(a, e) for a, e in s.execute(select(AuditEntry.action, AuditEntry.entity))}
    assert len(changes) == len(scope_status) == 260
    assert ("demo", "database") in audited and not any(entity == "proposal" for _, entity in audited)
    steps = 0
    for pid, history in changes.items():
        scope, status = scope_status[pid]
        first, rest = history[0], history[1:]
        assert (first.action, first.from_status, first.to_status) == ("create", None, Status.DRAFT.value), pid
        current = Status.DRAFT
        for c in rest:
            action = Action(c.action)
            assert c.from_status == current.value, (pid, c.action, c.from_status, current)
            row = workflow.find(action, scope, current)
            assert row is not None, (pid, scope, current, action)
            assert c.to_status == row.target.value, (pid, action, c.to_status, row.target)
            assert roles[c.user_id] in row.roles, (pid, action, roles[c.user_id])
            if row.needs_document:
                assert c.document_number, (pid, action)
            if row.needs_note:
                assert c.note.strip(), (pid, action)
            current = row.target
            steps += 1
        assert current is status, (pid, current, status)
    assert steps > 2 * len(changes)
