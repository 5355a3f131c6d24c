"""``taskforce cooperation``: state and local cooperation activities (rule 8, 002 III)."""

from __future__ import annotations

import argparse
import json

from taskforce.commands.audit import audited_read


def register(sub) -> None:  # noqa: ANN001 - argparse's private subparsers action
    p = sub.add_parser("cooperation", help="state and local cooperation activities (rule 8)")
    p.add_argument("--legal-review", action="store_true",
                   help="only activities of type other, flagged for legal review")
    p.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx) -> int:  # noqa: ANN001
    from taskforce.domain.errors import TaskforceError
    from taskforce.services.cooperation import list_activities

    if args.limit < 1:
        raise TaskforceError("--limit must be at least 1.")
    rows = list_activities(ctx, legal_review_only=args.legal_review, limit=args.limit)
    audited_read(ctx, args, len(rows))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps([{
            "id": r.id, "occurred_on": r.occurred_on.isoformat(), "member": r.member,
            "home_agency": r.home_agency, "activity_type": r.activity_type, "type_label": r.type_label,
            "description": r.description, "legal_review": r.legal_review, "case": r.case_number or None,
            "designation_id": r.designation_id,
        } for r in rows], ensure_ascii=False))
        return 0
    if not rows:
        print("No activities flagged for legal review." if args.legal_review else "No cooperation activities recorded.")
        return 0
    for r in rows:
        flag = "  [legal review]" if r.legal_review else ""
        authority = f"  [287(g) designation #{r.designation_id}]" if r.designation_id else ""
        print(f"{r.occurred_on}  {r.member} ({r.home_agency})  ·  {r.type_label}{flag}{authority}")
        if r.description or r.case_number:
            print(f"    {r.case_number + ': ' if r.case_number else ''}{r.description}")
    print(f"{len(rows)} activit{'ies' if len(rows) != 1 else 'y'}")
    return 0
