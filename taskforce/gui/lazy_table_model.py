"""A table model that holds ordered ids and fetches display rows a page at a time.

Sorting and filtering are SQL (services.lists); the id query runs on the worker, page reads
of a few hundred rows by primary key run where they are needed (a millisecond or two).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from taskforce.gui.worker import Worker
from taskforce.services import lists
from taskforce.services.context import Context

PAGE = 200
IdRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class LazyTableModel(QAbstractTableModel):
    loaded = Signal(int)  # number of rows after a (re)load

    def __init__(self, ctx: Context, spec: lists.ListSpec, worker: Worker, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.spec = spec
        self.worker = worker
        self.query = lists.Query()
        self._ids: list[int] = []
        self._pages: dict[int, dict[int, tuple]] = {}
        self._generation = 0  # drops results of a reload overtaken by a newer one
        # A list reads nothing until its section is first shown: start-up loads one list, not six.
        self.active = False

    # -- loading ---------------------------------------------------------------------------
    def reload(self, query: lists.Query | None = None) -> None:
        self.active = True
        if query is not None:
            self.query = query
        self._generation += 1
        generation, q = self._generation, self.query
        self.worker.submit(lambda: lists.list_ids(self.ctx, self.spec, q),
                           lambda ids: self._apply(generation, ids))

    def reload_now(self) -> None:
        """Synchronous reload, for tests and first paint measurements."""
        self.active = True
        self._generation += 1
        self._apply(self._generation, lists.list_ids(self.ctx, self.spec, self.query))

    def _apply(self, generation: int, ids: list[int]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()
        self.loaded.emit(len(ids))

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: int) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def _row(self, row: int) -> tuple | None:
        page = row // PAGE
        if page not in self._pages:
            ids = self._ids[page * PAGE:(page + 1) * PAGE]
            self._pages[page] = lists.list_rows(self.ctx, self.spec, ids)
        return self._pages[page].get(self._ids[row])

    # -- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.spec.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column = self.spec.columns[index.column()]
        if role == IdRole:
            return self._ids[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = self._row(index.row())
            if row is None:  # deleted since the ids were read; the next reload drops it
                return "…" if role == Qt.ItemDataRole.DisplayRole else None
            value = row[index.column()]
            if value is None:
                return ""
            return str(value).replace("_", " ").capitalize() if column.kind == "label" else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind == "number":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.spec.columns)):
            return self.tr(self.spec.columns[section].header)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.spec.columns):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        key = self.spec.columns[column].key
        if (key, descending) != (self.query.sort, self.query.descending):
            query = lists.Query(key, descending, self.query.text, self.query.filters)
            if self.active:
                self.reload(query)
            else:
                self.query = query  # remembered header sort, applied on first load
