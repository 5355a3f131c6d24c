"""Picker queries: the records a typed text may mean, the likeliest first.

UX.md: pickers rank exact abbreviation (or name), then name prefix, then word prefix, then
substring. The rank is computed here, in SQL, so the LIMIT keeps the best rows: typing `ICE`
among 18,000 agencies whose names hold "Pol-ice" must still return ICE first. Each row carries
its rank; the picker takes a row on Enter only when it is the one exact match (or the only row).

Portable SQL (lower(), LIKE … ESCAPE, CASE): nothing here is SQLite-only.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, text

from taskforce.store.queries import agency_label

EXACT, PREFIX, WORD, CONTAINS = 0, 1, 2, 3
Row = tuple[int, str, int]  # (id, label, rank)


def escape_like(typed: str) -> str:
    return typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _params(typed: str, limit: int) -> dict[str, object]:
    t = typed.strip()
    e = escape_like(t)
    return {"exact": t, "prefix": f"{e}%", "word": f"% {e}%", "any": f"%{e}%", "n": limit}


def _words(column: str) -> str:
    """The column with a space before every word: 'Homeland Security Investigations (formerly…)'
    has a word starting 'formerly', 'Winston-Salem' one starting 'Salem'."""
    return f"' ' || replace(replace(replace({column}, '(', ' '), '-', ' '), '/', ' ')"


def _any(test: str, columns: Sequence[str]) -> str:
    return "(" + " OR ".join(test.format(c=c) for c in columns) + ")"


_IS = "lower({c}) = lower(:exact)"
_STARTS = "lower({c}) LIKE lower(:prefix) ESCAPE '\\'"
_CONTAINS = "lower({c}) LIKE lower(:any) ESCAPE '\\'"


def _rank(exact: Sequence[str], prefix: Sequence[str], words: Sequence[str]) -> str:
    """SQL for the rank of a row, 0 (exact) to 3 (substring); everything is 3 when nothing is typed."""
    word = " OR ".join(f"lower({_words(c)}) LIKE lower(:word) ESCAPE '\\'" for c in words)
    return (f"CASE WHEN :exact = '' THEN {CONTAINS} "
            f"WHEN {_any(_IS, exact)} THEN {EXACT} "
            f"WHEN {_any(_STARTS, prefix)} THEN {PREFIX} "
            f"WHEN ({word}) THEN {WORD} ELSE {CONTAINS} END")


def agencies(conn: Connection, typed: str, limit: int) -> list[Row]:
    """By abbreviation, name or ORI. Within a rank, reference and federal agencies first, so
    'FBI' is the Bureau, not a city department that happens to match."""
    cols = ("a.abbreviation", "a.name", "a.ori")
    rank = _rank(exact=cols, prefix=cols, words=("a.abbreviation", "a.name"))
    # two agencies of the same name (the FBI file has eleven such pairs) say which is which
    same_name = ("CASE WHEN EXISTS (SELECT 1 FROM agency b WHERE b.name = a.name AND b.id <> a.id) THEN ' (' || "
                 "CASE WHEN a.state <> '' THEN a.state || ', ' ELSE '' END || coalesce(a.ori, '#' || a.id) || ')' "
                 "ELSE '' END")
    return [tuple(r) for r in conn.execute(text(
        f"SELECT a.id, {agency_label('a')} || {same_name}, {rank} AS match_rank FROM agency a "
        f"WHERE {_any(_CONTAINS, cols)} "
        "ORDER BY match_rank, a.ref_key IS NULL, a.level <> 'federal', a.name, a.id LIMIT :n"),
        _params(typed, limit))]


# how people write a member's name: 'Okafor', 'Lena Okafor', 'Okafor Lena', 'Okafor, Lena'
_MEMBER_NAMES = ("m.family_name", "m.given_names || ' ' || m.family_name",
                 "m.family_name || ' ' || m.given_names", "m.family_name || ', ' || m.given_names")


def members(conn: Connection, typed: str, limit: int) -> list[Row]:
    """By name, labelled 'Family, Given (AGENCY)'."""
    rank = _rank(exact=_MEMBER_NAMES, prefix=_MEMBER_NAMES, words=(_MEMBER_NAMES[1],))
    return [tuple(r) for r in conn.execute(text(
        "SELECT m.id, m.family_name || ', ' || m.given_names || ' (' || "
        "CASE WHEN a.abbreviation <> '' THEN a.abbreviation ELSE a.name END || ')', "
        f"{rank} AS match_rank "
        "FROM member m JOIN agency a ON a.id = m.home_agency_id "
        f"WHERE {_any(_CONTAINS, _MEMBER_NAMES)} "
        "ORDER BY match_rank, m.family_name, m.given_names, m.id LIMIT :n"), _params(typed, limit))]


def subjects(conn: Connection, typed: str, limit: int) -> list[Row]:
    """By name, labelled with the date of birth when known: two 'Dario Vance' are told apart."""
    rank = _rank(exact=("s.name",), prefix=("s.name",), words=("s.name",))
    return [tuple(r) for r in conn.execute(text(
        "SELECT s.id, s.name || CASE WHEN s.dob IS NOT NULL THEN ' (b. ' || s.dob || ')' ELSE '' END, "
        f"{rank} AS match_rank FROM subject s WHERE {_any(_CONTAINS, ('s.name',))} "
        "ORDER BY match_rank, s.name, s.id LIMIT :n"), _params(typed, limit))]
