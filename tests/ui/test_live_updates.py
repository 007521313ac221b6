"""Two desks on one PostgreSQL database: a change saved in another process reaches this one's open list and
open editor within 3 seconds (LISTEN/NOTIFY); on SQLite the change counter does the same."""

from __future__ import annotations

import multiprocessing as mp
import time
from pathlib import Path

import pytest
from concurrency_workers import presence_worker, retitle_worker
from factories import actors, make_proposal
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from desktop_app.services.context import Services, open_services
from desktop_app.ui import live_updates
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.proposals.editor import ProposalEditor
from desktop_app.ui.proposals.page import ProposalsPage

pytestmark = pytest.mark.gui
_CTX = mp.get_context("spawn")
NEW_TITLE = "Hỗ trợ máy sấy nông sản — đã sửa ở máy khác"


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def pg_url(pg_seeded_url: str) -> str:
    return pg_seeded_url


def _check_two_desks(qtbot: QtBot, url: str) -> None:
    services, _ = open_services(url)
    window: MainWindow | None = None
    try:
        people = actors(services)
        d = make_proposal(services, people.staff)
        window = MainWindow(services, people.staff)
        qtbot.addWidget(window)
        window.show()
        page = window.show_screen_by_key("proposals")
        assert isinstance(page, ProposalsPage)
        editor = ProposalEditor(services, people.staff, d.id, window)
        qtbot.addWidget(editor)
        editor.show()
        assert not editor.stale_notice.isVisible()

        results = _CTX.Queue()
        other = _CTX.Process(target=retitle_worker, args=(url, people.staff, d.id, NEW_TITLE, results))
        other.start()
        assert results.get(timeout=120) == "ok"
        saved_at = time.monotonic()
        other.join(timeout=60)

        def list_shows_new_title() -> None:
            assert any(r.title == NEW_TITLE for r in page.model.rows())

        qtbot.waitUntil(list_shows_new_title, timeout=3000)
        qtbot.waitUntil(editor.stale_notice.isVisible, timeout=3000)
        assert time.monotonic() - saved_at < 3.0 + 0.5
        text = editor.stale_notice.label.text()
        assert any(f"đã được “{who}” sửa lúc" in text for who in ("canbo", "Lê Thị Cán Bộ"))  # history's name
        # “Tải lại” takes the other desk's version; the notice goes away.
        editor.stale_notice.reload_button.click()
        assert editor.general.title_edit.text() == NEW_TITLE
        assert not editor.stale_notice.isVisible()
        editor.close()
        window.close()
    finally:
        if window is not None:
            window.live.stop()  # also when an assertion failed: no listener outlives its database
        services.close()


@pytest.mark.postgres
def test_two_processes_on_postgresql(qtbot: QtBot, pg_url: str) -> None:
    _check_two_desks(qtbot, pg_url)


def test_two_processes_on_sqlite(qtbot: QtBot, sqlite_url: str) -> None:
    _check_two_desks(qtbot, sqlite_url)


def test_own_saves_do_not_raise_the_notice(qtbot: QtBot, sqlite_services: Services) -> None:
    people = actors(sqlite_services)
    d = make_proposal(sqlite_services, people.staff)
    live = live_updates.start(sqlite_services)
    try:
        editor = ProposalEditor(sqlite_services, people.staff, d.id)
        qtbot.addWidget(editor)
        editor.show()
        editor.general.title_edit.setText("Tiêu đề mới của chính người này")
        assert editor.save()
        qtbot.wait(1800)  # the counter moved (our own commit) but the version is the one the editor holds
        assert not editor.stale_notice.isVisible()
    finally:
        live.stop()


@pytest.mark.postgres
def test_editor_shows_who_else_has_the_proposal_open(qtbot: QtBot, pg_url: str) -> None:
    services, _ = open_services(pg_url)
    live = live_updates.start(services)
    try:
        people = actors(services)
        d = make_proposal(services, people.staff)
        editor = ProposalEditor(services, people.staff, d.id)
        qtbot.addWidget(editor)
        editor.show()
        assert not editor.presence_label.isVisible()
        results, commands = _CTX.Queue(), _CTX.Queue()
        other = _CTX.Process(target=presence_worker, args=(pg_url, people.manager, d.id, results, commands))
        other.start()
        assert results.get(timeout=120) == "in"
        qtbot.waitUntil(editor.presence_label.isVisible, timeout=3000)
        assert "Cũng đang mở đề án này: Phạm Văn Lãnh (từ " in editor.presence_label.text()
        commands.put("leave")
        assert results.get(timeout=60) == "out"
        other.join(timeout=60)
        qtbot.waitUntil(lambda: not editor.presence_label.isVisible(), timeout=3000)
        # Closing the editor removes its own presence row.
        token = editor.presence_label._token
        assert token is not None
        editor.reject()
        assert services.presence.others("", "proposal", d.id) == []
    finally:
        live.stop()
        services.close()
