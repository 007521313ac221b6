"""The documents of a proposal: which may be printed now, rendering one as PDF, and the whole dossier.

Who may print (DESIGN.md §4): staff and managers every document; an appraiser only their own score sheet;
the administrator none. A document is available once its record exists (the acceptance minutes once the
acceptance is recorded, and so on); ``available`` says why one is not. The file of the proposal is read in one
transaction into plain records (:mod:`desktop_app.reports.pdf.records`) and rendered outside it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import CouncilKind, DecisionKind, DocumentKind, MemberRole, Role, Scope
from desktop_app.domain.errors import NotFound, PermissionDenied, WorkflowError
from desktop_app.domain.vietnamese import normalize
from desktop_app.progress import NO_PROGRESS, Progress
from desktop_app.reports.docx_writer import render_docx
from desktop_app.reports.pdf import (
    acceptance_minutes,
    appraisal_minutes,
    council_decision,
    decision,
    liquidation_minutes,
    proposal_doc,
    score_sheet,
    settlement_decision,
)
from desktop_app.reports.pdf import (
    contract as contract_doc,
)
from desktop_app.reports.pdf.dossier import Part, merge, safe_name, zip_parts
from desktop_app.reports.pdf.layout import Composed, Letterhead, render_pdf
from desktop_app.reports.pdf.records import (
    AcceptanceLineRecord,
    AcceptanceRecord,
    BeneficiaryRecord,
    ContractRecord,
    CouncilRecord,
    CriterionRecord,
    DecisionRecord,
    LiquidationRecord,
    MemberRecord,
    ProposalFile,
    ProposalRecord,
    SettlementRecord,
)
from desktop_app.services import transitions
from desktop_app.services.appraisal import council_view
from desktop_app.services.auth import Actor, require_signed_in
from desktop_app.services.dto import DocumentOption
from desktop_app.services.organisation import OrganisationService
from desktop_app.services.proposal_views import detail_of
from desktop_app.store.database import Database
from desktop_app.store.ledger_queries import proposal_ledger
from desktop_app.store.models import (
    Acceptance,
    Attachment,
    Commune,
    Content,
    Contract,
    Council,
    CriteriaTemplate,
    Decision,
    Establishment,
    LegacyWard,
    Liquidation,
    Proposal,
    Province,
    ScoreSheet,
    Settlement,
    StatusChange,
    User,
)

PRINTERS = (Role.STAFF, Role.MANAGER)
_APPROVAL_KINDS = (DecisionKind.APPROVAL.value, DecisionKind.MINISTRY.value)
_LEGAL_FORM_LABELS = {"sme": "Doanh nghiệp nhỏ và vừa", "cooperative": "Hợp tác xã", "coop_group": "Tổ hợp tác",
                      "household": "Hộ kinh doanh", "artisan": "Nghệ nhân"}


def _unit(kind: str, name: str) -> str:
    """"xã Gia Viễn", "tỉnh Ninh Bình" (ND 30 Phụ lục II: the generic noun in lower case)."""
    kind = normalize(kind)
    return f"{kind[:1].lower()}{kind[1:]} {name}" if kind else name


def _place(s: Session, street: str, commune_code: str | None, province_code: str | None, as_recorded: str,
           legacy_ward_code: str | None = None) -> str:
    """The address as printed: what was recorded before the 2025 reform when there is such a text, else the
    current commune and province."""
    if normalize(as_recorded):
        return normalize(as_recorded)
    parts = [normalize(street)]
    commune = s.get(Commune, commune_code) if commune_code else None
    province = s.get(Province, province_code) if province_code else None
    if commune:
        parts.append(_unit(commune.kind, commune.name))
    if province:
        parts.append(_unit(province.kind, province.name))
    if not commune and legacy_ward_code:
        ward = s.get(LegacyWard, legacy_ward_code)
        if ward:
            parts.insert(1, _unit(ward.kind, ward.name))
    return ", ".join(p for p in parts if p)


def _local_date(value: datetime | date | None) -> date | None:
    """A UTC timestamp as the local calendar day; a date as it is."""
    if isinstance(value, datetime):
        return value.astimezone().date()
    return value


def _members(s: Session, council: Council) -> tuple[MemberRecord, ...]:
    sheets = {sh.member_id: sh for sh in s.scalars(select(ScoreSheet).where(
        ScoreSheet.member_id.in_([m.id for m in council.members])))} if council.members else {}
    out = []
    for m in council.members:
        sh = sheets.get(m.id)
        pts = {sc.criterion_id: Decimal(sc.points) for sc in sh.scores} if sh else {}
        submitted = bool(sh and sh.submitted_at)
        total = sum(pts.values(), Decimal(0)) if submitted and not m.conflict else None
        out.append(MemberRecord(m.id, m.user_id, m.full_name, m.title, MemberRole(m.role), m.conflict,
                                m.conflict_note, submitted, pts, total, sh.comment if sh else "",
                                _local_date(sh.submitted_at) if sh else None))
    return tuple(out)


def _council_record(s: Session, council: Council) -> CouncilRecord:
    view = council_view(s, council)
    template = s.get(CriteriaTemplate, council.template_id) if council.template_id else None
    criteria = tuple(CriterionRecord(c.id, c.position, c.name, Decimal(c.max_points))
                     for c in (template.criteria if template else []))
    return CouncilRecord(
        CouncilKind(council.kind), council.decision_number, council.decision_date, council.meeting_date,
        council.place, Decimal(council.pass_mark or 0), criteria,
        _members(s, council), view.average, view.passed, view.concluded,
        _local_date(council.concluded_at), council.conclusion, council.minutes_number)


def load_file(s: Session, proposal_id: int) -> ProposalFile:
    """Read everything the documents of a proposal print, in the session ``s``.

    Raises:
        NotFound: no such proposal.
    """
    p = transitions.load_proposal(s, proposal_id)
    detail = detail_of(s, p)
    bens = []
    for b in p.beneficiaries:
        e = s.get(Establishment, b.establishment_id)
        if e is None:
            continue
        bens.append(BeneficiaryRecord(
            e.name, e.tax_code, _place(s, e.street, e.commune_code, e.province_code, e.address_as_recorded,
                                      e.legacy_ward_code),
            e.representative, e.representative_title, e.phone, _LEGAL_FORM_LABELS.get(e.legal_form, "")))
    content = s.get(Content, p.content_code)
    submitted = s.scalar(select(func.min(StatusChange.at)).where(StatusChange.proposal_id == p.id,
                                                                 StatusChange.action == "submit"))
    proposal = ProposalRecord(
        p.id, p.code, p.title, p.year, detail.data.scope, detail.data.form, detail.status, detail.content_name,
        content.legal_basis if content else "", detail.sector_name, p.implementing_unit, p.partner_unit,
        _place(s, "", p.commune_code, p.province_code, p.location_as_recorded, p.legacy_ward_code),
        p.start_date, p.end_date, p.necessity, p.objectives, p.scale, p.activities, p.organisation_plan,
        p.effectiveness, tuple(bens), tuple(detail.lines), tuple(detail.targets), detail.total_vnd,
        detail.support_vnd, detail.counterpart_vnd, detail.other_vnd, p.approved_support_vnd, p.approved_on,
        p.approval_number, _local_date(submitted))

    council = transitions.appraisal_council(s, p.id)
    council_record = _council_record(s, council) if council is not None else None

    approval = None
    d = s.scalar(select(Decision).where(Decision.proposal_id == p.id, Decision.kind.in_(_APPROVAL_KINDS))
                 .order_by(Decision.id.desc()).limit(1))
    if d is not None:
        signer = s.scalar(select(User).where(User.full_name == d.signer).limit(1)) if d.signer else None
        approval = DecisionRecord(d.kind, d.number, d.signed_on, d.signer, signer.title if signer else "",
                                  d.amount_vnd, d.note)

    contract = None
    c = s.scalar(select(Contract).where(Contract.proposal_id == p.id))
    if c is not None:
        contract = ContractRecord(c.number, c.signed_on, c.party_a, c.party_b, c.value_vnd, c.start_date, c.end_date)

    ledger = proposal_ledger(s, p.id)
    acceptance = None
    acceptance_council = None
    a = s.scalar(select(Acceptance).where(Acceptance.proposal_id == p.id))
    if a is not None:
        # "Dự toán được duyệt" is the approved budget's line; the verified figures are the ledger's accepted ones.
        by_line = {x.id: x for x in p.lines}
        verified = {x.budget_line_id: x for x in a.lines}
        lines = []
        for money in ledger.lines:
            bl, x = by_line.get(money.line_id or 0), verified.get(money.line_id or 0)
            if bl is None or x is None:
                continue
            budget = money.approved or money.requested
            lines.append(AcceptanceLineRecord(bl.item, bl.unit, Decimal(bl.quantity), budget.total_vnd,
                                              budget.support_vnd, x.verified_support_vnd,
                                              x.verified_counterpart_vnd, x.verified_other_vnd))
        acc_council = s.get(Council, a.council_id) if a.council_id else None
        acceptance_council = _council_record(s, acc_council) if acc_council else None
        signer = s.get(User, a.signed_off_by) if a.signed_off_by else None
        acceptance = AcceptanceRecord(a.held_on, a.place, a.passed, a.conclusion, a.minutes_number, tuple(lines),
                                      _members(s, acc_council) if acc_council else (),
                                      a.signed_off_at is not None,
                                      (signer.full_name or signer.username) if signer else "")

    liquidation = None
    liq = s.scalar(select(Liquidation).where(Liquidation.proposal_id == p.id))
    if liq is not None:
        liquidation = LiquidationRecord(liq.number, liq.signed_on, liq.accepted_value_vnd, liq.paid_vnd,
                                        liq.remaining_vnd, liq.note, ledger.advanced_vnd)
    settlement = None
    st = s.scalar(select(Settlement).where(Settlement.proposal_id == p.id))
    if st is not None:
        settlement = SettlementRecord(st.number, st.settled_on, st.settled_support_vnd, st.returned_vnd, st.note)
    return ProposalFile(proposal, council_record, approval, contract, acceptance, liquidation, ledger,
                        acceptance_council, settlement)


def _filename(kind: DocumentKind, code: str, who: str = "") -> str:
    stem = safe_name(kind.label)
    extra = f"-{safe_name(who)}" if who else ""
    return f"{stem}-{code}{extra}.pdf"


BLANK_KINDS = (DocumentKind.SCORE_SHEET, DocumentKind.ACCEPTANCE)


class DocumentService:
    """Rendering the documents of a proposal (PDF, reportlab) for the GUI and the CLI."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._organisation = OrganisationService(db)

    def _letterhead(self) -> Letterhead:
        # The province's regulation with its number and date, when the centre has set it.
        return Letterhead.of(self._organisation.get(), self._organisation.local_regulation())

    # --- what may be printed -----------------------------------------------------------------------------------

    def available(self, actor: Actor, proposal_id: int) -> list[DocumentOption]:
        """Every document of the proposal, each enabled or with the reason it cannot be printed now.

        Score sheets come one per council member; an appraiser sees only their own.
        """
        require_signed_in(actor, doing="in văn bản của đề án")
        with self._db.reading() as s:
            p = transitions.load_proposal(s, proposal_id)
            council = transitions.appraisal_council(s, p.id)
            members = [(m.id, m.user_id, m.full_name, MemberRole(m.role)) for m in council.members] if council else []
            approval = s.scalar(select(Decision.number).where(Decision.proposal_id == p.id,
                                                              Decision.kind.in_(_APPROVAL_KINDS))
                                .order_by(Decision.id.desc()).limit(1))
            acceptance = s.scalar(select(Acceptance).where(Acceptance.proposal_id == p.id))
            has_acceptance = acceptance is not None
            has_acceptance_council = acceptance is not None and acceptance.council_id is not None
            has_liquidation = s.scalar(select(Liquidation.id).where(Liquidation.proposal_id == p.id)) is not None
            has_contract = s.scalar(select(Contract.id).where(Contract.proposal_id == p.id)) is not None
            has_settlement = s.scalar(select(Settlement.id).where(Settlement.proposal_id == p.id)) is not None
            approved = approval is not None or p.approved_on is not None
            scope, code = Scope(p.scope), p.code
            concluded = council is not None and council.concluded_at is not None

        refusal = self._refusal(actor)
        appraiser = actor.role is Role.APPRAISER
        own_only = "Thành viên hội đồng chỉ in được phiếu thẩm định của mình."
        no_council = "Đề án chưa có hội đồng thẩm định."

        def option(kind: DocumentKind, reason: str = "", member_id: int | None = None, label: str = "",
                   who: str = "", blank: bool = False) -> DocumentOption:
            why = refusal or (own_only if appraiser and kind is not DocumentKind.SCORE_SHEET else "") or reason
            filename = _filename(kind, code, who or ("mau-trong" if blank else ""))
            return DocumentOption(kind, label or kind.label, not why, why, member_id, filename, blank)

        options = [option(DocumentKind.PROPOSAL)]
        options.append(option(DocumentKind.COUNCIL, "" if council else no_council))
        if not members:
            options.append(option(DocumentKind.SCORE_SHEET, no_council))
        for member_id, user_id, full_name, role in members:
            if appraiser and user_id != actor.id:
                continue
            options.append(option(DocumentKind.SCORE_SHEET, member_id=member_id, who=full_name,
                                  label=f"{DocumentKind.SCORE_SHEET.label} – {full_name} ({role.label})"))
        if not appraiser:  # the staff print the blank sheets for the meeting
            options.append(option(DocumentKind.SCORE_SHEET, "" if council else no_council, blank=True,
                                  label=f"{DocumentKind.SCORE_SHEET.label} (mẫu trống để chấm tại cuộc họp)"))
        options.append(option(DocumentKind.APPRAISAL, "" if concluded else (
            "Hội đồng thẩm định chưa kết luận." if council else no_council)))
        if approval and scope is Scope.NATIONAL:
            options.append(option(DocumentKind.DECISION, "Đề án khuyến công quốc gia do Bộ Công Thương quyết định "
                                  f"phê duyệt (quyết định số {approval}); Trung tâm không ban hành "
                                  "văn bản này."))
        else:
            options.append(option(DocumentKind.DECISION, "" if approval is not None else "Đề án chưa được phê duyệt."))
        options.append(option(DocumentKind.CONTRACT, "" if has_contract else "Chưa ký hợp đồng thực hiện đề án."))
        options.append(option(DocumentKind.ACCEPTANCE_COUNCIL, "" if has_acceptance_council else
                              "Chưa ghi nhận hội đồng nghiệm thu của đề án."))
        options.append(option(DocumentKind.ACCEPTANCE, "" if approved else "Đề án chưa được phê duyệt.", blank=True,
                              label=f"{DocumentKind.ACCEPTANCE.label} (mẫu trống để ghi tại buổi nghiệm thu)"))
        options.append(option(DocumentKind.ACCEPTANCE, "" if has_acceptance else "Chưa ghi nhận kết quả nghiệm thu."))
        options.append(option(DocumentKind.LIQUIDATION, "" if has_liquidation else
                              "Chưa lập biên bản thanh lý hợp đồng."))
        options.append(option(DocumentKind.SETTLEMENT, "" if has_settlement else "Đề án chưa được quyết toán."))
        dossier = option(DocumentKind.DOSSIER)
        options.append(DocumentOption(dossier.kind, dossier.label, dossier.enabled, dossier.reason, None,
                                      f"ho-so-de-an-{code}.pdf"))
        return options

    @staticmethod
    def _refusal(actor: Actor) -> str:
        if actor.role in PRINTERS or actor.role is Role.APPRAISER:
            return ""
        return f"Vai trò “{actor.role.label}” không in văn bản của đề án."

    # --- rendering ---------------------------------------------------------------------------------------------

    def render(self, actor: Actor, kind: DocumentKind | str, proposal_id: int, member_id: int | None = None,
               blank: bool = False) -> bytes:
        """One document of the proposal as PDF bytes; ``blank``: the form to fill by hand at the meeting (score
        sheet, acceptance minutes).

        Raises:
            PermissionDenied: the actor's role may not print it (an appraiser: someone else's score sheet).
            WorkflowError: the document is not available yet (the message says why).
            NotFound: no such proposal or council member.
        """
        kind = DocumentKind(kind)
        if kind is DocumentKind.DOSSIER:
            return self.dossier(actor, proposal_id)
        return render_pdf(self._composed(actor, kind, proposal_id, member_id, blank))

    def render_docx(self, actor: Actor, kind: DocumentKind | str, proposal_id: int, member_id: int | None = None,
                    blank: bool = False) -> bytes:
        """The same document as an editable Word file (.docx), for the clerk to adjust the wording before signing.

        Raises:
            as :meth:`render`; ``WorkflowError`` for the dossier (a PDF or a zip only).
        """
        kind = DocumentKind(kind)
        if kind is DocumentKind.DOSSIER:
            raise WorkflowError("Hồ sơ đề án chỉ lưu được dạng PDF hoặc tệp nén .zip; hãy xuất Word từng văn bản.")
        return render_docx(self._composed(actor, kind, proposal_id, member_id, blank))

    def _composed(self, actor: Actor, kind: DocumentKind, proposal_id: int, member_id: int | None,
                  blank: bool) -> Composed:
        if blank and kind not in BLANK_KINDS:
            raise WorkflowError(f"{kind.label} không có mẫu trống; mẫu trống có cho phiếu thẩm định và biên bản "
                                "nghiệm thu.")
        self._check(actor, kind, proposal_id, member_id, blank)
        with self._db.reading() as s:
            file = load_file(s, proposal_id)
        return self._compose(file, kind, member_id, blank)

    def _check(self, actor: Actor, kind: DocumentKind, proposal_id: int, member_id: int | None,
               blank: bool = False) -> None:
        refusal = self._refusal(actor)
        if refusal:
            raise PermissionDenied(refusal)
        if kind is DocumentKind.SCORE_SHEET and member_id is None and not blank:
            raise NotFound("Chưa chọn thành viên hội đồng có phiếu thẩm định cần in.")
        options = self.available(actor, proposal_id)
        match = next((o for o in options if o.kind is kind and o.blank == blank and (
            kind is not DocumentKind.SCORE_SHEET or blank or o.member_id == member_id)), None)
        if match is None:
            if kind is DocumentKind.SCORE_SHEET and actor.role is Role.APPRAISER:
                raise PermissionDenied("Thành viên hội đồng chỉ in được phiếu thẩm định của mình.")
            raise NotFound("Không có thành viên này trong hội đồng thẩm định của đề án.")
        if not match.enabled:
            if actor.role is Role.APPRAISER:
                raise PermissionDenied(match.reason)
            raise WorkflowError(match.reason)

    def _render(self, file: ProposalFile, kind: DocumentKind, member_id: int | None = None) -> bytes:
        return render_pdf(self._compose(file, kind, member_id))

    def _compose(self, file: ProposalFile, kind: DocumentKind, member_id: int | None = None,
                 blank: bool = False) -> Composed:
        head = self._letterhead()
        if kind is DocumentKind.PROPOSAL:
            return proposal_doc.compose(file, head)
        if kind is DocumentKind.COUNCIL:
            return council_decision.compose(file, head)
        if kind is DocumentKind.SCORE_SHEET:
            return score_sheet.compose(file, head, member_id, blank)
        if kind is DocumentKind.APPRAISAL:
            return appraisal_minutes.compose(file, head)
        if kind is DocumentKind.DECISION:
            return decision.compose(file, head)
        if kind is DocumentKind.CONTRACT:
            return contract_doc.compose(file, head)
        if kind is DocumentKind.ACCEPTANCE_COUNCIL:
            return council_decision.compose(file, head, acceptance=True)
        if kind is DocumentKind.ACCEPTANCE:
            return acceptance_minutes.compose_blank(file, head) if blank else acceptance_minutes.compose(file, head)
        if kind is DocumentKind.LIQUIDATION:
            return liquidation_minutes.compose(file, head)
        if kind is DocumentKind.SETTLEMENT:
            return settlement_decision.compose(file, head)
        raise ValueError(kind)

    def dossier(self, actor: Actor, proposal_id: int, as_zip: bool = False,
                progress: Progress | None = None) -> bytes:
        """Every available document of the proposal (each score sheet handed in) and its attachments: one PDF
        (attached PDFs merged, an index page first) or, with ``as_zip``, a zip holding the documents and every
        attachment whatever its type.

        Raises:
            PermissionDenied: appraisers and administrators may not print the dossier.
        """
        if actor.role not in PRINTERS:
            raise PermissionDenied(f"Vai trò “{actor.role.label}” không in hồ sơ đề án; chỉ cán bộ nghiệp vụ và "
                                   "lãnh đạo được in.")
        progress = progress or NO_PROGRESS
        options = [o for o in self.available(actor, proposal_id)
                   if o.enabled and not o.blank and o.kind is not DocumentKind.DOSSIER]
        with self._db.reading() as s:
            file = load_file(s, proposal_id)
            attachments = [(a.filename, a.content_type, a.data) for a in s.scalars(
                select(Attachment).where(Attachment.proposal_id == proposal_id).order_by(Attachment.id))]
        submitted = {m.member_id for m in file.council.members if m.submitted} if file.council else set()
        options = [o for o in options if o.kind is not DocumentKind.SCORE_SHEET or o.member_id in submitted]
        total = len(options) + len(attachments)
        parts: list[Part] = []
        for i, o in enumerate(options):
            progress.check()
            progress.set_progress(i, total, f"Đang lập {o.label.lower()}…")
            parts.append(Part(o.label, f"{i + 1:02d}-{o.filename}", self._render(file, o.kind, o.member_id)))
        for filename, _content_type, data in attachments:
            parts.append(Part(filename, filename, data, is_attachment=True))
        progress.check()
        progress.set_progress(total, total, "Đang gộp hồ sơ…")
        if as_zip:
            return zip_parts(parts)
        return merge(file, self._letterhead(), parts)

    def proposal_id_by_code(self, actor: Actor, code: str) -> int:
        """The id of the proposal with ``code`` (for the command line).

        Raises:
            NotFound: no proposal has this code.
        """
        require_signed_in(actor, doing="tìm đề án")
        with self._db.reading() as s:
            pid = s.scalar(select(Proposal.id).where(Proposal.code == normalize(code).upper()))
        if pid is None:
            raise NotFound(f"Không có đề án mã “{code}”.", field="code")
        return pid

    def member_id(self, actor: Actor, proposal_id: int, who: str) -> int:
        """The council member of the proposal's appraisal council named ``who`` (full name, user name or id).

        Raises:
            NotFound: no such member.
        """
        require_signed_in(actor, doing="tìm thành viên hội đồng")
        with self._db.reading() as s:
            council = transitions.appraisal_council(s, proposal_id)
            if council is None:
                raise NotFound("Đề án chưa có hội đồng thẩm định.")
            wanted = normalize(who).casefold()
            for m in council.members:
                user = s.get(User, m.user_id) if m.user_id else None
                if wanted in (str(m.id), m.full_name.casefold(), (user.username.casefold() if user else "")):
                    return m.id
        raise NotFound(f"Không có thành viên “{who}” trong hội đồng thẩm định của đề án.", field="member")

