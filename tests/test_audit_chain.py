"""The audit log is append-only and hash-chained; tampering is found (issue 6 §4).

Tampering is done as an attacker holding the file would: plain sqlite3, triggers dropped first.
"""

import hashlib
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from taskforce.domain.records import CaseData, NoteData
from taskforce.services import audit, cases, stats
from taskforce.services.context import Actor, Context
from taskforce.services.demo import generate_demo
from taskforce.store import audit_chain
from taskforce.store.audit_chain import row_digest
from taskforce.store.database import HEAD_REVISION, Database

from tests import factories as f
from tests.test_cli import one_line_error, tf

DATA = Path(__file__).parent / "data"


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _rows(path: Path) -> list[tuple]:
    with _raw(path) as conn:
        return conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall()


def _as_attacker(path: Path, *statements: tuple) -> None:
    """Drop the append-only triggers, change the file, put the triggers back as they were: a
    file's holder can do all three, and the schema then shows nothing (issue 11 §3 checks it)."""
    conn = _raw(path)
    triggers = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                            "AND name IN ('audit_log_no_update', 'audit_log_no_delete')").fetchall()
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    for sql, *params in statements:
        conn.execute(sql, *params)
    for (sql,) in triggers:
        conn.execute(sql)
    conn.close()


def _some_changes(ctx: Context) -> int:
    """Creates, updates, deletes (with cascades) and link changes through the real services."""
    tf_id = f.best_seattle(ctx)
    case_id = f.case(ctx, tf_id)
    cases.add_note(ctx, NoteData(case_id=case_id, body="Controlled delivery agreed with CBSA."))
    cases.update_case(ctx, case_id, CaseData(
        number="BEST-SEA-2026-0007", title="Fentanyl via Blaine and Sumas", task_force_id=tf_id,
        lead_agency_id=f.ref_agency(ctx, "ice_hsi"), opened_on=date(2026, 3, 1), statutes=("21",)))
    other = f.case(ctx, tf_id, number="BEST-SEA-2026-0008", title="To be removed")
    cases.add_note(ctx, NoteData(case_id=other, body="Goes with its case."))
    cases.delete_case(ctx, other)
    return case_id


# --- the chain as written --------------------------------------------------------------------

def test_ordinary_service_calls_leave_an_intact_chain_and_an_anchor(ctx, db_path):
    _some_changes(ctx)
    report = audit.verify_audit(ctx)
    rows = _rows(db_path)
    assert report.ok, report
    assert report.rows == len(rows) and report.latest_id == rows[-1][0]
    assert report.latest_hash == rows[-1][-1]
    assert rows[0][-2] == ""  # the first row links to nothing
    assert all(r[-2] == prev[-1] for prev, r in zip(rows, rows[1:]))
    assert {r[5] for r in rows} >= {"create", "update", "delete"}
    # every committed change moved this workstation's anchor to the end
    db_id = audit_chain.database_id(_raw(db_path))
    assert audit_chain.load_anchor(db_id, db_path) == audit_chain.Anchor(
        rows[-1][0], rows[-1][-1], audit_chain.load_anchor(db_id, db_path).at, HEAD_REVISION)


def test_the_hash_is_the_documented_json_and_any_program_can_recompute_it(ctx, db_path):
    f.agency(ctx, "Policía Municipal de Tijuana", "foreign", country="MEX")  # non-ASCII text
    for row in _rows(db_path)[-3:]:
        content = list(row[1:14])  # change_id … new_value, prev_hash
        text = json.dumps(content, ensure_ascii=True, separators=(",", ":"))
        assert hashlib.sha256(text.encode("ascii")).hexdigest() == row[14] == row_digest(*content)


def test_the_bulk_path_hashes_exactly_as_the_definition():
    head = ("c0ffee", "2026-11-23T10:02:11Z", "jdoe", "Jane \u00c9lise", "create", "case_note")
    rows = [(7, "case_file", 88, '{"body": "Line one\\nline \\"two\\" \u202e\u00e9\u4e2d\\u0000"}'),
            (8, "case_note", 8, None), (9, "x\ty", 2**40, "\ud800 lone surrogate")]
    prev, expected = "ab" * 32, []
    for entity_id, root_entity, root_id, new in rows:
        prev = row_digest(*head, entity_id, root_entity, root_id, None, None, new, prev)
        expected.append(prev)
    assert audit_chain.chain_hashes("ab" * 32, head, rows) == expected


