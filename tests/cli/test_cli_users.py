"""``khuyencong init`` and ``user …`` through the real entry point, in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.launcher import main


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def test_init_then_users(db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "matkhau123")
    assert main(["--db", db, "init", "--admin", "quantri", "--full-name", "Nguyễn Văn Quản"]) == 0
    assert "quản trị viên “quantri”" in capsys.readouterr().out
    assert main(["--db", db, "init"]) == 0
    assert "đã được khởi tạo" in capsys.readouterr().out
    monkeypatch.setenv("KHUYENCONG_NEW_PASSWORD", "matkhau456")
    assert main(["--db", db, "--user", "quantri", "user", "add", "canbo", "--role", "staff",
                 "--full-name", "Lê Thị Bé"]) == 0
    assert "Cán bộ nghiệp vụ" in capsys.readouterr().out
    assert main(["--db", db, "--user", "quantri", "user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "canbo" in listing and "Lê Thị Bé" in listing and "Quản trị hệ thống" in listing
    monkeypatch.setenv("KHUYENCONG_NEW_PASSWORD", "matkhau789")
    assert main(["--db", db, "--user", "quantri", "user", "passwd", "canbo"]) == 0
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "matkhau789")
    assert main(["--db", db, "--user", "canbo", "user", "add", "x", "--role", "staff"]) == 2
    assert "Quản trị hệ thống" in capsys.readouterr().err


def test_errors_are_vietnamese_and_non_zero(db: str, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "ngan")
    assert main(["--db", db, "init", "--admin", "quantri"]) == 2
    assert "ít nhất 8 ký tự" in capsys.readouterr().err
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "matkhau123")
    assert main(["--db", db, "init", "--admin", "quantri"]) == 0
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "sai-mat-khau")
    assert main(["--db", db, "--user", "quantri", "user", "list"]) == 2
    assert "Sai tên đăng nhập hoặc mật khẩu" in capsys.readouterr().err
    assert main(["--db", db, "user", "list"]) == 2
    assert "--user" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", db, "user", "add"])
    assert exit_info.value.code == 2
    assert "thiếu tham số bắt buộc" in capsys.readouterr().err


def test_password_without_terminal_or_env(db: str, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("KHUYENCONG_PASSWORD", raising=False)
    assert main(["--db", db, "init", "--admin", "quantri"]) == 2
    assert "KHUYENCONG_PASSWORD" in capsys.readouterr().err
