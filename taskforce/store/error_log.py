"""The app's log file: what went wrong, for whoever supports the app, never what was in a record.

``logs/taskforce.log`` in the user data folder (next to the default database), the folder 0700
and the file 0600 like every file of the app (``store.files``). A line says when, which
process, the exception's class and what SQLite said (its error code and message); never the
SQL statement, never its bound parameters (names, notes, case numbers), never a traceback with
local values. Kept small: past 1 MB the file is moved to ``taskforce.log.1`` (one older file).

The log is opened without following a link (``O_NOFOLLOW``), like the lock file: someone who
may write to the data folder must not be able to point it at another file. Failing to log is
never an error of its own: the user's sentence matters more than the line.
"""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

from platformdirs import user_data_dir

from taskforce.store.files import OWNER_FILE, make_private, private_folders
from taskforce.store.paths import APP_NAME

LOG_NAME = "taskforce.log"
MAX_BYTES = 1 << 20
_FLAGS = (os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
          | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))


def log_folder() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "logs"


def log_path() -> Path:
    return log_folder() / LOG_NAME


def write(message: str) -> Path | None:
    """Append one line (control characters flattened) to the log; the file, or None if it
    could not be written."""
    path = log_path()
    line = " ".join(message.split())
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    try:
        private_folders(path.parent)
        _rotate(path)
        fd = os.open(path, _FLAGS, OWNER_FILE)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            return None  # not a log file we made: write nothing into it
        make_private(fd)
        os.write(fd, f"{stamp} [{os.getpid()}] {line}\n".encode("utf-8", "replace"))
    except OSError:
        return None
    finally:
        os.close(fd)
    return path


def one_line(text: str, what: str) -> str:
    """A report of several lines (SQLite's integrity check lists every damaged cell) as one
    line: how many problems and the first, the whole report in the log."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    problems = [line for line in lines if not line.startswith("***")]  # "*** in database main ***"
    if len(lines) <= 1 or not problems:
        return " ".join(lines)
    logged = None
    for line in lines:
        logged = write(f"{what}: {line}") or logged
    where = f" (all of them in {logged})" if logged else ""
    return f"{len(problems):,} problems; the first: {problems[0]}{where}"


def _rotate(path: Path) -> None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISREG(st.st_mode) and st.st_size > MAX_BYTES:
        os.replace(path, path.with_name(path.name + ".1"))
