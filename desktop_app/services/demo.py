"""Demo data: fills a database with realistic Vietnamese establishments and proposals, fast.

The generator writes straight into the tables (SQLAlchemy Core on the session's connection: ``executemany`` on
SQLite, ``COPY`` on PostgreSQL) inside ONE transaction, instead of calling the per-record services, so 100,000
establishments and 50,000 proposals take well under two minutes. A cancelled or failed run rolls back whole.

Because it bypasses the services, it builds every record the way the services would, so the rest of the program
works on the result:

* one centre's data: establishments and proposals of the province(s) it serves (the ``centre_provinces`` setting,
  else the letterhead's province); the centre implements its proposals and signs each contract with the
  beneficiary (Bên B);
* establishments of every legal form across the communes of those provinces, with ``name_folded`` /
  ``name_sort`` exactly as :func:`fold` / :func:`sort_key` give them (composed from cached parts: 100,000 names
  would otherwise cost seconds), valid tax codes (mod-11 check digit; 12-digit personal ids for households),
  phones, e-mails, sectors; what was registered before 1 July 2025 keeps its old (63-province) address and ward,
  mapped to the new commune (a few not matched yet), and so do the places of proposals made before then;
* histories from 2018 on, with documents numbered as the issuing bodies number them: one series per symbol and
  year (the centre's "QĐ-TTKC", the Sở's "QĐ-SCT" signed for the Sở, the ministry's "QĐ-BCT", "BB-NT", …);
* proposals of both scopes in every state of the workflow, each with the history the workflow table would have
  produced (``status_changes`` with users, dates and document numbers), budget lines whose split adds up and whose
  support respects the support rule of the content, beneficiaries (several for group proposals), outcome targets,
  appraisal councils with members, score sheets and scores whose average agrees with the conclusion, decisions,
  contracts, advances within the advance share before acceptance, payments never above the approved (and verified)
  support, monthly progress reports, acceptance with its lines and council (its conclusion naming any target
  missed; a machine not installed is not verified), liquidation and settlement;
* proposal codes ``KCQG-2026-0001`` / ``KCDP-2026-0001`` numbered per scope and year in creation order, with the
  ``document_numbers`` series (``DA-KCQG`` / ``DA-KCDP``) moved on so new proposals do not collide;
* the year plans (kế hoạch) of the years used, the letterhead when none is set, and — only when the database has
  none — the users the workflow needs: ``demo_canbo`` (staff), ``demo_lanhdao`` (manager) and ``demo_thamdinh1..3``
  (appraisers), whose password is :data:`DEMO_PASSWORD`.

Who may run it: an administrator or a manager (it is a set-up and training tool that writes in everybody's name).
By default it refuses a database that already holds establishments or proposals; ``append=True`` adds to them.
The same seed (and the same ``today``) gives the same data. One audit entry records the run.
"""

from __future__ import annotations

