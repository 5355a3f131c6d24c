"""Results of the one search box over cases, subjects and notes, with their count."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from taskforce.gui.worker import Worker
from taskforce.services import search
from taskforce.services.context import Context

ENTITY_OF_HIT = {"case": "case_file", "subject": "subject", "note": "case_file"}


class SearchPanel(QWidget):
    open_hit = Signal(str, int)  # entity, id
    finished = Signal(int)  # number of matches

    def __init__(self, ctx: Context, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.worker = ctx, worker
        self.text = ""
        self.summary = QLabel(self.tr("Type in the search box (Ctrl+F): cases, subjects and notes, by word beginnings."))
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.results = QListWidget()
        self.results.setAccessibleName("Search results")
        self.results.setAlternatingRowColors(True)
        self.results.itemActivated.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.run_now)
        self._generation = 0

    def search(self, text: str) -> None:
        self.text = text
        self._debounce.start()

    def run_now(self) -> None:
        self._generation += 1
        generation, text = self._generation, self.text
        self.worker.submit(lambda: search.search(self.ctx, text, limit=200),
                           lambda result: self._show(generation, result))

    def _show(self, generation: int, result: search.SearchResult) -> None:
        if generation != self._generation:
            return  # a newer search overtook this one
        self.results.clear()
        for hit in result.hits:
            item = QListWidgetItem(f"{hit.label}\n    {hit.detail}")
            item.setData(Qt.ItemDataRole.UserRole, (ENTITY_OF_HIT[hit.kind], hit.id))
            self.results.addItem(item)
        if not self.text.strip():
            self.summary.setText(self.tr("Type in the search box (Ctrl+F)."))
        else:
            shown = f" · first {len(result.hits)} shown" if len(result.hits) < result.count else ""
            # what the service searched for, not all that was typed or pasted (issue 11)
            note = f" · {result.note}" if result.note else ""
            self.summary.setText(f"{result.count_text} match{'es' if result.count != 1 else ''} "
                                 f"for “{result.searched if result.note else self.text}”{shown}{note}")
        if self.results.count():
            self.results.setCurrentRow(0)
        self.finished.emit(result.count)

    def _open(self, item: QListWidgetItem) -> None:
        entity, record_id = item.data(Qt.ItemDataRole.UserRole)
        self.open_hit.emit(entity, record_id)
