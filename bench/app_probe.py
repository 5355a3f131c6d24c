"""Run inside a fresh process by bench_startup.py: start the real app (or a bare window) on a
database and print timings as JSON. Not a benchmark by itself."""

from __future__ import annotations

import json
import os
import resource
import sys
import time

T0 = time.perf_counter()
mode, db = sys.argv[1], sys.argv[2]
os.environ["TASKFORCE_DB"] = db

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402


def pump(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(cond, limit_ms: int = 20000) -> float:  # noqa: ANN001
    start = time.perf_counter()
    while not cond():
        pump(2)
        if (time.perf_counter() - start) * 1000 > limit_ms:
            raise TimeoutError
    return time.perf_counter() - start


if mode == "bare":
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 780)
    window.show()
    app.processEvents()
    print(json.dumps({"shown_s": time.perf_counter() - T0}))
    sys.exit(0)

from taskforce.gui.app import make_application, start  # noqa: E402

app = make_application(sys.argv[:1])
window = start(None)
app.processEvents()
shown = time.perf_counter() - T0
# first paint: the cases list showing its first rows, from the moment the window was shown
wait_for(lambda: window.workspace is not None)
page = window.pages["cases"]
wait_for(lambda: page.model.rowCount() > 0)
page.view.viewport().repaint()
usable = time.perf_counter() - T0 - shown
# the case list's own first paint: a list section shown for the first time → its rows painted
from taskforce.gui.list_page import ListPage  # noqa: E402
from taskforce.services.lists import CASES  # noqa: E402

fresh = ListPage(window.ctx, CASES, window.worker)
fresh.resize(900, 700)
fresh.show()
t = time.perf_counter()
fresh.ensure_loaded()
wait_for(lambda: fresh.model.rowCount() > 0)
fresh.view.viewport().repaint()
first_paint = time.perf_counter() - t
out = {"shown_s": shown, "list_painted_after_shown_s": usable, "first_paint_s": first_paint}
if mode == "full":
    # a working session: scroll the whole list, sort by title, search, open a case
    page.view.scrollToBottom()
    page.view.viewport().repaint()
    page.model.sort(1)
    wait_for(lambda: page.model.query.sort == "title" and page.model.rowCount() > 0)
    window.search_box.setText("gar")
    wait_for(lambda: window.search_panel.results.count() > 0)
    for name in ("subjects", "members", "agencies"):
        window.sidebar.setCurrentRow(list(window.pages).index(name))
        wait_for(lambda n=name: window.pages[n].model.rowCount() > 0)
    record = window.open_record("case_file", page.model.id_at(0))
    wait_for(lambda: record.detail is not None)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
window.close()
