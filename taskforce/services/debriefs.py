"""Debriefs: who sat in on a defendant interview, and the briefing owed when no CBP officer did.

DOMAIN.md rule 3 (001 Presence of CBP Officers During Interviews). ``debrief.briefing_owed`` is
set when the debrief is recorded and re-evaluated whenever its participants change: TRUE
exactly when no participant's agency is CBP or one of its units. The obligation is open while
``briefing_owed AND briefed_on IS NULL AND waived_on IS NULL``; it is owed by
``lead_agency_id`` (the investigating agency) and due on ``held_on``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select, text

from taskforce.domain.debriefs import (
    BriefingData, BriefingStatus, DebriefData, DebriefParticipant, WaiverData, briefing_owed,
    briefing_status, closing_date_problem, is_cbp, owed_days,
)
from taskforce.domain.errors import Conflict, FieldError, ValidationFailed
from taskforce.domain.release import ItemKind
from taskforce.i18n import tr
from taskforce.services import caveats
from taskforce.services.context import Change, Context
from taskforce.services.lists import Column, Filter, ListSpec
from taskforce.services.tx import Tx, change_of, fetch_row, read, refuse_future, write
from taskforce.store import schema as S
from taskforce.store.queries import agency_ancestors, agency_label

# the obligation's state, as SQL (the same order of precedence as domain.briefing_status)
BRIEFING_SQL = ("CASE WHEN {d}.briefed_on IS NOT NULL THEN 'briefed' "
                "WHEN {d}.waived_on IS NOT NULL THEN 'waived' "
                "WHEN {d}.briefing_owed THEN 'owed' ELSE 'not_needed' END")
OPEN_SQL = "({d}.briefing_owed AND {d}.briefed_on IS NULL AND {d}.waived_on IS NULL)"
_SHORT = "CASE WHEN {a}.abbreviation <> '' THEN {a}.abbreviation ELSE {a}.name END"


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    member_id: int | None
    name: str
    agency_id: int
    agency: str
    role: str
    is_cbp: bool


@dataclass(frozen=True)
class DebriefDetail:
    id: int
    data: DebriefData
    case_number: str
    defendant: str
    lead_agency: str
    participants: tuple[ParticipantRow, ...]
    briefing_owed: bool
    status: BriefingStatus
    briefed_on: date | None
    briefed_by: str
    briefed_to: str
    briefing_summary: str
    waived_on: date | None
    waiver_reason: str
    owed_days: int | None  # as of the day asked, while the obligation is open
    caveats: tuple[str, ...] = ()  # names, for the header's labels

    @property
    def is_open(self) -> bool:
        return self.status is BriefingStatus.OWED


@dataclass(frozen=True)
class DebriefRow:
    id: int
    case_id: int
    case_number: str
    held_on: date
    defendant: str
    lead_agency: str
    place: str
    participants: str  # "Mara Quill (interviewer); Helen Marsh (counsel)"
    cbp_present: bool
    status: BriefingStatus
    owed_days: int | None


@dataclass(frozen=True)
class DebriefPage:
    rows: tuple[DebriefRow, ...]
    total: int  # all that match, though only ``limit`` rows are returned


# --- writing --------------------------------------------------------------------------------

def _participant_values(tx: Tx, data: DebriefData) -> list[dict]:
    """Rows to store; a member's agency defaults to their home agency."""
    rows = []
    for p in data.participants:
        agency_id = p.agency_id
        if p.member_id:
            home = fetch_row(tx.conn, S.member, p.member_id)["home_agency_id"]
            agency_id = agency_id or home
        rows.append({"member_id": p.member_id or None,
                     "outside_name": "" if p.member_id else p.outside_name.strip(),
                     "agency_id": agency_id, "role": p.role})
    return rows


def _owed(conn: Connection, participants: list[dict]) -> bool:
    """Rule 3: owed when no participant is a CBP officer. A member is judged by their own home
    agency, whatever agency was typed beside them (an ICE agent "for CBP" is no CBP officer);
    an outside person by the agency given."""
    chains = [[ref for _i, ref, _n in agency_ancestors(conn, a)] for a in set(_presence_agencies(conn, participants))]
    return briefing_owed(chains)


def _presence_agencies(conn: Connection, participants: list[dict]) -> list[int]:
    return [fetch_row(conn, S.member, r["member_id"])["home_agency_id"] if r["member_id"] else r["agency_id"]
            for r in participants]


