"""Input widgets for forms, each with one value in and out: text, dates, choices, pickers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication, QCalendarWidget, QCheckBox, QComboBox, QCompleter, QFrame, QHBoxLayout, QHeaderView,
    QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QSpinBox, QTableWidget,
    QToolButton, QVBoxLayout, QWidget,
)

from taskforce.gui.icons import icon

Choices = list[tuple[Any, str]]


# yyyy-mm-dd (one-digit month and day allowed) or yyyymmdd, nothing else: a date is never guessed
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_typed_date(text: str) -> date | None:
    """The date typed as yyyy-mm-dd or yyyymmdd; None for nothing typed; ValueError otherwise."""
    typed = text.strip()
    if not typed:
        return None
    found = _ISO.fullmatch(typed) or _COMPACT.fullmatch(typed)
    if not found:
        raise ValueError(typed)
    return date(*(int(part) for part in found.groups()))  # ValueError for 2028-02-30


class _CalendarPopup(QFrame):
    """The calendar a DateField drops down, as QDateEdit's does: a click or Enter picks the day,
    Esc closes it and leaves the field as it was."""

    def __init__(self, field: DateField) -> None:
        super().__init__(field, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setAccessibleName(self.tr("Calendar"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)
        self.calendar.clicked.connect(field._picked)
        self.calendar.activated.connect(field._picked)


class DateField(QLineEdit):
    """A date typed as yyyy-mm-dd (or yyyymmdd) or picked from a calendar; T for today; Delete
    clears an optional date. Its value is a date or None; text that is not a date stays as typed
    and `problem()` says why, so the form shows it under the field and keeps Save disabled
    (UX.md: whatever is typed is what is stored, or the field says why not)."""

    changed = Signal()

    def __init__(self, optional: bool = True) -> None:
        super().__init__()
        self.optional = optional
        self._popup: _CalendarPopup | None = None
        self.setPlaceholderText(self.tr("yyyy-mm-dd"))
        self.setToolTip(self.tr("Type yyyy-mm-dd or pick a day (Alt+Down); T for today; Delete to clear")
                        if optional else self.tr("Type yyyy-mm-dd or pick a day (Alt+Down); T for today"))
        # inside the line edit, so the button is there whatever width a form or table cell gives
        self._calendar_action = QAction(icon("calendar"), self.tr("Choose from a calendar"), self)
        self._calendar_action.setToolTip(self.tr("Choose from a calendar (Alt+Down)"))
        self._calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self._calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        width = self.fontMetrics().horizontalAdvance("8888-88-88") + 56
        self.setMinimumWidth(width)
        self.setMaximumWidth(width + 60)
        self.textChanged.connect(lambda _text: self.changed.emit())
        self.editingFinished.connect(self._tidy)
        if not optional:
            self.set_value(date.today())

    # -- the value -----------------------------------------------------------------------
    def value(self) -> date | None:
        """The date shown; None when the field is empty or its text is not a date (see problem())."""
        try:
            return parse_typed_date(self.text())
        except ValueError:
            return None

    def set_value(self, value: date | None) -> None:
        self.setText(value.isoformat() if value is not None else "")

    def problem(self) -> str | None:
        """Why the text cannot be kept as a date, in the user's words; None when it can."""
        try:
            typed = parse_typed_date(self.text())
        except ValueError:
            return self.tr("“{text}” is not a date: type it as yyyy-mm-dd.").format(text=self.text().strip())
        if typed is None and not self.optional:
            return self.tr("Type a date as yyyy-mm-dd, or T for today.")
        return None

    def _tidy(self) -> None:
        """Leaving the field shows a date the one way dates are written here (20281201 → 2028-12-01)."""
        typed = self.value()
        if typed is not None and self.text() != typed.isoformat():
            self.set_value(typed)

    # -- keys ----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        plain = not mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                            | Qt.KeyboardModifier.MetaModifier)
        if key == Qt.Key.Key_T and plain and self._replaceable():
            self.set_value(date.today())
        elif (key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier) or key == Qt.Key.Key_F4:
            self.open_calendar()
        elif (key == Qt.Key.Key_Delete and plain and self.optional and not self.hasSelectedText()
              and self.cursorPosition() == len(self.text())):
            self.clear()  # at the end there is nothing left to delete: Delete clears the date
        else:
            super().keyPressEvent(event)

    def _replaceable(self) -> bool:
        """T means today unless the user is in the middle of typing some other text (then it is
        a letter, and the field says the text is not a date)."""
        text = self.text()
        return not text.strip() or self.selectedText() == text or self.value() is not None

    # -- the calendar --------------------------------------------------------------------
    def calendar_button(self) -> QToolButton:
        return next(b for b in self.findChildren(QToolButton) if b.defaultAction() is self._calendar_action)

    def calendar(self) -> QCalendarWidget:
        if self._popup is None:
            self._popup = _CalendarPopup(self)
        return self._popup.calendar

    def open_calendar(self) -> None:
        """Drop the calendar down on the date shown, or on today when there is none."""
        calendar = self.calendar()
        popup = self._popup
        shown = self.value() or date.today()
        calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        calendar.setCurrentPage(shown.year, shown.month)
        popup.adjustSize()
        below = self.mapToGlobal(QPoint(0, self.height()))
        screen = (self.screen() or QApplication.primaryScreen()).availableGeometry()
        x = max(screen.left(), min(below.x(), screen.right() - popup.width()))
        y = below.y() if below.y() + popup.height() <= screen.bottom() else \
            self.mapToGlobal(QPoint(0, 0)).y() - popup.height()
        popup.move(x, y)
        popup.show()
        calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        if self._popup is not None:
            self._popup.hide()
        self.set_value(day.toPython())
        self.setFocus()


