"""Backups that restore (issue 6 §3; CJIS CP-9 protected backups). No Qt.

- ``backup``: a consistent copy of the open database while the app runs, optionally
  encrypted with its own passphrase; the copy is audited as an export of the whole database.
- ``auto_backup``: on close, at most one a day into ``backups/`` next to the database file,
  the last N kept (setting ``backup_keep``).
- ``check_backup``: is this file a backup this app can restore? (an SQLite or SQLCipher
  database, integrity, a schema not newer than the app, its audit chain).
- ``restore``: check first; keep the current file aside; put the backup in place; open it;
  anchor this workstation's audit record to the restored chain. Anything refused leaves the
  current file as it was.

How copies are made (the SQLite backup API, SQLCipher export) lives in ``store.backup``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import exc as sa_exc

from taskforce.domain.errors import DatabaseInUse, ReadOnlyDatabase, TaskforceError
from taskforce.i18n import tr
from taskforce.services.context import Actor, Context
from taskforce.store import audit_chain as chain
from taskforce.store import backup as store
from taskforce.store.audit_chain import ChainReport
from taskforce.store.backup import InterruptedSwap
from taskforce.store.database import HEAD_REVISION, KNOWN_REVISIONS, Database
from taskforce.store.files import (
    OutputIsDatabase, crash_point, private_folders, put_in_place, refuse_database_as_output,
)
from taskforce.store.lock import Holder, WriterLock

log = logging.getLogger(__name__)

AUTO_FOLDER = "backups"
MIN_PASSPHRASE = 8
# what a check counts, by table (the numbers a person recognizes their data by)
COUNTED = (("cases", "case_file"), ("subjects", "subject"), ("members", "member"),
           ("agencies", "agency"), ("notes", "case_note"), ("audit rows", "audit_log"))
SINGULAR = {"cases": "case", "subjects": "subject", "members": "member", "agencies": "agency",
            "notes": "note", "audit rows": "audit row"}
CHAINED_FROM = "0005"  # the first revision whose audit log is hash-chained


class BackupRefused(TaskforceError):
    """A backup that cannot be made, or a file that cannot be restored; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    encrypted: bool
    size: int
    seconds: float


@dataclass(frozen=True)
class BackupCheck:
    """What a restore would put in place; ``ok`` False with ``problem`` saying why not."""

    path: Path
    ok: bool
    problem: str = ""
    needs_passphrase: bool = False  # encrypted (or not a database): ask, then check again
    encrypted: bool = False
    revision: str | None = None
    made: str = ""  # the file's time, local: "2026-11-23 14:05"
    last_change: str = ""  # the newest audit row's time (UTC)
    counts: dict[str, int] = field(default_factory=dict)
    audit: ChainReport | None = None
    database_id: str | None = None

    @property
    def audit_unchecked(self) -> bool:
        """A backup older than the audit chain: what its audit log holds cannot be checked."""
        return self.ok and self.audit is None

    @property
    def warning(self) -> str:
        """What a person must accept before restoring it ("" when nothing)."""
        if not self.audit_unchecked:
            return ""
        return tr("Its audit log cannot be checked: schema {revision} predates the audit chain, so "
                  "whatever it holds is taken as it is (and chained from then on).").format(revision=self.revision)

    @property
    def audit_text(self) -> str:
        if self.audit is None:
            return tr("cannot be checked (schema {revision} predates the chain; chained when "
                      "restored)").format(revision=self.revision)
        if self.audit.ok:
            return tr("intact ({rows:,} rows)").format(rows=self.audit.rows)
        return tr("broken at {where}: {reason}").format(where=self.audit.where, reason=self.audit.reason)

    def refusal(self, db_name: str | None = None) -> str:
        """"Not restored: <problem> taskforce.sqlite was left untouched." (one line)."""
        problem = self.problem
        if problem.startswith(("The ", "There ")):  # inside the sentence; names keep their case
            problem = problem[0].lower() + problem[1:]
        if db_name:
            return tr("Not restored: {problem} {name} was left untouched.").format(problem=problem, name=db_name)
        return tr("Not restored: {problem}").format(problem=problem)

    def summary(self) -> list[str]:
        """The lines a person reads before saying yes."""
        if not self.ok:
            return [self.problem]
        records = ", ".join(f"{n:,} {SINGULAR.get(k, k) if n == 1 else k}" for k, n in self.counts.items())
        if self.last_change:
            made = (tr("Backup of {made} (last change {last}), encrypted") if self.encrypted
                    else tr("Backup of {made} (last change {last})"))
        else:
            made = tr("Backup of {made}, encrypted") if self.encrypted else tr("Backup of {made}")
        schema = (tr("Schema {revision}") if self.revision == HEAD_REVISION
                  else tr("Schema {revision} (upgraded to {head} when restored)"))
        return [made.format(made=self.made, last=self.last_change),
                schema.format(revision=self.revision, head=HEAD_REVISION),
                tr("Records: {records}").format(records=records),
                tr("Audit chain: {audit}").format(audit=self.audit_text)]


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    aside: Path | None  # the file that was there before, kept; None on a new workstation
    check: BackupCheck
    audit: ChainReport
    upgraded_from: str | None = None
    notes: tuple[str, ...] = ()
    encrypted: bool = False  # the restored file is encrypted (with the backup's passphrase)


