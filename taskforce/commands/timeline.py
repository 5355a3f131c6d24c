"""``taskforce timeline CASE_NUMBER``: a case's dated events, controlled deliveries with outcome.

DOMAIN.md rule 5 (001 Controlled Deliveries). No Qt.
"""

from __future__ import annotations

import argparse
import json

from taskforce.commands.audit import audited_read
from taskforce.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("timeline", help="a case's events in date order")
    p.add_argument("case_number", metavar="CASE_NUMBER")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.services.case_events import timeline_by_number

    t = timeline_by_number(ctx, args.case_number)
    audited_read(ctx, args, len(t.events))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps({"case": t.number, "title": t.title, "events": [
            {"id": e.id, "occurred_on": e.data.occurred_on.isoformat(), "kind": e.data.kind,
             "kind_label": e.kind_label, "lead_agency": e.lead_agency, "agencies": list(e.agencies),
             "description": e.data.description, "outcome": e.data.outcome}
            for e in t.events]}))
        return 0
    print(f"{t.number} — {t.title}")
    if not t.events:
        print("No events recorded.")
        return 0
    for e in t.events:
        lead = f"  led by {e.lead_agency}" if e.lead_agency else ""
        others = f"  with {', '.join(e.agencies)}" if e.agencies else ""
        print(f"{e.data.occurred_on}  {e.kind_label}{lead}{others}")
        if e.data.description:
            print(f"            {e.data.description}")
        if e.data.outcome:
            print(f"            outcome: {e.data.outcome}")
        elif e.data.needs_outcome:
            print("            outcome: not recorded yet")
    print(f"{len(t.events)} event{'s' if len(t.events) != 1 else ''}")
    return 0
