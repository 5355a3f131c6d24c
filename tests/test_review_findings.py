"""Review findings: each test proves one bug found where release control and data safety meet.

A test marked ``xfail(strict=True)`` proves a bug that is not fixed here (the reason says what
the fix would be); the others prove bugs that were fixed alongside them.
"""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from taskforce.domain.records import CaseSubjectData
from taskforce.reports.markings import marking_for
from taskforce.reports.publish import ReportRequest, Settings, publish
from taskforce.services import cases
from taskforce.store import schema as S

from tests import factories as f
from tests.factories_release import eu_pnr

LES = Settings(marking_for("les"), "letter")
PASS = "correct horse battery staple"


def _everything(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    pages = " ".join(p.extract_text() or "" for p in reader.pages)
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())

    def titles(outline):  # noqa: ANN001, ANN202
        for entry in outline:
            yield from (titles(entry) if isinstance(entry, list) else [entry.title])
    return re.sub(r"\s+", " ", f"{pages} {meta} {' '.join(titles(reader.outline))}")


# --- 1. rule 6: a subject met in two cases of a package ------------------------------------

def test_a_subject_released_in_one_case_is_not_printed_in_an_eu_pnr_case_of_the_same_package(ctx, tmp_path):
    """The Screen caches its decision by (kind, id), but a subject's decision depends on the case
    it is met in (the case's caveats, the case's origin, an authorization for the case). In a
    package, a subject released in case A was printed in case B's section too, although case B
    is EU PNR-derived and the recipient (ICE) may not receive anything of it."""
    hsi = f.ref_agency(ctx, "ice_hsi")
    seattle = f.agency(ctx, "ICE HSI Seattle", "federal", hsi, abbreviation="HSI SEA")
    tf = f.best_seattle(ctx)
    a = f.case(ctx, tf, "BEST-SEA-2026-0001", "Plain case", lead_agency_id=seattle)
    b = f.case(ctx, tf, "BEST-SEA-2026-0002", "Passenger record case", lead_agency_id=seattle,
               caveat_ids=(eu_pnr(ctx),))
    s = f.subject(ctx, "Ostrava Kulinski")  # no originating agency: the case's counts
    cases.link_subject(ctx, CaseSubjectData(a, s, "target"))
    cases.link_subject(ctx, CaseSubjectData(b, s, "associate"))

    # each case on its own: released in A (DHS to DHS), withheld in B (EU PNR, ICE is not CBP)
    alone = tmp_path / "b.pdf"
    publish(ctx, ReportRequest("case-briefing", case_number="BEST-SEA-2026-0002", recipient="ICE"), alone, LES)
    assert "Ostrava Kulinski" not in _everything(alone.read_bytes())

    out = tmp_path / "package-ice.pdf"
    done = publish(ctx, ReportRequest("package", task_force="BEST Seattle", recipient="ICE"), out, LES)
    pages = [p.extract_text() or "" for p in PdfReader(BytesIO(out.read_bytes())).pages]
    section_b = " ".join(p for p in pages if "BEST-SEA-2026-0002 Status" in re.sub(r"\s+", " ", p))
    assert "Synopsis Not included" in re.sub(r"\s+", " ", section_b)  # case B's own section
    assert "Ostrava Kulinski" not in section_b, "case B's section names a subject withheld from it"
    with ctx.db.engine.connect() as conn:
        logged = conn.execute(select(S.release_item.c.included, S.release_item.c.reason)
                              .where(S.release_item.c.release_id == done.release_id,
                                     S.release_item.c.item_kind == "subject",
                                     S.release_item.c.item_id == s)).all()
    assert (False, "eu_pnr") in logged  # the log says it was withheld (in case B)


# --- 2. File → Encrypt this database…: the window reopens the file it still holds ----------

