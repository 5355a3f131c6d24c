"""Encryption at rest with SQLCipher (issue 6 §5, CJIS SC-28): the seam. No Qt.

What the app knows about SQLCipher is here: how an encrypted file is recognised, how a
connection to it is keyed, how a file is converted either way, and the count of wrong
passphrases (``UnlockGuard``, CJIS AC-7). ``store.engine`` builds an encrypted file's engine
from ``connect``; a plain file never goes further than ``file_kind`` (16 bytes read) and keeps
the stdlib sqlite3 driver.

The key. SQLCipher 4 turns a passphrase into a 256-bit AES key with PBKDF2-HMAC-SHA512,
256,000 iterations, over the 16-byte salt at the start of the file: about 0.2 s, on purpose
(it is what makes guessing slow for whoever has a copy of the file). ``unlock`` derives it
once (hashlib runs the same computation) and keys every connection with the raw key
(``x'…'``), so a new pooled connection costs a millisecond rather than another 0.2 s. A file
made with other settings (SQLCipher 3) still opens, keyed with the passphrase every time.

The passphrase and the key are never spliced into SQL: ``set_key`` hands them to
``sqlite3_key`` and ``ATTACH … KEY ?`` binds them. ``Key`` never prints them.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from taskforce.domain.errors import DatabaseInUse, TaskforceError, WrongPassphrase
from taskforce.i18n import tr
from taskforce.store.files import (
    crash_point, create_private, overwrite, private_temp_folder, replace_keeping,
)

SQLITE_HEADER = b"SQLite format 3\x00"
# SQLCipher 4's defaults (cipher_compatibility 4): what ``_derive`` computes.
KDF_ITERATIONS = 256_000
SALT_BYTES = 16
KEY_BYTES = 32
BUSY_MS = 2000
STAGING_PREFIX = ".taskforce-convert-"

Connection = Any  # sqlcipher3.dbapi2.Connection (the DB-API 2 of pysqlite)


class ConversionFailed(TaskforceError):
    """The converted copy did not check out; the original file was left as it was."""


def dbapi():  # noqa: ANN201 - the sqlcipher3.dbapi2 module
    """sqlcipher3's DB-API module (imported only when an encrypted file is used)."""
    from sqlcipher3 import dbapi2

    return dbapi2


# --- what a file is -----------------------------------------------------------------------

def file_kind(path: Path) -> str:
    """"sqlite" (plain), "empty" (or missing), "encrypted" (no SQLite header, whole pages: a
    SQLCipher file), or "other" (neither: a text file, a PDF, half a download)."""
    try:
        size = path.stat().st_size
        if size == 0:
            return "empty"
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return "empty"
    if head == SQLITE_HEADER:
        return "sqlite"
    # SQLCipher pages are 512 to 65536 bytes and the file is whole pages.
    return "encrypted" if size >= 512 and size % 512 == 0 else "other"


def is_encrypted(path: Path) -> bool:
    try:
        return file_kind(Path(path)) == "encrypted"
    except OSError:
        return False


# --- keys and connections -----------------------------------------------------------------

class Key:
    """A file's passphrase, and the raw key SQLCipher derives from it (``spec``)."""

    __slots__ = ("_passphrase", "_spec")

    def __init__(self, passphrase: str, spec: str | None = None) -> None:
        self._passphrase = passphrase
        self._spec = spec

    @property
    def passphrase(self) -> str:
        return self._passphrase

    @property
    def spec(self) -> str:
        """What ``sqlite3_key`` gets: the raw key ``x'…'`` when known, else the passphrase."""
        return self._spec or self._passphrase

    def matches(self, passphrase: str) -> bool:
        """Constant-time comparison with another passphrase (the session lock)."""
        return hmac.compare_digest(_digest(passphrase), _digest(self._passphrase))

    def __repr__(self) -> str:
        return "Key(…)"


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


# (salt, SHA-256 of the passphrase) → raw key, for keys that opened a file: reopening a file
# (the session lock, a test's fresh copy of one template) skips the 0.2 s derivation.
_DERIVED: dict[tuple[bytes, bytes], str] = {}
_DERIVED_MAX = 16


def _derive(salt: bytes, passphrase: str) -> str:
    cached = _DERIVED.get((salt, _digest(passphrase)))
    if cached is not None:
        return cached
    raw = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
    return f"x'{raw.hex()}'"


