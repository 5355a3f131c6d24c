"""Replacing the database file: there is always one at the path (issue 11, Major).

A restore, an encryption and a decryption put a new file in place of the database and keep
the old one aside. Killed at any step, the path holds either the old file or the new one, and
it opens; a file set aside with nothing at the path (left by an older version, or moved by
hand) is offered back, never silently replaced by a new database. A backup that cannot be
upgraded is refused before anything is swapped; an old-schema backup says its audit log
cannot be checked, and asks.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from taskforce.store.cipher import file_kind
from tests.crashing import (  # noqa: F401
    BACKUP_PASSPHRASE, DB_PASSPHRASE, assert_killed, demo_db, demo_template, ok, tf,
)
from tests.test_cli import one_line_error

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
DATA = Path(__file__).parent / "data"
ENV = {"TASKFORCE_PASSPHRASE": DB_PASSPHRASE}


def cases(db: Path) -> int:
    return int(ok(tf("--db", db, "stats", "--json", env=ENV)).stdout.split('"cases": ')[1].split(",")[0])


def opens_and_checks(db: Path) -> str:
    """The file at the path opens and passes ``check``; its kind ("sqlite" or "encrypted")."""
    assert db.is_file(), f"no database at {db}"
    ok(tf("--db", db, "check", env=ENV))
    return file_kind(db)


def _backup_with_one_case_less(db: Path, folder: Path) -> Path:
    """A plain backup of ``db``, and then one more case in ``db`` (to tell the two apart)."""
    backup = folder / "backup.sqlite"
    ok(tf("--db", db, "backup", "-o", backup))
    conn = sqlite3.connect(db)
    try:  # an edit by hand would break the audit chain: add a case through the app instead
        tf_name = conn.execute("SELECT name FROM task_force LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    csv = folder / "one.csv"
    csv.write_text(f"number,title,task force,lead agency,opened on\nX-1,One more,{tf_name},ICE HSI Seattle,2026-11-20\n")
    ok(tf("--db", db, "import", "cases", csv))
    return backup


@pytest.mark.parametrize("step", ["restore:staged", "swap:aside", "swap:replaced", "restore:swapped"])
def test_a_restore_killed_at_any_step_leaves_the_old_file_or_the_new_one(demo_db, tmp_path, step):
    backup = _backup_with_one_case_less(demo_db, tmp_path)
    before, restored = cases(demo_db), cases(backup)
    assert before == restored + 1
    assert_killed(tf("--db", demo_db, "restore", backup, "--yes", crash_at=step))
    opens_and_checks(demo_db)
    now = cases(demo_db)
    assert now == (before if step in ("restore:staged", "swap:aside") else restored)
    if step != "restore:staged":  # the old file is kept aside, whole
        [aside] = demo_db.parent.glob("taskforce.sqlite.before-restore-*[0-9]")
        assert cases(aside) == before


@pytest.mark.parametrize("command", ["encrypt", "decrypt"])
@pytest.mark.parametrize("step", ["convert:exported", "swap:aside", "swap:replaced"])
def test_an_encryption_or_decryption_killed_at_any_step_leaves_a_file_that_opens(demo_db, step, command):
    if command == "decrypt":
        ok(tf("encrypt", "--db", demo_db, env=ENV))
    before = cases(demo_db)
    was = file_kind(demo_db)
    assert_killed(tf(command, "--db", demo_db, env=ENV, crash_at=step))
    kind = opens_and_checks(demo_db)
    assert kind == (was if step != "swap:replaced" else ("encrypted" if command == "encrypt" else "sqlite"))
    assert cases(demo_db) == before


def test_a_file_set_aside_with_nothing_in_its_place_is_offered_back_on_the_command_line(demo_db):
    before = cases(demo_db)
    aside = demo_db.with_name(demo_db.name + ".before-restore-20261123-143501")
    demo_db.rename(aside)  # as an older version's restore, killed between its two renames, left it
    for command in (("stats",), ("demo", "--cases", "1")):  # neither a reading nor a creating command goes on
        line = one_line_error(tf("--db", demo_db, *command))
        assert "interrupted restore" in line and aside.name in line and "restore --put-back" in line, line
    assert not demo_db.exists()
    assert "Put taskforce.sqlite.before-restore-20261123-143501 back" in ok(
        tf("--db", demo_db, "restore", "--put-back")).stdout
    assert cases(demo_db) == before and not aside.exists()
    assert "nothing to put back" in one_line_error(tf("--db", demo_db, "restore", "--put-back"))


def test_the_app_asks_to_put_back_a_file_set_aside_and_the_services_do_it(qtbot, demo_db):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from taskforce.gui.app import offer_put_back

    aside = demo_db.with_name(demo_db.name + ".before-encrypt")
    demo_db.rename(aside)
    seen = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(20, answer)
    assert offer_put_back(demo_db) is True
    assert seen == [f"Restore interrupted: put back {aside.name} as {demo_db.name}?"]
    assert demo_db.is_file() and not aside.exists()
    assert offer_put_back(demo_db) is False  # a file in place: nothing asked


# --- an old backup --------------------------------------------------------------------------

def _unupgradable(tmp_path: Path) -> Path:
    """A schema-0004 backup that passes every check at its schema but that migration 0005
    cannot upgrade: one audit value is a BLOB, which the chain's hash cannot encode."""
    path = tmp_path / "old.sqlite"
    shutil.copyfile(DATA / "schema-0004.sqlite", path)
    conn = sqlite3.connect(path)
    try:
        conn.execute("UPDATE audit_log SET new_value = x'00ff' WHERE id = (SELECT max(id) FROM audit_log)")
        conn.commit()
    finally:
        conn.close()
    return path


