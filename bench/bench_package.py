"""A 200-case task-force package from the demo database, against a bare ReportLab document with
the same tables, built in the same run (issue 5 targets: ≤ 10 s in all, ≤ 1.5× the bare one).

Package: the real pipeline (`reports.publish.render`'s steps): the 200 case briefings gathered
and screened on one connection, then cover, contents, figures and charts, every case section,
markings, footers and "Page X of Y", DejaVu Sans embedded. Baseline: SimpleDocTemplate with
Helvetica, the same case tables with the same column widths and a repeated header, cells as
plain Paragraphs so long text wraps as it must on paper, a plain heading per case; no marking,
no footer, no contents, no charts. Also shown: the same tables as plain strings (which do not
wrap, so long text runs off the page: a floor, not a usable document).
Also timed: the same package prepared for a partner (FBI), which screens every item.
"""

from __future__ import annotations

import io
import time
from datetime import datetime
from pathlib import Path

from common import demo_db, report

from reportlab.lib.pagesizes import LETTER
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from taskforce.reports.case_briefing import case_tables
from taskforce.reports.document import DocumentInfo, render_pdf
from taskforce.reports.markings import marking_for
from taskforce.reports.package import PackageReport
from taskforce.reports.publish import Gathered
from taskforce.services.briefing import AgencyNames, case_briefing
from taskforce.services.context import Actor, Context
from taskforce.services.release import screen_for
from taskforce.services.tx import read
from taskforce.store.database import Database

CASES = 200


def _gather(ctx: Context, recipient: int | None) -> tuple[str, str, list]:
    with read(ctx) as conn:
        tf_id, tf_name, lead = conn.exec_driver_sql(
            "SELECT t.id, t.name, t.lead_agency_id FROM task_force t JOIN case_file c ON c.task_force_id = t.id "
            "WHERE c.status IN ('open', 'pending') GROUP BY t.id ORDER BY count(*) DESC LIMIT 1").one()
        ids = [r[0] for r in conn.exec_driver_sql(
            "SELECT id FROM case_file WHERE task_force_id = ? AND status IN ('open', 'pending') "
            "ORDER BY number LIMIT ?", (tf_id, CASES))]
        names = AgencyNames(conn)
        screen = screen_for(conn, recipient)
        briefings = [case_briefing(conn, i, screen, ctx.today(), names) for i in ids]
        return tf_name, names(lead), briefings


def _bare(briefings: list, wrap: bool) -> bytes:
    """The same tables in a bare document: cells as Paragraphs (so long text wraps and the
    pages match) when ``wrap``, else as plain strings (long text runs off the page)."""
    styles = getSampleStyleSheet()
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=8, leading=10)
    story = []
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.25, "grey"), ("FONTSIZE", (0, 0), (-1, -1), 8)])
    width = LETTER[0] - 144
    for b in briefings:
        story.append(Paragraph(b.number, styles["Heading1"]))
        for section in case_tables(b):
            story.append(Paragraph(section.heading, styles["Heading2"]))
            if section.rows:
                rows = [[str(v) for v in row] for row in section.rows]
                if wrap:
                    rows = [[Paragraph(escape(v), cell) for v in row] for row in rows]
                data = [[c.title for c in section.columns]] + rows
                story.append(Table(data, repeatRows=1, style=style,
                                   colWidths=[c.width * width for c in section.columns]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=LETTER).build(story)
    return out.getvalue()


def main() -> dict:
    path = demo_db()
    ctx = Context(Database.open(Path(path)), Actor("bench", "bench"))
    t0 = time.perf_counter()
    tf_name, lead, briefings = _gather(ctx, None)
    gather_s = time.perf_counter() - t0

    info = DocumentInfo(f"Briefing package — {tf_name}", "package", marking_for("les"), "bench",
                        datetime.now().astimezone())
    t0 = time.perf_counter()
    story, toc = PackageReport().build(Gathered(info.title, (tf_name, lead, "open and pending cases", briefings)),
                                       info, [])
    pdf = render_pdf(info, story, toc)
    layout_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    bare = _bare(briefings, wrap=True)
    bare_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    _bare(briefings, wrap=False)
    plain_s = time.perf_counter() - t0

    with read(ctx) as conn:
        fbi = conn.exec_driver_sql("SELECT id FROM agency WHERE ref_key = 'fbi'").scalar()
    t0 = time.perf_counter()
    _tf, _lead, screened = _gather(ctx, fbi)
    partner_gather_s = time.perf_counter() - t0

    from pypdf import PdfReader
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    bare_pages = len(PdfReader(io.BytesIO(bare)).pages)
    total = gather_s + layout_s
    return report("package_200_cases", cases=len(briefings), pages=pages, bare_pages=bare_pages,
                  gather_s=round(gather_s, 2), layout_s=round(layout_s, 2), total_s=round(total, 2),
                  bare_s=round(bare_s, 2), ratio_layout=round(layout_s / bare_s, 2),
                  ratio_total=round(total / bare_s, 2), partner_gather_s=round(partner_gather_s, 2),
                  plain_strings_s=round(plain_s, 2), ratio_layout_vs_plain=round(layout_s / plain_s, 2),
                  target_s=10, target_ratio=1.5)


if __name__ == "__main__":
    main()
