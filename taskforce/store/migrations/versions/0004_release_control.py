"""release control

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

DOMAIN.md rule 6 (the Third Party Rule): the originating agency of notes, events and subjects,
caveats on notes, recorded release authorizations, and the log of every document produced.

Columns are added with plain ALTER TABLE ... ADD COLUMN rather than a batch rebuild, so the
tables keep their full-text triggers (migration 0001) and their rows keep their ids.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_ORIGIN = "INTEGER REFERENCES agency (id) ON DELETE RESTRICT"
_TARGETS = {"case": "case_file", "note": "case_note", "event": "case_event", "subject": "subject",
            "debrief": "debrief", "support": "support", "feedback": "feedback"}


def upgrade() -> None:
    for table in ("case_note", "subject", "case_event"):
        op.execute(f"ALTER TABLE {table} ADD COLUMN originating_agency_id {_ORIGIN}")

    op.create_table(
        'case_note_caveat',
        sa.Column('note_id', sa.Integer(), nullable=False),
        sa.Column('caveat_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['note_id'], ['case_note.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['caveat_id'], ['caveat.id'], ondelete='RESTRICT'),
        sa.UniqueConstraint('note_id', 'caveat_id'),
    )
    op.create_table(
        'release_authorization',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_kind', sa.String(length=20), nullable=False),
        *(sa.Column(f'{kind}_id', sa.Integer(), nullable=True) for kind in _TARGETS),
        sa.Column('recipient_agency_id', sa.Integer(), nullable=False),
        sa.Column('authorized_by', sa.String(length=200), nullable=False),
        sa.Column('authorized_on', sa.Date(), nullable=False),
        sa.Column('reference', sa.String(length=100), server_default='', nullable=False),
        *(sa.ForeignKeyConstraint([f'{kind}_id'], [f'{table}.id'], ondelete='CASCADE')
          for kind, table in _TARGETS.items()),
        sa.ForeignKeyConstraint(['recipient_agency_id'], ['agency.id'], ondelete='RESTRICT'),
        sa.CheckConstraint(" + ".join(f"({k}_id IS NOT NULL)" for k in _TARGETS) + " = 1",
                           name='ck_release_authorization_one_target'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_release_authorization_recipient', 'release_authorization', ['recipient_agency_id'])
    op.create_index('ix_release_authorization_case', 'release_authorization', ['case_id'])
    op.create_table(
        'release',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.String(length=32), nullable=False),
        sa.Column('os_user', sa.String(length=100), nullable=False),
        sa.Column('app_user', sa.String(length=100), nullable=False),
        sa.Column('document_kind', sa.String(length=30), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('recipient_agency_id', sa.Integer(), nullable=True),
        sa.Column('marking', sa.String(length=200), nullable=False),
        sa.Column('file_name', sa.String(length=500), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('included_count', sa.Integer(), nullable=False),
        sa.Column('withheld_count', sa.Integer(), nullable=False),
        sa.Column('withheld_summary', sa.Text(), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['recipient_agency_id'], ['agency.id'], ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_release_at', 'release', ['at'])
    op.create_table(
        'release_item',
        sa.Column('release_id', sa.Integer(), nullable=False),
        sa.Column('item_kind', sa.String(length=20), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('included', sa.Boolean(), nullable=False),
        sa.Column('reason', sa.String(length=20), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['release_id'], ['release.id'], ondelete='CASCADE'),
    )
    op.create_index('ix_release_item_release', 'release_item', ['release_id'])
    op.create_index('ix_release_item_item', 'release_item', ['item_kind', 'item_id'])


def downgrade() -> None:
    for table in ('release_item', 'release', 'release_authorization', 'case_note_caveat'):
        op.drop_table(table)
    for table in ("case_note", "subject", "case_event"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN originating_agency_id")
