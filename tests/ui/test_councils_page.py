"""Hội đồng driven as a user would: staff filter the councils by kind, state and text; an appraiser sees "Hội đồng
của tôi" with what is left for him, and opens a council's proposal with Enter."""

from __future__ import annotations

from typing import Any

import pytest
from _workflow_dialogs import type_text
from factories import Actors, advance_to, make_proposal
from PySide6.QtCore import Qt

from desktop_app.domain.enums import CouncilKind, Status
from desktop_app.services.context import Services
from desktop_app.ui.councils.page import CouncilsPage

pytestmark = pytest.mark.gui


def _page(qtbot: Any, services: Services, actor: Any) -> CouncilsPage:
    page = CouncilsPage(services, actor)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def _texts(page: CouncilsPage, column: int) -> list[str]:
    return [page.model.index(r, column).data() for r in range(page.model.rowCount())]


def test_staff_filter_the_councils(qtbot: Any, sqlite_services: Services, sqlite_people: Actors) -> None:
    services, staff = sqlite_services, sqlite_people.staff
    done = make_proposal(services, staff, title="Đề án đạt thẩm định")
    advance_to(services, sqlite_people, done.id, Status.APPRAISED)
    working = make_proposal(services, staff, title="Đề án máy sấy nông sản")
    advance_to(services, sqlite_people, working.id, Status.APPRAISING)
    page = _page(qtbot, services, staff)
    assert page.heading.text() == "Hội đồng thẩm định và nghiệm thu"
    assert page.model.columnCount() == 7 and page.count_label.text() == "2 hội đồng"
    assert set(_texts(page, 6)) == {"Đang chấm điểm: 0/3 phiếu đã nộp", "Đã kết luận: đạt (85 điểm)"}
    page.state_combo.setCurrentIndex(page.state_combo.findText("Đang làm việc"))
    assert _texts(page, 3) == [working.code]
    page.state_combo.setCurrentIndex(0)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(CouncilKind.ACCEPTANCE.value))
    assert page.model.rowCount() == 0 and page.count_label.text() == "0 hội đồng"
    page.kind_combo.setCurrentIndex(0)
    type_text(page.search, "may say")
    page.search.flush()
    assert _texts(page, 3) == [working.code]
    assert page.model.index(0, 5).data().startswith("3: Đỗ Quốc Hưng; Vũ Thị Yến")
    page.grab().save("/tmp/councils-page.png")


def test_appraiser_sees_his_councils_and_opens_one(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    services, staff = sqlite_services, sqlite_people.staff
    d = make_proposal(services, staff)
    advance_to(services, sqlite_people, d.id, Status.APPRAISING)
    page = _page(qtbot, services, sqlite_people.appraisers[0])
    assert page.heading.text() == "Hội đồng của tôi"
    assert page.model.columnCount() == 8 and _texts(page, 7) == ["Chấm điểm và nộp phiếu"]
    assert page.count_label.text() == "1 hội đồng; 1 hội đồng còn phiếu chấm điểm chờ bạn nộp"
    opened: list[int] = []
    import desktop_app.ui.proposals.editor as editor_module

    monkeypatch.setattr(editor_module, "open_proposal", lambda _p, _s, _a, pid: opened.append(pid))
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened == [d.id]
    page.grab().save("/tmp/councils-mine.png")
