"""One writer at a time: a lock file next to the database, and an OS lock held on it.

``taskforce.sqlite.lock`` says who has the file open (JSON: user, host, pid, since). What
decides is the OS advisory lock held on that file for as long as the database is open
(``flock`` on POSIX, ``msvcrt.locking`` on Windows): the OS drops it when the process ends,
however it ends (SIGKILL, a crash, a power cut ends them all). So a lock file whose OS lock is
free was left by a crash: the next opener takes it over and rewrites it, without asking.

The lock belongs to the file, not to the name it was opened by (issue 11 §2): the lock file
is named after the database's resolved path (symbolic links followed, so a link to the file
or to its folder finds the same lock), it records the database's device and inode, and a
database file with a second name (a hard link) is never opened for writing, by either name:
two names would give two lock files, and SQLite, which keeps its -wal by name, two journals.

The lock file is never followed (issue 11 §1): it is opened with ``O_NOFOLLOW`` (and
``O_NONBLOCK``, so a named pipe put in its place cannot hang the opener) and must then be a
regular file with one name; a link, a pipe, a folder or a file with a second name is refused
in one sentence and left as it is. Otherwise whoever may write to the data folder could point
it at the database, the audit anchors or any file the user may write, and the next opener
would write the lock's JSON into it.

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
from taskforce.domain.text import clean_line
from taskforce.i18n import tr
from taskforce.store.files import OWNER_FILE, make_private
from taskforce.store.lock_file import NotALockFile, open_lock_file, read_all, read_lock_file, try_lock, unlock

# errors that mean "nobody may write here" (read-only media, a folder without write permission)
_CANNOT_WRITE = {errno.EROFS, errno.EACCES, errno.EPERM}
# what the lock file shows of its holder: one short line (it is written by whoever could write
# to the folder, and printed on terminals and in dialogs)
_HOLDER_TEXT_MAX = 100


class ReadOnlyMedia(DatabaseInUse):
    """Nobody may write next to the database (read-only media, a folder without write
    permission): it can only be opened read-only. A DatabaseInUse, so that whoever offers
    read-only to a file in use offers it here too; ``holder`` is None."""


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
        """The holder the lock file names, its texts made one short printable line: anyone who
        can write to the folder can write this file, and it ends up on a terminal."""
        try:
            raw = json.loads(text)
            return cls(user=_shown(raw["user"]), host=_shown(raw["host"]), pid=int(raw["pid"]),
                       since=_shown(raw["since"]))
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
            return None


def _shown(value: object) -> str:
    """A text from the lock file as it may be shown: no control characters (terminal escapes),
    no bidirectional overrides, on one line, at most 100 characters."""
    return " ".join(clean_line(str(value)).split())[:_HOLDER_TEXT_MAX]


def resolved(db_path: Path) -> Path:
    """The database file itself: symbolic links (to the file or to a folder above it) followed,
    so every name that reaches one file finds one lock."""
    return Path(os.path.realpath(Path(db_path)))


def lock_path(db_path: Path) -> Path:
    """``taskforce.sqlite`` → ``taskforce.sqlite.lock``, next to the file itself (a link's
    target, not the link)."""
    real = resolved(db_path)
    return real.with_name(real.name + ".lock")


def cannot_write_reason(db_path: Path) -> str | None:
    """Why nobody may write next to the database (its folder is on read-only media or not
    writable to us), or None. The one sentence a read-only opening says why with."""
    real = resolved(db_path)
    folder = real.parent
    read_only_mount = False
    if hasattr(os, "statvfs"):
        try:
            read_only_mount = bool(os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1))
        except OSError:
            pass
    writable = os.access(folder, os.W_OK) and (not real.exists() or os.access(real, os.W_OK))
    if not read_only_mount and writable:
        return None
    return tr("{name} is on read-only media, or you may not write to it or its folder").format(name=real.name)


def _refuse_hard_links(db_path: Path, name: str) -> None:
    """A database with a second name (a hard link) is not opened for writing by either: each
    name would have its own lock file and SQLite its own -wal."""
    try:
        links = os.stat(resolved(db_path)).st_nlink
    except OSError:
        return  # not there yet: created by this opening, with one name
    if links > 1:
        raise TaskforceError(tr(
            "{name} has another name on this disk (a hard link); Taskforce writes only to a "
            "database file with one name, since two names for one file would let two copies "
            "write to it: remove the other name, or make a copy instead.").format(name=name))


def _file_identity(db_path: Path) -> list[int] | None:
    try:
        st = os.stat(resolved(db_path))
    except OSError:
        return None
    return [st.st_dev, st.st_ino]


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
        self.db_path = Path(db_path)  # as given: its name is the one the messages say
        self.path = lock_path(self.db_path)  # next to the file itself
        self.user = (user or "").strip() or _os_user()
        self._fd: int | None = None
        self.taken_over: Holder | None = None  # the crashed holder whose stale lock we took

    @property
    def held(self) -> bool:
        return self._fd is not None

    def holder(self) -> Holder | None:
        """Who the lock file names (None: no file, or nobody). Whether that process still holds
        the OS lock is what ``acquire()`` finds out."""
        text = read_lock_file(self.path)
        return Holder.from_json(text) if text is not None else None

    def acquire(self) -> Holder:
        """Take the lock or raise DatabaseInUse naming the live holder. Returns our Holder."""
        if self._fd is not None:
            raise RuntimeError("WriterLock.acquire: already held")
        _refuse_hard_links(self.db_path, self.db_path.name)
        reason = cannot_write_reason(self.db_path)
        if reason is not None and resolved(self.db_path).exists():
            # SQLite would open it anyway and fail at the first write: say so now
            raise ReadOnlyMedia(tr("{reason}; open it read-only.").format(reason=reason))
        for _attempt in range(20):
            try:
                fd = open_lock_file(self.path, self._mode())
            except NotALockFile:
                raise
            except OSError as exc:
                raise self._cannot_create(exc) from exc
            try:
                locked = try_lock(fd)
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
            unlock(fd)
            os.close(fd)
        else:  # pragma: no cover - only under a storm of openers and closers
            raise DatabaseInUse(in_use_message(self.db_path, None), None)
        try:
            # A second name made while nobody held the lock: checked again under the lock, so
            # of two names opened at once, at most one writes.
            _refuse_hard_links(self.db_path, self.db_path.name)
            previous = read_all(fd)
            self.taken_over = Holder.from_json(previous) if previous.strip() else None
            me = Holder(user=_shown(self.user), host=_shown(socket.gethostname() or "this computer"),
                        pid=os.getpid(), since=datetime.now().astimezone().isoformat(timespec="seconds"))
            # which file this lock is for: the database's device and inode
            data = json.dumps({**asdict(me), "file": _file_identity(self.db_path)}).encode("utf-8")
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, data)
            if self._mode() == OWNER_FILE:  # the umask narrowed or widened what we asked
                make_private(fd)
            os.fsync(fd)
        except BaseException:
            unlock(fd)
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
            unlock(fd)
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
        unlock(fd)
        os.close(fd)

    def _cannot_create(self, exc: OSError) -> TaskforceError:
        """The lock file cannot be made: on read-only media or in a folder we may not write to
        (an existing database can still be read: ReadOnlyMedia); else one sentence why."""
        reason = cannot_write_reason(self.db_path)
        if exc.errno in _CANNOT_WRITE and reason is not None and resolved(self.db_path).exists():
            return ReadOnlyMedia(tr("{reason}; open it read-only.").format(reason=reason))
        return TaskforceError(tr(
            "Cannot open {name} for writing: {lock} cannot be created next to it "
            "({error}).").format(name=self.db_path.name, lock=self.path.name,
                                 error=exc.strerror or exc))

    def _mode(self) -> int:
        """The lock file's mode: the database file's own, as SQLite gives its -wal and -shm, so
        whoever may open the database may see who holds it; 0600 for a new database (which
        the app creates 0600) or no database yet."""
        try:
            return resolved(self.db_path).stat().st_mode & 0o666 or OWNER_FILE
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


def _still_at(fd: int, path: Path) -> bool:
    try:
        mine, there = os.fstat(fd), os.lstat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)
