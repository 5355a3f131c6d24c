"""Backups that restore (issue 6 §3): consistent copies while the app writes, encrypted copies,
every bad backup refused with the live file byte-identical, the daily automatic backup, the
command line and the two dialogs."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import threading
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from taskforce.domain.errors import DatabaseInUse
from taskforce.domain.records import CaseData
from taskforce.services import backup as B
from taskforce.services import cases, stats
from taskforce.services.audit import verify_audit
from taskforce.services.context import Actor, Context
from taskforce.settings import Settings, load_settings
from taskforce.store import backup as store
from taskforce.store import cipher
from taskforce.store import schema as S
from taskforce.store.database import Database

from tests import factories as F
from tests.test_cli import one_line_error, tf

PASSPHRASE = "it's a \"quoted\" pass'; --"
TITLE = "Fentanyl via Blaine"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def world(ctx: Context) -> int:
    """A task force and one case; returns the case id."""
    return F.case(ctx, F.best_seattle(ctx), title=TITLE)


def case_title(ctx: Context, case_id: int) -> str:
    with ctx.db.engine.connect() as conn:
        return conn.execute(select(S.case.c.title).where(S.case.c.id == case_id)).scalar_one()


def rename_case(ctx: Context, case_id: int, title: str) -> None:
    with ctx.db.engine.connect() as conn:
        row = conn.execute(select(S.case).where(S.case.c.id == case_id)).mappings().one()
    cases.update_case(ctx, case_id, CaseData(number=row["number"], title=title, task_force_id=row["task_force_id"],
                                             lead_agency_id=row["lead_agency_id"], opened_on=row["opened_on"]))


def leftovers(folder: Path) -> list[Path]:
    """Temporary copies a backup or restore might have left (there must be none)."""
    return list(folder.glob(f"{store.TEMP_PREFIX}*"))


def open_ctx(path: Path) -> Context:
    return Context(db=Database.open(path), actor=Actor("tester", "m.quill"), today=lambda: date(2026, 11, 23))


# --- making backups ------------------------------------------------------------------------

def test_backup_while_another_connection_holds_a_write_transaction(ctx, db_path, tmp_path):
    case_id = world(ctx)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a writer mid-transaction (another copy, a long import)
    other.execute("INSERT INTO db_meta (key, value) VALUES ('uncommitted', 'x')")
    out = tmp_path / "out" / "copy.sqlite"

    def copied(done: int, total: int) -> None:
        if done == total and other.in_transaction:  # every page copied with the writer still busy
            other.execute("COMMIT")  # (then the backup's own audit row can be written)

    try:
        done = B.backup(ctx, out, progress=copied)
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()
    assert done.path == out and not done.encrypted and done.size == out.stat().st_size
    with sqlite3.connect(out) as copy:
        assert copy.execute("SELECT title FROM case_file WHERE id = ?", (case_id,)).fetchone() == (TITLE,)
        assert copy.execute("SELECT count(*) FROM db_meta WHERE key = 'uncommitted'").fetchone() == (0,)
    assert out.read_bytes()[18:20] == b"\x01\x01"  # one self-contained file, not WAL
    assert not Path(f"{out}-wal").exists() and not leftovers(out.parent)
    check = B.check_backup(out)
    assert check.ok and check.counts["cases"] == 1 and check.audit.ok
    # the backup itself is audited as an export of the whole database, and in the release log
    # (logged pending, then marked done once in place: the last two rows)
    with ctx.db.engine.connect() as conn:
        export, done = conn.execute(select(S.audit_log).order_by(S.audit_log.c.id.desc()).limit(2)).mappings().all()[::-1]
    assert export["action"] == "export" and str(out.resolve()) in export["new_value"]
    assert (done["action"], done["field"], done["new_value"]) == ("update", "status", "done")


def test_a_backup_under_concurrent_writes_is_one_instant(ctx, tmp_path, monkeypatch):
    """Pages copied a few at a time while members are written: every member in the copy has its
    audit row and the chain holds, i.e. no transaction is half in it."""
    world(ctx)
    monkeypatch.setattr(store, "PAGES_PER_STEP", 2)
    stop, written = threading.Event(), []

    def writer() -> None:
        while not stop.is_set():
            written.append(F.member(ctx, family=f"Writer{len(written)}"))

    thread = threading.Thread(target=writer)
    thread.start()
    steps: list[tuple[int, int]] = []
    try:
        while len(written) < 3:
            threading.Event().wait(0.01)
        B.backup(ctx, tmp_path / "busy.sqlite", progress=lambda d, t: steps.append((d, t)))
    finally:
        stop.set()
        thread.join()
    assert len(steps) > 10 and steps[-1][0] == steps[-1][1]  # it really went a few pages at a time
    check = B.check_backup(tmp_path / "busy.sqlite")
    assert check.ok, check.problem
    with sqlite3.connect(tmp_path / "busy.sqlite") as copy:
        members = copy.execute("SELECT count(*) FROM member WHERE family_name LIKE 'Writer%'").fetchone()[0]
        audited = copy.execute("SELECT count(*) FROM audit_log WHERE entity = 'member' AND action = 'create' "
                               "AND new_value LIKE '%Writer%'").fetchone()[0]
    assert 0 < members == audited < len(written) + 1


def test_encrypted_backup_opens_only_with_its_passphrase(ctx, tmp_path):
    world(ctx)
    plain, secret = tmp_path / "plain.sqlite", tmp_path / "secret.sqlite"
    B.backup(ctx, plain)
    done = B.backup(ctx, secret, PASSPHRASE)
    assert done.encrypted and not leftovers(tmp_path)
    assert TITLE.encode() in plain.read_bytes()  # so the next line can fail
    data = secret.read_bytes()
    assert TITLE.encode() not in data and not data.startswith(b"SQLite format 3\x00")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(secret).execute("SELECT count(*) FROM case_file").fetchone()

    asked = B.check_backup(secret)
    assert not asked.ok and asked.needs_passphrase and "passphrase is needed" in asked.problem
    wrong = B.check_backup(secret, PASSPHRASE[:-1])
    assert not wrong.ok and wrong.problem.startswith("The passphrase does not open secret.sqlite")
    right = B.check_backup(secret, PASSPHRASE)
    assert right.ok and right.encrypted and right.counts["cases"] == 1 and right.audit.ok
    assert right.summary()[0].endswith(", encrypted")

    with pytest.raises(B.BackupRefused, match="at least 8 characters"):
        B.backup(ctx, tmp_path / "short.sqlite", "short")
    with pytest.raises(B.BackupRefused, match="already exists"):
        B.backup(ctx, secret, PASSPHRASE)
    with pytest.raises(B.BackupRefused, match="is the database"):
        B.backup(ctx, ctx.db.path, overwrite=True)
    assert not (tmp_path / "short.sqlite").exists()


def test_an_encrypted_database_is_backed_up_under_its_own_key_and_restored(tmp_path, migrated_template):
    """Through the keyed SQLCipher connection the engine holds: without a passphrase a backup
    keeps the database's key (never a plain copy of an encrypted database)."""
    live, template = tmp_path / "taskforce.sqlite", tmp_path / "template.sqlite"
    shutil.copyfile(migrated_template, template)
    cipher.write_copy(template, None, live, "live passphrase")
    ctx = Context(db=Database.open(live, passphrase="live passphrase"), actor=Actor("tester", "m.quill"),
                  today=lambda: date(2026, 11, 23))
    try:
        case_id = world(ctx)
        same = B.backup(ctx, tmp_path / "same-key.sqlite")
        own = B.backup(ctx, tmp_path / "own-key.sqlite", PASSPHRASE)
        auto = B.auto_backup(ctx, keep=1)
        assert same.encrypted and own.encrypted and not leftovers(tmp_path)
        for path in (same.path, own.path, auto):
            assert TITLE.encode() not in path.read_bytes() and B.check_backup(path).needs_passphrase
        assert B.check_backup(same.path, "live passphrase").ok and B.check_backup(auto, "live passphrase").ok
        assert B.check_backup(own.path, PASSPHRASE).ok and not B.check_backup(own.path, "live passphrase").ok
        rename_case(ctx, case_id, "Changed")
        # kept encrypted under the backup's passphrase, through the open database
        result = B.restore(ctx, own.path, PASSPHRASE, keep_encrypted=True)
        assert not result.notes and cipher.is_encrypted(live)
    finally:
        ctx.db.close()
    again = Context(db=Database.open(live, passphrase=PASSPHRASE), actor=Actor("tester", "m.quill"))
    try:
        assert case_title(again, case_id) == TITLE and verify_audit(again).ok
    finally:
        again.db.close()
    # by default an encrypted backup stays encrypted over an encrypted database (issue 10 §5)
    result = B.restore(live, same.path, "live passphrase")
    assert result.encrypted and cipher.is_encrypted(live) and not result.notes
    # asked to restore it plain: done, and told that the database was encrypted
    result = B.restore(live, same.path, "live passphrase", keep_encrypted=False)
    assert store.is_plain(live) and "was encrypted; the restored file is not" in result.notes[0]