# --- making backups ----------------------------------------------------------------------

def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupRefused(tr("A backup passphrase needs at least {n} characters.").format(n=MIN_PASSPHRASE))
    if "\x00" in passphrase:
        raise BackupRefused(tr("A backup passphrase cannot contain a NUL character."))


def backup(ctx: Context, target: Path, passphrase: str | None = None, *, overwrite: bool = False,
           progress: store.Progress | None = None, audit: bool = True) -> BackupResult:
    """Copy the open database to ``target`` while it stays in use; encrypt with ``passphrase``.

    Without a passphrase the copy is protected like the database: plain for a plain file,
    under the database's own key for an encrypted one. Audited as an export (``audit``).
    """
    target = Path(target).expanduser()
    if passphrase is not None:
        check_new_passphrase(passphrase)
    live = ctx.db.path
    try:
        refuse_database_as_output(target, live)  # its -wal, -shm, .lock too, through any link
    except OutputIsDatabase as exc:
        raise BackupRefused(str(exc)) from None
    if target.is_dir():
        raise BackupRefused(tr("{path} is a folder; give a file name for the backup.").format(path=target))
    if target.exists() and not overwrite:
        raise BackupRefused(tr("{path} already exists; choose another name.").format(path=target))
    if audit and ctx.db.read_only:  # every backup is an audited export, and this copy cannot write
        holder = ctx.db.holder
        who = (tr("{user} on {host}").format(user=holder.user, host=holder.host) if holder is not None
               else tr("another copy of Taskforce"))
        raise BackupRefused(tr(
            "Not backed up: {who} has the file open, and every backup is recorded in its audit "
            "log; back it up there (File → Back up…), or again when it is closed.").format(who=who))
    store.sweep_stale(target.parent)
    started = time.monotonic()
    raw = ctx.db.engine.raw_connection()
    try:
        with store.staged_copy(raw.driver_connection, target, passphrase, progress, near=live) as (made, encrypted):
            raw.close()  # the copy is made: the connection goes back before the log is written
            raw = None
            if audit:
                _log_and_place(ctx, made, target, encrypted)
            else:
                put_in_place(made, target)
    except OSError as exc:
        raise BackupRefused(tr("Could not write {path}: {error}.").format(
            path=target, error=exc.strerror or exc)) from exc
    except store.cipher_errors() as exc:
        raise BackupRefused(tr("The backup could not be made: {error}. Nothing was written.").format(
            error=exc)) from exc
    finally:
        if raw is not None:
            raw.close()
    return BackupResult(path=target, encrypted=encrypted, size=target.stat().st_size,
                        seconds=time.monotonic() - started)


def _log_and_place(ctx: Context, made: Path, target: Path, encrypted: bool) -> None:
    """Log the backup in the release log (a copy of everything leaves: an export of the whole
    database, with its audit row) as pending, rename it into place, mark it done (issue 11
    §5: a backup is never in place without its entry)."""
    from taskforce.services import release

    digest = hashlib.sha256()
    with open(made, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    title = (tr("Backup of {name}, encrypted") if encrypted else tr("Backup of {name}")).format(name=ctx.db.path.name)
    produced = release.Produced(release.BACKUP, title, "", str(target.resolve()), digest.hexdigest())
    try:
        release.release_file(ctx, produced, release.Screen(None, None), lambda: put_in_place(made, target))
    except (TaskforceError, sa_exc.DBAPIError) as exc:  # e.g. busy past the timeout: nothing in place
        if isinstance(exc, BackupRefused):
            raise
        raise BackupRefused(tr("The backup could not be recorded in the audit log ({error}); nothing was "
                               "written.").format(error=exc)) from exc


def auto_folder(db_path: Path) -> Path:
    """``backups`` next to the database file (the data folder for the default database)."""
    return Path(db_path).parent / AUTO_FOLDER


def auto_backups(db_path: Path) -> list[Path]:
    """This database's automatic backups, oldest first (``taskforce-2026-11-23.sqlite``)."""
    pattern = re.compile(re.escape(Path(db_path).stem) + r"-\d{4}-\d{2}-\d{2}\.sqlite")
    folder = auto_folder(db_path)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name) and p.is_file())


