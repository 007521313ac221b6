"""Other desks' changes on this screen: open lists refresh, an open editor warns that its record changed.

:class:`LiveUpdates` runs the services' change listener (a thread) and re-emits each change as a Qt signal on
the GUI thread, gathering bursts (one save touches several tables) into one ``changed`` per
``GATHER_MS``. The main window starts one while it is open (:func:`current` finds it); editors ask it with
:func:`watch_proposal`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_app.services.auth import Actor
from desktop_app.services.changes import Change, ChangeListener
from desktop_app.services.context import Services
from desktop_app.services.presence import HEARTBEAT_SECONDS
from desktop_app.ui.style import PRESENCE_TEXT, WARNING_BACKGROUND, WARNING_BORDER

log = logging.getLogger(__name__)
GATHER_MS = 250
_current: LiveUpdates | None = None


class LiveUpdates(QObject):
    """Emits ``changed(Change)`` on the GUI thread for every change committed by another desk (or window)."""

    changed = Signal(object)
    _arrived = Signal(object)  # from the listener thread; queued onto the GUI thread

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: list[Change] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self._flush)
        self._arrived.connect(self._on_arrived)
        self._listener: ChangeListener | None = None
        try:
            self._listener = services.changes.listen(self._arrived.emit)
        except Exception:  # live updates are a convenience: without them the program still works
            log.exception("live updates unavailable")

    def _on_arrived(self, change: Change) -> None:
        self._pending.append(change)
        if not self._timer.isActive():
            self._timer.start()

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        for change in _merge(pending):
            self.changed.emit(change)

    def stop(self) -> None:
        global _current
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        if _current is self:
            _current = None


def _merge(changes: list[Change]) -> list[Change]:
    """One change per burst (others' first, then own), ids of the same table joined."""
    out: list[Change] = []
    for own in (False, True):
        group = [c for c in changes if c.own is own]
        if not group:
            continue
        if any(not c.tables for c in group):
            out.append(Change({}, group[-1].by, group[-1].at, own))
            continue
        tables: dict[str, set[int] | None] = {}
        for c in group:
            for table, ids in c.tables.items():
                known = tables.get(table, set())
                tables[table] = None if known is None or not ids else known | set(ids)
        merged = {t: tuple(sorted(ids)) if ids else () for t, ids in tables.items()}
        out.append(Change(merged, group[-1].by, group[-1].at, own))
    return out


def start(services: Services, parent: QObject | None = None) -> LiveUpdates:
    """Start the live updates of this window (replacing any earlier ones)."""
    global _current
    if _current is not None:
        _current.stop()
    _current = LiveUpdates(services, parent)
    return _current


def current() -> LiveUpdates | None:
    return _current


class StaleNotice(QFrame):
    """The bar in an editor: “Đã được canbo sửa lúc 09:31. [Tải lại]”; hidden until another desk saves."""

    def __init__(self, on_reload: Callable[[], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staleNotice")
        self.setStyleSheet(f"#staleNotice {{ background: {WARNING_BACKGROUND.name()}; "
                           f"border: 1px solid {WARNING_BORDER.name()}; border-radius: 3px; }}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.reload_button = QPushButton("Tải lại", self)
        self.reload_button.clicked.connect(on_reload)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.reload_button)
        self.setVisible(False)

    def show_change(self, by: str, at: datetime | None) -> None:
        who = f"“{by}”" if by else "người khác"
        when = f" lúc {at:%H:%M} ngày {at:%d/%m/%Y}" if at else ""
        self.label.setText(f"Đề án này đã được {who} sửa{when}. Bấm “Tải lại” để xem bản mới nhất; "
                           "nếu lưu bây giờ, chương trình sẽ báo xung đột và không ghi đè bản của người kia.")
        self.setVisible(True)


class ProposalStaleNotice(StaleNotice):
    """A :class:`StaleNotice` for a proposal editor, shown when another desk commits a newer version of it.

    Its slot is a method of this widget, so Qt drops the connection when the editor (and the notice) goes away.
    """

    def __init__(self, services: Services, actor: Actor, proposal_id: Callable[[], int | None],
                 loaded_version: Callable[[], int | None], on_reload: Callable[[], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(on_reload, parent)
        self._services, self._actor = services, actor
        self._proposal_id, self._loaded_version = proposal_id, loaded_version
        live = current()
        if live is not None:
            live.changed.connect(self.on_changed)

    def on_changed(self, change: Change) -> None:
        pid = self._proposal_id()
        if pid is None or not change.touches("proposals", pid):
            return
        try:
            latest = self._services.proposals.get(self._actor, pid)
        except Exception:  # deleted, or the server is away for a moment: saving will say so
            log.info("could not re-read proposal %s after a change", pid, exc_info=True)
            return
        if latest.version == self._loaded_version():
            self.setVisible(False)
            return
        by, at = change.by, change.at
        try:
            history = self._services.proposals.history(self._actor, pid)
            if history:
                last = max(history, key=lambda e: e.at)
                by, at = last.username or by, last.at
        except Exception:
            log.info("no history for proposal %s", pid, exc_info=True)
        self.show_change(by, at)


class PresenceLabel(QLabel):
    """“Cũng đang mở đề án này: Lê Thị Bé (từ 09:31)” in an editor; informs, locks nothing.

    Only on a shared server (PostgreSQL): on SQLite each heartbeat would move the change counter and make every
    window refresh for nothing. The editor's own presence is entered when it shows a saved record, beaten by a
    timer and left when the editor closes.
    """

    def __init__(self, services: Services, actor: Actor, entity: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presenceLabel")
        self.setStyleSheet(f"#presenceLabel {{ color: {PRESENCE_TEXT.name()}; }}")
        self.setVisible(False)
        self._services, self._actor, self._entity = services, actor, entity
        self._token: str | None = None
        self._entity_id: int | None = None
        self._enabled = services.changes.instant

        self._timer = QTimer(self)
        self._timer.setInterval(HEARTBEAT_SECONDS * 1000)
        self._timer.timeout.connect(self._beat)
        live = current()
        if live is not None:
            live.changed.connect(self.on_changed)

    def follow(self, entity_id: int | None) -> None:
        """Show (and announce) presence on ``entity_id``; None leaves."""
        if not self._enabled or entity_id == self._entity_id:
            return
        self.leave()
        if entity_id is None:
            return
        try:
            self._token = self._services.presence.enter(self._actor, self._entity, entity_id)
        except Exception:  # presence is a courtesy: a failure must not stop the editing
            log.warning("could not note presence on %s %s", self._entity, entity_id, exc_info=True)
            return
        self._entity_id = entity_id
        self._timer.start()
        self.refresh()

    def leave(self) -> None:
        self._timer.stop()
        token, self._token, self._entity_id = self._token, None, None
        self.setVisible(False)
        if token is not None:
            try:
                self._services.presence.leave(token)
            except Exception:
                log.warning("could not leave presence", exc_info=True)

    def refresh(self) -> None:
        if self._token is None or self._entity_id is None:
            return
        others = self._services.presence.others(self._token, self._entity, self._entity_id)
        names = ", ".join(f"{p.display_name} (từ {p.since.astimezone():%H:%M})" for p in others)
        self.setText(f"Cũng đang mở đề án này: {names}. Ai lưu trước thì người sau sẽ được báo." if names else "")
        self.setVisible(bool(names))

    def _beat(self) -> None:
        if self._token is None:
            return
        try:
            self._services.presence.beat(self._token)
            self.refresh()
        except Exception:
            log.warning("presence heartbeat failed", exc_info=True)

    def on_changed(self, change: Change) -> None:
        if self._token is not None and not change.own and change.touches("presence"):
            try:
                self.refresh()
            except Exception:
                log.warning("presence refresh failed", exc_info=True)
