"""Encrypted at rest (issue 6 §5): a SQLCipher file opens with its passphrase and only with it,
says so in one sentence, locks after five wrong ones, converts both ways with every row and
the audit chain intact, and keeps nothing readable on disk. The service tests themselves run
on an encrypted file too (tests/conftest.py, ENCRYPTED_TOO)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from taskforce.domain.errors import DatabaseInUse, PassphraseRequired, TooManyAttempts, WrongPassphrase
from taskforce.domain.records import NoteData
from taskforce.services import cases, encryption, stats
from taskforce.services.context import Actor, Context
from taskforce.services.search import search
from taskforce.settings import load_settings
from taskforce.store import cipher
from taskforce.store.database import HEAD_REVISION, Database, read_revision
from taskforce.store.lock import WriterLock
from taskforce.store.unlock_guard import UnlockGuard
from tests import factories as f
from tests.conftest import TEST_PASSPHRASE as PASS

SECRET = "Informant ZEBRA-KILO-4471 meets the courier at pier 91"
WRONG = "The passphrase does not open taskforce.sqlite."


@pytest.fixture
def enc_path(tmp_path: Path, encrypted_template: Path) -> Path:
    path = tmp_path / "taskforce.sqlite"
    shutil.copyfile(encrypted_template, path)
    return path


def context(db: Database) -> Context:
    return Context(db=db, actor=Actor(os_user="tester", app_user="m.quill"), today=lambda: date(2026, 11, 23))


@pytest.fixture
def enc_ctx(enc_path: Path):
    ctx = context(Database.open(enc_path, passphrase=PASS))
    yield ctx
    ctx.db.close()


def add_secret_note(ctx: Context) -> int:
    case_id = f.case(ctx, f.best_seattle(ctx))
    cases.add_note(ctx, NoteData(case_id=case_id, body=SECRET))
    return case_id


def on_disk(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())


def audit_actions(ctx: Context) -> list[tuple[str, str]]:
    with ctx.db.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            "SELECT action, coalesce(new_value, '') FROM audit_log WHERE entity = 'database' ORDER BY id")]


def taskforce(*args, passphrase: str | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("TASKFORCE_DB", "TASKFORCE_PASSPHRASE")}
    if passphrase is not None:
        env["TASKFORCE_PASSPHRASE"] = passphrase
    return subprocess.run([sys.executable, "-m", "taskforce", *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)


def one_line(result) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- the file -------------------------------------------------------------------------------

def test_a_database_created_encrypted_keeps_nothing_readable_on_disk(tmp_path, ctx):
    # the control: on a plain file the same note is there to be read
    add_secret_note(ctx)
    assert SECRET.encode() in on_disk(ctx.db.path.parent)

    folder = tmp_path / "encrypted"
    folder.mkdir()
    db = Database.open(folder / "taskforce.sqlite", create=True, passphrase=PASS)
    enc = context(db)
    try:
        assert db.encrypted and cipher.file_kind(db.path) == "encrypted"
        add_secret_note(enc)
        data = on_disk(folder)  # the file and its -wal, while open
        assert b"ZEBRA-KILO" not in data and b"SQLite format 3" not in data
        assert [h.label for h in search(enc, "zebra").hits]  # the app itself finds it
    finally:
        db.close()
    assert b"ZEBRA-KILO" not in on_disk(folder)
    with pytest.raises(sqlite3.DatabaseError), closing(sqlite3.connect(folder / "taskforce.sqlite")) as raw:
        raw.execute("SELECT count(*) FROM sqlite_master").fetchall()  # no database, to sqlite3


def test_a_wrong_or_missing_passphrase_is_one_sentence_and_leaves_the_file_free(enc_path):
    with pytest.raises(PassphraseRequired, match=r"^taskforce\.sqlite is encrypted: its passphrase is needed"):
        Database.open(enc_path)
    with pytest.raises(WrongPassphrase) as wrong:
        Database.open(enc_path, passphrase="not the passphrase")
    assert str(wrong.value) == WRONG
    db = Database.open(enc_path, passphrase=PASS)  # the writer lock was given back each time
    try:
        assert db.encrypted and read_revision(enc_path, db.key) == HEAD_REVISION
        assert db.unlock_failures is not None and db.unlock_failures.count == 1
    finally:
        db.close()


def test_a_plain_file_keeps_the_stdlib_driver_and_ignores_a_passphrase(ctx, db_path):
    raw = ctx.db.engine.raw_connection()
    try:
        assert isinstance(raw.driver_connection, sqlite3.Connection)
    finally:
        raw.close()
    ctx.db.close()
    db = Database.open(db_path, passphrase="whatever it is")
    try:
        assert not db.encrypted and cipher.file_kind(db_path) == "sqlite"
    finally:
        db.close()


def test_five_wrong_passphrases_in_a_row_lock_the_file_for_15_minutes(enc_path):
    now = [datetime(2026, 11, 23, 14, 20, tzinfo=timezone.utc)]

    def clock() -> datetime:
        return now[0]

    for attempt in range(4):
        with pytest.raises(WrongPassphrase, match=WRONG):
            Database.open(enc_path, passphrase=f"wrong {attempt}", clock=clock)
    with pytest.raises(TooManyAttempts) as locked:
        Database.open(enc_path, passphrase="wrong 5", clock=clock)
    until = (now[0] + timedelta(minutes=15)).astimezone()
    assert str(locked.value) == f"Too many wrong passphrases: taskforce.sqlite is locked until {until:%H:%M}."

    now[0] += timedelta(minutes=14)
    with pytest.raises(TooManyAttempts):  # even the right one is refused, without being tried
        Database.open(enc_path, passphrase=PASS, clock=clock)
    # the count is in the settings folder: a new process (a new guard) sees the lockout too
    assert UnlockGuard(enc_path, clock=clock).locked_until() is not None

    now[0] += timedelta(minutes=2)
    db = Database.open(enc_path, passphrase=PASS, clock=clock)
    ctx = context(db)
    try:
        assert db.unlock_failures.count == 5
        assert encryption.record_unlock_failures(ctx)
        first = datetime(2026, 11, 23, 14, 20, tzinfo=timezone.utc).astimezone()
        action, detail = audit_actions(ctx)[-1]
        assert action == "unlock-failed"
        assert json.loads(detail)["detail"] == f"5 failed unlock attempts since {first:%Y-%m-%d %H:%M}"
        assert all(r.ok for r in stats.check(ctx))  # the chain verifies with the event in it
    finally:
        db.close()
    db = Database.open(enc_path, passphrase=PASS, clock=clock)
    assert db.unlock_failures is None  # audited once, not again
    db.close()


def wrong_attempt(guard: UnlockGuard) -> None:
    """A wrong passphrase as the guard counts it (without the 0.4 s of trying a real one)."""
    def refused() -> None:
        raise WrongPassphrase(WRONG)
    with pytest.raises(WrongPassphrase):
        guard.attempt(refused)


def test_a_right_passphrase_resets_the_count(enc_path):
    guard = UnlockGuard(enc_path)
    for _ in range(3):
        wrong_attempt(guard)
    assert guard.attempts_left() == 2
    Database.open(enc_path, passphrase=PASS).close()
    assert guard.attempts_left() == 5
    for _ in range(4):
        wrong_attempt(guard)
    assert guard.locked_until() is None and guard.attempts_left() == 1


# --- converting -----------------------------------------------------------------------------

def test_encrypt_and_decrypt_keep_every_row_and_the_audit_chain(ctx, db_path):
    add_secret_note(ctx)
    before = stats.stats(ctx)
    with closing(sqlite3.connect(db_path)) as raw:
        tables = cipher.table_counts(raw)

    result = encryption.encrypt(ctx, PASS)
    assert ctx.db.encrypted and cipher.file_kind(db_path) == "encrypted"
    assert result.aside == db_path.with_name("taskforce.sqlite.before-encrypt")
    with closing(sqlite3.connect(result.aside)) as raw:  # the plain file kept aside, as it was
        assert cipher.table_counts(raw) == tables
    assert result.rows == sum(tables.values())
    assert any("anyone who has it can read it" in line for line in result.lines())
    after = stats.stats(ctx)
    assert after == {**before, "audit_rows": before["audit_rows"] + 1}  # + the "encrypt" event
    assert all(r.ok for r in stats.check(ctx)), stats.check(ctx)
    assert SECRET.encode() not in db_path.read_bytes()
    f.member(ctx, "Okafor", "Lena")  # writes go on as before
    ctx.db.close()

    ctx = context(Database.open(db_path, passphrase=PASS))
    try:
        assert stats.stats(ctx)["members"] == before["members"] + 1
        with pytest.raises(WrongPassphrase):  # removing it asks for the passphrase again
            encryption.decrypt(ctx, "not the passphrase")
        plain = encryption.decrypt(ctx, PASS)
        assert not ctx.db.encrypted and cipher.file_kind(db_path) == "sqlite"
        assert plain.aside.name == "taskforce.sqlite.before-decrypt"
        assert cipher.file_kind(plain.aside) == "encrypted"
        assert all(r.ok for r in stats.check(ctx))
        actions = [a for a, _ in audit_actions(ctx)]
        assert actions == ["encrypt", "unlock-failed", "decrypt"]
    finally:
        ctx.db.close()


def test_the_plain_copy_can_be_removed_and_older_plain_copies_are_named(ctx, db_path):
    older = db_path.with_name("taskforce.sqlite.pre-upgrade-0004")
    shutil.copyfile(db_path, older)
    result = encryption.encrypt(ctx, PASS, remove_plain=True)
    assert result.aside is None and not db_path.with_name("taskforce.sqlite.before-encrypt").exists()
    assert result.plain_copies == (older,)
    assert any("overwritten and deleted" in line for line in result.lines())
    assert any("taskforce.sqlite.pre-upgrade-0004" in line for line in result.lines())


def test_a_short_or_mistyped_passphrase_is_refused_before_anything_changes(ctx, db_path):
    with pytest.raises(encryption.PassphraseRefused, match="at least 12 characters"):
        encryption.encrypt(ctx, "short")
    with pytest.raises(encryption.PassphraseRefused, match="differ"):
        encryption.encrypt(ctx, PASS, repeated=PASS + "!")
    assert cipher.file_kind(db_path) == "sqlite" and not ctx.db.encrypted


def test_conversion_is_refused_while_another_program_has_the_file_open(ctx, db_path):
    # another process reading the file (a read-only copy of the app, a command): it takes no
    # writer lock, but SQLite knows it is there
    reader = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT count(*) FROM case_file').fetchall(); print('reading', flush=True); "
         "sys.stdin.read()", str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "reading"
        with pytest.raises(DatabaseInUse, match="open in another program"):
            encryption.encrypt(ctx, PASS)
        assert cipher.file_kind(db_path) == "sqlite" and not ctx.db.encrypted
        assert not list(db_path.parent.glob(".taskforce-convert-*"))  # no copy left behind
    finally:
        reader.communicate("", timeout=30)
    assert stats.stats(ctx)["cases"] == 0  # the app's own file goes on working
    encryption.encrypt(ctx, PASS)
    assert ctx.db.encrypted


def test_an_old_encrypted_file_upgrades_with_an_encrypted_pre_upgrade_copy(tmp_path):
    old = tmp_path / "taskforce.sqlite"
    cipher.write_copy(Path(__file__).parent / "data" / "schema-0004.sqlite", None, old, PASS)
    db = Database.open(old, passphrase=PASS)
    try:
        assert db.upgraded_from == "0004" and db.backup_path is not None
        assert cipher.file_kind(db.backup_path) == "encrypted"
        assert read_revision(db.backup_path, cipher.unlock(db.backup_path, PASS)) == "0004"
        assert all(r.ok for r in stats.check(context(db)))
    finally:
        db.close()


def test_a_backup_of_an_encrypted_database_is_encrypted_with_its_key(enc_ctx, tmp_path):
    from taskforce.services.backup import backup, check_backup

    add_secret_note(enc_ctx)
    made = backup(enc_ctx, tmp_path / "copy.sqlite")
    assert made.encrypted and b"ZEBRA-KILO" not in made.path.read_bytes()
    assert check_backup(made.path, PASS).ok


# --- the command line -----------------------------------------------------------------------

def test_the_command_line_asks_for_the_passphrase_in_one_line(enc_path):
    missing = one_line(taskforce("--db", enc_path, "stats"))
    assert missing == ("taskforce: taskforce.sqlite is encrypted: set TASKFORCE_PASSPHRASE, or run "
                       "the command in a terminal to be asked for its passphrase.")
    assert one_line(taskforce("--db", enc_path, "stats", passphrase="not it at all")) == f"taskforce: {WRONG}"
    right = taskforce("--db", enc_path, "check", passphrase=PASS)
    assert right.returncode == 0, right.stderr
    assert "ok   audit chain" in right.stdout
    db = Database.open(enc_path, passphrase=PASS)
    try:  # the wrong attempt was written into the file by the next command that opened it
        # (then the command's own opening, audited too: issue 11)
        assert [a for a, _ in audit_actions(context(db))][-2:] == ["unlock-failed", "open"]
        assert db.unlock_failures is None
    finally:
        db.close()


def test_taskforce_encrypt_converts_and_refuses_while_the_app_has_the_file(db_path):
    other = WriterLock(db_path, user="d.okafor")
    other.acquire()
    try:
        busy = one_line(taskforce("encrypt", "--db", db_path, passphrase=PASS))
        assert "d.okafor" in busy and "Nothing was changed" in busy
        assert cipher.file_kind(db_path) == "sqlite"
    finally:
        other.release()
    done = taskforce("encrypt", "--db", db_path, passphrase=PASS)
    assert done.returncode == 0, done.stderr
    assert "Encrypted taskforce.sqlite (SQLCipher, AES-256)" in done.stdout
    assert "taskforce.sqlite.before-encrypt" in done.stdout
    assert cipher.file_kind(db_path) == "encrypted"
    db = Database.open(db_path, passphrase=PASS)
    db.close()


# --- settings and the GUI -------------------------------------------------------------------

def test_the_idle_period_is_clamped_to_1_to_30_minutes(tmp_path):
    path = tmp_path / "settings.json"
    for given, read in ((90, 30), (0, 1), (20, 20), ("ten", 15)):
        path.write_text(json.dumps({"idle_lock_minutes": given, "use_notice": "Authorized use only."}))
        settings = load_settings(path)
        assert settings.idle_lock_minutes == read
        assert settings.use_notice == "Authorized use only."


def test_the_unlock_dialog_shows_the_notice_first_then_the_sentence_next_to_the_field(qtbot, enc_path):
    from taskforce.gui.unlock_dialog import offer_unlock
    from taskforce.gui.worker import Worker

    parent = QWidget()
    qtbot.addWidget(parent)
    worker = Worker(parent)
    opened: list[Context] = []
    notice = "This system is for authorized use only. Use may be monitored and recorded."
    dialog = offer_unlock(parent, PassphraseRequired("encrypted"), enc_path, worker,
                          lambda p: context(Database.open(enc_path, passphrase=p)), opened.append,
                          notice=notice)
    assert dialog is not None and dialog.notice.text.toPlainText() == notice
    assert not dialog.passphrase.isEnabled()  # not before the notice is acknowledged
    qtbot.mouseClick(dialog.notice.accept_button, Qt.MouseButton.LeftButton)
    assert dialog.passphrase.isEnabled()

    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.text() == WRONG, timeout=10000)
    assert dialog.isVisible() and dialog.passphrase.text() == ""

    qtbot.keyClicks(dialog.passphrase, PASS)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    ctx = opened[0]
    try:
        assert ctx.db.encrypted
        action, detail = audit_actions(ctx)[-1]
        assert action == "unlock-failed" and "1 failed unlock attempt since" in detail
    finally:
        worker.wait()
        ctx.db.close()


def test_the_unlock_dialog_disables_the_field_during_a_lockout(qtbot, enc_path):
    from taskforce.gui.unlock_dialog import offer_unlock
    from taskforce.gui.worker import Worker

    guard = UnlockGuard(enc_path)
    for _ in range(4):  # four wrong ones typed earlier (another start of the app)
        wrong_attempt(guard)
    parent = QWidget()
    qtbot.addWidget(parent)
    worker = Worker(parent)
    dialog = offer_unlock(parent, PassphraseRequired("encrypted"), enc_path, worker,
                          lambda p: context(Database.open(enc_path, passphrase=p)), lambda ctx: ctx.db.close(),
                          notice="")
    qtbot.keyClicks(dialog.passphrase, "still not it")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Too many wrong passphrases"), timeout=10000)
    assert "taskforce.sqlite is locked until" in dialog.message.text()
    assert not dialog.passphrase.isEnabled() and not dialog.unlock_button.isEnabled()
    worker.wait()


def test_the_idle_lock_covers_every_window_and_asks_for_the_passphrase(qtbot, enc_ctx):
    from taskforce.gui.idle_lock import IdleLock, LockScreen
    from taskforce.gui.worker import Worker

    window = QMainWindow()
    window.setCentralWidget(QLabel(SECRET))
    qtbot.addWidget(window)
    window.show()
    worker = Worker(window)
    now = [0.0]
    lock = IdleLock(1, lambda: enc_ctx, worker, clock=lambda: now[0], parent=window)
    try:
        now[0] = 30
        qtbot.keyClick(window.centralWidget(), Qt.Key.Key_A)  # input: the idle time starts again
        now[0] = 85
        lock.check()
        assert not lock.locked
        now[0] = 91
        lock.check()
        assert lock.locked
        cover = lock.covers[window]
        assert cover.isVisible() and cover.geometry() == window.rect()
        window.resize(window.width() + 40, window.height())
        qtbot.waitUntil(lambda: cover.geometry() == window.rect(), timeout=2000)
        screen = lock.screen
        assert isinstance(screen, LockScreen) and screen.isVisible()
        screen.reject()  # neither Escape nor the close button unlocks
        screen.close()
        assert lock.locked and screen.isVisible()

        qtbot.keyClicks(screen.passphrase, "not the passphrase")
        qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
        # the lock screen says how many tries are left before the lockout, like the unlock dialog
        qtbot.waitUntil(lambda: screen.message.text().startswith(WRONG), timeout=10000)
        assert screen.message.text() == WRONG + " 4 tries left before taskforce.sqlite is locked for 15 minutes."
        assert lock.locked
        action, detail = audit_actions(enc_ctx)[-1]  # audited at once: the file is open
        assert action == "unlock-failed" and "session lock" in detail

        qtbot.keyClicks(screen.passphrase, PASS)
        qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not lock.locked, timeout=10000)
        assert not lock.covers
    finally:
        lock.stop()
        worker.wait()


def test_the_idle_lock_fires_by_itself_and_a_plain_file_locks_only_if_asked(qtbot, ctx):
    from taskforce.gui.idle_lock import IdleLock

    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    quiet = IdleLock(0.003, lambda: ctx, None, parent=window)  # 0.18 s, but a plain file
    privacy = IdleLock(0.003, lambda: ctx, None, lock_plain=True, parent=window)
    try:
        qtbot.waitUntil(lambda: privacy.locked, timeout=5000)
        assert not quiet.locked
        assert not privacy.screen.passphrase.isVisible()  # nothing to ask: "Continue"
        qtbot.mouseClick(privacy.screen.unlock_button, Qt.MouseButton.LeftButton)
        assert not privacy.locked
    finally:
        quiet.stop()
        privacy.stop()


def test_the_encrypt_dialog_checks_the_passphrase_then_encrypts_on_the_worker(qtbot, ctx, db_path):
    from taskforce.gui.encryption_dialog import DecryptDialog, EncryptDialog, open_encryption_dialog
    from taskforce.gui.worker import Worker

    parent = QWidget()
    qtbot.addWidget(parent)
    worker = Worker(parent)
    done = []
    dialog = open_encryption_dialog(parent, worker, ctx, done.append)
    assert isinstance(dialog, EncryptDialog)
    qtbot.keyClicks(dialog.passphrase, PASS)
    qtbot.keyClicks(dialog.repeat, PASS + "x")
    qtbot.mouseClick(dialog.go_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "The two passphrases differ; nothing was changed."
    assert cipher.file_kind(db_path) == "sqlite"

    dialog.passphrase.setText(PASS)
    dialog.repeat.setText(PASS)
    qtbot.mouseClick(dialog.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    assert ctx.db.encrypted and cipher.file_kind(db_path) == "encrypted"
    assert "taskforce.sqlite.before-encrypt" in dialog.result_box.text()
    worker.wait()
    assert isinstance(open_encryption_dialog(parent, worker, ctx), DecryptDialog)