def auto_backup(ctx: Context, keep: int | None = None, today: date | None = None) -> Path | None:
    """The day's automatic backup, made on close: None when today's exists already.

    Keeps the newest ``keep`` (default: the ``backup_keep`` setting) and removes older ones.
    Not audited (it is a copy on the same workstation, like the pre-upgrade copy). Raises
    BackupRefused when it cannot be written; the caller decides whether closing goes on.
    """
    if keep is None:
        from taskforce.settings import load_settings

        keep = load_settings().backup_keep
    keep = max(1, keep)
    day = today or ctx.today()
    target = auto_folder(ctx.db.path) / f"{ctx.db.path.stem}-{day.isoformat()}.sqlite"
    made = None
    if not target.exists():
        made = backup(ctx, target, overwrite=True, audit=False).path
    for old in auto_backups(ctx.db.path)[:-keep]:
        try:
            old.unlink()
        except OSError as exc:
            log.warning("could not remove the old automatic backup %s: %s", old, exc)
    return made


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


# --- checking a backup --------------------------------------------------------------------

class _Raw:
    """Lets ``audit_chain.verify`` walk a chain on a bare connection of either driver."""

    def __init__(self, conn: object) -> None:
        self.connection = type("_C", (), {"driver_connection": conn})()


def check_backup(path: Path, passphrase: str | None = None) -> BackupCheck:
    """Everything a restore checks, read-only; never raises for a bad file (``ok`` False)."""
    path = Path(path).expanduser()
    conn, refused = _open(path, passphrase)
    if refused is not None:
        return refused
    return _inspect_and_close(conn, path, store.is_cipher_connection(conn))


def _open(path: Path, passphrase: str | None) -> tuple[object, BackupCheck | None]:
    """A read-only connection on the backup, or (None, why there is none)."""
    name = path.name

    def no(problem: str, **kw: object) -> tuple[None, BackupCheck]:
        return None, BackupCheck(path, False, problem, **kw)

    if not path.exists():
        return no(tr("There is no file {path}.").format(path=path))
    if path.is_dir():
        return no(tr("{path} is a folder, not a backup.").format(path=path))
    kind = store.file_kind(path)
    if kind == "empty":
        return no(tr("{name} is empty: it is not a backup.").format(name=name))
    if kind == "other":
        return no(tr("{name} is not a database (nor an encrypted one).").format(name=name))
    if kind == "encrypted" and not passphrase:
        return no(tr("{name} is encrypted (or is not a database): its passphrase is needed.").format(name=name),
                  needs_passphrase=True, encrypted=True)
    try:
        return store.open_copy(path, passphrase if kind == "encrypted" else None), None
    except store.WrongPassphrase:
        return no(tr("The passphrase does not open {name} (or it is not a Taskforce backup).").format(name=name),
                  needs_passphrase=True, encrypted=True)
    except store.cipher_errors() as exc:
        return no(tr("{name} cannot be read as a database ({error}).").format(name=name, error=exc))
    except OSError as exc:
        return no(tr("{name} cannot be read ({error}).").format(name=name, error=exc.strerror or exc))


def _inspect_and_close(conn: object, path: Path, encrypted: bool) -> BackupCheck:
    """Check what ``conn`` is open on, reported as the backup ``path``."""
    made = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    try:
        return _inspect(conn, path, encrypted, made)
    except store.cipher_errors() as exc:
        return BackupCheck(path, False, tr("{name} is damaged ({error}).").format(name=path.name, error=exc),
                           encrypted=encrypted, made=made)
    finally:
        conn.close()


