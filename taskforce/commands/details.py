"""taskforce details: members detailed to other agencies' units, and evaluations coming due."""

from __future__ import annotations

import argparse
import json

from taskforce.commands._options import as_of as day_of
from taskforce.commands.audit import audited_read
from typing import TYPE_CHECKING

from taskforce.domain.errors import TaskforceError

if TYPE_CHECKING:
    from taskforce.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("details", help="details and pilot programs with their evaluation dates")
    p.add_argument("--due", action="store_true", help="only those whose evaluation is due and not recorded")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day 'due' is judged on (default today)")
    p.add_argument("--limit", type=int, default=500)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_details)


def cmd_details(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.services import details as svc

    as_of = day_of(args.as_of, ctx)
    if args.limit < 1:
        raise TaskforceError("--limit must be at least 1.")
    rows = svc.details(ctx, as_of, due_only=args.due, limit=args.limit)
    audited_read(ctx, args, len(rows))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps({"as_of": as_of.isoformat(), "details": [{
            "id": r.id, "member": r.member, "home_agency": r.home_agency, "host_agency": r.host_agency,
            "program": r.program, "starts_on": r.starts_on.isoformat(),
            "ends_on": r.ends_on.isoformat() if r.ends_on else None,
            "evaluation_on": r.evaluation_on.isoformat(),
            "evaluated_on": r.evaluated_on.isoformat() if r.evaluated_on else None,
            "state": r.state.value, "evaluation_due": r.evaluation_due} for r in rows]}))
        return 0
    if not rows:
        print("No evaluations due." if args.due else "No details recorded.")
        return 0
    for r in rows:
        if r.evaluated_on:
            evaluation = f"evaluated {r.evaluated_on}"
        elif r.evaluation_due:
            evaluation = f"EVALUATION DUE since {r.evaluation_on}"
        else:
            evaluation = f"evaluation {r.evaluation_on}"
        period = f"{r.starts_on} – {r.ends_on or 'open'}"
        print(f"{r.member} → {r.host_agency}  ·  {r.program or 'detail'}  ·  {period}  ·  {evaluation}")
    due = sum(r.evaluation_due for r in rows)
    print(f"{len(rows)} detail{'s' if len(rows) != 1 else ''}, {due} evaluation{'s' if due != 1 else ''} due as of {as_of}")
    return 0
