"""A document never leaves without its log entry, even when the process is killed (issue 11 §5).

A briefing, an export and a backup are each logged first (``pending``, committed with its
audit row), then put in place, then marked ``done``. Killed between any two of these steps,
what is left is either a pending entry with no file (the safe side) or a file with its
pending entry: never a file without one. The release log (``releases``, the window's) shows
a pending entry as such.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.crashing import assert_killed, case_number, demo_db, demo_template, ok, tf  # noqa: F401

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def command(kind: str, db: Path, out_dir: Path) -> tuple[Path, tuple]:
    if kind == "briefing":
        out = out_dir / "briefing.pdf"
        return out, ("report", "case", case_number(db), "-o", out)
    if kind == "package":
        out = out_dir / "package.pdf"
        return out, ("report", "package", "--task-force", _task_force(db), "-o", out)
    if kind == "export":
        out = out_dir / "cases.csv"
        return out, ("export", "cases", "-o", out)
    if kind == "backup":
        out = out_dir / "copy.sqlite"
        return out, ("backup", "-o", out)
    out = out_dir / "copy-encrypted.sqlite"
    return out, ("backup", "-o", out, "--encrypt")


def _task_force(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT t.name FROM task_force t JOIN case_file c ON c.task_force_id = t.id "
                            "GROUP BY t.id ORDER BY count(*) LIMIT 1").fetchone()[0]
    finally:
        conn.close()


def entries_for(db: Path, out: Path) -> list[dict]:
    rows = json.loads(ok(tf("--db", db, "releases", "--json")).stdout)["releases"]
    return [r for r in rows if r["file_name"] == str(out.resolve())]


def audited(db: Path, out: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM audit_log WHERE action IN ('print', 'export') "
                            "AND instr(new_value, ?) > 0", (json.dumps(str(out.resolve()))[1:-1],)).fetchone()[0]
    finally:
        conn.close()


KINDS = ("briefing", "export", "backup", "encrypted backup")


@pytest.mark.parametrize("kind", KINDS)
def test_killed_once_the_file_is_in_place_its_entry_is_there_marked_pending(demo_db, tmp_path, kind):
    out, args = command(kind, demo_db, tmp_path)
    assert_killed(tf("--db", demo_db, *args, crash_at="release:placed"))
    assert out.is_file()  # the document is complete and in place…
    [entry] = entries_for(demo_db, out)  # …and logged, with its audit row
    assert entry["status"] == "pending" and audited(demo_db, out) == 1
    listing = ok(tf("--db", demo_db, "releases")).stdout
    assert "interrupted" in listing and "written, not confirmed" in listing
    ok(tf("--db", demo_db, "check"))


@pytest.mark.parametrize("kind", KINDS)
def test_killed_before_the_file_is_written_leaves_a_pending_entry_and_no_file(demo_db, tmp_path, kind):
    out, args = command(kind, demo_db, tmp_path)
    assert_killed(tf("--db", demo_db, *args, crash_at="release:logged"))
    assert not out.exists()
    left = [p.name for p in tmp_path.iterdir() if p.name != "data"]
    if "backup" in kind:  # the finished copy, still in its private staging folder…
        assert len(left) == 1 and left[0].startswith(".taskforce-backup-")
    else:
        assert left == []  # no half file either
    [entry] = entries_for(demo_db, out)
    assert entry["status"] == "pending"
    assert "interrupted: no file was written" in ok(tf("--db", demo_db, "releases")).stdout
    if "backup" in kind:  # …which the next backup into that folder removes
        ok(tf("--db", demo_db, *args))
        assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == [out.name]


@pytest.mark.parametrize("kind", ("briefing", "backup"))
def test_a_document_written_to_the_end_is_logged_done(demo_db, tmp_path, kind):
    out, args = command(kind, demo_db, tmp_path)
    ok(tf("--db", demo_db, *args))
    [entry] = entries_for(demo_db, out)
    assert entry["status"] == "done" and audited(demo_db, out) == 1
    assert "interrupted" not in ok(tf("--db", demo_db, "releases")).stdout


def test_a_file_that_cannot_be_written_leaves_its_entry_marked_not_written(ctx, tmp_path, monkeypatch):
    from taskforce.reports import export as E
    from taskforce.services.release import releases

    from tests import factories as F

    F.case(ctx, F.best_seattle(ctx))

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("taskforce.store.files.write_whole", refuse)
    with pytest.raises(Exception, match="cannot be written"):
        E.export(ctx, "cases", tmp_path / "cases.csv")
    [row] = releases(ctx)
    assert row.status == "failed" and "not written" in row.state
    assert not (tmp_path / "cases.csv").exists()


def test_the_release_log_window_shows_a_pending_entry(qtbot, demo_db, tmp_path):
    from taskforce.gui.release_log import ReleaseLogModel
    from taskforce.services.context import Actor, Context
    from taskforce.services.release import releases
    from taskforce.store.database import Database

    out, args = command("briefing", demo_db, tmp_path)
    assert_killed(tf("--db", demo_db, *args, crash_at="release:logged"))
    db = Database.open(demo_db)
    try:
        model = ReleaseLogModel()
        model.set_rows(releases(Context(db, Actor("t", "t"))))
        column = [model.headerData(c, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal)
                  for c in range(model.columnCount())].index("Status")
        assert "no file was written" in model.data(model.index(0, column))
    finally:
        db.close()
