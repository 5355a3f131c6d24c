"""The home screen (every attention kind) and the feedback pair matrix on 100,000 demo cases,
against the same queries' cheapest raw-sqlite3 baseline in the same run (a count of the open
obligations)."""

from __future__ import annotations

import sqlite3
import statistics
import time
from datetime import date

from common import demo_db, ms, report

from taskforce.services.attention import attention
from taskforce.services.context import Actor, Context
from taskforce.services.feedback import pair_matrix
from taskforce.store.database import Database


def _median(fn, runs: int = 7) -> float:  # noqa: ANN001
    fn()  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> dict:
    path = demo_db()
    ctx = Context(Database.open(path), Actor("bench", "bench"))
    raw = sqlite3.connect(path)
    today = date.today().isoformat()
    counts = attention(ctx).counts
    home = _median(lambda: attention(ctx))
    matrix = _median(lambda: pair_matrix(ctx, date.today(), rollup=False))
    rolled = _median(lambda: pair_matrix(ctx, date.today(), rollup=True))
    baseline = _median(lambda: raw.execute(
        "SELECT count(*) FROM support WHERE feedback_closed_on IS NULL AND feedback_due_on < ?", (today,)).fetchone())
    supports = raw.execute("SELECT count(*) FROM support").fetchone()[0]
    return report("attention", support_rows=supports, counts=counts, home_screen_ms=ms(home),
                  pair_matrix_ms=ms(matrix), pair_matrix_rollup_ms=ms(rolled),
                  raw_open_count_ms=ms(baseline), ratio_home=round(home / baseline, 1),
                  target_ms=100, ok=home <= 0.1 and matrix <= 0.5)


if __name__ == "__main__":
    main()
