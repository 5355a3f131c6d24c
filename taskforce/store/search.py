"""Full-text search over cases, subjects and notes (SQLite FTS5; the seam a server replaces).

The index is kept by triggers (migration 0001). Queries never rank a large result set:
matches come in rowid order (cases, then subjects, then notes, newest first) with a LIMIT,
and the count stops at ``COUNT_CAP`` so a one-letter prefix stays fast on 100,000 cases.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection

COUNT_CAP = 1000
_TOKEN = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """The words of a search text, as the query matches them."""
    return _TOKEN.findall(text)


def match_expression(text: str | list[str]) -> str | None:
    """User text (or its ``words``) to an FTS5 query: every word must match as a prefix
    ('garc jo' → garc* jo*). Each word is one more index scan ANDed with the others, so the
    caller caps how many (``services.search``).

    Quoting each token keeps FTS5 syntax (AND, NEAR, quotes, colons) out of users' hands.
    """
    tokens = words(text) if isinstance(text, str) else text
    if not tokens:
        return None
    return " ".join(f'"{t}"*' for t in tokens)


def search_ids(conn: Connection, expression: str, limit: int) -> list[tuple[str, int]]:
    rows = conn.exec_driver_sql(
        "SELECT kind, ref_id FROM search_index WHERE search_index MATCH ? "
        "ORDER BY rowid DESC LIMIT ?", (expression, limit))
    return [(r[0], int(r[1])) for r in rows]


def count_matches(conn: Connection, expression: str) -> int:
    """Number of matches, capped: COUNT_CAP + 1 means 'more than COUNT_CAP'."""
    return conn.exec_driver_sql(
        "SELECT count(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH ? LIMIT ?)",
        (expression, COUNT_CAP + 1)).scalar_one()


def snippet_for(conn: Connection, expression: str, kind: str, ref_id: int) -> str:
    row = conn.exec_driver_sql(
        "SELECT snippet(search_index, 2, '[', ']', '…', 10) FROM search_index "
        "WHERE search_index MATCH ? AND kind = ? AND ref_id = ? LIMIT 1",
        (expression, kind, ref_id)).first()
    return row[0] if row else ""