def _debrief_values(data: DebriefData) -> dict:
    return {"case_id": data.case_id, "defendant_subject_id": data.defendant_subject_id,
            "lead_agency_id": data.lead_agency_id, "held_on": data.held_on,
            "place": data.place.strip(), "prosecutor_office": data.prosecutor_office.strip()}


def _key(row: dict) -> tuple:
    return (row["member_id"], row["outside_name"], row["agency_id"], row["role"])


def _sync_participants(tx: Tx, debrief_id: int, wanted: list[dict]) -> None:
    """Participants are replaced by difference, each addition and removal audited on the debrief."""
    p = S.debrief_participant
    root = ("debrief", debrief_id)
    existing = tx.conn.execute(select(p).where(p.c.debrief_id == debrief_id).order_by(p.c.id)).mappings().all()
    keep = Counter(_key(r) for r in wanted)
    for row in existing:
        if keep[_key(row)] > 0:
            keep[_key(row)] -= 1
        else:
            tx.delete(p, row["id"], root)
    have = Counter(_key(r) for r in existing)
    for row in wanted:
        if have[_key(row)] > 0:
            have[_key(row)] -= 1
        else:
            tx.insert(p, {"debrief_id": debrief_id, **row}, root)


def create_debrief(ctx: Context, data: DebriefData) -> Change:
    data.check()
    refuse_future(ctx, ("held_on", data.held_on, tr("Date of the debrief")))
    with write(ctx) as tx:
        fetch_row(tx.conn, S.case, data.case_id)
        participants = _participant_values(tx, data)
        owed = _owed(tx.conn, participants)
        debrief_id = tx.insert(S.debrief, {**_debrief_values(data), "briefing_owed": owed},
                               ("case_file", data.case_id))
        _sync_participants(tx, debrief_id, participants)
        caveats.save(tx, ItemKind.DEBRIEF, debrief_id, data.caveat_ids, ("debrief", debrief_id))
        return change_of(tx, debrief_id)


def update_debrief(ctx: Context, debrief_id: int, data: DebriefData) -> Change:
    data.check()
    refuse_future(ctx, ("held_on", data.held_on, tr("Date of the debrief")))
    with write(ctx) as tx:
        tx.get(S.debrief, debrief_id)
        fetch_row(tx.conn, S.case, data.case_id)
        participants = _participant_values(tx, data)
        # rule 3: re-evaluated whenever the participants change (adding a CBP officer ends it)
        owed = _owed(tx.conn, participants)
        tx.update(S.debrief, debrief_id, {**_debrief_values(data), "briefing_owed": owed},
                  ("case_file", data.case_id))
        _sync_participants(tx, debrief_id, participants)
        caveats.save(tx, ItemKind.DEBRIEF, debrief_id, data.caveat_ids, ("debrief", debrief_id))
        return change_of(tx, debrief_id)


def delete_debrief(ctx: Context, debrief_id: int) -> Change:
    with write(ctx) as tx:
        row = tx.get(S.debrief, debrief_id)
        tx.delete(S.debrief, debrief_id, ("case_file", row["case_id"]))
        return change_of(tx, debrief_id)


def _open_obligation(tx: Tx, debrief_id: int) -> dict:
    row = tx.get(S.debrief, debrief_id)
    status = briefing_status(row["briefing_owed"], row["briefed_on"], row["waived_on"])
    if status is BriefingStatus.NOT_NEEDED:
        raise Conflict(tr("No briefing is owed: a CBP officer took part in this debrief."))
    if status is BriefingStatus.BRIEFED:
        raise Conflict(tr(f"The briefing was already recorded on {row['briefed_on'].isoformat()}."))
    if status is BriefingStatus.WAIVED:
        raise Conflict(tr(f"The briefing was waived on {row['waived_on'].isoformat()}."))
    return row


def record_briefing(ctx: Context, data: BriefingData) -> Change:
    """Close the obligation with the briefing of the Supervisory CBP Officer."""
    data.check()
    with write(ctx) as tx:
        row = _open_obligation(tx, data.debrief_id)
        if problem := closing_date_problem(row["held_on"], data.briefed_on, ctx.today()):
            raise ValidationFailed([FieldError("briefed_on", problem)])
        tx.update(S.debrief, data.debrief_id, {
            "briefed_on": data.briefed_on, "briefed_by": data.briefed_by.strip(),
            "briefed_to": data.briefed_to.strip(), "briefing_summary": data.summary.strip(),
        }, ("case_file", row["case_id"]))
        return change_of(tx, data.debrief_id)


