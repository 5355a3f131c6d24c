"""Copies of the database file, and reading them back (SQLite- and SQLCipher-specific).

The seam behind ``services.backup``: nothing outside this module knows how a copy is made.

- ``copy_live`` copies the open database through the connection the app already holds (a
  stdlib sqlite3 connection, or a sqlcipher3 one already keyed), inside one read transaction,
  so the copy is the database as of one instant however many writers run meanwhile (WAL).
- A copy may be encrypted with its own passphrase (SQLCipher, AES-256): ``ATTACH … KEY ?`` and
  ``sqlcipher_export``. The passphrase is always a bound parameter or handed to
  ``sqlite3_key`` (``set_key``), never spliced into SQL, so no quote in it can break out.
- Every copy is built in a private temporary folder next to its target (same file system, so
  the final rename is atomic) and that folder is removed in ``finally``. Only what the target
  may hold is ever written there (issue 11 §2): an encrypted copy of a plain database is first
  copied plain into a folder next to the *database* (on its own disk, which holds it plain
  anyway), exported encrypted from there into the target's folder, and the plain
  intermediate removed before the copy goes on. A USB stick never holds a readable byte, even
  while the copy is made or after it is killed.
- A process killed mid-copy can leave a folder; ``sweep_stale`` removes those whose process
  has ended, overwriting any readable file in them first. It runs at every open of the
  database (its folder) and before every backup (the target's folder), for every kind of
  staging folder: backups, restores (``.taskforce-backup-``) and conversions
  (``.taskforce-convert-``, ``store.cipher``).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from taskforce.domain.errors import SchemaError
from taskforce.i18n import tr
from taskforce.store import cipher
from taskforce.store.files import (
    crash_point, create_private, fsync_folder, make_private, overwrite, owner_alive, private_folders,
    private_temp_folder, put_in_place, replace_keeping, sweep_parts,
)

TEMP_PREFIX = ".taskforce-backup-"
# every kind of staging folder a killed process can leave next to a database or a backup
STAGING_PREFIXES = (TEMP_PREFIX, cipher.STAGING_PREFIX)
# A temporary folder older than this is a leftover of a killed run, never one in progress.
STALE_SECONDS = 6 * 3600
PAGES_PER_STEP = 1024  # 4 MiB at the default page size: progress without slowing the copy

Progress = Callable[[int, int], None]
Connection = Any  # sqlite3.Connection or sqlcipher3.dbapi2.Connection (DB-API 2)
file_kind = cipher.file_kind  # "sqlite", "empty", "encrypted" or "other"


class WrongPassphrase(RuntimeError):
    """The passphrase does not open the file (or the file is not a database at all)."""


def backup_file(source: Path, target: Path, passphrase: str | None = None) -> Path:
    """Copy a closed (or WAL) file to ``target`` page by page; the pre-upgrade copy.

    ``passphrase``: the source is SQLCipher-encrypted with it; the copy is encrypted with the
    same passphrase (SQLCipher's backup API needs both ends keyed alike).
    """
    if not create_private(private_folders(target.parent) / target.name):
        make_private(target)  # a copy left by an earlier attempt is overwritten: ours, 0600
    if passphrase is None:
        src = sqlite3.connect(_uri(source, "mode=ro"), uri=True)
        open_target = lambda: sqlite3.connect(target)  # noqa: E731
    else:
        src = cipher_connect(source, passphrase, read_only=True)
        open_target = lambda: cipher_connect(target, passphrase)  # noqa: E731
    with closing(src), closing(open_target()) as dst:
        src.backup(dst)
    return target


# --- what a file is ---------------------------------------------------------------------

def is_plain(path: Path) -> bool:
    return file_kind(path) == "sqlite"


def is_cipher_connection(conn: Connection) -> bool:
    return not isinstance(conn, sqlite3.Connection)


def cipher_errors() -> tuple[type[BaseException], ...]:
    """The DatabaseError classes of both drivers (to catch either)."""
    return (sqlite3.DatabaseError, cipher.dbapi().DatabaseError)


def cipher_connect(path: Path, passphrase: str | None, *, read_only: bool = False) -> Connection:
    """A sqlcipher3 connection on ``path`` keyed with ``passphrase`` as typed (None: a plain
    file through SQLCipher, to export it encrypted)."""
    return cipher.connect(path, None if passphrase is None else cipher.Key(passphrase), read_only=read_only)


def _uri(path: Path, options: str) -> str:
    return f"file:{quote(str(path))}?{options}"


def open_copy(path: Path, passphrase: str | None = None) -> Connection:
    """A read-only connection on a copy (a backup), plain or SQLCipher.

    A plain file in WAL mode with no ``-wal`` beside it is opened immutable, so checking a
    backup never creates ``-wal``/``-shm`` files next to it. Raises WrongPassphrase when the
    passphrase does not open the file, sqlite3.DatabaseError when a plain file is unreadable.
    """
    if file_kind(path) == "sqlite":
        wal = Path(f"{path}-wal")
        with open(path, "rb") as f:
            header = f.read(20)
        immutable = header[18:20] == b"\x02\x02" and not wal.exists()
        return sqlite3.connect(_uri(path, "mode=ro&immutable=1" if immutable else "mode=ro"), uri=True)
    conn = cipher_connect(path, passphrase or "", read_only=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except cipher.dbapi().DatabaseError as exc:
        conn.close()
        raise WrongPassphrase(str(exc)) from exc
    return conn


# --- making a copy ----------------------------------------------------------------------

@contextmanager
def staging_dir(next_to: Path) -> Iterator[Path]:
    """A private (0700) temporary folder in ``next_to``'s folder, removed however the block
    ends. Its name carries this process's id, so a later sweep knows when its owner is gone.
    A missing folder on the way (``backups``, a new one chosen for a copy) is made 0700."""
    folder = private_temp_folder(next_to, f"{TEMP_PREFIX}{os.getpid()}-")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_stale(folder: Path, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove staging folders a killed backup, restore or conversion left in ``folder``: those
    whose process has ended (POSIX), and any older than ``older_than`` seconds. A readable
    file in them (a plain copy: a decryption, an encrypted backup's intermediate) is
    overwritten before it is deleted."""
    removed = []
    now = time.time()
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(STAGING_PREFIXES) and p.is_dir()]
    except OSError:
        return removed
    for leftover in candidates:
        try:
            if now - leftover.stat().st_mtime > older_than or not _owner_alive(leftover.name):
                _overwrite_readable(leftover)
                shutil.rmtree(leftover, ignore_errors=True)
                removed.append(leftover)
        except OSError:
            continue
    return removed


