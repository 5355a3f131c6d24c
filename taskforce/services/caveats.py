"""Handling caveats on releasable items (rule 6): one place that knows which link table holds
the caveats of each kind of item, for saving them, showing them and screening by them.

Cases, notes, support, subjects, events and debriefs carry caveats (migration 0006 added the
last three); feedback is screened with its support record's.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Table, select

from taskforce.domain.release import ItemKind
from taskforce.services.tx import Tx
from taskforce.store import schema as S

# item kind → (link table, its column naming the item)
_LINKS: dict[ItemKind, tuple[Table, str]] = {
    ItemKind.CASE: (S.case_caveat, "case_id"),
    ItemKind.NOTE: (S.case_note_caveat, "note_id"),
    ItemKind.SUPPORT: (S.support_caveat, "support_id"),
    ItemKind.SUBJECT: (S.subject_caveat, "subject_id"),
    ItemKind.EVENT: (S.case_event_caveat, "event_id"),
    ItemKind.DEBRIEF: (S.debrief_caveat, "debrief_id"),
}


def save(tx: Tx, kind: ItemKind, item_id: int, caveat_ids: Iterable[int], root: tuple[str, int],
         field: str = "caveats") -> None:
    """Replace the item's caveats, audited under ``root`` when they change."""
    link, column = _LINKS[kind]
    tx.set_links(link, column, item_id, "caveat_id", caveat_ids, root, field)


def names_by_item(conn: Connection, kind: ItemKind,
                  item_ids: Iterable[int]) -> dict[int, tuple[tuple[int, str], ...]]:
    """Each item's caveats as (id, name), by name, for a list of items."""
    link, column = _LINKS[kind]
    ids = list(set(item_ids))
    found: dict[int, list[tuple[int, str]]] = {}
    for start in range(0, len(ids), 500):
        for item_id, caveat_id, name in conn.execute(
                select(link.c[column], S.caveat.c.id, S.caveat.c.name)
                .join(S.caveat, S.caveat.c.id == link.c.caveat_id)
                .where(link.c[column].in_(ids[start:start + 500])).order_by(S.caveat.c.name)):
            found.setdefault(item_id, []).append((caveat_id, name))
    return {k: tuple(v) for k, v in found.items()}


def of_item(conn: Connection, kind: ItemKind, item_id: int) -> tuple[tuple[int, str], ...]:
    """The item's caveats as (id, name), by name."""
    return names_by_item(conn, kind, [item_id]).get(item_id, ())


def keys(conn: Connection, kind: ItemKind, item_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """Each item's caveats as the rule knows them: the ref_key ("eu_pnr"), else the name."""
    link, column = _LINKS[kind]
    ids = list(set(item_ids))
    found: dict[int, set[str]] = {}
    for start in range(0, len(ids), 500):
        rows = conn.execute(select(link.c[column], S.caveat.c.ref_key, S.caveat.c.name)
                            .join(S.caveat, S.caveat.c.id == link.c.caveat_id)
                            .where(link.c[column].in_(ids[start:start + 500])))
        for item_id, ref_key, name in rows:
            found.setdefault(item_id, set()).add(ref_key or name)
    return {k: frozenset(v) for k, v in found.items()}
