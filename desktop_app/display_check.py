"""Before Qt starts on Linux: is there a display, and are the system libraries Qt needs installed?

Without them Qt aborts with an English message ("could not load the Qt platform plugin …") and exit code 134, or
``import PySide6`` fails on a missing ``libglib-2.0.so.0``. This module imports no Qt: it looks at the environment
and asks the dynamic loader, and returns a Vietnamese message naming the variable or the packages to install.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping

#: Exit code of a start refused because of the system (no display, missing library); 0–2 are the program's own.
EXIT_NO_DISPLAY = 3

#: Library (as the loader names it) → Debian/Ubuntu package. Qt's widgets need the first group on any platform
#: plugin; the window on an X11 or Wayland desktop (the xcb plugin) needs the second.
_CORE_LIBRARIES = {"glib-2.0": "libglib2.0-0", "EGL": "libegl1", "GL": "libgl1", "fontconfig": "libfontconfig1",
                   "freetype": "libfreetype6", "xkbcommon": "libxkbcommon0", "dbus-1": "libdbus-1-3"}
_WINDOW_LIBRARIES = {"X11": "libx11-6", "xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4",
                     "xcb-keysyms": "libxcb-keysyms1", "xcb-shape": "libxcb-shape0", "xcb-xkb": "libxcb-xkb1",
                     "xkbcommon-x11": "libxkbcommon-x11-0"}


def _loader_cache() -> bytes | None:
    """What the dynamic loader knows: its cache file as it is (the names in it are plain strings), or the listing
    of one ``ldconfig -p``; None when neither can be read. (``ctypes.util.find_library`` runs ldconfig again for
    every name: seven to fourteen processes at each start, before the window could be shown.)"""
    try:
        with open("/etc/ld.so.cache", "rb") as fh:
            return fh.read()
    except OSError:
        pass
    import subprocess  # only here: the module costs the start 5–10 ms

    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"):
        try:
            return subprocess.run([ldconfig, "-p"], capture_output=True, timeout=10, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            continue
    return None


def _find_library(name: str, known: list[bytes | None] = []) -> str | None:  # noqa: B006 (the cache)
    """Like ``ctypes.util.find_library`` for the loader's libraries, reading the loader's cache once."""
    if not known:
        known.append(_loader_cache())
    cache = known[0]
    if not cache:  # nothing to read here: ctypes' own search
        import ctypes.util  # ctypes.util costs this pre-start check ~10 ms: only when the cache is unreadable

        return ctypes.util.find_library(name)
    found = re.search(rb"[\0/\s]lib" + re.escape(name.encode()) + rb"\.so", cache)
    return f"lib{name}.so" if found else None


def display_problem(environ: Mapping[str, str] | None = None, platform: str | None = None,
                    find_library: Callable[[str], str | None] = _find_library) -> str | None:
    """Why the window cannot open here (in Vietnamese, saying what to set or install), or None when it can."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return None  # Windows and macOS always have their display; the wheels carry what Qt needs there
    plugin = env.get("QT_QPA_PLATFORM", "")
    needed = dict(_CORE_LIBRARIES)
    if plugin not in ("offscreen", "minimal", "vnc"):
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
            return ("Không mở được cửa sổ chương trình: máy này không có màn hình đồ họa (biến môi trường DISPLAY "
                    "và WAYLAND_DISPLAY đều trống).\n"
                    "Hãy chạy chương trình trong phiên làm việc có giao diện đồ họa, hoặc đăng nhập từ xa với "
                    "“ssh -X”. Các lệnh dòng lệnh (khuyencong --help) vẫn dùng được không cần màn hình.")
        needed.update(_WINDOW_LIBRARIES)
    missing = [package for library, package in needed.items() if not find_library(library)]
    if not missing or len(missing) == len(needed):
        return None  # nothing missing, or the loader cannot be asked here (no ldconfig): let Qt try
    return ("Không mở được cửa sổ chương trình: máy này thiếu thư viện hệ thống mà Qt cần "
            f"({', '.join(missing)}).\n"
            f"Trên Debian / Ubuntu hãy cài: sudo apt-get install {' '.join(missing)}")
