"""Copies of the database file, and reading them back (SQLite- and SQLCipher-specific).

The seam behind ``services.backup``: nothing outside this module knows how a copy is made.

- ``copy_live`` copies the open database through the connection the app already holds (a
  stdlib sqlite3 connection, or a sqlcipher3 one already keyed), inside one read transaction,
  so the copy is the database as of one instant however many writers run meanwhile (WAL).
- A copy may be encrypted with its own passphrase (SQLCipher, AES-256): ``ATTACH … KEY ?`` and
  ``sqlcipher_export``. The passphrase is always a bound parameter or handed to
  ``sqlite3_key`` (``set_key``), never spliced into SQL, so no quote in it can break out.
- Every copy is built in a private temporary folder next to its target (same file system, so
  the final rename is atomic) and that folder is removed in ``finally``: no plain temporary
  copy outlives the call. A process killed mid-copy can leave one; ``sweep_stale`` removes
  those left in a folder by an earlier run.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from taskforce.store import cipher
from taskforce.store.files import (
    create_private, make_private, private_folders, private_temp_folder, put_in_place,
)

TEMP_PREFIX = ".taskforce-backup-"
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
    """Remove temporary folders a killed backup or restore left in ``folder``: those whose
    process has ended (POSIX), and any older than ``older_than`` seconds."""
    removed = []
    now = time.time()
    try:
        candidates = [p for p in folder.glob(f"{TEMP_PREFIX}*") if p.is_dir()]
    except OSError:
        return removed
    for leftover in candidates:
        try:
            if now - leftover.stat().st_mtime > older_than or not _owner_alive(leftover.name):
                shutil.rmtree(leftover, ignore_errors=True)
                removed.append(leftover)
        except OSError:
            continue
    return removed


def _owner_alive(name: str) -> bool:
    pid = name[len(TEMP_PREFIX):].split("-", 1)[0]
    if not pid.isdigit() or os.name != "posix":  # on Windows os.kill(pid, 0) would end it
        return True  # unknown: left to the age rule
    if int(pid) == os.getpid():
        return True  # this process's own copy in progress (another thread)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, another user's
        return True
    return True


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


def copy_live(src: Connection, target: Path, passphrase: str | None = None,
              progress: Progress | None = None) -> bool:
    """Copy the database ``src`` is connected to into ``target`` (replaced atomically).

    ``passphrase``: encrypt the copy with it. Without one, a plain source gives a plain copy
    and an encrypted source a copy under the database's own key (never a plain copy of an
    encrypted database). Returns whether the copy is encrypted.
    """
    with staging_dir(target) as folder:
        out = folder / "copy.sqlite"
        if not is_cipher_connection(src):
            plain = folder / "plain.sqlite"
            _plain_copy(src, plain, progress)
            if passphrase is None:
                out = plain
                with closing(sqlite3.connect(out)) as check:
                    _quick_check(check)
            else:
                create_private(out)
                with closing(cipher_connect(plain, None)) as conn:
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
    """Rename ``db_path`` (and any ``-wal``/``-shm``/``-journal``) to ``aside``, then ``made``
    into its place. Returns ``aside``, or None when there was no file. On failure everything
    renamed is put back and OSError raised."""
    if not db_path.exists():
        put_in_place(made, db_path)
        return None
    moved: list[tuple[Path, Path]] = []
    try:
        # side files first: a -wal left beside the new file would be replayed into it
        for suffix in SIDE_FILES:
            side = Path(f"{db_path}{suffix}")
            if side.exists():
                side.rename(Path(f"{aside}{suffix}"))
                moved.append((Path(f"{aside}{suffix}"), side))
        db_path.rename(aside)
        moved.append((aside, db_path))
        put_in_place(made, db_path)
    except OSError:
        for kept, original in reversed(moved):
            kept.replace(original)
        raise
    for kept, _original in moved:  # the file set aside is a copy the app keeps: its owner's alone
        make_private(kept)
    return aside