def _inspect(conn: object, path: Path, encrypted: bool, made: str) -> BackupCheck:
    name = path.name
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "alembic_version" not in tables:
        return BackupCheck(path, False, tr("{name} is a database but not a Taskforce backup.").format(name=name),
                           encrypted=encrypted, made=made)
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = row[0] if row else None
    if revision not in KNOWN_REVISIONS:
        return BackupCheck(path, False, tr(
            "{name} was made by a newer version of Taskforce (schema {revision}); this version "
            "knows up to {head}.").format(name=name, revision=revision, head=HEAD_REVISION),
            encrypted=encrypted, made=made, revision=revision)
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    if integrity != ["ok"]:
        return BackupCheck(path, False, tr("{name} is damaged: {problem}.").format(name=name, problem=integrity[0]),
                           encrypted=encrypted, made=made, revision=revision)
    counts = {label: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
              for label, table in COUNTED if table in tables}
    last = conn.execute("SELECT max(at) FROM audit_log").fetchone()[0] if "audit_log" in tables else None
    last_change = f"{last[:10]} {last[11:16]} UTC" if last else ""  # stored as 2026-11-23T10:02:11Z
    report, db_id = None, None
    if revision >= CHAINED_FROM:
        db_id = chain.database_id(conn)
        report = chain.verify(_Raw(conn))
        if not report.ok:
            return BackupCheck(path, False, tr(
                "The audit log in {name} is broken at {where}: {reason}.").format(
                name=name, where=report.where, reason=report.reason),
                encrypted=encrypted, made=made, revision=revision, counts=counts, audit=report,
                database_id=db_id)
    from taskforce.store.schema_check import schema_problem  # issue 11 §3: nothing extra or missing

    if problem := schema_problem(conn, revision, name):
        return BackupCheck(path, False, problem, encrypted=encrypted, made=made, revision=revision,
                           counts=counts, audit=report, database_id=db_id)
    return BackupCheck(path, True, encrypted=encrypted, revision=revision, made=made,
                       last_change=last_change, counts=counts, audit=report, database_id=db_id)


# --- restoring ----------------------------------------------------------------------------

def restore(target: Context | Path, backup_path: Path, passphrase: str | None = None, *,
            keep_encrypted: bool | None = None, user: str | None = None) -> RestoreResult:
    """Put a backup in place of the database, after checking it; the current file is kept aside.

    ``target``: a path (the command line; the file may not exist yet, on a new workstation),
    or the open database's Context (the app): then ``ctx.db`` is closed in every case, restored
    or refused, and the caller opens the file again. The writer lock is held from before the
    check to after the swap, so no other copy slips in; another copy holding the file refuses
    the restore (DatabaseInUse). What is checked is the working copy that goes in place, not
    the backup file, which could change meanwhile. An encrypted backup stays encrypted under
    its passphrase when ``keep_encrypted`` asks for it; by default (None) when the file it
    replaces is encrypted, so restoring never quietly leaves a plain file where an encrypted
    one was. Otherwise the restored file is plain.
    """
    backup_path = Path(backup_path).expanduser()
    ctx = target if isinstance(target, Context) else None
    db_path = Path(ctx.db.path if ctx else target).expanduser()
    if keep_encrypted is None:
        keep_encrypted = ctx.db.encrypted if ctx is not None else store.file_kind(db_path) == "encrypted"
    lock = None
    try:
        if _same_file(backup_path, db_path):
            raise BackupRefused(tr("{name} is the database itself; choose a backup.").format(name=backup_path.name))
        if ctx is not None and ctx.db.read_only:
            raise ReadOnlyDatabase(ctx.db.read_only_message)
        if ctx is None:
            private_folders(db_path.parent)  # a new workstation's data folder: 0700
            lock = _lock(db_path, user)
        store.sweep_stale(db_path.parent)
        with store.staging_dir(db_path) as folder:
            staged = folder / "restored.sqlite"
            check, keep_encrypted = _stage(backup_path, passphrase, staged, keep_encrypted, db_path.name)
            if ctx is not None:
                old_id, was_encrypted = _checkpoint_open(ctx)
                lock, ctx.db.lock = ctx.db.lock, None  # ours now: held until after the swap
                ctx.db.close()
            else:
                old_id, was_encrypted = store.checkpoint_closed(db_path)
            aside_name = _aside_name(db_path)
            # the anchor goes with the file set aside before the swap, so a kill at any step
            # leaves no anchor at the path that the file there does not match
            anchors = _anchor_aside(old_id, db_path, aside_name) if db_path.exists() else {}
            try:
                aside = store.replace_keeping_aside(db_path, staged, aside_name)
            except OSError as exc:
                _anchors_back(db_path, anchors)
                raise BackupRefused(tr("Not restored: {name} could not be replaced ({error}); it was "
                                       "left as it was.").format(name=db_path.name,
                                                                 error=exc.strerror or exc)) from exc
    finally:
        if ctx is not None:
            ctx.db.close()
        if lock is not None:
            lock.release()
    crash_point("restore:swapped")
    try:
        db = Database.open(db_path, user=user, passphrase=passphrase if keep_encrypted else None)
    except TaskforceError as exc:
        raise BackupRefused((tr("{name} was restored but does not open: {error} The previous file is "
                                "kept as {aside}.") if aside else tr(
            "{name} was restored but does not open: {error}")).format(
            name=db_path.name, error=exc, aside=aside.name if aside else "")) from exc
    try:
        from taskforce.services.audit import reanchor

        audit = reanchor(Context(db=db, actor=Actor.current(user)))
    finally:
        db.close()
    notes = ()
    if was_encrypted and not keep_encrypted:
        notes = (tr("{name} was encrypted; the restored file is not. Encrypt it again (taskforce "
                    "encrypt) before working in it.").format(name=db_path.name),)
    return RestoreResult(path=db_path, aside=aside, check=check, audit=audit,
                         upgraded_from=check.revision if check.revision != HEAD_REVISION else None,
                         notes=notes, encrypted=keep_encrypted)


