"""Messages that report a result without stopping the program: shown window-modally with
open(), never exec(), so no nested event loop waits on them (and the worker keeps going)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def tell(parent: QWidget, title: str, text: str, warning: bool = False) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information,
                      title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def error_text(exc: BaseException) -> str:
    """What the window says about a failure: a TaskforceError's own sentence; a database error
    as one sentence (the disk full, the file locked or damaged), never its SQL or the values
    bound to it, which are record contents (``store.db_errors``: the details go to the log
    file); anything else by its class and message."""
    from taskforce.domain.errors import TaskforceError
    from taskforce.store import db_errors

    if isinstance(exc, TaskforceError):
        return str(exc)
    sentence = db_errors.describe(exc)
    if sentence is not None:
        return sentence
    from sqlalchemy.exc import StatementError

    if isinstance(exc, StatementError):  # not a driver's error: what it wraps, not the SQL
        return f"{type(exc).__name__} ({type(exc.orig).__name__})"
    return f"{type(exc).__name__}: {exc}"
