"""``taskforce feedback matrix|open``: feedback owed on support given (rule 2, 001 Feedback).

The "Feedback status" report as text or JSON: obligations by agency pair (overdue first), or
the open obligations one by one. ``--as-of`` shows a past or future day. No Qt.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date

from taskforce.commands._options import as_of as day_of
from taskforce.commands.audit import audited_read
from taskforce.domain.errors import TaskforceError
from taskforce.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("feedback", help="feedback owed on support given: by agency pair, or open ones")
    views = p.add_subparsers(dest="feedback_view", metavar="VIEW", required=True, parser_class=type(p))

    m = views.add_parser("matrix", help="by agency pair (giver → receiver): open, overdue, median days "
                                        "to feedback; overdue pairs first")
    _as_of_and_json(m)
    m.add_argument("--rollup", action="store_true",
                   help="count each agency under its component (CBP OFO Blaine under CBP)")
    m.set_defaults(handler=cmd_matrix)

    o = views.add_parser("open", help="open obligations, overdue (oldest due date) first")
    _as_of_and_json(o)
    o.add_argument("--limit", type=int, default=200, help="at most this many rows (default 200)")
    o.set_defaults(handler=cmd_open)


def _as_of_and_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day to view (default: today)")
    p.add_argument("--json", action="store_true", help="print one JSON object")




def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _median(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def cmd_matrix(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.services.feedback import pair_matrix

    matrix = pair_matrix(ctx, day_of(args.as_of, ctx), rollup=args.rollup)
    audited_read(ctx, args, len(matrix.rows))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps({"as_of": matrix.as_of, "rollup": matrix.rollup,
                          "pairs": [asdict(r) for r in matrix.rows]}, default=_json_default))
        return 0
    scope = " (rolled up to components)" if matrix.rollup else ""
    print(f"Feedback owed by agency pair as of {matrix.as_of}{scope}")
    if not matrix.rows:
        print(f"No support recorded by {matrix.as_of}.")
        return 0
    width_from = max(4, *(len(r.from_agency) for r in matrix.rows))
    width_to = max(2, *(len(r.to_agency) for r in matrix.rows))
    print(f"{'From':<{width_from}}  {'To':<{width_to}}  {'Given':>5}  {'Open':>5}  {'Overdue':>7}  "
          f"{'Most late':>9}  {'Median days':>11}")
    for r in matrix.rows:
        late = f"{r.most_days_overdue} d" if r.overdue else ""
        print(f"{r.from_agency:<{width_from}}  {r.to_agency:<{width_to}}  {r.given:>5}  {r.open:>5}  "
              f"{r.overdue:>7}  {late:>9}  {_median(r.median_days):>11}")
    pairs = len(matrix.rows)
    print(f"{pairs} pair{'s' if pairs != 1 else ''} · {sum(r.open for r in matrix.rows)} open · "
          f"{sum(r.overdue for r in matrix.rows)} overdue")
    return 0


def cmd_open(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.services.feedback import open_obligations

    if args.limit < 1:
        raise TaskforceError("--limit must be at least 1.")
    result = open_obligations(ctx, day_of(args.as_of, ctx), limit=args.limit)
    audited_read(ctx, args, len(result.rows))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps({"as_of": result.as_of, "total": result.total, "overdue": result.overdue,
                          "obligations": [asdict(r) for r in result.rows]}, default=_json_default))
        return 0
    print(f"Open feedback obligations as of {result.as_of}: {result.total} ({result.overdue} overdue)")
    for r in result.rows:
        state = (f"overdue {r.days_overdue} day{'s' if r.days_overdue != 1 else ''}"
                 if r.days_overdue else "open")
        print(f"due {r.feedback_due_on}  {state:<18}  {r.to_agency} owes {r.from_agency}  "
              f"{r.case_number or '(no case)'}  {r.kind}, given {r.given_on}")
    if len(result.rows) < result.total:
        print(f"… {result.total - len(result.rows)} more (raise --limit to see them)")
    return 0
