"""``taskforce audit verify``: is the audit log as it was written? (issue 6 §4). No Qt.

Exit 0 when every link holds, the schema is the app's and this workstation's anchors at the
file's path are reached unchanged; exit 1 with the first problem otherwise. ``audit reanchor``
is for after replacing the file on purpose: it asks first (``--yes`` skips the question),
records the move in the file's audit log, and is refused while another copy holds the file.

Also the read audit every command that prints records calls (``audited_read``, issue 11).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from taskforce.domain.errors import TaskforceError
from taskforce.services.context import Context

# the sub-command of a command, wherever argparse put it
_VERBS = ("what", "audit_verb", "feedback_view", "report_kind")
# what a read's row leaves out of its options: how the command is run, not what was asked
_NOT_ASKED = {"command", "handler", "db", "json", "opens_database", *_VERBS}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="verify the audit log's hash chain")
    verbs = p.add_subparsers(dest="audit_verb", metavar="VERB", required=True, parser_class=type(p))
    v = verbs.add_parser("verify", help="check every audit row's hash and link, the schema, and this "
                                        "workstation's anchors; exit 0 if intact")
    v.add_argument("--json", action="store_true", help="print one JSON object")
    v.set_defaults(handler=cmd_verify)
    r = verbs.add_parser("reanchor", help="after replacing the file on purpose: anchor this workstation "
                                          "to the file's current end (asks first; recorded in the audit "
                                          "log; the chain must verify)")
    r.add_argument("--yes", action="store_true", help="do not ask")
    r.add_argument("--json", action="store_true", help="print one JSON object")
    r.set_defaults(handler=cmd_reanchor)


def _print(report, as_json: bool) -> int:  # noqa: ANN001 - a ChainReport
    from taskforce.services.audit import anchor_note, describe

    if as_json:
        print(json.dumps({**asdict(report), "message": describe(report),
                          "anchor_note": anchor_note(report)}))
    else:
        print(describe(report))
    return 0 if report.ok else 1


def cmd_verify(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.services.audit import verify_audit

    return _print(verify_audit(ctx), args.json)


def cmd_reanchor(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.services.audit import reanchor, reanchor_plan

    plan = reanchor_plan(ctx)  # refuses a read-only copy before asking anything
    if not plan.report.ok:
        return _print(plan.report, args.json)
    if not args.yes and not _confirm(plan.question + " [y/N] "):
        raise TaskforceError("Not reanchored; the anchor was not moved.")
    return _print(reanchor(ctx), args.json)


def _confirm(question: str) -> bool:
    print(question, end="", flush=True)
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):
        answer = ""
    if not answer.endswith("\n"):
        print()
    return answer.strip().lower() in ("y", "yes")


# --- reads from the command line (issue 11) -----------------------------------------------------

def command_name(args: argparse.Namespace) -> str:
    """"search", "feedback matrix", "audit verify": the command as typed, without its options."""
    return " ".join(str(v) for v in (args.command, *(getattr(args, k, None) for k in _VERBS)) if v)


def asked(args: argparse.Namespace) -> dict:
    """The options and arguments given (the search text, a case number, --as-of …)."""
    return {k: v for k, v in sorted(vars(args).items())
            if k not in _NOT_ASKED and not callable(v) and v not in (None, False, "", [], ())}


def audited_read(ctx: Context, args: argparse.Namespace, records: int) -> None:
    """Record that a command showed ``records`` records: which command, what was asked, how
    many; never their content. Called before anything is printed: a read that cannot be
    recorded shows nothing. A read-only copy cannot write and records nothing
    (docs/reliability.md)."""
    from sqlalchemy import exc as sa_exc

    from taskforce.services.audit import record_read

    try:
        record_read(ctx, command_name(args), asked(args), records)
    except (TaskforceError, sa_exc.DBAPIError) as err:
        why = str(getattr(err, "orig", None) or err).rstrip(".")
        raise TaskforceError(f"The read could not be recorded in the audit log of {ctx.db.path.name} "
                             f"({why}); nothing is shown.") from err
