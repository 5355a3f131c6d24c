"""Deconfliction: subjects on other cases that may be the same person or organization.

Suggestions are computed, never stored. Blocking in SQL picks the candidates, using only the
indexes that exist (no column or index is added for this):
- an identifier of the same kind and value (ix_subject_identifier_value; a few spellings of
  the value: as typed, upper, lower, without spaces and dashes);
- a stored name beginning like one of the subject's words (ix_subject_name, as index ranges for
  each upper/lower spelling of the first three letters; while more than BLOCK_CAP names begin
  so, one more letter is used: 'Mar' → 'Mari'), so 'Given Family' and 'Family, Given' meet;
- an alias beginning so (one pass over subject_alias, which has no index on its name);
- the same date of birth (one pass over subject, which has no index on it).
The two passes are made once for all subjects of a case. A candidate found only by its name
is scored on its names alone first, then the few that can reach MIN_SCORE are scored fully in
Python (domain.deconfliction.score_match). 151,000 demo subjects: about 70 ms per subject.

A user's decision is stored in subject_match (smaller id first) with who and when; a
confirmed pair is shown as linked on both subjects; nothing is ever merged. Decided pairs,
either way, are not suggested again.

Audit: the decision row is written with root = the subject with the smaller id, and a second
audit row (same change) carries it to the other subject's History, so both show it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Date, Result, bindparam, text

from taskforce.domain.deconfliction import (
    MIN_SCORE, PREFIX_LENGTH, MatchDecision, MatchDecisionData, NameMatcher, SubjectFacts, blocking_words,
    case_variants, combined_score, identifier_lookup_values, ordered_pair, prefix_range, score_match,
)
from taskforce.domain.errors import NotFound, TaskforceError
from taskforce.i18n import tr
from taskforce.services.context import Change, Context
from taskforce.services.tx import Tx, as_text, change_of, fetch_row, read, write
from taskforce.store import schema as S

SUGGESTION_LIMIT = 20  # per subject, best first
BLOCK_CAP = 1500  # names per blocking prefix: a longer prefix is used while more begin so
_CHUNK = 500  # ids per IN (…) list


@dataclass(frozen=True)
class MatchSuggestion:
    subject_id: int  # the subject the suggestion is for
    subject_name: str
    other_id: int
    other_name: str
    other_dob: date | None
    other_cases: tuple[str, ...]  # numbers of the cases the other subject is on
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MatchLink:
    """A decided pair, seen from ``subject_id``."""

    match_id: int
    subject_id: int
    subject_name: str
    other_id: int
    other_name: str
    other_cases: tuple[str, ...]
    decision: MatchDecision
    decided_at: str
    decided_by: str
    score: int


@dataclass(frozen=True)
class SubjectMatches:
    subject_id: int
    subject_name: str
    suggestions: tuple[MatchSuggestion, ...]
    links: tuple[MatchLink, ...]  # confirmed
    dismissed: tuple[MatchLink, ...]


@dataclass(frozen=True)
class CaseMatches:
    case_id: int
    number: str
    suggestions: tuple[MatchSuggestion, ...]
    links: tuple[MatchLink, ...]  # confirmed, for the case's subjects


# --- reading what a subject is compared by ----------------------------------------------------

def _d(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _chunks(ids: Iterable[int]) -> Iterable[str]:
    ids = sorted(set(ids))
    for i in range(0, len(ids), _CHUNK):
        yield ", ".join(str(int(x)) for x in ids[i:i + _CHUNK])  # ints only: safe to inline


def _q(conn: Connection, sql: str, **params: object) -> Result:
    """A text() query with named parameters: a list expands to IN (…), a date binds as a date."""
    binds = []
    for key, value in params.items():
        first = value[0] if isinstance(value, list) and value else value
        binds.append(bindparam(key, expanding=isinstance(value, list), type_=Date if isinstance(first, date) else None))
    return conn.execute(text(sql).bindparams(*binds), params)


def _facts(conn: Connection, ids: Iterable[int]) -> dict[int, SubjectFacts]:
    rows: dict[int, tuple] = {}
    aliases: dict[int, list[str]] = {}
    idents: dict[int, list[tuple[str, str]]] = {}
    for marks in _chunks(ids):
        for r in _q(conn, f"SELECT id, kind, name, dob FROM subject WHERE id IN ({marks})"):
            rows[r[0]] = (r[1], r[2], _d(r[3]))
        for sid, name in _q(conn, f"SELECT subject_id, name FROM subject_alias WHERE subject_id IN ({marks}) "
                                  "ORDER BY id"):
            aliases.setdefault(sid, []).append(name)
        for sid, kind, value in _q(conn, "SELECT subject_id, kind, value FROM subject_identifier "
                                         f"WHERE subject_id IN ({marks}) ORDER BY id"):
            idents.setdefault(sid, []).append((kind, value))
    return {sid: SubjectFacts(sid, kind, (name, *aliases.get(sid, ())), dob, tuple(idents.get(sid, ())))
            for sid, (kind, name, dob) in rows.items()}


def _case_numbers(conn: Connection, ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    for marks in _chunks(ids):
        for sid, number in _q(
                conn, "SELECT cs.subject_id, c.number FROM case_subject cs JOIN case_file c ON c.id = cs.case_id "
                f"WHERE cs.subject_id IN ({marks}) ORDER BY c.number"):
            out.setdefault(sid, []).append(number)
    return {k: tuple(v) for k, v in out.items()}


def _decided(conn: Connection, subject_id: int) -> set[int]:
    return {r[0] for r in _q(conn, "SELECT subject_b_id FROM subject_match WHERE subject_a_id = :s "
                                   "UNION SELECT subject_a_id FROM subject_match WHERE subject_b_id = :s", s=subject_id)}


# --- blocking and scoring ---------------------------------------------------------------------

def _scans(conn: Connection, sources: list[SubjectFacts]) -> tuple[dict, dict]:
    """The two blocks without an index, done once for all ``sources``: subjects by date of birth
    ({dob: [(id, kind)]}) and aliases by their first letters ({head: {subject ids}})."""
    by_dob: dict[date, list[tuple[int, str]]] = {}
    dobs = sorted({me.dob for me in sources if me.dob is not None})
    for i in range(0, len(dobs), _CHUNK):
        for sid, kind, dob in _q(conn, "SELECT id, kind, dob FROM subject WHERE dob IN :dobs",
                                 dobs=dobs[i:i + _CHUNK]):
            by_dob.setdefault(_d(dob), []).append((sid, kind))
    by_head: dict[str, set[int]] = {}
    heads = sorted({w[:PREFIX_LENGTH] for me in sources for w in blocking_words(me.names)})
    spellings = sorted({v for h in heads for v in case_variants(h)})
    for i in range(0, len(spellings), _CHUNK):
        # substr(…) IN (spellings) compares stored text as is: several times faster than lower()
        for sid, head in _q(conn, f"SELECT subject_id, substr(name, 1, {PREFIX_LENGTH}) FROM subject_alias "
                                  f"WHERE substr(name, 1, {PREFIX_LENGTH}) IN :heads", heads=spellings[i:i + _CHUNK]):
            by_head.setdefault(head.lower(), set()).add(sid)
    return by_dob, by_head


def _on_other_case(conn: Connection, ids: set[int], my_cases: set[int]) -> set[int]:
    """Those of ``ids`` on at least one case that is not one of ``my_cases``."""
    out = set()
    for marks in _chunks(ids):
        out.update(sid for sid, case_id in _q(
            conn, f"SELECT subject_id, case_id FROM case_subject WHERE subject_id IN ({marks})")
            if case_id not in my_cases)
    return out


def _name_ranges(conn: Connection, word: str) -> list[tuple[str, str]]:
    """Index ranges of the stored names that begin like ``word``: its first PREFIX_LENGTH letters,
    one more letter at a time while more than BLOCK_CAP names still begin so ('Mar' → 'Mari')."""
    length = min(PREFIX_LENGTH, len(word))
    while True:
        ranges = [prefix_range(v) for v in case_variants(word[:length])]
        if length >= len(word):
            return ranges
        count = " + ".join(f"(SELECT count(*) FROM (SELECT 1 FROM subject WHERE name >= :lo{i} AND name < :hi{i} "
                           f"LIMIT {BLOCK_CAP + 1}) AS c{i})" for i in range(len(ranges)))
        if _q(conn, f"SELECT {count}", **_range_params(ranges)).scalar() <= BLOCK_CAP:
            return ranges
        length += 1


def _range_params(ranges: list[tuple[str, str]]) -> dict[str, str]:
    return {f"{side}{i}": value for i, pair in enumerate(ranges) for side, value in zip(("lo", "hi"), pair)}


def _blocked(conn: Connection, me: SubjectFacts, my_cases: set[int], by_dob: dict,
             by_head: dict) -> tuple[set[int], dict[int, tuple]]:
    """Candidates on a case ``me`` is not on: (ids sharing an identifier or the date of birth,
    {id: (id, kind, name, dob)} of those with a name or alias beginning like one of mine)."""
    strong: set[int] = set()
    for kind, value in me.identifiers:
        values = identifier_lookup_values(value)
        strong.update(r[0] for r in _q(conn, "SELECT subject_id FROM subject_identifier "
                                             "WHERE kind = :kind AND value IN :values", kind=kind, values=list(values)))
    if me.dob is not None:
        strong.update(sid for sid, kind in by_dob.get(me.dob, ()) if kind == me.kind)
    named: dict[int, tuple] = {}
    words = blocking_words(me.names)
    for word in sorted(words):
        ranges = _name_ranges(conn, word)
        inner = " UNION ALL ".join(
            f"SELECT id FROM (SELECT id FROM subject WHERE name >= :lo{i} AND name < :hi{i} LIMIT {BLOCK_CAP}) AS r{i}"
            for i in range(len(ranges)))
        for r in _q(conn, f"SELECT s.id, s.kind, s.name, s.dob FROM ({inner}) AS b JOIN subject s ON s.id = b.id "
                          "WHERE s.kind = :kind", kind=me.kind, **_range_params(ranges)):
            named[r[0]] = tuple(r)
    by_alias = set().union(*(by_head.get(w[:PREFIX_LENGTH], set()) for w in words)) - named.keys()
    for marks in _chunks(by_alias):
        for r in _q(conn, f"SELECT id, kind, name, dob FROM subject WHERE id IN ({marks}) AND kind = :kind",
                    kind=me.kind):
            named[r[0]] = tuple(r)
    # "on a different case": at least one case the subject is not on (any case, if it has none)
    elsewhere = _on_other_case(conn, (strong | named.keys()) - {me.id}, my_cases)
    return strong & elsewhere, {k: v for k, v in named.items() if k in elsewhere}


def _suggest(conn: Connection, me: SubjectFacts, limit: int, by_dob: dict,
             by_head: dict) -> list[tuple[int, int, tuple[str, ...]]]:
    """(other id, score, reasons) for one subject, best first."""
    my_cases = {r[0] for r in _q(conn, "SELECT case_id FROM case_subject WHERE subject_id = :s", s=me.id)}
    strong, named = _blocked(conn, me, my_cases, by_dob, by_head)
    decided = _decided(conn, me.id)
    # a candidate found only by its name (no shared identifier or date of birth) is kept when
    # its names, aliases included, reach the threshold with dates of birth unknown
    weak = named.keys() - strong - decided
    aliases: dict[int, list[str]] = {}
    for marks in _chunks(weak):
        for sid, alias in _q(conn, f"SELECT subject_id, name FROM subject_alias WHERE subject_id IN ({marks})"):
            aliases.setdefault(sid, []).append(alias)
    matcher = NameMatcher(me.names)
    keep = {sid for sid in weak if combined_score(
        max(matcher.similarity(n) for n in (named[sid][2], *aliases.get(sid, ()))), None) >= MIN_SCORE}
    scored = []
    for sid, facts in _facts(conn, (strong - decided) | keep).items():
        result = score_match(me, facts)
        if result.suggested:
            scored.append((sid, result.score, result.reasons, facts.names[0]))
    scored.sort(key=lambda x: (-x[1], x[3], x[0]))
    return [(sid, score, reasons) for sid, score, reasons, _name in scored[:limit]]


def _suggestions_for(conn: Connection, subject_ids: Iterable[int], limit: int) -> list[MatchSuggestion]:
    facts = _facts(conn, subject_ids)
    by_dob, by_head = _scans(conn, list(facts.values()))
    found = [(me, _suggest(conn, me, limit, by_dob, by_head)) for me in facts.values()]
    others = {sid for _me, rows in found for sid, _s, _r in rows}
    other_facts = _facts(conn, others)
    numbers = _case_numbers(conn, others)
    return [MatchSuggestion(me.id, me.names[0], sid, other_facts[sid].names[0], other_facts[sid].dob,
                            numbers.get(sid, ()), score, reasons)
            for me, rows in found for sid, score, reasons in rows]


def case_id_for_number(ctx: Context, number: str) -> int:
    with read(ctx) as conn:
        case_id = conn.execute(text("SELECT id FROM case_file WHERE number = :n"), {"n": number.strip()}).scalar()
    if case_id is None:
        raise NotFound(tr(f"No case is numbered {number.strip()}."))
    return case_id


def suggest_matches(ctx: Context, subject_id: int, limit: int = SUGGESTION_LIMIT) -> tuple[MatchSuggestion, ...]:
    """Subjects on other cases that may be this one, best first, at most ``limit``."""
    with read(ctx) as conn:
        fetch_row(conn, S.subject, subject_id)
        return tuple(_suggestions_for(conn, [subject_id], limit))


def case_suggestions(ctx: Context, case_id: int, limit: int = SUGGESTION_LIMIT) -> tuple[MatchSuggestion, ...]:
    """Suggestions for every subject of a case; a pair found from both sides is listed once."""
    with read(ctx) as conn:
        fetch_row(conn, S.case, case_id)
        mine = [r[0] for r in _q(conn, "SELECT subject_id FROM case_subject WHERE case_id = :c", c=case_id)]
        found = _suggestions_for(conn, mine, limit)
    best: dict[tuple[int, int], MatchSuggestion] = {}
    for s in found:
        pair = ordered_pair(s.subject_id, s.other_id)
        if pair not in best or s.score > best[pair].score:
            best[pair] = s
    return tuple(sorted(best.values(), key=lambda s: (-s.score, s.subject_name, s.other_name)))


# --- decisions --------------------------------------------------------------------------------

def _audit_other_side(tx: Tx, match_id: int, other: int, action: str, values: dict) -> None:
    """The same change, shown in the second subject's History too."""
    if action == "create":
        tx.audit("create", "subject_match", match_id, ("subject", other),
                 new=json.dumps({k: as_text(v) for k, v in values.items()}, ensure_ascii=False))
    else:
        for field, (old, new) in values.items():
            tx.audit("update", "subject_match", match_id, ("subject", other), field, as_text(old), as_text(new))


