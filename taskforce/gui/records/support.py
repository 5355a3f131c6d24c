"""Support given and the feedback owed on it (rule 2, 001 Feedback): the support record's
window and form, the "Record feedback" form, and the case window's "Support & feedback" tabs.

The forms decide nothing: SupportData/FeedbackData say what is wrong, the feedback service
computes the due date, closes the obligation and refuses feedback on a closed one.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from taskforce.domain.feedback import (
    FeedbackData, ObligationStatus, SeizureData, SupportData, SupportKind,
)
from taskforce.domain.text import days_text
from taskforce.gui.fields import ChecklistField, ChoiceField, DateField, PickerField, RowsField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import (
    ChildTab, RecordKind, Shell, agency_picker, caveat_labels, edit_with, esc, facts, run_change,
)
from taskforce.i18n import tr
from taskforce.services import feedback, lookup
from taskforce.services.context import Context
from taskforce.services.feedback import CaseSupport, SupportDetail, SupportRow

_STATUS_COLOUR = {ObligationStatus.OVERDUE: "#b3261e", ObligationStatus.OPEN: "#5c3b00",
                  ObligationStatus.CLOSED: "#1e6b34"}


def status_text(status: ObligationStatus, days_late: int, due_soon: bool = False) -> str:
    """Never colour alone (UX.md): the word, and for overdue the days."""
    if status is ObligationStatus.OVERDUE:
        return tr("⚠ Overdue ({days})").format(days=days_text(days_late))
    if status is ObligationStatus.OPEN and due_soon:
        return "Open, due soon"
    return status.label


def quantity_text(quantity: float | str) -> str:
    value = float(quantity or 0)
    return f"{value:g}" if value else ""


def feedback_summary(data: FeedbackData) -> str:
    """One line: 'No action: reason' or '2 arrests; 14 kg cocaine ($420,000); …'."""
    if data.no_action:
        return f"No action: {data.no_action_reason}"
    parts = [f"{n} {what}{'s' if n != 1 else ''}" for what, n in (
        ("arrest", data.arrests), ("indictment", data.indictments),
        ("prosecution", data.prosecutions), ("conviction", data.convictions)) if n]
    parts += [" ".join(x for x in (quantity_text(s.quantity), s.unit, s.commodity) if x)
              + (f" (${int(s.value_usd):,})" if s.value_usd else "") for s in data.seizures]
    if data.penalties_usd:
        parts.append(f"penalties ${data.penalties_usd:,}")
    if data.other.strip():
        parts.append(data.other.strip())
    return "; ".join(parts)


# --- forms ----------------------------------------------------------------------------------------

def support_form(shell: Shell, parent: QWidget, d: SupportDetail | None,
                 initial: dict[str, Any] | None = None) -> FormDialog:
    """Record (or correct) support given; choosing a case fills in its task force."""
    ctx = shell.ctx
    fields = [
        Field("task_force_id", "Task force", lambda: ChoiceField(lookup.task_forces(ctx), optional=True), True,
              help="Its feedback interval sets when feedback is due"),
        Field("case_id", "Case", lambda: PickerField(lambda t: lookup.cases(ctx, t),
                                                     lambda i: lookup.case_label(ctx, i)),
              help="Optional: type a case number or title"),
        Field("from_agency_id", "Given by", agency_picker(ctx), True),
        Field("to_agency_id", "Given to", agency_picker(ctx), True, help="The agency that owes feedback"),
        Field("kind", "Kind", lambda: ChoiceField(SupportKind.choices()), True),
        Field("given_on", "Date given", lambda: DateField(optional=False), True),
        Field("description", "Description", QPlainTextEdit),
        Field("originating_agency_id", "Originating agency", agency_picker(ctx),
              help="Whose information it is (Third Party Rule); the giver when left empty"),
        Field("caveat_ids", "Handling caveats", lambda: ChecklistField(lookup.caveats(ctx))),
    ]
    values = asdict(d.data) if d else {"kind": SupportKind.INFORMATION.value, "given_on": ctx.today(),
                                       **(initial or {})}
    if d:
        save = lambda data: feedback.update_support(ctx, d.id, data)  # noqa: E731
    else:
        save = lambda data: feedback.record_support(ctx, data)  # noqa: E731
    dialog = FormDialog(parent, "Edit support record" if d else "Record support given", fields,
                        lambda v: SupportData(**v), save, shell.worker, values)
    case, tf = dialog.widgets["case_id"], dialog.widgets["task_force_id"]

    def case_chosen() -> None:
        if case.value() is not None:
            tf_id = feedback.case_task_force(ctx, case.value())
            if tf_id is not None and tf.value() != tf_id:
                tf.set_value(tf_id)
    case.changed.connect(case_chosen)
    return dialog


def _spin(maximum: int = 100_000, prefix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, maximum)
    box.setGroupSeparatorShown(True)
    box.setPrefix(prefix)
    return box


def feedback_form(shell: Shell, parent: QWidget, support_id: int,
                  existing: feedback.FeedbackDetail | None = None) -> FormDialog:
    """001 Feedback: the receiver's results (or "no action" with the reason); saving closes the
    obligation."""
    ctx = shell.ctx
    fields = [
        Field("reported_on", "Reported on", lambda: DateField(optional=False), True),
        Field("reported_by", "Reported by", QLineEdit, help="Who reported back, e.g. SA Mara Quill"),
        Field("arrests", "Arrests", _spin),
        Field("seizures", "Seizures", lambda: RowsField([("Commodity", None), ("Quantity", None),
                                                          ("Unit", None), ("Value (USD)", None)]),
              help="One row per seizure: what, how much (a number), unit, value in dollars"),
        Field("indictments", "Indictments", _spin),
        Field("prosecutions", "Prosecutions", _spin),
        Field("convictions", "Convictions", _spin),
        Field("penalties_usd", "Penalties (USD)", lambda: _spin(2_000_000_000, "$ ")),
        Field("other", "Other results", QPlainTextEdit),
        Field("no_action", "No action taken", lambda: QCheckBox("No action was taken on it")),
        Field("no_action_reason", "Reason for no action", QPlainTextEdit),
    ]
    if existing:
        x = existing.data
        values = {**asdict(x), "seizures": tuple((s.commodity, s.quantity, s.unit, str(s.value_usd))
                                                 for s in x.seizures)}
        save = lambda data: feedback.update_feedback(ctx, existing.id, data)  # noqa: E731
    else:
        values = {"reported_on": ctx.today()}
        save = lambda data: feedback.record_feedback(ctx, data)  # noqa: E731

    def build(v: dict[str, Any]) -> FeedbackData:
        rows = v["seizures"]
        return FeedbackData(support_id=support_id, seizures=tuple(SeizureData(*row) for row in rows),
                            **{k: val for k, val in v.items() if k != "seizures"})
    return FormDialog(parent, "Edit feedback" if existing else "Record feedback", fields, build, save,
                      shell.worker, values)


# --- the support record's window --------------------------------------------------------------------

class SupportRecordKind(RecordKind):
    entity, noun, list_name = "support", "support record", "support"

    def load(self, ctx: Context, record_id: int) -> SupportDetail:
        return feedback.get_support(ctx, record_id)

    def title(self, d: SupportDetail) -> str:
        return f"{SupportKind(d.data.kind).label}: {d.from_agency} → {d.to_agency} ({d.data.given_on})"

    def overview(self, d: SupportDetail) -> str:
        x = d.data
        caveats = caveat_labels(d.caveats)
        state = status_text(d.status, d.days_overdue)
        status = f"<b style='color:{_STATUS_COLOUR[d.status]}'>{esc(state)}</b>"
        fb = d.feedback
        results = ""
        if fb:
            results = (f"<h3>Feedback</h3>" + facts([
                ("Reported on", fb.data.reported_on), ("Reported by", fb.data.reported_by),
                ("Days to feedback", fb.days_to_feedback), ("Results", feedback_summary(fb.data))]))
        return (f"<h2>{esc(SupportKind(x.kind).label)}</h2><h3>{esc(d.from_agency)} → {esc(d.to_agency)}</h3>"
                f"{caveats}" + facts([
                    ("Feedback", status), ("Feedback due", d.feedback_due_on),
                    ("Feedback received", d.feedback_closed_on), ("Given on", x.given_on),
                    ("Given by", d.from_agency), ("Given to (owes feedback)", d.to_agency),
                    ("Originating agency", d.originating_agency), ("Task force", d.task_force),
                    ("Case", d.case_number)])
                + (f"<h3>Description</h3><p>{esc(x.description)}</p>" if x.description else "") + results)

    def tabs(self, shell: Shell, parent: QWidget, d: SupportDetail) -> list[ChildTab]:
        ctx, fb = shell.ctx, d.feedback
        rows = [(fb.id, [str(fb.data.reported_on), fb.data.reported_by, feedback_summary(fb.data),
                         str(fb.days_to_feedback)])] if fb else []
        waiting = (f"No feedback yet: {d.to_agency} owes it by {d.feedback_due_on} "
                   f"({status_text(d.status, d.days_overdue).lower()}). Add… records it.")
        seizures = fb.data.seizures if fb else ()
        return [
            ChildTab("Feedback", ["Reported on", "Reported by", "Results", "Days to feedback"], rows,
                     # 001 Feedback: one feedback per support; once recorded it is edited, not added
                     add=None if fb else lambda: edit_with(shell, feedback_form(shell, parent, d.id)),
                     edit=(lambda _i: edit_with(shell, feedback_form(shell, parent, d.id, fb))) if fb else None,
                     remove=(lambda i: run_change(shell, parent, lambda: feedback.remove_feedback(ctx, i),
                                                  "Withdraw this feedback? The obligation opens again; "
                                                  "the feedback stays in the history.")) if fb else None,
                     empty=waiting.replace("Add… records it.", "Record feedback… records it."),
                     add_label="Record feedback…"),
            ChildTab("Seizures", ["Commodity", "Quantity", "Unit", "Value (USD)"],
                     [(i, [s.commodity, s.quantity, s.unit, f"${int(s.value_usd):,}"])
                      for i, s in enumerate(seizures)],
                     empty="No seizures reported."),
        ]

    def editor(self, shell: Shell, parent: QWidget, d: SupportDetail | None) -> FormDialog:
        return support_form(shell, parent, d)

    def delete(self, ctx: Context, record_id: int):  # noqa: ANN201
        return feedback.delete_support(ctx, record_id)


# --- the case window's tabs ------------------------------------------------------------------------

def case_tab_data(ctx: Context, case_id: int) -> CaseSupport:
    """Worker thread: the case's support records and the results credited on it."""
    return feedback.case_support(ctx, case_id)


