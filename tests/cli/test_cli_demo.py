"""``khuyencong demo``: fills the database, reports progress on stderr, prints Vietnamese errors and exits
non-zero, leaves nothing half-written."""

from __future__ import annotations

import io

import openpyxl
import pytest
from factories import PASSWORD
from sqlalchemy import func, select

from desktop_app.cli import demo as cli_demo
from desktop_app.cli.main import main
from desktop_app.services.context import open_services
from desktop_app.store import models as m


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHUYENCONG_PASSWORD", PASSWORD)


def _counts(url: str) -> tuple[int, int]:
    services, _ = open_services(url)
    try:
        with services.db.reading() as s:
            return (s.scalar(select(func.count(m.Establishment.id))) or 0,
                    s.scalar(select(func.count(m.Proposal.id))) or 0)
    finally:
        services.close()


def _run(url: str, *args: str, user: str = "lanhdao") -> int:
    return main(["--db", url, "--user", user, "demo", *args])


def test_fills_the_database_and_reports(sqlite_url, capsys):
    code = _run(sqlite_url, "--establishments", "120", "--proposals", "60", "--seed", "3", "--today", "2026-11-27")
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Đã tạo dữ liệu mẫu" in out and "120 cơ sở, 60 đề án" in out
    assert "Đã quyết toán" in out and "Hộ kinh doanh" in out and "Nghệ nhân" in out
    assert "Đang tạo đề án" in err and "(100%)" in err  # progress on stderr, not mixed into the summary
    assert "Đang tạo" not in out
    assert _counts(sqlite_url) == (120, 60)


def test_old_provinces_on_demo_data_alone(sqlite_url, capsys, tmp_path):
    """The funding of the 2018–2020 plans as recorded: the former provinces of the centre's province, each once."""
    assert _run(sqlite_url, "--establishments", "150", "--proposals", "200", "--seed", "4", "--today",
                "2026-11-27") == 0
    out = tmp_path / "tong-hop.xlsx"
    assert main(["--db", sqlite_url, "--user", "lanhdao", "report", "funding", "--from-year", "2018", "--to-year",
                 "2020", "--as-recorded", "--by", "province", "--out", str(out)]) == 0
    assert "Đã ghi" in capsys.readouterr().out
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    first = next(i for i, r in enumerate(rows) if r[0] == "STT") + 1
    labels = [r[1] for r in rows[first:] if r[0] is not None]
    assert len(labels) == len(set(labels)) >= 2, labels  # Ninh Bình today was Ninh Bình, Nam Định and Hà Nam
    assert all(x in ("Ninh Bình", "Nam Định", "Hà Nam") or x.startswith("Địa bàn cũ chưa đối chiếu được")
               for x in labels), labels


def test_refuses_a_database_with_data_unless_append(sqlite_url, capsys):
    assert _run(sqlite_url, "--establishments", "10", "--proposals", "5") == 0
    capsys.readouterr()
    assert _run(sqlite_url, "--establishments", "10", "--proposals", "5") == 2
    err = capsys.readouterr().err
    assert "Lỗi: Cơ sở dữ liệu đã có 10 cơ sở và 5 đề án" in err and "--append" in err
    assert _counts(sqlite_url) == (10, 5)
    assert _run(sqlite_url, "--establishments", "1.000", "--proposals", "5", "--append", "--seed", "2") == 0
    assert _counts(sqlite_url) == (1010, 10)


@pytest.mark.parametrize(("user", "password", "message"), [
    ("canbo", PASSWORD, "không được tạo dữ liệu mẫu"),
    ("lanhdao", "sai-mat-khau", "Sai tên đăng nhập hoặc mật khẩu"),
])
def test_refused_users_change_nothing(sqlite_url, capsys, monkeypatch, user, password, message):
    monkeypatch.setenv("KHUYENCONG_PASSWORD", password)
    assert _run(sqlite_url, "--establishments", "10", "--proposals", "5", user=user) == 2
    assert message in capsys.readouterr().err
    assert _counts(sqlite_url) == (0, 0)


@pytest.mark.parametrize(("args", "message"), [
    (["--establishments", "-3", "--proposals", "1"], "ngoài khoảng"),
    (["--establishments", "mười", "--proposals", "1"], "không phải số nguyên"),
    (["--establishments", "0", "--proposals", "5"], "Cần tạo ít nhất một cơ sở"),
    (["--establishments", "5", "--proposals", "5", "--today", "27/11/2026"], "không phải ngày"),
    (["--establishments", "5"], "thiếu tham số bắt buộc"),
])
def test_bad_arguments_print_vietnamese_errors(sqlite_url, capsys, args, message):
    try:  # argparse exits; a refusal of the service returns the code
        code = main(["--db", sqlite_url, "--user", "lanhdao", "demo", *args])
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert "Lỗi:" in err and message in err
    assert _counts(sqlite_url) == (0, 0)


def test_needs_a_user(sqlite_url, capsys):
    assert main(["--db", sqlite_url, "demo", "--establishments", "5", "--proposals", "1"]) == 2
    assert "--user" in capsys.readouterr().err


def test_interrupt_leaves_nothing_half_written(sqlite_url, capsys, monkeypatch):
    calls = []

    def interrupt(self, done, total, status=""):  # type: ignore[no-untyped-def]
        calls.append(done)
        if done > 0:
            raise KeyboardInterrupt

    monkeypatch.setattr(cli_demo.StderrProgress, "set_progress", interrupt)
    assert _run(sqlite_url, "--establishments", "12000", "--proposals", "100") == 130
    assert "không có thay đổi nào dở dang" in capsys.readouterr().err
    assert calls[-1] > 0
    assert _counts(sqlite_url) == (0, 0)


def test_progress_line_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    p = cli_demo.StderrProgress(stream)
    p.set_progress(0, 200, "Đang tạo cơ sở")
    p.set_progress(200, 200, "Đã tạo 200 cơ sở")
    p.end()
    text = stream.getvalue()
    assert text.startswith("\rĐang tạo cơ sở (0%)") and "\rĐã tạo 200 cơ sở (100%)" in text
    assert text.endswith("\n")
