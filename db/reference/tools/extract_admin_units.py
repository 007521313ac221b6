#!/usr/bin/env python3
"""Regenerate the administrative-unit CSVs in ``db/reference/`` from ``vietnamadminunits``.

The program ships only the CSV files this script writes, not the package. The package is a tool
for the maintainer. Use a throw-away virtual environment outside the repository:

    python3 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install --no-deps vietnamadminunits==1.0.4
    /tmp/refvenv/bin/python db/reference/tools/extract_admin_units.py            # write the CSVs
    /tmp/refvenv/bin/python db/reference/tools/extract_admin_units.py --check    # compare only

``--no-deps`` is enough. This script reads only the package's data files (``data/dataset.db``,
an SQLite file with the tables ``admin_units_legacy`` and ``admin_units``, and
``data/converter_2025.json``, the old-to-new mapping). It uses only the standard library and
never imports the package. It can also read the data from an unpacked wheel:
``--package-dir path/to/vietnamadminunits``.

Files written (UTF-8, header row, ``\\n`` line ends, sorted by code, names NFC-normalised and
without their type prefix: the full name is always ``kind + " " + name``, e.g. kind "Phường",
name "1" for "Phường 1"):

* ``provinces.csv``               code,name,kind: the 34 provinces in force from 1 July 2025
* ``communes.csv``                code,province_code,name,kind: the 3,321 xã / phường / đặc khu
* ``legacy_provinces.csv``        code,name,kind: the 63 provinces before 1 July 2025
* ``legacy_districts.csv``        code,province_code,name,kind: the districts before 1 July 2025
* ``legacy_wards.csv``            code,district_code,province_code,name,kind: communes before 1 July 2025
* ``ward_mapping.csv``            legacy_ward_code,commune_code,is_default: old ward to new commune
* ``legacy_province_mapping.csv`` legacy_province_code,province_code

A code means nothing without its era. The same 2-digit or 5-digit code can name different units
before and after 1 July 2025, so each era has its own files. The script checks the counts and the
foreign keys. It also checks that each legacy ward has exactly one default mapping row, and that
the province merge matches Resolution 202/2025/QH15. If any check fails, it stops and writes
nothing.
"""

from __future__ import annotations

import argparse
import collections
import csv
import importlib.util
import io
import json
import re
import sqlite3
import sys
import unicodedata
from pathlib import Path

PACKAGE = "vietnamadminunits"
EXPECTED_VERSION = "1.0.4"

# Unit types, longest first so that prefixes are matched greedily.
PROVINCE_KINDS = ("Thành phố", "Tỉnh")
DISTRICT_KINDS = ("Thành phố", "Thị xã", "Quận", "Huyện")
LEGACY_WARD_KINDS = ("Thị trấn", "Phường", "Xã")
COMMUNE_KINDS = ("Đặc khu", "Phường", "Xã")

EXPECTED_COUNTS = {
    "provinces": 34,
    "communes": 3321,
    "legacy_provinces": 63,
}
# The official 2025 split of the 3,321 communes (2,621 xã, 687 phường, 13 đặc khu).
EXPECTED_COMMUNE_KINDS = {"Xã": 2621, "Phường": 687, "Đặc khu": 13}

# Resolution 202/2025/QH15: new province code -> legacy province codes merged into it.
# This is the same table as shared/documents-locale.md §5.3. The derived mapping must equal it.
EXPECTED_PROVINCE_MERGE = {
    "01": ["01"], "04": ["04"], "08": ["02", "08"], "11": ["11"], "12": ["12"], "14": ["14"],
    "15": ["10", "15"], "19": ["06", "19"], "20": ["20"], "22": ["22"], "24": ["24", "27"],
    "25": ["17", "25", "26"], "31": ["30", "31"], "33": ["33", "34"], "37": ["35", "36", "37"],
    "38": ["38"], "40": ["40"], "42": ["42"], "44": ["44", "45"], "46": ["46"],
    "48": ["48", "49"], "51": ["51", "62"], "52": ["52", "64"], "56": ["56", "58"],
    "66": ["54", "66"], "68": ["60", "67", "68"], "75": ["70", "75"], "79": ["74", "77", "79"],
    "80": ["72", "80"], "82": ["82", "87"], "86": ["83", "84", "86"], "91": ["89", "91"],
    "92": ["92", "93", "94"], "96": ["95", "96"],
}