class ChoiceField(QComboBox):
    def __init__(self, choices: Choices, optional: bool = False) -> None:
        super().__init__()
        if optional:
            self.addItem("", None)
        for value, label in choices:
            self.addItem(label, value)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        i = self.findData(value)
        self.setCurrentIndex(max(i, 0))


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

    def completer(self) -> QCompleter:  # noqa: D102 - the popup's owner, for callers and tests
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


class ChecklistField(QListWidget):
    """Several values from a short fixed list (statutes, caveats)."""

    changed = Signal()

    def __init__(self, choices: Choices) -> None:
        super().__init__()
        for value, label in choices:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setMaximumHeight(min(22 * len(choices) + 8, 140))
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def value(self) -> tuple:
        return tuple(self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                     if self.item(i).checkState() == Qt.CheckState.Checked)

    def set_value(self, values: tuple) -> None:
        for i in range(self.count()):
            item = self.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in set(values or ())
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


class LinesField(QPlainTextEdit):
    """One value per line (aliases)."""

    def __init__(self) -> None:
        super().__init__()
        self.setMaximumHeight(80)
        self.setTabChangesFocus(True)

    def value(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.toPlainText().splitlines() if line.strip())

    def set_value(self, values: tuple[str, ...]) -> None:
        self.setPlainText("\n".join(values or ()))


class RowsField(QWidget):
    """A small editable table whose columns are each a fixed choice or a text (identifiers,
    participants). Values are tuples, one per row, in column order."""

    changed = Signal()

    def __init__(self, columns: list[tuple[str, Choices | Callable[[], QWidget] | None]]) -> None:
        super().__init__()
        self.columns = columns
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels([c[0] for c in columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setMinimumHeight(110)
        self.table.setMaximumHeight(180)
        add, remove = QPushButton(self.tr("Add row")), QPushButton(self.tr("Remove row"))
        add.clicked.connect(lambda: self.add_row())
        remove.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self, values: tuple = ()) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, (_header, kind) in enumerate(self.columns):
            if isinstance(kind, list):
                widget: QWidget = ChoiceField(kind)
            elif callable(kind):
                widget = kind()
            else:
                widget = QLineEdit()
            widget.setAccessibleName(_header)
            self.table.setCellWidget(row, col, widget)
            if col < len(values):
                set_widget_value(widget, values[col])
        # listen only once the row is whole, so a half-built row is never read
        for col in range(len(self.columns)):
            change_signal(self.table.cellWidget(row, col)).connect(lambda *_: self.changed.emit())
        self.changed.emit()

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def value(self) -> tuple[tuple, ...]:
        return tuple(tuple(widget_value(self.table.cellWidget(r, c)) for c in range(len(self.columns)))
                     for r in range(self.table.rowCount()))

    def problem(self) -> str | None:
        """The first cell whose text cannot be kept (a date that is not one), named by row and column."""
        for r in range(self.table.rowCount()):
            for c, (header, _kind) in enumerate(self.columns):
                found = widget_problem(self.table.cellWidget(r, c))
                if found:
                    return self.tr("Row {row}, {column}: {problem}").format(row=r + 1, column=header, problem=found)
        return None

    def set_value(self, rows: tuple[tuple, ...]) -> None:
        self.table.setRowCount(0)
        for row in rows or ():
            self.add_row(tuple(row))


def widget_value(widget: QWidget) -> Any:
    if hasattr(widget, "set_value"):
        return widget.value()  # our own fields (a DateField is a QLineEdit whose value is a date)
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    return widget.value()


def set_widget_value(widget: QWidget, value: Any) -> None:
    if hasattr(widget, "set_value"):
        widget.set_value(value)
    elif isinstance(widget, QLineEdit):
        widget.setText("" if value is None else str(value))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value or "")
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value or 0))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    else:
        raise TypeError(f"{type(widget).__name__} takes no value")


def widget_problem(widget: QWidget | None) -> str | None:
    """Why the widget's text cannot be kept (see DateField.problem), or None."""
    problem = getattr(widget, "problem", None)
    return problem() if callable(problem) else None


def change_signal(widget: QWidget):  # noqa: ANN201 - a bound Qt signal
    for name in ("changed", "textChanged", "dateChanged", "currentIndexChanged",
                 "valueChanged", "toggled"):
        if hasattr(widget, name):
            return getattr(widget, name)
    raise TypeError(f"{type(widget).__name__} has no change signal")
