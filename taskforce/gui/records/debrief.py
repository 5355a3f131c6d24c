"""Debriefs: the form (participants as rows), the Briefing tab, and the case's Debriefs tab."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from taskforce.domain.debriefs import (
    BriefingData, BriefingStatus, DebriefData, DebriefParticipant, ParticipantRole, WaiverData,
)
from taskforce.domain.enums import label_of
from taskforce.gui.fields import ChecklistField, DateField, PickerField, RowsField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import (
    ChildTab, RecordKind, Shell, agency_picker, caveat_labels, edit_with, esc, facts,
)
from taskforce.services import case_events, debriefs, lookup
from taskforce.services.context import Context
from taskforce.services.debriefs import DebriefDetail, DebriefRow

# --- the debrief form -----------------------------------------------------------------------

def case_picker(ctx: Context) -> Callable[[], PickerField]:
    return lambda: PickerField(lambda t: lookup.cases(ctx, t), lambda i: lookup.case_label(ctx, i))


def debrief_form(shell: Shell, parent: QWidget, d: DebriefDetail | None = None, *,
                 case_id: int | None = None, lead_agency_id: int | None = None) -> FormDialog:
    ctx = shell.ctx
    member_names = {p.member_id: p.name for p in d.participants if p.member_id} if d else {}
    member_picker = lambda: PickerField(lambda t: lookup.members(ctx, t),  # noqa: E731
                                        lambda i: member_names.get(i, ""))
    defendant = d.defendant if d else ""
    fields = [
        Field("case_id", "Case", case_picker(ctx), True),
        Field("held_on", "Date", lambda: DateField(optional=False), True),
        Field("defendant_subject_id", "Defendant",
              lambda: PickerField(lambda t: lookup.subjects(ctx, t), lambda i: defendant)),
        Field("place", "Place", QLineEdit),
        Field("prosecutor_office", "Prosecutor's office", QLineEdit),
        Field("lead_agency_id", "Lead agency", agency_picker(ctx), True,
              help="The investigating agency: it owes the Supervisory CBP Officer a briefing "
                   "when no CBP officer takes part (001 Presence of CBP Officers)"),
        Field("participants", "Participants", lambda: RowsField([
            ("Member", member_picker), ("Outside person", None),
            ("Agency", agency_picker(ctx)), ("Role", ParticipantRole.choices()),
        ]), True, help="A member, or an outside person's name and agency; a member's agency "
                       "defaults to their home agency"),
        Field("caveat_ids", "Handling caveats", lambda: ChecklistField(lookup.caveats(ctx)),
              help="Restrictions the record carries, e.g. derived from EU PNR data (Third Party Rule)"),
    ]
    if d:
        x = d.data
        initial = {"case_id": x.case_id, "held_on": x.held_on, "defendant_subject_id": x.defendant_subject_id,
                   "place": x.place, "prosecutor_office": x.prosecutor_office,
                   "lead_agency_id": x.lead_agency_id,
                   "participants": tuple((p.member_id, p.outside_name, p.agency_id, p.role) for p in x.participants),
                   "caveat_ids": x.caveat_ids}
        save = lambda data: debriefs.update_debrief(ctx, d.id, data)  # noqa: E731
    else:
        initial = {"case_id": case_id, "held_on": ctx.today(), "lead_agency_id": lead_agency_id}
        save = lambda data: debriefs.create_debrief(ctx, data)  # noqa: E731

    def build(v: dict) -> DebriefData:
        rows = v.pop("participants")
        return DebriefData(participants=tuple(
            DebriefParticipant(m, (name or "").strip(), a, role) for m, name, a, role in rows), **v)

    dialog = FormDialog(parent, "Edit debrief" if d else "New debrief", fields, build, save, shell.worker, initial)
    if not d:
        lead_from_case(ctx, dialog, "lead_agency_id")
    return dialog


def lead_from_case(ctx: Context, dialog: FormDialog, agency_field: str) -> None:
    """Once a case is picked, an empty agency field takes the case's lead agency."""
    case, agency = dialog.widgets["case_id"], dialog.widgets[agency_field]

    def fill() -> None:
        if case.value() and agency.value() is None:
            agency.set_value(case_events.case_lead(ctx, case.value()))
            agency.changed.emit()  # so the form checks itself again
    case.changed.connect(fill)


def briefing_form(shell: Shell, parent: QWidget, d: DebriefDetail) -> FormDialog:
    ctx = shell.ctx
    fields = [
        Field("briefed_on", "Briefed on", lambda: DateField(optional=False), True),
        Field("briefed_by", "Briefed by", QLineEdit, True),
        Field("briefed_to", "Briefed to", QLineEdit, True,
              help="The Supervisory CBP Officer, e.g. SCBPO Lee Okafor (CBP OFO Blaine)"),
        Field("summary", "Summary", QPlainTextEdit),
    ]
    return FormDialog(parent, "Record briefing", fields, lambda v: BriefingData(debrief_id=d.id, **v),
                      lambda data: debriefs.record_briefing(ctx, data), shell.worker,
                      {"briefed_on": ctx.today(), "briefed_by": ctx.actor.app_user})


def waiver_form(shell: Shell, parent: QWidget, d: DebriefDetail) -> FormDialog:
    ctx = shell.ctx
    fields = [
        Field("waived_on", "Waived on", lambda: DateField(optional=False), True),
        Field("reason", "Reason", QPlainTextEdit, True,
              help="Why no briefing is appropriate; kept in the history and shown as waived"),
    ]
    return FormDialog(parent, "Waive briefing", fields, lambda v: WaiverData(debrief_id=d.id, **v),
                      lambda data: debriefs.waive_briefing(ctx, data), shell.worker, {"waived_on": ctx.today()})


