"""The command line through a real subprocess, as a user runs it."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import FBI_CSV


def tf(*args, env_db=None):
    env = {k: v for k, v in os.environ.items() if k != "TASKFORCE_DB"}
    if env_db:
        env["TASKFORCE_DB"] = str(env_db)
    return subprocess.run([sys.executable, "-m", "taskforce", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120)


def one_line_error(result):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_version():
    result = tf("--version")
    assert result.returncode == 0 and result.stdout.startswith("taskforce ")


def test_demo_stats_search_check_on_a_fresh_file(tmp_path):
    db = tmp_path / "cli.sqlite"
    result = tf("--db", db, "demo", "--cases", 120, "--seed", 3)
    assert result.returncode == 0, result.stderr
    assert "120 cases" in result.stdout
    counts = json.loads(tf("--db", db, "stats", "--json").stdout)
    assert {"agencies", "agreements", "task_forces", "members", "designations", "cases", "subjects"} <= set(counts)
    assert counts["cases"] == 120
    # the demo's first subject, found by a prefix of its name
    import sqlite3
    name = sqlite3.connect(db).execute("SELECT name FROM subject ORDER BY id LIMIT 1").fetchone()[0]
    found = json.loads(tf("--db", db, "search", name.split()[0][:4], "--limit", 5, "--json").stdout)
    assert found["count"] >= 1 and len(found["hits"]) <= 5
    assert any(h["label"] == name for h in found["hits"]) or found["count"] > 5
    check = tf("--db", db, "check")
    assert check.returncode == 0 and "FAIL" not in check.stdout
    again = tf("--db", db, "demo", "--cases", 10)
    assert "already holds" in one_line_error(again) or "already" in again.stderr


def test_environment_variable_chooses_the_file(tmp_path):
    db = tmp_path / "env.sqlite"
    assert tf("demo", "--cases", 15, env_db=db).returncode == 0
    assert json.loads(tf("stats", "--json", env_db=db).stdout)["cases"] == 15


def test_errors_are_one_line_and_non_zero(tmp_path):
    missing = tmp_path / "missing.sqlite"
    assert "No database" in one_line_error(tf("--db", missing, "stats"))
    assert not missing.exists()
    assert one_line_error(tf("--db", missing, "frobnicate"))
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"\x00garbage" * 500)
    assert "not a Taskforce database" in one_line_error(tf("--db", junk, "check"))
    db = tmp_path / "ok.sqlite"
    tf("--db", db, "demo", "--cases", 10)
    assert one_line_error(tf("--db", db, "search", "x", "--limit", 0))
    bad = tmp_path / "bad.csv"
    bad.write_text("not,an,agency,file\n1,2,3,4\n")
    assert one_line_error(tf("--db", db, "import", "agencies", bad))
    assert one_line_error(tf("--db", db, "import", "agencies", tmp_path / "nope.csv"))


@pytest.mark.skipif(not FBI_CSV.exists(), reason="shared FBI agency file not present")
def test_import_agencies_twice_changes_nothing_the_second_time(tmp_path):
    db = tmp_path / "fbi.sqlite"
    first = tf("--db", db, "import", "agencies", FBI_CSV)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines()[-1].startswith("added 18")
    second = tf("--db", db, "import", "agencies", FBI_CSV)
    last = second.stdout.strip().splitlines()[-1]
    assert last.startswith("added 0, updated 0, unchanged 18"), last
