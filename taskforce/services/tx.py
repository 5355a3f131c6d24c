"""The one way to write: a transaction that audits every create, update and delete.

``with write(ctx) as tx:`` opens one transaction; ``tx.insert/update/delete`` change rows and
write the audit rows in that same transaction, so a change and its history commit together
or not at all. Foreign-key and uniqueness failures become sentences a user understands.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from itertools import chain, repeat
from json.encoder import encode_basestring as _json_str
from operator import itemgetter

from sqlalchemy import Connection, Date, String, Table, exc, func, select

from taskforce.domain.errors import Conflict, FieldError, NotFound, ReadOnlyDatabase, ValidationFailed
from taskforce.domain.records import future_dates
from taskforce.domain.text import clean_line, clean_text, date_problem, field_label
from taskforce.i18n import tr
from taskforce.services.context import Change, Context
from taskforce.store import audit_chain
from taskforce.store import schema as S

log = logging.getLogger(__name__)
_TABLES: dict[str, Table] = {t.name: t for t in S.metadata.sorted_tables}


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def as_text(value: object) -> str | None:
    """How a value is written into the audit log."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _snapshot(values: dict) -> str:
    return json.dumps({k: as_text(v) for k, v in values.items() if k != "id"}, ensure_ascii=False)


_JSON_KEYS: dict[str, str] = {}


def _fast_snapshot(values: dict) -> str:
    """``_snapshot`` for bulk inserts: the same text (``json.dumps(…, ensure_ascii=False)``),
    several times faster, as every value is written as text or null."""
    parts = []
    for k, v in values.items():
        if k == "id":
            continue
        key = _JSON_KEYS.get(k)
        if key is None:
            key = _JSON_KEYS[k] = _json_str(k) + ": "
        if v is None:
            parts.append(key + "null")
        else:
            t = type(v)
            parts.append(key + _json_str(v if t is str else str(v) if t is int else as_text(v)))
    return "{" + ", ".join(parts) + "}"


# SQLite allows 32,766 variables per statement; stay well below.
_MAX_VARIABLES = 30_000
_MAX_ROWS_PER_STATEMENT = 1_000


