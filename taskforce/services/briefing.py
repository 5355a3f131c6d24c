"""What a case briefing holds, gathered on one connection and screened item by item.

Each releasable item (the case's own fields, notes, events, subjects, debriefs, support with
its feedback) passes `Screen.admit` before it is put in the briefing; what the recipient may
not receive never reaches the report code, so it cannot be printed, bookmarked or indexed by
mistake. Members are the task force's own people and always listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select, text

from taskforce.domain.debriefs import BriefingStatus, briefing_status
from taskforce.domain.enums import CaseMemberRole, CaseStatus, Priority, Statute, SubjectRole, label_of
from taskforce.domain.feedback import ObligationStatus, SupportKind, days_overdue, obligation_status
from taskforce.domain.release import ItemKind
from taskforce.services import caveats
from taskforce.services.release import (
    Releasable, Screen, case_origin,
)
from taskforce.services.tx import fetch_row
from taskforce.store import schema as S
from taskforce.store.queries import agency_label


def _d(value: object) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(str(value))


@dataclass(frozen=True)
class CaseSummary:
    """The case's own fields: one releasable item."""
    title: str
    lead_agency: str
    originating_agency: str
    case_type: str
    priority: str
    statutes: str
    caveats: str
    synopsis: str
    closed_reason: str


@dataclass(frozen=True)
class SubjectLine:
    name: str
    kind: str
    role: str
    dob: str
    nationality: str
    aliases: str
    identifiers: str


@dataclass(frozen=True)
class NoteLine:
    written: str
    author: str
    agency: str
    caveats: str
    body: str


@dataclass(frozen=True)
class EventLine:
    on: date
    kind: str
    lead_agency: str
    description: str
    outcome: str


@dataclass(frozen=True)
class DebriefLine:
    held_on: date
    place: str
    lead_agency: str
    defendant: str
    participants: tuple[tuple[str, str, str], ...]  # name, agency, role
    cbp_present: bool
    briefing: str  # "Owed", "Briefed 2026-07-03", "Waived 2026-07-02", "Not needed"


@dataclass(frozen=True)
class SupportLine:
    given_on: date
    from_agency: str
    to_agency: str
    kind: str
    description: str
    due_on: date
    status: ObligationStatus
    days_overdue: int
    feedback: str  # the results, or "" while none is recorded
    # results for the package's figures (0 when none)
    seizures: tuple[tuple[str, str, int], ...] = ()  # commodity, unit, value_usd
    days_to_feedback: int | None = None
    results: int = 0  # arrests, indictments, prosecutions and convictions reported


@dataclass(frozen=True)
class CaseBriefing:
    case_id: int
    number: str
    task_force: str
    status: str
    opened_on: date
    closed_on: date | None
    summary: CaseSummary | None  # None: withheld from this recipient
    members: tuple[tuple[str, str, str], ...]  # name, agency, role
    subjects: tuple[SubjectLine, ...]
    events: tuple[EventLine, ...]
    notes: tuple[NoteLine, ...]
    debriefs: tuple[DebriefLine, ...]
    support: tuple[SupportLine, ...]

    @property
    def open_obligations(self) -> tuple[SupportLine, ...]:
        """Support still waiting for feedback, overdue first."""
        return tuple(sorted((s for s in self.support if s.status is not ObligationStatus.CLOSED),
                            key=lambda s: (-s.days_overdue, s.due_on)))


