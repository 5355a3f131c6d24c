"""Written agreements: kind, parties, dates; in force derived."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from taskforce.domain.enums import AgreementKind
from taskforce.domain.records import AgreementData
from taskforce.gui.fields import ChoiceField, DateField, RowsField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import RecordKind, Shell, agency_picker, esc, facts
from taskforce.services import agreements
from taskforce.services.agreements import AgreementDetail


class AgreementKindView(RecordKind):
    entity, noun, list_name = "agreement", "agreement", "agreements"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return agreements.get_agreement(ctx, record_id)

    def title(self, d: AgreementDetail) -> str:
        return d.data.title

    def overview(self, d: AgreementDetail) -> str:
        x = d.data
        status = ("<b style='color:#1b7f3b'>✔ In force</b>" if d.in_force
                  else "<b style='color:#b3261e'>✖ Not in force</b>")
        return f"<h2>{esc(x.title)}</h2>" + facts([
            ("Kind", AgreementKind(x.kind).label), ("Status", status),
            ("Parties", ", ".join(name for _i, name in d.parties)),
            ("Signed", x.signed), ("Effective", x.effective), ("Expires", x.expires),
            ("Document", x.document_ref),
        ]) + (f"<h3>Scope</h3><p>{esc(x.scope)}</p>" if x.scope else "")

    def editor(self, shell: Shell, parent: QWidget, d: AgreementDetail | None) -> FormDialog:
        ctx = shell.ctx
        fields = [
            Field("kind", "Kind", lambda: ChoiceField(AgreementKind.choices()), required=True),
            Field("title", "Title", QLineEdit, required=True),
            Field("party_ids", "Parties", lambda: RowsField([("Agency", agency_picker(ctx))]),
                  required=True, help="At least two agencies"),
            Field("scope", "Scope", QPlainTextEdit),
            Field("signed", "Signed", DateField),
            Field("effective", "Effective", DateField),
            Field("expires", "Expires", DateField),
            Field("document_ref", "Document reference", QLineEdit),
        ]
        initial = None
        if d:
            initial = {**d.data.__dict__, "party_ids": tuple((i,) for i, _n in d.parties)}

        def build(v: dict) -> AgreementData:
            parties = tuple(row[0] for row in v.pop("party_ids") if row[0])
            return AgreementData(party_ids=parties, **v)

        if d:
            save = lambda data: agreements.update_agreement(ctx, d.id, data)  # noqa: E731
        else:
            save = lambda data: agreements.create_agreement(ctx, data)  # noqa: E731
        return FormDialog(parent, "Edit agreement" if d else "New agreement", fields, build, save,
                          shell.worker, initial)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return agreements.delete_agreement(ctx, record_id)