def test_a_copy_left_by_a_killed_backup_is_removed_by_the_next(ctx, tmp_path):
    import os
    import subprocess
    import sys

    gone = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True).stdout)
    left = tmp_path / f"{store.TEMP_PREFIX}{gone}-k1ll3d"  # as a SIGKILL mid-copy leaves it
    left.mkdir()
    (left / "plain.sqlite").write_bytes(b"a plain copy")
    busy = tmp_path / f"{store.TEMP_PREFIX}{os.getpid()}-inprogress"  # this process's, in use
    busy.mkdir()
    B.backup(ctx, tmp_path / "next.sqlite")
    assert not left.exists() and busy.exists()


# --- restoring -----------------------------------------------------------------------------

def test_restore_round_trip_with_a_changed_record(ctx, db_path, tmp_path):
    case_id = world(ctx)
    backup = tmp_path / "monday.sqlite"
    B.backup(ctx, backup, PASSPHRASE)
    rename_case(ctx, case_id, "Changed after the backup")
    F.member(ctx, family="Later")
    ctx.db.close()
    before = sha(db_path)

    result = B.restore(db_path, backup, PASSPHRASE)
    assert result.aside is not None and result.aside.name.startswith("taskforce.sqlite.before-restore-")
    assert sha(result.aside) == before  # the current file, kept as it was
    assert result.audit.ok and result.audit.anchor == "recorded" and not result.notes
    assert store.is_plain(db_path)  # restored plain (the default)
    assert not leftovers(tmp_path) and not Path(f"{db_path}.lock").exists()

    restored = open_ctx(db_path)
    try:
        assert case_title(restored, case_id) == TITLE
        assert stats.stats(restored)["members"] == 0
        assert all(r.ok for r in stats.check(restored)), stats.check(restored)
        assert verify_audit(restored).anchor == "matched"  # the anchor follows the restored chain
    finally:
        restored.db.close()
    # the file set aside took its anchor with it: it still verifies where it is now
    aside = open_ctx(result.aside)
    try:
        assert case_title(aside, case_id) == "Changed after the backup"
        assert verify_audit(aside).anchor == "matched"
    finally:
        aside.db.close()


