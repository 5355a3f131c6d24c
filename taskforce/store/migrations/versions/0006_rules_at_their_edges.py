"""rules at their edges

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Issue 10 §3:
- rule 6: caveats on subjects, events and debriefs (as on cases, notes and support), so an
  "EU PNR-derived" subject is screened like such a note;
- rule 5: a task force names its *investigative lead*, the agency besides ICE HSI that may lead
  a controlled delivery; it starts as the task force's ICE HSI participant (or its lead when
  that is ICE HSI), never its lead agency as such;
- rule 2: support opened by an accepted referral or a controlled delivery names what opened it,
  so the obligation follows its source (kept with the referral, removed with the event).

Columns are added with plain ALTER TABLE ... ADD COLUMN rather than a batch rebuild, so the
tables keep their full-text triggers (migration 0001) and their rows keep their ids.
"""

from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_AGENCY = "INTEGER REFERENCES agency (id) ON DELETE RESTRICT"

# Every agency at or under ICE HSI (ref_key 'ice_hsi'), however deep its units nest.
_UNDER_HSI = """
    WITH RECURSIVE hsi(id, depth) AS (
        SELECT id, 0 FROM agency WHERE ref_key = 'ice_hsi'
        UNION ALL
        SELECT a.id, hsi.depth + 1 FROM agency a JOIN hsi ON a.parent_id = hsi.id WHERE hsi.depth < 32
    )"""


def _caveat_link(table: str, parent_col: str, parent_table: str) -> None:
    op.create_table(
        table,
        sa.Column(parent_col, sa.Integer(), nullable=False),
        sa.Column('caveat_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint([parent_col], [f'{parent_table}.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['caveat_id'], ['caveat.id'], ondelete='RESTRICT'),
        sa.UniqueConstraint(parent_col, 'caveat_id'),
    )


def upgrade() -> None:
    _caveat_link('subject_caveat', 'subject_id', 'subject')
    _caveat_link('case_event_caveat', 'event_id', 'case_event')
    _caveat_link('debrief_caveat', 'debrief_id', 'debrief')

    op.execute(f"ALTER TABLE task_force ADD COLUMN investigative_lead_agency_id {_AGENCY}")
    # The default: the task force's ICE HSI participant (lowest id), else its lead when that
    # is ICE HSI or one of its units; otherwise none (only ICE HSI may lead, until one is named).
    op.execute(f"""
        UPDATE task_force SET investigative_lead_agency_id = (
            {_UNDER_HSI}
            SELECT coalesce(
                (SELECT min(tfa.agency_id) FROM task_force_agency tfa
                 WHERE tfa.task_force_id = task_force.id AND tfa.agency_id IN (SELECT id FROM hsi)),
                (SELECT task_force.lead_agency_id WHERE task_force.lead_agency_id IN (SELECT id FROM hsi))))""")

    op.execute("ALTER TABLE support ADD COLUMN referral_id INTEGER REFERENCES referral (id) ON DELETE RESTRICT")
    op.execute("ALTER TABLE support ADD COLUMN event_id INTEGER REFERENCES case_event (id) ON DELETE RESTRICT")
    op.create_index('ix_support_referral', 'support', ['referral_id'])
    op.create_index('ix_support_event', 'support', ['event_id'])


def downgrade() -> None:
    op.drop_index('ix_support_event', 'support')
    op.drop_index('ix_support_referral', 'support')
    for column in ("event_id", "referral_id"):
        op.execute(f"ALTER TABLE support DROP COLUMN {column}")
    op.execute("ALTER TABLE task_force DROP COLUMN investigative_lead_agency_id")
    for table in ('debrief_caveat', 'case_event_caveat', 'subject_caveat'):
        op.drop_table(table)