class ExtractionError(Exception):
    """A check on the source data failed. Nothing is written."""


def clean(text: str | None) -> str:
    """NFC-normalise, trim and collapse internal whitespace."""
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", text).split())


def split_kind(full_name: str, kinds: tuple[str, ...]) -> tuple[str, str]:
    """Split "Thị Xã Mường Lay" into ("Thị xã", "Mường Lay").

    The prefix is matched case-insensitively because the source capitalises some prefixes
    irregularly ("Thành Phố", "Thị Trấn"). The kind is returned in its canonical spelling.
    """
    for kind in kinds:
        prefix = kind + " "
        if full_name[: len(prefix)].casefold() == prefix.casefold():
            name = full_name[len(prefix):].strip()
            if name:
                return kind, name
    raise ExtractionError(f"no known type prefix {kinds} in {full_name!r}")


def locate_package_dir(explicit: str | None) -> Path:
    if explicit:
        path = Path(explicit)
    else:
        spec = importlib.util.find_spec(PACKAGE)  # locates the package without importing it
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit(
                f"{PACKAGE} is not installed here. Install it in a scratch venv "
                f"(pip install --no-deps {PACKAGE}=={EXPECTED_VERSION}) or pass --package-dir."
            )
        path = Path(list(spec.submodule_search_locations)[0])
    if not (path / "data" / "dataset.db").is_file():
        raise SystemExit(f"{path}/data/dataset.db not found")
    return path


