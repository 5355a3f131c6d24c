"""The working group (DOMAIN.md rule 9): meetings, who attended, and the action items they raise.

# 001 (opening): "This Working Group meets quarterly to promote ongoing dialogue and resolution
# of issues"; every topic of the memorandum ends in an "Action Item" with an owner (HQ OFO and
# OI, the DFO Miami, "SACs and DFOs") and a date ("by January 31, 2006").
Pure rules: the day is always passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from taskforce.domain.enums import Labelled
from taskforce.domain.errors import FieldError
from taskforce.domain.records import _Checks, _Validated

# 001: "meets quarterly"; a quarter is taken as 90 days (S8: met 2026-01-20 → due by 2026-04-20).
MEETING_INTERVAL_DAYS = 90
# the home screen shows the next meeting from this many days before it is due
MEETING_WARNING_DAYS = 14


class ActionStatus(Labelled):
    OPEN = "open"
    DONE = "done"


class MeetingDue(Labelled):
    """Where a task force stands with its quarterly meeting on a given day."""

    NOT_DUE = "not_due"
    DUE = "due"  # within MEETING_WARNING_DAYS of the due date, or on it, or never met
    OVERDUE = "overdue"  # the due date has passed without a meeting


def action_item_overdue(status: str, due_on: date, as_of: date) -> bool:
    """Rule 9: an open item is overdue the day after its due date (S8: due 01-31, open 02-01)."""
    return status == ActionStatus.OPEN and due_on < as_of


def days_overdue(status: str, due_on: date, as_of: date) -> int:
    return (as_of - due_on).days if action_item_overdue(status, due_on, as_of) else 0


def next_meeting_due(last_held_on: date | None) -> date | None:
    """The last meeting plus a quarter; None for a group that has never met."""
    return last_held_on + timedelta(days=MEETING_INTERVAL_DAYS) if last_held_on else None


def meeting_due_state(next_due: date | None, as_of: date) -> MeetingDue:
    """A group that has never met is due to meet now (as the home screen shows it)."""
    if next_due is None:
        return MeetingDue.DUE
    if as_of > next_due:
        return MeetingDue.OVERDUE
    if as_of >= next_due - timedelta(days=MEETING_WARNING_DAYS):
        return MeetingDue.DUE
    return MeetingDue.NOT_DUE


@dataclass(frozen=True)
class Attendee:
    """A member of a task force, an agency represented as such, or a person named freely
    (the memorandum lists its members by title: "DFO, Atlanta"). A free name may give an agency."""

    member_id: int | None = None
    agency_id: int | None = None
    name: str = ""


@dataclass(frozen=True)
class MeetingData(_Validated):
    task_force_id: int | None
    held_on: date | None
    minutes: str = ""
    attendees: tuple[Attendee, ...] = ()

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("task_force_id", self.task_force_id, "Task force")
        c.required("held_on", self.held_on, "Held on")
        for a in self.attendees:
            if a.member_id is None and a.agency_id is None and not a.name.strip():
                c.add("attendees", "Every attendee needs a member, an agency or a name.")
                break
            c.length("attendees", a.name, 200, "An attendee's name")
        members = [a.member_id for a in self.attendees if a.member_id is not None]
        if len(members) != len(set(members)):
            c.add("attendees", "A member is listed twice among the attendees.")
        return c.errors


@dataclass(frozen=True)
class ActionItemData(_Validated):
    task_force_id: int | None
    title: str
    due_on: date | None
    owner_member_id: int | None = None
    owner_agency_id: int | None = None
    meeting_id: int | None = None
    status: str = ActionStatus.OPEN.value
    done_on: date | None = None

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("task_force_id", self.task_force_id, "Task force")
        c.required("title", self.title, "Title")
        c.length("title", self.title, 300, "Title")
        c.required("due_on", self.due_on, "Due")
        # rule 9: every item has one owner, a person or an office ("HQ OFO and OI" are two items)
        if self.owner_member_id is None and self.owner_agency_id is None:
            c.add("owner_member_id", "An action item needs an owner: a member or an agency.")
        elif self.owner_member_id is not None and self.owner_agency_id is not None:
            c.add("owner_agency_id", "Choose a member or an agency as the owner, not both.")
        c.choice("status", self.status, ActionStatus, "Status")
        if self.status == ActionStatus.DONE:
            c.required("done_on", self.done_on, "Done on")
        elif self.done_on is not None:
            c.add("done_on", "Only a done item has a done date.")
        return c.errors
