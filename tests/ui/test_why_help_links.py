"""“Vì sao?” opens the guide at the part that explains the locked task (appraisal, finance …), not at its top."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from factories import Actors, advance_to, make_proposal
from PySide6.QtWidgets import QApplication

from desktop_app.domain.enums import Action, Status
from desktop_app.services.context import Services
from desktop_app.ui import msgbox
from desktop_app.ui.help import WHY_SECTIONS, HelpDialog, guide_path, why_anchor
from desktop_app.ui.proposals.editor import ProposalEditor

pytestmark = pytest.mark.gui


def _open(qtbot: Any, services: Services, actor: Any, proposal_id: int) -> ProposalEditor:
    editor = ProposalEditor(services, actor, proposal_id)
    qtbot.addWidget(editor)
    editor.resize(1280, 800)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def _in_view(guide: HelpDialog) -> str:
    view = guide.browser.viewport().rect()
    top = guide.browser.cursorForPosition(view.topLeft()).position()
    bottom = guide.browser.cursorForPosition(view.bottomRight()).position()
    return guide.browser.toPlainText()[top:bottom]


def test_every_task_anchor_is_in_the_guide() -> None:
    html = Path(guide_path()).read_text(encoding="utf-8")
    for anchor in set(WHY_SECTIONS.values()) | {"vi-sao"}:
        assert f'<a name="{anchor}"></a>' in html, anchor
        assert f'href="#{anchor}"' in html, anchor  # reachable from the general section too
    assert why_anchor([Action.PASS_APPRAISAL]) == "vi-sao-tham-dinh"  # scoring → the appraisal part
    assert why_anchor([Action.SETTLE, Action.ACCEPT]) == "vi-sao-giai-ngan"  # the first locked one decides
    assert why_anchor([Action.IMPORT]) == "vi-sao" and why_anchor([]) == "vi-sao"


@pytest.mark.parametrize(("status", "actor_name", "anchor", "heading"), [
    (Status.APPRAISING, "staff", "vi-sao-tham-dinh", "Vì sao chưa thẩm định, kết luận hay phê duyệt được?"),
    (Status.ACCEPTED, "staff", "vi-sao-giai-ngan", "Vì sao chưa ký hợp đồng, giải ngân hay quyết toán được?"),
])
def test_why_button_opens_the_guide_at_the_locked_task(qtbot: Any, sqlite_services: Services,
                                                       sqlite_people: Actors, monkeypatch: pytest.MonkeyPatch,
                                                       status: Status, actor_name: str, anchor: str,
                                                       heading: str) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, d.id, status)
    editor = _open(qtbot, sqlite_services, getattr(sqlite_people, actor_name), d.id)
    told: list[str] = []
    monkeypatch.setattr(msgbox, "information", lambda _p, text, title="": told.append(text))
    assert editor.action_bar.why_button.isVisible()
    assert why_anchor(editor.action_bar.refused_actions()) == anchor
    editor.action_bar.why_button.click()
    assert told  # the reasons are still listed
    guide = editor.findChild(HelpDialog)
    assert guide is not None and guide.isVisible() and guide.section == anchor
    QApplication.processEvents()
    text = _in_view(guide)
    assert heading in text and "Mục lục" not in text  # scrolled to the task's part, not left at the top
    guide.grab().save(f"/tmp/help-{anchor}.png")
    guide.close()
