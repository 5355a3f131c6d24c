"""``taskforce report KIND … -o FILE`` and ``taskforce releases``: printed documents and their log.

Each report may be made *for* a partner agency (``--for``): what rule 6 withholds is left out
and the cover says how many items, under which reason. Every document written is logged with
its SHA-256; ``--preview`` says what would be withheld and writes nothing. No Qt.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, replace
from pathlib import Path

from taskforce.commands._options import parse_day
from taskforce.commands.audit import audited_read
from taskforce.domain.errors import TaskforceError
from taskforce.services.context import Context

KINDS = ("case", "package", "roster", "feedback", "debriefs", "action-items")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="print a briefing or status report to PDF (optionally for a partner)")
    kinds = p.add_subparsers(dest="report_kind", metavar="KIND", required=True, parser_class=type(p))

    case = kinds.add_parser("case", help="case briefing")
    case.add_argument("number", help="the case number, e.g. BEST-SEA-2026-0007")
    _common(case, task_force=False)

    package = kinds.add_parser("package", help="task-force briefing package: contents, figures, every case")
    package.add_argument("--task-force", required=True, metavar="NAME", help="the task force, by name")
    package.add_argument("--include-closed", action="store_true", help="closed cases too (default: open and pending)")
    _common(package, task_force=False)

    for kind, what in (("roster", "members by agency, designations and expiries, training"),
                       ("feedback", "feedback status: obligations by agency pair, overdue first"),
                       ("debriefs", "debrief participation in a period: CBP presence, briefings owed"),
                       ("action-items", "working-group action items by owner, overdue first")):
        q = kinds.add_parser(kind, help=what)
        if kind == "debriefs":
            q.add_argument("--from", dest="period_from", metavar="YYYY-MM-DD", help="first day (default: 90 days ago)")
            q.add_argument("--to", dest="period_to", metavar="YYYY-MM-DD", help="last day (default: today)")
        _common(q, task_force=True)

    r = sub.add_parser("releases", help="the log of printed and exported documents, newest first")
    r.add_argument("--json", action="store_true", help="print one JSON object")
    r.add_argument("--limit", type=int, default=100, help="at most this many (default 100)")
    r.set_defaults(handler=cmd_releases)


def _common(p: argparse.ArgumentParser, task_force: bool) -> None:
    if task_force:
        p.add_argument("--task-force", default="", metavar="NAME", help="only this task force")
    p.add_argument("-o", "--output", metavar="FILE", help="the PDF to write (not needed with --preview)")
    # None when not given: an empty --for (an unset variable) is refused, never our own copy
    p.add_argument("--for", dest="recipient", default=None, metavar="AGENCY",
                   help="prepare for a partner agency (abbreviation, name or ORI): rule 6 applies")
    p.add_argument("--marking", metavar="TEXT", help="a custom dissemination marking for this document")
    p.add_argument("--cui", action="store_true", help="mark the document CUI (designator block from the settings)")
    p.add_argument("--page-size", choices=("letter", "a4"), help="default: from the settings")
    p.add_argument("--preview", action="store_true", help="say what would be included and withheld; write nothing")
    p.set_defaults(handler=cmd_report)


def _request(args: argparse.Namespace):  # noqa: ANN202
    from taskforce.reports.publish import ReportRequest

    kind = "case-briefing" if args.report_kind == "case" else args.report_kind
    period = None
    if kind == "debriefs" and (args.period_from or args.period_to):
        start, end = parse_day(args.period_from, "--from"), parse_day(args.period_to, "--to")
        if start and end and end < start:
            raise TaskforceError("--to must not be before --from.")
        period = (start, end)
    return ReportRequest(kind=kind, case_number=getattr(args, "number", ""),
                         task_force=getattr(args, "task_force", "") or "", recipient=args.recipient or "",
                         for_partner=args.recipient is not None,
                         period=period, include_closed=getattr(args, "include_closed", False),
                         page_size=args.page_size or "")


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.reports import publish as P
    from taskforce.reports.markings import marking_for

    if args.output is None and not args.preview:
        raise TaskforceError("Name the PDF to write with -o FILE (or give --preview to write nothing).")
    request = _request(args)
    settings = P.settings_from_user()
    if args.marking is not None and args.cui:
        raise TaskforceError("Give either --marking or --cui, not both.")
    try:
        if args.marking is not None:
            request = replace(request, marking=marking_for("custom", args.marking))
        elif args.cui:
            request = replace(request, marking=P.settings_with_profile("cui").marking)
    except ValueError as err:
        raise TaskforceError(str(err)) from None
    if args.preview:
        pv = P.preview(ctx, request)
        audited_read(ctx, args, pv.included)  # what was asked and how many, before showing it
        print(f"{pv.title}: {pv.included} items included"
              + (f" for {pv.recipient}" if pv.recipient else "")
              + (f"; withheld: {pv.withheld_summary}." if pv.withheld else "; nothing withheld."))
        return 0
    out = Path(args.output)
    if out.suffix.lower() != ".pdf":
        raise TaskforceError(f"The output must be a .pdf file; got '{out.name}'.")
    done = P.publish(ctx, request, out, settings)
    print(f"Wrote {done.path} ({done.size:,} bytes), SHA-256 {done.sha256}.")
    if done.recipient:
        print(f"Prepared for {done.recipient}: {done.included} items included; "
              + (f"withheld: {done.withheld_summary}." if done.withheld else "nothing withheld."))
    return 0


def cmd_releases(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.services.release import releases

    if args.limit < 1:
        raise TaskforceError("--limit must be at least 1.")
    rows = releases(ctx, args.limit)
    audited_read(ctx, args, len(rows))  # what was asked and how many, before showing it
    if args.json:
        print(json.dumps({"releases": [asdict(r) for r in rows]}))
        return 0
    if not rows:
        print("No documents printed or exported yet.")
        return 0
    for r in rows:
        to = f" for {r.recipient}" if r.recipient else ""
        withheld = f"; withheld {r.withheld_summary}" if r.withheld_count else ""
        state = f" [{r.state}]" if r.state else ""  # pending or failed (issue 11 §5)
        print(f"{r.at}  {r.by}  {r.document_kind}{to}: {r.title} — {r.included_count} items{withheld}; "
              f"{r.file_name} sha256 {r.sha256[:16]}…{state}")
    return 0
