"""The working group (rule 9, 001): meetings with their attendees, action items with one owner
and a due date, and when each task force's next quarterly meeting is due.

Action items and attendees show in their meeting's History (root = the meeting); an item
raised outside a meeting shows in its task force's. Overdue as of D ⇔ status 'open' AND
due_on < D (the home screen counts it with the same condition in SQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, bindparam, text

from taskforce.domain.errors import FieldError, TaskforceError, ValidationFailed
from taskforce.domain.working_group import (
    ActionItemData, ActionStatus, Attendee, MeetingData, MeetingDue, action_item_overdue,
    days_overdue, meeting_due_state, next_meeting_due,
)
from taskforce.i18n import tr
from taskforce.services.context import Change, Context
from taskforce.services.lists import Column, Filter, ListSpec
from taskforce.services.tx import Tx, change_of, fetch_row, read, refuse_future, write
from taskforce.store import schema as S
from taskforce.store.queries import agency_label as label_sql

# --- what reads return ------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendeeRow:
    id: int
    attendee: Attendee
    label: str  # "Quill, Mara (HSI SEA)", "CBP OFO", "DFO Atlanta (CBP)"


@dataclass(frozen=True)
class ActionItemRow:
    id: int
    title: str
    task_force_id: int
    task_force: str
    owner: str
    due_on: date
    status: str
    done_on: date | None
    meeting_id: int | None
    meeting_held_on: date | None
    overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class MeetingDetail:
    id: int
    data: MeetingData
    task_force: str
    attendees: tuple[AttendeeRow, ...]
    action_items: tuple[ActionItemRow, ...]


@dataclass(frozen=True)
class ActionItemDetail:
    row: ActionItemRow
    data: ActionItemData
    owner_member_label: str
    owner_agency_label: str


@dataclass(frozen=True)
class MeetingRow:
    id: int
    task_force: str
    held_on: date
    attendees: int
    open_items: int
    minutes: str


@dataclass(frozen=True)
class MeetingSchedule:
    """A task force's quarterly meeting as of a day."""

    task_force_id: int
    task_force: str
    last_held_on: date | None
    next_due_on: date | None  # None: never met, due now
    state: MeetingDue
    days_left: int | None  # negative once overdue


# --- SQL shared by the reads and the list -----------------------------------------------------

_SHORT = "CASE WHEN {a}.abbreviation <> '' THEN {a}.abbreviation ELSE {a}.name END"
_OWNER_SQL = ("CASE WHEN om.id IS NOT NULL THEN om.family_name || ', ' || om.given_names "
              f"ELSE coalesce({_SHORT.format(a='oa')}, '') END")
_ITEM_FROM = ("FROM action_item t JOIN task_force tf ON tf.id = t.task_force_id "
              "LEFT JOIN member om ON om.id = t.owner_member_id "
              "LEFT JOIN agency oa ON oa.id = t.owner_agency_id "
              "LEFT JOIN meeting mt ON mt.id = t.meeting_id")
_ITEM_COLUMNS = (f"t.id, t.title, t.task_force_id, tf.name AS task_force, {_OWNER_SQL} AS owner, "
                 "t.due_on, t.status, t.done_on, t.meeting_id, mt.held_on AS meeting_held_on")


def _item_row(r, as_of: date) -> ActionItemRow:  # noqa: ANN001 - a result row
    due = _as_date(r.due_on)
    return ActionItemRow(r.id, r.title, r.task_force_id, r.task_force, r.owner, due, r.status,
                         _as_date(r.done_on), r.meeting_id, _as_date(r.meeting_held_on),
                         action_item_overdue(r.status, due, as_of), days_overdue(r.status, due, as_of))


_DAY = bindparam("d", type_=Date)  # "as of" binds as a date, on any backend


