"""``taskforce roster``: cross-designations by expiry, with the 90/60/30-day warnings (rule 7)."""

from __future__ import annotations

import argparse
import json

from taskforce.commands._options import parse_day
from taskforce.commands.audit import audited_read


def register(sub) -> None:  # noqa: ANN001 - argparse's private subparsers action
    p = sub.add_parser("roster", help="cross-designations by expiry, with warnings (rule 7)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day the bands are computed for (default today)")
    p.add_argument("--warnings", action="store_true",
                   help="only designations expired or expiring within 90 days (not those already renewed)")
    p.add_argument("--limit", type=int, default=None, help="at most this many")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(handler=run)




def run(args: argparse.Namespace, ctx) -> int:  # noqa: ANN001
    from taskforce.domain.errors import TaskforceError
    from taskforce.domain.enums import DesignationStatus
    from taskforce.services.roster import roster

    as_of = parse_day(args.as_of) or ctx.today()
    if args.limit is not None and args.limit < 1:
        raise TaskforceError("--limit must be at least 1.")
    rows = roster(ctx, as_of, warnings_only=args.warnings, limit=args.limit)
    audited_read(ctx, args, len(rows))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps([{
            "id": r.id, "member": r.member, "home_agency": r.home_agency, "authority": r.authority,
            "authority_label": r.authority_label, "granting_agency": r.granting_agency,
            "effective": r.effective.isoformat(), "expires": r.expires.isoformat() if r.expires else None,
            "days_left": r.days_left, "band": r.band.value if r.band else None,
            "expiry_text": r.expiry_text, "status": r.status.value, "lapse": r.lapse_text,
            "renewal": r.renewal.isoformat() if r.renewal else None,
        } for r in rows], ensure_ascii=False))
        return 0
    print(f"Roster as of {as_of.isoformat()}" + (" — warnings only" if args.warnings else ""))
    if not rows:
        print("No designations expired or expiring within 90 days." if args.warnings else "No designations recorded.")
        return 0
    for r in rows:
        mark = {"expired": "✖", None: " "}.get(r.band.value if r.band else None, "⚠")
        note = ("  (renewed)" if r.status is DesignationStatus.RENEWED
                else f"  ({r.lapse_text})" if r.lapse_text else "")
        print(f"{mark} {str(r.expires or '—'):<10}  {r.expiry_text:<22}  {r.member}  ·  {r.home_agency}  ·  "
              f"{r.authority_label}  ·  granted by {r.granting_agency}{note}")
    print(f"{len(rows)} designation{'s' if len(rows) != 1 else ''}")
    return 0
