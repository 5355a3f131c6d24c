"""Members: the person, and the assignments, cross-designations and training they hold."""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtWidgets import QLineEdit, QWidget

from taskforce.domain.enums import AssignmentRole, Authority, DesignationStatus
from taskforce.domain.records import AssignmentData, DesignationData, MemberData, TrainingData
from taskforce.gui.fields import ChoiceField, DateField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import (
    ChildTab, RecordKind, Shell, agency_picker, edit_with, esc, facts, run_change,
)
from taskforce.services import lookup, members
from taskforce.services.members import MemberDetail

_FLAG = {DesignationStatus.EXPIRED: "overdue", DesignationStatus.EXPIRING: "warning"}


class MemberKind(RecordKind):
    entity, noun, list_name = "member", "member", "members"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return members.get_member(ctx, record_id)

    def title(self, d: MemberDetail) -> str:
        return d.display_name

    def overview(self, d: MemberDetail) -> str:
        x = d.data
        active = [f"{Authority(s.data.authority).label}" for s in d.designations
                  if s.in_force]
        return f"<h2>{esc(d.display_name)}</h2>" + facts([
            ("Rank or title", x.rank_title), ("Home agency", d.home_agency),
            ("E-mail", x.email), ("Phone", x.phone),
            ("Task forces", ", ".join(a.task_force for a in d.assignments if a.data.end is None)),
            ("Designations in force", ", ".join(active) or "none"),
            ("Training", f"{len(d.training)} course(s)"),
        ])

    def tabs(self, shell: Shell, parent: QWidget, d: MemberDetail) -> list[ChildTab]:
        def item_editor(title: str, fields: list[Field], cls: type, initial: dict | None, item_id: int | None):
            save = lambda data: members.save_member_item(shell.ctx, data, item_id)  # noqa: E731
            build = lambda v: cls(member_id=d.id, **v)  # noqa: E731
            return lambda *_: edit_with(shell, FormDialog(parent, title, fields, build, save, shell.worker, initial))

        def remover(kind: str):  # noqa: ANN202
            return lambda item_id: run_change(shell, parent, lambda: members.delete_member_item(shell.ctx, kind, item_id),
                                              f"Remove this {kind}? Its history is kept.")

        assignment_fields = lambda: [  # noqa: E731
            Field("task_force_id", "Task force", lambda: ChoiceField(lookup.task_forces(shell.ctx), optional=True), True),
            Field("role", "Role", lambda: ChoiceField(AssignmentRole.choices()), True),
            Field("start", "From", lambda: DateField(optional=False), True),
            Field("end", "To", DateField),
        ]
        designation_fields = lambda: [  # noqa: E731
            Field("authority", "Authority", lambda: ChoiceField(Authority.choices()), True),
            Field("granting_agency_id", "Granting agency", agency_picker(shell.ctx), True),
            Field("agreement_id", "Under agreement", lambda: ChoiceField(lookup.agreements(shell.ctx), optional=True),
                  help="Required for 287(g): delegated authority exists only under a written agreement"),
            Field("effective", "Effective", lambda: DateField(optional=False), True),
            Field("expires", "Expires", DateField),
        ]
        training_fields = lambda: [  # noqa: E731
            Field("course", "Course", QLineEdit, True),
            Field("provider", "Provider", QLineEdit),
            Field("completed", "Completed", lambda: DateField(optional=False), True),
        ]

        def strip(data) -> dict:  # noqa: ANN001
            values = asdict(data)
            values.pop("member_id")
            return values

        return [
            ChildTab("Assignments", ["Task force", "Role", "From", "To"],
                     [(a.id, [a.task_force, AssignmentRole(a.data.role).label, str(a.data.start), str(a.data.end or "")])
                      for a in d.assignments],
                     add=item_editor("New assignment", assignment_fields(), AssignmentData, None, None),
                     edit=lambda i: item_editor("Edit assignment", assignment_fields(), AssignmentData,
                                                strip(next(a.data for a in d.assignments if a.id == i)), i)(),
                     remove=remover("assignment"), empty="Not assigned to a task force yet."),
            ChildTab("Designations", ["Authority", "Granting agency", "Agreement", "Effective", "Expires", "Status"],
                     [(s.id, [Authority(s.data.authority).label, s.granting_agency, s.agreement,
                              str(s.data.effective), str(s.data.expires or "none"),
                              ("⚠ " if s.status in _FLAG else "") + s.status.label])
                      for s in d.designations],
                     add=item_editor("New designation", designation_fields(), DesignationData, None, None),
                     edit=lambda i: item_editor("Edit designation", designation_fields(), DesignationData,
                                                strip(next(s.data for s in d.designations if s.id == i)), i)(),
                     remove=remover("designation"), empty="No cross-designations.",
                     flags={s.id: _FLAG[s.status] for s in d.designations if s.status in _FLAG}),
            ChildTab("Training", ["Course", "Provider", "Completed"],
                     [(t.id, [t.data.course, t.data.provider, str(t.data.completed)]) for t in d.training],
                     add=item_editor("New training record", training_fields(), TrainingData, None, None),
                     edit=lambda i: item_editor("Edit training record", training_fields(), TrainingData,
                                                strip(next(t.data for t in d.training if t.id == i)), i)(),
                     remove=remover("training"), empty="No training recorded."),
        ]

    def editor(self, shell: Shell, parent: QWidget, d: MemberDetail | None) -> FormDialog:
        ctx = shell.ctx
        fields = [
            Field("family_name", "Family name", QLineEdit, required=True),
            Field("given_names", "Given names", QLineEdit, required=True),
            Field("rank_title", "Rank or title", QLineEdit),
            Field("home_agency_id", "Home agency", agency_picker(ctx), required=True),
            Field("email", "E-mail", QLineEdit),
            Field("phone", "Phone", QLineEdit),
        ]
        if d:
            save = lambda data: members.update_member(ctx, d.id, data)  # noqa: E731
        else:
            save = lambda data: members.create_member(ctx, data)  # noqa: E731
        return FormDialog(parent, "Edit member" if d else "New member", fields,
                          lambda v: MemberData(**v), save, shell.worker, asdict(d.data) if d else None)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return members.delete_member(ctx, record_id)
