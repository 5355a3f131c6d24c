"""Assistance requests (rule 1, 000): the form, the outcome and why, and the decisions after."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from taskforce.domain.assistance import (
    AssistanceBasis, AssistanceDecisionData, AssistanceOutcome, AssistanceRequestData, AssistanceStatus,
)
from taskforce.domain.enums import label_of
from taskforce.gui.fields import ChecklistField, ChoiceField, DateField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import ChildTab, RecordKind, Shell, agency_picker, edit_with, esc, facts
from taskforce.services import assistance
from taskforce.services.assistance import AssistanceDetail

# the outcome box: referred (blue, an arrow), open (amber), worked (green), declined (grey)
_BOX = {
    AssistanceStatus.REFERRED: ("#e3eefc", "#0b3d91", "➜"),
    AssistanceStatus.OPEN: ("#fff1cc", "#5c3b00", "●"),
    AssistanceStatus.TRIAGED: ("#fff1cc", "#5c3b00", "●"),
    AssistanceStatus.COMPLETED: ("#e2f4e6", "#1b5e20", "✔"),
    AssistanceStatus.DECLINED: ("#eeeeee", "#333333", "✖"),
}


def outcome_html(d: AssistanceDetail) -> str:
    """The outcome and WHY, prominently: the first thing the request shows."""
    background, colour, mark = _BOX.get(AssistanceStatus(d.status), ("#eeeeee", "#333333", "●"))
    if d.outcome:
        headline = d.outcome_label
    elif d.status == AssistanceStatus.OPEN:
        headline = "Open: to be triaged"
    else:
        headline = AssistanceStatus(d.status).label
    if d.status == AssistanceStatus.OPEN:
        why = d.rule.reason  # why rule 1 did not refer it
    else:
        why = d.outcome_reason
    referred = (f"<p style='margin:4px 0'><b>Referred to:</b> {esc(d.referred_to)}</p>"
                if d.referred_to else "")
    return (f"<table width='100%' cellpadding='8' style='background:{background};color:{colour};"
            f"margin:6px 0'><tr><td><p style='font-size:large;margin:0'><b>{mark} {esc(headline)}</b></p>"
            f"{referred}"
            + (f"<p style='margin:4px 0'><b>Why:</b> {esc(why)}</p>" if why else "")
            + "</td></tr></table>")


class AssistanceKind(RecordKind):
    entity, noun, list_name = "assistance_request", "assistance request", "assistance"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return assistance.get_request(ctx, record_id)

    def title(self, d: AssistanceDetail) -> str:
        return f"Assistance request {d.data.requested_on} — {d.requesting_agency}"

    def overview(self, d: AssistanceDetail) -> str:
        x = d.data
        return (f"<h2>Assistance request</h2><h3>{esc(d.requesting_agency)}</h3>" + outcome_html(d) + facts([
            ("Date", x.requested_on), ("Asked of", d.requested_of_agency),
            ("Bases", ", ".join(label_of(AssistanceBasis, b) for b in x.bases)),
            ("Status", AssistanceStatus(d.status).label),
            ("Requester", "DHS component" if d.requester_is_dhs_component else "outside DHS"),
        ]) + (f"<h3>Description</h3><p>{esc(x.description)}</p>" if x.description else ""))

    def tabs(self, shell: Shell, parent: QWidget, d: AssistanceDetail) -> list[ChildTab]:
        return [ChildTab(
            "Decision", ["Status", "Outcome", "Referred to", "Reason"],
            [(d.id, [AssistanceStatus(d.status).label, d.outcome_label, d.referred_to, d.outcome_reason])],
            add=lambda: edit_with(shell, decision_dialog(shell, parent, d)),
            add_label="Record decision…",
            flags={d.id: "warning"} if d.status in (AssistanceStatus.OPEN, AssistanceStatus.TRIAGED) else {},
        )]

    def editor(self, shell: Shell, parent: QWidget, d: AssistanceDetail | None) -> FormDialog:
        ctx = shell.ctx
        fields = [
            Field("requesting_agency_id", "Requesting organization", agency_picker(ctx), True),
            Field("requested_of_agency_id", "Asked of", agency_picker(ctx),
                  help="The agency whose help is requested (e.g. CBP)"),
            Field("requested_on", "Date", lambda: DateField(optional=False), True),
            Field("bases", "Bases", lambda: ChecklistField(AssistanceBasis.choices()), True,
                  help="A request based solely on language translation from outside DHS is referred "
                       "to translation services (000)"),
            Field("description", "Description", QPlainTextEdit),
        ]
        initial = d.data.__dict__ if d else {"requested_on": ctx.today()}
        if d:
            save = lambda data: assistance.update_request(ctx, d.id, data)  # noqa: E731
        else:
            save = lambda data: assistance.create_request(ctx, data)  # noqa: E731
        return FormDialog(parent, "Edit assistance request" if d else "New assistance request", fields,
                          lambda v: AssistanceRequestData(**v), save, shell.worker, initial)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return assistance.delete_request(ctx, record_id)


def decision_dialog(shell: Shell, parent: QWidget, d: AssistanceDetail) -> FormDialog:
    """Move the request on: triaged, completed with an outcome, declined or referred."""
    ctx = shell.ctx
    statuses = [(s.value, s.label) for s in AssistanceStatus if s != AssistanceStatus.OPEN]
    fields = [
        Field("status", "Status", lambda: ChoiceField(statuses), True),
        Field("outcome", "Outcome", lambda: ChoiceField(AssistanceOutcome.choices(), optional=True)),
        Field("outcome_reason", "Reason", QPlainTextEdit,
              help="Required to decline, to refer, or to work a request that was referred"),
        Field("referred_to", "Referred to", QLineEdit),
    ]
    referred = d.status == AssistanceStatus.REFERRED
    # a referral taken back needs its own reason, so the referral's reason is not offered as one
    initial = {"status": d.status if d.status != AssistanceStatus.OPEN else AssistanceStatus.TRIAGED.value,
               "outcome": d.outcome or None, "outcome_reason": "" if referred else d.outcome_reason,
               "referred_to": d.referred_to}
    return FormDialog(parent, "Record decision", fields,
                      lambda v: AssistanceDecisionData(v["status"], v["outcome"] or "", v["outcome_reason"],
                                                       v["referred_to"]),
                      lambda data: assistance.decide_request(ctx, d.id, data), shell.worker, initial)
