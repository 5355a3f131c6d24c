"""Pickers: a few matching records by typed text, for completers and choice lists."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import text

from taskforce.services.context import Context
from taskforce.services.tx import read
from taskforce.store import lookup_queries
from taskforce.store.queries import agency_label

Choice = tuple[int, str]


class Match(NamedTuple):
    """A picker row. rank: 0 exact (abbreviation or whole name), 1 prefix, 2 word prefix,
    3 substring (store/lookup_queries.py); rows come best first."""
    id: int
    label: str
    rank: int


def _like(typed: str) -> str:
    return f"%{lookup_queries.escape_like(typed.strip())}%"


def agencies(ctx: Context, typed: str = "", limit: int = 30) -> list[Match]:
    """By abbreviation, name or ORI, best match first ('ICE' is ICE, not the Department of Just-ice)."""
    with read(ctx) as conn:
        return [Match(*r) for r in lookup_queries.agencies(conn, typed, limit)]


def agency_name(ctx: Context, agency_id: int | None) -> str:
    if agency_id is None:
        return ""
    with read(ctx) as conn:
        return conn.execute(text(f"SELECT {agency_label('a')} FROM agency a WHERE id = :i"),
                            {"i": agency_id}).scalar() or ""


def members(ctx: Context, typed: str = "", limit: int = 30) -> list[Match]:
    with read(ctx) as conn:
        return [Match(*r) for r in lookup_queries.members(conn, typed, limit)]


def subjects(ctx: Context, typed: str = "", limit: int = 30) -> list[Match]:
    with read(ctx) as conn:
        return [Match(*r) for r in lookup_queries.subjects(conn, typed, limit)]


def cases(ctx: Context, typed: str = "", limit: int = 30) -> list[Choice]:
    """Cases whose number or title contains the text, most recently opened first."""
    with read(ctx) as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT id, number || ' — ' || title FROM case_file "
            "WHERE number LIKE :t ESCAPE '\\' OR title LIKE :t ESCAPE '\\' "
            "ORDER BY opened_on DESC, id DESC LIMIT :n"), {"t": _like(typed), "n": limit})]


def case_label(ctx: Context, case_id: int | None) -> str:
    if case_id is None:
        return ""
    with read(ctx) as conn:
        return conn.execute(text("SELECT number || ' — ' || title FROM case_file WHERE id = :i"),
                            {"i": case_id}).scalar() or ""


def task_forces(ctx: Context) -> list[Choice]:
    with read(ctx) as conn:
        return [tuple(r) for r in conn.execute(text("SELECT id, name FROM task_force ORDER BY name"))]


def agreements(ctx: Context) -> list[Choice]:
    with read(ctx) as conn:
        return [tuple(r) for r in conn.execute(text("SELECT id, title FROM agreement ORDER BY title"))]


def caveats(ctx: Context) -> list[Choice]:
    with read(ctx) as conn:
        return [tuple(r) for r in conn.execute(text("SELECT id, name FROM caveat ORDER BY name"))]
