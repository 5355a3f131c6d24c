"""Start the desktop app: find the database (or offer to create one), show the window at once,
and open the file behind it."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from taskforce import __version__
from taskforce.gui.first_start import Choice, FirstStartDialog
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
    window = start(db_option)
    if window is None:
        return 0
    code = app.exec()
    if window.workspace is not None:
        from taskforce.gui.backup_dialogs import backup_on_close

        backup_on_close(window.ctx)  # the day's automatic copy (never raises)
        window.ctx.db.close()
    return code


def offer_put_back(path, parent=None) -> bool:  # noqa: ANN001 - a Path, a QWidget
    """No database at ``path``, but a file an interrupted restore, encrypt or decrypt kept aside
    (the services find it): "Restore interrupted: put back …?" True when it was put back."""
    from PySide6.QtWidgets import QMessageBox

    from taskforce.domain.errors import TaskforceError
    from taskforce.i18n import tr
    from taskforce.services import backup as B

    interrupted = B.interrupted_swap(path)
    if interrupted is None:
        return False
    box = QMessageBox(QMessageBox.Icon.Question, tr("Restore interrupted"), tr(
        "Restore interrupted: put back {aside} as {name}?").format(aside=interrupted.aside.name, name=path.name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setInformativeText(tr("There is no database at {path}, and {aside} is the file kept aside when it "
                              "was being replaced. Otherwise move it away before making a new "
                              "database.").format(path=path, aside=interrupted.aside.name))
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    if box.exec() != QMessageBox.StandardButton.Yes:
        return False
    try:
        from taskforce.settings import load_settings

        B.put_back(path, user=load_settings().user_name or None)
    except TaskforceError as exc:
        QMessageBox.warning(parent, tr("Restore interrupted"), str(exc))
        return False
    return True


def start(db_option: str | None):  # noqa: ANN201 - the shown MainWindow, or None if the user quit
    """Everything up to the shown main window: first-start choice, then open or create on the worker."""
    from taskforce.gui.main_window import MainWindow

    path = resolve_db_path(db_option)
    demo_cases = 0
    if not path.exists() and not offer_put_back(path):
        first = FirstStartDialog(path)
        if not first.exec() or first.choice is None:
            return None
        path = first.path
        if first.choice is Choice.DEMO:
            demo_cases = first.demo_cases.value()
    window = MainWindow(db_path=path)
    window.show()
    if demo_cases:
        # Once, into the new file: ``opened`` fires again at every reopen (after encrypting,
        # restoring), and a second run would add the demo cases again to the user's file.
        window.opened.connect(lambda: window.workspace.fill_demo(demo_cases),
                              Qt.ConnectionType.SingleShotConnection)
    from taskforce.settings import load_settings
    from taskforce.store.cipher import is_encrypted  # reads 16 bytes; no database code

    notice = load_settings().use_notice
    if notice.strip() and not is_encrypted(path):  # an encrypted file shows it in its unlock dialog
        from taskforce.gui.unlock_dialog import ask_use_notice

        ask_use_notice(window, notice, lambda: window.open_database(create=True), window.close)
    else:
        window.open_database(create=True)
    return window
