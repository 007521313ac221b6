"""Kế hoạch năm driven as a manager would: choose the year and scope, type the envelope and its decision, save with
Ctrl+S, see the stages against it, the warning when approvals pass the envelope, and open a proposal with Enter."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from _workflow_dialogs import type_text
from factories import Actors, advance_to, make_proposal
from PySide6.QtCore import Qt

from desktop_app.domain.enums import Scope, Status
from desktop_app.services.context import Services
from desktop_app.ui.plans import page as plan_page
from desktop_app.ui.plans.page import PlanPage

pytestmark = pytest.mark.gui


def _page(qtbot: Any, services: Services, actor: Any) -> PlanPage:
    page = PlanPage(services, actor)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_manager_sets_the_envelope_and_sees_the_stages(qtbot: Any, sqlite_services: Services,
                                                       sqlite_people: Actors) -> None:
    services, staff = sqlite_services, sqlite_people.staff
    approved = make_proposal(services, staff)
    advance_to(services, sqlite_people, approved.id, Status.APPROVED)
    make_proposal(services, staff)
    page = _page(qtbot, services, sqlite_people.manager)
    page.show_plan(2026, Scope.LOCAL)
    assert page.model.rowCount() == 3  # two proposals and the totals row
    assert page.figure_labels["requested"].text() == "500.000.000"
    assert page.figure_labels["approved"].text() == "250.000.000"
    assert page.warning.isVisible() and page.warning.text().startswith("Chưa giao kế hoạch kinh phí năm 2026 (KCĐP)")

    # An envelope below the approvals: saved, and the warning says by how much.
    page.allocated_edit.setFocus()
    type_text(page.allocated_edit, "200000000")
    assert page.allocated_edit.text() == "200.000.000"
    type_text(page.decision_edit, "15/QĐ-UBND")
    assert page.has_unsaved_changes()
    page.save()  # what Ctrl+S does
    assert page.save_message.text() == "Đã lưu kế hoạch kinh phí năm 2026 (KCĐP)."
    assert not page.has_unsaved_changes()
    assert page.figure_labels["remaining"].text() == "-50.000.000"
    assert page.warning.text().endswith("vượt kinh phí được giao 200.000.000 đồng của kế hoạch năm 2026 (KCĐP): "
                                        "vượt 50.000.000 đồng.")
    page.grab().save("/tmp/plan-page-over.png")

    page.allocated_edit.clear()
    type_text(page.allocated_edit, "1000000000")
    page.save()
    assert not page.warning.isVisible() and page.figure_labels["remaining"].text() == "750.000.000"
    plan = services.plans.year_plan(staff, 2026, Scope.LOCAL).plan
    assert (plan.allocated_vnd, plan.decision_number) == (1_000_000_000, "15/QĐ-UBND")

    # The other scope has nothing yet.
    page.scope_combo.setCurrentIndex(page.scope_combo.findData(Scope.NATIONAL.value))
    assert page.model.rowCount() == 0 and page.figure_labels["allocated"].text() == "0"

    # Enter on a proposal opens it.
    page.show_plan(2026, Scope.LOCAL)
    opened: list[int] = []
    import desktop_app.ui.proposals.editor as editor_module

    monkey = pytest.MonkeyPatch()
    monkey.setattr(editor_module, "open_proposal", lambda _p, _s, _a, pid: opened.append(pid))
    try:
        row = next(i for i, r in enumerate(page.model.rows()) if r.id == approved.id)
        page.table.setCurrentIndex(page.model.index(row, 0))
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    finally:
        monkey.undo()
    assert opened == [approved.id]


def test_staff_read_the_plan_but_cannot_set_it(qtbot: Any, sqlite_services: Services, sqlite_people: Actors) -> None:
    sqlite_services.plans.save(sqlite_people.manager, date.today().year, Scope.LOCAL, 3_000_000_000, "01/QĐ-UBND")
    page = _page(qtbot, sqlite_services, sqlite_people.staff)
    assert page.year() == date.today().year and page.scope() is Scope.LOCAL
    assert page.allocated_edit.text() == "3.000.000.000" and page.allocated_edit.isReadOnly()
    assert not page.save_button.isEnabled() and "Lãnh đạo" in page.save_button.toolTip()
    assert not page.has_unsaved_changes()
    assert plan_page.EDITORS == (plan_page.Role.MANAGER, plan_page.Role.ADMIN)


def test_an_appraiser_is_told_the_plan_is_not_his(qtbot: Any, sqlite_services: Services,
                                                  sqlite_people: Actors) -> None:
    page = _page(qtbot, sqlite_services, sqlite_people.appraisers[0])
    assert page.warning.text().startswith("Vai trò “Thành viên hội đồng” không được xem kế hoạch năm")
    assert page.model.rowCount() == 0 and not page.save_button.isEnabled()