def test_an_old_backup_that_cannot_be_upgraded_is_refused_before_anything_is_swapped(demo_db, tmp_path):
    backup = _unupgradable(tmp_path)
    before = cases(demo_db)
    line = one_line_error(tf("--db", demo_db, "restore", backup, "--yes"))
    assert line.startswith("taskforce: Not restored:") and "left untouched" in line, line
    assert list(demo_db.parent.glob("*.before-restore-*")) == []
    assert cases(demo_db) == before
    opens_and_checks(demo_db)


def test_an_old_schema_backup_is_upgraded_on_a_copy_and_restored_only_when_asked(demo_db, tmp_path):
    backup = tmp_path / "schema-0004.sqlite"
    shutil.copyfile(DATA / "schema-0004.sqlite", backup)
    original = backup.read_bytes()
    refused = tf("--db", demo_db, "restore", backup)  # no --yes, nobody to answer: not restored
    assert refused.returncode == 1
    assert "Its audit log cannot be checked: schema 0004 predates the audit chain" in refused.stdout
    assert "Restore it anyway" in refused.stdout
    done = ok(tf("--db", demo_db, "restore", backup, "--yes"))
    assert "upgraded from schema 0004" in done.stdout
    assert backup.read_bytes() == original  # the backup itself is never changed
    assert list(demo_db.parent.glob("*.pre-upgrade-*")) == []  # upgraded before it was put in place
    opens_and_checks(demo_db)


def test_the_restore_dialog_says_an_old_backup_cannot_have_its_audit_checked(qtbot, ctx, tmp_path):
    from PySide6.QtWidgets import QWidget

    from taskforce.gui.backup_dialogs import RestoreDialog
    from taskforce.gui.worker import Worker

    backup = tmp_path / "schema-0004.sqlite"
    shutil.copyfile(DATA / "schema-0004.sqlite", backup)
    parent = QWidget()
    qtbot.addWidget(parent)
    worker = Worker(parent)
    dialog = RestoreDialog(ctx, worker, parent, detach=lambda: None, reopen=lambda *_: None)
    with qtbot.waitSignal(dialog.checked, timeout=20000):
        dialog.set_path(str(backup))
    assert "cannot be checked" in dialog.summary.text()
    box = dialog.ask()
    assert "Its audit log cannot be checked" in box.text()
    box.close()
