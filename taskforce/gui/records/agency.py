"""Agencies: form, overview with the nesting, units."""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from taskforce.domain.enums import AgencyLevel
from taskforce.domain.records import AgencyData
from taskforce.gui.fields import ChoiceField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import RecordKind, Shell, agency_picker, esc, facts
from taskforce.services import agencies
from taskforce.services.agencies import AgencyDetail


class AgencyKind(RecordKind):
    entity, noun, list_name = "agency", "agency", "agencies"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return agencies.get_agency(ctx, record_id)

    def title(self, d: AgencyDetail) -> str:
        return f"{d.data.abbreviation} — {d.data.name}" if d.data.abbreviation else d.data.name

    def overview(self, d: AgencyDetail) -> str:
        x = d.data
        return f"<h2>{esc(self.title(d))}</h2>" + facts([
            ("Level", AgencyLevel(x.level).label),
            ("Nesting", " → ".join(d.chain)),
            ("DHS component", "yes" if d.is_dhs_component else "no"),
            ("Country", x.country), ("State", x.state), ("County", x.county), ("ORI", x.ori),
            ("Type", x.agency_type), ("Active", "yes" if x.active else "no"),
            ("Units under it", d.units), ("Reference agency", x and d.ref_key),
        ])

    def editor(self, shell: Shell, parent: QWidget, d: AgencyDetail | None) -> FormDialog:
        ctx = shell.ctx
        fields = [
            Field("name", "Name", QLineEdit, required=True),
            Field("abbreviation", "Abbreviation", QLineEdit),
            Field("level", "Level", lambda: ChoiceField(AgencyLevel.choices()), required=True),
            Field("parent_id", "Part of", agency_picker(ctx), help="e.g. DHS → CBP → OFO → a field office"),
            Field("country", "Country", QLineEdit),
            Field("state", "State or province", QLineEdit),
            Field("county", "County", QLineEdit),
            Field("ori", "ORI", QLineEdit, help="9-character Originating Agency Identifier"),
            Field("agency_type", "Type", QLineEdit),
            Field("active", "Active", QCheckBox),
        ]
        initial = asdict(d.data) if d else {"country": "US", "active": True, "level": "local"}
        if d:
            save = lambda data: agencies.update_agency(ctx, d.id, data)  # noqa: E731
        else:
            save = lambda data: agencies.create_agency(ctx, data)  # noqa: E731
        return FormDialog(parent, "Edit agency" if d else "New agency", fields,
                          lambda v: AgencyData(**v), save, shell.worker, initial)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return agencies.delete_agency(ctx, record_id)
