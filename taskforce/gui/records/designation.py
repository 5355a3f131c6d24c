"""A cross-designation as the roster opens it: whose, which authority, until when, and how
near expiry (rule 7). Editing goes through the member's own service."""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtWidgets import QWidget

from taskforce.domain.cooperation import ActivityType
from taskforce.domain.designations import WarningBand
from taskforce.domain.enums import Authority, DesignationStatus, label_of
from taskforce.domain.errors import FieldError, ValidationFailed
from taskforce.domain.records import DesignationData
from taskforce.gui.fields import ChoiceField, DateField, PickerField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import ChildTab, RecordKind, Shell, agency_picker, esc, facts
from taskforce.services import lookup, members, roster
from taskforce.services.roster import DesignationDetail

_BAND_STYLE = {
    WarningBand.EXPIRED: ("#fbe0dd", "#8c1d18", "✖"),
    WarningBand.DAYS_30: ("#fff1cc", "#5c3b00", "⚠"),
    WarningBand.DAYS_60: ("#fff1cc", "#5c3b00", "⚠"),
    WarningBand.DAYS_90: ("#fff1cc", "#5c3b00", "⚠"),
}


def band_html(d: DesignationDetail) -> str:
    """The warning band, never colour alone: a mark and words (UX.md)."""
    if d.band is None:
        if not d.counts:  # not yet effective
            return f"<p><b>Not yet in force</b>: effective {esc(d.data.effective)}.</p>"
        return f"<p style='color:#1b7f3b'><b>✔ In force</b> ({esc(d.expiry_text)})</p>"
    background, colour, mark = _BAND_STYLE[d.band]
    extra = ("It no longer counts for any check (rule 7)." if d.band is WarningBand.EXPIRED
             else "Renewal or recertification is due before then.")
    if d.status is DesignationStatus.RENEWED:
        extra = "A later designation of the same authority takes over without a gap."
    elif d.lapse_text:
        extra += f" {d.lapse_text.capitalize()}."
    return (f"<table width='100%' cellpadding='8' style='background:{background};color:{colour};margin:6px 0'>"
            f"<tr><td><p style='font-size:large;margin:0'><b>{mark} {esc(d.band.label)}</b></p>"
            f"<p style='margin:4px 0'>{esc(d.expiry_text.capitalize())} (as of {esc(d.as_of)}). {esc(extra)}</p>"
            "</td></tr></table>")


class DesignationKind(RecordKind):
    entity, noun, list_name = "designation", "designation", "designations"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return roster.get_designation(ctx, record_id)

    def title(self, d: DesignationDetail) -> str:
        return f"{d.member} — {label_of(Authority, d.data.authority)}"

    def overview(self, d: DesignationDetail) -> str:
        x = d.data
        agreement = d.agreement
        if agreement and d.agreement_in_force is not None:
            agreement += " (in force)" if d.agreement_in_force else " (not in force)"
        return (f"<h2>{esc(d.member)}</h2><h3>{esc(label_of(Authority, x.authority))}</h3>" + band_html(d) + facts([
            ("Home agency", d.home_agency), ("Granted by", d.granting_agency), ("Under agreement", agreement),
            ("Effective", x.effective), ("Expires", x.expires or "no expiry stated"),
            ("Relied on by", f"{len(d.relied_on_by)} cooperation activit{'y' if len(d.relied_on_by) == 1 else 'ies'}"
             if d.relied_on_by else ""),
        ]))

    def tabs(self, shell: Shell, parent: QWidget, d: DesignationDetail) -> list[ChildTab]:
        if d.data.authority != Authority.A287G:
            return []
        return [ChildTab("Relied on by", ["Date", "Activity"],
                         [(a.id, [str(a.occurred_on), label_of(ActivityType, a.activity_type)])
                          for a in d.relied_on_by],
                         empty="No delegated-authority activity has relied on this designation.")]

    def editor(self, shell: Shell, parent: QWidget, d: DesignationDetail | None) -> FormDialog:
        ctx = shell.ctx
        fields = [] if d else [
            Field("member_id", "Member", lambda: PickerField(lambda t: lookup.members(ctx, t), lambda i: ""), True)]
        fields += [
            Field("authority", "Authority", lambda: ChoiceField(Authority.choices()), True),
            Field("granting_agency_id", "Granting agency", agency_picker(ctx), True),
            Field("agreement_id", "Under agreement", lambda: ChoiceField(lookup.agreements(ctx), optional=True),
                  help="Required for 287(g): delegated authority exists only under a written agreement"),
            Field("effective", "Effective", lambda: DateField(optional=False), True),
            Field("expires", "Expires", DateField),
        ]

        def build(v: dict) -> DesignationData:
            member_id = d.data.member_id if d else v.pop("member_id")
            if member_id is None:
                raise ValidationFailed([FieldError("member_id", "Choose the member who holds this designation.")])
            return DesignationData(member_id=member_id, **v)

        initial = {k: v for k, v in asdict(d.data).items() if k != "member_id"} if d else None
        return FormDialog(parent, "Edit designation" if d else "New designation", fields, build,
                          lambda data: members.save_member_item(ctx, data, d.id if d else None),
                          shell.worker, initial)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return members.delete_member_item(ctx, "designation", record_id)
