"""Records → Import members… / Import cases…: choose a CSV or XLSX file, see its first rows with
the field each column goes to (a combo per column to change it), every problem the import would
refuse, then import all or nothing on the worker with progress.

The dialog decides nothing: ``services.record_import.preview`` maps and checks, ``import_file``
writes; both run on the worker. Also here, for File → Export…: ``export_list`` asks for a file
and runs ``reports.export`` (data in and out, side by side).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from shiboken6 import isValid
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from taskforce.gui.messages import error_text, tell
from taskforce.gui.progress import run_with_progress
from taskforce.gui.worker import Worker
from taskforce.services import record_import as R
from taskforce.services.context import Context

KIND_LABELS = {"members": "Members", "cases": "Cases"}
FILE_FILTER = "Spreadsheets and CSV (*.csv *.xlsx *.xlsm *.xls *.ods);;All files (*)"
PROBLEM_STYLE = "color: #a01818;"


class RecordImportDialog(QDialog):
    """Not modal to the app: the worker keeps serving the window while the user maps columns."""

    imported = Signal(object)  # the services' Change, for the window to refresh what it shows

    def __init__(self, ctx: Context, worker: Worker, parent: QWidget | None = None, kind: str = "members",
                 path: str | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.worker = ctx, worker
        self.setWindowTitle(self.tr("Import members or cases"))
        self.resize(900, 560)
        self.override: dict[str, str | None] = {}
        self.preview: R.Preview | None = None
        self._generation = 0  # a preview answer older than the last request is dropped

        self.kind = QComboBox()
        for key, label in KIND_LABELS.items():
            self.kind.addItem(self.tr(label), key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.path = QLineEdit(path or "")
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(self.tr("Choose a CSV or XLSX file…"))
        choose = QPushButton(self.tr("Choose file…"))
        choose.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Import")))
        top.addWidget(self.kind)
        top.addWidget(QLabel(self.tr("from")))
        top.addWidget(self.path, 1)
        top.addWidget(choose)

        self.status = QLabel(self.tr("No file chosen."))
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.problems = QListWidget()
        self.problems.setMaximumHeight(140)
        self.problems_label = QLabel(self.tr("Problems"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.refresh)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        if path:
            self.refresh()

    # -- choosing --------------------------------------------------------------------------
    def current_kind(self) -> str:
        return self.kind.currentData()

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import {what}").format(
            what=self.kind.currentText().lower()), str(Path.home()), self.tr(FILE_FILTER))
        if path:
            self.set_path(path)

    def set_path(self, path: str) -> None:
        self.path.setText(path)
        self.override.clear()
        self.refresh()

    def _kind_changed(self) -> None:
        self.override.clear()
        self.refresh()

    def map_column(self, header: str, field: str | None) -> None:
        """What a column combo does; public so a test (or a keyboard user) can drive it."""
        self.override[header] = field or ""
        self._timer.start()

    # -- preview ---------------------------------------------------------------------------
    def refresh(self) -> None:
        if not (isValid(self) and isValid(self.kind) and isValid(self.path)):
            return  # the dialog is being destroyed (its combo emits while it goes)
        path = self.path.text()
        if not path:
            return
        self._generation += 1
        generation, kind, override = self._generation, self.current_kind(), dict(self.override)
        self.import_button.setEnabled(False)
        self.status.setText(self.tr("Reading {name}…").format(name=Path(path).name))
        self.worker.submit(lambda: R.preview(self.ctx, Path(path), kind, override),
                           lambda pv: self._show(generation, pv),
                           lambda exc: self._failed(generation, exc))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not isValid(self) or generation != self._generation:
            return
        self.preview = None
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self._set_problems([error_text(exc)])
        self.status.setText(self.tr("This file cannot be imported."))

    def _show(self, generation: int, pv: R.Preview) -> None:
        if not isValid(self) or generation != self._generation:
            return
        self.preview = pv
        choices = [(None, self.tr("(leave out)"))] + [(f.key, self.tr(f.label)) for f in R.fields(self.current_kind())]
        self.table.clear()
        self.table.setColumnCount(len(pv.headers))
        self.table.setRowCount(1 + len(pv.sample_rows))
        self.table.setHorizontalHeaderLabels(list(pv.headers))
        self.table.setVerticalHeaderLabels([self.tr("Field")] + [self.tr("line {n}").format(n=line)
                                                                 for line, _cells in pv.sample_rows])
        for col, header in enumerate(pv.headers):
            combo = QComboBox()
            combo.setAccessibleName(self.tr("Field for column {header}").format(header=header))
            for key, label in choices:
                combo.addItem(label, key)
            combo.setCurrentIndex(max(0, combo.findData(pv.mapping.get(header))))
            combo.currentIndexChanged.connect(lambda _i, h=header, c=combo: self.map_column(h, c.currentData()))
            self.table.setCellWidget(0, col, combo)
            self.table.setColumnWidth(col, 170)
        for row, (_line, cells) in enumerate(pv.sample_rows, 1):
            for col, value in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self._set_problems(list(pv.problems) + [f"line {s.line}: {s.reason}" for s in pv.skipped], len(pv.problems))
        adding = pv.rows - len(pv.skipped)
        if pv.problems:
            self.status.setText(self.tr("{rows} rows; {n} problem(s) to fix before anything can be imported.")
                                .format(rows=pv.rows, n=len(pv.problems)))
        else:
            self.status.setText(self.tr("{rows} rows: {adding} to add, {skipped} already recorded.")
                                .format(rows=pv.rows, adding=adding, skipped=len(pv.skipped)))
        self.import_button.setEnabled(not pv.problems and adding > 0)

    def _set_problems(self, lines: list[str], blocking: int | None = None) -> None:
        blocking = len(lines) if blocking is None else blocking
        self.problems.clear()
        for i, text in enumerate(lines):
            self.problems.addItem(text)
            if i < blocking:
                self.problems.item(i).setForeground(Qt.GlobalColor.darkRed)
        self.problems_label.setText(self.tr("Problems ({n})").format(n=blocking) if blocking
                                    else self.tr("No problems"))
        self.problems_label.setStyleSheet(PROBLEM_STYLE if blocking else "")

    # -- import ----------------------------------------------------------------------------
    def run_import(self) -> None:
        path, kind, override = Path(self.path.text()), self.current_kind(), dict(self.override)
        self.import_button.setEnabled(False)

        def work(progress, cancelled) -> Any:  # noqa: ANN001 - on the worker
            try:
                return R.import_file(self.ctx, path, kind, override, progress=progress, cancelled=cancelled)
            except R.ImportRejected as rejected:  # shown in the dialog, row by row
                return rejected

        run_with_progress(self.worker, self, self.tr("Importing {what}…").format(what=kind), work, self._done)

    def _done(self, outcome: R.Result | R.ImportRejected) -> None:
        if not isValid(self):
            return
        if isinstance(outcome, R.ImportRejected):
            self._set_problems([f"line {r.line}: {r.reason}" for r in outcome.rejected])
            self.status.setText(str(outcome))
            return
        self.imported.emit(outcome.change)
        self.status.setText(outcome.summary())
        if self.parentWidget() is not None:  # the window says it once the dialog is gone
            tell(self.parentWidget(), self.tr("Import finished"), outcome.summary())
        self.accept()


def export_list(parent: QWidget, ctx: Context, worker: Worker, what: str,
                on_done: Any = None) -> str | None:
    """Ask for a .csv or .xlsx file and export the list ``what`` to it on the worker."""
    from taskforce.reports.export import TITLES

    path, chosen = QFileDialog.getSaveFileName(
        parent, parent.tr("Export {what}").format(what=what), str(Path.home() / f"{what}.xlsx"),
        parent.tr("Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"))
    if not path:
        return None
    if not Path(path).suffix:
        path += ".csv" if "csv" in chosen.lower() else ".xlsx"

    def done(result) -> None:  # noqa: ANN001
        tell(parent, parent.tr("Export finished"), parent.tr("{title} written to {path}.\nSHA-256 {sha}")
             .format(title=result.title, path=result.path, sha=result.sha256))
        if on_done is not None:
            on_done(result)

    def work(progress, cancelled):  # noqa: ANN001, ANN202 - on the worker
        from taskforce.reports.export import export

        return export(ctx, what, Path(path), progress=progress, cancelled=cancelled)

    run_with_progress(worker, parent, parent.tr("Exporting {what}…").format(what=TITLES[what].lower()), work, done)
    return path
