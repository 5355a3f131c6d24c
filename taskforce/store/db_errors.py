"""An SQLite error as a user reads it: one sentence, never the SQL or its parameters.

SQLAlchemy's text for a failed statement is the statement and its bound parameters, which are
the record's contents (a subject's name, a note): printed on a terminal or shown in a dialog,
they would leak what the screen never showed, and they explain nothing. Whatever reaches the
command line's ``run()`` or the window's error display from the database goes through
``describe``: one sentence from SQLite's error code (the disk is full, the file is locked by
another program, the file is damaged), and one line in the log file (``store.error_log``:
the exception's class, SQLite's error code and message, nothing of the statement).

SQLite-specific on purpose (the error codes are SQLite's): a server backend brings its own.
"""

from __future__ import annotations

import sqlite3

from taskforce.i18n import tr
from taskforce.store import error_log

# SQLite's primary result codes (sqlite3.h); an extended code keeps its primary one in the low byte
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_READONLY = 3, 5, 6, 7, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN = 10, 11, 13, 14
SQLITE_CONSTRAINT, SQLITE_TOOBIG, SQLITE_NOTADB = 19, 18, 26


def sqlite_error(exc: BaseException) -> BaseException | None:
    """The driver's error behind ``exc`` (a SQLAlchemy DBAPIError wraps it as ``orig``; the
    stdlib's and SQLCipher's are their own), or None when ``exc`` is not a database error."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, sqlite3.Error) or _is_sqlcipher_error(exc):
            return exc
        exc = getattr(exc, "orig", None) or exc.__cause__
        seen += 1
    return None


def _is_sqlcipher_error(exc: BaseException) -> bool:
    return type(exc).__module__.startswith("sqlcipher3") and hasattr(exc, "sqlite_errorcode")


def sentence(exc: BaseException) -> str | None:
    """One sentence for a database error (None: ``exc`` is not one). Never the SQL, never the
    values."""
    err = sqlite_error(exc)
    if err is None:
        return None
    code = getattr(err, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else _code_from_text(str(err))
    if primary == SQLITE_FULL:
        return tr("The disk is full; nothing was saved.")
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return tr("The database is locked by another program; try again.")
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return tr("The database file is damaged; nothing was saved. Run 'taskforce check' to see "
                  "what is wrong, and restore a backup if it fails.")
    if primary == SQLITE_READONLY:
        return tr("The database file cannot be written to (read-only media or no permission); "
                  "nothing was saved.")
    if primary == SQLITE_IOERR:
        return tr("The disk could not be read or written (an input/output error); nothing was "
                  "saved.")
    if primary in (SQLITE_CANTOPEN, SQLITE_PERM):
        return tr("The database file or its journal cannot be opened (missing, or no "
                  "permission); nothing was saved.")
    if primary == SQLITE_NOMEM:
        return tr("There is not enough memory for this; nothing was saved.")
    if primary == SQLITE_TOOBIG:
        return tr("A value is too large for the database; nothing was saved.")
    if primary == SQLITE_CONSTRAINT:
        return tr("The change would break a rule of the database; nothing was saved.")
    return tr("The database could not do this ({name}); nothing was saved.").format(
        name=getattr(err, "sqlite_errorname", None) or type(err).__name__)


def describe(exc: BaseException) -> str | None:
    """``sentence(exc)``, and the details in the log file (without the statement or its
    parameters); None when ``exc`` is not a database error."""
    text = sentence(exc)
    if text is not None:
        log(exc)
    return text


def log(exc: BaseException) -> None:
    err = sqlite_error(exc) or exc
    code = getattr(err, "sqlite_errorcode", None)
    name = getattr(err, "sqlite_errorname", None)
    # SQLite's own message names a table, a column or a constraint, never a bound value;
    # str(exc) of the SQLAlchemy error would carry the statement and the values: not logged
    message = err.args[0] if err.args and isinstance(err.args[0], str) else ""
    error_log.write(f"database error: {type(exc).__name__} / {type(err).__module__}.{type(err).__name__}"
                    f" code={code} {name or ''}: {message[:300]}")


def _code_from_text(text: str) -> int | None:
    # a driver without sqlite_errorcode: SQLite's fixed messages (sqlite3ErrStr)
    text = text.lower()
    for needle, code in (("disk is full", SQLITE_FULL), ("database is locked", SQLITE_BUSY),
                         ("malformed", SQLITE_CORRUPT), ("not a database", SQLITE_NOTADB),
                         ("readonly database", SQLITE_READONLY), ("disk i/o error", SQLITE_IOERR)):
        if needle in text:
            return code
    return None
