"""Opening something that is not this program's database gives a Vietnamese message, never a traceback, and
leaves the file exactly as it was (a newer schema included: no journal switch before the refusal)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from desktop_app.domain.errors import DatabaseVersionError, UserError
from desktop_app.launcher import main
from desktop_app.services.context import open_services


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _bad_sqlite_targets(folder: Path, template: Path) -> dict[str, tuple[str, str]]:
    """name → (URL, words the message must contain)."""
    (folder / "rac.sqlite3").write_bytes(os.urandom(4096))
    (folder / "van-ban.sqlite3").write_text("Đây là một tệp văn bản\n" * 50, encoding="utf-8")
    with zipfile.ZipFile(folder / "bang-tinh.xlsx", "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    (folder / "tai-lieu.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(500))
    (folder / "thu-muc").mkdir()
    other = folder / "chuong-trinh-khac.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    newer = folder / "moi-hon.sqlite3"
    shutil.copyfile(template, newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()

    def url(name: str) -> str:
        return f"sqlite:///{folder / name}"

    return {
        "garbage": (url("rac.sqlite3"), "không phải cơ sở dữ liệu SQLite"),
        "text": (url("van-ban.sqlite3"), "không phải cơ sở dữ liệu SQLite"),
        "xlsx": (url("bang-tinh.xlsx"), "tệp Excel"),
        "pdf": (url("tai-lieu.pdf"), "tệp PDF"),
        "folder": (url("thu-muc"), "là một thư mục"),
        "missing folder": (url("khong-co/khuyencong.sqlite3"), "Không có thư mục"),
        "another program's": (url("chuong-trinh-khac.sqlite3"), "chương trình khác"),
        "newer schema": (url("moi-hon.sqlite3"), "phiên bản mới hơn"),
        "not a URL": ("bang-tinh.xlsx", "không hợp lệ"),
        "unsupported": ("mysql://ai@may-chu/csdl", "chỉ dùng được SQLite hoặc PostgreSQL"),
        "no such PostgreSQL database": ("postgresql://postgres@127.0.0.1:5432/khong_co_csdl_nay",
                                        "Không mở được cơ sở dữ liệu"),
        "nothing listening": ("postgresql://postgres:bi-mat@127.0.0.1:9/khuyencong", "Không mở được cơ sở dữ liệu"),
    }


def test_bad_databases_get_words_and_stay_untouched(tmp_path: Path, sqlite_templates: dict[bool, Path],
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "matkhau123")
    targets = _bad_sqlite_targets(tmp_path, sqlite_templates[True])
    files = {p: _digest(p) for p in tmp_path.iterdir() if p.is_file()}
    for name, (url, words) in targets.items():
        with pytest.raises(UserError) as refused:
            open_services(url)
        assert words in refused.value.message, (name, refused.value.message)
        assert "bi-mat" not in refused.value.message
        if name == "newer schema":
            assert isinstance(refused.value, DatabaseVersionError)
        # The command line says the same with exit code 2.
        assert main(["--db", url, "--user", "quantri", "user", "list"]) == 2, name
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err, (name, err)
    assert {p: _digest(p) for p in files} == files
    assert not (tmp_path / "khong-co").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["rac.sqlite3", "van-ban.sqlite3", "bang-tinh.xlsx", "tai-lieu.pdf", "thu-muc", "chuong-trinh-khac.sqlite3",
         "moi-hon.sqlite3"])
    assert len(targets) == 12
