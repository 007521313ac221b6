"""Which database this computer opens: its own SQLite file, or a centre's PostgreSQL server.

The choice is remembered in the user's config folder (``ket-noi.json``) *without* the password; the password
goes to the operating system's credential store through ``keyring`` (Windows Credential Manager, macOS
Keychain, Secret Service). Neither Qt nor the database layer is imported here, so the command line, the login
window and :func:`desktop_app.paths.default_database_url` can all use it before anything heavy is loaded.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import platformdirs

from desktop_app.domain.errors import UserError

log = logging.getLogger(__name__)

APP_DIR_NAME = "khuyencong"
CONFIG_FILE = "ket-noi.json"
KEYRING_SERVICE = "khuyencong"
DEFAULT_PORT = 5432
# The libpq modes, from "never encrypt" to "encrypt and check the server's name against its certificate".
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
SSL_MODE_LABELS = {
    "disable": "Không mã hóa",
    "allow": "Mã hóa nếu máy chủ yêu cầu",
    "prefer": "Mã hóa nếu máy chủ hỗ trợ (mặc định)",
    "require": "Bắt buộc mã hóa",
    "verify-ca": "Bắt buộc mã hóa, kiểm tra chứng chỉ",
    "verify-full": "Bắt buộc mã hóa, kiểm tra chứng chỉ và tên máy chủ",
}


@dataclass(frozen=True)
class ConnectionChoice:
    """A remembered connection. ``kind`` is "local" (the SQLite file in the data folder, or ``file`` when set)
    or "server" (PostgreSQL). Never holds a password."""

    kind: str = "local"
    file: str = ""
    host: str = ""
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""
    sslmode: str = "prefer"

    @property
    def is_server(self) -> bool:
        return self.kind == "server"

    @property
    def keyring_account(self) -> str:
        """The key the password is stored under: one per user, server and database."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def describe(self) -> str:
        """A Vietnamese one-line description, safe to print (no password)."""
        if not self.is_server:
            return f"Tệp trên máy này: {self.file or local_database_file()}"
        return (f"Máy chủ PostgreSQL {self.host}:{self.port}, cơ sở dữ liệu “{self.database}”, "
                f"người dùng “{self.user}”, SSL: {self.sslmode}")

    def url(self, password: str | None = None) -> str:
        """The SQLAlchemy URL; with ``password`` (for opening) or without it (for showing and saving)."""
        if not self.is_server:
            return f"sqlite:///{self.file or local_database_file()}"
        auth = quote(self.user, safe="")
        if password:
            auth += ":" + quote(password, safe="")
        query = f"?sslmode={self.sslmode}" if self.sslmode and self.sslmode != "prefer" else ""
        return f"postgresql://{auth}@{_host_part(self.host)}:{self.port}/{quote(self.database, safe='')}{query}"


def _host_part(host: str) -> str:
    return f"[{host}]" if ":" in host else host  # an IPv6 address


def local_database_file() -> Path:
    """The SQLite file in the user's data folder (``KHUYENCONG_DATA_DIR`` moves the folder)."""
    override = os.environ.get("KHUYENCONG_DATA_DIR")
    folder = Path(override) if override else Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    return folder / "khuyencong.sqlite3"


def config_file() -> Path:
    """Where the choice is kept: the user's config folder (``KHUYENCONG_CONFIG_DIR`` moves it)."""
    override = os.environ.get("KHUYENCONG_CONFIG_DIR")
    folder = Path(override) if override else Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False))
    return folder / CONFIG_FILE


