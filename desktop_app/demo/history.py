"""The workflow histories of the demo proposals, step by step as the workflow table allows them, with their
documents."""

from __future__ import annotations

import random
from datetime import date, timedelta

from desktop_app.demo import vocab as V
from desktop_app.demo.common import (
    _AGE,
    _FIRST_YEAR,
    _GAP,
    _OFFICE_OPENS,
    _STATUS_WEIGHTS,
    _STEP_ACTIONS,
    _ProposalPlan,
)
from desktop_app.demo.establishments import EstablishmentGenerator
from desktop_app.demo.text import _pick, _ri, _weighted
from desktop_app.domain import workflow
from desktop_app.domain.enums import Action, DecisionKind, Role, Scope, Status


class HistoryGenerator(EstablishmentGenerator):
    """The plan of the proposals and each one's status changes."""

    # -- proposals: the plan ----------------------------------------------------------------------------------------

    def plan_proposals(self, count: int) -> list[_ProposalPlan]:
        """Scope, status and creation date of every proposal, sorted by creation (codes and ids follow it).

        The first ones cover every state of both scopes, national first, so even a small run has them all.
        """
        rng = self.rng
        cover = [(Scope.NATIONAL, st) for st in Status] + [(Scope.LOCAL, st) for st in Status
                                                           if st is not Status.SENT_TO_MINISTRY]
        statuses, weights = _weighted(_STATUS_WEIGHTS)
        plans = []
        for i in range(count):
            if i < len(cover):
                scope, status = cover[i]
            else:
                status = _pick(rng, statuses, weights)
                scope = Scope.NATIONAL if status is Status.SENT_TO_MINISTRY or rng.random() < 0.35 else Scope.LOCAL
            pseed = rng.getrandbits(63)
            steps = self.chain(random.Random(pseed), scope, status)
            plans.append(_ProposalPlan(steps[0][1], i, pseed, scope, status))
        plans.sort(key=lambda p: (p.created, p.order))
        return plans

    def chain(self, rng: random.Random, scope: Scope, status: Status) -> list[tuple[str, date]]:
        """The workflow steps that lead to ``status``, with their dates, the last one at most ``today``."""
        national = scope is Scope.NATIONAL
        returned = rng.random() < 0.07
        pre = ["create", "submit"] + (["return", "resubmit"] if returned else [])
        appraised = [*pre, "open", "pass"] + (["send"] if national else [])
        approved = [*appraised, "approve"]
        names: list[str]
        if status is Status.DRAFT:
            names = ["create", "submit", "return"] if rng.random() < 0.15 else ["create"]
        elif status is Status.SUBMITTED:
            names = pre
        elif status is Status.CANCELLED:
            names = ["create", "cancel"] if rng.random() < 0.5 else [*pre, "cancel"]
        elif status is Status.APPRAISING:
            names = [*pre, "open"]
        elif status is Status.REJECTED:
            names = [*pre, "open", "fail"]
        elif status is Status.APPRAISED:
            names = [*pre, "open", "pass"]
        elif status is Status.SENT_TO_MINISTRY:
            names = appraised
        elif status is Status.APPROVED:
            names = approved
        elif status is Status.STOPPED:
            names = [*approved, *(["contract"] if rng.random() < 0.5 else []), "stop"]
        elif status is Status.IN_PROGRESS:
            names = [*approved, "contract"]
        elif status is Status.AWAITING_ACCEPTANCE:
            names = [*approved, "contract", "complete"]
        elif status is Status.ACCEPTED:
            names = [*approved, "contract", "complete", "accept"]
        else:
            names = [*approved, "contract", "complete", "accept", "settle"]
        offsets = [0]
        for name in names[1:]:
            lo, hi = _GAP["approve_national" if name == "approve" and national else name]
            offsets.append(offsets[-1] + _ri(rng, lo, hi))
        lo, hi = _AGE[status]
        # the first step no earlier than November before the first demo year: a month to approval at the soonest,
        # and one late in a year is for the next year's plan, so plans start in the first demo year
        earliest = date(_FIRST_YEAR - 1, 11, 1) + timedelta(days=offsets[-1])
        hi = max(lo, min(hi, (self.today - earliest).days))
        end = self.today - timedelta(days=_ri(rng, lo, hi))
        start = end - timedelta(days=offsets[-1])
        return [(name, start + timedelta(days=o)) for name, o in zip(names, offsets, strict=True)]


    # -- history ----------------------------------------------------------------------------------------------------

    def _history(self, rng: random.Random, pid: int, scope: Scope, province: str, steps: list[tuple[str, date]],
                 staff_id: int, manager_id: int, manager_name: str,
                 approved: int | None) -> dict[str, tuple[str, date | None, str]]:
        """Status changes and decisions; returns the document (number, date) of each step that has one.

        Each number carries the symbol of the body that issues the document (ND 30/2020 Phụ lục I): the centre's
        own decisions "QĐ-<centre>", the Sở's "QĐ-SCT" signed for the Sở by its director or a deputy, the
        ministry's "QĐ-BCT" by a deputy minister."""
        abbr = self.ref.abbreviation
        centre_decision = f"QĐ-{abbr}"
        docs: dict[str, tuple[str, date | None, str]] = {}
        rows = self.buffers["status_changes"]
        national = scope is Scope.NATIONAL
        approver, approver_body = ("QĐ-BCT", "BCT") if national else ("QĐ-SCT", f"SCT-{province}")
        status: Status | None = None
        for i, (name, day) in enumerate(steps):
            src = status
            action, dst, who = step(name, scope, src)
            status = dst
            y = day.year
            note, number = "", ""
            if name == "create":
                note = "Lập đề án"
            elif name in ("submit", "resubmit"):
                note = "Nộp hồ sơ đề án" if name == "submit" else "Nộp lại hồ sơ đã chỉnh sửa"
            elif name == "return":
                note = rng.choice(V.RETURN_REASONS)
            elif name == "open":  # the centre sets up the council: a decision of the centre, signed there
                number = f"{self.number(y, centre_decision):02d}/{centre_decision}"
                self.buffers["decisions"].append((self.next_id("decisions"), pid, DecisionKind.COUNCIL.value, number,
                                                  self.d(day), manager_name, None, "Thành lập Hội đồng thẩm định"))
            elif name in ("pass", "fail"):
                number = f"{self.number(y, 'BB-HĐTĐ'):02d}/BB-HĐTĐ"
                note = rng.choice(V.PASS_CONCLUSIONS if name == "pass" else V.FAIL_CONCLUSIONS)
            elif name == "send":  # the Sở's letter to the ministry
                number = f"{self.number(y, 'SCT-QLCN'):02d}/SCT-QLCN"
                note = "Gửi hồ sơ đề án đề nghị Bộ Công Thương phê duyệt"
            elif name == "approve":  # the ministry approves national proposals, the Sở local ones
                kind = DecisionKind.MINISTRY if national else DecisionKind.APPROVAL
                number = f"{self.number(y, approver):02d}/{approver}"
                self.buffers["decisions"].append((self.next_id("decisions"), pid, kind.value, number, self.d(day),
                                                  self.signer(rng, approver_body), approved, ""))
            elif name == "contract":
                number = f"{self.number(y, 'HĐ-KC'):02d}/{y}/HĐ-KC"
            elif name == "complete":
                note = "Đơn vị thực hiện báo cáo hoàn thành, đề nghị nghiệm thu"
            elif name == "accept":
                number = f"{self.number(y, 'BB-NT'):02d}/BB-NT"
            elif name == "settle":
                number = f"{self.number(y, f'QT-{abbr}'):02d}/QT-{abbr}"
            elif name == "cancel":
                note = rng.choice(V.CANCEL_REASONS)
            elif name == "stop":  # stopped by the body that approved it
                number = f"{self.number(y, approver):02d}/{approver}"
                note = rng.choice(V.STOP_REASONS)
                self.buffers["decisions"].append((self.next_id("decisions"), pid, DecisionKind.STOP.value, number,
                                                  self.d(day), self.signer(rng, approver_body), None, note))
            docs[name] = (number, day if number else None, note)
            rows.append((self.next_id("status_changes"), pid, action, src.value if src else None, dst.value,
                         manager_id if who == "manager" else staff_id,
                         self.ts(day, _OFFICE_OPENS + 20 * i + _ri(rng, 0, 15)), note, number,
                         self.d(day) if number else None))
        return docs


# (action, scope, from status) → the row of the workflow table that takes it
_TABLE: dict[tuple[Action, Scope, Status], workflow.Transition] = {
    (t.action, scope, source): t for t in workflow.TRANSITIONS for scope in t.scopes for source in t.sources}


def step(name: str, scope: Scope, status: Status | None) -> tuple[str, Status, str]:
    """(action value, the status it leads to, "staff" or "manager") of the history step ``name`` taken from
    ``status``, as the workflow table has it; staff take every step the table lets them.

    Raises:
        ValueError: the table has no such step from ``status`` (a history the program could not have made).
    """
    action = _STEP_ACTIONS[name]
    if action is None:
        if status is not None:
            raise ValueError(f"demo history: “{name}” after {status}")
        return "create", Status.DRAFT, "staff"
    t = _TABLE.get((action, scope, status)) if status is not None else None
    if t is None:
        raise ValueError(f"demo history: the workflow table has no “{action.value}” from {status} ({scope})")
    return action.value, t.target, "staff" if Role.STAFF in t.roles else "manager"
