"""The debrief path through the real screens: a debrief without a CBP officer recorded from the
case's Debriefs tab, its Briefing tab showing the briefing owed, then the briefing recorded.
Also the referral's Accept… and the Timeline's controlled-delivery refusal."""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from taskforce.domain.debriefs import BriefingStatus
from taskforce.domain.referrals import ReferralData, ReferralStatus
from taskforce.gui.main_window import MainWindow
from taskforce.gui.record_window import ChildTabWidget, RecordWindow
from taskforce.gui.records import case_event as event_gui
from taskforce.gui.records import debrief as debrief_gui
from taskforce.gui.records.base import edit_with
from taskforce.gui.records.referral import ReferralKind
from taskforce.services import case_events, cases, debriefs, referrals

from tests.factories_debriefs import best_world
from tests.test_gui_flow import only_form, pick, save


def _button(widget, name: str) -> QPushButton:
    button = widget.findChild(QPushButton, name)
    assert button is not None, name
    return button


def _click(qtbot, widget, name: str) -> None:
    qtbot.mouseClick(_button(widget, name), Qt.MouseButton.LeftButton)


def _open(qtbot, window, kind, record_id) -> RecordWindow:
    record = RecordWindow(window.workspace, kind, record_id, window)
    windows = window.workspace.windows
    windows.append(record)  # so the workspace refreshes it after a change, as open_record does
    record.destroyed.connect(lambda *_: record in windows and windows.remove(record))
    qtbot.waitUntil(lambda: record.detail is not None, timeout=5000)
    return record


def test_record_debrief_without_cbp_officer_then_the_briefing(qtbot, ctx):
    w = best_world(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)

    # the case window's Debriefs tab, as the lead engineer wires it
    data = debrief_gui.case_tab_data(ctx, w.case7)
    tab = ChildTabWidget(debrief_gui.case_tab(window.workspace, window, w.case7, data))
    qtbot.addWidget(tab)
    assert tab.empty.isVisibleTo(tab) and tab.table.rowCount() == 0
    _click(qtbot, tab, "Debriefs_add")
    form = only_form(window)
    assert form.widgets["case_id"].value() == w.case7  # the case, and its lead as the debrief's lead
    assert form.widgets["lead_agency_id"].value() == w.hsi_seattle
    assert not form.save_button.isEnabled()  # no participant yet

    form.widgets["held_on"].set_value(date(2026, 6, 10))
    pick(qtbot, form.widgets["defendant_subject_id"], "Vantong")
    qtbot.keyClicks(form.widgets["place"], "U.S. Attorney's Office, W.D. Washington")
    rows = form.widgets["participants"]
    rows.add_row()
    pick(qtbot, rows.table.cellWidget(0, 0), "Quill")
    rows.add_row()
    qtbot.keyClicks(rows.table.cellWidget(1, 1), "AUSA Helen Marsh")
    pick(qtbot, rows.table.cellWidget(1, 2), "USAO")
    role = rows.table.cellWidget(1, 3)
    role.setCurrentIndex(role.findData("counsel"))
    save(qtbot, form)

    (row,) = debriefs.case_debriefs(ctx, w.case7)
    assert row.participants == "Mara Quill (interviewer); AUSA Helen Marsh (counsel)"
    assert row.defendant == "Dario Vantongeren" and not row.cbp_present

    # the debrief's Briefing tab: owed, with its two actions
    record = _open(qtbot, window, debrief_gui.DebriefKind(), row.id)
    briefing = record.child_tab("Briefing")
    assert briefing.table.item(0, 0).text().startswith("Owed (166 days)")  # 2026-06-10 → 11-23
    assert "Owed" in record.overview.toPlainText()
    qtbot.waitUntil(lambda: briefing.findChild(QPushButton, "Briefing_waive") is not None, timeout=3000)
    _click(qtbot, briefing, "Briefing_record briefing")
    form = only_form(record)
    form.widgets["briefed_on"].set_value(date(2026, 6, 12))
    form.widgets["briefed_by"].clear()
    qtbot.keyClicks(form.widgets["briefed_by"], "SA Mara Quill")
    qtbot.keyClicks(form.widgets["briefed_to"], "SCBPO Lee Okafor (CBP OFO Blaine)")
    save(qtbot, form)

    qtbot.waitUntil(lambda: record.detail.status is BriefingStatus.BRIEFED, timeout=5000)
    briefing = record.child_tab("Briefing")
    cells = [briefing.table.item(0, c).text() for c in range(4)]
    assert cells == ["Briefed", "2026-06-12", "SA Mara Quill", "SCBPO Lee Okafor (CBP OFO Blaine)"]
    qtbot.wait(50)
    assert briefing.findChild(QPushButton, "Briefing_record briefing") is None  # nothing left to do
    assert record.history.rowCount() >= 4  # creation, participants, the briefing's fields
    record.close()


