"""Plain factory functions for tests: the standard users and letterhead, establishments, proposals, and a
helper that walks a proposal through the workflow to any state."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from desktop_app.domain.budget import BudgetLineInput
from desktop_app.domain.enums import DisbursementKind, LegalForm, MemberRole, Outcome, Role, Scope, Status
from desktop_app.services.auth import Actor, actor_of
from desktop_app.services.context import Services
from desktop_app.services.dto import (
    AcceptanceLineInput,
    EstablishmentInput,
    MemberInput,
    OrganisationInfo,
    ProposalDetail,
    ProposalInput,
)
from desktop_app.services.organisation import EMPTY
from desktop_app.store.models import User

PASSWORD = "matkhau123"
_counter = itertools.count(1)


@dataclass(frozen=True)
class Actors:
    admin: Actor
    staff: Actor
    manager: Actor
    appraisers: tuple[Actor, Actor, Actor]


def seed_standard(services: Services) -> None:
    """Letterhead and one user per role (three appraisers): put in the template database once per run."""
    admin = services.users.create_first_admin("quantri", PASSWORD, "Nguyễn Quản Trị")
    services.organisation.save(None, replace(
        EMPTY, name="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
        parent_body="Sở Công Thương tỉnh Ninh Bình",
        abbreviation="TTKC", province_code="37", place_name="Ninh Bình", director_name="Trần Văn Giám",
        director_title="Giám đốc", address="Số 1 đường Lê Hồng Phong, phường Hoa Lư, tỉnh Ninh Bình"))
    services.users.add(admin, "canbo", Role.STAFF, PASSWORD, "Lê Thị Cán Bộ", "Chuyên viên")
    services.users.add(admin, "lanhdao", Role.MANAGER, PASSWORD, "Phạm Văn Lãnh", "Phó Giám đốc")
    for i, name in enumerate(("Đỗ Quốc Hưng", "Vũ Thị Yến", "Ông Văn Ân"), start=1):
        services.users.add(admin, f"thamdinh{i}", Role.APPRAISER, PASSWORD, name, "Chuyên gia")


def actors(services: Services) -> Actors:
    """The seeded users as actors (read directly: signing in six times per test would cost Argon2 time)."""
    with services.db.reading() as s:
        by_name = {u.username: actor_of(u) for u in s.scalars(select(User))}
    return Actors(by_name["quantri"], by_name["canbo"], by_name["lanhdao"],
                  (by_name["thamdinh1"], by_name["thamdinh2"], by_name["thamdinh3"]))


def establishment_input(**overrides: object) -> EstablishmentInput:
    n = next(_counter)
    base = EstablishmentInput(
        name=f"Hợp tác xã Mây tre đan Hưng Thịnh {n}", legal_form=LegalForm.COOPERATIVE,
        tax_code="", representative="Nguyễn Văn Hưng", representative_title="Giám đốc", phone="0912345678",
        email="", province_code="37", commune_code=None, street="Thôn Đông", sector_code=None,
        main_products="Mây tre đan xuất khẩu", workers=25, female_workers=18)
    return replace(base, **overrides)  # type: ignore[arg-type]


def make_establishment(services: Services, actor: Actor, **overrides: object) -> int:
    return services.establishments.create(actor, establishment_input(**overrides)).id


def machine_lines(support: int = 250_000_000, counterpart: int = 350_000_000) -> list[BudgetLineInput]:
    """One machinery line, cost = support + counterpart."""
    price = (support + counterpart) // 2
    return [BudgetLineInput("Máy dệt tự động", "máy", Decimal(2), price, support, counterpart, 0)]


def proposal_input(scope: Scope = Scope.LOCAL, **overrides: object) -> ProposalInput:
    base = ProposalInput(
        title="Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong sản xuất hàng mây tre đan", year=2026, scope=scope,
        content_code="ND45-4.3.d", province_code="37", start_date=date(2026, 3, 1), end_date=date(2026, 11, 30),
        implementing_unit="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
        objectives="Nâng cao năng suất, chất lượng sản phẩm", necessity="Máy móc cũ, năng suất thấp")
    return replace(base, **overrides)  # type: ignore[arg-type]


def make_proposal(services: Services, actor: Actor, establishment_id: int | None = None, scope: Scope = Scope.LOCAL,
                  lines: list[BudgetLineInput] | None = None, **overrides: object) -> ProposalDetail:
    eid = establishment_id or make_establishment(services, actor)
    return services.proposals.create(actor, proposal_input(scope, **overrides),
                                     machine_lines() if lines is None else lines, [eid],
                                     {Outcome.MACHINES: 2, Outcome.JOBS: 5})


def council_members(people: Actors) -> list[MemberInput]:
    roles = (MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.MEMBER)
    return [MemberInput(a.full_name, r, "Chuyên gia", a.id) for a, r in zip(people.appraisers, roles, strict=True)]


def score_all(services: Services, people: Actors, points: tuple[int, ...] = (13, 13, 17, 17, 13, 8, 4)) -> None:
    """Every appraiser hands in the same sheet (default total 85)."""
    for a in people.appraisers:
        for task in services.appraisal.my_tasks(a):
            council = services.appraisal.council(a, task.proposal_id)
            assert council is not None
            sheet = next(x for x in council.sheets if x.id == task.sheet_id)
            scores = {c.id: Decimal(p) for c, p in zip(council.criteria, points, strict=True)}
            services.appraisal.save_scores(a, sheet.id, sheet.version, scores, "Đạt yêu cầu", submit=True)


def advance_to(services: Services, people: Actors, proposal_id: int, target: Status) -> ProposalDetail:
    """Walk a draft proposal forward along the normal path until it reaches ``target``."""
    s, m = people.staff, people.manager
    ps, ap, im = services.proposals, services.appraisal, services.implementation

    def cur() -> ProposalDetail:
        return ps.get(s, proposal_id)

    d = cur()
    steps = 0
    while d.status is not target:
        steps += 1
        assert steps < 20, f"stuck at {d.status}"
        st = d.status
        if st is Status.DRAFT:
            ps.submit(s, d.id, d.version)
        elif st is Status.SUBMITTED:
            ap.open_council(s, d.id, d.version, decision_number="12/QĐ-TTKC", decision_date=date(2026, 4, 1),
                            meeting_date=date(2026, 4, 10), place="Phòng họp Trung tâm",
                            members=council_members(people))
        elif st is Status.APPRAISING:
            score_all(services, people)
            ap.conclude(m, d.id, cur().version, "05/BB-HĐTĐ", "Đạt")
        elif st is Status.APPRAISED and d.data.scope is Scope.NATIONAL:
            ps.send_to_ministry(s, d.id, d.version, "123/SCT-QLCN", date(2026, 5, 15))
        elif st in (Status.APPRAISED, Status.SENT_TO_MINISTRY):
            ps.approve(m, d.id, d.version, d.support_vnd, "45/QĐ-SCT", date(2026, 6, 1))
        elif st is Status.APPROVED:
            im.sign_contract(s, d.id, d.version, number="07/HĐ-TTKC", signed_on=date(2026, 6, 10))
        elif st is Status.IN_PROGRESS:
            im.record_disbursement(s, d.id, DisbursementKind.ADVANCE, d.support_vnd * 7 // 10, date(2026, 6, 20))
            im.report_completion(s, d.id, cur().version)
        elif st is Status.AWAITING_ACCEPTANCE:
            im.record_acceptance(s, d.id, held_on=date(2026, 11, 20), place="Tại cơ sở", passed=True,
                                 conclusion="Đạt", minutes_number="15/BB-NT",
                                 lines=[AcceptanceLineInput(x.id or 0, x.budget.support_vnd, x.budget.counterpart_vnd,
                                                            x.budget.other_vnd) for x in d.lines],
                                 achieved={Outcome.MACHINES: 2, Outcome.JOBS: 6})
            im.sign_off_acceptance(m, d.id, cur().version)
        elif st is Status.ACCEPTED:
            paid = im.finance(s, d.id).paid_vnd
            if paid < d.support_vnd:
                im.record_disbursement(s, d.id, DisbursementKind.PAYMENT, d.support_vnd - paid, date(2026, 11, 25))
            im.record_liquidation(s, d.id, number="20/BB-TL", signed_on=date(2026, 12, 1))
            im.settle(m, d.id, cur().version, number="30/QT-TTKC", settled_on=date(2027, 1, 10))
        else:
            raise AssertionError(f"cannot walk from {st} to {target}")
        d = cur()
    return d


__all__ = ["PASSWORD", "Actors", "OrganisationInfo", "actors", "advance_to", "make_establishment", "make_proposal",
           "seed_standard"]
