"""Long work on the worker with a progress dialog (shown only past one second) and Cancel."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from taskforce.gui.messages import error_text, tell
from taskforce.gui.worker import Worker

Progress = Callable[..., None]  # (done, total) or (done, total, what is being done)
Cancelled = Callable[[], bool]


class _Relay(QObject):
    """Carries progress from the worker thread to the dialog (a queued signal)."""

    progressed = Signal(int, int, str)


def run_with_progress(worker: Worker, parent: QWidget, title: str,
                      fn: Callable[[Progress, Cancelled], Any],
                      on_done: Callable[[Any], None]) -> QProgressDialog:
    dialog = QProgressDialog(title, parent.tr("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    # not modal: the window stays usable (UX.md), and a modal QProgressDialog's setValue()
    # spins the event loop inside our progress callback
    dialog.setWindowModality(Qt.WindowModality.NonModal)
    dialog.setMinimumDuration(1000)  # quick work never flashes a dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    stop = threading.Event()
    dialog.canceled.connect(stop.set)

    def progressed(done: int, total: int, what: str) -> None:
        if what:  # "Laying out pages…": the step, when the work says it
            dialog.setLabelText(what)
        if total <= 0 and done <= 0:  # a step of unknown length: a busy bar
            dialog.setMaximum(0)
            return
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, total))

    def dismiss() -> None:
        # hide, not close(): closing emits canceled() and runs QDialog's reject machinery, which
        # under load was seen to wait in a loop of its own after the work had already finished
        dialog.hide()
        dialog.deleteLater()

    def finished(result: Any) -> None:
        dismiss()
        on_done(result)

    def failed(exc: BaseException) -> None:
        dismiss()
        tell(parent, title, error_text(exc), warning=True)

    relay = _Relay(dialog)  # made before the job starts, so its first report has somewhere to go
    relay.progressed.connect(progressed)
    def report(done: int, total: int, what: str = "") -> None:  # on the worker thread
        relay.progressed.emit(done, total, what)

    worker.submit(lambda: fn(report, stop.is_set), finished, failed)
    return dialog
