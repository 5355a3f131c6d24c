"""The home screen's main path (issue: Also): record a debrief without a CBP officer and see
the briefing owed appear on Needs attention; record the briefing and see it go."""

from datetime import date

from taskforce.domain.debriefs import BriefingData, DebriefData, DebriefParticipant
from taskforce.gui.main_window import MainWindow
from taskforce.services import debriefs

from tests.factories_debriefs import best_world


def _lines(page, kind_title: str) -> list[str]:
    tree = page.tree
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        if group.text(0).startswith(kind_title):
            return [group.child(j).text(1) + " | " + group.child(j).text(2) for j in range(group.childCount())]
    return []


def test_briefing_owed_appears_on_the_home_screen_and_goes_when_recorded(qtbot, ctx):
    w = best_world(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    home = window.workspace.attention
    assert window.stack.currentWidget() is home  # Needs attention is selected on start
    qtbot.waitUntil(lambda: home.result is not None, timeout=5000)
    assert _lines(home, "Briefings owed") == []

    # S3: SA Quill and an AUSA, no CBP officer → a briefing is owed by ICE HSI Seattle
    change = debriefs.create_debrief(ctx, DebriefData(
        case_id=w.case7, held_on=date(2026, 6, 10), lead_agency_id=w.hsi_seattle,
        defendant_subject_id=w.dario, place="U.S. Attorney's Office, W.D. Washington",
        participants=(DebriefParticipant(w.quill, "", None, "interviewer"),
                      DebriefParticipant(None, "AUSA Helen Marsh", w.usao, "counsel"))))
    window.workspace.changed(change)
    qtbot.waitUntil(lambda: _lines(home, "Briefings owed") != [], timeout=5000)
    (line,) = _lines(home, "Briefings owed")
    assert line.startswith("BEST-SEA-2026-0007 | HSI SEA owes the Supervisory CBP Officer a briefing")
    assert "Briefings owed to the Supervisory CBP Officer (1)" in [
        home.tree.topLevelItem(i).text(0) for i in range(home.tree.topLevelItemCount())]
    assert window.sidebar.item(0).text() == "Needs attention  (1)"

    # the line opens its debrief
    group = home.tree.topLevelItem(0)
    home.tree.setCurrentItem(group.child(0))
    home.tree.itemActivated.emit(group.child(0), 0)
    qtbot.waitUntil(lambda: bool(window.windows) and window.windows[0].detail is not None, timeout=5000)
    assert window.windows[0].kind.entity == "debrief"
    window.windows[0].close()

    # 2026-06-12 SA Quill briefs SCBPO Lee Okafor: the line goes
    change = debriefs.record_briefing(ctx, BriefingData(change.id, date(2026, 6, 12), "SA Mara Quill",
                                                        "SCBPO Lee Okafor (CBP OFO Blaine)"))
    window.workspace.changed(change)
    qtbot.waitUntil(lambda: _lines(home, "Briefings owed") == [], timeout=5000)
    qtbot.waitUntil(lambda: window.sidebar.item(0).text() == "Needs attention  (0)", timeout=5000)
    assert home.summary.text().startswith("Nothing needs attention")
