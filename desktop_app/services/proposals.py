"""Drafting proposals, their budget, beneficiaries and targets; searching; the workflow actions that need no
extra record (submit, return, send to the ministry, approve, cancel, stop); attachments and history."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator, Sequence
from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from desktop_app.domain import workflow
from desktop_app.domain.budget import BudgetLineInput, rule_date, totals, validate_line
from desktop_app.domain.enums import Action, DecisionKind, Outcome, ProposalForm, Record, Role, Scope, Status
from desktop_app.domain.errors import NotFound, PermissionDenied, ValidationError
from desktop_app.domain.ledger import Split, approved_lines, spread_support
from desktop_app.domain.validators import check_date_range
from desktop_app.domain.vietnamese import fold, format_date, format_vnd, normalize, sort_key
from desktop_app.services import audit, transitions
from desktop_app.services.appraisal import require_seat, seated_proposal_ids, sheet_problem
from desktop_app.services.auth import Actor, require_role, require_signed_in
from desktop_app.services.dto import (
    ActionOption,
    AttachmentInfo,
    BeneficiaryView,
    BudgetLineView,
    CapView,
    HistoryEntry,
    Page,
    ProposalDetail,
    ProposalFilter,
    ProposalInput,
    ProposalRow,
    TargetView,
)
from desktop_app.services.numbering import next_number
from desktop_app.store import queries
from desktop_app.store.database import Database
from desktop_app.store.models import (
    Attachment,
    AuditEntry,
    BudgetLine,
    Commune,
    Content,
    Decision,
    Establishment,
    OutcomeTarget,
    Proposal,
    ProposalBeneficiary,
    Province,
    ScoreSheet,
    Sector,
    StatusChange,
    User,
)
from desktop_app.store.settings import get_int_setting

DRAFTERS = workflow.roles_for(Record.EDIT)
READERS = (Role.STAFF, Role.MANAGER, Role.ADMIN, Role.APPRAISER)
_GENERAL = tuple(f for f in ProposalInput.__dataclass_fields__ if f not in ("code",))
_FIELD_LABELS = {"title": "Tên đề án", "year": "Năm", "content_code": "Nội dung", "scope": "Nguồn kinh phí",
                 "code": "Mã đề án", "form": "Hình thức", "sector_code": "Ngành nghề",
                 "implementing_unit": "Đơn vị thực hiện", "partner_unit": "Đơn vị phối hợp",
                 "province_code": "Tỉnh, thành phố", "commune_code": "Xã, phường",
                 "location_as_recorded": "Địa điểm (hồ sơ cũ)", "legacy_ward_code": "Xã cũ",
                 "start_date": "Ngày bắt đầu", "end_date": "Ngày kết thúc", "necessity": "Sự cần thiết",
                 "objectives": "Mục tiêu", "scale": "Quy mô", "activities": "Nội dung hoạt động",
                 "organisation_plan": "Phương án tổ chức thực hiện", "effectiveness": "Hiệu quả dự kiến",
                 "support_vnd": "Kinh phí khuyến công", "total_vnd": "Tổng kinh phí",
                 "beneficiaries": "Cơ sở thụ hưởng (mã)", "attachment": "Tệp đính kèm",
                 "approved_support_vnd": "Kinh phí phê duyệt", "held_on": "Ngày nghiệm thu", "place": "Địa điểm",
                 "passed": "Đạt", "conclusion": "Kết luận", "minutes_number": "Số biên bản", "number": "Số văn bản",
                 "accepted_value_vnd": "Giá trị nghiệm thu", "paid_vnd": "Đã chi",
                 "settled_support_vnd": "Kinh phí quyết toán"}
#: audit actions as the history tab shows them (workflow actions have their own labels)
_AUDIT_ACTIONS = {"create": "Lập đề án", "update": "Sửa đề án", "delete": "Xóa đề án", "attach": "Đính kèm tệp",
                  "detach": "Xóa tệp đính kèm", "approve": "Phê duyệt", "record_acceptance": "Ghi kết quả nghiệm thu",
                  "liquidate": "Thanh lý hợp đồng", "settle": "Quyết toán"}


def _creation_text(created: dict[str, str | None], status: str, note: str) -> str:
    """One line for a creation, from what its audit entries recorded: code, scope, year, title → status."""
    extra = f". Ghi chú: {note}" if note and note not in ("Lập đề án", "Tạo đề án") else ""
    if not created:
        return f"Tạo đề án → {status}{extra}"
    scope = _audit_value("scope", created.get("scope")) if created.get("scope") else ""
    year = f"năm {created['year']}" if created.get("year") else ""
    facts = ", ".join(x for x in (scope, year) if x)
    text = f"Tạo đề án {created.get('code') or ''}".rstrip()
    if facts:
        text += f" ({facts})"
    if created.get("title"):
        text += f": {created['title']}"
    return f"{text} → {status}{extra}"


def _audit_value(field: str, value: str | None) -> str:
    """A stored audit value as a user reads it: labels for codes, dd/mm/yyyy, đồng with dots."""
    if value is None or value == "":
        return "(trống)"
    if field == "scope" and value in Scope._value2member_map_:
        return Scope(value).label
    if field == "form" and value in ProposalForm._value2member_map_:
        return ProposalForm(value).label
    if field == "passed" and value in ("0", "1"):
        return "có" if value == "1" else "không"
    if field.endswith("_vnd") and value.lstrip("-").isdigit():
        return format_vnd(int(value))
    if field in ("start_date", "end_date", "held_on") and len(value) == 10:
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def clean_input(data: ProposalInput) -> ProposalInput:
    """Normalise text and check the general fields.

    Raises:
        ValidationError: naming the first field that is wrong, with every problem found in ``problems``.
    """
    text: dict[str, Any] = {k: normalize(v) for k, v in asdict(data).items() if type(v) is str}
    data = replace(data, **text)
    errors: list[tuple[str, str]] = []
    if not data.title:
        errors.append(("title", "Chưa nhập tên đề án."))
    if not isinstance(data.year, int) or not 2000 <= data.year <= 2100:
        errors.append(("year", "Năm kế hoạch phải trong khoảng 2000–2100."))
    if not isinstance(data.scope, Scope):
        errors.append(("scope", "Chưa chọn nguồn kinh phí (KCQG hoặc KCĐP)."))
    if not data.content_code:
        errors.append(("content_code", "Chưa chọn nội dung hoạt động khuyến công."))
    problem = check_date_range(data.start_date, data.end_date)
    if problem:
        errors.append(("end_date", problem.message))
    if errors:
        raise ValidationError(errors[0][1], field=errors[0][0], problems=tuple(errors))
    return data


def _check_refs(s: Session, data: ProposalInput) -> None:
    if s.get(Content, data.content_code) is None:
        raise ValidationError("Nội dung hoạt động không có trong danh mục.", field="content_code")
    if data.sector_code and s.get(Sector, data.sector_code) is None:
        raise ValidationError("Ngành nghề không có trong danh mục.", field="sector_code")
    if data.province_code and s.get(Province, data.province_code) is None:
        raise ValidationError("Tỉnh/thành phố không có trong danh mục.", field="province_code")
    if data.commune_code:
        commune = s.get(Commune, data.commune_code)
        if commune is None or (data.province_code and commune.province_code != data.province_code):
            raise ValidationError("Xã/phường không thuộc tỉnh/thành phố đã chọn.", field="commune_code")


def _line_view(x: BudgetLine) -> BudgetLineView:
    approved = (Split(x.approved_support_vnd, x.approved_counterpart_vnd or 0, x.approved_other_vnd or 0)
                if x.approved_support_vnd is not None else None)
    return BudgetLineView(x.id, x.position, x.item, x.unit, Decimal(x.quantity), x.unit_price_vnd, x.support_vnd,
                          x.counterpart_vnd, x.other_vnd, approved)


def proposal_code(s: Session, scope: Scope, year: int) -> str:
    """The next free code of the year's series; a number already used by a code typed by hand is skipped."""
    series = "DA-KCQG" if scope is Scope.NATIONAL else "DA-KCDP"
    while True:
        code = f"{series[3:]}-{year}-{next_number(s, year, series):04d}"
        if s.scalar(select(Proposal.id).where(Proposal.code == code)) is None:
            return code


