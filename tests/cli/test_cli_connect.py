"""``khuyencong connect``: save, show (password hidden), back to local; the saved file has no password."""

from __future__ import annotations

import pytest
from keyring_memory import MemoryKeyring, memory_keyring  # noqa: F401 (fixture)

from desktop_app import connection
from desktop_app.launcher import main


@pytest.fixture
def blank_pg(pg_blank_url: str) -> str:
    return pg_blank_url


@pytest.mark.postgres
def test_connect_show_local(blank_pg: str, memory_keyring: MemoryKeyring,  # noqa: F811
                            capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    name = blank_pg.rsplit("/", 1)[1]
    url = f"postgresql://postgres:Bi-Mat-99@127.0.0.1:5432/{name}?sslmode=disable"
    assert main(["connect", url]) == 0
    out = capsys.readouterr().out
    assert "Đã lưu kết nối" in out and "Bi-Mat-99" not in out
    assert "Bi-Mat-99" not in connection.config_file().read_text(encoding="utf-8")
    assert list(memory_keyring.secrets.values()) == ["Bi-Mat-99"]

    assert main(["connect", "--show"]) == 0
    shown = capsys.readouterr().out
    assert f"postgresql://postgres@127.0.0.1:5432/{name}?sslmode=disable" in shown
    assert "Bi-Mat-99" not in shown and "không hiển thị" in shown

    # The saved server is now the default database: init creates the schema and the administrator there.
    assert main(["init", "--admin", "quantri"]) == 2  # no password given yet
    capsys.readouterr()
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "matkhau123")
    assert main(["init", "--admin", "quantri"]) == 0
    assert name in capsys.readouterr().out

    assert main(["connect", "--local"]) == 0
    assert "tệp trên máy này" in capsys.readouterr().out
    assert connection.load() == connection.ConnectionChoice(kind="local")


def test_connect_refuses_what_does_not_answer(memory_keyring: MemoryKeyring,  # noqa: F811
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["connect", "postgresql://postgres:x@127.0.0.1:1/khuyencong"]) == 2
    err = capsys.readouterr().err
    assert "Không liên lạc được" in err and "chưa được lưu" in err
    assert not connection.config_file().exists()
    assert main(["connect", "--no-check", "postgresql://postgres:x@127.0.0.1:1/khuyencong"]) == 0
    assert connection.load() is not None


@pytest.mark.postgres
def test_init_takes_db_after_the_command(blank_pg: str, pg_host: str, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The IT person's one step: ``khuyencong init --db URL --admin NAME`` on an empty PostgreSQL database."""
    monkeypatch.setenv("KHUYENCONG_PASSWORD", "matkhau123")
    assert main(["init", "--db", blank_pg, "--admin", "quantri"]) == 0
    assert "quản trị viên “quantri”" in capsys.readouterr().out
    assert main(["--db", blank_pg, "--user", "quantri", "user", "list"]) == 0
    assert "quantri" in capsys.readouterr().out
    assert blank_pg.startswith(pg_host)
