"""Encrypting a database, removing the encryption, and auditing unlocks (issue 6 §5). No Qt.

The store does the work (``store.cipher``: SQLCipher, AES-256; ``Database.convert`` keeps the
writer lock across the swap); this layer adds the rules a person sees: how long a new
passphrase must be, what is audited, and what is said about the plain copies left behind.

Audited (CJIS AU-2): an encryption or its removal (one row in the converted file, action
``encrypt`` / ``decrypt``), each wrong passphrase at the session lock as it happens, and the
wrong passphrases typed before a file could be opened, summed up when it is next opened
("3 failed unlock attempts since 2026-11-23 14:02"; action ``unlock-failed``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from taskforce.domain.errors import TaskforceError, TooManyAttempts, WrongPassphrase
from taskforce.i18n import ntr, tr
from taskforce.services.context import Context
from taskforce.services.tx import write
from taskforce.store import cipher
from taskforce.store.unlock_guard import LOCKOUT, UnlockGuard

log = logging.getLogger(__name__)

PASSPHRASE_ENV = "TASKFORCE_PASSPHRASE"
# Long enough to resist guessing offline, where the lockout does not apply: a thief with the
# file has only SQLCipher's 256,000 PBKDF2 rounds in the way.
MIN_PASSPHRASE = 12
DATABASE = ("database", 0)  # the entity of events about the whole file (as services.audit)


class PassphraseRefused(TaskforceError):
    """A new passphrase that is not accepted; nothing was changed."""


@dataclass(frozen=True)
class ConversionResult:
    path: Path
    encrypted: bool  # what the file is now
    aside: Path | None  # the file as it was, kept next to it; None when it was removed
    tables: int
    rows: int
    seconds: float
    plain_copies: tuple[Path, ...] = ()  # other unencrypted copies still on disk
    audited: bool = True

    def lines(self) -> list[str]:
        """What the command line prints and the dialog shows, one sentence a line."""
        name = self.path.name
        done = (tr("Encrypted {name} (SQLCipher, AES-256): {tables} tables, {rows:,} rows checked, "
                   "in {seconds:.1f} s.") if self.encrypted else
                tr("Removed the encryption of {name}: {tables} tables, {rows:,} rows checked, in "
                   "{seconds:.1f} s."))
        out = [done.format(name=name, tables=self.tables, rows=self.rows, seconds=self.seconds)]
        if self.encrypted and self.aside is not None:
            out.append(tr("The unencrypted copy is kept as {aside}: anyone who has it can read it. "
                          "Delete it securely, or keep it somewhere safe.").format(aside=self.aside.name))
        elif self.encrypted:
            out.append(tr("The unencrypted copy was overwritten and deleted (on an SSD or a "
                          "copy-on-write file system its old blocks may survive)."))
        elif self.aside is not None:
            out.append(tr("The encrypted copy is kept as {aside}; delete it when you no longer "
                          "need it.").format(aside=self.aside.name))
        if self.plain_copies:
            shown = ", ".join(str(_short(p, self.path)) for p in self.plain_copies[:5])
            more = len(self.plain_copies) - 5
            out.append((tr("Older unencrypted copies are still on disk: {shown} and {more} more.")
                        if more > 0 else tr("Older unencrypted copies are still on disk: {shown}."))
                       .format(shown=shown, more=more))
        if self.encrypted:
            out.append(tr("Without the passphrase nobody can open the file, and nobody can "
                          "recover it: keep the passphrase safe."))
        if not self.audited:
            out.append(tr("The change could not be written into the audit log."))
        return out


def _short(p: Path, db_path: Path) -> Path:
    try:
        return p.relative_to(db_path.parent)
    except ValueError:
        return p


def check_new_passphrase(passphrase: str, repeated: str | None = None) -> None:
    """PassphraseRefused unless ``passphrase`` may protect a database."""
    if repeated is not None and repeated != passphrase:
        raise PassphraseRefused(tr("The two passphrases differ; nothing was changed."))
    if len(passphrase) < MIN_PASSPHRASE:
        raise PassphraseRefused(tr("A passphrase needs at least {n} characters; nothing was "
                                   "changed.").format(n=MIN_PASSPHRASE))
    if "\x00" in passphrase:
        raise PassphraseRefused(tr("A passphrase cannot contain a NUL character; nothing was changed."))


def encrypt(ctx: Context, passphrase: str, *, repeated: str | None = None, remove_plain: bool = False,
            progress: Callable[[str], None] | None = None) -> ConversionResult:
    """Encrypt the open (plain) database in place with ``passphrase``. The plain file is kept
    as ``<name>.before-encrypt``, or with ``remove_plain`` overwritten and deleted."""
    db = ctx.db
    if db.encrypted:
        raise TaskforceError(tr("{name} is encrypted already.").format(name=db.path.name))
    check_new_passphrase(passphrase, repeated)
    done = db.convert(passphrase, progress)
    audited = _record(ctx, "encrypt", {"cipher": "SQLCipher 4, AES-256", "kept": done.aside.name,
                                       "removed": remove_plain})
    aside: Path | None = done.aside
    if remove_plain:
        cipher.shred(done.aside)
        aside = None
    others = tuple(p for p in cipher.plain_copies(db.path) if p != done.aside)
    return ConversionResult(db.path, True, aside, done.tables, done.rows, done.seconds, others, audited)


def decrypt(ctx: Context, passphrase: str,
            progress: Callable[[str], None] | None = None) -> ConversionResult:
    """Remove the encryption of the open database; ``passphrase`` must be its passphrase (asked
    again, so a session left open is not enough). The encrypted file is kept aside."""
    db = ctx.db
    if not db.encrypted:
        raise TaskforceError(tr("{name} is not encrypted.").format(name=db.path.name))
    unlock_session(ctx, passphrase)
    done = db.convert(None, progress)
    audited = _record(ctx, "decrypt", {"kept": done.aside.name})
    return ConversionResult(db.path, False, done.aside, done.tables, done.rows, done.seconds,
                            audited=audited)


def create_encrypted(path: Path, passphrase: str, *, repeated: str | None = None,
                     user: str | None = None) -> Path:
    """A new, empty database encrypted from its first byte (``taskforce encrypt`` on a path
    with no file)."""
    from taskforce.services.context import Actor
    from taskforce.store.database import Database

    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise TaskforceError(tr("{name} exists already; it is encrypted in place instead.").format(
            name=path.name))
    check_new_passphrase(passphrase, repeated)
    db = Database.open(path, create=True, passphrase=passphrase, user=user)
    try:
        _record(Context(db=db, actor=Actor.current(user)), "encrypt",
                {"cipher": "SQLCipher 4, AES-256", "created": True})
    finally:
        db.close()
    return path


def unlock_session(ctx: Context, passphrase: str) -> None:
    """The session lock (and a decryption) asks for the passphrase again: WrongPassphrase or
    TooManyAttempts like at opening, each failure audited at once (the file is open)."""
    try:
        ctx.db.check_passphrase(passphrase)
    except (WrongPassphrase, TooManyAttempts) as err:
        _record_event(ctx, {"detail": tr("wrong passphrase at the session lock"),
                            "locked": isinstance(err, TooManyAttempts)})
        raise


def tries_left(path: Path) -> str:
    """How many wrong passphrases the file still takes before its lockout, as a sentence for
    the unlock dialog ("4 tries left before taskforce.sqlite is locked for 15 minutes."), so
    the lockout never comes as a surprise; "" while it is locked (its own sentence says until
    when)."""
    guard = UnlockGuard(path)
    if guard.locked_until() is not None:
        return ""
    n, name = guard.attempts_left(), Path(path).name
    minutes = int(LOCKOUT.total_seconds() // 60)
    return ntr("{n} try left before {name} is locked for {minutes} minutes.",
               "{n} tries left before {name} is locked for {minutes} minutes.", n).format(
        n=n, name=name, minutes=minutes)


def record_unlock_failures(ctx: Context) -> bool:
    """After an open: write the wrong passphrases typed before it into the audit log, once.
    Call it right after ``Database.open`` (the CLI does; the app's unlock dialog does)."""
    failures = ctx.db.unlock_failures
    if failures is None or ctx.db.read_only:
        return False  # read-only cannot write: they stay pending for the next read-write open
    if not _record_event(ctx, {"detail": failures.describe(), "attempts": failures.count,
                               "first": failures.first.isoformat(timespec="seconds"),
                               "last": failures.last.isoformat(timespec="seconds")}):
        return False
    UnlockGuard(ctx.db.path).audited()
    ctx.db.unlock_failures = None
    return True


def _record_event(ctx: Context, detail: dict) -> bool:
    from taskforce.services.audit import record_event

    try:
        return record_event(ctx, "unlock-failed", None, detail)
    except TaskforceError as err:  # e.g. read-only meanwhile; the failure itself stands
        log.warning("a failed unlock could not be audited: %s", err)
        return False


def _record(ctx: Context, action: str, detail: dict) -> bool:
    """One audit row about the whole file (as services.audit.record_event, whose list of
    event actions does not include these). False when it could not be written."""
    new = json.dumps({k: str(v) for k, v in detail.items()}, ensure_ascii=False)
    try:
        with write(ctx) as tx:
            tx.audit(action, *DATABASE, None, new=new)
    except TaskforceError as err:
        log.warning("%s of %s not audited: %s", action, ctx.db.path, err)
        return False
    return True
