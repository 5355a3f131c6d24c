"""Search p50/p95 through the service against the same FTS5 query in raw sqlite3 (target p95 ≤ 50 ms)."""

from __future__ import annotations

import random
import sqlite3
import time

from common import demo_db, ms, percentile, report

from taskforce.services import search
from taskforce.services.context import Actor, Context
from taskforce.store.database import Database
from taskforce.store.search import COUNT_CAP, match_expression


def main() -> dict:
    path = demo_db()
    raw = sqlite3.connect(path)
    names = [r[0] for r in raw.execute("SELECT name FROM subject ORDER BY random() LIMIT 300")]
    rng = random.Random(5)
    # what people type: prefixes of names (2–6 letters), whole words, two-word prefixes, case numbers
    queries = []
    for name in names:
        words = name.split()
        queries.append(words[0][: rng.randint(2, 6)])
        queries.append(" ".join(w[:3] for w in words[:2]))
    queries += ["fent", "cocaine", "blaine", "bulk cash", "BEST-SEA", "ga", "jo", "smuggl"]
    ctx = Context(Database.open(path), Actor("bench", "bench"))
    search.search(ctx, "warm")  # open the connection and page cache once, as a running app has

    app_times, raw_times = [], []
    for q in queries:
        t = time.perf_counter()
        search.search(ctx, q, limit=50)
        app_times.append(time.perf_counter() - t)
        expr = match_expression(q)
        t = time.perf_counter()
        raw.execute("SELECT kind, ref_id FROM search_index WHERE search_index MATCH ? ORDER BY rowid DESC LIMIT 50",
                    (expr,)).fetchall()
        raw.execute("SELECT count(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH ? LIMIT ?)",
                    (expr, COUNT_CAP + 1)).fetchone()
        raw_times.append(time.perf_counter() - t)
    p50, p95 = percentile(app_times, 0.5), percentile(app_times, 0.95)
    r50, r95 = percentile(raw_times, 0.5), percentile(raw_times, 0.95)
    return report("search", queries=len(queries), p50_ms=ms(p50), p95_ms=ms(p95),
                  raw_p50_ms=ms(r50), raw_p95_ms=ms(r95), ratio_p95=round(p95 / r95, 2),
                  target_p95_ms=50, ok=p95 <= 0.050)


if __name__ == "__main__":
    main()