def test_restore_through_the_open_database_closes_it_and_the_file_reopens(ctx, db_path, tmp_path):
    case_id = world(ctx)
    B.backup(ctx, tmp_path / "b.sqlite")
    rename_case(ctx, case_id, "Changed")
    result = B.restore(ctx, tmp_path / "b.sqlite", user="m.quill")
    assert result.aside is not None and not Path(f"{db_path}.lock").exists()  # closed, lock released
    again = open_ctx(db_path)
    try:
        assert case_title(again, case_id) == TITLE and verify_audit(again).ok
    finally:
        again.db.close()


def test_restore_on_a_new_workstation(ctx, tmp_path):
    world(ctx)
    B.backup(ctx, tmp_path / "b.sqlite")
    target = tmp_path / "new machine" / "data" / "taskforce.sqlite"
    result = B.restore(target, tmp_path / "b.sqlite")
    assert result.aside is None and target.is_file()
    fresh = open_ctx(target)
    try:
        assert stats.stats(fresh)["cases"] == 1
    finally:
        fresh.db.close()


def test_restore_of_an_older_schema_upgrades_it(tmp_path):
    old = Path(__file__).parent / "data" / "schema-0004.sqlite"
    check = B.check_backup(old)
    assert check.ok and check.revision == "0004" and check.audit is None
    assert "cannot be checked" in check.audit_text and "(upgraded to" in check.summary()[1]
    result = B.restore(tmp_path / "taskforce.sqlite", old)
    assert result.upgraded_from == "0004" and result.audit.ok
    assert sha(old) == sha(Path(__file__).parent / "data" / "schema-0004.sqlite")


