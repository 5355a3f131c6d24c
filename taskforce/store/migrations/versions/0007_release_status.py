"""release status

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

Issue 11 §5: a document's log entry is committed before its file is put in place, then marked
done. ``release.status`` says how far it got: ``pending`` (logged; the file may or may not be
in place: the process was interrupted), ``done`` (the file was put in place), ``failed`` (the
file could not be written; nothing left). Entries logged before this revision wrote the file
and its entry in one transaction: they are ``done``.

A plain ALTER TABLE ... ADD COLUMN (as 0005 and 0006): the table keeps its rows and ids.
"""

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE release ADD COLUMN status VARCHAR(10) NOT NULL DEFAULT 'done' "
               "CHECK (status IN ('pending', 'done', 'failed'))")


def downgrade() -> None:
    op.drop_column('release', 'status')
