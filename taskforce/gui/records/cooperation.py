"""The member window's Cooperation tab (rules 7 and 8, 002 III): what a state or local member
did, recorded with a type; refusals (III.B, a missing 287(g) designation) shown on the form."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from taskforce.domain.cooperation import IMPERMISSIBLE, PERMISSIBLE, ActivityType, CooperationActivityData
from taskforce.gui.fields import ChoiceField, DateField, PickerField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import ChildTab, Shell, edit_with, run_change
from taskforce.services import cooperation, lookup
from taskforce.services.context import Context
from taskforce.services.cooperation import ActivityRow, MemberCooperation


def type_choices() -> list[tuple[str, str]]:
    """Every type, grouped as the guidance lists them. The III.B types are offered too, so a
    user who picks one sees the guidance's reason for refusing it under the field."""
    return ([(t.value, f"III.A — {t.label}") for t in PERMISSIBLE if t != ActivityType.DELEGATED_AUTHORITY]
            + [(ActivityType.DELEGATED_AUTHORITY.value,
                "III.A — Delegated immigration authority (needs an active 287(g) designation)")]
            + [(t.value, f"III.B (impermissible) — {t.label}") for t in IMPERMISSIBLE]
            + [(ActivityType.OTHER.value, ActivityType.OTHER.label)])


def member_tab_data(ctx: Context, member_id: int) -> MemberCooperation:
    """Runs on the worker thread."""
    return cooperation.member_cooperation(ctx, member_id)


def _note(a: ActivityRow) -> str:
    if a.legal_review:
        return "⚠ Legal review"
    if a.designation_id:
        return f"Under 287(g) designation #{a.designation_id}"
    return ""


def activity_dialog(shell: Shell, parent: QWidget, member_id: int, row: ActivityRow | None = None) -> FormDialog:
    ctx = shell.ctx
    fields = [
        Field("activity_type", "Type", lambda: ChoiceField(type_choices(), optional=True), True,
              help="The examples of DHS guidance 002 III: III.A permissible, III.B refused; "
                   "other is accepted and flagged for legal review"),
        Field("occurred_on", "Date", lambda: DateField(optional=False), True),
        Field("description", "Description", QPlainTextEdit),
        Field("case_id", "Case", lambda: PickerField(lambda t: lookup.cases(ctx, t),
                                                     lambda i: lookup.case_label(ctx, i))),
    ]
    initial = row.data().__dict__ if row else {"occurred_on": ctx.today()}

    def build(v: dict) -> CooperationActivityData:
        return CooperationActivityData(member_id=member_id, **v)

    if row:
        save = lambda data: cooperation.update_activity(ctx, row.id, data)  # noqa: E731
    else:
        save = lambda data: cooperation.record_activity(ctx, data)  # noqa: E731
    return FormDialog(parent, "Edit activity" if row else "Record activity", fields, build, save,
                      shell.worker, initial)


def member_tab(shell: Shell, parent: QWidget, member_id: int, data: MemberCooperation) -> ChildTab:
    """GUI thread, no database: the tab from ``member_tab_data``'s result."""
    by_id = {a.id: a for a in data.activities}
    return ChildTab(
        "Cooperation", ["Date", "Type", "Description", "Case", "Note"],
        [(a.id, [str(a.occurred_on), a.type_label, a.description, a.case_number, _note(a)])
         for a in data.activities],
        add=(lambda: edit_with(shell, activity_dialog(shell, parent, member_id))) if data.may_record else None,
        edit=(lambda i: edit_with(shell, activity_dialog(shell, parent, member_id, by_id[i]))),
        remove=lambda i: run_change(shell, parent, lambda: cooperation.delete_activity(shell.ctx, i),
                                    "Remove this activity? Its history is kept."),
        empty=("No cooperation activities yet. Record activity… to record one." if data.may_record
               else data.why_not),
        add_label="Record activity…",
        flags={a.id: "warning" for a in data.activities if a.legal_review},
    )