def ensure_not_in_use(db_path: Path) -> None:
    """DatabaseInUse now if another copy of Taskforce has the file open (the command line asks
    before a long check; ``restore`` takes the lock itself in any case)."""
    if Path(db_path).parent.is_dir():
        _lock(Path(db_path), None).release()


def _lock(db_path: Path, user: str | None) -> WriterLock:
    """The writer lock, or DatabaseInUse saying who has the file open (never replaced under them)."""
    lock = WriterLock(db_path, user)
    try:
        lock.acquire()
    except DatabaseInUse as exc:
        who = (tr("by {holder}").format(holder=exc.holder.describe()) if isinstance(exc.holder, Holder)
               else tr("in another copy"))
        raise DatabaseInUse(tr("Not restored: {name} is open in Taskforce {who}; close it there first. "
                               "{name} was left untouched.").format(name=db_path.name, who=who),
                            exc.holder) from exc
    return lock


def _stage(backup_path: Path, passphrase: str | None, staged: Path, keep_encrypted: bool,
           db_name: str) -> tuple[BackupCheck, bool]:
    """Copy the backup to ``staged`` and check that copy; BackupRefused when it will not do."""
    conn, refused = _open(backup_path, passphrase)
    if refused is not None:
        raise BackupRefused(refused.refusal(db_name))
    encrypted = store.is_cipher_connection(conn)
    keep = keep_encrypted and encrypted
    try:
        store.stage_copy(conn, staged, passphrase if keep else None)
    except OSError as exc:
        raise BackupRefused(tr("Not restored: could not write next to {name} ({error}); it was left "
                               "untouched.").format(name=db_name, error=exc.strerror or exc)) from exc
    except store.cipher_errors() as exc:
        raise BackupRefused(tr("Not restored: {backup} is damaged ({error}). {name} was left "
                               "untouched.").format(backup=backup_path.name, error=exc, name=db_name)) from exc
    finally:
        conn.close()
    check = _inspect_and_close(store.open_copy(staged, passphrase if keep else None), backup_path, encrypted)
    if not check.ok:
        raise BackupRefused(check.refusal(db_name))
    if check.revision != HEAD_REVISION:
        # Upgraded here, on the working copy, before anything is swapped (issue 11): a backup
        # that cannot be upgraded is refused with the database untouched, instead of being put
        # in place and failing every command after. Then checked again at the head schema.
        _upgrade(staged, passphrase if keep else None, check, db_name)
        upgraded = _inspect_and_close(store.open_copy(staged, passphrase if keep else None), backup_path, encrypted)
        if not upgraded.ok:
            raise BackupRefused(upgraded.refusal(db_name))
    crash_point("restore:staged")
    return check, keep


