"""Input widgets for forms, each with one value in and out: text, dates, choices, pickers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
    QPushButton, QSpinBox, QTableWidget, QVBoxLayout, QWidget,
)

# every form imports its fields from here; the two large ones live in their own modules
from taskforce.gui.date_field import DateField, parse_typed_date
from taskforce.gui.picker_field import PickerField

__all__ = ["ChecklistField", "ChoiceField", "Choices", "DateField", "LinesField", "PickerField", "RowsField",
           "change_signal", "parse_typed_date", "set_widget_value", "widget_problem", "widget_value"]

Choices = list[tuple[Any, str]]


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