import random
import re
import time
from bisect import bisect
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from desktop_app.domain.budget import SupportRule, select_rule
from desktop_app.domain.enums import (
    Action,
    CouncilKind,
    DecisionKind,
    DisbursementKind,
    LegalForm,
    MemberRole,
    Outcome,
    ProposalForm,
    Role,
    Scope,
    Status,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.ledger import Split, spread_support
from desktop_app.domain.money import share_of
from desktop_app.domain.validators import MOBILE_PREFIXES
from desktop_app.domain.vietnamese import fold, format_vnd, sort_key
from desktop_app.services import audit
from desktop_app.services import demo_vocab as V
from desktop_app.services.auth import Actor, hash_password, require_role
from desktop_app.services.dto import DemoResult
from desktop_app.services.progress import NO_PROGRESS, Progress
from desktop_app.services.reference import rule_data
from desktop_app.store.database import Database
from desktop_app.store.models import (
    Acceptance,
    Commune,
    Content,
    Contract,
    Council,
    CriteriaTemplate,
    Decision,
    Disbursement,
    DocumentNumber,
    Establishment,
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Liquidation,
    Organisation,
    Plan,
    Proposal,
    Province,
    Sector,
    Settlement,
    StatusChange,
    User,
    WardMapping,
)
from desktop_app.store.models import SupportRule as SupportRuleRow
from desktop_app.store.settings import get_setting

#: Password of the demo users the generator creates when the database has no user of a needed role.
DEMO_PASSWORD = "demo12345"
MAX_ESTABLISHMENTS = 1_000_000
MAX_PROPOSALS = 500_000
RUNNERS = (Role.ADMIN, Role.MANAGER)
#: The app setting naming the provinces whose proposals a centre keeps (codes separated by commas): a regional
#: centre serves several. Unset, a centre serves the province of its letterhead.
CENTRE_PROVINCES = "centre_provinces"
#: The day the 34 provinces replaced the 63: records made before it keep their old addresses.
_REFORM_DAY = date(2025, 7, 1)
#: The first year of the demo histories, so the reports of the 2018–2020 plans have data.
_FIRST_YEAR = 2018

_EST_BATCH = 5_000
_PROPOSAL_BATCH = 1_000
_UTC_MINUTES = 7 * 60  # office hours are local time (UTC+7); timestamps are stored in UTC
_UTC_OFFSET = timedelta(minutes=_UTC_MINUTES)
_OFFICE_OPENS = 8 * 60  # minutes after midnight, local time: the workflow steps of a day start at 8:00
_NATIONAL_ONLY = frozenset({"ND45-4.2.d", "ND45-4.4.c", "ND45-4.4.d", "ND45-4.4.g", "ND45-4.8.b"})
_GROUP_SHARE = 0.18
_BEFORE_MINISTRY = frozenset({Status.DRAFT, Status.SUBMITTED, Status.APPRAISING, Status.APPRAISED})
_FLAGSHIP_SHARE = 0.04

# Status mix of the proposals after the first ones (which cover every state of both scopes), per mille.
_STATUS_WEIGHTS: tuple[tuple[Status, int], ...] = (
    (Status.SETTLED, 300), (Status.ACCEPTED, 50), (Status.AWAITING_ACCEPTANCE, 50), (Status.IN_PROGRESS, 150),
    (Status.APPROVED, 50), (Status.APPRAISED, 40), (Status.SENT_TO_MINISTRY, 30), (Status.APPRAISING, 50),
    (Status.SUBMITTED, 60), (Status.DRAFT, 80), (Status.REJECTED, 60), (Status.CANCELLED, 40), (Status.STOPPED, 40),
)

# How long before "today" the last step of a proposal in each state happened: (min days, max days).
_AGE: dict[Status, tuple[int, int]] = {
    Status.DRAFT: (0, 60), Status.SUBMITTED: (0, 45), Status.APPRAISING: (0, 20), Status.APPRAISED: (0, 40),
    Status.SENT_TO_MINISTRY: (0, 90), Status.APPROVED: (0, 45), Status.IN_PROGRESS: (30, 240),
    Status.AWAITING_ACCEPTANCE: (0, 60), Status.ACCEPTED: (0, 120), Status.SETTLED: (0, 10 * 365),
    Status.REJECTED: (0, 10 * 365), Status.CANCELLED: (0, 10 * 365), Status.STOPPED: (0, 10 * 365),
}  # closed ones reach back to the first demo year (see ``chain``)

# Days from the previous step to each step: (min, max).
_GAP: dict[str, tuple[int, int]] = {
    "create": (0, 0), "submit": (3, 30), "return": (5, 20), "resubmit": (5, 25), "open": (7, 40),
    "pass": (10, 30), "fail": (10, 30), "send": (5, 30), "approve": (10, 60), "approve_national": (30, 120),
    "contract": (10, 60), "complete": (120, 300), "accept": (10, 45), "settle": (20, 70), "stop": (30, 150),
    "cancel": (5, 60),
}

# step → (action, from status, to status, who: "staff"/"manager")
_STEPS: dict[str, tuple[str, Status | None, Status, str]] = {
    "create": ("create", None, Status.DRAFT, "staff"),
    "submit": (Action.SUBMIT.value, Status.DRAFT, Status.SUBMITTED, "staff"),
    "return": (Action.RETURN.value, Status.SUBMITTED, Status.DRAFT, "manager"),
    "resubmit": (Action.SUBMIT.value, Status.DRAFT, Status.SUBMITTED, "staff"),
    "open": (Action.OPEN_COUNCIL.value, Status.SUBMITTED, Status.APPRAISING, "staff"),
    "pass": (Action.PASS_APPRAISAL.value, Status.APPRAISING, Status.APPRAISED, "manager"),
    "fail": (Action.FAIL_APPRAISAL.value, Status.APPRAISING, Status.REJECTED, "manager"),
    "send": (Action.SEND_TO_MINISTRY.value, Status.APPRAISED, Status.SENT_TO_MINISTRY, "staff"),
    "approve": (Action.APPROVE.value, Status.APPRAISED, Status.APPROVED, "manager"),
    "contract": (Action.SIGN_CONTRACT.value, Status.APPROVED, Status.IN_PROGRESS, "staff"),
    "complete": (Action.REPORT_COMPLETION.value, Status.IN_PROGRESS, Status.AWAITING_ACCEPTANCE, "staff"),
    "accept": (Action.ACCEPT.value, Status.AWAITING_ACCEPTANCE, Status.ACCEPTED, "manager"),
    "settle": (Action.SETTLE.value, Status.ACCEPTED, Status.SETTLED, "manager"),
    "cancel": (Action.CANCEL.value, Status.DRAFT, Status.CANCELLED, "staff"),
    "stop": (Action.STOP.value, Status.APPROVED, Status.STOPPED, "manager"),
}

# Columns written per table, in the order of the tuples the generator builds.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "establishments": (
        "id", "name", "name_folded", "name_sort", "legal_form", "tax_code", "representative", "representative_title",
        "phone", "email", "province_code", "commune_code", "street", "address_as_recorded", "legacy_ward_code",
        "address_needs_review", "sector_code", "main_products", "workers", "female_workers", "founded_on", "notes",
        "archived", "created_at", "updated_at", "version"),
    "proposals": (
        "id", "code", "title", "title_folded", "title_sort", "year", "scope", "form", "content_code", "sector_code",
        "implementing_unit", "partner_unit", "province_code", "commune_code", "location_as_recorded",
        "legacy_ward_code", "start_date", "end_date", "necessity", "objectives", "scale", "activities",
        "organisation_plan", "effectiveness", "status", "approved_support_vnd", "approved_on", "approval_number",
        "imported", "created_by", "created_at", "updated_at", "version"),
    "proposal_beneficiaries": ("proposal_id", "establishment_id", "position"),
    "budget_lines": ("id", "proposal_id", "position", "item", "unit", "quantity", "unit_price_vnd", "support_vnd",
                     "counterpart_vnd", "other_vnd", "approved_support_vnd", "approved_counterpart_vnd",
                     "approved_other_vnd"),
    "outcome_targets": ("proposal_id", "indicator", "planned_value", "achieved_value"),
    "status_changes": ("id", "proposal_id", "action", "from_status", "to_status", "user_id", "at", "note",
                       "document_number", "document_date"),
    "decisions": ("id", "proposal_id", "kind", "number", "signed_on", "signer", "amount_vnd", "note"),
    "councils": ("id", "proposal_id", "kind", "decision_number", "decision_date", "meeting_date", "place",
                 "template_id", "pass_mark", "average_score", "passed", "concluded_at", "conclusion", "minutes_number",
                 "version"),
    "council_members": ("id", "council_id", "position", "user_id", "full_name", "title", "role", "conflict",
                        "conflict_note"),
    "score_sheets": ("id", "member_id", "submitted_at", "comment", "version"),
    "scores": ("sheet_id", "criterion_id", "points"),
    "contracts": ("id", "proposal_id", "number", "signed_on", "party_a", "party_b", "value_vnd", "start_date",
                  "end_date", "version"),
    "disbursements": ("id", "proposal_id", "kind", "paid_on", "amount_vnd", "voucher_number", "note", "created_by",
                      "created_at"),
    "progress_reports": ("id", "proposal_id", "year", "month", "reported_on", "progress_percent", "spent_vnd", "note",
                         "confirmed"),
    "acceptances": ("id", "proposal_id", "council_id", "held_on", "place", "passed", "conclusion", "minutes_number",
                    "signed_off_by", "signed_off_at", "version"),
    "acceptance_lines": ("acceptance_id", "budget_line_id", "verified_support_vnd", "verified_counterpart_vnd",
                         "verified_other_vnd"),
    "liquidations": ("id", "proposal_id", "number", "signed_on", "accepted_value_vnd", "paid_vnd", "remaining_vnd",
                     "note", "version"),
    "settlements": ("id", "proposal_id", "number", "settled_on", "settled_support_vnd", "returned_vnd", "note",
                    "created_by", "version"),
}
# Insert order of a batch of proposals: parents before children (foreign keys are checked row by row).
_PROPOSAL_TABLES = ("proposals", "proposal_beneficiaries", "budget_lines", "outcome_targets", "status_changes",
                    "decisions", "councils", "council_members", "score_sheets", "scores", "contracts",
                    "disbursements", "progress_reports", "acceptances", "acceptance_lines", "liquidations",
                    "settlements")