def test_after_encrypting_from_the_window_the_file_reopens_and_is_not_in_use_by_ourselves(qtbot, ctx, db_path):
    """MainWindow.change_encryption's reopen detached the workspace but never closed the old
    ``ctx.db``, which still holds the writer lock: the reopen then found the file "open in
    Taskforce by m.quill … (process <our own pid>)" and offered to open it read-only. (It now
    reopens with the new key, without asking for the passphrase again: issue 10 §5.)"""
    from taskforce.gui.in_use_dialog import InUseDialog
    from taskforce.gui.main_window import MainWindow
    from taskforce.gui.unlock_dialog import UnlockDialog

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    dialog = window.change_encryption()
    dialog.passphrase.setText(PASS)
    dialog.repeat.setText(PASS)
    dialog.start()
    qtbot.waitUntil(lambda: (window.workspace is not None and window.ctx is not ctx)
                    or any(d.isVisible() for d in window.findChildren(UnlockDialog))
                    or any(d.isVisible() for d in window.findChildren(InUseDialog)), timeout=60000)
    try:
        assert not any(d.isVisible() for d in window.findChildren(InUseDialog))
        assert not any(d.isVisible() for d in window.findChildren(UnlockDialog))
        assert window.ctx.db.encrypted and not window.ctx.db.read_only
    finally:
        window.worker.wait()
        if window.ctx is not None and window.ctx is not ctx:
            window.ctx.db.close()
        if dialog.result_box is not None:
            dialog.result_box.close()


# --- 3. a backup made by a read-only copy escapes the audit log ------------------------------

def test_a_read_only_copy_cannot_make_an_unaudited_backup(ctx, db_path, tmp_path):
    """``services.backup.backup`` ignored ``record_event``'s False (nothing recorded on a file
    opened read-only): ``taskforce backup -o FILE`` while the app has the file open wrote a full
    copy of the database with no audit row, although every backup is to be recorded and a
    copy that cannot be recorded is removed and refused (docs/reliability.md). Exports already
    refuse on a read-only copy for the same reason."""
    from taskforce.services.backup import BackupRefused, backup
    from taskforce.services.context import Actor, Context
    from taskforce.store.database import Database

    f.best_seattle(ctx)  # ctx holds the writer lock, as the app would
    ro = Database.open(db_path, read_only=True)
    try:
        target = tmp_path / "copy.sqlite"
        with ctx.db.engine.connect() as conn:
            before = conn.execute(select(S.audit_log.c.id)).all()
        with pytest.raises(BackupRefused):
            backup(Context(db=ro, actor=Actor("tester", "d.okafor")), target)
        assert not target.exists()
        assert not list(tmp_path.glob(".taskforce-backup-*"))
        with ctx.db.engine.connect() as conn:
            assert conn.execute(select(S.audit_log.c.id)).all() == before
    finally:
        ro.close()


# --- 4. one sentence, not "unexpected error", when the PDF cannot be written ----------------

def test_cli_report_to_a_file_that_cannot_be_written_is_one_sentence_exit_1(ctx, db_path, tmp_path):
    """``publish`` let the OSError of an unwritable output through (here a file name longer
    than the file system allows; also a read-only folder, a full disk): the command line
    printed "taskforce: unexpected error: OSError: …" with exit 3. ``export`` turns the same
    errors into one sentence; nothing is written or logged in either case."""
    from tests.test_cli import one_line_error, tf

    f.case(ctx, f.best_seattle(ctx))
    ctx.db.close()
    out = tmp_path / ("x" * 300 + ".pdf")
    result = tf("report", "case", "BEST-SEA-2026-0007", "-o", out, env_db=db_path)
    line = one_line_error(result)
    assert result.returncode == 1, line
    assert line.startswith("taskforce: ") and "unexpected" not in line
    assert list(tmp_path.iterdir()) == [db_path] or all(p.name.startswith("taskforce.sqlite")
                                                        for p in tmp_path.iterdir())
    log = tf("releases", "--json", env_db=db_path)
    import json
    assert json.loads(log.stdout)["releases"] == []


# --- 5. restore over an encrypted file: the file set aside loses its audit anchor -----------

