"""The screens of rules 1, 7 and 8, driven as a user would: a translation-only request from a
local sheriff through the form shows the referral and its reason; a refused cooperation
activity shows the guidance's words on the form; a designation shows its warning band."""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QPushButton

from taskforce.domain.assistance import AssistanceRequestData
from taskforce.gui.lazy_table_model import LazyTableModel
from taskforce.gui.main_window import MainWindow
from taskforce.gui.record_window import ChildTabWidget, RecordWindow
from taskforce.gui.records.assistance import AssistanceKind
from taskforce.gui.records.base import edit_with
from taskforce.gui.records.cooperation import member_tab, member_tab_data
from taskforce.gui.records.designation import DesignationKind
from taskforce.gui.worker import Worker
from taskforce.services import assistance, cooperation
from taskforce.services.assistance import ASSISTANCE
from taskforce.services.roster import DESIGNATIONS

from tests import factories as f
from tests import factories_assist as fa
from tests.test_gui_flow import only_form, pick, save


def _check(checklist, value) -> None:
    for i in range(checklist.count()):
        item = checklist.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == value:
            item.setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(value)


def _button(widget, name) -> QPushButton:
    button = widget.findChild(QPushButton, name)
    assert button is not None, name
    return button


def test_translation_only_request_from_a_sheriff_shows_the_referral_and_why(qtbot, ctx):
    fa.whatcom_sheriff(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    shell = window.workspace
    kind = AssistanceKind()

    dialog = edit_with(shell, kind.editor(shell, window, None))
    assert not dialog.save_button.isEnabled()  # requester and a basis are required
    pick(qtbot, dialog.widgets["requesting_agency_id"], "Whatcom")
    pick(qtbot, dialog.widgets["requested_of_agency_id"], "Customs and Border")
    dialog.widgets["requested_on"].set_value(date(2026, 5, 4))
    _check(dialog.widgets["bases"], "translation")
    qtbot.keyClicks(dialog.widgets["description"], "Interpreter for a roadside interview")
    save(qtbot, dialog)
    request_id = dialog.change.id
    saved = assistance.get_request(ctx, request_id)
    assert saved.status == "referred" and saved.requested_of_agency.startswith("CBP — ")

    record = RecordWindow(shell, kind, request_id, window)
    qtbot.waitUntil(lambda: record.detail is not None, timeout=5000)
    shown = record.overview.toPlainText()
    assert "Referred to translation services" in shown
    assert "Referred to: translation services" in shown
    assert "solely on a need for language translation" in shown and "(000)" in shown
    decision = record.child_tab("Decision")
    assert decision.table.item(0, 0).text() == "Referred"
    assert record.history.rowCount() >= 2  # the create and its bases

    # taking the referral back asks for a reason, shown under the status field
    qtbot.mouseClick(_button(decision, "Decision_add"), Qt.MouseButton.LeftButton)
    form = only_form(record)
    assert form.widgets["status"].value() == "referred"
    form.widgets["status"].set_value("triaged")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.errors["status"].isVisibleTo(form), timeout=5000)
    assert "needs a reason" in form.errors["status"].text()
    form.done(0)  # closed without saving (reject() would ask about the unsaved change)
    record.close()
    window.close()


def test_cooperation_tab_refuses_an_impermissible_type_on_the_form(qtbot, ctx):
    solano = f.member(ctx, "Solano", "Ray", fa.wsp(ctx))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    shell = window.workspace
    tab = ChildTabWidget(member_tab(shell, window, solano, member_tab_data(ctx, solano)))
    qtbot.addWidget(tab)

    qtbot.mouseClick(_button(tab, "Cooperation_add"), Qt.MouseButton.LeftButton)
    form = only_form(window)
    form.widgets["activity_type"].set_value("independent_removal")
    assert form.errors["activity_type"].isVisibleTo(form)
    assert "attempting to independently remove an alien" in form.errors["activity_type"].text()
    assert not form.save_button.isEnabled()

    # a delegated-authority activity passes the form but the service refuses it: no 287(g)
    form.widgets["activity_type"].set_value("delegated_immigration_authority")
    assert form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.errors["activity_type"].isVisibleTo(form), timeout=5000)
    assert "no 287(g) designation" in form.errors["activity_type"].text()

    form.widgets["activity_type"].set_value("warrant_perimeter")
    save(qtbot, form)
    (row,) = cooperation.member_cooperation(ctx, solano).activities
    assert row.activity_type == "warrant_perimeter"

    federal = f.member(ctx, "Okafor", "Lee")
    closed = ChildTabWidget(member_tab(shell, window, federal, member_tab_data(ctx, federal)))
    qtbot.addWidget(closed)
    assert closed.findChild(QPushButton, "Cooperation_add") is None
    assert "state, local or tribal" in closed.empty.text()
    window.close()


def test_designation_window_shows_its_warning_band(qtbot, ctx):
    ashby = f.member(ctx, "Ashby", "Greg", fa.wsp(ctx))
    # as of 2026-11-23 (the test day), 2026-12-20 is 27 days away: the 30-day band
    designation = fa.designation(ctx, ashby, "title21", date(2025, 1, 15), date(2026, 12, 20), granting="dea")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    record = RecordWindow(window.workspace, DesignationKind(), designation, window)
    qtbot.waitUntil(lambda: record.detail is not None, timeout=5000)
    shown = record.overview.toPlainText()
    assert "Expires within 30 days" in shown and "Expires in 27 days" in shown
    record.close()
    window.close()


def test_sections_models_pass_the_qt_model_tester(qtbot, ctx):
    sheriff = fa.whatcom_sheriff(ctx)
    ashby = f.member(ctx, "Ashby", "Greg", fa.wsp(ctx))
    fa.designation(ctx, ashby, "title21", date(2025, 1, 15), date(2026, 12, 20), granting="dea")
    fa.designation(ctx, ashby, "title19", date(2025, 1, 15), date(2026, 11, 1))
    for bases in (("translation",), ("translation", "officer_safety")):
        assistance.create_request(ctx, AssistanceRequestData(sheriff, date(2026, 5, 4), bases))
    worker = Worker()
    for spec, status_text in ((DESIGNATIONS, {"Expires ≤ 30 days", "Expired"}), (ASSISTANCE, {"Referred", "Open"})):
        model = LazyTableModel(ctx, spec, worker)
        QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
        model.reload_now()
        assert model.rowCount() == 2
        status = [c.key for c in spec.columns].index("status")
        for col in range(model.columnCount()):
            with qtbot.waitSignal(model.loaded, timeout=5000):
                model.sort(col, Qt.SortOrder.DescendingOrder)
        assert {model.data(model.index(r, status)) for r in range(2)} == status_text
    worker.wait()
