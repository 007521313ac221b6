"""Start-up without a display or without Qt's system libraries: a Vietnamese message and a clear exit code."""

from __future__ import annotations

import os
import subprocess
import sys

from desktop_app.display_check import EXIT_NO_DISPLAY, display_problem


def _all_found(_name: str) -> str:
    return "lib.so"


def test_no_display_names_the_variables() -> None:
    problem = display_problem({}, "linux", _all_found)
    assert problem is not None and "DISPLAY" in problem and "WAYLAND_DISPLAY" in problem
    assert display_problem({"DISPLAY": ":0"}, "linux", _all_found) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", _all_found) is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", _all_found) is None
    assert display_problem({}, "win32", _all_found) is None


def test_missing_libraries_are_named_with_the_package_to_install() -> None:
    found = {"glib-2.0", "EGL", "GL", "fontconfig", "freetype", "xkbcommon", "dbus-1", "X11", "xcb-shape", "xcb-xkb",
             "xkbcommon-x11"}
    problem = display_problem({"DISPLAY": ":0"}, "linux", lambda name: "lib.so" if name in found else None)
    assert problem is not None
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in problem
    # offscreen needs no window libraries, only Qt's own
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux",
                           lambda name: "lib.so" if name in found else None) is None
    # a loader that cannot be asked at all (no ldconfig) does not stop the program
    assert display_problem({"DISPLAY": ":0"}, "linux", lambda _n: None) is None


def test_the_program_says_so_before_qt_starts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    if not sys.platform.startswith("linux"):
        return
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["KHUYENCONG_DATA_DIR"] = str(tmp_path)
    run = subprocess.run([sys.executable, "-m", "desktop_app"], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == EXIT_NO_DISPLAY
    assert "không có màn hình đồ họa" in run.stderr and "DISPLAY" in run.stderr
    assert "qt.qpa" not in run.stderr and "Aborted" not in run.stderr
    assert not (tmp_path / "khuyencong.sqlite3").exists()  # refused before anything was opened
