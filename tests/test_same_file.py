"""No output is ever written over the database (issue 11 §6).

A database may be named anything, ``cases.pdf`` included. Every output (a report, an export,
a backup) is checked against the database and its working files (``.lock``, ``-wal``,
``-shm``, ``-journal``) by file identity after resolving links, and refused in one sentence
with the database left byte for byte as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.crashing import case_number, demo_template, ok, tf  # noqa: F401
from tests.test_cli import one_line_error

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="links and names as on POSIX")


def cases(path: Path) -> int:
    """The database's case count (its bytes change at every opening: each is audited)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM case_file").fetchone()[0]
    finally:
        conn.close()


def _db(tmp_path: Path, template: Path, name: str) -> Path:
    path = tmp_path / name
    shutil.copyfile(template, path)
    return path


def _output(command: str, db: Path) -> tuple:
    if command == "report":
        return ("report", "case", case_number(db), "-o")
    if command == "export":
        return ("export", "cases", "-o")
    return ("backup", "--force", "-o")


# (command, the database's name, the output named on the command line, relative to the database)
CASES = [
    ("report", "cases.pdf", "{db}"),
    ("export", "cases.csv", "{db}"),
    ("export", "cases.xlsx", "{db}"),
    ("backup", "taskforce.sqlite", "{db}"),
    ("backup", "taskforce.sqlite", "{db}.lock"),
    ("backup", "taskforce.sqlite", "{db}-wal"),
    ("backup", "taskforce.sqlite", "{db}-shm"),
    ("backup", "taskforce.sqlite", "{db}-journal"),
    ("report", "cases.pdf", "link:{db}"),
    ("export", "cases.csv", "link:{db}-wal"),
    ("backup", "taskforce.sqlite", "link:{db}.lock"),
    ("report", "cases.pdf", "sub/../{db}"),
]


@pytest.mark.parametrize("command,name,output", CASES, ids=[f"{c}-{o}" for c, _n, o in CASES])
def test_an_output_onto_the_database_or_its_working_files_is_refused(tmp_path, demo_template, command, name,
                                                                     output):
    db = _db(tmp_path, demo_template, name)
    (tmp_path / "sub").mkdir()
    target = output.format(db=db.name)
    if target.startswith("link:"):
        link = tmp_path / ("out" + Path(name).suffix)
        os.symlink(tmp_path / target[5:], link)
        target = link.name
    elif target.startswith("hardlink:"):
        link = tmp_path / ("out" + Path(name).suffix)
        os.link(tmp_path / target[9:], link)
        target = link.name
    before = cases(db)
    line = one_line_error(tf("--db", db, *_output(command, db), tmp_path / target))
    assert "is the database" in line and "choose another file" in line, line
    assert db.read_bytes().startswith(b"SQLite format 3\x00") and cases(db) == before
    ok(tf("--db", db, "check"))


def test_the_check_compares_files_not_names(tmp_path):
    from taskforce.store.files import is_database_file

    db = tmp_path / "a" / "taskforce.sqlite"
    db.parent.mkdir()
    db.write_bytes(b"x")
    assert is_database_file(db, db)
    assert is_database_file(tmp_path / "a" / "taskforce.sqlite-wal", db)  # not made yet: by name
    assert is_database_file(tmp_path / "a" / ".." / "a" / "taskforce.sqlite.lock", db)
    assert not is_database_file(tmp_path / "a" / "taskforce.sqlite.pdf", db)
    assert not is_database_file(tmp_path / "b.sqlite", db)
    other = tmp_path / "copy.sqlite"
    shutil.copyfile(db, other)
    assert not is_database_file(other, db)  # same bytes, another file


def test_reports_and_exports_next_to_the_database_still_work(tmp_path, demo_template):
    db = _db(tmp_path, demo_template, "cases.pdf")
    ok(tf("--db", db, "report", "case", case_number(db), "-o", tmp_path / "briefing.pdf"))
    ok(tf("--db", db, "export", "cases", "-o", tmp_path / "cases.pdf.csv"))
    ok(tf("--db", db, "backup", "-o", tmp_path / "cases.pdf.bak"))