def _overwrite_readable(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and file_kind(path) != "encrypted":
            overwrite(path)


def _owner_alive(name: str) -> bool:
    prefix = next(p for p in STAGING_PREFIXES if name.startswith(p))
    return owner_alive(name[len(prefix):].split("-", 1)[0])


@contextmanager
def _snapshot(conn: Connection) -> Iterator[None]:
    """Hold one read transaction on ``conn`` (so every page comes from the same instant)."""
    if conn.in_transaction:  # the caller's own transaction already pins a snapshot
        yield
        return
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # BEGIN is lazy: read now
        yield
    finally:
        conn.execute("ROLLBACK")  # it only read


def _plain_copy(src: sqlite3.Connection, target: Path, progress: Progress | None) -> None:
    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    create_private(target)  # 0600 before SQLite opens it; its journal takes the same mode
    with closing(sqlite3.connect(target)) as dst:
        with _snapshot(src):
            src.backup(dst, pages=PAGES_PER_STEP, progress=step)
        # The copy carries the source's WAL flag; a backup is one self-contained file.
        dst.execute("PRAGMA journal_mode=DELETE")


def export_copy(conn: Connection, target: Path, passphrase: str | None, same_key: bool = False) -> None:
    """``sqlcipher_export`` everything ``conn`` sees into a new file at ``target``.

    ``passphrase`` encrypts it with that passphrase; None with ``same_key`` gives it the key of
    ``conn``'s own database (SQLCipher's ATTACH without KEY); None alone makes it plain.
    """
    # A database opened read-only has query_only set, which would refuse writing the copy too;
    # only the attached copy is written here.
    query_only = conn.execute("PRAGMA query_only").fetchone()[0]
    if query_only:
        conn.execute("PRAGMA query_only = OFF")
    try:
        _export_to(conn, target, passphrase, same_key)
    finally:
        if query_only:
            conn.execute("PRAGMA query_only = ON")


def _export_to(conn: Connection, target: Path, passphrase: str | None, same_key: bool) -> None:
    if passphrase is not None:
        conn.execute("ATTACH DATABASE ? AS taskforce_copy KEY ?", (str(target), passphrase))
    elif same_key:
        conn.execute("ATTACH DATABASE ? AS taskforce_copy", (str(target),))
    else:
        conn.execute("ATTACH DATABASE ? AS taskforce_copy KEY ''", (str(target),))
    try:
        began = not conn.in_transaction
        if began:
            conn.execute("BEGIN")  # one snapshot of the source for every table exported
        try:
            conn.execute("SELECT sqlcipher_export('taskforce_copy')").fetchall()
            if began:
                conn.execute("COMMIT")
        except BaseException:
            if began and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("DETACH DATABASE taskforce_copy")


def _quick_check(conn: Connection, schema: str = "main") -> None:
    result = [r[0] for r in conn.execute(f"PRAGMA {schema}.quick_check")]
    if result != ["ok"]:
        raise sqlite3.DatabaseError(f"the copy failed its check: {'; '.join(result[:3])}")


@contextmanager
def staged_copy(src: Connection, target: Path, passphrase: str | None = None,
                progress: Progress | None = None, *, near: Path | None = None) -> Iterator[tuple[Path, bool]]:
    """A checked copy of the database ``src`` is connected to, in a private folder next to
    ``target``, ready to be renamed into place (``put_in_place``); the folder is removed
    however the block ends. Yields (the copy, whether it is encrypted).

    ``passphrase``: encrypt the copy with it. Without one, a plain source gives a plain copy
    and an encrypted source a copy under the database's own key (never a plain copy of an
    encrypted database). An encrypted copy of a plain source is made from a plain one staged
    next to ``near`` (the database file), never next to ``target``.
    """
    with staging_dir(target) as folder:
        out = folder / "copy.sqlite"
        if not is_cipher_connection(src):
            if passphrase is None:
                _plain_copy(src, out, progress)
                with closing(sqlite3.connect(out)) as check:
                    _quick_check(check)
            else:
                if near is None:
                    raise ValueError("an encrypted copy of a plain database is staged next to it: give near")
                with staging_dir(near) as plain_folder:  # on the database's disk, not the target's
                    plain = plain_folder / "plain.sqlite"
                    _plain_copy(src, plain, progress)
                    crash_point("backup:staged")
                    create_private(out)
                    with closing(cipher_connect(plain, None)) as conn:
                        conn.execute("PRAGMA temp_store = MEMORY")  # no plain temporary file either
                        export_copy(conn, out, passphrase)
                with closing(cipher_connect(out, passphrase, read_only=True)) as check:
                    _quick_check(check)
            encrypted = passphrase is not None
        else:
            if progress is not None:
                progress(0, 1)
            create_private(out)
            export_copy(src, out, passphrase, same_key=passphrase is None)
            if passphrase is None:  # under the live key, which only the live connection holds
                src.execute("ATTACH DATABASE ? AS taskforce_copy", (str(out),))
                try:
                    _quick_check(src, "taskforce_copy")
                finally:
                    src.execute("DETACH DATABASE taskforce_copy")
            else:
                with closing(cipher_connect(out, passphrase, read_only=True)) as check:
                    _quick_check(check)
            encrypted = True
            if progress is not None:
                progress(1, 1)
        crash_point("backup:exported")
        yield out, encrypted


def copy_live(src: Connection, target: Path, passphrase: str | None = None,
              progress: Progress | None = None, *, near: Path | None = None) -> bool:
    """Copy the database ``src`` is connected to into ``target`` (replaced atomically); whether
    the copy is encrypted. ``staged_copy`` says how, and what ``near`` is."""
    with staged_copy(src, target, passphrase, progress, near=near) as (out, encrypted):
        put_in_place(out, target)
    return encrypted


def stage_copy(src: Connection, out: Path, passphrase: str | None = None) -> None:
    """Write a working copy of the backup ``src`` is open on to ``out`` (a new file), as a
    restore puts it in place: plain (a ``-wal`` beside a plain backup is included), or, for an
    encrypted backup and a ``passphrase``, encrypted with it. Self-contained (no ``-wal``)."""
    create_private(out)
    if not is_cipher_connection(src):
        with closing(sqlite3.connect(out)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        return
    export_copy(src, out, passphrase)  # a new attached file: rollback journal already


# --- replacing the database file ---------------------------------------------------------

SIDE_FILES = ("-wal", "-shm", "-journal")


def checkpoint_closed(db_path: Path) -> tuple[str | None, bool]:
    """Before a file nobody has open is replaced: fold its WAL in (best effort) and read its
    database id. Returns (database id or None, whether it looks encrypted)."""
    from taskforce.store.audit_chain import database_id

    if not db_path.exists():
        return None, False
    if not is_plain(db_path):
        return None, file_kind(db_path) == "encrypted"
    try:
        with closing(sqlite3.connect(db_path, timeout=1)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            return database_id(conn), False
    except sqlite3.DatabaseError:  # damaged (why it is being replaced, perhaps): kept as it is
        return None, False


def replace_keeping_aside(db_path: Path, made: Path, aside: Path) -> Path | None:
    """Put ``made`` in place of ``db_path``, keeping the file that was there as ``aside`` (with
    any ``-wal``/``-shm``/``-journal``): ``db_path`` holds the old file or the new one at every
    instant (``files.replace_keeping``). Returns ``aside``, or None when there was no file. On
    failure the file is left as it was and OSError raised."""
    if not db_path.exists():
        put_in_place(made, db_path)
        return None
    moved: list[tuple[Path, Path]] = []
    try:
        # Side files first: a -wal left beside the new file would be replayed into it. The
        # file was checkpointed (``checkpoint_closed``), so they hold nothing it needs.
        for suffix in SIDE_FILES:
            side = Path(f"{db_path}{suffix}")
            if side.exists():
                side.rename(Path(f"{aside}{suffix}"))
                moved.append((Path(f"{aside}{suffix}"), side))
        replace_keeping(made, db_path, aside)
    except OSError:
        if not Path(made).exists() or not db_path.exists():  # pragma: no cover - the rename itself half done
            raise
        Path(aside).unlink(missing_ok=True)  # the copy of the file that stays where it was
        for kept, original in reversed(moved):
            kept.replace(original)
        raise
    for kept, _original in [*moved, (aside, db_path)]:  # the file set aside is a copy the app keeps: its owner's alone
        make_private(kept)
    return aside


# --- a file set aside with nothing in its place ---------------------------------------------

# What a restore, an encryption and a decryption keep of the file they replace (the set-aside).
ASIDE_LABELS = ("before-restore", "before-encrypt", "before-decrypt")


def set_aside_files(db_path: Path) -> list[Path]:
    """The files kept aside next to ``db_path`` by a restore, encrypt or decrypt, newest first
    (``taskforce.sqlite.before-restore-20261123-143501``; not their -wal or -shm)."""
    db_path = Path(db_path)
    found = []
    for label in ASIDE_LABELS:
        for p in db_path.parent.glob(f"{glob_escape(db_path.name)}.{label}*"):
            if p.is_file() and not p.name.endswith(SIDE_FILES):
                found.append(p)
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def put_back(db_path: Path, aside: Path) -> None:
    """Rename ``aside`` (and its side files) back to ``db_path``, where there is no file. The
    caller holds the writer lock. FileExistsError if a file has appeared there meanwhile."""
    if os.path.lexists(db_path):
        raise FileExistsError(errno.EEXIST, "exists", str(db_path))
    for suffix in SIDE_FILES:
        side = Path(f"{aside}{suffix}")
        if side.exists() and not os.path.lexists(f"{db_path}{suffix}"):
            side.rename(Path(f"{db_path}{suffix}"))
    os.rename(aside, db_path)
    fsync_folder(Path(db_path).parent)


class InterruptedSwap(SchemaError):
    """No database at the path, but a file a restore, encrypt or decrypt kept aside: the
    process was interrupted (by an older version: this one never leaves the path empty) or
    the file was moved away. Offered back, never silently replaced by a new file."""

    def __init__(self, message: str, db_path: Path, aside: Path) -> None:
        super().__init__(message)
        self.db_path = db_path
        self.aside = aside


WHAT_WAS_INTERRUPTED = {"before-restore": "restore", "before-encrypt": "encryption",
                        "before-decrypt": "decryption"}


def interrupted_swap(db_path: Path) -> InterruptedSwap | None:
    """The newest file set aside when there is no database at ``db_path``, as the error an
    opening raises; None when there is a file (or nothing set aside)."""
    db_path = Path(db_path)
    if os.path.lexists(db_path):
        return None
    try:
        asides = set_aside_files(db_path)
    except OSError:
        return None
    if not asides:
        return None
    aside = asides[0]
    label = aside.name[len(db_path.name) + 1:]
    what = next((w for k, w in WHAT_WAS_INTERRUPTED.items() if label.startswith(k)), "restore")
    return InterruptedSwap(tr(
        "No database at {path}: an interrupted {what} kept it as {aside}; put it back with "
        "'taskforce restore --put-back' (the app offers to), or move it away to start a new "
        "database.").format(path=db_path, what=tr(what), aside=aside.name), db_path, aside)


def before_open(db_path: Path, create: bool) -> None:
    """What every read-write opening does first (``Database.open``; issue 11): remove the
    staging folders and parts a killed process left next to the database (only those whose
    process has ended, so it needs no lock), and refuse to go on, whether to create a file or
    to open one, where an interrupted swap left only the file set aside."""
    folder = Path(db_path).parent
    if folder.is_dir():
        sweep_stale(folder)
        sweep_parts(folder)
    if (interrupted := interrupted_swap(db_path)) is not None:
        raise interrupted
