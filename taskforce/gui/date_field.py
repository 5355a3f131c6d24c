"""The one date field of every form: typed as yyyy-mm-dd (or yyyymmdd) or picked from a calendar."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QApplication, QCalendarWidget, QFrame, QLineEdit, QToolButton, QVBoxLayout

from taskforce.gui.icons import icon

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
