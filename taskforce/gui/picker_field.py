"""The one picker of every form: type to find an agency, member or subject in the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

_ID, _RANK = Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 1
_EXACT = 0  # services.lookup.Match.rank of an exact match
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class PickerField(QLineEdit):
    """Type to find a record (agency, member, subject) from the database; holds its id.

    The list shows the lookup's rows in the lookup's order (best match first, ranked in SQL) and
    never filters or reorders them. Enter takes the highlighted row; a row is highlighted for
    you only when it is the one exact match or the only match: otherwise Enter opens the list
    and waits for a choice (UX.md: Enter never takes a guess the user did not see).
    """

    changed = Signal()

    def __init__(self, lookup: Callable[[str], Sequence[tuple]], label_of: Callable[[int], str]) -> None:
        super().__init__()
        self._lookup = lookup
        self._label_of = label_of
        self._id: int | None = None
        self._labels: dict[str, int] = {}
        self._model = QStandardItemModel(self)
        # Not QLineEdit.setCompleter: a line edit's own completer re-filters on every key and
        # highlights its own first match, which Enter then takes. Driven by hand it only shows
        # our rows; completer() below still hands it out.
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setMaxVisibleItems(10)
        self._completer.setWrapAround(False)  # ↓ on the last row keeps it, never silently drops it
        self._completer.setWidget(self)
        self._completer.activated[QModelIndex].connect(self._take)
        # installed after the completer's own filter, so it sees Enter first
        self._completer.popup().installEventFilter(self)
        self.setPlaceholderText(self.tr("Type to search…"))
        self.textEdited.connect(self._typed)

    def completer(self) -> QCompleter:  # the popup's owner, for callers and tests
        return self._completer

    # -- the list ------------------------------------------------------------------------
    def _typed(self, text: str) -> None:
        self._id = self._labels.get(text)
        if text.strip():
            self._fill(text)
            self._show_list()
        else:
            self._completer.popup().hide()
        self.changed.emit()

    def _fill(self, text: str) -> None:
        self._model.clear()
        typed = text.strip().casefold()
        for row in self._lookup(text):
            record_id, label = row[0], row[1]
            # lookups that do not rank (cases) count a row as exact only when its label is what was typed
            rank = row[2] if len(row) > 2 else (_EXACT if label.casefold() == typed else None)
            item = QStandardItem(label)
            item.setToolTip(label)  # a long name is elided in the list
            item.setData(record_id, _ID)
            item.setData(rank, _RANK)
            item.setEditable(False)
            self._model.appendRow(item)
            self._labels[label] = record_id

    def _sure_row(self) -> QModelIndex | None:
        """The row Enter may take without the user pointing at it: the only row, or the one exact one."""
        rows = self._model.rowCount()
        if rows == 1:
            return self._model.index(0, 0)
        exact = [r for r in range(rows) if self._model.index(r, 0).data(_RANK) == _EXACT]
        return self._model.index(exact[0], 0) if len(exact) == 1 else None

    def _show_list(self) -> None:
        popup = self._completer.popup()
        if self._model.rowCount() == 0:
            popup.hide()
            return
        self._completer.complete()
        sure = self._sure_row()
        if sure is not None:
            popup.setCurrentIndex(sure)  # shown highlighted: what Enter will take
        else:
            popup.selectionModel().clear()
            popup.setCurrentIndex(QModelIndex())
            popup.scrollToTop()

    def _take(self, index: QModelIndex) -> None:
        self._completer.popup().hide()
        self._id = index.data(_ID)
        label = index.data(Qt.ItemDataRole.DisplayRole)
        self._labels[label] = self._id
        self.setText(label)
        self.changed.emit()

    # -- keys ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        popup = self._completer.popup()
        if watched is popup and event.type() == QEvent.Type.KeyPress and popup.isVisible():
            key = event.key()
            if key in _ENTER and not popup.currentIndex().isValid():
                return True  # nothing highlighted: the list stays open for the user to choose
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and popup.currentIndex().isValid():
                self._take(popup.currentIndex())  # leaving with a row highlighted takes it
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        popup_shown = self._completer.popup().isVisible()
        wants_list = (event.key() in _ENTER and self._id is None and self.text().strip()) or (
            event.key() == Qt.Key.Key_Down and self.text().strip())
        if not popup_shown and wants_list:
            # the list was closed (Esc, or the field refilled): Enter takes a sure row, else opens it
            self._fill(self.text())
            sure = self._sure_row()
            if event.key() in _ENTER and sure is not None:
                self._take(sure)
            else:
                self._show_list()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- the value -----------------------------------------------------------------------
    def value(self) -> int | None:
        return self._id

    def set_value(self, record_id: int | None) -> None:
        self._id = record_id
        self.setText(self._label_of(record_id) if record_id else "")
        if record_id:
            self._labels[self.text()] = record_id

    def problem(self) -> str | None:
        """Text typed but nothing chosen: the field says so rather than saving it as empty."""
        if self._id is None and self.text().strip():
            return self.tr("Choose “{text}” from the list (Enter or ↓ shows it), or clear the field.").format(
                text=self.text().strip())
        return None
