"""``taskforce assistance``: assistance requests, newest first, with the outcome and why (000)."""

from __future__ import annotations

import argparse
import json

from taskforce.commands.audit import audited_read


def register(sub) -> None:  # noqa: ANN001 - argparse's private subparsers action
    p = sub.add_parser("assistance", help="assistance requests from other organizations (rule 1)")
    p.add_argument("--status", metavar="S",
                   help="only requests of this status: open, referred, triaged, completed, declined")
    p.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx) -> int:  # noqa: ANN001
    from taskforce.domain.assistance import AssistanceBasis, AssistanceOutcome, AssistanceStatus
    from taskforce.domain.enums import label_of
    from taskforce.domain.errors import TaskforceError
    from taskforce.services.assistance import list_requests

    if args.limit < 1:
        raise TaskforceError("--limit must be at least 1.")
    rows = list_requests(ctx, status=args.status, limit=args.limit)
    audited_read(ctx, args, len(rows))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps([{
            "id": r.id, "requested_on": r.requested_on.isoformat(), "requesting_agency": r.requesting_agency,
            "bases": list(r.bases), "status": r.status, "outcome": r.outcome,
            "outcome_reason": r.outcome_reason, "referred_to": r.referred_to,
        } for r in rows], ensure_ascii=False))
        return 0
    if not rows:
        print("No assistance requests" + (f" with status {args.status}." if args.status else "."))
        return 0
    for r in rows:
        bases = ", ".join(label_of(AssistanceBasis, b) for b in r.bases)
        outcome = label_of(AssistanceOutcome, r.outcome) if r.outcome else "—"
        print(f"{r.requested_on}  #{r.id:<5} {r.requesting_agency}")
        print(f"    bases: {bases}")
        print(f"    status: {label_of(AssistanceStatus, r.status)}   outcome: {outcome}"
              + (f"   referred to: {r.referred_to}" if r.referred_to else ""))
        if r.outcome_reason:
            print(f"    why: {r.outcome_reason}")
    print(f"{len(rows)} request{'s' if len(rows) != 1 else ''}"
          + (" (limit reached; use --limit)" if len(rows) == args.limit else ""))
    return 0
