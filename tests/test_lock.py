"""One writer at a time: the lock file, the second copy told who has the file, read-only."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import exc, func, select

from taskforce.domain.errors import DatabaseInUse, ReadOnlyDatabase, SchemaError
from taskforce.domain.records import AgencyData
from taskforce.services import agencies
from taskforce.services.context import Actor, Context
from taskforce.store import schema as S
from taskforce.store.database import Database, upgrade
from taskforce.store.engine import make_engine
from taskforce.store.lock import Holder, WriterLock, in_use_message, lock_path
from tests.conftest import FBI_EXCERPT

HOST = socket.gethostname()


def _ctx(db: Database) -> Context:
    return Context(db=db, actor=Actor(os_user="tester", app_user="j.doe"))


def _agency_count(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(S.agency)).scalar_one()


def test_the_sentence_says_who_where_since_when_and_what_to_do():
    holder = Holder(user="m.quill", host="WS-0231", pid=4242, since="2026-11-23T14:05:31-08:00")
    assert in_use_message(Path("/data/taskforce.sqlite"), holder) == (
        "taskforce.sqlite is open in Taskforce by m.quill on WS-0231 since 2026-11-23 14:05 "
        "(process 4242); open it read-only, or try again when it is closed.")
    assert in_use_message(Path("taskforce.sqlite"), None) == (
        "taskforce.sqlite is open in another copy of Taskforce; open it read-only, or try again "
        "when it is closed.")


def test_the_lock_file_names_the_writer_while_open_and_goes_with_close(db_path):
    db = Database.open(db_path, user="m.quill")
    lock = lock_path(db_path)
    assert lock == db_path.with_name("taskforce.sqlite.lock")
    written = json.loads(lock.read_text())
    assert {k: written[k] for k in ("user", "host", "pid")} == {"user": "m.quill", "host": HOST, "pid": os.getpid()}
    since = datetime.fromisoformat(written["since"])
    assert since.tzinfo is not None  # local time with its offset
    assert abs(since - datetime.now().astimezone()) < timedelta(minutes=1)
    assert WriterLock(db_path).holder() == Holder(**{k: written[k] for k in ("user", "host", "pid", "since")})
    db.close()
    assert not lock.exists()
    db.close()  # twice is harmless
    Database.open(db_path).close()  # and the file opens again


def test_a_second_writer_is_told_who_has_the_file(db_path):
    first = Database.open(db_path, user="m.quill")
    try:
        with pytest.raises(DatabaseInUse) as refused:
            Database.open(db_path, user="j.doe")
        holder = refused.value.holder
        assert (holder.user, holder.host, holder.pid) == ("m.quill", HOST, os.getpid())
        assert str(refused.value) == (
            f"taskforce.sqlite is open in Taskforce by m.quill on {HOST} since {holder.since_text} "
            f"(process {os.getpid()}); open it read-only, or try again when it is closed.")
        assert json.loads(lock_path(db_path).read_text())["user"] == "m.quill"  # untouched
    finally:
        first.close()
    Database.open(db_path, user="j.doe").close()


@pytest.mark.parametrize("left_behind", [
    json.dumps({"user": "m.quill", "host": "WS-0231", "pid": 999_999, "since": "2026-11-22T09:00:00-08:00"}),
    '{"user": "m.qu',  # cut short by the power cut
    "",
])
def test_a_lock_file_nobody_holds_is_taken_over_without_a_word(db_path, capfd, caplog, left_behind):
    lock_path(db_path).write_text(left_behind)
    db = Database.open(db_path, user="j.doe")
    try:
        assert json.loads(lock_path(db_path).read_text())["user"] == "j.doe"
        assert db.lock.taken_over == Holder.from_json(left_behind)
        assert db.lock.taken_over is None or db.lock.taken_over.pid == 999_999
        agencies.create_agency(_ctx(db), AgencyData(name="Blaine Police Department", level="local"))
    finally:
        db.close()
    assert capfd.readouterr() == ("", "")
    assert not caplog.records


def test_read_only_without_a_writer_refuses_changes_and_takes_no_lock(db_path):
    db = Database.open(db_path, read_only=True)
    try:
        assert db.read_only and db.holder is None and db.lock is None
        assert not lock_path(db_path).exists()
        with pytest.raises(ReadOnlyDatabase) as refused:
            agencies.create_agency(_ctx(db), AgencyData(name="Blaine Police Department", level="local"))
        assert str(refused.value) == "This file is open read-only; your change was not saved."
        Database.open(db_path).close()  # a reader does not keep a writer out
    finally:
        db.close()


def test_read_only_never_creates_nor_upgrades_a_file(tmp_path):
    with pytest.raises(SchemaError, match="No database"):
        Database.open(tmp_path / "missing.sqlite", create=True, read_only=True)
    assert not (tmp_path / "missing.sqlite").exists()
    old = tmp_path / "old.sqlite"
    engine = make_engine(old)
    upgrade(engine, "0001")
    engine.dispose()
    before = old.read_bytes()
    with pytest.raises(SchemaError, match="cannot be done read-only"):
        Database.open(old, read_only=True)
    assert old.read_bytes() == before and not list(tmp_path.glob("*.pre-upgrade-*"))


# The "other copy of the app": a separate process that holds the file, writes on request.
HOLDER = r"""
import sys
from pathlib import Path
from taskforce.domain.records import AgencyData
from taskforce.services import agencies
from taskforce.services.context import Actor, Context
from taskforce.store.database import Database

