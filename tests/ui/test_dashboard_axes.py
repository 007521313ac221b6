"""The dashboard's charts read like Vietnamese figures: localised axis numbers (12.500), no repeated axis labels on
an empty database, and the value of each bar drawn beside it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import Actors, make_proposal
from PySide6.QtCharts import QAbstractBarSeries, QValueAxis
from PySide6.QtCore import QLocale, QSettings, Qt
from pytestqt.qtbot import QtBot

from desktop_app.services.context import Services
from desktop_app.ui.dashboard import DashboardPage

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


def test_empty_database_charts_have_distinct_localised_labels(qtbot: QtBot, sqlite_services: Services,
                                                              sqlite_people: Actors) -> None:
    page = DashboardPage(sqlite_services, sqlite_people.manager, today=date(2026, 3, 1))
    qtbot.addWidget(page)
    page.resize(1070, 700)
    page.show()
    for view in (page.status_view, page.funding_view):
        chart = view.chart()
        assert chart.localizeNumbers() and chart.locale().language() is QLocale.Language.Vietnamese
        axis = next(a for a in chart.axes() if isinstance(a, QValueAxis))
        step = (axis.max() - axis.min()) / (axis.tickCount() - 1)
        assert step >= 1, "whole-number labels would repeat"  # e.g. 0, 0, 0, 1, 1 on an empty database
        assert axis.labelFormat() == "%.0f"
        series = chart.series()[0]
        assert isinstance(series, QAbstractBarSeries) and series.isLabelsVisible()
        assert all(b.labelColor().name() == "#222222" for b in series.barSets())
    page.grab().save("/tmp/dashboard-empty.png")
    assert QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam).toString(12500) == "12.500"


def test_my_tasks_open_their_proposal_with_enter_or_a_choice(qtbot: QtBot, sqlite_services: Services,
                                                             sqlite_people: Actors,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop_app.ui.proposals.editor as editor

    only = make_proposal(sqlite_services, sqlite_people.staff)
    opened: list[int] = []
    monkeypatch.setattr(editor, "open_proposal", lambda _w, _s, _a, pid: opened.append(pid))
    page = DashboardPage(sqlite_services, sqlite_people.staff, today=date(2026, 3, 1))
    qtbot.addWidget(page)
    page.show()
    assert page.tasks.item(0).text().startswith("Đề án dự thảo của bạn chưa nộp (1)")
    page.tasks.setFocus()
    page.tasks.setCurrentRow(0)
    qtbot.keyClick(page.tasks, Qt.Key.Key_Return)
    assert opened == [only.id]

    second = make_proposal(sqlite_services, sqlite_people.staff)
    page.refresh()
    asked: list[list[str]] = []
    monkeypatch.setattr(page, "choose_code", lambda codes: asked.append(codes) or codes[1])
    page.tasks.itemDoubleClicked.emit(page.tasks.item(0))
    assert asked == [[only.code, second.code]] and opened == [only.id, second.id]


def test_year_and_scope_filter_narrow_the_figures_and_charts(qtbot: QtBot, sqlite_services: Services,
                                                             sqlite_people: Actors) -> None:
    from factories import advance_to

    from desktop_app.domain.enums import Scope, Status

    make_proposal(sqlite_services, sqlite_people.staff, scope=Scope.NATIONAL, year=2027)
    local = make_proposal(sqlite_services, sqlite_people.staff, year=2026)
    advance_to(sqlite_services, sqlite_people, local.id, Status.APPROVED)
    page = DashboardPage(sqlite_services, sqlite_people.manager, today=date(2026, 7, 1))
    qtbot.addWidget(page)
    page.show()
    assert page.total_figure.value.text() == "2"
    due_before = page.due_table.rowCount()
    page.year_combo.setCurrentIndex(page.year_combo.findData(2027))
    assert page.total_figure.value.text() == "1"
    assert page.data is not None and page.data.funding == []  # nothing approved in 2027
    assert page.due_table.rowCount() == due_before  # reminders stay whole
    page.year_combo.setCurrentIndex(0)
    page.scope_combo.setCurrentIndex(page.scope_combo.findData(Scope.LOCAL.value))
    assert page.total_figure.value.text() == "1"
    assert page.data is not None and [(y, sc) for y, sc, *_ in page.data.funding] == [(2026, Scope.LOCAL)]


def test_deadlines_count_the_days_left() -> None:
    from desktop_app.ui.dashboard import days_left_text

    today = date(2026, 6, 15)
    assert days_left_text(date(2026, 6, 20), today, False) == "Còn 5 ngày"
    assert days_left_text(today, today, False) == "Hôm nay là hạn"
    assert days_left_text(date(2026, 6, 12), today, True) == "Quá hạn 3 ngày"
