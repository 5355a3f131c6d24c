"""The tables, as SQLAlchemy Core. Migrations create them; services and queries use them.

Portable SQLAlchemy types only: the SQLite-specific parts (FTS5, pragmas, backup) live in
``search.py``, ``engine.py`` and ``backup.py`` so a server backend is an addition.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
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
    Index("ix_case_note_case", "case_id"),
)

# --- subjects -------------------------------------------------------------------------------

subject = Table(
    "subject", metadata,
    _id(),
    Column("kind", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("dob", Date),
    Column("nationality", String(60), nullable=False, server_default=""),
    Index("ix_subject_name", "name"),
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
    Column("action", String(10), nullable=False),  # create | update | delete
    Column("entity", String(40), nullable=False),
    Column("entity_id", Integer, nullable=False),
    # the record whose history shows this row (a case for its notes, a member for training)
    Column("root_entity", String(40), nullable=False),
    Column("root_id", Integer, nullable=False),
    Column("field", String(60)),
    Column("old_value", Text),
    Column("new_value", Text),
    Index("ix_audit_root", "root_entity", "root_id"),
)
