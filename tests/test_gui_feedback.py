"""Rule 2 through the real screens: record support given on a case, record the feedback that
closes the obligation, and see both on the case's "Support & feedback" tabs."""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from taskforce.domain.feedback import ObligationStatus
from taskforce.gui.main_window import MainWindow
from taskforce.gui.record_window import ChildTabWidget, RecordWindow
from taskforce.gui.records.base import edit_with
from taskforce.gui.records.support import SupportRecordKind, case_tab, case_tab_data
from taskforce.services import feedback

from tests import factories_feedback as ff
from tests.test_gui_flow import only_form, pick, save


def _button(widget, name: str) -> QPushButton | None:
    return widget.findChild(QPushButton, name)


def _cells(tab: ChildTabWidget) -> list[list[str]]:
    table = tab.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def _open_support(qtbot, window, support_id: int) -> RecordWindow:
    record = RecordWindow(window.workspace, SupportRecordKind(), support_id, window)
    window.workspace.windows.append(record)  # as open_record does: refreshed on changes
    qtbot.waitUntil(lambda: record.detail is not None, timeout=5000)
    return record


def test_record_support_then_feedback_and_see_it_on_the_case(qtbot, ctx):
    best = ff.best_seattle(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    shell = window.workspace

    # S2: CBP OFO Blaine gives ICE HSI Seattle information on BEST-SEA-2026-0007
    dialog = edit_with(shell, SupportRecordKind().editor(shell, window, None))
    assert not dialog.save_button.isEnabled()  # task force and both agencies are required
    pick(qtbot, dialog.widgets["case_id"], "0007")
    assert dialog.widgets["task_force_id"].value() == best.task_force  # taken from the case
    pick(qtbot, dialog.widgets["from_agency_id"], "OFO Blaine")
    pick(qtbot, dialog.widgets["to_agency_id"], "OFO Blaine")
    assert dialog.errors["to_agency_id"].isVisibleTo(dialog)  # an agency cannot owe itself
    assert not dialog.save_button.isEnabled()
    dialog.widgets["to_agency_id"].clear()
    pick(qtbot, dialog.widgets["to_agency_id"], "ICE HSI Seattle")
    dialog.widgets["given_on"].set_value(date(2026, 3, 2))
    qtbot.keyClicks(dialog.widgets["description"], "Driver and vehicle pattern at Blaine secondary")
    save(qtbot, dialog)
    support_id = dialog.change.id
    assert feedback.get_support(ctx, support_id).feedback_due_on == date(2026, 4, 1)

    record = _open_support(qtbot, window, support_id)
    assert "Overdue" in record.overview.toPlainText()
    tab = record.child_tab("Feedback")
    assert "owes it by 2026-04-01" in tab.empty.text()

    # "Record feedback…" (the Feedback tab's Add…): no action needs its reason
    qtbot.mouseClick(_button(tab, "Feedback_add"), Qt.MouseButton.LeftButton)
    form = only_form(record)
    form.widgets["reported_on"].set_value(date(2026, 4, 5))
    assert not form.save_button.isEnabled()  # nothing reported yet
    qtbot.keyClick(form.widgets["no_action"], Qt.Key.Key_Space)
    assert form.widgets["no_action"].isChecked() and not form.save_button.isEnabled()
    qtbot.keyClick(form.widgets["no_action"], Qt.Key.Key_Space)
    # S2: 2 arrests; 14 kg cocaine valued $420,000
    qtbot.keyClick(form.widgets["arrests"], Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(form.widgets["arrests"], "2")
    assert form.widgets["arrests"].value() == 2
    qtbot.keyClicks(form.widgets["reported_by"], "SA Mara Quill")
    form.widgets["seizures"].add_row(("cocaine", "fourteen", "kg", "420000"))
    assert not form.save_button.isEnabled() and "must be a number" in form.errors["seizures"].text()
    form.widgets["seizures"].set_value((("cocaine", "14", "kg", "420,000"),))
    save(qtbot, form)

    qtbot.waitUntil(lambda: record.detail.feedback is not None, timeout=5000)
    detail = record.detail
    assert detail.status is ObligationStatus.CLOSED and detail.feedback.days_to_feedback == 34
    tab = record.child_tab("Feedback")
    assert _cells(tab) == [["2026-04-05", "SA Mara Quill", "2 arrests; 14 kg cocaine ($420,000)", "34"]]
    assert _button(tab, "Feedback_add") is None  # one feedback per support: edit it instead
    assert _cells(record.child_tab("Seizures")) == [["cocaine", "14", "kg", "$420,000"]]
    assert "Closed" in record.overview.toPlainText()

    # the case window's tabs, built as the case window does (data on the worker, widgets here)
    data = case_tab_data(ctx, best.case_0007)
    support_tab, results_tab = (ChildTabWidget(t) for t in case_tab(shell, window, best.case_0007, data))
    assert _cells(support_tab) == [["2026-03-02", "CBP OFO Blaine", "ICE HSI Seattle",
                                    "Information or intelligence", "2026-04-01", "Closed", "34"]]
    credited = {tuple(row[:2]): row for row in _cells(results_tab)}
    assert credited[("ICE HSI Seattle", "Acting")][3:6] == ["2", "1", "$420,000"]
    assert credited[("CBP OFO Blaine", "Contributing")][3:6] == ["2", "1", "$420,000"]
    total = credited[("Case total (each feedback once)", "")]
    assert total[2:6] == ["1", "2", "1: 14 kg cocaine", "$420,000"]

    # Add… on the case tab opens the support form for this case and its task force
    qtbot.mouseClick(_button(support_tab, "Support & feedback_add"), Qt.MouseButton.LeftButton)
    new = only_form(window)
    assert new.widgets["case_id"].value() == best.case_0007
    assert new.widgets["task_force_id"].value() == best.task_force
    assert new.widgets["case_id"].text().startswith("BEST-SEA-2026-0007")
    new.reject()
    record.close()
    window.close()


def test_overdue_support_is_flagged_on_the_case_tab(qtbot, ctx):
    best = ff.best_seattle(ctx)
    late = ff.support(ctx, best.task_force, best.wsp, best.hsi_seattle, date(2026, 9, 1), best.case_0007)
    soon = ff.support(ctx, best.task_force, best.rcmp, best.hsi_seattle, date(2026, 10, 30), best.case_0007)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    tabs = case_tab(window.workspace, window, best.case_0007, case_tab_data(ctx, best.case_0007))
    assert tabs[0].flags == {late: "overdue", soon: "warning"}  # as of 2026-11-23
    widget = ChildTabWidget(tabs[0])
    statuses = sorted(row[5] for row in _cells(widget))
    assert statuses == ["Open, due soon", "⚠ Overdue (53 days)"]
    assert tabs[1].rows == [] and "No results reported yet" in tabs[1].empty
    window.close()
