"""The files the app writes: readable by their owner only, and replaced durably.

Owner only (issue 10 §5). The database, its copies (backups, pre-upgrade, before-encrypt,
before-restore), its lock file and every temporary file are created ``0600``, and the folders
the app creates ``0700``, whatever the umask: the data is law-enforcement sensitive, and a
umask of 022 (the usual default) would leave it readable by every account on the computer.
One mechanism for all of them, here: a file is created by ``create_private`` (``O_EXCL``,
then ``fchmod`` to exactly 0600, since the umask can only take bits away and a umask such as
0277 would leave the owner unable to write), a folder by ``private_folders``, and a finished
copy is made private by ``put_in_place`` as it is renamed into place. PDFs and exports get
the same mode from ``tempfile.mkstemp`` (``reports.document.write_atomically``).

SQLite creates ``-wal``, ``-shm`` and ``-journal`` files itself; it gives them the mode of the
database file they belong to, and fixes that mode with ``fchmod`` when the umask changed it
(``robust_open`` in SQLite's os_unix.c). So a database file that is 0600 before SQLite first
opens it is all that is needed: no umask juggling around a connection, which would also
change the umask of every other thread of the process.

On Windows nothing is changed: ``os.chmod`` there only sets or clears the read-only flag, and
a new file inherits the ACL of the user's profile folder (the user, SYSTEM and
Administrators), which is already private to the user.

Durable replacement: a finished file is written under a temporary name in the same folder,
flushed, renamed, and the folder flushed so the rename survives a power cut.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

OWNER_FILE = 0o600
OWNER_FOLDER = 0o700
# POSIX permissions mean something; on Windows the profile's inherited ACL is kept (above).
POSIX = os.name == "posix"


def make_private(target: Path | int) -> None:
    """Set a file (a path or an open descriptor) to 0600 on POSIX; nothing on Windows.

    A file owned by another account (a shared folder) cannot be changed by us and keeps its
    mode: the OS refuses, and what it already allows is not ours to widen or narrow."""
    if not POSIX:
        return
    try:
        if isinstance(target, int):
            os.fchmod(target, OWNER_FILE)
        else:
            os.chmod(target, OWNER_FILE)
    except PermissionError:
        pass


def create_private(path: Path) -> bool:
    """Create ``path`` as an empty 0600 file if it does not exist; whether it was created.

    SQLite then opens the existing (empty) file as a new database, and gives its ``-wal``,
    ``-shm`` and ``-journal`` files the same 0600."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), OWNER_FILE)
    except FileExistsError:
        return False
    try:
        make_private(fd)
    finally:
        os.close(fd)
    return True


def private_folders(folder: Path) -> Path:
    """``folder`` and any missing parent, each created 0700 (an existing one is left as it is)."""
    folder = Path(folder)
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for one in reversed(missing):
        try:
            one.mkdir(mode=OWNER_FOLDER)
        except FileExistsError:  # made meanwhile by another thread or copy: used as it is
            continue
        if POSIX:
            os.chmod(one, OWNER_FOLDER)  # exact, whatever the umask
    if not folder.is_dir():  # a file in the way: the same error mkdir gives
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def private_temp_folder(next_to: Path, prefix: str) -> Path:
    """A new temporary folder in ``next_to``'s folder (the same file system: renames out of it
    are atomic), 0700 exactly: ``mkdtemp`` asks for 0700, which a umask can narrow further."""
    private_folders(next_to.parent)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=next_to.parent))
    if POSIX:
        os.chmod(folder, OWNER_FOLDER)
    return folder


def replace_text(path: Path, text: str, prefix: str) -> None:
    """Write a small text file (settings, counts, anchors) whole or not at all, 0600: a
    temporary file renamed over it, so a crash leaves the old file or the new one."""
    private_folders(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        make_private(fd)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows cannot open a folder, and needs not)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def put_in_place(made: Path, target: Path) -> None:
    """Make ``made`` private (0600), flush it and rename it to ``target`` (atomic: the same
    folder). Every copy of the database goes through here: backups, conversions, restores."""
    fd = os.open(made, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        make_private(fd)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(made, target)
    fsync_folder(Path(target).parent)
