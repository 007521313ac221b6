"""Every service operation as every role: signed in and active, deactivated after sign-in, demoted after
sign-in. A session's rights are re-read in each call's transaction, so a changed account is refused at once,
by the service layer, with nothing written."""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from factories import PASSWORD, Actors, establishment_input, machine_lines, make_establishment, proposal_input
from sqlalchemy import func, select

from desktop_app.domain.enums import Action, DisbursementKind, DocumentKind, Role, Scope
from desktop_app.domain.errors import PermissionDenied, RightsRevoked, UserError
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.auth import Actor
from desktop_app.services.backup import BackupService
from desktop_app.services.context import Services
from desktop_app.services.dto import EstablishmentFilter, MemberInput, ProposalFilter
from desktop_app.services.reference import SupportRuleInput
from desktop_app.store.models import AuditEntry, User

Op = Callable[[Services, Actor], Any]
TODAY = date(2026, 6, 1)


def _ops(world: dict[str, Any], tmp: Path) -> dict[str, Op]:
    """One call per public service operation that takes the acting user, with arguments that pass validation."""
    eid, pid, aid = world["establishment"], world["proposal"], world["attachment"]
    est_v, prop_v = world["establishment_version"], world["proposal_version"]
    members = [MemberInput(full_name="Đỗ Quốc Hưng", role=r, user_id=None) for r in world["member_roles"]]
    rule = SupportRuleInput("ND45-4.3.d", Scope.LOCAL, Decimal(40), 200_000_000, "cơ sở", "Nghị quyết thử",
                            date(2026, 1, 1), province_code="37")
    return {
        "appraisal.open_council": lambda s, a: s.appraisal.open_council(
            a, pid, prop_v, decision_number="1/QĐ", decision_date=TODAY, meeting_date=TODAY, place="Trung tâm",
            members=members),
        "appraisal.council": lambda s, a: s.appraisal.council(a, pid),
        "appraisal.my_tasks": lambda s, a: s.appraisal.my_tasks(a),
        "appraisal.save_scores": lambda s, a: s.appraisal.save_scores(a, 1, 1, {}),
        "appraisal.declare_conflict": lambda s, a: s.appraisal.declare_conflict(a, 1, "Người nhà"),
        "appraisal.reopen_sheet": lambda s, a: s.appraisal.reopen_sheet(a, 1, 1, "Sửa"),
        "appraisal.conclude": lambda s, a: s.appraisal.conclude(a, pid, prop_v),
        "backup.backup": lambda s, a: BackupService(s.db).backup(a, tmp / f"sao-luu-{a.username}.bak"),
        "backup.restore": lambda s, a: BackupService(s.db).restore(a, tmp / "khong-co.sqlite3"),
        "backup.set_keep": lambda s, a: BackupService(s.db).set_keep(a, 12),
        "dashboard.overview": lambda s, a: s.dashboard.overview(a, TODAY),
        "documents.available": lambda s, a: s.documents.available(a, pid),
        "documents.render": lambda s, a: s.documents.render(a, DocumentKind.PROPOSAL, pid),
        "documents.render_docx": lambda s, a: s.documents.render_docx(a, DocumentKind.PROPOSAL, pid),
        "documents.dossier": lambda s, a: s.documents.dossier(a, pid),
        "documents.proposal_id_by_code": lambda s, a: s.documents.proposal_id_by_code(a, world["code"]),
        "documents.member_id": lambda s, a: s.documents.member_id(a, pid, "ai"),
        "establishments.create": lambda s, a: s.establishments.create(a, establishment_input()),
        "establishments.update": lambda s, a: s.establishments.update(a, eid, establishment_input(), est_v),
        "establishments.set_archived": lambda s, a: s.establishments.set_archived(a, eid, True, est_v),
        "establishments.get": lambda s, a: s.establishments.get(a, eid),
        "establishments.search": lambda s, a: s.establishments.search(a, EstablishmentFilter()),
        "establishments.count": lambda s, a: s.establishments.count(a, EstablishmentFilter()),
        "establishments.rows": lambda s, a: s.establishments.rows(a, EstablishmentFilter()),
        "establishments.iter_rows": lambda s, a: list(s.establishments.iter_rows(a, EstablishmentFilter())),
        "implementation.finance": lambda s, a: s.implementation.finance(a, pid),
        "implementation.sign_contract": lambda s, a: s.implementation.sign_contract(
            a, pid, prop_v, number="1/HĐ", signed_on=TODAY),
        "implementation.record_disbursement": lambda s, a: s.implementation.record_disbursement(
            a, pid, DisbursementKind.ADVANCE, 1_000_000, TODAY),
        "implementation.add_progress_report": lambda s, a: s.implementation.add_progress_report(
            a, pid, year=2026, month=6, reported_on=TODAY, progress_percent=10),
        "implementation.report_completion": lambda s, a: s.implementation.report_completion(a, pid, prop_v),
        "implementation.record_acceptance": lambda s, a: s.implementation.record_acceptance(
            a, pid, held_on=TODAY, place="Cơ sở", passed=True, conclusion="Đạt", minutes_number="1/BB", lines=[]),
        "implementation.sign_off_acceptance": lambda s, a: s.implementation.sign_off_acceptance(a, pid, prop_v),
        "implementation.confirm_acceptance_review": lambda s, a: s.implementation.confirm_acceptance_review(a, pid),
        "implementation.record_liquidation": lambda s, a: s.implementation.record_liquidation(
            a, pid, number="1/TL", signed_on=TODAY),
        "implementation.settle": lambda s, a: s.implementation.settle(a, pid, prop_v, number="1/QT",
                                                                     settled_on=TODAY),
        "imports.preview": lambda s, a: s.imports.preview(a, "establishments", world["workbook"]),
        "imports.run": lambda s, a: s.imports.run(a, "establishments", world["workbook"]),
        "organisation.save": lambda s, a: s.organisation.save(a, replace(s.organisation.get(), phone="02293871111")),
        "organisation.set_advance_percent": lambda s, a: s.organisation.set_advance_percent(a, "60"),
        "organisation.set_local_regulation": lambda s, a: s.organisation.set_local_regulation(
            a, "Quyết định số 12/2020/QĐ-UBND ngày 15 tháng 6 năm 2020 của UBND tỉnh"),
        "plans.plans": lambda s, a: s.plans.plans(a),
        "plans.save": lambda s, a: s.plans.save(a, 2026, Scope.LOCAL, 5_000_000_000),
        "plans.years": lambda s, a: s.plans.years(a),
        "plans.year_plan": lambda s, a: s.plans.year_plan(a, 2026, Scope.LOCAL),
        "councils.councils": lambda s, a: s.councils.councils(a),
        "audit_log.entries": lambda s, a: s.audit_log.entries(a, AuditFilter()),
        "audit_log.iter_entries": lambda s, a: list(s.audit_log.iter_entries(a, AuditFilter())),
        "audit_log.choices": lambda s, a: s.audit_log.choices(a),
        "audit_log.export_xlsx": lambda s, a: s.audit_log.export_xlsx(a, AuditFilter(), tmp / f"nk-{a.username}.xlsx"),
        "account.change_own_password": lambda s, a: s.account.change_own_password(a, PASSWORD, "matkhaumoi1",
                                                                                  "matkhaumoi1"),
        "proposals.create": lambda s, a: s.proposals.create(a, proposal_input(), machine_lines(), [eid]),
        "proposals.save": lambda s, a: s.proposals.save(a, pid, prop_v, proposal_input(), machine_lines(), [eid]),
        "proposals.delete_draft": lambda s, a: s.proposals.delete_draft(a, pid, prop_v),
        "proposals.get": lambda s, a: s.proposals.get(a, pid),
        "proposals.get_by_code": lambda s, a: s.proposals.get_by_code(a, world["code"]),
        "proposals.search": lambda s, a: s.proposals.search(a, ProposalFilter()),
        "proposals.rows": lambda s, a: s.proposals.rows(a, ProposalFilter()),
        "proposals.count": lambda s, a: s.proposals.count(a, ProposalFilter()),
        "proposals.iter_rows": lambda s, a: list(s.proposals.iter_rows(a, ProposalFilter())),
        "proposals.allowed_actions": lambda s, a: s.proposals.allowed_actions(a, pid),
        "proposals.why_not": lambda s, a: s.proposals.why_not(a, Action.SUBMIT, pid),
        "proposals.submit": lambda s, a: s.proposals.submit(a, pid, prop_v),
        "proposals.return_for_correction": lambda s, a: s.proposals.return_for_correction(a, pid, prop_v, "Sửa"),
        "proposals.cancel": lambda s, a: s.proposals.cancel(a, pid, prop_v, "Không làm nữa"),
        "proposals.withdraw": lambda s, a: s.proposals.withdraw(a, pid, prop_v, "Bổ sung hồ sơ"),
        "proposals.send_to_ministry": lambda s, a: s.proposals.send_to_ministry(a, pid, prop_v, "1/CV", TODAY),
        "proposals.stop": lambda s, a: s.proposals.stop(a, pid, prop_v, "Dừng", "1/QĐ", TODAY),
        "proposals.approve": lambda s, a: s.proposals.approve(a, pid, prop_v, 100_000_000, "2/QĐ", TODAY),
        "proposals.attachments": lambda s, a: s.proposals.attachments(a, pid),
        "proposals.add_attachment": lambda s, a: s.proposals.add_attachment(a, pid, "them.txt", b"noi dung"),
        "proposals.attachment_data": lambda s, a: s.proposals.attachment_data(a, aid),
        "proposals.remove_attachment": lambda s, a: s.proposals.remove_attachment(a, aid),
        "proposals.history": lambda s, a: s.proposals.history(a, pid),
        "proposals.require_editor": lambda s, a: s.proposals.require_editor(a),
        "reference.save_sector": lambda s, a: s.reference.save_sector(a, "THU", "Ngành thử", "a"),
        "reference.save_commune": lambda s, a: s.reference.save_commune(a, "99999", "37", "Xã Thử", "Xã"),
        "reference.save_support_rule": lambda s, a: s.reference.save_support_rule(a, rule),
        "reference.copy_national_rules": lambda s, a: s.reference.copy_national_rules(
            a, "37", "Nghị quyết số 01/2026/NQ-HĐND", date(2026, 1, 1)),
        "reference.save_template": lambda s, a: s.reference.save_template(
            a, "Mẫu thử", Decimal(50), [("Tiêu chí", Decimal(100))]),
        "reports.funding_groups": lambda s, a: s.reports.funding_groups(a, 2026, 2026, None, ["year"]),
        "reports.funding": lambda s, a: s.reports.funding(a, 2026, 2026, None, ["year"], False,
                                                          tmp / f"kp-{a.username}.xlsx"),
        "reports.proposals": lambda s, a: s.reports.proposals(a, ProposalFilter(), tmp / f"da-{a.username}.xlsx"),
        "reports.establishments": lambda s, a: s.reports.establishments(a, EstablishmentFilter(),
                                                                        tmp / f"cs-{a.username}.xlsx"),
        "reports.progress_report": lambda s, a: s.reports.progress_report(a, 2026, 2026, None,
                                                                          tmp / f"td-{a.username}.xlsx"),
        "reports.registration": lambda s, a: s.reports.registration(a, 2027, tmp / f"dk-{a.username}.xlsx"),
        "reports.proposal_count": lambda s, a: s.reports.proposal_count(a, 2026, 2026),
        "reports.ledger_check": lambda s, a: s.reports.ledger_check(a),
        "reports.export_list": lambda s, a: s.reports.export_list(a, tmp / f"ds-{a.username}.xlsx", "Danh sách",
                                                                  ["Tên"], [["Cơ sở A"]]),
        "reports.acceptance_review": lambda s, a: s.reports.acceptance_review(a, tmp / f"kt-{a.username}.xlsx"),
        "users.add": lambda s, a: s.users.add(a, f"moi_{a.username}", Role.STAFF, PASSWORD),
        "users.list": lambda s, a: s.users.list(a),
        "users.appraisers": lambda s, a: s.users.appraisers(a),
        "users.set_password": lambda s, a: s.users.set_password(a, a.username, PASSWORD),
        "users.update": lambda s, a: s.users.update(a, "thamdinh3", title="Chuyên gia chính"),
    }


