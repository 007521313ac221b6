"""Where things are: the shipped ``db/`` and ``resources/`` folders, and the user's data folder.

In a checkout ``db/`` and ``resources/`` sit beside the package; in an installed wheel they are inside it as
``_db`` and ``_resources`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
APP_DIR_NAME = "khuyencong"


def _shipped(name: str) -> Path:
    inside = _PACKAGE / f"_{name}"
    if inside.is_dir():
        return inside
    beside = _PACKAGE.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"Không tìm thấy thư mục {name}/ của chương trình (cài đặt bị thiếu tệp).")


def db_dir() -> Path:
    """Alembic migrations and reference data."""
    return _shipped("db")


def reference_dir() -> Path:
    return db_dir() / "reference"


def resources_dir() -> Path:
    """Fonts, icons, document templates."""
    return _shipped("resources")


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def data_dir() -> Path:
    """The user's data folder (the SQLite file, backups, logs); ``KHUYENCONG_DATA_DIR`` overrides it."""
    override = os.environ.get("KHUYENCONG_DATA_DIR")
    if override:
        path = Path(override)
    else:
        import platformdirs  # here: the module costs the start-up several milliseconds when a folder is given

        path = Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    logs = data_dir() / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    return logs / "khuyencong.log"


def default_database_url() -> str:
    """``KHUYENCONG_DB`` if set, else the connection saved by ``khuyencong connect`` or the connection dialog,
    else a SQLite file in the data folder."""
    url = os.environ.get("KHUYENCONG_DB")
    if url:
        return url
    # connection loads platformdirs (ms): only when KHUYENCONG_DB is unset
    from desktop_app.connection import saved_database_url

    saved = saved_database_url()
    if saved:
        return saved
    return f"sqlite:///{data_dir() / 'khuyencong.sqlite3'}"
