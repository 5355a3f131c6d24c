"""Databases made by each released schema open with nothing lost (Electrum keeps old wallets
for the same reason). Add a file here whenever a migration ships."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from taskforce.services import stats
from taskforce.services.context import Actor, Context
from taskforce.store.database import HEAD_REVISION, Database

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("made_by", sorted(DATA.glob("schema-*.sqlite")), ids=lambda p: p.stem)
def test_a_file_made_by_a_released_schema_opens_with_every_record(tmp_path, made_by):
    path = tmp_path / made_by.name
    shutil.copyfile(made_by, path)
    raw = sqlite3.connect(path)
    before = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("agency", "task_force", "member", "designation", "case_file", "subject", "audit_log")}
    raw.close()
    db = Database.open(path)
    ctx = Context(db, Actor("t", "t"))
    counts = stats.stats(ctx)
    assert counts["cases"] == before["case_file"] > 0
    assert counts["subjects"] == before["subject"]
    assert counts["members"] == before["member"]
    assert counts["audit_rows"] >= before["audit_log"]
    assert all(r.ok for r in stats.check(ctx))
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD_REVISION
