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

Never over the database (issue 11 §6). A database may be named ``cases.pdf``; every output a
user names (a report, an export, a backup) goes through ``refuse_database_as_output``, which
compares it with the database and each of its working files (``-wal``, ``-shm``,
``-journal``, ``.lock``) by file identity (device and inode) after resolving links, and by
resolved name for those not made yet.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

from taskforce.domain.errors import TaskforceError
from taskforce.i18n import tr

OWNER_FILE = 0o600
OWNER_FOLDER = 0o700
# POSIX permissions mean something; on Windows the profile's inherited ACL is kept (above).
POSIX = os.name == "posix"
# Tests only (tests/test_kill_matrix.py): the name of the step at which the process kills itself.
CRASH_ENV = "TASKFORCE_TEST_CRASH_AT"


def crash_point(step: str) -> None:
    """Die here, as a power cut or ``kill -9`` would, when the tests ask for this step.

    The steps are the instants between two durable changes (a commit, a rename) where a
    crash matters: each names what is on disk by then, e.g. ``release:placed`` (the file is
    in place; its log entry still says pending). Nothing sets the variable outside the tests.
    """
    if os.environ.get(CRASH_ENV) == step:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


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


# --- never over the database --------------------------------------------------------------

# The database's own name and every file SQLite or the writer lock keeps beside it.
WORKING_SUFFIXES = ("", "-wal", "-shm", "-journal", ".lock")


class OutputIsDatabase(TaskforceError):
    """The output named is the database or one of its working files; nothing was written."""


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)  # follows links: the file a write would reach
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _resolved(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def is_database_file(output: Path, db_path: Path) -> bool:
    """Whether writing ``output`` would write over ``db_path`` or one of its working files."""
    output, db_path = Path(output), Path(db_path)
    out_id, out_name = _identity(output), _resolved(output)
    for suffix in WORKING_SUFFIXES:
        working = Path(f"{db_path}{suffix}")
        if _resolved(working) == out_name:
            return True
        if out_id is not None and _identity(working) == out_id:  # a hard link, a bind mount
            return True
    return False


def refuse_database_as_output(output: Path, db_path: Path) -> None:
    """OutputIsDatabase, in one sentence, when ``output`` is the database or one of its files."""
    if is_database_file(output, db_path):
        raise OutputIsDatabase(tr(
            "Nothing was written: {name} is the database {db} or one of its working files; choose "
            "another file.").format(name=Path(output).name, db=Path(db_path).name))


# --- whole files --------------------------------------------------------------------------

WHOLE_PREFIX = ".taskforce-part-"


def write_whole(data: bytes | memoryview, path: Path) -> None:
    """Write ``data`` to ``path`` whole or not at all, 0600: a temporary file in the same
    folder, flushed, renamed over ``path``, the folder flushed. The temporary name carries
    this process's id, so a part left by a killed process is found and removed by the next
    write into that folder (``sweep_parts``)."""
    path = Path(path)
    sweep_parts(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{WHOLE_PREFIX}{os.getpid()}-", suffix=".tmp")
    try:
        make_private(fd)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def owner_alive(pid_text: str) -> bool:
    """Whether the process named in a temporary file's name still runs (True when unknown)."""
    if not pid_text.isdigit() or os.name != "posix":  # on Windows os.kill(pid, 0) would end it
        return True
    if int(pid_text) == os.getpid():
        return True  # this process's own work in progress (another thread)
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, another user's
        return True
    return True


def overwrite(path: Path) -> None:
    """Overwrite a regular file with zeros and flush it (before it is deleted): a plain copy
    left by a killed process is not left readable in the free blocks of the disk. Best effort,
    like ``cipher.shred``: SSDs and copy-on-write file systems may keep the old blocks."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return
    try:
        size = os.fstat(fd).st_size
        zeros = bytes(1 << 20)
        for _ in range(0, size, len(zeros)):
            os.write(fd, zeros)
        os.ftruncate(fd, size)
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sweep_parts(folder: Path) -> list[Path]:
    """Remove the parts of whole files (``write_whole``) that a killed process left in
    ``folder``: a document that was never put in place, so never logged as released."""
    removed = []
    try:
        candidates = list(Path(folder).glob(f"{WHOLE_PREFIX}*.tmp"))
    except OSError:
        return removed
    for part in candidates:
        if not owner_alive(part.name[len(WHOLE_PREFIX):].split("-", 1)[0]):
            overwrite(part)
            part.unlink(missing_ok=True)
            removed.append(part)
    return removed


# --- swapping a file ------------------------------------------------------------------------

def replace_keeping(made: Path, target: Path, aside: Path) -> None:
    """Put ``made`` in place of ``target`` and keep what ``target`` was as ``aside``, so that
    ``target`` holds the old file or the new one at every instant (issue 11: a restore,
    encrypt or decrypt killed between two renames left no database at the path).

    The old file is copied to ``aside`` (under a temporary name, flushed, renamed: ``aside`` is
    whole or absent), then ``made`` is renamed over ``target`` in one atomic step. A copy
    rather than a hard link: a database with two names is refused at opening
    (``store.lock``), which a kill between the link and the rename would leave. Killed after
    the copy, both are the old file; after the rename, the swap is done.
    """
    folder = Path(target).parent
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{WHOLE_PREFIX}{os.getpid()}-", suffix=".tmp")
    try:
        make_private(fd)
        with os.fdopen(fd, "wb") as out, open(target, "rb") as old:
            shutil.copyfileobj(old, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, aside)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_folder(folder)
    crash_point("swap:aside")
    put_in_place(made, target)
    crash_point("swap:replaced")
