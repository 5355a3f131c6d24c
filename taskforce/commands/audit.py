"""``taskforce audit verify``: is the audit log as it was written? (issue 6 §4). No Qt.

Exit 0 when every link holds and this workstation's anchor is reached unchanged; exit 1 with
the first broken row otherwise. ``audit reanchor`` is for after restoring an older copy on
purpose: this workstation's anchor then points at the restored file's end.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from taskforce.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="verify the audit log's hash chain")
    verbs = p.add_subparsers(dest="audit_verb", metavar="VERB", required=True, parser_class=type(p))
    v = verbs.add_parser("verify", help="check every audit row's hash and link, and this "
                                        "workstation's anchor; exit 0 if intact")
    v.add_argument("--json", action="store_true", help="print one JSON object")
    v.set_defaults(handler=cmd_verify)
    r = verbs.add_parser("reanchor", help="after restoring an older copy on purpose: anchor this "
                                          "workstation to the file's current end (the chain must verify)")
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
    from taskforce.services.audit import reanchor

    return _print(reanchor(ctx), args.json)
