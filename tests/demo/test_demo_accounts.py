"""Demo data creates accounts (with a known password) only in an empty database and only for an administrator."""

from __future__ import annotations

from datetime import date

import pytest
from factories import PASSWORD
from sqlalchemy import func, select

from desktop_app.demo import DemoService
from desktop_app.domain.enums import Role
from desktop_app.domain.errors import ValidationError
from desktop_app.services.context import open_services
from desktop_app.store import models as m

TODAY = date(2026, 6, 1)


def _users(services) -> set[str]:
    with services.db.reading() as s:
        return set(s.scalars(select(m.User.username)))


def test_a_manager_cannot_make_accounts_by_appending(services, people) -> None:
    # Fewer than three active appraisers: the run would need demo appraisers with the demo password, and the
    # database already has accounts other than administrators.
    services.users.update(people.admin, "thamdinh3", active=False)
    before = _users(services)
    with pytest.raises(ValidationError, match="Tài khoản mẫu chỉ được tạo") as refused:
        DemoService(services.db).generate(people.manager, 0, 0, append=True, today=TODAY)
    assert refused.value.field == "users"
    with pytest.raises(ValidationError, match="Tài khoản mẫu chỉ được tạo"):
        DemoService(services.db).generate(people.admin, 5, 3, append=True, today=TODAY)  # other accounts exist
    assert _users(services) == before
    with services.db.reading() as s:
        assert s.scalar(select(func.count(m.Establishment.id))) == 0


def test_an_administrator_on_a_non_empty_database_gets_no_accounts(services, people) -> None:
    from factories import make_establishment

    make_establishment(services, people.staff)
    services.users.update(people.admin, "lanhdao", role=Role.STAFF)
    with pytest.raises(ValidationError, match="Tài khoản mẫu"):
        DemoService(services.db).generate(people.admin, 3, 0, append=True, today=TODAY)
    assert not any(name.startswith("demo_") for name in _users(services))


def test_a_manager_on_an_empty_database_gets_no_accounts(empty_db_url) -> None:
    services, _ = open_services(empty_db_url)
    try:
        admin = services.users.create_first_admin("quantri", PASSWORD)
        services.users.add(admin, "lanhdao", Role.MANAGER, PASSWORD)
        manager = services.auth.login("lanhdao", PASSWORD)
        with pytest.raises(ValidationError, match="Tài khoản mẫu"):
            DemoService(services.db).generate(manager, 5, 3, today=TODAY)
        assert _users(services) == {"quantri", "lanhdao"}
        # Not the administrator either once the database has an account that is not an administrator's
        # (a fresh database with only administrators: test_demo.test_makes_the_users_it_needs_on_a_fresh_database).
        with pytest.raises(ValidationError, match="Tài khoản mẫu"):
            DemoService(services.db).generate(admin, 5, 3, today=TODAY)
        assert _users(services) == {"quantri", "lanhdao"}
    finally:
        services.close()


@pytest.mark.parametrize("state", ["deactivated", "demoted"])
def test_a_session_whose_rights_changed_cannot_run_the_demo(services, people, state: str) -> None:
    """The demo left the services but keeps their rights check: the account is re-read in the run's
    transaction, and a deactivated or demoted manager writes nothing."""
    from desktop_app.domain.errors import RightsRevoked

    session = services.auth.login("lanhdao", PASSWORD)
    if state == "deactivated":
        services.users.update(people.admin, "lanhdao", active=False)
    else:
        services.users.update(people.admin, "lanhdao", role=Role.STAFF)
    with services.db.reading() as s:
        before = s.scalar(select(func.count(m.AuditEntry.id)))
    with pytest.raises(RightsRevoked):
        DemoService(services.db).generate(session, 5, 3, append=True, today=TODAY)
    with services.db.reading() as s:
        assert s.scalar(select(func.count(m.Establishment.id))) == 0
        assert s.scalar(select(func.count(m.AuditEntry.id))) == before