def detail_of(s: Session, p: Proposal) -> ProposalDetail:
    """The full view of a proposal, with derived totals and the cap check."""
    lines = transitions.line_inputs(p)
    t = totals(lines)
    cap = transitions.cap_check_for(s, p.content_code, Scope(p.scope), p.province_code, rule_date(p.start_date, p.year),
                                    lines, p.approved_support_vnd)
    content = s.get(Content, p.content_code)
    sector = s.get(Sector, p.sector_code) if p.sector_code else None
    province = s.get(Province, p.province_code) if p.province_code else None
    commune = s.get(Commune, p.commune_code) if p.commune_code else None
    bens = []
    for b in p.beneficiaries:
        e = s.get(Establishment, b.establishment_id)
        if e is None:
            continue
        ep = s.get(Province, e.province_code) if e.province_code else None
        ec = s.get(Commune, e.commune_code) if e.commune_code else None
        address = ", ".join(x for x in (e.street, f"{ec.kind} {ec.name}" if ec else "", ep.name if ep else "") if x)
        bens.append(BeneficiaryView(e.id, e.name, e.tax_code, address or e.address_as_recorded))
    targets = {t.indicator: t for t in p.targets}
    target_views = [TargetView(o.value, o.label, o.unit, targets[o.value].planned_value,
                               targets[o.value].achieved_value) for o in Outcome if o.value in targets]
    values: dict[str, Any] = {f: getattr(p, f) for f in ProposalInput.__dataclass_fields__}
    values["scope"], values["form"] = Scope(p.scope), ProposalForm(p.form)
    return ProposalDetail(
        p.id, ProposalInput(**values), Status(p.status), content.name if content else "",
        sector.name if sector else "", province.name if province else "",
        f"{commune.kind} {commune.name}" if commune else "", [_line_view(x) for x in p.lines], bens, target_views,
        t.total_vnd, t.support_vnd, t.counterpart_vnd, t.other_vnd, p.approved_support_vnd, p.approved_on,
        p.approval_number, CapView(cap.ok, cap.message, cap.allowed_vnd, cap.rule.legal_basis if cap.rule else "",
                                   cap.checked),
        p.version, p.imported)


