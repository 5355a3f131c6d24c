"""Issue 10 §2 through the keyboard: a picker shows the lookup's rows best first, Enter takes
the one exact (or only) match and otherwise opens the list; the release dialogs name the
recipient in full before anything is saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from shiboken6 import isValid

from taskforce.gui.fields import PickerField
from taskforce.gui.records.base import agency_picker
from taskforce.gui.records.case_release import authorization_form
from taskforce.services import lookup
from taskforce.services.agency_import import import_agencies_csv

from tests import factories as f
from tests.conftest import FBI_EXCERPT
from tests.test_gui_date_fields import _Shell

ICE = "ICE — U.S. Immigration and Customs Enforcement"
FULL = {
    "ICE": ICE,
    "CBP": "CBP — U.S. Customs and Border Protection",
    "FBI": "FBI — Federal Bureau of Investigation",
    "RCMP": "RCMP — Royal Canadian Mounted Police",
}
ICE_HSI = "ICE HSI — Homeland Security Investigations (formerly Office of Investigations)"

_hosts: list[QWidget] = []


@pytest.fixture(autouse=True)
def _close_hosts():
    yield
    while _hosts:
        host = _hosts.pop()
        if isValid(host):
            host.close()


@pytest.fixture(params=["reference", "excerpt"])
def agencies_ctx(request, ctx):
    """The reference agencies alone, or with the FBI CDE excerpt imported (15,000 names in the
    full list contain 'ice', as in Pol-ice; the excerpt has hundreds)."""
    if request.param == "excerpt":
        import_agencies_csv(ctx, FBI_EXCERPT)
    return ctx


def _picker(qtbot, ctx) -> PickerField:
    host = QWidget()
    layout = QVBoxLayout(host)
    picker = agency_picker(ctx)()
    layout.addWidget(picker)
    layout.addWidget(QLineEdit())
    qtbot.addWidget(host)
    _hosts.append(host)  # qtbot keeps only a weak reference
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow, timeout=3000)
    picker.setFocus()
    return picker


def _key(qtbot, picker: PickerField, key: Qt.Key) -> None:
    """A key as Qt delivers it: to the open list when there is one, else to the field."""
    qtbot.keyClick(QApplication.activePopupWidget() or picker, key)


def _shown(picker: PickerField) -> list[str]:
    model = picker.completer().popup().model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


@pytest.mark.parametrize("typed", list(FULL))
def test_enter_takes_the_agency_the_code_names(qtbot, agencies_ctx, typed):
    picker = _picker(qtbot, agencies_ctx)
    qtbot.keyClicks(picker, typed)
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    assert _shown(picker)[0] == FULL[typed]
    assert popup.currentIndex().row() == 0  # the exact match is shown highlighted before Enter
    _key(qtbot, picker, Qt.Key.Key_Return)
    assert picker.value() == lookup.agencies(agencies_ctx, typed)[0].id
    assert picker.text() == FULL[typed]  # the field names it in full
    assert not popup.isVisible()


def test_the_list_is_the_lookup_in_its_order(qtbot, ctx):
    import_agencies_csv(ctx, FBI_EXCERPT)
    picker = _picker(qtbot, ctx)
    qtbot.keyClicks(picker, "ice")
    qtbot.waitUntil(picker.completer().popup().isVisible, timeout=3000)
    assert _shown(picker) == [m.label for m in lookup.agencies(ctx, "ice")]
    assert _shown(picker)[:2] == [ICE, ICE_HSI]
    assert "DOJ — Department of Justice" in _shown(picker)[2:]


def test_hsi_alone_is_taken_and_among_others_is_chosen(qtbot, ctx):
    picker = _picker(qtbot, ctx)
    qtbot.keyClicks(picker, "HSI")  # reference agencies only: ICE HSI is the only match
    _key(qtbot, picker, Qt.Key.Key_Return)
    assert picker.text() == ICE_HSI and picker.value() is not None

    import_agencies_csv(ctx, FBI_EXCERPT)  # now "Sout-hsi-de Police Department" matches too
    picker.clear()
    qtbot.keyClicks(picker, "HSI")
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    assert _shown(picker)[0] == ICE_HSI
    assert not popup.currentIndex().isValid()  # not exact: nothing is chosen for the user
    _key(qtbot, picker, Qt.Key.Key_Return)
    assert picker.value() is None and popup.isVisible() and picker.text() == "HSI"  # the list waits
    _key(qtbot, picker, Qt.Key.Key_Down)
    _key(qtbot, picker, Qt.Key.Key_Return)
    assert picker.text() == ICE_HSI and picker.value() is not None


def test_enter_on_several_matches_opens_the_list(qtbot, agencies_ctx):
    picker = _picker(qtbot, agencies_ctx)
    qtbot.keyClicks(picker, "Department")
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    _key(qtbot, picker, Qt.Key.Key_Escape)  # the user closes the list ...
    assert not popup.isVisible()
    _key(qtbot, picker, Qt.Key.Key_Return)  # ... and Enter opens it again rather than guess
    assert popup.isVisible() and picker.value() is None
    assert _shown(picker)[:3] == ["DHS — Department of Homeland Security", "DOJ — Department of Justice",
                                  "DOS — Department of State"]
    _key(qtbot, picker, Qt.Key.Key_Escape)
    picker.clear()
    qtbot.keyClicks(picker, "ICE")
    _key(qtbot, picker, Qt.Key.Key_Escape)
    _key(qtbot, picker, Qt.Key.Key_Return)  # the list closed, an exact match is still taken
    assert picker.text() == ICE and not popup.isVisible()


def test_a_member_typed_by_family_name_is_taken_only_when_alone(qtbot, ctx):
    f.member(ctx, "Okafor", "Lena")
    f.member(ctx, "Okafor", "Ben")
    picker = PickerField(lambda t: lookup.members(ctx, t), lambda i: "")
    host = QWidget()
    QVBoxLayout(host).addWidget(picker)
    qtbot.addWidget(host)
    _hosts.append(host)
    host.show()
    qtbot.waitExposed(host)
    picker.setFocus()
    qtbot.keyClicks(picker, "okafor")
    _key(qtbot, picker, Qt.Key.Key_Return)
    assert picker.value() is None  # two Okafors: the user chooses
    qtbot.keyClicks(picker, ", lena")
    _key(qtbot, picker, Qt.Key.Key_Return)
    assert picker.text().startswith("Okafor, Lena (") and picker.value() is not None


def test_text_not_chosen_is_refused_by_the_form(qtbot, ctx):
    dialog = authorization_form(_Shell(ctx), None, ())
    qtbot.addWidget(dialog, before_close_func=lambda form: setattr(form, "_dirty", False))
    dialog.show()
    qtbot.waitExposed(dialog)
    picker = dialog.widgets["recipient_agency_id"]
    picker.setFocus()
    qtbot.keyClicks(picker, "Department")
    _key(qtbot, picker, Qt.Key.Key_Escape)
    error = dialog.errors["recipient_agency_id"]
    assert error.isVisible() and "Department" in error.text() and "from the list" in error.text()
    assert not dialog.save_button.isEnabled()
    picker.clear()
    qtbot.keyClicks(picker, "ice")
    _key(qtbot, picker, Qt.Key.Key_Return)
    assert picker.text() == ICE  # the recipient in full, in the form, before Save
    assert not error.isVisible()


def test_prepare_for_partner_names_the_recipient_in_full_before_saving(qtbot, ctx):
    from taskforce.gui.report_dialog import ReportDialog
    from taskforce.reports.publish import ReportRequest

    import_agencies_csv(ctx, FBI_EXCERPT)
    dialog = ReportDialog(None, _Shell(ctx), ReportRequest("roster"), True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.recipient.setFocus()
    qtbot.keyClicks(dialog.recipient, "ICE")
    _key(qtbot, dialog.recipient, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter chose the recipient; it did not press Save
    assert dialog.recipient.value() == lookup.agencies(ctx, "ICE")[0].id
    assert dialog.recipient.text() == ICE
    qtbot.waitUntil(lambda: dialog.last_preview is not None, timeout=10000)
    assert "U.S. Immigration and Customs Enforcement" in dialog.preview_label.text()
    assert "Justice" not in dialog.preview_label.text()
    assert dialog.save_button.isEnabled()
