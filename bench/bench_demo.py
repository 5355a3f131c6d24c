"""Demo generation of N cases (default 100,000; target ≤ 60 s), against a raw executemany of the
same number of bare case rows as the baseline."""

from __future__ import annotations

import resource
import sqlite3
import tempfile
import time
from pathlib import Path

from common import CASES, ms, report

from taskforce.services.context import Actor, Context
from taskforce.services.demo import generate_demo
from taskforce.services.stats import stats
from taskforce.store.database import Database


def main() -> dict:
    work = Path(tempfile.mkdtemp(prefix="tf-bench-demo-"))
    ctx = Context(Database.open(work / "demo.sqlite", create=True), Actor("bench", "bench"))
    t = time.perf_counter()
    generate_demo(ctx, cases=CASES, seed=1)
    demo_s = time.perf_counter() - t
    counts = stats(ctx)
    raw = sqlite3.connect(work / "raw.sqlite")
    raw.execute("CREATE TABLE c(id INTEGER PRIMARY KEY, number TEXT, title TEXT, opened TEXT)")
    t = time.perf_counter()
    with raw:
        raw.executemany("INSERT INTO c(number, title, opened) VALUES (?, ?, ?)",
                        ((f"X-2026-{i:06d}", "title", "2026-01-01") for i in range(CASES)))
    raw_s = time.perf_counter() - t
    return report("demo", cases=CASES, demo_ms=ms(demo_s), raw_case_rows_ms=ms(raw_s),
                  ratio=round(demo_s / raw_s, 1), rows_written=sum(counts.values()),
                  counts=counts, target_ms=60000,
                  peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  target_rss_mb=250, ok=demo_s <= 60)


if __name__ == "__main__":
    main()
