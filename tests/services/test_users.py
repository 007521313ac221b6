"""Accounts, sign-in, lockout, letterhead and reference data editing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from factories import PASSWORD

from desktop_app.domain.enums import Role, Scope
from desktop_app.domain.errors import AuthenticationError, PermissionDenied, ValidationError
from desktop_app.services.reference import SupportRuleInput


def test_first_admin_only_on_an_empty_database(empty_db_url) -> None:
    from desktop_app.services.context import open_services

    services, _ = open_services(empty_db_url)
    assert not services.auth.has_users() and not services.organisation.is_configured()
    with pytest.raises(ValidationError, match="ít nhất 8"):
        services.users.create_first_admin("quantri", "ngan")
    admin = services.users.create_first_admin("quantri", PASSWORD, "Nguyễn Văn A")
    assert admin.role is Role.ADMIN and services.auth.has_users()
    with pytest.raises(ValidationError, match="đã có người dùng"):
        services.users.create_first_admin("khac", PASSWORD)
    services.close()


def test_lockout_after_repeated_failures(services, people) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationError, match="Sai tên đăng nhập"):
            services.auth.login("canbo", "sai-mat-khau")
    with pytest.raises(AuthenticationError, match="Sai tên đăng nhập"):
        services.auth.login("canbo", "sai-mat-khau")
    with pytest.raises(AuthenticationError, match="Sai tên đăng nhập"):  # locked: the right password is refused
        services.auth.login("canbo", PASSWORD)
    locked = {u.username: u.locked for u in services.users.list(people.admin)}
    assert locked["canbo"]
    services.users.set_password(people.admin, "canbo", "matkhaumoi1")
    assert services.auth.login("canbo", "matkhaumoi1").role is Role.STAFF


def test_only_admin_manages_users_and_nobody_demotes_themselves(services, people) -> None:
    with pytest.raises(PermissionDenied):
        services.users.add(people.manager, "moi", Role.STAFF, PASSWORD)
    info = services.users.add(people.admin, "moi", Role.STAFF, PASSWORD, "Người Mới")
    assert info.role is Role.STAFF and info.active
    with pytest.raises(ValidationError, match="đã có"):
        services.users.add(people.admin, "moi", Role.STAFF, PASSWORD)
    with pytest.raises(ValidationError, match="khoảng trắng"):
        services.users.add(people.admin, "co dau cach", Role.STAFF, PASSWORD)
    with pytest.raises(ValidationError, match="chính mình"):
        services.users.update(people.admin, "quantri", role=Role.STAFF)
    services.users.update(people.admin, "moi", active=False)
    with pytest.raises(AuthenticationError, match="Sai tên đăng nhập"):
        services.auth.login("moi", PASSWORD)
    with pytest.raises(PermissionDenied):
        services.users.set_password(people.staff, "lanhdao", "matkhau999")
    services.users.set_password(people.staff, "canbo", "matkhau999")  # one's own password


def test_letterhead_is_admin_only_and_versioned(services, people) -> None:
    org = services.organisation.get()
    assert org.name.startswith("Trung tâm Khuyến công") and org.province_name == "Ninh Bình"
    with pytest.raises(PermissionDenied):
        services.organisation.save(people.manager, replace(org, director_name="Ai Đó"))
    with pytest.raises(ValidationError) as err:
        services.organisation.save(people.admin, replace(org, name=""))
    assert err.value.field == "name"
    saved = services.organisation.save(people.admin, replace(org, director_name="Hoàng Văn Mới"))
    assert saved.director_name == "Hoàng Văn Mới" and saved.version == org.version + 1


def test_support_rules_are_data_the_admin_edits(services, people) -> None:
    data = SupportRuleInput("ND45-4.3.d", Scope.LOCAL, Decimal(40), 200_000_000, "cơ sở",
                            "Nghị quyết 23/2025/NQ-HĐND tỉnh", date(2026, 1, 1), province_code="37")
    with pytest.raises(PermissionDenied):
        services.reference.save_support_rule(people.manager, data)
    with pytest.raises(ValidationError) as err:
        services.reference.save_support_rule(people.admin, replace(data, legal_basis=" "))
    assert err.value.field == "legal_basis"
    rule = services.reference.save_support_rule(people.admin, data)
    assert rule.scope is Scope.LOCAL and rule.province_code == "37"
    from desktop_app.domain.budget import BudgetLineInput

    cap = services.proposals.preview_cap("ND45-4.3.d", Scope.LOCAL, "37", date(2026, 3, 1),
                                         [BudgetLineInput("Máy", "máy", Decimal(1), 600_000_000, 250_000_000,
                                                          350_000_000)])
    assert not cap.ok and cap.rule_legal_basis == "Nghị quyết 23/2025/NQ-HĐND tỉnh" and cap.allowed_vnd == 200_000_000


def test_criteria_template_admin_editing(services, people) -> None:
    with pytest.raises(ValidationError, match="Điểm đạt"):
        services.reference.save_template(people.admin, "Mẫu tỉnh", Decimal(120), [("Tiêu chí", Decimal(100))])
    t = services.reference.save_template(people.admin, "Mẫu tỉnh", Decimal(60),
                                         [("Hiệu quả", Decimal(60)), ("Hồ sơ", Decimal(40))], make_default=True)
    assert services.reference.default_template().id == t.id and len(t.criteria) == 2
