"""File → Back up… and File → Restore… (issue 6 §3), and the automatic backup on close.

The dialogs decide nothing: ``services.backup`` copies, checks and restores, on the worker.

For the main window (it owns the database, so a restore goes through it):

- ``open_backup_dialog(window, worker, ctx)``: File → Back up….
- ``open_restore_dialog(window, worker, ctx, detach=…, reopen=…)``: File → Restore…. After the
  user confirms, ``detach()`` runs on the GUI thread: the window stops using ``ctx`` (closes
  record windows, drops its workspace). The restore then closes ``ctx.db`` on the worker, puts
  the backup in place, and ``reopen(result)`` runs on the GUI thread, restored or not
  (``result`` None when refused): the window opens the same path again. A restored file kept
  encrypted gets ``reopen(result, passphrase)``, the backup's passphrase typed in the dialog.
- ``backup_on_close(ctx)``: the day's automatic backup; call it on close, before the database
  is closed. Never raises.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from taskforce.domain.errors import TaskforceError
from taskforce.gui.messages import error_text, tell
from taskforce.gui.progress import run_with_progress
from taskforce.gui.worker import Worker
from taskforce.services import backup as B
from taskforce.services.context import Context

log = logging.getLogger(__name__)

FILE_FILTER = "Taskforce backups (*.sqlite *.db *.backup);;All files (*)"
PROBLEM_STYLE = "color: #a01818;"


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def _size(n: int) -> str:
    return f"{n / 1_048_576:,.1f} MB" if n >= 1_048_576 else f"{n / 1024:,.0f} KB"


class BackupDialog(QDialog):
    backed_up = Signal(object)  # services.backup.BackupResult

    def __init__(self, ctx: Context, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.worker = ctx, worker
        self.setWindowTitle(self.tr("Back up the database"))
        self.result_box: QMessageBox | None = None
        self.overwrite = False  # the file dialog asked already

        default = Path.home() / f"{ctx.db.path.stem}-backup-{date.today().isoformat()}.sqlite"
        self.path = QLineEdit(str(default))
        self.path.setAccessibleName("Backup file")
        self.path.textEdited.connect(lambda _t: setattr(self, "overwrite", False))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose)

        self.encrypt = QCheckBox(self.tr("Encrypt the backup with a passphrase (AES-256)"))
        self.passphrase = _password_field("Passphrase")
        self.repeat = _password_field("Repeat passphrase")
        self.encrypt.toggled.connect(self._encrypt_toggled)
        hint = QLabel(self.tr("Without its passphrase an encrypted backup cannot be restored: "
                              "keep the passphrase apart from the backup."))
        hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(PROBLEM_STYLE)

        form = QFormLayout()
        form.addRow(self.tr("Back up to"), row)
        form.addRow("", self.encrypt)
        form.addRow(self.tr("Passphrase"), self.passphrase)
        form.addRow(self.tr("Repeat it"), self.repeat)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.backup_button = self.buttons.addButton(self.tr("Back up"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.backup_button.setDefault(True)
        self.backup_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._encrypt_toggled(False)
        self.resize(560, 0)

    def _encrypt_toggled(self, on: bool) -> None:
        for field in (self.passphrase, self.repeat):
            field.setEnabled(on)
            if not on:
                field.clear()

    def choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Back up to"), self.path.text(),
                                              self.tr(FILE_FILTER))
        if path:
            self.path.setText(path)
            self.overwrite = True  # the save dialog asked before choosing an existing file

    def start(self) -> None:
        """Check what the dialog can check, then copy on the worker with progress."""
        text = self.path.text().strip()
        if not text:
            self.message.setText(self.tr("Choose a file for the backup."))
            return
        passphrase = None
        if self.encrypt.isChecked():
            passphrase = self.passphrase.text()
            if passphrase != self.repeat.text():
                self.message.setText(self.tr("The two passphrases differ."))
                return
            try:
                B.check_new_passphrase(passphrase)
            except TaskforceError as exc:
                self.message.setText(str(exc))
                return
        self.message.clear()
        self.backup_button.setEnabled(False)
        ctx, target, overwrite = self.ctx, Path(text), self.overwrite

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
            def step(done: int, total: int) -> None:
                if cancelled():  # raised inside the copy: it stops, its temporary folder goes
                    raise B.BackupRefused(self.tr("Backup cancelled; nothing was written."))
                progress(done, total)
            try:
                return B.backup(ctx, target, passphrase, overwrite=overwrite, progress=step)
            except TaskforceError as exc:
                return exc  # shown in the dialog, which stays open to correct it

        run_with_progress(self.worker, self, self.tr("Backing up…"), work, self._done)

    def _done(self, outcome: Any) -> None:
        self.backup_button.setEnabled(True)
        if isinstance(outcome, TaskforceError):
            self.message.setText(str(outcome))
            return
        self.passphrase.clear()
        self.repeat.clear()
        how = (self.tr("encrypted with its own passphrase") if self.encrypt.isChecked()
               else self.tr("encrypted like the database") if outcome.encrypted else self.tr("not encrypted"))
        self.backed_up.emit(outcome)
        self.result_box = tell(self.parentWidget() or self, self.tr("Backup made"), self.tr(
            "{path}\n{size}, {how}, in {seconds:.1f} s.").format(
            path=outcome.path, size=_size(outcome.size), how=how, seconds=outcome.seconds))
        self.accept()


class RestoreDialog(QDialog):
    checked = Signal(object)  # services.backup.BackupCheck
    restored = Signal(object)  # services.backup.RestoreResult
    failed = Signal(str)

    def __init__(self, ctx: Context, worker: Worker, parent: QWidget | None = None, *,
                 detach: Callable[[], None], reopen: Callable[[Any], None]) -> None:
        super().__init__(parent)
        self.ctx, self.worker = ctx, worker
        self.detach, self.reopen = detach, reopen
        self.setWindowTitle(self.tr("Restore a backup"))
        self.check: B.BackupCheck | None = None
        self.confirm_box: QMessageBox | None = None
        self.result_box: QMessageBox | None = None
        self._generation = 0  # an answer to an older check is dropped
        self._restoring_with: str | None = None  # the backup's passphrase while it is restored

        self.path = QLineEdit()
        self.path.setAccessibleName("Backup file")
        self.path.setPlaceholderText(self.tr("Choose the backup to restore…"))
        self.path.editingFinished.connect(self.run_check)
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        self.passphrase_label = QLabel(self.tr("Passphrase"))
        self.passphrase = _password_field("Backup passphrase")
        self.passphrase.returnPressed.connect(self.run_check)
        self.keep_encrypted = QCheckBox(self.tr("Keep the restored database encrypted with this passphrase"))
        # over an encrypted database, the restored one stays encrypted unless asked otherwise
        self.keep_encrypted.setChecked(ctx.db.encrypted)
        self.summary = QLabel(self.tr("No backup chosen."))
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Backup check")

        form = QFormLayout()
        form.addRow(self.tr("Backup"), row)
        form.addRow(self.passphrase_label, self.passphrase)
        form.addRow("", self.keep_encrypted)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = self.buttons.addButton(self.tr("Check"), QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button.clicked.connect(self.run_check)
        self.restore_button = self.buttons.addButton(self.tr("Restore…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.ask)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._show_passphrase(False)
        self.keep_encrypted.setVisible(False)
        self.resize(600, 0)

    def _show_passphrase(self, on: bool) -> None:
        self.passphrase_label.setVisible(on)
        self.passphrase.setVisible(on)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Restore a backup"), str(Path.home()),
                                              self.tr(FILE_FILTER))
        if path:
            self.set_path(path)

    def set_path(self, path: str) -> None:
        self.path.setText(path)
        self.passphrase.clear()
        self.run_check()

    # -- check (read-only, on the worker) ---------------------------------------------------
    def run_check(self) -> None:
        text = self.path.text().strip()
        if not text:
            return
        self._generation += 1
        generation, passphrase = self._generation, self.passphrase.text() or None
        self.check = None
        self.restore_button.setEnabled(False)
        self.summary.setStyleSheet("")
        self.summary.setText(self.tr("Checking {name}…").format(name=Path(text).name))
        self.worker.submit(lambda: B.check_backup(Path(text), passphrase),
                           lambda check: self._checked(generation, check),
                           lambda exc: self._checked(generation, exc))

    def _checked(self, generation: int, check: Any) -> None:
        if generation != self._generation:
            return
        if isinstance(check, BaseException):  # unexpected: a bug, but never a silent dialog
            self.summary.setStyleSheet(PROBLEM_STYLE)
            self.summary.setText(f"{type(check).__name__}: {check}")
            return
        self.check = check
        if check.needs_passphrase:
            self._show_passphrase(True)
            self.passphrase.setFocus()
        self.keep_encrypted.setVisible(check.ok and check.encrypted)
        self.summary.setStyleSheet("" if check.ok else PROBLEM_STYLE)
        self.summary.setText("\n".join(check.summary()))
        self.restore_button.setEnabled(check.ok)
        self.checked.emit(check)

    # -- restore ---------------------------------------------------------------------------
    def ask(self) -> QMessageBox | None:
        if self.check is None or not self.check.ok:
            return None
        db = self.ctx.db.path
        question = self.tr("Replace {db} with the backup of {made}?\n\nThe current file is kept next to it as "
                           "{name}.before-restore-….").format(db=db, made=self.check.made, name=db.name)
        if self.check.warning:  # an old backup: its audit log cannot be checked (the service says so)
            question = self.check.warning + "\n\n" + question
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Restore a backup"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.buttonClicked.connect(
            lambda button: box.standardButton(button) == QMessageBox.StandardButton.Yes and self.replace())
        box.open()
        self.confirm_box = box
        return box

    def replace(self) -> None:
        """Confirmed: the window lets go of the database, the worker restores, the window reopens."""
        check = self.check
        if check is None:
            return
        self.restore_button.setEnabled(False)
        self.check_button.setEnabled(False)
        ctx, passphrase, keep = self.ctx, self.passphrase.text() or None, self.keep_encrypted.isChecked()
        self._restoring_with = passphrase
        self.summary.setText(self.tr("Restoring…"))
        self.detach()
        self.worker.submit(lambda: B.restore(ctx, check.path, passphrase, keep_encrypted=keep,
                                             user=ctx.actor.app_user),
                           self._restored, self._failed)

    def _restored(self, result: B.RestoreResult) -> None:
        from taskforce.services.audit import describe

        passphrase, self._restoring_with = self._restoring_with if result.encrypted else None, None
        self.passphrase.clear()
        if passphrase:  # the restored file is encrypted with it: not asked again on reopening
            self.reopen(result, passphrase)
        else:
            self.reopen(result)
        self.restored.emit(result)
        lines = [self.tr("{db} was restored from the backup of {made}.").format(
            db=result.path.name, made=result.check.made)]
        if result.aside is not None:
            lines.append(self.tr("The previous file is kept as {name}.").format(name=result.aside.name))
        lines.append(describe(result.audit))
        lines.extend(result.notes)
        self.result_box = tell(self.parentWidget() or self, self.tr("Backup restored"), "\n".join(lines))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._restoring_with = None
        self.reopen(None)
        text = error_text(exc)
        self.summary.setStyleSheet(PROBLEM_STYLE)
        self.summary.setText(text)
        self.check_button.setEnabled(True)
        self.failed.emit(text)


def open_backup_dialog(parent: QWidget, worker: Worker, ctx: Context) -> BackupDialog:
    dialog = BackupDialog(ctx, worker, parent)
    dialog.open()
    return dialog


def open_restore_dialog(parent: QWidget, worker: Worker, ctx: Context, *, detach: Callable[[], None],
                        reopen: Callable[[Any], None], path: str | None = None) -> RestoreDialog:
    dialog = RestoreDialog(ctx, worker, parent, detach=detach, reopen=reopen)
    dialog.open()
    if path:
        dialog.set_path(path)
    return dialog


def backup_on_close(ctx: Context) -> Path | None:
    """The day's automatic backup (``services.backup.auto_backup``), for the window's close:
    a failure is logged, never raised, so closing always goes on."""
    if getattr(ctx.db, "read_only", False):  # the copy that writes makes it when it closes
        return None
    try:
        return B.auto_backup(ctx)
    except Exception as exc:  # noqa: BLE001 - closing must not fail because a copy did
        log.warning("automatic backup of %s failed: %s", ctx.db.path, exc)
        return None
