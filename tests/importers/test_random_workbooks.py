"""Property tests: random workbooks and random files never make the importer raise anything but its own error."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from desktop_app.importers.columns import columns_for
from desktop_app.importers.errors import ImportFileError
from desktop_app.importers.reader import read_table
from desktop_app.importers.rows import ERROR, OK, SKIPPED, Catalogue, RowParser

CELL = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**15, max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=25),  # openpyxl cannot write Cc
    st.sampled_from(["HTX", "Cty TNHH", "Nam Định", "Ninh Bình", "Xã Nam Thanh", "Huyện Nam Trực", "1.234.567",
                     "2,140,000,000 đ", "05/11/2020", "5-11-2020", "Tổng cộng", "Người lập biểu", "Da quyet toan",
                     "KCQG", "KCĐP", "Dệt may", "0100233488", "Ứng dụng máy móc thiết bị tiên tiến", "(1)", ""]),
)


def _labels(kind: str) -> list[str]:
    labels = []
    for spec in columns_for(kind):
        labels += [spec.label, spec.label.upper(), *spec.aliases[:2]]
    return [*labels, "STT", "Cột lạ", "Kinh phí (triệu đồng)"]


@st.composite
def workbooks(draw: st.DrawFn) -> tuple[str, list[list[object]], list[str]]:
    kind = draw(st.sampled_from(["establishments", "proposals"]))
    title = draw(st.lists(st.lists(CELL, max_size=3), max_size=4))
    extra = draw(st.lists(st.sampled_from(_labels(kind)), min_size=0, max_size=10))
    if draw(st.booleans()):  # half the time a usable header (required columns present) in a random order
        required = [s.label for s in columns_for(kind) if s.required]
        if kind == "establishments":
            required.append("Tỉnh/thành phố")
        extra = draw(st.permutations(required + extra))
    header = list(extra)
    rows = draw(st.lists(st.lists(CELL, max_size=len(header) + 2), max_size=8))
    merges = []
    if draw(st.booleans()) and title:
        merges.append(f"A1:{chr(ord('A') + draw(st.integers(1, 6)))}1")
    return kind, [*title, list(header), *rows], merges


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workbooks())
def test_random_workbooks_give_rows_or_one_clear_error(tmp_path: Path, catalogue: Catalogue,
                                                       book: tuple[str, list[list[object]], list[str]]) -> None:
    kind, rows, merges = book
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)
    path = tmp_path / "ngau-nhien.xlsx"
    wb.save(path)
    try:
        table = read_table(path, kind)
    except ImportFileError as exc:
        assert exc.message.startswith(("Tệp “", "Không tìm thấy dòng tiêu đề"))
        return
    parser = RowParser(kind, table.header, catalogue, table.default_multiplier, table.epoch)
    event("parsed")
    for raw in table.rows:
        parsed = parser.parse(raw)
        assert parsed.status in (OK, ERROR, SKIPPED)
        assert parsed.row == raw.number > table.header.last_row


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000), st.sampled_from([b"", b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1"), b"%PDF"]))
def test_random_bytes_are_refused_clearly(tmp_path: Path, data: bytes, prefix: bytes) -> None:
    path = tmp_path / "rac.xlsx"
    path.write_bytes(prefix + data)
    try:
        read_table(path, "establishments")
    except ImportFileError as exc:
        assert exc.message
    else:  # pragma: no cover - random bytes never form a workbook with an establishment list
        raise AssertionError("random bytes were read as a workbook")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["xl/workbook.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels",
                                        "xl/worksheets/sheet1.xml", "_rels/.rels", "xl/sharedStrings.xml"]),
                       st.binary(max_size=300) | st.just(b"<?xml version='1.0'?><workbook/>"), min_size=1))
def test_random_zip_parts_are_refused_clearly(tmp_path: Path, parts: dict[str, bytes]) -> None:
    path = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    try:
        read_table(path, "proposals")
    except ImportFileError as exc:
        assert exc.message.startswith("Tệp “") or "Không tìm thấy" in exc.message
    else:  # pragma: no cover
        raise AssertionError("a broken archive was read as a workbook")