def _upgrade(staged: Path, passphrase: str | None, check: BackupCheck, db_name: str) -> None:
    """Migrate the working copy to the head schema, left as one self-contained file."""
    from taskforce.store import cipher
    from taskforce.store.database import upgrade
    from taskforce.store.engine import make_engine

    try:
        key = cipher.unlock(staged, passphrase) if passphrase else None
        engine = make_engine(staged, key)
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        # one self-contained file again: nothing left in a -wal beside it when it is moved
        conn = cipher.connect(staged, key) if key else sqlite3.connect(staged, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=DELETE").fetchall()
        finally:
            conn.close()
    except Exception as exc:  # noqa: BLE001 - any failure of a migration: the backup will not do
        log.info("restore: the upgrade of %s failed: %s", check.path, exc)
        raise BackupRefused(tr("Not restored: {backup} (schema {revision}) cannot be upgraded to schema "
                               "{head} ({error}). {name} was left untouched.").format(
            backup=check.path.name, revision=check.revision, head=HEAD_REVISION,
            error=_first_line(exc), name=db_name)) from exc


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _checkpoint_open(ctx: Context) -> tuple[str | None, bool]:
    """Fold the WAL into the file through the app's own (keyed) connection; the database id."""
    raw = ctx.db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        return chain.database_id(conn), store.is_cipher_connection(conn)
    except store.cipher_errors() as exc:
        log.warning("before restore: checkpoint of %s failed: %s", ctx.db.path, exc)
        return None, store.is_cipher_connection(raw.driver_connection)
    finally:
        raw.close()


def _aside_name(db_path: Path) -> Path:
    """``taskforce.sqlite.before-restore-20261123-143501`` (a suffix if that one exists)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
    n = 2
    while aside.exists():
        aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp}-{n}")
        n += 1
    return aside


def _anchor_aside(db_id: str | None, db_path: Path, aside: Path) -> dict:
    """Before the swap: the anchor of the file about to be set aside goes with it (so it can
    still be verified there), and the path keeps none until the restored file is anchored
    (``reanchor``, after the swap). ``db_id`` None: the id could not be read (an encrypted
    file without its key, a damaged one): every anchor recorded at the path goes with it.
    Returns the anchors the path had, to put back if the swap fails."""
    try:
        before = chain.path_anchors(db_path)
        for one, anchor in before.items():
            if db_id is None or one == db_id:
                chain.save_anchor(one, aside, anchor.id, anchor.row_hash, revision=anchor.revision or None,
                                  at=anchor.at or None)
        chain.forget_anchor(db_path)
        return before
    except OSError as exc:
        log.warning("the audit anchor of %s could not be moved to %s: %s", db_path, aside, exc)
        return {}


def _anchors_back(db_path: Path, anchors: dict) -> None:
    if anchors:
        try:
            chain.put_back(db_path, anchors)
        except OSError as exc:
            log.warning("the audit anchor of %s could not be put back: %s", db_path, exc)


# --- an interrupted swap -------------------------------------------------------------------

def interrupted_swap(db_path: Path) -> InterruptedSwap | None:
    """When there is no database at ``db_path`` but a file a restore, encrypt or decrypt kept
    aside: that file (``.aside``) and the sentence saying so; None otherwise. The app asks
    "Restore interrupted: put back …?"; the command line names ``restore --put-back``."""
    return store.interrupted_swap(Path(db_path).expanduser())


def put_back(db_path: Path, user: str | None = None) -> Path:
    """Put the newest file set aside back at ``db_path``, where there is none; the file it was.

    Under the writer lock, so no other copy creates a new file there meanwhile. Refused in
    one sentence when a database is there (nothing to put back) or nothing was set aside."""
    db_path = Path(db_path).expanduser()
    lock = _lock(db_path, user)
    try:
        interrupted = store.interrupted_swap(db_path)
        if interrupted is None:
            if db_path.exists():
                raise BackupRefused(tr("{name} is in place; there is nothing to put back.").format(name=db_path.name))
            raise BackupRefused(tr("No file was set aside next to {path}; there is nothing to put back.").format(
                path=db_path))
        try:
            store.put_back(db_path, interrupted.aside)
        except OSError as exc:
            raise BackupRefused(tr("{aside} could not be put back as {name} ({error}).").format(
                aside=interrupted.aside.name, name=db_path.name, error=exc.strerror or exc)) from exc
        _move_anchor_back(interrupted.aside, db_path)
        return interrupted.aside
    finally:
        lock.release()


def _move_anchor_back(aside: Path, db_path: Path) -> None:
    """The audit anchor kept for the file set aside follows it back to the database's path."""
    try:
        for one in sorted(chain.anchored_ids(aside)):
            anchor = chain.load_anchor(one, aside)
            if anchor is not None:
                chain.save_anchor(one, db_path, anchor.id, anchor.row_hash)
    except OSError as exc:
        log.warning("the audit anchor of %s could not be moved back to %s: %s", aside, db_path, exc)
