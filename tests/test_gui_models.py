"""Every list's lazy model under Qt's own model tester, filled, sorted and filtered in SQL."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from taskforce.domain.records import CaseSubjectData
from taskforce.gui.lazy_table_model import PAGE, IdRole, LazyTableModel
from taskforce.gui.worker import Worker
from taskforce.services import cases, lists

from tests import factories as f


@pytest.fixture
def worker(qtbot):
    w = Worker()
    yield w
    w.wait()


@pytest.fixture
def filled(ctx):
    tf = f.best_seattle(ctx)
    for n in range(1, PAGE + 30):  # more than one page
        f.case(ctx, tf, f"BEST-SEA-2026-{n:04d}", f"Case {n:03d}", status="pending" if n % 3 else "open")
    sid = f.subject(ctx, "Dario Vance")
    cases.link_subject(ctx, CaseSubjectData(1, sid, "target"))
    f.member(ctx)
    return ctx


@pytest.mark.parametrize("spec", lists.ALL_LISTS, ids=lambda s: s.name)
def test_model_passes_qt_model_tester(qtbot, filled, spec, worker):
    model = LazyTableModel(filled, spec, worker)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.reload_now()
    assert model.rowCount() == lists.count_all(filled, spec)
    for col in range(model.columnCount()):
        with qtbot.waitSignal(model.loaded, timeout=5000):
            model.sort(col, Qt.SortOrder.DescendingOrder)
        model.data(model.index(model.rowCount() - 1, col))


def test_cases_sort_filter_and_page_lazily(qtbot, filled, worker):
    model = LazyTableModel(filled, lists.CASES, worker)
    model.reload_now()
    assert model.rowCount() == PAGE + 29
    assert model._pages == {}  # nothing read until a row is shown
    assert model.data(model.index(0, 0)) is not None
    assert list(model._pages) == [0]
    with qtbot.waitSignal(model.loaded):
        model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, 0)) == "BEST-SEA-2026-0001"
    with qtbot.waitSignal(model.loaded):
        model.reload(lists.Query("number", True, "Case 00", (("status", "open"),)))
    shown = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert shown == ["BEST-SEA-2026-0009", "BEST-SEA-2026-0006", "BEST-SEA-2026-0003"]
    assert model.data(model.index(0, 4)) == "Open"
    assert isinstance(model.data(model.index(0, 0), IdRole), int)
