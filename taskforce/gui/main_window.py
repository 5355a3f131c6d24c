"""The main window: sections on the left, the section's list, a preview of the selected row."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QMainWindow, QMessageBox, QPushButton, QSplitter, QStackedWidget, QTextBrowser, QVBoxLayout,
    QWidget,
)

from taskforce import __version__
from taskforce.gui.icons import icon
from taskforce.gui.list_page import ListPage
from taskforce.gui.progress import run_with_progress
from taskforce.gui.record_window import RecordWindow
from taskforce.gui.records.base import edit_with, run_change
from taskforce.gui.records.registry import BY_ENTITY, BY_LIST
from taskforce.gui.search_panel import SearchPanel
from taskforce.gui.worker import Worker
from taskforce.services import lists, stats
from taskforce.services.context import Actor, Change, Context
from taskforce.settings import load_settings, save_settings

SECTIONS = [(spec, title) for spec, title in zip(
    lists.ALL_LISTS, ("Cases", "Subjects", "Members", "Agencies", "Task forces", "Agreements"))]
# the stats key counting each section's records
COUNT_KEYS = {"cases": "cases", "subjects": "subjects", "members": "members", "agencies": "agencies",
              "task_forces": "task_forces", "agreements": "agreements"}


class MainWindow(QMainWindow):
    def __init__(self, ctx: Context, worker: Worker | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.worker = worker or Worker(self)
        self.windows: list[RecordWindow] = []
        self.setWindowTitle(f"Taskforce — {ctx.db.path.name}")

        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setMaximumWidth(220)
        self.stack = QStackedWidget()
        self.pages: dict[str, ListPage] = {}
        for n, (spec, title) in enumerate(SECTIONS, start=1):
            page = ListPage(ctx, spec, self.worker, self)
            page.activated.connect(lambda rid, s=spec: self.open_record(BY_LIST[s.name].entity, rid))
            page.current_changed.connect(self._preview_later)
            self.pages[spec.name] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(icon(spec.name), title)
            item.setData(Qt.ItemDataRole.UserRole, spec.name)
            self.sidebar.addItem(item)
        self.search_panel = SearchPanel(ctx, self.worker, self)
        self.search_panel.open_hit.connect(self.open_record)
        self.search_panel.results.currentItemChanged.connect(self._preview_later)
        self.stack.addWidget(self.search_panel)
        search_item = QListWidgetItem(icon("search"), "Search results")
        search_item.setData(Qt.ItemDataRole.UserRole, "search")
        self.sidebar.addItem(search_item)
        self.sidebar.currentRowChanged.connect(self._section_changed)

        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Preview")
        self.preview_open = QPushButton(icon("open"), self.tr("Open"))
        self.preview_open.clicked.connect(self.open_selected)
        self.preview_edit = QPushButton(icon("edit"), self.tr("Edit…"))
        self.preview_edit.clicked.connect(self.edit_selected)
        preview_box = QWidget()
        pv = QVBoxLayout(preview_box)
        pv.setContentsMargins(4, 4, 4, 4)
        pv.addWidget(self.preview, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_open)
        buttons.addWidget(self.preview_edit)
        pv.addLayout(buttons)
        self._preview_timer = QTimer(self, singleShot=True, interval=120)
        self._preview_timer.timeout.connect(self._preview_now)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(preview_box)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([180, 760, 300])
        self.setCentralWidget(self.splitter)

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("Search cases, subjects, notes (Ctrl+F)"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search")
        self.search_box.setMaximumWidth(360)
        self.search_box.textChanged.connect(self._search_typed)
        self.search_box.returnPressed.connect(self._search_enter)
        self._build_menus()
        self._build_status_bar()
        self._restore_geometry()
        self.sidebar.setCurrentRow(0)
        self.refresh_counts()

    # -- menus -----------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None, icon_name: str | None = None) -> QAction:  # noqa: ANN001
        action = menu.addAction(icon(icon_name) if icon_name else QAction().icon(), self.tr(text))
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
        self._action(file, "Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu(self.tr("&Edit"))
        self.new_action = self._action(edit, "New…", self.new_record, QKeySequence.StandardKey.New, "new")
        self.open_action = self._action(edit, "Open", self.open_selected, None, "open")
        self.edit_action = self._action(edit, "Edit…", self.edit_selected, "Ctrl+E", "edit")
        self.delete_action = self._action(edit, "Delete…", self.delete_selected, QKeySequence.StandardKey.Delete, "delete")
        edit.addSeparator()
        self._action(edit, "Find…", self.focus_search, QKeySequence.StandardKey.Find, "search")
        view = bar.addMenu(self.tr("&View"))
        for n, (_spec, title) in enumerate(SECTIONS, start=1):
            action = view.addAction(title)
            action.setShortcut(QKeySequence(f"Ctrl+{n}"))
            action.triggered.connect(lambda *_a, r=n - 1: self.sidebar.setCurrentRow(r))
        self._action(view, "Refresh", self.refresh_all, QKeySequence.StandardKey.Refresh, "refresh")
        records = bar.addMenu(self.tr("&Records"))
        self._action(records, "Import agencies (FBI CDE CSV)…", self.import_agencies, None, "import")
        bar.addMenu(self.tr("Re&ports")).addAction(self.tr("Printed briefings arrive with the reports release")).setEnabled(False)
        help_menu = bar.addMenu(self.tr("&Help"))
        self._action(help_menu, "About Taskforce", self.about, QKeySequence.StandardKey.HelpContents, "help")
        bar.setCornerWidget(self.search_box)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self.stack, activated=self.open_selected,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _build_status_bar(self) -> None:
        self.db_label = QLabel(str(self.ctx.db.path))
        self.db_label.setToolTip(self.tr("The database file: back it up by copying it while the app is closed"))
        self.user_label = QLabel()
        self.busy_label = QLabel()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.user_label)
        self.worker.busy_changed.connect(lambda busy: self.busy_label.setText(self.tr("working…") if busy else ""))
        self._show_user()

    def _show_user(self) -> None:
        self.user_label.setText(self.tr(f"user: {self.ctx.actor.app_user}"))

    # -- sections, preview -----------------------------------------------------------------
    def current_page(self) -> ListPage | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, ListPage) else None

    def _section_changed(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        page = self.current_page()
        if page is not None:
            page.ensure_loaded()
            self.new_action.setText(self.tr(f"New {BY_LIST[page.spec.name].noun}…"))
            page.view.setFocus()
        self._preview_later()

    def _preview_later(self, *_args) -> None:  # noqa: ANN002
        self._preview_timer.start()

    def _selected(self) -> tuple[str, int] | None:
        """(entity, id) of the row selected in the current list or search results."""
        if self.stack.currentWidget() is self.search_panel:
            item = self.search_panel.results.currentItem()
            return item.data(Qt.ItemDataRole.UserRole) if item else None
        page = self.current_page()
        record_id = page.selected_id() if page else None
        return (BY_LIST[page.spec.name].entity, record_id) if record_id is not None else None

    def _preview_now(self) -> None:
        selected = self._selected()
        for w in (self.preview_open, self.preview_edit):
            w.setEnabled(selected is not None)
        if selected is None:
            self.preview.setHtml(f"<p style='color:gray'>{self.tr('Select a row to see it here. Enter opens it.')}</p>")
            return
        entity, record_id = selected
        kind = BY_ENTITY[entity]
        self.worker.submit(lambda: kind.load(self.ctx, record_id),
                           lambda detail: self.preview.setHtml(kind.overview(detail)),
                           lambda exc: self.preview.setHtml(""))

    # -- record actions --------------------------------------------------------------------
    def open_record(self, entity: str, record_id: int) -> RecordWindow:
        for window in self.windows:
            if (window.kind.entity, window.record_id) == (entity, record_id):
                window.raise_()
                window.activateWindow()
                return window
        window = RecordWindow(self, BY_ENTITY[entity], record_id, self)
        window.destroyed.connect(lambda *_: self.windows.remove(window) if window in self.windows else None)
        self.windows.append(window)
        window.show()
        return window

    def open_selected(self) -> None:
        if (selected := self._selected()) is not None:
            self.open_record(*selected)

    def new_record(self):  # noqa: ANN201 - the form, so callers (and tests) can fill it
        page = self.current_page() or self.pages["cases"]
        return edit_with(self, BY_LIST[page.spec.name].editor(self, self, None))

    def edit_selected(self) -> None:
        if (selected := self._selected()) is None:
            return
        entity, rid = selected
        kind = BY_ENTITY[entity]
        self.worker.submit(lambda: kind.load(self.ctx, rid), lambda d: edit_with(self, kind.editor(self, self, d)))

    def delete_selected(self) -> None:
        page = self.current_page()
        if page is None or (rid := page.selected_id()) is None:
            return
        kind = BY_LIST[page.spec.name]
        label = page.model.data(page.view.currentIndex().siblingAtColumn(0))
        run_change(self, self, lambda: kind.delete(self.ctx, rid),
                   self.tr(f"Delete {kind.noun} “{label}”? This cannot be undone; its history is kept."))

    def changed(self, change: Change) -> None:
        """Refresh only what shows the kinds of record the change touched."""
        for page in self.pages.values():
            if page.wants(change) and page.model.active:
                page.refresh()
        for window in list(self.windows):
            window.refresh_if(change)
        self._preview_later()
        self.refresh_counts()
        if change.kinds & {"task_force", "agreement"}:
            for page in self.pages.values():
                if page.model.active:
                    page.load_filter_options()

    def refresh_counts(self) -> None:
        self.worker.submit(lambda: stats.stats(self.ctx), self._show_counts)

    def _show_counts(self, counts: dict[str, int]) -> None:
        for row, (spec, title) in enumerate(SECTIONS):
            self.sidebar.item(row).setText(f"{title}  ({counts[COUNT_KEYS[spec.name]]:,})")
        self.counts = counts

    def refresh_all(self) -> None:
        self.changed(Change(kinds=frozenset(s.entity for s, _t in SECTIONS)))

    # -- search ----------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _search_typed(self, text: str) -> None:
        if text.strip():
            self.sidebar.setCurrentRow(self.stack.indexOf(self.search_panel))
        self.search_panel.search(text)

    def _search_enter(self) -> None:
        self.search_panel.results.setFocus()

    # -- file and settings -----------------------------------------------------------------
    def ask_user_name(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Your user name"),
                                        self.tr("Name written into the history of every change:"),
                                        text=self.ctx.actor.app_user)
        if ok and name.strip():
            settings = load_settings()
            settings.user_name = name.strip()
            save_settings(settings)
            self.ctx.actor = Actor.current(name.strip())
            self._show_user()

    def show_database_path(self) -> None:
        QMessageBox.information(self, self.tr("Database file"), self.tr(
            f"{self.ctx.db.path}\n\nBack it up by copying this file while Taskforce is closed."))

    def import_agencies(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import agencies"), str(Path.home()),
                                              self.tr("CSV files (*.csv);;All files (*)"))
        if not path:
            return
        from taskforce.services.agency_import import import_agencies_csv

        def done(report) -> None:  # noqa: ANN001
            self.changed(Change(kinds=frozenset({"agency"})))
            lines = "\n".join(f"line {r.line}: {r.reason}" for r in report.rejected[:30])
            more = f"\n… and {len(report.rejected) - 30} more" if len(report.rejected) > 30 else ""
            QMessageBox.information(self, self.tr("Import finished"),
                                    report.summary() + (f"\n\nRejected rows:\n{lines}{more}" if lines else ""))

        run_with_progress(self.worker, self, self.tr("Importing agencies…"),
                          lambda progress, cancelled: import_agencies_csv(
                              self.ctx, Path(path), progress=progress, cancelled=cancelled), done)

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About Taskforce"), self.tr(
            f"Taskforce {__version__}\nCase management for joint task forces.\n"
            "Works entirely offline; nothing leaves this computer.\n\n"
            "Shortcuts: Ctrl+N new · Ctrl+F search · Enter open · Ctrl+E edit · Delete delete · "
            "Ctrl+1…6 sections · F5 refresh"))

    # -- geometry --------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 780)
        splitter = settings.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        for page in self.pages.values():
            page.save_layout()
        for window in list(self.windows):
            window.close()
        self.worker.wait()
        super().closeEvent(event)