def parse_url(url: str) -> tuple[ConnectionChoice, str | None]:
    """A choice and the password (if the URL holds one) from a URL a user types.

    Accepts ``postgresql://user:password@host:port/database?sslmode=require`` (also ``postgres://`` and
    ``postgresql+psycopg://``) and ``sqlite:///path``.

    Raises:
        UserError: not a URL the program can open, or a server URL without host, database or user.
    """
    text = url.strip()
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme == "sqlite":
        path = text.split(":///", 1)[1] if ":///" in text else ""
        if not path:
            raise UserError("Địa chỉ tệp SQLite phải có dạng sqlite:///đường/dẫn/tệp.sqlite3.")
        return ConnectionChoice(kind="local", file=path), None
    if scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
        raise UserError("Địa chỉ phải bắt đầu bằng postgresql:// (máy chủ) hoặc sqlite:/// (tệp trên máy này).")
    parts = urlsplit(text)
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise UserError("Cổng (port) trong địa chỉ phải là một số từ 1 đến 65535.", field="port") from None
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    sslmode = query.pop("sslmode", "prefer")
    if query:
        raise UserError(f"Tham số không hỗ trợ trong địa chỉ: {', '.join(sorted(query))}.")
    choice = ConnectionChoice(kind="server", host=parts.hostname or "", port=port,
                              database=unquote(parts.path.lstrip("/")), user=unquote(parts.username or ""),
                              sslmode=sslmode)
    validate(choice)
    return choice, unquote(parts.password) if parts.password else None


def validate(choice: ConnectionChoice) -> None:
    """Raises UserError naming the first missing or wrong field of a server choice."""
    if not choice.is_server:
        return
    if not choice.host.strip():
        raise UserError("Chưa nhập máy chủ (tên hoặc địa chỉ IP).", field="host")
    if not 0 < choice.port < 65536:
        raise UserError("Cổng (port) phải là một số từ 1 đến 65535.", field="port")
    if not choice.database.strip():
        raise UserError("Chưa nhập tên cơ sở dữ liệu.", field="database")
    if not choice.user.strip():
        raise UserError("Chưa nhập người dùng của cơ sở dữ liệu.", field="user")
    if choice.sslmode not in SSL_MODES:
        raise UserError(f"Chế độ SSL “{choice.sslmode}” không hợp lệ; chọn một trong: {', '.join(SSL_MODES)}.",
                        field="sslmode")


def load() -> ConnectionChoice | None:
    """The saved choice, or None when nothing was saved (or the file is unreadable: logged, then ignored)."""
    path = config_file()
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        known = {k: v for k, v in data.items() if k in ConnectionChoice.__dataclass_fields__}
        choice = ConnectionChoice(**known)
        validate(choice)
        return replace(choice, port=int(choice.port))
    except (OSError, ValueError, TypeError, UserError) as exc:
        log.warning("ignoring unreadable connection settings %s: %s", path, exc)
        return None


def save(choice: ConnectionChoice, password: str | None = None) -> Path:
    """Remember ``choice``; a server password goes to the credential store, never into the file.

    Raises:
        UserError: a field is wrong, or there is a password and no credential store on this computer.
    """
    validate(choice)
    if choice.is_server and password:
        store_password(choice, password)
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(choice), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def forget() -> None:
    """Back to this computer's own file (the saved server password stays in the credential store)."""
    save(ConnectionChoice(kind="local"))


def store_password(choice: ConnectionChoice, password: str) -> None:
    import keyring  # keyring loads its back-ends (~0.2 s): only saving a password needs it
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, choice.keyring_account, password)
    except KeyringError as exc:
        raise UserError(
            "Máy này không có kho mật khẩu của hệ điều hành nên không lưu được mật khẩu. "
            "Hãy lưu kết nối không kèm mật khẩu và đặt mật khẩu trong tệp pgpass của PostgreSQL "
            f"(hoặc biến PGPASSWORD). Chi tiết: {exc}"
        ) from exc


def stored_password(choice: ConnectionChoice) -> str | None:
    """The password kept for ``choice``; None when there is none or no credential store answers."""
    if not choice.is_server:
        return None
    import keyring  # keyring (~0.2 s): only a server connection reads its password
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, choice.keyring_account)
    except KeyringError as exc:
        log.warning("credential store unavailable: %s", exc)
        return None


def saved_database_url() -> str | None:
    """The URL to open from the saved choice, with the stored password; None when nothing was saved."""
    choice = load()
    if choice is None:
        return None
    return choice.url(stored_password(choice))
