"""The kill -9 matrix (issue 11): every operation that writes a file or replaces the database,
killed at its durable steps and at a random moment, leaves a database that opens and passes
``check``, and a release log that names every file in place.

Per operation, a fresh copy of a demo database; each kill is ``taskforce …`` run in a new
process and killed with SIGKILL, either at a named step (``store.files.crash_point``: the
instants between two commits or renames) or after a random delay within the command's
lifetime (a seeded draw: a part of the time a run to the end took just before; an import
when its ``-wal`` has grown past a random size, so inside its transaction). After each kill,
in this process:

- there is a database at the path and it opens (plain or encrypted: the path always holds the
  old file or the new one; nothing is offered back);
- ``stats.check`` passes (integrity, foreign keys, the schema, the audit chain and anchor);
- every file the killed command left in its output folder has its release-log entry (same
  name, same SHA-256) and that entry's audit row; an entry is done only if its file is there,
  and one that is not done says it is pending or failed;
- no staging folder is left next to the database (the open swept it), and nothing readable
  is left beside an encrypted backup;
- an import is all or nothing.

About 26 kills, under a minute on two cores: a few per operation; tests/test_release_pending.py,
tests/test_swap.py and tests/test_backup_staging.py test each step on its own.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from taskforce.store.cipher import file_kind
from tests.crashing import (  # noqa: F401
    BACKUP_PASSPHRASE, DB_PASSPHRASE, demo_template, files_under, holds_text, kill_when, killed, known_text, ok,
    tf,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ENV = {"TASKFORCE_PASSPHRASE": DB_PASSPHRASE}
IMPORTED = 3000  # rows of each import: long enough to be killed in the middle of its transaction
RANDOM_KILLS = 1  # per operation, besides its named steps
# every operation: its named steps, killed one after the other
STEPS = {
    "import": (),
    "export": ("release:logged", "release:placed"),
    "backup": ("release:logged", "release:placed"),
    "encrypted backup": ("backup:staged", "release:placed"),
    "package": ("release:logged", "release:placed"),
    "restore": ("swap:aside", "swap:replaced", "restore:swapped"),
    "encrypt": ("convert:exported", "swap:aside", "swap:replaced"),
    "decrypt": ("convert:exported", "swap:aside", "swap:replaced"),
}
SEED = 20261202


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Rig:
    def __init__(self, folder: Path, template: Path) -> None:
        self.data = folder / "data"
        self.data.mkdir()
        self.db = self.data / "taskforce.sqlite"
        shutil.copyfile(template, self.db)
        self.out = folder / "out"
        self.out.mkdir()
        self.runs = 0
        conn = sqlite3.connect(self.db)
        try:
            self.task_force, self.lead = conn.execute(
                "SELECT t.name, a.abbreviation FROM case_file c JOIN task_force t ON t.id = c.task_force_id "
                "JOIN agency a ON a.id = c.lead_agency_id WHERE a.abbreviation <> '' LIMIT 1").fetchone()
        finally:
            conn.close()
        self.text = known_text(self.db)
        self.restore_from = folder / "restore-from.sqlite"
        ok(tf("--db", self.db, "backup", "-o", self.restore_from, env=ENV))

    # -- the commands ---------------------------------------------------------------------
    def args(self, op: str, folder: Path) -> list:
        db = ["--db", self.db]
        if op == "import":
            csv = folder.parent / f"{folder.name}.csv"
            rows = "".join(f"KILL-{folder.name}-{n:03d},Killed import {n},{self.task_force},{self.lead},2026-11-20\n"
                           for n in range(IMPORTED))
            csv.write_text("number,title,task force,lead agency,opened on\n" + rows)
            return [*db, "import", "cases", csv]
        if op == "export":
            return [*db, "export", "cases", "-o", folder / "cases.csv"]
        if op == "backup":
            return [*db, "backup", "-o", folder / "copy.sqlite"]
        if op == "encrypted backup":
            return [*db, "backup", "-o", folder / "copy.sqlite", "--encrypt"]
        if op == "package":
            return [*db, "report", "package", "--task-force", self.task_force, "-o", folder / "package.pdf"]
        if op == "restore":
            return [*db, "restore", self.restore_from, "--yes"]
        return [op, "--db", self.db]  # encrypt, decrypt

    def prepare(self, op: str) -> None:
        """What the operation needs: decrypt an encrypted file, encrypt a plain one."""
        kind = file_kind(self.db)
        if op == "encrypt" and kind == "encrypted":
            ok(tf("decrypt", "--db", self.db, env=ENV))
        elif op == "decrypt" and kind != "encrypted":
            ok(tf("encrypt", "--db", self.db, env=ENV))

    def kill(self, op: str, *, step: str | None = None, delay: float | None = None,
             when=None) -> tuple[Path, bool]:  # noqa: ANN001 - a predicate
        """Run ``op`` into a new output folder and kill it: at ``step``, after ``delay`` seconds,
        or the moment ``when()`` is true; (the folder, whether it was killed)."""
        self.prepare(op)
        self.runs += 1
        folder = self.out / f"run{self.runs:02d}"
        folder.mkdir()
        args = self.args(op, folder)
        if step is not None:
            result = tf(*args, crash_at=step, env=ENV)
            assert killed(result), (op, step, result.returncode, result.stderr)
            return folder, True
        if when is not None:
            return folder, kill_when(args, when, env=ENV)
        proc = subprocess.Popen([sys.executable, "-m", "taskforce", *map(str, args)], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env={**os.environ, "TASKFORCE_BACKUP_PASSPHRASE": BACKUP_PASSPHRASE, **ENV})
        try:
            proc.wait(timeout=delay)
            was_killed = False
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            was_killed = True
        proc.stderr.close()
        return folder, was_killed

    def timed(self, op: str) -> tuple[Path, float]:
        """One run to the end (checked like the others): how long the command takes here, now."""
        self.prepare(op)
        self.runs += 1
        folder = self.out / f"run{self.runs:02d}"
        folder.mkdir()
        started = time.monotonic()
        ok(tf(*self.args(op, folder), env=ENV))
        return folder, time.monotonic() - started

    def kill_at_random(self, op: str, rng: random.Random) -> tuple[Path, bool]:
        """A kill at a random moment: an import when its -wal has grown past a random size (in
        the middle of its one transaction, however fast the machine); anything else after a
        random part of the time a run to the end took just before."""
        if op == "import":
            wal, threshold = Path(f"{self.db}-wal"), rng.randint(100_000, 1_500_000)
            return self.kill(op, when=lambda: wal.exists() and wal.stat().st_size > threshold)
        folder, took = self.timed(op)
        self.check(op, folder)
        return self.kill(op, delay=rng.uniform(0.35, 0.95) * took)

    # -- what must hold after each ----------------------------------------------------------
    def check(self, op: str, folder: Path) -> None:
        from taskforce.services import stats
        from taskforce.services.context import Actor, Context
        from taskforce.services.release import releases
        from taskforce.store.database import Database

        assert self.db.is_file(), f"{op}: no database at the path"
        db = Database.open(self.db, passphrase=DB_PASSPHRASE if file_kind(self.db) == "encrypted" else None)
        try:
            ctx = Context(db, Actor("matrix", "matrix"))
            failed = [f"{r.name}: {r.detail}" for r in stats.check(ctx) if not r.ok]
            assert failed == [], f"{op}: {failed}"
            log = releases(ctx, limit=10_000)
            with db.engine.connect() as conn:
                audited = {r[0] for r in conn.exec_driver_sql(
                    "SELECT entity_id FROM audit_log WHERE entity = 'release' AND action IN ('print', 'export')")}
                imported = conn.exec_driver_sql("SELECT count(*) FROM case_file WHERE number LIKE ?",
                                                (f"KILL-{folder.name}-%",)).scalar()
        finally:
            db.close()
        by_file = {}
        for entry in log:
            by_file.setdefault(entry.file_name, []).append(entry)
            assert entry.id in audited, f"{op}: release {entry.id} has no audit row"
            assert entry.status in ("pending", "done", "failed")
            if entry.status == "done":
                assert Path(entry.file_name).is_file(), f"{op}: {entry.file_name} logged done but not there"
            else:
                assert entry.state, f"{op}: entry {entry.id} not done and says nothing"
        for made in (p for p in folder.iterdir() if p.is_file()):
            entries = by_file.get(str(made.resolve()), [])
            assert any(e.sha256 == _sha(made) for e in entries), f"{op}: {made.name} is in place with no entry"
        if op == "encrypted backup":
            assert [p for p in files_under(folder) if holds_text(p, self.text)] == [], f"{op}: readable"
        assert [p.name for p in self.data.iterdir() if p.name.startswith(".taskforce-")] == [], op
        if op == "import":
            assert imported in (0, IMPORTED), f"import: {imported} of {IMPORTED} rows"


@pytest.mark.parametrize("op", list(STEPS))
def test_kill_9_at_every_step_and_at_random_leaves_a_database_that_opens_and_a_complete_log(
        tmp_path, demo_template, op):
    rig = Rig(tmp_path, demo_template)
    rng = random.Random(f"{SEED}-{op}")
    for step in STEPS[op]:
        folder, _ = rig.kill(op, step=step)
        rig.check(op, folder)
    killed_at_random = 0
    for _ in range(RANDOM_KILLS + (1 if op == "import" else 0)):
        folder, was_killed = rig.kill_at_random(op, rng)
        killed_at_random += was_killed
        rig.check(op, folder)
    if op == "import":  # the -wal trigger: killed inside its transaction, every time
        assert killed_at_random == RANDOM_KILLS + 1
