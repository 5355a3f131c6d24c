"""Referrals: the form, the Decision tab (Accept… / Decline…), and the case's Referrals tab."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from taskforce.domain.referrals import DecisionData, ReferralData, ReferralStatus, pending_text
from taskforce.gui.fields import DateField, PickerField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import ChildTab, RecordKind, Shell, agency_picker, edit_with, esc, facts
from taskforce.gui.records.debrief import case_picker, lead_from_case
from taskforce.services import case_events, lookup, referrals
from taskforce.services.context import Context
from taskforce.services.referrals import ReferralDetail, ReferralRow


def referral_form(shell: Shell, parent: QWidget, d: ReferralDetail | None = None, *,
                  case_id: int | None = None, from_agency_id: int | None = None) -> FormDialog:
    ctx = shell.ctx
    from_member = d.row.from_member if d else ""
    fields = [
        Field("case_id", "Case", case_picker(ctx), True),
        Field("referred_on", "Date", lambda: DateField(optional=False), True),
        Field("from_agency_id", "From agency", agency_picker(ctx), True),
        Field("from_member_id", "Referred by",
              lambda: PickerField(lambda t: lookup.members(ctx, t), lambda i: from_member),
              help="The member who referred it, e.g. the CBPO(E) at the port"),
        Field("to_agency_id", "To agency", agency_picker(ctx), True,
              help="If it accepts, this agency becomes the case's lead (001 CBP Officer Enforcement (E))"),
        Field("basis", "Basis", QPlainTextEdit,
              help="Why it could grow into a larger investigation: co-conspirators, foreign leads, assets …"),
    ]
    if d:
        initial = dict(d.data.__dict__)
        save = lambda data: referrals.update_referral(ctx, d.id, data)  # noqa: E731
    else:
        initial = {"case_id": case_id, "referred_on": ctx.today(), "from_agency_id": from_agency_id}
        save = lambda data: referrals.create_referral(ctx, data)  # noqa: E731
    dialog = FormDialog(parent, "Edit referral" if d else "New referral", fields,
                        lambda v: ReferralData(**v), save, shell.worker, initial)
    if not d:
        lead_from_case(ctx, dialog, "from_agency_id")  # usually the lead refers its case
    return dialog


def decision_form(shell: Shell, parent: QWidget, d: ReferralDetail, decision: ReferralStatus) -> FormDialog:
    ctx = shell.ctx
    accepting = decision is ReferralStatus.ACCEPTED
    fields = [
        Field("decided_on", "Decided on", lambda: DateField(optional=False), True),
        Field("reason", "Note" if accepting else "Reason", QPlainTextEdit, not accepting,
              help=(f"{d.row.to_agency} becomes the case's lead agency" if accepting
                    else "Why it is declined; the lead stays as it is")),
    ]
    title = "Accept referral" if accepting else "Decline referral"
    return FormDialog(parent, title, fields,
                      lambda v: DecisionData(referral_id=d.id, decision=decision.value, **v),
                      lambda data: referrals.decide_referral(ctx, data), shell.worker,
                      {"decided_on": ctx.today()})


def _status_text(r: ReferralRow) -> str:
    if r.status is ReferralStatus.PENDING:
        return pending_text(r.age_days or 0).capitalize()
    return r.status.label


class ReferralKind(RecordKind):
    entity, noun, list_name = "referral", "referral", "referrals"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return referrals.get_referral(ctx, record_id)

    def title(self, d: ReferralDetail) -> str:
        return f"Referral of {d.row.case_number} to {d.row.to_agency}"

    def overview(self, d: ReferralDetail) -> str:
        r = d.row
        decision = ""
        if r.status is not ReferralStatus.PENDING:
            decision = f"{r.status.label} on {r.decided_on}" + (f": {r.decision_reason}" if r.decision_reason else "")
        return f"<h2>Referral of {esc(r.case_number)}</h2><h3>{esc(d.case_title)}</h3>" + facts([
            ("Referred on", r.referred_on), ("From", r.from_agency), ("Referred by", r.from_member),
            ("To", r.to_agency), ("Status", _status_text(r)), ("Decision", decision),
            ("Case lead now", d.case_lead), ("Basis", r.basis),
        ])

    def tabs(self, shell: Shell, parent: QWidget, d: ReferralDetail) -> list[ChildTab]:
        r = d.row
        actions: tuple = ()
        if r.status is ReferralStatus.PENDING:
            actions = (("Accept…", lambda: edit_with(shell, decision_form(shell, parent, d, ReferralStatus.ACCEPTED))),
                       ("Decline…", lambda: edit_with(shell, decision_form(shell, parent, d, ReferralStatus.DECLINED))))
        return [ChildTab("Decision", ["Status", "Decided", "Reason"],
                         [(d.id, [_status_text(r), str(r.decided_on or ""), r.decision_reason])],
                         open=lambda _i: shell.open_record("case_file", r.case_id),
                         flags={d.id: "warning"} if r.status is ReferralStatus.PENDING else {},
                         actions=actions)]

    def editor(self, shell: Shell, parent: QWidget, d: ReferralDetail | None) -> FormDialog:
        return referral_form(shell, parent, d)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return referrals.delete_referral(ctx, record_id)


# --- the case window's Referrals tab --------------------------------------------------------

@dataclass(frozen=True)
class CaseReferrals:
    case_id: int
    lead_agency_id: int
    rows: tuple[ReferralRow, ...]


def case_tab_data(ctx: Context, case_id: int) -> CaseReferrals:
    """On the worker thread."""
    return CaseReferrals(case_id, case_events.case_lead(ctx, case_id), referrals.case_referrals(ctx, case_id))


def case_tab(shell: Shell, parent: QWidget, case_id: int, data: CaseReferrals) -> ChildTab:
    """On the GUI thread; no database access."""
    return ChildTab(
        "Referrals", ["Date", "From", "To", "Status", "Decided", "Reason", "Basis"],
        [(r.id, [str(r.referred_on), r.from_agency, r.to_agency, _status_text(r),
                 str(r.decided_on or ""), r.decision_reason, r.basis]) for r in data.rows],
        add=lambda: edit_with(shell, referral_form(shell, parent, case_id=case_id,
                                                   from_agency_id=data.lead_agency_id)),
        open=lambda i: shell.open_record("referral", i),
        empty="No referrals. Add… to refer this case to another agency.",
        flags={r.id: "warning" for r in data.rows if r.status is ReferralStatus.PENDING},
    )
