"""Shared set-up for the benchmarks: a 100,000-case demo database made once and reused."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CASES = int(os.environ.get("BENCH_CASES", "100000"))
FBI_CSV = ROOT.parent / "shared" / "data" / "fbi_cde_agencies.csv"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="tf-bench-config-"))


def demo_db(cases: int = CASES) -> Path:
    """A demo database with ``cases`` cases (made with the CLI the first time)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"demo-{cases}.sqlite"
    if not path.exists():
        tmp = path.with_suffix(".tmp.sqlite")
        tmp.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "taskforce", "--db", str(tmp), "demo", "--cases", str(cases)],
                       check=True, cwd=ROOT)
        shutil.move(tmp, path)
    return path


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def report(name: str, **figures: object) -> dict:
    result = {"benchmark": name, **figures}
    print(json.dumps(result))
    return result


def timed(fn, repeat: int = 1) -> list[float]:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


__all__ = ["ROOT", "OUT", "CASES", "FBI_CSV", "demo_db", "percentile", "ms", "report", "timed", "statistics"]
