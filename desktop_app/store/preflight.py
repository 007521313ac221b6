"""Look at a database before opening it for real: a bad address, a missing folder, a file that is not a SQLite
database (or not this program's), or a schema from a newer program is refused with words, and the file is
read only — opening it normally would already switch its journal to WAL, a write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from desktop_app.domain.errors import DatabaseVersionError, UserError

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables of a database this program made (any released schema has them).
OWN_TABLES = frozenset({"users", "establishments", "proposals"})


def parse(url: str) -> URL:
    """The URL, or a UserError naming what is wrong with it."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UserError(f"Địa chỉ cơ sở dữ liệu “{url}” không hợp lệ; hãy dùng dạng sqlite:///đường/dẫn/tệp.sqlite3 "
                        "hoặc postgresql://người_dùng:mật_khẩu@máy_chủ/tên_csdl.", field="db") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise UserError(f"Chương trình chỉ dùng được SQLite hoặc PostgreSQL, không dùng được “{parsed.drivername}”.",
                        field="db")
    return parsed


def _describe(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "một tệp nén hoặc tệp Excel/Word (.xlsx, .docx, .zip)"
    if head.startswith(bytes.fromhex("D0CF11E0A1B11AE1")):
        return "một tệp Office cũ (.xls, .doc)"
    if head.startswith(b"%PDF"):
        return "một tệp PDF"
    if head.startswith(b"PGDMP"):
        return "một bản sao lưu PostgreSQL (hãy dùng pg_restore)"
    return "một tệp khác"


def check_sqlite_file(path: Path, known_revisions: set[str]) -> None:
    """Refuse, without writing anything, a file that this program must not open.

    Raises:
        UserError: a missing folder, a folder, not a SQLite database, damaged, or another program's database.
        DatabaseVersionError: made by a newer program.
    """
    if not path.parent.is_dir():
        raise UserError(f"Không có thư mục “{path.parent}” để chứa cơ sở dữ liệu; hãy tạo thư mục hoặc chọn nơi khác.",
                        field="db")
    if path.is_dir():
        raise UserError(f"“{path}” là một thư mục, không phải tệp cơ sở dữ liệu.", field="db")
    if not path.exists() or path.stat().st_size == 0:
        return  # a new database: created and migrated
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise UserError(f"Không đọc được tệp “{path}”: {exc.strerror or exc}.", field="db") from exc
    if not head.startswith(SQLITE_HEADER):
        raise UserError(f"Tệp “{path.name}” không phải cơ sở dữ liệu SQLite mà là {_describe(head)}; tệp được "
                        "giữ nguyên. Hãy chọn đúng tệp cơ sở dữ liệu (.sqlite3).", field="db")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone() \
                if "alembic_version" in tables else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"Không đọc được cơ sở dữ liệu “{path.name}” ({exc}); tệp có thể bị hỏng và được giữ "
                        "nguyên. Hãy khôi phục từ bản sao lưu.", field="db") from exc
    if tables and not (OWN_TABLES <= tables and row):
        raise UserError(f"“{path.name}” là cơ sở dữ liệu SQLite của chương trình khác; tệp được giữ nguyên.",
                        field="db")
    if row and row[0] not in known_revisions:
        raise DatabaseVersionError(
            f"Cơ sở dữ liệu được tạo bởi phiên bản mới hơn của chương trình (phiên bản CSDL “{row[0]}”). "
            "Hãy cài phiên bản chương trình mới hơn; dữ liệu chưa bị thay đổi.")
