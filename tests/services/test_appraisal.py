"""Independent scoring, enforced by the services: what each role may read of a council and of proposals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from factories import PASSWORD, Actors, council_members, make_proposal
from sqlalchemy import select

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import PermissionDenied
from desktop_app.services.auth import Actor, actor_of
from desktop_app.services.context import Services
from desktop_app.services.dto import ProposalFilter
from desktop_app.store.models import User

POINTS = (13, 13, 17, 17, 13, 8, 4)  # 85


def _open_council(services: Services, people: Actors) -> int:
    d = make_proposal(services, people.staff)
    d = services.proposals.submit(people.staff, d.id, d.version)
    services.appraisal.open_council(people.staff, d.id, d.version, decision_number="12/QĐ-TTKC",
                                    decision_date=date(2026, 4, 1), meeting_date=date(2026, 4, 10),
                                    place="Phòng họp", members=council_members(people))
    return d.id


def actor_of_name(services: Services, username: str) -> Actor:
    with services.db.reading() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_of(user)


def _hand_in(services: Services, appraiser: Actor, proposal_id: int) -> None:
    council = services.appraisal.council(appraiser, proposal_id)
    assert council is not None
    sheet = next(x for x in council.sheets if x.user_id == appraiser.id)
    scores = {c.id: Decimal(p) for c, p in zip(council.criteria, POINTS, strict=True)}
    services.appraisal.save_scores(appraiser, sheet.id, sheet.version, scores, "Tốt", submit=True)


def test_a_member_sees_only_his_own_sheet_until_the_council_concludes(services: Services, people: Actors) -> None:
    pid = _open_council(services, people)
    chair, member = people.appraisers[0], people.appraisers[1]
    _hand_in(services, chair, pid)

    seen = services.appraisal.council(member, pid)
    assert seen is not None and seen.scores_hidden
    chair_sheet = next(x for x in seen.sheets if x.user_id == chair.id)
    assert chair_sheet.points == {} and chair_sheet.total is None and chair_sheet.comment == ""
    assert chair_sheet.submitted  # that he has handed in is no secret; his points are
    assert seen.average is None and seen.passed is None

    _hand_in(services, member, pid)
    after = services.appraisal.council(member, pid)
    assert after is not None and after.scores_hidden  # still hidden after his own submission, until concluded
    assert next(x for x in after.sheets if x.user_id == chair.id).points == {}
    assert next(x for x in after.sheets if x.user_id == member.id).total == Decimal(85)

    # Staff and managers see every sheet and the running result.
    staff_view = services.appraisal.council(people.staff, pid)
    assert staff_view is not None and not staff_view.scores_hidden
    assert [x.total for x in staff_view.sheets] == [Decimal(85), Decimal(85), None]
    assert staff_view.average == Decimal(85)

    _hand_in(services, people.appraisers[2], pid)
    version = services.proposals.get(people.manager, pid).version
    services.appraisal.conclude(people.manager, pid, version, "05/BB-HĐTĐ", "Đạt")
    concluded = services.appraisal.council(member, pid)
    assert concluded is not None and not concluded.scores_hidden
    assert next(x for x in concluded.sheets if x.user_id == chair.id).total == Decimal(85)
    assert concluded.passed is True


def test_an_appraiser_sees_only_the_proposals_and_councils_he_sits_on(services: Services, people: Actors) -> None:
    pid = _open_council(services, people)
    other = make_proposal(services, people.staff, title="Đề án không có hội đồng")
    services.users.add(people.admin, "thamdinh4", Role.APPRAISER, PASSWORD, "Hà Văn Ngoài", "Chuyên gia")
    outsider = actor_of_name(services, "thamdinh4")
    member = people.appraisers[0]

    with pytest.raises(PermissionDenied):
        services.appraisal.council(outsider, pid)
    with pytest.raises(PermissionDenied):
        services.proposals.get(outsider, pid)
    with pytest.raises(PermissionDenied):
        services.proposals.history(outsider, pid)
    with pytest.raises(PermissionDenied):
        services.implementation.finance(outsider, pid)
    with pytest.raises(PermissionDenied):
        services.proposals.get(member, other.id)
    assert services.proposals.search(outsider, ProposalFilter()).total == 0
    listed = services.proposals.search(member, ProposalFilter())
    assert [r.id for r in listed.rows] == [pid]
    assert services.proposals.get(member, pid).id == pid
    assert services.proposals.search(people.staff, ProposalFilter()).total == 2
