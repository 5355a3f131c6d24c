"""Task forces: kind, lead agency, participating agencies each under an agreement."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

from taskforce.domain.enums import TaskForceKind
from taskforce.domain.records import Participation, TaskForceData
from taskforce.gui.fields import ChoiceField, DateField, RowsField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import ChildTab, RecordKind, Shell, agency_picker, esc, facts
from taskforce.services import lookup, task_forces
from taskforce.services.task_forces import TaskForceDetail


def _interval() -> QSpinBox:
    box = QSpinBox()
    box.setRange(1, 365)
    box.setSuffix(" days")
    box.setValue(30)
    return box


class TaskForceKindView(RecordKind):
    entity, noun, list_name = "task_force", "task force", "task_forces"

    def load(self, ctx, record_id):  # noqa: ANN001, ANN201
        return task_forces.get_task_force(ctx, record_id)

    def title(self, d: TaskForceDetail) -> str:
        return d.data.name

    def overview(self, d: TaskForceDetail) -> str:
        x = d.data
        return f"<h2>{esc(x.name)}</h2>" + facts([
            ("Kind", TaskForceKind(x.kind).label), ("Lead agency", d.lead_agency),
            ("Investigative lead", d.investigative_lead or "none named: only ICE HSI leads controlled deliveries"),
            ("Area or ports", x.area), ("Active from", x.active_from), ("Active to", x.active_to),
            ("Feedback interval", f"{x.feedback_interval_days} days"),
            ("Participating agencies", len(d.participants)), ("Members", d.members), ("Cases", d.cases),
        ])

    def tabs(self, shell: Shell, parent: QWidget, d: TaskForceDetail) -> list[ChildTab]:
        return [ChildTab("Participating agencies", ["Agency", "Under agreement"],
                         [(p.agency_id, [p.agency, p.agreement or "— none recorded —"]) for p in d.participants],
                         open=lambda agency_id: shell.open_record("agency", agency_id),
                         empty="No participating agencies yet: Edit to add them.")]

    def editor(self, shell: Shell, parent: QWidget, d: TaskForceDetail | None) -> FormDialog:
        ctx = shell.ctx
        fields = [
            Field("name", "Name", QLineEdit, required=True),
            Field("kind", "Kind", lambda: ChoiceField(TaskForceKind.choices()), required=True),
            Field("lead_agency_id", "Lead agency", agency_picker(ctx), required=True),
            Field("investigative_lead_agency_id", "Investigative lead", agency_picker(ctx),
                  help="Rule 5: besides ICE HSI, the agency that may lead this task force's controlled "
                       "deliveries. Left empty, its ICE HSI participant is taken."),
            Field("participants", "Participating agencies", lambda: RowsField([
                ("Agency", agency_picker(ctx)),
                ("Under agreement", lambda: ChoiceField(lookup.agreements(ctx), optional=True)),
            ])),
            Field("area", "Area or ports", QLineEdit),
            Field("active_from", "Active from", DateField),
            Field("active_to", "Active to", DateField),
            Field("feedback_interval_days", "Feedback interval", _interval,
                  help="Days a receiving agency has to report results back (001 Feedback)"),
        ]
        initial = None
        if d:
            initial = {**d.data.__dict__,
                       "participants": tuple((p.agency_id, p.agreement_id) for p in d.data.participants)}

        def build(v: dict) -> TaskForceData:
            rows = v.pop("participants")
            return TaskForceData(participants=tuple(Participation(a, g) for a, g in rows if a), **v)

        if d:
            save = lambda data: task_forces.update_task_force(ctx, d.id, data)  # noqa: E731
        else:
            save = lambda data: task_forces.create_task_force(ctx, data)  # noqa: E731
        return FormDialog(parent, "Edit task force" if d else "New task force", fields, build, save,
                          shell.worker, initial)

    def window_actions(self, shell: Shell, parent: QWidget) -> list:
        from taskforce.gui.report_dialog import task_force_actions

        return task_force_actions(shell, parent)

    def delete(self, ctx, record_id):  # noqa: ANN001, ANN201
        return task_forces.delete_task_force(ctx, record_id)
