"""Issue 10 §1: a date typed with the keyboard is the date kept.

Every date field is a `DateField`; these tests type into it as a user does (keys, Tab) and read
the value back, alone, inside real forms, and through to the stored record.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLineEdit, QToolButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from taskforce.domain.enums import Authority
from taskforce.gui.fields import DateField, RowsField
from taskforce.gui.records.designation import DesignationKind
from taskforce.gui.records.subject import SubjectKindView
from taskforce.gui.worker import Worker
from taskforce.services import roster, subjects

from tests import factories as f


class _Shell:
    """The least a record editor needs of the main window: the context and the worker."""

    def __init__(self, ctx) -> None:  # noqa: ANN001
        self.ctx, self.worker, self.changes = ctx, Worker(), []

    def open_record(self, entity: str, record_id: int) -> None:
        pass

    def changed(self, change) -> None:  # noqa: ANN001
        self.changes.append(change)


_hosts: list[QWidget] = []


@pytest.fixture(autouse=True)
def _close_hosts():
    yield
    while _hosts:
        _hosts.pop().close()


def _in_window(qtbot, field: QWidget) -> QLineEdit:
    """Show the field with a second input after it, so Tab has somewhere to go; focus it."""
    host = QWidget()
    layout = QVBoxLayout(host)
    layout.addWidget(field)
    after = QLineEdit()
    layout.addWidget(after)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow, timeout=3000)
    field.setFocus()
    _hosts.append(host)  # qtbot keeps only a weak reference; the host must outlive the test body
    return after


def _type(qtbot, field: DateField, text: str) -> None:
    """Select what is there (as Tab into a field does) and type over it, then Tab away."""
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)


@pytest.mark.parametrize("optional", [True, False], ids=["optional", "required"])
@pytest.mark.parametrize("typed", ["2028-12-01", "20281201"])
def test_a_typed_date_is_the_date_kept_after_tab(qtbot, optional, typed):
    field = DateField(optional=optional)
    after = _in_window(qtbot, field)
    _type(qtbot, field, typed)
    assert after.hasFocus()  # Tab left the field
    assert field.value() == date(2028, 12, 1)
    assert field.text() == "2028-12-01"  # shown the one way dates are written
    assert field.problem() is None


@pytest.mark.parametrize("optional", [True, False], ids=["optional", "required"])
def test_t_is_today_and_delete_clears_an_optional_date(qtbot, optional):
    field = DateField(optional=optional)
    _in_window(qtbot, field)
    field.set_value(date(2028, 12, 1))
    qtbot.keyClick(field, Qt.Key.Key_T)
    assert field.value() == QDate.currentDate().toPython()
    if optional:
        field.set_value(date(2028, 12, 1))
        qtbot.keyClick(field, Qt.Key.Key_End)
        qtbot.keyClick(field, Qt.Key.Key_Delete)
        assert field.value() is None and field.text() == "" and field.problem() is None


def test_a_required_date_left_empty_says_so(qtbot):
    field = DateField(optional=False)
    _in_window(qtbot, field)
    assert field.value() == QDate.currentDate().toPython()  # a required date starts on today
    field.set_value(None)
    field.clear()
    assert field.value() is None
    assert "date" in field.problem().lower()


@pytest.mark.parametrize("typed", ["2028-13-01", "2028-02-30", "next week", "2028-12"])
def test_text_that_is_not_a_date_is_refused_not_dropped(qtbot, typed):
    field = DateField()
    _in_window(qtbot, field)
    _type(qtbot, field, typed)
    assert field.text() == typed  # what was typed stays, so it can be corrected
    assert field.value() is None
    assert typed in field.problem() and "yyyy-mm-dd" in field.problem()


def test_an_empty_optional_date_opens_its_calendar_on_today(qtbot):
    field = DateField()
    _in_window(qtbot, field)
    button = field.calendar_button()
    assert button.isVisible() and button.width() >= 12
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    calendar = field.calendar()
    qtbot.waitUntil(calendar.isVisible, timeout=3000)
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    # a day chosen in the calendar is the value, and the calendar closes
    calendar.setSelectedDate(QDate(2028, 12, 1))
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Return)
    assert field.value() == date(2028, 12, 1) and field.text() == "2028-12-01"
    qtbot.waitUntil(lambda: not calendar.isVisible(), timeout=3000)


def test_a_filled_date_opens_its_calendar_on_that_date(qtbot):
    field = DateField()
    _in_window(qtbot, field)
    field.set_value(date(1980, 3, 15))
    qtbot.keyClick(field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = field.calendar()
    qtbot.waitUntil(calendar.isVisible, timeout=3000)
    assert calendar.selectedDate() == QDate(1980, 3, 15)
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not calendar.isVisible(), timeout=3000)
    assert field.value() == date(1980, 3, 15)


def test_a_date_in_a_table_row_is_typed_like_any_other(qtbot):
    rows = RowsField([("Kind", [("a", "A")]), ("On", DateField)])
    _in_window(qtbot, rows)
    rows.add_row(("a", None))
    cell = rows.table.cellWidget(0, 1)
    cell.setFocus()
    _type(qtbot, cell, "20281201")
    assert rows.value() == (("a", date(2028, 12, 1)),)
    qtbot.keyClick(cell, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(cell, "soon")
    assert rows.problem() is not None and "soon" in rows.problem()


# --- through the real forms -----------------------------------------------------------------

def _open(qtbot, dialog):  # noqa: ANN001, ANN202
    # a form a failing test leaves unsaved must not stop the teardown to ask "Discard changes?"
    qtbot.addWidget(dialog, before_close_func=lambda form: setattr(form, "_dirty", False))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    return dialog


def _choose_member(qtbot, dialog, family: str) -> None:
    picker = dialog.widgets["member_id"]
    picker.setFocus()
    qtbot.keyClicks(picker, family)
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.value() is not None


def _saved(qtbot, dialog) -> None:  # noqa: ANN001
    assert dialog.save_button.isEnabled(), [e.text() for e in dialog.errors.values() if e.text()]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=5000)


def test_a_designation_expiry_typed_in_the_form_is_stored(qtbot, ctx):
    f.member(ctx, "Okafor", "Lena")
    shell = _Shell(ctx)
    dialog = _open(qtbot, DesignationKind().editor(shell, None, None))
    _choose_member(qtbot, dialog, "Okafor")
    dialog.widgets["authority"].set_value(Authority.TITLE19.value)
    dialog.widgets["granting_agency_id"].set_value(f.ref_agency(ctx, "ice"))
    effective, expires = dialog.widgets["effective"], dialog.widgets["expires"]
    for field in (effective, expires):
        assert field.calendar_button().isVisible()  # the calendar is offered in the form
    effective.setFocus()
    _type(qtbot, effective, "2025-12-01")
    assert expires.hasFocus()  # the form's tab order goes on to Expires
    assert expires.calendar_button().isVisible()
    qtbot.keyClicks(expires, "2028-12-01")
    qtbot.keyClick(expires, Qt.Key.Key_Tab)
    assert (effective.value(), expires.value()) == (date(2025, 12, 1), date(2028, 12, 1))
    _saved(qtbot, dialog)
    stored = roster.get_designation(ctx, dialog.change.id).data
    assert (stored.effective, stored.expires) == (date(2025, 12, 1), date(2028, 12, 1))


def test_a_date_of_birth_typed_in_the_subject_form_is_stored(qtbot, ctx):
    shell = _Shell(ctx)
    dialog = _open(qtbot, SubjectKindView().editor(shell, None, None))
    qtbot.keyClicks(dialog.widgets["name"], "Dario Vance")
    dob = dialog.widgets["dob"]
    assert dob.text() == "" and dob.value() is None and dob.calendar_button().isVisible()
    dob.setFocus()
    qtbot.keyClicks(dob, "19800315")
    qtbot.keyClick(dob, Qt.Key.Key_Tab)
    _saved(qtbot, dialog)
    assert subjects.get_subject(ctx, dialog.change.id).data.dob == date(1980, 3, 15)


def test_garbage_in_a_date_shows_the_reason_and_blocks_save(qtbot, ctx):
    shell = _Shell(ctx)
    dialog = _open(qtbot, SubjectKindView().editor(shell, None, None))
    qtbot.keyClicks(dialog.widgets["name"], "Dario Vance")
    assert dialog.save_button.isEnabled()
    dob = dialog.widgets["dob"]
    dob.setFocus()
    qtbot.keyClicks(dob, "1980-31-12")
    qtbot.keyClick(dob, Qt.Key.Key_Tab)
    error = dialog.errors["dob"]
    assert error.isVisible() and "1980-31-12" in error.text() and "yyyy-mm-dd" in error.text()
    assert not dialog.save_button.isEnabled()
    assert not dialog.general_error.isVisible()  # the reason is next to its field, once
    # Ctrl+S does not save it either
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.change is None
    # corrected, it saves
    dob.setFocus()
    _type(qtbot, dob, "1980-12-31")
    assert not error.isVisible() and dialog.save_button.isEnabled()
    _saved(qtbot, dialog)
    assert subjects.get_subject(ctx, dialog.change.id).data.dob == date(1980, 12, 31)


def test_every_form_date_field_shows_its_calendar_button(qtbot, ctx):
    """The button sits inside the field, so it is there whatever the form's width."""
    shell = _Shell(ctx)
    dialog = _open(qtbot, DesignationKind().editor(shell, None, None))
    dialog.resize(320, dialog.height())  # narrower than any form opens
    for name in ("effective", "expires"):
        button = dialog.widgets[name].calendar_button()
        qtbot.waitUntil(button.isVisible, timeout=2000)
        assert isinstance(button, QToolButton)
        inside = dialog.widgets[name].rect().contains(button.geometry())
        assert inside, (name, button.geometry(), dialog.widgets[name].rect())


