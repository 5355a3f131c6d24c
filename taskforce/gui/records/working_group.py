"""The working group (rule 9): a meeting with its attendees and minutes, and the action items it
raised; an action item with its one owner, due date and status.

An item is marked done from its form (Status: Done fills in today's date), reached with Edit…
on the meeting's Action items tab or on the item's own window.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from taskforce.domain.working_group import ActionItemData, ActionStatus, Attendee, MeetingData
from taskforce.gui.fields import ChoiceField, DateField, PickerField, RowsField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import ChildTab, RecordKind, Shell, agency_picker, edit_with, esc, facts, run_change
from taskforce.services import lookup
from taskforce.services import working_group as wg
from taskforce.services.context import Context
from taskforce.services.working_group import ActionItemDetail, ActionItemRow, MeetingDetail

OVERDUE_STYLE = "color:#b3261e"


def _member_picker(ctx: Context, labels: dict[int, str] | None = None):  # noqa: ANN202
    labels = labels or {}
    return lambda: PickerField(lambda t: lookup.members(ctx, t), lambda i: labels.get(i, ""))


def status_text(item: ActionItemRow) -> str:
    """Never colour alone: the word says it (UX.md)."""
    if item.overdue:
        return f"⚠ Overdue {item.days_overdue} d"
    if item.status == ActionStatus.DONE:
        return f"Done {item.done_on}"
    return ActionStatus.OPEN.label


def action_item_form(shell: Shell, parent: QWidget, detail: ActionItemDetail | None = None, *,
                     task_force_id: int | None = None, meeting_id: int | None = None) -> FormDialog:
    """New (raised by ``meeting_id`` when given) or edit; choosing Status: Done fills in today."""
    ctx = shell.ctx
    member_labels = {detail.data.owner_member_id: detail.owner_member_label} if detail and detail.data.owner_member_id else {}
    fields = [
        Field("task_force_id", "Task force", lambda: ChoiceField(lookup.task_forces(ctx), optional=True), True),
        Field("title", "Title", QLineEdit, True),
        Field("owner_member_id", "Owner (member)", _member_picker(ctx, member_labels),
              help="The owner is one member or one agency"),
        Field("owner_agency_id", "Owner (agency)", agency_picker(ctx),
              help="An office as owner, e.g. a field office; leave empty when a member owns it"),
        Field("due_on", "Due", lambda: DateField(optional=False), True),
        Field("status", "Status", lambda: ChoiceField(ActionStatus.choices()), True),
        Field("done_on", "Done on", DateField),
    ]
    if detail:
        initial = {k: getattr(detail.data, k) for k in ActionItemData.__dataclass_fields__}
        meeting_id = detail.data.meeting_id
        save = lambda data: wg.update_action_item(ctx, detail.row.id, data)  # noqa: E731
    else:
        initial = {"task_force_id": task_force_id, "status": ActionStatus.OPEN.value, "due_on": ctx.today()}
        save = lambda data: wg.create_action_item(ctx, data)  # noqa: E731

    def build(v: dict) -> ActionItemData:
        return ActionItemData(meeting_id=meeting_id, title=v["title"].strip(), **{
            k: v[k] for k in ("task_force_id", "due_on", "owner_member_id", "owner_agency_id", "status", "done_on")})

    title = "Edit action item" if detail else ("New action item from this meeting" if meeting_id else "New action item")
    dialog = FormDialog(parent, title, fields, build, save, shell.worker, initial)
    status, done_on = dialog.widgets["status"], dialog.widgets["done_on"]

    def status_changed(*_args) -> None:  # noqa: ANN002
        if status.value() == ActionStatus.DONE and done_on.value() is None:
            done_on.set_value(ctx.today())
        elif status.value() == ActionStatus.OPEN:
            done_on.set_value(None)
    status.currentIndexChanged.connect(status_changed)
    if meeting_id is not None:
        dialog.widgets["task_force_id"].setEnabled(False)  # an item belongs to its meeting's task force
    return dialog


def action_items_tab(shell: Shell, parent: QWidget, items: tuple[ActionItemRow, ...], *,
                     task_force_id: int | None, meeting_id: int | None) -> ChildTab:
    ctx = shell.ctx

    def edit(item_id: int) -> None:
        def show(detail: ActionItemDetail) -> None:
            edit_with(shell, action_item_form(shell, parent, detail))
        shell.worker.submit(lambda: wg.get_action_item(ctx, item_id), show)

    return ChildTab(
        "Action items", ["Title", "Owner", "Due", "Status"],
        [(i.id, [i.title, i.owner, str(i.due_on), status_text(i)]) for i in items],
        add=lambda: edit_with(shell, action_item_form(shell, parent, task_force_id=task_force_id,
                                                      meeting_id=meeting_id)),
        edit=edit,
        open=lambda i: shell.open_record("action_item", i),
        remove=lambda i: run_change(shell, parent, lambda: wg.delete_action_item(ctx, i),
                                    "Delete this action item? Its history is kept."),
        empty="No action items. Add… to record one with its owner and due date; Edit or mark done… to close one.",
        edit_label="Edit or mark done…",
        flags={i.id: "overdue" for i in items if i.overdue},
    )


class MeetingKind(RecordKind):
    entity, noun, list_name = "meeting", "meeting", "meetings"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return wg.get_meeting(ctx, record_id)

    def title(self, d: MeetingDetail) -> str:
        return f"{d.task_force} — meeting of {d.data.held_on}"

    def overview(self, d: MeetingDetail) -> str:
        overdue = [i for i in d.action_items if i.overdue]
        open_items = [i for i in d.action_items if i.status == ActionStatus.OPEN]
        warning = (f"<p style='{OVERDUE_STYLE}'><b>⚠ {len(overdue)} action item(s) overdue</b></p>"
                   if overdue else "")
        attendees = "<br>".join(esc(a.label) for a in d.attendees)
        minutes = esc(d.data.minutes).replace("\n", "<br>")
        return (f"<h2>{esc(d.task_force)}</h2><h3>Meeting of {esc(d.data.held_on)}</h3>" + warning + facts([
            ("Attendees", f"<span>{attendees}</span>" if attendees else "none recorded"),
            ("Action items", f"{len(d.action_items)} ({len(open_items)} open)"),
        ]) + (f"<h3>Minutes</h3><p>{minutes}</p>" if minutes else ""))

    def tabs(self, shell: Shell, parent: QWidget, d: MeetingDetail) -> list[ChildTab]:
        return [
            action_items_tab(shell, parent, d.action_items, task_force_id=d.data.task_force_id, meeting_id=d.id),
            ChildTab("Attendees", ["Attendee"], [(a.id, [a.label]) for a in d.attendees],
                     empty="No attendees recorded: Edit… the meeting to list them."),
        ]

    def editor(self, shell: Shell, parent: QWidget, d: MeetingDetail | None) -> FormDialog:
        ctx = shell.ctx
        labels = {a.attendee.member_id: a.label for a in d.attendees if a.attendee.member_id} if d else {}
        fields = [
            Field("task_force_id", "Task force", lambda: ChoiceField(lookup.task_forces(ctx), optional=True), True),
            Field("held_on", "Held on", lambda: DateField(optional=False), True),
            Field("attendees", "Attendees", lambda: RowsField([
                ("Member", _member_picker(ctx, labels)), ("Agency", agency_picker(ctx)), ("Name or title", None)]),
                help="A member; or an agency; or a name or title (e.g. DFO Atlanta), with its agency if known"),
            Field("minutes", "Minutes", QPlainTextEdit),
        ]
        if d:
            initial = {"task_force_id": d.data.task_force_id, "held_on": d.data.held_on, "minutes": d.data.minutes,
                       "attendees": tuple((a.member_id, a.agency_id, a.name) for a in d.data.attendees)}
            save = lambda data: wg.update_meeting(ctx, d.id, data)  # noqa: E731
        else:
            initial = {"held_on": ctx.today()}
            save = lambda data: wg.create_meeting(ctx, data)  # noqa: E731

        def build(v: dict) -> MeetingData:
            return MeetingData(v["task_force_id"], v["held_on"], v["minutes"],
                               tuple(Attendee(m, a, (n or "").strip()) for m, a, n in v["attendees"]))

        return FormDialog(parent, "Edit meeting" if d else "New meeting", fields, build, save, shell.worker, initial)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return wg.delete_meeting(ctx, record_id)


class ActionItemKind(RecordKind):
    entity, noun, list_name = "action_item", "action item", "action_items"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return wg.get_action_item(ctx, record_id)

    def title(self, d: ActionItemDetail) -> str:
        return d.row.title

    def overview(self, d: ActionItemDetail) -> str:
        r = d.row
        status = status_text(r)
        if r.overdue:
            status = f"<span style='{OVERDUE_STYLE}'><b>{esc(status)}</b></span>"
        return f"<h2>{esc(r.title)}</h2>" + facts([
            ("Status", status), ("Owner", r.owner), ("Due", r.due_on), ("Done on", r.done_on),
            ("Task force", r.task_force), ("Raised at the meeting of", r.meeting_held_on),
        ])

    def editor(self, shell: Shell, parent: QWidget, d: ActionItemDetail | None) -> FormDialog:
        return action_item_form(shell, parent, d)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return wg.delete_action_item(ctx, record_id)
