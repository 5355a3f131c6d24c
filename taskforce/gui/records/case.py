"""Cases: the form (with a suggested number), members, subjects (and their other cases), notes."""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from taskforce.domain.enums import CaseMemberRole, CaseStatus, Priority, Statute, SubjectRole
from taskforce.domain.records import CaseData, CaseMemberData, CaseSubjectData, NoteData
from taskforce.gui.fields import ChecklistField, ChoiceField, DateField, PickerField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import (
    ChildTab, RecordKind, Shell, agency_picker, caveat_labels, edit_with, esc, facts, run_change,
)
from taskforce.services import cases, lookup
from taskforce.services.cases import CaseDetail

class CaseKind(RecordKind):
    entity, noun, list_name = "case_file", "case", "cases"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return cases.get_case(ctx, record_id)

    def title(self, d: CaseDetail) -> str:
        return f"{d.data.number} — {d.data.title}"

    def overview(self, d: CaseDetail) -> str:
        x = d.data
        caveats = caveat_labels(d.caveats)
        closed = f"{x.closed_on}: {x.closed_reason}" if x.status == CaseStatus.CLOSED else ""
        shared = [s for s in d.subjects if s.other_cases]
        warning = ""
        if shared:
            items = "".join(f"<li>{esc(s.name)}: also on {esc(', '.join(s.other_cases))}</li>" for s in shared)
            warning = f"<p style='color:#8a5300'><b>⚠ Subjects also on other cases</b></p><ul>{items}</ul>"
        return (f"<h2>{esc(x.number)}</h2><h3>{esc(x.title)}</h3>{caveats}" + facts([
            ("Status", CaseStatus(x.status).label), ("Closed", closed),
            ("Priority", Priority(x.priority).label), ("Task force", d.task_force),
            ("Lead agency", d.lead_agency), ("Originating agency", d.originating_agency),
            ("Type", x.case_type), ("Opened", x.opened_on),
            ("Statutes", ", ".join(Statute(s).label for s in x.statutes)),
            ("Members", len(d.members)), ("Subjects", len(d.subjects)), ("Notes", len(d.notes)),
        ]) + warning + (f"<h3>Synopsis</h3><p>{esc(x.synopsis)}</p>" if x.synopsis else ""))

    def tabs(self, shell: Shell, parent: QWidget, d: CaseDetail) -> list[ChildTab]:
        ctx = shell.ctx

        def link_dialog(title: str, picker, roles, build, save):  # noqa: ANN001, ANN202
            fields = [Field("target", title.split()[-1].capitalize(), picker, True),
                      Field("role", "Role", lambda: ChoiceField(roles), True)]
            return lambda: edit_with(shell, FormDialog(parent, title, fields, build, save, shell.worker))

        member_picker = lambda: PickerField(lambda t: lookup.members(ctx, t), lambda i: "")  # noqa: E731
        subject_picker = lambda: PickerField(lambda t: lookup.subjects(ctx, t), lambda i: "")  # noqa: E731
        note_fields = [
            Field("body", "Note", QPlainTextEdit, True),
            Field("originating_agency_id", "From agency", agency_picker(ctx),
                  help="The agency the information came from (Third Party Rule); empty: the case's"),
            Field("caveat_ids", "Handling caveats", lambda: ChecklistField(lookup.caveats(ctx))),
        ]

        def note_data(v: dict) -> NoteData:
            return NoteData(d.id, v["body"], originating_agency_id=v["originating_agency_id"],
                            caveat_ids=tuple(v["caveat_ids"] or ()))
        return [
            ChildTab("Members", ["Name", "Agency", "Role"],
                     [(m.id, [m.name, m.agency, CaseMemberRole(m.role).label]) for m in d.members],
                     add=link_dialog("Assign member", member_picker, CaseMemberRole.choices(),
                                     lambda v: CaseMemberData(d.id, v["target"], v["role"]),
                                     lambda data: cases.assign_member(ctx, data)),
                     remove=lambda i: run_change(shell, parent, lambda: cases.remove_link(ctx, "member", i),
                                                 "Remove this member from the case?"),
                     open=lambda i: shell.open_record("member", next(m.member_id for m in d.members if m.id == i)),
                     empty="No members assigned. Add… to assign one."),
            ChildTab("Subjects", ["Name", "Kind", "Role", "Also on cases"],
                     [(s.id, [s.name, s.kind.capitalize(), SubjectRole(s.role).label,
                              ", ".join(s.other_cases)]) for s in d.subjects],
                     add=link_dialog("Link subject", subject_picker, SubjectRole.choices(),
                                     lambda v: CaseSubjectData(d.id, v["target"], v["role"]),
                                     lambda data: cases.link_subject(ctx, data)),
                     remove=lambda i: run_change(shell, parent, lambda: cases.remove_link(ctx, "subject", i),
                                                 "Unlink this subject from the case? The subject is kept."),
                     open=lambda i: shell.open_record("subject", next(s.subject_id for s in d.subjects if s.id == i)),
                     empty="No subjects linked. Add… to link one.",
                     flags={s.id: "warning" for s in d.subjects if s.other_cases}),
            ChildTab("Notes", ["Written (UTC)", "Author", "From agency", "Caveats", "Note"],
                     [(n.id, [n.written_at.replace("T", " ").rstrip("Z"), n.author,
                              n.originating_agency or "(the case's)", ", ".join(n.caveats), n.body])
                      for n in d.notes],
                     add=lambda: edit_with(shell, FormDialog(
                         parent, "New note", note_fields, note_data,
                         lambda data: cases.add_note(ctx, data), shell.worker)),
                     edit=lambda i: edit_with(shell, FormDialog(
                         parent, "Edit note", note_fields, note_data,
                         lambda data: cases.edit_note(ctx, i, data.body, data.originating_agency_id,
                                                      data.caveat_ids), shell.worker,
                         next({"body": n.body, "originating_agency_id": n.originating_agency_id,
                               "caveat_ids": n.caveat_ids} for n in d.notes if n.id == i))),
                     remove=lambda i: run_change(shell, parent, lambda: cases.remove_link(ctx, "note", i),
                                                 "Delete this note? Its text stays in the history."),
                     flags={n.id: "warning" for n in d.notes if n.caveats},
                     empty="No notes yet."),
        ]

    def editor(self, shell: Shell, parent: QWidget, d: CaseDetail | None) -> FormDialog:
        ctx = shell.ctx
        fields = [
            Field("task_force_id", "Task force", lambda: ChoiceField(lookup.task_forces(ctx), optional=True), True),
            Field("number", "Case number", QLineEdit, True, help="Free format; a next number is suggested"),
            Field("title", "Title", QLineEdit, True),
            Field("lead_agency_id", "Lead agency", agency_picker(ctx), True),
            Field("originating_agency_id", "Originating agency", agency_picker(ctx)),
            Field("case_type", "Type", QLineEdit),
            Field("statutes", "Statutes", lambda: ChecklistField(Statute.choices())),
            Field("status", "Status", lambda: ChoiceField(CaseStatus.choices()), True),
            Field("closed_on", "Closed", DateField),
            Field("closed_reason", "Reason for closing", QLineEdit),
            Field("priority", "Priority", lambda: ChoiceField(Priority.choices()), True),
            Field("opened_on", "Opened", lambda: DateField(optional=False), True),
            Field("synopsis", "Synopsis", QPlainTextEdit),
            Field("caveat_ids", "Handling caveats", lambda: ChecklistField(lookup.caveats(ctx))),
        ]
        initial = asdict(d.data) if d else {"status": "open", "priority": "normal", "opened_on": ctx.today()}
        if d:
            save = lambda data: cases.update_case(ctx, d.id, data)  # noqa: E731
        else:
            save = lambda data: cases.create_case(ctx, data)  # noqa: E731
        dialog = FormDialog(parent, "Edit case" if d else "New case", fields, lambda v: CaseData(**v),
                            save, shell.worker, initial)
        if not d:
            tf, number = dialog.widgets["task_force_id"], dialog.widgets["number"]

            def suggest() -> None:
                if tf.value() and (not number.text() or number.property("suggested")):
                    number.setText(cases.suggest_number(ctx, tf.value()))
                    number.setProperty("suggested", True)
            tf.currentIndexChanged.connect(lambda *_: suggest())
            number.textEdited.connect(lambda *_: number.setProperty("suggested", False))
        return dialog

    def window_actions(self, shell: Shell, parent: QWidget) -> list:
        from taskforce.gui.report_dialog import case_actions

        return case_actions(shell, parent)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return cases.delete_case(ctx, record_id)
