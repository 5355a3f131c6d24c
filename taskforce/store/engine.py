"""The SQLite engine and its pragmas (SQLite-specific; a server backend gets its own module)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event

if TYPE_CHECKING:
    from taskforce.store.cipher import Key

BUSY_TIMEOUT_MS = 5000
WRITE_OPTION = "taskforce_write"


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself: pysqlite's implicit transactions
    # would otherwise defer BEGIN and run pragmas inside a transaction.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed change survives a power cut, which a field office cannot re-enter.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def _on_begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy Connection
    # Writes take the lock up front (IMMEDIATE), so two writers queue instead of failing
    # half-way; reads stay deferred so a long write never blocks the window's page reads.
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def make_engine(path: Path, key: "Key | None" = None, *, immutable: bool = False) -> Engine:
    """The file's engine; ``key``: the file is SQLCipher-encrypted (``store.cipher``), and every
    connection is a sqlcipher3 one keyed before anything else runs on it. ``immutable``: a
    plain file on read-only media, read without the -shm SQLite could not create there."""
    if key is None and immutable:
        engine = create_engine(f"sqlite:///file:{quote(Path(path).as_posix())}?mode=ro&immutable=1&uri=true",
                               future=True)
    elif key is None:
        engine = create_engine(f"sqlite:///{path}", future=True)
    else:
        from taskforce.store import cipher

        # sqlcipher3 is pysqlite with a key: the same dialect, its errors mapped like sqlite3's
        engine = create_engine(f"sqlite:///{path}", future=True, module=cipher.dbapi(),
                               creator=lambda: cipher.connect(path, key))
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine
