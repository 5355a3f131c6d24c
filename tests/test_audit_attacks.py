"""Attacks on the audit trail by someone who holds the file (issue 11): each is flagged or refused.

- §4: the file's database id rewritten, or its chain columns stripped and its revision set back
  to 0004 so that the next open "upgrades" it and chains forged rows as the file's own;
- reanchor moving the anchor without a question, a trace, or the writer lock;
- ``ON DELETE SET NULL`` changing rows with no audit row;
- reads from the command line leaving no trace.

The attacker works as in test_audit_chain.py: plain sqlite3 on the file.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from taskforce import cli
from taskforce.domain.errors import ReadOnlyDatabase, SchemaError
from taskforce.domain.records import AgreementData, Participation, TaskForceData
from taskforce.services import agreements, audit, stats, task_forces
from taskforce.services.context import Actor, Context
from taskforce.services.history import history
from taskforce.store import audit_chain
from taskforce.store import schema as S
from taskforce.store.database import HEAD_REVISION, Database

from tests import factories as f
from tests.test_backup import tf_input
from tests.test_cli import one_line_error, tf

ROOT = Path(__file__).resolve().parents[1]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(path: Path, where: str = "1") -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT id, change_id, action, entity, entity_id, root_entity, root_id, "
                            f"field, old_value, new_value FROM audit_log WHERE {where} ORDER BY id").fetchall()


def anchors_text() -> str:
    p = audit_chain.anchors_path()
    return p.read_text(encoding="utf-8") if p.exists() else ""


@pytest.fixture
def anchored(ctx, db_path):
    """A file with some history whose end this workstation has anchored."""
    f.case(ctx, f.best_seattle(ctx))
    assert audit.verify_audit(ctx).ok
    return ctx


# --- §4: a rewritten database id ------------------------------------------------------------

NEW_ID = "0123456789abcdef0123456789abcdef"


def test_a_rewritten_database_id_is_flagged_even_after_ordinary_writes(anchored, db_path):
    ctx = anchored
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE db_meta SET value = ? WHERE key = 'database_id'", (NEW_ID,))
    f.agency(ctx, "Whatcom County Sheriff")  # one ordinary write: it anchors the new id too
    f.agency(ctx, "Skagit County Sheriff")
    report = audit.verify_audit(ctx)
    assert not report.ok and report.anchor == "replaced"
    assert "another database at this path" in report.reason and "reanchor" in report.reason
    assert audit.describe(report).startswith("Audit chain not accepted: ")
    assert not audit.verify_audit(ctx).ok  # and it stays so: verifying does not accept it either
    line = {r.name: r for r in stats.check(ctx)}["audit chain"]
    assert not line.ok and "another database at this path" in line.detail
    ctx.db.close()
    done = tf("--db", db_path, "audit", "verify")
    assert done.returncode == 1 and "Audit chain not accepted" in done.stdout


def test_the_window_shows_a_rewritten_database_id_in_its_banner(anchored, db_path, qtbot):
    from taskforce.gui.main_window import MainWindow

    anchored.db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE db_meta SET value = ? WHERE key = 'database_id'", (NEW_ID,))
    window = MainWindow(db_path=db_path)
    qtbot.addWidget(window)
    window.open_database(create=False)  # its opening is audited: an ordinary write
    qtbot.waitUntil(lambda: window.audit_banner.report is not None, timeout=60000)
    try:
        banner = window.audit_banner
        assert not banner.isHidden() and "another database at this path" in banner.text()
        assert banner.text().startswith("⚠ This is not the file this workstation anchored at this path.")
    finally:
        window.ctx.db.close()


# --- §4: a file taken back to schema 0004 -----------------------------------------------------

def _back_to_0004(path: Path) -> None:
    """What the attacker does: the app's own downgrades to 0004 (chain columns, db_meta and
    triggers gone), then a row of the past rewritten; the next upgrade would chain it."""
    from alembic import command

    from taskforce.store.database import _alembic_config
    from taskforce.store.engine import make_engine

    engine = make_engine(path)
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0004")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE audit_log SET app_user = 'someone else' WHERE id = 2")


def test_a_file_taken_back_in_schema_at_an_anchored_path_is_not_upgraded(anchored, db_path):
    anchored.db.close()
    _back_to_0004(db_path)
    before = sha(db_path)
    with pytest.raises(SchemaError) as refused:
        Database.open(db_path)
    message = str(refused.value)
    assert "is at schema 0004, but this workstation recorded it at schema " + HEAD_REVISION in message
    assert "left untouched" in message and "\n" not in message
    assert sha(db_path) == before
    assert not list(db_path.parent.glob("*.pre-upgrade-*"))  # refused before anything was copied
    line = one_line_error(tf("--db", db_path, "stats"))
    assert "is at schema 0004" in line and sha(db_path) == before


def test_restore_can_ask_whether_the_path_goes_back_in_schema(anchored, db_path):
    # the function restore calls before putting an older backup in place
    assert audit_chain.going_back(db_path, HEAD_REVISION) is None
    assert "is at schema 0004" in audit_chain.going_back(db_path, "0004")
    assert audit_chain.going_back(db_path, None) is None  # a new, empty file
    audit_chain.forget_anchor(db_path)  # what a restore does once the old file is set aside
    assert audit_chain.going_back(db_path, "0004") is None


def test_an_older_backup_restored_on_purpose_is_upgraded_but_one_copied_over_is_not(anchored, db_path):
    from taskforce.services import backup as B

    old = ROOT / "tests" / "data" / "schema-0004.sqlite"
    anchored.db.close()
    result = B.restore(db_path, old)  # asks, sets the file aside with its anchor, then upgrades
    assert result.upgraded_from == "0004" and result.audit.ok
    assert audit_chain.going_back(result.aside, "0004") is not None  # the aside keeps its anchor
    # the same old file copied over the restored one by hand: refused, not upgraded
    db_path.write_bytes(old.read_bytes())
    with pytest.raises(SchemaError, match="is at schema 0004"):
        Database.open(db_path)


def test_a_file_without_anchor_revisions_counts_as_chained(anchored, db_path):
    # anchors written before issue 11 carry no revision: the file had a chain, so 0005 or later
    data = json.loads(anchors_text())
    for copies in data.values():
        for entry in copies.values():
            entry.pop("revision", None)
    audit_chain.anchors_path().write_text(json.dumps(data))
    assert "is at schema 0004" in audit_chain.going_back(db_path, "0004")
    assert audit_chain.going_back(db_path, "0005") is None


# --- reanchor: asked, audited, by the holder only --------------------------------------------

def test_reanchor_asks_then_records_the_old_and_new_anchor_in_the_audit(anchored, db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE db_meta SET value = ? WHERE key = 'database_id'", (NEW_ID,))
    (old_id, old_anchor), = audit_chain.path_anchors(db_path).items()
    anchored.db.close()
    before_rows = rows(db_path)

    no = tf_input("n\n", "--db", db_path, "audit", "reanchor")
    assert (f"Move this workstation's audit anchor for taskforce.sqlite from database {old_id[:8]}… "
            f"at row {old_anchor.id}") in no.stdout
    assert "[y/N]" in no.stdout
    assert one_line_error(no) == "taskforce: Not reanchored; the anchor was not moved."
    # the old anchor stays (the opening's own row anchored the new id beside it: both consulted)
    assert audit_chain.path_anchors(db_path)[old_id] == old_anchor
    assert [r for r in rows(db_path) if r[2] != "open"] == [r for r in before_rows if r[2] != "open"]

    yes = tf_input("y\n", "--db", db_path, "audit", "reanchor")
    assert yes.returncode == 0, yes.stderr
    assert "Audit chain intact" in yes.stdout
    last = rows(db_path)[-1]
    assert last[2:5] == ("reanchor", "database", 0)
    moved = json.loads(last[9])
    assert old_id in [o["database_id"] for o in moved["old"]]
    assert moved["new"]["database_id"] == NEW_ID
    assert moved["new"]["after_row"] == last[0] - 1  # the row it follows: same transaction as the move
    # the anchor now points at the reanchor row itself
    assert audit_chain.path_anchors(db_path) == {NEW_ID: audit_chain.load_anchor(NEW_ID, db_path)}
    assert audit_chain.load_anchor(NEW_ID, db_path).id == last[0]
    assert tf("--db", db_path, "audit", "verify").returncode == 0

    again = tf("--db", db_path, "audit", "reanchor", "--yes")  # --yes: no question
    assert again.returncode == 0 and "[y/N]" not in again.stdout
    assert rows(db_path)[-1][2] == "reanchor"


def test_reanchor_is_refused_while_another_copy_holds_the_file(anchored, db_path):
    before_anchors, before_rows = anchors_text(), rows(db_path)
    line = one_line_error(tf("--db", db_path, "audit", "reanchor", "--yes"))
    assert line.startswith("taskforce: Not reanchored: ") and "has taskforce.sqlite open" in line
    assert anchors_text() == before_anchors and rows(db_path) == before_rows
    reader = Database.open(db_path, read_only=True)
    try:
        with pytest.raises(ReadOnlyDatabase, match="Not reanchored"):
            audit.reanchor(Context(reader, Actor("tester", "m.quill")))
    finally:
        reader.close()
    assert anchors_text() == before_anchors


def test_reanchor_moves_nothing_when_the_chain_is_broken(anchored, db_path):
    from tests.test_audit_chain import _as_attacker

    _as_attacker(db_path, ("UPDATE audit_log SET app_user = 'x' WHERE id = 2",))
    before_anchors, before_rows = anchors_text(), rows(db_path)
    report = audit.reanchor(anchored)
    assert not report.ok and report.first_broken_id == 2
    assert json.loads(anchors_text()) == json.loads(before_anchors) and rows(db_path) == before_rows


# --- ON DELETE SET NULL is audited like a cascade --------------------------------------------

def test_deleting_an_agreement_audits_the_participations_it_unlinks(ctx, db_path):
    a = f.agency(ctx, "Whatcom County Sheriff")
    b = f.agency(ctx, "Skagit County Sheriff")
    agreement = agreements.create_agreement(ctx, AgreementData(
        kind="mou", title="Northern border MOU", party_ids=(a, b), signed=date(2026, 1, 5))).id
    tf_id = task_forces.create_task_force(ctx, TaskForceData(
        name="Northern Border Task Force", kind="best", lead_agency_id=a,
        participants=(Participation(a, agreement), Participation(b, agreement)))).id
    with ctx.db.engine.connect() as conn:
        links = conn.execute(select(S.task_force_agency.c.id).where(
            S.task_force_agency.c.agreement_id == agreement).order_by(S.task_force_agency.c.id)).scalars().all()
    assert len(links) == 2
    agreements.delete_agreement(ctx, agreement)
    deleted = rows(db_path, f"action = 'delete' AND entity = 'agreement' AND entity_id = {agreement}")
    assert len(deleted) == 1
    unlinked = rows(db_path, "entity = 'task_force_agency' AND action = 'update'")
    assert [(r[4], r[5], r[6], r[7], r[8], r[9]) for r in unlinked] == [
        (link, "task_force", tf_id, "agreement_id", str(agreement), None) for link in links]
    assert {r[1] for r in unlinked} == {deleted[0][1]}  # in the delete's own transaction
    shown = [h for h in history(ctx, "task_force", tf_id) if h.field == "agreement_id"]
    assert len(shown) == 2 and all("Northern border MOU" in h.old for h in shown)
    assert audit.verify_audit(ctx).ok


def test_every_set_null_foreign_key_is_found_from_the_schema():
    from taskforce.services.tx import set_null_keys

    found = {(fk.parent.table.name, fk.parent.name, fk.column.table.name) for fk in set_null_keys()}
    expected = {(t.name, fk.parent.name, fk.column.table.name) for t in S.metadata.sorted_tables
                for fk in t.foreign_keys if fk.ondelete == "SET NULL"}
    assert found == expected and ("task_force_agency", "agreement_id", "agreement") in found


# --- reads from the command line --------------------------------------------------------------

def run_cli(monkeypatch, *argv) -> int:
    """``taskforce`` in this process (a subprocess each would take a second); the file is closed
    after each command as the process's exit would."""
    closers: list = []
    monkeypatch.setattr(atexit, "register", lambda fn, *a, **k: closers.append(fn))
    try:
        return cli.main([str(a) for a in argv])
    finally:
        for close in closers:
            close()