def _service_operations(services: Services) -> set[str]:
    """Every public method of every service that takes the acting user."""
    found = set()
    holders = {name: getattr(services, name) for name in ("account", "appraisal", "audit_log", "councils",
                                                          "dashboard", "documents", "establishments",
                                                          "implementation", "imports", "organisation", "plans",
                                                          "proposals", "reference", "reports", "users")}
    holders["backup"] = BackupService(services.db)
    for name, service in holders.items():
        for attr, member in inspect.getmembers(type(service), inspect.isfunction):
            if not attr.startswith("_") and "actor" in inspect.signature(member).parameters:
                found.add(f"{name}.{attr}")
    return found


def _world(services: Services, people: Actors, tmp: Path) -> dict[str, Any]:
    from desktop_app.domain.enums import MemberRole

    eid = make_establishment(services, people.staff, tax_code="")
    detail = services.proposals.create(people.staff, proposal_input(), machine_lines(), [eid])
    attachment = services.proposals.add_attachment(people.staff, detail.id, "don.txt", b"don xin ho tro")
    detail = services.proposals.get(people.staff, detail.id)
    services.imports.write_template("establishments", tmp / "mau.xlsx")
    return {"establishment": eid, "establishment_version": services.establishments.get(people.staff, eid).version,
            "proposal": detail.id, "proposal_version": detail.version, "code": detail.code,
            "attachment": attachment.id, "workbook": tmp / "mau.xlsx",
            "member_roles": (MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.MEMBER)}


