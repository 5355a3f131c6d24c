"""The one search box: cases, subjects and notes by word prefixes, with a result count.

What is searched is decided here, for the window and the command line alike: at most
``MAX_CHARS`` characters and ``MAX_WORDS`` words of the text (each word is one more prefix scan
of the index, ANDed with the others: 60,000 pasted words took minutes on the one worker), and
the result says what was left out ("Searched for the first 16 words.").
"""

from __future__ import annotations

from dataclasses import dataclass

from taskforce.i18n import tr
from taskforce.services.context import Context
from taskforce.services.tx import read
from taskforce.store import search as fts
from taskforce.store.search import COUNT_CAP

MAX_WORDS = 16
MAX_CHARS = 200


@dataclass(frozen=True)
class Hit:
    kind: str  # case | subject | note
    id: int  # the record to open: the case for a note
    ref_id: int  # the matching row itself
    label: str  # "BEST-SEA-2026-0007 — Fentanyl via Blaine", a subject's name, …
    detail: str  # a snippet of the matching text


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[Hit, ...]
    count: int
    capped: bool  # True when there are more than COUNT_CAP matches
    searched: str = ""  # the words searched for (the text, cut as ``note`` says)
    note: str | None = None  # "Searched for the first 16 words." when the text was cut

    @property
    def count_text(self) -> str:
        return f"{COUNT_CAP:,}+" if self.capped else f"{self.count:,}"


def search(ctx: Context, text: str, limit: int = 50) -> SearchResult:
    tokens, note = searched_words(text)
    expression = fts.match_expression(tokens)
    if expression is None:
        return SearchResult((), 0, False)
    with read(ctx) as conn:
        found = fts.search_ids(conn, expression, limit)
        count = fts.count_matches(conn, expression)
        hits = [_describe(conn, expression, kind, ref_id) for kind, ref_id in found]
    return SearchResult(tuple(h for h in hits if h), min(count, COUNT_CAP), count > COUNT_CAP,
                        searched=" ".join(tokens), note=note)


def searched_words(text: str) -> tuple[list[str], str | None]:
    """The words that will be searched for, and what says they are not all of ``text``."""
    note = None
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        note = tr("Searched for the first {n} characters.").format(n=MAX_CHARS)
    tokens = fts.words(text)
    if len(tokens) > MAX_WORDS:
        tokens = tokens[:MAX_WORDS]
        note = tr("Searched for the first {n} words.").format(n=MAX_WORDS)
    return tokens, note


def _describe(conn, expression: str, kind: str, ref_id: int) -> Hit | None:  # noqa: ANN001
    if kind == "case":
        row = conn.exec_driver_sql("SELECT number, title, status FROM case_file WHERE id = ?",
                                   (ref_id,)).first()
        if row:
            return Hit(kind, ref_id, ref_id, f"{row[0]} — {row[1]}", f"Case · {row[2]}")
    elif kind == "subject":
        row = conn.exec_driver_sql(
            "SELECT name, kind, (SELECT count(*) FROM case_subject WHERE subject_id = s.id) "
            "FROM subject s WHERE id = ?", (ref_id,)).first()
        if row:
            return Hit(kind, ref_id, ref_id, row[0],
                       f"Subject · {row[1]} · on {row[2]} case{'s' if row[2] != 1 else ''}")
    elif kind == "note":
        row = conn.exec_driver_sql(
            "SELECT c.id, c.number FROM case_note n JOIN case_file c ON c.id = n.case_id "
            "WHERE n.id = ?", (ref_id,)).first()
        if row:
            return Hit(kind, row[0], ref_id, f"Note on {row[1]}",
                       fts.snippet_for(conn, expression, kind, ref_id))
    return None
