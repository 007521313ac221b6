"""The progress reporter that long work (exports, imports, demo data) takes: no Qt, testable with a fake."""

from __future__ import annotations


class Cancelled(Exception):
    """The user cancelled; the work stopped and rolled back whatever it had started."""

    def __init__(self) -> None:
        super().__init__("Đã hủy theo yêu cầu của người dùng.")


class Progress:
    """Reports progress; the default does nothing (command line, tests)."""

    def set_progress(self, done: int, total: int, status: str = "") -> None:
        return None

    def is_cancelled(self) -> bool:
        return False

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop."""
        if self.is_cancelled():
            raise Cancelled()


NO_PROGRESS = Progress()
