"""The working group's action items (rule 9) by owner: overdue first, then open by due date,
then done.

Action items are the task force's own records, not releasable items under rule 6, so nothing
here is screened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from taskforce.domain.working_group import ActionStatus, action_item_overdue, days_overdue
from taskforce.i18n import tr
from taskforce.reports import blocks
from taskforce.reports.blocks import Column
from taskforce.reports.document import DocumentInfo
from taskforce.reports.publish import Gathered, ReportRequest, register
from taskforce.services import report_lists as q
from taskforce.services.report_lists import as_date

OVERDUE, OPEN, DONE = 0, 1, 2  # the order items print in under each owner


@dataclass(frozen=True)
class ItemLine:
    due_on: date
    title: str
    state: int  # OVERDUE | OPEN | DONE
    status: str  # "Overdue (12 days)", "Open", "Done 2026-02-01"
    meeting: str


@dataclass(frozen=True)
class OwnerSection:
    owner: str
    items: tuple[ItemLine, ...]


@dataclass(frozen=True)
class ActionItems:
    scope: str
    as_of: date
    owners: tuple[OwnerSection, ...]
    overdue: int
    open: int  # not yet due
    done: int


class ActionItemsReport:
    key = "action-items"
    label = tr("Working group action items")

    def gather(self, ctx, conn, screen, request: ReportRequest, progress) -> Gathered:  # noqa: ANN001
        as_of = ctx.today()
        scope = q.scope_of(conn, request.task_force)
        owners: dict[str, tuple[str, list[ItemLine]]] = {}
        for r in q.action_item_rows(conn, scope):
            due = as_date(r.due_on)
            if r.status == ActionStatus.DONE:
                state, status = DONE, tr(f"Done {r.done_on}") if r.done_on else tr("Done")
            elif action_item_overdue(r.status, due, as_of):
                late = days_overdue(r.status, due, as_of)
                state, status = OVERDUE, tr(f"Overdue ({late} day{'s' if late != 1 else ''})")
            else:
                state, status = OPEN, tr("Open")
            meeting = str(r.meeting) if r.meeting else "\u2014"
            if scope.id is None:  # every task force in one document: say whose item it is
                meeting = f"{meeting}\n{r.task_force}"
            owners.setdefault(r.owner_key, (r.owner or tr("(no owner)"), []))[1].append(
                ItemLine(due, r.title, state, status, meeting))
        sections = tuple(OwnerSection(owner, tuple(sorted(items, key=_order)))
                         for owner, items in owners.values())
        counts = [sum(1 for s in sections for i in s.items if i.state == state) for state in (OVERDUE, OPEN, DONE)]
        data = ActionItems(scope.name, as_of, sections, *counts)
        return Gathered(tr(f"Working group action items \u2014 {scope.title}"), data)

    def build(self, gathered: Gathered, info: DocumentInfo, cover_notes: list[str]) -> tuple[list, list]:
        d: ActionItems = gathered.data
        story = blocks.cover(gathered.title, tr("Action items by owner and due date"), [
            (tr("Task force"), d.scope or tr("All task forces")), (tr("As of"), d.as_of.isoformat()),
            (tr("Owners"), str(len(d.owners))), (tr("Overdue"), str(d.overdue)),
            (tr("Open, not yet due"), str(d.open)), (tr("Done"), str(d.done)),
        ], info.marking, cover_notes)
        if not d.owners:
            story.append(blocks.heading(tr("Action items"), 1))
            story.append(blocks.empty(tr("No action items recorded.")))
        columns = (Column(tr("Due"), 0.13), Column(tr("Item"), 0.43), Column(tr("Status"), 0.2),
                   Column(tr("Meeting"), 0.24))
        for section in d.owners:
            items = section.items
            story.append(blocks.heading(section.owner, 1))
            story.extend(blocks.table(
                columns, ([i.due_on.isoformat(), i.title, i.status, i.meeting] for i in items),
                empty=tr("No action items recorded."),
                row_styles=lambda n, _row, items=items: {OVERDUE: "danger", DONE: "muted"}.get(items[n].state)))
        return story, []


def _order(item: ItemLine) -> tuple:
    # overdue and open by due date (oldest first); done ones last, the most recently due first
    return (item.state, item.due_on if item.state != DONE else -item.due_on.toordinal())


register(ActionItemsReport())
