"""The main window frame: sections on the left, the section's list, a preview of the selected row.

The frame is light on purpose: it shows at once, then opens the database on the worker and
attaches a ``Workspace`` (lists, search, record actions), so the first frame never waits for
SQLAlchemy, the migrations check or a query.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMainWindow, QPushButton,
    QSplitter, QStackedWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from taskforce import __version__
from taskforce.gui.icons import icon
from taskforce.gui.messages import error_text
from taskforce.gui.worker import Worker
from taskforce.services.context import Actor, Context
from taskforce.settings import load_settings, save_user_name, user_name_problem

if TYPE_CHECKING:
    from taskforce.gui.workspace import Workspace

EMPTY_PREVIEW = "<p style='color:gray'>Select a row to see it here. Enter opens it.</p>"


class MainWindow(QMainWindow):
    # the sidebar, in order; "attention" is the home screen, selected on start
    SECTIONS = (("attention", "Needs attention"), ("cases", "Cases"), ("subjects", "Subjects"),
                ("members", "Members"), ("agencies", "Agencies"), ("task_forces", "Task forces"),
                ("agreements", "Agreements"), ("designations", "Roster"),
                ("support", "Support & feedback"), ("debriefs", "Debriefs"),
                ("referrals", "Referrals"), ("assistance", "Assistance requests"),
                ("action_items", "Action items"), ("meetings", "Meetings"), ("details", "Details"))
    opened = Signal()  # the database is open and the workspace attached
    open_failed = Signal(str)

    def __init__(self, ctx: Context | None = None, *, db_path: Path | None = None,
                 worker: Worker | None = None) -> None:
        super().__init__()
        self.worker = worker or Worker(self)
        self.workspace: Workspace | None = None
        self.ctx: Context | None = None
        self._painted = False
        self._open_after_paint: bool | None = None
        self.db_path = Path(ctx.db.path if ctx else db_path)
        self.setWindowTitle(f"Taskforce — {self.db_path.name}")

        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setMaximumWidth(220)
        self.sidebar.setMinimumWidth(170)  # never squeezed to a scroll bar by a dialog shown at start
        self.stack = QStackedWidget()
        self.opening_label = QLabel(self.tr("Opening the database…"))
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.opening_label)
        for name, title in self.SECTIONS:
            item = QListWidgetItem(icon(name), self.tr(title))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.sidebar.addItem(item)
        search_item = QListWidgetItem(icon("search"), self.tr("Search results"))
        search_item.setData(Qt.ItemDataRole.UserRole, "search")
        self.sidebar.addItem(search_item)
        self.sidebar.currentRowChanged.connect(self._section_changed)

        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Preview")
        self.preview_open = QPushButton(icon("open"), self.tr("Open"))
        self.preview_open.clicked.connect(lambda: self._ws("open_selected"))
        self.preview_edit = QPushButton(icon("edit"), self.tr("Edit…"))
        self.preview_edit.clicked.connect(lambda: self._ws("edit_selected"))
        preview_box = QWidget()
        pv = QVBoxLayout(preview_box)
        pv.setContentsMargins(4, 4, 4, 4)
        pv.addWidget(self.preview, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_open)
        buttons.addWidget(self.preview_edit)
        pv.addLayout(buttons)
        self.show_preview(None, False)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(preview_box)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([180, 760, 300])
        from taskforce.gui.audit_banner import AuditBanner

        self.audit_banner = AuditBanner()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.audit_banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("Search cases, subjects, notes (Ctrl+F)"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search")
        self.search_box.setMinimumWidth(280)
        self.search_box.textChanged.connect(lambda text: self._ws("search", text))
        self.search_box.returnPressed.connect(lambda: self.workspace and self.workspace.search_panel.results.setFocus())
        self._build_menus()
        self._build_status_bar()
        self._restore_geometry()
        if ctx is not None:
            self.attach(ctx)

    # -- the database ----------------------------------------------------------------------
    def open_database(self, create: bool = True, passphrase: str | None = None) -> None:
        """Open (or create) the file on the worker once the frame is painted, then attach the
        workspace. Waiting for the first paint keeps the worker's imports (SQLAlchemy holds the
        GIL for ~0.3 s) from slowing the first frame.

        ``passphrase``: the encrypted file's, known already (it was just encrypted or restored
        with it in this window): opened without asking for it again. A wrong one still asks."""
        if self.isVisible() and not self._painted:
            self._open_after_paint = (create, passphrase)
            self.sidebar.viewport().installEventFilter(self)
            return
        path = self.db_path

        def job(read_only: bool = False, passphrase: str | None = passphrase) -> Context:
            from taskforce.store.database import Database  # SQLAlchemy loads here, off-screen

            from taskforce.services.audit import record_event

            actor = Actor.current(load_settings().user_name)
            ctx = Context(db=Database.open(path, create=create, read_only=read_only, passphrase=passphrase,
                                           user=actor.app_user), actor=actor)
            record_event(ctx, "open")  # opening is audited too (a read-only copy cannot write: skipped)
            return ctx

        def failed(exc: BaseException, read_only: bool = False) -> None:
            from PySide6.QtWidgets import QMessageBox

            from taskforce.gui.in_use_dialog import offer_read_only
            from taskforce.gui.unlock_dialog import offer_unlock

            # an encrypted file: the use notice (if any), then the passphrase
            if offer_unlock(self, exc, path, self.worker, lambda p: job(read_only, p), self.attach,
                            on_cancel=self.close, on_error=lambda e: failed(e, read_only)):
                self.opening_label.setText(self.tr("The database is encrypted: enter its passphrase."))
                return
            # another copy holds the file: say who, and offer to open it read-only
            if offer_read_only(self, exc, lambda: self.worker.submit(lambda: job(read_only=True), self.attach,
                                                                     lambda e: failed(e, True)),
                               on_cancel=self.close):
                self.opening_label.setText(str(exc))
                return
            reason = error_text(exc)
            self.opening_label.setText(self.tr("Cannot open {path}:\n{error}").format(path=path, error=reason))
            self.open_failed.emit(reason)
            QMessageBox.critical(self, "Taskforce", reason)

        self.worker.submit(job, self.attach, failed)

    def attach(self, ctx: Context) -> None:
        from taskforce.gui.workspace import Workspace

        self.ctx = ctx
        self.workspace = Workspace(self, ctx)
        self._show_user()
        self.audit_banner.check(ctx)  # on its own thread; the banner shows only if it fails
        if getattr(self, "idle_lock", None) is None:  # locks after the idle time set in the settings
            from taskforce.gui.idle_lock import install_idle_lock

            self.idle_lock = install_idle_lock(self, lambda: self.ctx, self.worker)
        self.encryption_action.setText(self._encryption_text())
        self._show_encryption()
        db = ctx.db
        if db.read_only:
            from taskforce.gui.in_use_dialog import read_only_label

            self.read_only_label = read_only_label(db)
            self.statusBar().addPermanentWidget(self.read_only_label)
        if db.backup_path:
            self.statusBar().showMessage(self.tr(
                "Database upgraded from schema {revision}; the old file was kept as {name}").format(
                revision=db.upgraded_from, name=db.backup_path.name), 15000)
        self.sidebar.setCurrentRow(max(self.sidebar.currentRow(), 0))
        self._section_changed(self.sidebar.currentRow())
        self.opened.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            watched.removeEventFilter(self)
            if self._open_after_paint is not None:
                QTimer.singleShot(0, lambda: self.open_database(*self._open_after_paint))
        return super().eventFilter(watched, event)

    def _ws(self, method: str, *args):  # noqa: ANN202
        """Forward an action to the workspace; before the database is open there is nothing to act on."""
        if self.workspace is not None:
            return getattr(self.workspace, method)(*args)
        return None

    # conveniences the tests and record windows use
    @property
    def pages(self):  # noqa: ANN201
        return self.workspace.pages

    @property
    def windows(self):  # noqa: ANN201
        return self.workspace.windows

    @property
    def search_panel(self):  # noqa: ANN201
        return self.workspace.search_panel

    def open_record(self, entity: str, record_id: int):  # noqa: ANN201
        return self._ws("open_record", entity, record_id)

    def new_record(self):  # noqa: ANN201
        return self._ws("new_record")

    def open_selected(self) -> None:
        self._ws("open_selected")

    def current_page(self):  # noqa: ANN201
        return self._ws("current_page")

    # -- backups ---------------------------------------------------------------------------
    def back_up(self) -> None:
        """File → Back up…: a consistent copy while the app runs, optionally encrypted."""
        if self.ctx is None or self.workspace is None:
            return
        from taskforce.gui.backup_dialogs import open_backup_dialog

        return open_backup_dialog(self, self.worker, self.ctx)

    def restore(self, path: str | None = None):  # noqa: ANN201
        """File → Restore…: check the backup, keep the current file aside, put it in place, reopen."""
        from taskforce.gui.messages import tell

        if self.ctx is None or self.workspace is None:
            return None
        if self.ctx.db.read_only:
            tell(self, self.tr("Restore"), self.tr(
                "This file is open read-only because another copy of Taskforce has it; restore from "
                "that copy, or when it is closed."), warning=True)
            return None
        from taskforce.gui.backup_dialogs import open_restore_dialog

        # an encrypted restored file opens with the passphrase typed in the dialog seconds ago
        return open_restore_dialog(self, self.worker, self.ctx, detach=self.detach,
                                   reopen=lambda _result, passphrase=None: self.open_database(
                                       create=False, passphrase=passphrase), path=path)

    def _encryption_text(self) -> str:
        from taskforce.gui.encryption_dialog import encryption_action_text

        return encryption_action_text(self.ctx)

    def change_encryption(self):  # noqa: ANN201
        """File → Encrypt this database… / Remove encryption…; the file is reopened after."""
        if self.ctx is None or self.workspace is None or self.ctx.db.read_only:
            return None
        from taskforce.gui.encryption_dialog import open_encryption_dialog

        def reopen(_result) -> None:  # noqa: ANN001
            # The converted file opens through the one way to open a file (lock, audit of the
            # opening) with the key it was just converted with: the passphrase typed seconds
            # ago is not asked again. (None after removing the encryption.)
            key = self.ctx.db.key if self.ctx is not None else None
            self.detach()
            if self.ctx is not None:  # give up the writer lock, or the reopen finds the file in use
                self.ctx.db.close()
            self.opening_label.setText(self.tr("Opening the converted database…"))
            self.open_database(create=False, passphrase=key.passphrase if key is not None else None)

        return open_encryption_dialog(self, self.worker, self.ctx, on_done=reopen)

    def detach(self) -> None:
        """Stop using the open file: close record windows, drop the workspace's pages, show
        "Opening…". Nothing of the old workspace may queue database work after this."""
        if self.workspace is not None:
            self.workspace.close_all()
        while self.stack.count() > 1:
            widget = self.stack.widget(1)
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.workspace = None
        self.encrypted_label.hide()  # said again by the file that is opened next
        self.stack.setCurrentIndex(0)
        self.opening_label.setText(self.tr("Restoring the backup…"))

    # -- menus -----------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None, icon_name: str | None = None) -> QAction:  # noqa: ANN001
        action = menu.addAction(self.tr(text))
        if icon_name:
            action.setIcon(icon(icon_name))
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu(self.tr("&File"))
        self._action(file, "Set your user name…", self.ask_user_name)
        self._action(file, "Show database file location", self.show_database_path)
        file.addSeparator()
        self.backup_action = self._action(file, "Back up…", self.back_up)
        self.restore_action = self._action(file, "Restore from a backup…", self.restore)
        self.encryption_action = self._action(file, "Encrypt this database…", self.change_encryption)
        file.addSeparator()
        export = file.addMenu(self.tr("Export"))
        for what, label in (("cases", "Cases…"), ("subjects", "Subjects…"), ("members", "Members…"),
                            ("agencies", "Agencies…")):
            self._action(export, label, lambda _=False, w=what: self._ws("export_list", w))
        file.addSeparator()
        self._action(file, "Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu(self.tr("&Edit"))
        self.new_action = self._action(edit, "New…", lambda: self._ws("new_record"), QKeySequence.StandardKey.New, "new")
        self.open_action = self._action(edit, "Open", lambda: self._ws("open_selected"), None, "open")
        self.edit_action = self._action(edit, "Edit…", lambda: self._ws("edit_selected"), "Ctrl+E", "edit")
        self.delete_action = self._action(edit, "Delete…", lambda: self._ws("delete_selected"),
                                          QKeySequence.StandardKey.Delete, "delete")
        edit.addSeparator()
        self._action(edit, "Find…", self.focus_search, QKeySequence.StandardKey.Find, "search")
        view = bar.addMenu(self.tr("&View"))
        for n, (_name, title) in enumerate(self.SECTIONS, start=1):
            self._action(view, title, lambda *_a, r=n - 1: self.sidebar.setCurrentRow(r),
                         f"Ctrl+{n}" if n <= 9 else None)
        self._action(view, "Refresh", lambda: self._ws("refresh_all"), QKeySequence.StandardKey.Refresh, "refresh")
        records = bar.addMenu(self.tr("&Records"))
        self._action(records, "Import agencies (FBI CDE CSV)…", lambda: self._ws("import_agencies"), None, "import")
        self._action(records, "Import members (CSV, XLSX)…", lambda: self._ws("import_records", "members"), None, "import")
        self._action(records, "Import cases (CSV, XLSX)…", lambda: self._ws("import_records", "cases"), None, "import")
        self.reports_menu = reports = bar.addMenu(self.tr("Re&ports"))
        for key, label in (("case-briefing", "Case briefing…"), ("package", "Task-force package…"),
                           ("roster", "Roster…"), ("feedback", "Feedback status…"),
                           ("debriefs", "Debrief participation…"), ("action-items", "Working group items…")):
            self._action(reports, label, lambda *_a, k=key: self.open_report(k))
        reports.addSeparator()
        self._action(reports, "Release log…", self.open_release_log)
        self._action(reports, "Print settings…", self.open_print_settings)
        help_menu = bar.addMenu(self.tr("&Help"))
        self._action(help_menu, "About Taskforce", self.about, QKeySequence.StandardKey.HelpContents, "help")
        bar.setCornerWidget(self.search_box)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self.stack, activated=lambda: self._ws("open_selected"),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _build_status_bar(self) -> None:
        self.db_label = QLabel(str(self.db_path))
        self.db_label.setToolTip(self.tr("The database file: File → Back up… makes a consistent copy at any time; one is also kept each day on close"))
        self.user_label = QLabel()
        self.busy_label = QLabel()
        self.encrypted_label = QLabel(self.tr("Encrypted"))
        self.encrypted_label.setAccessibleName("Encryption")
        # a framed badge, so it does not read as one phrase with the user name beside it
        self.encrypted_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.encrypted_label.setContentsMargins(6, 0, 6, 0)
        self.encrypted_label.hide()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.encrypted_label)
        self.statusBar().addPermanentWidget(self.user_label)
        self.worker.busy_changed.connect(lambda busy: self.busy_label.setText(self.tr("working…") if busy else ""))

    def _show_user(self) -> None:
        self.user_label.setText(self.tr("user: {name}").format(name=self.ctx.actor.app_user))

    def _show_encryption(self) -> None:
        """"Encrypted" in the status bar while the open file is (a plain file says nothing)."""
        encrypted = self.ctx is not None and self.ctx.db.encrypted
        self.encrypted_label.setVisible(encrypted)
        if encrypted:
            self.encrypted_label.setToolTip(self.tr(
                "{name} is encrypted (SQLCipher, AES-256): it opens only with its passphrase. "
                "File → Remove encryption… makes it plain again.").format(name=self.db_path.name))

    # -- sections, preview -----------------------------------------------------------------
    def _section_changed(self, row: int) -> None:
        if self.workspace is None:
            return
        self.stack.setCurrentIndex(row + 1)  # 0 is the "Opening…" placeholder
        self.workspace.section_shown()

    def show_section(self, name: str) -> None:
        """Select a sidebar section by its name ("cases", "attention", "search" …)."""
        for row in range(self.sidebar.count()):
            if self.sidebar.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.sidebar.setCurrentRow(row)
                return
        raise KeyError(name)

    def show_preview(self, html: str | None, enabled: bool) -> None:
        self.preview.setHtml(self.tr(EMPTY_PREVIEW) if html is None else html)
        for button in (self.preview_open, self.preview_edit):
            button.setEnabled(enabled)

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    # -- reports (their modules, and ReportLab, load when first used) ----------------------
    def open_report(self, kind: str, for_partner: bool = False):  # noqa: ANN201 - the dialog, for tests
        if self.workspace is None:
            return None
        from taskforce.gui.report_dialog import open_report
        from taskforce.reports.publish import ReportRequest

        return open_report(self.workspace, self, ReportRequest(kind), for_partner)

    def open_release_log(self):  # noqa: ANN201
        if self.workspace is None:
            return None
        from taskforce.gui.release_log import open_release_log

        return open_release_log(self, self.workspace)

    def open_print_settings(self):  # noqa: ANN201
        from taskforce.gui.print_settings import open_print_settings

        return open_print_settings(self)

    # -- settings and help -----------------------------------------------------------------
    def ask_user_name(self) -> None:
        from PySide6.QtWidgets import QInputDialog  # dialogs load when used, not at start-up

        if self.workspace is None:
            return
        name, ok = QInputDialog.getText(self, self.tr("Your user name"),
                                        self.tr("Name written into the history of every change:"),
                                        text=self.ctx.actor.app_user)
        if ok and user_name_problem(name) is None:  # the same rule as at first start
            self.ctx.actor = Actor.current(save_user_name(name))
            self._show_user()

    def show_database_path(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self, self.tr("Database file"), self.tr(
            "{path}\n\nFile → Back up… makes a consistent copy at any time; a copy is also kept "
            "each day when Taskforce closes, in the backups folder next to it.").format(path=self.db_path))

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, self.tr("About Taskforce"), self.tr(
            "Taskforce {version}\nCase management for joint task forces.\n"
            "Works entirely offline; nothing leaves this computer.\n\n"
            "Shortcuts: Ctrl+N new · Ctrl+F search · Enter open · Ctrl+E edit · Delete delete · "
            "Ctrl+1…6 sections · F5 refresh").format(version=__version__))

    # -- geometry --------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            # 1280×780, or the whole screen when it is smaller (1024×700 must fit: UX.md)
            screen = self.screen().availableGeometry() if self.screen() is not None else None
            if screen is None or screen.isEmpty():
                self.resize(1280, 780)
            else:
                self.resize(min(1280, screen.width()), min(780, screen.height()))
        splitter = settings.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        self._ws("close_all")
        self.worker.wait()
        super().closeEvent(event)
