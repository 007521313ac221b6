"""The paged list model loading in the background: the first page is shown before the count, further pages come
from workers, a newer reload drops an older one's result, and ``fetch_all`` reads the rest in one query."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.services.dto import Page
from desktop_app.ui.table_model import ALL_ROWS, Column, ListSource, PagedTableModel

pytestmark = pytest.mark.gui


@dataclass(frozen=True)
class Item:
    n: int


COLUMNS = [Column("Số", lambda r: str(r.n), "n", numeric=True)]


class FakeSource:
    """``size`` rows; ``rows`` waits for ``release`` when ``hold`` is set, ``count`` for ``release_count`` when
    ``hold_count`` is, and every call is written down."""

    def __init__(self, size: int, hold: bool = False, hold_count: bool = False) -> None:
        self.size = size
        self.release = threading.Event()
        if not hold:
            self.release.set()
        self.release_count = threading.Event()
        if not hold_count:
            self.release_count.set()
        self.calls: list[tuple[str, int, int]] = []

    def rows(self, offset: int, limit: int, sort: str, descending: bool) -> list[Item]:
        self.calls.append(("rows", offset, limit))
        assert self.release.wait(10)
        return [Item(i) for i in range(offset, min(offset + limit, self.size))]

    def count(self) -> int:
        self.calls.append(("count", 0, 0))
        assert self.release_count.wait(10)
        return self.size

    def source(self) -> ListSource[Item]:
        return ListSource(self.rows, self.count)


def _unused_fetch(offset: int, limit: int, sort: str, descending: bool) -> Page[Item]:
    raise AssertionError("the background model must not call the synchronous fetch")


def _model(source: FakeSource, page_size: int = 10) -> PagedTableModel[Item]:
    model: PagedTableModel[Item] = PagedTableModel(COLUMNS, _unused_fetch, "n", page_size=page_size)
    model.load_in_background(source.source)
    return model


def test_first_page_is_shown_before_the_count(qtbot: QtBot) -> None:
    source = FakeSource(35, hold=True)
    model = _model(source)
    model.reload()
    assert model.rowCount() == 0  # the GUI thread did not wait for the query
    with qtbot.waitSignal(model.loaded, timeout=5000):
        source.release.set()
    assert model.rowCount() == 10 and not model.counted
    with qtbot.waitSignal(model.total_changed, timeout=5000) as total:
        pass
    assert total.args == [35] and model.counted and model.total == 35
    assert [c[0] for c in source.calls] == ["rows", "count"]  # the count only after the page


def test_more_pages_come_from_workers_as_the_user_scrolls(qtbot: QtBot) -> None:
    source = FakeSource(25, hold=True, hold_count=True)
    model = _model(source)
    model.reload()
    with qtbot.waitSignal(model.loaded, timeout=5000):
        source.release.set()
    assert model.canFetchMore()  # the count is not in yet: scrolling down appends the next page
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 20, timeout=5000)
    assert [r.n for r in model.rows()] == list(range(20))
    with qtbot.waitSignal(model.total_changed, timeout=5000):
        source.release_count.set()
    assert model.total == 25


def test_a_list_just_opened_is_counted_at_once_and_typing_waits(qtbot: QtBot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Opening: the count follows the first page at once. Typing (a first page asked for soon after the previous
    one): the count waits for a pause, and a keystroke meanwhile means it never runs."""
    from desktop_app.ui import table_model

    source = FakeSource(35)
    model = _model(source)
    with qtbot.waitSignal(model.total_changed, timeout=5000):
        model.reload()
    assert [c[0] for c in source.calls] == ["rows", "count"]
    monkeypatch.setattr(table_model, "COUNT_DELAY_MS", 60_000)  # a pause longer than the test
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.reload()  # within the typing gap of the first
    qtbot.wait(50)
    assert [c[0] for c in source.calls] == ["rows", "count", "rows"]  # no count while typing


def test_once_counted_every_row_has_its_place_and_a_jump_reads_one_page(qtbot: QtBot) -> None:
    source = FakeSource(95)
    model = _model(source)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.reload()
    qtbot.waitUntil(lambda: model.counted, timeout=5000)
    assert model.rowCount() == 95 and not model.canFetchMore()  # the scroll bar has the list's length
    assert [r.n for r in model.rows()] == list(range(10))  # read from the top: the first page
    assert model.data(model.index(93, 0)) is None  # a placeholder on screen asks for its page
    with qtbot.waitSignal(model.rows_filled, timeout=5000):
        pass
    assert model.loaded_between(90, 94) and model.data(model.index(93, 0)) == "93"
    assert [c for c in source.calls if c[0] == "rows"] == [("rows", 0, 10), ("rows", 90, 10)]
    model.fetch_all()  # the holes, in one query from the first one
    assert [r.n for r in model.rows()] == list(range(95)) and source.calls[-1] == ("rows", 10, ALL_ROWS)


def test_a_newer_reload_drops_the_older_result(qtbot: QtBot) -> None:
    slow, fast = FakeSource(50, hold=True), FakeSource(3)
    sources = [slow, fast]
    model: PagedTableModel[Item] = PagedTableModel(COLUMNS, _unused_fetch, "n", page_size=10)
    model.load_in_background(lambda: sources.pop(0).source())
    model.reload()  # the first keystroke: its query hangs
    qtbot.waitUntil(lambda: bool(slow.calls), timeout=5000)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.reload()  # the next keystroke
    assert [r.n for r in model.rows()] == [0, 1, 2] and model.counted and model.total == 3
    slow.release.set()  # the older query ends now: its rows must not replace the newer ones
    qtbot.wait(200)
    assert [r.n for r in model.rows()] == [0, 1, 2]
    assert ("count", 0, 0) not in slow.calls  # nor does it go on to count


