"""The file is open in another copy of Taskforce: say who has it, offer to open it read-only.

Shown window-modally with open() (never exec()), like every message here: the choice comes
back through ``chosen`` / the ``on_choice`` callback, so the worker and the event loop keep
running while the user reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QLabel, QMessageBox, QWidget

from taskforce.domain.errors import DatabaseInUse
from taskforce.store.lock import ReadOnlyMedia

if TYPE_CHECKING:
    from taskforce.store.database import Database


def _tr(text: str) -> str:
    return QCoreApplication.translate("InUseDialog", text)


class InUseDialog(QMessageBox):
    """Who holds the file, and two buttons: "Open read-only" or "Cancel"."""

    chosen = Signal(bool)  # True: open it read-only; False: cancel

    def __init__(self, error: DatabaseInUse, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("File in use"))
        # The holder's name and host come from the lock file, which anyone who may write to
        # the folder can write: shown as plain text, never as rich text (a link, an image).
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(str(error))  # the same sentence the command line prints
        if isinstance(error, ReadOnlyMedia):
            self.setInformativeText(self.tr(
                "Read-only, you can look at everything in it but not change anything, nor print "
                "or export (each is logged in the file)."))
        else:
            self.setInformativeText(self.tr(
                "Read-only, you can look at everything in it but not change anything, nor print "
                "or export (each is logged in the file), until the other copy closes it."))
        self.read_only_button = self.addButton(self.tr("Open read-only"), QMessageBox.ButtonRole.AcceptRole)
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.read_only_button)
        self.setEscapeButton(self.cancel_button)
        self.read_only: bool | None = None  # the choice, once made
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: QAbstractButton) -> None:
        self.read_only = button is self.read_only_button
        self.chosen.emit(self.read_only)


def ask_open_read_only(parent: QWidget, error: DatabaseInUse,
                       on_choice: Callable[[bool], None]) -> InUseDialog:
    """Show the dialog window-modally; ``on_choice(True)`` means "open it read-only"."""
    dialog = InUseDialog(error, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.chosen.connect(on_choice)
    dialog.open()
    return dialog


def read_only_status_text(db: "Database") -> str:
    """What the status bar says while the file is open read-only ("" when it is not)."""
    if not db.read_only:
        return ""
    if getattr(db, "read_only_reason", None):
        return _tr("Read-only: the file is on read-only media, or you may not write to it")
    if db.holder is not None:
        return _tr("Read-only: {user} on {host} has this file open").format(
            user=db.holder.user, host=db.holder.host)
    return _tr("Read-only")


def read_only_label(db: "Database") -> QLabel:
    """A status-bar label for a read-only file (empty and hidden when it is not read-only)."""
    label = QLabel(read_only_status_text(db))
    label.setTextFormat(Qt.TextFormat.PlainText)  # the holder's name is the lock file's text
    label.setAccessibleName("Read-only")
    label.setStyleSheet("QLabel { color: #9a3412; font-weight: bold; }")
    if getattr(db, "read_only_reason", None):
        label.setToolTip(_tr("Changes cannot be saved: nothing can be written where this file is. "
                             "Copy it to a folder of yours to make changes."))
    else:
        label.setToolTip(_tr(
            "Changes cannot be saved: another copy of Taskforce has this file open. Open it again "
            "once that copy is closed to make changes."))
    label.setVisible(db.read_only)
    return label


def offer_read_only(parent: QWidget, error: BaseException, open_read_only: Callable[[], None],
                    on_cancel: Callable[[], None] | None = None) -> bool:
    """For the window's "could not open" path: if ``error`` is DatabaseInUse, ask and return
    True (``open_read_only()`` runs if the user chooses so, ``on_cancel()`` otherwise); any
    other error returns False and is the caller's to show."""
    if not isinstance(error, DatabaseInUse):
        return False

    def chosen(read_only: bool) -> None:
        if read_only:
            open_read_only()
        elif on_cancel is not None:
            on_cancel()

    ask_open_read_only(parent, error, chosen)
    return True
