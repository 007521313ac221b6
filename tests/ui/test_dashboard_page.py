"""The Tổng quan screen: figures, charts, due items and each role's own tasks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import Actors, advance_to, make_proposal
from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QHorizontalBarSeries
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from desktop_app.domain.enums import Scope, Status
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.ui.dashboard import DashboardPage


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    """Remembered window state and preferences of this test only (Qt reads the settings folder once)."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


def _page(qtbot: QtBot, services: Services, actor: Actor, today: date) -> DashboardPage:
    page = DashboardPage(services, actor, today=today)
    qtbot.addWidget(page)
    page.resize(1070, 700)
    page.show()
    return page


def test_figures_charts_and_due_items(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors) -> None:
    national = make_proposal(sqlite_services, sqlite_people.staff, scope=Scope.NATIONAL, year=2027)
    running = make_proposal(sqlite_services, sqlite_people.staff, year=2026)
    approved = advance_to(sqlite_services, sqlite_people, running.id, Status.IN_PROGRESS).approved_support_vnd
    assert approved
    page = _page(qtbot, sqlite_services, sqlite_people.manager, date(2026, 7, 28))
    assert page.total_figure.value.text() == "2"
    assert page.progress_figure.value.text() == "1"
    assert page.overdue_figure.value.text() == "2"
    assert page.subheading.text() == "Ninh Bình, ngày 28 tháng 7 năm 2026"

    status_series = page.status_view.chart().series()[0]
    assert isinstance(status_series, QHorizontalBarSeries)
    bars = status_series.barSets()[0]
    axis = next(a for a in page.status_view.chart().axes() if isinstance(a, QBarCategoryAxis))
    counts = {axis.categories()[i]: bars.at(i) for i in range(bars.count())}
    assert counts["Dự thảo"] == 1 and counts["Đang thực hiện"] == 1 and counts["Đã quyết toán"] == 0

    funding = page.funding_view.chart().series()[0]
    assert isinstance(funding, QBarSeries)
    by_stage = {s.label(): [s.at(i) for i in range(s.count())] for s in funding.barSets()}
    # The draft's requested money is not charted; the running proposal's approved support is, by year.
    assert by_stage == {"Phê duyệt": [approved / 1e6], "Đã giải ngân": [0.0]}

    rows = [[page.due_table.item(r, c).text() for c in range(3)] for r in range(page.due_table.rowCount())]
    assert rows[0][0] == "20/06/2026" and national.code in rows[0][1] and rows[0][2] == "Quá hạn"
    assert rows[1][0] == "25/07/2026" and running.code in rows[1][1] and rows[1][2] == "Quá hạn"


def test_due_item_opens_the_proposal(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    p = make_proposal(sqlite_services, sqlite_people.staff, scope=Scope.NATIONAL, year=2027)
    opened: list[int] = []
    import desktop_app.ui.proposals.editor as editor

    monkeypatch.setattr(editor, "open_proposal", lambda _w, _s, _a, pid: opened.append(pid))
    page = _page(qtbot, sqlite_services, sqlite_people.staff, date(2026, 6, 1))
    assert page.due_table.item(0, 2).text() == "Sắp đến hạn"
    page.due_table.cellDoubleClicked.emit(0, 1)
    assert opened == [p.id]


def test_appraiser_sees_the_score_sheets_waiting(qtbot: QtBot, sqlite_services: Services,
                                                 sqlite_people: Actors) -> None:
    p = make_proposal(sqlite_services, sqlite_people.staff)
    advance_to(sqlite_services, sqlite_people, p.id, Status.APPRAISING)
    page = _page(qtbot, sqlite_services, sqlite_people.appraisers[1], date(2026, 4, 5))
    texts = [page.tasks.item(i).text() for i in range(page.tasks.count())]
    assert texts == [f"Chấm điểm đề án {p.code} – {p.title} (họp ngày 10/04/2026)"]
    assert page.data is not None and [t.proposal_id for t in page.data.score_tasks] == [p.id]


def test_staff_and_admin_tasks(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors) -> None:
    draft = make_proposal(sqlite_services, sqlite_people.staff)
    staff_page = _page(qtbot, sqlite_services, sqlite_people.staff, date(2026, 5, 1))
    assert staff_page.tasks.item(0).text() == f"Đề án dự thảo của bạn chưa nộp (1): {draft.code}"
    admin_page = _page(qtbot, sqlite_services, sqlite_people.admin, date(2026, 5, 1))
    assert admin_page.tasks.item(0).text() == "Không có việc quản trị nào đang chờ."
    assert admin_page.due_more.text() == "Không có việc nào đến hạn." and admin_page.due_table.rowCount() == 0