def installed_version(package_dir: Path) -> str:
    for meta in package_dir.parent.glob(f"{PACKAGE}-*.dist-info/METADATA"):
        for line in meta.read_text(encoding="utf-8").splitlines():
            if line.startswith("Version:"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def extract(package_dir: Path) -> tuple[dict[str, list[list[str]]], list[str]]:
    """Return ({file stem: rows including header}, notes) or raise ExtractionError."""
    notes: list[str] = []
    db = sqlite3.connect(f"file:{package_dir / 'data' / 'dataset.db'}?mode=ro", uri=True)
    converter = json.loads((package_dir / "data" / "converter_2025.json").read_text(encoding="utf-8"))

    # ---- 2025 scheme: provinces and communes ------------------------------------------------
    provinces: dict[str, tuple[str, str]] = {}
    province_key_to_code: dict[str, str] = {}
    communes: dict[str, tuple[str, str, str]] = {}
    commune_key_to_code: dict[tuple[str, str], str] = {}
    for (prov_full, prov_code, prov_key, ward_full, ward_type, ward_code, ward_key) in db.execute(
        "SELECT province, provinceCode, provinceKey, ward, wardType, wardCode, wardKey FROM admin_units"
    ):
        prov_kind, prov_name = split_kind(clean(prov_full), PROVINCE_KINDS)
        if provinces.setdefault(prov_code, (prov_name, prov_kind)) != (prov_name, prov_kind):
            raise ExtractionError(f"province {prov_code} has two names")
        province_key_to_code[prov_key] = prov_code
        kind, name = split_kind(clean(ward_full), COMMUNE_KINDS)
        if clean(ward_type) != kind:
            notes.append(
                f"commune {ward_code} {clean(ward_full)!r}: wardType column says {ward_type!r}; "
                f"kept the kind of the full name, {kind!r}"
            )
        if ward_code in communes:
            raise ExtractionError(f"duplicate commune code {ward_code}")
        communes[ward_code] = (prov_code, name, kind)
        if (prov_key, ward_key) in commune_key_to_code:
            raise ExtractionError(f"duplicate commune key {prov_key}/{ward_key}")
        commune_key_to_code[(prov_key, ward_key)] = ward_code

    # ---- legacy scheme: provinces, districts, wards -----------------------------------------
    legacy_provinces: dict[str, tuple[str, str]] = {}
    legacy_districts: dict[str, tuple[str, str, str]] = {}
    legacy_wards: dict[str, tuple[str, str, str, str]] = {}
    legacy_key_to_ward: dict[str, str] = {}          # "province_district_ward" -> ward code
    legacy_key_to_wardless_district: dict[str, str] = {}  # "province_district_" -> district code
    legacy_province_key_to_code: dict[str, str] = {}
    for (prov_full, prov_code, prov_key, dist_full, dist_type, dist_code, dist_key,
         ward_full, ward_type, ward_code, ward_key) in db.execute(
        "SELECT province, provinceCode, provinceKey, district, districtType, districtCode, districtKey, "
        "ward, wardType, wardCode, wardKey FROM admin_units_legacy"
    ):
        prov_kind, prov_name = split_kind(clean(prov_full), PROVINCE_KINDS)
        if legacy_provinces.setdefault(prov_code, (prov_name, prov_kind)) != (prov_name, prov_kind):
            raise ExtractionError(f"legacy province {prov_code} has two names")
        legacy_province_key_to_code[prov_key] = prov_code
        d_kind, d_name = split_kind(clean(dist_full), DISTRICT_KINDS)
        if clean(dist_type) != d_kind:
            notes.append(f"legacy district {dist_code} {clean(dist_full)!r}: districtType {dist_type!r}; kept {d_kind!r}")
        if legacy_districts.setdefault(dist_code, (prov_code, d_name, d_kind)) != (prov_code, d_name, d_kind):
            raise ExtractionError(f"legacy district {dist_code} has two names")
        if not ward_code:
            # Island districts with no commune level (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo).
            legacy_key_to_wardless_district[f"{prov_key}_{dist_key}_"] = dist_code
            continue
        w_kind, w_name = split_kind(clean(ward_full), LEGACY_WARD_KINDS)
        if clean(ward_type) != w_kind:
            notes.append(
                f"legacy ward {ward_code} {clean(ward_full)!r}: wardType column says {ward_type!r}; "
                f"kept the kind of the full name, {w_kind!r}"
            )
        if ward_code in legacy_wards:
            raise ExtractionError(f"duplicate legacy ward code {ward_code}")
        legacy_wards[ward_code] = (dist_code, prov_code, w_name, w_kind)
        legacy_key_to_ward[f"{prov_key}_{dist_key}_{ward_key}"] = ward_code

    # ---- ward-level mapping ------------------------------------------------------------------
    mapping: dict[str, dict[str, int]] = collections.defaultdict(dict)  # legacy ward -> {commune: default}
    wardless_district_targets: dict[str, list[str]] = collections.defaultdict(list)

    def target(new_prov_key: str, new_ward_key: str) -> str:
        try:
            return commune_key_to_code[(new_prov_key, new_ward_key)]
        except KeyError:
            raise ExtractionError(f"mapping names unknown commune {new_prov_key}/{new_ward_key}") from None

    for new_prov_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_keys in wards.items():
            code = target(new_prov_key, new_ward_key)
            for old_key in old_keys:
                if old_key in legacy_key_to_wardless_district:
                    wardless_district_targets[legacy_key_to_wardless_district[old_key]].append(code)
                    continue
                if old_key not in legacy_key_to_ward:
                    raise ExtractionError(f"mapping names unknown legacy unit {old_key}")
                old_code = legacy_key_to_ward[old_key]
                if mapping[old_code]:
                    raise ExtractionError(f"unsplit legacy ward {old_key} listed twice")
                mapping[old_code][code] = 1
    split_wards = 0
    for new_prov_key, wards in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in wards.items():
            if old_key not in legacy_key_to_ward:
                raise ExtractionError(f"split mapping names unknown legacy ward {old_key}")
            old_code = legacy_key_to_ward[old_key]
            if mapping[old_code]:
                raise ExtractionError(f"legacy ward {old_key} is both split and unsplit")
            split_wards += 1
            for part in parts:
                code = target(new_prov_key, part["newWardKey"])
                if code in mapping[old_code]:
                    raise ExtractionError(f"split ward {old_key} lists {code} twice")
                mapping[old_code][code] = 1 if part["isDefaultNewWard"] else 0

    # ---- checks ------------------------------------------------------------------------------
    problems: list[str] = []
    if len(provinces) != EXPECTED_COUNTS["provinces"]:
        problems.append(f"{len(provinces)} provinces, expected 34")
    if len(communes) != EXPECTED_COUNTS["communes"]:
        problems.append(f"{len(communes)} communes, expected 3321")
    if len(legacy_provinces) != EXPECTED_COUNTS["legacy_provinces"]:
        problems.append(f"{len(legacy_provinces)} legacy provinces, expected 63")
    if not 650 <= len(legacy_districts) <= 720:
        problems.append(f"{len(legacy_districts)} legacy districts, expected about 700")
    if not 9900 <= len(legacy_wards) <= 10700:
        problems.append(f"{len(legacy_wards)} legacy wards, expected about 10,000")
    kind_counts = collections.Counter(kind for _, _, kind in communes.values())
    if dict(kind_counts) != EXPECTED_COMMUNE_KINDS:
        problems.append(f"commune kinds {dict(kind_counts)}, expected {EXPECTED_COMMUNE_KINDS}")
    for code in provinces:
        if not re.fullmatch(r"\d{2}", code):
            problems.append(f"bad province code {code!r}")
    for code, (prov, _, _) in communes.items():
        if not re.fullmatch(r"\d{5}", code) or prov not in provinces:
            problems.append(f"bad commune {code} / province {prov}")
    for code, (prov, _, _) in legacy_districts.items():
        if not re.fullmatch(r"\d{3}", code) or prov not in legacy_provinces:
            problems.append(f"bad legacy district {code} / province {prov}")
    for code, (dist, prov, _, _) in legacy_wards.items():
        if not re.fullmatch(r"\d{5}", code) or dist not in legacy_districts or legacy_districts[dist][0] != prov:
            problems.append(f"bad legacy ward {code} / district {dist} / province {prov}")
    for code in legacy_wards:
        rows = mapping.get(code)
        if not rows:
            problems.append(f"legacy ward {code} has no mapping")
        elif sum(rows.values()) != 1:
            problems.append(f"legacy ward {code} has {sum(rows.values())} default rows")
    for district, targets in wardless_district_targets.items():
        if len(targets) != 1 or communes[targets[0]][2] != "Đặc khu":
            problems.append(f"wardless district {district} maps to {targets}")

    # Province mapping, derived from the ward mapping (every row, not only the defaults).
    derived: dict[str, set[str]] = collections.defaultdict(set)
    for old_code, targets in mapping.items():
        for new_code in targets:
            derived[legacy_wards[old_code][1]].add(communes[new_code][0])
    for district, targets in wardless_district_targets.items():
        for new_code in targets:
            derived[legacy_districts[district][0]].add(communes[new_code][0])
    province_mapping: dict[str, str] = {}
    for old_prov in legacy_provinces:
        if len(derived[old_prov]) != 1:
            problems.append(f"legacy province {old_prov} maps to {sorted(derived[old_prov])}")
        else:
            province_mapping[old_prov] = next(iter(derived[old_prov]))
    # Cross-check 1: the package's own province table (DICT_PROVINCE, keyed by names).
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            old_code = legacy_province_key_to_code[old_key]
            if province_mapping.get(old_code) != province_key_to_code[new_key]:
                problems.append(f"DICT_PROVINCE disagrees for legacy province {old_code}")
    # Cross-check 2: Resolution 202/2025/QH15 as tabulated in documents-locale.md §5.3.
    expected = {old: new for new, olds in EXPECTED_PROVINCE_MERGE.items() for old in olds}
    if province_mapping != expected:
        diff = sorted(k for k in set(expected) | set(province_mapping) if expected.get(k) != province_mapping.get(k))
        problems.append(f"province mapping differs from Resolution 202/2025/QH15 for {diff}")
    # Spot check from the brief: Xã Nam Thanh, Huyện Nam Trực, Tỉnh Nam Định -> a commune in Ninh Bình.
    nam_thanh = [c for c, (d, p, n, k) in legacy_wards.items()
                 if n == "Nam Thanh" and k == "Xã" and legacy_districts[d][1] == "Nam Trực" and p == "36"]
    if len(nam_thanh) != 1 or any(communes[c][0] != "37" for c in mapping[nam_thanh[0]]):
        problems.append("spot check Xã Nam Thanh, Huyện Nam Trực, Tỉnh Nam Định -> Ninh Bình failed")
    # Every text value must be NFC.
    all_names = [n for n, _ in provinces.values()] + [n for _, n, _ in communes.values()] + \
                [n for n, _ in legacy_provinces.values()] + [n for _, n, _ in legacy_districts.values()] + \
                [n for _, _, n, _ in legacy_wards.values()]
    if any(unicodedata.normalize("NFC", n) != n for n in all_names):
        problems.append("a name is not NFC")
    if problems:
        raise ExtractionError("; ".join(problems[:30]) + (f" … ({len(problems)} problems)" if len(problems) > 30 else ""))

    # ---- rows ----------------------------------------------------------------------------------
    tables: dict[str, list[list[str]]] = {
        "provinces": [["code", "name", "kind"]]
        + [[c, n, k] for c, (n, k) in sorted(provinces.items())],
        "communes": [["code", "province_code", "name", "kind"]]
        + [[c, p, n, k] for c, (p, n, k) in sorted(communes.items())],
        "legacy_provinces": [["code", "name", "kind"]]
        + [[c, n, k] for c, (n, k) in sorted(legacy_provinces.items())],
        "legacy_districts": [["code", "province_code", "name", "kind"]]
        + [[c, p, n, k] for c, (p, n, k) in sorted(legacy_districts.items())],
        "legacy_wards": [["code", "district_code", "province_code", "name", "kind"]]
        + [[c, d, p, n, k] for c, (d, p, n, k) in sorted(legacy_wards.items())],
        "ward_mapping": [["legacy_ward_code", "commune_code", "is_default"]]
        + [[old, new, str(flag)]
           for old in sorted(mapping)
           for new, flag in sorted(mapping[old].items(), key=lambda item: (-item[1], item[0]))],
        "legacy_province_mapping": [["legacy_province_code", "province_code"]]
        + [[old, new] for old, new in sorted(province_mapping.items())],
    }

    # ---- summary notes -------------------------------------------------------------------------
    notes.append(f"split legacy wards (several target communes, one default): {split_wards}")
    notes.append(f"ward_mapping rows: {len(tables['ward_mapping']) - 1}")
    for district, targets in sorted(wardless_district_targets.items()):
        p, n, k = legacy_districts[district]
        notes.append(
            f"legacy district {district} {k} {n} (province {p}) has no wards; "
            f"it became commune {targets[0]} {communes[targets[0]][2]} {communes[targets[0]][1]}"
        )
    dup_communes = collections.Counter((p, n) for p, n, _ in communes.values())
    notes.append(
        "communes sharing a name within one province: "
        + (", ".join(f"{p}/{n}" for (p, n), c in sorted(dup_communes.items()) if c > 1) or "none")
    )
    dup_national = sum(1 for c in collections.Counter(n for _, n, _ in communes.values()).values() if c > 1)
    notes.append(f"commune names used in more than one province: {dup_national}")
    dup_legacy = collections.Counter((d, n) for d, _, n, _ in legacy_wards.values())
    pairs = [(d, n) for (d, n), c in dup_legacy.items() if c > 1]
    notes.append(f"legacy wards sharing a name within one district (differ by kind): {len(pairs)}")
    return tables, notes


def render(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package-dir", help="path to the vietnamadminunits package folder (default: the installed one)")
    parser.add_argument("--out-dir", default=str(Path(__file__).resolve().parent.parent),
                        help="where to write the CSVs (default: db/reference)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if any CSV differs from what would be written")
    parser.add_argument("--quiet", action="store_true", help="print only problems")
    args = parser.parse_args(argv)

    package_dir = locate_package_dir(args.package_dir)
    version = installed_version(package_dir)
    if version != EXPECTED_VERSION:
        print(f"warning: {PACKAGE} {version} found; these CSVs were made from {EXPECTED_VERSION}. "
              "Review the differences and update SOURCES.md.", file=sys.stderr)
    try:
        tables, notes = extract(package_dir)
    except ExtractionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    out_dir = Path(args.out_dir)
    changed = []
    for stem, rows in tables.items():
        path = out_dir / f"{stem}.csv"
        text = render(rows)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            changed.append(path.name)
            if not args.check:
                path.write_text(text, encoding="utf-8", newline="")
        if not args.quiet:
            print(f"{path.name}: {len(rows) - 1} rows")
    if not args.quiet:
        print(f"source: {package_dir} (version {version})")
        for note in notes:
            print(f"note: {note}")
    if args.check:
        if changed:
            print("differs: " + ", ".join(changed), file=sys.stderr)
            return 1
        print("all CSVs are up to date")
    elif changed and not args.quiet:
        print("written: " + ", ".join(changed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
