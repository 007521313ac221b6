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


def test_backup_out_is_checked(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "matkhau123")
    live = Path(sqlite_url.removeprefix("sqlite:///"))
    other = tmp_path / "khac.sqlite3"
    other.write_bytes(live.read_bytes())
    text = tmp_path / "ghi-chu.txt"
    text.write_text("ghi chú quan trọng", encoding="utf-8")
    cases = {str(tmp_path): "là một thư mục", str(live): "chính cơ sở dữ liệu đang dùng",
             str(other): "một tệp cơ sở dữ liệu SQLite", str(text): "không phải bản sao lưu",
             str(tmp_path / "khong-co" / "x.sqlite3"): "Không có thư mục"}
    for out, words in cases.items():
        assert main(["--db", sqlite_url, "--user", "quantri", "backup", "--out", out]) == 2, out
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err, (out, err)
    assert text.read_text(encoding="utf-8") == "ghi chú quan trọng"
    assert main(["--db", sqlite_url, "--user", "quantri", "backup", "--out", str(other), "--force"]) == 0
    assert main(["--db", sqlite_url, "--user", "quantri", "backup", "--out", str(live), "--force"]) == 2
    assert not list(tmp_path.glob(".*.tmp"))


def test_pg_dump_gets_the_password_through_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import subprocess

    from desktop_app.store import backup as store_backup
    from desktop_app.store.database import make_engine

    seen: dict[str, object] = {}

    def fake_run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        seen["args"], seen["env"] = args, kwargs["env"]
        Path(str(args[2]).removeprefix("--file=")).write_bytes(b"PGDMP")
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(store_backup.shutil, "which", lambda _name: "/usr/bin/pg_dump")
    monkeypatch.setattr(store_backup.subprocess, "run", fake_run)
    engine = make_engine("postgresql://kc:mat-khau-bi-mat@may-chu:5432/khuyencong")
    store_backup.backup_database(engine, tmp_path / "sao-luu.dump")
    assert not any("mat-khau-bi-mat" in str(a) for a in seen["args"])  # type: ignore[attr-defined]
    assert seen["env"]["PGPASSWORD"] == "mat-khau-bi-mat"  # type: ignore[index]
    assert (tmp_path / "sao-luu.dump").read_bytes() == b"PGDMP"


def test_a_damaged_database_is_moved_aside_then_restored(sqlite_url: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "matkhau123")
    out = tmp_path / "sao-luu.sqlite3"
    assert main(["--db", sqlite_url, "--user", "quantri", "backup", "--out", str(out)]) == 0
    live = Path(sqlite_url.removeprefix("sqlite:///"))
    live.write_bytes(b"\0" * 4096)  # damaged beyond reading
    assert main(["--db", sqlite_url, "--user", "quantri", "restore", str(out), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "đổi tên hoặc chuyển tệp" in err and "Traceback" not in err
    live.rename(live.with_name("hong.sqlite3"))
    assert main(["--db", sqlite_url, "restore", str(out), "--yes"]) == 0  # no database yet: no sign-in
    services, _ = open_services(sqlite_url)
    assert services.auth.login("quantri", "matkhau123").username == "quantri"
    services.close()
