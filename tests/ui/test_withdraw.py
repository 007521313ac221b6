"""Staff withdraw a submitted proposal from the editor: the button, a required reason typed in the dialog, the
proposal back in Dự thảo with the reason in its history; once the council is open the button is gone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from _workflow_dialogs import DialogDriver, type_text
from factories import Actors, advance_to, make_proposal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.domain.enums import Action, Status
from desktop_app.services.context import Services
from desktop_app.ui import msgbox, tasks
from desktop_app.ui.proposals.editor import ProposalEditor

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def synchronous(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(msgbox, "warning", lambda _p, text, title="": pytest.fail(f"unexpected warning: {text}"))
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


def _editor(qtbot: Any, services: Services, actor: Any, proposal_id: int) -> ProposalEditor:
    editor = ProposalEditor(services, actor, proposal_id)
    qtbot.addWidget(editor)
    editor.resize(1280, 800)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def test_staff_type_a_reason_and_withdraw(qtbot: Any, sqlite_services: Services, sqlite_people: Actors) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    sqlite_services.proposals.submit(sqlite_people.staff, d.id, d.version)
    editor = _editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    button = editor.action_bar.buttons[Action.WITHDRAW]
    assert button.isEnabled() and button.text().replace("&", "") == "Rút lại đề án"
    assert "cần ghi lý do" in button.toolTip()

    driver = DialogDriver()

    def give_reason(dialog: Any) -> None:
        dialog.activateWindow()  # shortcuts (Ctrl+Enter) go to the active window only
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        reason = dialog.fields.widget("reason")
        dialog.accept()  # OK with no reason: refused beside the field, the dialog stays
        assert dialog.isVisible() and dialog.fields.errors() == {"reason": "Chưa nhập lý do."}
        type_text(reason, "Bổ sung báo giá máy")
        qtbot.keyClick(reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert not dialog.isVisible(), "Ctrl+Enter did not confirm"

    driver.with_dialog(give_reason)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    driver.check()
    assert driver.seen and driver.seen[0].windowTitle() == "Rút lại đề án"
    assert editor.detail is not None and editor.detail.status is Status.DRAFT
    assert editor.editable and Action.WITHDRAW not in editor.action_bar.buttons
    assert any("Rút lại đề án → Dự thảo. Ghi chú: Bổ sung báo giá máy" in h.text for h in editor.history.model.rows())
    editor.grab().save("/tmp/withdrawn-editor.png")


def test_no_withdraw_once_the_council_is_open(qtbot: Any, sqlite_services: Services, sqlite_people: Actors) -> None:
    d = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, d.id, Status.APPRAISING)
    editor = _editor(qtbot, sqlite_services, sqlite_people.staff, d.id)
    assert Action.WITHDRAW not in editor.action_bar.buttons


def test_f1_in_the_editor_opens_why_an_action_is_locked(qtbot: Any, sqlite_services: Services,
                                                        sqlite_people: Actors, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.ui.help import HelpDialog

    d = make_proposal(sqlite_services, sqlite_people.staff)
    sqlite_services.proposals.submit(sqlite_people.staff, d.id, d.version)
    editor = _editor(qtbot, sqlite_services, sqlite_people.staff, d.id)  # "Trả lại" is refused to staff
    told: list[str] = []
    monkeypatch.setattr(msgbox, "information", lambda _p, text, title="": told.append(text))
    editor.action_bar.why_button.click()
    assert told and told[0].endswith("Nhấn F1 để xem hướng dẫn “Vì sao một thao tác bị khóa?”.")
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    qtbot.keyClick(editor, Qt.Key.Key_F1)
    guide = editor.findChild(HelpDialog)
    assert guide is not None and guide.isVisible()
    view = guide.browser.viewport().rect()
    top = guide.browser.cursorForPosition(view.topLeft()).position()
    bottom = guide.browser.cursorForPosition(view.bottomRight()).position()
    assert "Vì sao một thao tác bị khóa?" in guide.browser.toPlainText()[top:bottom]  # the section is in view
    guide.close()