def _bad_backups(ctx: Context, folder: Path) -> dict[str, tuple[Path, str | None, str]]:
    """name → (file, passphrase given, words the refusal must contain)."""
    folder.mkdir()
    good = folder / "good.sqlite"
    B.backup(ctx, good)
    bad: dict[str, tuple[Path, str | None, str]] = {}

    def copy(name: str) -> Path:
        path = folder / name
        shutil.copyfile(good, path)
        return path

    text = folder / "notes.txt"
    text.write_text("not a database at all\n")
    bad["text"] = (text, None, "not a database")
    empty = folder / "empty.sqlite"
    empty.touch()
    bad["empty"] = (empty, None, "is empty")
    truncated = folder / "truncated.sqlite"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    bad["truncated"] = (truncated, None, "damaged")
    newer = copy("newer.sqlite")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    bad["newer schema"] = (newer, None, "newer version of Taskforce (schema 0099)")
    broken = copy("broken-chain.sqlite")
    with sqlite3.connect(broken) as conn:  # what someone editing the file behind the app does
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET app_user = 'someone else' WHERE id = 3")
    bad["broken audit chain"] = (broken, None, "audit log in broken-chain.sqlite is broken at row 3")
    foreign = folder / "other-app.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    bad["another app's database"] = (foreign, None, "not a Taskforce backup")
    secret = folder / "secret.sqlite"
    B.backup(ctx, secret, PASSPHRASE)
    bad["wrong passphrase"] = (secret, "not the passphrase", "passphrase does not open")
    bad["no passphrase"] = (secret, None, "passphrase is needed")
    noise = folder / "noise.sqlite"
    noise.write_bytes(hashlib.sha512(b"x").digest() * 128)  # 8 KiB: looks like encrypted pages
    bad["noise"] = (noise, "a passphrase", "passphrase does not open")
    return bad


def test_every_bad_backup_is_refused_in_one_line_and_the_live_file_is_untouched(ctx, db_path, tmp_path):
    world(ctx)
    bad = _bad_backups(ctx, tmp_path / "bad")
    ctx.db.close()
    files = sorted(p.name for p in db_path.parent.iterdir())
    before = sha(db_path)
    for name, (path, passphrase, words) in bad.items():
        check = B.check_backup(path, passphrase)
        assert not check.ok and words in check.problem, (name, check.problem)
        with pytest.raises(B.BackupRefused) as refused:
            B.restore(db_path, path, passphrase)
        message = str(refused.value)
        assert "\n" not in message and message.startswith("Not restored: "), (name, message)
        assert message.endswith("taskforce.sqlite was left untouched."), (name, message)
        assert sha(db_path) == before, name
        assert sorted(p.name for p in db_path.parent.iterdir()) == files, name  # nothing aside, no temp
    assert sha(db_path) == before


def test_restore_is_refused_while_another_copy_holds_the_file(ctx, db_path, tmp_path):
    world(ctx)
    B.backup(ctx, tmp_path / "b.sqlite")
    before = sha(db_path)
    with pytest.raises(DatabaseInUse, match=r"^Not restored: taskforce.sqlite is open in Taskforce by .* since .*; close it there first\. taskforce.sqlite was left untouched\.$"):
        B.restore(db_path, tmp_path / "b.sqlite")  # ctx (this "copy") still has it open
    assert sha(db_path) == before and not list(db_path.parent.glob("*.before-restore-*"))


# --- the automatic backup on close -----------------------------------------------------------

def test_automatic_backup_once_a_day_keeping_the_last_n(ctx, tmp_path):
    world(ctx)
    folder = tmp_path / "backups"
    other = folder / "keep-me.sqlite"
    folder.mkdir()
    other.write_text("someone's own file")
    day = date(2026, 11, 23)
    first = B.auto_backup(ctx, keep=3, today=day)
    assert first == folder / "taskforce-2026-11-23.sqlite" and B.check_backup(first).ok
    made = first.stat().st_mtime_ns
    assert B.auto_backup(ctx, keep=3, today=day) is None  # once a day
    assert first.stat().st_mtime_ns == made
    for n in range(1, 5):
        assert B.auto_backup(ctx, keep=3, today=day + timedelta(days=n)) is not None
    assert [p.name for p in B.auto_backups(ctx.db.path)] == [
        "taskforce-2026-11-25.sqlite", "taskforce-2026-11-26.sqlite", "taskforce-2026-11-27.sqlite"]
    assert other.exists() and not leftovers(folder)
    # not audited: closing the app every day is not an export
    with ctx.db.engine.connect() as conn:
        assert not conn.execute(select(S.audit_log.c.id).where(S.audit_log.c.action == "export")).first()


