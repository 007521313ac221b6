"""The centre's letterhead and the business settings an administrator may change."""

from __future__ import annotations

import re
from dataclasses import asdict
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from desktop_app.domain.enums import Role
from desktop_app.domain.errors import ConflictError, ValidationError
from desktop_app.domain.vietnamese import normalize
from desktop_app.services import audit
from desktop_app.services.auth import Actor, require_role
from desktop_app.services.dto import OrganisationInfo
from desktop_app.store.database import Database
from desktop_app.store.models import Organisation, Province
from desktop_app.store.settings import get_setting, set_setting

_FIELDS = ("name", "parent_body", "abbreviation", "province_code", "place_name", "director_name",
           "director_title", "address", "phone", "email")

EMPTY = OrganisationInfo("", "", "TTKC", None, "", "", "", "Giám đốc", "", "", "", 0)


LOCAL_REGULATION_SETTING = "documents.local_regulation"


class OrganisationService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self) -> OrganisationInfo:
        """The letterhead (every signed-in user may read it: it heads their documents)."""
        with self._db.reading() as s:
            org = s.scalar(select(Organisation).limit(1))
            if org is None:
                return EMPTY
            province = s.get(Province, org.province_code) if org.province_code else None
            return OrganisationInfo(**{f: getattr(org, f) for f in _FIELDS},
                                    province_name=province.name if province else "", version=org.version)

    def is_configured(self) -> bool:
        return bool(self.get().name)

    def save(self, actor: Actor | None, info: OrganisationInfo) -> OrganisationInfo:
        """Save the letterhead. ``actor`` may be None only while the first-run wizard sets it up.

        Raises:
            ValidationError: a required field is empty.
            ConflictError: someone else saved it meanwhile.
        """
        if actor is not None:
            require_role(actor, Role.ADMIN, doing="sửa thông tin đơn vị")
        values = {f: normalize(v) if isinstance(v, str) else v for f, v in asdict(info).items() if f in _FIELDS}
        if not values["name"]:
            raise ValidationError("Chưa nhập tên đơn vị (Trung tâm Khuyến công …).", field="name")
        if not values["place_name"]:
            raise ValidationError("Chưa nhập địa danh ghi trên văn bản (ví dụ “Ninh Bình”).", field="place_name")
        values["abbreviation"] = values["abbreviation"] or "TTKC"
        with self._db.transaction() as s:
            org = s.scalar(select(Organisation).limit(1))
            if org is None:
                org = Organisation(**values)
                s.add(org)
                s.flush()
                audit.record(s, actor, "create", "organisation", org.id, None, values)
            else:
                if actor is None:
                    raise ValidationError("Thông tin đơn vị đã được thiết lập; cần quyền quản trị để sửa.")
                if info.version and info.version != org.version:
                    raise ConflictError("Thông tin đơn vị vừa được người khác sửa; hãy tải lại.")
                before = audit.snapshot(org, _FIELDS)
                for k, v in values.items():
                    setattr(org, k, v)
                audit.record(s, actor, "update", "organisation", org.id, before, values)
        return self.get()

    def advance_percent(self) -> Decimal:
        with self._db.reading() as s:
            return Decimal(get_setting(s, "advance_percent", "70"))

    def set_advance_percent(self, actor: Actor, percent: str) -> None:
        require_role(actor, Role.ADMIN, doing="đổi tỷ lệ tạm ứng")
        try:
            value = Decimal(percent.replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationError("Tỷ lệ tạm ứng phải là số phần trăm.", field="advance_percent") from exc
        if not 0 < value <= 100:
            raise ValidationError("Tỷ lệ tạm ứng phải trong khoảng 0–100%.", field="advance_percent")
        with self._db.transaction() as s:
            old = set_setting(s, "advance_percent", f"{value.normalize():f}")
            audit.record(s, actor, "update", "setting", None, {"advance_percent": old},
                         {"advance_percent": f"{value.normalize():f}"})

    def local_regulation(self) -> str:
        """The province's regulation on local khuyến công funds, with its number and date, as cited in the
        decisions ("Quyết định số 05/2021/QĐ-UBND ngày 10 tháng 3 năm 2021 của Ủy ban nhân dân tỉnh …");
        empty: the documents use the letterhead template's text."""
        with self._db.reading() as s:
            return get_setting(s, LOCAL_REGULATION_SETTING, "")

    def set_local_regulation(self, actor: Actor, text: str) -> None:
        """Store the province's regulation cited in the decisions.

        Raises:
            ValidationError: a text without a number ("số …") or a date ("ngày …").
        """
        require_role(actor, Role.ADMIN, doing="đổi căn cứ quy chế của tỉnh")
        value = " ".join(normalize(text).split()).rstrip(";.")
        if value and not (re.search(r"\bsố\s*\d", value, re.IGNORECASE) and re.search(r"\bngày\s*\d", value)):
            raise ValidationError("Căn cứ quy chế của tỉnh phải ghi số và ngày ban hành, ví dụ “Quyết định số "
                                  "05/2021/QĐ-UBND ngày 10 tháng 3 năm 2021 của Ủy ban nhân dân tỉnh … ban hành Quy "
                                  "chế …”.", field="local_regulation")
        with self._db.transaction() as s:
            old = set_setting(s, LOCAL_REGULATION_SETTING, value)
            audit.record(s, actor, "update", "setting", None, {LOCAL_REGULATION_SETTING: old},
                         {LOCAL_REGULATION_SETTING: value})