def decide_match(ctx: Context, subject_id: int, other_id: int, decision: str,
                 score: int | None = None) -> Change:
    """Record a user's decision on a pair (confirm: linked, dismiss: not suggested again).
    Deciding an already decided pair changes the decision, audited as old → new."""
    MatchDecisionData(subject_id, other_id, decision).check()
    a, b = ordered_pair(subject_id, other_id)
    with write(ctx) as tx:
        fetch_row(tx.conn, S.subject, a)
        fetch_row(tx.conn, S.subject, b)
        if score is None:
            facts = _facts(tx.conn, (a, b))
            score = score_match(facts[a], facts[b]).score
        values = {"decision": decision, "decided_at": tx.at, "decided_by": ctx.actor.app_user,
                  "score": int(score)}
        existing = tx.conn.execute(text("SELECT id FROM subject_match WHERE subject_a_id = :a AND subject_b_id = :b"),
                                   {"a": a, "b": b}).scalar()
        if existing is None:
            row = {"subject_a_id": a, "subject_b_id": b, **values}
            match_id = tx.insert(S.subject_match, row, ("subject", a))
            _audit_other_side(tx, match_id, b, "create", row)
        else:
            match_id = existing
            current = tx.get(S.subject_match, match_id)
            if current["decision"] == decision:
                raise TaskforceError(tr(
                    f"This pair was already {MatchDecision(decision).label.lower()} by "
                    f"{current['decided_by']} on {current['decided_at'][:10]}."))
            changed = tx.update(S.subject_match, match_id, values, ("subject", a))
            _audit_other_side(tx, match_id, b, "update", changed)
        return change_of(tx, match_id)