db = Database.open(Path(sys.argv[1]), user="m.quill")
print("open", flush=True)
ctx = Context(db=db, actor=Actor("mq", "m.quill"))
for line in sys.stdin:
    if line.strip() == "write":
        agencies.create_agency(ctx, AgencyData(name="Whatcom County Sheriff", level="local"))
        print("wrote", flush=True)
    else:
        break
db.close()
print("closed", flush=True)
"""


def _taskforce(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "taskforce", *map(str, args)], capture_output=True,
                          text=True, timeout=60)


def test_while_another_copy_writes_this_one_reads_and_cannot_write(db_path):
    other = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseInUse) as refused:
            Database.open(db_path)
        assert (refused.value.holder.user, refused.value.holder.pid) == ("m.quill", other.pid)
        assert f"by m.quill on {HOST} since " in str(refused.value)

        ro = Database.open(db_path, read_only=True)
        try:
            before = _agency_count(ro)
            assert ro.holder.user == "m.quill"
            with pytest.raises(ReadOnlyDatabase) as not_saved:
                agencies.create_agency(_ctx(ro), AgencyData(name="Blaine Police Department", level="local"))
            assert str(not_saved.value) == (
                f"This file is open read-only because m.quill on {HOST} has it open; your change "
                f"was not saved.")
            with pytest.raises(exc.OperationalError, match="readonly|read-only|query_only"):
                with ro.engine.begin() as conn:  # past the services, SQLite itself refuses
                    conn.exec_driver_sql("DELETE FROM agency")
            # the writer is not blocked by the reader, and the reader sees what it commits
            other.stdin.write("write\n")
            other.stdin.flush()
            assert other.stdout.readline().strip() == "wrote"
            assert _agency_count(ro) == before + 1
        finally:
            ro.close()

        # the command line: reading commands work, a writing one is refused in one line
        stats = _taskforce("--db", db_path, "stats", "--json")
        assert stats.returncode == 0, stats.stderr
        assert json.loads(stats.stdout)["agencies"] == before + 1
        imported = _taskforce("--db", db_path, "import", "agencies", FBI_EXCERPT)
        assert imported.returncode == 1
        assert imported.stderr == (f"taskforce: This file is open read-only because m.quill on {HOST} "
                                   f"has it open; your change was not saved.\n")
        assert json.loads(lock_path(db_path).read_text())["pid"] == other.pid  # still the holder's
    finally:
        other.stdin.close()
        assert other.stdout.readline().strip() == "closed"
        other.wait(timeout=10)
    # closed: the next opener writes
    db = Database.open(db_path)
    try:
        assert _agency_count(db) == before + 1
    finally:
        db.close()


# --- the GUI's part: the dialog and the status-bar text -------------------------------------

def _in_use() -> DatabaseInUse:
    holder = Holder(user="m.quill", host="WS-0231", pid=4242, since="2026-11-23T14:05:00-08:00")
    return DatabaseInUse(in_use_message(Path("taskforce.sqlite"), holder), holder)


@pytest.mark.parametrize("answer", ["read-only", "cancel", "escape"])
def test_the_in_use_dialog_says_who_and_returns_the_choice(qtbot, answer):
    from taskforce.gui.in_use_dialog import ask_open_read_only

    choices: list[bool] = []
    dialog = ask_open_read_only(None, _in_use(), choices.append)
    qtbot.waitExposed(dialog)
    assert "m.quill on WS-0231 since 2026-11-23 14:05 (process 4242)" in dialog.text()
    assert dialog.read_only_button.text() == "Open read-only"
    if answer == "read-only":
        qtbot.mouseClick(dialog.read_only_button, Qt.MouseButton.LeftButton)
    elif answer == "cancel":
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    else:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: choices == [answer == "read-only"])
    assert not dialog.isVisible()


def test_the_status_bar_says_read_only_and_who_has_the_file(qtbot, db_path):
    from taskforce.gui.in_use_dialog import read_only_label, read_only_status_text

    writer = Database.open(db_path, user="m.quill")
    ro = Database.open(db_path, read_only=True)
    try:
        label = read_only_label(ro)
        qtbot.addWidget(label)
        assert label.text() == f"Read-only: m.quill on {HOST} has this file open"
        assert not label.isHidden()
        assert read_only_status_text(writer) == ""
        plain = read_only_label(writer)
        qtbot.addWidget(plain)
        assert plain.isHidden()
    finally:
        ro.close()
        writer.close()


def test_a_folder_where_the_lock_cannot_be_made_is_one_sentence(tmp_path):
    from taskforce.domain.errors import TaskforceError

    with pytest.raises(TaskforceError, match=r"Cannot open taskforce.sqlite for writing: "
                                             r"taskforce.sqlite.lock cannot be created"):
        WriterLock(tmp_path / "gone" / "taskforce.sqlite").acquire()