def waive_briefing(ctx: Context, data: WaiverData) -> Change:
    """Close the obligation without a briefing: only with a written reason, audited, shown."""
    data.check()
    with write(ctx) as tx:
        row = _open_obligation(tx, data.debrief_id)
        if problem := closing_date_problem(row["held_on"], data.waived_on, ctx.today()):
            raise ValidationFailed([FieldError("waived_on", problem)])
        tx.update(S.debrief, data.debrief_id, {"waived_on": data.waived_on,
                                               "waiver_reason": data.reason.strip()},
                  ("case_file", row["case_id"]))
        return change_of(tx, data.debrief_id)


# --- reading --------------------------------------------------------------------------------

def _date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


_ROWS_SQL = f"""
    SELECT d.id, d.case_id, c.number, d.held_on, coalesce(s.name, '') AS defendant,
           {agency_label('lead')} AS lead, d.place, d.briefing_owed, d.briefed_on, d.waived_on,
           (SELECT group_concat(who, '; ') FROM (
                SELECT CASE WHEN p.member_id IS NOT NULL THEN m.given_names || ' ' || m.family_name
                            ELSE p.outside_name END || ' (' || replace(p.role, '_', ' ') || ')' AS who
                FROM debrief_participant p LEFT JOIN member m ON m.id = p.member_id
                WHERE p.debrief_id = d.id ORDER BY p.id)) AS participants
    FROM debrief d JOIN case_file c ON c.id = d.case_id
    JOIN agency lead ON lead.id = d.lead_agency_id
    LEFT JOIN subject s ON s.id = d.defendant_subject_id"""


def _row(r, today: date) -> DebriefRow:  # noqa: ANN001
    held_on = _date(r.held_on)
    status = briefing_status(bool(r.briefing_owed), _date(r.briefed_on), _date(r.waived_on))
    return DebriefRow(r.id, r.case_id, r.number, held_on, r.defendant, r.lead, r.place,
                      r.participants or "", not r.briefing_owed, status,
                      owed_days(held_on, today) if status is BriefingStatus.OWED else None)


def case_debriefs(ctx: Context, case_id: int, as_of: date | None = None) -> tuple[DebriefRow, ...]:
    """A case's debriefs, newest first."""
    today = as_of or ctx.today()
    with read(ctx) as conn:
        rows = conn.execute(text(_ROWS_SQL + " WHERE d.case_id = :case ORDER BY d.held_on DESC, d.id DESC"),
                            {"case": case_id}).all()
    return tuple(_row(r, today) for r in rows)


def list_debriefs(ctx: Context, owed_only: bool = False, as_of: date | None = None,
                  limit: int = 100) -> DebriefPage:
    """All debriefs newest first, or the open briefing obligations oldest first."""
    today = as_of or ctx.today()
    where = f" WHERE {OPEN_SQL.format(d='d')}" if owed_only else ""
    order = " ORDER BY d.held_on ASC, d.id ASC" if owed_only else " ORDER BY d.held_on DESC, d.id DESC"
    with read(ctx) as conn:
        total = conn.execute(text(f"SELECT count(*) FROM debrief d{where}")).scalar_one()
        rows = conn.execute(text(_ROWS_SQL + where + order + " LIMIT :n"), {"n": limit}).all()
    return DebriefPage(tuple(_row(r, today) for r in rows), total)