class AgencyNames:
    """Agency labels, looked up once per document."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._cache: dict[int, str] = {}

    def __call__(self, agency_id: int | None) -> str:
        if agency_id is None:
            return ""
        if agency_id not in self._cache:
            self._cache[agency_id] = self._conn.exec_driver_sql(
                f"SELECT {agency_label('a')} FROM agency a WHERE a.id = ?", (agency_id,)).scalar() or ""
        return self._cache[agency_id]


def case_briefing(conn: Connection, case_id: int, screen: Screen, as_of: date,
                  names: AgencyNames | None = None) -> CaseBriefing:
    names = names or AgencyNames(conn)
    case = fetch_row(conn, S.case, case_id)
    origin = case_origin(case)
    case_keys = caveats.keys(conn, ItemKind.CASE, [case_id]).get(case_id, frozenset())
    in_case = (("case", case_id),)

    def item(kind: ItemKind, item_id: int, agency_id: int | None, keys: frozenset[str] = frozenset(),
             records: tuple[tuple[str, int], ...] = in_case) -> bool:
        return screen.admit(Releasable(kind, item_id, agency_id or origin, case_keys | keys, records))

    summary = None
    if item(ItemKind.CASE, case_id, origin, records=()):
        statutes = conn.execute(select(S.case_statute.c.statute)
                                .where(S.case_statute.c.case_id == case_id)).scalars().all()
        case_caveats = [name for _id, name in caveats.of_item(conn, ItemKind.CASE, case_id)]
        summary = CaseSummary(
            case["title"], names(case["lead_agency_id"]), names(case["originating_agency_id"]),
            case["case_type"], label_of(Priority, case["priority"]),
            ", ".join(label_of(Statute, s) for s in sorted(statutes, key=lambda s: (len(s), s))),
            ", ".join(case_caveats), case["synopsis"], case["closed_reason"])

    m, cm = S.member, S.case_member
    members = tuple((f"{r.given_names} {r.family_name}", names(r.home_agency_id), label_of(CaseMemberRole, r.role))
                    for r in conn.execute(select(m.c.given_names, m.c.family_name, m.c.home_agency_id, cm.c.role)
                                          .join(cm, cm.c.member_id == m.c.id).where(cm.c.case_id == case_id)
                                          .order_by(m.c.family_name, m.c.given_names)))

    subjects = []
    admitted_subjects: set[int] = set()
    subject_rows = conn.execute(text(
        "SELECT s.*, cs.role, "
        "(SELECT group_concat(a.name, '; ') FROM subject_alias a WHERE a.subject_id = s.id) AS aliases, "
        "(SELECT group_concat(i.kind || ' ' || i.value, '; ') FROM subject_identifier i "
        " WHERE i.subject_id = s.id) AS idents "
        "FROM subject s JOIN case_subject cs ON cs.subject_id = s.id WHERE cs.case_id = :c "
        "ORDER BY s.name"), {"c": case_id}).mappings().all()
    subject_keys = caveats.keys(conn, ItemKind.SUBJECT, [r["id"] for r in subject_rows])
    for r in subject_rows:
        if item(ItemKind.SUBJECT, r["id"], r["originating_agency_id"], subject_keys.get(r["id"], frozenset())):
            admitted_subjects.add(r["id"])
            subjects.append(SubjectLine(r["name"], r["kind"].capitalize(), label_of(SubjectRole, r["role"]),
                                        str(r["dob"] or ""), r["nationality"], r["aliases"] or "",
                                        (r["idents"] or "").replace("_", " ")))

    events = []
    event_rows = conn.execute(select(S.case_event).where(S.case_event.c.case_id == case_id)
                              .order_by(S.case_event.c.occurred_on, S.case_event.c.id)).mappings().all()
    event_keys = caveats.keys(conn, ItemKind.EVENT, [r["id"] for r in event_rows])
    for r in event_rows:
        if item(ItemKind.EVENT, r["id"], r["originating_agency_id"], event_keys.get(r["id"], frozenset())):
            events.append(EventLine(_d(r["occurred_on"]), r["kind"].replace("_", " ").capitalize(),
                                    names(r["lead_agency_id"]), r["description"], r["outcome"]))

    notes = []
    note_rows = conn.execute(select(S.case_note).where(S.case_note.c.case_id == case_id)
                             .order_by(S.case_note.c.written_at, S.case_note.c.id)).mappings().all()
    note_keys = caveats.keys(conn, ItemKind.NOTE, [r["id"] for r in note_rows])
    caveat_names = dict(conn.execute(select(S.caveat.c.ref_key, S.caveat.c.name)).all()) if note_keys else {}
    for r in note_rows:
        keys = note_keys.get(r["id"], frozenset())
        if item(ItemKind.NOTE, r["id"], r["originating_agency_id"], keys):
            notes.append(NoteLine(r["written_at"][:16].replace("T", " "), r["author"],
                                  names(r["originating_agency_id"] or origin),
                                  ", ".join(sorted(caveat_names.get(k) or k for k in keys)), r["body"]))

    debriefs = []
    debrief_rows = conn.execute(select(S.debrief).where(S.debrief.c.case_id == case_id)
                                .order_by(S.debrief.c.held_on, S.debrief.c.id)).mappings().all()
    debrief_keys = caveats.keys(conn, ItemKind.DEBRIEF, [r["id"] for r in debrief_rows])
    for r in debrief_rows:
        if not item(ItemKind.DEBRIEF, r["id"], r["lead_agency_id"], debrief_keys.get(r["id"], frozenset())):
            continue
        defendant = ""
        if r["defendant_subject_id"] is not None:
            sid = r["defendant_subject_id"]
            if sid in admitted_subjects:
                defendant = conn.execute(select(S.subject.c.name).where(S.subject.c.id == sid)).scalar() or ""
            else:  # the defendant's name is the subject record's: print it only if that is released
                subject = fetch_row(conn, S.subject, sid)
                keys = caveats.keys(conn, ItemKind.SUBJECT, [sid]).get(sid, frozenset())
                defendant = subject["name"] if item(ItemKind.SUBJECT, sid, subject["originating_agency_id"], keys) \
                    else "(a defendant)"
        participants = tuple(
            (p.name, names(p.agency_id), p.role.replace("_", " "))
            for p in conn.execute(text(
                "SELECT CASE WHEN p.member_id IS NOT NULL THEN m.given_names || ' ' || m.family_name "
                "ELSE p.outside_name END AS name, p.agency_id, p.role FROM debrief_participant p "
                "LEFT JOIN member m ON m.id = p.member_id WHERE p.debrief_id = :d ORDER BY p.id"),
                {"d": r["id"]}))
        status = briefing_status(bool(r["briefing_owed"]), _d(r["briefed_on"]), _d(r["waived_on"]))
        briefing = {BriefingStatus.BRIEFED: f"Briefed {r['briefed_on']}",
                    BriefingStatus.WAIVED: f"Waived {r['waived_on']}"}.get(status, status.label)
        debriefs.append(DebriefLine(_d(r["held_on"]), r["place"], names(r["lead_agency_id"]), defendant,
                                    participants, not r["briefing_owed"], briefing))

    support = []
    rows = conn.execute(select(S.support).where(S.support.c.case_id == case_id)
                        .order_by(S.support.c.given_on, S.support.c.id)).mappings().all()
    support_keys = caveats.keys(conn, ItemKind.SUPPORT, [r["id"] for r in rows])
    for r in rows:
        if not item(ItemKind.SUPPORT, r["id"], r["originating_agency_id"] or r["from_agency_id"],
                    support_keys.get(r["id"], frozenset())):
            continue  # its feedback is part of the same record and goes with it
        feedback_text, seizures, days, results = "", (), None, 0
        fb = conn.execute(select(S.feedback).where(S.feedback.c.support_id == r["id"])).mappings().first()
        if fb is not None and item(ItemKind.FEEDBACK, fb["id"], r["to_agency_id"],
                                   support_keys.get(r["id"], frozenset()),
                                   (("support", r["id"]), ("case", case_id))):
            seizures = tuple(conn.execute(select(S.seizure.c.commodity, S.seizure.c.unit, S.seizure.c.value_usd)
                                          .where(S.seizure.c.feedback_id == fb["id"])).all())
            feedback_text = _feedback_text(fb, seizures)
            days = (_d(fb["reported_on"]) - _d(r["given_on"])).days
            results = fb["arrests"] + fb["indictments"] + fb["prosecutions"] + fb["convictions"]
        due, closed = _d(r["feedback_due_on"]), _d(r["feedback_closed_on"])
        support.append(SupportLine(
            _d(r["given_on"]), names(r["from_agency_id"]), names(r["to_agency_id"]),
            label_of(SupportKind, r["kind"]), r["description"], due,
            obligation_status(closed, due, as_of), days_overdue(closed, due, as_of),
            feedback_text, seizures, days, results))

    return CaseBriefing(case_id, case["number"], _task_force_name(conn, case["task_force_id"]),
                        label_of(CaseStatus, case["status"]), _d(case["opened_on"]), _d(case["closed_on"]),
                        summary, members, tuple(subjects), tuple(events), tuple(notes), tuple(debriefs),
                        tuple(support))


def _feedback_text(fb: dict, seizures: tuple) -> str:
    if fb["no_action"]:
        return f"{fb['reported_on']}: no action — {fb['no_action_reason']}"
    parts = [f"{n} {what}{'s' if n != 1 else ''}" for n, what in (
        (fb["arrests"], "arrest"), (fb["indictments"], "indictment"), (fb["prosecutions"], "prosecution"),
        (fb["convictions"], "conviction")) if n]
    if seizures:
        parts.append("seized " + ", ".join(f"{c}" + (f" (${v:,})" if v else "") for c, _u, v in seizures))
    if fb["penalties_usd"]:
        parts.append(f"penalties ${fb['penalties_usd']:,}")
    if fb["other"]:
        parts.append(fb["other"])
    return f"{fb['reported_on']}: " + ("; ".join(parts) or "results recorded")


def _task_force_name(conn: Connection, task_force_id: int) -> str:
    return conn.execute(select(S.task_force.c.name).where(S.task_force.c.id == task_force_id)).scalar_one()


def case_id_by_number(conn: Connection, number: str) -> int | None:
    return conn.execute(select(S.case.c.id).where(S.case.c.number == number.strip())).scalar()
