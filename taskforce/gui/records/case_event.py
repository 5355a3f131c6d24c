"""The case window's Timeline tab: dated events, controlled deliveries with their outcome."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from taskforce.domain.case_events import CaseEventData, EventKind
from taskforce.gui.fields import ChecklistField, ChoiceField, DateField, RowsField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import ChildTab, Shell, agency_picker, edit_with, run_change
from taskforce.services import case_events, lookup
from taskforce.services.case_events import EventRow, Timeline
from taskforce.services.context import Context


def event_form(shell: Shell, parent: QWidget, case_id: int, event: EventRow | None = None) -> FormDialog:
    ctx = shell.ctx
    fields = [
        Field("kind", "Event", lambda: ChoiceField(EventKind.choices()), True),
        Field("occurred_on", "Date", lambda: DateField(optional=False), True),
        Field("lead_agency_id", "Lead agency", agency_picker(ctx),
              help="Required for a controlled delivery: ICE HSI or the task force's investigative "
                   "lead (001 Controlled Deliveries)"),
        Field("agency_ids", "Other agencies involved", lambda: RowsField([("Agency", agency_picker(ctx))])),
        Field("description", "Description", QPlainTextEdit),
        Field("outcome", "Outcome", QLineEdit, help="For a controlled delivery: delivered, arrests made, seized …"),
        Field("originating_agency_id", "Reported by agency", agency_picker(ctx),
              help="Where the information came from (Third Party Rule); empty: the case's"),
        Field("caveat_ids", "Handling caveats", lambda: ChecklistField(lookup.caveats(ctx)),
              help="Restrictions the record carries, e.g. derived from EU PNR data (Third Party Rule)"),
    ]

    def build(v: dict) -> CaseEventData:
        rows = v.pop("agency_ids")
        return CaseEventData(case_id=case_id, agency_ids=tuple(a for (a,) in rows if a), **v)

    if event:
        x = event.data
        initial = {"kind": x.kind, "occurred_on": x.occurred_on, "lead_agency_id": x.lead_agency_id,
                   "agency_ids": tuple((a,) for a in x.agency_ids), "description": x.description,
                   "outcome": x.outcome, "originating_agency_id": x.originating_agency_id,
                   "caveat_ids": x.caveat_ids}
        save = lambda data: case_events.update_event(ctx, event.id, data)  # noqa: E731
    else:
        initial = {"occurred_on": ctx.today()}
        save = lambda data: case_events.add_event(ctx, data)  # noqa: E731
    return FormDialog(parent, "Edit event" if event else "New event", fields, build, save, shell.worker, initial)


def case_tab_data(ctx: Context, case_id: int) -> Timeline:
    """On the worker thread."""
    return case_events.timeline(ctx, case_id)


def case_tab(shell: Shell, parent: QWidget, case_id: int, data: Timeline) -> ChildTab:
    """On the GUI thread; no database access. Rows come oldest first; the tab's table sorts by
    its Date column (ChildTabWidget's default shows the newest on top)."""
    by_id = {e.id: e for e in data.events}
    return ChildTab(
        "Timeline", ["Date", "Event", "Lead agency", "Agencies involved", "Description", "Outcome"],
        [(e.id, [str(e.data.occurred_on), e.kind_label, e.lead_agency, ", ".join(e.agencies),
                 e.data.description, "⚠ not recorded yet" if e.data.needs_outcome else e.data.outcome])
         for e in data.events],
        add=lambda: edit_with(shell, event_form(shell, parent, case_id)),
        edit=lambda i: edit_with(shell, event_form(shell, parent, case_id, by_id[i])),
        remove=lambda i: run_change(shell, parent, lambda: case_events.delete_event(shell.ctx, i),
                                    "Remove this event from the timeline? Its history is kept."),
        empty="No events yet. Add… to record an arrest, a seizure, a controlled delivery …",
        flags={e.id: "warning" for e in data.events if e.data.needs_outcome},
    )
