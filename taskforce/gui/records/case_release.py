"""The case window's "Release" tab: the release authorizations recorded for the case and
anything in it (rule 6, the Third Party Rule), with Add… and Remove.

An item originated by another agency goes to a partner only when an authorization for it (or
for its whole record) and that partner is recorded here: who authorized it, when, under what
reference. Removing one withholds the item again from the next document.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from taskforce.domain.release import AuthorizationData
from taskforce.gui.fields import ChoiceField, DateField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import ChildTab, Shell, agency_picker, edit_with, run_change
from taskforce.services import release
from taskforce.services.context import Context
from taskforce.services.release import AuthorizationRow, ItemChoice

TITLE = "Release"
EMPTY = ("No release authorizations. Items originated by another agency are withheld from partners "
         "unless one is recorded here.")


@dataclass(frozen=True)
class CaseRelease:
    rows: tuple[AuthorizationRow, ...]
    items: tuple[ItemChoice, ...]  # what an authorization may name: the whole case or one item


def case_tab_data(ctx: Context, case_id: int) -> CaseRelease:
    """On the worker thread."""
    return CaseRelease(tuple(release.authorizations_for_case(ctx, case_id)), tuple(release.case_items(ctx, case_id)))


def _key(item: ItemChoice) -> str:
    return f"{item.kind}:{item.id}"


def _what_field(items: tuple[ItemChoice, ...]) -> ChoiceField:
    combo = ChoiceField([(_key(i), i.label) for i in items], optional=True)
    # the labels quote the note or event: keep the form its usual width, the list as wide as they are
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(30)
    combo.view().setMinimumWidth(min(combo.view().sizeHintForColumn(0) + 32, 900))
    return combo


def authorization_form(shell: Shell, parent: QWidget, items: tuple[ItemChoice, ...]) -> FormDialog:
    ctx = shell.ctx
    by_key = {_key(i): i for i in items}
    fields = [
        # named item_id so the service's "The item is required" lands under it
        Field("item_id", "What", lambda: _what_field(items), True,
              help="The whole case releases everything in it; or one note, event, subject, debrief or support record"),
        Field("recipient_agency_id", "Recipient agency", agency_picker(ctx), True),
        Field("authorized_by", "Authorized by", QLineEdit, True,
              help="Who authorized the release, normally for the originating agency (e.g. SAC Seattle)"),
        Field("authorized_on", "Date", lambda: DateField(optional=False), True),
        Field("reference", "Reference", QLineEdit, True, help="The authorization's reference, e.g. BEST-REL-14"),
    ]

    def build(v: dict) -> AuthorizationData:
        item = by_key.get(v.pop("item_id") or "")
        return AuthorizationData(item_kind=str(item.kind) if item else "case", item_id=item.id if item else None, **v)

    return FormDialog(parent, "Record release authorization", fields, build,
                      lambda data: release.authorize(ctx, data), shell.worker, {"authorized_on": ctx.today()})


def case_tab(shell: Shell, parent: QWidget, case_id: int, data: CaseRelease) -> ChildTab:
    """On the GUI thread; no database access."""
    ctx = shell.ctx
    return ChildTab(
        # "What" last: its labels are long, and the last column stretches
        TITLE, ["Recipient", "Authorized by", "Date", "Reference", "What"],
        [(r.id, [r.recipient, r.authorized_by, str(r.authorized_on), r.reference, r.item]) for r in data.rows],
        add=lambda: edit_with(shell, authorization_form(shell, parent, data.items)),
        remove=lambda i: run_change(shell, parent, lambda: release.revoke(ctx, i), parent.tr(
            "Remove this release authorization? Documents prepared from now on withhold the item "
            "from that agency again; documents already released stay in the release log.")),
        empty=EMPTY,
    )
