"""The command line against someone who tries (issue 11): database errors, a full disk, bad
numbers, days and bytes in arguments, a damaged file's check, a refused demo. Each ends in
one line on stderr, without a traceback, the SQL or a record's contents."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, exc
from sqlalchemy.pool import Pool

from taskforce import cli
from tests.conftest import FBI_EXCERPT

SECRET = "Jane SECRET-4471 Doe"


def tf(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TASKFORCE_DB"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    argv = [a if isinstance(a, bytes) else str(a) for a in args]
    return subprocess.run([sys.executable, "-m", "taskforce", *argv], capture_output=True, env=env,
                          timeout=120, cwd=cwd)


def one_line(result: subprocess.CompletedProcess, code: int) -> str:
    err = result.stderr.decode("utf-8", "replace") if isinstance(result.stderr, bytes) else result.stderr
    assert result.returncode == code, err
    assert "Traceback" not in err and "unexpected error" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def log_text() -> str:
    from taskforce.store import error_log

    path = error_log.log_path()
    return path.read_text(encoding="utf-8") if path.exists() else ""


# --- database errors: one sentence, never the SQL or its parameters -------------------------

@pytest.fixture
def full_disk():
    """Every new connection may grow its file by two pages only: SQLite's own 'database or disk
    is full' (SQLITE_FULL), the error a full disk gives."""
    def limit(dbapi_conn, _record) -> None:  # noqa: ANN001
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    event.listen(Pool, "connect", limit)
    yield
    event.remove(Pool, "connect", limit)


