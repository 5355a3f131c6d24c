"""Reports → Print settings…: the dissemination marking printed on every page, and the paper.

Three marking profiles (the task force's usual UNCLASSIFIED//LAW ENFORCEMENT SENSITIVE, CUI
with its designator block on the cover, or a custom line for a partner's caveat); each
document may still choose another when it is printed. The banner is checked by the same
`marking_for` the printer uses, so what the preview shows is what prints.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from taskforce.gui.fields import ChoiceField
from taskforce.gui.form_dialog import ERROR_STYLE
from taskforce.gui.messages import tell
from taskforce.gui.report_dialog import PAGE_SIZES
from taskforce.reports.markings import CuiDesignator, Marking, marking_for
from taskforce.settings import Settings, load_settings, save_settings

PROFILES = [("les", "Default: UNCLASSIFIED//LAW ENFORCEMENT SENSITIVE"),
            ("cui", "CUI, with the designator block on the cover"),
            ("custom", "Custom text")]
BANNER_STYLE = ("border:1px solid palette(mid);padding:6px;font-family:monospace;font-weight:bold;"
                "qproperty-alignment:AlignCenter;")


class PrintSettingsDialog(QDialog):
    """``path``: the settings file (tests give their own; the app the user's)."""

    def __init__(self, parent: QWidget | None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.settings: Settings = load_settings(path)
        s = self.settings
        self.setWindowTitle(self.tr("Print settings"))
        self.setModal(True)

        self.profile = ChoiceField(PROFILES)
        self.profile.set_value(s.marking_profile if s.marking_profile in ("les", "cui", "custom") else "les")
        self.custom = QLineEdit(s.marking)
        self.custom.setPlaceholderText(self.tr("e.g. UNCLASSIFIED//FOR OFFICIAL USE ONLY"))
        self.custom_error = QLabel()
        self.custom_error.setObjectName("error_custom")
        self.custom_error.setStyleSheet(ERROR_STYLE)
        self.custom_error.setWordWrap(True)
        self.custom_error.hide()
        self.controlled_by = QLineEdit(s.cui_controlled_by)
        self.controlled_by.setPlaceholderText(self.tr("e.g. DHS/ICE/HSI Seattle"))
        self.category = QLineEdit(s.cui_category)
        self.dissemination = QLineEdit(s.cui_dissemination)
        self.dissemination.setPlaceholderText(self.tr("e.g. FEDCON, NOFORN; empty if none"))
        self.poc = QLineEdit(s.cui_poc)
        self.poc.setPlaceholderText(self.tr("Name, phone or e-mail"))
        self.page_size = ChoiceField(PAGE_SIZES)
        self.page_size.set_value(s.page_size if s.page_size in ("letter", "a4") else "letter")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Marking"), self.profile)
        custom_box = QVBoxLayout()
        custom_box.setSpacing(2)
        custom_box.addWidget(self.custom)
        custom_box.addWidget(self.custom_error)
        form.addRow(self.tr("Custom banner"), custom_box)
        self.cui_group = QGroupBox(self.tr("CUI designator block (on the cover)"))
        cui = QFormLayout(self.cui_group)
        cui.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        cui.addRow(self.tr("Controlled by"), self.controlled_by)
        cui.addRow(self.tr("CUI category"), self.category)
        cui.addRow(self.tr("Limited dissemination"), self.dissemination)
        cui.addRow(self.tr("Point of contact"), self.poc)
        form.addRow(self.cui_group)
        form.addRow(self.tr("Page size"), self.page_size)
        for widget, name in ((self.profile, "Marking profile"), (self.custom, "Custom banner"),
                             (self.controlled_by, "Controlled by"), (self.category, "CUI category"),
                             (self.dissemination, "Limited dissemination"), (self.poc, "Point of contact"),
                             (self.page_size, "Page size")):
            widget.setAccessibleName(name)

        self.preview = QLabel()
        self.preview.setObjectName("banner_preview")
        self.preview.setAccessibleName("Banner preview")
        self.preview.setStyleSheet(BANNER_STYLE)
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.block = QLabel()
        self.block.setObjectName("cover_block_preview")
        self.block.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Printed at the top and bottom of every page:")))
        layout.addWidget(self.preview)
        layout.addWidget(self.block)
        layout.addWidget(QLabel(self.tr("A document may choose another marking when it is printed.")))
        layout.addWidget(self.buttons)
        for signal in (self.profile.currentIndexChanged, self.custom.textChanged, self.controlled_by.textChanged,
                       self.category.textChanged, self.dissemination.textChanged, self.poc.textChanged):
            signal.connect(self._update)
        self.resize(560, self.sizeHint().height())
        self._update()

    def designator(self) -> CuiDesignator:
        return CuiDesignator(self.controlled_by.text(), self.category.text(), self.dissemination.text(),
                             self.poc.text())

    def marking(self) -> Marking:
        return marking_for(self.profile.value(), self.custom.text(), self.designator())

    def _update(self, *_args: object) -> str:
        """Show the banner as it will print, or why it cannot; OK only when it can. Returns the problem."""
        profile = self.profile.value()
        self.custom.setEnabled(profile == "custom")
        self.cui_group.setEnabled(profile == "cui")
        try:
            marking = self.marking()
        except ValueError as exc:
            problem = str(exc)
            self.preview.setText("")
            self.block.setText("")
        else:
            problem = ""
            self.preview.setText(html.escape(marking.banner))
            lines = "<br>".join(html.escape(line) for line in marking.cover_block)
            self.block.setText(self.tr("On the cover:") + f"<br>{lines}" if lines else "")
        self.block.setVisible(bool(self.block.text()))
        self.custom_error.setText(problem)
        self.custom_error.setVisible(bool(problem))
        self.ok_button.setEnabled(not problem)
        return problem

    def save(self) -> None:
        if self._update():
            return
        s = self.settings
        s.marking_profile = self.profile.value()
        if s.marking_profile == "custom":
            s.marking = " ".join(self.custom.text().split())
        s.cui_controlled_by = self.controlled_by.text().strip()
        s.cui_category = self.category.text().strip()
        s.cui_dissemination = self.dissemination.text().strip()
        s.cui_poc = self.poc.text().strip()
        s.page_size = self.page_size.value()
        try:
            save_settings(s, self.path)
        except OSError as exc:
            tell(self, self.tr("Not saved"), self.tr("The settings could not be written: {reason}").format(
                reason=exc.strerror or exc), warning=True)
            return
        self.accept()


def open_print_settings(parent: QWidget, path: Path | None = None) -> PrintSettingsDialog:
    dialog = PrintSettingsDialog(parent, path)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
