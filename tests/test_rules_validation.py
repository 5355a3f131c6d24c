"""What each input record refuses, field by field and word for word (issue 10 §4, found by
`make mutate`): a form shows each message next to its field, so a message landing on another
field, or losing its words, is a defect a user meets. Each length limit is checked at the limit
and one past it."""

from __future__ import annotations

from datetime import date

import pytest

from taskforce.domain.assistance import AssistanceDecisionData, AssistanceRequestData
from taskforce.domain.case_events import CaseEventData
from taskforce.domain.cooperation import CooperationActivityData
from taskforce.domain.debriefs import BriefingData, DebriefData, DebriefParticipant, WaiverData
from taskforce.domain.deconfliction import MatchDecisionData
from taskforce.domain.details import DetailData, EvaluationData
from taskforce.domain.errors import FieldError, ValidationFailed
from taskforce.domain.feedback import FeedbackData, SeizureData, SupportData
from taskforce.domain.records import (
    AgencyData, AgreementData, AssignmentData, CaseData, CaseMemberData, CaseSubjectData, DesignationData,
    Identifier, MemberData, NoteData, Participation, SubjectData, TaskForceData, TrainingData, future_dates,
)
from taskforce.domain.referrals import DecisionData, ReferralData
from taskforce.domain.release import AuthorizationData
from taskforce.domain.working_group import ActionItemData, Attendee, MeetingData

D, EARLIER = date(2026, 1, 1), date(2025, 1, 1)


def problems(record) -> list[tuple[str, str]]:
    return [(e.field, e.message) for e in record.validate()]


