"""Alembic environment: works for the program's own start-up migration and for ``alembic`` from the repo root.

The program passes its open connection in ``config.attributes["connection"]``; from the command line the URL
comes from ``-x url=…`` or ``KHUYENCONG_DB``.
"""

from __future__ import annotations

import os

from alembic import context

from desktop_app.store import search_index
from desktop_app.store.database import make_engine, sqlite_pragma
from desktop_app.store.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        compare_server_default=False,
        include_object=search_index.include_object,  # the name search index is made by its migration only
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("KHUYENCONG_DB")
    if not url:
        raise SystemExit("Cho biết cơ sở dữ liệu: alembic -x url=sqlite:///đường/dẫn.sqlite3 … hoặc đặt KHUYENCONG_DB")
    engine = make_engine(url)
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # Batch migrations rebuild tables; enforced foreign keys would refuse dropping a referenced one.
            sqlite_pragma(conn, "PRAGMA foreign_keys=OFF")
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Chế độ offline (sinh SQL) không được hỗ trợ; hãy chạy với một cơ sở dữ liệu.")
run_migrations_online()