@pytest.fixture
def demo_file(tmp_path, monkeypatch):
    path = tmp_path / "demo.sqlite"
    assert run_cli(monkeypatch, "--db", path, "demo", "--cases", 12) == 0
    with sqlite3.connect(path) as conn:
        number = conn.execute("SELECT number FROM case_file ORDER BY id LIMIT 1").fetchone()[0]
        name = conn.execute("SELECT name FROM subject ORDER BY id LIMIT 1").fetchone()[0]
    return path, number, name


def _reads(number: str, name: str) -> list[tuple[tuple, str]]:
    """(arguments, the command as the audit row names it)"""
    return [
        (("search", name.split()[0][:4], "--json"), "search"),
        (("search", name.split()[0][:4]), "search"),
        (("timeline", number, "--json"), "timeline"),
        (("timeline", number), "timeline"),
        (("attention", "--json"), "attention"),
        (("feedback", "matrix"), "feedback matrix"),
        (("feedback", "open", "--json"), "feedback open"),
        (("debriefs",), "debriefs"),
        (("referrals", "--json"), "referrals"),
        (("assistance",), "assistance"),
        (("roster", "--json"), "roster"),
        (("cooperation",), "cooperation"),
        (("actions",), "actions"),
        (("meetings", "--json"), "meetings"),
        (("details",), "details"),
        (("matches", "--case", number), "matches"),
        (("releases",), "releases"),
    ]