def test_a_report_period_is_typed_and_checked_like_a_form_date(qtbot, ctx):
    from taskforce.gui.report_dialog import ReportDialog
    from taskforce.reports.publish import ReportRequest

    dialog = _open(qtbot, ReportDialog(None, _Shell(ctx), ReportRequest("debriefs"), False))
    start, end = dialog.period_from, dialog.period_to
    assert start.calendar_button().isVisible() and end.calendar_button().isVisible()
    start.setFocus()
    _type(qtbot, start, "20260115")
    assert end.hasFocus()
    _type(qtbot, end, "2026-06-30")
    assert dialog.choice().request.period == (date(2026, 1, 15), date(2026, 6, 30))
    assert dialog.save_button.isEnabled()
    end.setFocus()
    _type(qtbot, end, "2026-06-31")
    error = dialog.period_error
    assert error.isVisible() and "2026-06-31" in error.text()
    assert not dialog.save_button.isEnabled()


def test_a_designation_without_its_member_says_so_under_the_member_field(qtbot, ctx):
    shell = _Shell(ctx)
    dialog = _open(qtbot, DesignationKind().editor(shell, None, None))
    effective = dialog.widgets["effective"]
    effective.setFocus()
    _type(qtbot, effective, "2025-12-01")  # touch the form: its reasons show
    dialog.submit()
    assert dialog.errors["member_id"].isVisible()
    assert dialog.errors["member_id"].text() == "Choose the member who holds this designation."
    assert not dialog.general_error.isVisible() and not dialog.save_button.isEnabled()


def test_a_database_error_on_save_is_one_sentence_under_the_form_without_the_values(qtbot, ctx):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from PySide6.QtWidgets import QLineEdit

    from taskforce.gui.form_dialog import Field, FormDialog

    def save(_data):  # noqa: ANN001, ANN202 - what SQLite says when the disk is full
        raise OperationalError("INSERT INTO subject (name) VALUES (?)", ("Dario Vantongeren",),
                               sqlite3.OperationalError("database or disk is full"))

    shell = _Shell(ctx)
    dialog = _open(qtbot, FormDialog(None, "New subject", [Field("name", "Name", QLineEdit, True)],
                                     lambda v: _Named(v["name"]), save, shell.worker))
    qtbot.keyClicks(dialog.widgets["name"], "Dario Vantongeren")
    qtbot.keyClick(dialog.widgets["name"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(dialog.general_error.isVisible, timeout=5000)
    text = dialog.general_error.text()
    assert text.startswith("Not saved: ") and "disk" in text.lower()
    assert "Dario" not in text and "INSERT" not in text and dialog.isVisible()


class _Named:
    def __init__(self, name: str) -> None:
        self.name = name

    def validate(self) -> list:
        return []