_ID_TABLES = ("establishments", "proposals", "budget_lines", "status_changes", "decisions", "councils",
              "council_members", "score_sheets", "contracts", "disbursements", "progress_reports", "acceptances",
              "liquidations", "settlements")


# --- writing --------------------------------------------------------------------------------------------------------


class _Sink:
    """Appends rows to tables on the session's connection, as fast as the backend allows.

    SQLite: ``executemany`` with values already in SQLAlchemy's storage form (dates as ISO text, timestamps as
    ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC, money and points as numbers). PostgreSQL: ``COPY … FROM STDIN`` with
    Python values (psycopg adapts them).
    """

    def __init__(self, s: Session) -> None:
        self._conn = s.connection()
        self.dialect = self._conn.dialect.name
        if self.dialect not in ("sqlite", "postgresql"):
            raise ValidationError("Chỉ tạo được dữ liệu mẫu trên SQLite hoặc PostgreSQL.")
        self.rows = 0
        self._sql: dict[str, str] = {}

    def put(self, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = _COLUMNS[table]
        if self.dialect == "sqlite":
            sql = self._sql.get(table)
            if sql is None:
                sql = self._sql[table] = (f"INSERT INTO {table} ({', '.join(columns)}) "
                                          f"VALUES ({', '.join('?' * len(columns))})")
            self._conn.exec_driver_sql(sql, list(rows))
        else:
            raw = self._conn.connection.dbapi_connection
            assert raw is not None
            with raw.cursor() as cursor, cursor.copy(  # type: ignore[attr-defined]
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        self.rows += len(rows)


# --- text helpers ---------------------------------------------------------------------------------------------------


class _Keys:
    """``fold`` and ``sort_key`` of names composed of cached parts.

    ``sort_key`` writes, for the whole text, the primary codes, then the tone digits, the case digits and the code
    points of symbols; a space contributes "01", "0", "0" and nothing. So the key of parts joined by spaces is
    assembled from the keys of the parts. The first names are checked against the real functions; on any
    difference the generator falls back to calling them for every name.
    """

    _CHECKS = 200

    def __init__(self) -> None:
        self._parts: dict[str, tuple[str, str, str, str, str]] = {}
        self._checked = 0
        self._composable = True

    def _part(self, part: str) -> tuple[str, str, str, str, str]:
        found = self._parts.get(part)
        if found is None:
            key = sort_key(part)
            i = 0
            while key[i:i + 2] != "00":
                i += 2
            n, rest = i // 2, key[i + 2:]
            found = (key[:i], rest[:n], rest[n:2 * n], rest[2 * n:], fold(part))
            self._parts[part] = found
        return found

    def compose(self, parts: Sequence[str]) -> tuple[str, str, str]:
        """(name, folded name, sort key) of the parts joined by single spaces."""
        name = " ".join(parts)
        if not self._composable:
            return name, fold(name), sort_key(name)
        ks = [self._part(p) for p in parts]
        folded = " ".join(k[4] for k in ks)
        key = ("01".join(k[0] for k in ks) + "00" + "0".join(k[1] for k in ks) + "0".join(k[2] for k in ks)
               + "".join(k[3] for k in ks))
        if self._checked < self._CHECKS:
            self._checked += 1
            if key != sort_key(name) or folded != fold(name):
                self._composable = False
                return name, fold(name), sort_key(name)
        return name, folded, key


_NUMBER = re.compile(r"^(\d+)/(?:\d{4}/)?(.+)$")  # "05/QĐ-SCT", "05/2024/HĐ-KC"
_VOUCHER = re.compile(r"^UNC-(\d{4})-(\d+)$")


def parse_number(value: str, year: int) -> tuple[int, str, int] | None:
    """(year, symbol, number) of a document number as the generator writes it, dated in ``year``; None for a
    number in another form."""
    found = _VOUCHER.match(value)
    if found:
        return int(found[1]), "UNC", int(found[2])
    found = _NUMBER.match(value)
    return (year, found[2], int(found[1])) if found else None


def _ri(rng: random.Random, lo: int, hi: int) -> int:
    """``rng.randint(lo, hi)`` at a third of its cost (it is called millions of times)."""
    return lo + int(rng.random() * (hi - lo + 1))


def _lower_first(text_: str) -> str:
    return text_[:1].lower() + text_[1:]


def _weighted(items: Sequence[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    return [i for i, _ in items], list(accumulate(w for _, w in items))


def _pick(rng: random.Random, values: list[Any], cumulative: list[int]) -> Any:
    return values[bisect(cumulative, rng.random() * cumulative[-1])]


def _scramble(n: int, digits: int) -> int:
    """A one-to-one shuffle of 0 … 10**digits - 1 (affine, digit reversal, affine), so the sequence numbers of
    tax codes and personal ids are unique without looking sequential."""
    m = 10**digits
    x = (n * 2_718_281 + 1_414_213) % m
    x = int(f"{x:0{digits}d}"[::-1])
    return (x * 3_141_593 + 577_215) % m


def _tax_check_digit(first9: str) -> int | None:
    total = sum(int(d) * w for d, w in zip(first9, (31, 29, 23, 19, 17, 13, 7, 5, 3), strict=True)) % 11
    return None if total == 0 else 10 - total


_TAX_PREFIXES = tuple(f"{n:02d}" for n in (1, 2, 3, 4, 5, 8, 10, 14, 18, 20, 23, 25, 26, 27, 28, 29, 30, 31, 33,
                                             34, 35, 36, 37, 38, 40, 41, 42, 43, 44, 45, 46, 47, 49, 50, 51, 52,
                                             53, 56, 58, 59, 60, 61, 63))
_MOBILE = tuple(sorted(MOBILE_PREFIXES))


# --- reference data -------------------------------------------------------------------------------------------------


@dataclass
class _Reference:
    """Everything read from the database before generating."""

    provinces: dict[str, tuple[str, str]]  # code → (name, kind)
    communes: list[tuple[str, str, str, str]]  # (code, province code, name, kind)
    legacy: dict[str, list[tuple[str, str]]]  # commune → [(legacy ward code, "xã …, huyện …, tỉnh …")]
    sectors: list[str]
    contents: dict[str, str | None]  # code → parent code
    rules: list[SupportRule]
    template_id: int
    pass_mark: Decimal
    criteria: list[tuple[int, int]]  # (criterion id, maximum points as a whole number)
    advance_percent: Decimal
    org_name: str
    abbreviation: str
    org_province: str | None
    centre_setting: str  # the ``centre_provinces`` setting as stored: province codes separated by commas
    merged: frozenset[str]  # today's provinces made of several former provinces


def _load_reference(s: Session) -> _Reference:
    provinces = {code: (name, kind) for code, name, kind in
                 s.execute(select(Province.code, Province.name, Province.kind).order_by(Province.code))}
    commune_rows = s.execute(select(Commune.code, Commune.province_code, Commune.name, Commune.kind)
                             .order_by(Commune.code))
    communes = [(r[0], r[1], r[2], r[3]) for r in commune_rows]
    if not provinces or not communes:
        raise ValidationError("Cơ sở dữ liệu chưa có danh mục tỉnh, xã; hãy nâng cấp cơ sở dữ liệu trước.")
    legacy: dict[str, list[tuple[str, str]]] = {}
    q = (select(WardMapping.commune_code, LegacyWard.code, LegacyWard.kind, LegacyWard.name, LegacyDistrict.kind,
                LegacyDistrict.name, LegacyProvince.kind, LegacyProvince.name)
         .join(LegacyWard, LegacyWard.code == WardMapping.legacy_ward_code)
         .join(LegacyDistrict, LegacyDistrict.code == LegacyWard.district_code)
         .join(LegacyProvince, LegacyProvince.code == LegacyWard.province_code)
         .where(WardMapping.is_default.is_(True)).order_by(WardMapping.commune_code, LegacyWard.code))
    for commune, ward, wkind, wname, dkind, dname, pkind, pname in s.execute(q):
        legacy.setdefault(commune, []).append(
            (ward, f"{wkind.lower()} {wname}, {dkind.lower()} {dname}, {pkind.lower()} {pname}"))
    sectors = list(s.scalars(select(Sector.code).where(Sector.active.is_(True)).order_by(Sector.sort_order,
                                                                                         Sector.code)))
    contents = {code: parent for code, parent in
                s.execute(select(Content.code, Content.parent_code).where(Content.active.is_(True))
                          .order_by(Content.code))}
    rules = [rule_data(r) for r in s.scalars(select(SupportRuleRow).order_by(SupportRuleRow.id))]
    template = s.scalar(select(CriteriaTemplate).where(CriteriaTemplate.active.is_(True))
                        .order_by(CriteriaTemplate.is_default.desc(), CriteriaTemplate.id).limit(1))
    if template is None or not template.criteria:
        raise ValidationError("Chưa có mẫu tiêu chí chấm điểm đang dùng; không tạo được hội đồng thẩm định mẫu.")
    criteria = [(c.id, int(Decimal(c.max_points))) for c in template.criteria]
    pass_mark = Decimal(template.pass_mark)
    if sum(m for _, m in criteria) < pass_mark or pass_mark <= 0:
        raise ValidationError(f"Mẫu tiêu chí “{template.name}” có tổng điểm thấp hơn điểm đạt {pass_mark}; "
                              "không tạo được hội đồng thẩm định mẫu.")
    org = s.scalar(select(Organisation).limit(1))
    olds = Counter(s.scalars(select(LegacyProvince.province_code)))
    return _Reference(
        provinces, communes, legacy, sectors, contents, rules, template.id, pass_mark, criteria,
        Decimal(get_setting(s, "advance_percent", "70")),
        org.name if org else "", (org.abbreviation if org else "") or "TTKC", org.province_code if org else None,
        get_setting(s, CENTRE_PROVINCES, ""), frozenset(code for code, n in olds.items() if n > 1))


# --- the generator --------------------------------------------------------------------------------------------------


@dataclass
class _ProposalPlan:
    """What is decided before the establishments exist: enough to order proposals by creation."""

    created: date
    order: int
    seed: int
    scope: Scope
    status: Status


@dataclass
class _People:
    staff: list[tuple[int, str]]  # (id, display name)
    managers: list[tuple[int, str]]
    appraisers: list[tuple[int, str, str]]  # (id, full name, title)
    created: list[str]


class _Generator:
    """One run: reference data, counters and the row buffers. Not thread-safe; lives for one transaction."""

    def __init__(self, s: Session, actor: Actor, seed: int, today: date, progress: Progress, total: int) -> None:
        self.s = s
        self.actor = actor
        self.seed = seed
        self.today = today
        self.rng = random.Random(seed)
        self.progress = progress
        self.total = max(total, 1)
        self.done = 0
        self.sink = _Sink(s)
        self.sqlite = self.sink.dialect == "sqlite"
        self.keys = _Keys()
        self.ref = _load_reference(s)
        self.ids = {t: int(s.scalar(text(f"SELECT coalesce(max(id), 0) FROM {t}")) or 0) for t in _ID_TABLES}
        self.buffers: dict[str, list[tuple[Any, ...]]] = {t: [] for t in _COLUMNS}
        self._dates: dict[date, Any] = {}
        self.counters: Counter[tuple[int, str]] = Counter()
        self.status_count: Counter[Status] = Counter()
        self.scope_count: Counter[Scope] = Counter()
        self.form_count: Counter[LegalForm] = Counter()
        self.codes: Counter[tuple[int, Scope]] = Counter()
        self.plan_money: Counter[tuple[int, Scope]] = Counter()
        # establishments usable as beneficiaries: index → (id, province, commune, sector, name, product,
        # legacy ward, old place "xã …, huyện …, tỉnh …" when registered before the reform)
        self.est: list[tuple[int, str, str | None, str, str, str, str | None, str]] = []
        self.est_by_province: dict[str, list[int]] = {}
        self._communes = {c[0]: c for c in self.ref.communes}
        self._code_last: dict[tuple[int, Scope], int] = {}  # last proposal number per (year, scope)
        self._people = _People([], [], [], [])
        self._contents: tuple[list[Any], list[int]] = ([], [])
        self.centre: tuple[str, ...] = ()  # the provinces whose proposals this centre keeps
        self._signers: dict[str, tuple[str, ...]] = {}  # body → "Name, title" of who signs its decisions
        self._seed_numbers()

    # -- small helpers ----------------------------------------------------------------------------------------------

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def d(self, day: date | None) -> Any:
        """A date as the backend stores it."""
        if day is None or not self.sqlite:
            return day
        found = self._dates.get(day)
        if found is None:
            found = self._dates[day] = day.isoformat()
        return found

    def ts(self, day: date, minute_of_day: int) -> Any:
        """Local office time on ``day`` (minutes after midnight, UTC+7) as a stored UTC timestamp."""
        utc = minute_of_day - _UTC_MINUTES
        if self.sqlite and 0 <= utc < 1440:  # the same day in UTC: text built from the cached date
            return f"{self.d(day)} {utc // 60:02d}:{utc % 60:02d}:00.000000"
        at = datetime(day.year, day.month, day.day) + timedelta(minutes=minute_of_day) - _UTC_OFFSET
        return f"{at:%Y-%m-%d %H:%M:%S}.000000" if self.sqlite else at

    def num(self, value: Decimal | None) -> Any:
        return None if value is None else (float(value) if self.sqlite else value)

    def number(self, year: int, symbol: str) -> int:
        """The next number of a document series: one counter per (year, symbol as printed), from 01 each year
        (ND 30/2020 Art. 15), so no two documents of one body and kind share a number."""
        self.counters[(year, symbol)] += 1
        return self.counters[(year, symbol)]

    def _seed_numbers(self) -> None:
        """Start every series after the numbers the database already holds (a run with ``append``)."""
        if not self.ids["proposals"]:
            return
        sources = ((StatusChange.document_number, StatusChange.document_date),
                   (Decision.number, Decision.signed_on), (Council.decision_number, Council.decision_date),
                   (Council.minutes_number, Council.meeting_date), (Acceptance.minutes_number, Acceptance.held_on),
                   (Liquidation.number, Liquidation.signed_on), (Settlement.number, Settlement.settled_on),
                   (Contract.number, Contract.signed_on), (Plan.decision_number, Plan.decision_date),
                   (Disbursement.voucher_number, Disbursement.paid_on))
        for number, day in sources:
            for value, on in self.s.execute(select(number, day).where(number != "", day.is_not(None))):
                found = parse_number(value, on.year) if value and on is not None else None
                if found and found[2] > self.counters[found[:2]]:
                    self.counters[found[:2]] = found[2]

    def signer(self, rng: random.Random, body: str) -> str:
        """Who signs a decision of ``body`` ("SCT-<province>" or "BCT"): "Full name, title", the head or one of
        two deputies, the same people for the whole run."""
        people = self._signers.get(body)
        if people is None:
            rng = random.Random(f"{self.seed}-{body}")
            heads = ("Thứ trưởng", "Thứ trưởng") if body == "BCT" else ("Giám đốc", "Phó Giám đốc", "Phó Giám đốc")
            people = self._signers[body] = tuple(f"{' '.join(self.person(rng)[0])}, {title}" for title in heads)
        return people[int(rng.random() * len(people))]

    def tick(self, n: int, status: str) -> None:
        self.done += n
        self.progress.set_progress(min(self.done, self.total), self.total, status)
        self.progress.check()

    def flush(self, tables: Sequence[str]) -> None:
        for t in tables:
            rows = self.buffers[t]
            if rows:
                self.sink.put(t, rows)
                self.buffers[t] = []

    # -- people -----------------------------------------------------------------------------------------------------

    def person(self, rng: random.Random, female: bool | None = None) -> tuple[list[str], bool]:
        if female is None:
            female = rng.random() < 0.45
        family = _pick(rng, *_FAMILY)
        middle = rng.choice(V.FEMALE_MIDDLE if female else V.MALE_MIDDLE)
        given = rng.choice(V.FEMALE_GIVEN if female else V.MALE_GIVEN)
        return [family, middle, given], female

    def people(self, may_create: bool) -> _People:
        """The users who act in the histories; missing roles get demo users (one password hash for all) when
        ``may_create``, else the run is refused.

        Raises:
            ValidationError: a role is missing and demo users may not be created (``field="users"``).
        """
        s = self.s
        users = list(s.execute(select(User.id, User.username, User.full_name, User.title, User.role)
                               .where(User.active.is_(True)).order_by(User.id)))
        staff = [(u.id, u.full_name or u.username) for u in users if u.role == Role.STAFF.value]
        managers = [(u.id, u.full_name or u.username) for u in users if u.role == Role.MANAGER.value]
        appraisers = [(u.id, u.full_name or u.username, u.title or "Chuyên gia") for u in users
                      if u.role == Role.APPRAISER.value]
        taken = set(s.scalars(select(User.username)))
        created: list[str] = []
        password_hash = ""

        def add(base: str, role: Role, full_name: str, title: str) -> int:
            nonlocal password_hash
            if not may_create:
                raise ValidationError(
                    "Dữ liệu mẫu cần ít nhất một cán bộ nghiệp vụ, một lãnh đạo và ba chuyên gia thẩm định đang hoạt "
                    "động. Tài khoản mẫu chỉ được tạo khi quản trị hệ thống tạo dữ liệu mẫu vào cơ sở dữ liệu trống; "
                    "hãy để quản trị hệ thống thêm các tài khoản còn thiếu (lệnh “user add”).", field="users")
            name, n = base, 1
            while name in taken:
                n += 1
                name = f"{base}_{n}"
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            user = User(username=name, full_name=full_name, title=title, role=role.value, password_hash=password_hash,
                        active=True, failed_logins=0, created_at=datetime.now(UTC))
            s.add(user)
            s.flush()
            taken.add(name)
            created.append(name)
            audit.record(s, self.actor, "create", "user", user.id, None,
                         {"username": name, "role": role.value, "full_name": full_name})
            return user.id

        if not staff:
            staff.append((add("demo_canbo", Role.STAFF, "Trần Thị Thu Hà", "Chuyên viên"), "Trần Thị Thu Hà"))
        if not managers:
            managers.append((add("demo_lanhdao", Role.MANAGER, "Lê Văn Quang", "Phó Giám đốc"), "Lê Văn Quang"))
        names = (("Phạm Minh Tuấn", "Tiến sĩ, chuyên gia cơ khí"), ("Hoàng Thị Lan", "Chuyên gia tài chính"),
                 ("Vũ Đức Thắng", "Chuyên gia công nghệ"))
        i = 0
        while len(appraisers) < 3:
            full, title = names[i]
            i += 1
            appraisers.append((add(f"demo_thamdinh{i}", Role.APPRAISER, full, title), full, title))
        return _People(staff, managers, appraisers, created)

    def organisation(self, people: _People) -> None:
        """A letterhead when none is set, so the documents of the demo proposals can be printed; then the provinces
        the centre serves (the ``centre_provinces`` setting, else the letterhead's province)."""
        if not self.ref.org_name:
            self._new_organisation(people)
        codes = [c.strip() for c in self.ref.centre_setting.replace(";", ",").split(",")]
        chosen = tuple(dict.fromkeys(c for c in codes if c in self.ref.provinces))
        if not chosen and self.ref.org_province in self.ref.provinces:
            chosen = (self.ref.org_province or "",)
        if not chosen:  # a letterhead without a province: the centre of a province with several former ones
            chosen = (self.rng.choice(sorted(self.ref.merged or self.ref.provinces)),)
        self.centre = chosen

    def _new_organisation(self, people: _People) -> None:
        # a province made of several former ones, so the reports "as recorded" show the old provinces
        code = self.rng.choice(sorted(self.ref.merged or self.ref.provinces))
        name, kind = self.ref.provinces[code]
        # the director is not one of the users (the demo manager is a deputy director)
        managers = {m[1] for m in people.managers}
        director = next((n for n in (" ".join(self.person(self.rng)[0]) for _ in range(10)) if n not in managers),
                        "Nguyễn Minh Đức")
        org = Organisation(name=f"Trung tâm Khuyến công và Tư vấn phát triển công nghiệp {kind.lower()} {name}",
                           parent_body=f"Sở Công Thương {kind.lower()} {name}", abbreviation="TTKC",
                           province_code=code, place_name=name, director_name=director,
                           director_title="Giám đốc", address=f"Số 1 đường Lê Lợi, {kind.lower()} {name}",
                           phone="02293871234", email="khuyencong@example.vn")
        self.s.add(org)
        self.s.flush()
        audit.record(self.s, self.actor, "create", "organisation", org.id, None, {"name": org.name})
        self.ref.org_name, self.ref.abbreviation, self.ref.org_province = org.name, "TTKC", code

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

    # -- establishments ---------------------------------------------------------------------------------------------

    def establishments(self, count: int, registered_before: date) -> None:
        """Write ``count`` establishments; those registered before ``registered_before`` may be beneficiaries."""
        rng = self.rng
        forms, form_weights = _weighted(V.LEGAL_FORM_WEIGHTS)
        sector_weights = [(c, 8 if c in _COMMON_SECTORS else 3) for c in self.ref.sectors]
        sectors, sector_cum = _weighted(sector_weights) if sector_weights else ([None], [1])
        craft_sectors = [c for c in self.ref.sectors if c in _CRAFT_SECTORS] or sectors
        # a centre registers the establishments of the province(s) it serves
        communes = [c for c in self.ref.communes if c[1] in self.centre] or self.ref.communes
        seen: set[tuple[str | None, str]] = set()
        start = min(date(self.today.year - 6, 1, 1), registered_before - timedelta(days=365))
        span_old = max((registered_before - start).days, 1)
        span_new = max((self.today - registered_before).days, 1)
        rows = self.buffers["establishments"]
        for n in range(count):
            eid = self.next_id("establishments")
            # the first ones take every legal form in turn, so even a small run has them all
            form: LegalForm = _LEGAL_FORMS[n] if n < len(_LEGAL_FORMS) else _pick(rng, forms, form_weights)
            self.form_count[form] += 1
            sector = rng.choice(craft_sectors) if form is LegalForm.ARTISAN else _pick(rng, sectors, sector_cum)
            words = V.SECTOR_WORDS.get(sector or "", V.FALLBACK_SECTOR)
            ccode, pcode, cname, ckind = communes[int(rng.random() * len(communes))]
            rep_parts, female = self.person(rng)
            products = rng.sample(words.products, min(len(words.products), 1 + (rng.random() < 0.4)))
            name_parts = self._establishment_name(rng, form, words, cname, pcode, rep_parts, products[0])
            name, folded, key = self.keys.compose(name_parts)
            tries = 0
            while (ccode, folded) in seen:
                tries += 1
                extra = rng.choice(V.TRADE_NAMES) if tries < 3 else str(tries)
                name, folded, key = self.keys.compose([*name_parts, extra])
            seen.add((ccode, folded))
            representative = " ".join(rep_parts)
            lo, hi = _WORKERS[form]
            workers = _ri(rng, lo, hi)
            female_share = 0.75 if sector in _FEMALE_SECTORS else 0.4
            female_workers = min(workers, int(workers * female_share * (0.6 + 0.8 * rng.random())))
            first_ones = n < len(_LEGAL_FORMS)  # always usable as beneficiaries, so proposals have some
            archived = rng.random() < 0.015 and not first_ones
            beneficiary = rng.random() < 0.9 or first_ones
            if beneficiary:
                created_day = start + timedelta(days=int(rng.random() * span_old))
            else:
                created_day = registered_before + timedelta(days=1 + int(rng.random() * span_new))
                created_day = min(created_day, self.today)
            founded = date(1985 if form is LegalForm.ARTISAN else 1995, 1, 1) + timedelta(
                days=int(rng.random() * ((self.today - date(1996, 1, 1)).days - 60)))
            founded = min(founded, created_day - timedelta(days=30))  # registered after it was founded
            street = self._street(rng, pcode, ckind)
            recorded, needs_review, where = "", False, ""
            legacy_code: str | None = None
            commune_code: str | None = ccode
            olds = self.ref.legacy.get(ccode)
            if olds and created_day < _REFORM_DAY:  # registered before the reform: the old address, as written
                legacy_code, where = olds[int(rng.random() * len(olds))]
                recorded = f"{street}, {where}"
                if rng.random() < 0.03:  # an old ward not matched to a new commune yet: to be reviewed
                    commune_code, needs_review, legacy_code = None, True, None
            if beneficiary and not archived:
                self.est.append((eid, pcode, commune_code, sector or "", name, products[0], legacy_code, where))
                self.est_by_province.setdefault(pcode, []).append(len(self.est) - 1)
            created = self.ts(created_day, 450 + int(rng.random() * 540))
            notes = ""
            if rng.random() < 0.03:
                notes = (f"Sản phẩm {_lower_first(products[0])} đạt chứng nhận sản phẩm công nghiệp nông thôn "
                         f"tiêu biểu cấp tỉnh năm {_ri(rng, 2019, max(2019, self.today.year - 1))}.")
            rows.append((
                eid, name, folded, key, form.value, self._tax_code(rng, eid, form, female), representative,
                rng.choice(V.REPRESENTATIVE_TITLES[form]), self._phone(rng, pcode),
                self._email(rng, form, name_parts, rep_parts), pcode, commune_code, street, recorded, legacy_code,
                needs_review, sector, ", ".join(products), workers, female_workers, self.d(founded), notes, archived,
                created, created, 1))
            if len(rows) >= _EST_BATCH:
                self.flush(("establishments",))
                rows = self.buffers["establishments"]
                self.tick(_EST_BATCH, f"Đang tạo cơ sở: {format_vnd(n + 1)}/{format_vnd(count)}")
        left = len(rows)
        self.flush(("establishments",))
        if left:
            self.tick(left, f"Đã tạo {format_vnd(count)} cơ sở")

    def _establishment_name(self, rng: random.Random, form: LegalForm, words: V.SectorWords, commune: str,
                            province: str, rep: list[str], product: str) -> list[str]:
        r = rng.random()
        if form is LegalForm.SME:
            prefix = rng.choice(V.SME_PREFIXES)
            if prefix == "Doanh nghiệp tư nhân" or r < 0.3:
                return [prefix, rng.choice(V.TRADE_NAMES)]
            return [prefix, words.craft, rng.choice(V.TRADE_NAMES)]
        if form is LegalForm.COOPERATIVE:
            return [rng.choice(V.COOPERATIVE_PREFIXES), words.craft,
                    commune if r < 0.6 else rng.choice(V.TRADE_NAMES)]
        if form is LegalForm.COOPERATIVE_GROUP:
            return ["Tổ hợp tác", words.craft, _lower_first(self._village_word(rng, province)),
                    rng.choice(V.VILLAGE_NAMES)]
        if form is LegalForm.HOUSEHOLD:
            if r < 0.5:
                return ["Hộ kinh doanh", *rep]
            if r < 0.8:
                return ["Cơ sở", words.craft, *rep]
            return ["Cơ sở sản xuất", _lower_first(product), rep[2]]
        return [rng.choice(V.ARTISAN_PREFIXES), *rep]

    @staticmethod
    def _village_word(rng: random.Random, province: str) -> str:
        if province in V.SOUTHERN_PROVINCES:
            return "Ấp"
        if province in V.MOUNTAIN_PROVINCES:
            return rng.choice(("Bản", "Thôn", "Xóm"))
        if province in V.HIGHLAND_PROVINCES:
            return rng.choice(("Thôn", "Buôn"))
        return rng.choice(("Thôn", "Xóm"))

    def _street(self, rng: random.Random, province: str, commune_kind: str) -> str:
        if commune_kind == "Phường":
            if rng.random() < 0.6:
                return f"Số {_ri(rng, 1, 300)} đường {rng.choice(V.STREET_NAMES)}"
            return f"{'Khu phố' if province in V.SOUTHERN_PROVINCES else 'Tổ dân phố'} {_ri(rng, 1, 25)}"
        return f"{self._village_word(rng, province)} {rng.choice(V.VILLAGE_NAMES)}"

    @staticmethod
    def _tax_code(rng: random.Random, eid: int, form: LegalForm, female: bool) -> str:
        r = rng.random()
        personal = (form is LegalForm.HOUSEHOLD and r < 0.8) or (form is LegalForm.ARTISAN and r < 0.5)
        if personal:
            born = _ri(rng, 1955, 2002)
            century_sex = (0 if born < 2000 else 2) + (1 if female else 0)
            tail = _scramble(eid, 6)
            return f"0{rng.choice(_TAX_PREFIXES)}{century_sex}{born % 100:02d}{tail:06d}"
        if (form is LegalForm.COOPERATIVE_GROUP and r < 0.4) or (form is LegalForm.ARTISAN) or r > 0.97:
            return ""
        body = _scramble(eid, 7) or 1
        first = rng.randrange(len(_TAX_PREFIXES))
        for k in range(len(_TAX_PREFIXES)):
            head = f"{_TAX_PREFIXES[(first + k) % len(_TAX_PREFIXES)]}{body:07d}"
            check = _tax_check_digit(head)
            if check is not None:
                code = f"{head}{check}"
                return f"{code}-{_ri(rng, 1, 9):03d}" if form is LegalForm.SME and r < 0.02 else code
        return ""

    @staticmethod
    def _phone(rng: random.Random, province: str) -> str:
        r = rng.random()
        if r < 0.04:
            return ""
        if r < 0.18:
            area = {"01": "024", "79": "028"}.get(province)
            if area:
                return f"{area}{_ri(rng, 30_000_000, 39_999_999)}"
            return f"02{_ri(rng, 3, 99):02d}{_ri(rng, 3_000_000, 3_999_999)}"
        return f"{rng.choice(_MOBILE)}{_ri(rng, 0, 9_999_999):07d}"

    def _email(self, rng: random.Random, form: LegalForm, name_parts: list[str], rep: list[str]) -> str:
        r = rng.random()
        if form in (LegalForm.SME, LegalForm.COOPERATIVE) and r < 0.5:
            # letters and digits only: commune names such as "Ea H'Leo" carry an apostrophe
            slug = "".join(ch for ch in self.keys.compose(name_parts[-1:])[1] if ch.isascii() and ch.isalnum())
            slug = slug or "coso"
            if r < 0.2:
                return f"lienhe@{slug}.vn"
            return f"{slug}{_ri(rng, 1, 99)}@{rng.choice(V.EMAIL_DOMAINS)}"
        if r < 0.12:
            folded = self.keys.compose(rep)[1].split()
            return f"{folded[2]}{folded[0]}{_ri(rng, 60, 99)}@{rng.choice(V.EMAIL_DOMAINS)}"
        return ""

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
            partner, province, commune, old_place, old_ward, self.d(start), self.d(end), rng.choice(V.NECESSITY),
            rng.choice(V.OBJECTIVES),
            f"{len(bens)} cơ sở thụ hưởng; tổng kinh phí {format_vnd(total)} đồng",
            _ACTIVITIES.get(cplan.kind, _ACTIVITIES["default"]),
            f"{implementing} chủ trì, phối hợp với cơ sở thụ hưởng và các đơn vị liên quan tổ chức thực hiện.",
            rng.choice(V.EFFECTIVENESS), status.value, approved,
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
        for i, (name, day) in enumerate(steps):
            action, src, dst, who = _STEPS[name]
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
            if name == "approve" and national:
                src = Status.SENT_TO_MINISTRY
            if name == "cancel" and i > 1:
                src = Status.SUBMITTED
            if name == "stop" and steps[i - 1][0] == "contract":
                src = Status.IN_PROGRESS
            docs[name] = (number, day if number else None, note)
            rows.append((self.next_id("status_changes"), pid, action, src.value if src else None, dst.value,
                         manager_id if who == "manager" else staff_id,
                         self.ts(day, _OFFICE_OPENS + 20 * i + _ri(rng, 0, 15)), note, number,
                         self.d(day) if number else None))
        return docs

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
                                rng.choice(V.CONFLICT_NOTES) if i == conflicted else ""))
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
                                k < len(reports) or finished is not None))

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
                                                        " ".join(parts), title, role.value, False, ""))
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
                manager_id if signed_off else None, self.ts(when["accept"], 900) if signed_off else None, 1))
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


