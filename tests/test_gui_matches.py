"""Deconfliction through the real screens (S11): the case's "Possible matches" tab suggests the
subject on the JTTF case; the user confirms it (linked on both subjects, both kept), takes the
link back, then dismisses the suggestion, which is not shown again."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from taskforce.domain.deconfliction import MatchDecision
from taskforce.gui.main_window import MainWindow
from taskforce.gui.record_window import ChildTabWidget
from taskforce.gui.records.matches import case_tab, case_tab_data, subject_tab, subject_tab_data
from taskforce.services import deconfliction as dc

from tests import factories_wg as w
from tests.test_gui_flow import only_form, save


def _button(widget, name: str) -> QPushButton:
    button = widget.findChild(QPushButton, name)
    assert button is not None, name
    return button


def _cells(tab: ChildTabWidget) -> list[list[str]]:
    t = tab.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def _click_and_answer_yes(qtbot, button: QPushButton) -> None:
    """Click a button that asks "Please confirm" and answer Yes, as a user would."""
    asked = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            asked.append(box.text())
            box.button(QMessageBox.StandardButton.Yes).click()
        else:
            QTimer.singleShot(20, answer)
    QTimer.singleShot(20, answer)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)


def test_s11_confirm_unlink_then_dismiss_from_the_case_tab(qtbot, ctx):
    s = w.s11(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    shell = window.workspace

    def case_tab_now() -> ChildTabWidget:  # as the case window builds it: data on the worker, tab on the GUI
        return ChildTabWidget(case_tab(shell, window, s.best_case, case_tab_data(ctx, s.best_case)))

    tab = case_tab_now()
    assert tab.tab.title == "Possible matches"
    (row,) = _cells(tab)
    assert row[:4] == ["Dario Vantongeren", "Dario van Tongeren", "JTTF-SEA-2026-0031", "100"]
    assert "same date of birth" in row[4] and row[5].startswith("⚠ Suggested")

    # Edit… opens the decision; "Same" links the two records
    tab.table.selectRow(0)
    qtbot.mouseClick(_button(tab, "Possible matches_edit"), Qt.MouseButton.LeftButton)
    form = only_form(window)
    assert "Dario van Tongeren (#" in form.widgets["pair"].text()
    assert form.widgets["decision"].value() == MatchDecision.CONFIRMED
    save(qtbot, form)
    assert form.change is not None and "subject" in form.change.kinds
    (link,) = dc.linked_subjects(ctx, s.dario)
    assert link.other_id == s.van and link.decided_by == "m.quill"

    tab = case_tab_now()
    (row,) = _cells(tab)
    assert row[1] == "Dario van Tongeren" and row[5].startswith("Linked: confirmed by m.quill on ")
    assert tab.tab.flags == {}  # a link is not a warning
    # and on the other subject's window: linked to the BEST case's subject
    other = ChildTabWidget(subject_tab(shell, window, s.van, subject_tab_data(ctx, s.van)))
    (row,) = _cells(other)
    assert row[:2] == ["Dario Vantongeren", "BEST-SEA-2026-0007"] and row[4].startswith("Linked")

    # Open shows the other subject; both records still exist
    tab.table.selectRow(0)
    qtbot.mouseClick(_button(tab, "Possible matches_open"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(r.record_id == s.van and r.detail is not None for r in shell.windows), timeout=5000)

    # Remove takes the link back (asked first): the pair is suggested again
    tab.table.selectRow(0)
    _click_and_answer_yes(qtbot, _button(tab, "Possible matches_remove"))
    qtbot.waitUntil(lambda: dc.linked_subjects(ctx, s.dario) == (), timeout=5000)
    tab = case_tab_now()
    assert _cells(tab)[0][5].startswith("⚠ Suggested")

    # Remove on a suggestion dismisses it: never suggested again
    tab.table.selectRow(0)
    _click_and_answer_yes(qtbot, _button(tab, "Possible matches_remove"))
    qtbot.waitUntil(lambda: dc.subject_matches(ctx, s.dario).dismissed != (), timeout=5000)
    tab = case_tab_now()
    assert _cells(tab) == [] and tab.empty.text() == "No possible matches on other cases."
    for record in list(shell.windows):
        record.close()
    window.close()
