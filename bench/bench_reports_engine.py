"""The report engine on a story shaped like a 200-case task-force package, against a bare
single-pass ReportLab document with the same tables in the same run (targets: ≤ 10 s, ≤ 1.5×).

Engine: cover, a 200-entry table of contents, per case a heading, key/values, four tables of
about 15 rows and a paragraph, then two charts; markings, footers and "Page X of Y" on every
page (DejaVu Sans embedded). Baseline: SimpleDocTemplate, Helvetica, plain ``Table`` of
strings and plain Paragraphs for the same content, no marking, no footer, no contents.
Run with ``--profile`` to print where the engine's time goes.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import random
import statistics
import sys
import time
from datetime import datetime, timezone

from common import report

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from taskforce.reports import blocks
from taskforce.reports.blocks import Column
from taskforce.reports.document import DocumentInfo, render_pdf
from taskforce.reports.markings import marking_for

CASES = 200
ROWS = 15
AGENCIES = ["CBP OFO Seattle", "ICE HSI Seattle", "USCG D13", "RCMP Pacific Region", "DEA Seattle FD",
            "FBI Seattle", "WSP Investigative", "King County SO", "CBSA Pacific", "USMS W.D. Wash."]
WORDS = ("shipment container pier vessel bulk cash currency courier controlled delivery warrant seizure "
         "interview subject vehicle border crossing fentanyl methamphetamine firearms report surveillance").split()
TABLES = [
    [Column("Date", 0.14), Column("Agency", 0.24), Column("Event", 0.46), Column("Amount", 0.16, "right")],
    [Column("Name", 0.30), Column("Role", 0.18), Column("Born", 0.14), Column("Identifiers", 0.38)],
    [Column("Giver", 0.26), Column("Receiver", 0.26), Column("Support", 0.30), Column("Due", 0.18)],
    [Column("Action", 0.52), Column("Owner", 0.26), Column("Due", 0.12), Column("State", 0.10)],
]


def _sentence(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi))).capitalize()


def make_cases(seed: int = 7) -> list[dict]:
    """Synthetic cases: most cells short, about one in five long enough to wrap."""
    rng = random.Random(seed)
    cases = []
    for i in range(CASES):
        tables = []
        for t, cols in enumerate(TABLES):
            rows = []
            for r in range(ROWS + rng.randint(-3, 3)):
                day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                if t == 0:
                    row = (day, rng.choice(AGENCIES), _sentence(rng, 2, 22), f"{rng.randint(0, 900_000):,}")
                elif t == 1:
                    name = f"{_sentence(rng, 1, 1)} {_sentence(rng, 1, 1)}"
                    row = (name, rng.choice(["subject", "associate", "witness"]), day,
                           f"FBI {rng.randint(10**6, 10**7)}; SSN xxx-xx-{rng.randint(1000, 9999)}")
                elif t == 2:
                    row = (rng.choice(AGENCIES), rng.choice(AGENCIES), _sentence(rng, 1, 8), day)
                else:
                    row = (_sentence(rng, 3, 16), rng.choice(AGENCIES), day, rng.choice(["open", "done", "late"]))
                rows.append(row)
            tables.append(rows)
        cases.append({
            "key": f"case-{i}",
            "title": f"2026-SEA-{i:04d} Operation {_sentence(rng, 1, 3)}",
            "fields": [("Lead agency", rng.choice(AGENCIES)), ("Case agent", "Zoë Ångström"),
                       ("Opened", "2026-03-14"), ("Status", "open"), ("Synopsis", _sentence(rng, 20, 60))],
            "tables": tables,
            "summary": _sentence(rng, 30, 90),
        })
    return cases


def engine_story(cases: list[dict]) -> tuple[list, list[tuple[str, str]]]:
    marking = marking_for("les")
    story = blocks.cover("BEST Seattle task force package", "Quarterly review", [("Cases", str(CASES))], marking)
    story += [blocks.heading("Contents"), blocks.toc(), blocks.page_break()]
    entries = []
    for case in cases:
        entries.append((case["key"], case["title"]))
        story.append(blocks.heading(case["title"], 1, case["key"]))
        story.append(blocks.key_values(case["fields"]))
        for cols, rows in zip(TABLES, case["tables"]):
            story.append(blocks.heading(cols[0].title + "s", 2))
            story += blocks.table(cols, rows, row_styles=lambda i, r: "warning" if r[-1] == "late" else None)
        story.append(blocks.paragraph(case["summary"]))
    story.append(blocks.heading("Statistics", 1))
    story.append(blocks.bar_chart("Cases by lead agency", [(a, i * 7 + 3) for i, a in enumerate(AGENCIES)], "cases"))
    story.append(blocks.bar_chart("Events by month", [(f"2026-{m:02d}", m * 31 % 97) for m in range(1, 13)], "events"))
    return story, entries


def engine(cases: list[dict]) -> bytes:
    story, entries = engine_story(cases)
    info = DocumentInfo("BEST Seattle task force package", "package", marking_for("les"), "bench",
                        datetime.now(timezone.utc))
    return render_pdf(info, story, entries)


def bare(cases: list[dict]) -> bytes:
    styles = getSampleStyleSheet()
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, "#999999"), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                       ("BACKGROUND", (0, 0), (-1, 0), "#1B2A4A"), ("TEXTCOLOR", (0, 0), (-1, 0), "#FFFFFF")])
    story = [Paragraph("BEST Seattle task force package", styles["Title"])]
    for case in cases:
        story.append(Paragraph(case["title"], styles["Heading1"]))
        story.append(Table([list(p) for p in case["fields"]], colWidths=["28%", "72%"], style=grid))
        for cols, rows in zip(TABLES, case["tables"]):
            story.append(Paragraph(cols[0].title + "s", styles["Heading2"]))
            story.append(Table([[c.title for c in cols]] + [list(r) for r in rows],
                               colWidths=[f"{c.width * 100}%" for c in cols], repeatRows=1, style=grid))
        story.append(Paragraph(case["summary"], styles["BodyText"]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=LETTER, leftMargin=18 * mm, rightMargin=18 * mm).build(story)
    return out.getvalue()


def _pages(data: bytes) -> int:
    from pypdf import PdfReader
    return len(PdfReader(io.BytesIO(data)).pages)


def main(runs: int = 3) -> dict:
    cases = make_cases()
    engine(cases[:5]), bare(cases[:5])  # warm: fonts registered, modules imported
    e_times, b_times = [], []
    e_pdf = b_pdf = b""
    for _ in range(runs):  # interleaved, so a busy machine slows both alike
        t = time.perf_counter()
        b_pdf = bare(cases)
        b_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        e_pdf = engine(cases)
        e_times.append(time.perf_counter() - t)
    e, b = statistics.median(e_times), statistics.median(b_times)
    ratio = e / b
    print(f"{'document':<34}{'pages':>7}{'seconds':>10}{'ratio':>8}")
    print(f"{'bare ReportLab, same tables':<34}{_pages(b_pdf):>7}{b:>10.2f}{1:>8.2f}")
    print(f"{'engine (marking, footer, TOC)':<34}{_pages(e_pdf):>7}{e:>10.2f}{ratio:>8.2f}")
    return report("reports_engine", cases=CASES, engine_pages=_pages(e_pdf), engine_s=round(e, 2),
                  bare_pages=_pages(b_pdf), bare_s=round(b, 2), ratio=round(ratio, 2),
                  target_s=10, target_ratio=1.5, ok=e <= 10 and ratio <= 1.5)


def profile() -> None:
    cases = make_cases()
    engine(cases[:5])
    prof = cProfile.Profile()
    prof.enable()
    engine(cases)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    if "--profile" in sys.argv:
        profile()
    else:
        main()
