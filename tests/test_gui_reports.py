"""Printed briefings and release control through the real screens (rule 6, story S10): the case
window's Prepare for… with its withheld preview, saving (file written, release logged and shown
in the release log), a release authorization recorded on the Release tab, print settings, and
the Reports menu."""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton, QTableWidget

from taskforce.gui.main_window import MainWindow
from taskforce.gui.print_settings import PrintSettingsDialog
from taskforce.gui.record_window import RecordWindow
from taskforce.gui.report_dialog import ReportDialog
from taskforce.settings import load_settings

from tests.factories_release import s10_world
from tests.test_gui_flow import only_form, save

FBI_WITHHELD = ("Withheld: 1 item derived from EU PNR data; "
                "4 items originated by another agency without an authorization.")


def choose(qtbot, picker, typed: str, label_start: str) -> None:
    """Type into a picker and choose the suggestion whose label starts with ``label_start``."""
    qtbot.keyClicks(picker, typed)
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    model = popup.model()
    rows = [r for r in range(model.rowCount()) if model.index(r, 0).data().startswith(label_start)]
    assert rows, [model.index(r, 0).data() for r in range(model.rowCount())]
    popup.setCurrentIndex(model.index(rows[0], 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.value() is not None


def open_case(qtbot, window: MainWindow, case_id: int) -> RecordWindow:
    record = window.open_record("case_file", case_id)
    qtbot.waitUntil(lambda: record.detail is not None and record.kind_actions["Print briefing…"].isEnabled(),
                    timeout=5000)
    return record


def prepare_for(qtbot, record: RecordWindow, typed: str, label_start: str) -> ReportDialog:
    record.kind_actions["Prepare for partner…"].trigger()
    dialog = next(d for d in record.findChildren(ReportDialog) if d.isVisible())
    assert dialog.for_partner.isChecked() and dialog.recipient.isVisibleTo(dialog)
    assert not dialog.save_button.isEnabled()  # no recipient yet
    choose(qtbot, dialog.recipient, typed, label_start)
    qtbot.waitUntil(lambda: dialog.last_preview is not None, timeout=10000)
    assert dialog.save_button.isEnabled()
    return dialog


def test_prepare_for_partner_previews_what_is_withheld_then_saves_and_logs(qtbot, qtmodeltester, ctx, tmp_path):
    w = s10_world(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    record = open_case(qtbot, window, w.case)
    assert record.kind_actions["Print briefing…"].shortcut().toString() == "Ctrl+P"
    assert record.kind_actions["Prepare for partner…"].shortcut().toString() == "Ctrl+Shift+P"

    # FBI may receive nothing of S10 without an authorization
    dialog = prepare_for(qtbot, record, "FBI", "FBI")
    assert dialog.last_preview.withheld == 5
    assert FBI_WITHHELD in dialog.preview_label.text()
    assert "#8a5300" in dialog.preview_label.styleSheet()  # amber, and the word "Withheld"
    assert dialog.default_file_name() == "BEST-SEA-2026-0007 briefing for FBI.pdf"

    # CBP: only RCMP's note is withheld
    dialog.recipient.clear()
    choose(qtbot, dialog.recipient, "CBP", "CBP —")
    qtbot.waitUntil(lambda: dialog.last_preview is not None and dialog.last_preview.recipient.startswith("CBP"),
                    timeout=10000)
    assert dialog.last_preview.withheld == 1
    assert "Withheld: 1 item originated by another agency without an authorization." in dialog.preview_label.text()

    path = tmp_path / "x.pdf"
    with qtbot.waitSignal(dialog.published, timeout=20000) as saved:
        dialog.save_to(path)
    published = saved.args[0]
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")
    assert published.withheld == 1 and published.recipient.startswith("CBP")
    box = next(b for b in record.findChildren(QMessageBox) if b.isVisible())
    assert published.sha256 in box.text() and "1 item originated by another agency" in box.text()
    assert {b.text() for b in box.buttons()} >= {"Open", "Show in folder"}
    box.close()

    # the release log shows it, newest first; the filter and the items of one release work
    log = window.open_release_log()
    qtbot.waitUntil(lambda: log.loaded, timeout=5000)
    qtmodeltester.check(log.model)
    row = log.model.rows[0]
    assert (row.sha256, row.withheld_count, row.file_name) == (published.sha256, 1, str(path.resolve()))
    assert row.recipient == "CBP"
    assert log.proxy.index(0, 4).data() == "CBP" and log.proxy.index(0, 2).data() == "Case briefing"
    qtbot.keyClicks(log.filter, "no such recipient")
    assert log.proxy.rowCount() == 0
    log.filter.clear()
    log.view.selectRow(0)
    log.show_items()
    qtbot.waitUntil(lambda: log.items_dialog is not None and log.items_dialog.isVisible(), timeout=5000)
    items = log.items_dialog.findChild(QTableWidget)
    assert items.rowCount() == published.included + published.withheld
    withheld = [r for r in range(items.rowCount()) if items.item(r, 2).text().startswith("No")]
    assert [items.item(r, 3).text() for r in withheld] == ["Originated by another agency without an authorization"]
    log.copy_sha()
    assert QGuiApplication.clipboard().text() == published.sha256
    log.close()
    record.close()
    window.close()


def test_authorization_on_the_release_tab_releases_one_more_item(qtbot, ctx):
    w = s10_world(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    record = open_case(qtbot, window, w.case)
    tab = record.child_tab("Release")
    assert tab.empty.isVisibleTo(tab) and "withheld from partners unless one is recorded here" in tab.empty.text()

    # S10: FBI on N2, by SAC Seattle, 2026-07-01, ref. BEST-REL-14
    qtbot.mouseClick(tab.findChild(QPushButton, "Release_add"), Qt.MouseButton.LeftButton)
    form = only_form(record)
    what = form.widgets["item_id"]
    what.setCurrentIndex(next(i for i in range(what.count()) if "HSI Seattle surveillance" in what.itemText(i)))
    choose(qtbot, form.widgets["recipient_agency_id"], "FBI", "FBI")
    qtbot.keyClicks(form.widgets["authorized_by"], "SAC Seattle")
    form.widgets["authorized_on"].set_value(date(2026, 7, 1))
    qtbot.keyClicks(form.widgets["reference"], "BEST-REL-14")
    save(qtbot, form)
    qtbot.waitUntil(lambda: record.child_tab("Release").table.rowCount() == 1, timeout=5000)
    table = record.child_tab("Release").table
    assert [table.item(0, c).text() for c in range(4)] == ["FBI", "SAC Seattle", "2026-07-01", "BEST-REL-14"]
    assert "HSI Seattle surveillance" in table.item(0, 4).text()

    dialog = prepare_for(qtbot, record, "FBI", "FBI")
    assert dialog.last_preview.withheld == 4  # one fewer than without the authorization
    assert "3 items originated by another agency without an authorization" in dialog.preview_label.text()
    dialog.reject()
    record.close()
    window.close()


def test_print_settings_refuse_an_empty_custom_banner(qtbot, tmp_path):
    path = tmp_path / "settings.json"
    dialog = PrintSettingsDialog(None, path)
    qtbot.addWidget(dialog)
    assert dialog.preview.text() == "UNCLASSIFIED//LAW ENFORCEMENT SENSITIVE"
    assert not dialog.custom.isEnabled() and not dialog.cui_group.isEnabled()
    dialog.profile.set_value("custom")
    dialog.custom.clear()
    assert dialog.custom_error.isVisibleTo(dialog) and "custom marking is empty" in dialog.custom_error.text()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.custom, "UNCLASSIFIED//FOR OFFICIAL USE ONLY")
    assert not dialog.custom_error.isVisibleTo(dialog) and dialog.ok_button.isEnabled()
    assert dialog.preview.text() == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    dialog.profile.set_value("cui")
    assert dialog.cui_group.isEnabled()
    qtbot.keyClicks(dialog.controlled_by, "DHS/ICE")
    assert dialog.preview.text() == "CUI" and "Controlled by: DHS/ICE" in dialog.block.text()
    dialog.profile.set_value("custom")
    dialog.page_size.set_value("a4")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    saved = load_settings(path)
    assert (saved.marking_profile, saved.marking, saved.page_size, saved.cui_controlled_by) == (
        "custom", "UNCLASSIFIED//FOR OFFICIAL USE ONLY", "a4", "DHS/ICE")


def test_reports_menu_has_the_six_reports(qtbot, ctx):
    w = s10_world(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.reports_menu.actions() if not a.isSeparator()]
    assert texts == ["Case briefing…", "Task-force package…", "Roster…", "Feedback status…",
                     "Debrief participation…", "Working group items…", "Release log…", "Print settings…"]
    # Debrief participation…: optional task force, a period, our own copy by default
    window.reports_menu.actions()[4].trigger()
    dialog = next(d for d in window.findChildren(ReportDialog) if d.isVisible())
    assert dialog.task_force.currentText() == "All task forces" and dialog.period_from is not None
    assert not dialog.recipient.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: dialog.last_preview is not None, timeout=10000)
    assert "Nothing withheld" in dialog.preview_label.text()
    dialog.period_from.set_value(date(2026, 12, 1))
    assert dialog.period_error.isVisibleTo(dialog) and not dialog.save_button.isEnabled()
    dialog.reject()
    # Case briefing… asks for the case
    window.reports_menu.actions()[0].trigger()
    dialog = next(d for d in window.findChildren(ReportDialog) if d.isVisible())
    assert dialog.case_field is not None and not dialog.save_button.isEnabled()
    dialog.reject()
    # a task force's window prints its package
    tf = window.open_record("task_force", w.best.tf)
    qtbot.waitUntil(lambda: tf.kind_actions["Print package…"].isEnabled(), timeout=5000)
    assert "Prepare package for…" in tf.kind_actions
    tf.close()
    window.close()