def _insert_rows(conn: Connection, table: Table, columns: list[str], rows: list[tuple]) -> None:
    """Insert tuples (in ``columns`` order) with multi-row ``INSERT … VALUES`` statements.

    One statement per thousand rows, not one per row: SQLite opens a statement transaction
    (and FTS5 flushes its pending index data) per statement, so row-by-row executemany into a
    table with search triggers is several times slower. Values go through each column type's
    bind processor, as Core would do. Drivers with another parameter style use executemany.
    """
    if not rows:
        return
    dialect = conn.dialect
    if dialect.paramstyle != "qmark":
        conn.execute(table.insert(), [dict(zip(columns, r)) for r in rows])
        return
    processors = [(i, p) for i, c in enumerate(columns)
                  if (p := table.c[c].type._cached_bind_processor(dialect)) is not None]
    if processors:
        converted = []
        for r in rows:
            r = list(r)
            for i, p in processors:
                if r[i] is not None:
                    r[i] = p(r[i])
            converted.append(r)
        rows = converted
    quote = dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) VALUES "
    one = "(" + ", ".join("?" * len(columns)) + ")"
    per = max(1, min(_MAX_ROWS_PER_STATEMENT, _MAX_VARIABLES // len(columns)))
    full = head + ", ".join([one] * per)
    for first in range(0, len(rows), per):
        part = rows[first:first + per]
        sql = full if len(part) == per else head + ", ".join([one] * len(part))
        conn.exec_driver_sql(sql, tuple(chain.from_iterable(part)))


def stored_values(table: Table, values: dict) -> dict:
    """``values`` as they will be stored; refused when SQLite would take what the schema forbids.

    SQLite enforces neither ``String(n)`` lengths nor that a date column holds a date; this does,
    for every value written through ``Tx.insert`` and ``Tx.update``. Text is cleaned first
    (domain.text: NFC; one-line fields without control or bidirectional characters), then
    measured; every problem is reported at once, each named by its field.
    """
    out = dict(values)
    errors: list[FieldError] = []
    for key, value in values.items():
        column = table.c.get(key)
        if column is None or value is None:
            continue
        kind = column.type
        what = field_label(key, table.name)
        if isinstance(value, str) and isinstance(kind, String):
            limit = kind.length  # None for Text
            cleaned = clean_line(value) if limit else clean_text(value)
            if limit and cleaned != value:  # "\u202e Vance" is "Vance", not " Vance"
                cleaned = cleaned.strip()
            out[key] = cleaned
            if limit and len(cleaned) > limit:
                errors.append(FieldError(key, tr(f"{what} is longer than {limit} characters.")))
            elif value.strip() and not cleaned.strip():
                errors.append(FieldError(key, tr(f"{what} holds only invisible characters.")))
        elif isinstance(kind, Date):
            problem = date_problem(value, what)
            if problem:
                errors.append(FieldError(key, problem))
    if errors:
        raise ValidationFailed(errors)
    return out


class Tx:
    def __init__(self, conn: Connection, ctx: Context) -> None:
        self.conn = conn
        self.ctx = ctx
        self.change_id = uuid.uuid4().hex
        self.at = utc_now()
        self.kinds: set[str] = set()
        self.record_id: int | None = None
        self._head: str | None = None  # the audit chain's last hash, once read

    # -- audit -----------------------------------------------------------------------------
    def _chain_head(self) -> str:
        # Read once per transaction and chained in memory: BEGIN IMMEDIATE holds the write
        # lock, so no other writer can append between this read and the commit.
        if self._head is None:
            self._head = audit_chain.last_link(audit_chain.driver_connection(self.conn))[1]
        return self._head

    def audit(self, action: str, entity: str, entity_id: int, root: tuple[str, int] | None,
              field: str | None = None, old: str | None = None, new: str | None = None) -> None:
        root_entity, root_id = root or (entity, entity_id)
        # ids as int and texts as str: the hash is of what SQLite stores (store/audit_chain.py)
        content = (self.change_id, self.at, self.ctx.actor.os_user, self.ctx.actor.app_user,
                   action, entity, int(entity_id), root_entity, int(root_id), field, old, new)
        prev_hash = self._chain_head()
        self._head = audit_chain.content_digest(content, prev_hash)
        self.conn.execute(S.audit_log.insert().values(
            {**dict(zip(audit_chain.CONTENT_COLUMNS, content)), "prev_hash": prev_hash,
             "row_hash": self._head}))
        self.kinds.add(entity)
        if root_entity != entity:
            self.kinds.add(root_entity)

    # -- rows ------------------------------------------------------------------------------
    def insert(self, table: Table, values: dict, root: tuple[str, int] | None = None) -> int:
        values = stored_values(table, values)
        new_id = self.conn.execute(table.insert().values(**values)).inserted_primary_key[0]
        self.audit("create", table.name, new_id, root, new=_snapshot(values))
        return new_id

    def insert_many(self, table: Table, rows: list[dict],
                    root_entity: tuple[str, int] | None = None, *,
                    root: tuple[str, int] | None = None,
                    roots: list[tuple[str, int]] | None = None,
                    extras: list[dict] | None = None) -> list[int]:
        """Insert many rows (all with the same keys) and audit each as ``insert`` does.

        A few multi-row statements instead of two statements per row: a bulk import of
        thousands of records takes about a second instead of ten. Returns the new ids in row order.
        ``root_entity`` (or its alias ``root``) is the record whose history shows the rows; by
        default each row itself. ``roots`` gives one root per row instead (a case for each of
        many notes). ``extras`` adds audit-only fields per row to the create snapshot (e.g. the
        statutes of a case, held in a link table without ids).

        Rows may carry their own ``id`` (the demo generator numbers its rows up front, which is
        safe as the write transaction holds the database); otherwise the database assigns them.
        """
        if not rows:
            return []
        if "id" not in table.c:
            raise ValueError(f"insert_many audits rows by id; {table.name} has none (link rows "
                             f"belong in their parent's snapshot, see extras)")
        root = root or root_entity
        if roots is not None and len(roots) != len(rows):
            raise ValueError("insert_many: one root per row")
        if extras is not None and len(extras) != len(rows):
            raise ValueError("insert_many: one extras dict per row")
        if all(r.get("id") is not None for r in rows):
            columns = list(rows[0])
            pick = itemgetter(*columns) if len(columns) > 1 else (lambda r: (r[columns[0]],))
            _insert_rows(self.conn, table, columns, [pick(r) for r in rows])
            new_ids = [r["id"] for r in rows]
        else:
            stmt = table.insert().returning(table.c.id, sort_by_parameter_order=True)
            new_ids = list(self.conn.execute(stmt, rows).scalars())
        name = str(table.name)  # a plain str: the driver adapts it without a lookup
        head = (self.change_id, self.at, self.ctx.actor.os_user, self.ctx.actor.app_user, "create", name)
        if roots is None:
            roots = [root or (name, new_id) for new_id in new_ids]
        if extras is None:
            snapshots = map(_fast_snapshot, rows)
        else:
            snapshots = (_fast_snapshot({**values, **extra}) for values, extra in zip(rows, extras))
        snapshots = list(snapshots)
        root_entities, root_ids = list(map(itemgetter(0), roots)), list(map(itemgetter(1), roots))
        prev = self._chain_head()
        hashes = audit_chain.chain_hashes(prev, head, zip(new_ids, root_entities, root_ids, snapshots))
        self._head = hashes[-1]
        # the rows' tuples made by zip, in C: the demo writes a million of them
        rows_out = list(zip(*map(repeat, head), new_ids, root_entities, root_ids, repeat(None),
                            repeat(None), snapshots, [prev, *hashes[:-1]], hashes))
        if self.conn.dialect.paramstyle == "qmark":
            # executemany of one prepared statement: audit_log has no search triggers, and
            # this is faster here than the multi-row statements _insert_rows builds
            self.conn.exec_driver_sql(_AUDIT_INSERT, rows_out)
        else:
            _insert_rows(self.conn, S.audit_log, _AUDIT_COLUMNS, rows_out)
        self.kinds.add(name)
        if root:
            self.kinds.add(root[0])
        self.kinds.update({r[0] for r in roots})
        return new_ids

    def get(self, table: Table, row_id: int) -> dict:
        return fetch_row(self.conn, table, row_id)

    def update(self, table: Table, row_id: int, values: dict,
               root: tuple[str, int] | None = None) -> dict[str, tuple]:
        """Write only the fields whose value differs; audit each as old → new."""
        values = stored_values(table, values)
        current = self.get(table, row_id)
        changed = {k: (current[k], v) for k, v in values.items() if as_text(current[k]) != as_text(v)}
        if changed:
            self.conn.execute(table.update().where(table.c.id == row_id)
                              .values({k: new for k, (_old, new) in changed.items()}))
            for name, (old, new) in changed.items():
                self.audit("update", table.name, row_id, root, name, as_text(old), as_text(new))
        return changed

    def delete(self, table: Table, row_id: int, root: tuple[str, int] | None = None) -> None:
        """Delete a row; every row the database changes with it is audited first: those ON
        DELETE CASCADE removes (a delete each) and those ON DELETE SET NULL unlinks (an update
        of the column to nothing, in the history of the record that owns the row)."""
        current = self.get(table, row_id)
        self._refuse_if_referenced(table, row_id)
        deleted = {(table.name, row_id)}
        self._audit_cascade(table, row_id, root or (table.name, row_id), deleted)
        self._audit_set_null(deleted)
        self.conn.execute(table.delete().where(table.c.id == row_id))
        self.audit("delete", table.name, row_id, root, old=_snapshot(current))

    def set_links(self, table: Table, parent_col: str, parent_id: int, value_col: str,
                  values: Iterable, root: tuple[str, int], field: str) -> None:
        """Replace a many-valued field held in a link table (statutes, caveats, parties)."""
        old = sorted(as_text(v) for v in self.conn.execute(
            select(table.c[value_col]).where(table.c[parent_col] == parent_id)).scalars())
        new_values = sorted(set(values), key=as_text)
        if old == sorted(as_text(v) for v in new_values):
            return
        self.conn.execute(table.delete().where(table.c[parent_col] == parent_id))
        if new_values:
            self.conn.execute(table.insert(), [{parent_col: parent_id, value_col: v} for v in new_values])
        self.audit("update", root[0], root[1], root, field, ", ".join(old) or None,
                   ", ".join(as_text(v) for v in new_values) or None)

    # -- integrity -------------------------------------------------------------------------
    def _refuse_if_referenced(self, table: Table, row_id: int) -> None:
        uses = []
        for other in _TABLES.values():
            for fk in other.foreign_keys:
                if fk.column.table is table and fk.ondelete not in ("CASCADE", "SET NULL"):
                    col = fk.parent
                    n = self.conn.execute(select(func.count()).select_from(other)
                                          .where(col == row_id, *([other.c.id != row_id]
                                                 if other is table else []))).scalar_one()
                    if n:
                        uses.append(f"{n} {other.name.replace('_file', '').replace('_', ' ')} "
                                    f"record{'s' if n != 1 else ''}")
        if uses:
            raise Conflict(tr(
                f"This {table.name.replace('_file', '').replace('_', ' ')} is still used by "
                f"{', '.join(uses)}; change or remove those first."))

    def _audit_cascade(self, table: Table, row_id: int, root: tuple[str, int],
                       deleted: set[tuple[str, int]]) -> None:
        """Rows that ON DELETE CASCADE will remove get their own delete entries first (and are
        added to ``deleted``)."""
        for fk in _CASCADE.get(table.name, ()):
            other = fk.parent.table
            rows = self.conn.execute(select(other).where(fk.parent == row_id)).mappings().all()
            for row in rows:
                if "id" in row:
                    deleted.add((other.name, row["id"]))
                    self._audit_cascade(other, row["id"], root, deleted)
                    self.audit("delete", other.name, row["id"], root, old=_snapshot(dict(row)))

    def _audit_set_null(self, deleted: set[tuple[str, int]]) -> None:
        """Rows that ON DELETE SET NULL will unlink from a deleted row (a task force's
        participation under a deleted agreement) get an update entry each, as if the column
        had been emptied by hand; rows deleted in the same cascade need none."""
        for table_name, row_id in sorted(deleted):
            for fk in _SET_NULL.get(table_name, ()):
                other, col = fk.parent.table, fk.parent
                for row in self.conn.execute(select(other).where(col == row_id)
                                             .order_by(*other.primary_key.columns)).mappings():
                    if "id" not in row or (other.name, row["id"]) in deleted:
                        continue
                    self.audit("update", other.name, row["id"], _owner(other, row), col.name,
                               as_text(row_id), None)


def _keys_by_target(action: str) -> dict[str, tuple]:
    """The foreign keys with this ON DELETE action, by the table they point to (from the
    schema metadata, so a new one is audited without a word here)."""
    out: dict[str, list] = {}
    for table in _TABLES.values():
        for fk in table.foreign_keys:
            if fk.ondelete == action:
                out.setdefault(fk.column.table.name, []).append(fk)
    return {k: tuple(v) for k, v in out.items()}


_CASCADE = _keys_by_target("CASCADE")
_SET_NULL = _keys_by_target("SET NULL")


def set_null_keys() -> list:
    """Every ON DELETE SET NULL foreign key of the schema (each audited by ``Tx.delete``)."""
    return [fk for keys in _SET_NULL.values() for fk in keys]


def _owner(table: Table, row: dict) -> tuple[str, int]:
    """The record whose history shows a change to ``row``: the one it belongs to (its ON
    DELETE CASCADE parent, e.g. a participation's task force), else the row itself."""
    for fk in sorted(table.foreign_keys, key=lambda k: k.parent.name):
        if fk.ondelete == "CASCADE" and row.get(fk.parent.name) is not None:
            return fk.column.table.name, row[fk.parent.name]
    return table.name, row["id"]


_AUDIT_COLUMNS = [*audit_chain.HASHED_COLUMNS, "row_hash"]
_AUDIT_INSERT = (f"INSERT INTO audit_log ({', '.join(_AUDIT_COLUMNS)}) "
                 f"VALUES ({', '.join('?' * len(_AUDIT_COLUMNS))})")


@contextmanager
def write(ctx: Context) -> Iterator[Tx]:
    """One audited transaction; uniqueness and reference failures become a Conflict.

    After the commit, the chain's new end is recorded as this workstation's audit anchor
    (store/audit_chain.py): a file later cut short is then noticed.
    """
    if ctx.db.read_only:  # opened while another copy holds the file (store.lock)
        raise ReadOnlyDatabase(ctx.db.read_only_message)
    try:
        with ctx.db.writer.begin() as conn:
            tx = Tx(conn, ctx)
            yield tx
            anchor = _anchor_to_record(tx)
    except exc.IntegrityError as err:
        raise Conflict(_integrity_message(err)) from err
    if anchor is not None:
        try:
            audit_chain.save_anchor(*anchor)
        except Exception as err:  # noqa: BLE001 - the change is committed; never fail it now
            log.warning("could not record the audit anchor: %s", err)


def _anchor_to_record(tx: Tx) -> tuple | None:
    if tx._head is None:  # no audit row written
        return None
    try:
        return audit_chain.pending_anchor(audit_chain.driver_connection(tx.conn), tx.ctx.db.path)
    except Exception as err:  # noqa: BLE001 - an anchor problem must not undo the user's change
        log.warning("could not read the audit anchor: %s", err)
        return None


@contextmanager
def read(ctx: Context) -> Iterator[Connection]:
    """A read-only snapshot (a deferred transaction, never blocking a writer)."""
    with ctx.db.engine.connect() as conn:
        yield conn


def refuse_future(ctx: Context, *fields: tuple[str, date | None, str]) -> None:
    """Raise ValidationFailed when a (field, day, label) of something done is after today."""
    if errors := future_dates(ctx.today(), *fields):
        raise ValidationFailed(errors)


def fetch_row(conn: Connection, table: Table, row_id: int) -> dict:
    row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    if row is None:
        raise NotFound(tr(f"That {table.name.replace('_file', '').replace('_', ' ')} no longer exists."))
    return dict(row)


def _integrity_message(err: exc.IntegrityError) -> str:
    text = str(err.orig)
    if "UNIQUE" in text:
        column = text.rsplit(".", 1)[-1]
        return tr(f"Another record already has this {column.replace('_', ' ')}.")
    if "FOREIGN KEY" in text:
        return tr("A record this change refers to does not exist (or is still in use).")
    return tr(f"The change was refused by the database: {text}.")


def change_of(tx: Tx, record_id: int | None = None) -> Change:
    return Change(kinds=frozenset(tx.kinds), id=record_id)
