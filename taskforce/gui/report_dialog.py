"""Print a report, or prepare it for a partner agency: choose what goes in, see what the Third
Party Rule will withhold before any file is written, save, and open or show the file.

The dialog decides nothing about release: it names the recipient, and `reports.publish` gathers
the document through the release screen (rule 6), writes the file and logs the release in one
transaction. Everything that reads the database runs on the worker.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QProcess, QStandardPaths, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from shiboken6 import isValid
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QMessageBox, QVBoxLayout, QWidget,
)

from taskforce.domain.errors import TaskforceError
from taskforce.gui.fields import ChoiceField, DateField, PickerField
from taskforce.gui.form_dialog import ERROR_STYLE
from taskforce.gui.messages import error_text, tell
from taskforce.gui.progress import run_with_progress
from taskforce.gui.records.base import Shell, WindowAction, agency_picker
from taskforce.gui.records.debrief import case_picker
from taskforce.services import cases, lookup
from taskforce.services.context import Context
from taskforce.settings import load_settings

PROFILES = ("les", "cui", "custom")  # reports.markings.PROFILES, without loading ReportLab here

if TYPE_CHECKING:  # ReportLab loads when a dialog opens, not with the record window's toolbar
    from taskforce.reports.markings import Marking
    from taskforce.reports.publish import Preview, Published, ReportRequest

WITHHELD_STYLE = "color: #8a5300;"   # amber, with the word "Withheld" and a sign: never colour alone
CLEAR_STYLE = "color: #1e6b2e;"
HINT_STYLE = "color: palette(mid);"
PROFILE_CHOICES = [("les", "Default (UNCLASSIFIED//LAW ENFORCEMENT SENSITIVE)"), ("cui", "CUI"),
                   ("custom", "Custom text")]
PAGE_SIZES = [("letter", "Letter"), ("a4", "A4")]


@dataclass(frozen=True)
class Report:
    key: str
    label: str        # the menu's and the dialog's name for it
    file_noun: str    # "briefing": "BEST-SEA-2026-0007 briefing for FBI.pdf"
    task_force: str   # "" none, "optional", "required"
    period: bool = False


REPORTS = (
    Report("case-briefing", "Case briefing", "briefing", ""),
    Report("package", "Task-force package", "package", "required"),
    Report("roster", "Roster", "roster", "optional"),
    Report("feedback", "Feedback status", "feedback status", "optional"),
    Report("debriefs", "Debrief participation", "debrief participation", "optional", period=True),
    Report("action-items", "Working group items", "working group items", "optional"),
)
REPORT = {r.key: r for r in REPORTS}


class Cancelled(TaskforceError):
    pass


@dataclass(frozen=True)
class _Choice:
    """What the user chose, on the GUI thread; `_resolved` makes it a ReportRequest on the worker."""
    request: ReportRequest
    case_id: int | None
    recipient_id: int | None


def _resolved(ctx: Context, choice: _Choice) -> ReportRequest:
    request = choice.request
    if choice.case_id is not None:
        request = replace(request, case_number=cases.get_case(ctx, choice.case_id).data.number)
    if choice.recipient_id is not None:
        request = replace(request, recipient_id=choice.recipient_id)
    return request


def _short(label: str) -> str:
    """'FBI — Federal Bureau of Investigation' → 'FBI' (a picker label's first part)."""
    return label.split(" — ", 1)[0].strip()


def _file_safe(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", text).strip(" .-") or "report"


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def show_in_folder(path: Path) -> None:
    """Open the file's folder, with the file selected where the platform can do that."""
    if sys.platform == "win32":
        QProcess.startDetached("explorer", [f"/select,{path}"])
    elif sys.platform == "darwin":
        QProcess.startDetached("open", ["-R", str(path)])
    else:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


class ReportDialog(QDialog):
    published = Signal(object)  # Published

    def __init__(self, parent: QWidget | None, shell: Shell, request: ReportRequest, for_partner: bool) -> None:
        from taskforce.reports.markings import CuiDesignator

        super().__init__(parent)
        self.shell, self.ctx = shell, shell.ctx
        self.base = request
        self.report = REPORT[request.kind]
        self.result: Published | None = None
        self.result_box: QMessageBox | None = None
        self.last_preview: Preview | None = None
        self._generation = 0
        self._saving = False
        settings = load_settings()
        self.designator = CuiDesignator(settings.cui_controlled_by, settings.cui_category,
                                        settings.cui_dissemination, settings.cui_poc)
        self.setWindowTitle(self.tr(("Prepare " if for_partner else "Print ") + self.report.label.lower()))
        self.setModal(True)

        self.heading = QLabel(f"<b>{html.escape(self.report.label)}</b>"
                              + (f" — {html.escape(request.case_number)}" if request.case_number else ""))
        self.form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._boxes: dict[str, QVBoxLayout] = {}
        self.case_field: PickerField | None = None
        if self.report.key == "case-briefing" and not request.case_number:
            self.case_field = case_picker(self.ctx)()
            self._row(form, "Case *", self.case_field, "case")
        self.task_force: QComboBox | None = None
        if self.report.task_force:
            self.task_force = ChoiceField(lookup.task_forces(self.ctx))
            if self.report.task_force == "optional":
                self.task_force.insertItem(0, self.tr("All task forces"), None)
            self.task_force.setCurrentIndex(max(self.task_force.findText(request.task_force), 0))
            self._row(form, "Task force *" if self.report.task_force == "required" else "Task force",
                      self.task_force, "task_force")
        self.period_from = self.period_to = None
        if self.report.period:
            today = self.ctx.today()
            start, end = request.period or (date(today.year, 1, 1), today)
            self.period_from, self.period_to = DateField(optional=False), DateField(optional=False)
            self.period_from.set_value(start)
            self.period_to.set_value(end)
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(self.period_from)
            row.addWidget(QLabel(self.tr("to")))
            row.addWidget(self.period_to)
            row.addStretch()
            self.period_from.setAccessibleName("Period from")
            self.period_to.setAccessibleName("Period to")
            self._row(form, "Period *", box, "period")
        self.include_closed: QCheckBox | None = None
        if self.report.key == "package":
            self.include_closed = QCheckBox(self.tr("Include closed cases"))
            self.include_closed.setChecked(request.include_closed)
            self.include_closed.setAccessibleName("Include closed cases")
            form.addRow("", self.include_closed)

        self.for_partner = QCheckBox(self.tr("Prepare for a partner agency (leaves out what it may not receive)"))
        self.for_partner.setAccessibleName("Prepare for a partner agency")
        self.for_partner.setChecked(for_partner)
        form.addRow("", self.for_partner)
        self.recipient: PickerField = agency_picker(self.ctx)()
        self._row(form, "Recipient agency *", self.recipient, "recipient")

        self.profile = ChoiceField(PROFILE_CHOICES)
        self.profile.set_value(settings.marking_profile if settings.marking_profile in PROFILES else "les")
        self._row(form, "Marking", self.profile, "profile")
        self.custom = QLineEdit(settings.marking if settings.marking_profile == "custom" else "")
        self.custom.setPlaceholderText(self.tr("The banner printed at the top and bottom of every page"))
        self._row(form, "Custom marking *", self.custom, "custom")
        self.page_size = ChoiceField(PAGE_SIZES)
        self.page_size.set_value(settings.page_size if settings.page_size in ("letter", "a4") else "letter")
        self._row(form, "Page size", self.page_size, "page_size")

        self.preview_label = QLabel()
        self.preview_label.setObjectName("preview")
        self.preview_label.setAccessibleName("What will be withheld")
        self.preview_label.setWordWrap(True)
        self.preview_label.setMinimumHeight(44)
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(self.tr("Save…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.preview_label)
        layout.addStretch()
        layout.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())

        self._preview_timer = QTimer(self, singleShot=True, interval=250)
        self._preview_timer.timeout.connect(self.refresh_preview)
        for signal in (self.recipient.changed, self.for_partner.toggled,
                       *((self.case_field.changed,) if self.case_field else ()),
                       *((self.task_force.currentIndexChanged,) if self.task_force else ()),
                       *((self.include_closed.toggled,) if self.include_closed else ()),
                       *((self.period_from.changed, self.period_to.changed) if self.period_from else ())):
            signal.connect(self._content_changed)
        for signal in (self.profile.currentIndexChanged, self.custom.textChanged):
            signal.connect(self._revalidate)
        self._content_changed()

    def _row(self, form: QFormLayout, label: str, widget: QWidget, name: str) -> QLabel:
        widget.setObjectName(f"field_{name}")
        if not widget.accessibleName():
            widget.setAccessibleName(label.rstrip(" *"))
        error = QLabel()
        error.setObjectName(f"error_{name}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(error)
        caption = QLabel(self.tr(label))
        caption.setBuddy(widget)
        form.addRow(caption, box)
        setattr(self, f"{name}_error", error)
        self._boxes[name] = box
        return caption

    # -- what was chosen -------------------------------------------------------------------
    def marking(self) -> Marking:
        """The marking chosen for this document; ValueError with the user's sentence if none can be made."""
        from taskforce.reports.markings import marking_for

        return marking_for(self.profile.value(), self.custom.text(), self.designator)

    def _problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if self.case_field is not None and self.case_field.value() is None:
            problems["case"] = self.tr("Choose the case.")
        if self.task_force is not None and self.report.task_force == "required" and self.task_force.value() is None:
            problems["task_force"] = self.tr("Choose the task force.")
        if self.period_from is not None:
            typed = self.period_from.problem() or self.period_to.problem()
            if typed:
                problems["period"] = typed
            elif self.period_from.value() > self.period_to.value():
                problems["period"] = self.tr("The period ends before it starts.")
        if self.for_partner.isChecked() and self.recipient.value() is None:
            problems["recipient"] = self.tr("Choose the agency the document is for.")
        if self.profile.value() == "custom":
            try:
                self.marking()
            except ValueError as exc:
                problems["custom"] = str(exc)
        return problems

    def choice(self) -> _Choice:
        task_force = ""
        if self.task_force is not None and self.task_force.value() is not None:
            task_force = self.task_force.currentText()
        period = (self.period_from.value(), self.period_to.value()) if self.period_from else None
        request = replace(self.base, task_force=task_force, period=period,
                          include_closed=bool(self.include_closed and self.include_closed.isChecked()),
                          marking=None, page_size=self.page_size.value(), recipient="")
        partner = self.for_partner.isChecked()
        return _Choice(request, self.case_field.value() if self.case_field else None,
                       self.recipient.value() if partner else None)

    def _content_changed(self, *_args: Any) -> None:
        self.form.setRowVisible(self._boxes["recipient"], self.for_partner.isChecked())
        self._revalidate()
        self._preview_timer.start()

    def _revalidate(self, *_args: Any) -> dict[str, str]:
        self.form.setRowVisible(self._boxes["custom"], self.profile.value() == "custom")
        problems = self._problems()
        for name in ("case", "task_force", "period", "custom", "recipient"):
            label: QLabel | None = getattr(self, f"{name}_error", None)
            if label is None:
                continue
            # a picker's message waits until the user has typed there, the others show at once
            picker = {"case": self.case_field, "recipient": self.recipient}.get(name)
            shown = name in problems and (picker is None or bool(picker.text()))
            label.setText(problems.get(name, ""))
            label.setVisible(shown)
        self.save_button.setEnabled(not problems and not self._saving)
        return problems

    # -- the preview -----------------------------------------------------------------------
    def refresh_preview(self) -> None:
        """Ask the worker what the document would hold; only the newest answer is shown."""
        problems = self._revalidate()
        blocking = {k: v for k, v in problems.items() if k != "custom"}  # the marking changes no content
        if blocking:
            self._show_hint(next(iter(blocking.values())))
            return
        self._generation += 1
        generation, ctx, choice = self._generation, self.ctx, self.choice()
        self._show_hint(self.tr("Checking what the document will hold…"))

        def job() -> Preview:
            from taskforce.reports.publish import preview

            return preview(ctx, _resolved(ctx, choice))

        self.shell.worker.submit(job, lambda p: self._previewed(generation, p),
                                 lambda exc: self._preview_failed(generation, exc))

    def _show_hint(self, text: str) -> None:
        self.preview_label.setStyleSheet(HINT_STYLE)
        self.preview_label.setText(text)

    def _previewed(self, generation: int, p: Preview) -> None:
        if not isValid(self) or generation != self._generation:
            return  # an older answer: the user changed something since
        self.last_preview = p
        self.heading.setText(f"<b>{html.escape(p.title)}</b>")
        # the recipient by its full label ("ICE — U.S. Immigration and Customs Enforcement"), so
        # the user sees whom the picker chose before anything is saved
        if p.recipient:
            included = (self.tr("Will include {n} item for {recipient}") if p.included == 1
                        else self.tr("Will include {n} items for {recipient}")).format(n=p.included, recipient=p.recipient)
        else:
            included = (self.tr("Will include {n} item") if p.included == 1
                        else self.tr("Will include {n} items")).format(n=p.included)
        if p.withheld:
            self.preview_label.setStyleSheet(WITHHELD_STYLE)
            self.preview_label.setText(f"⚠ {included}. " + self.tr("Withheld: {summary}.").format(summary=p.withheld_summary))
        else:
            self.preview_label.setStyleSheet(CLEAR_STYLE)
            self.preview_label.setText(f"✓ {included}. " + self.tr("Nothing withheld."))

    def _preview_failed(self, generation: int, exc: BaseException) -> None:
        if not isValid(self) or generation != self._generation:
            return
        self.last_preview = None
        self.preview_label.setStyleSheet(ERROR_STYLE)
        self.preview_label.setText(self.tr("Cannot prepare this document: {reason}").format(reason=error_text(exc)))

    # -- saving ----------------------------------------------------------------------------
    def default_file_name(self) -> str:
        choice = self.choice()
        r = choice.request
        if self.report.key == "case-briefing":
            subject = r.case_number or _short(self.case_field.text() if self.case_field else "")
        elif r.task_force:
            subject = r.task_force
        else:
            subject = ""
        name = f"{subject} {self.report.file_noun}".strip()
        if r.period:
            name += f" {r.period[0]} to {r.period[1]}"
        if choice.recipient_id is not None:
            # the agency's label as the preview named it (the picker holds what was typed)
            shown = self.last_preview.recipient if self.last_preview and self.last_preview.recipient else ""
            name += f" for {_short(shown or self.recipient.text())}"
        if not subject:
            name = name[:1].upper() + name[1:]
        return _file_safe(name) + ".pdf"

    def save(self) -> None:
        """Save…: ask where, then write the file (save_to)."""
        if self._revalidate():
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save document"),
                                              str(documents_folder() / self.default_file_name()),
                                              self.tr("PDF documents (*.pdf)"))
        if path:
            self.save_to(path if path.lower().endswith(".pdf") else path + ".pdf")

    def save_to(self, path: str | Path) -> None:
        """Everything after the file dialog: publish on the worker with progress, then report."""
        problems = self._revalidate()
        if problems:
            tell(self, self.tr("Not saved"), " ".join(problems.values()), warning=True)
            return
        ctx, choice, marking, path = self.ctx, self.choice(), self.marking(), Path(path)
        self._saving = True
        self.buttons.setEnabled(False)  # the progress dialog's Cancel stops the work

        def job(progress, cancelled) -> Published | BaseException:  # noqa: ANN001
            from taskforce.reports.publish import publish

            def report(done: int, total: int, what: str) -> None:
                if cancelled():
                    raise Cancelled("Cancelled; no file was written and nothing was logged.")
                progress(done, total, what)
            try:
                return publish(ctx, replace(_resolved(ctx, choice), marking=marking), path, progress=report)
            except Exception as exc:  # noqa: BLE001 - shown by _finished, next to its field when it has one
                return exc

        run_with_progress(self.shell.worker, self, self.tr(f"Preparing the {self.report.label.lower()}…"),
                          job, self._finished)

    def _finished(self, outcome: Published | BaseException) -> None:
        self._saving = False
        self.buttons.setEnabled(True)
        if isinstance(outcome, BaseException):
            self._revalidate()
            tell(self, self.tr("Not saved"), error_text(outcome), warning=True)
            return
        self.result = outcome
        self.published.emit(outcome)
        self.result_box = saved_box(self.parentWidget() or self, outcome)
        self.accept()

    def reject(self) -> None:
        if not self._saving:  # while saving, Cancel is the progress dialog's
            super().reject()


def saved_box(parent: QWidget, p: Published) -> QMessageBox:
    """The saved document: Open, Show in folder, Close; its SHA-256 and what was withheld."""
    recipient = f" for {p.recipient}" if p.recipient else ""
    withheld = f"Withheld: {p.withheld_summary}." if p.withheld else "Nothing withheld."
    text = (f"Saved “{p.title}”{recipient}:\n{p.path}\n\n"
            f"{p.included} item{'s' if p.included != 1 else ''} included. {withheld}\n\n"
            f"SHA-256: {p.sha256}\n\nLogged in Reports → Release log.")
    box = QMessageBox(QMessageBox.Icon.Information, parent.tr("Document saved"), parent.tr(text),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    open_button = box.addButton(parent.tr("Open"), QMessageBox.ButtonRole.AcceptRole)
    folder_button = box.addButton(parent.tr("Show in folder"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(open_button)

    def clicked(button) -> None:  # noqa: ANN001
        if button is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(p.path)))
        elif button is folder_button:
            show_in_folder(Path(p.path))
    box.buttonClicked.connect(clicked)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def open_report(shell: Shell, parent: QWidget, request: ReportRequest, for_partner: bool = False) -> ReportDialog:
    """Show the dialog window-modally (no nested event loop); the caller may fill it (tests do)."""
    dialog = ReportDialog(parent, shell, request, for_partner)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


# --- the record windows' toolbar actions ---------------------------------------------------

def case_actions(shell: Shell, parent: QWidget) -> list[WindowAction]:
    def briefing(detail: Any, partner: bool) -> ReportDialog:
        from taskforce.reports.publish import ReportRequest

        return open_report(shell, parent, ReportRequest("case-briefing", case_number=detail.data.number), partner)
    return [WindowAction("Print briefing…", lambda d: briefing(d, False), "Ctrl+P"),
            WindowAction("Prepare for partner…", lambda d: briefing(d, True), "Ctrl+Shift+P")]


def task_force_actions(shell: Shell, parent: QWidget) -> list[WindowAction]:
    def package(detail: Any, partner: bool) -> ReportDialog:
        from taskforce.reports.publish import ReportRequest

        return open_report(shell, parent, ReportRequest("package", task_force=detail.data.name), partner)
    return [WindowAction("Print package…", lambda d: package(d, False), "Ctrl+P"),
            WindowAction("Prepare package for…", lambda d: package(d, True), "Ctrl+Shift+P")]
