"""The remembered connection: the file never holds the password; the credential store does."""

from __future__ import annotations

import pytest
from keyring_memory import MemoryKeyring, memory_keyring, no_keyring  # noqa: F401 (fixtures)

from desktop_app import connection
from desktop_app.domain.errors import UserError
from desktop_app.paths import default_database_url

SECRET = "Mật-khẩu:bí@mật/1"


def test_parse_url_splits_off_the_password() -> None:
    url = "postgresql://canbo:M%E1%BA%ADt-kh%E1%BA%A9u%3Ab%C3%AD%40m%E1%BA%ADt%2F1@may-chu.local:5433/khuyencong" \
          "?sslmode=require"
    choice, password = connection.parse_url(url)
    assert password == SECRET
    assert (choice.host, choice.port, choice.database, choice.user, choice.sslmode) == (
        "may-chu.local", 5433, "khuyencong", "canbo", "require")
    assert choice.url() == "postgresql://canbo@may-chu.local:5433/khuyencong?sslmode=require"
    assert connection.parse_url(choice.url(password))[1] == SECRET  # the password survives quoting


@pytest.mark.parametrize(("url", "field_word"), [
    ("postgresql://canbo@/khuyencong", "máy chủ"),
    ("postgresql://may-chu/khuyencong", "người dùng"),
    ("postgresql://canbo@may-chu/", "tên cơ sở dữ liệu"),
    ("postgresql://canbo@may-chu/kc?sslmode=hoi", "SSL"),
    ("mysql://canbo@may-chu/kc", "postgresql://"),
])
def test_bad_urls_say_what_is_wrong(url: str, field_word: str) -> None:
    with pytest.raises(UserError) as info:
        connection.parse_url(url)
    assert field_word in info.value.message


def test_saved_file_never_holds_the_password(memory_keyring: MemoryKeyring) -> None:  # noqa: F811
    choice, password = connection.parse_url(
        f"postgresql://canbo:{connection.quote(SECRET, safe='')}@10.0.0.5/khuyencong")
    path = connection.save(choice, password)
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text and "bí@mật" not in text and connection.quote(SECRET, safe="") not in text
    assert '"host": "10.0.0.5"' in text
    assert memory_keyring.secrets == {("khuyencong", "canbo@10.0.0.5:5432/khuyencong"): SECRET}
    assert connection.load() == choice
    # The program's default database is the saved server, with the password from the store.
    assert default_database_url() == choice.url(SECRET)
    connection.forget()
    assert "sqlite:///" in default_database_url()
    assert SECRET not in connection.config_file().read_text(encoding="utf-8")


def test_environment_still_wins(memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    connection.save(connection.parse_url("postgresql://canbo@may-chu/kc")[0])
    monkeypatch.setenv("KHUYENCONG_DB", "sqlite:///khac.sqlite3")
    assert default_database_url() == "sqlite:///khac.sqlite3"


def test_without_a_credential_store_the_password_is_refused_and_nothing_saved(no_keyring: None) -> None:  # noqa: F811
    choice, password = connection.parse_url("postgresql://canbo:matkhau@may-chu/kc")
    with pytest.raises(UserError) as info:
        connection.save(choice, password)
    assert "kho mật khẩu" in info.value.message
    assert not connection.config_file().exists()
    connection.save(choice)  # without the password it is kept; libpq's pgpass can supply it
    assert connection.stored_password(choice) is None
    assert connection.saved_database_url() == "postgresql://canbo@may-chu:5432/kc"


def test_unreadable_file_is_ignored() -> None:
    path = connection.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{không phải json", encoding="utf-8")
    assert connection.load() is None
    assert "sqlite:///" in default_database_url()