_FAMILY = _weighted(V.FAMILY_NAMES)
_LEGAL_FORMS = tuple(LegalForm)
_COMMON_SECTORS = frozenset({"MAY_TRE_DAN", "CHE_BIEN_NONG_SAN", "CHE_BIEN_THUC_PHAM", "CO_KHI", "DO_GO",
                             "DO_GO_MY_NGHE", "GOM_SU", "DET_MAY", "THU_CONG_MY_NGHE", "CO_KHI_NONG_NGHIEP",
                             "VLXD_KHONG_NUNG"})
_CRAFT_SECTORS = frozenset({"THU_CONG_MY_NGHE", "MAY_TRE_DAN", "GOM_SU", "SON_MAI", "DO_GO_MY_NGHE", "DET_THO_CAM",
                            "THEU_REN", "CHAM_KHAC"})
_FEMALE_SECTORS = frozenset({"DET_MAY", "THEU_REN", "DET_THO_CAM", "MAY_TRE_DAN", "CHE_BIEN_THUC_PHAM", "DA_GIAY"})
_WORKERS: dict[LegalForm, tuple[int, int]] = {
    LegalForm.HOUSEHOLD: (2, 15), LegalForm.COOPERATIVE_GROUP: (5, 30), LegalForm.COOPERATIVE: (10, 120),
    LegalForm.SME: (10, 250), LegalForm.ARTISAN: (1, 20),
}
_ACTIVITIES = {
    "machine": "Khảo sát, lựa chọn thiết bị; mua sắm, lắp đặt, chạy thử; chuyển giao kỹ thuật vận hành; tổng kết, "
               "nghiệm thu.",
    "model": "Xây dựng nhà xưởng, lắp đặt thiết bị; hoàn thiện quy trình công nghệ; hội nghị giới thiệu mô hình.",
    "training": "Tuyển sinh, khai giảng; giảng dạy lý thuyết và thực hành; kiểm tra, cấp chứng chỉ.",
    "fair": "Đăng ký, thuê gian hàng; thiết kế, dàn dựng; vận chuyển hàng trưng bày; tổng kết.",
    "default": "Chuẩn bị, tổ chức thực hiện các nội dung của đề án; tổng kết, nghiệm thu, quyết toán.",
}


