"""Import details: a merge that breaks a rule is a row error with its row number (found by a dry run too),
hidden sheets are not imported, invisible direction and zero-width characters are removed and reported."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from factories import make_establishment
from sqlalchemy import func, select

from desktop_app.importers.errors import ImportFileError
from desktop_app.launcher import main
from desktop_app.store.models import Establishment

EST_HEADER = ["Tên cơ sở", "Loại hình", "Mã số thuế", "Điện thoại", "Tỉnh/thành phố", "Xã/phường", "Địa chỉ",
              "Số lao động"]


def workbook(tmp_path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH NHẬP THỬ"])
    ws.append([])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    path = tmp_path / "nhap.xlsx"
    wb.save(path)
    return path


def test_a_merge_that_breaks_a_rule_is_a_row_error(services, people, tmp_path: Path) -> None:
    eid = make_establishment(services, people.staff, name="HTX Yên Phúc", tax_code="0100233488",
                             workers=25, female_workers=18)
    rows = [["HTX Mới", "HTX", "", "", "Ninh Bình", "", "", 10],
            ["HTX Yên Phúc", "HTX", "0100233488", "", "Ninh Bình", "", "", 5]]  # 5 workers < 18 women
    path = workbook(tmp_path, EST_HEADER, rows)
    preview = services.imports.preview(people.staff, "establishments", path)
    assert [r.status for r in preview.rows] == ["ok", "duplicate"]
    tried = services.imports.run(people.staff, "establishments", preview, on_duplicate="update", dry_run=True)
    assert not tried.written and tried.rejected == 1
    refused = [o for o in tried.outcomes if o.action == "rejected"]
    assert refused[0].row == 5 and "Lao động nữ không được nhiều hơn" in refused[0].text
    done = services.imports.run(people.staff, "establishments", preview, on_duplicate="update")
    assert not done.written and done.rejected == 1 and done.outcomes[0].row == 5
    partly = services.imports.run(people.staff, "establishments", preview, on_duplicate="update", only_valid=True)
    assert partly.written and partly.created == 1 and partly.rejected == 1
    assert services.establishments.get(people.staff, eid).data.workers == 25  # the existing record is unchanged


def test_the_command_line_dry_run_reports_merge_errors(sqlite_url: str, sqlite_services, sqlite_people,
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    make_establishment(sqlite_services, sqlite_people.staff, name="HTX Yên Phúc", tax_code="0100233488",
                       workers=25, female_workers=18)
    path = workbook(tmp_path, EST_HEADER, [["HTX Yên Phúc", "HTX", "0100233488", "", "Ninh Bình", "", "", 5]])
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "matkhau123")
    code = main(["--db", sqlite_url, "--user", "canbo", "import", "establishments", str(path), "--dry-run",
                 "--on-duplicate", "update"])
    out = capsys.readouterr().out
    assert code == 1 and "Dòng 4: Cập nhật “HTX Yên Phúc”" in out and "Lao động nữ" in out
    with sqlite_services.db.reading() as s:
        assert s.scalar(select(func.count(Establishment.id))) == 1


def test_hidden_sheets_are_not_imported(services, people, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    visible = wb.active
    visible.title = "Ghi chú"
    visible.append(["Danh sách ở trang khác"])
    hidden = wb.create_sheet("Danh sách")
    hidden.append(list(EST_HEADER))
    hidden.append(["HTX Ẩn", "HTX", "", "", "Ninh Bình", "", "", 3])
    hidden.sheet_state = "hidden"
    path = tmp_path / "trang-an.xlsx"
    wb.save(path)
    with pytest.raises(ImportFileError, match="trang tính đang ẩn “Danh sách”"):
        services.imports.preview(people.staff, "establishments", path)
    # A visible list next to a hidden one: only the visible rows.
    shown = wb.create_sheet("Hiện")
    shown.append(list(EST_HEADER))
    shown.append(["HTX Hiện", "HTX", "", "", "Ninh Bình", "", "", 4])
    wb.save(path)
    preview = services.imports.preview(people.staff, "establishments", path)
    assert [r.parsed.establishment.name for r in preview.rows] == ["HTX Hiện"]


def test_invisible_characters_are_removed_and_reported(services, people, tmp_path: Path) -> None:
    tricky = "HTX \u202eCBA\u202c Mây\u200b tre\ufeff"
    path = workbook(tmp_path, EST_HEADER, [[tricky, "HTX", "", "", "Ninh Bình", "", "", 3]])
    preview = services.imports.preview(people.staff, "establishments", path)
    row = preview.rows[0]
    assert row.parsed.establishment.name == "HTX CBA Mây tre"
    assert any("Đã bỏ 4 ký tự ẩn" in p.reason for p in row.parsed.problems)
    done = services.imports.run(people.staff, "establishments", preview)
    assert services.establishments.get(people.staff, done.outcomes[0].record_id).data.name == "HTX CBA Mây tre"