def test_automatic_backup_keeps_the_number_in_settings(ctx):
    from taskforce.settings import save_settings, settings_path

    saved = settings_path().read_bytes() if settings_path().exists() else None
    try:
        save_settings(replace(load_settings(), backup_keep=2))
        for n in range(4):
            B.auto_backup(ctx, today=date(2026, 11, 1) + timedelta(days=n))
        assert [p.stem[-10:] for p in B.auto_backups(ctx.db.path)] == ["2026-11-03", "2026-11-04"]
    finally:
        if saved is None:
            settings_path().unlink()
        else:
            settings_path().write_bytes(saved)


@pytest.mark.parametrize("raw, keep", [({"backup_keep": 3}, 3), ({"backup_keep": "3"}, 7), ({"backup_keep": 0}, 7),
                                       ({"backup_keep": True}, 7), ({"backup_keep": 2.5}, 7), ({"backup_keep": 9999}, 7)])
def test_a_bad_backup_keep_in_the_settings_file_falls_back_to_the_default(tmp_path, raw, keep):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({**raw, "user_name": "m.quill"}))
    loaded = load_settings(path)
    assert loaded.backup_keep == keep and loaded.user_name == "m.quill"
    assert Settings().backup_keep == 7


# --- the command line --------------------------------------------------------------------------

def test_cli_backup_and_restore(ctx, db_path, tmp_path, monkeypatch):
    case_id = world(ctx)
    plain, secret = tmp_path / "plain.sqlite", tmp_path / "secret.sqlite"
    # while this process (the app) has the file open: a backup from another process cannot be
    # recorded in the file's audit log, so it is refused (the app's own File → Back up… works);
    # restore is refused too
    held = one_line_error(tf("--db", db_path, "backup", "-o", plain))
    assert held.startswith("taskforce: Not backed up: ") and "File → Back up…" in held
    assert not plain.exists()
    held = one_line_error(tf("--db", db_path, "restore", plain, "--yes"))
    assert "is open in Taskforce by" in held
    B.backup(ctx, plain)  # what File → Back up… does in the app that holds the file
    ctx.db.close()
    done = tf("--db", db_path, "backup", "-o", plain, "--force")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Backed up taskforce.sqlite to {plain}") and "not encrypted" in done.stdout
    monkeypatch.setenv("TASKFORCE_BACKUP_PASSPHRASE", PASSPHRASE)
    done = tf("--db", db_path, "backup", "-o", secret, "--encrypt")
    assert done.returncode == 0 and "encrypted with its own passphrase" in done.stdout

    ctx = open_ctx(db_path)
    rename_case(ctx, case_id, "Changed")
    ctx.db.close()
    before = sha(db_path)
    bad = tmp_path / "bad.sqlite"
    bad.write_text("junk")
    assert one_line_error(tf("--db", db_path, "restore", bad, "--yes")) == (
        "taskforce: Not restored: bad.sqlite is not a database (nor an encrypted one). "
        "taskforce.sqlite was left untouched.")
    no = tf_input("n\n", "--db", db_path, "restore", secret)
    assert "Replace " in no.stdout and "[y/N]" in no.stdout and "Records: 1 case," in no.stdout
    assert one_line_error(no) == "taskforce: Not restored; taskforce.sqlite was left untouched."
    assert sha(db_path) == before

    yes = tf_input("y\n", "--db", db_path, "restore", secret)
    assert yes.returncode == 0, yes.stderr
    assert "The previous file is kept as taskforce.sqlite.before-restore-" in yes.stdout
    assert "Audit chain intact" in yes.stdout
    check = tf("--db", db_path, "check")
    assert check.returncode == 0 and "FAIL" not in check.stdout
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT title FROM case_file WHERE id = ?", (case_id,)).fetchone() == (TITLE,)

    elsewhere = tmp_path / "new workstation" / "taskforce.sqlite"  # the README's steps
    checked = tf("--db", elsewhere, "restore", plain, "--check")
    assert checked.returncode == 0 and checked.stdout.endswith("plain.sqlite can be restored.\n")
    assert not elsewhere.parent.exists()  # a check writes nothing
    done = tf("--db", elsewhere, "restore", plain, "--yes")
    assert done.returncode == 0 and elsewhere.is_file(), done.stderr


