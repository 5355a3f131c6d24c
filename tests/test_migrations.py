"""Opening files: a new one is migrated, an old one is copied then upgraded, a newer one refused."""

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from taskforce.domain.errors import SchemaError
from taskforce.store.database import HEAD_REVISION, KNOWN_REVISIONS, MIGRATIONS_DIR, Database, upgrade
from taskforce.store.engine import make_engine


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_known_revisions_match_the_migration_scripts():
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(cfg)
    chain = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert tuple(chain) == KNOWN_REVISIONS
    assert scripts.get_current_head() == HEAD_REVISION


def test_a_new_file_is_migrated_to_head_with_reference_data_and_pragmas(tmp_path):
    db = Database.open(tmp_path / "new.sqlite", create=True)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        refs = dict(conn.exec_driver_sql("SELECT ref_key, parent_id FROM agency").all())
        kinds = {r[0] for r in conn.exec_driver_sql("SELECT code FROM task_force_kind")}
        pnr = conn.exec_driver_sql("SELECT name FROM caveat WHERE ref_key = 'eu_pnr'").scalar()
    assert {"dhs", "cbp", "cbp_ofo", "cbp_usbp", "cbp_amo", "ice", "ice_hsi", "uscis", "uscg", "doj",
            "fbi", "dea", "usms", "dos_inl", "rcmp", "cbsa"} <= set(refs)
    assert refs["dhs"] is None and refs["cbp"] is not None
    assert kinds >= {"jttf", "best", "ibet", "shiprider", "fugitive", "working_group"}
    assert pnr == "EU PNR-derived"
    assert db.upgraded_from is None and db.backup_path is None


def test_a_file_at_the_previous_schema_is_copied_then_upgraded_with_nothing_lost(tmp_path):
    path = tmp_path / "old.sqlite"
    engine = make_engine(path)
    upgrade(engine, "0001")
    with engine.begin() as conn:  # a record made by the 0001 schema
        conn.exec_driver_sql("INSERT INTO agency(name, level, ori) VALUES ('Blaine Police Department', 'local', 'WA0370100')")
    engine.dispose()
    db = Database.open(path)
    assert db.upgraded_from == "0001"
    assert db.backup_path == tmp_path / "old.sqlite.pre-upgrade-0001"
    backup = sqlite3.connect(db.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT name FROM agency").fetchall() == [("Blaine Police Department",)]
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM agency WHERE ori = 'WA0370100'").scalar() == 1
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD_REVISION


def test_a_file_made_by_a_newer_version_is_refused_and_left_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    before = _digest(db_path)
    with pytest.raises(SchemaError, match="newer version of Taskforce"):
        Database.open(db_path)
    assert _digest(db_path) == before
    assert not list(db_path.parent.glob("*.pre-upgrade-*"))


@pytest.mark.parametrize("content", [b"not a database at all" * 100, b"\x00\x01\x02" * 2000])
def test_a_file_that_is_not_a_database_is_refused(tmp_path, content):
    path = tmp_path / "junk.sqlite"
    path.write_bytes(content)
    with pytest.raises(SchemaError):
        Database.open(path)
    assert path.read_bytes() == content


def test_an_sqlite_file_of_another_application_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes(id)")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaError, match="not a Taskforce database"):
        Database.open(path)


def test_a_missing_file_is_not_created_unless_asked(tmp_path):
    with pytest.raises(SchemaError, match="No database"):
        Database.open(tmp_path / "missing.sqlite")
    assert not (tmp_path / "missing.sqlite").exists()



def test_the_migrations_make_exactly_the_tables_schema_py_declares(db):
    """schema.py (what the code reads and writes) and the migrations (what a file holds) agree:
    every table, column, index and foreign key with its ON DELETE, so a column added to one is
    added to both."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from taskforce.store.schema import metadata

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        declared = {(t.name, fk.parent.name, fk.column.table.name, fk.ondelete or "NO ACTION")
                    for t in metadata.tables.values() for fk in t.foreign_keys}
        stored = {(t, r[3], r[2], r[6]) for t in metadata.tables
                  for r in conn.exec_driver_sql(f"PRAGMA foreign_key_list({t})")}
    assert stored == declared

    def known(d) -> bool:
        if isinstance(d, list):  # [('modify_type', …)]: 0001 declared audit_log.action VARCHAR(10)
            return all(x[0] == "modify_type" and x[2:4] == ("audit_log", "action") for x in d)
        if d[0] == "remove_table":  # the full-text index (migration 0001) is not in schema.py
            return d[1].name.startswith("search_index")
        # SQLAlchemy does not read ON DELETE of a column added by ALTER TABLE; PRAGMA did above
        return d[0] in ("remove_fk", "add_fk")
    assert [d for d in diff if not known(d)] == []


def test_0006_names_each_task_forces_ice_hsi_participant_its_investigative_lead(tmp_path):
    """Rule 5 on a file made by schema 0005: the investigative lead starts as the task force's
    ICE HSI agency (lead or participant), never its lead agency as such."""
    path = tmp_path / "old.sqlite"
    shutil.copyfile(Path(__file__).parent / "data" / "schema-0005.sqlite", path)
    Database.open(path).close()
    raw = sqlite3.connect(path)
    named = dict(raw.execute(
        "SELECT t.name, i.name FROM task_force t LEFT JOIN agency i ON i.id = t.investigative_lead_agency_id"))
    raw.close()
    assert named["BEST Seattle"] == "ICE HSI Seattle"  # its lead is HSI
    assert named["JTTF Seattle"] == "ICE HSI Seattle"  # led by the FBI, HSI participates
    assert named["IBET Pacific Region"] == "ICE HSI Blaine"  # led by Border Patrol
    assert named["Fugitive Operations Task Force Western Washington"] is None  # no HSI: none until named