def test_fetch_all_reads_the_rest_in_one_query(qtbot: QtBot) -> None:
    source = FakeSource(1234)
    model = _model(source, page_size=10)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.reload()
    model.fetch_all()
    assert model.rowCount() == 1234 and model.total == 1234 and model.counted
    assert [r.n for r in model.rows()] == list(range(1234))
    assert [(offset, limit) for kind, offset, limit in source.calls if kind == "rows"] == [(0, 10), (10, ALL_ROWS)]


def test_reloads_in_one_turn_of_the_event_loop_run_one_query(qtbot: QtBot) -> None:
    source = FakeSource(5)
    model = _model(source)
    model.reload()
    model.sort(0)  # what a screen does while it is built: sort indicator, sorting enabled, refresh
    model.reload()
    with qtbot.waitSignal(model.loaded, timeout=5000):
        pass
    qtbot.wait(50)
    assert [c for c in source.calls if c[0] == "rows"] == [("rows", 0, 10)]


def test_when_loaded_waits_for_the_reload(qtbot: QtBot) -> None:
    source = FakeSource(5, hold=True)
    model = _model(source)
    model.reload()
    seen: list[int] = []
    model.when_loaded(lambda: seen.append(model.rowCount()))
    assert seen == []
    with qtbot.waitSignal(model.loaded, timeout=5000):
        source.release.set()
    assert seen == [5]
    model.when_loaded(lambda: seen.append(-1))  # loaded already: at once
    assert seen == [5, -1]


def test_the_establishment_screen_loads_in_the_background(qtbot: QtBot, sqlite_services, sqlite_people) -> None:  # type: ignore[no-untyped-def]
    from factories import make_establishment

    from desktop_app.domain.vietnamese import sort_key
    from desktop_app.ui.establishments.page import EstablishmentsPage

    for name in ("Hợp tác xã Gốm Chu Đậu", "Cơ sở mây tre Phú Vinh", "Hợp tác xã Dệt lụa Vạn Phúc"):
        make_establishment(sqlite_services, sqlite_people.staff, name=name)
    page = EstablishmentsPage(sqlite_services, sqlite_people.staff)
    qtbot.addWidget(page)
    page.show()
    assert page.model.rowCount() == 0  # nothing read on the GUI thread while the screen was built
    qtbot.waitUntil(lambda: page.model.counted and page.model.rowCount() > 0, timeout=5000)
    names = [r.name for r in page.model.rows()]
    assert names == sorted(names, key=sort_key) and page.count_label.text() == f"{len(names)} cơ sở"
    page.search.setText("hop tac xa")
    page.search.flush()
    qtbot.waitUntil(lambda: page.model.counted and page.model.rowCount() == 2, timeout=5000)
    assert {r.name for r in page.model.rows()} == {"Hợp tác xã Gốm Chu Đậu", "Hợp tác xã Dệt lụa Vạn Phúc"}
    assert page.count_label.text() == "2 cơ sở"


def test_a_list_just_opened_has_its_first_page_before_its_first_paint(qtbot: QtBot) -> None:
    """Opening: the start of the load (a posted event, handled before the window's paint) waits briefly for the
    worker, so the rows are in when it returns; the query itself ran on the worker. A later reload (a keystroke)
    does not wait: its rows come through the event loop."""
    from PySide6.QtCore import QCoreApplication

    threads: list[int] = []
    source = FakeSource(35)
    rows = source.rows

    def recorded(offset: int, limit: int, sort: str, descending: bool) -> list[Item]:
        threads.append(threading.get_ident())
        return rows(offset, limit, sort, descending)

    model: PagedTableModel[Item] = PagedTableModel(COLUMNS, _unused_fetch, "n", page_size=10)
    model.load_in_background(lambda: ListSource(recorded, source.count))
    model.reload()
    assert model.rowCount() == 0 and model.loading  # the load starts on the next turn of the event loop
    QCoreApplication.sendPostedEvents(model, 0)  # that turn, only the model's own events
    assert model.rowCount() == 10 and not model.loading and model.data(model.index(3, 0)) == "3"
    assert threads and threading.get_ident() not in threads  # read by a worker
    qtbot.waitUntil(lambda: model.counted, timeout=5000)

    source.release.clear()  # the next query hangs until released
    model.reload()
    QCoreApplication.sendPostedEvents(model, 0)
    assert model.loading  # no wait: the GUI thread went on
    with qtbot.waitSignal(model.loaded, timeout=5000):
        source.release.set()
    assert model.rowCount() == 10


def test_an_opening_whose_page_is_slow_falls_back_to_the_event_loop(qtbot: QtBot) -> None:
    from PySide6.QtCore import QCoreApplication

    from desktop_app.ui import table_model

    source = FakeSource(35, hold=True)
    model = _model(source)
    model.reload()
    QCoreApplication.sendPostedEvents(model, 0)  # waits OPENING_WAIT_S at most, then gives up waiting
    assert model.loading and model.rowCount() == 0 and table_model.OPENING_WAIT_S <= 0.05
    with qtbot.waitSignal(model.loaded, timeout=5000):
        source.release.set()
    assert model.rowCount() == 10
