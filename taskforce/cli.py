"""The command line over the same services as the GUI. Imports no Qt.

Every failure is one line on stderr and a non-zero exit: 1 for a refused input or a failed
check, 2 for a usage error (argparse), 3 for anything unexpected.
"""

from __future__ import annotations

import argparse
import atexit
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from taskforce import __version__, commands
from taskforce.commands._options import bounded, not_text, whole_number
from taskforce.domain.errors import DatabaseInUse, TaskforceError
from taskforce.services.context import Actor, Context
from taskforce.settings import load_settings
from taskforce.store.paths import resolve_db_path


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - argparse's own
        super().__init__(*args, **kwargs)
        # Every ``type=int`` of every command (argparse looks types up in this registry): a
        # number SQLite cannot hold is a usage error in one sentence, not an OverflowError
        # deep in a query (issue 11).
        self.register("type", int, whole_number)

    def error(self, message: str) -> None:  # one line, not the whole usage block
        self.exit(2, f"taskforce: {message} (see 'taskforce --help')\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="taskforce", description="Case management for joint task forces. "
                "With no command, opens the desktop app.")
    p.add_argument("--version", action="version", version=f"taskforce {__version__}")
    p.add_argument("--db", metavar="PATH", help="database file (default: TASKFORCE_DB, "
                   "then the user data folder)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = sub.add_parser("demo", help="fill an empty database with fictitious demo data")
    # checked before the file is opened, so a refused demo creates no database
    demo.add_argument("--cases", type=bounded(1, 1_000_000, "The demo needs between 1 and 1,000,000 cases."),
                      default=500, help="number of cases (default 500, at most 1,000,000)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    imp = sub.add_parser("import", help="import records from a file")
    imp_sub = imp.add_subparsers(dest="what", metavar="WHAT", required=True, parser_class=_Parser)
    agencies = imp_sub.add_parser("agencies", help="FBI Crime Data Explorer agency CSV (upsert by ORI)")
    agencies.add_argument("file", type=Path)
    for what in ("members", "cases"):  # services.record_import: all or nothing, with a column mapping
        rec = imp_sub.add_parser(what, help=f"{what} from a CSV or XLSX file (all or nothing)")
        rec.add_argument("file", type=Path)
        rec.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                         help="map a column to a field (or to nothing: 'Column='); repeatable")
        rec.add_argument("--dry-run", action="store_true", help="check every row; write nothing")

    st = sub.add_parser("stats", help="counts of each kind of record")
    st.add_argument("--json", action="store_true", help="print one JSON object")

    se = sub.add_parser("search", help="search cases, subjects and notes")
    se.add_argument("text")
    se.add_argument("--limit", type=int, default=20)
    se.add_argument("--json", action="store_true")

    sub.add_parser("check", help="integrity, foreign keys and schema version; exit 0 if all pass")
    for module in commands.modules():  # the workflows' own views (taskforce/commands/)
        module.register(sub)
    return p


def _context(args: argparse.Namespace, *, create: bool) -> Context:
    from taskforce.store.database import Database  # not needed for --help or --version

    path = resolve_db_path(args.db)
    if not create and not path.exists():
        from taskforce.services.backup import interrupted_swap

        if (interrupted := interrupted_swap(path)) is not None:  # a file set aside: offered back
            raise interrupted
        raise TaskforceError(f"No database at {path}; create one with 'taskforce demo' or the app.")
    actor = Actor.current(load_settings().user_name)
    from taskforce.commands.encrypt import passphrase_for  # an encrypted file: env or prompt

    passphrase = passphrase_for(path)
    try:
        db = Database.open(path, create=create, passphrase=passphrase, user=actor.app_user)
    except DatabaseInUse:
        # The app (or another command) is writing to it: reading commands carry on; a writing
        # one ends with ReadOnlyDatabase's one sentence (who has it open).
        db = Database.open(path, read_only=True, passphrase=passphrase)
    atexit.register(db.close)  # the lock file goes with the process, not left to look stale
    ctx = Context(db=db, actor=actor)
    if db.unlock_failures is not None:  # wrong passphrases typed before this one: audited now
        from taskforce.services.encryption import record_unlock_failures

        record_unlock_failures(ctx)
    _record_opening(ctx, args)
    return ctx


# The commands that say what is wrong with a file: they run even when its audit log refuses
# the opening's row (a trigger, a missing column), since finding that out is their purpose.
_DIAGNOSTICS = ("check", "audit")


def _record_opening(ctx: Context, args: argparse.Namespace) -> None:
    """Every opening is audited (README), the command line's too, naming the command (issue 11).
    A read-only copy (another copy holds the file) cannot write: nothing is recorded, as
    docs/reliability.md says. An opening that cannot be recorded reads nothing."""
    from sqlalchemy import exc as sa_exc

    from taskforce.commands.audit import command_name
    from taskforce.services.audit import record_event

    try:
        record_event(ctx, "open", None, {"via": "command line", "command": command_name(args)})
    except (TaskforceError, sa_exc.DBAPIError) as err:
        # the driver's own message only: a DBAPIError's text holds the SQL and its parameters
        why = str(getattr(err, "orig", None) or err).rstrip(".")
        if args.command in _DIAGNOSTICS:
            logging.getLogger(__name__).warning("opening of %s not audited: %s", ctx.db.path, why)
            return
        raise TaskforceError(f"The opening of {ctx.db.path.name} could not be recorded in its audit "
                             f"log ({why}); nothing was read. 'taskforce check' says what is wrong "
                             f"with the file.") from err


def _progress(label: str) -> Callable[[int, int], None]:
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if sys.stderr.isatty() and (now - last[0] > 0.2 or done == total):
            last[0] = now
            print(f"\r{label}: {done:,}/{total:,}", end="" if done < total else "\n",
                  file=sys.stderr, flush=True)
    return report


def cmd_demo(args: argparse.Namespace) -> int:
    from taskforce.services.demo import generate_demo

    ctx = _context(args, create=True)
    report = generate_demo(ctx, cases=args.cases, seed=args.seed, progress=_progress("demo"))
    print(f"demo data: {report.cases:,} cases, {report.subjects:,} subjects, "
          f"{report.members:,} members, {report.agencies:,} agencies, "
          f"{report.task_forces} task forces in {report.seconds:.1f} s")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from taskforce.services.agency_import import import_agencies_csv

    if args.what in ("members", "cases"):
        return _import_records(args)
    ctx = _context(args, create=True)
    report = import_agencies_csv(ctx, args.file, progress=_progress("import"))
    for row in report.rejected:
        print(f"line {row.line}: {row.reason}")
    print(report.summary())
    return 0


def _import_records(args: argparse.Namespace) -> int:
    from taskforce.services import record_import as R

    ctx, mapping = _context(args, create=False), R.parse_mapping(args.map)
    if args.dry_run:
        pv = R.preview(ctx, args.file, args.what, mapping)
        for problem in pv.problems:
            print(problem)
        for row in pv.skipped:
            print(f"line {row.line}: {row.reason}")
        if pv.problems:
            raise TaskforceError(f"{args.file.name} cannot be imported as it is; nothing was written.")
        print(f"{pv.rows - len(pv.skipped)} {args.what} would be added, {len(pv.skipped)} skipped; nothing was written.")
        return 0
    try:
        result = R.import_file(ctx, args.file, args.what, mapping, progress=_progress("import"))
    except R.ImportRejected as err:
        for row in err.rejected:  # every rejected row on stdout; the one-line error on stderr
            print(f"line {row.line}: {row.reason}")
        raise
    for row in result.skipped:
        print(f"line {row.line}: {row.reason}")
    print(result.summary())
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from taskforce.services.stats import stats

    counts = stats(_context(args, create=False))
    if args.json:
        print(json.dumps(counts))
    else:
        for key, value in counts.items():
            print(f"{key.replace('_', ' '):<14}{value:>10,}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from taskforce.services.search import search

    if args.limit < 1:
        raise TaskforceError("--limit must be at least 1.")
    ctx = _context(args, create=False)
    result = search(ctx, args.text, limit=args.limit)
    from taskforce.commands.audit import audited_read

    audited_read(ctx, args, len(result.hits))  # before anything is shown (issue 11)
    if args.json:
        print(json.dumps({"count": result.count, "capped": result.capped, "note": result.note,
                          "hits": [h.__dict__ for h in result.hits]}))
        return 0
    for h in result.hits:
        print(f"{h.kind:<8} {h.label}  ·  {h.detail}")
    print(f"{result.count_text} match{'es' if result.count != 1 else ''}"
          + (f", {len(result.hits)} shown" if len(result.hits) < result.count else ""))
    if result.note:  # the service searched less than was typed, and says so
        print(result.note)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from taskforce.services.stats import check

    from taskforce.store.error_log import one_line

    results = check(_context(args, create=False))
    for r in results:  # one line each: a long report is counted here, whole in the log
        print(f"{'ok  ' if r.ok else 'FAIL'} {r.name}: {one_line(r.detail, r.name)}")
    return 0 if all(r.ok for r in results) else 1


COMMANDS = {"demo": cmd_demo, "import": cmd_import, "stats": cmd_stats,
            "search": cmd_search, "check": cmd_check}


def run(args: argparse.Namespace) -> int:
    """Run one parsed command: its output on stdout, any failure as one line on stderr."""
    bad = not_text(args)
    if bad is not None:
        print(f"taskforce: {bad}", file=sys.stderr)
        return 2
    try:
        handler = getattr(args, "handler", None)
        opens = getattr(args, "opens_database", True)  # e.g. restore: the file may be missing
        if opens:
            _say_if_read_only(args)
        if handler is not None:
            if not opens:
                return handler(args, None)
            return handler(args, _context(args, create=False))
        return COMMANDS[args.command](args)
    except TaskforceError as exc:
        _fail(str(exc))
        return 1
    except KeyboardInterrupt:
        print("taskforce: interrupted; nothing was changed.", file=sys.stderr)
        return 130
    except OSError as exc:  # a file named on the command line that cannot be read or written
        name = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{name}{exc.strerror or exc}.")
        return 1
    except Exception as exc:  # noqa: BLE001 - the promise is one line, never a traceback
        from taskforce.store import db_errors

        # A database error (the disk full, the file locked or damaged) is one sentence: its
        # text would be the SQL and its bound parameters, i.e. record contents. Details go
        # to the log file, without them.
        sentence = db_errors.describe(exc)
        if sentence is not None:
            _fail(sentence)
            return 1
        _fail(f"unexpected error: {_unexpected(exc)}")
        return 3


def _fail(text: str) -> None:
    """The one line a failure prints: a longer text is cut to its first line, whole in the log."""
    lines = [line.strip() for line in text.splitlines() if line.strip()] or [text]
    if len(lines) > 1:
        from taskforce.store import error_log

        error_log.write("message cut to its first line: " + " | ".join(lines))
    print(f"taskforce: {lines[0]}", file=sys.stderr)


def _unexpected(exc: BaseException) -> str:
    """An unexpected error's class and message, never a statement's SQL and parameters (a
    SQLAlchemy error that is not a driver's: only what it wraps)."""
    from taskforce.store import error_log

    error_log.write(f"unexpected error: {type(exc).__module__}.{type(exc).__name__}")
    from sqlalchemy.exc import StatementError

    if isinstance(exc, StatementError):
        inner = exc.orig
        return f"{type(exc).__name__} ({type(inner).__name__}: {inner})" if inner else type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


def _say_if_read_only(args: argparse.Namespace) -> None:
    """Read-only media (or a folder we may not write to): the command reads without the lock
    file it could not make (``store.lock.ReadOnlyMedia``); said once, here."""
    from taskforce.store.lock import cannot_write_reason

    path = resolve_db_path(args.db)
    if not path.is_file():
        return
    reason = cannot_write_reason(path)
    if reason is not None:
        print(f"taskforce: {reason}; it is opened read-only.", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        print("taskforce: no command given; run 'taskforce' without arguments for the app.",
              file=sys.stderr)
        return 2
    return run(args)
