"""Start-up order: the login window is shown before the database layer is imported, and a database already at the
newest revision is opened without importing Alembic (each checked in a fresh interpreter)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.store.migrate import alembic_config, head_revision

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
from desktop_app.ui import app
from desktop_app.ui.login import LoginDialog

seen = {}
show = LoginDialog.show

def shown(self):
    seen.setdefault("sqlalchemy_when_login_shown", "sqlalchemy" in sys.modules)
    show(self)

LoginDialog.show = shown
LoginDialog.exec = lambda self: 0  # the user closes the login window
code = app.main(["--db", sys.argv[1]])
seen["code"] = code
seen["alembic"] = "alembic" in sys.modules
seen["sqlalchemy"] = "sqlalchemy" in sys.modules
print(json.dumps(seen))
"""


def test_login_is_shown_before_the_database_layer_is_imported(sqlite_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KHUYENCONG_DATA_DIR": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", SCRIPT, sqlite_url], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"sqlalchemy_when_login_shown": False, "code": 0, "alembic": False, "sqlalchemy": True}


def test_head_read_from_the_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
