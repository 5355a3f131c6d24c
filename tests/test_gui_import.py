"""Agencies → Import… through the window: a good file lands whole, a broken one is refused."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from taskforce.gui.main_window import MainWindow
from taskforce.services import stats

HEADER = ",agency_name,agency_type_name,county_name,division_name,latitude,longitude,nibrs,ori,region_desc,region_name,state_abbr,state_name\n"


def _close_next_message(seen: list) -> None:
    """The import reports in a window-modal box (shown with open()); read it and close it."""
    def poll(left: int = 3000) -> None:
        box = next((w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible() and w.text() not in seen), None)
        if box is not None:
            seen.append(box.text())
            box.accept()
        elif left:
            QTimer.singleShot(20, lambda: poll(left - 1))
    QTimer.singleShot(0, poll)


def test_import_from_the_agencies_section(qtbot, ctx, tmp_path):
    good = tmp_path / "agencies.csv"
    good.write_text(HEADER
                    + "0,Blaine Police Department,City,WHATCOM,Pacific,48.99,-122.74,1.0,WA0370100,Region IV,West,WA,Washington\n"
                    + "1,Bad Row Office,City,WHATCOM,Pacific,,,1.0,XX,Region IV,West,WA,Washington\n")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_section("agencies")
    page = window.pages["agencies"]
    qtbot.waitUntil(lambda: page.total == 17, timeout=5000)
    seen: list = []
    _close_next_message(seen)
    window.workspace.import_agencies(str(good))
    qtbot.waitUntil(lambda: bool(seen), timeout=60000)
    assert seen[0].startswith("added 1, updated 0, unchanged 0, rejected 1")
    qtbot.waitUntil(lambda: page.total == 18, timeout=5000)

    broken = tmp_path / "broken.csv"
    broken.write_text("not,an,agency,file\n1,2,3,4\n")
    _close_next_message(seen)
    window.workspace.import_agencies(str(broken))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=60000)
    assert "column" in seen[1].lower()
    assert stats.stats(ctx)["agencies"] == 18