def undo_match(ctx: Context, match_id: int) -> Change:
    """Forget a decision (audited on both subjects): the pair may be suggested again."""
    with write(ctx) as tx:
        row = tx.get(S.subject_match, match_id)
        tx.delete(S.subject_match, match_id, ("subject", row["subject_a_id"]))
        tx.audit("delete", "subject_match", match_id, ("subject", row["subject_b_id"]),
                 old=json.dumps({k: as_text(v) for k, v in row.items() if k != "id"}, ensure_ascii=False))
        return change_of(tx, match_id)


def _links(conn: Connection, subject_ids: list[int]) -> list[MatchLink]:
    if not subject_ids:
        return []
    marks = ", ".join(str(int(i)) for i in subject_ids)
    rows = _q(
        conn,
        "SELECT id, subject_a_id, subject_b_id, decision, decided_at, decided_by, score FROM subject_match "
        f"WHERE subject_a_id IN ({marks}) UNION "
        "SELECT id, subject_a_id, subject_b_id, decision, decided_at, decided_by, score FROM subject_match "
        f"WHERE subject_b_id IN ({marks})").all()
    wanted = set(subject_ids)
    seen = [(r, me) for r in rows for me in (r[1], r[2]) if me in wanted]
    everyone = {r[1] for r in rows} | {r[2] for r in rows}
    names = {sid: f.names[0] for sid, f in _facts(conn, everyone).items()}
    numbers = _case_numbers(conn, everyone)
    out = []
    for r, me in seen:
        other = r[2] if me == r[1] else r[1]
        out.append(MatchLink(r[0], me, names.get(me, ""), other, names.get(other, ""), numbers.get(other, ()),
                             MatchDecision(r[3]), r[4], r[5], r[6]))
    return sorted(out, key=lambda link: (link.subject_name, link.other_name, link.match_id))


