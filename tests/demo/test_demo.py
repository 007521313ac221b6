"""Demo data: every state and legal form is there, and the rest of the program works on it (checked through the
services, on SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from factories import PASSWORD, make_proposal
from pypdf import PdfReader
from sqlalchemy import func, select

from desktop_app.demo import CENTRE_PROVINCES, DEMO_PASSWORD, DemoService, acceptance_conclusion, parse_number
from desktop_app.domain.appraisal import council_result
from desktop_app.domain.enums import (
    Action,
    DecisionKind,
    DisbursementKind,
    DocumentKind,
    LegalForm,
    MemberRole,
    Outcome,
    ProposalForm,
    Role,
    Scope,
    Status,
)
from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.domain.money import share_of
from desktop_app.domain.validators import check_email, check_phone, check_tax_code
from desktop_app.domain.vietnamese import fold, sort_key
from desktop_app.progress import Cancelled, Progress
from desktop_app.services import transitions
from desktop_app.services.context import Services, open_services
from desktop_app.services.dto import AcceptanceLineInput, EstablishmentFilter, MemberInput, ProposalFilter
from desktop_app.store import models as m
from desktop_app.store.settings import set_setting

TODAY = date(2026, 11, 27)


def _generate(services: Services, actor, establishments: int = 60, proposals: int = 40, seed: int = 7, **kw):  # type: ignore[no-untyped-def]
    return DemoService(services.db).generate(actor, establishments, proposals, seed=seed, today=TODAY, **kw)


def _all_proposals(services: Services, actor) -> list:  # type: ignore[no-untyped-def]
    return services.proposals.search(actor, ProposalFilter(), limit=10_000).rows


def test_every_status_and_legal_form(services, people):
    result = _generate(services, people.manager)
    assert result.establishments == 60 and result.proposals == 40
    assert all(n > 0 for n in result.by_status.values()), result.by_status
    assert all(n > 0 for n in result.by_legal_form.values()), result.by_legal_form
    assert result.created_users == [] and result.password == ""
    rows = _all_proposals(services, people.staff)
    assert len(rows) == 40
    by_scope = Counter((r.scope, r.status) for r in rows)
    for status in Status:  # every state in the national stream, every state but "sent" in the local one
        assert by_scope[(Scope.NATIONAL, status)] > 0, status
        if status is not Status.SENT_TO_MINISTRY:
            assert by_scope[(Scope.LOCAL, status)] > 0, status
    assert Counter(r.status for r in rows) == {s: n for s, n in result.by_status.items() if n}
    everything = services.establishments.search(people.staff, EstablishmentFilter(include_archived=True),
                                                limit=1000)
    assert everything.total == 60
    assert {r.legal_form for r in everything.rows} == set(LegalForm)
    # the centre (Ninh Bình in the test letterhead) registers its own province's establishments
    assert {r.province_name for r in everything.rows} == {"Ninh Bình"}
    assert len({r.commune_name for r in everything.rows}) > 15  # spread over the province


def test_establishments_are_valid_and_searchable(services, people):
    _generate(services, people.manager, establishments=300, proposals=0)
    with services.db.reading() as s:
        ests = list(s.scalars(select(m.Establishment)))
        communes = {c.code: c.province_code for c in s.scalars(select(m.Commune))}
        s.expunge_all()  # keep the loaded rows after the read-only session ends
    assert len(ests) == 300
    households_with_personal_id = 0
    for e in ests:
        assert e.name_folded == fold(e.name) and e.name_sort == sort_key(e.name), e.name
        problem = check_tax_code(e.tax_code)
        assert problem is None, (e.tax_code, problem)
        assert check_phone(e.phone) is None, e.phone
        assert check_email(e.email) is None, e.email
        assert e.province_code, e.name
        if e.commune_code:
            assert communes[e.commune_code] == e.province_code
        else:
            assert e.address_needs_review and e.address_as_recorded
        assert e.female_workers is not None and e.workers is not None and 0 <= e.female_workers <= e.workers
        assert e.founded_on is not None and e.founded_on <= TODAY
        if e.legal_form == LegalForm.HOUSEHOLD.value and len(e.tax_code) == 12:
            households_with_personal_id += 1
    assert households_with_personal_id > 50
    taxed = [e.tax_code for e in ests if e.tax_code]
    assert len(taxed) == len(set(taxed))  # no two establishments share a tax code
    prefixes = {e.name.split()[0] + " " + e.name.split()[1] for e in ests}
    assert {"Hợp tác", "Công ty", "Hộ kinh", "Tổ hợp", "Nghệ nhân"} <= prefixes | {p.split()[0] for p in prefixes}
    legacy = [e for e in ests if e.legacy_ward_code]
    assert legacy and all("huyện" in e.address_as_recorded or "thị xã" in e.address_as_recorded
                          or "thành phố" in e.address_as_recorded or "quận" in e.address_as_recorded
                          for e in legacy)

    # a folded search finds a name typed without diacritics, and the list comes in Vietnamese order
    target = next(e for e in ests if e.legal_form == LegalForm.COOPERATIVE.value and not e.archived)
    query = fold(target.name).upper()
    page = services.establishments.search(people.staff, EstablishmentFilter(text=query))
    assert target.id in [r.id for r in page.rows]
    page = services.establishments.search(people.staff, EstablishmentFilter(), limit=100)
    names = [r.name for r in page.rows]
    assert names == sorted(names, key=sort_key)
    assert page.total == sum(1 for e in ests if not e.archived)


def test_proposals_hold_the_invariants(services, people):
    _generate(services, people.manager, establishments=80, proposals=60, seed=11)
    ps, im, ap = services.proposals, services.implementation, services.appraisal
    councils = 0
    for row in _all_proposals(services, people.staff):
        d = ps.get(people.staff, row.id)
        assert d.code.startswith(("KCQG-" if d.data.scope is Scope.NATIONAL else "KCDP-") + f"{d.data.year}-")
        assert d.beneficiaries, d.code
        if d.data.form is ProposalForm.GROUP:
            assert len(d.beneficiaries) >= 2
        if d.data.form is ProposalForm.SINGLE:
            assert len(d.beneficiaries) == 1
        assert d.lines and d.support_vnd > 0
        for line in d.lines:
            assert line.support_vnd + line.counterpart_vnd + line.other_vnd == int(line.quantity * line.unit_price_vnd)
            assert min(line.support_vnd, line.counterpart_vnd, line.other_vnd) >= 0
        assert d.cap.ok, (d.code, d.cap.message)
        assert d.targets
        assert d.data.start_date and d.data.end_date and d.data.start_date <= d.data.end_date
        history = ps.history(people.staff, d.id)
        statuses = [h for h in history if h.kind == "status"]
        assert statuses[0].text.startswith("Tạo đề án")
        assert statuses[-1].text.endswith(d.status.label) or f"→ {d.status.label}" in statuses[-1].text
        assert all(h.at.date() <= TODAY for h in statuses)
        assert [h.at for h in statuses] == sorted(h.at for h in statuses)

        approved_states = {Status.APPROVED, Status.IN_PROGRESS, Status.AWAITING_ACCEPTANCE, Status.ACCEPTED,
                           Status.SETTLED}
        if d.status in approved_states:
            assert d.approved_support_vnd and 0 < d.approved_support_vnd <= d.support_vnd
            assert d.approval_number and d.approved_on
        council = ap.council(people.staff, d.id)
        if d.status in (Status.DRAFT, Status.SUBMITTED, Status.CANCELLED):
            assert council is None
        else:
            if d.status is Status.STOPPED:
                assert council is not None and council.concluded and council.passed
            assert council is not None, d.code
            roles = [s.member_role for s in council.sheets]
            assert roles.count(MemberRole.CHAIR) == 1 and roles.count(MemberRole.SECRETARY) == 1
            assert len(roles) >= 3
            councils += 1
            assert council.pass_mark == Decimal(70), (d.code, council.pass_mark)  # the default template's
            if council.concluded:
                assert council.pending == 0
                totals = [s.total for s in council.sheets if s.submitted and not s.conflict]
                average = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"))
                assert council.average == average
                assert council.passed is (average >= council.pass_mark)
                assert council.passed is (d.status is not Status.REJECTED)
            else:
                assert d.status is Status.APPRAISING

        f = im.finance(people.staff, d.id)
        assert f.paid_vnd <= (d.approved_support_vnd or 0)
        if f.acceptance is None or not f.acceptance.signed_off:
            assert f.advanced_vnd <= share_of(d.approved_support_vnd or 0, Decimal(70))
            assert f.paid_vnd == f.advanced_vnd  # only advances before acceptance
        else:
            assert f.paid_vnd <= min(d.approved_support_vnd or 0, f.acceptance.verified_support_vnd)
        if d.status in (Status.IN_PROGRESS, Status.AWAITING_ACCEPTANCE, Status.ACCEPTED, Status.SETTLED):
            assert f.contract is not None and f.contract.value_vnd == d.approved_support_vnd
        if d.status in (Status.ACCEPTED, Status.SETTLED):
            assert f.acceptance and f.acceptance.passed and f.acceptance.signed_off
            assert all(t.achieved_value is not None for t in d.targets)
        if d.status is Status.SETTLED:
            assert f.liquidation and f.settlement
            assert f.settlement.settled_support_vnd == f.liquidation.accepted_value_vnd == f.paid_vnd
            assert f.settlement.returned_vnd == 0
        months = [(p.year, p.month) for p in f.progress]
        assert len(months) == len(set(months))
        # the workflow table judges every proposal, and the demo's records let the next step through
        options = {o.action: o.refusal for o in ps.allowed_actions(people.manager, d.id) if o.step}
        if d.status in (Status.REJECTED, Status.CANCELLED, Status.STOPPED, Status.SETTLED):
            assert options == {}, (d.code, options)  # closed
        if d.status is Status.APPRAISED and d.data.scope is Scope.LOCAL:
            assert options[Action.APPROVE] is None, (d.code, options[Action.APPROVE])
        if d.status is Status.ACCEPTED:
            assert Action.SETTLE in options
            if f.liquidation is not None:
                assert options[Action.SETTLE] is None, (d.code, options[Action.SETTLE])
        if d.status is Status.AWAITING_ACCEPTANCE:
            passed = f.acceptance is not None and f.acceptance.passed
            assert (options[Action.ACCEPT] is None) is passed, (d.code, options[Action.ACCEPT])
        if d.status in (Status.APPROVED, Status.IN_PROGRESS):
            assert options[Action.STOP] is None

    assert councils > 0  # the pass mark above was checked on real councils

    # the proposal codes and the number series agree, so a new proposal does not collide
    with services.db.reading() as s:
        series = {(r.year, r.series): r.last_number for r in s.scalars(select(m.DocumentNumber))}
        codes = list(s.scalars(select(m.Proposal.code)))
    for code in codes:
        kind, year, number = code.split("-")
        assert series[(int(year), f"DA-{kind}")] >= int(number)
    year = max(int(c.split("-")[1]) for c in codes if c.startswith("KCDP"))
    new = make_proposal(services, people.staff, scope=Scope.LOCAL, year=year)
    assert new.code == f"KCDP-{year}-{series[(year, 'DA-KCDP')] + 1:04d}"


def _first(services: Services, people, status: Status, scope: Scope | None = None,  # type: ignore[no-untyped-def]
           where=lambda d: True):  # type: ignore[no-untyped-def]
    for row in _all_proposals(services, people.staff):
        if row.status is status and (scope is None or row.scope is scope):
            d = services.proposals.get(people.staff, row.id)
            if where(d):
                return d
    pytest.fail(f"no demo proposal in {status}")


def test_the_workflow_continues_from_demo_states(services, people):
    _generate(services, people.manager, establishments=80, proposals=120, seed=5)
    ps, im, ap = services.proposals, services.implementation, services.appraisal
    staff, manager = people.staff, people.manager

    # an appraising council: the appraisers hand in what is missing, the manager concludes
    d = _first(services, people, Status.APPRAISING)
    council = ap.council(staff, d.id)
    assert council is not None and not council.concluded
    for appraiser in people.appraisers:
        for task in ap.my_tasks(appraiser):
            if task.proposal_id != d.id:
                continue
            sheet = next(x for x in ap.council(appraiser, d.id).sheets if x.id == task.sheet_id)
            points = {c.id: c.max_points * 8 // 10 for c in council.criteria}
            ap.save_scores(appraiser, sheet.id, sheet.version, points, "Đạt", submit=True)
    concluded = ap.conclude(manager, d.id, ps.get(staff, d.id).version, "99/BB-HĐTĐ")
    assert ps.get(staff, d.id).status is (Status.APPRAISED if concluded.passed else Status.REJECTED)

    # an approved local proposal: contract, advance, completion, acceptance, payment, liquidation, settlement
    d = _first(services, people, Status.APPROVED, Scope.LOCAL)
    f = im.sign_contract(staff, d.id, d.version, number="99/HĐ-KC", signed_on=TODAY)
    assert f.contract and f.contract.value_vnd == d.approved_support_vnd
    im.record_disbursement(staff, d.id, DisbursementKind.ADVANCE, f.advance_remaining_vnd, TODAY)
    with pytest.raises(ValidationError):  # the advance share is used up
        im.record_disbursement(staff, d.id, DisbursementKind.ADVANCE, 1000, TODAY)
    im.report_completion(staff, d.id, ps.get(staff, d.id).version)
    d = ps.get(staff, d.id)
    im.record_acceptance(staff, d.id, held_on=TODAY, place="Tại cơ sở", passed=True, conclusion="Đạt",
                         minutes_number="99/BB-NT",
                         lines=[AcceptanceLineInput(x.id or 0, x.budget.support_vnd, x.budget.counterpart_vnd,
                                                    x.budget.other_vnd) for x in d.lines], achieved={Outcome.JOBS: 5})
    im.sign_off_acceptance(manager, d.id, ps.get(staff, d.id).version)
    f = im.finance(staff, d.id)
    im.record_disbursement(staff, d.id, DisbursementKind.PAYMENT, f.remaining_vnd, TODAY)
    im.record_liquidation(staff, d.id, number="99/BB-TL", signed_on=TODAY)
    im.settle(manager, d.id, ps.get(staff, d.id).version, number="99/QT", settled_on=TODAY)
    assert ps.get(staff, d.id).status is Status.SETTLED

    # a national proposal at the ministry is approved at its requested support
    d = _first(services, people, Status.SENT_TO_MINISTRY)
    assert ps.approve(manager, d.id, d.version, d.support_vnd, "99/QĐ-BCT", TODAY).status is Status.APPROVED

    # a proposal in progress reports completion; an accepted one with a liquidation is settled
    d = _first(services, people, Status.IN_PROGRESS)
    assert im.report_completion(staff, d.id, d.version).status is Status.AWAITING_ACCEPTANCE
    d = _first(services, people, Status.ACCEPTED)
    if im.finance(staff, d.id).liquidation is None:
        im.record_liquidation(staff, d.id, number="98/BB-TL", signed_on=TODAY)
    assert im.settle(manager, d.id, ps.get(staff, d.id).version, number="98/QT",
                     settled_on=TODAY).status is Status.SETTLED

    # a submitted one gets its council; a draft is submitted
    d = _first(services, people, Status.SUBMITTED)
    members = [MemberInput(a.full_name, r, "Chuyên gia", a.id)
               for a, r in zip(people.appraisers, (MemberRole.CHAIR, MemberRole.MEMBER, MemberRole.SECRETARY),
                               strict=True)]
    view = ap.open_council(staff, d.id, d.version, decision_number="98/QĐ-TTKC", decision_date=TODAY,
                           meeting_date=TODAY, place="Phòng họp", members=members)
    assert len(view.sheets) == 3
    d = _first(services, people, Status.DRAFT)
    options = {o.action: o for o in ps.allowed_actions(staff, d.id)}
    assert options[Action.SUBMIT].allowed, options[Action.SUBMIT].refusal
    assert ps.submit(staff, d.id, d.version).status is Status.SUBMITTED


def test_same_seed_same_data(services, people, sqlite_templates, tmp_path: Path):
    """Two runs with one seed give the same rows (whatever the backend); another seed gives others."""
    _generate(services, people.manager, establishments=50, proposals=30, seed=42)
    copies = []
    for seed in (42, 43):
        path = tmp_path / f"copy{seed}.sqlite3"
        shutil.copyfile(sqlite_templates[True], path)
        other, _ = open_services(f"sqlite:///{path}")
        manager = other.auth.login("lanhdao", PASSWORD)
        _generate(other, manager, establishments=50, proposals=30, seed=seed)
        copies.append(other)
    try:
        first, same, different = (_dump(x) for x in (services, *copies))
        assert first == same
        assert first["establishments"] != different["establishments"]
        assert first["proposals"] != different["proposals"]
    finally:
        for x in copies:
            x.close()


def _dump(services: Services) -> dict[str, list[tuple]]:
    tables = {
        "establishments": (m.Establishment, "id"),
        "proposals": (m.Proposal, "id"),
        "budget_lines": (m.BudgetLine, "id"),
        "status_changes": (m.StatusChange, "id"),
        "scores": (m.Score, "sheet_id"),
        "disbursements": (m.Disbursement, "id"),
        "acceptance_lines": (m.AcceptanceLine, "budget_line_id"),
    }
    result = {}
    with services.db.reading() as s:
        for name, (model, order) in tables.items():
            cols = [c for c in model.__table__.columns]
            rows = s.execute(select(*cols).order_by(getattr(model, order), *cols)).all()
            result[name] = [tuple(r) for r in rows]
    return result


def test_refuses_a_database_with_data_unless_appending(services, people):
    make_proposal(services, people.staff, scope=Scope.LOCAL, year=2026)
    with pytest.raises(ValidationError) as err:
        _generate(services, people.manager)
    assert err.value.field == "append" and "1 cơ sở và 1 đề án" in err.value.message
    result = _generate(services, people.manager, establishments=30, proposals=30, append=True)
    assert result.proposals == 30
    with services.db.reading() as s:
        assert s.scalar(select(func.count(m.Proposal.id))) == 31
        codes = list(s.scalars(select(m.Proposal.code)))
    assert len(codes) == len(set(codes)) and "KCDP-2026-0001" in codes
    again = make_proposal(services, people.staff, scope=Scope.LOCAL, year=2026)  # the series moved on
    assert again.code not in codes


@pytest.mark.parametrize("role", ["staff", "appraiser"])
def test_only_administrators_and_managers(services, people, role):
    actor = people.staff if role == "staff" else people.appraisers[0]
    with pytest.raises(PermissionDenied):
        _generate(services, actor)
    assert _generate(services, people.admin, establishments=5, proposals=3).proposals == 3


def test_bad_counts_are_refused(services, people):
    for est, prop in ((-1, 0), (10, -2), (0, 5), (2_000_000, 0)):
        with pytest.raises(ValidationError):
            DemoService(services.db).generate(people.manager, est, prop)
    with pytest.raises(ValidationError):
        DemoService(services.db).generate(people.manager, 5, 5, seed="x")  # type: ignore[arg-type]


class _CancelAfter(Progress):
    def __init__(self, calls: int) -> None:
        self.calls = calls
        self.seen: list[tuple[int, int, str]] = []

    def set_progress(self, done: int, total: int, status: str = "") -> None:
        self.seen.append((done, total, status))

    def is_cancelled(self) -> bool:
        return len(self.seen) > self.calls


def test_cancel_rolls_back_everything(services, people):
    with services.db.reading() as s:
        users_before = s.scalar(select(func.count(m.User.id)))
    progress = _CancelAfter(calls=2)
    with pytest.raises(Cancelled):
        DemoService(services.db).generate(people.manager, 12_000, 1_500, seed=1, progress=progress, today=TODAY)
    assert progress.seen[0][0] == 0 and progress.seen[-1][0] > 0
    assert progress.seen[0][2] == "Đang chuẩn bị dữ liệu mẫu"
    assert progress.seen[-1][2] == "Đang tạo cơ sở: 10.000/12.000"
    assert all(total == 13_500 for _, total, _ in progress.seen)
    with services.db.reading() as s:
        assert s.scalar(select(func.count(m.Establishment.id))) == 0
        assert s.scalar(select(func.count(m.Proposal.id))) == 0
        assert s.scalar(select(func.count(m.User.id))) == users_before
    assert _generate(services, people.manager, establishments=10, proposals=5).proposals == 5  # still usable


def test_makes_the_users_it_needs_on_a_fresh_database(empty_db_url):
    services, _ = open_services(empty_db_url)
    try:
        admin = services.users.create_first_admin("quantri", PASSWORD)
        result = DemoService(services.db).generate(admin, 40, 30, seed=3, today=TODAY)
        assert result.created_users == ["demo_canbo", "demo_lanhdao", "demo_thamdinh1", "demo_thamdinh2",
                                        "demo_thamdinh3"]
        assert result.password == DEMO_PASSWORD
        staff = services.auth.login("demo_canbo", DEMO_PASSWORD)
        assert staff.role is Role.STAFF
        assert services.auth.login("demo_lanhdao", DEMO_PASSWORD).role is Role.MANAGER
        appraiser = services.auth.login("demo_thamdinh2", DEMO_PASSWORD)
        assert services.organisation.is_configured()
        rows = services.proposals.search(staff, ProposalFilter(status=Status.APPRAISING)).rows
        assert rows
        with services.db.reading() as s:
            users = {u.id: u.username for u in s.scalars(select(m.User))}
            actors = set(s.scalars(select(m.StatusChange.user_id)))
            p = transitions.load_proposal(s, rows[0].id)
            council = transitions.appraisal_council(s, p.id)
            result_now = council_result(transitions.council_scores(s, council), Decimal(council.pass_mark))
            members = len(council.members)
        assert {users[a] for a in actors} == {"demo_canbo", "demo_lanhdao"}
        assert result_now.counted + result_now.pending + result_now.excluded == members
        assert isinstance(services.appraisal.my_tasks(appraiser, include_submitted=True), list)
    finally:
        services.close()


def test_one_establishment_is_enough(services, people):
    """Whatever the seed, the establishments a run starts with can be beneficiaries."""
    for seed in range(4):
        result = _generate(services, people.manager, establishments=1, proposals=3, seed=seed, append=seed > 0)
        assert result.proposals == 3
    rows = _all_proposals(services, people.staff)
    assert len(rows) == 12
    details = [services.proposals.get(people.staff, r.id) for r in rows]
    assert all(len(d.beneficiaries) == 1 for d in details)


# --- the demo tells one story: the centre's provinces, Bên B, issuing bodies, numbers, conclusions, old places -----


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages).split())


def test_a_centre_keeps_its_own_provinces(services, people):
    _generate(services, people.manager, establishments=60, proposals=40)
    with services.db.reading() as s:
        org = s.scalar(select(m.Organisation))
        assert org is not None and org.province_code == "37"
        assert set(s.scalars(select(m.Proposal.province_code))) == {"37"}  # KCQG and KCĐP alike
        assert set(s.scalars(select(m.Establishment.province_code))) == {"37"}
        assert set(s.scalars(select(m.Proposal.implementing_unit))) == {org.name}
        first_run = s.scalar(select(func.max(m.Proposal.id)))

    # a regional centre names its provinces in a setting; the demo spreads its proposals over them
    with services.db.transaction() as s:
        set_setting(s, CENTRE_PROVINCES, "01, 37")
    _generate(services, people.manager, establishments=200, proposals=80, seed=8, append=True)
    with services.db.reading() as s:
        provinces = Counter(s.scalars(select(m.Proposal.province_code).where(m.Proposal.id > first_run)))
        beneficiaries = set(s.scalars(select(m.Establishment.province_code).join(
            m.ProposalBeneficiary, m.ProposalBeneficiary.establishment_id == m.Establishment.id)
            .where(m.ProposalBeneficiary.proposal_id > first_run)))
    assert set(provinces) == {"01", "37"} and min(provinces.values()) > 10, provinces
    assert beneficiaries == {"01", "37"}


def test_contract_party_b_is_the_beneficiary_with_its_representative(services, people):
    _generate(services, people.manager, establishments=80, proposals=60, seed=11)
    with services.db.reading() as s:
        org_name = s.scalar(select(m.Organisation.name))
        rows = s.execute(select(m.Contract.party_a, m.Contract.party_b, m.Establishment.name)
                         .join(m.ProposalBeneficiary, (m.ProposalBeneficiary.proposal_id == m.Contract.proposal_id)
                               & (m.ProposalBeneficiary.position == 0))
                         .join(m.Establishment, m.Establishment.id == m.ProposalBeneficiary.establishment_id)).all()
        settled = s.scalar(select(m.Proposal.id).where(m.Proposal.status == Status.SETTLED.value).limit(1))
    assert len(rows) > 10
    assert all(a == org_name and b == name for a, b, name in rows)
    d = services.proposals.get(people.staff, settled)
    ben = services.establishments.get(people.staff, d.beneficiaries[0].establishment_id)
    text = _pdf_text(services.documents.render(people.staff, DocumentKind.LIQUIDATION, settled))
    # "Đại diện: Ông Lê Văn Tuấn": the salutation comes from the name (documents guess it from the middle name)
    assert f"BÊN B: {ben.data.name}" in text
    assert re.search(rf"Đại diện: (Ông |Bà |Ông/Bà )?{re.escape(ben.data.representative)}", text), text
    assert f"Chức vụ: {ben.data.representative_title}" in text


def test_decisions_carry_the_symbol_header_and_signer_of_their_body(services, people):
    _generate(services, people.manager, establishments=80, proposals=80, seed=12)
    managers = {"Phạm Văn Lãnh"}
    with services.db.reading() as s:
        rows = s.execute(select(m.Decision.kind, m.Decision.number, m.Decision.signer, m.Proposal.scope,
                                m.Proposal.id).join(m.Proposal, m.Proposal.id == m.Decision.proposal_id)).all()
    kinds = Counter()
    for kind, number, signer, scope, _pid in rows:
        national = scope == Scope.NATIONAL.value
        kinds[kind] += 1
        if kind == DecisionKind.COUNCIL.value:  # the centre sets up the council: its symbol, its people
            assert number.endswith("/QĐ-TTKC") and signer in managers, (number, signer)
        elif kind in (DecisionKind.APPROVAL.value, DecisionKind.MINISTRY.value, DecisionKind.STOP.value):
            symbol, titles = ("/QĐ-BCT", (", Thứ trưởng",)) if national else \
                ("/QĐ-SCT", (", Giám đốc", ", Phó Giám đốc"))
            assert number.endswith(symbol) and signer.endswith(titles), (kind, scope, number, signer)
            assert (kind == DecisionKind.MINISTRY.value) is (national and kind != DecisionKind.STOP.value)
            assert signer.split(",")[0] not in managers
    assert kinds[DecisionKind.COUNCIL.value] and kinds[DecisionKind.APPROVAL.value] and kinds["ministry"]

    # the Sở's decision prints under the Sở's header, signed for the Sở by the person recorded
    local = [(signer, pid) for kind, _n, signer, _sc, pid in rows if kind == DecisionKind.APPROVAL.value]
    for signer, pid in local[:2]:
        name, title = signer.split(", ")
        text = _pdf_text(services.documents.render(people.staff, DocumentKind.DECISION, pid))
        assert text.startswith("UBND TỈNH NINH BÌNH SỞ CÔNG THƯƠNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        assert "GIÁM ĐỐC SỞ CÔNG THƯƠNG Căn cứ" in text
        signature = "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" if title == "Phó Giám đốc" else "GIÁM ĐỐC"
        assert text.endswith(f"{signature} {name}"), text[-80:]


def _document_numbers(services: Services) -> list[tuple[int, str, int, str]]:
    """(year, symbol, number, where) of every numbered document of the demo."""
    sources = (("decisions", m.Decision.number, m.Decision.signed_on),
               ("council minutes", m.Council.minutes_number, m.Council.meeting_date),
               ("acceptances", m.Acceptance.minutes_number, m.Acceptance.held_on),
               ("liquidations", m.Liquidation.number, m.Liquidation.signed_on),
               ("settlements", m.Settlement.number, m.Settlement.settled_on),
               ("contracts", m.Contract.number, m.Contract.signed_on),
               ("plans", m.Plan.decision_number, m.Plan.decision_date),
               ("vouchers", m.Disbursement.voucher_number, m.Disbursement.paid_on))
    found = []
    with services.db.reading() as s:
        for where, number, day in sources:
            for value, on in s.execute(select(number, day).where(number != "")):
                parsed = parse_number(value, on.year)
                assert parsed is not None, (where, value)
                assert parsed[0] == on.year, (where, value, on)  # numbered in the year it is dated
                found.append((*parsed, where))
        # the council's decision is the one recorded among the decisions, not a second document
        for number, pid in s.execute(select(m.Council.decision_number, m.Council.proposal_id)
                                     .where(m.Council.decision_number != "")):
            assert s.scalar(select(m.Decision.id).where(m.Decision.proposal_id == pid,
                                                        m.Decision.number == number)) is not None
    return found


def test_document_numbers_are_unique_per_symbol_and_year(services, people):
    _generate(services, people.manager, establishments=80, proposals=150, seed=13)
    _generate(services, people.manager, establishments=20, proposals=60, seed=14, append=True)
    found = _document_numbers(services)
    counts = Counter((year, symbol, number) for year, symbol, number, _ in found)
    assert [k for k, n in counts.items() if n > 1] == []
    symbols = {symbol for _y, symbol, _n, _w in found}
    assert {"QĐ-TTKC", "QĐ-SCT", "QĐ-BCT", "QĐ-UBND", "BB-NT", "BB-TL", "BB-HĐTĐ", "HĐ-KC", "QT-TTKC",
            "UNC"} <= symbols, symbols
    # each series counts from 01 within a year, without gaps
    for year, symbol in {(y, sym) for y, sym, _n, _w in found}:
        numbers = sorted(n for y, sym, n, _w in found if (y, sym) == (year, symbol))
        assert numbers == list(range(1, len(numbers) + 1)), (year, symbol, numbers)


def test_acceptance_conclusion_follows_the_outcome_figures(services, people):
    _generate(services, people.manager, establishments=80, proposals=200, seed=15)
    with services.db.reading() as s:
        acceptances = s.execute(select(m.Acceptance.proposal_id, m.Acceptance.passed, m.Acceptance.conclusion)).all()
        targets: dict[int, list[tuple[str, int, int | None]]] = {}
        for pid, indicator, planned, achieved in s.execute(select(
                m.OutcomeTarget.proposal_id, m.OutcomeTarget.indicator, m.OutcomeTarget.planned_value,
                m.OutcomeTarget.achieved_value)):
            targets.setdefault(pid, []).append((indicator, int(planned), None if achieved is None else int(achieved)))
    missed_machines = passed_short = 0
    for pid, passed, conclusion in acceptances:
        missed = [(Outcome(i), p, a) for i, p, a in targets.get(pid, []) if a is not None and a < p]
        assert all(a is not None for _i, _p, a in targets.get(pid, [])), pid  # the figures were recorded
        if not passed:
            assert conclusion.startswith("Không đạt:") and "đúng nội dung" not in conclusion, conclusion
        elif missed:
            passed_short += 1
        if missed:
            assert "đúng nội dung, khối lượng" not in conclusion, conclusion
            for indicator, planned, achieved in missed:
                if indicator is Outcome.MACHINES:
                    missed_machines += 1
                    assert f"lắp đặt {achieved}/{planned} máy/dây chuyền" in conclusion, conclusion
                else:
                    assert f"chưa đạt chỉ tiêu {indicator.label[:1].lower()}{indicator.label[1:]}" in conclusion
        elif passed:
            assert conclusion == "Đề án hoàn thành đúng nội dung, khối lượng; các chỉ tiêu đạt kế hoạch. Đạt yêu cầu."
    assert len(acceptances) > 50 and passed_short > 0 and missed_machines > 0
    assert sum(1 for _p, passed, _c in acceptances if passed) > sum(1 for _p, passed, _c in acceptances
                                                                    if not passed) > 0


def test_a_machine_not_installed_is_not_verified():
    assert acceptance_conclusion(True, [(Outcome.MACHINES, 2), (Outcome.JOBS, 20)],
                                 {Outcome.MACHINES: 1, Outcome.JOBS: 20}) == \
        "Đạt yêu cầu, nghiệm thu theo khối lượng thực tế: lắp đặt 1/2 máy/dây chuyền."
    assert acceptance_conclusion(False, [(Outcome.PRODUCTION_VALUE, 500_000_000)],
                                 {Outcome.PRODUCTION_VALUE: 300_000_000}) == (
        "Không đạt: chưa đạt chỉ tiêu giá trị sản xuất tăng thêm (300.000.000/500.000.000 đồng/năm). Đơn vị thực "
        "hiện hoàn thành khối lượng còn thiếu để nghiệm thu lại.")


def test_histories_from_2018_keep_their_old_places(services, people):
    _generate(services, people.manager, establishments=120, proposals=150, seed=16)
    with services.db.reading() as s:
        years = Counter(s.scalars(select(m.Proposal.year)))
        created = dict(s.execute(select(m.StatusChange.proposal_id, func.min(m.StatusChange.at))
                                 .group_by(m.StatusChange.proposal_id)).all())
        proposals = s.execute(select(m.Proposal.id, m.Proposal.location_as_recorded, m.Proposal.legacy_ward_code,
                                     m.Proposal.commune_code)).all()
        titles = dict(s.execute(select(m.Proposal.id, m.Proposal.title)).all())
        addresses: dict[int, list[str]] = {}
        for pid, address in s.execute(select(m.ProposalBeneficiary.proposal_id, m.Establishment.address_as_recorded)
                                      .join(m.Establishment,
                                            m.Establishment.id == m.ProposalBeneficiary.establishment_id)):
            addresses.setdefault(pid, []).append(address)
        old_provinces = {c: n for c, n in s.execute(select(m.LegacyWard.code, m.LegacyProvince.name).join(
            m.LegacyProvince, m.LegacyProvince.code == m.LegacyWard.province_code))}
        establishments = s.execute(select(m.Establishment.created_at, m.Establishment.address_as_recorded,
                                          m.Establishment.legacy_ward_code, m.Establishment.commune_code)).all()
    assert min(years) == 2018 and sum(n for y, n in years.items() if y <= 2020) >= 15, years
    reform = datetime(2025, 7, 1, tzinfo=UTC)
    old = named = groups = 0
    for pid, recorded, ward, commune in proposals:
        at = created[pid] if created[pid].tzinfo else created[pid].replace(tzinfo=UTC)
        if at < reform - timedelta(days=1):  # made before the reform: the old place, as the importer keeps it
            assert recorded, pid
            assert ward or commune is None, pid  # an old ward, or one not matched yet
            if ward:
                old += 1
                assert recorded.endswith(old_provinces[ward]), (recorded, old_provinces[ward])
                # the beneficiaries of a group were of that same former province
                assert all(x.endswith(old_provinces[ward]) for x in addresses[pid] if x), (pid, addresses[pid])
                groups += len(addresses[pid]) > 1
                if "tỉnh " in titles[pid]:  # a title naming a province names the one of its time
                    named += 1
                    assert f"tỉnh {old_provinces[ward]}" in titles[pid], (titles[pid], recorded)
        elif at > reform + timedelta(days=1):
            assert not recorded and ward is None
    assert old > 50 and named > 5 and groups > 3
    for at, recorded, ward, commune in establishments:
        if (at if at.tzinfo else at.replace(tzinfo=UTC)) < reform - timedelta(days=1):
            assert recorded and (ward or commune is None)

    # the plans of 2018–2020 grouped by the old provinces (Ninh Bình was made of Ninh Bình, Nam Định, Hà Nam)
    groups = services.reports.funding_groups(people.manager, 2018, 2020, None, ["province"], as_recorded=True)
    labels = [g.keys[0][1] for g in groups]
    assert len(labels) == len(set(labels)), labels
    assert {"Ninh Bình", "Nam Định", "Hà Nam"} & set(labels) and len(set(labels) - {"Ninh Bình"}) >= 1, labels
    assert all(x in ("Ninh Bình", "Nam Định", "Hà Nam") or x.startswith("Địa bàn cũ chưa đối chiếu được")
               for x in labels), labels
    now = services.reports.funding_groups(people.manager, 2018, 2020, None, ["province"], as_recorded=False)
    assert [g.keys[0][1] for g in now] == ["Ninh Bình"]
    assert sum(g.count for g in groups) == sum(g.count for g in now)