def connect(path: Path, key: Key | None, *, read_only: bool = False) -> Connection:
    """A sqlcipher3 connection on ``path`` keyed with ``key`` before anything reads the file
    (None: a plain file through SQLCipher, for converting it). Usable from any thread, in
    autocommit mode like the app's stdlib connections."""
    target = f"file:{quote(Path(path).as_posix())}" + ("?mode=ro" if read_only else "")
    conn = dbapi().connect(target, uri=True, isolation_level=None, check_same_thread=False)
    try:
        if key is not None:
            conn.set_key(key.spec)  # sqlite3_key: first, and no SQL quoting involved
        # a wrong key is one sentence of ours, not SQLCipher's log lines on stderr
        conn.execute("PRAGMA cipher_log_level = NONE")
    except BaseException:
        conn.close()
        raise
    return conn


def _opens(path: Path, spec: str) -> bool:
    conn = connect(path, Key(spec))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except dbapi().OperationalError:
        raise  # locked, unreadable: not a question of the key
    except dbapi().DatabaseError:  # "file is not a database": the key does not decrypt page 1
        return False
    finally:
        conn.close()


def unlock(path: Path, passphrase: str) -> Key:
    """The key of the encrypted file at ``path``, or WrongPassphrase (one sentence)."""
    path = Path(path)
    with open(path, "rb") as f:
        salt = f.read(SALT_BYTES)
    spec = _derive(salt, passphrase)
    if _opens(path, spec):
        if len(_DERIVED) >= _DERIVED_MAX:
            _DERIVED.pop(next(iter(_DERIVED)))
        _DERIVED[(salt, _digest(passphrase))] = spec
        return Key(passphrase, spec)
    if passphrase and _opens(path, passphrase):  # other KDF settings: derived per connection
        return Key(passphrase)
    raise WrongPassphrase(tr("The passphrase does not open {name}.").format(name=path.name))


def create(path: Path, passphrase: str) -> Key:
    """Make the empty (or missing) file at ``path`` an empty SQLCipher database in WAL mode."""
    with closing(connect(path, Key(passphrase))) as conn:
        conn.execute("PRAGMA journal_mode=WAL")  # writes page 1, and with it the salt
    return unlock(path, passphrase)


# --- converting a file ----------------------------------------------------------------------

@dataclass(frozen=True)
class Converted:
    key: Key | None  # the file's key now (None: it is plain now)
    aside: Path  # the file as it was before, kept next to it
    tables: int
    rows: int
    seconds: float


def write_copy(source: Path, key: Key | None, target: Path, passphrase: str | None) -> None:
    """Export everything in ``source`` into a new file ``target``, encrypted with
    ``passphrase`` (None: plain). Used for a test's encrypted template and the benchmark."""
    create_private(target)
    with closing(connect(source, key)) as src:
        src.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        _export(src, target, passphrase)


def _export(conn: Connection, target: Path, passphrase: str | None) -> None:
    # KEY '' makes a plain copy; ATTACH without KEY would copy the source's own key.
    conn.execute("ATTACH DATABASE ? AS taskforce_converted KEY ?", (str(target), passphrase or ""))
    try:
        conn.execute("BEGIN")  # one snapshot, and one sync instead of one per table
        try:
            conn.execute("SELECT sqlcipher_export('taskforce_converted')").fetchall()
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("DETACH DATABASE taskforce_converted")


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows of every stored table (FTS5 shadow tables included; virtual tables have none)."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0 ORDER BY name")]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608


