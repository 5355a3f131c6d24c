"""A record's history: its audit rows and those of the records it owns, newest first."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import or_, select

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


def history(ctx: Context, entity: str, entity_id: int, limit: int = 1000) -> list[HistoryRow]:
    a = S.audit_log.c
    with read(ctx) as conn:
        rows = conn.execute(
            select(S.audit_log)
            .where(or_((a.root_entity == entity) & (a.root_id == entity_id),
                       (a.entity == entity) & (a.entity_id == entity_id)))
            .order_by(a.id.desc()).limit(limit)).all()
    out = []
    for r in rows:
        who = r.app_user if r.app_user == r.os_user else f"{r.app_user} ({r.os_user})"
        what = r.entity.replace("case_file", "case").replace("_", " ")
        if (r.entity, r.entity_id) != (entity, entity_id):
            what = f"{what} #{r.entity_id}"
        if r.action == "update":
            old, new = r.old_value or "", r.new_value or ""
        else:
            old, new = _describe(r.old_value), _describe(r.new_value)
        out.append(HistoryRow(r.at, who, r.action, what, r.field or "", old, new))
    return out