CASES = [
    (AgencyData("", ""), [("name", "Name is required."), ("level", "Level is required.")]),
    (AgencyData("x" * 201, "galactic", abbreviation="y" * 31, ori="bad", country="USAX"), [
        ("name", "Name is longer than 200 characters."),
        ("level", "Level 'galactic' is not one of the allowed values."),
        ("abbreviation", "Abbreviation is longer than 30 characters."),
        ("ori", "ORI must be 9 letters or digits, e.g. WA0370000."),
        ("country", "Country must be a 2- or 3-letter code, e.g. US or CA.")]),
    (AgencyData("x", "local", country="U"), [("country", "Country must be a 2- or 3-letter code, e.g. US or CA.")]),
    (AgreementData("", "", party_ids=(1, 1), signed=D, effective=D, expires=EARLIER), [
        ("kind", "Kind is required."), ("title", "Title is required."),
        ("party_ids", "An agreement needs at least two parties."),
        ("expires", "Expires must not be before effective."), ("expires", "Expires must not be before signed.")]),
    (AgreementData("mou", "T", party_ids=(1, 2), signed=D, expires=EARLIER),
     [("expires", "Expires must not be before signed.")]),
    (TaskForceData("", "", None, active_from=D, active_to=EARLIER, feedback_interval_days=366,
                   participants=(Participation(1), Participation(1))), [
        ("name", "Name is required."), ("kind", "Kind is required."), ("lead_agency_id", "Lead agency is required."),
        ("active_to", "Active to must not be before active from."),
        ("feedback_interval_days", "Feedback interval must be between 1 and 365 days."),
        ("participants", "An agency can participate only once.")]),
    (MemberData("", "", None, email="nope"), [
        ("family_name", "Family name is required."), ("given_names", "Given names is required."),
        ("home_agency_id", "Home agency is required."), ("email", "E-mail must look like name@agency.gov.")]),
    (AssignmentData(1, None, "", start=D, end=EARLIER), [
        ("task_force_id", "Task force is required."), ("role", "Role is required."),
        ("end", "To must not be before from.")]),
    (AssignmentData(1, 1, "tfo", start=None), [("start", "From is required.")]),
    (DesignationData(1, "", None, None, None), [
        ("authority", "Authority is required."), ("granting_agency_id", "Granting agency is required."),
        ("effective", "Effective is required.")]),
    (DesignationData(1, "287g", 1, D, EARLIER), [
        ("expires", "Expires must not be before effective."),
        ("agreement_id", "A 287(g) designation needs its 287(g) agreement.")]),
    (TrainingData(1, "", completed=None), [("course", "Course is required."), ("completed", "Completed is required.")]),
    (CaseData("", "", None, None, None, status="", priority="", statutes=("99",)), [
        ("number", "Case number is required."), ("title", "Title is required."),
        ("task_force_id", "Task force is required."), ("lead_agency_id", "Lead agency is required."),
        ("opened_on", "Opened is required."), ("status", "Status is required."), ("priority", "Priority is required."),
        ("statutes", "Statute '99' is not one of the allowed titles.")]),
    (CaseData("N" * 41, "t", 1, 1, D, status="closed", closed_on=EARLIER), [
        ("number", "Case number is longer than 40 characters."),
        ("closed_reason", "Reason for closing is required."), ("closed_on", "Closed must not be before opened.")]),
    (CaseData("N", "t", 1, 1, D, status="closed", closed_reason="done"), [("closed_on", "Closed date is required.")]),
    (CaseData("N", "t", 1, 1, D, closed_reason="r"), [("status", "Only a closed case has a closed date and reason.")]),
    (CaseData("N", "t", 1, 1, D, closed_on=D), [("status", "Only a closed case has a closed date and reason.")]),
    (CaseMemberData(1, None, ""), [("member_id", "Member is required."), ("role", "Role is required.")]),
    (NoteData(1, " "), [("body", "Note is required.")]),
    (SubjectData("", "", identifiers=(Identifier("dna", " "),)), [
        ("kind", "Kind is required."), ("name", "Name is required."),
        ("identifiers", "Identifier type 'dna' is not allowed."), ("identifiers", "Every identifier needs a value.")]),
    (SubjectData("organization", "Acme", dob=D), [("dob", "An organization has no date of birth.")]),
    (CaseSubjectData(1, None, "x"), [("subject_id", "Subject is required."),
                                     ("role", "Role 'x' is not one of the allowed values.")]),
    (AssistanceRequestData(None, None, bases=()), [
        ("requesting_agency_id", "Requesting organization is required."), ("requested_on", "Date is required."),
        ("bases", "Choose at least one basis for the request.")]),
    (AssistanceRequestData(1, D, bases=("other", "psychic"), requested_of_agency_id=1), [
        ("bases", "Basis 'psychic' is not one of the allowed values."),
        ("description", "A description of the other basis is required."),
        ("requested_of_agency_id", "An organization does not request assistance of itself.")]),
    (AssistanceDecisionData(""), [("status", "Status is required.")]),
    (AssistanceDecisionData("open", outcome="bogus"), [
        ("outcome", "Outcome 'bogus' is not one of the allowed values."),
        ("status", "A decision moves the request on from open.")]),
    (AssistanceDecisionData("completed"), [("outcome", "A completed request needs its outcome.")]),
    (AssistanceDecisionData("declined"), [("outcome_reason", "The reason for declining is required.")]),
    (AssistanceDecisionData("referred"), [("referred_to", "Whom it was referred to is required."),
                                          ("outcome_reason", "The reason for the referral is required.")]),
    (CaseEventData(None, "", None), [("case_id", "Case is required."), ("kind", "Kind is required."),
                                     ("occurred_on", "Date is required.")]),
    (CaseEventData(1, "controlled_delivery", D, agency_ids=(1, 1)), [
        ("lead_agency_id", "A controlled delivery needs its lead agency (the investigative agency)."),
        ("agency_ids", "An agency is listed twice.")]),
    (CooperationActivityData(1, "", None), [("activity_type", "Type is required."),
                                            ("occurred_on", "Date is required.")]),
    (CooperationActivityData(1, "other", D), [("description", "A description for the legal review is required.")]),
    (DebriefData(None, None, None, place="p" * 201, prosecutor_office="o" * 201), [
        ("case_id", "Case is required."), ("held_on", "Date is required."),
        ("lead_agency_id", "Lead agency is required."),
        ("place", "Place is longer than 200 characters."),
        ("prosecutor_office", "Prosecutor's office is longer than 200 characters."),
        ("participants", "Add at least one participant: who sat in on the debrief.")]),
    (DebriefData(1, D, 1, participants=(
        DebriefParticipant(1, "x", None, "interviewer"), DebriefParticipant(None, "", None, "boss"),
        DebriefParticipant(2, "", None, "counsel"), DebriefParticipant(2, "", None, "counsel"),
        DebriefParticipant(None, "n" * 201, 3, "counsel"))), [
        ("participants", "A participant is either a member or an outside person, not both."),
        ("participants", "Each participant needs a member or an outside person's name."),
        ("participants", "An outside participant needs their agency."),
        ("participants", "Each participant needs a role."),
        ("participants", "A participant's name is longer than 200 characters."),
        ("participants", "A member can take part only once.")]),
    (BriefingData(1, None, "", ""), [("briefed_on", "Date of the briefing is required."),
                                    ("briefed_by", "Briefed by is required."),
                                    ("briefed_to", "Briefed to is required.")]),
    (BriefingData(1, D, "b" * 201, "t" * 201), [("briefed_by", "Briefed by is longer than 200 characters."),
                                               ("briefed_to", "Briefed to is longer than 200 characters.")]),
    (WaiverData(1, None, ""), [("waived_on", "Date of the waiver is required."),
                               ("reason", "A written reason is required.")]),
    (DetailData(None, None, None, program="p" * 201), [
        ("member_id", "Member is required."), ("host_agency_id", "Host unit is required."),
        ("starts_on", "From is required."), ("program", "Program is longer than 200 characters.")]),
    (DetailData(1, 2, D, ends_on=EARLIER, evaluation_on=EARLIER), [
        ("ends_on", "To must not be before from."),
        ("evaluation_on", "The evaluation date must not be before the start.")]),
    (EvaluationData(None, ""), [("evaluated_on", "Evaluated on is required."),
                                ("evaluation", "Evaluation is required.")]),
    (SupportData(None, None, None, "", None), [
        ("task_force_id", "Task force is required."), ("from_agency_id", "Given by is required."),
        ("to_agency_id", "Given to is required."), ("kind", "Kind is required."),
        ("given_on", "Date given is required.")]),
    (SupportData(1, 2, 2, "bogus", D), [
        ("kind", "Kind 'bogus' is not one of the allowed values."),
        ("to_agency_id", "An agency cannot owe itself feedback: choose the agency that received it.")]),
    (SeizureData("", quantity="1.2.3", unit="", value_usd=-1), [
        ("seizures", "Every seizure's commodity is required."),
        ("seizures", "Quantity '1.2.3' must be a number, e.g. 14 or 2.5."),
        ("seizures", "A seizure with a quantity needs its unit (kg, lb, units, USD …)."),
        ("seizures", "A seizure's value must be a whole number of dollars, 0 or more.")]),
    (SeizureData("c" * 101, unit="u" * 21, value_usd="x"), [
        ("seizures", "A seizure's commodity is longer than 100 characters."),
        ("seizures", "A seizure's unit is longer than 20 characters."),
        ("seizures", "A seizure's value must be a whole number of dollars, 0 or more.")]),
    (FeedbackData(1, None, reported_by="r" * 201, arrests=-1, indictments="x", prosecutions=-2, convictions=1.5,
                  penalties_usd=-3), [
        ("reported_on", "Reported on is required."), ("reported_by", "Reported by is longer than 200 characters."),
        ("arrests", "Arrests must be a whole number, 0 or more."),
        ("indictments", "Indictments must be a whole number, 0 or more."),
        ("prosecutions", "Prosecutions must be a whole number, 0 or more."),
        ("convictions", "Convictions must be a whole number, 0 or more."),
        ("penalties_usd", "Penalties must be a whole number, 0 or more."),
        ("no_action", 'Record at least one result, or tick "No action" and give the reason.')]),
    (FeedbackData(1, D, no_action=True, arrests=1), [
        ("no_action_reason", "The reason no action was taken is required."),
        ("no_action",
         '"No action" cannot be recorded together with results; clear the results or untick "No action".')]),
    (FeedbackData(1, D, seizures=(SeizureData("", value_usd=-1),)), [
        ("seizures", "Every seizure's commodity is required."),
        ("seizures", "A seizure's value must be a whole number of dollars, 0 or more.")]),
    (ReferralData(None, None, None, None), [
        ("case_id", "Case is required."), ("from_agency_id", "From agency is required."),
        ("to_agency_id", "To agency is required."), ("referred_on", "Date is required.")]),
    (ReferralData(1, 2, 2, D), [("to_agency_id", "An agency cannot refer a case to itself.")]),
    (DecisionData(1, "maybe", None), [("decision", "A referral is either accepted or declined."),
                                      ("decided_on", "Date of the decision is required.")]),
    (DecisionData(1, "declined", D), [("reason", "The reason for declining is required.")]),
    (AuthorizationData("", None, None, "", None, ""), [
        ("item_kind", "What is released is required."), ("item_id", "The item is required."),
        ("recipient_agency_id", "Recipient agency is required."), ("authorized_by", "Who authorized it is required."),
        ("authorized_on", "Date of the authorization is required."), ("reference", "Reference is required.")]),
    (AuthorizationData("note", 1, 1, "a" * 201, D, "r" * 101), [
        ("authorized_by", "Who authorized it is longer than 200 characters."),
        ("reference", "Reference is longer than 100 characters.")]),
    (MatchDecisionData(None, None, ""), [("subject_id", "Subject is required."),
                                         ("other_id", "Other subject is required."),
                                         ("decision", "Decision is required.")]),
    (MatchDecisionData(1, 1, "confirmed"), [("other_id", "A subject cannot be matched with itself.")]),
    (MeetingData(None, None, attendees=(Attendee(name="n" * 201), Attendee(), Attendee(member_id=1),
                                        Attendee(member_id=1))), [
        ("task_force_id", "Task force is required."), ("held_on", "Held on is required."),
        ("attendees", "An attendee's name is longer than 200 characters."),
        ("attendees", "Every attendee needs a member, an agency or a name."),
        ("attendees", "A member is listed twice among the attendees.")]),
    (ActionItemData(None, "", None), [
        ("task_force_id", "Task force is required."), ("title", "Title is required."), ("due_on", "Due is required."),
        ("owner_member_id", "An action item needs an owner: a member or an agency.")]),
    (ActionItemData(1, "t" * 301, D, owner_member_id=1, owner_agency_id=2, status="done"), [
        ("title", "Title is longer than 300 characters."),
        ("owner_agency_id", "Choose a member or an agency as the owner, not both."),
        ("done_on", "Done on is required.")]),
    (ActionItemData(1, "t", D, owner_agency_id=2, done_on=D), [("done_on", "Only a done item has a done date.")]),
    (ActionItemData(1, "t", D, owner_agency_id=2, status="x"),
     [("status", "Status 'x' is not one of the allowed values.")]),
]


