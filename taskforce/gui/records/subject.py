"""Subjects: names, aliases, identifiers, and every case they appear on."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from taskforce.domain.enums import IdentifierKind, SubjectKind, SubjectRole, label_of
from taskforce.domain.records import Identifier, SubjectData
from taskforce.gui.fields import ChecklistField, ChoiceField, DateField, LinesField, RowsField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import ChildTab, RecordKind, Shell, agency_picker, caveat_labels, esc, facts
from taskforce.services import lookup, subjects
from taskforce.services.subjects import SubjectDetail


class SubjectKindView(RecordKind):
    entity, noun, list_name = "subject", "subject", "subjects"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return subjects.get_subject(ctx, record_id)

    def title(self, d: SubjectDetail) -> str:
        return d.data.name

    def overview(self, d: SubjectDetail) -> str:
        x = d.data
        idents = "<br>".join(f"{esc(label_of(IdentifierKind, i.kind))}: {esc(i.value)}" for i in x.identifiers)
        warn = (f"<p style='color:#8a5300'><b>⚠ On {len(d.cases)} cases</b>: check for deconfliction.</p>"
                if len(d.cases) > 1 else "")
        return f"<h2>{esc(x.name)}</h2>" + caveat_labels(d.caveats) + warn + facts([
            ("Kind", SubjectKind(x.kind).label), ("Also known as", ", ".join(x.aliases)),
            ("Date of birth", x.dob), ("Nationality", x.nationality),
            ("Identifiers", f"<span>{idents}</span>" if idents else ""), ("Cases", len(d.cases)),
        ])

    def tabs(self, shell: Shell, parent: QWidget, d: SubjectDetail) -> list[ChildTab]:
        return [ChildTab("Cases", ["Number", "Title", "Role"],
                         [(c.case_id, [c.number, c.title, SubjectRole(c.role).label]) for c in d.cases],
                         open=lambda case_id: shell.open_record("case_file", case_id),
                         empty="Not linked to any case yet: link it from a case's Subjects tab.")]

    def editor(self, shell: Shell, parent: QWidget, d: SubjectDetail | None) -> FormDialog:
        ctx = shell.ctx
        fields = [
            Field("kind", "Kind", lambda: ChoiceField(SubjectKind.choices()), True),
            Field("name", "Name", QLineEdit, True),
            Field("aliases", "Aliases", LinesField, help="One per line"),
            Field("dob", "Date of birth", DateField),
            Field("nationality", "Nationality", QLineEdit),
            Field("identifiers", "Identifiers", lambda: RowsField([("Type", IdentifierKind.choices()),
                                                                    ("Value", None)])),
            Field("originating_agency_id", "Entered by agency", agency_picker(ctx),
                  help="The agency the subject's details came from (Third Party Rule)"),
            Field("caveat_ids", "Handling caveats", lambda: ChecklistField(lookup.caveats(ctx)),
                  help="Restrictions the record carries, e.g. derived from EU PNR data (Third Party Rule)"),
        ]
        initial = None
        if d:
            initial = {**d.data.__dict__, "identifiers": tuple((i.kind, i.value) for i in d.data.identifiers)}

        def build(v: dict) -> SubjectData:
            rows = v.pop("identifiers")
            return SubjectData(identifiers=tuple(Identifier(k, val) for k, val in rows), **v)

        if d:
            save = lambda data: subjects.update_subject(ctx, d.id, data)  # noqa: E731
        else:
            save = lambda data: subjects.create_subject(ctx, data)  # noqa: E731
        return FormDialog(parent, "Edit subject" if d else "New subject", fields, build, save,
                          shell.worker, initial)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return subjects.delete_subject(ctx, record_id)
