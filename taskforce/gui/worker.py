"""One background worker for all database work, so the window never freezes.

Like Anki's task manager: services run one at a time on a single thread (writes never race);
their results come back to the GUI thread as Qt signals. Only plain values and frozen
dataclasses cross threads, never live database objects.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from shiboken6 import isValid


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread to show
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            outcome, value = "failed", exc
        else:
            outcome, value = "done", result
        # the window that asked may have closed meanwhile: then nobody is waiting for the answer
        if isValid(self.signals):
            getattr(self.signals, outcome).emit(value)


class Worker(QObject):
    """Runs callables one after another off the GUI thread."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one writer, in submission order
        self._pending: set[_Signals] = set()

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> _Signals:
        signals = _Signals()
        self._pending.add(signals)

        def finish(callback: Callable | None, value: Any) -> None:
            if not isValid(self):  # the window owning this worker closed before the answer came
                return
            self._pending.discard(signals)
            if not self._pending:
                self.busy_changed.emit(False)
            if callback:
                callback(value)

        signals.done.connect(lambda value: finish(on_done, value))
        signals.failed.connect(lambda exc: finish(on_error or _reraise, exc))
        self.busy_changed.emit(True)
        self._pool.start(_Job(fn, signals))
        return signals

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)


def _reraise(exc: BaseException) -> None:
    raise exc
