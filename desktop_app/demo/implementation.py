"""After approval in the demo data: contracts, advances and payments, progress reports, acceptance,
liquidation and settlement."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from desktop_app.demo import vocab as V
from desktop_app.demo.appraisal import AppraisalGenerator
from desktop_app.demo.text import _lower_first, _ri
from desktop_app.domain.enums import (
    CouncilKind,
    DisbursementKind,
    MemberRole,
    Outcome,
    Status,
)
from desktop_app.domain.money import share_of
from desktop_app.domain.vietnamese import format_vnd


class ImplementationGenerator(AppraisalGenerator):
    """Contract to settlement."""

    # -- implementation ---------------------------------------------------------------------------------------------

    def _implementation(self, rng: random.Random, pid: int, party_b: str, status: Status, when: dict[str, date],
                        approved: int | None, line_rows: list[tuple[int, int, int, int]], total: int,
                        staff_id: int, manager_id: int, docs: dict[str, tuple[str, date | None, str]],
                        start: date, end: date, targets: list[tuple[Outcome, int]],
                        machine_lines: dict[int, int]) -> dict[Outcome, int] | None:
        """Contract, advances, progress, acceptance, payment, liquidation, settlement. Returns the achieved
        figures when an acceptance was recorded.

        The contract is the centre's (Bên A) with ``party_b``, the beneficiary that carries out the work."""
        assert approved is not None
        signed = when["contract"]
        self.buffers["contracts"].append((
            self.next_id("contracts"), pid, docs["contract"][0], self.d(signed), self.ref.org_name, party_b,
            approved, self.d(start), self.d(end), 1))
        limit = share_of(approved, self.ref.advance_percent)
        stop_day = when.get("stop")
        finished = when.get("complete")
        horizon = stop_day or finished or self.today
        advanced = 0
        payments: list[tuple[str, date, int, str]] = []
        first = signed + timedelta(days=_ri(rng, 5, 25))
        if first <= horizon and limit >= 1000 and (stop_day is None or rng.random() < 0.5):
            amount = limit * _ri(rng, 40, 60) // 100 // 1000 * 1000
            if amount > 0:
                payments.append(("advance", first, amount, "Tạm ứng đợt 1"))
                advanced += amount
            second = first + timedelta(days=max(1, (horizon - first).days * 6 // 10))
            if rng.random() < 0.5 and second < horizon and limit - advanced >= 1000:
                amount = (limit - advanced) * _ri(rng, 50, 100) // 100 // 1000 * 1000
                if amount > 0:
                    payments.append(("advance", second, amount, "Tạm ứng đợt 2"))
                    advanced += amount

        # monthly progress reports from the month after signing until completion (or today)
        report_rows = self.buffers["progress_reports"]
        last = finished or stop_day or self.today
        months = (last.year - signed.year) * 12 + last.month - signed.month
        y, m = signed.year, signed.month
        reports = []
        for _ in range(min(months, 12)):
            m += 1
            if m > 12:
                y, m = y + 1, 1
            day = date(y, m, _ri(rng, 18, 24))
            if day > last:
                break
            reports.append(day)
        for k, day in enumerate(reports, start=1):
            pct = min(100, k * 100 // (len(reports) + (0 if finished else 1)))
            report_rows.append((self.next_id("progress_reports"), pid, day.year, day.month, self.d(day), pct,
                                total * pct // 100, "Đơn vị thực hiện báo cáo tiến độ tháng",
                                k < len(reports) or finished is not None, 1))

        achieved: dict[Outcome, int] | None = None
        acceptance_held = None
        if finished and (status is not Status.AWAITING_ACCEPTANCE or rng.random() < 0.4):
            held = (when["accept"] - timedelta(days=_ri(rng, 0, 7))) if "accept" in when else \
                finished + timedelta(days=_ri(rng, 7, 30))
            held = max(held, finished)
            if "accept" in when:  # the minutes are numbered in the year the acceptance is signed off
                held = max(held, date(when["accept"].year, 1, 1))
            if held <= self.today:
                acceptance_held = held
        verified = 0
        if acceptance_held:
            passed = "accept" in when or rng.random() < 0.65  # else why it still awaits acceptance
            cid = self.next_id("councils")
            self.buffers["councils"].append((
                cid, pid, CouncilKind.ACCEPTANCE.value, "", None, self.d(acceptance_held), rng.choice(
                    V.ACCEPTANCE_PLACES), None, None, None, None, None, "", "", 1))
            roles = (MemberRole.CHAIR, MemberRole.MEMBER, MemberRole.SECRETARY)
            for i, role in enumerate(roles[:1] + roles[1:2] * _ri(rng, 1, 2) + roles[2:]):
                parts, _f = self.person(rng)
                title = "Phó Giám đốc Trung tâm Khuyến công" if role is MemberRole.CHAIR else rng.choice(
                    ("Chuyên viên phòng Quản lý công nghiệp", "Kế toán Trung tâm", "Đại diện cơ sở thụ hưởng",
                     "Chuyên gia kỹ thuật"))
                self.buffers["council_members"].append((self.next_id("council_members"), cid, i, None,
                                                        " ".join(parts), title, role.value, False, "", 1))
            aid = self.next_id("acceptances")
            checked = []
            for lid, support, counterpart, other in line_rows:
                v_support = support if rng.random() < 0.6 else support * _ri(rng, 90, 99) // 100 // 1000 * 1000
                v_counter = counterpart if rng.random() < 0.7 else counterpart * _ri(rng, 85, 110) // 100
                checked.append((aid, lid, v_support, v_counter, other))
            if sum(c[2] for c in checked) < advanced:  # never verify less than was already advanced
                checked = [(aid, lid, sup, c[3], c[4]) for c, (lid, sup, _cp, _o) in zip(checked, line_rows,
                                                                                         strict=True)]
            achieved, checked = self._outcomes(rng, passed, targets, machine_lines, checked, advanced)
            number = docs.get("accept", ("", None, ""))[0] or f"{self.number(acceptance_held.year, 'BB-NT'):02d}/BB-NT"
            signed_off = "accept" in when
            self.buffers["acceptances"].append((
                aid, pid, cid, self.d(acceptance_held), "Tại nơi thực hiện đề án", passed,
                acceptance_conclusion(passed, targets, achieved), number,
                manager_id if signed_off else None, self.ts(when["accept"], 900) if signed_off else None, False, "",
                1))
            self.buffers["acceptance_lines"].extend(checked)
            verified = sum(c[2] for c in checked)

        if "accept" in when:
            ceiling = min(approved, verified)
            accept_day = when["accept"]
            settle_day = when.get("settle")
            pay_day: date | None = None
            liq_day: date | None
            if settle_day:
                liq_day = max(accept_day, settle_day - timedelta(days=_ri(rng, 3, 15)))
                pay_day = max(accept_day, liq_day - timedelta(days=_ri(rng, 1, 10)))
            elif rng.random() < 0.5:
                pay_day = accept_day + timedelta(days=_ri(rng, 5, 20))
                pay_day = pay_day if pay_day <= self.today else None
                liq_day = pay_day + timedelta(days=_ri(rng, 2, 10)) if pay_day else None
                liq_day = liq_day if liq_day and liq_day <= self.today and rng.random() < 0.6 else None
            else:
                liq_day = None
            if pay_day and ceiling - advanced > 0:
                payments.append(("payment", pay_day, ceiling - advanced, "Thanh toán sau nghiệm thu"))
            paid = sum(p[2] for p in payments)
            if liq_day:
                accepted_value = ceiling
                self.buffers["liquidations"].append((
                    self.next_id("liquidations"), pid, f"{self.number(liq_day.year, 'BB-TL'):02d}/BB-TL",
                    self.d(liq_day), accepted_value, paid, accepted_value - paid, "", 1))
                if settle_day:
                    self.buffers["settlements"].append((
                        self.next_id("settlements"), pid, docs["settle"][0], self.d(settle_day), accepted_value,
                        max(paid - accepted_value, 0), "Quyết toán theo kết quả nghiệm thu", manager_id, 1))
        rows = self.buffers["disbursements"]
        for kind, day, amount, note in payments:
            rows.append((self.next_id("disbursements"), pid,
                         DisbursementKind.ADVANCE.value if kind == "advance" else DisbursementKind.PAYMENT.value,
                         self.d(day), amount, f"UNC-{day.year}-{self.number(day.year, 'UNC'):05d}", note, staff_id,
                         self.ts(day, 600)))
        return achieved

    def _outcomes(self, rng: random.Random, passed: bool, targets: list[tuple[Outcome, int]],
                  machine_lines: dict[int, int], checked: list[tuple[int, int, int, int, int]],
                  advanced: int) -> tuple[dict[Outcome, int], list[tuple[int, int, int, int, int]]]:
        """The achieved figures of an acceptance and its verified lines.

        A passed acceptance meets its targets, or now and then misses one; a failed one misses one or two. A
        machine not installed is not verified: its share of the line's cost leaves the verified amounts (but a
        passed acceptance never verifies less than was already advanced, so it then misses another target)."""
        achieved: dict[Outcome, int] = {}
        for o, planned in targets:
            value = planned if o is Outcome.MACHINES else planned * _ri(rng, 100, 125) // 100
            if o in (Outcome.PRODUCTION_VALUE, Outcome.AVERAGE_INCOME):
                value = max(planned, value // 100_000 * 100_000)
            achieved[o] = value
        misses = (1 + (rng.random() < 0.4)) if not passed else int(rng.random() < 0.2)
        order = rng.sample(range(len(targets)), len(targets))
        if rng.random() < 0.5:  # machines are the commonest shortfall: they are tried first
            order.sort(key=lambda i: targets[i][0] is not Outcome.MACHINES)
        for i in order:
            if misses <= 0:
                break
            o, planned = targets[i]
            if o is Outcome.MACHINES:
                short = 1 if passed or planned < 2 else max(1, planned * _ri(rng, 20, 50) // 100)
                fewer = _without_machines(checked, machine_lines, short)
                if fewer is None or (passed and sum(c[2] for c in fewer) < advanced):
                    continue
                checked, achieved[o] = fewer, planned - short
            else:
                value = planned * _ri(rng, 50 if not passed else 75, 95) // 100
                if o in (Outcome.PRODUCTION_VALUE, Outcome.AVERAGE_INCOME):
                    value = value // 100_000 * 100_000
                achieved[o] = min(value, planned - 1)
            misses -= 1
        return achieved, checked


def _without_machines(checked: list[tuple[int, int, int, int, int]], machine_lines: dict[int, int],
                      short: int) -> list[tuple[int, int, int, int, int]] | None:
    """The verified lines with ``short`` machines fewer (their share of the machine lines' verified amounts
    taken off); None when the lines hold fewer machines than that."""
    if short <= 0 or sum(machine_lines.values()) < short:
        return None
    result = []
    for aid, lid, support, counterpart, other in checked:
        quantity = machine_lines.get(lid, 0)
        off = min(short, quantity)
        if off:
            short -= off
            keep = quantity - off
            support, counterpart, other = (support * keep // quantity // 1000 * 1000, counterpart * keep // quantity,
                                           other * keep // quantity)
        result.append((aid, lid, support, counterpart, other))
    return result


def acceptance_conclusion(passed: bool, targets: Sequence[tuple[Outcome, int]],
                          achieved: dict[Outcome, int]) -> str:
    """The conclusion of the acceptance minutes, from the outcome figures: a target missed is named with both
    figures, and a proposal that missed one is never said to be done "đúng nội dung, khối lượng"."""
    missed = []
    for o, planned in targets:
        value = achieved.get(o)
        if value is None or value >= planned:
            continue
        if o is Outcome.MACHINES:
            missed.append(f"lắp đặt {format_vnd(value)}/{format_vnd(planned)} {o.unit}")
        else:
            missed.append(f"chưa đạt chỉ tiêu {_lower_first(o.label)} ({format_vnd(value)}/{format_vnd(planned)} "
                          f"{o.unit})")
    if not missed:
        if passed:
            return "Đề án hoàn thành đúng nội dung, khối lượng; các chỉ tiêu đạt kế hoạch. Đạt yêu cầu."
        return "Không đạt: hồ sơ thanh toán, chứng từ chưa đầy đủ theo hợp đồng; đề nghị bổ sung để nghiệm thu lại."
    detail = "; ".join(missed)
    if passed:
        return f"Đạt yêu cầu, nghiệm thu theo khối lượng thực tế: {detail}."
    return f"Không đạt: {detail}. Đơn vị thực hiện hoàn thành khối lượng còn thiếu để nghiệm thu lại."
