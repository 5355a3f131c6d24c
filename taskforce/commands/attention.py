"""`taskforce attention`: what needs attention today, as on the home screen."""

from __future__ import annotations

import argparse
import json

from taskforce.commands._options import parse_day
from taskforce.commands.audit import audited_read




def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("attention", help="what needs attention: overdue feedback, briefings owed, "
                       "pending referrals, designations, action items, evaluations, meetings")
    p.add_argument("--as-of", metavar="DATE", help="evaluate on another day (YYYY-MM-DD)")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx) -> int:  # noqa: ANN001
    from taskforce.services.attention import KINDS, TITLES, attention

    result = attention(ctx, parse_day(args.as_of))
    audited_read(ctx, args, len(result.items) + len(result.pairs))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps({"as_of": result.as_of.isoformat(), "counts": result.counts,
                          "items": [i.as_json() for i in result.items],
                          "feedback_overdue_by_pair": [
                              {"giver": r.giver, "receiver": r.receiver, "overdue": r.overdue,
                               "oldest_due": r.oldest_due.isoformat()} for r in result.pairs]}))
        return 0
    print(f"Needs attention as of {result.as_of.isoformat()}: {result.total} item"
          f"{'s' if result.total != 1 else ''}")
    for kind in KINDS:
        if not result.counts[kind]:
            continue
        print(f"\n{TITLES[kind]} ({result.counts[kind]})")
        for item in (i for i in result.items if i.kind == kind):
            print(f"  {item.due.isoformat()}  {item.record:<24} {item.summary}")
    if result.pairs:
        print("\nOverdue feedback by agency pair (giver → receiver)")
        for r in result.pairs:
            print(f"  {r.giver} → {r.receiver}: {r.overdue} overdue, oldest due {r.oldest_due.isoformat()}")
    return 0
