"""Input widgets for forms, each with one value in and out: text, dates, choices, pickers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QDateEdit, QHBoxLayout, QHeaderView, QLineEdit, QListWidget,
    QListWidgetItem, QPlainTextEdit, QPushButton, QSpinBox, QTableWidget, QVBoxLayout, QWidget,
)

Choices = list[tuple[Any, str]]
NO_DATE = QDate(1900, 1, 1)


class DateField(QDateEdit):
    """ISO date typed or picked from a calendar; 'T' sets today; Delete clears an optional date."""

    def __init__(self, optional: bool = True) -> None:
        super().__init__()
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.optional = optional
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText(" " if optional else "")
        self.setDate(NO_DATE if optional else QDate.currentDate())
        self.setToolTip(self.tr("Type yyyy-mm-dd or pick a day; T for today; Delete to clear"))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_T:
            self.setDate(QDate.currentDate())
        elif event.key() in (Qt.Key.Key_Delete,) and self.optional:
            self.setDate(NO_DATE)
        else:
            super().keyPressEvent(event)

    def value(self) -> date | None:
        d = self.date()
        return None if d == NO_DATE else date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        if value is None:
            self.setDate(NO_DATE if self.optional else QDate.currentDate())
        else:
            self.setDate(QDate(value.year, value.month, value.day))


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


class PickerField(QLineEdit):
    """Type to find a record (agency, member, subject) from the database; holds its id."""

    changed = Signal()

    def __init__(self, lookup: Callable[[str], Choices], label_of: Callable[[int], str]) -> None:
        super().__init__()
        self._lookup = lookup
        self._label_of = label_of
        self._id: int | None = None
        self._labels: dict[str, int] = {}
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.activated.connect(self._chosen)
        self.setCompleter(completer)
        self.setPlaceholderText(self.tr("Type to search…"))
        self.textEdited.connect(self._typed)

    def _typed(self, text: str) -> None:
        self._id = self._labels.get(text)
        choices = self._lookup(text)
        self._labels.update({label: i for i, label in choices})
        self._model.setStringList([label for _i, label in choices])
        if len(text) >= 1:
            self.completer().complete()
        self.changed.emit()

    def _chosen(self, label: str) -> None:
        self._id = self._labels.get(label)
        self.changed.emit()

    def value(self) -> int | None:
        return self._id

    def set_value(self, record_id: int | None) -> None:
        self._id = record_id
        self.setText(self._label_of(record_id) if record_id else "")
        if record_id:
            self._labels[self.text()] = record_id


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

    def set_value(self, rows: tuple[tuple, ...]) -> None:
        self.table.setRowCount(0)
        for row in rows or ():
            self.add_row(tuple(row))


def widget_value(widget: QWidget) -> Any:
    if isinstance(widget, QLineEdit) and not isinstance(widget, PickerField):
        return widget.text()
    if isinstance(widget, QPlainTextEdit) and not isinstance(widget, LinesField):
        return widget.toPlainText()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    return widget.value()  # our own fields


def set_widget_value(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QLineEdit) and not isinstance(widget, PickerField):
        widget.setText("" if value is None else str(value))
    elif isinstance(widget, QPlainTextEdit) and not isinstance(widget, LinesField):
        widget.setPlainText(value or "")
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value or 0))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    else:
        widget.set_value(value)


def change_signal(widget: QWidget):  # noqa: ANN201 - a bound Qt signal
    for name in ("changed", "textChanged", "dateChanged", "currentIndexChanged",
                 "valueChanged", "toggled"):
        if hasattr(widget, name):
            return getattr(widget, name)
    raise TypeError(f"{type(widget).__name__} has no change signal")