def _as_date(value: object) -> date | None:
    """Dates read through text() come back as ISO strings."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# --- meetings ---------------------------------------------------------------------------------

def _meeting_values(data: MeetingData) -> dict:
    return {"task_force_id": data.task_force_id, "held_on": data.held_on, "minutes": data.minutes.strip()}


def _sync_attendees(tx: Tx, meeting_id: int, attendees: tuple[Attendee, ...]) -> None:
    """Attendees are replaced by difference, so the History shows who was added or removed."""
    ma = S.meeting_attendee
    root = ("meeting", meeting_id)
    wanted = [(a.member_id, a.agency_id, a.name.strip()) for a in attendees]
    for row in tx.conn.execute(ma.select().where(ma.c.meeting_id == meeting_id).order_by(ma.c.id)).all():
        key = (row.member_id, row.agency_id, row.name)
        if key in wanted:
            wanted.remove(key)
        else:
            tx.delete(ma, row.id, root)
    for member_id, agency_id, name in wanted:
        tx.insert(ma, {"meeting_id": meeting_id, "member_id": member_id, "agency_id": agency_id,
                       "name": name}, root)


def create_meeting(ctx: Context, data: MeetingData) -> Change:
    data.check()
    with write(ctx) as tx:
        fetch_row(tx.conn, S.task_force, data.task_force_id)
        meeting_id = tx.insert(S.meeting, _meeting_values(data))
        _sync_attendees(tx, meeting_id, data.attendees)
        return change_of(tx, meeting_id)


def update_meeting(ctx: Context, meeting_id: int, data: MeetingData) -> Change:
    data.check()
    with write(ctx) as tx:
        current = tx.get(S.meeting, meeting_id)
        if current["task_force_id"] != data.task_force_id and _count_items(tx, meeting_id):
            raise ValidationFailed([FieldError("task_force_id", tr(
                "This meeting raised action items of its task force; it cannot move to another."))])
        tx.update(S.meeting, meeting_id, _meeting_values(data))
        _sync_attendees(tx, meeting_id, data.attendees)
        return change_of(tx, meeting_id)


def delete_meeting(ctx: Context, meeting_id: int) -> Change:
    """Refused while action items refer to the meeting (their origin would be lost)."""
    with write(ctx) as tx:
        tx.delete(S.meeting, meeting_id)
        return change_of(tx, meeting_id)


def _count_items(tx: Tx, meeting_id: int) -> int:
    return tx.conn.execute(text("SELECT count(*) FROM action_item WHERE meeting_id = :m"),
                           {"m": meeting_id}).scalar_one()


def get_meeting(ctx: Context, meeting_id: int, as_of: date | None = None) -> MeetingDetail:
    as_of = as_of or ctx.today()
    with read(ctx) as conn:
        row = fetch_row(conn, S.meeting, meeting_id)
        tf_name = conn.execute(text("SELECT name FROM task_force WHERE id = :i"),
                               {"i": row["task_force_id"]}).scalar_one()
        attendees = tuple(
            AttendeeRow(r.id, Attendee(r.member_id, r.agency_id, r.name), r.label)
            for r in conn.execute(text(
                "SELECT a.id, a.member_id, a.agency_id, a.name, "
                "CASE WHEN m.id IS NOT NULL THEN m.family_name || ', ' || m.given_names || ' (' || "
                f"{_SHORT.format(a='h')} || ')' "
                f"WHEN a.name <> '' AND ag.id IS NOT NULL THEN a.name || ' (' || {_SHORT.format(a='ag')} || ')' "
                f"WHEN a.name <> '' THEN a.name ELSE {_SHORT.format(a='ag')} END AS label "
                "FROM meeting_attendee a LEFT JOIN member m ON m.id = a.member_id "
                "LEFT JOIN agency h ON h.id = m.home_agency_id LEFT JOIN agency ag ON ag.id = a.agency_id "
                "WHERE a.meeting_id = :m ORDER BY a.id"), {"m": meeting_id}))
        items = tuple(_item_row(r, as_of) for r in conn.execute(text(
            f"SELECT {_ITEM_COLUMNS} {_ITEM_FROM} WHERE t.meeting_id = :m ORDER BY t.due_on, t.id"),
            {"m": meeting_id}))
    data = MeetingData(row["task_force_id"], row["held_on"], row["minutes"],
                       tuple(a.attendee for a in attendees))
    return MeetingDetail(meeting_id, data, tf_name, attendees, items)


def meetings(ctx: Context, task_force_id: int | None = None, limit: int = 200) -> tuple[MeetingRow, ...]:
    """Most recent first, with counts computed by the database."""
    where = "WHERE t.task_force_id = :tf" if task_force_id is not None else ""
    with read(ctx) as conn:
        return tuple(MeetingRow(r.id, r.task_force, _as_date(r.held_on), r.attendees, r.open_items, r.minutes)
                     for r in conn.execute(text(
                         "SELECT t.id, tf.name AS task_force, t.held_on, "
                         "(SELECT count(*) FROM meeting_attendee a WHERE a.meeting_id = t.id) AS attendees, "
                         "(SELECT count(*) FROM action_item i WHERE i.meeting_id = t.id AND i.status = 'open') "
                         "AS open_items, t.minutes "
                         f"FROM meeting t JOIN task_force tf ON tf.id = t.task_force_id {where} "
                         "ORDER BY t.held_on DESC, t.id DESC LIMIT :n"), {"tf": task_force_id, "n": limit}))


def meeting_schedule(ctx: Context, as_of: date | None = None) -> tuple[MeetingSchedule, ...]:
    """Rule 9, the working group meets quarterly: for each working group (and any task force
    that has met), the next meeting is due a quarter after the last one held by ``as_of`` (a
    meeting dated later is not held yet); a working group that has never met is due now.
    Task forces whose active period ended are left out. Most urgent first."""
    as_of = as_of or ctx.today()
    with read(ctx) as conn:
        rows = conn.execute(text(
            "SELECT tf.id, tf.name, "
            "(SELECT max(m.held_on) FROM meeting m WHERE m.task_force_id = tf.id AND m.held_on <= :d) AS last "
            "FROM task_force tf WHERE (tf.active_to IS NULL OR tf.active_to >= :d) AND "
            "(tf.kind = 'working_group' OR EXISTS "
            " (SELECT 1 FROM meeting m WHERE m.task_force_id = tf.id AND m.held_on <= :d))")
            .bindparams(_DAY), {"d": as_of}).all()
    out = []
    for r in rows:
        last = _as_date(r.last)
        due = next_meeting_due(last)
        out.append(MeetingSchedule(r.id, r.name, last, due, meeting_due_state(due, as_of),
                                   (due - as_of).days if due else None))
    order = {MeetingDue.OVERDUE: 0, MeetingDue.DUE: 1, MeetingDue.NOT_DUE: 2}
    return tuple(sorted(out, key=lambda s: (order[s.state], s.next_due_on or as_of, s.task_force)))


# --- action items -----------------------------------------------------------------------------

def _item_values(tx: Tx, data: ActionItemData) -> dict:
    if data.meeting_id is not None:
        meeting = tx.get(S.meeting, data.meeting_id)
        if meeting["task_force_id"] != data.task_force_id:
            raise ValidationFailed([FieldError("task_force_id", tr(
                "The meeting that raised this item belongs to another task force."))])
    fetch_row(tx.conn, S.task_force, data.task_force_id)
    return {"task_force_id": data.task_force_id, "title": data.title.strip(), "due_on": data.due_on,
            "owner_member_id": data.owner_member_id, "owner_agency_id": data.owner_agency_id,
            "meeting_id": data.meeting_id, "status": data.status, "done_on": data.done_on}


def _item_root(data: ActionItemData | dict) -> tuple[str, int]:
    meeting_id = data["meeting_id"] if isinstance(data, dict) else data.meeting_id
    tf_id = data["task_force_id"] if isinstance(data, dict) else data.task_force_id
    return ("meeting", meeting_id) if meeting_id is not None else ("task_force", tf_id)


def create_action_item(ctx: Context, data: ActionItemData) -> Change:
    data.check()
    refuse_future(ctx, ("done_on", data.done_on, tr("Done on")))
    with write(ctx) as tx:
        item_id = tx.insert(S.action_item, _item_values(tx, data), _item_root(data))
        return change_of(tx, item_id)


def update_action_item(ctx: Context, item_id: int, data: ActionItemData) -> Change:
    data.check()
    refuse_future(ctx, ("done_on", data.done_on, tr("Done on")))
    with write(ctx) as tx:
        tx.get(S.action_item, item_id)
        tx.update(S.action_item, item_id, _item_values(tx, data), _item_root(data))
        return change_of(tx, item_id)


def mark_done(ctx: Context, item_id: int, done_on: date | None = None) -> Change:
    """Close an item (on ``done_on``, by default today)."""
    done_on = done_on or ctx.today()
    refuse_future(ctx, ("done_on", done_on, tr("Done on")))
    with write(ctx) as tx:
        row = tx.get(S.action_item, item_id)
        if row["status"] == ActionStatus.DONE:
            raise TaskforceError(tr(f"This action item was already marked done on {row['done_on']}."))
        tx.update(S.action_item, item_id, {"status": ActionStatus.DONE.value, "done_on": done_on},
                  _item_root(row))
        return change_of(tx, item_id)


def reopen(ctx: Context, item_id: int) -> Change:
    with write(ctx) as tx:
        row = tx.get(S.action_item, item_id)
        tx.update(S.action_item, item_id, {"status": ActionStatus.OPEN.value, "done_on": None},
                  _item_root(row))
        return change_of(tx, item_id)


def delete_action_item(ctx: Context, item_id: int) -> Change:
    with write(ctx) as tx:
        row = tx.get(S.action_item, item_id)
        tx.delete(S.action_item, item_id, _item_root(row))
        return change_of(tx, item_id)


def get_action_item(ctx: Context, item_id: int, as_of: date | None = None) -> ActionItemDetail:
    as_of = as_of or ctx.today()
    with read(ctx) as conn:
        r = conn.execute(text(f"SELECT {_ITEM_COLUMNS}, t.owner_member_id, t.owner_agency_id, "
                              "om.family_name || ', ' || om.given_names AS member_label, "
                              "oa.name AS agency_name "
                              f"{_ITEM_FROM} WHERE t.id = :i"), {"i": item_id}).first()
        if r is None:
            fetch_row(conn, S.action_item, item_id)  # raises NotFound with its sentence
        agency_label = ""
        if r.owner_agency_id is not None:
            agency_label = conn.execute(text(f"SELECT {label_sql('a')} FROM agency a WHERE a.id = :i"),
                                        {"i": r.owner_agency_id}).scalar_one()
    row = _item_row(r, as_of)
    data = ActionItemData(r.task_force_id, r.title, row.due_on, r.owner_member_id, r.owner_agency_id,
                          r.meeting_id, r.status, row.done_on)
    return ActionItemDetail(row, data, r.member_label or "", agency_label)


def action_items(ctx: Context, as_of: date | None = None, *, overdue_only: bool = False,
                 open_only: bool = False, task_force_id: int | None = None,
                 limit: int = 500) -> tuple[ActionItemRow, ...]:
    """Action items by due date (the working-group report: by owner and due date), filtered
    and limited by the database."""
    as_of = as_of or ctx.today()
    clauses, params = [], {"d": as_of, "n": limit, "tf": task_force_id}  # unused keys are ignored
    if overdue_only:
        clauses.append("t.status = 'open' AND t.due_on < :d")
    elif open_only:
        clauses.append("t.status = 'open'")
    if task_force_id is not None:
        clauses.append("t.task_force_id = :tf")
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    stmt = text(f"SELECT {_ITEM_COLUMNS} {_ITEM_FROM} {where} ORDER BY t.due_on, owner, t.id LIMIT :n")
    if overdue_only:
        stmt = stmt.bindparams(_DAY)
    with read(ctx) as conn:
        return tuple(_item_row(r, as_of) for r in conn.execute(stmt, params))


# --- list sections ----------------------------------------------------------------------------

# status shown as "Overdue" when open past its due date (the same condition as action_item_overdue)
_STATUS_SQL = "CASE WHEN t.status = 'open' AND t.due_on < :today THEN 'overdue' ELSE t.status END"

ACTION_ITEMS = ListSpec(
    name="action_items", entity="action_item",
    also_refresh_on=frozenset({"meeting", "member", "agency", "task_force"}),
    from_sql=_ITEM_FROM,
    columns=(
        Column("title", "Title", "t.title", 320),
        Column("owner", "Owner", _OWNER_SQL, 180),
        Column("task_force", "Task force", "tf.name", 170),
        Column("due", "Due", "t.due_on", 95, "date"),
        Column("status", "Status", _STATUS_SQL, 80, "label"),
        Column("done", "Done on", "t.done_on", 95, "date"),
        Column("meeting", "Meeting", "mt.held_on", 95, "date"),
    ),
    quick_filter=("t.title", "om.family_name", "oa.name", "oa.abbreviation"),
    filters=(
        Filter("status", "Status", f"{_STATUS_SQL} = :status",
               "SELECT 'overdue', 'Overdue' UNION ALL SELECT 'open', 'Open' UNION ALL SELECT 'done', 'Done'"),
        Filter("task_force", "Task force", "t.task_force_id = :task_force",
               "SELECT id, name FROM task_force ORDER BY name"),
    ),
    default_sort="due", noun=("action item", "action items"),
)

MEETINGS = ListSpec(
    name="meetings", entity="meeting", also_refresh_on=frozenset({"action_item", "meeting_attendee", "task_force"}),
    from_sql="FROM meeting t JOIN task_force tf ON tf.id = t.task_force_id",
    columns=(
        Column("held_on", "Held on", "t.held_on", 95, "date"),
        Column("task_force", "Task force", "tf.name", 220),
        Column("attendees", "Attendees",
               "(SELECT count(*) FROM meeting_attendee a WHERE a.meeting_id = t.id)", 80, "number"),
        Column("items", "Action items", "(SELECT count(*) FROM action_item i WHERE i.meeting_id = t.id)", 90, "number"),
        Column("open_items", "Open",
               "(SELECT count(*) FROM action_item i WHERE i.meeting_id = t.id AND i.status = 'open')", 60, "number"),
        Column("overdue", "Overdue",
               "(SELECT count(*) FROM action_item i WHERE i.meeting_id = t.id AND i.status = 'open' "
               "AND i.due_on < :today)", 70, "number"),
        Column("minutes", "Minutes", "substr(replace(t.minutes, char(10), ' '), 1, 120)", 320),
    ),
    quick_filter=("tf.name", "t.minutes"),
    filters=(Filter("task_force", "Task force", "t.task_force_id = :task_force",
                    "SELECT id, name FROM task_force ORDER BY name"),),
    default_sort="held_on", default_descending=True, noun=("meeting", "meetings"),
)