def test_waiver_without_reason_cannot_be_saved(qtbot, ctx):
    w = best_world(ctx)
    from taskforce.domain.debriefs import DebriefData, DebriefParticipant

    debrief_id = debriefs.create_debrief(ctx, DebriefData(
        w.case7, date(2026, 6, 10), w.hsi_seattle,
        participants=(DebriefParticipant(w.quill, "", None, "interviewer"),))).id
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    record = _open(qtbot, window, debrief_gui.DebriefKind(), debrief_id)
    briefing = record.child_tab("Briefing")
    qtbot.waitUntil(lambda: briefing.findChild(QPushButton, "Briefing_waive") is not None, timeout=3000)
    _click(qtbot, briefing, "Briefing_waive")
    form = only_form(record)
    assert not form.save_button.isEnabled()
    qtbot.keyClicks(form.widgets["reason"], "AUSA declined further attendees")
    save(qtbot, form)
    qtbot.waitUntil(lambda: record.detail.status is BriefingStatus.WAIVED, timeout=5000)
    assert record.child_tab("Briefing").table.item(0, 0).text() == "Waived"
    assert "Waived" in record.overview.toPlainText()
    record.close()


def test_accept_referral_from_its_window_moves_the_lead(qtbot, ctx):
    w = best_world(ctx)
    referral_id = referrals.create_referral(ctx, ReferralData(
        w.case12, w.blaine, w.hsi_seattle, date(2026, 2, 11), w.dobrev, "Title 8, foreign co-conspirators")).id
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    record = _open(qtbot, window, ReferralKind(), referral_id)
    decision = record.child_tab("Decision")
    assert decision.table.item(0, 0).text().startswith("Pending")
    qtbot.waitUntil(lambda: decision.findChild(QPushButton, "Decision_accept") is not None, timeout=3000)
    _click(qtbot, decision, "Decision_accept")
    form = only_form(record)
    form.widgets["decided_on"].set_value(date(2026, 2, 20))
    save(qtbot, form)
    qtbot.waitUntil(lambda: record.detail.row.status is ReferralStatus.ACCEPTED, timeout=5000)
    assert cases.get_case(ctx, w.case12).data.lead_agency_id == w.hsi_seattle
    assert "HSI SEA" in record.overview.toPlainText()
    record.close()


def test_timeline_refuses_a_controlled_delivery_led_by_state_police(qtbot, ctx):
    w = best_world(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    tab = ChildTabWidget(event_gui.case_tab(window.workspace, window, w.case7, event_gui.case_tab_data(ctx, w.case7)))
    qtbot.addWidget(tab)
    _click(qtbot, tab, "Timeline_add")
    form = only_form(window)
    kind = form.widgets["kind"]
    kind.setCurrentIndex(kind.findData("controlled_delivery"))
    assert not form.save_button.isEnabled()  # a controlled delivery needs its lead
    pick(qtbot, form.widgets["lead_agency_id"], "Washington State")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    error = form.errors["lead_agency_id"]
    qtbot.waitUntil(lambda: error.isVisibleTo(form), timeout=5000)
    assert error.text().startswith("Controlled deliveries are led by the investigative agency")
    assert case_events.timeline(ctx, w.case7).events == ()

    form.widgets["lead_agency_id"].clear()
    pick(qtbot, form.widgets["lead_agency_id"], "HSI SEA")
    qtbot.keyClicks(form.widgets["outcome"], "delivered; 2 arrests made; seized")
    save(qtbot, form)
    (event,) = case_events.timeline(ctx, w.case7).events
    assert event.lead_agency == "HSI SEA" and event.data.outcome == "delivered; 2 arrests made; seized"


def test_new_debrief_from_the_section_takes_the_case_lead_and_cbp_officer_means_no_briefing(qtbot, ctx):
    w = best_world(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    form = edit_with(window.workspace, debrief_gui.DebriefKind().editor(window.workspace, window, None))
    assert form.widgets["lead_agency_id"].value() is None
    pick(qtbot, form.widgets["case_id"], "0007")
    assert form.widgets["lead_agency_id"].value() == w.hsi_seattle
    form.widgets["held_on"].set_value(date(2026, 6, 20))
    rows = form.widgets["participants"]
    rows.add_row()
    pick(qtbot, rows.table.cellWidget(0, 0), "Reyes")  # CBPO, CBP OFO Blaine
    save(qtbot, form)
    (row,) = debriefs.case_debriefs(ctx, w.case7)
    assert row.cbp_present and row.status is BriefingStatus.NOT_NEEDED
