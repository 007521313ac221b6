"""The tabs of the proposal editor, one widget each: Chung, Cơ sở thụ hưởng, Dự toán, Tệp đính kèm, Lịch sử, Văn
bản (see :mod:`.base` for what every tab offers the editor)."""

from desktop_app.ui.proposals.tabs.attachments import AttachmentsTab
from desktop_app.ui.proposals.tabs.base import ProposalTab, button, list_table
from desktop_app.ui.proposals.tabs.beneficiaries import BeneficiariesTab
from desktop_app.ui.proposals.tabs.budget import BudgetTab
from desktop_app.ui.proposals.tabs.documents import DocumentsTab
from desktop_app.ui.proposals.tabs.general import GeneralTab
from desktop_app.ui.proposals.tabs.history import HistoryTab

__all__ = ["AttachmentsTab", "BeneficiariesTab", "BudgetTab", "DocumentsTab", "GeneralTab", "HistoryTab",
           "ProposalTab", "button", "list_table"]
