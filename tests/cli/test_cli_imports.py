"""``khuyencong import`` and ``khuyencong template``: exit codes 0 / 1 / 2, the rejected-rows workbook, dry runs."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from factories import PASSWORD

from desktop_app.cli.main import main
from desktop_app.services.context import open_services
from desktop_app.services.dto import EstablishmentFilter, ProposalFilter

REPO = Path(__file__).resolve().parents[2]


def sample(name: str) -> Path:
    for folder in (REPO / "tests" / "data" / "samples", REPO.parent / "shared" / "samples"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(name)


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHUYENCONG_PASSWORD", PASSWORD)


def counts(url: str) -> tuple[int, int]:
    services, _ = open_services(url)
    try:
        staff = services.auth.login("canbo", PASSWORD)
        return (services.establishments.count(staff, EstablishmentFilter()),
                services.proposals.search(staff, ProposalFilter()).total)
    finally:
        services.close()


def run(url: str, *args: str) -> int:
    return main(["--db", url, "--user", "canbo", *args])


def test_samples_import_with_exit_0(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(sqlite_url, "import", "establishments", str(sample("danh-sach-co-so-2019.xlsx"))) == 0
    out = capsys.readouterr().out
    assert "30 dòng cơ sở; 30 hợp lệ, 0 lỗi" in out and "Đã nhập 30 cơ sở mới." in out
    assert run(sqlite_url, "import", "proposals", str(sample("de-an-kcqg-2018-2020.xlsx"))) == 0
    assert "Đã nhập 18 đề án mới; tạo 18 cơ sở thụ hưởng mới." in capsys.readouterr().out
    assert counts(sqlite_url) == (48, 18)
    # the same file again: every row is a duplicate, skipped by default; nothing rejected → still 0
    assert run(sqlite_url, "import", "establishments", str(sample("danh-sach-co-so-2019.xlsx"))) == 0
    assert "bỏ qua 30 dòng trùng" in capsys.readouterr().out


def _bad_file(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tên cơ sở", "Loại hình", "Tỉnh/thành phố", "Số lao động", "Lao động nữ"])
    ws.append(["HTX Nam Dương", "HTX", "Nam Định", 20, 5])
    ws.append(["Cơ sở lỗi", "HTX", "Xứ Đoài", 10, 12])
    path = tmp_path / "co-loi.xlsx"
    wb.save(path)
    return path


def test_rejected_rows_exit_1_and_nothing_written_without_only_valid(sqlite_url: str, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = _bad_file(tmp_path)
    out_file = tmp_path / "loai.xlsx"
    assert run(sqlite_url, "import", "establishments", str(path), "--rejected-out", str(out_file)) == 1
    out = capsys.readouterr().out
    assert "Dòng 3: Tỉnh/thành phố: Không tìm thấy tỉnh/thành phố “Xứ Đoài”" in out
    assert "Có 1 dòng lỗi nên chưa nhập dòng nào" in out
    assert counts(sqlite_url) == (0, 0)
    ws = openpyxl.load_workbook(out_file).active
    assert [c.value for c in ws[1]] == ["Dòng trong tệp gốc", "Tên cơ sở", "Loại hình", "Tỉnh/thành phố",
                                        "Số lao động", "Lao động nữ", "Lý do bị loại"]
    assert [c.value for c in ws[2]][:6] == [3, "Cơ sở lỗi", "HTX", "Xứ Đoài", 10, 12]
    reason = ws.cell(2, 7).value
    assert "Không tìm thấy tỉnh/thành phố “Xứ Đoài”" in reason and "Lao động nữ (12) nhiều hơn" in reason
    assert ws.max_row == 2


def test_only_valid_imports_the_rest_and_still_exits_1(sqlite_url: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "loai.xlsx"
    assert run(sqlite_url, "import", "establishments", str(_bad_file(tmp_path)), "--only-valid",
               "--rejected-out", str(out_file)) == 1
    assert "Đã nhập 1 cơ sở mới, không nhập 1 dòng lỗi." in capsys.readouterr().out
    assert counts(sqlite_url) == (1, 0)
    assert openpyxl.load_workbook(out_file).active.max_row == 2


def test_dry_run_writes_nothing(sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(sqlite_url, "import", "establishments", str(_bad_file(tmp_path)), "--dry-run") == 1
    assert run(sqlite_url, "import", "proposals", str(sample("de-an-kcqg-2018-2020.xlsx")), "--dry-run") == 0
    assert "chưa ghi gì" in capsys.readouterr().out
    assert counts(sqlite_url) == (0, 0)


def test_duplicates_update(sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample("danh-sach-co-so-2019.xlsx")
    assert run(sqlite_url, "import", "establishments", str(path)) == 0
    assert run(sqlite_url, "import", "establishments", str(path), "--on-duplicate", "update") == 0
    assert "cập nhật 30 cơ sở" in capsys.readouterr().out
    assert counts(sqlite_url) == (30, 0)
    # "Add anyway" cannot give a second establishment a tax code in use: those rows are rejected (exit 1) …
    assert run(sqlite_url, "import", "establishments", str(path), "--on-duplicate", "add") == 1
    assert counts(sqlite_url) == (30, 0)
    # … and with --only-valid the rows without a tax code are added again.
    assert run(sqlite_url, "import", "establishments", str(path), "--on-duplicate", "add", "--only-valid") == 1
    assert 30 < counts(sqlite_url)[0] < 60


@pytest.mark.parametrize(("content", "words"), [
    (b"Ten co so,Loai hinh\nHTX A,HTX\n", "không phải là sổ làm việc Excel"),
    (b"", "rỗng"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + "EncryptionInfo".encode("utf-16-le") + bytes(600), "đặt mật khẩu"),
])
def test_unreadable_file_exits_2(sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 content: bytes, words: str) -> None:
    path = tmp_path / "tep.xlsx"
    path.write_bytes(content)
    assert run(sqlite_url, "import", "establishments", str(path)) == 2
    assert words in capsys.readouterr().err


def test_missing_columns_and_wrong_kind_exit_2(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(sqlite_url, "import", "establishments", str(sample("de-an-kcqg-2018-2020.xlsx"))) == 2
    assert "có vẻ là danh sách đề án" in capsys.readouterr().err


def test_import_needs_a_user(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", sqlite_url, "import", "establishments", str(sample("danh-sach-co-so-2019.xlsx"))]) == 2
    assert "--user" in capsys.readouterr().err


def test_appraiser_is_refused(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", sqlite_url, "--user", "thamdinh1", "import", "proposals",
                 str(sample("de-an-kcqg-2018-2020.xlsx"))])
    assert code == 2 and "không được nhập danh sách đề án từ Excel" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["establishments", "proposals"])
def test_template(sqlite_url: str, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "mau"
    assert main(["--db", sqlite_url, "template", kind, "--out", str(out)]) == 0
    written = tmp_path / "mau.xlsx"
    assert f"Đã ghi tệp mẫu nhập {'cơ sở' if kind == 'establishments' else 'đề án'}: {written}" in \
        capsys.readouterr().out
    wb = openpyxl.load_workbook(written)
    assert wb.sheetnames[1:] == ["Hướng dẫn", "Danh mục"]
    assert wb.worksheets[0]["A1"].value in ("Tên cơ sở *", "Mã đề án")