class DemoService:
    """Fills the database with demo data (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def generate(self, actor: Actor, establishments: int, proposals: int, seed: int = 1,
                 progress: Progress = NO_PROGRESS, *, append: bool = False,
                 today: date | None = None) -> DemoResult:
        """Write ``establishments`` establishments and ``proposals`` proposals in one transaction.

        Args:
            establishments: how many establishments to create (0 … 1,000,000).
            proposals: how many proposals (0 … 500,000); needs at least one establishment in this run.
            seed: the same seed (and ``today``) gives the same data.
            progress: told after each batch; a cancel rolls everything back.
            append: add to a database that already holds establishments or proposals.
            today: the date the histories lead up to (default: today).

        Raises:
            PermissionDenied: the actor is not an administrator or a manager.
            ValidationError: a count is out of range, or the database is not empty and ``append`` is false
                (``field="append"``).
            Cancelled: the user cancelled; nothing was written.
        """
        require_role(actor, *RUNNERS, doing="tạo dữ liệu mẫu")
        for value, label, top in ((establishments, "Số cơ sở", MAX_ESTABLISHMENTS),
                                  (proposals, "Số đề án", MAX_PROPOSALS)):
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
                raise ValidationError(f"{label} phải là số nguyên từ 0 đến {format_vnd(top)}.",
                                      field="establishments" if label == "Số cơ sở" else "proposals")
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValidationError("Hạt giống (seed) phải là số nguyên.", field="seed")
        if proposals and not establishments:
            raise ValidationError("Cần tạo ít nhất một cơ sở để làm cơ sở thụ hưởng của các đề án mẫu.",
                                  field="establishments")
        today = today or date.today()
        started = time.perf_counter()
        with self._db.transaction() as s:
            n_est = s.scalar(select(func.count(Establishment.id))) or 0
            n_prop = s.scalar(select(func.count(Proposal.id))) or 0
            if not append:
                if n_est or n_prop:
                    raise ValidationError(
                        f"Cơ sở dữ liệu đã có {format_vnd(n_est)} cơ sở và {format_vnd(n_prop)} đề án; dữ liệu mẫu "
                        "chỉ được tạo vào cơ sở dữ liệu trống.", field="append")
            progress.set_progress(0, establishments + proposals, "Đang chuẩn bị dữ liệu mẫu")
            g = _Generator(s, actor, seed, today, progress, establishments + proposals)
            with _large_page_cache(s, g.sqlite):
                # Accounts with a known password only on a fresh database (no data, no account but administrators),
                # and only when run by whoever may create accounts anyway.
                others = s.scalar(select(func.count(User.id)).where(User.role != Role.ADMIN.value)) or 0
                people = g.people(may_create=actor.role is Role.ADMIN and not (n_est or n_prop or others))
                g.organisation(people)
                plans = g.plan_proposals(proposals)
                first_created = plans[0].created if plans else today
                g.establishments(establishments, first_created)
                if plans and not g.est:
                    raise ValidationError("Không có cơ sở nào dùng được làm cơ sở thụ hưởng; hãy tạo thêm cơ sở.",
                                          field="establishments")
                g.proposals(plans, people)
                g.finish()
                audit.record(s, actor, "demo", "database", None, None,
                             {"establishments": establishments, "proposals": proposals, "seed": seed,
                              "today": today})
            rows = g.sink.rows
        progress.set_progress(establishments + proposals, establishments + proposals, "Đã tạo xong dữ liệu mẫu")
        return DemoResult(
            establishments, proposals, seed, {st: g.status_count.get(st, 0) for st in Status},
            {f: g.form_count.get(f, 0) for f in LegalForm}, {sc: g.scope_count.get(sc, 0) for sc in Scope},
            rows, people.created, DEMO_PASSWORD if people.created else "", time.perf_counter() - started)


@contextmanager
def _large_page_cache(s: Session, sqlite: bool) -> Iterator[None]:
    """On SQLite, a 256 MiB page cache while writing (the indexes of the big tables then stay in memory); the
    connection's own setting comes back afterwards, even when the run fails."""
    if not sqlite:
        yield
        return
    before = s.execute(text("PRAGMA cache_size")).scalar()
    s.execute(text("PRAGMA cache_size=-262144"))
    try:
        yield
    finally:
        with suppress(SQLAlchemyError):  # best effort: the run's own error is the one to report
            s.execute(text(f"PRAGMA cache_size={int(before or -2000)}"))


__all__ = ["DEMO_PASSWORD", "MAX_ESTABLISHMENTS", "MAX_PROPOSALS", "DemoService"]

