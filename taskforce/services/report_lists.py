"""Read queries behind the four list reports (roster, feedback status, debrief participation,
working group), each on the caller's connection so a report reads one consistent snapshot.

They return plain rows in the order the report prints them; the report screens the
releasable ones (support, debriefs: rule 6) before using anything in them. Everything is SQL
with ORDER BY so the printed order never depends on Python's iteration over a big table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

from taskforce.domain.errors import NotFound
from taskforce.i18n import tr
from taskforce.store.rule_sql import renewal_sql, status_sql

SHORT = "CASE WHEN {a}.abbreviation <> '' THEN {a}.abbreviation ELSE {a}.name END"
# a heading's agency: its name first, so headings sorted by name read in order
_NAMED = "{a}.name || CASE WHEN {a}.abbreviation <> '' THEN ' (' || {a}.abbreviation || ')' ELSE '' END"
_CHUNK = 500  # ids per IN (...) list: well under SQLite's parameter limit


def as_date(value: object) -> date | None:
    """Dates read through text() come back as ISO strings."""
    if value is None or isinstance(value, date):
        return value  # type: ignore[return-value]
    return date.fromisoformat(str(value))


@dataclass(frozen=True)
class Scope:
    """The task force a report is limited to; ``id`` None means every task force."""
    id: int | None
    name: str

    @property
    def title(self) -> str:
        return self.name or tr("all task forces")


def scope_of(conn: Connection, task_force_name: str) -> Scope:
    """The task force the user named (exactly, ignoring case), or every task force for ''."""
    wanted = (task_force_name or "").strip()
    if not wanted:
        return Scope(None, "")
    row = conn.execute(text("SELECT id, name FROM task_force WHERE name = :n COLLATE NOCASE ORDER BY id"),
                       {"n": wanted}).first()
    if row is None:
        raise NotFound(tr(f"No task force called '{wanted}'."))
    return Scope(row[0], row[1])


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(set(ids))
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


# --- roster ---------------------------------------------------------------------------------

# a member is on a task force's roster while an assignment to it runs on the day of the report
_ON_TASK_FORCE = ("(:tf IS NULL OR EXISTS (SELECT 1 FROM assignment a WHERE a.member_id = m.id "
                  "AND a.task_force_id = :tf AND a.start <= :d AND (a.\"end\" IS NULL OR a.\"end\" >= :d)))")


def roster_members(conn: Connection, scope: Scope, as_of: date) -> list:
    """(id, name, rank, agency_id, "ICE HSI Seattle (HSI SEA)"), by agency name then member name."""
    return conn.execute(text(
        f"SELECT m.id, m.family_name || ', ' || m.given_names AS name, m.rank_title, m.home_agency_id, "
        f"{_NAMED.format(a='h')} AS agency FROM member m JOIN agency h ON h.id = m.home_agency_id "
        f"WHERE {_ON_TASK_FORCE} ORDER BY h.name COLLATE NOCASE, h.id, m.family_name COLLATE NOCASE, "
        "m.given_names COLLATE NOCASE, m.id"), {"tf": scope.id, "d": as_of.isoformat()}).all()


def roster_designations(conn: Connection, scope: Scope, as_of: date) -> list:
    """(member_id, label, citation, granting agency, effective, expires, status, renewal), by
    expiry: ``status`` and ``renewal`` as ``services.roster`` (rule 7's one definition)."""
    return conn.execute(text(
        f"SELECT t.member_id, auth.label, auth.citation, {SHORT.format(a='g')}, t.effective, t.expires, "
        f"{status_sql('t', ':d')}, {renewal_sql('t')} "
        "FROM designation t JOIN member m ON m.id = t.member_id "
        "JOIN agency g ON g.id = t.granting_agency_id "
        "JOIN designation_authority auth ON auth.code = t.authority "
        f"WHERE {_ON_TASK_FORCE} ORDER BY t.member_id, t.expires IS NULL, t.expires, t.id"),
        {"tf": scope.id, "d": as_of.isoformat()}).all()


def roster_training(conn: Connection, scope: Scope, as_of: date) -> list:
    """(member_id, course, provider, completed), newest first per member."""
    return conn.execute(text(
        "SELECT t.member_id, t.course, t.provider, t.completed FROM training t "
        f"JOIN member m ON m.id = t.member_id WHERE {_ON_TASK_FORCE} "
        "ORDER BY t.member_id, t.completed DESC, t.id"), {"tf": scope.id, "d": as_of.isoformat()}).all()


# --- support and feedback -------------------------------------------------------------------

def support_rows(conn: Connection, scope: Scope, as_of: date) -> list:
    """Support given by ``as_of``: id, given_on, from/to (ids and short names), kind, case
    (id, number), due, closed (NULL when closed after ``as_of``), originating agency."""
    return conn.execute(text(
        f"SELECT s.id, s.given_on, s.from_agency_id, {SHORT.format(a='g')} AS giver, s.to_agency_id, "
        f"{SHORT.format(a='r')} AS receiver, s.kind, s.case_id, coalesce(c.number, '') AS case_number, "
        "s.feedback_due_on, CASE WHEN s.feedback_closed_on <= :d THEN s.feedback_closed_on END AS closed, "
        "coalesce(s.originating_agency_id, s.from_agency_id) AS origin "
        "FROM support s JOIN agency g ON g.id = s.from_agency_id JOIN agency r ON r.id = s.to_agency_id "
        "LEFT JOIN case_file c ON c.id = s.case_id "
        "WHERE s.given_on <= :d AND (:tf IS NULL OR s.task_force_id = :tf) "
        "ORDER BY s.feedback_due_on, s.id"), {"tf": scope.id, "d": as_of.isoformat()}).all()


# --- debriefs -------------------------------------------------------------------------------

_DEBRIEF_SQL = (
    f"SELECT d.id, d.case_id, c.number AS case_number, d.held_on, d.lead_agency_id, "
    f"{SHORT.format(a='lead')} AS lead, d.defendant_subject_id, d.place, d.briefing_owed, d.briefed_on, "
    "d.waived_on, coalesce(c.originating_agency_id, c.lead_agency_id) AS case_origin "
    "FROM debrief d JOIN case_file c ON c.id = d.case_id JOIN agency lead ON lead.id = d.lead_agency_id ")
_OPEN = "(d.briefing_owed AND d.briefed_on IS NULL AND d.waived_on IS NULL)"


def debriefs_held(conn: Connection, scope: Scope, start: date, end: date) -> list:
    """Debriefs held from ``start`` to ``end`` (both included), oldest first."""
    return conn.execute(text(
        _DEBRIEF_SQL + "WHERE d.held_on >= :a AND d.held_on <= :b AND (:tf IS NULL OR c.task_force_id = :tf) "
        "ORDER BY d.held_on, d.id"), {"a": start.isoformat(), "b": end.isoformat(), "tf": scope.id}).all()


def briefings_owed(conn: Connection, scope: Scope, end: date) -> list:
    """Every briefing still owed for a debrief held by ``end`` (rule 3), oldest first."""
    return conn.execute(text(
        _DEBRIEF_SQL + f"WHERE {_OPEN} AND d.held_on <= :b AND (:tf IS NULL OR c.task_force_id = :tf) "
        "ORDER BY d.held_on, d.id"), {"b": end.isoformat(), "tf": scope.id}).all()


def debrief_participants(conn: Connection, debrief_ids: Iterable[int]) -> dict[int, list[tuple[str, str, str]]]:
    """debrief id -> [(name, agency short name, role)] in the order they were recorded."""
    out: dict[int, list[tuple[str, str, str]]] = {}
    for part in _chunks(debrief_ids):
        marks = ", ".join(str(int(i)) for i in part)
        for r in conn.execute(text(
                "SELECT p.debrief_id, CASE WHEN p.member_id IS NOT NULL "
                "THEN m.given_names || ' ' || m.family_name ELSE p.outside_name END, "
                f"{SHORT.format(a='a')}, p.role FROM debrief_participant p "
                "LEFT JOIN member m ON m.id = p.member_id JOIN agency a ON a.id = p.agency_id "
                f"WHERE p.debrief_id IN ({marks}) ORDER BY p.debrief_id, p.id")):
            out.setdefault(r[0], []).append((r[1], r[2], r[3]))
    return out


def subjects_by_id(conn: Connection, subject_ids: Iterable[int]) -> dict[int, tuple[str, int | None]]:
    """subject id -> (name, originating agency id)."""
    out: dict[int, tuple[str, int | None]] = {}
    for part in _chunks(subject_ids):
        marks = ", ".join(str(int(i)) for i in part)
        for r in conn.execute(text(f"SELECT id, name, originating_agency_id FROM subject WHERE id IN ({marks})")):
            out[r[0]] = (r[1], r[2])
    return out


# --- working group ----------------------------------------------------------------------------

def action_item_rows(conn: Connection, scope: Scope) -> list:
    """Action items with their owner (a member, with home agency, or an agency), task force and
    meeting; by owner, then due date."""
    return conn.execute(text(
        "SELECT t.id, t.title, t.due_on, t.status, t.done_on, tf.name AS task_force, mt.held_on AS meeting, "
        "CASE WHEN om.id IS NOT NULL THEN 'm' || om.id ELSE 'a' || coalesce(oa.id, 0) END AS owner_key, "
        "CASE WHEN om.id IS NOT NULL THEN om.family_name || ', ' || om.given_names || ' (' || "
        f"{SHORT.format(a='oh')} || ')' ELSE coalesce({_NAMED.format(a='oa')}, '') END AS owner "
        "FROM action_item t JOIN task_force tf ON tf.id = t.task_force_id "
        "LEFT JOIN member om ON om.id = t.owner_member_id LEFT JOIN agency oh ON oh.id = om.home_agency_id "
        "LEFT JOIN agency oa ON oa.id = t.owner_agency_id LEFT JOIN meeting mt ON mt.id = t.meeting_id "
        "WHERE (:tf IS NULL OR t.task_force_id = :tf) "
        "ORDER BY owner COLLATE NOCASE, owner_key, t.due_on, t.id"), {"tf": scope.id}).all()
