"""Keyboard promises of the main window: Enter opens, Delete asks first, Ctrl+F searches."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from taskforce.gui.main_window import MainWindow
from taskforce.services import stats

from tests import factories as f


def _answer_next_question(button: QMessageBox.StandardButton, seen: list) -> None:
    def poll(left: int = 3000) -> None:  # up to a minute on a busy machine
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(button).click()
        elif left:
            QTimer.singleShot(20, lambda: poll(left - 1))
    QTimer.singleShot(0, poll)


def _window_with_a_subject(qtbot, ctx):
    f.subject(ctx, "Ana Kerr")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    item_rect = window.sidebar.visualItemRect(window.sidebar.item(2))  # Subjects (row 0 is Needs attention)
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=item_rect.center())
    page = window.pages["subjects"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    page.view.setFocus()
    page.view.selectRow(0)
    return window, page


def test_enter_opens_the_selected_record(qtbot, ctx):
    window, page = _window_with_a_subject(qtbot, ctx)
    assert window.stack.currentWidget() is page, (window.stack.currentIndex(), window.sidebar.currentRow())
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.windows and window.windows[0].detail is not None, timeout=5000)
    assert window.windows[0].windowTitle().startswith("Ana Kerr")
    window.windows[0].close()


def test_delete_asks_first_and_no_keeps_the_record(qtbot, ctx):
    window, page = _window_with_a_subject(qtbot, ctx)
    seen: list = []
    _answer_next_question(QMessageBox.StandardButton.No, seen)
    window.delete_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=60000)
    assert "Delete subject “Ana Kerr”" in seen[0]
    qtbot.wait(100)
    assert stats.stats(ctx)["subjects"] == 1
    _answer_next_question(QMessageBox.StandardButton.Yes, seen)
    window.delete_action.trigger()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=60000)
    qtbot.waitUntil(lambda: stats.stats(ctx)["subjects"] == 0, timeout=5000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5000)
    assert page.empty_label.isVisibleTo(page)


def test_ctrl_f_goes_to_the_search_box(qtbot, ctx):
    window, _page = _window_with_a_subject(qtbot, ctx)
    window.activateWindow()
    window.focus_search()
    assert window.search_box.hasFocus() or QApplication.focusWidget() is window.search_box
    shortcuts = {a.text(): a.shortcut().toString() for a in window.findChildren(type(window.new_action))}
    assert shortcuts["New subject…"] == "Ctrl+N"
    assert shortcuts["Find…"] == "Ctrl+F"
    assert shortcuts["Delete…"] == "Del"
    assert [shortcuts[t] for t in ("Needs attention", "Cases", "Subjects", "Members", "Agencies")] == [
        f"Ctrl+{n}" for n in range(1, 6)]
