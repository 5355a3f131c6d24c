"""Feedback status: support given and the feedback owed for it (rule 2), by agency pair,
overdue first; then every open obligation.

Each support record is a releasable item (rule 6): it passes ``Screen.admit`` before anything
of it (its agencies, its dates, even its being counted) goes into the document, so the pair
figures of a partner's copy are computed over what that partner may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from taskforce.domain.enums import label_of
from taskforce.domain.feedback import (
    FEEDBACK_WARNING_DAYS, ObligationStatus, SupportKind, days_overdue, days_to_feedback, due_soon, median,
    obligation_status,
)
from taskforce.domain.release import ItemKind
from taskforce.i18n import tr
from taskforce.reports import blocks
from taskforce.reports.blocks import Column
from taskforce.reports.document import DocumentInfo
from taskforce.reports.publish import Gathered, ReportRequest, register
from taskforce.services import report_lists as q
from taskforce.services import caveats
from taskforce.services.release import Releasable
from taskforce.services.report_lists import as_date

ARROW = "\u2192"


@dataclass(frozen=True)
class PairLine:
    giver: str
    receiver: str
    given: int
    open: int
    overdue: int
    closed: int
    median_days: float | None
    most_days_overdue: int


@dataclass(frozen=True)
class OpenLine:
    given_on: date
    giver: str
    receiver: str
    kind: str
    case_number: str
    due_on: date
    days_overdue: int
    due_soon: bool


@dataclass(frozen=True)
class FeedbackStatus:
    scope: str
    as_of: date
    pairs: tuple[PairLine, ...]  # overdue pairs first, most overdue first
    open: tuple[OpenLine, ...]  # overdue first (oldest due date first), then by due date
    given: int
    closed: int
    overdue: int
    median_days: float | None
    withheld: int = 0  # support records this recipient may not receive (only their number)


class FeedbackReport:
    key = "feedback"
    label = tr("Feedback status")

    def gather(self, ctx, conn, screen, request: ReportRequest, progress) -> Gathered:  # noqa: ANN001
        as_of = ctx.today()
        scope = q.scope_of(conn, request.task_force)
        rows = q.support_rows(conn, scope, as_of)
        support_keys = caveats.keys(conn, ItemKind.SUPPORT, [r.id for r in rows])
        case_keys = caveats.keys(conn, ItemKind.CASE, [r.case_id for r in rows if r.case_id])
        pairs: dict[tuple[str, str, int, int], list] = {}
        open_lines: list[OpenLine] = []
        all_days: list[int] = []
        withheld = 0
        for r in rows:
            # rule 6 before anything else: a row not admitted is not counted either
            keys = support_keys.get(r.id, frozenset()) | case_keys.get(r.case_id, frozenset())
            records = (("case", r.case_id),) if r.case_id else ()
            if not screen.admit(Releasable(ItemKind.SUPPORT, r.id, r.origin, keys, records)):
                withheld += 1
                continue
            given, due, closed = as_date(r.given_on), as_date(r.feedback_due_on), as_date(r.closed)
            status = obligation_status(closed, due, as_of)
            late = days_overdue(closed, due, as_of)
            took = days_to_feedback(given, closed) if closed else None
            pairs.setdefault((r.giver, r.receiver, r.from_agency_id, r.to_agency_id), []).append((status, late, took))
            if took is not None:
                all_days.append(took)
            if status is not ObligationStatus.CLOSED:
                open_lines.append(OpenLine(given, r.giver, r.receiver, label_of(SupportKind, r.kind),
                                           r.case_number, due, late, due_soon(closed, due, as_of)))
        pair_lines = [_pair(giver, receiver, items) for (giver, receiver, _g, _r), items in pairs.items()]
        pair_lines.sort(key=lambda p: (-p.overdue, -p.most_days_overdue, -p.open,
                                       p.giver.casefold(), p.receiver.casefold()))
        open_lines.sort(key=lambda o: (-o.days_overdue, o.due_on, o.given_on))
        data = FeedbackStatus(
            scope.name, as_of, tuple(pair_lines), tuple(open_lines), sum(p.given for p in pair_lines),
            sum(p.closed for p in pair_lines), sum(p.overdue for p in pair_lines), median(all_days), withheld)
        return Gathered(tr(f"Feedback status \u2014 {scope.title}"), data)

    def build(self, gathered: Gathered, info: DocumentInfo, cover_notes: list[str]) -> tuple[list, list]:
        d: FeedbackStatus = gathered.data
        story = blocks.cover(gathered.title, tr("Support given and feedback owed, by agency pair"), [
            (tr("Task force"), d.scope or tr("All task forces")), (tr("As of"), d.as_of.isoformat()),
            (tr("Support given"), str(d.given)), (tr("Feedback received"), str(d.closed)),
            (tr("Open"), str(len(d.open))), (tr("Overdue"), str(d.overdue)),
            (tr("Median days to feedback"), _days(d.median_days)),
        ], info.marking, cover_notes)
        story.append(blocks.heading(tr("Obligations by agency pair"), 1))
        story.append(blocks.paragraph(tr(
            "Each support record obliges the receiver to report back what came of it, within the task "
            "force's feedback interval. Pairs with overdue obligations come first."), "muted"))
        story.extend(blocks.table(
            (Column(tr(f"From {ARROW} To"), 0.4), Column(tr("Given"), 0.1, "right"), Column(tr("Open"), 0.1, "right"),
             Column(tr("Overdue"), 0.12, "right"), Column(tr("Closed"), 0.12, "right"),
             Column(tr("Median days"), 0.16, "right")),
            ([f"{p.giver} {ARROW} {p.receiver}", str(p.given), str(p.open), str(p.overdue), str(p.closed),
              _days(p.median_days)] for p in d.pairs),
            empty=tr("No support that may be released to this recipient.") if d.withheld
            else tr("No support recorded."),
            row_styles=lambda i, _row: "danger" if d.pairs[i].overdue else None))
        overdue_by_owner: dict[str, int] = {}
        for o in d.open:
            if o.days_overdue:
                overdue_by_owner[o.receiver] = overdue_by_owner.get(o.receiver, 0) + 1
        if overdue_by_owner:
            story.append(blocks.bar_chart(tr("Overdue obligations by the agency that owes feedback"),
                                          sorted(overdue_by_owner.items(), key=lambda kv: (-kv[1], kv[0]))[:30]))
        story.append(blocks.heading(tr("Open obligations"), 1))
        story.append(blocks.paragraph(tr(
            f"Overdue first, the longest overdue at the top; then by due date. Shaded amber: due within "
            f"{FEEDBACK_WARNING_DAYS} days."), "muted"))
        story.extend(blocks.table(
            (Column(tr("Given"), 0.12), Column(tr("From"), 0.13), Column(tr("To"), 0.13), Column(tr("Kind"), 0.15),
             Column(tr("Case"), 0.21), Column(tr("Due"), 0.12), Column(tr("Days overdue"), 0.14, "right")),
            ([o.given_on.isoformat(), o.giver, o.receiver, o.kind, o.case_number or "\u2014", o.due_on.isoformat(),
              str(o.days_overdue) if o.days_overdue else ""] for o in d.open),
            empty=tr("No feedback owed that may be released to this recipient.") if d.withheld
            else tr("No feedback is owed."),
            row_styles=lambda i, _row: "danger" if d.open[i].days_overdue else "warning" if d.open[i].due_soon
            else None))
        return story, []


def _pair(giver: str, receiver: str, items: list) -> PairLine:
    took = [t for _s, _late, t in items if t is not None]
    open_ = [s for s, _l, _t in items if s is not ObligationStatus.CLOSED]
    overdue = [late for s, late, _t in items if s is ObligationStatus.OVERDUE]
    return PairLine(giver, receiver, len(items), len(open_), len(overdue), len(items) - len(open_),
                    median(took), max(overdue, default=0))


def _days(value: float | None) -> str:
    if value is None:
        return "\u2014"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


register(FeedbackReport())
