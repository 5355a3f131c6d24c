"""First start without a database: create an empty one, one with demo data, or open a file."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QFileDialog, QLabel, QPushButton, QSpinBox, QHBoxLayout, QVBoxLayout, QWidget,
)


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
            f"<p>There is no database yet at<br><code>{path}</code></p>"
            "<p>Everything stays in this one file on this computer; nothing is sent anywhere.</p>"))
        intro.setWordWrap(True)
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
        layout.addWidget(self.empty_button)
        layout.addLayout(demo_row)
        layout.addWidget(self.open_button)
        layout.addSpacing(8)
        layout.addWidget(self.quit_button)
        self.resize(520, 320)

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()

    def _open_existing(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open database"), str(Path.home()),
                                              self.tr("Taskforce databases (*.sqlite *.db);;All files (*)"))
        if path:
            self.path = Path(path)
            self._choose(Choice.OPEN)
