"""Settings → "Encrypt this database…" and "Remove encryption…" (issue 6 §5).

The dialogs decide nothing: ``services.encryption`` converts the open file on the worker
(the writer lock held throughout) and its sentences are shown as they are.

For the main window: ``open_encryption_dialog(window, worker, ctx, on_done=…)`` opens the
right one for the file (``ctx.db.encrypted``); ``on_done(result)`` runs after a conversion
(e.g. to update the status bar). ``encryption_action_text(ctx)`` is the menu entry's text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from taskforce.domain.errors import TaskforceError
from taskforce.gui.form_dialog import ERROR_STYLE
from taskforce.gui.messages import tell
from taskforce.gui.worker import Worker
from taskforce.services import encryption
from taskforce.services.context import Context


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def encryption_action_text(ctx: Context | None) -> str:
    if ctx is not None and ctx.db.encrypted:
        return QDialog.tr("Remove encryption…")
    return QDialog.tr("Encrypt this database…")


class _ConvertDialog(QDialog):
    converted = Signal(object)  # services.encryption.ConversionResult

    def __init__(self, ctx: Context, worker: Worker, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx, self.worker = ctx, worker
        self.result_box = None
        self.message = QLabel()
        self.message.setAccessibleName("Message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)

    def _run(self, job: Callable[[], Any], title: str) -> None:
        self.go_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Working… the database is copied and checked."))

        def work() -> Any:
            try:
                return job()
            except TaskforceError as exc:
                return exc  # shown in the dialog, which stays open to correct it
        def failed(exc: BaseException) -> None:  # a disk full, a file system refusing a rename
            self._done(TaskforceError(self.tr("The conversion failed ({error}); the database was "
                                              "left as it was.").format(error=exc)), title)
        self.worker.submit(work, lambda outcome: self._done(outcome, title), failed)

    def _done(self, outcome: Any, title: str) -> None:
        self.go_button.setEnabled(True)
        if isinstance(outcome, TaskforceError):
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(str(outcome))
            return
        self.message.clear()
        self.converted.emit(outcome)
        self.result_box = tell(self.parentWidget() or self, title, "\n\n".join(outcome.lines()),
                               warning=bool(outcome.plain_copies or outcome.aside and outcome.encrypted))
        self.accept()


class EncryptDialog(_ConvertDialog):
    def __init__(self, ctx: Context, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(ctx, worker, parent)
        name = ctx.db.path.name
        self.setWindowTitle(self.tr("Encrypt {name}").format(name=name))
        intro = QLabel(self.tr(
            "The database will be encrypted with SQLCipher (AES-256): without the passphrase "
            "nobody can read it, and nobody can recover it if the passphrase is lost. The app "
            "asks for it at every start and after {n} minutes without use.").format(
            n=_idle_minutes()))
        intro.setWordWrap(True)
        self.passphrase = _password_field("Passphrase")
        self.repeat = _password_field("Repeat passphrase")
        self.repeat.returnPressed.connect(self.start)
        self.remove_plain = QCheckBox(self.tr("Overwrite and delete the unencrypted copy"))
        self.remove_plain.setToolTip(self.tr(
            "Otherwise it is kept next to the database as {name}.before-encrypt. Overwriting is "
            "not reliable on SSDs and copy-on-write disks.").format(name=name))
        form = QFormLayout()
        form.addRow(self.tr("Passphrase"), self.passphrase)
        form.addRow(self.tr("Repeat it"), self.repeat)
        form.addRow("", self.remove_plain)
        hint = QLabel(self.tr("At least {n} characters; a few unrelated words are easy to remember "
                              "and hard to guess.").format(n=encryption.MIN_PASSPHRASE))
        hint.setWordWrap(True)
        self.go_button = self.buttons.addButton(self.tr("Encrypt"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.go_button.setDefault(True)
        self.go_button.clicked.connect(self.start)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 0)

    def start(self) -> None:
        passphrase, repeated = self.passphrase.text(), self.repeat.text()
        try:  # at once, before any work: the same check the service makes
            encryption.check_new_passphrase(passphrase, repeated)
        except TaskforceError as exc:
            self.message.setText(str(exc))
            return
        ctx, remove = self.ctx, self.remove_plain.isChecked()
        self.passphrase.clear()
        self.repeat.clear()
        self._run(lambda: encryption.encrypt(ctx, passphrase, repeated=repeated, remove_plain=remove),
                  self.tr("Database encrypted"))


class DecryptDialog(_ConvertDialog):
    def __init__(self, ctx: Context, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(ctx, worker, parent)
        name = ctx.db.path.name
        self.setWindowTitle(self.tr("Remove the encryption of {name}").format(name=name))
        intro = QLabel(self.tr(
            "{name} will be stored unencrypted: anyone who gets a copy of the file can read it. "
            "Type the passphrase to confirm.").format(name=name))
        intro.setWordWrap(True)
        self.passphrase = _password_field("Passphrase")
        self.passphrase.returnPressed.connect(self.start)
        form = QFormLayout()
        form.addRow(self.tr("Passphrase"), self.passphrase)
        self.go_button = self.buttons.addButton(self.tr("Remove encryption"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.go_button.clicked.connect(self.start)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(520, 0)

    def start(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase:
            self.message.setText(self.tr("Type the passphrase."))
            return
        self.passphrase.clear()
        ctx = self.ctx
        self._run(lambda: encryption.decrypt(ctx, passphrase), self.tr("Encryption removed"))


def _idle_minutes() -> int:
    from taskforce.gui.idle_lock import idle_minutes
    from taskforce.settings import load_settings

    return idle_minutes(load_settings().idle_lock_minutes)


def open_encryption_dialog(parent: QWidget, worker: Worker, ctx: Context,
                           on_done: Callable[[Any], None] | None = None) -> _ConvertDialog:
    dialog = (DecryptDialog if ctx.db.encrypted else EncryptDialog)(ctx, worker, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_done is not None:
        dialog.converted.connect(on_done)
    dialog.open()
    return dialog
