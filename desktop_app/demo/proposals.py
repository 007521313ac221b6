"""The demo proposals: general fields, budget lines, beneficiaries and targets, then their histories; the
year plans and number series at the end."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, text

from desktop_app.demo import vocab as V
from desktop_app.demo.common import (
    _ACTIVITIES,
    _BEFORE_MINISTRY,
    _FLAGSHIP_SHARE,
    _GROUP_SHARE,
    _NATIONAL_ONLY,
    _OFFICE_OPENS,
    _PROPOSAL_BATCH,
    _REFORM_DAY,
    _People,
    _ProposalPlan,
)
from desktop_app.demo.implementation import ImplementationGenerator
from desktop_app.demo.text import _lower_first, _pick, _ri, _weighted
from desktop_app.demo.writer import _ID_TABLES, _PROPOSAL_TABLES
from desktop_app.domain.budget import select_rule
from desktop_app.domain.enums import (
    Outcome,
    ProposalForm,
    Scope,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.ledger import Split, spread_support
from desktop_app.domain.vietnamese import fold, format_vnd, sort_key
from desktop_app.store.models import (
    DocumentNumber,
    Plan,
    Proposal,
)


class Generator(ImplementationGenerator):
    """Proposals, and what finishes a run."""

    # -- proposals --------------------------------------------------------------------------------------------------

    def proposals(self, plans: list[_ProposalPlan], people: _People) -> None:
        contents = [(c, p.weight) for c, p in V.CONTENT_PLANS.items() if c in self.ref.contents]
        if not contents:
            raise ValidationError("Danh mục nội dung hoạt động khuyến công trống; không tạo được đề án mẫu.")
        self._contents = _weighted(contents)
        self._people = people
        prng = random.Random()
        ticked = 0
        for n, plan in enumerate(plans, start=1):
            prng.seed(plan.seed)
            self._proposal(prng, plan)
            if n % _PROPOSAL_BATCH == 0 or n == len(plans):
                self.flush(_PROPOSAL_TABLES)
                self.tick(n - ticked, f"Đang tạo đề án: {format_vnd(n)}/{format_vnd(len(plans))}")
                ticked = n

    def _proposal(self, rng: random.Random, plan: _ProposalPlan) -> None:
        scope, status = plan.scope, plan.status
        steps = self.chain(rng, scope, status)
        when = dict(steps)
        pid = self.next_id("proposals")
        content = _pick(rng, *self._contents)
        if content in _NATIONAL_ONLY and scope is Scope.LOCAL:
            content = "ND45-4.3.d" if "ND45-4.3.d" in self.ref.contents else content
        cplan = V.CONTENT_PLANS[content]
        staff_id, _staff_name = rng.choice(self._people.staff)
        manager_id, manager_name = rng.choice(self._people.managers)
        # The plan year: the year of the approval (which the decision's title names; one late in a year is for
        # the next year's plan), else a draft for the coming season. A national proposal not yet sent to the
        # ministry is for the plan whose registration (before 20 June of the year before) is still open — but a
        # tenth are late.
        if "approve" in when:
            year = (when["approve"] + timedelta(days=45)).year
        else:
            year = (steps[0][1] + timedelta(days=150)).year
        if scope is Scope.NATIONAL and status in _BEFORE_MINISTRY and rng.random() < 0.9:
            last = steps[-1][1]
            year = last.year + (1 if (last.month, last.day) <= (6, 20) else 2)

        # beneficiaries
        form = ProposalForm.SINGLE
        r = rng.random()
        if cplan.group and r < _GROUP_SHARE:
            form = ProposalForm.GROUP
        elif cplan.kind in ("machine", "model") and r > 1 - _FLAGSHIP_SHARE:
            form = ProposalForm.FLAGSHIP
        first = self.est[int(rng.random() * len(self.est))]
        bens = [first]
        if form is not ProposalForm.SINGLE:
            want = _ri(rng, 2, 6) if form is ProposalForm.GROUP else _ri(rng, 1, 3)
            pool = self.est_by_province.get(first[1], [])
            if len(pool) < want:
                pool = range(len(self.est))  # type: ignore[assignment]
            # before the reform a group was of one (former) province, the one its title names
            old_province = first[7].rpartition(", ")[2] if steps[0][1] < _REFORM_DAY else ""
            for _ in range(want * 4):
                if len(bens) >= want:
                    break
                cand = self.est[pool[int(rng.random() * len(pool))]]
                if all(cand[0] != b[0] for b in bens) and cand[7].endswith(old_province):
                    bens.append(cand)
            if form is ProposalForm.GROUP and len(bens) < 2:
                form = ProposalForm.SINGLE
        _eid, province, commune, sector, bname, product, old_ward, old_place = first
        # a proposal made before the reform keeps its old place (as the importer keeps old records)
        if steps[0][1] >= _REFORM_DAY:
            old_ward, old_place = None, ""
        province_name, province_kind = self.ref.provinces.get(province, ("", ""))
        _c, _p, cname, ckind = self._commune(commune)
        commune_name = f"{ckind.lower()} {cname}" if cname else ""
        if old_place:  # made before the reform: the title names the places of the time
            commune_name, *_rest, old_province = old_place.split(", ")
            province_kind, _sp, province_name = old_province.partition(" ") if old_province.startswith("tỉnh ") \
                else ("thành phố", " ", old_province.removeprefix("thành phố "))
        words = V.SECTOR_WORDS.get(sector, V.FALLBACK_SECTOR)
        if form is ProposalForm.GROUP:  # a group proposal is not named after one of its establishments
            bname = f"{len(bens)} cơ sở công nghiệp nông thôn {province_kind.lower()} {province_name}"
        title = cplan.title.format(product=_lower_first(product), craft=_lower_first(words.craft), name=bname,
                                   commune=commune_name or f"{province_kind.lower()} {province_name}",
                                   province=province_name, year=year)

        # planned period
        if "contract" in when:
            start = when["contract"] + timedelta(days=_ri(rng, 0, 10))
            end = when.get("complete") or start + timedelta(days=_ri(rng, 150, 300))
            end = max(end, start)
        else:
            start = max(date(year, _ri(rng, 2, 6), 1), steps[-1][1] + timedelta(days=15))
            end = start + timedelta(days=_ri(rng, 150, 270))

        # budget
        lines = self._lines(rng, cplan, words, form)
        total = sum(q * p for _, _, q, p in lines)
        rule = select_rule(self.ref.rules, content, scope, province, start, self.ref.contents.get(content))
        lo, hi = cplan.support
        if rule is not None:
            pct = float(rule.max_percent) * (0.7 + 0.3 * rng.random())
            support = min(rule.allowed_support(total), int(total * pct / 100))
        else:
            support = int(total * (lo + (hi - lo) * rng.random()) / 100)
        support = max(1000, support // 1000 * 1000)
        other_total = total * _ri(rng, 5, 15) // 100 if rng.random() < 0.12 and support < total else 0
        line_rows, line_table_rows = self._write_lines(pid, lines, total, support, other_total)
        requested = support

        approved = None
        if "approve" in when:
            reduced = requested * _ri(rng, 80, 95) // 100 // 1_000_000 * 1_000_000
            approved = reduced if reduced > 0 and rng.random() < 0.3 else requested
            self.plan_money[(year, scope)] += approved
            # the approved budget, frozen per line as ProposalService.approve freezes it
            frozen = spread_support([Split(sup, cp, oth) for _lid, sup, cp, oth in line_rows], approved)
            line_rows = [(lid, x.support_vnd, x.counterpart_vnd, x.other_vnd)
                         for (lid, *_rest), x in zip(line_rows, frozen, strict=True)]
            line_table_rows = [(*row, x.support_vnd, x.counterpart_vnd, x.other_vnd)
                               for row, x in zip(line_table_rows, frozen, strict=True)]
        else:
            line_table_rows = [(*row, None, None, None) for row in line_table_rows]
        self.buffers["budget_lines"].extend(line_table_rows)

        self.codes[(year, scope)] += 1
        self.status_count[status] += 1
        self.scope_count[scope] += 1

        # beneficiaries, targets
        for i, b in enumerate(bens):
            self.buffers["proposal_beneficiaries"].append((pid, b[0], i))
        machine_items = {m[0] for m in words.machines}
        machine_lines = {row[0]: q for row, (item, _unit, q, _p) in zip(line_rows, lines, strict=True)
                         if item in machine_items}
        targets = self._targets(rng, cplan, total, sum(machine_lines.values()), len(bens))

        # history, councils, implementation
        docs = self._history(rng, pid, scope, province, steps, staff_id, manager_id, manager_name, approved)
        self._appraisal(rng, pid, steps, when, docs)
        achieved = self._implementation(rng, pid, first[4], status, when, approved, line_rows, total, staff_id,
                                        manager_id, docs, start, end, targets, machine_lines) \
            if "contract" in when else None
        for indicator, planned in targets:
            self.buffers["outcome_targets"].append((pid, indicator.value, planned,
                                                    achieved.get(indicator) if achieved else None))

        partner = ""
        if cplan.kind in V.PARTNER_UNITS and rng.random() < 0.7:
            partner = f"{rng.choice(V.PARTNER_UNITS[cplan.kind])} {rng.choice(V.TRADE_NAMES)}"
        implementing = self.ref.org_name  # the centre carries out the proposals of its own province(s)
        code = f"{'KCQG' if scope is Scope.NATIONAL else 'KCDP'}-{year}-{self._code_number(year, scope):04d}"
        last_at = self.ts(steps[-1][1], _OFFICE_OPENS + 20 * len(steps) + 19)
        self.buffers["proposals"].append((
            pid, code, title, fold(title), sort_key(title), year, scope.value, form.value, content, sector or None,
            implementing,
            partner, province, commune, old_place, old_ward, False, self.d(start), self.d(end), rng.choice(V.NECESSITY),
            rng.choice(V.OBJECTIVES),
            f"{len(bens)} cơ sở thụ hưởng; tổng kinh phí {format_vnd(total)} đồng",
            _ACTIVITIES.get(cplan.kind, _ACTIVITIES["default"]),
            f"{implementing} chủ trì, phối hợp với cơ sở thụ hưởng và các đơn vị liên quan tổ chức thực hiện.",
            rng.choice(V.EFFECTIVENESS), None, status.value, approved,
            self.d(when.get("approve")), docs.get("approve", ("", None, ""))[0], False, staff_id,
            self.ts(steps[0][1], _OFFICE_OPENS + 5), last_at, 1))

    def _commune(self, code: str | None) -> tuple[str, str, str, str]:
        return self._communes.get(code or "", ("", "", "", ""))

    def _code_number(self, year: int, scope: Scope) -> int:
        key = (year, scope)
        if key not in self._code_last:
            # continue after the series and after any code typed by hand in the same format
            series = "DA-KCQG" if scope is Scope.NATIONAL else "DA-KCDP"
            prefix = f"{series[3:]}-{year}-"
            last = int(self.s.scalar(select(DocumentNumber.last_number).where(
                DocumentNumber.year == year, DocumentNumber.series == series)) or 0)
            for code in self.s.scalars(select(Proposal.code).where(Proposal.code.startswith(prefix))):
                tail = code[len(prefix):]
                if tail.isdigit():
                    last = max(last, int(tail))
            self._code_last[key] = last
        self._code_last[key] += 1
        return self._code_last[key]

    def _lines(self, rng: random.Random, cplan: V.ContentPlan, words: V.SectorWords,
               form: ProposalForm) -> list[tuple[str, str, int, int]]:
        """(item, unit, quantity, unit price) of each budget line."""
        result: list[tuple[str, str, int, int]] = []

        def price(lo: int, hi: int) -> int:
            step = 100_000 if lo >= 10_000_000 else 1_000
            return max(step, int(lo + (hi - lo) * rng.random()) // step * step)

        def machines(k: int) -> None:
            for item, unit, lo, hi in rng.sample(words.machines, min(k, len(words.machines))):
                qty = _ri(rng, 2, 10) if hi < 60_000_000 else _ri(rng, 1, 2)
                result.append((item, unit, qty, price(lo, hi)))

        kind = cplan.kind
        if kind == "machine":
            machines(_ri(rng, 1, 3))
            if rng.random() < 0.6:
                result.append(("Lắp đặt, chạy thử, chuyển giao kỹ thuật", "gói", 1, price(5_000_000, 30_000_000)))
        elif kind == "model":
            machines(_ri(rng, 1, 2))
            for item, unit, qlo, qhi, lo, hi in V.BUDGET_ITEMS["model"]:
                result.append((item, unit, _ri(rng, qlo, qhi), price(lo, hi)))
        else:
            items = V.BUDGET_ITEMS[kind]
            chosen = sorted(rng.sample(range(len(items)), _ri(rng, min(2, len(items)), len(items))))
            for i in chosen:
                item, unit, qlo, qhi, lo, hi = items[i]
                result.append((item, unit, _ri(rng, qlo, qhi), price(lo, hi)))
        if form is ProposalForm.FLAGSHIP:
            for item, unit, qlo, qhi, lo, hi in (V.BUDGET_ITEMS["training"][0], V.BUDGET_ITEMS["training"][3],
                                                 V.BUDGET_ITEMS["trademark"][0]):
                result.append((item, unit, _ri(rng, qlo, qhi), price(lo, hi)))
        return result

    def _write_lines(self, pid: int, lines: list[tuple[str, str, int, int]], total: int, support: int,
                     other_total: int) -> tuple[list[tuple[int, int, int, int]], list[tuple[Any, ...]]]:
        """Split ``support`` and ``other_total`` over the lines; each line adds up to quantity × price.

        Returns (line id, support, counterpart, other) of each line and the table rows, which the caller writes
        once the approved budget is known."""
        amounts = [q * p for _, _, q, p in lines]
        sup = [min(a, support * a // total // 1000 * 1000) for a in amounts]
        left = support - sum(sup)
        for i, a in enumerate(amounts):  # what rounding left over goes where there is room
            room = min(a - sup[i], left)
            sup[i] += room
            left -= room
        oth = [min(a - s_, other_total * a // total) for a, s_ in zip(amounts, sup, strict=True)]
        result = []
        rows: list[tuple[Any, ...]] = []
        for i, ((item, unit, q, p), a) in enumerate(zip(lines, amounts, strict=True)):
            lid = self.next_id("budget_lines")
            result.append((lid, sup[i], a - sup[i] - oth[i], oth[i]))
            rows.append((lid, pid, i + 1, item, unit, q, p, sup[i], a - sup[i] - oth[i], oth[i]))
        return result, rows

    def _targets(self, rng: random.Random, cplan: V.ContentPlan, total: int, machines: int,
                 beneficiaries: int) -> list[tuple[Outcome, int]]:
        result = []
        for o in cplan.outcomes:
            if o is Outcome.MACHINES:
                value = max(1, machines)
            elif o is Outcome.PRODUCTION_VALUE:
                value = int(total * (1.5 + 4 * rng.random())) // 1_000_000 * 1_000_000
            elif o is Outcome.JOBS:
                value = _ri(rng, 3, 40) * beneficiaries
            elif o is Outcome.TRAINED:
                value = _ri(rng, 25, 35) * _ri(rng, 1, 3)
            elif o is Outcome.AVERAGE_INCOME:
                value = _ri(rng, 45, 95) * 100_000
            else:
                value = _ri(rng, 1, 3)
            result.append((o, value))
        return result


    # -- finishing --------------------------------------------------------------------------------------------------

    def finish(self) -> None:
        """Plans of the years used, the proposal code series, PostgreSQL sequences."""
        s = self.s
        for (year, scope), _count in sorted(self.codes.items(), key=lambda x: (x[0][0], x[0][1].value)):
            series = "DA-KCQG" if scope is Scope.NATIONAL else "DA-KCDP"
            row = s.get(DocumentNumber, (year, series))
            last = self._code_last.get((year, scope), 0)
            if row is None:
                s.add(DocumentNumber(year=year, series=series, last_number=last))
            else:
                row.last_number = max(row.last_number, last)
            decided = date(year - 1, 12, 20)
            if decided <= self.today and s.scalar(select(Plan.id).where(Plan.year == year,
                                                                        Plan.scope == scope.value)) is None:
                money = self.plan_money.get((year, scope), 0)
                allocated = (money * 115 // 100 // 1_000_000 + 1) * 1_000_000
                symbol = "QĐ-BCT" if scope is Scope.NATIONAL else "QĐ-UBND"  # the ministry's, the province's plan
                s.add(Plan(year=year, scope=scope.value, allocated_vnd=allocated, decision_date=decided,
                           decision_number=f"{self.number(year - 1, symbol):02d}/{symbol}"))
        s.flush()
        if self.sink.dialect == "postgresql":
            for table in _ID_TABLES:
                if self.ids[table]:
                    s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"(SELECT max(id) FROM {table}))"))
