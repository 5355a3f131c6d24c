"""Opening the database file: the cheap revision check, the pre-upgrade copy, migration.

Start-up reads the schema revision with plain sqlite3 (a millisecond); Alembic is imported
only when an upgrade is actually needed. An encrypted file (SQLCipher, ``store.cipher``) is
recognised by its missing SQLite header and opened with its passphrase; everything else is
the same.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, event

from taskforce.domain.errors import PassphraseRequired, ReadOnlyDatabase, SchemaError, WrongPassphrase
from taskforce.i18n import tr
from taskforce.store import cipher
from taskforce.store.audit_chain import going_back
from taskforce.store.backup import backup_file, before_open
from taskforce.store.engine import WRITE_OPTION, make_engine
from taskforce.store.files import create_private, private_folders
from taskforce.store.lock import Holder, WriterLock, cannot_write_reason
from taskforce.store.unlock_guard import Clock, Failures, UnlockGuard

# Every revision this version of the app knows, oldest first. A test keeps it in step with
# the migration scripts; a file at a revision not listed here was made by a newer version.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
HEAD_REVISION = KNOWN_REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def read_revision(path: Path, key: cipher.Key | None = None, *, immutable: bool = False) -> str | None:
    """The file's schema revision; None for a new, empty file. Raises SchemaError otherwise.
    ``key``: the file is encrypted (``Database.key``). ``immutable``: on read-only media
    (``make_engine``)."""
    driver = sqlite3 if key is None else cipher.dbapi()
    try:
        conn = (sqlite3.connect(f"file:{path}?mode=ro" + ("&immutable=1" if immutable else ""), uri=True)
                if key is None else cipher.connect(path, key, read_only=True))
    except driver.Error as exc:
        raise SchemaError(tr(f"Cannot open {path}: {exc}.")) from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        if tables:
            raise SchemaError(tr(f"{path} is an SQLite file but not a Taskforce database."))
        return None
    except driver.DatabaseError as exc:
        raise SchemaError(tr(f"{path} is not a Taskforce database ({exc}).")) from exc
    finally:
        conn.close()


def _alembic_config(engine_connection):  # noqa: ANN001, ANN202 - alembic types, imported lazily
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = engine_connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)


@dataclass
class Database:
    path: Path
    engine: Engine
    upgraded_from: str | None = None  # the revision before this open migrated it, if any
    backup_path: Path | None = None
    read_only: bool = False
    holder: Holder | None = None  # read-only: who has the file open for writing, if anyone
    # read-only because nobody may write next to the file (read-only media), in one sentence
    read_only_reason: str | None = None
    lock: WriterLock | None = field(default=None, repr=False)  # read-write: held until close()
    key: cipher.Key | None = field(default=None, repr=False)  # encrypted: the file's key
    unlock_failures: Failures | None = None  # wrong passphrases before this open, not yet audited

    @classmethod
    def open(cls, path: Path, *, create: bool = False, read_only: bool = False,
             passphrase: str | None = None, user: str | None = None,
             clock: Clock | None = None) -> "Database":
        """Open (and if needed upgrade) the file; create it only when ``create`` is set.

        Read-write (the default) takes the writer lock first (``store.lock``): a file another
        copy of Taskforce has open raises DatabaseInUse naming who; ``user`` is the name the
        lock shows to others (default: the OS user). ``read_only`` takes no lock and refuses
        every write, so it can be used while another copy writes.

        ``passphrase`` opens an encrypted file (PassphraseRequired without one, WrongPassphrase
        for a wrong one, TooManyAttempts after five in a row: ``store.unlock_guard``, whose
        ``clock`` this is); a plain file ignores it, and a new file is created encrypted with it.
        """
        path = Path(path)
        if not read_only:  # leftovers of a killed process; an interrupted swap (issue 11)
            before_open(path, create)
        if not path.exists() and (not create or read_only):
            raise SchemaError(tr(f"No database at {path}."))
        if path.is_dir():
            raise SchemaError(tr(f"{path} is a folder, not a database file."))
        lock = None
        if not read_only:
            private_folders(path.parent)  # a new data folder is the user's alone (0700)
            lock = WriterLock(path, user)
            lock.acquire()  # before anything reads or upgrades the file
        try:
            if not read_only:  # 0600 before SQLite first opens it: its -wal and -shm then take the same mode
                create_private(path)
            key, failures = _unlock(path, passphrase, read_only, clock)
            db = cls._open_locked(path, read_only, lock, key)
            db.unlock_failures = failures
            return db
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def _open_locked(cls, path: Path, read_only: bool, lock: WriterLock | None,
                     key: cipher.Key | None) -> "Database":
        # Read-only media: SQLite cannot make the -shm a WAL file needs to be read, so a file
        # without a -wal is read as immutable (nothing can change it there anyway).
        reason = cannot_write_reason(path) if read_only else None
        immutable = reason is not None and key is None and not _side_file(path, "-wal").exists()
        revision = read_revision(path, key, immutable=immutable)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise SchemaError(tr(
                f"{path.name} was made by a newer version of Taskforce (schema {revision}); "
                f"this version knows up to {HEAD_REVISION}. The file was left untouched."
            ))
        if read_only:
            if revision != HEAD_REVISION:
                raise SchemaError(tr(
                    f"{path.name} needs an upgrade to schema {HEAD_REVISION}, which cannot be "
                    f"done read-only; open it when no other copy of Taskforce has it open."))
            engine = make_engine(path, key, immutable=immutable)
            event.listen(engine, "connect", _query_only)
            return cls(path=path, engine=engine, upgraded_from=revision, read_only=True,
                       holder=None if reason else WriterLock(path).holder(), key=key,
                       read_only_reason=reason)
        backup = None
        if revision is not None and revision != HEAD_REVISION:
            # issue 11 §4: a file older than this workstation last saw it at this path was taken
            # back (its chain stripped, to be chained anew with forged rows): never upgraded
            if (back := going_back(path, revision)) is not None:
                raise SchemaError(back)
            # a copy of the old schema first, so a failed upgrade never costs a record
            backup = backup_file(path, path.with_name(f"{path.name}.pre-upgrade-{revision}"),
                                 key.passphrase if key else None)
        db = cls(path=path, engine=make_engine(path, key), upgraded_from=revision, backup_path=backup,
                 lock=lock, key=key)
        if revision != HEAD_REVISION:
            try:
                upgrade(db.engine)
            except BaseException:
                db.engine.dispose()
                raise
        return db

    @property
    def read_only_message(self) -> str:
        if self.read_only_reason is not None:
            return tr("{reason}; your change was not saved.").format(reason=self.read_only_reason)
        if self.holder is not None:
            return tr(f"This file is open read-only because {self.holder.user} on "
                      f"{self.holder.host} has it open; your change was not saved.")
        return tr("This file is open read-only; your change was not saved.")

    @property
    def writer(self) -> Engine:
        """The engine for writes: its transactions begin IMMEDIATE."""
        if self.read_only:
            raise ReadOnlyDatabase(self.read_only_message)
        return self.engine.execution_options(**{WRITE_OPTION: True})

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def check_passphrase(self, passphrase: str, clock: Clock | None = None) -> None:
        """The session lock: WrongPassphrase unless ``passphrase`` is the open file's; counted
        towards the lockout like a wrong one at opening (the file being open, the caller
        audits each failure itself, so none is kept for the next open)."""
        key = self.key
        if key is None:
            raise PassphraseRequired(tr(f"{self.path.name} is not encrypted; it has no passphrase."))

        def compare() -> None:
            if not key.matches(passphrase):
                raise WrongPassphrase(tr(f"The passphrase does not open {self.path.name}."))

        UnlockGuard(self.path, clock=clock).attempt(compare, audited=not self.read_only)

    def convert(self, passphrase: str | None,
                progress: Callable[[str], None] | None = None) -> cipher.Converted:
        """Encrypt the open file with ``passphrase``, or decrypt it (None), in place: its
        connections are closed, ``cipher.convert`` rewrites it, and the engine is made anew.
        The writer lock is held throughout, so no other copy of Taskforce slips in."""
        if self.read_only:
            raise ReadOnlyDatabase(self.read_only_message)
        self.engine.dispose()  # the engine stays usable: a failed conversion changes nothing
        done = cipher.convert(self.path, self.key, passphrase, progress)
        self.engine.dispose()
        self.key = done.key
        self.engine = make_engine(self.path, self.key)
        return done

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def _unlock(path: Path, passphrase: str | None, read_only: bool,
            clock: Clock | None) -> tuple[cipher.Key | None, Failures | None]:
    """An encrypted file's key (None for a plain file), and the failures to audit. A new,
    empty file given a passphrase is made an empty encrypted database."""
    kind = cipher.file_kind(path)
    if kind == "empty" and passphrase and not read_only:
        return cipher.create(path, passphrase), None
    if kind != "encrypted":
        return None, None  # plain; or not a database at all, which read_revision says
    if not passphrase:
        raise PassphraseRequired(tr(f"{path.name} is encrypted: its passphrase is needed to open it."))
    guard = UnlockGuard(path, clock=clock)
    key = guard.attempt(lambda: cipher.unlock(path, passphrase))
    return key, guard.pending()


def _side_file(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _query_only(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Read-only: SQLite itself refuses any write on these connections, so nothing reaches the
    # file even past the services' check (and no BEGIN IMMEDIATE ever blocks the writer).
    dbapi_conn.execute("PRAGMA query_only = ON")
