"""Start the desktop app: find or create the database, then show the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from taskforce import __version__
from taskforce.domain.errors import TaskforceError
from taskforce.gui.first_start import Choice, FirstStartDialog
from taskforce.services.context import Actor, Context
from taskforce.settings import load_settings
from taskforce.store.database import Database
from taskforce.store.paths import resolve_db_path


def make_application(argv: list[str] | None = None) -> QApplication:
    QCoreApplication.setOrganizationName("Taskforce")
    QCoreApplication.setApplicationName("Taskforce")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    if app.style().name().lower() == "windows":  # no native style on this platform: Fusion
        app.setStyle("Fusion")
    return app


def run_app(db_option: str | None) -> int:
    app = make_application()
    started = start(db_option)
    if started is None:
        return 0
    if isinstance(started, int):
        return started
    code = app.exec()
    started.ctx.db.close()
    return code


def start(db_option: str | None):  # noqa: ANN201 - MainWindow | exit code | None (user quit)
    """Everything up to the shown main window: first-start choice, open or create, demo fill."""
    path = resolve_db_path(db_option)
    demo_cases = 0
    if not path.exists():
        first = FirstStartDialog(path)
        if not first.exec() or first.choice is None:
            return None
        path = first.path
        if first.choice is Choice.DEMO:
            demo_cases = first.demo_cases.value()
    try:
        db = Database.open(path, create=True)
    except TaskforceError as exc:
        QMessageBox.critical(None, "Taskforce", str(exc))
        return 1
    ctx = Context(db=db, actor=Actor.current(load_settings().user_name))

    from taskforce.gui.main_window import MainWindow  # after the dialog: start-up shows it fast

    window = MainWindow(ctx)
    window.show()
    if db.backup_path:
        window.statusBar().showMessage(
            f"Database upgraded from schema {db.upgraded_from}; the old file was kept as {db.backup_path.name}", 15000)
    if demo_cases:
        _fill_demo(window, demo_cases)
    return window


def _fill_demo(window, cases: int) -> None:  # noqa: ANN001
    from taskforce.gui.progress import run_with_progress
    from taskforce.services.context import Change
    from taskforce.services.demo import generate_demo

    run_with_progress(window.worker, window, window.tr("Creating demo data…"),
                      lambda progress, _cancelled: generate_demo(window.ctx, cases=cases, progress=progress),
                      lambda _report: window.changed(Change(kinds=frozenset(
                          {"case_file", "subject", "member", "agency", "task_force", "agreement"}))))