@pytest.mark.parametrize("record, expected", CASES, ids=[type(r).__name__ for r, _ in CASES])
def test_each_problem_is_named_on_its_field_in_its_words(record, expected):
    assert problems(record) == expected
    with pytest.raises(ValidationFailed) as err:
        record.check()
    assert [(e.field, e.message) for e in err.value.errors] == expected


VALID = [
    AgencyData("x" * 200, "local", abbreviation="y" * 30, ori="wa0370000 ", country="USA"),
    AgencyData("x", "foreign", country="CA"),
    AgencyData("x", "foreign", country=""),
    AgreementData("mou", "T", party_ids=(1, 2), signed=D, effective=D, expires=D),
    TaskForceData("T", "best", 1, active_from=D, active_to=D, feedback_interval_days=1,
                  participants=(Participation(1), Participation(2))),
    TaskForceData("T", "best", 1, feedback_interval_days=365),
    MemberData("A", "B", 1, email="a.b@agency.gov"),
    AssignmentData(1, 1, "tfo", start=D, end=D),
    DesignationData(1, "287g", 1, D, D, agreement_id=3),
    DesignationData(1, "title19", 1, D, None),
    TrainingData(1, "Course", completed=D),
    CaseData("N" * 40, "t", 1, 1, D, status="closed", closed_on=D, closed_reason="done", statutes=("8", "other")),
    CaseMemberData(1, 2, "analyst"),
    NoteData(1, "n"),
    SubjectData("person", "Dario", dob=D, identifiers=(Identifier("passport", "X1"),)),
    CaseSubjectData(1, 2, "target"),
    AssistanceRequestData(1, D, bases=("other",), description="why", requested_of_agency_id=2),
    AssistanceRequestData(1, D, bases=("translation",)),
    AssistanceDecisionData("completed", outcome="assisted"),
    AssistanceDecisionData("triaged"),
    AssistanceDecisionData("declined", outcome="declined", outcome_reason="outside our remit"),
    AssistanceDecisionData("referred", referred_to="county interpreters", outcome_reason="translation only"),
    CaseEventData(1, "controlled_delivery", D, lead_agency_id=2, agency_ids=(3, 4)),
    CaseEventData(1, "arrest", D),
    CooperationActivityData(1, "joint_task_force", D),
    CooperationActivityData(1, "other", D, description="review me"),
    DebriefData(1, D, 1, place="p" * 200, prosecutor_office="o" * 200, participants=(
        DebriefParticipant(1, "", None, "interviewer"), DebriefParticipant(None, "n" * 200, 3, "counsel"))),
    BriefingData(1, D, "b" * 200, "t" * 200),
    WaiverData(1, D, "reason"),
    DetailData(1, 2, D, program="p" * 200, ends_on=D, evaluation_on=D),
    EvaluationData(D, "fine"),
    SupportData(1, 2, 3, "information", D),
    SeizureData("c" * 100, quantity="2.5", unit="u" * 20, value_usd="$1,200"),
    SeizureData("cocaine", quantity=" 14 ", unit="kg", value_usd=0),
    FeedbackData(1, D, reported_by="r" * 200, arrests="2", indictments=0, penalties_usd="1,000"),
    FeedbackData(1, D, other="a lead on a second load"),
    FeedbackData(1, D, seizures=(SeizureData("cocaine"),)),
    FeedbackData(1, D, no_action=True, no_action_reason="known"),
    ReferralData(1, 2, 3, D),
    DecisionData(1, "accepted", D),
    DecisionData(1, "declined", D, reason="not ours"),
    AuthorizationData("note", 1, 1, "a" * 200, D, "r" * 100),
    MatchDecisionData(1, 2, "dismissed"),
    MeetingData(1, D, attendees=(Attendee(name="n" * 200), Attendee(agency_id=2), Attendee(member_id=1),
                                 Attendee(member_id=2))),
    ActionItemData(1, "t" * 300, D, owner_member_id=1),
    ActionItemData(1, "t", D, owner_agency_id=2, status="done", done_on=D),
]