def tf_input(text: str, *args):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TASKFORCE_DB"}
    return subprocess.run([sys.executable, "-m", "taskforce", *map(str, args)], input=text,
                          capture_output=True, text=True, env=env, timeout=120)


# --- the dialogs -------------------------------------------------------------------------------

def test_back_up_dialog_encrypts_with_a_passphrase_given_twice(qtbot, ctx, tmp_path):
    from PySide6.QtWidgets import QWidget

    from taskforce.gui.backup_dialogs import open_backup_dialog
    from taskforce.gui.worker import Worker

    world(ctx)
    parent = QWidget()
    qtbot.addWidget(parent)
    worker = Worker(parent)
    dialog = open_backup_dialog(parent, worker, ctx)
    assert dialog.isVisible() and not dialog.passphrase.isEnabled()
    out = tmp_path / "from the dialog.sqlite"
    dialog.path.setText(str(out))
    dialog.encrypt.click()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.repeat, PASSPHRASE + "x")
    dialog.backup_button.click()
    assert dialog.message.text() == "The two passphrases differ." and not out.exists()
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, PASSPHRASE)
    with qtbot.waitSignal(dialog.backed_up, timeout=20000) as made:
        dialog.backup_button.click()
    assert made.args[0].encrypted and made.args[0].path == out and not dialog.isVisible()
    assert B.check_backup(out).needs_passphrase and B.check_backup(out, PASSPHRASE).ok
    box = dialog.result_box
    assert box is not None and box.isVisible()
    assert str(out) in box.text() and "encrypted with its own passphrase" in box.text()
    box.close()

    again = open_backup_dialog(parent, worker, ctx)  # an existing file typed in: refused in the dialog
    again.path.setText(str(out))
    again.backup_button.click()
    qtbot.waitUntil(lambda: "already exists" in again.message.text(), timeout=10000)
    assert again.isVisible() and again.backup_button.isEnabled()
    again.reject()
    worker.wait()


def test_restore_dialog_checks_asks_then_replaces_and_the_window_reopens(qtbot, ctx, db_path, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox, QWidget

    from taskforce.gui.backup_dialogs import open_restore_dialog
    from taskforce.gui.worker import Worker

    case_id = world(ctx)
    good, bad = tmp_path / "good.sqlite", tmp_path / "bad.sqlite"
    B.backup(ctx, good, PASSPHRASE)
    rename_case(ctx, case_id, "Changed")
    bad.write_text("junk")
    parent = QWidget()
    qtbot.addWidget(parent)
    worker = Worker(parent)
    calls: list = []
    reopened: list[Context] = []

    def reopen(result) -> None:  # what the main window does: open the same path again
        calls.append(("reopen", result))
        reopened.append(open_ctx(db_path))

    dialog = open_restore_dialog(parent, worker, ctx, detach=lambda: calls.append("detach"), reopen=reopen)
    with qtbot.waitSignal(dialog.checked, timeout=10000):
        dialog.set_path(str(bad))
    assert "not a database" in dialog.summary.text() and not dialog.restore_button.isEnabled()

    with qtbot.waitSignal(dialog.checked, timeout=10000):
        dialog.set_path(str(good))
    assert dialog.passphrase.isVisible() and "passphrase is needed" in dialog.summary.text()
    assert not dialog.restore_button.isEnabled()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    with qtbot.waitSignal(dialog.checked, timeout=10000):
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    summary = dialog.summary.text()
    assert "encrypted" in summary and "Records: 1 case," in summary and "Audit chain: intact" in summary
    assert dialog.restore_button.isEnabled()

    before = sha(db_path)
    dialog.restore_button.click()  # asks first; No changes nothing
    dialog.confirm_box.button(QMessageBox.StandardButton.No).click()
    assert not calls and sha(db_path) == before and case_title(ctx, case_id) == "Changed"

    dialog.restore_button.click()
    box = dialog.confirm_box
    assert box.isVisible() and f"Replace {db_path} with the backup of " in box.text()
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert calls[0] == "detach" and calls[1][0] == "reopen" and calls[1][1].aside is not None
    try:
        assert case_title(reopened[0], case_id) == TITLE
    finally:
        reopened[0].db.close()
    result_box = dialog.result_box
    assert result_box.isVisible() and "was restored from the backup of" in result_box.text()
    assert "The previous file is kept as taskforce.sqlite.before-restore-" in result_box.text()
    result_box.close()
    worker.wait()
