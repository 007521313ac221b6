"""An import's second step: writing the previewed rows in bulk (establishments, then proposals with their
budget line, beneficiaries and history), with the audit entries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from desktop_app.domain.enums import Action, LegalForm, ProposalForm, Scope
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.vietnamese import fold, format_vnd, sort_key
from desktop_app.importers.rows import ERROR, SKIPPED, ProposalRecord
from desktop_app.progress import Progress
from desktop_app.services import audit
from desktop_app.services.auth import Actor
from desktop_app.services.dto import EstablishmentInput
from desktop_app.services.establishments import clean_establishment
from desktop_app.services.import_rows import (
    ADD,
    BATCH,
    BUDGET_ITEM,
    EST_FIELDS,
    PROPOSAL_FIELDS,
    SKIP,
    UPDATE,
    EstablishmentIndex,
    ImportPreview,
    PreviewRow,
    ProposalIndex,
    RowOutcome,
    Target,
    duplicate_reason,
    establishment_params,
    input_of,
    insert_returning_ids,
    merge_establishment,
    proposal_key,
    table_of,
)
from desktop_app.services.proposals import clean_input, proposal_code
from desktop_app.store.base import utcnow
from desktop_app.store.database import Database
from desktop_app.store.models import (
    AuditEntry,
    BudgetLine,
    Establishment,
    Proposal,
    ProposalBeneficiary,
    StatusChange,
)


class ImportWrites:
    """The writes of an import, inside the transaction :meth:`ImportService.run` opens."""

    _db: Database

    # --- establishments ------------------------------------------------------------------------------------------

    def _run_establishments(self, s: Session, actor: Actor, preview: ImportPreview, on_duplicate: str,
                            progress: Progress) -> tuple[list[RowOutcome], dict[str, int]]:
        index = EstablishmentIndex(s)
        outcomes: list[RowOutcome] = []
        creates: list[Target] = []
        updates: dict[int, Target] = {}
        row_target: dict[int, Target] = {}
        for row in preview.rows:
            if row.status == SKIPPED:
                continue
            data = row.parsed.establishment
            if row.status == ERROR or data is None:
                outcomes.append(RowOutcome(row.row, "rejected", None, row.reason))
                continue
            found = index.find(data)
            if found is not None and on_duplicate == ADD and found[1] == "Trùng mã số thuế":
                # "Add anyway" cannot give a second establishment a tax code: the database keeps it unique.
                outcomes.append(RowOutcome(row.row, "rejected", None,
                                           f"Mã số thuế {data.tax_code} đã thuộc cơ sở “{found[0].name}”; mỗi mã số "
                                           "thuế chỉ thuộc một cơ sở (chọn bỏ qua hoặc cập nhật dòng trùng)."))
                continue
            if found is not None and on_duplicate != ADD:
                target, reason = found
                if on_duplicate == SKIP:
                    where = (f"“{target.name}” đã có (mã {target.existing_id})" if target.existing_id is not None
                             else f"dòng {target.rows[0]} của tệp")
                    outcomes.append(RowOutcome(row.row, "skipped", target.existing_id,
                                               f"{reason} với {where}; bỏ qua."))
                    continue
                first_update = target.existing_id is not None and target.existing_id not in updates
                if first_update:
                    existing = s.get(Establishment, target.existing_id)
                    assert existing is not None
                    base = input_of(existing)
                else:
                    assert target.data is not None
                    base = target.data
                merged = merge_establishment(base, data)
                try:
                    clean_establishment(merged)  # the merged record must keep every rule, like a typed one
                except ValidationError as exc:
                    outcomes.append(RowOutcome(row.row, "rejected", target.existing_id,
                                               f"Cập nhật “{target.name}” theo dòng này làm hồ sơ sai: {exc.message}"))
                    continue
                if first_update:
                    assert target.existing_id is not None
                    target.action = "update"
                    updates[target.existing_id] = target
                target.data = merged
                target.rows.append(row.row)
                row_target[row.row] = target
                where = "đã có" if target.existing_id is not None else f"tạo từ dòng {target.rows[0]}"
                outcomes.append(RowOutcome(row.row, "updated", target.existing_id,
                                           f"{reason} với “{target.name}” ({where}); đã cập nhật theo dòng này."))
                continue
            target = Target(None, data.name, data, [row.row], "create")
            creates.append(target)
            index.add(data, target)
            row_target[row.row] = target
            outcomes.append(RowOutcome(row.row, "created", None, "Tạo mới."))
        progress.check()
        now = utcnow()
        total = len(creates) + len(updates)
        done = 0
        for start in range(0, len(creates), BATCH):
            batch = creates[start:start + BATCH]
            params = [establishment_params(t.data, now) for t in batch if t.data is not None]
            ids = insert_returning_ids(s, Establishment, params)
            for target, new_id in zip(batch, ids, strict=True):
                target.new_id = new_id
            self._audit_created(s, actor, "establishment", [(t.new_id, t.rows[0]) for t in batch], preview, now)
            done += len(batch)
            progress.check()
            progress.set_progress(done, total, f"Đang ghi: {format_vnd(done)}/{format_vnd(total)} cơ sở")
        for target in updates.values():
            self._update_establishment(s, actor, target, preview)
            done += 1
            if done % 200 == 0:
                progress.check()
                progress.set_progress(done, total, f"Đang ghi: {format_vnd(done)}/{format_vnd(total)} cơ sở")
        outcomes = [replace(o, record_id=row_target[o.row].id) if o.row in row_target else o for o in outcomes]
        needs_review = sum(1 for t in [*creates, *updates.values()] if t.data and t.data.address_needs_review)
        return outcomes, {"establishments_created": 0, "needs_review": needs_review}

    def _update_establishment(self, s: Session, actor: Actor, target: Target, preview: ImportPreview) -> None:
        e = s.get(Establishment, target.existing_id)
        assert e is not None and target.data is not None
        data, _ = clean_establishment(target.data)
        before = audit.snapshot(e, EST_FIELDS)
        for name, value in asdict(data).items():
            setattr(e, name, value.value if isinstance(value, LegalForm) else value)
        e.name_folded = fold(data.name)
        e.name_sort = sort_key(data.name)
        s.flush()
        after = audit.snapshot(e, EST_FIELDS)
        audit.record(s, actor, "import_update", "establishment", e.id, before, after)

    @staticmethod
    def _audit_created(s: Session, actor: Actor, entity: str, created: Sequence[tuple[int | None, int]],
                       preview: ImportPreview, now: Any) -> None:
        entries = [{"at": now, "user_id": actor.id, "username": actor.username, "action": Action.IMPORT.value,
                    "entity": entity, "entity_id": record_id, "field": "",
                    "old_value": None, "new_value": f"Nhập từ Excel: tệp “{preview.file_name}”, dòng {row}"}
                   for record_id, row in created]
        if entries:
            s.execute(insert(table_of(AuditEntry)), entries)

    # --- proposals -----------------------------------------------------------------------------------------------

    def _run_proposals(self, s: Session, actor: Actor, preview: ImportPreview, on_duplicate: str,
                       progress: Progress) -> tuple[list[RowOutcome], dict[str, int]]:
        index = EstablishmentIndex(s)
        proposals = ProposalIndex(s)
        taken = set(proposals.codes)
        outcomes: dict[int, RowOutcome] = {}
        plans: list[tuple[PreviewRow, ProposalRecord, Target | None, str, int | None]] = []
        by_key: dict[tuple[str, ...], int] = {}  # duplicate key → position in plans
        new_establishments: list[Target] = []
        for row in preview.rows:
            if row.status == SKIPPED:
                continue
            record = row.parsed.proposal
            if row.status == ERROR or record is None:
                outcomes[row.row] = RowOutcome(row.row, "rejected", None, row.reason)
                continue
            code = record.data.code
            key = proposal_key(record)
            existing = proposals.find(record)
            replace_pid: int | None = None
            if existing is not None or key in by_key:
                reason = duplicate_reason(key)
                if on_duplicate == SKIP:
                    where = (f"đề án “{existing.title}” đã có (mã {existing.code})" if existing is not None
                             else f"dòng {plans[by_key[key]][0].row} của tệp")
                    outcomes[row.row] = RowOutcome(row.row, "skipped", existing.id if existing else None,
                                                   f"{reason} với {where}; bỏ qua.")
                    continue
                if on_duplicate == UPDATE and existing is not None:
                    if not existing.imported:
                        outcomes[row.row] = RowOutcome(row.row, "rejected", existing.id, (
                            f"{reason}: đề án “{existing.title}” (mã {existing.code}) được lập trong chương trình "
                            "(không nhập từ Excel); không ghi đè từ tệp. Hãy chọn bỏ qua hoặc vẫn thêm mới."))
                        continue
                    replace_pid = existing.id
                elif on_duplicate == UPDATE:
                    # The later row of the file wins over the earlier one with the same key.
                    position = by_key[key]
                    earlier = plans[position][0].row
                    plans[position] = (row, record, None, plans[position][3], None)
                    outcomes[earlier] = RowOutcome(earlier, "skipped", None,
                                                   f"{reason}; được thay bằng dòng {row.row} của tệp.")
                    self._plan_beneficiary(plans, position, index, new_establishments)
                    continue
                elif key[0] == "code":
                    code = ""  # "add anyway": the copy gets a new code
            plans.append((row, record, None, code, replace_pid))
            by_key.setdefault(key, len(plans) - 1)
            if code:
                taken.add(code)
            self._plan_beneficiary(plans, len(plans) - 1, index, new_establishments)
        progress.check()
        now = utcnow()
        # Beneficiaries first (bulk), so the proposals can point at them.
        for start in range(0, len(new_establishments), BATCH):
            batch = new_establishments[start:start + BATCH]
            params = [establishment_params(t.data, now) for t in batch if t.data is not None]
            ids = insert_returning_ids(s, Establishment, params)
            for created, new_id in zip(batch, ids, strict=True):
                created.new_id = new_id
            self._audit_created(s, actor, "establishment", [(t.new_id, t.rows[0]) for t in batch], preview, now)
            progress.check()
        done = 0
        for start in range(0, len(plans), BATCH):
            chunk = plans[start:start + BATCH]
            fresh = [p for p in chunk if p[4] is None]
            for row, record, beneficiary, _code, update_id in chunk:
                if update_id is not None:
                    self._update_proposal(s, actor, update_id, row, record, beneficiary, preview)
                    outcomes[row.row] = RowOutcome(row.row, "updated", update_id,
                                                   "Đã cập nhật đề án nhập trước đây.")
            codes = []
            for _row, record, _target, code, _pid in fresh:
                if not code:
                    code = proposal_code(s, record.data.scope, record.data.year)
                    while code in taken:
                        code = proposal_code(s, record.data.scope, record.data.year)
                    taken.add(code)
                codes.append(code)
            params = [self._proposal_params(record, code, actor, now)
                      for (row, record, _t, _c, _p), code in zip(fresh, codes, strict=True)]
            ids = insert_returning_ids(s, Proposal, params)
            lines, beneficiaries, changes, entries = [], [], [], []
            for (row, record, beneficiary, _given, _pid), new_pid, code in zip(fresh, ids, codes, strict=True):
                lines.append(self._line_params(new_pid, record))
                if beneficiary is not None and beneficiary.id is not None:
                    beneficiaries.append({"proposal_id": new_pid, "establishment_id": beneficiary.id, "position": 0})
                changes.append({"proposal_id": new_pid, "action": Action.IMPORT.value, "from_status": None,
                                "to_status": record.status.value, "user_id": actor.id, "at": now,
                                "note": f"Nhập từ Excel ({preview.file_name}, dòng {row.row})",
                                "document_number": "", "document_date": None})
                entries.append((new_pid, row.row))
                text = "Tạo mới" + (f" với mã {code}" if code != record.data.code else "")
                if beneficiary is not None:
                    text += f"; cơ sở thụ hưởng “{beneficiary.name}”"
                outcomes[row.row] = RowOutcome(row.row, "created", new_pid, text + ".")
            if lines:
                s.execute(insert(table_of(BudgetLine)), lines)
            if beneficiaries:
                s.execute(insert(table_of(ProposalBeneficiary)), beneficiaries)
            if changes:
                s.execute(insert(table_of(StatusChange)), changes)
            self._audit_created(s, actor, "proposal", entries, preview, now)
            done += len(chunk)
            progress.check()
            progress.set_progress(done, len(plans), f"Đang ghi: {format_vnd(done)}/{format_vnd(len(plans))} đề án")
        needs_review = sum(1 for t in new_establishments if t.data and t.data.address_needs_review)
        ordered = [outcomes[r] for r in sorted(outcomes)]
        return ordered, {"establishments_created": len(new_establishments), "needs_review": needs_review}

    @staticmethod
    def _plan_beneficiary(plans: list[tuple[PreviewRow, ProposalRecord, Target | None, str, int | None]],
                          position: int, index: EstablishmentIndex, new_establishments: list[Target]) -> None:
        row, record, _, code, pid = plans[position]
        probe = record.establishment
        if probe is None and record.tax_code:
            probe = EstablishmentInput(name="", legal_form=LegalForm.HOUSEHOLD, tax_code=record.tax_code)
        target: Target | None = None
        if probe is not None:
            found = index.find(probe)
            if found is not None:
                target = found[0]
            elif record.establishment is not None:
                data, _ = clean_establishment(record.establishment)
                target = Target(None, data.name, data, [row.row], "create")
                index.add(data, target)
                new_establishments.append(target)
        plans[position] = (row, record, target, code, pid)

    @staticmethod
    def _proposal_params(record: ProposalRecord, code: str, actor: Actor, now: Any) -> dict[str, Any]:
        data = clean_input(record.data)
        values = {f: getattr(data, f) for f in PROPOSAL_FIELDS}
        values["scope"], values["form"] = data.scope.value, data.form.value
        values.update(code=code, title_folded=fold(data.title), title_sort=sort_key(data.title),
                      status=record.status.value,
                      approved_support_vnd=record.approved_support_vnd, approved_on=None, approval_number="",
                      imported=True, created_by=actor.id, version=1, created_at=now, updated_at=now)
        return values

    @staticmethod
    def _line_params(proposal_id: int, record: ProposalRecord) -> dict[str, Any]:
        return {"proposal_id": proposal_id, "position": 1, "item": BUDGET_ITEM, "unit": "đề án",
                "quantity": Decimal(1), "unit_price_vnd": record.total_vnd, "support_vnd": record.support_vnd,
                "counterpart_vnd": record.counterpart_vnd, "other_vnd": record.other_vnd}

    def _update_proposal(self, s: Session, actor: Actor, pid: int, row: PreviewRow, record: ProposalRecord,
                         target: Target | None, preview: ImportPreview) -> None:
        p = s.get(Proposal, pid)
        assert p is not None
        data = clean_input(record.data)
        fields = list(PROPOSAL_FIELDS)
        before = {**audit.snapshot(p, tuple(fields)), "status": p.status,
                  "approved_support_vnd": p.approved_support_vnd,
                  "total_vnd": sum(x.support_vnd + x.counterpart_vnd + x.other_vnd for x in p.lines),
                  "support_vnd": sum(x.support_vnd for x in p.lines)}
        for f in fields:
            value = getattr(data, f)
            setattr(p, f, value.value if isinstance(value, Scope | ProposalForm) else value)
        p.title_folded = fold(data.title)
        p.title_sort = sort_key(data.title)
        old_status = p.status
        p.status = record.status.value
        p.approved_support_vnd = record.approved_support_vnd
        s.execute(delete(BudgetLine).where(BudgetLine.proposal_id == pid))
        s.execute(delete(ProposalBeneficiary).where(ProposalBeneficiary.proposal_id == pid))
        s.flush()
        s.expire(p, ["lines", "beneficiaries"])
        s.execute(insert(table_of(BudgetLine)), [self._line_params(pid, record)])
        if target is not None and target.id is not None:
            s.execute(insert(table_of(ProposalBeneficiary)), [{"proposal_id": pid, "establishment_id": target.id,
                                                     "position": 0}])
        if old_status != p.status:
            s.add(StatusChange(proposal_id=pid, action=Action.IMPORT.value, from_status=old_status,
                               to_status=p.status, user_id=actor.id,
                               note=f"Cập nhật từ Excel ({preview.file_name}, dòng {row.row})"))
        s.flush()
        after = {**audit.snapshot(p, tuple(fields)), "status": p.status,
                 "approved_support_vnd": p.approved_support_vnd, "total_vnd": record.total_vnd,
                 "support_vnd": record.support_vnd}
        audit.record(s, actor, "import_update", "proposal", pid, before, after)
