"""Drafting proposals: their general fields, budget, beneficiaries and targets; reading one.

:class:`ProposalService` is the one door the GUI and the CLI use; its other parts live beside it: the lists
(:mod:`.proposal_lists`), the workflow steps (:mod:`.proposal_workflow`), attachments (:mod:`.proposal_files`)
and the history (:mod:`.proposal_history`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from desktop_app.domain import workflow
from desktop_app.domain.budget import BudgetLineInput, rule_date, totals, validate_line
from desktop_app.domain.enums import Outcome, ProposalForm, Record, Scope, Status
from desktop_app.domain.errors import NotFound, PermissionDenied, ValidationError
from desktop_app.domain.validators import check_date_range
from desktop_app.domain.vietnamese import fold, normalize, sort_key
from desktop_app.services import audit, transitions
from desktop_app.services.appraisal import require_seat
from desktop_app.services.auth import Actor, require_role, require_signed_in
from desktop_app.services.dto import CapView, ProposalDetail, ProposalInput
from desktop_app.services.numbering import next_number
from desktop_app.services.proposal_files import ProposalAttachments
from desktop_app.services.proposal_history import ProposalHistory
from desktop_app.services.proposal_lists import ProposalLists
from desktop_app.services.proposal_views import READERS, detail_of
from desktop_app.services.proposal_workflow import ProposalWorkflow
from desktop_app.store.database import Database
from desktop_app.store.models import (
    BudgetLine,
    Commune,
    Content,
    Establishment,
    OutcomeTarget,
    Proposal,
    ProposalBeneficiary,
    Province,
    Sector,
    StatusChange,
)

DRAFTERS = workflow.roles_for(Record.EDIT)
_GENERAL = tuple(f for f in ProposalInput.__dataclass_fields__ if f not in ("code",))


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
    percent = data.support_percent
    if percent is not None and (isinstance(percent, bool) or not isinstance(percent, int) or not 0 < percent <= 100):
        errors.append(("support_percent", f"Tỷ lệ hỗ trợ phải là số nguyên từ 1 đến 100 (%), không phải “{percent}”; "
                                          "để trống nếu không chọn tỷ lệ."))
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
    _check_percent(s, data)


def _check_percent(s: Session, data: ProposalInput) -> None:
    """The chosen "Tỷ lệ hỗ trợ" may not be above the percentage of the support rule in force for the proposal's
    content, source of funds, province and date (with no rule in force, any share from 1 to 100 %)."""
    if data.support_percent is None:
        return
    rule = transitions.rule_for(s, data.content_code, data.scope, data.province_code,
                                rule_date(data.start_date, data.year))
    if rule is not None and data.support_percent > rule.max_percent:
        maximum = f"{rule.max_percent.normalize():f}".replace(".", ",")
        raise ValidationError(
            f"Tỷ lệ hỗ trợ {data.support_percent}% vượt mức hỗ trợ tối đa {maximum}% của nội dung này "
            f"({rule.describe()}); chọn tỷ lệ không quá {maximum}% hoặc để “Không chọn”.", field="support_percent")


def proposal_code(s: Session, scope: Scope, year: int) -> str:
    """The next free code of the year's series; a number already used by a code typed by hand is skipped."""
    series = "DA-KCQG" if scope is Scope.NATIONAL else "DA-KCDP"
    while True:
        code = f"{series[3:]}-{year}-{next_number(s, year, series):04d}"
        if s.scalar(select(Proposal.id).where(Proposal.code == code)) is None:
            return code


class ProposalService(ProposalLists, ProposalWorkflow, ProposalAttachments, ProposalHistory):
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

    def require_editor(self, actor: Actor) -> None:
        if workflow.role_refusal(Record.EDIT, actor.role):
            raise PermissionDenied("Chỉ cán bộ nghiệp vụ hoặc lãnh đạo được lập và sửa đề án.")
        require_signed_in(actor, doing="lập và sửa đề án", now=self._db)
