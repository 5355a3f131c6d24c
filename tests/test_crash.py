"""Crashes lose nothing: a writing process killed with SIGKILL at random moments.

The writer is this file run as a script (``python tests/test_crash.py serve DB``): it imports
the app once, then forks one writer process per run, because importing SQLAlchemy and the
services costs half a second and the suite kills fifty times. Each writer opens the database
with ``Database.open`` (taking the writer lock) and loops: one ``services.tx.write``
transaction = one case and its 3 notes, with their audit rows, then ``committed <number>``
on stdout right after the commit returns. The test kills it with SIGKILL 20-300 ms after it
starts (so some kills land while it opens the file, most in the middle of writing), then
reopens the same file: the stale lock is taken over without a word, every case reported
committed is there with its 3 notes, no case has fewer, and ``stats.check`` passes.

``bench/bench_crash.py`` runs the same with 200 kills.
"""

from __future__ import annotations

import io
import logging
import os
import random
import signal
import subprocess
import sys
import time
import warnings
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve()
PREFIX = "CRASH-"
NOTES_PER_CASE = 3
WRITER_LIFETIME_S = 10  # a writer nobody kills (the test died) ends itself


# --- the writer: this file run as a script ------------------------------------------------

def _writer(db_path: str, tf_id: int, lead_id: int) -> None:
    """One writer process: open, then commit case after case until killed."""
    from dataclasses import asdict
    from datetime import date

    from sqlalchemy import func, select

    from taskforce.domain.records import CaseData, NoteData
    from taskforce.services.context import Actor, Context
    from taskforce.services.tx import utc_now, write
    from taskforce.store import schema as S
    from taskforce.store.database import Database

    os.write(1, f"started {os.getpid()}\n".encode())
    ctx = Context(db=Database.open(Path(db_path), user="crash-writer"), actor=Actor("crash", "crash-writer"))
    rng = random.Random(os.getpid())
    deadline = time.monotonic() + WRITER_LIFETIME_S
    while time.monotonic() < deadline:
        os.write(1, b"writing\n")
        with write(ctx) as tx:
            last = tx.conn.execute(select(func.max(S.case.c.number))
                                   .where(S.case.c.number.like(f"{PREFIX}%"))).scalar()
            number = f"{PREFIX}{int(last[len(PREFIX):]) + 1 if last else 1:06d}"
            data = CaseData(number=number, title=f"Crash test {number}", task_force_id=tf_id,
                            lead_agency_id=lead_id, opened_on=date(2026, 11, 23),
                            # a few KB per transaction, so a commit spans several pages
                            synopsis=" ".join(rng.choice(("alpha", "bravo", "charlie", "delta"))
                                              for _ in range(rng.randint(10, 400))))
            data.check()
            values = asdict(data)
            del values["statutes"], values["caveat_ids"]
            case_id = tx.insert(S.case, values)
            for n in range(NOTES_PER_CASE):
                note = NoteData(case_id=case_id, body=f"note {n + 1} of {number}: " + "x" * rng.randint(0, 2000))
                note.check()
                tx.insert(S.case_note, {"case_id": case_id, "body": note.body, "author": "crash-writer",
                                        "written_at": utc_now(), "originating_agency_id": None},
                          ("case_file", case_id))
        os.write(1, f"committed {number}\n".encode())  # unbuffered: out the moment commit returns
    os._exit(0)


def _serve(db_path: str, tf_id: int, lead_id: int) -> None:
    """Fork one writer per ``run`` line on stdin; report how each ended."""
    # everything the writer needs, imported once here and shared by every fork
    import taskforce.domain.records  # noqa: F401
    import taskforce.services.context  # noqa: F401
    import taskforce.services.tx  # noqa: F401
    import taskforce.store.database  # noqa: F401

    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "run":
            break
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                _writer(db_path, tf_id, lead_id)
            except BaseException:  # noqa: BLE001 - shown, then exit 1 (not SIGKILL): the test fails
                import traceback

                traceback.print_exc()
            os._exit(1)
        _, status = os.waitpid(pid, 0)
        print(f"ended {pid} {status}", flush=True)


# --- the harness, shared with bench/bench_crash.py ----------------------------------------