def _fingerprint(conn: Connection) -> tuple:
    schema = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())
    try:
        last = conn.execute("SELECT id, row_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    except dbapi().OperationalError:  # not a Taskforce file at schema 0005 yet
        last = None
    return table_counts(conn), schema, last


def _leave_wal(conn: Connection, path: Path) -> None:
    """Fold the WAL into the file and switch to a rollback journal: SQLite allows it only
    when no other connection has the file open (a read-only copy of Taskforce, a command)."""
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except dbapi().OperationalError:
        mode = None
    if mode != "delete":
        raise DatabaseInUse(tr(
            "{name} is open in another program (a read-only copy of Taskforce or a command, "
            "perhaps); close it, then try again. Nothing was changed.").format(name=path.name))


def convert(path: Path, key: Key | None, passphrase: str | None,
            progress: Callable[[str], None] | None = None) -> Converted:
    """Rewrite the file at ``path`` encrypted with ``passphrase``, or plain when it is None.

    The caller holds the writer lock and has closed its own connections. The new file is
    made in a private folder next to the file, checked (integrity, the same schema, the same
    number of rows in every table, the same last audit row), and renamed into place; the old
    file is kept as ``<name>.before-encrypt`` (``.before-decrypt``). Anything that fails
    leaves the file as it was (ConversionFailed, DatabaseInUse, OSError).
    """
    path = Path(path)
    started = time.monotonic()
    encrypting = passphrase is not None
    say = progress or (lambda _step: None)
    # the process id in its name: a folder a killed conversion left is swept at the next open
    folder = private_temp_folder(path, f"{STAGING_PREFIX}{os.getpid()}-")
    try:
        made = folder / "converted.sqlite"
        create_private(made)  # 0600 before SQLCipher writes it (and its journal) a page
        with closing(connect(path, key)) as src:
            src.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            _leave_wal(src, path)
            say(tr("copying"))
            _export(src, made, passphrase)
            before = _fingerprint(src)
        say(tr("checking"))
        new_key = unlock(made, passphrase) if encrypting else None
        with closing(connect(made, new_key)) as out:
            integrity = [r[0] for r in out.execute("PRAGMA integrity_check(5)")]
            after = _fingerprint(out)
            if integrity != ["ok"] or after != before:
                why = _difference(before, after, integrity)
                raise ConversionFailed((tr(
                    "The encrypted copy of {name} did not check out ({why}); {name} was left as "
                    "it was.") if encrypting else tr(
                    "The decrypted copy of {name} did not check out ({why}); {name} was left as "
                    "it was.")).format(name=path.name, why=why))
            out.execute("PRAGMA journal_mode=WAL")
        crash_point("convert:exported")
        aside = _aside_name(path, "before-encrypt" if encrypting else "before-decrypt")
        # the path holds the old file or the new one at every instant; the copy kept aside is
        # private (and plain, for .before-encrypt)
        replace_keeping(made, path, aside)
    finally:
        if not encrypting:  # a decrypted copy that did not go in place: not left readable
            for leftover in folder.iterdir():
                overwrite(leftover)
        shutil.rmtree(folder, ignore_errors=True)  # a plain copy never outlives the call
    counts = before[0]
    return Converted(key=new_key, aside=aside, tables=len(counts), rows=sum(counts.values()),
                     seconds=time.monotonic() - started)


def _difference(before: tuple, after: tuple, integrity: list[str]) -> str:
    if integrity != ["ok"]:
        return integrity[0]
    for name, n in before[0].items():
        if after[0].get(name) != n:
            return tr("{table}: {n:,} rows, the copy {copied:,}").format(
                table=name, n=n, copied=after[0].get(name, 0))
    return tr("the schema or the audit log differs")


def _aside_name(path: Path, label: str) -> Path:
    aside, n = path.with_name(f"{path.name}.{label}"), 2
    while aside.exists():
        aside, n = path.with_name(f"{path.name}.{label}-{n}"), n + 1
    return aside


def shred(path: Path) -> None:
    """Overwrite the file with zeros, flush, then delete it (and its -wal/-shm/-journal).

    Best effort only: an SSD, a copy-on-write or journaling file system, a snapshot or a
    backup may keep the old blocks (docs/reliability.md says so).
    """
    for victim in (Path(f"{path}{s}") for s in ("-wal", "-shm", "-journal", "")):
        if not victim.exists():
            continue
        size = victim.stat().st_size
        with open(victim, "r+b") as f:
            zeros = bytes(1 << 20)
            for _ in range(0, size, len(zeros)):
                f.write(zeros)
            f.truncate(size)
            f.flush()
            os.fsync(f.fileno())
        victim.unlink()


def plain_copies(path: Path) -> list[Path]:
    """Plain (unencrypted) copies of the database that conversion leaves alone: pre-upgrade
    and before-restore copies next to it, the plain copy kept aside, automatic backups."""
    path = Path(path)
    found = [p for p in path.parent.glob(f"{path.name}.*") if p.is_file()]
    backups = path.parent / "backups"
    if backups.is_dir():
        found += [p for p in backups.glob(f"{path.stem}-*.sqlite") if p.is_file()]
    return sorted(p for p in found if file_kind(p) == "sqlite")
