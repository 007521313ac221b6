"""Registering establishments: validation, duplicates, search without diacritics, Vietnamese order, conflicts."""

from __future__ import annotations

from dataclasses import replace

import pytest
from factories import establishment_input, make_establishment
from sqlalchemy import select

from desktop_app.domain.enums import LegalForm
from desktop_app.domain.errors import ConflictError, PermissionDenied, ValidationError
from desktop_app.services.dto import EstablishmentFilter
from desktop_app.store.models import AuditEntry


def test_register_normalises_and_audits(services, people) -> None:
    commune = services.reference.communes("37")[0]
    detail = services.establishments.create(people.staff, establishment_input(
        name="  Cơ sở  Gốm   Bát Tràng ", tax_code="0314409058002", phone="+84 912 345 678", email="A@B.VN",
        commune_code=commune.code))
    assert detail.data.name == "Cơ sở Gốm Bát Tràng"
    assert detail.data.tax_code == "0314409058-002" and detail.data.phone == "0912345678"
    assert detail.data.email == "a@b.vn" and detail.commune_name == commune.name and detail.province_name
    with services.db.reading() as s:
        fields = set(s.scalars(select(AuditEntry.field).where(AuditEntry.entity == "establishment",
                                                              AuditEntry.entity_id == detail.id)))
    assert {"name", "tax_code", "phone"} <= fields


@pytest.mark.parametrize(("overrides", "field"), [
    ({"name": " "}, "name"), ({"tax_code": "12345"}, "tax_code"), ({"phone": "09123"}, "phone"),
    ({"email": "khong-hop-le"}, "email"), ({"workers": 5, "female_workers": 6}, "female_workers"),
    ({"province_code": "99"}, "province_code"), ({"commune_code": "00001"}, "commune_code"),
])
def test_bad_input_names_the_field_and_writes_nothing(services, people, overrides, field) -> None:
    before = services.establishments.count(people.staff, EstablishmentFilter())
    with pytest.raises(ValidationError) as err:
        services.establishments.create(people.staff, establishment_input(**overrides))
    assert err.value.field == field and err.value.message
    assert services.establishments.count(people.staff, EstablishmentFilter()) == before


def test_wrong_check_digit_is_only_a_warning(services, people) -> None:
    warnings = services.establishments.validate(establishment_input(tax_code="0100233489"))
    assert warnings and "Mã số thuế" in warnings[0]
    assert services.establishments.create(people.staff, establishment_input(tax_code="0100233489")).id


def test_duplicates_by_tax_code_or_name_and_commune(services, people) -> None:
    commune = services.reference.communes("37")[1].code
    make_establishment(services, people.staff, name="Hợp tác xã Đồng Tâm", tax_code="0100233488",
                       commune_code=commune)
    same_tax = establishment_input(name="Tên khác", tax_code="0100233488")
    assert [d.reason for d in services.establishments.duplicates(same_tax)] == ["Trùng mã số thuế"]
    with pytest.raises(ValidationError, match="Trùng mã số thuế"):
        services.establishments.create(people.staff, same_tax)
    same_name = establishment_input(name="HỢP TÁC XÃ ĐỒNG TÂM", commune_code=commune)
    assert services.establishments.duplicates(same_name)[0].reason == "Trùng tên và xã/phường"
    assert services.establishments.create(people.staff, same_name, allow_duplicate=True).id


def test_search_folds_diacritics_and_sorts_vietnamese(services, people) -> None:
    for name in ("Ứng Hòa Dệt", "Đức Thắng Cơ khí", "Bình Minh Gốm", "Bắc Ninh Tre", "An Phú Mây", "Zeta Nhựa"):
        make_establishment(services, people.staff, name=name)
    page = services.establishments.search(people.staff, EstablishmentFilter(text="duc thang"))
    assert [r.name for r in page.rows] == ["Đức Thắng Cơ khí"] and page.total == 1
    names = [r.name for r in services.establishments.search(people.staff, EstablishmentFilter()).rows]
    assert names == ["An Phú Mây", "Bắc Ninh Tre", "Bình Minh Gốm", "Đức Thắng Cơ khí", "Ứng Hòa Dệt", "Zeta Nhựa"]
    desc = services.establishments.search(people.staff, EstablishmentFilter(), descending=True).rows
    assert desc[0].name == "Zeta Nhựa"
    paged = services.establishments.search(people.staff, EstablishmentFilter(), offset=2, limit=2)
    assert [r.name for r in paged.rows] == ["Bình Minh Gốm", "Đức Thắng Cơ khí"]
    coop = services.establishments.search(people.staff, EstablishmentFilter(legal_form=LegalForm.SME))
    assert coop.total == 0


def test_lost_update_is_refused(services, people) -> None:
    eid = make_establishment(services, people.staff)
    first = services.establishments.get(people.staff, eid)
    services.establishments.update(people.manager, eid, replace(first.data, notes="Sửa lần 1"), first.version)
    with pytest.raises(ConflictError, match="người khác"):
        services.establishments.update(people.staff, eid, replace(first.data, notes="Sửa lần 2"), first.version)
    assert services.establishments.get(people.staff, eid).data.notes == "Sửa lần 1"


def test_appraiser_cannot_register(services, people) -> None:
    with pytest.raises(PermissionDenied, match="đăng ký cơ sở"):
        services.establishments.create(people.appraisers[0], establishment_input())


def test_archived_establishments_are_hidden_by_default(services, people) -> None:
    eid = make_establishment(services, people.staff, name="Cơ sở Lưu Trữ")
    d = services.establishments.get(people.staff, eid)
    services.establishments.set_archived(people.staff, eid, True, d.version)
    assert services.establishments.search(people.staff, EstablishmentFilter(text="luu tru")).total == 0
    assert services.establishments.search(people.staff, EstablishmentFilter(text="luu tru",
                                                                             include_archived=True)).total == 1
