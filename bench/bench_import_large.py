"""A 1,000,000-row member import (CSV, all or nothing, audited): peak memory and time of the
real command in a fresh process, against a fresh process that only reads the same file with
Python's csv module (the baseline, same run). Goal (issue 11): memory flat in the row count,
≤ 200 MB at a million rows. ROWS=… in the environment changes the count."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, report

from taskforce.store.database import Database

ROWS = int(os.environ.get("ROWS", "1000000"))

# peak RSS of a child process, in MB (Linux reports ru_maxrss in KiB)
_MEASURE = """
import resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_module(sys.argv[0], run_name="__main__")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
print("PEAK_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)
sys.exit(code)
"""

_READ_ONLY = """
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as fh:
    for _row in csv.reader(fh):
        pass
"""


def _write_csv(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Family name", "Given names", "Rank", "Home agency", "E-mail"])
        for i in range(rows):
            out.writerow([f"Member{i:07d}", f"Given{i % 977}", "Special Agent", "ICE HSI",
                          f"member{i}@example.gov"])


def _run(args: list[str]) -> tuple[float, float, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *args], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = next(float(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_MB"))
    return seconds, peak, done.returncode


def main() -> dict:
    work = Path(tempfile.mkdtemp(prefix="tf-bench-large-import-"))
    data = work / "members.csv"
    _write_csv(data, ROWS)
    db = work / "taskforce.sqlite"
    Database.open(db, create=True).close()
    script = work / "read_only.py"
    script.write_text(_READ_ONLY)
    base_s, base_mb = _baseline(script, data)
    import_s, import_mb, code = _run(["taskforce", "--db", str(db), "import", "members", str(data)])
    return report("import_large", rows=ROWS, exit_code=code, import_s=round(import_s, 1),
                  import_peak_mb=round(import_mb), csv_read_s=round(base_s, 1), csv_read_peak_mb=round(base_mb),
                  ratio_time=round(import_s / base_s, 1), target_peak_mb=200, ok=code == 0 and import_mb <= 200)


def _baseline(script: Path, data: Path) -> tuple[float, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c",
                           "import resource, runpy, sys; sys.argv = sys.argv[1:]; "
                           "runpy.run_path(sys.argv[0], run_name='__main__'); "
                           "print('PEAK_MB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "
                           "file=sys.stderr)", str(script), str(data)],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = next(float(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_MB"))
    return seconds, peak


if __name__ == "__main__":
    main()
