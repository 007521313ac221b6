"""Typed SQLAlchemy 2 models, one module per aggregate, re-exported here."""

from desktop_app.store.base import Base
from desktop_app.store.models.admin import AppSetting, AuditEntry, DocumentNumber, Organisation, User
from desktop_app.store.models.appraisal import Council, CouncilMember, Score, ScoreSheet
from desktop_app.store.models.establishment import Establishment
from desktop_app.store.models.implementation import (
    Acceptance,
    AcceptanceLine,
    Contract,
    Disbursement,
    Liquidation,
    ProgressReport,
    Settlement,
)
from desktop_app.store.models.presence import Presence
from desktop_app.store.models.proposal import (
    Attachment,
    BudgetLine,
    Decision,
    OutcomeTarget,
    Plan,
    Proposal,
    ProposalBeneficiary,
    StatusChange,
)
from desktop_app.store.models.reference import (
    Commune,
    Content,
    CriteriaTemplate,
    Criterion,
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Province,
    Sector,
    SupportRule,
    WardMapping,
)

__all__ = [
    "Acceptance",
    "AcceptanceLine",
    "AppSetting",
    "Attachment",
    "AuditEntry",
    "Base",
    "BudgetLine",
    "Commune",
    "Content",
    "Contract",
    "Council",
    "CouncilMember",
    "CriteriaTemplate",
    "Criterion",
    "Decision",
    "Disbursement",
    "DocumentNumber",
    "Establishment",
    "LegacyDistrict",
    "LegacyProvince",
    "LegacyWard",
    "Liquidation",
    "Organisation",
    "OutcomeTarget",
    "Plan",
    "Presence",
    "ProgressReport",
    "Proposal",
    "ProposalBeneficiary",
    "Province",
    "Score",
    "ScoreSheet",
    "Sector",
    "Settlement",
    "StatusChange",
    "SupportRule",
    "User",
    "WardMapping",
]
