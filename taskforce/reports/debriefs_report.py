"""Debrief participation: the debriefs of a period, how often a CBP officer sat in, and the
briefings owed to the Supervisory CBP Officer when none did (rule 3).

Each debrief is a releasable item (rule 6): it passes ``Screen.admit`` before it is printed or
counted, so the presence rate of a partner's copy is computed over what that partner may see.
A debrief's defendant is the subject record's name, printed only when that subject is
released too; otherwise "(a defendant)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from taskforce.domain.debriefs import BriefingStatus, briefing_status, owed_days
from taskforce.domain.errors import TaskforceError
from taskforce.domain.release import ItemKind
from taskforce.i18n import tr
from taskforce.reports import blocks
from taskforce.reports.blocks import Column
from taskforce.reports.document import DocumentInfo
from taskforce.reports.publish import Gathered, ReportRequest, register
from taskforce.services import report_lists as q
from taskforce.services import caveats
from taskforce.services.release import Releasable, Screen
from taskforce.services.report_lists import as_date

DEFAULT_PERIOD_DAYS = 90
A_DEFENDANT = "(a defendant)"


@dataclass(frozen=True)
class DebriefLine:
    held_on: date
    case_number: str
    defendant: str
    lead_agency: str
    place: str
    participants: str  # one a line: "Mara Quill (HSI SEA, interviewer)"
    cbp_present: bool
    status: BriefingStatus
    briefing: str  # "Owed (12 days)", "Briefed 2026-07-03", "Waived 2026-07-02", "Not needed"
    owed_days: int | None


@dataclass(frozen=True)
class DebriefParticipation:
    scope: str
    start: date
    end: date
    as_of: date
    held: tuple[DebriefLine, ...]  # in the period, oldest first
    owed: tuple[DebriefLine, ...]  # every open briefing up to the period's end, oldest first
    withheld: int = 0  # debriefs this recipient may not receive (only their number)

    @property
    def cbp_present(self) -> int:
        return sum(1 for d in self.held if d.cbp_present)

    def count(self, status: BriefingStatus) -> int:
        return sum(1 for d in self.held if d.status is status)


def period_of(request: ReportRequest, today: date) -> tuple[date, date]:
    """The period asked for; a missing end is today, a missing start 90 days before the end."""
    start, end = request.period or (None, None)
    end = end or today
    start = start or end - timedelta(days=DEFAULT_PERIOD_DAYS)
    if start > end:
        raise TaskforceError(tr(f"The period starts on {start.isoformat()}, after it ends "
                                f"({end.isoformat()}); give the earlier day first."))
    return start, end


def rate(part: int, whole: int) -> str:
    """'7 of 12 (58%)'; '—' with nothing to divide by."""
    if not whole:
        return "\u2014"
    return tr(f"{part} of {whole} ({round(100 * part / whole)}%)")


class DebriefsReport:
    key = "debriefs"
    label = tr("Debrief participation")

    def gather(self, ctx, conn, screen: Screen, request: ReportRequest, progress) -> Gathered:  # noqa: ANN001
        today = ctx.today()
        start, end = period_of(request, today)
        scope = q.scope_of(conn, request.task_force)
        held = q.debriefs_held(conn, scope, start, end)
        owed = q.briefings_owed(conn, scope, end)
        case_keys = caveats.keys(conn, ItemKind.CASE, {r.case_id for r in held + owed})
        debrief_keys = caveats.keys(conn, ItemKind.DEBRIEF, {r.id for r in held + owed})
        subject_keys = caveats.keys(conn, ItemKind.SUBJECT,
                                    {r.defendant_subject_id for r in held + owed if r.defendant_subject_id})

        def admitted(r) -> bool:  # noqa: ANN001 - a result row
            # rule 6 before anything else: originated by the agency that led the debrief
            keys = case_keys.get(r.case_id, frozenset()) | debrief_keys.get(r.id, frozenset())
            return screen.admit(Releasable(ItemKind.DEBRIEF, r.id, r.lead_agency_id, keys, (("case", r.case_id),)))

        found = {r.id for r in held + owed}
        held = [r for r in held if admitted(r)]
        owed = [r for r in owed if admitted(r)]
        withheld = len(found - {r.id for r in held + owed})
        rows = held + owed
        participants = q.debrief_participants(conn, {r.id for r in rows})
        subjects = q.subjects_by_id(conn, {r.defendant_subject_id for r in rows if r.defendant_subject_id})

        def defendant(r) -> str:  # noqa: ANN001
            if r.defendant_subject_id is None:
                return ""
            name, origin = subjects.get(r.defendant_subject_id, ("", None))
            keys = case_keys.get(r.case_id, frozenset()) | subject_keys.get(r.defendant_subject_id, frozenset())
            released = screen.admit(Releasable(ItemKind.SUBJECT, r.defendant_subject_id, origin or r.case_origin,
                                               keys, (("case", r.case_id),)))
            return name if released else tr(A_DEFENDANT)

        def line(r) -> DebriefLine:  # noqa: ANN001
            held_on = as_date(r.held_on)
            status = briefing_status(bool(r.briefing_owed), as_date(r.briefed_on), as_date(r.waived_on))
            days = owed_days(held_on, today) if status is BriefingStatus.OWED else None
            briefing = {BriefingStatus.BRIEFED: tr(f"Briefed {r.briefed_on}"),
                        BriefingStatus.WAIVED: tr(f"Waived {r.waived_on}"),
                        BriefingStatus.OWED: tr(f"Owed ({days} day{'s' if days != 1 else ''})")}.get(status, status.label)
            people = "\n".join(f"{name} ({agency}, {role.replace('_', ' ')})"
                               for name, agency, role in participants.get(r.id, ()))
            return DebriefLine(held_on, r.case_number, defendant(r), r.lead, r.place, people, not r.briefing_owed,
                               status, briefing, days)

        data = DebriefParticipation(scope.name, start, end, today, tuple(line(r) for r in held),
                                    tuple(line(r) for r in owed), withheld)
        return Gathered(tr(f"Debrief participation \u2014 {scope.title}"), data)

    def build(self, gathered: Gathered, info: DocumentInfo, cover_notes: list[str]) -> tuple[list, list]:
        d: DebriefParticipation = gathered.data
        held = len(d.held)
        figures = [
            (tr("Debriefs held"), str(held)),
            (tr("With a CBP officer present"), rate(d.cbp_present, held)),
            (tr("Briefings owed (open)"), str(d.count(BriefingStatus.OWED))),
            (tr("Briefed"), str(d.count(BriefingStatus.BRIEFED))),
            (tr("Waived"), str(d.count(BriefingStatus.WAIVED))),
        ]
        story = blocks.cover(gathered.title, tr("Debriefs held, CBP officer presence and briefings owed"), [
            (tr("Task force"), d.scope or tr("All task forces")),
            (tr("Period"), f"{d.start.isoformat()} \u2013 {d.end.isoformat()}"), *figures,
        ], info.marking, cover_notes)
        story.append(blocks.heading(tr("Debriefs held"), 1))
        story.append(blocks.paragraph(tr(
            "Rule 3: when no CBP officer takes part in a debrief, the investigating agency owes a briefing "
            "to the Supervisory CBP Officer, until it is given or waived with a written reason."), "muted"))
        by_lead: dict[str, int] = {}
        for line in d.held:
            by_lead[line.lead_agency] = by_lead.get(line.lead_agency, 0) + 1
        if by_lead:
            story.append(blocks.bar_chart(tr("Debriefs held by lead agency"),
                                          sorted(by_lead.items(), key=lambda kv: (-kv[1], kv[0]))[:30]))
        story.extend(blocks.table(
            (Column(tr("Held"), 0.12), Column(tr("Case"), 0.21), Column(tr("Defendant"), 0.14),
             Column(tr("Lead agency"), 0.1), Column(tr("Participants"), 0.2), Column(tr("CBP present"), 0.1),
             Column(tr("Briefing"), 0.13)),
            ([x.held_on.isoformat(), x.case_number, x.defendant, x.lead_agency, x.participants,
              tr("Yes") if x.cbp_present else tr("No"), x.briefing] for x in d.held),
            empty=tr("No debriefs held in this period that may be released to this recipient.") if d.withheld
            else tr("No debriefs held in this period."),
            row_styles=lambda i, _row: "warning" if d.held[i].status is BriefingStatus.OWED else None))
        story.append(blocks.heading(tr("Briefings owed"), 1))
        story.append(blocks.paragraph(tr(
            f"Every briefing still owed for a debrief held up to {d.end.isoformat()}, the oldest first, "
            "including those from before the period."), "muted"))
        story.extend(blocks.table(
            (Column(tr("Held"), 0.12), Column(tr("Case"), 0.21), Column(tr("Defendant"), 0.19),
             Column(tr("Owed by"), 0.16), Column(tr("Days owed"), 0.1, "right"), Column(tr("Place"), 0.22)),
            ([x.held_on.isoformat(), x.case_number, x.defendant, x.lead_agency, str(x.owed_days), x.place]
             for x in d.owed),
            empty=tr("No briefings owed that may be released to this recipient.") if d.withheld
            else tr("No briefings are owed.")))
        return story, []


register(DebriefsReport())
