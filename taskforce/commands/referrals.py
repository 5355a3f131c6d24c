"""``taskforce referrals``: cases referred between agencies; pending ones with their age.

DOMAIN.md rule 4 (001 CBP Officer Enforcement (E)). No Qt.
"""

from __future__ import annotations

import argparse
import json

from taskforce.commands._options import check_limit, parse_day
from taskforce.commands.audit import audited_read
from taskforce.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("referrals", help="referrals between agencies; pending ones with their age")
    p.add_argument("--pending", action="store_true", help="only pending referrals, longest waiting first")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="count ages as of this day (default today)")
    p.add_argument("--limit", type=int, default=100, help="show at most this many (default 100)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.domain.referrals import pending_text
    from taskforce.services.referrals import list_referrals

    as_of = parse_day(args.as_of) or ctx.today()
    page = list_referrals(ctx, pending_only=args.pending, as_of=as_of, limit=check_limit(args.limit))
    audited_read(ctx, args, len(page.rows))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps({"as_of": as_of.isoformat(), "total": page.total, "referrals": [
            {"id": r.id, "case": r.case_number, "referred_on": r.referred_on.isoformat(),
             "from_agency": r.from_agency, "from_member": r.from_member, "to_agency": r.to_agency,
             "status": r.status.value, "age_days": r.age_days,
             "decided_on": r.decided_on.isoformat() if r.decided_on else None,
             "decision_reason": r.decision_reason, "basis": r.basis}
            for r in page.rows]}))
        return 0
    if not page.rows:
        print("No pending referrals." if args.pending else "No referrals recorded.")
        return 0
    for r in page.rows:
        if r.age_days is not None:
            state = pending_text(r.age_days)
        else:
            state = f"{r.status.value} on {r.decided_on}" + (f": {r.decision_reason}" if r.decision_reason else "")
        print(f"{r.referred_on}  {r.case_number:<20} {r.from_agency} → {r.to_agency}  {state}")
    noun = "pending referral" if args.pending else "referral"
    shown = f", {len(page.rows)} shown" if len(page.rows) < page.total else ""
    print(f"{page.total:,} {noun}{'s' if page.total != 1 else ''}{shown} (as of {as_of.isoformat()})")
    return 0
