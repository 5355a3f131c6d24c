"""``taskforce debriefs``: debriefs and the briefings owed to the Supervisory CBP Officer.

DOMAIN.md rule 3 (001 Presence of CBP Officers During Interviews). No Qt.
"""

from __future__ import annotations

import argparse
import json

from taskforce.commands._options import check_limit, parse_day
from taskforce.commands.audit import audited_read
from taskforce.services.context import Context






def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("debriefs", help="debriefs, and the briefings owed when no CBP officer sat in")
    p.add_argument("--owed", action="store_true", help="only the open briefing obligations, oldest first")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="count the days owed as of this day (default today)")
    p.add_argument("--limit", type=int, default=100, help="show at most this many (default 100)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.services.debriefs import list_debriefs

    as_of = parse_day(args.as_of) or ctx.today()
    page = list_debriefs(ctx, owed_only=args.owed, as_of=as_of, limit=check_limit(args.limit))
    audited_read(ctx, args, len(page.rows))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps({"as_of": as_of.isoformat(), "total": page.total, "debriefs": [
            {"id": r.id, "case": r.case_number, "held_on": r.held_on.isoformat(), "defendant": r.defendant,
             "lead_agency": r.lead_agency, "place": r.place, "participants": r.participants,
             "cbp_present": r.cbp_present, "briefing": r.status.value, "owed_days": r.owed_days}
            for r in page.rows]}))
        return 0
    if not page.rows:
        print("No briefing is owed." if args.owed else "No debriefs recorded.")
        return 0
    for r in page.rows:
        briefing = r.status.label.lower()
        if r.owed_days is not None:
            briefing += f" for {r.owed_days} day{'s' if r.owed_days != 1 else ''}, by {r.lead_agency}"
        print(f"{r.held_on}  {r.case_number:<20} {r.defendant or '—':<24} "
              f"CBP present: {'yes' if r.cbp_present else 'no ':<4} briefing: {briefing}")
    noun = "briefing owed" if args.owed else "debrief"
    total = f"{page.total:,} {noun}{'s' if page.total != 1 and not args.owed else ''}"
    shown = f", {len(page.rows)} shown" if len(page.rows) < page.total else ""
    print(f"{total}{shown} (as of {as_of.isoformat()})")
    return 0
