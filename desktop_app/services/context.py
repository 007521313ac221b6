"""The composition of the services over one database: what the GUI and the CLI hold on to."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from desktop_app.domain.errors import UserError
from desktop_app.services.account import AccountService
from desktop_app.services.appraisal import AppraisalService
from desktop_app.services.audit_log import AuditLogService
from desktop_app.services.auth import AuthService
from desktop_app.services.changes import ChangeService
from desktop_app.services.councils import CouncilService
from desktop_app.services.dashboard import DashboardService
from desktop_app.services.establishments import EstablishmentService
from desktop_app.services.implementation import ImplementationService
from desktop_app.services.organisation import OrganisationService
from desktop_app.services.plans import PlanService
from desktop_app.services.presence import PresenceService
from desktop_app.services.proposals import ProposalService
from desktop_app.services.reference import ReferenceService
from desktop_app.services.users import UserService
from desktop_app.store import preflight
from desktop_app.store.database import Database
from desktop_app.store.migrate import known_revisions, upgrade_to_head

if TYPE_CHECKING:
    from desktop_app.services.documents import DocumentService
    from desktop_app.services.imports import ImportService
    from desktop_app.services.reports import ReportService


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
    plans: PlanService

    def data_location(self) -> tuple[str, str]:
        """Where the data is, for the status bar: a short Vietnamese text and the full address (password hidden)."""
        url = self.db.engine.url
        full = self.db.url
        if self.db.is_sqlite:
            return "Dữ liệu: tệp trên máy này", f"Tệp dữ liệu: {url.database or '(trong bộ nhớ)'}"
        server = url.host or "máy này"
        if url.port:
            server += f":{url.port}"
        return f"Dữ liệu: máy chủ {server}, cơ sở dữ liệu “{url.database or ''}”", f"Địa chỉ: {full}"

    @classmethod
    def over(cls, db: Database) -> Services:
        return cls(db, AuthService(db), UserService(db), OrganisationService(db), ReferenceService(db),
                   EstablishmentService(db), ProposalService(db), AppraisalService(db), ImplementationService(db),
                   PlanService(db))

    # Services built on first use; the three whose libraries are heavy (PDF and Word documents, Excel reports
    # and imports) are also imported on first use, so a command that needs none of them does not load them.

    @cached_property
    def dashboard(self) -> DashboardService:
        return DashboardService(self.db)

    @cached_property
    def documents(self) -> DocumentService:
        # reportlab and the Word writer (~0.3 s): on first use
        from desktop_app.services.documents import DocumentService

        return DocumentService(self.db)

    @cached_property
    def reports(self) -> ReportService:
        # the report writers: imported when a report is first run
        from desktop_app.services.reports import ReportService

        return ReportService(self.db)

    @cached_property
    def imports(self) -> ImportService:
        # the workbook reader and import checks: on the first import
        from desktop_app.services.imports import ImportService

        return ImportService(self.db)

    @cached_property
    def account(self) -> AccountService:
        return AccountService(self.db)

    @cached_property
    def audit_log(self) -> AuditLogService:
        return AuditLogService(self.db)

    @cached_property
    def councils(self) -> CouncilService:
        return CouncilService(self.db)

    @cached_property
    def changes(self) -> ChangeService:
        return ChangeService(self.db)

    @cached_property
    def presence(self) -> PresenceService:
        return PresenceService(self.db)

    def close(self) -> None:
        self.db.dispose()


def open_services(url: str, migrate: bool = True) -> tuple[Services, str | None]:
    """Open the database at ``url``, migrate it to the program's schema, and build the services.

    Returns the services and the path of the backup taken before migrating (if any).

    Raises:
        DatabaseVersionError: the database is newer than the program.
    """
    parsed = preflight.parse(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        preflight.check_sqlite_file(Path(parsed.database), known_revisions())
    db = Database.from_url(url)
    backup = None
    if migrate:
        try:
            backup = upgrade_to_head(db.engine)
        except DBAPIError as exc:
            db.dispose()
            shown = parsed.render_as_string(hide_password=True)
            raise UserError(f"Không mở được cơ sở dữ liệu {shown}: {str(exc.orig).strip().splitlines()[0][:300]}. "
                            "Hãy kiểm tra địa chỉ, máy chủ, tên người dùng và mật khẩu.", field="db") from exc
        except BaseException:
            db.dispose()
            raise
    return Services.over(db), backup
