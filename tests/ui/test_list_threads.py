"""The two big lists never query the database on the GUI thread: opening, sorting and searching run their page and
count queries on worker threads (``ui.tasks``), and the GUI thread only receives the rows.

Recorded, not timed: a hook on the engine writes down the thread of every statement, and the model's signals write
down the thread they are delivered on. The machines running the tests are shared, so a wall-clock budget would
flake; a query on the GUI thread is what makes a step long at 50,000 rows, and that is what is asserted never
happens.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from factories import Actors, make_establishment, make_proposal
from PySide6.QtCore import Qt
from sqlalchemy import event

from desktop_app.services.context import Services
from desktop_app.ui import table_model, tasks
from desktop_app.ui.establishments.page import EstablishmentsPage
from desktop_app.ui.proposals.page import ProposalsPage

pytestmark = pytest.mark.gui

ROWS = 14  # more than the (shrunk) first page below, so the count runs too
FIRST_PAGE = 5


@pytest.fixture
def small_first_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """A first page smaller than the list, and no pause before the count: every query path runs at this size."""
    monkeypatch.setattr(table_model, "FIRST_PAGE_ROWS", FIRST_PAGE)
    monkeypatch.setattr(table_model, "COUNT_DELAY_MS", 0)
    tasks.set_synchronous(False)


class Recorder:
    """The thread of each statement sent to the database, and of each model signal handled."""

    def __init__(self, services: Services) -> None:
        self.gui = threading.get_ident()
        self.statements: list[tuple[int, str]] = []
        self.deliveries: list[tuple[str, int]] = []
        self._engine = services.db.engine
        event.listen(self._engine, "before_cursor_execute", self._executed)

    def _executed(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        self.statements.append((threading.get_ident(), statement))

    def watch(self, model: table_model.PagedTableModel[Any]) -> None:
        model.loaded.connect(lambda: self.deliveries.append(("loaded", threading.get_ident())))
        model.total_changed.connect(lambda _n: self.deliveries.append(("total", threading.get_ident())))

    def list_queries(self, table: str) -> list[tuple[int, str]]:
        return [(t, st) for t, st in self.statements if table in st.lower()]

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._executed)


@pytest.fixture
def recorder(sqlite_services: Services) -> Iterator[Recorder]:
    r = Recorder(sqlite_services)
    yield r
    r.close()


def _open_search_sort(qtbot: Any, page: Any, recorder: Recorder, words: str, sort_column: int) -> None:
    model = page.model
    recorder.watch(model)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitUntil(lambda: model.settled and model.rowCount() == ROWS, timeout=10_000)
    page.search.setText(words)
    page.search.flush()
    qtbot.waitUntil(lambda: model.settled and 0 < model.rowCount() < ROWS, timeout=10_000)
    page.search.setText("")
    page.search.flush()
    page.table.sortByColumn(sort_column, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.settled and model.rowCount() == ROWS and model.counted, timeout=10_000)


def _assert_off_the_gui_thread(recorder: Recorder, table: str) -> None:
    queries = recorder.list_queries(table)
    assert len(queries) >= 6  # three first pages and three counts at least
    on_gui = [st for t, st in queries if t == recorder.gui]
    assert on_gui == [], f"list queries on the GUI thread: {on_gui}"
    assert any("count(" in st.lower() for _t, st in queries)  # the count ran, on a worker
    kinds = {kind for kind, _t in recorder.deliveries}
    assert kinds == {"loaded", "total"}
    assert {t for _kind, t in recorder.deliveries} == {recorder.gui}  # the GUI thread only receives the results


def test_proposal_list_queries_run_on_workers(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                              small_first_page: None, recorder: Recorder) -> None:
    for i in range(ROWS):
        make_proposal(sqlite_services, sqlite_people.staff,
                      title=("Hỗ trợ máy dệt chiếu cói số " if i % 2 else "Ứng dụng máy sấy nông sản số ") + str(i))
    recorder.statements.clear()
    page = ProposalsPage(sqlite_services, sqlite_people.manager)
    _open_search_sort(qtbot, page, recorder, "det chieu", sort_column=1)
    _assert_off_the_gui_thread(recorder, "proposals")
    assert page.count_label.text() == f"Có {ROWS} đề án"


def test_establishment_list_queries_run_on_workers(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                   small_first_page: None, recorder: Recorder) -> None:
    for i in range(ROWS):
        make_establishment(sqlite_services, sqlite_people.staff,
                           name=("Hợp tác xã mây tre đan số " if i % 2 else "Cơ sở cơ khí Tân Tiến số ") + str(i))
    recorder.statements.clear()
    page = EstablishmentsPage(sqlite_services, sqlite_people.manager)
    _open_search_sort(qtbot, page, recorder, "hop tac xa", sort_column=2)
    _assert_off_the_gui_thread(recorder, "establishments")
    assert page.count_label.text() == f"{ROWS} cơ sở"


def test_a_newer_keystroke_cancels_the_older_query(qtbot: Any, sqlite_services: Services, sqlite_people: Actors,
                                                   small_first_page: None) -> None:
    for i in range(ROWS):
        make_proposal(sqlite_services, sqlite_people.staff, title=f"Đề án thử số {i}")
    page = ProposalsPage(sqlite_services, sqlite_people.manager)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.settled and page.model.rowCount() == ROWS, timeout=10_000)
    page.search.setText("khong co de an nao")
    page.search.flush()
    page.search.setText("so 1")  # typed before the first search's rows came: those rows are dropped
    page.search.flush()
    qtbot.waitUntil(lambda: page.model.settled, timeout=10_000)
    titles = {r.title for r in page.model.rows()}
    assert titles == {"Đề án thử số 1", "Đề án thử số 10", "Đề án thử số 11", "Đề án thử số 12",
                      "Đề án thử số 13"}
