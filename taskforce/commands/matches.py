"""taskforce matches: possible matches of a case's (or one subject's) subjects on other cases."""

from __future__ import annotations

import argparse
import json

from typing import TYPE_CHECKING

from taskforce.commands.audit import audited_read

if TYPE_CHECKING:
    from taskforce.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("matches", help="deconfliction: possible matches of subjects on other cases")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", metavar="NUMBER", help="every subject of this case")
    which.add_argument("--subject", metavar="ID", type=int, help="one subject, by id")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_matches)


def cmd_matches(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.services import deconfliction as svc

    if args.case is not None:
        result = svc.case_matches(ctx, svc.case_id_for_number(ctx, args.case))
        suggestions, links, title = result.suggestions, result.links, f"case {result.number}"
    else:
        result = svc.subject_matches(ctx, args.subject)
        suggestions, links, title = result.suggestions, result.links, f"subject {result.subject_name}"
    audited_read(ctx, args, len(suggestions) + len(links))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps({
            "suggestions": [{"subject_id": s.subject_id, "subject": s.subject_name, "other_id": s.other_id,
                             "other": s.other_name, "other_cases": list(s.other_cases), "score": s.score,
                             "reasons": list(s.reasons)} for s in suggestions],
            "linked": [{"subject_id": x.subject_id, "subject": x.subject_name, "other_id": x.other_id,
                        "other": x.other_name, "other_cases": list(x.other_cases), "decided_at": x.decided_at,
                        "decided_by": x.decided_by} for x in links]}))
        return 0
    print(f"Possible matches for {title}:")
    if not suggestions:
        print("  none")
    for s in suggestions:
        print(f"  {s.score:>3}  {s.subject_name} (#{s.subject_id}) ≈ {s.other_name} (#{s.other_id}) "
              f"on {', '.join(s.other_cases)}: {'; '.join(s.reasons)}")
    if links:
        print("Linked (confirmed, kept as separate records):")
        for x in links:
            print(f"  {x.subject_name} (#{x.subject_id}) = {x.other_name} (#{x.other_id}) on "
                  f"{', '.join(x.other_cases)}; confirmed by {x.decided_by} at {x.decided_at}")
    return 0