def _refused_in_services(exc: BaseException) -> bool:
    """The refusal was raised below the GUI and the command line: in a service, in a domain rule a service
    applies (the workflow table), or in the store's rights check."""
    where = traceback.extract_tb(exc.__traceback__)[-1].filename.replace("\\", "/")
    return ("/desktop_app/services/" in where or "/desktop_app/domain/" in where
            or where.endswith("/desktop_app/store/rights.py"))


def _audit_count(services: Services) -> int:
    with services.db.reading() as s:
        return s.scalar(select(func.count(AuditEntry.id))) or 0


DEMOTION = {Role.ADMIN: Role.STAFF, Role.MANAGER: Role.STAFF, Role.STAFF: Role.APPRAISER,
            Role.APPRAISER: Role.STAFF}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_operation_as_every_role_active_deactivated_demoted(services: Services, people: Actors, role: Role,
                                                                  tmp_path: Path) -> None:
    second_admin = services.users.add(people.admin, "quantri2", Role.ADMIN, PASSWORD)
    boss = services.auth.login(second_admin.username, PASSWORD)
    actor = {Role.ADMIN: people.admin, Role.MANAGER: people.manager, Role.STAFF: people.staff,
             Role.APPRAISER: people.appraisers[0]}[role]
    world = _world(services, people, tmp_path)
    ops = _ops(world, tmp_path)
    assert set(ops) == _service_operations(services), "an operation is missing from the matrix"

    for state in ("deactivated", "demoted"):
        if state == "deactivated":
            services.users.update(boss, actor.username, active=False)
        else:
            services.users.update(boss, actor.username, role=DEMOTION[role])
        written = _audit_count(services)
        for name, op in ops.items():
            with pytest.raises(PermissionDenied) as refused:
                op(services, actor)
            assert _refused_in_services(refused.value), (name, state)
            message = refused.value.message
            assert message and "Traceback" not in message, name
        assert _audit_count(services) == written, f"a refused call wrote something ({state})"
        services.users.update(boss, actor.username, active=True, role=role)

    # Active again with the role it signed in with: no call is refused for the account's state.
    outcomes: dict[str, str] = {}
    for name, op in ops.items():
        try:
            op(services, actor)
            outcomes[name] = "ok"
        except RightsRevoked as exc:
            pytest.fail(f"{name}: {exc}")
        except PermissionDenied as exc:
            assert _refused_in_services(exc), name
            outcomes[name] = "refused"
        except UserError:
            outcomes[name] = "rule"
    assert outcomes["dashboard.overview"] == "ok"
    # an appraiser reads only the proposals whose council he sits on (none in this world)
    assert outcomes["proposals.get"] == ("refused" if role is Role.APPRAISER else "ok")
    assert (outcomes["users.add"] == "ok") is (role is Role.ADMIN)
    assert (outcomes["proposals.create"] == "ok") is (role in (Role.STAFF, Role.MANAGER))


