"""First start without a database: who you are, then create an empty database, one with demo
data, or open a file.

The name comes first and is kept before anything is written (issue 10 §5): every audit row,
note and printed briefing names whoever made it, and without it they would say the OS
account (``root`` in a container, a shared ``analyst`` login). It is prefilled with the OS
account's name and can be changed later under File → Set your user name….
"""

from __future__ import annotations

from enum import Enum
from html import escape
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
    QVBoxLayout, QWidget,
)

from taskforce.gui.form_dialog import ERROR_STYLE
from taskforce.settings import default_user_name, save_user_name, user_name_problem


class Choice(Enum):
    EMPTY = "empty"
    DEMO = "demo"
    OPEN = "open"


class FirstStartDialog(QDialog):
    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to Taskforce"))
        self.path = path
        self.choice: Choice | None = None
        intro = QLabel(self.tr(
            "<h2>Welcome to Taskforce</h2>"
            "<p>There is no database yet at<br><code>{path}</code></p>"
            "<p>Everything stays in this one file on this computer; nothing is sent anywhere.</p>")
            .format(path=escape(str(path))))
        intro.setWordWrap(True)

        self.user_name = QLineEdit(default_user_name())
        self.user_name.setAccessibleName("Your name")
        self.user_name.textChanged.connect(self._check_name)
        name_hint = QLabel(self.tr("Written into the history of every change, and on what you print."))
        name_hint.setWordWrap(True)
        self.name_error = QLabel()
        self.name_error.setObjectName("error_user_name")
        self.name_error.setAccessibleName("Your name message")
        self.name_error.setStyleSheet(ERROR_STYLE)
        self.name_error.setWordWrap(True)
        self.name_error.hide()
        name_form = QFormLayout()
        name_form.addRow(self.tr("Your name"), self.user_name)
        name_form.addRow("", name_hint)
        name_form.addRow("", self.name_error)

        self.empty_button = QPushButton(self.tr("Create an empty database"))
        self.demo_button = QPushButton(self.tr("Create with fictitious demo data"))
        self.demo_cases = QSpinBox()
        self.demo_cases.setRange(10, 1_000_000)
        self.demo_cases.setValue(500)
        self.demo_cases.setSuffix(self.tr(" cases"))
        self.demo_cases.setAccessibleName("Demo cases")
        self.open_button = QPushButton(self.tr("Open an existing database file…"))
        self.quit_button = QPushButton(self.tr("Quit"))
        self.empty_button.setDefault(True)
        self.empty_button.clicked.connect(lambda: self._choose(Choice.EMPTY))
        self.demo_button.clicked.connect(lambda: self._choose(Choice.DEMO))
        self.open_button.clicked.connect(self._open_existing)
        self.quit_button.clicked.connect(self.reject)
        demo_row = QHBoxLayout()
        demo_row.addWidget(self.demo_button, 1)
        demo_row.addWidget(self.demo_cases)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addLayout(name_form)
        layout.addSpacing(8)
        layout.addWidget(self.empty_button)
        layout.addLayout(demo_row)
        layout.addWidget(self.open_button)
        layout.addSpacing(8)
        layout.addWidget(self.quit_button)
        self.setTabOrder(self.user_name, self.empty_button)
        self.user_name.setFocus()
        self.user_name.selectAll()  # typing replaces the OS account's name
        self._check_name()
        # the height the word-wrapped welcome text needs at this width: a window sized by its
        # size hint alone cuts the text's last paragraph off
        self.resize(560, max(self.heightForWidth(560), 0))

    def _check_name(self) -> None:
        """The reason the name cannot be kept, under the field; no database until it can."""
        problem = user_name_problem(self.user_name.text())
        self.name_error.setText(problem or "")
        self.name_error.setVisible(problem is not None)
        for button in (self.empty_button, self.demo_button, self.open_button):
            button.setEnabled(problem is None)
        needed = self.heightForWidth(self.width())  # the sentence shown takes a line or two more
        if needed > self.height():
            self.resize(self.width(), needed)

    def _choose(self, choice: Choice) -> None:
        if user_name_problem(self.user_name.text()) is not None:
            return  # Enter in the field with the buttons disabled
        # kept before the database is created, so its very first audit row carries it
        save_user_name(self.user_name.text())
        self.choice = choice
        self.accept()

    def _open_existing(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open database"), str(Path.home()),
                                              self.tr("Taskforce databases (*.sqlite *.db);;All files (*)"))
        if path:
            self.path = Path(path)
            self._choose(Choice.OPEN)
