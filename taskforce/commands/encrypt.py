"""``taskforce encrypt`` and ``taskforce decrypt`` (issue 6 §5), and the passphrase of an
encrypted file for every other command. No Qt.

The passphrase comes from ``TASKFORCE_PASSPHRASE``, else from a prompt when the command runs
in a terminal (asked twice for a new one). ``encrypt`` on a path with no file creates a new,
empty, encrypted database.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from taskforce.domain.errors import DatabaseInUse, PassphraseRequired, TaskforceError
from taskforce.services.encryption import PASSPHRASE_ENV


def register(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser("encrypt", help="encrypt the database (SQLCipher, AES-256) with a passphrase")
    e.add_argument("--remove-plain", action="store_true",
                   help="overwrite and delete the unencrypted copy (not reliable on SSDs)")
    d = sub.add_parser("decrypt", help="remove the database's encryption")
    for p in (e, d):
        # also after the command (taskforce encrypt --db PATH); left alone when not given
        p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="database file")
    # Not through the usual handler, which opens the file first: encrypt also creates a new
    # file, and both refuse (rather than fall back to read-only) when another copy has it open.
    from taskforce import cli

    cli.COMMANDS.setdefault("encrypt", cmd_encrypt)
    cli.COMMANDS.setdefault("decrypt", cmd_decrypt)


def passphrase_for(path: Path) -> str | None:
    """The passphrase to open ``path`` with: None for a plain (or missing) file; for an
    encrypted one TASKFORCE_PASSPHRASE, else a prompt in a terminal, else PassphraseRequired."""
    from taskforce.store import cipher

    if not cipher.is_encrypted(path):
        return None
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise PassphraseRequired(f"{path.name} is encrypted: set {PASSPHRASE_ENV}, or run the "
                                 f"command in a terminal to be asked for its passphrase.")
    return getpass.getpass(f"Passphrase for {path.name}: ")


def _new_passphrase() -> tuple[str, str | None]:
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value, None
    if not sys.stdin.isatty():
        raise PassphraseRequired(f"A passphrase is needed: set {PASSPHRASE_ENV}, or run the "
                                 f"command in a terminal to be asked for one.")
    return getpass.getpass("New passphrase: "), getpass.getpass("Repeat the passphrase: ")


def _open(path: Path, passphrase: str | None):  # noqa: ANN202 - a Context
    from taskforce.services.context import Actor, Context
    from taskforce.settings import load_settings
    from taskforce.store.database import Database

    actor = Actor.current(load_settings().user_name)
    try:
        db = Database.open(path, passphrase=passphrase, user=actor.app_user)
    except DatabaseInUse as exc:
        who = f" by {exc.holder.describe()}" if exc.holder is not None else ""
        raise DatabaseInUse(f"{path.name} is open in another copy of Taskforce{who}: close it "
                            f"there first. Nothing was changed.", exc.holder) from exc
    return Context(db=db, actor=actor)


def cmd_encrypt(args: argparse.Namespace) -> int:
    from taskforce.services import encryption
    from taskforce.store import cipher
    from taskforce.store.paths import resolve_db_path

    path = resolve_db_path(args.db)
    if not path.exists() or path.stat().st_size == 0:
        passphrase, repeated = _new_passphrase()
        encryption.create_encrypted(path, passphrase, repeated=repeated, user=_user())
        print(f"Created {path}, encrypted (SQLCipher, AES-256). Without the passphrase nobody "
              f"can open it, and nobody can recover it: keep the passphrase safe.")
        return 0
    if cipher.is_encrypted(path):
        raise TaskforceError(f"{path.name} is encrypted already.")
    passphrase, repeated = _new_passphrase()
    encryption.check_new_passphrase(passphrase, repeated)  # before the file is even opened
    ctx = _open(path, None)
    try:
        result = encryption.encrypt(ctx, passphrase, remove_plain=args.remove_plain)
    finally:
        ctx.db.close()
    for line in result.lines():
        print(line)
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    from taskforce.services import encryption
    from taskforce.store.paths import resolve_db_path

    path = resolve_db_path(args.db)
    if not path.exists():
        raise TaskforceError(f"No database at {path}.")
    passphrase = passphrase_for(path)
    if passphrase is None:
        raise TaskforceError(f"{path.name} is not encrypted.")
    ctx = _open(path, passphrase)
    try:
        encryption.record_unlock_failures(ctx)
        result = encryption.decrypt(ctx, passphrase)
    finally:
        ctx.db.close()
    for line in result.lines():
        print(line)
    return 0


def _user() -> str | None:
    from taskforce.settings import load_settings

    return load_settings().user_name or None
