"""Opening the database file: the cheap revision check, the pre-upgrade copy, migration.

Start-up reads the schema revision with plain sqlite3 (a millisecond); Alembic is imported
only when an upgrade is actually needed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from taskforce.domain.errors import SchemaError
from taskforce.i18n import tr
from taskforce.store.backup import backup_file
from taskforce.store.engine import WRITE_OPTION, make_engine

# Every revision this version of the app knows, oldest first. A test keeps it in step with
# the migration scripts; a file at a revision not listed here was made by a newer version.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004")
HEAD_REVISION = KNOWN_REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def read_revision(path: Path) -> str | None:
    """The file's schema revision; None for a new, empty file. Raises SchemaError otherwise."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise SchemaError(tr(f"Cannot open {path}: {exc}.")) from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        if tables:
            raise SchemaError(tr(f"{path} is an SQLite file but not a Taskforce database."))
        return None
    except sqlite3.DatabaseError as exc:
        raise SchemaError(tr(f"{path} is not a Taskforce database ({exc}).")) from exc
    finally:
        conn.close()


def _alembic_config(engine_connection):  # noqa: ANN001, ANN202 - alembic types, imported lazily
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = engine_connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)


@dataclass
class Database:
    path: Path
    engine: Engine
    upgraded_from: str | None = None  # the revision before this open migrated it, if any
    backup_path: Path | None = None

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> "Database":
        """Open (and if needed upgrade) the file; create it only when ``create`` is set."""
        path = Path(path)
        if not path.exists():
            if not create:
                raise SchemaError(tr(f"No database at {path}."))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        if path.is_dir():
            raise SchemaError(tr(f"{path} is a folder, not a database file."))
        revision = read_revision(path)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise SchemaError(tr(
                f"{path.name} was made by a newer version of Taskforce (schema {revision}); "
                f"this version knows up to {HEAD_REVISION}. The file was left untouched."
            ))
        backup = None
        if revision is not None and revision != HEAD_REVISION:
            # a copy of the old schema first, so a failed upgrade never costs a record
            backup = backup_file(path, path.with_name(f"{path.name}.pre-upgrade-{revision}"))
        db = cls(path=path, engine=make_engine(path), upgraded_from=revision, backup_path=backup)
        if revision != HEAD_REVISION:
            upgrade(db.engine)
        return db

    @property
    def writer(self) -> Engine:
        """The engine for writes: its transactions begin IMMEDIATE."""
        return self.engine.execution_options(**{WRITE_OPTION: True})

    def close(self) -> None:
        self.engine.dispose()
