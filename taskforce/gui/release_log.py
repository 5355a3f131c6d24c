"""Reports → Release log…: every document printed or prepared for a partner (rule 6: what
document, which items, to whom, when, by whom), newest first; double-click for its items.

The log holds at most a few hundred recent rows (`release.releases`' limit), so one small
table model with a sort/filter proxy is enough here; the big lists use the lazy model.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from taskforce.domain.release import ItemKind, Withheld
from taskforce.gui.messages import error_text, tell
from taskforce.gui.records.base import Shell
from taskforce.services import release
from taskforce.services.release import ReleaseRow

HEADERS = ("When", "By", "Document", "Title", "Recipient", "Included", "Withheld", "What was withheld",
           "SHA-256", "File", "Status")
# A pending entry (the process ended between logging it and confirming its file: issue 11 §5)
# or a failed one says so in the Status column, in the service's words; a done one says this.
WRITTEN = "written"
OWN_COPY = "— own copy —"
_Index = QModelIndex | QPersistentModelIndex


def document_label(kind: str) -> str:
    from taskforce.gui.report_dialog import REPORT

    return REPORT[kind].label if kind in REPORT else kind


def local_time(at: str) -> str:
    """The log's UTC time as the user's local time, to the minute."""
    try:
        when = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def reason_text(reason: str) -> str:
    """'eu_pnr' → 'Derived from EU PNR data' (the cover's wording, without a count)."""
    try:
        text = Withheld(reason).label
    except ValueError:
        return reason
    return text[:1].upper() + text[1:]


class ReleaseLogModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ReleaseRow] = []

    def set_rows(self, rows: list[ReleaseRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return self.tr(HEADERS[section])
        return None

    def _cells(self, r: ReleaseRow) -> tuple:
        return (local_time(r.at), r.by, document_label(r.document_kind), r.title, r.recipient or self.tr(OWN_COPY),
                r.included_count, r.withheld_count, r.withheld_summary, r.sha256, r.file_name,
                r.state or self.tr(WRITTEN))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) or not 0 <= index.column() < len(HEADERS):
            return None
        r = self.rows[index.row()]
        value = self._cells(r)[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value:,}" if isinstance(value, int) else value
        if role == Qt.ItemDataRole.UserRole:  # sort by the raw value: counts as numbers, times as logged
            return r.at if index.column() == 0 else value
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (3, 7, 8, 9, 10):
            return value
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 10 and r.state:
            return QBrush(QColor("#b00020"))  # not confirmed written: stands out
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ReleaseLogDialog(QDialog):
    def __init__(self, parent: QWidget | None, shell: Shell) -> None:
        super().__init__(parent)
        self.shell = shell
        self.setWindowTitle(self.tr("Release log"))
        self.model = ReleaseLogModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)  # any column
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter: recipient, title, who, file, SHA-256…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter the release log")
        self.filter.textChanged.connect(self._filter)
        self.view = QTableView()
        self.view.setAccessibleName("Release log")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((115, 120, 110, 200, 110, 64, 64, 280, 110, 220)):
            self.view.setColumnWidth(column, width)
        self.view.doubleClicked.connect(lambda *_: self.show_items())
        self.count = QLabel()
        self.empty = QLabel(self.tr("Nothing printed or prepared yet. Every document saved from "
                                    "Reports or a record's Print… is logged here."))
        self.empty.setWordWrap(True)
        self.empty.hide()

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        items = QPushButton(self.tr("Items…"))
        items.setObjectName("release_items")
        items.setToolTip(self.tr("What the selected document included and withheld (double-click a row)"))
        items.clicked.connect(self.show_items)
        copy = QPushButton(self.tr("Copy SHA-256"))
        copy.setObjectName("copy_sha")
        copy.setToolTip(self.tr("Copy the selected document's SHA-256, to compare with a file"))
        copy.clicked.connect(self.copy_sha)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        for button in (items, copy, refresh):
            button.setAutoDefault(False)  # Enter in the filter box filters, it does not press a button
            top.addWidget(button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(1280, 520)
        self.loaded = False
        self.items_dialog: QDialog | None = None
        self.refresh()

    def refresh(self) -> None:
        ctx = self.shell.ctx
        self.shell.worker.submit(lambda: release.releases(ctx), self._show,
                                 lambda exc: tell(self, self.tr("Release log"), error_text(exc), warning=True))

    def _show(self, rows: list[ReleaseRow]) -> None:
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.loaded = True
        self._count()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._count()

    def _count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        text = self.tr(f"{total:,} document{'s' if total != 1 else ''}")
        self.count.setText(text if shown == total else self.tr(f"{shown:,} of {text} shown by the filter"))

    def selected(self) -> ReleaseRow | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.rows[self.proxy.mapToSource(rows[0]).row()]

    def copy_sha(self) -> None:
        if (row := self.selected()) is not None:
            QGuiApplication.clipboard().setText(row.sha256)

    def show_items(self) -> None:
        if (row := self.selected()) is None:
            return
        ctx = self.shell.ctx
        self.shell.worker.submit(lambda: release.release_items(ctx, row.id),
                                 lambda items: self._open_items(row, items),
                                 lambda exc: tell(self, self.tr("Release log"), error_text(exc), warning=True))

    def _open_items(self, row: ReleaseRow, items: list[tuple[str, int, bool, str]]) -> None:
        self.items_dialog = self._items_dialog(row, items)
        self.items_dialog.open()

    def _items_dialog(self, row: ReleaseRow, items: list[tuple[str, int, bool, str]]) -> QDialog:
        dialog = QDialog(self)
        dialog.setObjectName("release_items_dialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(self.tr(f"Items of “{row.title}”"))
        table = QTableWidget(len(items), 4)
        table.setAccessibleName("Items of the document")
        table.setHorizontalHeaderLabels([self.tr(h) for h in ("Item", "Number", "Included", "Why withheld")])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        for r, (kind, item_id, included, reason) in enumerate(sorted(items, key=lambda i: (i[2], i[0], i[1]))):
            try:
                kind_label = ItemKind(kind).label
            except ValueError:
                kind_label = kind
            included_text = self.tr("Yes") if included else self.tr("No — withheld")
            for c, text in enumerate((kind_label, f"#{item_id}", included_text,
                                      "" if included else reason_text(reason))):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        recipient = row.recipient or self.tr(OWN_COPY)
        summary = QLabel(self.tr(f"{document_label(row.document_kind)} for {recipient}, {local_time(row.at)}, "
                                 f"by {row.by}: {row.included_count} included, {row.withheld_count} withheld."))
        summary.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(summary)
        layout.addWidget(table)
        layout.addWidget(close)
        dialog.resize(620, 420)
        return dialog


def open_release_log(parent: QWidget, shell: Shell) -> ReleaseLogDialog:
    dialog = ReleaseLogDialog(parent, shell)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()  # not modal: it can stay open beside the work
    return dialog
