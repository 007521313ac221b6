"""The people of the demo data: the users who act in the histories, the centre's letterhead."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from desktop_app.demo.base import GeneratorBase
from desktop_app.demo.common import DEMO_PASSWORD, _People
from desktop_app.domain.enums import (
    Role,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.services import audit
from desktop_app.services.auth import hash_password
from desktop_app.store.models import (
    Organisation,
    User,
)


class PeopleGenerator(GeneratorBase):
    """Users and the letterhead."""

    # -- people -----------------------------------------------------------------------------------------------------

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
