"""`make run` on a fresh data folder: the first-start dialog, then the main window."""

import getpass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from taskforce.gui.app import start
from taskforce.gui.first_start import FirstStartDialog
from taskforce.gui.main_window import MainWindow
from taskforce.settings import load_settings


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path, monkeypatch):
    """A first start has no settings yet; what it saves stays in this test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _when(condition, action, tries: int = 1200) -> None:
    """Poll the event loop until ``condition()`` gives a widget, then act on it."""
    def poll(left: int = tries) -> None:
        found = condition()
        if found:
            action(found)
        elif left:
            QTimer.singleShot(25, lambda: poll(left - 1))
    QTimer.singleShot(0, poll)


def _top(kind):
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def test_first_start_offers_create_and_opens_the_window(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "fresh" / "taskforce.sqlite"
    monkeypatch.setenv("TASKFORCE_DB", str(db))
    seen: dict = {}

    def on_dialog(dialog: FirstStartDialog) -> None:
        seen["buttons"] = [b.text() for b in (dialog.empty_button, dialog.demo_button, dialog.open_button)]
        dialog.empty_button.click()

    _when(lambda: _top(FirstStartDialog), on_dialog)
    window = start(None)  # what `make run` does before entering the event loop
    assert isinstance(window, MainWindow) and window.isVisible()
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10000)
    home = window.workspace.attention  # Needs attention is the home screen
    qtbot.waitUntil(lambda: home.summary.text().startswith("Nothing needs attention"), timeout=5000)
    window.show_section("cases")
    empty = window.pages["cases"].empty_label
    qtbot.waitUntil(lambda: empty.text().startswith("No cases yet"), timeout=5000)
    assert window.db_label.text() == str(db)
    window.close()
    window.ctx.db.close()
    assert seen["buttons"] == ["Create an empty database", "Create with fictitious demo data",
                               "Open an existing database file…"]
    assert Path(db).exists()


def test_quitting_the_first_start_creates_nothing(qapp, tmp_path, monkeypatch):
    db = tmp_path / "fresh.sqlite"
    monkeypatch.setenv("TASKFORCE_DB", str(db))
    _when(lambda: _top(FirstStartDialog), lambda d: d.quit_button.click())
    assert start(None) is None
    assert not db.exists()


def test_first_start_with_demo_data_fills_the_new_file(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "demo.sqlite"
    monkeypatch.setenv("TASKFORCE_DB", str(db))

    def on_dialog(dialog: FirstStartDialog) -> None:
        dialog.demo_cases.setValue(40)
        dialog.demo_button.click()

    _when(lambda: _top(FirstStartDialog), on_dialog)
    window = start(None)
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace.counts.get("cases") == 40,
                    timeout=15000)
    assert window.sidebar.item(1).text() == "Cases  (40)"
    assert window.stack.currentWidget() is window.workspace.attention  # the home screen
    window.show_section("cases")
    page = window.pages["cases"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 40, timeout=5000)
    window.close()
    window.ctx.db.close()


def test_first_start_asks_the_name_before_anything_is_written(qtbot, tmp_path, monkeypatch):
    """Issue 10 §5: the first audit rows, notes and briefings said the OS account (``root`` in
    a container): the name is asked first, prefilled with the OS account's, and kept."""
    from sqlalchemy import select

    from taskforce.store import schema as S
    from tests import factories as f

    db = tmp_path / "named" / "taskforce.sqlite"
    monkeypatch.setenv("TASKFORCE_DB", str(db))
    seen: dict = {}

    def on_dialog(dialog: FirstStartDialog) -> None:
        field = getattr(dialog, "user_name", None)
        if field is None:  # no name asked: quit, and the assertions below say so
            dialog.reject()
            return
        seen["prefilled"] = field.text()
        seen["nothing written yet"] = not db.exists() and not load_settings().user_name
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(field, Qt.Key.Key_Delete)
        seen["empty refused"] = (not dialog.empty_button.isEnabled(), dialog.name_error.text())
        qtbot.keyClicks(field, "Morgan Quill")
        seen["accepted"] = dialog.empty_button.isEnabled() and dialog.name_error.isHidden()
        dialog.empty_button.click()

    _when(lambda: _top(FirstStartDialog), on_dialog)
    window = start(None)
    assert window is not None, "the first-start dialog asks no name"
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10000)
    try:
        assert seen["prefilled"] == getpass.getuser()
        assert seen["nothing written yet"]
        assert seen["empty refused"] == (True, "Type your name: it is written into the history of every change.")
        assert seen["accepted"]
        assert load_settings().user_name == "Morgan Quill"
        assert window.user_label.text() == "user: Morgan Quill"
        window.worker.wait()
        f.agency(window.ctx, "Whatcom County Sheriff's Office")  # the first change
        with window.ctx.db.engine.connect() as conn:
            rows = conn.execute(select(S.audit_log.c.action, S.audit_log.c.os_user, S.audit_log.c.app_user)
                                .order_by(S.audit_log.c.id)).all()
        assert "create" in {r.action for r in rows}
        made_here = {(r.os_user, r.app_user) for r in rows if r.os_user != "system"}  # not the migrations'
        assert made_here == {(getpass.getuser(), "Morgan Quill")}
    finally:
        window.close()
        window.ctx.db.close()
