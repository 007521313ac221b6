"""``backup`` and ``restore`` of a SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.launcher import main
from desktop_app.services.context import open_services


def test_backup_then_restore(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "matkhau123")
    out = tmp_path / "sao-luu.sqlite3"
    assert main(["--db", sqlite_url, "--user", "canbo", "backup", "--out", str(out)]) == 2
    assert "Quản trị hệ thống" in capsys.readouterr().err
    assert main(["--db", sqlite_url, "--user", "quantri", "backup", "--out", str(out)]) == 0
    assert out.exists() and "Đã sao lưu" in capsys.readouterr().out
    # Change the live database, then restore the backup over it.
    monkeypatch.setenv("KHUYENCONG_NEW_PASSWORD", "matkhau456")
    assert main(["--db", sqlite_url, "--user", "quantri", "user", "add", "moi", "--role", "staff"]) == 0
    assert main(["--db", sqlite_url, "--user", "quantri", "restore", str(out)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["--db", sqlite_url, "restore", str(out), "--yes"]) == 2  # an administrator's action
    assert "--user" in capsys.readouterr().err
    assert main(["--db", sqlite_url, "--user", "canbo", "restore", str(out), "--yes"]) == 2
    assert "Quản trị hệ thống" in capsys.readouterr().err
    assert main(["--db", sqlite_url, "--user", "quantri", "restore", str(out), "--yes"]) == 0
    assert "truoc-khoi-phuc-" in capsys.readouterr().out
    services, _ = open_services(sqlite_url)
    names = {u.username for u in services.users.list(services.auth.login("quantri", "matkhau123"))}
    services.close()
    assert "moi" not in names and "canbo" in names
    bogus = tmp_path / "khong-phai.sqlite3"
    bogus.write_bytes(b"not a database")
    assert main(["--db", sqlite_url, "--user", "quantri", "restore", str(bogus), "--yes"]) == 2
    assert "không phải bản sao lưu" in capsys.readouterr().err
