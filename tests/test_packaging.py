"""The wheel carries db/ and resources/ and works installed outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_initialises_a_database(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(dist)], check=True, cwd=tmp_path)
    wheel = next(dist.glob("khuyencong-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("desktop_app/_db/env.py", "desktop_app/_db/reference/communes.csv",
                     "desktop_app/_db/reference/ward_mapping.csv", "desktop_app/_resources/fonts/OFL.txt",
                     "desktop_app/_resources/fonts/LiberationSerif-Regular.ttf", "desktop_app/launcher.py"):
        assert required in names, f"{required} missing from the wheel"
    assert any(n.startswith("desktop_app/_db/versions/") and n.endswith(".py") for n in names)

    # A fresh environment: our wheel without its dependencies, which come from this test run's environment
    # through a .pth line (so the test needs no network and no 300 MB of downloads).
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)], check=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    env = {**os.environ, "KHUYENCONG_PASSWORD": "matkhau123", "KHUYENCONG_DATA_DIR": str(tmp_path / "data")}
    env.pop("PYTHONPATH", None)
    where = subprocess.run([str(python), "-c", "import desktop_app, desktop_app.paths as p; "
                            "print(desktop_app.__file__); print(p.db_dir())"],
                           check=True, capture_output=True, text=True, cwd=tmp_path, env=env).stdout
    assert str(venv) in where and str(ROOT) not in where, where
    db = tmp_path / "installed.sqlite3"
    run = subprocess.run([str(bindir / "khuyencong"), "--db", f"sqlite:///{db}", "init", "--admin", "quantri"],
                         capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    assert "quantri" in run.stdout and db.exists()
