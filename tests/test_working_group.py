"""Rule 9 (001): meetings, action items with one owner and a due date, overdue flagged, and the
quarterly meeting coming due. Rules as pure functions, services on a real file, S8, the CLI
through a subprocess and the meeting window through real widgets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from taskforce.domain.errors import Conflict, TaskforceError, ValidationFailed
from taskforce.domain.working_group import (
    ActionItemData, ActionStatus, Attendee, MeetingData, MeetingDue, action_item_overdue,
    days_overdue, meeting_due_state, next_meeting_due,
)
from taskforce.services import history, lists
from taskforce.services import working_group as wg
from taskforce.services.context import Context
from taskforce.store import schema as S

from tests import factories_wg as w

D = date


def at(ctx, day: date) -> Context:
    return Context(db=ctx.db, actor=ctx.actor, today=lambda: day)


# --- pure rules -------------------------------------------------------------------------------

def test_an_open_item_is_overdue_from_the_day_after_its_due_date():
    assert not action_item_overdue("open", D(2026, 1, 31), D(2026, 1, 31))
    assert action_item_overdue("open", D(2026, 1, 31), D(2026, 2, 1))
    assert days_overdue("open", D(2026, 1, 31), D(2026, 2, 10)) == 10
    assert not action_item_overdue("done", D(2026, 1, 31), D(2026, 2, 1))
    assert days_overdue("done", D(2026, 1, 31), D(2026, 2, 10)) == 0


def test_the_quarterly_meeting_shows_from_14_days_before_and_is_overdue_after():
    due = next_meeting_due(D(2026, 1, 20))
    assert due == D(2026, 4, 20)
    assert meeting_due_state(due, D(2026, 4, 5)) == MeetingDue.NOT_DUE
    assert meeting_due_state(due, D(2026, 4, 6)) == MeetingDue.DUE
    assert meeting_due_state(due, D(2026, 4, 20)) == MeetingDue.DUE
    assert meeting_due_state(due, D(2026, 4, 21)) == MeetingDue.OVERDUE
    # a group that has never met is due to meet now
    assert next_meeting_due(None) is None
    assert meeting_due_state(None, D(2026, 4, 21)) == MeetingDue.DUE


def test_an_action_item_has_exactly_one_owner_and_a_done_date_only_when_done():
    base = dict(task_force_id=1, title="Local feedback action plan", due_on=D(2026, 1, 31))
    assert ActionItemData(**base, owner_agency_id=3).validate() == []
    assert ActionItemData(**base, owner_member_id=4).validate() == []
    none = ActionItemData(**base).validate()
    assert [e.field for e in none] == ["owner_member_id"] and "needs an owner" in none[0].message
    both = ActionItemData(**base, owner_member_id=4, owner_agency_id=3).validate()
    assert [e.field for e in both] == ["owner_agency_id"] and "not both" in both[0].message
    assert [e.field for e in ActionItemData(**base, owner_agency_id=3, status="done").validate()] == ["done_on"]
    assert [e.field for e in ActionItemData(**base, owner_agency_id=3, done_on=D(2026, 2, 1)).validate()] == ["done_on"]
    assert [e.field for e in ActionItemData(**base, owner_agency_id=3, status="later").validate()] == ["status"]
    assert {e.field for e in ActionItemData(None, " ", None, owner_agency_id=3).validate()} == {
        "task_force_id", "title", "due_on"}


def test_a_meeting_needs_its_task_force_and_day_and_each_attendee_someone():
    assert MeetingData(1, D(2026, 1, 20), attendees=(Attendee(name="DFO, Atlanta"),)).validate() == []
    assert {e.field for e in MeetingData(None, None).validate()} == {"task_force_id", "held_on"}
    assert [e.field for e in MeetingData(1, D(2026, 1, 20), attendees=(Attendee(),)).validate()] == ["attendees"]
    twice = MeetingData(1, D(2026, 1, 20), attendees=(Attendee(member_id=3), Attendee(member_id=3)))
    assert "listed twice" in twice.validate()[0].message


# --- S8 ---------------------------------------------------------------------------------------

def test_s8_meeting_raises_an_item_that_is_overdue_and_the_next_meeting_comes_due(ctx):
    world = w.best_seattle(ctx)
    meeting_id = wg.create_meeting(ctx, MeetingData(world.tf, D(2026, 1, 20), "Feedback between OFO and OI.", (
        Attendee(agency_id=world.ofo_seattle, name="DFO Seattle"), Attendee(agency_id=world.hsi_seattle)))).id
    item_id = wg.create_action_item(ctx, ActionItemData(
        world.tf, "Local feedback action plan", D(2026, 1, 31), owner_agency_id=world.ofo_seattle,
        meeting_id=meeting_id)).id

    (on_due_day,) = wg.action_items(ctx, D(2026, 1, 31))
    assert (on_due_day.owner, on_due_day.overdue) == ("DFO Seattle", False)
    (next_day,) = wg.action_items(ctx, D(2026, 2, 1), overdue_only=True)
    assert (next_day.id, next_day.overdue, next_day.days_overdue) == (item_id, True, 1)
    assert next_day.meeting_held_on == D(2026, 1, 20)
    assert wg.action_items(ctx, D(2026, 1, 31), overdue_only=True) == ()

    # the next quarterly meeting: due by 2026-04-20, shown from 04-06, overdue from 04-21
    def state(day):  # noqa: ANN001, ANN202
        (s,) = wg.meeting_schedule(ctx, day)
        return s.task_force, s.next_due_on, s.state
    assert state(D(2026, 2, 1)) == ("BEST Seattle", D(2026, 4, 20), MeetingDue.NOT_DUE)
    assert state(D(2026, 4, 6))[2] == MeetingDue.DUE
    assert state(D(2026, 4, 20))[2] == MeetingDue.DUE
    assert state(D(2026, 4, 21))[2] == MeetingDue.OVERDUE

    # done on 02-03: no longer overdue; the meeting's history shows the item and its closing
    wg.mark_done(at(ctx, D(2026, 2, 3)), item_id)
    (done,) = wg.action_items(ctx, D(2026, 2, 10))
    assert (done.status, done.done_on, done.overdue) == ("done", D(2026, 2, 3), False)
    rows = history.history(ctx, "meeting", meeting_id)
    assert any(h.what == f"action item #{item_id}" and h.field == "status" and h.new == "done" for h in rows)
    assert any(h.what.startswith("meeting attendee") and h.action == "create" for h in rows)


def test_s8_the_action_items_list_flags_overdue_in_sql(ctx):
    world = w.best_seattle(ctx)
    meeting_id = wg.create_meeting(ctx, MeetingData(world.tf, D(2026, 1, 20))).id
    late = wg.create_action_item(ctx, ActionItemData(world.tf, "Local feedback action plan", D(2026, 1, 31),
                                                     owner_agency_id=world.ofo_seattle, meeting_id=meeting_id)).id
    later = wg.create_action_item(ctx, ActionItemData(world.tf, "Advise staff on EU PNR", D(2026, 3, 1),
                                                      owner_agency_id=world.hsi_seattle)).id
    day = at(ctx, D(2026, 2, 1))
    query = lists.Query(filters=(("status", "overdue"),))
    assert lists.list_ids(day, wg.ACTION_ITEMS, query) == [late]
    assert lists.list_ids(day, wg.ACTION_ITEMS, lists.Query()) == [late, later]  # by due date
    rows = lists.list_rows(day, wg.ACTION_ITEMS, [late, later])
    status = [c.key for c in wg.ACTION_ITEMS.columns].index("status")
    assert (rows[late][status], rows[later][status]) == ("overdue", "open")
    assert rows[late][1] == "DFO Seattle"
    on_due_day = at(ctx, D(2026, 1, 31))  # the same condition as the rule: not yet on its due day
    assert lists.list_rows(on_due_day, wg.ACTION_ITEMS, [late])[late][status] == "open"
    assert lists.list_ids(on_due_day, wg.ACTION_ITEMS, query) == []
    assert lists.list_ids(day, wg.ACTION_ITEMS, lists.Query(text="feedback")) == [late]
    meeting_rows = lists.list_rows(day, wg.MEETINGS, lists.list_ids(day, wg.MEETINGS, lists.Query()))
    keys = [c.key for c in wg.MEETINGS.columns]
    assert meeting_rows[meeting_id][keys.index("overdue")] == 1


# --- services ---------------------------------------------------------------------------------

def test_attendees_are_replaced_by_difference_and_each_change_audited(ctx):
    world = w.best_seattle(ctx)
    quill = w.member(ctx, "Quill", "Mara", world.hsi_seattle, "Special Agent")
    data = MeetingData(world.tf, D(2026, 1, 20), attendees=(Attendee(member_id=quill),
                                                             Attendee(agency_id=world.ofo_seattle, name="DFO Seattle")))
    meeting_id = wg.create_meeting(ctx, data).id
    detail = wg.get_meeting(ctx, meeting_id)
    assert [a.label for a in detail.attendees] == ["Quill, Mara (HSI SEA)", "DFO Seattle (DFO Seattle)"]
    wg.update_meeting(ctx, meeting_id, MeetingData(world.tf, D(2026, 1, 20), "Minutes.", (
        Attendee(member_id=quill), Attendee(name="SAC Seattle"))))
    detail = wg.get_meeting(ctx, meeting_id)
    assert [a.label for a in detail.attendees] == ["Quill, Mara (HSI SEA)", "SAC Seattle"]
    rows = history.history(ctx, "meeting", meeting_id)
    assert [h.action for h in rows if h.what.startswith("meeting attendee")].count("create") == 3
    assert [h.action for h in rows if h.what.startswith("meeting attendee")].count("delete") == 1
    assert any(h.field == "minutes" and h.new == "Minutes." for h in rows)


def test_an_item_belongs_to_its_meetings_task_force_and_a_meeting_with_items_stays(ctx):
    world = w.best_seattle(ctx)
    group = w.working_group(ctx, world.ofo_seattle)
    meeting_id = wg.create_meeting(ctx, MeetingData(group, D(2026, 1, 20))).id
    with pytest.raises(ValidationFailed) as err:
        wg.create_action_item(ctx, ActionItemData(world.tf, "Directive", D(2026, 2, 1),
                                                  owner_agency_id=world.ofo_seattle, meeting_id=meeting_id))
    assert err.value.for_field("task_force_id") == "The meeting that raised this item belongs to another task force."
    item_id = wg.create_action_item(ctx, ActionItemData(group, "Directive", D(2026, 2, 1),
                                                        owner_agency_id=world.ofo_seattle, meeting_id=meeting_id)).id
    with pytest.raises(Conflict, match="still used by 1 action item"):
        wg.delete_meeting(ctx, meeting_id)
    with pytest.raises(ValidationFailed):
        wg.update_meeting(ctx, meeting_id, MeetingData(world.tf, D(2026, 1, 20)))
    with pytest.raises(ValidationFailed) as err:
        wg.create_action_item(ctx, ActionItemData(group, "Nobody's", D(2026, 2, 1)))
    assert err.value.for_field("owner_member_id")
    wg.delete_action_item(ctx, item_id)
    wg.delete_meeting(ctx, meeting_id)
    with ctx.db.engine.connect() as conn:
        assert conn.execute(select(S.meeting)).first() is None


def test_mark_done_once_then_reopen_and_an_item_without_meeting_shows_in_its_task_force(ctx):
    world = w.best_seattle(ctx)
    owner = w.member(ctx, "Okafor", "Lee", world.ofo_blaine, "SCBPO")
    item_id = wg.create_action_item(ctx, ActionItemData(world.tf, "Brief port staff", D(2026, 5, 1),
                                                        owner_member_id=owner)).id
    detail = wg.get_action_item(ctx, item_id, D(2026, 5, 2))
    assert (detail.row.owner, detail.owner_member_label, detail.row.overdue) == ("Okafor, Lee", "Okafor, Lee", True)
    wg.mark_done(at(ctx, D(2026, 5, 4)), item_id)
    with pytest.raises(TaskforceError, match="already marked done on 2026-05-04"):
        wg.mark_done(ctx, item_id)
    wg.reopen(ctx, item_id)
    assert wg.get_action_item(ctx, item_id).data.status == ActionStatus.OPEN
    assert wg.get_action_item(ctx, item_id).data.done_on is None
    assert any(h.what == f"action item #{item_id}" for h in history.history(ctx, "task_force", world.tf))


def test_only_working_groups_and_task_forces_that_met_are_scheduled(ctx):
    world = w.best_seattle(ctx)  # BEST Seattle has not met: not scheduled
    blaine = w.working_group(ctx, world.ofo_seattle, "Blaine port working group")
    w.working_group(ctx, world.ofo_seattle, "New working group")
    w.working_group(ctx, world.ofo_seattle, "Disbanded working group", active_to=D(2026, 1, 1))
    wg.create_meeting(ctx, MeetingData(blaine, D(2026, 2, 1)))
    schedule = wg.meeting_schedule(ctx, D(2026, 5, 20))
    assert [(s.task_force, s.state, s.next_due_on) for s in schedule] == [
        ("Blaine port working group", MeetingDue.OVERDUE, D(2026, 5, 2)),
        ("New working group", MeetingDue.DUE, None)]  # never met: due now
    # a meeting held after the day asked about does not count yet
    wg.create_meeting(ctx, MeetingData(world.tf, D(2026, 6, 1)))
    assert "BEST Seattle" not in [s.task_force for s in wg.meeting_schedule(ctx, D(2026, 5, 20))]
    assert "BEST Seattle" in [s.task_force for s in wg.meeting_schedule(ctx, D(2026, 6, 1))]


# --- CLI --------------------------------------------------------------------------------------

def _tf(*args):
    env = {k: v for k, v in os.environ.items() if k != "TASKFORCE_DB"}
    return subprocess.run([sys.executable, "-m", "taskforce", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


def test_cli_actions_and_meetings(ctx, db_path):
    world = w.best_seattle(ctx)
    meeting_id = wg.create_meeting(ctx, MeetingData(world.tf, D(2026, 1, 20))).id
    wg.create_action_item(ctx, ActionItemData(world.tf, "Local feedback action plan", D(2026, 1, 31),
                                              owner_agency_id=world.ofo_seattle, meeting_id=meeting_id))
    wg.create_action_item(ctx, ActionItemData(world.tf, "Advise staff", D(2026, 3, 1),
                                              owner_agency_id=world.hsi_seattle))

    out = _tf("--db", db_path, "actions", "--overdue", "--as-of", "2026-02-01", "--json")
    assert out.returncode == 0, out.stderr
    items = json.loads(out.stdout)["items"]
    assert [(i["title"], i["owner"], i["days_overdue"]) for i in items] == [
        ("Local feedback action plan", "DFO Seattle", 1)]
    text = _tf("--db", db_path, "actions", "--as-of", "2026-02-01").stdout
    assert "OVERDUE 1 d" in text and "2 action items, 1 overdue as of 2026-02-01" in text
    assert "No overdue action items." in _tf("--db", db_path, "actions", "--overdue", "--as-of", "2026-01-31").stdout

    meetings = _tf("--db", db_path, "meetings", "--as-of", "2026-04-21")
    assert meetings.returncode == 0, meetings.stderr
    assert "BEST Seattle: OVERDUE since 2026-04-20 (1 d)" in meetings.stdout
    data = json.loads(_tf("--db", db_path, "meetings", "--as-of", "2026-04-06", "--json").stdout)
    assert data["schedule"][0]["state"] == "due" and data["schedule"][0]["next_due_on"] == "2026-04-20"
    assert data["meetings"][0]["open_items"] == 1

    bad = _tf("--db", db_path, "actions", "--as-of", "2026-02-30")
    assert bad.returncode == 1 and bad.stderr.strip().count("\n") == 0
    assert "--as-of must be a date written YYYY-MM-DD" in bad.stderr


# --- GUI --------------------------------------------------------------------------------------

def _button(widget, name: str) -> QPushButton:
    button = widget.findChild(QPushButton, name)
    assert button is not None, name
    return button


def test_meeting_window_adds_an_action_item_and_marks_it_done(qtbot, ctx):
    from taskforce.gui.main_window import MainWindow
    from taskforce.gui.record_window import RecordWindow
    from taskforce.gui.records.base import edit_with
    from taskforce.gui.records.working_group import ActionItemKind, MeetingKind

    from tests.test_gui_flow import only_form, pick, save

    world = w.best_seattle(ctx)
    quill = w.member(ctx, "Quill", "Mara", world.hsi_seattle, "Special Agent")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    shell = window.workspace

    # a new meeting through its form, with three attendees: a member picked, an office, a title
    dialog = edit_with(shell, MeetingKind().editor(shell, window, None))
    combo = dialog.widgets["task_force_id"]
    combo.setCurrentIndex(combo.findData(world.tf))
    dialog.widgets["held_on"].set_value(D(2026, 1, 20))
    attendees = dialog.widgets["attendees"]
    attendees.set_value(((None, world.ofo_seattle, "DFO Seattle"), (None, None, "SAC Seattle")))
    attendees.add_row()
    assert not dialog.save_button.isEnabled()  # an empty attendee row
    assert "needs a member, an agency or a name" in dialog.errors["attendees"].text()
    pick(qtbot, attendees.table.cellWidget(2, 0), "Quill")
    qtbot.keyClicks(dialog.widgets["minutes"], "Local feedback between OFO and OI.")
    save(qtbot, dialog)
    meeting_id = dialog.change.id
    assert [a.attendee.member_id for a in wg.get_meeting(ctx, meeting_id).attendees] == [None, None, quill]

    record = RecordWindow(shell, MeetingKind(), meeting_id, window)
    shell.windows.append(record)  # as open_record does: refreshed on changes
    qtbot.waitUntil(lambda: record.detail is not None, timeout=5000)
    assert len(record.detail.attendees) == 3

    # Add… on the Action items tab: the owner is required, one only
    tab = record.child_tab("Action items")
    qtbot.mouseClick(_button(tab, "Action items_add"), Qt.MouseButton.LeftButton)
    form = only_form(record)
    assert form.widgets["task_force_id"].value() == world.tf and not form.widgets["task_force_id"].isEnabled()
    qtbot.keyClicks(form.widgets["title"], "Local feedback action plan")
    form.widgets["due_on"].set_value(D(2026, 1, 31))
    assert not form.save_button.isEnabled()
    pick(qtbot, form.widgets["owner_agency_id"], "DFO Seattle")
    save(qtbot, form)
    qtbot.waitUntil(lambda: len(record.detail.action_items) == 1, timeout=5000)
    tab = record.child_tab("Action items")
    assert tab.table.item(0, 3).text().startswith("⚠ Overdue")  # due 2026-01-31, today 2026-11-23
    assert "1 action item(s) overdue" in record.overview.toPlainText()

    # Edit… marks it done: choosing Done fills in today
    tab.table.selectRow(0)
    qtbot.mouseClick(_button(tab, "Action items_edit"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(f.isVisible() for f in record.findChildren(type(form))), timeout=5000)
    form = only_form(record)
    status = form.widgets["status"]
    status.setCurrentIndex(status.findData("done"))
    assert form.widgets["done_on"].value() == D(2026, 11, 23)
    save(qtbot, form)
    qtbot.waitUntil(lambda: record.detail.action_items[0].status == "done", timeout=5000)
    assert record.child_tab("Action items").table.item(0, 3).text() == "Done 2026-11-23"

    # the item's own window
    item_window = RecordWindow(shell, ActionItemKind(), record.detail.action_items[0].id, window)
    qtbot.waitUntil(lambda: item_window.detail is not None, timeout=5000)
    assert "DFO Seattle" in item_window.overview.toPlainText()
    assert item_window.history.rowCount() >= 3  # created, status, done on
    item_window.close()
    record.close()
    window.close()
