"""Worker processes for the concurrency tests: each opens its own engine, waits at the barrier with the other,
then does the same thing at the same moment and reports what happened (never raises)."""

from __future__ import annotations

from datetime import date
from typing import Any

from factories import machine_lines, proposal_input

from desktop_app.domain.enums import DisbursementKind, Outcome, Scope
from desktop_app.domain.errors import UserError
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.store.database import Database


def advance_worker(url: str, actor: Actor, proposal_ids: list[int], amounts: list[int], barrier: Any,
                    results: Any) -> None:
    services = Services.over(Database.from_url(url))
    for pid, amount in zip(proposal_ids, amounts, strict=True):
        barrier.wait()
        try:
            services.implementation.record_disbursement(actor, pid, DisbursementKind.ADVANCE, amount,
                                                        date(2026, 7, 1), "UNC")
            results.put((pid, "ok", ""))
        except UserError as exc:
            results.put((pid, "refused", str(exc)))
        except Exception as exc:  # a traceback is what the test must never see
            results.put((pid, "crash", f"{type(exc).__name__}: {exc}"))
    services.close()


def create_worker(url: str, actor: Actor, years: list[int], eid: int, barrier: Any, results: Any) -> None:
    services = Services.over(Database.from_url(url))
    for year in years:
        barrier.wait()
        try:
            d = services.proposals.create(actor, proposal_input(Scope.LOCAL, year=year), machine_lines(), [eid],
                                          {Outcome.JOBS: 5})
            results.put((year, "ok", d.code))
        except UserError as exc:
            results.put((year, "refused", str(exc)))
        except Exception as exc:
            results.put((year, "crash", f"{type(exc).__name__}: {exc}"))
    services.close()


def retitle_worker(url: str, actor: Actor, proposal_id: int, title: str, results: Any) -> None:
    """Another desk: save a new title on the proposal (its own process and connection)."""
    from dataclasses import replace

    services = Services.over(Database.from_url(url))
    try:
        d = services.proposals.get(actor, proposal_id)
        services.proposals.save(actor, proposal_id, d.version, replace(d.data, title=title), machine_lines(),
                                [b.establishment_id for b in d.beneficiaries], {Outcome.JOBS: 5})
        results.put("ok")
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")
    finally:
        services.close()


def presence_worker(url: str, actor: Actor, proposal_id: int, results: Any, commands: Any) -> None:
    """Another desk opens the proposal (enters presence), then leaves when told."""
    services = Services.over(Database.from_url(url))
    try:
        token = services.presence.enter(actor, "proposal", proposal_id)
        results.put("in")
        commands.get(timeout=60)
        services.presence.leave(token)
        results.put("out")
    finally:
        services.close()
