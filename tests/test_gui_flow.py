"""A user's path through the real screens: a subject, a case with members and the subject,
found again by search, with its history shown."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from taskforce.gui.form_dialog import FormDialog
from taskforce.gui.main_window import MainWindow
from taskforce.gui.record_window import RecordWindow
from taskforce.services import cases

from tests import factories as f


def pick(qtbot, picker, typed: str) -> None:
    """Type into a database picker and choose the first suggestion, as a user would."""
    qtbot.keyClicks(picker, typed)
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.value() is not None, f"nothing picked for {typed!r}"


def save(qtbot, dialog: FormDialog) -> None:
    assert dialog.save_button.isEnabled(), [e.text() for e in dialog.errors.values() if e.text()]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=5000)


def only_form(parent) -> FormDialog:
    forms = [w for w in parent.findChildren(FormDialog) if w.isVisible()]
    assert len(forms) == 1
    return forms[0]


def test_create_case_with_subject_and_member_then_find_it(qtbot, ctx):
    tf = f.best_seattle(ctx)
    f.member(ctx, "Okafor", "Lena")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()

    # a subject, through the Subjects section's New form (Ctrl+N)
    window.show_section("subjects")
    dialog = window.new_record()
    assert not dialog.save_button.isEnabled()  # the name is required
    qtbot.keyClicks(dialog.widgets["name"], "Dario Vance")
    dialog.widgets["identifiers"].add_row(("passport", "X1234567"))
    save(qtbot, dialog)

    # a case: choosing the task force suggests the next number
    window.show_section("cases")
    dialog = window.new_record()
    combo = dialog.widgets["task_force_id"]
    combo.setCurrentIndex(combo.findData(tf))
    assert dialog.widgets["number"].text() == "BEST-SEA-2026-0001"
    qtbot.keyClicks(dialog.widgets["title"], "Fentanyl via Blaine")
    pick(qtbot, dialog.widgets["lead_agency_id"], "HSI Seattle")
    dialog.widgets["statutes"].set_value(("21",))
    save(qtbot, dialog)
    page = window.pages["cases"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    assert page.count_label.text() == "1 case" or "1 case" in page.count_label.text()

    # open it with Enter, then assign a member and link the subject through its tabs
    page.view.setFocus()
    page.view.selectRow(0)
    window.open_selected()
    record: RecordWindow = window.windows[0]
    qtbot.waitUntil(lambda: record.detail is not None, timeout=5000)
    case_id = record.record_id

    members_tab = record.child_tab("Members")
    qtbot.mouseClick(_button(members_tab, "Members_add"), Qt.MouseButton.LeftButton)
    form = only_form(record)
    pick(qtbot, form.widgets["target"], "Okafor")
    save(qtbot, form)
    qtbot.waitUntil(lambda: len(record.detail.members) == 1, timeout=5000)

    subjects_tab = record.child_tab("Subjects")
    qtbot.mouseClick(_button(subjects_tab, "Subjects_add"), Qt.MouseButton.LeftButton)
    form = only_form(record)
    pick(qtbot, form.widgets["target"], "Vance")
    save(qtbot, form)
    qtbot.waitUntil(lambda: len(record.detail.subjects) == 1, timeout=5000)

    detail = cases.get_case(ctx, case_id)
    assert [m.name for m in detail.members] == ["Okafor, Lena"]
    assert [s.name for s in detail.subjects] == ["Dario Vance"]

    # the history tab shows the creation and each link
    assert record.history.rowCount() >= 3

    # and the search box finds the case and the subject by word beginnings
    window.focus_search()
    qtbot.keyClicks(window.search_box, "fentan")
    panel = window.search_panel
    qtbot.waitUntil(lambda: panel.results.count() == 1, timeout=5000)
    assert "1 match" in panel.summary.text()
    assert panel.results.item(0).text().startswith("BEST-SEA-2026-0001")
    window.search_box.clear()
    qtbot.keyClicks(window.search_box, "x12345")  # the passport number
    qtbot.waitUntil(lambda: panel.results.count() == 1 and "Dario" in panel.results.item(0).text(), timeout=5000)
    record.close()
    window.close()


def _button(widget, name):
    from PySide6.QtWidgets import QPushButton

    button = widget.findChild(QPushButton, name)
    assert button is not None, name
    return button


def test_field_errors_show_next_to_the_field(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_section("agencies")
    dialog = window.new_record()
    qtbot.keyClicks(dialog.widgets["name"], "Blaine PD")
    qtbot.keyClicks(dialog.widgets["ori"], "WA1")
    assert dialog.errors["ori"].isVisibleTo(dialog)
    assert "9 letters" in dialog.errors["ori"].text()
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.widgets["ori"], "234567")
    assert not dialog.errors["ori"].isVisibleTo(dialog)
    assert dialog.save_button.isEnabled()
    save(qtbot, dialog)
    page = window.pages["agencies"]
    qtbot.waitUntil(lambda: page.total == 18, timeout=5000)
    QApplication.processEvents()


def test_a_note_records_where_it_came_from_and_its_caveats(qtbot, ctx):
    from tests.factories_release import eu_pnr

    tf = f.best_seattle(ctx)
    case_id = f.case(ctx, tf)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    record = window.open_record("case_file", case_id)
    qtbot.waitUntil(lambda: record.detail is not None, timeout=5000)
    notes_tab = record.child_tab("Notes")
    qtbot.mouseClick(_button(notes_tab, "Notes_add"), Qt.MouseButton.LeftButton)
    form = only_form(record)
    qtbot.keyClicks(form.widgets["body"], "Passenger record checked at Blaine")
    pick(qtbot, form.widgets["originating_agency_id"], "HSI Seattle")
    form.widgets["caveat_ids"].set_value((eu_pnr(ctx),))
    save(qtbot, form)
    qtbot.waitUntil(lambda: len(record.detail.notes) == 1, timeout=5000)
    note = record.detail.notes[0]
    assert note.originating_agency == "ICE HSI Seattle" and note.caveats == ("EU PNR-derived",)
    # stored, not only shown
    assert cases.get_case(ctx, case_id).notes[0].originating_agency_id == note.originating_agency_id