def test_a_demoted_manager_cannot_approve_with_the_old_session(services: Services, people: Actors) -> None:
    from factories import advance_to

    from desktop_app.domain.enums import Status

    detail = advance_to(services, people, make_establishment_proposal(services, people), Status.APPRAISED)
    session = services.auth.login("lanhdao", PASSWORD)
    services.users.update(people.admin, "lanhdao", role=Role.STAFF, active=False)
    with pytest.raises(RightsRevoked, match="ngừng hoạt động"):
        services.proposals.approve(session, detail.id, detail.version, 100_000_000, "5/QĐ", TODAY)
    services.users.update(people.admin, "lanhdao", active=True)
    with pytest.raises(RightsRevoked, match="Cán bộ nghiệp vụ"):
        services.proposals.approve(session, detail.id, detail.version, 100_000_000, "5/QĐ", TODAY)
    assert services.proposals.get(people.staff, detail.id).status is Status.APPRAISED
    with services.db.reading() as s:
        assert s.scalar(select(User.role).where(User.username == "lanhdao")) == Role.STAFF.value


def make_establishment_proposal(services: Services, people: Actors) -> int:
    eid = make_establishment(services, people.staff)
    return services.proposals.create(people.staff, proposal_input(), machine_lines(), [eid]).id


def test_an_announced_check_does_not_leak_into_the_next_sign_in(services: Services, people: Actors) -> None:
    """A call refused before its transaction leaves its expectation behind; signing in drops it."""
    session = services.auth.login("canbo", PASSWORD)
    services.users.update(people.admin, "canbo", active=False)
    with pytest.raises(UserError):
        services.establishments.create(session, replace(establishment_input(), name=""))
    assert services.auth.login("lanhdao", PASSWORD).role is Role.MANAGER

