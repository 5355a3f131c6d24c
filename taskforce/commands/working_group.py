"""taskforce actions / meetings: the working group's action items and its quarterly meetings.

Services are imported by the handlers, so `taskforce --help` loads no database layer."""

from __future__ import annotations

import argparse
import json

from taskforce.commands._options import as_of as day_of
from taskforce.commands.audit import audited_read
from taskforce.domain.errors import TaskforceError
from typing import TYPE_CHECKING

from taskforce.domain.working_group import MeetingDue

if TYPE_CHECKING:
    from taskforce.services.context import Context




def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("actions", help="working-group action items by due date (overdue flagged)")
    p.add_argument("--overdue", action="store_true", help="only the open items past their due date")
    p.add_argument("--open", action="store_true", help="only the open items")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day overdue is judged on (default today)")
    p.add_argument("--limit", type=int, default=500)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_actions)

    m = sub.add_parser("meetings", help="working-group meetings, and when each next quarterly meeting is due")
    m.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day the schedule is judged on (default today)")
    m.add_argument("--limit", type=int, default=50, help="recent meetings listed (default 50)")
    m.add_argument("--json", action="store_true", help="print JSON")
    m.set_defaults(handler=cmd_meetings)


def cmd_actions(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.services import working_group as wg

    as_of = day_of(args.as_of, ctx)
    if args.limit < 1:
        raise TaskforceError("--limit must be at least 1.")
    items = wg.action_items(ctx, as_of, overdue_only=args.overdue, open_only=args.open, limit=args.limit)
    audited_read(ctx, args, len(items))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps({"as_of": as_of.isoformat(), "items": [{
            "id": i.id, "title": i.title, "task_force": i.task_force, "owner": i.owner,
            "due_on": i.due_on.isoformat(), "status": i.status,
            "done_on": i.done_on.isoformat() if i.done_on else None,
            "meeting_held_on": i.meeting_held_on.isoformat() if i.meeting_held_on else None,
            "overdue": i.overdue, "days_overdue": i.days_overdue} for i in items]}))
        return 0
    if not items:
        print("No overdue action items." if args.overdue else "No action items.")
        return 0
    for i in items:
        state = f"OVERDUE {i.days_overdue} d" if i.overdue else (
            f"done {i.done_on}" if i.status == "done" else "open")
        print(f"{i.due_on}  {state:<14} {i.title}  ·  {i.owner}  ·  {i.task_force}")
    overdue = sum(i.overdue for i in items)
    print(f"{len(items)} action item{'s' if len(items) != 1 else ''}, {overdue} overdue as of {as_of}")
    return 0


def cmd_meetings(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.services import working_group as wg

    as_of = day_of(args.as_of, ctx)
    if args.limit < 1:
        raise TaskforceError("--limit must be at least 1.")
    schedule = wg.meeting_schedule(ctx, as_of)
    recent = wg.meetings(ctx, limit=args.limit)
    audited_read(ctx, args, len(schedule) + len(recent))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps({"as_of": as_of.isoformat(), "schedule": [{
            "task_force": s.task_force, "last_held_on": s.last_held_on.isoformat() if s.last_held_on else None,
            "next_due_on": s.next_due_on.isoformat() if s.next_due_on else None, "state": s.state.value,
            "days_left": s.days_left} for s in schedule], "meetings": [{
                "id": m.id, "task_force": m.task_force, "held_on": m.held_on.isoformat(),
                "attendees": m.attendees, "open_items": m.open_items} for m in recent]}))
        return 0
    print(f"Quarterly meetings as of {as_of}:")
    if not schedule:
        print("  no working group yet")
    for s in schedule:
        if s.next_due_on is None:
            when = "due now (no meeting recorded yet)"
        elif s.state == MeetingDue.OVERDUE:
            when = f"OVERDUE since {s.next_due_on} ({-s.days_left} d)"
        elif s.state == MeetingDue.DUE:
            when = f"due by {s.next_due_on} (in {s.days_left} d)"
        else:
            when = f"next by {s.next_due_on}"
        last = f"last met {s.last_held_on}" if s.last_held_on else "never met"
        print(f"  {s.task_force}: {when}; {last}")
    print("Meetings:")
    if not recent:
        print("  none recorded")
    for m in recent:
        print(f"  {m.held_on}  {m.task_force}  ·  {m.attendees} attendee{'s' if m.attendees != 1 else ''}"
              f"  ·  {m.open_items} open action item{'s' if m.open_items != 1 else ''}")
    return 0
