"""Demo appraisal councils: members, score sheets and scores whose average agrees with the conclusion."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from desktop_app.demo import vocab as V
from desktop_app.demo.history import HistoryGenerator
from desktop_app.demo.text import _ri
from desktop_app.domain.enums import (
    CouncilKind,
    MemberRole,
)
from desktop_app.domain.errors import ValidationError


class AppraisalGenerator(HistoryGenerator):
    """Appraisal councils and score sheets."""

    # -- appraisal --------------------------------------------------------------------------------------------------

    def _appraisal(self, rng: random.Random, pid: int, steps: list[tuple[str, date]], when: dict[str, date],
                   docs: dict[str, tuple[str, date | None, str]]) -> None:
        if "open" not in when:
            return
        ref = self.ref
        opened = when["open"]
        concluded = when.get("pass") or when.get("fail")
        passed = "pass" in when
        # the minutes are numbered in the year of the conclusion: the meeting is held in that year too
        meeting = max(opened, concluded - timedelta(days=_ri(rng, 0, 3)), date(concluded.year, 1, 1)) \
            if concluded else opened + timedelta(days=_ri(rng, 7, 25))
        cid = self.next_id("councils")
        users = rng.sample(self._people.appraisers, min(len(self._people.appraisers), rng.choice((3, 3, 4))))
        members: list[tuple[int | None, str, str]] = [(u[0], u[1], u[2]) for u in users]
        for _ in range(rng.choice((0, 0, 1, 2))):
            title, given = rng.choice(V.EXTERNAL_MEMBERS)
            parts, _f = self.person(rng, female=given is V.FEMALE_GIVEN)
            members.append((None, " ".join(parts), title))
        roles = [MemberRole.CHAIR] + [MemberRole.MEMBER] * (len(members) - 2) + [MemberRole.SECRETARY]
        if len(members) >= 4 and rng.random() < 0.3:
            roles[1] = MemberRole.VICE_CHAIR
        conflicted = 1 + int(rng.random() * (len(members) - 2)) if len(members) >= 4 and rng.random() < 0.05 else -1
        member_rows = self.buffers["council_members"]
        sheet_rows = self.buffers["score_sheets"]
        sheet_ids: list[int] = []
        # who hands in a sheet: everybody (concluded) or some of the appraisers (council still working)
        if concluded:
            submit = [i != conflicted for i in range(len(members))]
        else:
            k = _ri(rng, 0, len(members)) if meeting <= self.today else 0
            chosen = set(rng.sample(range(len(members)), k))
            submit = [(i in chosen or members[i][0] is None) and i != conflicted for i in range(len(members))]
        for i, ((uid, full, title), role) in enumerate(zip(members, roles, strict=True)):
            mid = self.next_id("council_members")
            member_rows.append((mid, cid, i, uid, full, title, role.value, i == conflicted,
                                rng.choice(V.CONFLICT_NOTES) if i == conflicted else "", 1))
            sid = self.next_id("score_sheets")
            sheet_ids.append(sid)
            sheet_rows.append((sid, mid, self.ts(meeting, 840 + i * 7) if submit[i] else None,
                               ("Đạt yêu cầu" if passed else "Cần làm rõ thêm") if submit[i] else "", 1))
        counted = [i for i in range(len(members)) if submit[i]]
        sheets = self._points(rng, len(counted), passed if concluded else None)
        score_rows = self.buffers["scores"]
        for i, points in zip(counted, sheets, strict=True):
            for (crit, _m), p in zip(ref.criteria, points, strict=True):
                score_rows.append((sheet_ids[i], crit, p))
        average = None
        if concluded and sheets:
            average = (Decimal(sum(sum(p) for p in sheets)) / len(sheets)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        number, _day, conclusion = docs.get("pass") or docs.get("fail") or ("", None, "")
        self.buffers["councils"].append((
            cid, pid, CouncilKind.APPRAISAL.value, docs["open"][0], self.d(opened), self.d(meeting),
            "Phòng họp Trung tâm Khuyến công", ref.template_id, self.num(ref.pass_mark), self.num(average),
            passed if concluded else None, self.ts(concluded, 960) if concluded else None, conclusion, number, 1))

    def _points(self, rng: random.Random, sheets: int, passed: bool | None) -> list[list[int]]:
        """Points per criterion for each sheet; when ``passed`` is given the average lands on that side."""
        maxima = [m for _, m in self.ref.criteria]
        lo, hi = (0.72, 0.96) if passed else (0.45, 0.68) if passed is False else (0.5, 0.95)
        result = []
        for _ in range(sheets):
            level = lo + (hi - lo) * rng.random()
            result.append([min(m, max(0, round(m * (level + 0.16 * rng.random() - 0.08)))) for m in maxima])
        if passed is None or not result:
            return result
        mark = self.ref.pass_mark

        def average() -> Decimal:
            return (Decimal(sum(sum(p) for p in result)) / len(result)).quantize(Decimal("0.01"), ROUND_HALF_UP)

        guard = 0
        while (average() < mark) if passed else (average() >= mark):
            guard += 1
            sheet = result[guard % len(result)]
            for j in range(len(sheet)):
                if passed and sheet[j] < maxima[j]:
                    sheet[j] += 1
                    break
                if not passed and sheet[j] > 0:
                    sheet[j] -= 1
                    break
            if guard > 10_000:  # cannot happen with a template whose total reaches the pass mark
                raise ValidationError("Không tạo được điểm chấm phù hợp với mẫu tiêu chí.")
        return result
