"""A record's history: its audit rows and those of the records it owns, newest first."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, or_, select

from taskforce.i18n import tr
from taskforce.services.context import Context
from taskforce.services.tx import read
from taskforce.store import schema as S


@dataclass(frozen=True)
class HistoryRow:
    at: str
    who: str
    action: str
    what: str  # "case file", "case note #12", …
    field: str
    old: str
    new: str


def _describe(raw: str | None) -> str:
    """A created or deleted record's snapshot as 'field: value; …' (empty values left out)."""
    if not raw:
        return ""
    try:
        values = json.loads(raw)
    except ValueError:
        return raw
    return "; ".join(f"{k}: {v}" for k, v in values.items() if v not in (None, ""))


# What a reference to each kind of record reads as, so a changed lead agency shows its names
# and not "492 → 17" (UX.md: history uses names and labels, never ids)
_NAMED_BY = {
    "agency": lambda t: t.c.name, "subject": lambda t: t.c.name, "task_force": lambda t: t.c.name,
    "agreement": lambda t: t.c.title, "case_file": lambda t: t.c.number, "caveat": lambda t: t.c.name,
    "member": lambda t: t.c.given_names + " " + t.c.family_name,
}


def _referenced(entity: str, field: str | None) -> str | None:
    """The table a changed column points to, when it is a reference the history can name."""
    table = S.metadata.tables.get(entity)
    column = table.c.get(field) if table is not None and field else None
    if column is None:
        return None
    for fk in column.foreign_keys:
        if fk.column.table.name in _NAMED_BY:
            return fk.column.table.name
    return None


# The same names read from a deleted record's last snapshot in the audit log (its delete row)
_SNAPSHOT_NAME = {"agreement": ("title",), "case_file": ("number",), "member": ("given_names", "family_name")}


def _names(conn: Connection, wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    names: dict[tuple[str, int], str] = {}
    for table_name, ids in wanted.items():
        table = S.metadata.tables[table_name]
        for row_id, name in conn.execute(select(table.c.id, _NAMED_BY[table_name](table))
                                         .where(table.c.id.in_(sorted(ids)))):
            names[(table_name, row_id)] = name
        gone = sorted(i for i in ids if (table_name, i) not in names)
        if gone:  # deleted since (an agreement whose deletion unlinked a participation)
            names.update(_deleted_names(conn, table_name, gone))
    return names


def _deleted_names(conn: Connection, table_name: str, ids: list[int]) -> dict[tuple[str, int], str]:
    a = S.audit_log.c
    out: dict[tuple[str, int], str] = {}
    keys = _SNAPSHOT_NAME.get(table_name, ("name",))
    for row_id, snapshot in conn.execute(
            select(a.entity_id, a.old_value).where(a.action == "delete", a.entity == table_name,
                                                   a.entity_id.in_(ids))):
        try:
            values = json.loads(snapshot or "")
        except ValueError:
            continue
        name = " ".join(str(values[k]) for k in keys if values.get(k))
        if name:
            out[(table_name, row_id)] = tr("{name} (deleted)").format(name=name)
    return out


def _as_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def history(ctx: Context, entity: str, entity_id: int, limit: int = 1000) -> list[HistoryRow]:
    a = S.audit_log.c
    with read(ctx) as conn:
        rows = conn.execute(
            select(S.audit_log)
            .where(or_((a.root_entity == entity) & (a.root_id == entity_id),
                       (a.entity == entity) & (a.entity_id == entity_id)))
            .order_by(a.id.desc()).limit(limit)).all()
        wanted: dict[str, set[int]] = {}
        for r in rows:
            if r.action == "update" and (target := _referenced(r.entity, r.field)):
                wanted.setdefault(target, set()).update(
                    i for i in (_as_id(r.old_value), _as_id(r.new_value)) if i is not None)
        names = _names(conn, wanted)
    out = []
    for r in rows:
        who = r.app_user if r.app_user == r.os_user else f"{r.app_user} ({r.os_user})"
        what = r.entity.replace("case_file", "case").replace("_", " ")
        if (r.entity, r.entity_id) != (entity, entity_id):
            what = f"{what} #{r.entity_id}"
        if r.action == "update":
            old, new = r.old_value or "", r.new_value or ""
            if target := _referenced(r.entity, r.field):  # a deleted record keeps its number
                old = names.get((target, _as_id(old) or 0), old)
                new = names.get((target, _as_id(new) or 0), new)
        else:
            old, new = _describe(r.old_value), _describe(r.new_value)
        out.append(HistoryRow(r.at, who, r.action, what, r.field or "", old, new))
    return out
