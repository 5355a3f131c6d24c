"""A section's list: quick filter and filter choices above, the lazy table, the count below."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from taskforce.gui.lazy_table_model import IdRole, LazyTableModel
from taskforce.gui.worker import Worker
from taskforce.services import lists
from taskforce.services.context import Change, Context


class ListPage(QWidget):
    current_changed = Signal(object)  # record id or None
    activated = Signal(int)

    def __init__(self, ctx: Context, spec: lists.ListSpec, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.spec, self.worker = ctx, spec, worker
        self.model = LazyTableModel(ctx, spec, worker, self)
        self.model.query = lists.Query(spec.default_sort, spec.default_descending)
        self.total = 0
        self._keep_id: int | None = None

        self.quick = QLineEdit()
        self.quick.setPlaceholderText(self.tr(f"Filter {spec.noun[1]}…"))
        self.quick.setClearButtonEnabled(True)
        self.quick.setAccessibleName(f"Filter {spec.noun[1]}")
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_filters)
        self.quick.textChanged.connect(lambda *_: self._debounce.start())
        bar = QHBoxLayout()
        bar.addWidget(self.quick, 2)
        self.filter_boxes: dict[str, QComboBox] = {}
        for flt in spec.filters:
            box = QComboBox()
            box.setAccessibleName(flt.label)
            box.addItem(self.tr(f"{flt.label}: any"), None)
            box.currentIndexChanged.connect(lambda *_: self.apply_filters())
            self.filter_boxes[flt.key] = box
            bar.addWidget(box, 1)
        self.bar = bar  # the workspace adds a section's own buttons here (Agencies → Import…)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setObjectName(f"list_{spec.name}")
        self.view.setAccessibleName(spec.noun[1].capitalize())
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        # fixed row heights: never measure 100,000 rows
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._choose_columns)
        for i, col in enumerate(spec.columns):
            self.view.setColumnWidth(i, col.width)
        sort_col = next((i for i, c in enumerate(spec.columns) if c.key == spec.default_sort), 0)
        header.setSortIndicator(sort_col, Qt.SortOrder.DescendingOrder if spec.default_descending
                                else Qt.SortOrder.AscendingOrder)
        self._restore_layout()
        self.view.doubleClicked.connect(lambda index: self.activated.emit(index.data(IdRole)))
        self.view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.current_changed.emit(cur.data(IdRole) if cur.isValid() else None))
        self.model.loaded.connect(self._loaded)
        self.count_label = QLabel()
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.count_label)

    # -- data ------------------------------------------------------------------------------
    def load_filter_options(self) -> None:
        for flt in self.spec.filters:
            box = self.filter_boxes[flt.key]
            current = box.currentData()
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for value, label in lists.filter_options(self.ctx, flt):
                box.addItem(str(label), value)
            box.setCurrentIndex(max(box.findData(current), 0))
            box.blockSignals(False)

    def current_query(self) -> lists.Query:
        return lists.Query(self.model.query.sort, self.model.query.descending, self.quick.text(),
                           tuple((k, b.currentData()) for k, b in self.filter_boxes.items()))

    def add_button(self, text: str, slot) -> QPushButton:  # noqa: ANN001
        button = QPushButton(self.tr(text))
        button.clicked.connect(slot)
        self.bar.addWidget(button)
        return button

    def ensure_loaded(self) -> None:
        """First showing of the section: fill the filter choices and load the list."""
        if not self.model.active:
            self.load_filter_options()
            self.refresh()

    def apply_filters(self) -> None:
        self.model.reload(self.current_query())

    def refresh(self) -> None:
        """Reload keeping the selected record and scroll position."""
        self._keep_id = self.selected_id()
        self._scroll = self.view.verticalScrollBar().value()
        self.worker.submit(lambda: lists.count_all(self.ctx, self.spec), self._set_total)
        self.model.reload()

    def _set_total(self, total: int) -> None:
        self.total = total
        self._update_count(self.model.rowCount())

    def _loaded(self, shown: int) -> None:
        self._update_count(shown)
        if self._keep_id is not None:
            row = self.model.row_of(self._keep_id)
            if row >= 0:
                self.view.selectRow(row)
            self.view.verticalScrollBar().setValue(getattr(self, "_scroll", 0))
            self._keep_id = None

    def _update_count(self, shown: int) -> None:
        one, many = self.spec.noun
        filtered = shown != self.total
        self.count_label.setText(f"{self.total:,} {one if self.total == 1 else many}"
                                 + (f" · {shown:,} shown by filter" if filtered else ""))
        empty = self.total == 0
        self.empty_label.setText(self.tr(f"No {many} yet. New {one} (Ctrl+N)"
                                         + (" or Records → Import agencies…" if self.spec.name == "agencies" else "")))
        self.empty_label.setVisible(empty)

    def selected_id(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def wants(self, change: Change) -> bool:
        return self.spec.entity in change.kinds or bool(change.kinds & self.spec.also_refresh_on)

    # -- layout memory ---------------------------------------------------------------------
    def _settings_key(self) -> str:
        return f"lists/{self.spec.name}/header"

    def _restore_layout(self) -> None:
        state = QSettings().value(self._settings_key())
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.view.horizontalHeader().restoreState(state)

    def save_layout(self) -> None:
        QSettings().setValue(self._settings_key(), self.view.horizontalHeader().saveState())

    def _choose_columns(self, pos) -> None:  # noqa: ANN001
        header = self.view.horizontalHeader()
        menu = QMenu(self)
        for i, col in enumerate(self.spec.columns):
            action = menu.addAction(self.tr(col.header))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(i))
            action.toggled.connect(lambda on, i=i: header.setSectionHidden(i, not on))
        menu.exec(header.mapToGlobal(pos))