def _support_cells(r: SupportRow) -> list[str]:
    return [str(r.given_on), r.from_agency, r.to_agency, r.kind, str(r.feedback_due_on),
            status_text(r.status, r.days_overdue, r.due_soon),
            "" if r.days_to_feedback is None else str(r.days_to_feedback)]


def case_tab(shell: Shell, parent: QWidget, case_id: int, data: CaseSupport) -> list[ChildTab]:
    """GUI thread, no database: "Support & feedback" (what was given on the case, and whether
    feedback came back) and "Results credited" (001 Feedback: results credited to the receiver
    as acting agency and the giver as contributing agency; the total counts each feedback once)."""
    flags = {r.id: "overdue" for r in data.rows if r.status is ObligationStatus.OVERDUE}
    flags.update({r.id: "warning" for r in data.rows if r.due_soon})
    res = data.results
    t = res.totals
    seized = "; ".join(" ".join(x for x in (quantity_text(c.quantity), c.unit, c.commodity) if x)
                       for c in res.commodities)
    credit_rows = [(i, [c.agency, c.role.label, str(c.results.feedbacks), str(c.results.arrests),
                        str(c.results.seizures), f"${c.results.seizure_value_usd:,}",
                        str(c.results.indictments), str(c.results.prosecutions),
                        str(c.results.convictions), f"${c.results.penalties_usd:,}"])
                   for i, c in enumerate(res.credits)]
    if t.feedbacks:
        credit_rows.append((-1, ["Case total (each feedback once)", "", str(t.feedbacks), str(t.arrests),
                                 f"{t.seizures}" + (f": {seized}" if seized else ""),
                                 f"${t.seizure_value_usd:,}", str(t.indictments), str(t.prosecutions),
                                 str(t.convictions), f"${t.penalties_usd:,}"]))
    return [
        ChildTab("Support & feedback",
                 ["Given", "From", "To", "Kind", "Feedback due", "Status", "Days to feedback"],
                 [(r.id, _support_cells(r)) for r in data.rows],
                 add=lambda: edit_with(shell, support_form(shell, parent, None, {
                     "case_id": case_id, "task_force_id": data.task_force_id})),
                 open=lambda i: shell.open_record("support", i),
                 empty="No support recorded on this case. Add… records what one agency gave another.",
                 flags=flags),
        ChildTab("Results credited",
                 ["Agency", "Credited as", "Feedback", "Arrests", "Seizures", "Seized value",
                  "Indictments", "Prosecutions", "Convictions", "Penalties"],
                 credit_rows, empty="No results reported yet: they come with the feedback on support given."),
    ]

