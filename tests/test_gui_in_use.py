"""A second copy of the app on a file another copy holds: told who, offered read-only."""

from PySide6.QtCore import Qt

from taskforce.gui.in_use_dialog import InUseDialog
from taskforce.gui.main_window import MainWindow
from taskforce.store.lock import WriterLock


def test_a_file_held_by_another_copy_opens_read_only_when_the_user_chooses_so(qtbot, db_path):
    other = WriterLock(db_path, user="d.okafor")
    other.acquire()
    try:
        window = MainWindow(db_path=db_path)
        qtbot.addWidget(window)
        window.open_database(create=False)  # not shown yet: opens at once
        qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(InUseDialog)), timeout=60000)
        dialog = next(d for d in window.findChildren(InUseDialog) if d.isVisible())
        assert "d.okafor" in dialog.text()
        qtbot.mouseClick(dialog.read_only_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.workspace is not None, timeout=60000)
        assert window.ctx.db.read_only
        assert "read-only" in window.read_only_label.text().lower()
    finally:
        other.release()
        if getattr(window, "ctx", None) is not None:
            window.ctx.db.close()


def test_the_records_menu_imports_members_and_the_file_menu_exports(qtbot, ctx, tmp_path):
    from PySide6.QtWidgets import QMenu

    from taskforce.gui.record_import_dialog import RecordImportDialog

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    records = [a.text() for a in menus["Records"].actions()]
    assert "Import members (CSV, XLSX)…" in records and "Import cases (CSV, XLSX)…" in records
    export = next(a.menu() for a in menus["File"].actions() if isinstance(a.menu(), QMenu))
    assert [a.text() for a in export.actions()] == ["Cases…", "Subjects…", "Members…", "Agencies…"]
    csv = tmp_path / "members.csv"
    csv.write_text("Family name,Given names,Home agency\nOkafor,Lena,CBP\n", encoding="utf-8")
    dialog = window.workspace.import_records("members", str(csv))
    qtbot.waitUntil(lambda: dialog.isVisible(), timeout=5000)
    assert isinstance(dialog, RecordImportDialog) and dialog.path.text() == str(csv)
    dialog.close()


def test_file_restore_replaces_the_open_file_and_the_window_reopens_it(qtbot, ctx, db_path, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from taskforce.services import backup as B
    from tests.test_backup import TITLE, case_title, rename_case, world

    case_id = world(ctx)
    copy = tmp_path / "copy.sqlite"
    B.backup(ctx, copy)
    rename_case(ctx, case_id, "Changed after the backup")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert "Back up…" in [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    dialog = window.restore(str(copy))
    qtbot.waitUntil(lambda: dialog.restore_button.isEnabled(), timeout=20000)
    dialog.restore_button.click()
    with qtbot.waitSignal(dialog.restored, timeout=30000):
        dialog.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: window.workspace is not None and window.ctx is not ctx, timeout=30000)
    try:
        assert case_title(window.ctx, case_id) == TITLE
        assert not window.ctx.db.read_only
    finally:
        dialog.result_box.close()
        window.ctx.db.close()


def test_an_encrypted_file_opens_in_the_window_after_a_wrong_then_the_right_passphrase(qtbot, tmp_path,
                                                                                     encrypted_template):
    import shutil

    from taskforce.gui.unlock_dialog import UnlockDialog
    from tests.conftest import TEST_PASSPHRASE as PASS

    path = tmp_path / "taskforce.sqlite"
    shutil.copyfile(encrypted_template, path)
    window = MainWindow(db_path=path)
    qtbot.addWidget(window)
    window.open_database(create=False)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(UnlockDialog)), timeout=60000)
    dialog = next(d for d in window.findChildren(UnlockDialog) if d.isVisible())
    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "does not open" in dialog.message.text(), timeout=60000)
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, PASS)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=60000)
    try:
        assert window.ctx.db.encrypted
        assert window.encryption_action.text() == "Remove encryption…"
    finally:
        window.ctx.db.close()


def test_a_tampered_audit_trail_shows_a_warning_banner_at_start(qtbot, db_path):
    import sqlite3

    from taskforce.services.context import Actor, Context
    from taskforce.store.database import Database
    from tests import factories as f

    db = Database.open(db_path)
    f.best_seattle(Context(db, Actor("tester", "m.quill")))
    db.close()
    raw = sqlite3.connect(db_path)
    raw.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    raw.execute("UPDATE audit_log SET new_value = 'forged' WHERE id = (SELECT max(id) FROM audit_log)")
    raw.commit()
    raw.close()
    window = MainWindow(db_path=db_path)
    qtbot.addWidget(window)
    window.open_database(create=False)
    qtbot.waitUntil(lambda: window.audit_banner.report is not None, timeout=60000)
    try:
        assert not window.audit_banner.isHidden()
        assert "Audit chain broken at" in window.audit_banner.text()
    finally:
        window.ctx.db.close()


def test_an_intact_audit_trail_shows_no_banner_and_opening_is_audited(qtbot, db_path):
    window = MainWindow(db_path=db_path)
    qtbot.addWidget(window)
    window.open_database(create=False)
    qtbot.waitUntil(lambda: window.audit_banner.report is not None, timeout=60000)
    try:
        assert window.audit_banner.isHidden() and window.audit_banner.report.ok
        with window.ctx.db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM audit_log WHERE action = 'open'").scalar() == 1
    finally:
        window.ctx.db.close()
