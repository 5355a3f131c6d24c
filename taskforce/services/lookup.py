"""Pickers: a few matching records by typed text, for completers and choice lists."""

from __future__ import annotations

from sqlalchemy import text

from taskforce.services.context import Context
from taskforce.services.tx import read
from taskforce.store.queries import agency_label

Choice = tuple[int, str]


def _like(typed: str) -> str:
    escaped = typed.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def agencies(ctx: Context, typed: str = "", limit: int = 30) -> list[Choice]:
    """Reference and federal agencies first, then by name, so 'CBP' finds CBP, not a city."""
    with read(ctx) as conn:
        return [tuple(r) for r in conn.execute(text(
            f"SELECT a.id, {agency_label('a')} FROM agency a "
            "WHERE a.name LIKE :t ESCAPE '\\' OR a.abbreviation LIKE :t ESCAPE '\\' OR a.ori LIKE :t ESCAPE '\\' "
            "ORDER BY a.ref_key IS NULL, a.level <> 'federal', a.name LIMIT :n"),
            {"t": _like(typed), "n": limit})]


def agency_name(ctx: Context, agency_id: int | None) -> str:
    if agency_id is None:
        return ""
    with read(ctx) as conn:
        return conn.execute(text(f"SELECT {agency_label('a')} FROM agency a WHERE id = :i"),
                            {"i": agency_id}).scalar() or ""


def members(ctx: Context, typed: str = "", limit: int = 30) -> list[Choice]:
    with read(ctx) as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT m.id, m.family_name || ', ' || m.given_names || ' (' || "
            "CASE WHEN a.abbreviation <> '' THEN a.abbreviation ELSE a.name END || ')' "
            "FROM member m JOIN agency a ON a.id = m.home_agency_id "
            "WHERE m.family_name || ' ' || m.given_names LIKE :t ESCAPE '\\' "
            "OR m.given_names || ' ' || m.family_name LIKE :t ESCAPE '\\' "
            "ORDER BY m.family_name, m.given_names LIMIT :n"), {"t": _like(typed), "n": limit})]


def subjects(ctx: Context, typed: str = "", limit: int = 30) -> list[Choice]:
    with read(ctx) as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT s.id, s.name || CASE WHEN s.dob IS NOT NULL THEN ' (b. ' || s.dob || ')' ELSE '' END "
            "FROM subject s WHERE s.name LIKE :t ESCAPE '\\' ORDER BY s.name LIMIT :n"),
            {"t": _like(typed), "n": limit})]


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
