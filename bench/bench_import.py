"""FBI agency import (all or nothing, audited) against a raw sqlite3 executemany of the same rows
(target ≤ 2 s)."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from common import FBI_CSV, ms, report

from taskforce.services.agency_import import import_agencies_csv
from taskforce.services.context import Actor, Context
from taskforce.store.database import Database


def main() -> dict:
    work = Path(tempfile.mkdtemp(prefix="tf-bench-import-"))
    template = work / "template.sqlite"
    Database.open(template, create=True).close()
    # baseline: the same rows into the same table with one executemany, no checks, no audit
    base_path = work / "raw.sqlite"
    shutil.copyfile(template, base_path)
    with open(FBI_CSV, encoding="utf-8-sig", newline="") as fh:
        rows = [(r["agency_name"].strip(), "local", r["state_abbr"], r["county_name"], r["ori"],
                 r["agency_type_name"]) for r in csv.DictReader(fh)]
    raw = sqlite3.connect(base_path)
    t = time.perf_counter()
    with raw:
        raw.executemany("INSERT INTO agency(name, level, state, county, ori, agency_type) VALUES (?,?,?,?,?,?)", rows)
    raw_s = time.perf_counter() - t
    raw.close()

    app_path = work / "app.sqlite"
    shutil.copyfile(template, app_path)
    ctx = Context(Database.open(app_path), Actor("bench", "bench"))
    t = time.perf_counter()
    first = import_agencies_csv(ctx, FBI_CSV)
    app_s = time.perf_counter() - t
    t = time.perf_counter()
    second = import_agencies_csv(ctx, FBI_CSV)
    again_s = time.perf_counter() - t
    shutil.rmtree(work)
    return report("fbi_import", rows=len(rows), import_ms=ms(app_s), raw_executemany_ms=ms(raw_s),
                  ratio=round(app_s / raw_s, 2), reimport_unchanged_ms=ms(again_s),
                  first=first.summary(), second=second.summary(), target_ms=2000, ok=app_s <= 2.0)


if __name__ == "__main__":
    main()