@dataclass
class KillResult:
    pid: int
    killed_after_ms: int
    by_sigkill: bool
    committed: list[str]
    lost: list[str]            # reported committed, not in the file
    half_written: list[str]    # in the file with fewer than 3 notes (or missing their audit)
    check_failures: list[str]  # stats.check lines that failed
    in_flight: bool            # killed after "writing" and before its "committed"
    present_unreported: int    # transactions found in the file that the writer never reported
    wal_on_reopen: bool        # the crash left a -wal file to recover
    lock_left: bool            # the crash left a lock file (then it must be taken over)
    taken_over_pid: int | None
    reopen_s: float
    said: list[str] = field(default_factory=list)  # anything logged, warned or printed on reopen


def setup_database(path: Path) -> tuple[int, int]:
    """A task force and lead agency for the writer's cases (the file must be migrated)."""
    from tests.factories import best_seattle, ref_agency
    from taskforce.services.context import Actor, Context
    from taskforce.store.database import Database

    db = Database.open(path)
    try:
        ctx = Context(db=db, actor=Actor("crash", "crash-writer"))
        return best_seattle(ctx), ref_agency(ctx, "ice_hsi")
    finally:
        db.close()


class _Said(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"log {record.levelname}: {record.getMessage()}")


def _reopen_and_check(path: Path, committed: list[str]) -> tuple:
    from sqlalchemy import func, select

    from taskforce.services.context import Actor, Context
    from taskforce.services.stats import check
    from taskforce.store import schema as S
    from taskforce.store.database import Database

    said = _Said()
    root = logging.getLogger()
    root.addHandler(said)
    old_level = root.level
    root.setLevel(logging.INFO)
    try:
        out, err = io.StringIO(), io.StringIO()
        with warnings.catch_warnings(record=True) as warned, redirect_stdout(out), redirect_stderr(err):
            warnings.simplefilter("always")
            start = time.perf_counter()
            db = Database.open(path)
            with db.engine.connect() as conn:  # the first connection is where SQLite recovers the WAL
                conn.exec_driver_sql("SELECT 1").scalar()
            reopen_s = time.perf_counter() - start
    finally:
        root.removeHandler(said)
        root.setLevel(old_level)
    said.lines += [f"warning: {w.message}" for w in warned]
    said.lines += [f"printed: {text}" for text in (out.getvalue(), err.getvalue()) if text]
    try:
        c, n = S.case.c, S.case_note.c
        a = S.audit_log.c
        with db.engine.connect() as conn:
            notes = dict(conn.execute(
                select(c.number, func.count(n.id)).select_from(S.case.outerjoin(S.case_note))
                .where(c.number.like(f"{PREFIX}%")).group_by(c.id)).all())
            audited = dict(conn.execute(
                select(c.number, func.count(a.id)).select_from(S.case.join(
                    S.audit_log, (a.root_entity == "case_file") & (a.root_id == c.id) & (a.action == "create")))
                .where(c.number.like(f"{PREFIX}%")).group_by(c.id)).all())
        lost = [number for number in committed if number not in notes]
        half = [number for number, count in notes.items()
                if count != NOTES_PER_CASE or audited.get(number, 0) != 1 + NOTES_PER_CASE]
        failures = [f"{r.name}: {r.detail}" for r in check(Context(db=db, actor=Actor("t", "t"))) if not r.ok]
        taken = db.lock.taken_over.pid if db.lock and db.lock.taken_over else None
    finally:
        db.close()
    return set(notes), lost, half, failures, taken, reopen_s, said.lines


