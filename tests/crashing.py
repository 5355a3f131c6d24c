"""Running the command line and killing it at a named step (issue 11).

``taskforce.store.files.crash_point(step)`` kills its own process with SIGKILL when
``TASKFORCE_TEST_CRASH_AT`` names that step: the test then sees exactly what a power cut or a
``kill -9`` at that instant leaves on disk. A demo database is made once per session and
copied for each test (``demo_db``).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from taskforce.store.files import CRASH_ENV

BACKUP_PASSPHRASE = "a backup passphrase"
DB_PASSPHRASE = "a database passphrase"


def tf(*args: object, crash_at: str | None = None, env: dict | None = None,
       timeout: float = 120) -> subprocess.CompletedProcess:
    """``taskforce ARGS`` in a new process; killed at ``crash_at`` when given."""
    full = {k: v for k, v in os.environ.items() if k not in ("TASKFORCE_DB", CRASH_ENV)}
    full.setdefault("TASKFORCE_BACKUP_PASSPHRASE", BACKUP_PASSPHRASE)
    if crash_at:
        full[CRASH_ENV] = crash_at
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "taskforce", *map(str, args)], capture_output=True,
                          text=True, env=full, timeout=timeout, stdin=subprocess.DEVNULL)


def killed(result: subprocess.CompletedProcess) -> bool:
    return result.returncode == -signal.SIGKILL


def assert_killed(result: subprocess.CompletedProcess) -> None:
    assert killed(result), (result.returncode, result.stdout, result.stderr)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def case_number(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT number FROM case_file ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        conn.close()


def known_text(db: Path) -> bytes:
    """A case title of the database, to look for in bytes that should be encrypted."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT title FROM case_file ORDER BY id LIMIT 1").fetchone()[0].encode()
    finally:
        conn.close()


def holds_text(path: Path, text: bytes) -> bool:
    try:
        return text in path.read_bytes()
    except OSError:
        return False


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "taskforce.sqlite"
    ok(tf("--db", path, "demo", "--cases", 12, "--seed", 11))
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


@pytest.fixture
def demo_db(tmp_path: Path, demo_template: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "taskforce.sqlite"
    shutil.copyfile(demo_template, path)
    return path


def kill_when(args: list, found, *, env: dict | None = None, timeout: float = 60) -> bool:
    """Run ``taskforce ARGS`` and SIGKILL it the moment ``found()`` is true; whether it was
    killed so (False: it ended first). Reproduces a kill at a point no crash step names."""
    import time

    full = {k: v for k, v in os.environ.items() if k not in ("TASKFORCE_DB", CRASH_ENV)}
    full.setdefault("TASKFORCE_BACKUP_PASSPHRASE", BACKUP_PASSPHRASE)
    full.update(env or {})
    proc = subprocess.Popen([sys.executable, "-m", "taskforce", *map(str, args)], env=full,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if found():
                proc.kill()
                proc.wait()
                return True
            time.sleep(0.001)
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
