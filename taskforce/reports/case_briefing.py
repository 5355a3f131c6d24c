"""The case briefing (DOMAIN.md "Reports people print"), and the case section the task-force
package repeats for each of its cases.

Everything printed here comes from `services.briefing.CaseBriefing`, which holds only what the
recipient may receive: this module never sees a withheld item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from taskforce.domain.errors import NotFound
from taskforce.i18n import tr
from taskforce.reports import blocks as B
from taskforce.reports.blocks import Column
from taskforce.reports.document import DocumentInfo
from taskforce.reports.publish import Gathered, ReportRequest, register
from taskforce.services.briefing import CaseBriefing, SupportLine, case_briefing, case_id_by_number

NOT_INCLUDED = "Not included in this copy."


def _dash(value: object) -> str:
    return "—" if value in (None, "") else str(value)


def _pair(s: SupportLine) -> str:
    return f"{s.from_agency} → {s.to_agency}"


def _obligation_style(_i: int, row) -> str | None:  # noqa: ANN001
    return "danger" if row[-1] not in ("", "0") else None


@dataclass(frozen=True)
class Section:
    """One table of a case section: its heading, columns, rows and the line printed when empty."""
    heading: str
    columns: list[Column]
    rows: list[tuple]
    empty: str
    row_styles: Callable | None = None


def case_tables(b: CaseBriefing) -> list[Section]:
    """The tables of a case, in the order a briefing tells them (the benchmark reuses them)."""
    return [
        Section(tr("Members and agencies"),
                [Column(tr("Member"), 0.4), Column(tr("Agency"), 0.4), Column(tr("Role"), 0.2)],
                list(b.members), tr("No members assigned.")),
        Section(tr("Subjects"),
                [Column(tr("Name"), 0.19), Column(tr("Kind"), 0.1), Column(tr("Role"), 0.1),
                 Column(tr("Born"), 0.12), Column(tr("Nationality"), 0.12), Column(tr("Aliases"), 0.16),
                 Column(tr("Identifiers"), 0.21)],
                [(s.name, s.kind, s.role, s.dob, s.nationality, s.aliases, s.identifiers) for s in b.subjects],
                tr("No subjects in this copy.")),
        Section(tr("Timeline"),
                [Column(tr("Date"), 0.12), Column(tr("Event"), 0.16), Column(tr("Lead agency"), 0.18),
                 Column(tr("Description"), 0.36), Column(tr("Outcome"), 0.18)],
                [(e.on, e.kind, e.lead_agency, e.description, e.outcome) for e in b.events],
                tr("No events in this copy.")),
        Section(tr("Notes"),
                [Column(tr("Written (UTC)"), 0.14), Column(tr("Author"), 0.14), Column(tr("From"), 0.16),
                 Column(tr("Note"), 0.56)],
                [(n.written, n.author, n.agency, f"[{n.caveats}] {n.body}" if n.caveats else n.body)
                 for n in b.notes],
                tr("No notes in this copy.")),
        Section(tr("Debriefs and who attended"),
                [Column(tr("Held"), 0.12), Column(tr("Defendant"), 0.14), Column(tr("Lead agency"), 0.14),
                 Column(tr("Place"), 0.12), Column(tr("Participants"), 0.28), Column(tr("CBP"), 0.08),
                 Column(tr("Briefing"), 0.12)],
                [(d.held_on, d.defendant, d.lead_agency, d.place,
                  "; ".join(f"{name} ({agency}, {role})" for name, agency, role in d.participants),
                  tr("Yes") if d.cbp_present else tr("No"), d.briefing) for d in b.debriefs],
                tr("No debriefs in this copy."),
                lambda _i, row: "warning" if row[-1] == "Owed" else None),
        Section(tr("Support given and feedback received"),
                [Column(tr("Given"), 0.12), Column(tr("From → to"), 0.22), Column(tr("Support"), 0.13),
                 Column(tr("Description"), 0.19), Column(tr("Due"), 0.12), Column(tr("Feedback"), 0.22)],
                [(s.given_on, _pair(s), s.kind, s.description, s.due_on, s.feedback or s.status.label)
                 for s in b.support],
                tr("No support records in this copy.")),
        Section(tr("Open obligations"),
                [Column(tr("Due"), 0.12), Column(tr("Feedback owed by"), 0.3), Column(tr("To"), 0.28),
                 Column(tr("Support"), 0.18), Column(tr("Days overdue"), 0.12, "right")],
                [(s.due_on, s.to_agency, s.from_agency, s.kind, s.days_overdue or "") for s in b.open_obligations],
                tr("No feedback owed."), _obligation_style),
    ]


def case_section(b: CaseBriefing, level: int = 1) -> list:
    """Synopsis, people, subjects, timeline, notes, debriefs, support and open obligations.

    Level 1 for a briefing (each part a top heading), 2 inside a package (under the case).
    """
    out: list = [B.heading(tr("Synopsis"), level)]
    if b.summary is None:
        out.append(B.empty(tr(NOT_INCLUDED)))
    else:
        out.append(B.paragraph(b.summary.synopsis) if b.summary.synopsis.strip()
                   else B.empty(tr("No synopsis recorded.")))
        if b.summary.closed_reason.strip():
            out.append(B.paragraph(tr(f"Closed: {b.summary.closed_reason}"), "muted"))
    for section in case_tables(b):
        out.append(B.heading(section.heading, level))
        if section.heading == tr("Members and agencies") and b.summary is not None:
            out.append(B.key_values([(tr("Lead agency"), b.summary.lead_agency),
                                     (tr("Originating agency"), _dash(b.summary.originating_agency))]))
        out += B.table(section.columns, section.rows, empty=section.empty, row_styles=section.row_styles)
    return out


def cover_fields(b: CaseBriefing, info: DocumentInfo, distribution: str) -> list[tuple[str, str]]:
    fields = [(tr("Case number"), b.number)]
    if b.summary is not None:
        fields.append((tr("Title"), b.summary.title))
    fields += [(tr("Task force"), b.task_force)]
    if b.summary is not None:
        fields.append((tr("Lead agency"), b.summary.lead_agency))
        if b.summary.caveats:
            fields.append((tr("Handling caveats"), b.summary.caveats))
    # the dates are the case's own fields: printed only with them (number, task force and
    # status identify the case and always print)
    fields.append((tr("Status"), b.status + (f" ({b.closed_on})" if b.closed_on and b.summary else "")))
    if b.summary is not None:
        fields.append((tr("Opened"), str(b.opened_on)))
    fields += [(tr("Marking"), info.marking.banner), (tr("Distribution"), distribution)]
    return fields


class CaseBriefingReport:
    key = "case-briefing"
    label = "Case briefing"

    def gather(self, ctx, conn, screen, request: ReportRequest, progress) -> Gathered:  # noqa: ANN001
        case_id = case_id_by_number(conn, request.case_number)
        if case_id is None:
            raise NotFound(tr(f"No case numbered '{request.case_number.strip()}'."))
        b = case_briefing(conn, case_id, screen, ctx.today())
        title = tr(f"Case briefing {b.number}")
        distribution = (tr(f"{screen.recipient_name} only") if screen.recipient_id is not None
                        else tr(f"{b.task_force} members"))
        return Gathered(title, (b, distribution), (("case", case_id),))

    def build(self, gathered: Gathered, info: DocumentInfo, cover_notes: list[str]) -> tuple[list, list]:
        b, distribution = gathered.data
        subtitle = b.summary.title if b.summary is not None else b.task_force
        story = B.cover(tr(f"Case briefing — {b.number}"), subtitle, cover_fields(b, info, distribution),
                        info.marking, cover_notes)
        return story + case_section(b), []


register(CaseBriefingReport())
