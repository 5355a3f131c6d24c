"""No plain bytes beside an encrypted target, and no staging left behind (issue 11 §2, Major).

An encrypted backup goes to a USB stick or a share: nothing readable may ever be written
there, not even for a moment, because a killed backup (or the flash's wear levelling) leaves
it behind. The plain intermediate is staged next to the database, on its own disk; only
ciphertext reaches the target's folder. Staging folders a killed process left (backups,
conversions: a killed ``decrypt`` leaves a plain copy) are swept, overwritten first, when the
database is next opened.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.crashing import (  # noqa: F401
    DB_PASSPHRASE, assert_killed, demo_db, demo_template, files_under, holds_text, kill_when, known_text, ok, tf,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def readable(folder: Path, text: bytes) -> list[Path]:
    """Every file under ``folder`` in which ``text`` can be read."""
    return [p for p in files_under(folder) if holds_text(p, text)]


def test_a_backup_killed_the_moment_anything_readable_reaches_the_stick_never_is(demo_db, tmp_path):
    text, stick = known_text(demo_db), tmp_path / "stick"
    stick.mkdir()
    for _ in range(3):
        killed = kill_when(["--db", demo_db, "backup", "-o", stick / "copy.sqlite", "--encrypt", "--force"],
                           lambda: bool(readable(stick, text)))
        assert not killed and readable(stick, text) == []


@pytest.mark.parametrize("step", ["backup:staged", "backup:exported", "release:logged", "release:placed"])
def test_an_encrypted_backup_killed_at_each_step_leaves_nothing_readable_on_the_stick(demo_db, tmp_path, step):
    text, stick = known_text(demo_db), tmp_path / "stick"
    stick.mkdir()
    assert_killed(tf("--db", demo_db, "backup", "-o", stick / "copy.sqlite", "--encrypt", crash_at=step))
    assert readable(stick, text) == []
    assert holds_text(demo_db, text)  # the control: the text is there to be found


def test_a_finished_encrypted_backup_left_nothing_readable_anywhere_but_the_database(demo_db, tmp_path):
    text, stick = known_text(demo_db), tmp_path / "stick"
    stick.mkdir()
    ok(tf("--db", demo_db, "backup", "-o", stick / "copy.sqlite", "--encrypt"))
    assert [p.name for p in files_under(stick)] == ["copy.sqlite"] and readable(stick, text) == []
    # the plain intermediate was next to the database, and is gone
    assert [p.name for p in demo_db.parent.iterdir() if p.name.startswith(".taskforce-")] == []


def _staging(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".taskforce-")]


def test_a_killed_decrypt_leaves_a_plain_copy_that_the_next_open_overwrites_and_removes(demo_db):
    env = {"TASKFORCE_PASSPHRASE": DB_PASSPHRASE}
    ok(tf("encrypt", "--db", demo_db, env=env))
    text = b"SQLite format 3"

    def plain_copy_written() -> bool:
        return any(p.name == "converted.sqlite" and p.stat().st_size > 4096
                   for folder in _staging(demo_db.parent) for p in folder.iterdir())

    assert kill_when(["decrypt", "--db", demo_db], plain_copy_written, env=env)
    [left] = _staging(demo_db.parent)
    assert holds_text(left / "converted.sqlite", text)  # what a killed decrypt leaves: plain
    ok(tf("--db", demo_db, "stats", env=env))  # the next open, by any command
    assert _staging(demo_db.parent) == []


@pytest.mark.parametrize("step", ["backup:staged", "convert:exported"])
def test_every_kind_of_staging_a_kill_leaves_next_to_the_database_is_swept_at_the_next_open(demo_db, tmp_path,
                                                                                           step, monkeypatch):
    from taskforce.store import backup as store

    if step == "backup:staged":
        assert_killed(tf("--db", demo_db, "backup", "-o", tmp_path / "copy.sqlite", "--encrypt", crash_at=step))
    else:
        assert_killed(tf("encrypt", "--db", demo_db, env={"TASKFORCE_PASSPHRASE": DB_PASSPHRASE}, crash_at=step))
    from taskforce.store.cipher import file_kind

    [left] = _staging(demo_db.parent)
    plain = {p.name for p in files_under(left) if file_kind(p) != "encrypted"}
    if step == "backup:staged":
        assert "plain.sqlite" in plain  # the plain intermediate: on the database's disk
    overwritten = []
    real = store.overwrite

    def spy(path: Path) -> None:
        overwritten.append(path.name)
        real(path)

    monkeypatch.setattr(store, "overwrite", spy)
    from taskforce.store.database import Database

    Database.open(demo_db).close()  # a killed encrypt left the plain file in place
    assert _staging(demo_db.parent) == []
    assert plain <= set(overwritten)


def test_a_staging_folder_of_a_process_still_running_is_left_alone(demo_db):
    from taskforce.store.database import Database

    mine = demo_db.parent / f".taskforce-backup-{os.getpid()}-x"
    mine.mkdir()
    Database.open(demo_db).close()
    assert mine.is_dir()
