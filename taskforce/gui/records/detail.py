"""Details and pilot programs (rule 10): a member with another agency's unit for a period, and
the evaluation recorded on (or after) its evaluation date. Also the member window's Details tab
(``member_tab_data`` / ``member_tab``)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from taskforce.domain.details import EVALUATION_PERIOD_DAYS, DetailData, EvaluationData
from taskforce.gui.fields import DateField, PickerField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import ChildTab, RecordKind, Shell, agency_picker, edit_with, esc, facts, run_change
from taskforce.services import details as svc
from taskforce.services import lookup
from taskforce.services.context import Context
from taskforce.services.details import DetailDetail, DetailRow, MemberDetails

DUE_STYLE = "color:#b3261e"


def _evaluation_text(r: DetailRow) -> str:
    if r.evaluated_on:
        return f"Evaluated {r.evaluated_on}"
    if r.evaluation_due:
        return f"⚠ Evaluation due since {r.evaluation_on}"
    return f"Evaluation {r.evaluation_on}"


def detail_form(shell: Shell, parent: QWidget, d: DetailDetail | None = None,
                member_id: int | None = None, member_label: str = "") -> FormDialog:
    ctx = shell.ctx
    labels = {d.row.member_id: d.row.member} if d else ({member_id: member_label} if member_id else {})
    fields = [
        Field("member_id", "Member", lambda: PickerField(lambda t: lookup.members(ctx, t), lambda i: labels.get(i, "")),
              True),
        Field("host_agency_id", "Host unit", agency_picker(ctx), True,
              help="The other agency's unit the member works with, e.g. a Title 21 group at a port"),
        Field("program", "Program", QLineEdit, help="e.g. Title 21 shadow program"),
        Field("starts_on", "From", lambda: DateField(optional=False), True),
        Field("ends_on", "To", DateField),
        Field("evaluation_on", "Evaluation date", DateField,
              help=f"Leave empty for {EVALUATION_PERIOD_DAYS} days after the start"),
    ]
    if d:
        initial = {k: getattr(d.data, k) for k in DetailData.__dataclass_fields__}
        save = lambda data: svc.update_detail(ctx, d.id, data)  # noqa: E731
    else:
        initial = {"member_id": member_id, "starts_on": ctx.today()}
        save = lambda data: svc.create_detail(ctx, data)  # noqa: E731
    return FormDialog(parent, "Edit detail" if d else "New detail", fields, lambda v: DetailData(**v), save,
                      shell.worker, initial)


def evaluation_form(shell: Shell, parent: QWidget, d: DetailDetail) -> FormDialog:
    """Record evaluation…: takes the detail off the home screen (S9)."""
    ctx = shell.ctx
    fields = [Field("evaluated_on", "Evaluated on", lambda: DateField(optional=False), True),
              Field("evaluation", "Evaluation", QPlainTextEdit, True,
                    help="The result: impact, operational feasibility, recommendation")]
    initial = {"evaluated_on": d.row.evaluated_on or ctx.today(), "evaluation": d.row.evaluation}
    return FormDialog(parent, "Record evaluation", fields, lambda v: EvaluationData(**v),
                      lambda data: svc.record_evaluation(ctx, d.id, data), shell.worker, initial)


class DetailKind(RecordKind):
    entity, noun, list_name = "detail", "detail", "details"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return svc.get_detail(ctx, record_id)

    def title(self, d: DetailDetail) -> str:
        return f"{d.row.member} → {d.row.host_agency}"

    def overview(self, d: DetailDetail) -> str:
        r = d.row
        evaluation = _evaluation_text(r)
        if r.evaluation_due:
            evaluation = f"<span style='{DUE_STYLE}'><b>{esc(evaluation)}</b></span>"
        return (f"<h2>{esc(r.member)}</h2><h3>Detailed to {esc(r.host_agency)}</h3>" + facts([
            ("Home agency", r.home_agency), ("Program", r.program),
            ("Period", f"{r.starts_on} – {r.ends_on or 'open'}"), ("State", r.state.label),
            ("Evaluation date", r.evaluation_on), ("Evaluation", evaluation),
        ]) + (f"<h3>Evaluation</h3><p>{esc(r.evaluation)}</p>" if r.evaluation else ""))

    def tabs(self, shell: Shell, parent: QWidget, d: DetailDetail) -> list[ChildTab]:
        r = d.row
        rows = [(d.id, [str(r.evaluated_on), r.evaluation])] if r.evaluated_on else []
        return [ChildTab(
            "Evaluation", ["Evaluated on", "Evaluation"], rows,
            add=None if r.evaluated_on else (lambda: edit_with(shell, evaluation_form(shell, parent, d))),
            edit=lambda _i: edit_with(shell, evaluation_form(shell, parent, d)),
            remove=lambda _i: run_change(shell, parent, lambda: svc.clear_evaluation(shell.ctx, d.id),
                                         "Take back this evaluation? The detail becomes due again; "
                                         "the history keeps what was recorded."),
            empty=f"Not evaluated yet (evaluation date {r.evaluation_on}). Record evaluation… records it.",
            add_label="Record evaluation…", remove_label="Take back",
        )]

    def editor(self, shell: Shell, parent: QWidget, d: DetailDetail | None) -> FormDialog:
        return detail_form(shell, parent, d)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return svc.delete_detail(ctx, record_id)


# --- the member window's tab -----------------------------------------------------------------

def member_tab_data(ctx: Context, member_id: int) -> MemberDetails:
    """Worker thread: the member's details."""
    return svc.member_details(ctx, member_id)


def member_tab(shell: Shell, parent: QWidget, member_id: int, data: MemberDetails) -> ChildTab:
    """GUI thread, no database: the member's details and pilot programs."""
    return ChildTab(
        "Details", ["Host unit", "Program", "From", "To", "Evaluation"],
        [(r.id, [r.host_agency, r.program, str(r.starts_on), str(r.ends_on or ""), _evaluation_text(r)])
         for r in data.rows],
        add=lambda: edit_with(shell, detail_form(shell, parent, member_id=member_id, member_label=data.member)),
        open=lambda i: shell.open_record("detail", i),
        empty="Not detailed to another agency's unit. Add… to record a detail or pilot program.",
        flags={r.id: "overdue" for r in data.rows if r.evaluation_due},
    )
