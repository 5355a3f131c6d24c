"""Read queries shared by several services, returning plain rows."""

from __future__ import annotations

from sqlalchemy import Connection, text


def agency_ancestors(conn: Connection, agency_id: int) -> list[tuple[int, str | None, str]]:
    """The agency and its parents up to the top: (id, ref_key, name), nearest first."""
    rows = conn.execute(text("""
        WITH RECURSIVE chain(id, ref_key, name, parent_id, depth) AS (
            SELECT id, ref_key, name, parent_id, 0 FROM agency WHERE id = :id
            UNION ALL
            SELECT a.id, a.ref_key, a.name, a.parent_id, chain.depth + 1
            FROM agency a JOIN chain ON a.id = chain.parent_id
            WHERE chain.depth < 32
        ) SELECT id, ref_key, name FROM chain ORDER BY depth"""), {"id": agency_id})
    return [tuple(r) for r in rows]


def is_under(conn: Connection, agency_id: int, ref_key: str) -> bool:
    """True when the agency is the reference agency ``ref_key`` or one of its units."""
    return any(key == ref_key for _id, key, _name in agency_ancestors(conn, agency_id))


def is_party(conn: Connection, agreement_id: int, agency_id: int) -> bool:
    """True when the agency, or an agency above it (a deputy's sheriff's office), is a party."""
    lineage = [i for i, _ref, _name in agency_ancestors(conn, agency_id)]
    return conn.execute(text(
        f"SELECT 1 FROM agreement_party WHERE agreement_id = :a AND agency_id IN ({', '.join(map(str, lineage))})"),
        {"a": agreement_id}).first() is not None


def agency_descendant_ids(conn: Connection, agency_id: int) -> set[int]:
    rows = conn.execute(text("""
        WITH RECURSIVE sub(id, depth) AS (
            SELECT id, 0 FROM agency WHERE parent_id = :id
            UNION ALL
            SELECT a.id, sub.depth + 1 FROM agency a JOIN sub ON a.parent_id = sub.id
            WHERE sub.depth < 32
        ) SELECT id FROM sub"""), {"id": agency_id})
    return {r[0] for r in rows}


AGENCY_LABEL_SQL = (
    "CASE WHEN {a}.abbreviation <> '' THEN {a}.abbreviation || ' — ' || {a}.name "
    "ELSE {a}.name END"
)


def agency_label(alias: str) -> str:
    """SQL for the label people know an agency by: 'CBP OFO — Office of Field Operations'."""
    return AGENCY_LABEL_SQL.format(a=alias)