class CrashRig:
    """The fork server on one database file; ``kill_once`` runs one writer and kills it."""

    def __init__(self, path: Path, tf_id: int, lead_id: int) -> None:
        self.path = path
        self.reported: set[str] = set()
        root = HERE.parents[1]
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE), "serve", str(path), str(tf_id), str(lead_id)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1, cwd=root,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))})
        ready = self.proc.stdout.readline().strip()
        if ready != "ready":
            self.close()
            raise RuntimeError(f"the crash writer did not start: {ready!r}")

    def kill_once(self, rng: random.Random) -> KillResult:
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        started = self.proc.stdout.readline().split()
        if len(started) != 2 or started[0] != "started":
            raise RuntimeError(f"the crash writer said {started!r}")
        pid = int(started[1])
        delay_ms = rng.randint(20, 300)
        time.sleep(delay_ms / 1000)
        os.kill(pid, signal.SIGKILL)
        committed = []
        in_flight = False
        for line in self.proc.stdout:
            word, _, rest = line.strip().partition(" ")
            if word == "writing":
                in_flight = True
            elif word == "committed":
                committed.append(rest)
                in_flight = False
            elif word == "ended":
                status = int(rest.split()[1])
                break
        else:
            raise RuntimeError("the crash writer's server ended")
        wal = self.path.with_name(self.path.name + "-wal").exists()
        lock_left = self.path.with_name(self.path.name + ".lock").exists()
        present, lost, half, failures, taken, reopen_s, said = _reopen_and_check(self.path, committed)
        self.reported.update(committed)
        return KillResult(pid=pid, killed_after_ms=delay_ms,
                          by_sigkill=os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL,
                          committed=committed, lost=lost, half_written=half, check_failures=failures,
                          in_flight=in_flight, present_unreported=len(present - self.reported),
                          wal_on_reopen=wal, lock_left=lock_left, taken_over_pid=taken,
                          reopen_s=reopen_s, said=said)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


def run_kills(path: Path, kills: int, seed: int) -> list[KillResult]:
    tf_id, lead_id = setup_database(path)
    rig = CrashRig(path, tf_id, lead_id)
    try:
        rng = random.Random(seed)
        return [rig.kill_once(rng) for _ in range(kills)]
    finally:
        rig.close()


# --- the tests ------------------------------------------------------------------------------

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX")

KILLS = 50


@pytest.fixture(scope="module")
def crash_results(tmp_path_factory, migrated_template) -> tuple[Path, list[KillResult]]:
    import shutil

    path = tmp_path_factory.mktemp("crash") / "taskforce.sqlite"
    shutil.copyfile(migrated_template, path)
    return path, run_kills(path, KILLS, seed=20261123)


def test_every_reported_commit_survives_fifty_kills_and_nothing_is_half_written(crash_results):
    _path, results = crash_results
    assert len(results) == KILLS
    # every writer died of the SIGKILL, not of an error of its own
    assert all(r.by_sigkill for r in results), [r.pid for r in results if not r.by_sigkill]
    # the kills landed while writing: transactions were reported committed in most runs
    committed = sum(len(r.committed) for r in results)
    assert committed >= KILLS and sum(1 for r in results if r.committed) >= KILLS // 2
    # and most of them in the middle of a transaction, the case that could half-write
    assert sum(r.in_flight for r in results) >= KILLS // 2
    assert [n for r in results for n in r.lost] == []
    assert [n for r in results for n in r.half_written] == []
    assert [f for r in results for f in r.check_failures] == []


def test_the_stale_lock_of_each_killed_writer_is_taken_over(crash_results):
    _path, results = crash_results
    left = [r for r in results if r.lock_left]
    assert len(left) >= KILLS // 2  # most writers were killed holding the file
    assert all(r.taken_over_pid == r.pid for r in left)
    assert not _path.with_name(_path.name + ".lock").exists()  # the last reopen closed cleanly


def test_opening_a_file_a_crash_left_with_a_wal_works_and_says_nothing(crash_results):
    _path, results = crash_results
    with_wal = [r for r in results if r.wal_on_reopen]
    assert len(with_wal) >= KILLS // 2
    assert [line for r in results for line in r.said] == []


def test_the_cases_and_notes_are_all_there_at_the_end(crash_results):
    """Counted once more from scratch, the way a user would: `taskforce check` in a new process."""
    path, results = crash_results
    check = subprocess.run([sys.executable, "-m", "taskforce", "--db", str(path), "check"],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stderr == ""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        numbers = {r[0] for r in conn.execute("SELECT number FROM case_file WHERE number LIKE 'CRASH-%'")}
    finally:
        conn.close()
    assert {n for r in results for n in r.committed} <= numbers


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "serve":
    _serve(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
