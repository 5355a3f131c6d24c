"""One background worker for all database work, so the window never freezes.

Like Anki's task manager: services run one at a time on a single thread (writes never race);
their results come back to the GUI thread as Qt signals. Only plain values and frozen
dataclasses cross threads, never live database objects.
"""

from __future__ import annotations

import traceback
import weakref
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from shiboken6 import isValid


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals, state: SimpleNamespace) -> None:
        super().__init__()
        self.fn = fn
        # Only the GUI thread holds the signals object strongly (Worker._pending/_retired): if
        # this thread dropped the last reference, the QObject would be destroyed here, in a
        # thread it does not live in, and crash. `state.released` tells the GUI thread when
        # this job no longer touches it.
        self.signals = weakref.ref(signals)
        self.state = state
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
        self.fn = None  # its closure's objects are released here, not when the runnable goes
        signals = self.signals()
        # the window that asked may have closed meanwhile: then nobody is waiting for the answer
        if signals is not None and isValid(signals):
            getattr(signals, outcome).emit(value)
        del signals
        self.state.released = True


class Worker(QObject):
    """Runs callables one after another off the GUI thread."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one writer, in submission order
        self._pending: set[_Signals] = set()
        # answered jobs whose thread may still hold their signals for a moment
        self._retired: list[tuple[_Signals, SimpleNamespace]] = []

    def _purge(self) -> None:
        self._retired = [(s, state) for s, state in self._retired if not state.released]

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> _Signals:
        self._purge()
        signals = _Signals()
        state = SimpleNamespace(released=False)
        self._pending.add(signals)

        def finish(callback: Callable | None, value: Any) -> None:
            if not isValid(self):  # the window owning this worker closed before the answer came
                return
            self._pending.discard(signals)
            self._retired.append((signals, state))
            self._purge()
            if not self._pending:
                self.busy_changed.emit(False)
            if callback:
                callback(value)

        signals.done.connect(lambda value: finish(on_done, value))
        signals.failed.connect(lambda exc: finish(on_error or _reraise, exc))
        self.busy_changed.emit(True)
        self._pool.start(_Job(fn, signals, state))
        return signals

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)


def _reraise(exc: BaseException) -> None:
    raise exc
