"""The session lock (issue 6 §5, CJIS AC-11): after an idle period the app hides what it shows
and asks for the passphrase again.

``IdleLock`` watches keyboard and mouse input on the whole application (an event filter on
the QApplication). After ``idle_lock_minutes`` (setting; default 15, at most 30) without any,
it covers every window (the main window, record windows, an open form: each gets an opaque
cover over its content, so nothing typed is lost and nothing shown stays readable) and opens
an application-modal lock screen. For an encrypted database the lock screen asks for the
passphrase (``services.encryption.unlock_session`` on the worker: each wrong one is audited
and counts towards the five-in-a-row lockout). A plain database locks only when the setting
``idle_lock_plain`` asks for it, and then "Continue" unlocks it: a privacy screen, not access
control (there is no passphrase to ask; encrypt the file for that).

For the main window, once the database is open (``attach``)::

    from taskforce.gui.idle_lock import install_idle_lock
    self.idle_lock = install_idle_lock(self, lambda: self.ctx, self.worker)

The database stays open while locked: work already submitted finishes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from taskforce.domain.errors import TooManyAttempts
from taskforce.gui.form_dialog import ERROR_STYLE
from taskforce.gui.worker import Worker

MAX_MINUTES = 30  # CJIS AC-11: a session locks after at most 30 minutes of inactivity
CHECK_EVERY_MS = 15_000

_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress, QEvent.Type.ShortcutOverride,
})


def idle_minutes(setting: int) -> int:
    """The setting as applied: 1 to 30 minutes."""
    return min(max(int(setting), 1), MAX_MINUTES)


class LockScreen(QDialog):
    """What the locked app shows: the passphrase field, or "Continue" for a plain file."""

    def __init__(self, needs_passphrase: bool, minutes: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Taskforce is locked"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.needs_passphrase = needs_passphrase
        self.locked_out = False
        shown = f"{minutes:g}"
        text = (self.tr("Locked after {m} minutes without use. Type the passphrase to go on.")
                if needs_passphrase else
                self.tr("Locked after {m} minutes without use. Continue when you are back."))
        self.label = QLabel(text.format(m=shown))
        self.label.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setVisible(needs_passphrase)
        self.message = QLabel()
        self.message.setAccessibleName("Passphrase message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.unlock_button = self.buttons.addButton(
            self.tr("Unlock") if needs_passphrase else self.tr("Continue"),
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(440, 0)

    def reject(self) -> None:  # Escape and the close button do not unlock
        pass

    def set_busy(self, busy: bool) -> None:
        usable = not busy and not self.locked_out
        self.passphrase.setEnabled(usable)
        self.unlock_button.setEnabled(usable)


class IdleLock(QObject):
    """Locks the application after ``minutes`` without input.

    ``context()``: the window's current Context (None while none is open: nothing to lock).
    ``clock``: seconds, monotonic (tests give their own). ``minutes`` may be a fraction in
    tests; the app passes the setting through ``idle_minutes``.
    """

    locked_changed = Signal(bool)

    def __init__(self, minutes: float, context: Callable[[], Any], worker: Worker | None = None, *,
                 lock_plain: bool = False, clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.minutes = min(float(minutes), MAX_MINUTES)
        self.context, self.worker, self.lock_plain, self.clock = context, worker, lock_plain, clock
        self.last_input = clock()
        self.screen: LockScreen | None = None
        self.covers: dict[QWidget, QWidget] = {}
        self.app = QApplication.instance()
        self.app.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(int(min(CHECK_EVERY_MS, max(self.minutes * 60_000 / 4, 20))))
        self.timer.timeout.connect(self.check)
        self.timer.start()

    @property
    def locked(self) -> bool:
        return self.screen is not None

    def stop(self) -> None:
        self.timer.stop()
        self.app.removeEventFilter(self)

    # -- watching --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in _INPUT:
            if self.screen is None:
                self.last_input = self.clock()
        elif self.screen is not None and watched.isWidgetType():
            if kind == QEvent.Type.Resize and watched in self.covers:
                self.covers[watched].setGeometry(watched.rect())
            elif (kind == QEvent.Type.Show and watched.isWindow() and watched is not self.screen
                  and watched not in self.covers and not isinstance(watched, LockScreen)):
                self._cover(watched)  # a window that opened while locked (a message)
        return False

    def check(self) -> None:
        if self.screen is None and self.clock() - self.last_input >= self.minutes * 60:
            self.lock()

    # -- locking ---------------------------------------------------------------------------
    def _needs_passphrase(self) -> bool | None:
        """True: ask the passphrase; False: a privacy screen; None: do not lock."""
        ctx = self.context()
        if ctx is None:
            return None
        if getattr(ctx.db, "encrypted", False):
            return True
        return False if self.lock_plain else None

    def lock(self) -> bool:
        needs = self._needs_passphrase()
        if needs is None or self.screen is not None:
            self.last_input = self.clock()
            return False
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and not isinstance(window, LockScreen):
                self._cover(window)
        screen = LockScreen(needs, self.minutes)
        screen.unlock_button.clicked.connect(self._unlock_clicked)
        screen.passphrase.returnPressed.connect(self._unlock_clicked)
        self.screen = screen
        screen.show()
        screen.raise_()
        screen.activateWindow()
        screen.passphrase.setFocus()
        self.locked_changed.emit(True)
        return True

    def _cover(self, window: QWidget) -> None:
        cover = QWidget(window)
        cover.setObjectName("idle_lock_cover")
        cover.setAutoFillBackground(True)
        cover.setGeometry(window.rect())
        cover.show()
        cover.raise_()
        self.covers[window] = cover

    def _unlock_clicked(self) -> None:
        screen = self.screen
        if screen is None or not screen.unlock_button.isEnabled():
            return
        if not screen.needs_passphrase:
            self.unlock()
            return
        passphrase = screen.passphrase.text()
        if not passphrase:
            screen.message.setText(self.tr("Type the passphrase."))
            return
        ctx = self.context()
        screen.set_busy(True)
        screen.message.clear()

        def verify() -> None:  # on the worker: audits a wrong passphrase in the file
            from taskforce.services.encryption import unlock_session

            unlock_session(ctx, passphrase)

        if self.worker is None:
            try:
                verify()
            except Exception as exc:  # noqa: BLE001 - shown on the lock screen
                self._refused(exc)
            else:
                self.unlock()
            return
        self.worker.submit(verify, lambda _r: self.unlock(), self._refused)

    def _refused(self, error: BaseException) -> None:
        screen = self.screen
        if screen is None:
            return
        screen.passphrase.clear()
        message = str(error)
        if not isinstance(error, TooManyAttempts):  # the lockout never comes as a surprise
            from taskforce.services.encryption import tries_left

            message = " ".join(x for x in (message, tries_left(self.context().db.path)) if x)
        screen.message.setText(message)
        until = getattr(error, "until", None)
        if isinstance(error, TooManyAttempts) and isinstance(until, datetime):
            screen.locked_out = True
            wait_ms = (until - datetime.now(until.tzinfo)).total_seconds() * 1000

            def over() -> None:
                if self.screen is screen:
                    screen.locked_out = False
                    screen.message.setText(self.tr("You may try again."))
                    screen.set_busy(False)
            QTimer.singleShot(int(min(max(wait_ms, 0), 2**31 - 1)) + 1000, screen, over)
        screen.set_busy(False)
        screen.passphrase.setFocus()

    def unlock(self) -> None:
        screen, self.screen = self.screen, None
        for cover in self.covers.values():
            cover.hide()
            cover.deleteLater()
        self.covers.clear()
        if screen is not None:
            screen.hide()
            screen.deleteLater()
        self.last_input = self.clock()
        self.locked_changed.emit(False)


def install_idle_lock(parent: QObject, context: Callable[[], Any], worker: Worker,
                      settings: Any = None) -> IdleLock:
    """The app's idle lock, from the settings ``idle_lock_minutes`` and ``idle_lock_plain``."""
    if settings is None:
        from taskforce.settings import load_settings

        settings = load_settings()
    return IdleLock(idle_minutes(settings.idle_lock_minutes), context, worker,
                    lock_plain=settings.idle_lock_plain, parent=parent)
