"""audit chain

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Issue 6 §4: the audit log becomes append-only and hash-chained. Each row gets ``prev_hash``
and ``row_hash`` (taskforce.store.audit_chain defines the hash), the existing rows are chained
in id order, and only then do triggers refuse UPDATE and DELETE. ``db_meta`` holds a random
``database_id``, the key of this file's anchor in the settings folder.

Columns are added with plain ALTER TABLE ... ADD COLUMN rather than a batch rebuild, so the
other tables keep their full-text triggers (migration 0001) and audit rows keep their ids.
"""

import uuid

from alembic import op

from taskforce.store.audit_chain import APPEND_ONLY, CONTENT_COLUMNS, chain_rows, driver_connection

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_BATCH = 50_000


def upgrade() -> None:
    op.execute("ALTER TABLE audit_log ADD COLUMN prev_hash TEXT")
    op.execute("ALTER TABLE audit_log ADD COLUMN row_hash TEXT")
    op.execute("CREATE TABLE db_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)")
    op.execute(f"INSERT INTO db_meta (key, value) VALUES ('database_id', '{uuid.uuid4().hex}')")

    # One pass in id order, a batch at a time: read, hash in memory, write back by rowid.
    # (Reading and updating through one open cursor is undefined in SQLite, hence the batches.)
    raw = driver_connection(op.get_bind())
    select = (f"SELECT id, {', '.join(CONTENT_COLUMNS)} FROM audit_log "
              f"WHERE id > ? ORDER BY id LIMIT {_BATCH}")
    last_id, prev_hash = -1, ""
    while batch := raw.execute(select, (last_id,)).fetchall():
        linked, prev_hash = chain_rows(prev_hash, (r[1:] for r in batch))
        raw.executemany("UPDATE audit_log SET prev_hash = ?, row_hash = ? WHERE id = ?",
                        [(row[-2], row[-1], r[0]) for row, r in zip(linked, batch)])
        last_id = batch[-1][0]

    for verb in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                   f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.execute("DROP TABLE db_meta")
    op.execute("ALTER TABLE audit_log DROP COLUMN row_hash")
    op.execute("ALTER TABLE audit_log DROP COLUMN prev_hash")
