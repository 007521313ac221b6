"""One establishment in use per tax code, kept by the database: the second of two users saving the same code at
the same moment gets a message on the field, never a second record."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from factories import establishment_input
from sqlalchemy import func, select

from desktop_app.domain.errors import ValidationError
from desktop_app.services import establishments as establishments_module
from desktop_app.store.models import Establishment

TAX = "0100109106"


def _with_code(services, code: str) -> int:
    with services.db.reading() as s:
        return s.scalar(select(func.count(Establishment.id)).where(Establishment.tax_code == code,
                                                                   Establishment.archived.is_(False))) or 0


def test_simultaneous_saves_of_one_tax_code_keep_one(services, people, monkeypatch: pytest.MonkeyPatch) -> None:
    # Both users passed the duplicate check before either saved: only the database can still refuse.
    monkeypatch.setattr(establishments_module, "find_duplicates", lambda *_a, **_k: [])
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def save(n: int) -> None:
        barrier.wait(timeout=10)
        try:
            services.establishments.create(people.staff, establishment_input(name=f"Cơ sở {n}", tax_code=TAX))
            outcomes.append("saved")
        except ValidationError as exc:
            assert exc.field == "tax_code" and TAX in exc.message
            outcomes.append("refused")

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "refused", "refused", "saved"]
    assert _with_code(services, TAX) == 1


def test_allowing_a_duplicate_does_not_allow_a_shared_tax_code(services, people) -> None:
    first = services.establishments.create(people.staff, establishment_input(tax_code=TAX))
    with pytest.raises(ValidationError, match="đã thuộc một cơ sở khác") as refused:
        services.establishments.create(people.staff, establishment_input(tax_code=TAX), allow_duplicate=True)
    assert refused.value.field == "tax_code"
    # Archived records and empty codes do not count.
    services.establishments.set_archived(people.staff, first.id, True, first.version)
    second = services.establishments.create(people.staff, establishment_input(tax_code=TAX), allow_duplicate=True)
    services.establishments.create(people.staff, establishment_input(tax_code=""))
    services.establishments.create(people.staff, establishment_input(tax_code=""))
    archived = services.establishments.get(people.staff, first.id)
    with pytest.raises(ValidationError, match="đã thuộc một cơ sở khác"):
        services.establishments.set_archived(people.staff, first.id, False, archived.version)
    assert _with_code(services, TAX) == 1
    edited = services.establishments.update(people.staff, second.id, replace(establishment_input(), tax_code=""),
                                            second.version)
    assert edited.data.tax_code == ""
