from factories import advance_to, make_proposal

from desktop_app.domain.enums import Status


def test_walk_to_settled(services, people):
    d = make_proposal(services, people.staff)
    d = advance_to(services, people, d.id, Status.SETTLED)
    assert d.status is Status.SETTLED
