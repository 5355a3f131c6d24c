"""``taskforce export cases|subjects|members|agencies -o FILE.csv|FILE.xlsx``.

The list screen's columns, every row, in the list's order; text a spreadsheet could run is
made inert. Each export is logged like a printed document (``taskforce releases``). No Qt.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from taskforce.services.context import Context

WHAT = ("cases", "subjects", "members", "agencies")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a list to CSV or XLSX (logged like a printed document)")
    p.add_argument("what", choices=WHAT, help="which list")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the file to write: .csv (UTF-8 with BOM) or .xlsx")
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from taskforce.reports.export import export, export_format

    out = Path(args.output)
    export_format(out)  # a wrong suffix is refused before the database is read
    done = export(ctx, args.what, out)
    print(f"Wrote {done.path} ({done.rows:,} {args.what}, {done.size:,} bytes), SHA-256 {done.sha256}.")
    return 0