def test_every_command_line_opening_and_read_is_audited_without_the_content(demo_file, monkeypatch, capsys):
    path, number, name = demo_file
    capsys.readouterr()
    for argv, command in _reads(number, name):
        before = rows(path)[-1][0]
        assert run_cli(monkeypatch, "--db", path, *argv) == 0, argv
        printed = capsys.readouterr().out
        new = rows(path, f"id > {before}")
        assert [(r[2], r[3], r[4]) for r in new] == [("open", "database", 0), ("read", "database", 0)], argv
        opened, read = (json.loads(r[9]) for r in new)
        assert opened == {"via": "command line", "command": command}
        assert read["command"] == command and int(read["records"]) >= 0, read
        if argv[0] == "search":
            assert read["text"] == argv[1] and int(read["records"]) >= 1
            hits = json.loads(printed)["hits"] if "--json" in argv else []
            assert all(h["label"] not in new[1][9] for h in hits)  # what was asked, never what was found
        if argv[0] == "timeline":
            assert read["case_number"] == number
    # a command that prints counts only is an opening, not a read
    before = rows(path)[-1][0]
    assert run_cli(monkeypatch, "--db", path, "stats") == 0
    assert [r[2] for r in rows(path, f"id > {before}")] == ["open"]
    assert run_cli(monkeypatch, "--db", path, "audit", "verify") == 0


