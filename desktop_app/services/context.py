"""The composition of the services over one database: what the GUI and the CLI hold on to."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.services.appraisal import AppraisalService
from desktop_app.services.auth import AuthService
from desktop_app.services.establishments import EstablishmentService
from desktop_app.services.implementation import ImplementationService
from desktop_app.services.organisation import OrganisationService
from desktop_app.services.proposals import ProposalService
from desktop_app.services.reference import ReferenceService
from desktop_app.services.users import UserService
from desktop_app.store.database import Database
from desktop_app.store.migrate import upgrade_to_head


@dataclass
class Services:
    """Every service over one database."""

    db: Database
    auth: AuthService
    users: UserService
    organisation: OrganisationService
    reference: ReferenceService
    establishments: EstablishmentService
    proposals: ProposalService
    appraisal: AppraisalService
    implementation: ImplementationService

    @classmethod
    def over(cls, db: Database) -> Services:
        return cls(db, AuthService(db), UserService(db), OrganisationService(db), ReferenceService(db),
                   EstablishmentService(db), ProposalService(db), AppraisalService(db), ImplementationService(db))

    def close(self) -> None:
        self.db.dispose()


def open_services(url: str, migrate: bool = True) -> tuple[Services, str | None]:
    """Open the database at ``url``, migrate it to the program's schema, and build the services.

    Returns the services and the path of the backup taken before migrating (if any).

    Raises:
        DatabaseVersionError: the database is newer than the program.
    """
    db = Database.from_url(url)
    backup = None
    if migrate:
        try:
            backup = upgrade_to_head(db.engine)
        except BaseException:
            db.dispose()
            raise
    return Services.over(db), backup