def test_a_full_disk_is_one_sentence_and_nothing_of_the_records(db_path, full_disk, capsys):
    before = log_text()
    code = cli.main(["--db", str(db_path), "demo", "--cases", "30"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err == "taskforce: The disk is full; nothing was saved.\n"
    logged = log_text()[len(before):]
    assert "code=13 SQLITE_FULL" in logged and "database or disk is full" in logged
    assert "INSERT" not in logged and "parameters" not in logged
    from taskforce.store import error_log

    assert stat.S_IMODE(error_log.log_path().stat().st_mode) == 0o600
    assert stat.S_IMODE(error_log.log_folder().stat().st_mode) == 0o700


def test_an_operational_error_never_prints_the_statement_or_its_values(db_path, monkeypatch, capsys):
    from taskforce.services import stats

    def fails(_ctx):  # noqa: ANN001, ANN202
        raise exc.OperationalError("SELECT id FROM subject WHERE name = ?", (SECRET,),
                                   sqlite3.OperationalError("database is locked"))
    monkeypatch.setattr(stats, "stats", fails)
    before = log_text()
    assert cli.main(["--db", str(db_path), "stats"]) == 1
    out, err = capsys.readouterr()
    assert err == "taskforce: The database is locked by another program; try again.\n"
    logged = log_text()[len(before):]
    assert "OperationalError" in logged and "database is locked" in logged
    assert SECRET not in logged and "SELECT" not in logged and SECRET not in err


def test_any_other_sqlalchemy_error_shows_neither_sql_nor_values(db_path, monkeypatch, capsys):
    from taskforce.services import stats

    def fails(_ctx):  # noqa: ANN001, ANN202
        raise exc.StatementError("bad value", "UPDATE subject SET name = ?", (SECRET,), ValueError("x"))
    monkeypatch.setattr(stats, "stats", fails)
    assert cli.main(["--db", str(db_path), "stats"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and SECRET not in err and "UPDATE" not in err


def test_a_database_locked_by_another_program_is_one_sentence(db_path):
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds SQLite's write lock
    try:
        result = tf("--db", db_path, "import", "agencies", FBI_EXCERPT)
    finally:
        other.execute("ROLLBACK")
        other.close()
    line = one_line(result, 1)  # the sentence of the first step that met the lock
    assert "locked" in line and "[SQL" not in line and "BEGIN" not in line, line


def _damaged(tmp_path: Path) -> Path:
    path = tmp_path / "damaged.sqlite"
    assert tf("--db", path, "demo", "--cases", 120).returncode == 0
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'case_note'").fetchone()[0]
    with open(path, "r+b") as f:
        for page in (root + 5, root + 9):
            f.seek((page - 1) * size + 100)
            f.write(b"\xff" * 200)
    return path


def test_a_damaged_files_check_is_one_line_each_with_the_details_in_the_log(tmp_path):
    path = _damaged(tmp_path)
    before = log_text()
    result = tf("--db", path, "check")
    out = result.stdout.decode()
    assert result.returncode == 1, result.stderr
    lines = out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "FAIL integrity", "ok   foreign keys", "ok   schema", "ok   audit chain"], out
    assert lines[0].startswith("FAIL integrity: ") and "problems" in lines[0] and "taskforce.log" in lines[0]
    assert log_text()[len(before):].count("On tree page") >= 20  # every line, in the log


# --- bad arguments: one sentence each, before anything is opened ----------------------------

@pytest.mark.parametrize("argv, sentence", [
    (["search", "x", "--limit", "99999999999999999999"],
     "taskforce: argument --limit: 99999999999999999999 is too large (at most 9,223,372,036,854,775,807)"),
    (["debriefs", "--limit", "1" + "0" * 30], "taskforce: argument --limit: 1000000000000000000000000000000 is too large"),
    (["matches", "--subject", "-99999999999999999999"], "taskforce: argument --subject: -99999999999999999999 is too large"),
    (["attention", "--as-of", "9999-12-31"], "taskforce: --as-of must be a date between 1800 and 2199; got 9999-12-31."),
    (["roster", "--as-of", "0001-01-01"], "taskforce: --as-of must be a date between 1800 and 2199; got 0001-01-01."),
    (["timeline", b"BEST-\xff\xfe"], "taskforce: 'BEST-\ufffd\ufffd' is not valid UTF-8 text; type it again in a terminal that uses UTF-8."),
    (["search", b"garc\xe9a"], "taskforce: 'garc\ufffda' is not valid UTF-8 text; type it again in a terminal that uses UTF-8."),
])
def test_bad_arguments_are_one_sentence(db_path, argv, sentence):
    result = tf("--db", db_path, *argv)
    line = one_line(result, 2 if "argument" in sentence or "UTF-8" in sentence else 1)
    assert line.startswith(sentence), line


def test_a_file_name_need_not_be_utf8(tmp_path):
    name = os.fsencode(tmp_path) + b"/caf\xe9.sqlite"
    result = tf("--db", name, "demo", "--cases", 5)
    assert result.returncode == 0, result.stderr
    assert os.path.exists(name)


# --- a refused demo leaves no database behind ------------------------------------------------

@pytest.mark.parametrize("cases", ["0", "-5", "1000001", str(10**30), "many"])
def test_a_refused_demo_creates_no_database(tmp_path, cases):
    path = tmp_path / "new.sqlite"
    line = one_line(tf("--db", path, "demo", "--cases", cases), 2)
    assert line.startswith("taskforce: argument --cases: ")
    assert "between 1 and 1,000,000 cases" in line or "is not a whole number" in line
    assert list(tmp_path.iterdir()) == []


def test_a_demo_refused_by_a_database_with_records_leaves_it_as_it_was(tmp_path):
    path = tmp_path / "full.sqlite"
    assert tf("--db", path, "demo", "--cases", 10).returncode == 0
    before = sorted(p.name for p in tmp_path.iterdir())
    line = one_line(tf("--db", path, "demo", "--cases", 10), 1)
    assert "already holds records" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_the_window_says_a_database_error_in_one_sentence_too():
    from taskforce.gui.messages import error_text

    full = exc.OperationalError("INSERT INTO case_note (body) VALUES (?)", (SECRET,),
                                sqlite3.OperationalError("database or disk is full"))
    assert error_text(full) == "The disk is full; nothing was saved."
    damaged = exc.DatabaseError("SELECT * FROM subject WHERE name = ?", (SECRET,),
                                sqlite3.DatabaseError("database disk image is malformed"))
    assert error_text(damaged).startswith("The database file is damaged")
    assert SECRET not in error_text(exc.StatementError("x", "UPDATE subject SET name = ?", (SECRET,), ValueError()))