@pytest.mark.parametrize("record", VALID, ids=lambda r: type(r).__name__)
def test_at_each_limit_and_on_each_boundary_day_a_record_is_valid(record):
    assert problems(record) == []
    record.check()


def test_a_name_of_invisible_characters_is_no_name_and_limits_count_the_text_as_stored():
    assert problems(AgencyData("\u202e \u200b", "local")) == [("name", "Name is required.")]
    # a bidirectional control is not stored, so it does not count towards the limit
    assert problems(AgencyData("x" * 200 + "\u202e", "local")) == []
    assert problems(NoteData(1, "\u0000")) == [("body", "Note is required.")]


def test_a_lone_surrogate_is_refused_on_its_field_before_anything_else():
    with pytest.raises(ValidationFailed) as err:
        NoteData(1, "broken \ud800 paste").check()
    assert [(e.field, e.message) for e in err.value.errors] == [
        ("body", "Note holds a character that is not valid text (a lone surrogate); type it again.")]
    with pytest.raises(ValidationFailed) as err:
        SubjectData("person", "Dario", aliases=("ok", "\udc00")).check()
    assert [e.field for e in err.value.errors] == ["aliases"]
    assert str(err.value) == "Aliases holds a character that is not valid text (a lone surrogate); type it again."
    assert err.value.for_field("aliases") and err.value.for_field("name") is None


def test_what_has_happened_is_never_after_today():
    today = date(2026, 11, 23)
    assert future_dates(today, ("held_on", today, "Date"), ("done_on", None, "Done on")) == []
    assert future_dates(today, ("held_on", date(2026, 11, 24), "Date"), ("x", date(2026, 11, 22), "X")) == [
        FieldError("held_on", "Date cannot be after today (2026-11-23).")]
