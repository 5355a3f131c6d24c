"""The writer lock against someone who tries (issue 11 §1, §2, the holder's name shown escaped,
read-only media): a lock file that is a link, a FIFO or a folder; the same database through
a symbolic or a hard link; control characters in the lock file; a folder nobody may write."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from taskforce.domain.errors import DatabaseInUse, ReadOnlyDatabase, TaskforceError
from taskforce.domain.records import AgencyData
from taskforce.services import agencies
from taskforce.services.context import Actor, Context
from taskforce.store.database import Database
from taskforce.store.lock import Holder, WriterLock, in_use_message, lock_path
from tests.conftest import FBI_EXCERPT

HOST = socket.gethostname()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _taskforce(*args: object, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "taskforce", *map(str, args)], capture_output=True,
                          text=True, timeout=60, env={**os.environ, **env})


def _ctx(db: Database) -> Context:
    return Context(db=db, actor=Actor(os_user="tester", app_user="j.doe"))


# --- §1: the lock file is not ours to follow ------------------------------------------------

@pytest.mark.parametrize("target", ["database", "anchors", "dangling"])
def test_a_lock_file_that_is_a_symbolic_link_is_refused_and_its_target_untouched(db_path, tmp_path, target):
    victim = {"database": db_path, "anchors": tmp_path / "audit-anchors.json",
              "dangling": tmp_path / "created-by-the-lock.json"}[target]
    if target == "anchors":
        victim.write_text('{"anchors": "the workstation keeps these"}')
    before = _sha(victim) if victim.exists() else None
    lock_path(db_path).symlink_to(victim)

    with pytest.raises(TaskforceError) as refused:
        Database.open(db_path)
    assert str(refused.value) == (
        "taskforce.sqlite.lock is a link to another file, not a lock file; Taskforce does not "
        "write through it: remove it, then try again.")
    result = _taskforce("--db", db_path, "stats")  # even a reading command
    assert result.returncode == 1 and result.stderr == f"taskforce: {refused.value}\n"
    assert (_sha(victim) if victim.exists() else None) == before
    assert lock_path(db_path).is_symlink()  # left for the user to look at, not removed


def test_a_lock_file_that_is_a_hard_link_is_refused(db_path, tmp_path):
    other = tmp_path / "settings.json"
    other.write_text('{"user_name": "m.quill"}')
    os.link(other, lock_path(db_path))
    with pytest.raises(TaskforceError, match=r"^taskforce.sqlite.lock has another name on this disk"):
        Database.open(db_path)
    assert other.read_text() == '{"user_name": "m.quill"}'


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_fifo_or_a_folder_as_the_lock_file_is_refused_at_once(db_path, kind):
    lock = lock_path(db_path)
    if kind == "fifo":
        os.mkfifo(lock)  # opened blocking, this would hang until someone wrote to it
    else:
        lock.mkdir()
    with pytest.raises(TaskforceError) as refused:
        Database.open(db_path)
    what = "a named pipe" if kind == "fifo" else "a folder"
    assert str(refused.value) == (f"taskforce.sqlite.lock is {what}, not a lock file; remove it, "
                                  "then try again.")


def test_the_holder_is_read_without_following_a_link(db_path, tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"user": "root", "host": "h", "pid": 1, "since": "2026-01-01T00:00:00"}))
    lock_path(db_path).symlink_to(secret)
    assert WriterLock(db_path).holder() is None


# --- §2: one file, one writer, whatever the name it is opened by ----------------------------

def test_the_same_file_through_a_symbolic_link_gets_no_second_writer(db_path, tmp_path):
    link = tmp_path / "elsewhere" / "shortcut.sqlite"
    link.parent.mkdir()
    link.symlink_to(db_path)
    first = Database.open(db_path, user="m.quill")
    try:
        with pytest.raises(DatabaseInUse) as refused:
            Database.open(link, user="j.doe")
        assert refused.value.holder.user == "m.quill"
        assert str(refused.value).startswith("shortcut.sqlite is open in Taskforce by m.quill")
    finally:
        first.close()
    second = Database.open(link, user="j.doe")  # and the other way round
    try:
        assert lock_path(link) == lock_path(db_path)  # named after the file, not the link
        with pytest.raises(DatabaseInUse):
            Database.open(db_path)
    finally:
        second.close()


def test_the_same_folder_through_a_symbolic_link_gets_no_second_writer(db_path, tmp_path):
    alias = tmp_path.parent / (tmp_path.name + "-alias")
    alias.symlink_to(tmp_path, target_is_directory=True)
    try:
        first = Database.open(alias / db_path.name)
        try:
            with pytest.raises(DatabaseInUse):
                Database.open(db_path)
        finally:
            first.close()
    finally:
        alias.unlink()


def test_a_database_with_a_second_name_is_not_opened_for_writing_by_either(db_path, tmp_path):
    other_name = tmp_path / "hardlink.sqlite"
    os.link(db_path, other_name)
    for name in (db_path, other_name):
        with pytest.raises(TaskforceError) as refused:
            Database.open(name)
        assert str(refused.value) == (
            f"{name.name} has another name on this disk (a hard link); Taskforce writes only to "
            "a database file with one name, since two names for one file would let two copies "
            "write to it: remove the other name, or make a copy instead.")
        assert not lock_path(name).exists()
    Database.open(other_name, read_only=True).close()  # reading is still possible
    other_name.unlink()
    Database.open(db_path).close()


def test_a_hard_link_made_while_the_file_is_open_gives_no_second_writer(db_path, tmp_path):
    first = Database.open(db_path, user="m.quill")
    try:
        other_name = tmp_path / "hardlink.sqlite"
        os.link(db_path, other_name)
        with pytest.raises(TaskforceError, match="has another name on this disk"):
            Database.open(other_name)
        agencies.create_agency(_ctx(first), AgencyData(name="Blaine Police Department", level="local"))
    finally:
        first.close()


def test_the_lock_file_records_which_file_it_locks(db_path):
    db = Database.open(db_path)
    try:
        written = json.loads(lock_path(db_path).read_text())
        st = db_path.stat()
        assert written["file"] == [st.st_dev, st.st_ino]
    finally:
        db.close()


# --- the holder's name and host are data, not terminal commands -----------------------------

HOSTILE = {"user": "m.quill\x1b[2J\x1b]0;owned\x07\r\nroot", "host": "WS\u202e-0231\x9b31m",
           "pid": 4242, "since": "2026-11-23T14:05:00-08:00\x1b[5m"}


def test_control_characters_in_the_lock_file_never_reach_the_sentence():
    holder = Holder.from_json(json.dumps(HOSTILE))
    sentence = in_use_message(Path("taskforce.sqlite"), holder)
    assert sentence == ("taskforce.sqlite is open in Taskforce by m.quill[2J]0;owned root on WS-0231"
                        "31m since 2026-11-23T14:05:00-08:00[5m (process 4242); open it read-only, "
                        "or try again when it is closed.")
    assert not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 or c in "\u202e" for c in sentence)
    long = Holder.from_json(json.dumps({**HOSTILE, "user": "x" * 5000}))
    assert len(long.user) <= 100


def test_the_command_line_prints_a_hostile_holder_without_its_escapes(db_path):
    Database.open(db_path).close()
    holder = HOLDER_HOSTILE.replace("HOSTILE", repr(json.dumps(HOSTILE)))
    other = subprocess.Popen([sys.executable, "-c", holder, str(db_path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "open"
        result = _taskforce("--db", db_path, "import", "agencies", FBI_EXCERPT)
        assert result.returncode == 1
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\x9b" not in result.stderr
        assert result.stderr.count("\n") == 1
        assert "m.quill[2J]0;owned root on WS-023131m" in result.stderr
    finally:
        other.stdin.close()
        other.wait(timeout=10)


# a holder that writes a hostile lock file, as someone with write access to the folder could
HOLDER_HOSTILE = r"""
import os, sys
from pathlib import Path
from taskforce.store.lock import WriterLock
lock = WriterLock(Path(sys.argv[1]))
lock.acquire()
os.lseek(lock._fd, 0, 0); os.ftruncate(lock._fd, 0); os.write(lock._fd, HOSTILE.encode())
print("open", flush=True)
sys.stdin.read()
lock.release()
"""


def test_the_in_use_dialog_and_status_bar_show_the_holder_as_plain_text(qtbot, db_path):
    from PySide6.QtCore import Qt

    from taskforce.gui.in_use_dialog import InUseDialog, read_only_label

    rich = Holder(user="<b>m.quill</b><img src='file:///etc/passwd'>", host="<a href='x'>WS</a>",
                  pid=1, since="2026-11-23T14:05:00-08:00")
    dialog = InUseDialog(DatabaseInUse(in_use_message(Path("taskforce.sqlite"), rich), rich))
    qtbot.addWidget(dialog)
    assert dialog.textFormat() == Qt.TextFormat.PlainText
    assert "<b>m.quill</b>" in dialog.text()
    db = Database.open(db_path, read_only=True)
    try:
        db.holder = rich
        label = read_only_label(db)
        qtbot.addWidget(label)
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert "<b>m.quill</b>" in label.text()
    finally:
        db.close()


# --- read-only media: reading needs no lock file ---------------------------------------------

@contextmanager
def read_only_folder(tmp_path: Path):
    """A folder nobody may write to: a read-only tmpfs as root (permissions do not stop root),
    a folder without write permission otherwise."""
    folder = tmp_path / "media"
    folder.mkdir()
    if os.geteuid() == 0:
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
                          capture_output=True).returncode != 0:
            pytest.skip("cannot mount a tmpfs here, and root writes anywhere")
        try:
            yield folder, lambda: subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
    else:
        try:
            yield folder, lambda: folder.chmod(0o555)
        finally:
            folder.chmod(0o755)


def test_reading_commands_work_on_read_only_media_and_say_so_once(db_path, tmp_path):
    Database.open(db_path).close()
    with read_only_folder(tmp_path) as (folder, make_read_only):
        media = folder / "taskforce.sqlite"
        shutil.copyfile(db_path, media)
        make_read_only()

        stats = _taskforce("--db", media, "stats", "--json")
        assert stats.returncode == 0, stats.stderr
        assert json.loads(stats.stdout)["agencies"] >= 0
        assert stats.stderr.splitlines() == [
            "taskforce: taskforce.sqlite is on read-only media, or you may not write to it or its folder; "
            "it is opened read-only."]
        search = _taskforce("--db", media, "search", "seattle")
        assert search.returncode == 0, search.stderr

        written = _taskforce("--db", media, "import", "agencies", FBI_EXCERPT)
        assert written.returncode == 1
        assert written.stderr.splitlines()[-1] == (
            "taskforce: taskforce.sqlite is on read-only media, or you may not write to it or its folder; "
            "your change was not saved.")

        db = Database.open(media, read_only=True)
        try:
            assert db.holder is None
            with pytest.raises(ReadOnlyDatabase) as refused:
                agencies.create_agency(_ctx(db), AgencyData(name="Blaine Police Department", level="local"))
            assert "read-only media" in str(refused.value)
        finally:
            db.close()
        with pytest.raises(DatabaseInUse) as in_use:  # read-write: says why, and that it can be read
            Database.open(media)
        assert str(in_use.value) == (
            "taskforce.sqlite is on read-only media, or you may not write to it or its folder; open it "
            "read-only.")
        assert sorted(p.name for p in folder.iterdir()) == ["taskforce.sqlite"]
