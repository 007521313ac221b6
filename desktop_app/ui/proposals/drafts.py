"""A proposal being edited, kept on this computer every half minute, so a crash or a power cut loses at most that
much typing; the next start offers it back.

One draft per user (the editor is modal, so one proposal is open at a time), as JSON in ``ban-nhap/`` of the
data folder, written to a temporary file and renamed so a crash while writing leaves the previous one whole.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_app import paths
from desktop_app.domain.budget import BudgetLineInput
from desktop_app.domain.enums import Outcome, ProposalForm, Scope
from desktop_app.services.dto import BeneficiaryView, ProposalInput

log = logging.getLogger(__name__)
FORMAT = 1


@dataclass(frozen=True)
class Draft:
    proposal_id: int | None  # None: a proposal not saved even once
    code: str
    saved_at: datetime
    data: ProposalInput
    lines: list[BudgetLineInput]
    beneficiaries: list[BeneficiaryView]
    targets: dict[Outcome, int]


def draft_path(username: str) -> Path:
    safe = re.sub(r"[^0-9A-Za-z_.-]", "_", username) or "_"
    return paths.data_dir() / "ban-nhap" / f"de-an-{safe}.json"


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Scope | ProposalForm | Outcome):
        return value.value
    return value


def save(username: str, draft: Draft) -> Path:
    path = draft_path(username)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "format": FORMAT, "proposal_id": draft.proposal_id, "code": draft.code,
        "saved_at": draft.saved_at.isoformat(),
        "data": {k: _plain(v) for k, v in asdict(draft.data).items()},
        "lines": [{k: _plain(v) for k, v in asdict(line).items()} for line in draft.lines],
        "beneficiaries": [asdict(b) for b in draft.beneficiaries],
        "targets": {o.value: v for o, v in draft.targets.items()},
    }
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temp, path)
    return path


def _input(raw: dict[str, Any]) -> ProposalInput:
    values: dict[str, Any] = {}
    for f in fields(ProposalInput):
        if f.name not in raw:
            continue
        value = raw[f.name]
        if f.name == "scope":
            value = Scope(value)
        elif f.name == "form":
            value = ProposalForm(value)
        elif f.name in ("start_date", "end_date") and value:
            value = date.fromisoformat(value)
        values[f.name] = value
    return ProposalInput(**values)


def load(username: str) -> Draft | None:
    """The user's draft, or None (none kept, or unreadable: then it is logged and left for a person to see)."""
    path = draft_path(username)
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT:
            return None
        lines = [BudgetLineInput(x["item"], x["unit"], Decimal(x["quantity"]), int(x["unit_price_vnd"]),
                                 int(x["support_vnd"]), int(x["counterpart_vnd"]), int(x.get("other_vnd", 0)))
                 for x in raw["lines"]]
        return Draft(raw["proposal_id"], raw.get("code", ""), datetime.fromisoformat(raw["saved_at"]),
                     _input(raw["data"]), lines, [BeneficiaryView(**b) for b in raw["beneficiaries"]],
                     {Outcome(k): int(v) for k, v in raw["targets"].items()})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("unreadable proposal draft %s: %s", path, exc)
        return None


def discard(username: str) -> None:
    draft_path(username).unlink(missing_ok=True)
