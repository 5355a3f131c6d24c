"""A record form: labelled fields, the reason a value is wrong shown under its field as the
user types, Save enabled only when the form is valid, Esc asks before discarding changes.

The dialog decides nothing: the domain record's ``validate()`` says what is wrong, and the
service it calls on Save has the last word (its errors land next to the same fields).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QScrollArea, QVBoxLayout, QWidget,
)

from taskforce.domain.errors import FieldError, TaskforceError, ValidationFailed
from taskforce.gui.fields import change_signal, set_widget_value, widget_problem, widget_value
from taskforce.gui.messages import error_text
from taskforce.gui.worker import Worker
from taskforce.services.context import Change

ERROR_STYLE = "color: #b3261e;"
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum width" (not exported by PySide6)


@dataclass
class Field:
    name: str  # the domain record's field name, so its errors find their place
    label: str
    make: Callable[[], QWidget]
    required: bool = False
    help: str = ""


class FormDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, fields: list[Field],
                 build: Callable[[dict[str, Any]], Any], save: Callable[[Any], Change],
                 worker: Worker, initial: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.build, self.save_fn, self.worker = build, save, worker
        self.change: Change | None = None
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self._dirty = False

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in fields:
            widget = f.make()
            widget.setAccessibleName(f.label)
            widget.setObjectName(f"field_{f.name}")
            if f.help:
                widget.setToolTip(f.help)
            if initial and f.name in initial:
                set_widget_value(widget, initial[f.name])
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.setObjectName(f"error_{f.name}")
            error.hide()
            box = QVBoxLayout()
            box.setSpacing(2)
            if widget.maximumWidth() < QWIDGETSIZE_MAX:
                # a compact field (a date) sits at the left; unaligned, its width would also
                # narrow the error label under it
                box.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
            else:
                box.addWidget(widget)
            box.addWidget(error)
            form.addRow(f"{f.label}{' *' if f.required else ''}", box)
            self.widgets[f.name], self.errors[f.name] = widget, error
            change_signal(widget).connect(lambda *_a, name=f.name: self._edited(name))

        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(QLabel(self.tr("* required")))
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.resize(560, min(120 + 62 * len(fields), 760))
        self._revalidate()

    # -- values and validation -----------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {name: widget_value(w) for name, w in self.widgets.items()}

    def _edited(self, name: str) -> None:
        self._dirty = True
        self.touched.add(name)
        self._revalidate()

    def _problems(self) -> list[FieldError]:
        # a field whose text cannot be kept (a date that is not one) says so under itself, first:
        # its value reads as empty, and the record's own rules must not be the only voice
        typed = [FieldError(name, problem) for name, w in self.widgets.items() if (problem := widget_problem(w))]
        try:
            return typed + self.build(self.values()).validate()
        except ValidationFailed as exc:  # build() names the field a value is missing from
            return typed + list(exc.errors)
        except ValueError as exc:
            return [*typed, FieldError("", str(exc))]
        except TypeError as exc:
            # a value left empty by an untyped field can trip a rule: the field already says why
            return typed or [FieldError("", str(exc))]

    def _revalidate(self, show_all: bool = False) -> list[FieldError]:
        problems = self._problems()
        self._show(problems, show_all)
        self.save_button.setEnabled(not problems)
        return problems

    def _show(self, problems: list[FieldError], show_all: bool) -> None:
        by_field: dict[str, str] = {}
        for p in problems:
            by_field.setdefault(p.field, p.message)
        for name, label in self.errors.items():
            message = by_field.get(name, "")
            visible = bool(message) and (show_all or name in self.touched)
            label.setText(message)
            label.setVisible(visible)
        general = [m for f, m in by_field.items() if f not in self.errors]
        self.general_error.setText(" ".join(general))
        self.general_error.setVisible(bool(general) and (show_all or bool(self.touched)))

    # -- saving ----------------------------------------------------------------------------
    def submit(self) -> None:
        if self._revalidate(show_all=True):
            return
        data = self.build(self.values())
        self.save_button.setEnabled(False)
        self.worker.submit(lambda: self.save_fn(data), self._saved, self._failed)

    def _saved(self, change: Change) -> None:
        self.change = change
        self._dirty = False
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            self.touched.update(e.field for e in exc.errors)
            self._show(exc.errors, show_all=True)
        elif isinstance(exc, TaskforceError):
            self.general_error.setText(str(exc))
            self.general_error.show()
        else:  # under the buttons, the form still open: a database error is one sentence,
            # never its SQL or the values typed (error_text; the details go to the log file)
            self.general_error.setText(self.tr("Not saved: {reason}").format(reason=error_text(exc)))
            self.general_error.show()

    def reject(self) -> None:
        if self._dirty:
            answer = QMessageBox.question(self, self.tr("Discard changes?"),
                                          self.tr("You have unsaved changes. Discard them?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
