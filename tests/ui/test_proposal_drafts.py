"""A proposal's unsaved input is kept on this computer while it is edited; after a crash the next start offers it
back, and saving or closing on purpose removes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import Actors, machine_lines, make_establishment, make_proposal
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from desktop_app.services.context import Services
from desktop_app.ui import msgbox
from desktop_app.ui.proposals import drafts
from desktop_app.ui.proposals import editor as editor_module
from desktop_app.ui.proposals.editor import ProposalEditor, offer_kept_draft

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[ProposalEditor]:
    """Editors the offer opens (instead of running their modal loop)."""
    editors: list[ProposalEditor] = []
    monkeypatch.setattr(ProposalEditor, "exec", lambda self: editors.append(self) or 0)
    return editors


def test_a_crash_leaves_a_draft_that_the_next_start_offers(qtbot: QtBot, sqlite_services: Services,
                                                           sqlite_people: Actors, monkeypatch: pytest.MonkeyPatch,
                                                           opened: list[ProposalEditor]) -> None:
    monkeypatch.setattr(editor_module, "AUTOSAVE_MS", 50)
    staff = sqlite_people.staff
    eid = make_establishment(sqlite_services, staff)
    detail = make_proposal(sqlite_services, staff, eid)
    editor = ProposalEditor(sqlite_services, staff, detail.id)
    qtbot.addWidget(editor)
    editor.general.title_edit.setText("Hỗ trợ máy dệt thổ cẩm – bản đang gõ dở")
    editor.budget.lines.set_lines(machine_lines(200_000_000, 300_000_000))
    editor.general.target_edits[next(iter(editor.general.target_edits))].setValue(12)
    qtbot.waitUntil(lambda: drafts.draft_path(staff.username).exists(), timeout=3000)  # kept by the timer
    # The program dies here: no save, no close. Next start:
    monkeypatch.setattr(msgbox, "confirm", lambda *a, **k: True)
    assert offer_kept_draft(None, sqlite_services, staff)
    restored = opened[0]
    qtbot.addWidget(restored)
    assert restored.proposal_id == detail.id and restored.dirty
    assert restored.general.title_edit.text() == "Hỗ trợ máy dệt thổ cẩm – bản đang gõ dở"
    assert [line.support_vnd for line in restored.budget.lines.inputs()] == [200_000_000]
    assert restored.general.collect().targets[next(iter(restored.general.target_edits))] == 12
    assert restored.beneficiaries.ids() == [eid]
    assert restored.save()
    assert not drafts.draft_path(staff.username).exists()  # saved: nothing left to offer
    assert sqlite_services.proposals.get(staff, detail.id).title == "Hỗ trợ máy dệt thổ cẩm – bản đang gõ dở"


def test_declining_the_offer_drops_the_draft(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                             monkeypatch: pytest.MonkeyPatch, opened: list[ProposalEditor]) -> None:
    staff = sqlite_people.staff
    editor = ProposalEditor(sqlite_services, staff, None)
    qtbot.addWidget(editor)
    editor.general.title_edit.setText("Đề án mới chưa lưu")
    assert editor.autosave()
    monkeypatch.setattr(msgbox, "confirm", lambda *a, **k: False)
    assert not offer_kept_draft(None, sqlite_services, staff)
    assert not opened and drafts.load(staff.username) is None
    assert not offer_kept_draft(None, sqlite_services, staff)  # nothing kept: no question


def test_closing_on_purpose_drops_the_draft_and_an_unedited_editor_keeps_none(
        qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors, monkeypatch: pytest.MonkeyPatch) -> None:
    staff = sqlite_people.staff
    editor = ProposalEditor(sqlite_services, staff, None)
    qtbot.addWidget(editor)
    assert not editor.autosave()  # nothing typed
    editor.general.title_edit.setText("Gõ rồi bỏ")
    assert editor.autosave() and drafts.load(staff.username) is not None
    monkeypatch.setattr(msgbox, "ask_save_changes", lambda *a, **k: "discard")
    editor.reject()
    assert drafts.load(staff.username) is None


def test_a_kept_draft_keeps_the_support_percentage(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   opened: list[ProposalEditor]) -> None:
    staff = sqlite_people.staff
    detail = make_proposal(sqlite_services, staff, support_percent=20)
    editor = ProposalEditor(sqlite_services, staff, detail.id)
    qtbot.addWidget(editor)
    assert editor.budget.percent() == 20 and not editor.dirty
    editor.budget.grid.percent_spin.setValue(35)
    assert editor.dirty and editor.autosave()
    assert drafts.load(staff.username).data.support_percent == 35  # type: ignore[union-attr]
    monkeypatch.setattr(msgbox, "confirm", lambda *a, **k: True)
    assert offer_kept_draft(None, sqlite_services, staff)
    restored = opened[0]
    qtbot.addWidget(restored)
    assert restored.budget.percent() == 35 and restored.budget.grid.percent_spin.value() == 35
    assert restored.save()
    assert sqlite_services.proposals.get(staff, detail.id).support_percent == 35
