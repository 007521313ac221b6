"""After approval: contract, advances and payments, monthly progress, acceptance, liquidation, settlement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import workflow
from desktop_app.domain.disbursement import check_disbursement
from desktop_app.domain.enums import Action, CouncilKind, DisbursementKind, MemberRole, Outcome, Record, Scope, Status
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.ledger import Split, VerifiedLine, cap_acceptance
from desktop_app.domain.money import share_of
from desktop_app.domain.vietnamese import format_vnd, normalize
from desktop_app.services import audit, transitions
from desktop_app.services.appraisal import require_seat, validate_members
from desktop_app.services.auth import Actor, require_signed_in
from desktop_app.services.dto import (
    AcceptanceLineInput,
    AcceptanceView,
    ContractView,
    DisbursementView,
    FinanceView,
    LiquidationView,
    MemberInput,
    ProgressView,
    SettlementView,
)
from desktop_app.store.base import utcnow
from desktop_app.store.database import Database
from desktop_app.store.ledger_queries import proposal_ledger
from desktop_app.store.models import (
    Acceptance,
    AcceptanceLine,
    Contract,
    Council,
    CouncilMember,
    Disbursement,
    Liquidation,
    Organisation,
    OutcomeTarget,
    ProgressReport,
    Settlement,
    User,
)
from desktop_app.store.settings import get_setting


def _money(value: object, label: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{label} phải là số nguyên đồng.", field=field)
    if value < 0:
        raise ValidationError(f"{label} không được âm.", field=field)
    return value


def _acceptance_view(s: Session, a: Acceptance) -> AcceptanceView:
    members: list[MemberInput] = []
    if a.council_id:
        council = s.get(Council, a.council_id)
        if council:
            members = [MemberInput(m.full_name, MemberRole(m.role), m.title, m.user_id) for m in council.members]
    signer = s.get(User, a.signed_off_by) if a.signed_off_by else None
    lines = [AcceptanceLineInput(x.budget_line_id, x.verified_support_vnd, x.verified_counterpart_vnd,
                                 x.verified_other_vnd) for x in a.lines]
    return AcceptanceView(a.held_on, a.place, a.passed, a.conclusion, a.minutes_number, lines,
                          sum(x.verified_support_vnd for x in lines), sum(x.verified_counterpart_vnd for x in lines),
                          sum(x.verified_other_vnd for x in lines), a.signed_off_at is not None,
                          (signer.full_name or signer.username) if signer else "", members, a.version,
                          a.needs_review, a.review_note)


def _approved_by_line(s: Session, proposal_id: int) -> dict[int, tuple[str, Split]]:
    """Each budget line's item and approved split (the ledger's approved budget; the request before approval)."""
    lg = proposal_ledger(s, proposal_id)
    out = {}
    for x in lg.lines:
        assert x.line_id is not None
        out[x.line_id] = (x.item, x.approved if x.approved is not None else x.requested)
    return out


def _line_money(lines: Sequence[AcceptanceLine]) -> dict[str, int]:
    """The verified figures of each line, keyed for the audit log (a re-recorded acceptance logs each change)."""
    out: dict[str, int] = {}
    for x in lines:
        out[f"line_{x.budget_line_id}_support_vnd"] = x.verified_support_vnd
        out[f"line_{x.budget_line_id}_counterpart_vnd"] = x.verified_counterpart_vnd
        out[f"line_{x.budget_line_id}_other_vnd"] = x.verified_other_vnd
    return out


class ImplementationService:
    """Contract to settlement. Staff record; managers sign off acceptance and settlement."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def finance(self, actor: Actor, proposal_id: int) -> FinanceView:
        """Everything the Giải ngân screen shows, with the 70 % rule and remaining amounts from the ledger."""
        require_signed_in(actor, doing="xem giải ngân")
        with self._db.reading() as s:
            require_seat(s, actor, proposal_id)  # an appraiser reads only the proposals he sits on a council of
            p = transitions.load_proposal(s, proposal_id)
            percent = Decimal(get_setting(s, "advance_percent", "70"))
            lg = proposal_ledger(s, p.id)
            approved = lg.approved_support_vnd or 0
            limit = share_of(approved, percent)
            c = s.scalar(select(Contract).where(Contract.proposal_id == p.id))
            a = s.scalar(select(Acceptance).where(Acceptance.proposal_id == p.id))
            liq = s.scalar(select(Liquidation).where(Liquidation.proposal_id == p.id))
            st = s.scalar(select(Settlement).where(Settlement.proposal_id == p.id))
            acceptance = _acceptance_view(s, a) if a else None
            return FinanceView(
                p.id, Status(p.status), lg.approved_support_vnd, percent, limit, lg.advanced_vnd, lg.disbursed_vnd,
                lg.remaining_to_disburse_vnd,
                0 if lg.acceptance_signed or lg.stopped else max(limit - lg.advanced_vnd, 0),
                ContractView(c.number, c.signed_on, c.party_a, c.party_b, c.value_vnd, c.start_date, c.end_date)
                if c else None,
                [DisbursementView(d.id, DisbursementKind(d.kind), d.paid_on, d.amount_vnd, d.voucher_number, d.note)
                 for d in s.scalars(select(Disbursement).where(Disbursement.proposal_id == p.id)
                                    .order_by(Disbursement.paid_on, Disbursement.id))],
                [ProgressView(r.id, r.year, r.month, r.reported_on, r.progress_percent, r.spent_vnd, r.note,
                              r.confirmed)
                 for r in s.scalars(select(ProgressReport).where(ProgressReport.proposal_id == p.id)
                                    .order_by(ProgressReport.year, ProgressReport.month))],
                acceptance,
                LiquidationView(liq.number, liq.signed_on, liq.accepted_value_vnd, liq.paid_vnd, liq.remaining_vnd,
                                liq.note) if liq else None,
                SettlementView(st.number, st.settled_on, st.settled_support_vnd, st.returned_vnd, st.note)
                if st else None,
                lg,
            )

    def sign_contract(self, actor: Actor, proposal_id: int, version: int, *, number: str, signed_on: date,
                      value_vnd: int | None = None, party_a: str = "", party_b: str = "",
                      start_date: date | None = None, end_date: date | None = None) -> FinanceView:
        """Record the contract and move the proposal to Đang thực hiện."""
        transitions.allow(actor, Action.SIGN_CONTRACT)
        if not normalize(number):
            raise ValidationError("Chưa nhập số hợp đồng.", field="number")
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            approved = p.approved_support_vnd or 0
            value = approved if value_vnd is None else _money(value_vnd, "Giá trị hợp đồng", "value_vnd")
            if value > approved:
                raise ValidationError(f"Giá trị hợp đồng {format_vnd(value)} đồng vượt kinh phí được duyệt "
                                      f"{format_vnd(approved)} đồng.", field="value_vnd")
            if start_date and end_date and end_date < start_date:
                raise ValidationError("Ngày kết thúc hợp đồng trước ngày bắt đầu.", field="end_date")
            transitions.run(s, actor, p, Action.SIGN_CONTRACT, document_number=number, document_date=signed_on)
            org = s.scalar(select(Organisation).limit(1))
            c = Contract(proposal_id=p.id, number=normalize(number), signed_on=signed_on,
                         party_a=normalize(party_a) or (org.name if org else ""),
                         party_b=normalize(party_b) or p.implementing_unit, value_vnd=value,
                         start_date=start_date or p.start_date, end_date=end_date or p.end_date, version=1)
            s.add(c)
            s.flush()
            audit.record(s, actor, "create", "contract", c.id, None,
                         {"number": c.number, "value_vnd": value, "signed_on": signed_on})
        return self.finance(actor, proposal_id)

    def record_disbursement(self, actor: Actor, proposal_id: int, kind: DisbursementKind, amount_vnd: int,
                            paid_on: date, voucher_number: str = "", note: str = "") -> FinanceView:
        """Record an advance or a payment within the limits.

        Raises:
            ValidationError: the 70 % advance rule or the total would be broken (the message gives what remains).
        """
        transitions.allow(actor, Record.DISBURSE)
        amount = _money(amount_vnd, "Số tiền", "amount_vnd")
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, for_update=True)
            transitions.require(actor, p, Record.DISBURSE)
            lg = proposal_ledger(s, p.id)
            check_disbursement(kind, amount, approved_support_vnd=lg.approved_support_vnd or 0,
                               advanced_vnd=lg.advanced_vnd, paid_vnd=lg.disbursed_vnd,
                               accepted=lg.acceptance_signed,
                               advance_percent=Decimal(get_setting(s, "advance_percent", "70")),
                               verified_support_vnd=lg.accepted_support_vnd if lg.acceptance_signed else None)
            d = Disbursement(proposal_id=p.id, kind=kind.value, paid_on=paid_on, amount_vnd=amount,
                             voucher_number=normalize(voucher_number), note=normalize(note), created_by=actor.id)
            s.add(d)
            s.flush()
            audit.record(s, actor, "create", "disbursement", d.id, None,
                         {"kind": kind.value, "amount_vnd": amount, "paid_on": paid_on, "proposal": p.code})
            audit.record(s, actor, "disburse", "proposal", p.id, {"disbursed_vnd": lg.disbursed_vnd},
                         {"disbursed_vnd": lg.disbursed_vnd + amount})
        return self.finance(actor, proposal_id)

    def add_progress_report(self, actor: Actor, proposal_id: int, *, year: int, month: int, reported_on: date,
                            progress_percent: int, spent_vnd: int = 0, note: str = "",
                            confirmed: bool = False) -> FinanceView:
        """A monthly progress report (one per month)."""
        transitions.allow(actor, Record.PROGRESS)
        if not 1 <= month <= 12:
            raise ValidationError("Tháng phải từ 1 đến 12.", field="month")
        if not 0 <= progress_percent <= 100:
            raise ValidationError("Tiến độ phải từ 0 đến 100%.", field="progress_percent")
        spent = _money(spent_vnd, "Kinh phí đã thực hiện", "spent_vnd")
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id)
            transitions.require(actor, p, Record.PROGRESS)
            if s.scalar(select(ProgressReport.id).where(ProgressReport.proposal_id == p.id,
                                                        ProgressReport.year == year, ProgressReport.month == month)):
                raise ValidationError(f"Đã có báo cáo tiến độ tháng {month}/{year}.", field="month")
            r = ProgressReport(proposal_id=p.id, year=year, month=month, reported_on=reported_on,
                               progress_percent=progress_percent, spent_vnd=spent, note=normalize(note),
                               confirmed=confirmed)
            s.add(r)
            s.flush()
            audit.record(s, actor, "create", "progress_report", r.id, None,
                         {"period": f"{month:02d}/{year}", "progress_percent": progress_percent, "spent_vnd": spent})
        return self.finance(actor, proposal_id)

    def report_completion(self, actor: Actor, proposal_id: int, version: int, note: str = "") -> FinanceView:
        """The implementer reports completion: Đang thực hiện → Chờ nghiệm thu."""
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            transitions.run(s, actor, p, Action.REPORT_COMPLETION, note=note)
        return self.finance(actor, proposal_id)

    def record_acceptance(self, actor: Actor, proposal_id: int, *, held_on: date, place: str, passed: bool,
                          conclusion: str, minutes_number: str, lines: Sequence[AcceptanceLineInput],
                          achieved: Mapping[Outcome, int] | None = None,
                          members: Sequence[MemberInput] = (), excess_to_counterpart: bool = False) -> FinanceView:
        """Record (or re-record, until sign-off) the acceptance council's result, line by line.

        The khuyến công support verified for a line may not pass the line's approved support: such a line is
        refused with both figures, or, with ``excess_to_counterpart``, the excess is recorded as counterpart.
        Every recorded figure, and every change of one when recorded again, goes to the audit log.
        """
        transitions.allow(actor, Record.ACCEPTANCE)
        cleaned = validate_members(members)
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, for_update=True)
            transitions.require(actor, p, Record.ACCEPTANCE)
            approved = _approved_by_line(s, p.id)
            seen = set()
            verified: list[VerifiedLine] = []
            limits: list[Split] = []
            for i, line in enumerate(lines, start=1):
                item = approved.get(line.budget_line_id)
                if item is None:
                    raise ValidationError(f"Dòng nghiệm thu {i}: không thuộc dự toán của đề án.", field="lines")
                if line.budget_line_id in seen:
                    raise ValidationError(f"Dòng nghiệm thu {i}: dòng dự toán bị lặp.", field="lines")
                seen.add(line.budget_line_id)
                for value, label in ((line.verified_support_vnd, "khuyến công"),
                                     (line.verified_counterpart_vnd, "đối ứng"), (line.verified_other_vnd, "khác")):
                    _money(value, f"Dòng {i} ({item[0]}): kinh phí {label} nghiệm thu", "lines")
                verified.append(VerifiedLine(item[0], Split(line.verified_support_vnd, line.verified_counterpart_vnd,
                                                            line.verified_other_vnd)))
                limits.append(item[1])
            capped = cap_acceptance(limits, verified, excess_to_counterpart=excess_to_counterpart)
            a = s.scalar(select(Acceptance).where(Acceptance.proposal_id == p.id))
            transitions.require(actor, p, Record.ACCEPTANCE, workflow.ProposalFacts(
                Scope(p.scope), Status(p.status), acceptance_signed=bool(a and a.signed_off_at is not None)))
            council = None
            if cleaned:
                council = Council(proposal_id=p.id, kind=CouncilKind.ACCEPTANCE.value, meeting_date=held_on,
                                  place=normalize(place), version=1)
                for i, m in enumerate(cleaned):
                    council.members.append(CouncilMember(position=i, user_id=m.user_id, full_name=m.full_name,
                                                         title=m.title, role=m.role.value, conflict=False))
                s.add(council)
                s.flush()
            if a is None:
                a = Acceptance(proposal_id=p.id, version=1, held_on=held_on, passed=passed)
                s.add(a)
            fields = ("held_on", "place", "passed", "conclusion", "minutes_number")
            before = {**audit.snapshot(a, fields), **_line_money(a.lines)} if a.id else {}
            a.held_on, a.place, a.passed = held_on, normalize(place), passed
            a.conclusion, a.minutes_number = normalize(conclusion), normalize(minutes_number)
            a.needs_review, a.review_note = False, ""
            if council is not None:
                a.council_id = council.id
            a.lines.clear()
            s.flush()
            for line, x in zip(lines, capped, strict=True):
                a.lines.append(AcceptanceLine(budget_line_id=line.budget_line_id, verified_support_vnd=x.support_vnd,
                                              verified_counterpart_vnd=x.counterpart_vnd,
                                              verified_other_vnd=x.other_vnd))
            targets = {t.indicator: t for t in p.targets}
            for indicator, value in (achieved or {}).items():
                _money(value, f"Chỉ tiêu “{indicator.label}”", "achieved")
                if indicator.value in targets:
                    targets[indicator.value].achieved_value = value
                else:
                    p.targets.append(OutcomeTarget(indicator=indicator.value, planned_value=0, achieved_value=value))
            s.flush()
            audit.record(s, actor, "record_acceptance", "proposal", p.id, before,
                         {**audit.snapshot(a, fields), **_line_money(a.lines)})
        return self.finance(actor, proposal_id)

    def confirm_acceptance_review(self, actor: Actor, proposal_id: int, note: str = "") -> FinanceView:
        """A manager confirms the figures of an acceptance that the upgrade capped at the approved budget (the
        flag is cleared, the confirmation and its note audited). An acceptance not yet signed off can instead be
        recorded again, which clears the flag too."""
        transitions.allow(actor, Record.REVIEW_ACCEPTANCE)
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, for_update=True)
            a = s.scalar(select(Acceptance).where(Acceptance.proposal_id == p.id))
            transitions.require(actor, p, Record.REVIEW_ACCEPTANCE, workflow.ProposalFacts(
                Scope(p.scope), Status(p.status), acceptance_needs_review=bool(a and a.needs_review)))
            assert a is not None
            before = {"needs_review": True, "review_note": a.review_note}
            a.needs_review = False
            audit.record(s, actor, "confirm_acceptance_review", "proposal", p.id, before,
                         {"needs_review": False, "review_note": normalize(note) or a.review_note})
        return self.finance(actor, proposal_id)

    def sign_off_acceptance(self, actor: Actor, proposal_id: int, version: int, note: str = "") -> FinanceView:
        """A manager signs off the acceptance: Chờ nghiệm thu → Đã nghiệm thu; its figures are frozen."""
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            a = s.scalar(select(Acceptance).where(Acceptance.proposal_id == p.id))
            transitions.run(s, actor, p, Action.ACCEPT, note=note,
                            document_number=a.minutes_number if a else "", document_date=a.held_on if a else None)
            assert a is not None
            a.signed_off_by, a.signed_off_at = actor.id, utcnow()
        return self.finance(actor, proposal_id)

    def record_liquidation(self, actor: Actor, proposal_id: int, *, number: str, signed_on: date,
                           note: str = "") -> FinanceView:
        """The contract liquidation minutes: accepted value, paid, remaining (computed, not typed)."""
        transitions.allow(actor, Record.LIQUIDATE)
        if not normalize(number):
            raise ValidationError("Chưa nhập số biên bản thanh lý.", field="number")
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, for_update=True)
            transitions.require(actor, p, Record.LIQUIDATE)
            lg = proposal_ledger(s, p.id)
            accepted, paid = lg.payable_ceiling_vnd, lg.disbursed_vnd
            liq = s.scalar(select(Liquidation).where(Liquidation.proposal_id == p.id))
            before = audit.snapshot(liq, ("number", "accepted_value_vnd", "paid_vnd", "remaining_vnd")) if liq else {}
            if liq is None:
                liq = Liquidation(proposal_id=p.id, version=1, number="", signed_on=signed_on, accepted_value_vnd=0,
                                  paid_vnd=0, remaining_vnd=0)
                s.add(liq)
            liq.number, liq.signed_on, liq.note = normalize(number), signed_on, normalize(note)
            liq.accepted_value_vnd, liq.paid_vnd, liq.remaining_vnd = accepted, paid, accepted - paid
            s.flush()
            audit.record(s, actor, "liquidate", "proposal", p.id, before,
                         audit.snapshot(liq, ("number", "accepted_value_vnd", "paid_vnd", "remaining_vnd")))
        return self.finance(actor, proposal_id)

    def settle(self, actor: Actor, proposal_id: int, version: int, *, number: str, settled_on: date,
               note: str = "") -> FinanceView:
        """Settlement (quyết toán): Đã nghiệm thu → Đã quyết toán; the settled amount is what acceptance
        verified (capped by approval) and anything paid beyond it is to be returned."""
        if not normalize(number):
            raise ValidationError("Chưa nhập số quyết định quyết toán.", field="number")
        with self._db.transaction() as s:
            p = transitions.load_proposal(s, proposal_id, version, for_update=True)
            transitions.run(s, actor, p, Action.SETTLE, note=note, document_number=number, document_date=settled_on)
            lg = proposal_ledger(s, p.id)
            settled, paid = lg.payable_ceiling_vnd, lg.disbursed_vnd
            st = Settlement(proposal_id=p.id, number=normalize(number), settled_on=settled_on,
                            settled_support_vnd=settled, returned_vnd=max(paid - settled, 0),
                            note=normalize(note), created_by=actor.id, version=1)
            s.add(st)
            s.flush()
            audit.record(s, actor, "settle", "proposal", p.id, None,
                         {"settled_support_vnd": st.settled_support_vnd, "paid_vnd": paid,
                          "returned_vnd": st.returned_vnd})
        return self.finance(actor, proposal_id)