def test_a_read_only_copy_reads_without_a_trace_as_the_docs_say(demo_file, monkeypatch, capsys):
    path, number, _name = demo_file
    holder = Database.open(path)  # the app has the file open: commands read it read-only
    try:
        before = rows(path)
        assert run_cli(monkeypatch, "--db", path, "timeline", number) == 0
        assert rows(path) == before
    finally:
        holder.close()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reliability = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert "read-only copy" in readme and "cannot record" in readme
    assert "Reads from the command line" in reliability


def test_an_opening_that_cannot_be_recorded_reads_nothing(demo_file, monkeypatch, capsys):
    path, number, _name = demo_file
    with sqlite3.connect(path) as conn:  # an audit log that refuses every row
        conn.execute("CREATE TRIGGER audit_log_refuse BEFORE INSERT ON audit_log "
                     "BEGIN SELECT RAISE(ABORT, 'no'); END")
    capsys.readouterr()
    assert run_cli(monkeypatch, "--db", path, "timeline", number) == 1
    out = capsys.readouterr()
    assert out.out == "" and "could not be recorded in its audit log" in out.err
    assert len(out.err.strip().splitlines()) == 1
    # the checks still run, and name the trigger
    assert run_cli(monkeypatch, "--db", path, "check") == 1
    assert "audit_log_refuse" in capsys.readouterr().out