def test_the_demo_generators_bulk_rows_chain(ctx):
    generate_demo(ctx, cases=40, seed=5)
    report = audit.verify_audit(ctx)
    assert report.ok and report.rows > 500


def test_update_and_delete_of_audit_rows_are_refused_by_the_database(ctx, db_path):
    f.agency(ctx, "Whatcom County Sheriff")
    conn = _raw(db_path)
    before = conn.execute("SELECT count(*), max(id) FROM audit_log").fetchone()
    for sql in ("UPDATE audit_log SET new_value = '{}' WHERE id = (SELECT max(id) FROM audit_log)",
                "UPDATE audit_log SET row_hash = NULL", "DELETE FROM audit_log WHERE id = 1",
                "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="audit rows are append-only"):
            conn.execute(sql)
    assert conn.execute("SELECT count(*), max(id) FROM audit_log").fetchone() == before
    conn.close()
    assert audit.verify_audit(ctx).ok


# --- tampering --------------------------------------------------------------------------------

def _rehash_all(path: Path) -> list[tuple]:
    """The attacker who knows the format: recompute every hash after their change."""
    rows, prev, out = _rows(path), "", []
    for r in rows:
        h = row_digest(*r[1:13], prev)
        out.append(("UPDATE audit_log SET prev_hash = ?, row_hash = ? WHERE id = ?", (prev, h, r[0])))
        prev = h
    return out


def _changed_and_rehashed(path: Path, row_id: int) -> list[tuple]:
    row = next(r for r in _rows(path) if r[0] == row_id)
    content = [*row[1:11], "x", *row[12:14]]  # old_value becomes "x"; prev_hash as it was
    return [("UPDATE audit_log SET old_value = 'x', row_hash = ? WHERE id = ?",
             (row_digest(*content), row_id))]


def _forged(path: Path, prev_hash: str) -> tuple:
    last = _rows(path)[-1]
    content = (last[1], last[2], "root", "root", "delete", "case_file", 1, "case_file", 1, None,
               '{"number": "BEST-SEA-2026-0007"}', None)
    return ("INSERT INTO audit_log (change_id, at, os_user, app_user, action, entity, entity_id, "
            "root_entity, root_id, field, old_value, new_value, prev_hash, row_hash) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (*content, prev_hash, row_digest(*content, prev_hash)))


# Each case: how the file is changed (given its path and the middle and last row ids), which
# row verification must name first, and a word of the reason.
TAMPER_CASES = {
    "changed new_value": (
        lambda p, mid, last: [("UPDATE audit_log SET new_value = '{\"title\": \"nothing\"}' WHERE id = ?", (mid,))],
        lambda mid, last: mid, "content does not match"),
    "changed value, its own hash recomputed": (
        lambda p, mid, last: _changed_and_rehashed(p, mid),
        lambda mid, last: mid + 1, "link to the row before"),
    "a value's type changed": (
        lambda p, mid, last: [("UPDATE audit_log SET entity_id = 'eighty-eight' WHERE id = ?", (mid,))],
        lambda mid, last: mid, "content does not match"),
    "deleted middle row": (
        lambda p, mid, last: [("DELETE FROM audit_log WHERE id = ?", (mid,))],
        lambda mid, last: mid + 1, "removed)"),
    "deleted last row (truncation)": (
        lambda p, mid, last: [("DELETE FROM audit_log WHERE id = ?", (last,))],
        lambda mid, last: last, "removed from the end"),
    "reordered pair": (
        lambda p, mid, last: [("UPDATE audit_log SET id = -1 WHERE id = ?", (mid,)),
                              ("UPDATE audit_log SET id = ? WHERE id = ?", (mid, mid + 1)),
                              ("UPDATE audit_log SET id = ? WHERE id = -1", (mid + 1,))],
        lambda mid, last: mid, "link to the row before"),
    "forged row appended with a wrong prev_hash": (
        lambda p, mid, last: [_forged(p, "0" * 64)],
        lambda mid, last: last + 1, "link to the row before"),
    "row written around the chain (no hash)": (
        lambda p, mid, last: [("INSERT INTO audit_log (change_id, at, os_user, app_user, action, entity, "
                               "entity_id, root_entity, root_id) SELECT change_id, at, os_user, app_user, "
                               "'delete', entity, entity_id, root_entity, root_id FROM audit_log WHERE id = ?",
                               (mid,))],
        lambda mid, last: last + 1, "no hash"),
    "chain recomputed from scratch after a change": (
        lambda p, mid, last: [("UPDATE audit_log SET new_value = NULL WHERE id = ?", (mid,)),
                              *_rehash_all_after(p, mid)],
        lambda mid, last: last, "rewritten"),
}


def _rehash_all_after(path: Path, mid: int) -> list[tuple]:
    # the statements are built before the change runs: apply it to a copy first
    copy = path.with_name("attacker-copy.sqlite")
    src, dst = sqlite3.connect(path), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.execute("DROP TRIGGER audit_log_no_update")
    dst.execute("UPDATE audit_log SET new_value = NULL WHERE id = ?", (mid,))
    dst.commit()
    dst.close()
    return _rehash_all(copy)


@pytest.fixture
def written(ctx, db_path):
    """A file with a case's worth of history, verified once (so this workstation has its anchor)."""
    _some_changes(ctx)
    report = audit.verify_audit(ctx)
    assert report.ok and report.anchor in ("matched", "recorded")
    ids = [r[0] for r in _rows(db_path)]
    return ids[len(ids) // 2], ids[-1]


@pytest.mark.parametrize("case", list(TAMPER_CASES), ids=list(TAMPER_CASES))
def test_tampering_is_found_at_the_first_broken_row(ctx, db_path, written, case):
    change, first_broken, word = TAMPER_CASES[case]
    mid, last = written
    _as_attacker(db_path, *change(db_path, mid, last))
    report = audit.verify_audit(ctx)
    assert not report.ok
    assert report.first_broken_id == first_broken(mid, last), report
    assert word in report.reason
    assert report.anchor == "kept"
    check = {r.name: r for r in stats.check(ctx)}["audit chain"]
    assert not check.ok and f"row {report.first_broken_id}" in check.detail


def test_the_tamper_cases_are_counted_in_docs():
    text = (Path(__file__).resolve().parents[1] / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert f"{len(TAMPER_CASES)} tamper cases" in text
    assert all(name in text for name in TAMPER_CASES)


def test_a_truncation_stays_found_after_later_changes(ctx, db_path, written):
    _mid, last = written
    _as_attacker(db_path, ("DELETE FROM audit_log WHERE id >= ?", (last - 2,)))
    f.agency(ctx, "Skagit County Sheriff")  # new rows take the removed ids again
    f.agency(ctx, "Island County Sheriff")
    report = audit.verify_audit(ctx)
    assert not report.ok and report.first_broken_id == last
    assert "rewritten" in report.reason or "removed" in report.reason


def test_the_chain_alone_is_checked_without_an_anchor(db_path, written):
    mid, _last = written
    _as_attacker(db_path, ("UPDATE audit_log SET field = 'status' WHERE id = ?", (mid,)))
    report = audit_chain.verify(_raw(db_path))  # e.g. a backup being checked before a restore
    assert not report.ok and report.first_broken_id == mid
    assert report.where.startswith(f"row {mid} (") and " #" in report.where


# --- the anchor -------------------------------------------------------------------------------

def test_no_anchor_on_a_new_workstation_is_not_an_error_and_one_is_recorded(ctx, db_path, monkeypatch, tmp_path):
    f.agency(ctx, "Whatcom County Sheriff")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "new-workstation"))
    first = audit.verify_audit(ctx)
    assert first.ok and first.anchor == "recorded"
    assert "no anchor on this workstation" in audit.describe(first)
    assert (tmp_path / "new-workstation" / "Taskforce" / "audit-anchors.json").exists()
    assert audit.verify_audit(ctx).anchor == "matched"


def test_a_copy_elsewhere_has_its_own_anchor(ctx, db_path, tmp_path):
    f.agency(ctx, "Whatcom County Sheriff")
    copy = tmp_path / "copy" / "taskforce.sqlite"
    copy.parent.mkdir()
    with _raw(db_path) as src, _raw(copy) as dst:  # same database id, another place
        src.backup(dst)
    other = Database.open(copy)
    try:
        other_ctx = Context(other, Actor("tester", "m.quill"))
        f.agency(ctx, "Skagit County Sheriff")  # the two chains differ after the shared start
        f.agency(other_ctx, "Island County Sheriff")
        assert audit.verify_audit(ctx).anchor == "matched"
        assert audit.verify_audit(other_ctx).anchor == "matched"
    finally:
        other.close()


def test_a_replaced_database_id_is_flagged_until_reanchored(ctx, db_path, written):
    _as_attacker(db_path, ("UPDATE db_meta SET value = 'f00d' WHERE key = 'database_id'",))
    report = audit.verify_audit(ctx)
    assert not report.ok and report.anchor == "replaced"  # issue 11 §4: never silently accepted
    assert "another database at this path" in audit.describe(report)
    # a deliberate restore of an older copy: reanchor, then the shorter file verifies
    _as_attacker(db_path, ("DELETE FROM audit_log WHERE id > ?", (written[0],)))
    assert not audit.verify_audit(ctx).ok
    again = audit.reanchor(ctx)
    assert again.ok and again.latest_id == written[0] + 1 and again.anchor == "recorded"
    assert audit.verify_audit(ctx).anchor == "matched"


def test_a_settings_folder_that_cannot_be_written_never_fails_the_change(ctx, monkeypatch, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the settings folder should be")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    agency_id = f.agency(ctx, "Whatcom County Sheriff")
    assert agency_id and "could not record the audit anchor" in caplog.text
    report = audit.verify_audit(ctx)
    assert report.ok and report.anchor == "unsaved"


# --- events -----------------------------------------------------------------------------------

def test_events_are_chained_rows_of_their_own(ctx, db_path):
    case_id = _some_changes(ctx)
    before = len(_rows(db_path))
    assert audit.record_event(ctx, "open")
    assert audit.record_event(ctx, "print", ("case_file", case_id), {"file": "briefing.pdf", "pages": 4})
    assert audit.record_event(ctx, "unlock-failed", detail="wrong passphrase, attempt 2 of 5")
    rows = _rows(db_path)[before:]
    assert [(r[5], r[6], r[7], r[8], r[9]) for r in rows] == [
        ("open", "database", 0, "database", 0), ("print", "case_file", case_id, "case_file", case_id),
        ("unlock-failed", "database", 0, "database", 0)]
    assert json.loads(rows[1][12]) == {"file": "briefing.pdf", "pages": "4"}
    assert len({r[1] for r in rows}) == 3  # one transaction each
    assert audit.verify_audit(ctx).ok
    printed = [h for h in cases_history(ctx, case_id) if h.action == "print"]
    assert printed and "briefing.pdf" in printed[0].new
    with pytest.raises(ValueError):
        audit.record_event(ctx, "opened")


def cases_history(ctx, case_id):
    from taskforce.services.history import history
    return history(ctx, "case_file", case_id)


# --- migration 0004 → 0005 --------------------------------------------------------------------

def test_a_file_made_by_schema_0004_is_chained_by_the_upgrade(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(DATA / "schema-0004.sqlite", path)
    before = _raw(path).execute("SELECT count(*) FROM audit_log").fetchone()[0]
    db = Database.open(path)
    try:
        ctx = Context(db, Actor("tester", "m.quill"))
        report = audit.verify_audit(ctx)
        assert report.ok and report.rows == before > 0 and report.anchor == "recorded"
        conn = _raw(path)
        assert len(conn.execute("SELECT value FROM db_meta WHERE key = 'database_id'").fetchone()[0]) == 32
        assert conn.execute("SELECT count(*) FROM audit_log WHERE row_hash IS NULL").fetchone() == (0,)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit_log")
        f.agency(ctx, "Whatcom County Sheriff")  # new rows continue the migrated chain
        assert audit.verify_audit(ctx).rows == before + 1
    finally:
        db.close()


# --- the command line -------------------------------------------------------------------------

def test_cli_verify_and_check_exit_codes(tmp_path):
    db = tmp_path / "cli.sqlite"
    assert tf("--db", db, "demo", "--cases", 5).returncode == 0
    ok = tf("--db", db, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("Audit chain intact: ") and "rows, latest " in ok.stdout
    _as_attacker(db, ("UPDATE audit_log SET app_user = 'someone else' WHERE id = 20",))
    broken = tf("--db", db, "audit", "verify", "--json")
    assert broken.returncode == 1
    body = json.loads(broken.stdout)
    assert (body["ok"], body["first_broken_id"]) == (False, 20)
    assert body["message"].startswith("Audit chain broken at row 20 (") and "altered" in body["message"]
    check = tf("--db", db, "check")
    assert check.returncode == 1 and "FAIL audit chain: broken at row 20" in check.stdout
    missing = tf("--db", tmp_path / "none.sqlite", "audit", "verify")
    assert "No database" in one_line_error(missing)
