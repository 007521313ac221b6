"""“Kiểm tra kết nối”: try a URL without changing anything and say in Vietnamese what is wrong.

The driver's errors are sorted by their SQLSTATE where the server sent one, else by the libpq message (a host
that does not answer never gets as far as a SQLSTATE).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from desktop_app.store.database import make_engine
from desktop_app.store.migrate import current_revision, head_revision, known_revisions

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 5


class Problem(Enum):
    NONE = "none"
    HOST_UNREACHABLE = "host_unreachable"
    WRONG_PASSWORD = "wrong_password"
    NO_PASSWORD = "no_password"
    UNKNOWN_USER = "unknown_user"
    DATABASE_MISSING = "database_missing"
    NO_RIGHTS = "no_rights"
    SSL = "ssl"
    SCHEMA_NEWER = "schema_newer"
    NOT_A_DATABASE = "not_a_database"
    OTHER = "other"


@dataclass(frozen=True)
class ConnectionReport:
    """What the check found. ``ok`` means the program can open the database (maybe after upgrading it)."""

    problem: Problem
    message: str
    revision: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is Problem.NONE


def check_connection(url: str) -> ConnectionReport:
    """Connect to ``url``, read its schema version and compare it with the program's; nothing is written."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _check_sqlite(url, parsed.database or "")
    engine = make_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})
    try:
        revision = current_revision(engine)
    except sa_exc.DBAPIError as exc:
        log.info("connection check failed for %s: %s", parsed.render_as_string(hide_password=True), exc.orig)
        return _explain(exc.orig, parsed.host or "", parsed.port or 5432, parsed.database or "",
                        parsed.username or "")
    finally:
        engine.dispose()
    return _schema_report(revision)


def _check_sqlite(url: str, database: str) -> ConnectionReport:
    path = Path(database)
    if not path.exists():
        if not path.parent.is_dir():
            return ConnectionReport(Problem.OTHER, f"Thư mục “{path.parent}” không tồn tại.")
        return ConnectionReport(Problem.NONE, f"Tệp “{path}” chưa có; chương trình sẽ tạo cơ sở dữ liệu mới.")
    engine = make_engine(url)
    try:
        revision = current_revision(engine)
    except sa_exc.DBAPIError as exc:
        return ConnectionReport(Problem.NOT_A_DATABASE,
                                f"Tệp “{path}” không phải cơ sở dữ liệu của chương trình hoặc bị hỏng ({exc.orig}).")
    finally:
        engine.dispose()
    return _schema_report(revision)


def _schema_report(revision: str | None) -> ConnectionReport:
    head = head_revision()
    if revision is None:
        return ConnectionReport(Problem.NONE, "Kết nối được. Cơ sở dữ liệu còn trống: lần mở đầu tiên chương trình "
                                              "sẽ tạo các bảng và hỏi tài khoản quản trị đầu tiên.")
    if revision == head:
        return ConnectionReport(Problem.NONE, "Kết nối được. Cơ sở dữ liệu đúng phiên bản của chương trình.", revision)
    if revision not in known_revisions():
        return ConnectionReport(
            Problem.SCHEMA_NEWER,
            f"Kết nối được, nhưng cơ sở dữ liệu do phiên bản mới hơn của chương trình tạo (phiên bản CSDL "
            f"“{revision}”). Hãy cài phiên bản chương trình mới hơn trên máy này.", revision)
    return ConnectionReport(Problem.NONE, f"Kết nối được. Cơ sở dữ liệu (phiên bản “{revision}”) sẽ được nâng cấp "
                                          "khi mở; với PostgreSQL hãy sao lưu bằng pg_dump trước.", revision)


def _explain(error: BaseException | None, host: str, port: int, database: str, user: str) -> ConnectionReport:
    sqlstate = getattr(error, "sqlstate", None)
    text = str(error or "").strip()
    lower = text.lower()
    if sqlstate == "28P01" or "password authentication failed" in lower:
        return ConnectionReport(Problem.WRONG_PASSWORD, f"Sai mật khẩu của người dùng “{user}” trên máy chủ.")
    if "no password supplied" in lower or "fe_sendauth" in lower:
        return ConnectionReport(Problem.NO_PASSWORD, f"Máy chủ yêu cầu mật khẩu cho người dùng “{user}”; "
                                                     "hãy nhập mật khẩu.")
    if sqlstate == "3D000" or ("database" in lower and "does not exist" in lower):
        return ConnectionReport(Problem.DATABASE_MISSING,
                                f"Máy chủ không có cơ sở dữ liệu “{database}”. Hãy kiểm tra tên, hoặc nhờ cán bộ "
                                "tin học tạo nó (xem hướng dẫn cài máy chủ).")
    if "role" in lower and ("does not exist" in lower or sqlstate == "28000"):
        return ConnectionReport(Problem.UNKNOWN_USER, f"Máy chủ không có người dùng “{user}”.")
    if sqlstate == "28000" or "pg_hba.conf" in lower:
        return ConnectionReport(Problem.NO_RIGHTS,
                                f"Máy chủ từ chối người dùng “{user}” từ máy này (pg_hba.conf), hoặc cần SSL. "
                                "Hãy nhờ cán bộ tin học cho phép máy này kết nối.")
    if sqlstate == "42501":
        return ConnectionReport(Problem.NO_RIGHTS,
                                f"Người dùng “{user}” không có quyền trên cơ sở dữ liệu “{database}”.")
    if "ssl" in lower:
        return ConnectionReport(Problem.SSL, f"Lỗi mã hóa SSL khi kết nối tới {host}:{port} — hãy đổi chế độ SSL "
                                             f"hoặc kiểm tra chứng chỉ ({text[:200]}).")
    unreachable = ("connection refused", "could not translate host name", "name or service not known",
                   "timeout expired", "timed out", "no route to host", "network is unreachable",
                   "could not connect", "connection to server at")
    if any(marker in lower for marker in unreachable):
        return ConnectionReport(Problem.HOST_UNREACHABLE,
                                f"Không liên lạc được với máy chủ {host}:{port}. Hãy kiểm tra tên máy chủ, cổng, "
                                "mạng, và PostgreSQL đang chạy trên máy chủ đó.")
    return ConnectionReport(Problem.OTHER, f"Không kết nối được: {text[:300]}")
