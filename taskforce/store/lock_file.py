"""Lock files opened safely: never through a link, never blocking on a pipe, only a regular
file with one name (issue 11 §1), and the OS locks held on them. Used by the writer lock
(``store.lock``) and the unlock counter (``store.unlock_guard``).

Whoever may write to the folder a lock file sits in may put anything in its place: a symbolic
link to the database, to the audit anchors or to any file the user may write (the next opener
would truncate it and write JSON into it), a dangling link (which would create its target), a
hard link (a second name of another file), a named pipe (an open that waits forever), a folder.
``open_lock_file`` opens with ``O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC``, then checks with
``fstat`` what it actually opened, and refuses anything but a regular file with one link in one
sentence naming it, leaving it where it is for the user to look at.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import time
from pathlib import Path

from taskforce.domain.errors import TaskforceError
from taskforce.i18n import tr
from taskforce.store.files import OWNER_FILE

# never follow, never block on a pipe, never leak into a child process
LOCK_FLAGS = (getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
              | getattr(os, "O_BINARY", 0))
# msvcrt locks are mandatory byte ranges: lock one byte far past the JSON, so another copy can
# still read who holds the file.
_WINDOWS_LOCK_OFFSET = 1 << 30
# errors that mean "this file system cannot lock" (some network shares), not "someone holds it"
_NO_LOCKING = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS}
# what open() says when the name is a link (ELOOP; EMLINK on FreeBSD), a folder, a socket
_NOT_A_FILE = {errno.ELOOP, errno.EMLINK, errno.EISDIR, errno.ENXIO, errno.ENODEV}


class NotALockFile(TaskforceError):
    """Something that is not a lock file Taskforce made sits where the lock file goes."""


def open_lock_file(path: Path, mode: int = OWNER_FILE, *, create: bool = True) -> int:
    """Open (or create) a lock file for reading and writing without following it, or raise
    NotALockFile naming what is there instead. OSError for everything else (a missing folder,
    no permission, read-only media)."""
    path = Path(path)
    if not hasattr(os, "O_NOFOLLOW") and path.is_symlink():  # Windows: checked first (racy)
        raise _not_a_lock_file(path)
    try:
        fd = os.open(path, os.O_RDWR | (os.O_CREAT if create else 0) | LOCK_FLAGS, mode)
    except OSError as exc:
        if exc.errno in _NOT_A_FILE:
            raise _not_a_lock_file(path) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            raise _not_a_lock_file(path, st.st_mode, st.st_nlink)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: O_NONBLOCK has done its part
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_lock_file(path: Path) -> str | None:
    """A lock file's text, read without following a link; None when there is no regular file
    with one name there (a pipe, a device, a second name of some other file are not read)."""
    try:
        fd = os.open(path, os.O_RDONLY | LOCK_FLAGS)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            return None
        return read_all(fd)
    except OSError:
        return None
    finally:
        os.close(fd)


def read_all(fd: int) -> str:
    """What an open lock file holds (at most about 1 MB), as text."""
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
        if sum(map(len, chunks)) > 1 << 20:
            break
    return b"".join(chunks).decode("utf-8", errors="replace")


def _kind_of(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return tr("a folder")
    if stat.S_ISFIFO(mode):
        return tr("a named pipe")
    if stat.S_ISSOCK(mode):
        return tr("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return tr("a device")
    return tr("not a regular file")


def _not_a_lock_file(path: Path, mode: int | None = None, links: int = 1) -> NotALockFile:
    if mode is None:
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            mode = 0
    name = path.name
    if stat.S_ISLNK(mode):
        return NotALockFile(tr(
            "{name} is a link to another file, not a lock file; Taskforce does not write through "
            "it: remove it, then try again.").format(name=name))
    if stat.S_ISREG(mode) and links > 1:
        return NotALockFile(tr(
            "{name} has another name on this disk (a hard link), so it is not a lock file "
            "Taskforce made; remove it, then try again.").format(name=name))
    return NotALockFile(tr("{name} is {kind}, not a lock file; remove it, then try again.").format(
        name=name, kind=_kind_of(mode)))


if sys.platform == "win32":  # written for Windows; the suite tests the POSIX branch
    import msvcrt

    def try_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True

    def unlock(fd: int) -> None:
        try:
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return False
            if exc.errno in _NO_LOCKING:
                # No locking on this file system: the lock file still names the writer, but
                # only as information. SQLite's own locking still keeps writes whole.
                return True
            raise
        return True

    def unlock(fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError:
            pass


def lock_exclusively(fd: int, timeout: float = 30.0) -> None:
    """Wait for the exclusive OS lock on ``fd`` (held until it is unlocked or closed)."""
    deadline = time.monotonic() + timeout
    while not try_lock(fd):
        if time.monotonic() > deadline:
            raise TaskforceError(tr("A lock file stayed locked for {n} seconds; try again.").format(n=int(timeout)))
        time.sleep(0.002)