def get_debrief(ctx: Context, debrief_id: int, as_of: date | None = None) -> DebriefDetail:
    today = as_of or ctx.today()
    p, m = S.debrief_participant, S.member
    with read(ctx) as conn:
        row = fetch_row(conn, S.debrief, debrief_id)
        number = conn.execute(select(S.case.c.number).where(S.case.c.id == row["case_id"])).scalar_one()
        defendant = ""
        if row["defendant_subject_id"]:
            defendant = conn.execute(select(S.subject.c.name)
                                     .where(S.subject.c.id == row["defendant_subject_id"])).scalar() or ""
        lead = conn.execute(text(f"SELECT {agency_label('a')} FROM agency a WHERE a.id = :i"),
                            {"i": row["lead_agency_id"]}).scalar_one()
        found = conn.execute(
            select(p, m.c.family_name, m.c.given_names, m.c.rank_title, m.c.home_agency_id)
            .outerjoin(m, m.c.id == p.c.member_id)
            .where(p.c.debrief_id == debrief_id).order_by(p.c.id)).all()
        names = dict(conn.execute(text(
            f"SELECT a.id, {_SHORT.format(a='a')} FROM agency a WHERE a.id IN "
            f"({', '.join(str(int(r.agency_id)) for r in found) or '-1'})")).all())
        # rule 3: a member is a CBP officer by their home agency, not the agency typed beside them
        presence = {r.id: r.home_agency_id if r.member_id else r.agency_id for r in found}
        cbp = {a: is_cbp(ref for _i, ref, _n in agency_ancestors(conn, a)) for a in set(presence.values())}
        carried = caveats.of_item(conn, ItemKind.DEBRIEF, debrief_id)
    participants = tuple(
        ParticipantRow(r.id, r.member_id,
                       " ".join(x for x in (r.rank_title, r.given_names, r.family_name) if x)
                       if r.member_id else r.outside_name,
                       r.agency_id, names.get(r.agency_id, ""), r.role, cbp[presence[r.id]])
        for r in found)
    data = DebriefData(
        case_id=row["case_id"], held_on=row["held_on"], lead_agency_id=row["lead_agency_id"],
        defendant_subject_id=row["defendant_subject_id"], place=row["place"],
        prosecutor_office=row["prosecutor_office"],
        participants=tuple(DebriefParticipant(r.member_id, r.outside_name, r.agency_id, r.role) for r in found),
        caveat_ids=tuple(i for i, _ in carried))
    status = briefing_status(row["briefing_owed"], row["briefed_on"], row["waived_on"])
    return DebriefDetail(
        id=debrief_id, data=data, case_number=number, defendant=defendant, lead_agency=lead,
        participants=participants, briefing_owed=bool(row["briefing_owed"]), status=status,
        briefed_on=row["briefed_on"], briefed_by=row["briefed_by"], briefed_to=row["briefed_to"],
        briefing_summary=row["briefing_summary"], waived_on=row["waived_on"],
        waiver_reason=row["waiver_reason"], caveats=tuple(name for _, name in carried),
        owed_days=owed_days(row["held_on"], today) if status is BriefingStatus.OWED else None)


# --- the list section -----------------------------------------------------------------------

DEBRIEFS = ListSpec(
    name="debriefs", entity="debrief",
    also_refresh_on=frozenset({"debrief_participant", "case_file", "subject", "agency"}),
    from_sql="FROM debrief t JOIN case_file c ON c.id = t.case_id "
             "JOIN agency lead ON lead.id = t.lead_agency_id "
             "LEFT JOIN subject s ON s.id = t.defendant_subject_id",
    columns=(
        Column("held_on", "Date", "t.held_on", 95, "date"),
        Column("case", "Case", "c.number", 170),
        Column("defendant", "Defendant", "coalesce(s.name, '')", 200),
        Column("lead", "Lead agency", _SHORT.format(a="lead"), 140),
        Column("cbp_present", "CBP present", "CASE WHEN t.briefing_owed THEN 'no' ELSE 'yes' END", 90, "label"),
        Column("briefing", "Briefing", BRIEFING_SQL.format(d="t"), 100, "label"),
        Column("owed_days", "Owed for (days)",
               f"CASE WHEN {OPEN_SQL.format(d='t')} THEN "
               "max(CAST(julianday(:today) - julianday(t.held_on) AS INTEGER), 0) END", 110, "number"),
    ),
    quick_filter=("c.number", "s.name", "t.place", "t.prosecutor_office"),
    filters=(
        Filter("briefing", "Briefing", BRIEFING_SQL.format(d="t") + " = :briefing",
               "SELECT 'owed', 'Owed' UNION ALL SELECT 'briefed', 'Briefed' UNION ALL "
               "SELECT 'waived', 'Waived' UNION ALL SELECT 'not_needed', 'Not needed'"),
        Filter("task_force", "Task force", "c.task_force_id = :task_force",
               "SELECT id, name FROM task_force ORDER BY name"),
    ),
    default_sort="held_on", default_descending=True, noun=("debrief", "debriefs"),
)
