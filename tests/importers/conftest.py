"""Fixtures for the importer tests: the reference lists read straight from ``db/reference/*.csv`` (no database),
and a helper that writes small workbooks."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from desktop_app.importers.addresses import AddressBook
from desktop_app.importers.rows import Catalogue
from desktop_app.paths import reference_dir
from desktop_app.services.dto import CodeName

TODAY = date(2026, 11, 27)


@dataclass(frozen=True)
class Legacy:
    provinces: list[CodeName]
    districts: list[CodeName]
    wards: list[CodeName]
    mappings: dict[str, list[tuple[str, bool]]]


@dataclass(frozen=True)
class Lists:
    provinces: list[CodeName]
    communes: list[CodeName]
    legacy: Legacy
    contents: list[CodeName]
    sectors: list[CodeName]


def _rows(name: str) -> list[dict[str, str]]:
    with (reference_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def lists() -> Lists:
    """The lists as ``services.reference`` returns them, read from the shipped CSV files."""
    today_of = {r["legacy_province_code"]: r["province_code"] for r in _rows("legacy_province_mapping.csv")}
    mappings: dict[str, list[tuple[str, bool]]] = {}
    for r in _rows("ward_mapping.csv"):
        mappings.setdefault(r["legacy_ward_code"], []).append((r["commune_code"], r["is_default"] == "1"))
    legacy = Legacy(
        [CodeName(r["code"], r["name"], today_of[r["code"]], r["kind"]) for r in _rows("legacy_provinces.csv")],
        [CodeName(r["code"], r["name"], r["province_code"], r["kind"]) for r in _rows("legacy_districts.csv")],
        [CodeName(r["code"], r["name"], r["district_code"], r["kind"]) for r in _rows("legacy_wards.csv")],
        mappings)
    return Lists(
        [CodeName(r["code"], r["name"], extra=r["kind"]) for r in _rows("provinces.csv")],
        [CodeName(r["code"], f"{r['kind']} {r['name']}", r["province_code"], r["kind"]) for r in _rows("communes.csv")],
        legacy,
        [CodeName(r["code"], r["name"], r["parent_code"] or None) for r in _rows("contents.csv")],
        [CodeName(r["code"], r["name"], "1", r["nd45_group"]) for r in _rows("sectors.csv")],
    )


@pytest.fixture(scope="session")
def book(lists: Lists) -> AddressBook:
    return AddressBook(lists.provinces, lists.communes, lists.legacy)


@pytest.fixture(scope="session")
def catalogue(lists: Lists) -> Catalogue:
    return Catalogue.build(lists.provinces, lists.communes, lists.legacy, lists.contents, lists.sectors, TODAY)


WorkbookMaker = Callable[..., Path]


@pytest.fixture
def make_workbook(tmp_path: Path) -> WorkbookMaker:
    """``make_workbook(rows, name=…, merges=…, sheet=…)``: an .xlsx with ``rows`` from A1, returned as a path."""
    counter = iter(range(1, 10_000))

    def make(rows: Sequence[Sequence[object]], name: str | None = None, merges: Sequence[str] = (),
             sheet: str = "Danh sách", extra_sheets: dict[str, Sequence[Sequence[object]]] | None = None) -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
        for row in rows:
            ws.append(list(row))
        for cells in merges:
            ws.merge_cells(cells)
        for title, extra in (extra_sheets or {}).items():
            other = wb.create_sheet(title)
            for row in extra:
                other.append(list(row))
        path = tmp_path / (name or f"nhap-{next(counter)}.xlsx")
        wb.save(path)
        return path

    return make
