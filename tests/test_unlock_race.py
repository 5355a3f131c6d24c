"""The lockout holds against guesses made all at once (issue 11): an attempt is counted before
its key is derived, under an OS lock on the counter file, and the count belongs to the file
(its device and inode), whatever name it is opened by."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from taskforce.domain.errors import TooManyAttempts, WrongPassphrase
from taskforce.store.database import Database
from taskforce.store.unlock_guard import MAX_IN_A_ROW, UnlockGuard
from tests.conftest import TEST_PASSPHRASE as PASS


@pytest.fixture
def enc_path(tmp_path: Path, encrypted_template: Path) -> Path:
    path = tmp_path / "taskforce.sqlite"
    shutil.copyfile(encrypted_template, path)
    return path


def test_forty_guesses_at_once_try_at_most_five(enc_path):
    tried: list[int] = []
    outcomes: list[type] = []
    start = threading.Barrier(40)
    mutex = threading.Lock()

    def slow_wrong() -> None:  # a key derivation takes a while: every thread is in it at once
        with mutex:
            tried.append(1)
        threading.Event().wait(0.3)
        raise WrongPassphrase("The passphrase does not open taskforce.sqlite.")

    def guess() -> None:
        guard = UnlockGuard(enc_path)  # each its own guard, like each its own process
        start.wait()
        try:
            guard.attempt(slow_wrong)
        except (WrongPassphrase, TooManyAttempts) as refused:
            with mutex:
                outcomes.append(type(refused))

    threads = [threading.Thread(target=guess) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(tried) <= MAX_IN_A_ROW
    assert len(outcomes) == 40 and outcomes.count(TooManyAttempts) >= 40 - MAX_IN_A_ROW
    guard = UnlockGuard(enc_path)
    assert guard.locked_until() is not None and guard.attempts_left() == 0
    assert guard.pending().count == len(tried)  # the count never goes down


GUESSER = r"""
import sys, time
from pathlib import Path
from taskforce.domain.errors import TooManyAttempts, WrongPassphrase
from taskforce.store import cipher
from taskforce.store.database import Database

real_unlock = cipher.unlock
def counted_unlock(path, passphrase):
    with open(sys.argv[2], "a") as tried:  # O_APPEND: one line per key derivation
        tried.write("tried\n")
    return real_unlock(path, passphrase)
cipher.unlock = counted_unlock
print("ready", flush=True)
sys.stdin.readline()
try:
    Database.open(Path(sys.argv[1]), read_only=True, passphrase="wrong " + sys.argv[3]).close()
    print("opened")
except TooManyAttempts:
    print("locked")
except WrongPassphrase:
    print("wrong")
"""


def test_twenty_processes_guessing_at_once_derive_at_most_five_keys(enc_path, tmp_path):
    tried = tmp_path / "tried.txt"
    tried.touch()
    procs = [subprocess.Popen([sys.executable, "-c", GUESSER, str(enc_path), str(tried), str(i)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(20)]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready"
        for p in procs:  # all at once
            p.stdin.write("go\n")
            p.stdin.flush()
        ended = [p.communicate(timeout=120) for p in procs]
        outcomes = [out.strip() for out, _err in ended]
        assert all(out for out in outcomes), [err for _out, err in ended]
    finally:
        for p in procs:
            p.kill() if p.poll() is None else None
    derived = tried.read_text().count("tried")
    assert derived <= MAX_IN_A_ROW, outcomes
    assert "opened" not in outcomes and outcomes.count("locked") >= 20 - MAX_IN_A_ROW
    assert UnlockGuard(enc_path).pending().count == derived


def _wrong(guard: UnlockGuard) -> None:
    def refused() -> None:
        raise WrongPassphrase("no")
    with pytest.raises((WrongPassphrase, TooManyAttempts)):
        guard.attempt(refused)


def test_the_count_belongs_to_the_file_not_to_the_name_it_is_opened_by(enc_path, tmp_path):
    link = tmp_path / "link.sqlite"
    link.symlink_to(enc_path)
    for _ in range(2):
        _wrong(UnlockGuard(enc_path))
    _wrong(UnlockGuard(link))
    renamed = tmp_path / "renamed.sqlite"
    enc_path.rename(renamed)
    assert UnlockGuard(renamed).attempts_left() == MAX_IN_A_ROW - 3
    hard = tmp_path / "second-name.sqlite"
    os.link(renamed, hard)
    _wrong(UnlockGuard(hard))
    with pytest.raises(TooManyAttempts):
        _wrong_raising(UnlockGuard(Path(os.path.relpath(renamed))))
    hard.unlink()
    link.unlink()
    link.symlink_to(renamed)
    with pytest.raises(TooManyAttempts):  # locked by every name, the right passphrase too
        Database.open(link, passphrase=PASS)


def _wrong_raising(guard: UnlockGuard) -> None:
    def refused() -> None:
        raise WrongPassphrase("no")
    guard.attempt(refused)


def test_an_attempt_cut_short_stays_counted(enc_path):
    """Counted before the key is derived: a process killed meanwhile (here: an exception the
    guard does not know) has used up its try."""
    guard = UnlockGuard(enc_path)

    def killed() -> None:
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        guard.attempt(killed)
    assert guard.attempts_left() == MAX_IN_A_ROW - 1


def test_a_right_passphrase_still_resets_and_audits_only_the_wrong_ones(enc_path):
    now = [datetime(2026, 11, 23, 14, 20, tzinfo=timezone.utc)]
    guard = UnlockGuard(enc_path, clock=lambda: now[0])
    for _ in range(3):
        _wrong(guard)
    db = Database.open(enc_path, passphrase=PASS, clock=lambda: now[0])
    try:
        assert db.unlock_failures.count == 3
    finally:
        db.close()
    assert guard.attempts_left() == MAX_IN_A_ROW
