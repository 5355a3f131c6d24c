"""Everything the main window shows once its database is open: the section lists, search,
the preview, record windows, and the actions on records.

Kept apart from ``main_window`` so the window frame can appear before SQLAlchemy and the
services are even imported (start-up does nothing it can postpone).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QFileDialog

from taskforce.gui.attention_page import AttentionPage
from taskforce.gui.list_page import ListPage
from taskforce.gui.messages import tell
from taskforce.gui.progress import run_with_progress
from taskforce.gui.record_window import RecordWindow
from taskforce.gui.records.base import edit_with, run_change
from taskforce.gui.records.registry import BY_ENTITY, BY_LIST
from taskforce.gui.search_panel import SearchPanel
from taskforce.services import lists, stats
from taskforce.services.context import Change, Context
from taskforce.services.assistance import ASSISTANCE
from taskforce.services.debriefs import DEBRIEFS
from taskforce.services.details import DETAILS
from taskforce.services.feedback import SUPPORT
from taskforce.services.referrals import REFERRALS
from taskforce.services.roster import DESIGNATIONS
from taskforce.services.working_group import ACTION_ITEMS, MEETINGS

if TYPE_CHECKING:
    from taskforce.gui.main_window import MainWindow

# the stats key counting each section's records
COUNT_KEYS = {"cases": "cases", "subjects": "subjects", "members": "members", "agencies": "agencies",
              "task_forces": "task_forces", "agreements": "agreements"}
LIST_OF_SECTION = {spec.name: spec for spec in (*lists.ALL_LISTS, SUPPORT, DEBRIEFS, REFERRALS, ASSISTANCE,
                                                DESIGNATIONS, ACTION_ITEMS, MEETINGS, DETAILS)}


class Workspace(QObject):
    """The open database as the window shows it; records see it as their ``Shell``."""

    def __init__(self, window: MainWindow, ctx: Context) -> None:
        super().__init__(window)
        self.window, self.ctx, self.worker = window, ctx, window.worker
        self.windows: list[RecordWindow] = []
        self.pages: dict[str, ListPage] = {}
        self.counts: dict[str, int] = {}
        self.attention = AttentionPage(ctx, self.worker, window)
        self.attention.open_record.connect(self.open_record)
        self.attention.tree.currentItemChanged.connect(self.preview_later)
        self.attention.loaded.connect(lambda total: self._set_count("attention", total))
        for name, _title in window.SECTIONS:
            if name == "attention":
                window.stack.addWidget(self.attention)
                continue
            page = ListPage(ctx, LIST_OF_SECTION[name], self.worker, window)
            page.activated.connect(lambda rid, n=name: self.open_record(BY_LIST[n].entity, rid))
            page.current_changed.connect(self.preview_later)
            self.pages[name] = page
            window.stack.addWidget(page)  # stack index = sidebar row + 1 (0 is "Opening…")
        self.pages["agencies"].add_button("Import…", lambda: self.import_agencies())
        self.search_panel = SearchPanel(ctx, self.worker, window)
        self.search_panel.open_hit.connect(self.open_record)
        self.search_panel.results.currentItemChanged.connect(self.preview_later)
        window.stack.addWidget(self.search_panel)
        self._preview_timer = QTimer(self, singleShot=True, interval=120)
        self._preview_timer.timeout.connect(self._preview_now)
        self.refresh_counts()

    # -- sections and preview --------------------------------------------------------------
    def current_page(self) -> ListPage | None:
        widget = self.window.stack.currentWidget()
        return widget if isinstance(widget, ListPage) else None

    def section_shown(self) -> None:
        if self.window.stack.currentWidget() is self.attention:
            self.attention.ensure_loaded()
            self.attention.tree.setFocus()
        page = self.current_page()
        if page is not None:
            page.ensure_loaded()
            self.window.new_action.setText(self.tr(f"New {BY_LIST[page.spec.name].noun}…"))
            page.view.setFocus()
        self.preview_later()

    def preview_later(self, *_args) -> None:  # noqa: ANN002
        self._preview_timer.start()

    def selected(self) -> tuple[str, int] | None:
        """(entity, id) of the row selected in the current list or in the search results."""
        if self.window.stack.currentWidget() is self.search_panel:
            item = self.search_panel.results.currentItem()
            return item.data(Qt.ItemDataRole.UserRole) if item else None
        if self.window.stack.currentWidget() is self.attention:
            return self.attention.selected()
        page = self.current_page()
        record_id = page.selected_id() if page else None
        return (BY_LIST[page.spec.name].entity, record_id) if record_id is not None else None

    def _preview_now(self) -> None:
        selected = self.selected()
        self.window.show_preview(None, selected is not None)
        if selected is None:
            return
        entity, record_id = selected
        kind = BY_ENTITY[entity]
        self.worker.submit(lambda: kind.load(self.ctx, record_id),
                           lambda detail: self.window.show_preview(kind.overview(detail), True),
                           lambda _exc: self.window.show_preview("", False))

    def refresh_counts(self) -> None:
        self.worker.submit(lambda: stats.stats(self.ctx), self._show_counts)

    def _show_counts(self, counts: dict[str, int]) -> None:
        for name, key in COUNT_KEYS.items():
            self._set_count(name, counts[key])

    def _set_count(self, name: str, count: int) -> None:
        self.counts[name] = count
        for row, (section, title) in enumerate(self.window.SECTIONS):
            if section == name:
                self.window.sidebar.item(row).setText(f"{title}  ({count:,})")

    # -- records ---------------------------------------------------------------------------
    def open_record(self, entity: str, record_id: int) -> RecordWindow:
        for window in self.windows:
            if (window.kind.entity, window.record_id) == (entity, record_id):
                window.raise_()
                window.activateWindow()
                return window
        window = RecordWindow(self, BY_ENTITY[entity], record_id, self.window)
        window.destroyed.connect(lambda *_: self.windows.remove(window) if window in self.windows else None)
        self.windows.append(window)
        window.show()
        return window

    def open_selected(self) -> None:
        if (selected := self.selected()) is not None:
            self.open_record(*selected)

    def new_record(self):  # noqa: ANN201 - the form, so callers (and tests) can fill it
        page = self.current_page() or self.pages["cases"]
        return edit_with(self, BY_LIST[page.spec.name].editor(self, self.window, None))

    def edit_selected(self) -> None:
        if (selected := self.selected()) is None:
            return
        entity, record_id = selected
        kind = BY_ENTITY[entity]
        self.worker.submit(lambda: kind.load(self.ctx, record_id),
                           lambda detail: edit_with(self, kind.editor(self, self.window, detail)))

    def delete_selected(self) -> None:
        if (selected := self.selected()) is None:
            return
        entity, record_id = selected
        kind = BY_ENTITY[entity]

        def confirm_and_delete(detail) -> None:  # noqa: ANN001
            run_change(self, self.window, lambda: kind.delete(self.ctx, record_id), self.tr(
                f"Delete {kind.noun} “{kind.title(detail)}”? This cannot be undone; its history is kept."))
        self.worker.submit(lambda: kind.load(self.ctx, record_id), confirm_and_delete)

    def changed(self, change: Change) -> None:
        """Refresh only what shows the kinds of record the change touched."""
        for page in self.pages.values():
            if page.wants(change) and page.model.active:
                page.refresh()
        if self.attention.active and self.attention.wants(change):
            self.attention.refresh()
        for window in list(self.windows):
            window.refresh_if(change)
        self.preview_later()
        self.refresh_counts()
        if change.kinds & {"task_force", "agreement"}:
            for page in self.pages.values():
                if page.model.active:
                    page.load_filter_options()

    def refresh_all(self) -> None:
        self.changed(Change(kinds=frozenset(spec.entity for spec in lists.ALL_LISTS)))

    def search(self, text: str) -> None:
        if text.strip():
            self.window.show_section("search")
        self.search_panel.search(text)

    def import_agencies(self, path: str | None = None) -> None:
        """Records → Import agencies… (or the Agencies list's Import… button)."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Import agencies"), str(Path.home()),
                                                  self.tr("CSV files (*.csv);;All files (*)"))
        if not path:
            return
        from taskforce.services.agency_import import import_agencies_csv

        def done(report) -> None:  # noqa: ANN001
            self.changed(Change(kinds=frozenset({"agency"})))
            lines = "\n".join(f"line {r.line}: {r.reason}" for r in report.rejected[:30])
            more = f"\n… and {len(report.rejected) - 30} more" if len(report.rejected) > 30 else ""
            tell(self.window, self.tr("Import finished"),
                 report.summary() + (f"\n\nRejected rows:\n{lines}{more}" if lines else ""))

        run_with_progress(self.worker, self.window, self.tr("Importing agencies…"),
                          lambda progress, cancelled: import_agencies_csv(
                              self.ctx, Path(path), progress=progress, cancelled=cancelled), done)

    def import_records(self, kind: str, path: str | None = None) -> None:
        """Records → Import members… / Import cases…: a column-mapping preview, then all or nothing."""
        from taskforce.gui.record_import_dialog import RecordImportDialog

        dialog = RecordImportDialog(self.ctx, self.worker, self.window, kind, path)
        dialog.imported.connect(self.changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def export_list(self, what: str) -> None:
        """File → Export: a list to CSV or XLSX, made inert for spreadsheets, logged like a release."""
        from taskforce.gui.record_import_dialog import export_list

        export_list(self.window, self.ctx, self.worker, what)

    def fill_demo(self, cases: int) -> None:
        from taskforce.services.demo import generate_demo

        run_with_progress(self.worker, self.window, self.tr("Creating demo data…"),
                          lambda progress, _cancelled: generate_demo(self.ctx, cases=cases, progress=progress),
                          lambda _report: self.refresh_all())

    def close_all(self) -> None:
        for page in self.pages.values():
            page.save_layout()
        for window in list(self.windows):
            window.close()

