"""The tables, as SQLAlchemy Core. Migrations create them; services and queries use them.

Portable SQLAlchemy types only: the SQLite-specific parts (FTS5, pragmas, backup) live in
``search.py``, ``engine.py`` and ``backup.py`` so a server backend is an addition.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()


def _id() -> Column:
    return Column("id", Integer, primary_key=True)


def _fk(name: str, target: str, nullable: bool = True, ondelete: str | None = None) -> Column:
    return Column(name, Integer, ForeignKey(f"{target}.id", ondelete=ondelete), nullable=nullable)


# --- reference lists (seeded by migration 0002, extendable by users) -----------------------

task_force_kind = Table(
    "task_force_kind", metadata,
    Column("code", String(30), primary_key=True),
    Column("label", String(100), nullable=False),
)

designation_authority = Table(
    "designation_authority", metadata,
    Column("code", String(30), primary_key=True),
    Column("label", String(100), nullable=False),
    Column("citation", String(100), nullable=False, server_default=""),
)

caveat = Table(
    "caveat", metadata,
    _id(),
    Column("name", String(80), nullable=False, unique=True),
    Column("description", Text, nullable=False, server_default=""),
    # a stable key for caveats that rules refer to (e.g. "eu_pnr" for the Third Party Rule)
    Column("ref_key", String(30), unique=True),
)

# --- agencies and agreements ----------------------------------------------------------------

agency = Table(
    "agency", metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("abbreviation", String(30), nullable=False, server_default=""),
    Column("level", String(20), nullable=False),
    _fk("parent_id", "agency", ondelete="RESTRICT"),
    Column("country", String(3), nullable=False, server_default="US"),
    Column("state", String(40), nullable=False, server_default=""),
    Column("county", String(200), nullable=False, server_default=""),
    Column("ori", String(9), unique=True),
    Column("agency_type", String(60), nullable=False, server_default=""),
    Column("active", Boolean, nullable=False, server_default="1"),
    # reference agencies the rules name (dhs, cbp, ice_hsi …); NULL for everything else
    Column("ref_key", String(30), unique=True),
    Index("ix_agency_name", "name"),
    Index("ix_agency_parent", "parent_id"),
)

agreement = Table(
    "agreement", metadata,
    _id(),
    Column("kind", String(20), nullable=False),
    Column("title", String(200), nullable=False),
    Column("scope", Text, nullable=False, server_default=""),
    Column("signed", Date),
    Column("effective", Date),
    Column("expires", Date),
    Column("document_ref", String(200), nullable=False, server_default=""),
)

agreement_party = Table(
    "agreement_party", metadata,
    _fk("agreement_id", "agreement", nullable=False, ondelete="CASCADE"),
    _fk("agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    UniqueConstraint("agreement_id", "agency_id"),
    Index("ix_agreement_party_agency", "agency_id"),
)

# --- task forces ----------------------------------------------------------------------------

task_force = Table(
    "task_force", metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(30), ForeignKey("task_force_kind.code"), nullable=False),
    _fk("lead_agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    Column("area", String(300), nullable=False, server_default=""),
    Column("active_from", Date),
    Column("active_to", Date),
    Column("feedback_interval_days", Integer, nullable=False, server_default="30"),
    # rule 5 (migration 0006): the agency besides ICE HSI that may lead a controlled delivery
    _fk("investigative_lead_agency_id", "agency", ondelete="RESTRICT"),
)

task_force_agency = Table(
    "task_force_agency", metadata,
    _id(),
    _fk("task_force_id", "task_force", nullable=False, ondelete="CASCADE"),
    _fk("agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    _fk("agreement_id", "agreement", ondelete="SET NULL"),
    UniqueConstraint("task_force_id", "agency_id"),
)

# --- members --------------------------------------------------------------------------------

member = Table(
    "member", metadata,
    _id(),
    Column("family_name", String(100), nullable=False),
    Column("given_names", String(100), nullable=False),
    Column("rank_title", String(100), nullable=False, server_default=""),
    _fk("home_agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    Column("email", String(200), nullable=False, server_default=""),
    Column("phone", String(50), nullable=False, server_default=""),
    Index("ix_member_name", "family_name", "given_names"),
    Index("ix_member_agency", "home_agency_id"),
)

assignment = Table(
    "assignment", metadata,
    _id(),
    _fk("member_id", "member", nullable=False, ondelete="CASCADE"),
    _fk("task_force_id", "task_force", nullable=False, ondelete="RESTRICT"),
    Column("role", String(30), nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date),
    Index("ix_assignment_member", "member_id"),
    Index("ix_assignment_tf", "task_force_id"),
)

designation = Table(
    "designation", metadata,
    _id(),
    _fk("member_id", "member", nullable=False, ondelete="CASCADE"),
    Column("authority", String(30), ForeignKey("designation_authority.code"), nullable=False),
    _fk("granting_agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    _fk("agreement_id", "agreement", ondelete="RESTRICT"),
    Column("effective", Date, nullable=False),
    Column("expires", Date),
    Index("ix_designation_member", "member_id"),
    Index("ix_designation_expires", "expires"),
)

training = Table(
    "training", metadata,
    _id(),
    _fk("member_id", "member", nullable=False, ondelete="CASCADE"),
    Column("course", String(200), nullable=False),
    Column("provider", String(200), nullable=False, server_default=""),
    Column("completed", Date, nullable=False),
    Index("ix_training_member", "member_id"),
)

# --- cases ----------------------------------------------------------------------------------

case = Table(
    "case_file", metadata,  # "case" is an SQL keyword
    _id(),
    Column("number", String(40), nullable=False, unique=True),
    Column("title", String(300), nullable=False),
    _fk("task_force_id", "task_force", nullable=False, ondelete="RESTRICT"),
    _fk("lead_agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    _fk("originating_agency_id", "agency", ondelete="RESTRICT"),
    Column("case_type", String(100), nullable=False, server_default=""),
    Column("status", String(20), nullable=False, server_default="open"),
    Column("closed_on", Date),
    Column("closed_reason", Text, nullable=False, server_default=""),
    Column("priority", String(20), nullable=False, server_default="normal"),
    Column("opened_on", Date, nullable=False),
    Column("synopsis", Text, nullable=False, server_default=""),
    Index("ix_case_tf", "task_force_id"),
    Index("ix_case_status", "status"),
    Index("ix_case_opened", "opened_on"),
    Index("ix_case_lead", "lead_agency_id"),
)

case_statute = Table(
    "case_statute", metadata,
    _fk("case_id", "case_file", nullable=False, ondelete="CASCADE"),
    Column("statute", String(10), nullable=False),
    UniqueConstraint("case_id", "statute"),
)

case_caveat = Table(
    "case_caveat", metadata,
    _fk("case_id", "case_file", nullable=False, ondelete="CASCADE"),
    _fk("caveat_id", "caveat", nullable=False, ondelete="RESTRICT"),
    UniqueConstraint("case_id", "caveat_id"),
)

case_member = Table(
    "case_member", metadata,
    _id(),
    _fk("case_id", "case_file", nullable=False, ondelete="CASCADE"),
    _fk("member_id", "member", nullable=False, ondelete="RESTRICT"),
    Column("role", String(30), nullable=False),
    UniqueConstraint("case_id", "member_id"),
    Index("ix_case_member_member", "member_id"),
)

case_note = Table(
    "case_note", metadata,
    _id(),
    _fk("case_id", "case_file", nullable=False, ondelete="CASCADE"),
    Column("written_at", String(32), nullable=False),  # UTC ISO-8601
    Column("author", String(100), nullable=False),
    Column("body", Text, nullable=False),
    # rule 6: the agency the note's information came from (migration 0004); none = the case's
    _fk("originating_agency_id", "agency", ondelete="RESTRICT"),
    Index("ix_case_note_case", "case_id"),
)

case_note_caveat = Table(
    "case_note_caveat", metadata,
    _fk("note_id", "case_note", nullable=False, ondelete="CASCADE"),
    _fk("caveat_id", "caveat", nullable=False, ondelete="RESTRICT"),
    UniqueConstraint("note_id", "caveat_id"),
)

# --- subjects -------------------------------------------------------------------------------

subject = Table(
    "subject", metadata,
    _id(),
    Column("kind", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("dob", Date),
    Column("nationality", String(60), nullable=False, server_default=""),
    # rule 6: the agency that entered the subject (migration 0004)
    _fk("originating_agency_id", "agency", ondelete="RESTRICT"),
    Index("ix_subject_name", "name"),
)

subject_caveat = Table(  # rule 6 (migration 0006)
    "subject_caveat", metadata,
    _fk("subject_id", "subject", nullable=False, ondelete="CASCADE"),
    _fk("caveat_id", "caveat", nullable=False, ondelete="RESTRICT"),
    UniqueConstraint("subject_id", "caveat_id"),
)

subject_alias = Table(
    "subject_alias", metadata,
    _id(),
    _fk("subject_id", "subject", nullable=False, ondelete="CASCADE"),
    Column("name", String(200), nullable=False),
    Index("ix_subject_alias_subject", "subject_id"),
)

subject_identifier = Table(
    "subject_identifier", metadata,
    _id(),
    _fk("subject_id", "subject", nullable=False, ondelete="CASCADE"),
    Column("kind", String(20), nullable=False),
    Column("value", String(100), nullable=False),
    Index("ix_subject_identifier_subject", "subject_id"),
    Index("ix_subject_identifier_value", "kind", "value"),
)

case_subject = Table(
    "case_subject", metadata,
    _id(),
    _fk("case_id", "case_file", nullable=False, ondelete="CASCADE"),
    _fk("subject_id", "subject", nullable=False, ondelete="RESTRICT"),
    Column("role", String(20), nullable=False),
    UniqueConstraint("case_id", "subject_id"),
    Index("ix_case_subject_subject", "subject_id"),
)

# --- audit ----------------------------------------------------------------------------------

audit_log = Table(
    "audit_log", metadata,
    _id(),
    Column("change_id", String(32), nullable=False),  # groups the rows of one transaction
    Column("at", String(32), nullable=False),  # UTC ISO-8601
    Column("os_user", String(100), nullable=False),
    Column("app_user", String(100), nullable=False),
    # create | update | delete; and events (0005): open | print | export | unlock-failed.
    # (Declared VARCHAR(10) by 0001; SQLite does not enforce lengths, a server schema gets 20.)
    Column("action", String(20), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", Integer, nullable=False),
    # the record whose history shows this row (a case for its notes, a member for training)
    Column("root_entity", String(40), nullable=False),
    Column("root_id", Integer, nullable=False),
    Column("field", String(60)),
    Column("old_value", Text),
    Column("new_value", Text),
    # the hash chain (migration 0005, store/audit_chain.py): triggers refuse UPDATE and DELETE
    Column("prev_hash", Text),  # the previous row's row_hash; "" for the first row
    Column("row_hash", Text),  # SHA-256 of this row's content and prev_hash
    Index("ix_audit_root", "root_entity", "root_id"),
)

# This file's identity (migration 0005): "database_id" keys its audit anchor on a workstation.
db_meta = Table(
    "db_meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

# --- coordination workflows (migration 0003; DOMAIN.md rules 1–5 and 7–10) ---------------------

# Rule 2 (001 Feedback): what one agency gave another; it opens a feedback obligation on the
# receiver, due after the task force's interval. The due date is fixed when it opens.
support = Table(
    "support", metadata,
    _id(),
    _fk("task_force_id", "task_force", nullable=False, ondelete="RESTRICT"),
    _fk("case_id", "case_file", ondelete="RESTRICT"),
    _fk("from_agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    _fk("to_agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    _fk("originating_agency_id", "agency", ondelete="RESTRICT"),
    Column("kind", String(30), nullable=False),
    Column("given_on", Date, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("feedback_due_on", Date, nullable=False),
    Column("feedback_closed_on", Date),  # set when feedback is recorded
    # rule 2 (migration 0006): what opened it, when not entered by hand: an accepted referral,
    # or a controlled delivery (support given to its lead by each other agency involved)
    _fk("referral_id", "referral", ondelete="RESTRICT"),
    _fk("event_id", "case_event", ondelete="RESTRICT"),
    Index("ix_support_pair", "from_agency_id", "to_agency_id"),
    Index("ix_support_open", "feedback_closed_on", "feedback_due_on"),
    Index("ix_support_case", "case_id"),
    Index("ix_support_referral", "referral_id"),
    Index("ix_support_event", "event_id"),
)

support_caveat = Table(
    "support_caveat", metadata,
    _fk("support_id", "support", nullable=False, ondelete="CASCADE"),
    _fk("caveat_id", "caveat", nullable=False, ondelete="RESTRICT"),
    UniqueConstraint("support_id", "caveat_id"),
)

feedback = Table(
    "feedback", metadata,
    _id(),
    _fk("support_id", "support", nullable=False, ondelete="CASCADE"),
    Column("reported_on", Date, nullable=False),
    Column("reported_by", String(200), nullable=False, server_default=""),
    Column("no_action", Boolean, nullable=False, server_default="0"),
    Column("no_action_reason", Text, nullable=False, server_default=""),
    Column("arrests", Integer, nullable=False, server_default="0"),
    Column("indictments", Integer, nullable=False, server_default="0"),
    Column("prosecutions", Integer, nullable=False, server_default="0"),
    Column("convictions", Integer, nullable=False, server_default="0"),
    Column("penalties_usd", Integer, nullable=False, server_default="0"),
    Column("other", Text, nullable=False, server_default=""),
    UniqueConstraint("support_id"),
)

seizure = Table(
    "seizure", metadata,
    _id(),
    _fk("feedback_id", "feedback", nullable=False, ondelete="CASCADE"),
    Column("commodity", String(100), nullable=False),
    Column("quantity", String(30), nullable=False, server_default=""),  # decimal text: 14, 2.5
    Column("unit", String(20), nullable=False, server_default=""),
    Column("value_usd", Integer, nullable=False, server_default="0"),
    Index("ix_seizure_feedback", "feedback_id"),
)

# Rule 3 (001 Presence of CBP Officers During Interviews): a debrief without a CBP officer
# opens a briefing owed by the investigating agency, closed by a briefing or a written waiver.
debrief = Table(
    "debrief", metadata,
    _id(),
    _fk("case_id", "case_file", nullable=False, ondelete="RESTRICT"),
    _fk("defendant_subject_id", "subject", ondelete="RESTRICT"),
    _fk("lead_agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    Column("held_on", Date, nullable=False),
    Column("place", String(200), nullable=False, server_default=""),
    Column("prosecutor_office", String(200), nullable=False, server_default=""),
    Column("briefing_owed", Boolean, nullable=False, server_default="0"),
    Column("briefed_on", Date),
    Column("briefed_by", String(200), nullable=False, server_default=""),
    Column("briefed_to", String(200), nullable=False, server_default=""),
    Column("briefing_summary", Text, nullable=False, server_default=""),
    Column("waived_on", Date),
    Column("waiver_reason", Text, nullable=False, server_default=""),
    Index("ix_debrief_case", "case_id"),
    Index("ix_debrief_owed", "briefing_owed", "briefed_on", "waived_on"),
)

debrief_caveat = Table(  # rule 6 (migration 0006)
    "debrief_caveat", metadata,
    _fk("debrief_id", "debrief", nullable=False, ondelete="CASCADE"),
    _fk("caveat_id", "caveat", nullable=False, ondelete="RESTRICT"),
    UniqueConstraint("debrief_id", "caveat_id"),
)

debrief_participant = Table(
    "debrief_participant", metadata,
    _id(),
    _fk("debrief_id", "debrief", nullable=False, ondelete="CASCADE"),
    _fk("member_id", "member", ondelete="RESTRICT"),
    Column("outside_name", String(200), nullable=False, server_default=""),
    _fk("agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    Column("role", String(30), nullable=False),
    Index("ix_debrief_participant_debrief", "debrief_id"),
)

# Rule 4 (001 CBP Officer Enforcement (E)): a referral is pending until accepted (the receiver
# becomes the case's lead) or declined (with a reason).
referral = Table(
    "referral", metadata,
    _id(),
    _fk("case_id", "case_file", nullable=False, ondelete="RESTRICT"),
    _fk("from_agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    _fk("from_member_id", "member", ondelete="RESTRICT"),
    _fk("to_agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    Column("referred_on", Date, nullable=False),
    Column("basis", Text, nullable=False, server_default=""),
    Column("status", String(20), nullable=False, server_default="pending"),
    Column("decided_on", Date),
    Column("decision_reason", Text, nullable=False, server_default=""),
    Index("ix_referral_case", "case_id"),
    Index("ix_referral_status", "status"),
)

# Rule 5 (001 Controlled Deliveries): dated events on a case's timeline.
case_event = Table(
    "case_event", metadata,
    _id(),
    _fk("case_id", "case_file", nullable=False, ondelete="CASCADE"),
    Column("kind", String(30), nullable=False),
    Column("occurred_on", Date, nullable=False),
    _fk("lead_agency_id", "agency", ondelete="RESTRICT"),
    Column("description", Text, nullable=False, server_default=""),
    Column("outcome", Text, nullable=False, server_default=""),
    # rule 6: the agency that reported the event (migration 0004); none = the case's
    _fk("originating_agency_id", "agency", ondelete="RESTRICT"),
    Index("ix_case_event_case", "case_id", "occurred_on"),
)

case_event_agency = Table(
    "case_event_agency", metadata,
    _fk("event_id", "case_event", nullable=False, ondelete="CASCADE"),
    _fk("agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    UniqueConstraint("event_id", "agency_id"),
)

case_event_caveat = Table(  # rule 6 (migration 0006)
    "case_event_caveat", metadata,
    _fk("event_id", "case_event", nullable=False, ondelete="CASCADE"),
    _fk("caveat_id", "caveat", nullable=False, ondelete="RESTRICT"),
    UniqueConstraint("event_id", "caveat_id"),
)

# Rule 1 (000): assistance requested by other law-enforcement organizations.
assistance_request = Table(
    "assistance_request", metadata,
    _id(),
    _fk("requesting_agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    _fk("requested_of_agency_id", "agency", ondelete="RESTRICT"),
    Column("requested_on", Date, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("status", String(20), nullable=False, server_default="open"),
    Column("outcome", String(40), nullable=False, server_default=""),
    Column("outcome_reason", Text, nullable=False, server_default=""),
    Column("referred_to", String(200), nullable=False, server_default=""),
    Index("ix_assistance_status", "status"),
)

assistance_basis = Table(
    "assistance_basis", metadata,
    _fk("request_id", "assistance_request", nullable=False, ondelete="CASCADE"),
    Column("basis", String(30), nullable=False),
    UniqueConstraint("request_id", "basis"),
)

# Rule 8 (002 III): activities of state and local members, typed by the guidance's lists.
cooperation_activity = Table(
    "cooperation_activity", metadata,
    _id(),
    _fk("member_id", "member", nullable=False, ondelete="RESTRICT"),
    _fk("case_id", "case_file", ondelete="RESTRICT"),
    Column("activity_type", String(40), nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("legal_review", Boolean, nullable=False, server_default="0"),  # type "other"
    _fk("designation_id", "designation", ondelete="RESTRICT"),  # for delegated authority
    Index("ix_cooperation_member", "member_id"),
)

# Rule 9 (001): the working group meets quarterly; action items have owners and due dates.
meeting = Table(
    "meeting", metadata,
    _id(),
    _fk("task_force_id", "task_force", nullable=False, ondelete="RESTRICT"),
    Column("held_on", Date, nullable=False),
    Column("minutes", Text, nullable=False, server_default=""),
    Index("ix_meeting_tf", "task_force_id", "held_on"),
)

meeting_attendee = Table(
    "meeting_attendee", metadata,
    _id(),
    _fk("meeting_id", "meeting", nullable=False, ondelete="CASCADE"),
    _fk("member_id", "member", ondelete="RESTRICT"),
    _fk("agency_id", "agency", ondelete="RESTRICT"),
    Column("name", String(200), nullable=False, server_default=""),
)

action_item = Table(
    "action_item", metadata,
    _id(),
    _fk("meeting_id", "meeting", ondelete="RESTRICT"),
    _fk("task_force_id", "task_force", nullable=False, ondelete="RESTRICT"),
    Column("title", String(300), nullable=False),
    _fk("owner_member_id", "member", ondelete="RESTRICT"),
    _fk("owner_agency_id", "agency", ondelete="RESTRICT"),
    Column("due_on", Date, nullable=False),
    Column("status", String(20), nullable=False, server_default="open"),
    Column("done_on", Date),
    Index("ix_action_item_open", "status", "due_on"),
)

# Rule 10 (001 Title 21): a member detailed to another agency's unit, with an evaluation date.
detail = Table(
    "detail", metadata,
    _id(),
    _fk("member_id", "member", nullable=False, ondelete="RESTRICT"),
    _fk("host_agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    Column("program", String(200), nullable=False, server_default=""),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date),
    Column("evaluation_on", Date, nullable=False),
    Column("evaluated_on", Date),
    Column("evaluation", Text, nullable=False, server_default=""),
    Index("ix_detail_evaluation", "evaluated_on", "evaluation_on"),
)

# Deconfliction: a user's decision on a suggested match of two subjects (never a merge).
subject_match = Table(
    "subject_match", metadata,
    _id(),
    _fk("subject_a_id", "subject", nullable=False, ondelete="CASCADE"),
    _fk("subject_b_id", "subject", nullable=False, ondelete="CASCADE"),
    Column("decision", String(20), nullable=False),  # confirmed | dismissed
    Column("decided_at", String(32), nullable=False),
    Column("decided_by", String(100), nullable=False),
    Column("score", Integer, nullable=False, server_default="0"),
    UniqueConstraint("subject_a_id", "subject_b_id"),
)


# --- release control (migration 0004; DOMAIN.md rule 6, the Third Party Rule) ---------------

# A recorded authorization to release one item, or a whole record, to one recipient agency.
# One foreign key per kind of item (exactly one is set) so that deleting the item deletes its
# authorizations: an id reused by SQLite can never inherit someone else's release.
RELEASE_TARGETS = ("case", "note", "event", "subject", "debrief", "support", "feedback")
_TARGET_TABLES = {"case": "case_file", "note": "case_note", "event": "case_event",
                  "subject": "subject", "debrief": "debrief", "support": "support",
                  "feedback": "feedback"}

release_authorization = Table(
    "release_authorization", metadata,
    _id(),
    Column("item_kind", String(20), nullable=False),
    *(_fk(f"{kind}_id", table, ondelete="CASCADE") for kind, table in _TARGET_TABLES.items()),
    _fk("recipient_agency_id", "agency", nullable=False, ondelete="RESTRICT"),
    Column("authorized_by", String(200), nullable=False),
    Column("authorized_on", Date, nullable=False),
    Column("reference", String(100), nullable=False, server_default=""),
    CheckConstraint(" + ".join(f"({k}_id IS NOT NULL)" for k in RELEASE_TARGETS) + " = 1",
                    name="ck_release_authorization_one_target"),
    Index("ix_release_authorization_recipient", "recipient_agency_id"),
    Index("ix_release_authorization_case", "case_id"),
)

# Every printed or exported document: what, for whom, by whom, when, and the file's hash.
release = Table(
    "release", metadata,
    _id(),
    Column("at", String(32), nullable=False),  # UTC ISO-8601
    Column("os_user", String(100), nullable=False),
    Column("app_user", String(100), nullable=False),
    Column("document_kind", String(30), nullable=False),
    Column("title", String(300), nullable=False),
    _fk("recipient_agency_id", "agency", ondelete="RESTRICT"),
    Column("marking", String(200), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("included_count", Integer, nullable=False),
    Column("withheld_count", Integer, nullable=False),
    Column("withheld_summary", Text, nullable=False, server_default=""),
    # migration 0007: logged first, then the file put in place, then marked done (issue 11 §5)
    Column("status", String(10), nullable=False, server_default="done"),
    Index("ix_release_at", "at"),
)

# The items one document included or withheld (ids only, never their content).
release_item = Table(
    "release_item", metadata,
    _fk("release_id", "release", nullable=False, ondelete="CASCADE"),
    Column("item_kind", String(20), nullable=False),
    Column("item_id", Integer, nullable=False),
    Column("included", Boolean, nullable=False),
    Column("reason", String(20), nullable=False, server_default=""),
    Index("ix_release_item_release", "release_id"),
    Index("ix_release_item_item", "item_kind", "item_id"),
)
