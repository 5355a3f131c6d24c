"""A file whose schema is not the one the migrations make is refused (issue 11 §3).

The attack: a backup carries ``BEFORE INSERT ON audit_log … RAISE(IGNORE)``. Its integrity
and its audit chain are fine, so before this check it was restored, passed ``check`` and
``audit verify``, and every later change went unaudited. Also: a file at the current
revision with a table or a column missing, which every command then failed on with exit 3.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from taskforce.services import audit, stats
from taskforce.services import backup as B
from taskforce.store import schema_check
from taskforce.store.database import HEAD_REVISION, Database

from tests import factories as f
from tests.test_cli import one_line_error, tf

DATA = Path(__file__).parent / "data"
DROP_AUDIT = "CREATE TRIGGER audit_log_quiet BEFORE INSERT ON audit_log BEGIN SELECT RAISE(IGNORE); END"

# name → (statements run on the file with plain sqlite3, words of the refusal)
TAMPERS: dict[str, tuple[tuple[str, ...], str]] = {
    "a trigger that drops audit rows": ((DROP_AUDIT,), "the trigger audit_log_quiet (on audit_log) is extra"),
    "an append-only trigger dropped": (("DROP TRIGGER audit_log_no_delete",),
                                       "the trigger audit_log_no_delete (on audit_log) is missing"),
    "a search trigger rewritten": (
        ("DROP TRIGGER search_note_ai",
         "CREATE TRIGGER search_note_ai AFTER INSERT ON case_note BEGIN SELECT 1; END"),
        "the trigger search_note_ai (on case_note) is defined differently"),
    "a table missing": (("DROP TABLE case_note_caveat",), "the table case_note_caveat is missing"),
    "a column missing": (("ALTER TABLE training DROP COLUMN provider",),
                         "the column training.provider is missing"),
    "a column extra": (("ALTER TABLE case_file ADD COLUMN shadow TEXT",), "the column case_file.shadow is extra"),
    "a table extra": (("CREATE TABLE stash (x)",), "the table stash is extra"),
    "a view extra": (("CREATE VIEW everyone AS SELECT * FROM subject",), "the view everyone is extra"),
    "an index extra": (("CREATE INDEX ix_stash ON subject(dob)",), "the index ix_stash (on subject) is extra"),
    "the search table missing": (("DROP TABLE search_index",), "the search table search_index is missing"),
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tamper(path: Path, statements: tuple[str, ...]) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


def _triggers(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


def test_the_tampers_touch_what_they_say():
    # the names the cases use exist in a freshly made file (else a case tests nothing)
    names = {k[1] for k in schema_check.reference(HEAD_REVISION)}
    assert {"search_note_ai", "audit_log_no_delete", "case_note_caveat", "search_index", "training"} <= names


# --- the reference -------------------------------------------------------------------------

def test_a_freshly_made_file_has_exactly_the_reference_schema(db_path):
    with sqlite3.connect(db_path) as conn:
        assert schema_check.differences(conn, HEAD_REVISION) == []


@pytest.mark.parametrize("made_by", sorted(DATA.glob("schema-*.sqlite")), ids=lambda p: p.stem)
def test_each_released_schema_matches_its_revision_and_upgrades_to_the_head(tmp_path, made_by):
    revision = made_by.stem.split("-")[1]
    with sqlite3.connect(made_by) as conn:  # a backup of that version, as restore checks it
        assert schema_check.differences(conn, revision) == []
    path = tmp_path / made_by.name
    shutil.copyfile(made_by, path)
    Database.open(path).close()
    with sqlite3.connect(path) as conn:
        assert schema_check.differences(conn, HEAD_REVISION) == []


def test_cosmetic_differences_in_sql_text_do_not_count():
    a = 'CREATE TABLE IF NOT EXISTS "t" (\n  id INTEGER NOT NULL,  [name] VARCHAR(20) ,\nPRIMARY KEY (id))'
    b = "create table t(id integer not null,name varchar(20),primary key(id))"
    assert schema_check.normalize_sql(a) == schema_check.normalize_sql(b)
    # but a string literal keeps its text
    assert (schema_check.normalize_sql("SELECT RAISE(ABORT, 'Append only')")
            != schema_check.normalize_sql("SELECT RAISE(ABORT, 'append only ')"))


# --- check, audit verify, restore ----------------------------------------------------------

@pytest.mark.parametrize("case", list(TAMPERS), ids=list(TAMPERS))
def test_check_refuses_a_live_file_whose_schema_was_changed(ctx, db_path, case):
    statements, words = TAMPERS[case]
    f.agency(ctx, "Whatcom County Sheriff")
    tamper(db_path, statements)
    results = {r.name: r for r in stats.check(ctx)}
    assert not results["schema"].ok, results["schema"]
    assert words in results["schema"].detail
    assert results["integrity"].ok  # nothing SQLite itself would notice


def test_audit_verify_and_the_cli_do_not_pass_a_trigger_that_drops_audit_rows(ctx, db_path):
    f.agency(ctx, "Whatcom County Sheriff")
    assert audit.verify_audit(ctx).ok
    tamper(db_path, (DROP_AUDIT,))
    report = audit.verify_audit(ctx)
    assert not report.ok and "audit_log_quiet" in report.reason
    ctx.db.close()
    for args in (("check",), ("audit", "verify")):
        done = tf("--db", db_path, *args)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert "audit_log_quiet" in done.stdout


@pytest.mark.parametrize("case", list(TAMPERS), ids=list(TAMPERS))
def test_restore_refuses_a_backup_whose_schema_was_changed(ctx, db_path, tmp_path, case):
    statements, words = TAMPERS[case]
    f.agency(ctx, "Whatcom County Sheriff")
    backup = tmp_path / "backup.sqlite"
    B.backup(ctx, backup)
    tamper(backup, statements)
    check = B.check_backup(backup)
    assert not check.ok and words in check.problem, check.problem
    assert check.problem.startswith("The schema of backup.sqlite is not the one Taskforce makes at ")
    ctx.db.close()
    before = sha(db_path)
    with pytest.raises(B.BackupRefused, match="left untouched"):
        B.restore(db_path, backup)
    assert sha(db_path) == before


def test_the_cli_refuses_such_a_restore_in_one_sentence(ctx, db_path, tmp_path):
    backup = tmp_path / "backup.sqlite"
    B.backup(ctx, backup)
    tamper(backup, (DROP_AUDIT,))
    ctx.db.close()
    before = sha(db_path)
    line = one_line_error(tf("--db", db_path, "restore", backup, "--yes"))
    assert "the trigger audit_log_quiet (on audit_log) is extra" in line and "left untouched" in line
    assert sha(db_path) == before and "audit_log_quiet" not in _triggers(db_path)
