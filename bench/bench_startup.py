"""Cold start to main window shown against a bare QMainWindow in the same run (target ≤ 2×),
case-list first paint (≤ 100 ms), and peak RSS of a working session (≤ 250 MB)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from common import ROOT, demo_db, ms, report

PROBE = ROOT / "bench" / "app_probe.py"


def probe(mode: str, db: str) -> dict:
    out = subprocess.run([sys.executable, str(PROBE), mode, db], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
                         timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> dict:
    db = str(demo_db())
    probe("app", db)  # warm the OS file cache once, as every later start has it
    runs = 9
    bare, apps = [], []
    for _ in range(runs):  # interleaved, so a busy moment on the machine hits both alike
        bare.append(probe("bare", db)["shown_s"])
        apps.append(probe("app", db))
    full = probe("full", db)
    bare_s = statistics.median(bare)
    app_s = statistics.median(a["shown_s"] for a in apps)
    paint_s = statistics.median(a["first_paint_s"] for a in apps)
    usable_s = statistics.median(a["list_painted_after_shown_s"] for a in apps)
    return report("startup", runs=runs, bare_window_ms=ms(bare_s), app_window_ms=ms(app_s),
                  ratio=round(app_s / bare_s, 2), target_ratio=2.0,
                  case_list_first_paint_ms=ms(paint_s), target_first_paint_ms=100,
                  window_shown_to_cases_painted_ms=ms(usable_s),
                  peak_rss_mb=round(full["peak_rss_mb"], 1), target_rss_mb=250,
                  ok=app_s <= 2 * bare_s and paint_s <= 0.1 and full["peak_rss_mb"] <= 250)


if __name__ == "__main__":
    main()
