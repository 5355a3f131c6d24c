"""One writer at a time: a lock file next to the database, and an OS lock held on it.

``taskforce.sqlite.lock`` says who has the file open (JSON: user, host, pid, since). What
decides is the OS advisory lock held on that file for as long as the database is open
(``flock`` on POSIX, ``msvcrt.locking`` on Windows): the OS drops it when the process ends,
however it ends (SIGKILL, a crash, a power cut ends them all). So a lock file whose OS lock is
free was left by a crash: the next opener takes it over and rewrites it, without asking.

File-based and SQLite-agnostic on purpose: a server backend would not need it, and nothing
else in the app knows how the lock is held.
"""

from __future__ import annotations

import errno
import getpass
import json
import os
import socket
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from taskforce.domain.errors import DatabaseInUse, TaskforceError
from taskforce.i18n import tr
from taskforce.store.files import OWNER_FILE, make_private

# msvcrt locks are mandatory byte ranges: lock one byte far past the JSON, so another copy can
# still read who holds the file.
_WINDOWS_LOCK_OFFSET = 1 << 30
# errors that mean "this file system cannot lock" (some network shares), not "someone holds it"
_NO_LOCKING = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS}


@dataclass(frozen=True)
class Holder:
    """Who has a database open for writing, as the lock file says."""

    user: str
    host: str
    pid: int
    since: str  # local ISO time with its offset, e.g. 2026-11-23T14:05:12+01:00

    @property
    def since_text(self) -> str:
        """``since`` as a person reads it: 2026-11-23 14:05."""
        try:
            return datetime.fromisoformat(self.since).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return self.since

    def describe(self) -> str:
        """m.quill on WS-0231 since 2026-11-23 14:05 (process 4242)"""
        return tr("{user} on {host} since {since} (process {pid})").format(
            user=self.user, host=self.host, since=self.since_text, pid=self.pid)

    @classmethod
    def from_json(cls, text: str) -> "Holder | None":
        try:
            raw = json.loads(text)
            return cls(user=str(raw["user"]), host=str(raw["host"]), pid=int(raw["pid"]),
                       since=str(raw["since"]))
        except (ValueError, KeyError, TypeError):
            return None


def lock_path(db_path: Path) -> Path:
    """``taskforce.sqlite`` → ``taskforce.sqlite.lock``, next to it."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


def in_use_message(db_path: Path, holder: Holder | None) -> str:
    name = Path(db_path).name
    if holder is None:
        return tr("{name} is open in another copy of Taskforce; open it read-only, or try "
                  "again when it is closed.").format(name=name)
    return tr("{name} is open in Taskforce by {holder}; open it read-only, or try "
              "again when it is closed.").format(name=name, holder=holder.describe())


class WriterLock:
    """``acquire()`` when the database is opened for writing, ``release()`` when it is closed."""

    def __init__(self, db_path: Path, user: str | None = None) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self.user = (user or "").strip() or _os_user()
        self._fd: int | None = None
        self.taken_over: Holder | None = None  # the crashed holder whose stale lock we took

    @property
    def held(self) -> bool:
        return self._fd is not None

    def holder(self) -> Holder | None:
        """Who the lock file names (None: no file, or nobody). Whether that process still holds
        the OS lock is what ``acquire()`` finds out."""
        try:
            return Holder.from_json(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None

    def acquire(self) -> Holder:
        """Take the lock or raise DatabaseInUse naming the live holder. Returns our Holder."""
        if self._fd is not None:
            raise RuntimeError("WriterLock.acquire: already held")
        for _attempt in range(20):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), self._mode())
            except OSError as exc:  # a read-only folder or share: SQLite could not write there either
                raise TaskforceError(tr(
                    "Cannot open {name} for writing: {lock} cannot be created next to it "
                    "({error}).").format(name=self.db_path.name, lock=self.path.name,
                                         error=exc.strerror or exc)) from exc
            try:
                locked = _try_lock(fd)
            except BaseException:
                os.close(fd)
                raise
            if not locked:
                os.close(fd)
                holder = self._live_holder()
                raise DatabaseInUse(in_use_message(self.db_path, holder), holder)
            # A holder closing just now removes the file after we opened it: then the lock we
            # hold is on a file nobody else will look at; take the new one instead.
            if _still_at(fd, self.path):
                break
            _unlock(fd)
            os.close(fd)
        else:  # pragma: no cover - only under a storm of openers and closers
            raise DatabaseInUse(in_use_message(self.db_path, None), None)
        try:
            previous = _read_all(fd)
            self.taken_over = Holder.from_json(previous) if previous.strip() else None
            me = Holder(user=self.user, host=socket.gethostname() or "this computer", pid=os.getpid(),
                        since=datetime.now().astimezone().isoformat(timespec="seconds"))
            data = json.dumps(asdict(me)).encode("utf-8")
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, data)
            if self._mode() == OWNER_FILE:  # the umask narrowed or widened what we asked
                make_private(fd)
            os.fsync(fd)
        except BaseException:
            _unlock(fd)
            os.close(fd)
            raise
        self._fd = fd
        return me

    def release(self) -> None:
        """Give the lock up and remove the file (a file left behind would only look stale)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if sys.platform == "win32":
            # an open file cannot be removed on Windows: empty it, unlock, then try
            try:
                os.ftruncate(fd, 0)
            except OSError:
                pass
            _unlock(fd)
            os.close(fd)
            try:
                self.path.unlink()
            except OSError:
                pass  # another copy opened it meanwhile; it is empty and unlocked
            return
        # POSIX: remove while still holding it; an opener that got the old file notices
        # (``_still_at``) and takes a new one.
        try:
            if _still_at(fd, self.path):
                self.path.unlink()
        except OSError:
            pass
        _unlock(fd)
        os.close(fd)

    def _mode(self) -> int:
        """The lock file's mode: the database file's own, as SQLite gives its -wal and -shm, so
        whoever may open the database may see who holds it; 0600 for a new database (which
        the app creates 0600) or no database yet."""
        try:
            return self.db_path.stat().st_mode & 0o666 or OWNER_FILE
        except OSError:
            return OWNER_FILE

    def _live_holder(self) -> Holder | None:
        # The holder writes the file right after locking it: give it a moment if it is empty.
        for _ in range(20):
            holder = self.holder()
            if holder is not None:
                return holder
            time.sleep(0.01)
        return None

    def __enter__(self) -> "WriterLock":
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _read_all(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
        if sum(map(len, chunks)) > 1 << 20:
            break
    return b"".join(chunks).decode("utf-8", errors="replace")


def _still_at(fd: int, path: Path) -> bool:
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


if sys.platform == "win32":  # written for Windows; the suite tests the POSIX branch
    import msvcrt

    def _try_lock(fd: int) -> bool:
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

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
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

    def _unlock(fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError:
            pass