def briefing_text(status: BriefingStatus, days: int | None) -> str:
    if status is BriefingStatus.OWED:
        return f"Owed ({days} day{'s' if days != 1 else ''})"
    if status is BriefingStatus.NOT_NEEDED:
        return "Not needed (CBP officer present)"
    return status.label


def _flag(status: BriefingStatus, days: int | None) -> str | None:
    if status is not BriefingStatus.OWED:
        return None
    return "overdue" if (days or 0) > 0 else "warning"  # due on the day of the debrief


# --- the debrief record ---------------------------------------------------------------------

class DebriefKind(RecordKind):
    entity, noun, list_name = "debrief", "debrief", "debriefs"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return debriefs.get_debrief(ctx, record_id)

    def title(self, d: DebriefDetail) -> str:
        who = f" — {d.defendant}" if d.defendant else ""
        return f"Debrief {d.data.held_on.isoformat()} — {d.case_number}{who}"

    def overview(self, d: DebriefDetail) -> str:
        x = d.data
        people = "".join(f"<li>{esc(p.name)} ({esc(p.agency)}), {esc(label_of(ParticipantRole, p.role))}"
                         f"{' — CBP' if p.is_cbp else ''}</li>" for p in d.participants)
        if d.status is BriefingStatus.WAIVED:
            briefing = f"<b>Waived</b> on {d.waived_on}: {esc(d.waiver_reason)}"
        elif d.status is BriefingStatus.BRIEFED:
            briefing = f"Briefed on {d.briefed_on} by {esc(d.briefed_by)} to {esc(d.briefed_to)}"
        elif d.status is BriefingStatus.OWED:
            briefing = (f"<span style='color:#b3261e'><b>⚠ Owed</b></span> by {esc(d.lead_agency)} "
                        f"to the Supervisory CBP Officer, since {x.held_on} ({d.owed_days} days)")
        else:
            briefing = "Not needed: a CBP officer took part"
        return (f"<h2>Debrief {esc(x.held_on)}</h2>" + caveat_labels(d.caveats) + facts([
            ("Case", d.case_number), ("Defendant", d.defendant), ("Place", x.place),
            ("Prosecutor's office", x.prosecutor_office), ("Lead agency", d.lead_agency),
            ("Briefing", f"<span>{briefing}</span>"),
        ]) + f"<h3>Participants</h3><ul>{people}</ul>")

    def tabs(self, shell: Shell, parent: QWidget, d: DebriefDetail) -> list[ChildTab]:
        if d.status is BriefingStatus.BRIEFED:
            cells = ["Briefed", str(d.briefed_on), d.briefed_by, d.briefed_to, d.briefing_summary]
        elif d.status is BriefingStatus.WAIVED:
            cells = ["Waived", str(d.waived_on), "", "", d.waiver_reason]
        else:
            cells = [briefing_text(d.status, d.owed_days), "", "", "", ""]
        actions: tuple = ()
        if d.is_open:
            actions = (("Record briefing…", lambda: edit_with(shell, briefing_form(shell, parent, d))),
                       ("Waive…", lambda: edit_with(shell, waiver_form(shell, parent, d))))
        flag = _flag(d.status, d.owed_days)
        return [
            ChildTab("Participants", ["Name", "Agency", "Role", "CBP"],
                     [(p.id, [p.name, p.agency, label_of(ParticipantRole, p.role), "yes" if p.is_cbp else ""])
                      for p in d.participants],
                     open=lambda i: _open_member(shell, d, i), empty="No participants: Edit to add them."),
            ChildTab("Briefing", ["Status", "Date", "By", "To", "Summary or reason"], [(d.id, cells)],
                     flags={d.id: flag} if flag else {}, actions=actions),
        ]

    def editor(self, shell: Shell, parent: QWidget, d: DebriefDetail | None) -> FormDialog:
        return debrief_form(shell, parent, d)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return debriefs.delete_debrief(ctx, record_id)


def _open_member(shell: Shell, d: DebriefDetail, participant_id: int) -> None:
    member_id = next(p.member_id for p in d.participants if p.id == participant_id)
    if member_id:
        shell.open_record("member", member_id)


# --- the case window's Debriefs tab ---------------------------------------------------------

@dataclass(frozen=True)
class CaseDebriefs:
    case_id: int
    lead_agency_id: int
    rows: tuple[DebriefRow, ...]


def case_tab_data(ctx: Context, case_id: int) -> CaseDebriefs:
    """On the worker thread."""
    return CaseDebriefs(case_id, case_events.case_lead(ctx, case_id), debriefs.case_debriefs(ctx, case_id))


def case_tab(shell: Shell, parent: QWidget, case_id: int, data: CaseDebriefs) -> ChildTab:
    """On the GUI thread; no database access."""
    return ChildTab(
        "Debriefs", ["Date", "Defendant", "Participants", "CBP present", "Briefing", "Lead agency"],
        [(r.id, [str(r.held_on), r.defendant, r.participants, "yes" if r.cbp_present else "no",
                 briefing_text(r.status, r.owed_days), r.lead_agency]) for r in data.rows],
        add=lambda: edit_with(shell, debrief_form(shell, parent, case_id=case_id,
                                                  lead_agency_id=data.lead_agency_id)),
        open=lambda i: shell.open_record("debrief", i),
        empty="No debriefs recorded. Add… to record who sat in on a defendant interview.",
        flags={r.id: f for r in data.rows if (f := _flag(r.status, r.owed_days))},
    )
