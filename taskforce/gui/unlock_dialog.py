"""The passphrase asked at start for an encrypted database (issue 6 §5), and the system-use
notification shown before it (CJIS AC-8, setting ``use_notice``).

The dialog decides nothing: the open (``Database.open`` with the passphrase) runs on the
worker and its one sentence is shown next to the field: "The passphrase does not open
taskforce.sqlite.", or after five in a row "Too many wrong passphrases: taskforce.sqlite is
locked until 14:35." (then the field stays disabled until that minute). Under it, how many
tries are left before that lockout ("4 tries left before taskforce.sqlite is locked for 15
minutes.").

For the main window:

- ``offer_unlock(window, error, path, worker, open_db, on_opened, on_cancel=…, on_error=…)``:
  in the window's "could not open" path, like ``in_use_dialog.offer_read_only``. When
  ``error`` says the file is encrypted (PassphraseRequired, WrongPassphrase, TooManyAttempts)
  it shows the dialog and returns True; ``open_db(passphrase)`` (the window's open job with a
  passphrase) runs on the worker, then the failed attempts before it are audited, and
  ``on_opened(ctx)`` gets the Context. Any other error returns False.
- ``ask_use_notice(window, text, on_accepted, on_declined)``: the notification alone, for a
  plain database (an encrypted one shows it in the unlock dialog).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTextBrowser,
    QVBoxLayout, QWidget,
)

from taskforce.domain.errors import PassphraseRequired, TooManyAttempts, WrongPassphrase
from taskforce.gui.form_dialog import ERROR_STYLE
from taskforce.gui.worker import Worker

PASSPHRASE_ERRORS = (PassphraseRequired, WrongPassphrase, TooManyAttempts)


class NoticePanel(QWidget):
    """The system-use notification and its "I understand" button (CJIS AC-8)."""

    acknowledged = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QTextBrowser()
        self.text.setPlainText(text)
        self.text.setAccessibleName("System use notification")
        self.text.setMaximumHeight(220)
        self.accept_button = QPushButton(self.tr("I understand and accept"))
        self.accept_button.clicked.connect(self._accept)
        self.done = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.accept_button)
        layout.addLayout(row)

    def _accept(self) -> None:
        self.done = True
        self.accept_button.setEnabled(False)
        self.accept_button.setText(self.tr("Accepted"))
        self.acknowledged.emit()


class UnlockDialog(QDialog):
    """``attempt(passphrase)`` runs on ``worker``; its result comes out of ``unlocked``."""

    unlocked = Signal(object)
    failed = Signal(object)  # an error that is not about the passphrase (the caller shows it)
    cancelled = Signal()  # Quit, Escape or the window's close button

    def __init__(self, path: Path, attempt: Callable[[str], Any], worker: Worker, notice: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path, self.attempt, self.worker = Path(path), attempt, worker
        self.setWindowTitle(self.tr("Unlock {name}").format(name=self.path.name))
        self.notice = NoticePanel(notice) if notice.strip() else None
        intro = QLabel(self.tr("{name} is encrypted. Type its passphrase to open it.")
                       .format(name=self.path.name))
        intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.returnPressed.connect(self.unlock)
        self.message = QLabel()
        self.message.setObjectName("error_passphrase")
        self.message.setAccessibleName("Passphrase message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        # how many wrong passphrases are left before the lockout (CJIS AC-7): said up front,
        # so the fifth mistake never comes as a surprise
        self.tries = QLabel()
        self.tries.setAccessibleName("Tries left")
        self.tries.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.unlock_button = self.buttons.addButton(self.tr("Unlock"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.clicked.connect(self.unlock)
        self.quit_button = self.buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.clicked.connect(self.reject)
        self._relock = QTimer(self)
        self._relock.setSingleShot(True)
        self._relock.timeout.connect(self._lockout_over)
        self.locked_out = False
        self.busy = False

        layout = QVBoxLayout(self)
        if self.notice is not None:
            layout.addWidget(self.notice)
            self.notice.acknowledged.connect(self._ready)
        layout.addWidget(intro)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.message)
        layout.addWidget(self.tries)
        layout.addWidget(self.buttons)
        self._show_tries()
        self._update()
        self.resize(520, 0)

    @property
    def acknowledged(self) -> bool:
        return self.notice is None or self.notice.done

    def _show_tries(self) -> None:
        from taskforce.services.encryption import tries_left

        text = tries_left(self.path)
        self.tries.setText(text)
        self.tries.setVisible(bool(text))

    def _update(self) -> None:
        usable = self.acknowledged and not self.locked_out and not self.busy
        self.passphrase.setEnabled(usable)
        self.unlock_button.setEnabled(usable)

    def _ready(self) -> None:
        self._update()
        self.passphrase.setFocus()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        if self.acknowledged:
            self.passphrase.setFocus()

    def unlock(self) -> None:
        if not self.passphrase.isEnabled():
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self.message.setText(self.tr("Type the passphrase."))
            return
        self.busy = True
        self.message.setText(self.tr("Opening…"))
        self._update()
        self.worker.submit(lambda: self.attempt(passphrase), self._opened, self._refused)

    def _opened(self, result: Any) -> None:
        self.busy = False
        self.passphrase.clear()
        self.message.clear()
        self.unlocked.emit(result)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.busy = False
        self.passphrase.clear()
        if isinstance(error, PASSPHRASE_ERRORS):
            self.show_error(error)
            self._show_tries()
            return
        self.message.setText(str(error))
        self._update()
        self.failed.emit(error)
        super().reject()

    def reject(self) -> None:
        if self.busy:  # an open is under way: its answer decides
            return
        self.cancelled.emit()
        super().reject()

    def show_error(self, error: BaseException) -> None:
        """The sentence next to the field; a lockout disables the field until it ends."""
        self.message.setText(str(error))
        until = getattr(error, "until", None)
        if isinstance(error, TooManyAttempts) and isinstance(until, datetime):
            self.locked_out = True
            wait_ms = (until - datetime.now(until.tzinfo)).total_seconds() * 1000
            self._relock.start(int(min(max(wait_ms, 0), 2**31 - 1)) + 1000)
        self._update()
        if self.passphrase.isEnabled():
            self.passphrase.setFocus()

    def _lockout_over(self) -> None:
        self.locked_out = False
        self.message.setText(self.tr("You may try again."))
        self._show_tries()
        self._update()
        self.passphrase.setFocus()


def offer_unlock(parent: QWidget, error: BaseException, path: Path, worker: Worker,
                 open_db: Callable[[str], Any], on_opened: Callable[[Any], None],
                 on_cancel: Callable[[], None] | None = None,
                 on_error: Callable[[BaseException], None] | None = None,
                 notice: str | None = None) -> UnlockDialog | None:
    """Show the unlock dialog if ``error`` says the file is encrypted (see the module doc);
    the dialog (truthy) when shown, None for any other error (the caller's to show)."""
    if not isinstance(error, PASSPHRASE_ERRORS):
        return None
    if notice is None:
        from taskforce.settings import load_settings

        notice = load_settings().use_notice

    def attempt(passphrase: str) -> Any:  # on the worker
        ctx = open_db(passphrase)
        if getattr(getattr(ctx, "db", None), "unlock_failures", None) is not None:
            from taskforce.services.encryption import record_unlock_failures

            record_unlock_failures(ctx)
        return ctx

    dialog = UnlockDialog(path, attempt, worker, notice, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    if isinstance(error, TooManyAttempts):
        dialog.show_error(error)
    dialog.unlocked.connect(on_opened)
    if on_error is not None:
        dialog.failed.connect(on_error)
    if on_cancel is not None:
        dialog.cancelled.connect(on_cancel)
    dialog.open()
    return dialog


class NoticeDialog(QDialog):
    """The system-use notification alone (a plain database)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("System use notification"))
        self.panel = NoticePanel(text)
        self.panel.acknowledged.connect(self.accept)
        quit_button = QPushButton(self.tr("Quit"))
        quit_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        row = QHBoxLayout()
        row.addWidget(quit_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.resize(520, 0)


def ask_use_notice(parent: QWidget | None, text: str, on_accepted: Callable[[], None],
                   on_declined: Callable[[], None] | None = None) -> NoticeDialog | None:
    """Show the notification when ``text`` is set (window-modally); None when there is none
    (then ``on_accepted`` runs at once)."""
    if not text.strip():
        on_accepted()
        return None
    dialog = NoticeDialog(text, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(on_accepted)
    if on_declined is not None:
        dialog.rejected.connect(on_declined)
    dialog.open()
    return dialog
