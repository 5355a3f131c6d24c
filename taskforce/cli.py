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
from taskforce.domain.errors import DatabaseInUse, TaskforceError
from taskforce.services.context import Actor, Context
from taskforce.settings import load_settings
from taskforce.store.paths import resolve_db_path


class _Parser(argparse.ArgumentParser):
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
    demo.add_argument("--cases", type=int, default=500, help="number of cases (default 500)")
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
        print(json.dumps({"count": result.count, "capped": result.capped,
                          "hits": [h.__dict__ for h in result.hits]}))
        return 0
    for h in result.hits:
        print(f"{h.kind:<8} {h.label}  ·  {h.detail}")
    print(f"{result.count_text} match{'es' if result.count != 1 else ''}"
          + (f", {len(result.hits)} shown" if len(result.hits) < result.count else ""))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from taskforce.services.stats import check

    results = check(_context(args, create=False))
    for r in results:
        print(f"{'ok  ' if r.ok else 'FAIL'} {r.name}: {r.detail}")
    return 0 if all(r.ok for r in results) else 1


COMMANDS = {"demo": cmd_demo, "import": cmd_import, "stats": cmd_stats,
            "search": cmd_search, "check": cmd_check}


def run(args: argparse.Namespace) -> int:
    try:
        handler = getattr(args, "handler", None)
        if handler is not None:
            if not getattr(args, "opens_database", True):  # e.g. restore: the file may be missing
                return handler(args, None)
            return handler(args, _context(args, create=False))
        return COMMANDS[args.command](args)
    except TaskforceError as exc:
        print(f"taskforce: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("taskforce: interrupted; nothing was changed.", file=sys.stderr)
        return 130
    except OSError as exc:  # a file named on the command line that cannot be read or written
        name = f"{exc.filename}: " if exc.filename else ""
        print(f"taskforce: {name}{exc.strerror or exc}.", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the promise is one line, never a traceback
        print(f"taskforce: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        print("taskforce: no command given; run 'taskforce' without arguments for the app.",
              file=sys.stderr)
        return 2
    return run(args)
