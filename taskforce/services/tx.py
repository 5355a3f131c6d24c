"""The one way to write: a transaction that audits every create, update and delete.

``with write(ctx) as tx:`` opens one transaction; ``tx.insert/update/delete`` change rows and
write the audit rows in that same transaction, so a change and its history commit together
or not at all. Foreign-key and uniqueness failures become sentences a user understands.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone

from sqlalchemy import Connection, Table, exc, func, select

from taskforce.domain.errors import Conflict, NotFound
from taskforce.i18n import tr
from taskforce.services.context import Change, Context
from taskforce.store import schema as S

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


class Tx:
    def __init__(self, conn: Connection, ctx: Context) -> None:
        self.conn = conn
        self.ctx = ctx
        self.change_id = uuid.uuid4().hex
        self.at = utc_now()
        self.kinds: set[str] = set()
        self.record_id: int | None = None

    # -- audit -----------------------------------------------------------------------------
    def audit(self, action: str, entity: str, entity_id: int, root: tuple[str, int] | None,
              field: str | None = None, old: str | None = None, new: str | None = None) -> None:
        root_entity, root_id = root or (entity, entity_id)
        self.conn.execute(S.audit_log.insert().values(
            change_id=self.change_id, at=self.at, os_user=self.ctx.actor.os_user,
            app_user=self.ctx.actor.app_user, action=action, entity=entity, entity_id=entity_id,
            root_entity=root_entity, root_id=root_id, field=field, old_value=old, new_value=new,
        ))
        self.kinds.add(entity)
        if root_entity != entity:
            self.kinds.add(root_entity)

    # -- rows ------------------------------------------------------------------------------
    def insert(self, table: Table, values: dict, root: tuple[str, int] | None = None) -> int:
        new_id = self.conn.execute(table.insert().values(**values)).inserted_primary_key[0]
        self.audit("create", table.name, new_id, root, new=_snapshot(values))
        return new_id

    def insert_many(self, table: Table, rows: list[dict],
                    root_entity: tuple[str, int] | None = None) -> list[int]:
        """Insert many rows (all with the same keys) and audit each as ``insert`` does.

        Two executemany statements instead of two statements per row: a bulk import of
        thousands of records takes about a second instead of ten. Returns the new ids in row order.
        ``root_entity`` is the record whose history shows the rows; by default each row itself.
        """
        if not rows:
            return []
        stmt = table.insert().returning(table.c.id, sort_by_parameter_order=True)
        new_ids = list(self.conn.execute(stmt, rows).scalars())
        os_user, app_user = self.ctx.actor.os_user, self.ctx.actor.app_user
        self.conn.execute(S.audit_log.insert(), [
            dict(change_id=self.change_id, at=self.at, os_user=os_user, app_user=app_user,
                 action="create", entity=table.name, entity_id=new_id,
                 root_entity=(root_entity or (table.name, new_id))[0],
                 root_id=(root_entity or (table.name, new_id))[1],
                 field=None, old_value=None, new_value=_snapshot(values))
            for new_id, values in zip(new_ids, rows, strict=True)
        ])
        self.kinds.add(table.name)
        if root_entity and root_entity[0] != table.name:
            self.kinds.add(root_entity[0])
        return new_ids

    def get(self, table: Table, row_id: int) -> dict:
        return fetch_row(self.conn, table, row_id)

    def update(self, table: Table, row_id: int, values: dict,
               root: tuple[str, int] | None = None) -> dict[str, tuple]:
        """Write only the fields whose value differs; audit each as old → new."""
        current = self.get(table, row_id)
        changed = {k: (current[k], v) for k, v in values.items() if as_text(current[k]) != as_text(v)}
        if changed:
            self.conn.execute(table.update().where(table.c.id == row_id)
                              .values({k: new for k, (_old, new) in changed.items()}))
            for name, (old, new) in changed.items():
                self.audit("update", table.name, row_id, root, name, as_text(old), as_text(new))
        return changed

    def delete(self, table: Table, row_id: int, root: tuple[str, int] | None = None) -> None:
        current = self.get(table, row_id)
        self._refuse_if_referenced(table, row_id)
        self._audit_cascade(table, row_id, root or (table.name, row_id))
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

    def _audit_cascade(self, table: Table, row_id: int, root: tuple[str, int]) -> None:
        """Rows that ON DELETE CASCADE will remove get their own delete entries first."""
        for other in _TABLES.values():
            for fk in other.foreign_keys:
                if fk.column.table is table and fk.ondelete == "CASCADE":
                    rows = self.conn.execute(select(other).where(fk.parent == row_id)).mappings()
                    for row in rows:
                        if "id" in row:
                            self._audit_cascade(other, row["id"], root)
                            self.audit("delete", other.name, row["id"], root, old=_snapshot(dict(row)))


@contextmanager
def write(ctx: Context) -> Iterator[Tx]:
    """One audited transaction; uniqueness and reference failures become a Conflict."""
    try:
        with ctx.db.writer.begin() as conn:
            yield Tx(conn, ctx)
    except exc.IntegrityError as err:
        raise Conflict(_integrity_message(err)) from err


@contextmanager
def read(ctx: Context) -> Iterator[Connection]:
    """A read-only snapshot (a deferred transaction, never blocking a writer)."""
    with ctx.db.engine.connect() as conn:
        yield conn


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
