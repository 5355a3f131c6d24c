"""Is this file's schema exactly what the app's migrations make? (issue 11 §3). No Qt.

Integrity checks and the audit chain say nothing about the schema around the data: a trigger
``BEFORE INSERT ON audit_log … RAISE(IGNORE)`` drops every later audit row silently, a dropped
table or column turns commands into SQL errors. So restore's check and ``taskforce check``
compare the whole schema of a file with a reference: an empty database migrated by this
version of the app to the file's revision, built once per process (in memory, about half a
second for every revision at once) and cached.

What is compared, per object of ``sqlite_master`` (tables, FTS5 tables and their shadow
tables, indexes, triggers, views): its presence and its SQL text, normalized (whitespace,
identifier quotes and letter case do not count); for each table also ``PRAGMA table_xinfo``
(every column with its type, nullability, default and key), ``index_list`` with each index's
columns, and ``foreign_key_list``. Anything extra or missing is a difference. SQLite's own
statistics tables (``sqlite_stat1`` …, made by ANALYZE) are not part of the schema.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from dataclasses import dataclass

from taskforce.i18n import ntr, tr

log = logging.getLogger(__name__)
# Where the log goes is the application's choice (a log file): never Python's last-resort
# printing to stderr, which would add lines to the command line's one-line refusal.
log.addHandler(logging.NullHandler())

_KINDS = ("table", "index", "trigger", "view")


@dataclass(frozen=True)
class Difference:
    """One way the file differs from the reference; ``text`` is part of a sentence."""

    kind: str  # "table", "column", "index", "trigger", "view", "foreign key"
    name: str
    text: str


# --- describing a schema ---------------------------------------------------------------------

_QUOTED = re.compile(r"'(?:[^']|'')*'|\"((?:[^\"]|\"\")*)\"|\[([^\]]*)\]|`([^`]*)`")


def normalize_sql(sql: str | None) -> str:
    """The SQL text with what does not change its meaning taken out: runs of whitespace,
    quotes around identifiers, the case of everything outside string literals, spaces next
    to brackets and commas, ``IF NOT EXISTS``."""
    if not sql:
        return ""
    out, pos = [], 0
    for m in _QUOTED.finditer(sql):
        out.append(sql[pos:m.start()].lower())
        ident = next((g for g in m.groups() if g is not None), None)
        out.append(m.group(0) if ident is None else ident.lower())
        pos = m.end()
    out.append(sql[pos:].lower())
    text = re.sub(r"\s+", " ", "".join(out)).strip()
    text = re.sub(r"\s*([(),;])\s*", r"\1", text).rstrip(";")
    return text.replace(" if not exists ", " ")


@dataclass(frozen=True)
class SchemaObject:
    kind: str
    name: str
    table: str
    sql: str
    columns: tuple = ()  # (name, type, notnull, default, pk, hidden) per column
    indexes: tuple = ()  # (name, unique, origin, partial, (column, …)) per index
    foreign_keys: tuple = ()  # (seq, target, from, to, on_update, on_delete, match)


Schema = dict[tuple[str, str], SchemaObject]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def describe(conn: object) -> Schema:
    """The schema of a database, from a sqlite3 / sqlcipher3 connection (or a SQLAlchemy one)."""
    from taskforce.store.audit_chain import driver_connection

    raw = driver_connection(conn)
    objects: Schema = {}
    rows = raw.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        if name.startswith("sqlite_stat"):
            continue  # ANALYZE's statistics: data about the data, not the schema
        columns = indexes = fks = ()
        if kind == "table":
            q = _ident(name)
            columns = tuple((c[1], (c[2] or "").upper(), c[3], c[4], c[5], c[6])
                            for c in raw.execute(f"PRAGMA table_xinfo({q})"))
            indexes = tuple(sorted(
                (i[1], i[2], i[3], i[4],
                 tuple(c[2] for c in raw.execute(f"PRAGMA index_info({_ident(i[1])})")))
                for i in raw.execute(f"PRAGMA index_list({q})")))
            fks = tuple(sorted(tuple(f[1:]) for f in raw.execute(f"PRAGMA foreign_key_list({q})")))
        objects[(kind, name)] = SchemaObject(kind, name, table, normalize_sql(sql), columns,
                                             indexes, fks)
    return objects


# --- the reference: what the migrations make ---------------------------------------------------

_reference: dict[str, Schema] = {}
_reference_lock = threading.Lock()


def reference(revision: str) -> Schema:
    """The schema this version's migrations make at ``revision`` (built once per process:
    an empty in-memory database migrated one revision at a time, described at each)."""
    with _reference_lock:
        if not _reference:
            _reference.update(_build_references())
        if revision not in _reference:
            raise KeyError(revision)
        return _reference[revision]


def _build_references() -> dict[str, Schema]:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import StaticPool

    from taskforce.store.database import KNOWN_REVISIONS, upgrade

    engine = create_engine("sqlite://", poolclass=StaticPool, future=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # as store.engine: SQLAlchemy issues BEGIN itself
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # noqa: ANN001
        conn.exec_driver_sql("BEGIN")

    out: dict[str, Schema] = {}
    try:
        for revision in KNOWN_REVISIONS:
            upgrade(engine, revision)
            with engine.connect() as conn:
                out[revision] = describe(conn)
    finally:
        engine.dispose()
    return out


# --- comparing ---------------------------------------------------------------------------------

_ORDER = {"trigger": 0, "table": 1, "column": 2, "foreign key": 3, "index": 4, "view": 5}


def _what(obj: SchemaObject) -> str:
    if obj.kind == "table" and obj.sql.startswith("create virtual table"):
        return tr("the search table {name}").format(name=obj.name)
    on = f" (on {obj.table})" if obj.kind in ("index", "trigger") and obj.table != obj.name else ""
    return {"table": tr("the table {name}"), "index": tr("the index {name}"),
            "trigger": tr("the trigger {name}"), "view": tr("the view {name}")
            }[obj.kind].format(name=obj.name) + on


def compare(actual: Schema, expected: Schema) -> list[Difference]:
    """Every difference of ``actual`` from ``expected``, the most dangerous kinds first
    (triggers: they run on every write)."""
    diffs: list[Difference] = []
    for key in sorted(actual.keys() | expected.keys()):
        have, want = actual.get(key), expected.get(key)
        kind, name = key
        if want is None:
            diffs.append(Difference(kind, name, tr("{what} is extra").format(what=_what(have))))
        elif have is None:
            diffs.append(Difference(kind, name, tr("{what} is missing").format(what=_what(want))))
        else:
            diffs.extend(_compare_object(have, want))
    return sorted(diffs, key=lambda d: (_ORDER.get(d.kind, 9), d.name))


def _compare_object(have: SchemaObject, want: SchemaObject) -> list[Difference]:
    diffs: list[Difference] = []
    name = have.name
    if have.kind == "table":
        got = {c[0]: c for c in have.columns}
        wanted = {c[0]: c for c in want.columns}
        for col in wanted.keys() - got.keys():
            diffs.append(Difference("column", f"{name}.{col}", tr(
                "the column {table}.{column} is missing").format(table=name, column=col)))
        for col in got.keys() - wanted.keys():
            diffs.append(Difference("column", f"{name}.{col}", tr(
                "the column {table}.{column} is extra").format(table=name, column=col)))
        for col in got.keys() & wanted.keys():
            if got[col] != wanted[col]:
                diffs.append(Difference("column", f"{name}.{col}", tr(
                    "the column {table}.{column} is not as Taskforce makes it ({have}; expected "
                    "{want})").format(table=name, column=col, have=_column_text(got[col]),
                                      want=_column_text(wanted[col]))))
        if [c[0] for c in have.columns] != [c[0] for c in want.columns] and not diffs:
            diffs.append(Difference("column", name, tr(
                "the columns of the table {table} are in another order").format(table=name)))
        if have.foreign_keys != want.foreign_keys:
            diffs.append(Difference("foreign key", name, tr(
                "the foreign keys of the table {table} are not as Taskforce makes them").format(table=name)))
        if _automatic(have.indexes) != _automatic(want.indexes):
            # named indexes are compared as objects of their own (their SQL names their
            # columns); this catches the automatic ones of UNIQUE and PRIMARY KEY constraints
            diffs.append(Difference("index", name, tr(
                "the indexes of the table {table} are not as Taskforce makes them").format(table=name)))
        if not diffs and have.sql != want.sql:
            diffs.append(Difference("table", name, tr(
                "{what} is defined differently (its constraints)").format(what=_what(have))))
    elif have.sql != want.sql or have.table != want.table:
        diffs.append(Difference(have.kind, name, tr("{what} is defined differently").format(what=_what(have))))
    return diffs


def _automatic(indexes: tuple) -> tuple:
    return tuple(i for i in indexes if i[2] != "c")  # origin "u" (UNIQUE) or "pk"


def _column_text(col: tuple) -> str:
    name, kind, notnull, default, pk, hidden = col
    parts = [kind or "no type", "NOT NULL" if notnull else "NULL"]
    if default is not None:
        parts.append(f"DEFAULT {default}")
    if pk:
        parts.append("PRIMARY KEY")
    if hidden:
        parts.append("hidden")
    return " ".join(parts)


def differences(conn: object, revision: str) -> list[Difference]:
    """How the database on ``conn`` (at ``revision``) differs from what the migrations make."""
    return compare(describe(conn), reference(revision))


def summary(found: list[Difference]) -> str:
    """The first difference, and how many more there are: "the trigger x (on audit_log) is
    extra (2 more differences in the log)"."""
    more = len(found) - 1
    if not more:
        return found[0].text
    tail = ntr("{n} more difference in the log", "{n} more differences in the log", more).format(n=more)
    return f"{found[0].text} ({tail})"


def log_differences(name: str, revision: str, found: list[Difference]) -> None:
    log.warning("schema of %s differs from what Taskforce makes at %s: %s", name, revision,
                "; ".join(d.text for d in found))


def schema_problem(conn: object, revision: str, name: str) -> str | None:
    """One sentence naming the first difference (None when there is none); every difference
    goes to the log. ``name``: the file's name, as the sentence shows it."""
    try:
        found = differences(conn, revision)
    except KeyError:
        return None  # a revision this version does not know: the caller refuses it already
    if not found:
        return None
    log_differences(name, revision, found)
    return tr("The schema of {name} is not the one Taskforce makes at {revision}: {first}.").format(
        name=name, revision=revision, first=summary(found))
