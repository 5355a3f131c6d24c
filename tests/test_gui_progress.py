"""Long work reports its steps: the progress dialog shows what is being done, not only a bar."""

import threading

from PySide6.QtWidgets import QWidget

from taskforce.gui.progress import run_with_progress
from taskforce.gui.worker import Worker


def test_the_progress_dialog_shows_the_step_the_work_reports(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    worker = Worker(parent)
    release = threading.Event()
    results = []

    def work(progress, cancelled):  # noqa: ANN001, ANN202
        progress(3, 10, "Gathering case 4 of 10…")
        release.wait(10)
        progress(0, 0, "Laying out pages…")  # a step of unknown length: a busy bar
        return "done"

    dialog = run_with_progress(worker, parent, "Preparing the package…", work, results.append)
    qtbot.waitUntil(lambda: dialog.labelText() == "Gathering case 4 of 10…", timeout=5000)
    assert (dialog.value(), dialog.maximum()) == (3, 10)
    release.set()
    qtbot.waitUntil(lambda: results == ["done"], timeout=5000)
    worker.wait()