def subject_matches(ctx: Context, subject_id: int, limit: int = SUGGESTION_LIMIT) -> SubjectMatches:
    with read(ctx) as conn:
        row = fetch_row(conn, S.subject, subject_id)
        suggestions = tuple(_suggestions_for(conn, [subject_id], limit))
        links = _links(conn, [subject_id])
    return SubjectMatches(subject_id, row["name"], suggestions,
                          tuple(x for x in links if x.decision == MatchDecision.CONFIRMED),
                          tuple(x for x in links if x.decision == MatchDecision.DISMISSED))


def linked_subjects(ctx: Context, subject_id: int) -> tuple[MatchLink, ...]:
    """Subjects confirmed to be the same as this one (the records stay separate)."""
    with read(ctx) as conn:
        return tuple(x for x in _links(conn, [subject_id]) if x.decision == MatchDecision.CONFIRMED)


def case_matches(ctx: Context, case_id: int, limit: int = SUGGESTION_LIMIT) -> CaseMatches:
    suggestions = case_suggestions(ctx, case_id, limit)
    with read(ctx) as conn:
        number = fetch_row(conn, S.case, case_id)["number"]
        mine = [r[0] for r in _q(conn, "SELECT subject_id FROM case_subject WHERE case_id = :c", c=case_id)]
        links = [x for x in _links(conn, mine) if x.decision == MatchDecision.CONFIRMED]
    # a pair of two subjects both on this case shows once
    unique: dict[int, MatchLink] = {}
    for link in links:
        unique.setdefault(link.match_id, link)
    return CaseMatches(case_id, number, suggestions, tuple(unique.values()))
