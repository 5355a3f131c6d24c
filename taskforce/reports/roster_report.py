"""The roster: members by agency, their cross-designations with expiry, and their training.

Members, designations and training are the task force's own records, not releasable items
under rule 6, so nothing here is screened. Rule 7 decides the status: past its expiry a
designation no longer counts; within 90 days it is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from taskforce.domain.designations import days_left, lapse_text
from taskforce.domain.enums import DesignationStatus
from taskforce.i18n import ntr, tr
from taskforce.reports import blocks
from taskforce.reports.blocks import Column
from taskforce.reports.document import DocumentInfo
from taskforce.reports.publish import Gathered, ReportRequest, register
from taskforce.services import report_lists as q
from taskforce.services.report_lists import as_date

NONE = "\u2014"


@dataclass(frozen=True)
class DesignationLine:
    label: str
    authority: str  # citation and granting agency
    expires: str
    status: str
    style: str | None  # "danger" | "warning" | "muted" | None


@dataclass(frozen=True)
class MemberLine:
    name: str
    rank: str
    designations: tuple[DesignationLine, ...]
    training: tuple[tuple[str, str, str], ...]  # course, provider, completed


@dataclass(frozen=True)
class AgencySection:
    agency: str
    members: tuple[MemberLine, ...]


@dataclass(frozen=True)
class RosterData:
    scope: str
    as_of: date
    sections: tuple[AgencySection, ...]
    members: int
    active: int
    expiring: int
    expired: int
    renewed: int  # expiring or expired, and a later designation of the authority takes over
    pending: int  # not yet effective


def _status(effective: date, expires: date | None, status: DesignationStatus, renewal: date | None,
            as_of: date) -> tuple[str, str | None, str]:
    """(text, row style, count bucket) of one designation as of a day (rule 7)."""
    lapse = lapse_text(expires, renewal, status)
    if status is DesignationStatus.EXPIRED:
        return tr("Expired") + (f"; {lapse}" if renewal else ""), "danger", "expired"
    if status is DesignationStatus.EXPIRING:
        left = days_left(expires, as_of)
        text = (tr("Expiring today") if left == 0 else
                ntr("Expiring in {n} day", "Expiring in {n} days", left or 0).format(n=left))
        return text + f"; {lapse}", "warning", "expiring"
    if status is DesignationStatus.RENEWED:
        text = tr("Expired (renewed)") if expires and expires < as_of else tr("Renewed")
        return text, "muted", "renewed"
    if status is DesignationStatus.PENDING:
        return tr("Effective from {day}").format(day=effective.isoformat()), None, "pending"
    return tr("Active"), None, "active"


class RosterReport:
    key = "roster"
    label = tr("Roster")

    def gather(self, ctx, conn, screen, request: ReportRequest, progress) -> Gathered:  # noqa: ANN001
        as_of = ctx.today()
        scope = q.scope_of(conn, request.task_force)
        counts = {"active": 0, "expiring": 0, "expired": 0, "renewed": 0, "pending": 0}
        designations: dict[int, list[DesignationLine]] = {}
        for member_id, label, citation, granting, effective, expires, status, renewal in q.roster_designations(
                conn, scope, as_of):
            effective, expires = as_date(effective), as_date(expires)
            text, style, bucket = _status(effective, expires, DesignationStatus(status),
                                          as_date(renewal) if renewal else None, as_of)
            counts[bucket] += 1
            authority = "\n".join(x for x in (citation, tr(f"granted by {granting}")) if x)
            designations.setdefault(member_id, []).append(
                DesignationLine(label, authority, expires.isoformat() if expires else tr("none stated"), text, style))
        training: dict[int, list[tuple[str, str, str]]] = {}
        for member_id, course, provider, completed in q.roster_training(conn, scope, as_of):
            training.setdefault(member_id, []).append((course, provider, str(as_date(completed))))
        sections: list[AgencySection] = []
        members = 0
        current: tuple[int, str] | None = None
        lines: list[MemberLine] = []
        for member_id, name, rank, agency_id, agency in q.roster_members(conn, scope, as_of):
            if current is not None and current[0] != agency_id:
                sections.append(AgencySection(current[1], tuple(lines)))
                lines = []
            current = (agency_id, agency)
            members += 1
            lines.append(MemberLine(name, rank, tuple(designations.get(member_id, ())),
                                    tuple(training.get(member_id, ()))))
        if current is not None:
            sections.append(AgencySection(current[1], tuple(lines)))
        data = RosterData(scope.name, as_of, tuple(sections), members, **counts)
        return Gathered(tr(f"Roster \u2014 {scope.title}"), data)

    def build(self, gathered: Gathered, info: DocumentInfo, cover_notes: list[str]) -> tuple[list, list]:
        d: RosterData = gathered.data
        fields = [(tr("Task force"), d.scope or tr("All task forces")), (tr("As of"), d.as_of.isoformat()),
                  (tr("Members"), str(d.members)), (tr("Designations active"), str(d.active)),
                  (tr("Expiring within 90 days"), str(d.expiring)), (tr("Expired"), str(d.expired))]
        if d.renewed:
            fields.append((tr("Expired, since renewed"), str(d.renewed)))
        if d.pending:
            fields.append((tr("Not yet effective"), str(d.pending)))
        story = blocks.cover(gathered.title, tr("Members by agency, their cross-designations and training"),
                             fields, info.marking, cover_notes)
        if not d.sections:
            story.append(blocks.heading(tr("Members"), 1))
            story.append(blocks.empty(tr("No members recorded.")))
        for section in d.sections:
            story.extend(_section(section))
        return story, []


_DESIGNATION_COLUMNS = (Column(tr("Member"), 0.17), Column(tr("Rank"), 0.15), Column(tr("Designation"), 0.18),
                        Column(tr("Authority"), 0.18), Column(tr("Expires"), 0.12), Column(tr("Status"), 0.2))
_TRAINING_COLUMNS = (Column(tr("Member"), 0.24), Column(tr("Course"), 0.38), Column(tr("Provider"), 0.24),
                     Column(tr("Completed"), 0.14))


def _section(section: AgencySection) -> list:
    story = [blocks.heading(section.agency, 1), blocks.heading(tr("Designations"), 2)]
    rows: list[tuple[list[str], str | None]] = []
    for m in section.members:
        if not m.designations:
            rows.append(([m.name, m.rank, NONE, NONE, NONE, tr("No designation")], None))
        for des in m.designations:
            # the name on every row: a table split across pages still says whose each row is
            rows.append(([m.name, m.rank, des.label, des.authority, des.expires, des.status], des.style))
    styles = [style for _row, style in rows]
    story.extend(blocks.table(_DESIGNATION_COLUMNS, (row for row, _style in rows),
                              empty=tr("No designations recorded."), row_styles=lambda i, _row: styles[i]))
    story.append(blocks.heading(tr("Training"), 2))
    training = [[m.name, course, provider, completed]
                for m in section.members for course, provider, completed in m.training]
    story.extend(blocks.table(_TRAINING_COLUMNS, training, empty=tr("No training recorded.")))
    return story


register(RosterReport())
