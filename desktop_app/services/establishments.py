"""Registering and keeping rural industrial establishments: validation, duplicates, search, history."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.domain.enums import LegalForm, Role
from desktop_app.domain.errors import ConflictError, NotFound, ValidationError
from desktop_app.domain.validators import (
    check_date_range,
    check_email,
    check_phone,
    check_tax_code,
    normalize_phone,
    normalize_tax_code,
)
from desktop_app.domain.vietnamese import fold, normalize, sort_key
from desktop_app.services import audit
from desktop_app.services.auth import Actor, require_role, require_signed_in
from desktop_app.services.dto import (
    Duplicate,
    EstablishmentDetail,
    EstablishmentFilter,
    EstablishmentInput,
    EstablishmentRow,
    Page,
)
from desktop_app.store import queries
from desktop_app.store.database import Database
from desktop_app.store.models import Commune, Establishment, Province, Sector

EDITORS = (Role.STAFF, Role.MANAGER, Role.ADMIN)
_FIELDS = tuple(EstablishmentInput.__dataclass_fields__)


def clean_establishment(data: EstablishmentInput) -> tuple[EstablishmentInput, list[str]]:
    """Normalise and validate; returns the cleaned input and the warnings (errors raise).

    Raises:
        ValidationError: naming the first field that is wrong, with every problem found in ``problems`` (in the
            form's order) so the form shows them all at once.
    """
    warnings: list[str] = []
    errors: list[tuple[str, str]] = []
    text = {k: normalize(v) for k, v in asdict(data).items() if type(v) is str}
    data = replace(data, **cast(dict[str, Any], text))
    if not data.name:
        errors.append(("name", "Chưa nhập tên cơ sở."))
    if not isinstance(data.legal_form, LegalForm):
        errors.append(("legal_form", "Chưa chọn loại hình cơ sở."))
    for field, problem in (("tax_code", check_tax_code(data.tax_code)), ("phone", check_phone(data.phone)),
                           ("email", check_email(data.email))):
        if problem and (problem.severity == "error" or field == "email"):
            errors.append((field, problem.message))
        elif problem:
            warnings.append(problem.message)
    for name, label in (("workers", "Số lao động"), ("female_workers", "Lao động nữ")):
        value = getattr(data, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            errors.append((name, f"{label} phải là số nguyên không âm."))
    counted = not any(f in ("workers", "female_workers") for f, _ in errors)
    if counted and data.workers is not None and data.female_workers is not None and data.female_workers > data.workers:
        errors.append(("female_workers", "Lao động nữ không được nhiều hơn tổng số lao động."))
    date_problem = check_date_range(data.founded_on, None)
    if date_problem:
        errors.append(("founded_on", date_problem.message))
    if not data.province_code and not data.address_as_recorded:
        errors.append(("province_code", "Chưa chọn tỉnh/thành phố."))
    if errors:
        field, message = errors[0]
        raise ValidationError(message, field=field, problems=tuple(errors))
    data = replace(data, tax_code=normalize_tax_code(data.tax_code), phone=normalize_phone(data.phone),
                   email=data.email.lower())
    return data, warnings


def _apply(row: Establishment, data: EstablishmentInput) -> None:
    if row.tax_code != data.tax_code:
        row.tax_code_shared = False  # a code changed since the upgrade must be unique like any other
    for k, v in asdict(data).items():
        setattr(row, k, v.value if isinstance(v, LegalForm) else v)
    row.name_folded = fold(data.name)
    row.name_sort = sort_key(data.name)


def flush_unique_tax_code(s: Session, tax_code: str) -> None:
    """Flush, turning the database's refusal of a second establishment in use with ``tax_code`` (saved by
    someone else a moment ago, or allowed as a duplicate by the user) into a message on the field.

    Raises:
        ValidationError: the tax code belongs to another establishment in use.
    """
    try:
        s.flush()
    except IntegrityError as exc:
        text = str(exc.orig)
        if "uq_establishments_tax_code_in_use" not in text and "establishments.tax_code" not in text:
            raise
        raise ValidationError(
            f"Mã số thuế {tax_code} đã thuộc một cơ sở khác đang dùng (có thể vừa được người khác lưu); mỗi mã số "
            "thuế chỉ thuộc một cơ sở. Hãy tìm cơ sở đó, hoặc lưu trữ cơ sở cũ trước.", field="tax_code") from exc


def _detail(s: Session, e: Establishment) -> EstablishmentDetail:
    province = s.get(Province, e.province_code) if e.province_code else None
    commune = s.get(Commune, e.commune_code) if e.commune_code else None
    sector = s.get(Sector, e.sector_code) if e.sector_code else None
    values: dict[str, Any] = {f: getattr(e, f) for f in _FIELDS}
    values["legal_form"] = LegalForm(e.legal_form)
    return EstablishmentDetail(
        e.id, EstablishmentInput(**values), province.name if province else "",
        f"{commune.kind} {commune.name}" if commune else "", sector.name if sector else "", e.archived, e.version,
        e.created_at, e.updated_at)


def row_of(r: Any) -> EstablishmentRow:
    return EstablishmentRow(r.id, r.name, LegalForm(r.legal_form), r.tax_code, r.representative, r.phone,
                            r.province_name, r.commune_name, r.sector_name, r.workers, r.archived)


def _check_place(s: Session, data: EstablishmentInput) -> None:
    if data.province_code and s.get(Province, data.province_code) is None:
        raise ValidationError("Tỉnh/thành phố không có trong danh mục.", field="province_code")
    if data.commune_code:
        commune = s.get(Commune, data.commune_code)
        if commune is None:
            raise ValidationError("Xã/phường không có trong danh mục.", field="commune_code")
        if data.province_code and commune.province_code != data.province_code:
            raise ValidationError("Xã/phường không thuộc tỉnh/thành phố đã chọn.", field="commune_code")
    if data.sector_code and s.get(Sector, data.sector_code) is None:
        raise ValidationError("Ngành nghề không có trong danh mục.", field="sector_code")


def find_duplicates(s: Session, data: EstablishmentInput, exclude_id: int | None = None) -> list[Duplicate]:
    """Establishments with the same tax code, or the same folded name in the same commune."""
    found: dict[int, Duplicate] = {}
    conds = []
    tax = normalize_tax_code(data.tax_code)
    if tax:
        conds.append(("Trùng mã số thuế", Establishment.tax_code == tax))
    if data.name and data.commune_code:
        conds.append(("Trùng tên và xã/phường", (Establishment.name_folded == fold(data.name))
                      & (Establishment.commune_code == data.commune_code)))
    elif data.name and data.province_code:
        conds.append(("Trùng tên trong cùng tỉnh", (Establishment.name_folded == fold(data.name))
                      & (Establishment.province_code == data.province_code)
                      & Establishment.commune_code.is_(None)))
    for reason, cond in conds:
        q = select(Establishment.id, Establishment.name, Establishment.tax_code, Commune.kind, Commune.name) \
            .outerjoin(Commune, Commune.code == Establishment.commune_code).where(cond).limit(20)
        if exclude_id:
            q = q.where(Establishment.id != exclude_id)
        for eid, name, tax_code, kind, cname in s.execute(q):
            if eid not in found:
                found[eid] = Duplicate(eid, name, tax_code, f"{kind} {cname}" if cname else "", reason)
    return list(found.values())


class EstablishmentService:
    """Use cases on establishments."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def validate(self, data: EstablishmentInput) -> list[str]:
        """Check without saving; returns warnings (a form calls this to show them beside the fields)."""
        return clean_establishment(data)[1]

    def duplicates(self, data: EstablishmentInput, exclude_id: int | None = None) -> list[Duplicate]:
        with self._db.reading() as s:
            return find_duplicates(s, data, exclude_id)

    def create(self, actor: Actor, data: EstablishmentInput, allow_duplicate: bool = False) -> EstablishmentDetail:
        """Register an establishment.

        Raises:
            ValidationError: a field is wrong, or a duplicate exists and ``allow_duplicate`` is false.
        """
        require_role(actor, *EDITORS, doing="đăng ký cơ sở")
        data, _ = clean_establishment(data)
        with self._db.transaction() as s:
            _check_place(s, data)
            dups = find_duplicates(s, data)
            if dups and not allow_duplicate:
                d = dups[0]
                raise ValidationError(f"{d.reason} với cơ sở “{d.name}” (mã {d.id}).",
                                      field="tax_code" if d.reason.startswith("Trùng mã") else "name")
            row = Establishment(version=1)
            _apply(row, data)
            s.add(row)
            flush_unique_tax_code(s, data.tax_code)
            audit.record(s, actor, "create", "establishment", row.id, None,
                         {k: v for k, v in asdict(data).items() if v not in (None, "", False)})
            return _detail(s, row)

    def update(self, actor: Actor, establishment_id: int, data: EstablishmentInput, version: int,
               allow_duplicate: bool = False) -> EstablishmentDetail:
        """Save changes made to the version the user read.

        Raises:
            ConflictError: the record changed since ``version`` was read.
        """
        require_role(actor, *EDITORS, doing="sửa cơ sở")
        data, _ = clean_establishment(data)
        with self._db.transaction() as s:
            row = s.get(Establishment, establishment_id)
            if row is None:
                raise NotFound("Cơ sở không còn tồn tại.")
            if row.version != version:
                raise ConflictError("Cơ sở vừa được người khác sửa; thay đổi của bạn chưa được lưu. Hãy tải lại.")
            _check_place(s, data)
            dups = find_duplicates(s, data, exclude_id=establishment_id)
            if dups and not allow_duplicate:
                d = dups[0]
                raise ValidationError(f"{d.reason} với cơ sở “{d.name}” (mã {d.id}).",
                                      field="tax_code" if d.reason.startswith("Trùng mã") else "name")
            before = audit.snapshot(row, _FIELDS)
            _apply(row, data)
            flush_unique_tax_code(s, data.tax_code)
            audit.record(s, actor, "update", "establishment", row.id, before, audit.snapshot(row, _FIELDS))
            return _detail(s, row)

    def set_archived(self, actor: Actor, establishment_id: int, archived: bool, version: int) -> EstablishmentDetail:
        require_role(actor, *EDITORS, doing="lưu trữ cơ sở")
        with self._db.transaction() as s:
            row = s.get(Establishment, establishment_id)
            if row is None:
                raise NotFound("Cơ sở không còn tồn tại.")
            if row.version != version:
                raise ConflictError("Cơ sở vừa được người khác sửa; hãy tải lại.")
            audit.record(s, actor, "archive", "establishment", row.id, {"archived": row.archived},
                         {"archived": archived})
            row.archived = archived
            flush_unique_tax_code(s, row.tax_code)
            return _detail(s, row)

    def get(self, actor: Actor, establishment_id: int) -> EstablishmentDetail:
        require_signed_in(actor, doing="xem cơ sở")
        with self._db.reading() as s:
            row = s.get(Establishment, establishment_id)
            if row is None:
                raise NotFound("Cơ sở không còn tồn tại.")
            return _detail(s, row)

    def _query(self, f: EstablishmentFilter) -> Any:
        return queries.establishment_select(
            text=fold(f.text), province_code=f.province_code, commune_code=f.commune_code,
            sector_code=f.sector_code, legal_form=f.legal_form.value if f.legal_form else None,
            include_archived=f.include_archived)

    def search(self, actor: Actor, f: EstablishmentFilter, offset: int = 0, limit: int = 200,
               sort: str = "name", descending: bool = False) -> Page[EstablishmentRow]:
        """One page of establishments matching ``f`` in Vietnamese order (or by ``sort``)."""
        require_signed_in(actor, doing="xem danh sách cơ sở")
        column = queries.ESTABLISHMENT_SORTS.get(sort, queries.ESTABLISHMENT_SORTS["name"])
        order = [column.desc() if descending else column.asc(), Establishment.id]
        with self._db.reading() as s:
            q = self._query(f)
            rows = [row_of(r) for r in queries.page(s, q, order, offset, limit)]
            total = queries.count(s, q) if offset == 0 or len(rows) == limit else offset + len(rows)
            return Page(rows, total, offset)

    def count(self, actor: Actor, f: EstablishmentFilter) -> int:
        require_signed_in(actor, doing="xem danh sách cơ sở")
        with self._db.reading() as s:
            return queries.count(s, self._query(f))

    def iter_rows(self, actor: Actor, f: EstablishmentFilter, sort: str = "name", descending: bool = False):
        """Every matching row (as ``Row`` with all list columns), streamed for exports."""
        require_signed_in(actor, doing="xuất danh sách cơ sở")
        column = queries.ESTABLISHMENT_SORTS.get(sort, queries.ESTABLISHMENT_SORTS["name"])
        order = [column.desc() if descending else column.asc(), Establishment.id]
        with self._db.reading() as s:
            yield from queries.stream(s, self._query(f), order)
