"""Crash safety: a writer killed with SIGKILL 200 times at random moments (tests/test_crash.py
runs 50). Goal: 0 transactions lost of those reported committed, 0 half-written."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ms, percentile, report

KILLS = 200


def main(kills: int = KILLS, seed: int = 6) -> dict:
    if sys.platform == "win32":
        return report("crash", skipped="SIGKILL and fork are POSIX")
    from taskforce.store.database import Database
    from tests.test_crash import run_kills

    path = Path(tempfile.mkdtemp(prefix="tf-bench-crash-")) / "taskforce.sqlite"
    Database.open(path, create=True).close()
    start = time.perf_counter()
    results = run_kills(path, kills, seed)
    seconds = time.perf_counter() - start
    reopen = [r.reopen_s for r in results]
    return report(
        "crash", kills=len(results),
        killed_by_sigkill=sum(r.by_sigkill for r in results),
        transactions_reported_committed=sum(len(r.committed) for r in results),
        lost=sum(len(r.lost) for r in results), goal_lost=0,
        half_written=sum(len(r.half_written) for r in results), goal_half_written=0,
        check_failures=sum(len(r.check_failures) for r in results),
        kills_mid_transaction=sum(r.in_flight for r in results),
        # committed but killed before it could say so: present, and not an error
        present_unreported=results[-1].present_unreported if results else 0,
        kills_leaving_wal=sum(r.wal_on_reopen for r in results),
        stale_locks_taken_over=sum(r.taken_over_pid == r.pid for r in results if r.lock_left),
        stale_locks_left=sum(r.lock_left for r in results),
        said_on_reopen=sum(len(r.said) for r in results),
        reopen_median_ms=ms(statistics.median(reopen)), reopen_p95_ms=ms(percentile(reopen, 0.95)),
        reopen_max_ms=ms(max(reopen)),
        kill_delay_ms="20-300", seconds=round(seconds, 1),
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else KILLS)
