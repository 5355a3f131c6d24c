"""One record in its own window: header, Overview, its owned records in tabs, and History."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QMainWindow, QPushButton,
    QTableWidget, QTableWidgetItem, QTabWidget, QTextBrowser, QToolBar, QVBoxLayout, QWidget,
)

from shiboken6 import isValid

from taskforce.domain.errors import NotFound
from taskforce.gui.icons import icon
from taskforce.gui.messages import error_text, tell
from taskforce.gui.records.base import ChildTab, RecordKind, Shell, edit_with, run_change
from taskforce.services import history
from taskforce.services.context import Change

FLAG_COLOURS = {"overdue": QColor("#fbe0dd"), "warning": QColor("#fff1cc")}


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.horizontalHeader().setStretchLastSection(True)
    table.setSortingEnabled(True)
    return table


class ChildTabWidget(QWidget):
    def __init__(self, tab: ChildTab) -> None:
        super().__init__()
        self.tab = tab
        self.table = _table(tab.headers)
        self.table.setAccessibleName(tab.title)
        self.table.setSortingEnabled(False)
        for r, (row_id, cells) in enumerate(tab.rows):
            self.table.insertRow(r)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row_id)
                if row_id in tab.flags:
                    item.setBackground(QBrush(FLAG_COLOURS[tab.flags[row_id]]))
                self.table.setItem(r, c, item)
        # rows stay in the order given (a timeline oldest first) until a header is clicked
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        buttons = QHBoxLayout()
        for key, label, fn, needs_row in (("add", tab.add_label, tab.add, False),
                                          ("edit", tab.edit_label, tab.edit, True),
                                          ("open", "Open", tab.open, True),
                                          ("remove", tab.remove_label, tab.remove, True)):
            if fn is None:
                continue
            button = QPushButton(self.tr(label))
            button.setObjectName(f"{tab.title}_{key}")
            button.clicked.connect(lambda *_a, f=fn, n=needs_row: self._act(f, n))
            buttons.addWidget(button)
        for label, fn in tab.actions:
            button = QPushButton(self.tr(label))
            button.setObjectName(f"{tab.title}_{label.strip('…').lower()}")
            button.setAccessibleName(label.strip("…"))
            button.clicked.connect(lambda *_a, f=fn: f())
            buttons.addWidget(button)
        buttons.addStretch()
        self.empty = QLabel(self.tr(tab.empty))
        self.empty.setVisible(not tab.rows)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        default = tab.open or tab.edit
        if default:
            self.table.doubleClicked.connect(lambda *_: self._act(default, True))

    def selected_id(self) -> int | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _act(self, fn, needs_row: bool) -> None:  # noqa: ANN001
        if not needs_row:
            fn()
        elif (row_id := self.selected_id()) is not None:
            fn(row_id)


class RecordWindow(QMainWindow):
    loaded = Signal()

    def __init__(self, shell: Shell, kind: RecordKind, record_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell, self.kind, self.record_id = shell, kind, record_id
        self.detail: Any = None
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(kind.noun.capitalize())
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.overview = QTextBrowser()
        self.overview.setOpenLinks(False)
        self.history = _table(["When (UTC)", "Who", "Action", "Record", "Field", "Old", "New"])
        self.history.setWordWrap(False)
        self.history.setAccessibleName("History")
        toolbar = QToolBar()
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.edit_action = toolbar.addAction(icon("edit"), self.tr("Edit…"), self.edit)
        self.edit_action.setShortcut(QKeySequence("Ctrl+E"))
        self.delete_action = toolbar.addAction(icon("delete"), self.tr("Delete…"), self.delete)
        toolbar.addAction(icon("refresh"), self.tr("Refresh"), self.reload).setShortcut(QKeySequence.StandardKey.Refresh)
        # the kind's own actions (a case's Print briefing…), usable once the record has loaded
        self.kind_actions: dict[str, QAction] = {}
        for n, wa in enumerate(kind.window_actions(shell, self)):
            if n == 0:
                toolbar.addSeparator()
            action = toolbar.addAction(self.tr(wa.label),
                                       lambda *_a, run=wa.run: self.detail is not None and run(self.detail))
            action.setEnabled(False)
            if wa.shortcut:
                action.setShortcut(QKeySequence(wa.shortcut))
                action.setToolTip(f"{self.tr(wa.label)} ({wa.shortcut})")
            self.kind_actions[wa.label] = action
        self.addToolBar(toolbar)
        self.setCentralWidget(self.tabs)
        self.resize(880, 620)
        self.reload()

    def reload(self) -> None:
        ctx, kind, record_id = self.shell.ctx, self.kind, self.record_id
        self.shell.worker.submit(lambda: (kind.load(ctx, record_id), kind.load_extras(ctx, record_id),
                                          history.history(ctx, kind.entity, record_id)),
                                 self._show, self._failed)

    def _failed(self, exc: BaseException) -> None:
        if not isValid(self.tabs):
            return
        if isinstance(exc, NotFound):
            self.close()
        else:
            tell(self, self.tr("Cannot show record"), error_text(exc), warning=True)

    def _show(self, result: tuple) -> None:
        if not isValid(self.tabs):  # the window was closed while its record was loading
            return
        detail, extras, rows = result
        self.detail = detail
        current = self.tabs.currentIndex()
        self.setWindowTitle(f"{self.kind.title(detail)} — Taskforce")
        self.overview.setHtml(self.kind.overview(detail))
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if widget is not self.overview and widget is not self.history:
                widget.deleteLater()
        self.tabs.addTab(self.overview, self.tr("Overview"))
        for tab in self.kind.tabs(self.shell, self, detail) + self.kind.extra_tabs(
                self.shell, self, self.record_id, extras):
            # "&" would underline the next letter as a shortcut: "Support && feedback" shows "&"
            self.tabs.addTab(ChildTabWidget(tab), f"{tab.title.replace('&', '&&')} ({len(tab.rows)})")
        self._fill_history(rows)
        self.tabs.addTab(self.history, self.tr("History"))
        self.tabs.setCurrentIndex(max(current, 0))
        for action in self.kind_actions.values():
            action.setEnabled(True)
        self.loaded.emit()

    def _fill_history(self, rows: list[history.HistoryRow]) -> None:
        self.history.setSortingEnabled(False)
        self.history.setRowCount(len(rows))
        for r, h in enumerate(rows):
            for c, text in enumerate((h.at.replace("T", " ").rstrip("Z"), h.who, h.action, h.what,
                                      h.field, h.old, h.new)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.history.setItem(r, c, item)
        self.history.resizeColumnsToContents()
        for c in (5, 6):
            self.history.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            self.history.setColumnWidth(c, 220)

    def child_tab(self, title: str) -> ChildTabWidget:
        for i in range(self.tabs.count()):
            widget = self.tabs.widget(i)
            if isinstance(widget, ChildTabWidget) and widget.tab.title == title:
                return widget
        raise KeyError(title)

    def refresh_if(self, change: Change) -> None:
        if self.detail is not None and (self.kind.entity in change.kinds or change.kinds & _OWNED.get(self.kind.entity, set())):
            self.reload()

    def edit(self):  # noqa: ANN201
        if self.detail is not None:
            return edit_with(self.shell, self.kind.editor(self.shell, self, self.detail))
        return None

    def delete(self) -> None:
        if self.detail is None:
            return
        run_change(self.shell, self, lambda: self.kind.delete(self.shell.ctx, self.record_id),
                   self.tr(f"Delete {self.kind.noun} “{self.kind.title(self.detail)}”? "
                           "This cannot be undone; its history is kept."))


# changes to these kinds of record change what a record window shows
_OWNED = {
    "case_file": {"case_member", "case_subject", "case_note", "subject", "member", "agency", "task_force",
                  "debrief", "debrief_participant", "referral", "case_event", "support", "feedback",
                  "subject_match"},
    "debrief": {"debrief_participant", "member", "agency", "subject", "case_file"},
    "referral": {"case_file", "agency", "member"},
    "designation": {"member", "agency", "agreement", "cooperation_activity"},
    "assistance_request": {"agency"},
    "support": {"feedback", "seizure", "agency", "case_file", "task_force"},
    "meeting": {"meeting_attendee", "action_item", "task_force", "member", "agency"},
    "action_item": {"meeting", "member", "agency", "task_force"},
    "detail": {"member", "agency"},
    "member": {"assignment", "designation", "training", "agency", "task_force", "agreement",
               "cooperation_activity", "detail"},
    "subject": {"subject_alias", "subject_identifier", "case_subject", "case_file", "subject_match"},
    "task_force": {"task_force_agency", "agency", "agreement", "case_file", "assignment"},
    "agreement": {"agency"},
    "agency": {"agency"},
}
