"""Every kind of record by audit entity and by list name."""

from __future__ import annotations

from taskforce.gui.records import (
    case_event, case_release, cooperation, debrief, detail, matches, referral, support,
)
from taskforce.gui.records.agency import AgencyKind
from taskforce.gui.records.agreement import AgreementKindView
from taskforce.gui.records.assistance import AssistanceKind
from taskforce.gui.records.base import RecordKind
from taskforce.gui.records.case import CaseKind
from taskforce.gui.records.debrief import DebriefKind
from taskforce.gui.records.designation import DesignationKind
from taskforce.gui.records.detail import DetailKind
from taskforce.gui.records.referral import ReferralKind
from taskforce.gui.records.member import MemberKind
from taskforce.gui.records.subject import SubjectKindView
from taskforce.gui.records.support import SupportRecordKind
from taskforce.gui.records.task_force import TaskForceKindView
from taskforce.gui.records.working_group import ActionItemKind, MeetingKind

CASE = CaseKind()
CASE.tab_prefix, CASE.tab_modules = "case", (case_event, debrief, referral, support, matches, case_release)

MEMBER = MemberKind()
MEMBER.tab_prefix, MEMBER.tab_modules = "member", (cooperation, detail)
SUBJECT = SubjectKindView()
SUBJECT.tab_prefix, SUBJECT.tab_modules = "subject", (matches,)

KINDS: tuple[RecordKind, ...] = (
    CASE, SUBJECT, MEMBER, AgencyKind(), TaskForceKindView(), AgreementKindView(),
    DebriefKind(), ReferralKind(), AssistanceKind(), DesignationKind(), SupportRecordKind(),
    MeetingKind(), ActionItemKind(), DetailKind(),
)
BY_ENTITY = {k.entity: k for k in KINDS}
BY_LIST = {k.list_name: k for k in KINDS}
