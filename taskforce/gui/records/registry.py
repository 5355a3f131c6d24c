"""Every kind of record by audit entity and by list name."""

from __future__ import annotations

from taskforce.gui.records.agency import AgencyKind
from taskforce.gui.records.agreement import AgreementKindView
from taskforce.gui.records.base import RecordKind
from taskforce.gui.records.case import CaseKind
from taskforce.gui.records.member import MemberKind
from taskforce.gui.records.subject import SubjectKindView
from taskforce.gui.records.task_force import TaskForceKindView

KINDS: tuple[RecordKind, ...] = (CaseKind(), SubjectKindView(), MemberKind(), AgencyKind(),
                                 TaskForceKindView(), AgreementKindView())
BY_ENTITY = {k.entity: k for k in KINDS}
BY_LIST = {k.list_name: k for k in KINDS}
