"""``taskforce backup -o FILE [--encrypt]`` and ``taskforce restore FILE`` (issue 6 §3). No Qt.

A backup's passphrase comes from ``TASKFORCE_BACKUP_PASSPHRASE``, else from a prompt (asked
twice for a new one) when the command runs in a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from taskforce.domain.errors import TaskforceError
from taskforce.services.context import Context

PASSPHRASE_ENV = "TASKFORCE_BACKUP_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("backup", help="copy the database while it is in use (optionally encrypted)")
    b.add_argument("-o", "--output", required=True, metavar="FILE", help="the backup file to write")
    b.add_argument("--encrypt", action="store_true",
                   help=f"encrypt it with a passphrase (AES-256; from {PASSPHRASE_ENV} or asked twice)")
    b.add_argument("--force", action="store_true", help="replace FILE if it exists")
    b.set_defaults(handler=cmd_backup)

    r = sub.add_parser("restore", help="check a backup, keep the current file aside, put the backup in place")
    r.add_argument("file", type=Path, metavar="FILE", nargs="?", help="the backup to restore")
    r.add_argument("--put-back", action="store_true",
                   help="put back the file an interrupted restore, encrypt or decrypt kept aside "
                        "(when there is no database at the path)")
    r.add_argument("--yes", action="store_true", help="do not ask before replacing the database")
    r.add_argument("--check", action="store_true", help="only check the backup; change nothing")
    r.add_argument("--keep-encrypted", action="store_true",
                   help="an encrypted backup stays encrypted under its passphrase (default: only over "
                        "an encrypted database; otherwise restored plain)")
    # the database is not opened first: a restore is for a file that is missing (a new
    # workstation) or damaged; restore takes the writer lock itself (services.backup)
    r.set_defaults(handler=cmd_restore, opens_database=False)


def _passphrase(new: bool) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise TaskforceError(f"A passphrase is needed: set {PASSPHRASE_ENV} or run the command in a terminal.")
    first = getpass.getpass("Backup passphrase: ")
    if new and getpass.getpass("Repeat the passphrase: ") != first:
        raise TaskforceError("The two passphrases differ; nothing was written.")
    return first


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.services.backup import backup, check_new_passphrase

    output = Path(args.output).expanduser()
    if output.is_file() and not args.force:  # before asking for a passphrase
        raise TaskforceError(f"{output} already exists; choose another name, or replace it with --force.")
    passphrase = None
    if args.encrypt:
        passphrase = _passphrase(new=True)
        check_new_passphrase(passphrase)
    done = backup(ctx, output, passphrase, overwrite=args.force)
    how = ("encrypted with its own passphrase" if passphrase
           else "encrypted like the database" if done.encrypted else "not encrypted")
    print(f"Backed up {ctx.db.path.name} to {done.path} ({done.size:,} bytes, {how}) in {done.seconds:.1f} s.")
    return 0


def cmd_restore(args: argparse.Namespace, _ctx: None = None) -> int:
    from taskforce.services.audit import describe
    from taskforce.services.backup import BackupRefused, check_backup, ensure_not_in_use, put_back, restore
    from taskforce.settings import load_settings
    from taskforce.store.paths import resolve_db_path

    db_path = resolve_db_path(args.db)
    if args.put_back:
        if args.file is not None:
            raise TaskforceError("Give either a backup FILE or --put-back, not both.")
        aside = put_back(db_path, user=load_settings().user_name or None)
        print(f"Put {aside.name} back as {db_path}.")
        return 0
    if args.file is None:
        raise TaskforceError("Name the backup FILE to restore (or --put-back).")
    if not args.check:
        ensure_not_in_use(db_path)  # before a check that can take a minute on a large file
    passphrase = None
    check = check_backup(args.file)
    if check.needs_passphrase:
        passphrase = _passphrase(new=False)
        check = check_backup(args.file, passphrase)
    for line in check.summary() if check.ok else ():
        print(line)
    if check.warning:  # an old backup: restored only when asked for (--yes, or y at the question)
        print(check.warning)
    if not check.ok:
        raise BackupRefused(check.refusal(None if args.check else db_path.name))
    if args.check:
        print(f"{args.file.name} can be restored.")
        return 0
    question = (f"Restore it anyway, replacing {db_path} with the backup of {check.made}? [y/N] "
                if check.warning else f"Replace {db_path} with the backup of {check.made}? [y/N] ")
    if not args.yes and not _confirm(question):
        raise TaskforceError(f"Not restored; {db_path.name} was left untouched.")
    # without the flag: encrypted over an encrypted database, as the app does
    result = restore(db_path, args.file, passphrase, keep_encrypted=args.keep_encrypted or None,
                     user=load_settings().user_name or None)
    print(f"Restored {result.path} from {args.file} (backup of {check.made}).")
    if result.aside is not None:
        print(f"The previous file is kept as {result.aside.name}.")
    if result.encrypted:
        print("It stays encrypted with the backup's passphrase.")
    if result.upgraded_from:
        print(f"The backup was upgraded from schema {result.upgraded_from}.")
    print(describe(result.audit))
    for note in result.notes:
        print(note)
    return 0


def _confirm(question: str) -> bool:
    print(question, end="", flush=True)
    try:
        answer = sys.stdin.readline()
    except (OSError, KeyboardInterrupt):
        return False
    if not answer.endswith("\n"):  # no terminal, nothing piped in: as good as "no"
        print()
    return answer.strip().lower() in ("y", "yes")
