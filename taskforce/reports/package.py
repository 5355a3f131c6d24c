"""The task-force briefing package: cover, contents, summary figures and charts, then one
section per case (DOMAIN.md "Reports people print").

The figures are computed from the screened case briefings, so a package made for a partner
counts only what that partner receives.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import median

from sqlalchemy import select

from taskforce.domain.errors import NotFound
from taskforce.domain.feedback import ObligationStatus
from taskforce.i18n import tr
from taskforce.reports import blocks as B
from taskforce.reports.blocks import Column
from taskforce.reports.case_briefing import case_section
from taskforce.reports.document import DocumentInfo
from taskforce.reports.publish import Gathered, ReportRequest, register
from taskforce.services.briefing import CaseBriefing, AgencyNames, case_briefing
from taskforce.store import schema as S

OPEN_STATUSES = ("open", "pending")


def task_force_id(conn, name: str) -> int:  # noqa: ANN001
    wanted = name.strip()
    tf_id = conn.execute(select(S.task_force.c.id).where(S.task_force.c.name == wanted)).scalar()
    if tf_id is None:  # forgiving about case, as people type names
        tf_id = conn.exec_driver_sql("SELECT id FROM task_force WHERE name = ? COLLATE NOCASE", (wanted,)).scalar()
    if tf_id is None:
        raise NotFound(tr(f"No task force called '{wanted}'."))
    return tf_id


def _figures(cases: list[CaseBriefing]) -> dict:
    support = [s for b in cases for s in b.support]
    pairs: dict[str, list] = defaultdict(list)
    for s in support:
        pairs[f"{s.from_agency} → {s.to_agency}"].append(s)
    seized: Counter = Counter()
    credited: Counter = Counter()
    for s in support:
        for commodity, _unit, value in s.seizures:
            seized[commodity] += value
        if s.results:
            credited[s.to_agency] += s.results    # the acting agency
            credited[s.from_agency] += s.results  # the contributing agency
    timeliness = []
    for pair, rows in sorted(pairs.items()):
        days = [s.days_to_feedback for s in rows if s.days_to_feedback is not None]
        timeliness.append((pair, len(rows), len(days), median(days) if days else None,
                           sum(1 for s in rows if s.status is ObligationStatus.OPEN),
                           sum(1 for s in rows if s.status is ObligationStatus.OVERDUE)))
    return {
        "status": Counter(b.status for b in cases),
        "type": Counter((b.summary.case_type or tr("(no type)")) if b.summary else tr("(not included)")
                        for b in cases),
        "seized": seized, "credited": credited, "timeliness": timeliness,
        "support": len(support),
        "overdue": sum(1 for s in support if s.status is ObligationStatus.OVERDUE),
    }


class PackageReport:
    key = "package"
    label = "Task-force package"

    def gather(self, ctx, conn, screen, request: ReportRequest, progress) -> Gathered:  # noqa: ANN001
        if not request.task_force.strip():
            raise NotFound(tr("Name the task force the package is for."))
        tf_id = task_force_id(conn, request.task_force)
        tf = conn.execute(select(S.task_force).where(S.task_force.c.id == tf_id)).mappings().one()
        query = select(S.case.c.id).where(S.case.c.task_force_id == tf_id)
        if not request.include_closed:
            query = query.where(S.case.c.status.in_(OPEN_STATUSES))
        ids = conn.execute(query.order_by(S.case.c.number)).scalars().all()
        names = AgencyNames(conn)
        cases = []
        for i, case_id in enumerate(ids):
            if progress and i % 10 == 0:
                progress(i, len(ids), tr(f"Gathering case {i + 1} of {len(ids)}…"))
            cases.append(case_briefing(conn, case_id, screen, ctx.today(), names))
        title = tr(f"Briefing package — {tf['name']}")
        scope = tr("all cases") if request.include_closed else tr("open and pending cases")
        return Gathered(title, (tf["name"], names(tf["lead_agency_id"]), scope, cases),
                        tuple(("case", c) for c in ids))

    def build(self, gathered: Gathered, info: DocumentInfo, cover_notes: list[str]) -> tuple[list, list]:
        tf_name, lead, scope, cases = gathered.data
        fig = _figures(cases)
        story = B.cover(tr(f"Briefing package — {tf_name}"), tr(f"{len(cases)} cases ({scope})"), [
            (tr("Task force"), tf_name), (tr("Lead agency"), lead), (tr("Cases"), str(len(cases))),
            (tr("Marking"), info.marking.banner),
        ], info.marking, cover_notes)
        toc = [("summary", tr("Summary figures"))]
        toc += [(f"case-{b.case_id}", f"{b.number}  {b.summary.title if b.summary else ''}".strip())
                for b in cases]
        story += [B.heading(tr("Contents"), 1), B.toc(), B.page_break()]

        story.append(B.heading(tr("Summary figures"), 1, toc_key="summary"))
        story.append(B.key_values([
            (tr("Cases"), str(len(cases))),
            *((tr(status), str(n)) for status, n in sorted(fig["status"].items())),
            (tr("Support records"), str(fig["support"])),
            (tr("Feedback overdue"), str(fig["overdue"])),
        ]))
        story.append(B.bar_chart(tr("Cases by status"), sorted(fig["status"].items())))
        story.append(B.bar_chart(tr("Cases by type"), fig["type"].most_common(15)))
        story.append(B.bar_chart(tr("Seizures by commodity (value, USD)"), fig["seized"].most_common(12), "USD"))
        story.append(B.bar_chart(tr("Results credited per agency"), fig["credited"].most_common(12)))
        story.append(B.heading(tr("Feedback timeliness by agency pair"), 2))
        story += B.table([Column(tr("From → to"), 0.4), Column(tr("Given"), 0.1, "right"),
                          Column(tr("With feedback"), 0.14, "right"), Column(tr("Median days"), 0.14, "right"),
                          Column(tr("Open"), 0.1, "right"), Column(tr("Overdue"), 0.12, "right")],
                         ((pair, n, done, "" if med is None else f"{med:g}", open_, overdue)
                          for pair, n, done, med, open_, overdue in fig["timeliness"]),
                         empty=tr("No support recorded on these cases."),
                         row_styles=lambda _i, row: "danger" if row[-1] not in (0, "0") else None)
        if not cases:
            story.append(B.empty(tr("No cases to include.")))
        for b in cases:
            story.append(B.page_break())
            title = f"{b.number} — {b.summary.title}" if b.summary else b.number
            story.append(B.heading(title, 1, toc_key=f"case-{b.case_id}"))
            facts = [(tr("Status"), b.status)]
            if b.summary is not None:  # the case's own fields, dates included
                facts += [(tr("Lead agency"), b.summary.lead_agency), (tr("Opened"), str(b.opened_on))]
                if b.summary.caveats:
                    facts.append((tr("Handling caveats"), b.summary.caveats))
            story.append(B.key_values(facts))
            story += case_section(b, level=2)
        return story, toc


register(PackageReport())