def row_of(r: Any) -> ProposalRow:
    return ProposalRow(r.id, r.code, r.title, r.year, Scope(r.scope), Status(r.status), r.content_name,
                       r.beneficiary, r.province_name, r.commune_name, r.sector_name, r.start_date, r.end_date,
                       int(r.total), int(r.support), int(r.counterpart), int(r.other), r.approved_support_vnd,
                       int(r.advanced), int(r.paid))


class ProposalService:
    """Use cases on proposals."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- drafting ----------------------------------------------------------------------------------------------

    def preview_cap(self, content_code: str, scope: Scope, province_code: str | None, on: date,
                    lines: Sequence[BudgetLineInput]) -> CapView:
        """The cap check for lines being edited (not yet saved), for the editor's live message."""
        with self._db.reading() as s:
            cap = transitions.cap_check_for(s, content_code, scope, province_code, on, list(lines))
            return CapView(cap.ok, cap.message, cap.allowed_vnd, cap.rule.legal_basis if cap.rule else "",
                           cap.checked)

    def create(self, actor: Actor, data: ProposalInput, lines: Sequence[BudgetLineInput] = (),
               beneficiary_ids: Sequence[int] = (), targets: dict[Outcome, int] | None = None) -> ProposalDetail:
        """Draft a new proposal (status Dự thảo); the code is numbered per scope and year when left empty."""
        require_role(actor, *workflow.roles_for(Record.EDIT), doing="lập đề án")
        data = clean_input(data)
        for i, line in enumerate(lines, start=1):
            validate_line(line, i)
        with self._db.transaction() as s:
            _check_refs(s, data)
            code = data.code.strip().upper() or proposal_code(s, data.scope, data.year)
            if s.scalar(select(Proposal.id).where(Proposal.code == code)):
                raise ValidationError(f"Mã đề án “{code}” đã có.", field="code")
            p = Proposal(code=code, status=Status.DRAFT.value, created_by=actor.id, version=1, imported=False)
            self._apply_general(p, data)
            s.add(p)
            s.flush()
            self._apply_children(s, p, lines, beneficiary_ids, targets or {})
            s.add(StatusChange(proposal_id=p.id, action="create", from_status=None, to_status=Status.DRAFT.value,
                               user_id=actor.id, note="Lập đề án"))
            audit.record(s, actor, "create", "proposal", p.id, None,
                         {"code": code, "title": data.title, "scope": data.scope.value, "year": data.year})
            s.flush()
            return detail_of(s, p)

    @staticmethod
    def _apply_general(p: Proposal, data: ProposalInput) -> None:
        for f in _GENERAL:
            v = getattr(data, f)
            setattr(p, f, v.value if isinstance(v, Scope | ProposalForm) else v)
        p.title_folded = fold(data.title)
        p.title_sort = sort_key(data.title)

    @staticmethod
    def _apply_children(s: Session, p: Proposal, lines: Sequence[BudgetLineInput], beneficiary_ids: Sequence[int],
                        targets: dict[Outcome, int]) -> None:
        if len(set(beneficiary_ids)) != len(beneficiary_ids):
            raise ValidationError("Một cơ sở được chọn hai lần trong danh sách thụ hưởng.", field="beneficiaries")
        for eid in beneficiary_ids:
            e = s.get(Establishment, eid)
            if e is None:
                raise ValidationError(f"Cơ sở mã {eid} không còn tồn tại.", field="beneficiaries")
            if e.archived:
                raise ValidationError(f"Cơ sở “{e.name}” đã lưu trữ, không thể chọn làm cơ sở thụ hưởng.",
                                      field="beneficiaries")
        if p.form == ProposalForm.SINGLE.value and len(beneficiary_ids) > 1:
            raise ValidationError("Đề án đơn lẻ chỉ có một cơ sở thụ hưởng; chọn hình thức “Đề án nhóm”.",
                                  field="beneficiaries")
        p.lines.clear()
        p.beneficiaries.clear()
        p.targets.clear()
        s.flush()
        for i, line in enumerate(lines, start=1):
            p.lines.append(BudgetLine(position=i, item=normalize(line.item), unit=normalize(line.unit),
                                      quantity=Decimal(line.quantity), unit_price_vnd=line.unit_price_vnd,
                                      support_vnd=line.support_vnd, counterpart_vnd=line.counterpart_vnd,
                                      other_vnd=line.other_vnd))
        for i, eid in enumerate(beneficiary_ids):
            p.beneficiaries.append(ProposalBeneficiary(establishment_id=eid, position=i))
        for indicator, value in targets.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValidationError(f"Chỉ tiêu “{indicator.label}” phải là số nguyên không âm.", field="targets")
            p.targets.append(OutcomeTarget(indicator=indicator.value, planned_value=value))

    def save(self, actor: Actor, proposal_id: int, version: int, data: ProposalInput,
             lines: Sequence[BudgetLineInput], beneficiary_ids: Sequence[int],
             targets: dict[Outcome, int] | None = None) -> ProposalDetail:
        """Save every tab of a draft at once, against the version the user read.

        Raises:
            WorkflowError: the proposal is no longer a draft.
            ConflictError: it changed since ``version`` was read.
        """
        transitions.allow(actor, Record.EDIT)
        data = clean_input(data)
        for i, line in enumerate(lines, start=1):
            validate_line(line, i)
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            transitions.require(actor, p, Record.EDIT)
            _check_refs(s, data)
            before = audit.snapshot(p, _GENERAL)
            before_money = totals(transitions.line_inputs(p))
            before_bens = [b.establishment_id for b in p.beneficiaries]
            self._apply_general(p, data)
            self._apply_children(s, p, lines, beneficiary_ids, targets or {})
            after_money = totals(lines)
            audit.record(s, actor, "update", "proposal", p.id,
                         {**before, "support_vnd": before_money.support_vnd, "total_vnd": before_money.total_vnd,
                          "beneficiaries": ",".join(map(str, before_bens))},
                         {**audit.snapshot(p, _GENERAL), "support_vnd": after_money.support_vnd,
                          "total_vnd": after_money.total_vnd,
                          "beneficiaries": ",".join(map(str, beneficiary_ids))})
            flag_modified(p, "title")  # bump the version even when only lines/beneficiaries changed
            s.flush()
            s.refresh(p)
            return detail_of(s, p)

    def delete_draft(self, actor: Actor, proposal_id: int, version: int) -> None:
        """A draft never submitted may be deleted; after submission the exit is cancellation."""
        transitions.allow(actor, Record.DELETE)
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version)
            transitions.require(actor, p, Record.DELETE, workflow.ProposalFacts(
                Scope(p.scope), Status(p.status), ever_submitted=transitions.ever_submitted(s, p.id)))
            audit.record(s, actor, "delete", "proposal", p.id, {"code": p.code, "title": p.title}, None)
            s.delete(p)

    def get(self, actor: Actor, proposal_id: int) -> ProposalDetail:
        require_role(actor, *READERS, doing="xem đề án")
        with self._db.reading() as s:
            require_seat(s, actor, proposal_id)
            return detail_of(s, transitions.load_proposal(s, proposal_id))

    def get_by_code(self, actor: Actor, code: str) -> ProposalDetail:
        require_role(actor, *READERS, doing="xem đề án")
        with self._db.reading() as s:
            pid = s.scalar(select(Proposal.id).where(Proposal.code == code.strip().upper()))
            if pid is None:
                raise NotFound(f"Không có đề án mã “{code}”.", field="code")
            require_seat(s, actor, pid)
            return detail_of(s, transitions.load_proposal(s, pid))

    # --- lists -------------------------------------------------------------------------------------------------

    @staticmethod
    def _query(f: ProposalFilter, actor: Actor) -> Any:
        return queries.proposal_select().where(*ProposalService._conditions(f, actor))

    @staticmethod
    def _conditions(f: ProposalFilter, actor: Actor) -> list[Any]:
        conds = queries.proposal_conditions(
            text=fold(f.text), year=f.year, scope=f.scope.value if f.scope else None,
            status=f.status.value if f.status else None, content_code=f.content_code,
            province_code=f.province_code, establishment_id=f.establishment_id,
            statuses=[x.value for x in f.statuses])
        if actor.role is Role.APPRAISER:  # only the proposals whose council he sits on
            conds.append(Proposal.id.in_(seated_proposal_ids(actor.id)))
        return conds

    def search(self, actor: Actor, f: ProposalFilter, offset: int = 0, limit: int = 200, sort: str = "code",
               descending: bool = False) -> Page[ProposalRow]:
        require_role(actor, *READERS, doing="xem danh sách đề án")
        column = queries.PROPOSAL_SORTS.get(sort, queries.PROPOSAL_SORTS["code"])
        order = [column.desc() if descending else column.asc(), Proposal.id]
        with self._db.reading() as s:
            q = self._query(f, actor)
            rows = [row_of(r) for r in queries.page(s, q, order, offset, limit)]
            total = (queries.proposal_count(s, self._conditions(f, actor)) if offset == 0 or len(rows) == limit
                     else offset + len(rows))
            return Page(rows, total, offset)

    def rows(self, actor: Actor, f: ProposalFilter, offset: int = 0, limit: int = 200, sort: str = "code",
             descending: bool = False) -> list[ProposalRow]:
        """One page without the total: the list shows it at once and asks :meth:`count` separately."""
        require_role(actor, *READERS, doing="xem danh sách đề án")
        column = queries.PROPOSAL_SORTS.get(sort, queries.PROPOSAL_SORTS["code"])
        order = [column.desc() if descending else column.asc(), Proposal.id]
        with self._db.reading() as s:
            return [row_of(r) for r in queries.page(s, self._query(f, actor), order, offset, limit)]

    def count(self, actor: Actor, f: ProposalFilter) -> int:
        """How many proposals match ``f`` (the proposals table alone: no join, no per-proposal sums)."""
        require_role(actor, *READERS, doing="xem danh sách đề án")
        with self._db.reading() as s:
            return queries.proposal_count(s, self._conditions(f, actor))

    def iter_rows(self, actor: Actor, f: ProposalFilter, sort: str = "code",
                  descending: bool = False) -> Iterator[ProposalRow]:
        require_role(actor, *READERS, doing="xuất danh sách đề án")
        column = queries.PROPOSAL_SORTS.get(sort, queries.PROPOSAL_SORTS["code"])
        with self._db.reading() as s:
            order = [column.desc() if descending else column.asc(), Proposal.id]
            for r in queries.stream(s, self._query(f, actor), order):
                yield row_of(r)

    # --- workflow ----------------------------------------------------------------------------------------------

    def allowed_actions(self, actor: Actor, proposal_id: int) -> list[ActionOption]:
        """What ``actor`` may do on the proposal now, from the workflow tables: the status changes the table has
        from the current state, then every record of the records table, each with why not (or None)."""
        require_signed_in(actor, doing="xem thao tác của đề án")
        with self._db.reading() as s:
            p = transitions.load_proposal(s, proposal_id)
            return self._options(s, actor, p)

    def why_not(self, actor: Actor, action: Action | Record, proposal_id: int,
                sheet_id: int | None = None) -> str | None:
        """Why ``actor`` may not take ``action`` on the proposal now (Vietnamese, the words a write would refuse
        with), or None when he may. Reads only. For scoring, ``sheet_id`` names the score sheet asked about
        (else the actor's own sheet in the proposal's appraisal council)."""
        require_signed_in(actor, doing="xem thao tác của đề án")
        with self._db.reading() as s:
            p = transitions.load_proposal(s, proposal_id)
            if action is Record.SCORE:
                return self._score_refusal(s, actor, p, sheet_id)
            for option in self._options(s, actor, p):
                if option.action == action and type(option.action) is type(action):
                    return option.refusal
            assert isinstance(action, Action)
            return (workflow.role_refusal(action, actor.role)
                    or f"Không thể “{action.label}” khi đề án ở trạng thái “{Status(p.status).label}”.")

    @staticmethod
    def _score_refusal(s: Session, actor: Actor, p: Proposal, sheet_id: int | None) -> str | None:
        if sheet_id is None:
            council = transitions.appraisal_council(s, p.id)
            member = next((m for m in council.members if m.user_id == actor.id), None) if council else None
            sheet = s.scalar(select(ScoreSheet.id).where(ScoreSheet.member_id == member.id)) if member else None
            if sheet is None:
                return (workflow.role_refusal(Record.SCORE, actor.role)
                        or workflow.state_refusal(Record.SCORE, Status(p.status))
                        or "Bạn không có phiếu chấm điểm trong hội đồng thẩm định của đề án này.")
            sheet_id = sheet
        problem = sheet_problem(s, actor, sheet_id, editing=True)
        return problem.message if problem is not None else None

    @staticmethod
    def _options(s: Session, actor: Actor, p: Proposal) -> list[ActionOption]:
        f = transitions.facts(s, p)
        options = []
        for action, refusal in workflow.available(actor.role, f).items():
            if action is Action.APPROVE and refusal is not None and f.approved_support_vnd is None:
                # The amount is typed when approving (and checked then): offer the action when approving
                # the support requested would pass, instead of "no approved amount yet".
                refusal = workflow.refusal(action, actor.role, transitions.facts(s, p, f.requested_support_vnd))
            if action is Action.OPEN_COUNCIL and refusal is not None and f.council_member_count == 0:
                # Likewise the members are chosen in the dialog that opens the council (checked on saving).
                refusal = workflow.refusal(action, actor.role, replace(
                    f, council_member_count=3, council_has_chair=True, council_has_secretary=True))
            t = workflow.find(action, f.scope, f.status)
            assert t is not None
            options.append(ActionOption(action, action.label, refusal, t.needs_note, t.needs_document))
        for record, refusal in workflow.records_open(actor.role, f).items():
            options.append(ActionOption(record, record.label, refusal, False, False))
        return options

    def _simple(self, actor: Actor, proposal_id: int, version: int, action: Action, note: str = "",
                document_number: str = "", document_date: date | None = None) -> ProposalDetail:
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            transitions.run(s, actor, p, action, note=note, document_number=document_number,
                            document_date=document_date)
            return detail_of(s, p)

    def submit(self, actor: Actor, proposal_id: int, version: int, note: str = "") -> ProposalDetail:
        return self._simple(actor, proposal_id, version, Action.SUBMIT, note)

    def return_for_correction(self, actor: Actor, proposal_id: int, version: int, reason: str) -> ProposalDetail:
        return self._simple(actor, proposal_id, version, Action.RETURN, reason)

    def cancel(self, actor: Actor, proposal_id: int, version: int, reason: str) -> ProposalDetail:
        return self._simple(actor, proposal_id, version, Action.CANCEL, reason)

    def withdraw(self, actor: Actor, proposal_id: int, version: int, reason: str) -> ProposalDetail:
        """Take a submitted proposal back to Dự thảo, with the reason, before its council is opened."""
        return self._simple(actor, proposal_id, version, Action.WITHDRAW, reason)

    def send_to_ministry(self, actor: Actor, proposal_id: int, version: int, document_number: str,
                         document_date: date, note: str = "") -> ProposalDetail:
        return self._simple(actor, proposal_id, version, Action.SEND_TO_MINISTRY, note, document_number,
                            document_date)

    def stop(self, actor: Actor, proposal_id: int, version: int, reason: str, decision_number: str,
             decision_date: date) -> ProposalDetail:
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            transitions.run(s, actor, p, Action.STOP, note=reason, document_number=decision_number,
                            document_date=decision_date)
            s.add(Decision(proposal_id=p.id, kind=DecisionKind.STOP.value, number=normalize(decision_number),
                           signed_on=decision_date, signer=actor.display_name, note=normalize(reason)))
            return detail_of(s, p)

    def approve(self, actor: Actor, proposal_id: int, version: int, approved_support_vnd: int,
                decision_number: str, decision_date: date, signer: str = "", note: str = "",
                line_support_vnd: Sequence[int] | None = None) -> ProposalDetail:
        """Approve with the decision and the approved support, and freeze the approved budget.

        The approved support is spread over the lines proportionally (the remainder on the largest line) unless
        the manager set each line's support in ``line_support_vnd``; what a line's support loses becomes
        counterpart. That budget is what every later document calls "Dự toán được duyệt".

        Raises:
            ValidationError: the amount is not whole đồng, or a line's support is above its request or the lines
                do not add up to the approved support.
            WorkflowError: the amount exceeds the request or the cap, or the appraisal has not passed.
        """
        if isinstance(approved_support_vnd, bool) or not isinstance(approved_support_vnd, int):
            raise ValidationError("Kinh phí phê duyệt phải là số nguyên đồng.", field="approved_support_vnd")
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            transitions.run(s, actor, p, Action.APPROVE, note=note, document_number=decision_number,
                            document_date=decision_date, approved_support_vnd=approved_support_vnd)
            requested = [Split(x.support_vnd, x.counterpart_vnd, x.other_vnd) for x in p.lines]
            if line_support_vnd is None:
                frozen = spread_support(requested, approved_support_vnd)
            else:
                frozen = approved_lines(requested, list(line_support_vnd))
                if sum(x.support_vnd for x in frozen) != approved_support_vnd:
                    raise ValidationError(
                        f"Tổng kinh phí khuyến công phê duyệt theo dòng "
                        f"{format_vnd(sum(x.support_vnd for x in frozen))} đồng khác kinh phí phê duyệt "
                        f"{format_vnd(approved_support_vnd)} đồng.", field="lines")
            for line, x in zip(p.lines, frozen, strict=True):
                line.approved_support_vnd = x.support_vnd
                line.approved_counterpart_vnd = x.counterpart_vnd
                line.approved_other_vnd = x.other_vnd
            audit.record(s, actor, "approve", "proposal", p.id,
                         {"approved_support_vnd": p.approved_support_vnd},
                         {"approved_support_vnd": approved_support_vnd,
                          "approved_lines": "; ".join(f"{i}: {format_vnd(x.support_vnd)}"
                                                      for i, x in enumerate(frozen, start=1))})
            p.approved_support_vnd = approved_support_vnd
            p.approved_on = decision_date
            p.approval_number = normalize(decision_number)
            kind = DecisionKind.MINISTRY if p.scope == Scope.NATIONAL.value else DecisionKind.APPROVAL
            s.add(Decision(proposal_id=p.id, kind=kind.value, number=normalize(decision_number),
                           signed_on=decision_date, signer=normalize(signer) or actor.display_name,
                           amount_vnd=approved_support_vnd, note=normalize(note)))
            s.flush()
            return detail_of(s, p)

    # --- attachments -------------------------------------------------------------------------------------------

    def attachments(self, actor: Actor, proposal_id: int) -> list[AttachmentInfo]:
        require_role(actor, *READERS, doing="xem tệp đính kèm")
        with self._db.reading() as s:
            require_seat(s, actor, proposal_id)
            rows = s.execute(select(Attachment.id, Attachment.filename, Attachment.content_type,
                                    Attachment.size_bytes, Attachment.uploaded_at, User.username)
                             .outerjoin(User, User.id == Attachment.uploaded_by)
                             .where(Attachment.proposal_id == proposal_id).order_by(Attachment.id))
            return [AttachmentInfo(r[0], r[1], r[2], r[3], r[4], r[5] or "") for r in rows]

    def add_attachment(self, actor: Actor, proposal_id: int, filename: str, data: bytes) -> AttachmentInfo:
        """Attach a file while the proposal is a draft; the size limit is a setting.

        Raises:
            ValidationError: empty, too large, or not a draft.
        """
        transitions.allow(actor, Record.ATTACH)
        name = normalize(filename).replace("/", "_").replace("\\", "_")
        if not name:
            raise ValidationError("Tệp đính kèm cần có tên.", field="filename")
        if not data:
            raise ValidationError(f"Tệp “{name}” rỗng.", field="filename")
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id)
            transitions.require(actor, p, Record.ATTACH)
            limit = get_int_setting(s, "attachment_max_bytes", 20 * 1024 * 1024)
            if len(data) > limit:
                raise ValidationError(
                    f"Tệp “{name}” có dung lượng {format_vnd(len(data) // 1024)} KB, vượt giới hạn "
                    f"{format_vnd(limit // 1024)} KB.", field="filename")
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            a = Attachment(proposal_id=p.id, filename=name, content_type=kind, size_bytes=len(data), data=data,
                           uploaded_by=actor.id)
            s.add(a)
            s.flush()
            audit.record(s, actor, "attach", "proposal", p.id, None, {"attachment": f"{name} ({len(data)} byte)"})
            return AttachmentInfo(a.id, a.filename, a.content_type, a.size_bytes, a.uploaded_at, actor.username)

    def attachment_data(self, actor: Actor, attachment_id: int) -> tuple[str, bytes]:
        require_role(actor, *READERS, doing="mở tệp đính kèm")
        with self._db.reading() as s:
            a = s.get(Attachment, attachment_id)
            if a is None:
                raise NotFound("Tệp đính kèm không còn tồn tại.")
            require_seat(s, actor, a.proposal_id)
            return a.filename, a.data

    def remove_attachment(self, actor: Actor, attachment_id: int) -> None:
        transitions.allow(actor, Record.DETACH)
        with self._db.transaction() as s:
            a = s.get(Attachment, attachment_id)
            if a is None:
                raise NotFound("Tệp đính kèm không còn tồn tại.")
            p = transitions.load_proposal(s, a.proposal_id)
            transitions.require(actor, p, Record.DETACH)
            audit.record(s, actor, "detach", "proposal", p.id, {"attachment": a.filename}, None)
            s.delete(a)

    # --- history -----------------------------------------------------------------------------------------------

    def history(self, actor: Actor, proposal_id: int) -> list[HistoryEntry]:
        """Status changes and audit entries of the proposal, oldest first, each with the full name of who did it.

        The creation is one row ("Tạo đề án …"), not one per field the creation wrote.
        """
        require_role(actor, *READERS, doing="xem lịch sử đề án")
        entries: list[HistoryEntry] = []
        with self._db.reading() as s:
            require_seat(s, actor, proposal_id)
            created = {a.field: a.new_value for a in s.scalars(select(AuditEntry).where(
                AuditEntry.entity == "proposal", AuditEntry.entity_id == proposal_id, AuditEntry.action == "create"))}
            for c, username, full_name in s.execute(select(StatusChange, User.username, User.full_name)
                                                    .outerjoin(User, User.id == StatusChange.user_id)
                                                    .where(StatusChange.proposal_id == proposal_id)):
                to = Status(c.to_status).label
                if c.action in Action._value2member_map_:
                    text = f"{Action(c.action).label} → {to}"
                    if c.note:
                        text += f". Ghi chú: {c.note}"
                else:  # the creation (or an import): one row saying what was made
                    text = _creation_text(created, to, c.note)
                entries.append(HistoryEntry(c.at, full_name or username or "", "status", text, c.document_number,
                                            c.document_date))
            for a, username, full_name in s.execute(
                    select(AuditEntry, User.username, User.full_name).outerjoin(User, User.id == AuditEntry.user_id)
                    .where(AuditEntry.entity == "proposal", AuditEntry.entity_id == proposal_id,
                           AuditEntry.field != "status", AuditEntry.action != "create")):
                label = _FIELD_LABELS.get(a.field, a.field)
                action = _AUDIT_ACTIONS.get(a.action) or (Action(a.action).label if a.action in
                                                          Action._value2member_map_ else a.action)
                text = (f"{action}: {label}: {_audit_value(a.field, a.old_value)} → "
                        f"{_audit_value(a.field, a.new_value)}") if a.field else action
                entries.append(HistoryEntry(a.at, full_name or username or a.username, "audit", text))
        return sorted(entries, key=lambda e: e.at)

    def require_editor(self, actor: Actor) -> None:
        if workflow.role_refusal(Record.EDIT, actor.role):
            raise PermissionDenied("Chỉ cán bộ nghiệp vụ hoặc lãnh đạo được lập và sửa đề án.")
        require_signed_in(actor, doing="lập và sửa đề án", now=self._db)