def test_restore_over_an_encrypted_file_moves_its_anchor_to_the_file_set_aside(tmp_path, migrated_template):
    """``restore(path, …)`` reads the current file's database id to move its anchor to the file
    set aside; for an encrypted current file (no key on the command line) the id is None, the
    anchor is not moved, and ``reanchor`` then deletes it: the file set aside no longer has the
    anchor that would show it was cut short (docs/reliability.md: "the file set aside keeps its
    own")."""
    import shutil

    from taskforce.services import backup as B
    from taskforce.services.context import Actor, Context
    from taskforce.store import audit_chain as chain
    from taskforce.store import cipher
    from taskforce.store.database import Database

    live, template = tmp_path / "taskforce.sqlite", tmp_path / "template.sqlite"
    shutil.copyfile(migrated_template, template)
    cipher.write_copy(template, None, live, PASS)
    ctx = Context(db=Database.open(live, passphrase=PASS), actor=Actor("tester", "m.quill"))
    try:
        f.best_seattle(ctx)
        backup = B.backup(ctx, tmp_path / "monday.sqlite", "backup passphrase").path
        f.member(ctx, family="Later")
        with ctx.db.engine.connect() as conn:
            db_id = chain.database_id(chain.driver_connection(conn))
        anchored = chain.load_anchor(db_id, live)
        assert anchored is not None
    finally:
        ctx.db.close()

    result = B.restore(live, backup, "backup passphrase")
    assert result.aside is not None
    moved = chain.load_anchor(db_id, result.aside)
    assert moved is not None and (moved.id, moved.row_hash) == (anchored.id, anchored.row_hash)


@pytest.mark.parametrize("args", [
    ("backup", "-o", "{long}.sqlite"), ("restore", "{long}.sqlite", "--yes"),
    ("restore", "{long}.sqlite", "--check"), ("import", "members", "{long}.csv"),
    ("import", "cases", "{long}.csv"), ("import", "agencies", "{long}.csv"),
])
def test_cli_commands_given_an_impossible_file_name_say_so_in_one_sentence(ctx, db_path, tmp_path, args):
    """``backup``, ``restore`` and the imports ended in "taskforce: unexpected error: OSError: …"
    (exit 3) for a file name the file system refuses (Path.exists/is_file raise
    ENAMETOOLONG); ``cli.run`` now reports any OSError about a file in one sentence, exit 1."""
    from tests.test_cli import one_line_error, tf

    f.best_seattle(ctx)
    ctx.db.close()
    long = str(tmp_path / ("x" * 300))
    result = tf("--db", db_path, *(a.format(long=long) for a in args))
    line = one_line_error(result)
    assert result.returncode == 1 and "unexpected" not in line and "File name too long" in line, line


# --- 6. audit reanchor on a broken chain throws the evidence away ----------------------------

def test_reanchor_of_a_broken_chain_keeps_this_workstations_anchor(ctx, db_path):
    """``services.audit.reanchor`` forgot the anchor first and verified after: on a chain that
    does not verify it answered anchor="kept" ("the anchor stays as evidence") although the
    anchor was already deleted, so a truncation at the end was no longer noticed."""
    import sqlite3

    from taskforce.services.audit import reanchor, verify_audit
    from taskforce.store import audit_chain as chain

    f.best_seattle(ctx)
    f.member(ctx, family="Later")
    with ctx.db.engine.connect() as conn:
        db_id = chain.database_id(chain.driver_connection(conn))
    anchored = chain.load_anchor(db_id, db_path)
    assert anchored is not None and verify_audit(ctx).ok
    raw = sqlite3.connect(db_path)  # as someone holding the file: alter a row in the middle
    raw.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    raw.execute("UPDATE audit_log SET new_value = 'forged' WHERE id = 2")
    raw.commit()
    raw.close()

    report = reanchor(ctx)
    assert not report.ok and report.anchor == "kept"
    kept = chain.load_anchor(db_id, db_path)
    assert kept is not None and (kept.id, kept.row_hash) == (anchored.id, anchored.row_hash)
