"""Entry point of ``khuyencong`` and ``python -m desktop_app``: a sub-command runs the CLI, none starts the GUI,
``screenshots`` runs the screenshot tool.

This module sits above ``cli``, ``ui`` and ``screenshots`` and imports each only when it is needed, so the command
line never loads Qt.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

GUI_COMMANDS = {"screenshots"}


def _words(argv: Sequence[str]) -> list[str]:
    """The arguments that are not options nor an option's value: the sub-command first."""
    skip_values = {i + 1 for i, a in enumerate(argv) if a in ("--db", "--user")}
    return [a for i, a in enumerate(argv) if not a.startswith("-") and i not in skip_values]


def _wants_gui(argv: Sequence[str]) -> bool:
    words = _words(argv)
    if any(a in ("-h", "--help", "--version") for a in argv):
        return False
    return not words or words[0] in GUI_COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if _wants_gui(args):
        # Said in Vietnamese before Qt starts: Qt itself would abort in English (exit code 134).
        from desktop_app.display_check import EXIT_NO_DISPLAY, display_problem

        environ = dict(os.environ)
        if "screenshots" in args:  # drawn offscreen: no display needed, only Qt's own libraries
            environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        problem = display_problem(environ)
        if problem:
            print(problem, file=sys.stderr)
            return EXIT_NO_DISPLAY
        if _words(args)[:1] == ["screenshots"]:
            from desktop_app.screenshots.command import run as screenshots  # Qt and the demo data: this command only

            return screenshots(args)
        from desktop_app.ui.app import main as gui_main  # start-up: only the front end asked for is imported (Qt here)

        return gui_main(args)
    from desktop_app.cli.main import main as cli_main  # start-up: the command line never imports Qt

    return cli_main(args)


def main_gui() -> int:
    return main([])


def run() -> None:
    sys.exit(main())


def run_gui() -> None:
    sys.exit(main_gui())
