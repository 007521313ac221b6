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

import time
from datetime import date

from sqlalchemy import func, select

from desktop_app.demo.common import DEMO_PASSWORD, MAX_ESTABLISHMENTS, MAX_PROPOSALS, RUNNERS, SCREENSHOT_ADMIN
from desktop_app.demo.proposals import Generator
from desktop_app.demo.writer import _large_page_cache
from desktop_app.domain.enums import (
    LegalForm,
    Role,
    Scope,
    Status,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.progress import NO_PROGRESS, Progress
from desktop_app.services import audit
from desktop_app.services.auth import Actor, require_role
from desktop_app.services.context import Services
from desktop_app.services.dto import DemoResult
from desktop_app.store.database import Database
from desktop_app.store.models import (
    Establishment,
    Proposal,
    User,
)


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
            g = Generator(s, actor, seed, today, progress, establishments + proposals)
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


def fill_new_database(services: Services, establishments: int, proposals: int, seed: int) -> Actor:
    """The first administrator of an empty database (``quantri``, the demo password), then the demo data; for the
    screenshots command."""
    admin = services.users.create_first_admin(SCREENSHOT_ADMIN, DEMO_PASSWORD, "Nguyễn Văn Quản")
    DemoService(services.db).generate(admin, establishments, proposals, seed=seed)
    return admin
