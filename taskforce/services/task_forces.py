"""Task forces and the agencies participating in them, each under a written agreement."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from sqlalchemy import func, select

from taskforce.domain.case_events import ICE_HSI_REF_KEY
from taskforce.domain.records import Participation, TaskForceData
from taskforce.services.context import Change, Context
from taskforce.services.rows import to_data
from taskforce.services.tx import Tx, change_of, fetch_row, read, write
from taskforce.store import schema as S
from taskforce.store.queries import is_under


@dataclass(frozen=True)
class ParticipantRow:
    agency_id: int
    agency: str
    agreement_id: int | None
    agreement: str


@dataclass(frozen=True)
class TaskForceDetail:
    id: int
    data: TaskForceData
    lead_agency: str
    investigative_lead: str  # "" when none is named (then only ICE HSI leads)
    participants: tuple[ParticipantRow, ...]
    members: int
    cases: int


def _values(data: TaskForceData) -> dict:
    values = asdict(data)
    del values["participants"]
    values["name"] = data.name.strip()
    return values


def _sync_participants(tx: Tx, tf_id: int, wanted: tuple[Participation, ...]) -> None:
    t = S.task_force_agency
    current = {r.agency_id: r for r in tx.conn.execute(select(t).where(t.c.task_force_id == tf_id))}
    wanted_by_agency = {p.agency_id: p for p in wanted}
    root = ("task_force", tf_id)
    for agency_id, row in current.items():
        if agency_id not in wanted_by_agency:
            tx.delete(t, row.id, root)
        elif row.agreement_id != wanted_by_agency[agency_id].agreement_id:
            tx.update(t, row.id, {"agreement_id": wanted_by_agency[agency_id].agreement_id}, root)
    for agency_id, p in wanted_by_agency.items():
        if agency_id not in current:
            tx.insert(t, {"task_force_id": tf_id, "agency_id": agency_id,
                          "agreement_id": p.agreement_id}, root)


def _with_investigative_lead(tx: Tx, data: TaskForceData) -> TaskForceData:
    """Rule 5: a task force with no investigative lead named takes its ICE HSI participant
    (the lead first, then the participants) — never simply its lead agency."""
    if data.investigative_lead_agency_id is not None:
        return data
    for agency_id in (data.lead_agency_id, *(p.agency_id for p in data.participants)):
        if agency_id is not None and is_under(tx.conn, agency_id, ICE_HSI_REF_KEY):
            return replace(data, investigative_lead_agency_id=agency_id)
    return data


def create_task_force(ctx: Context, data: TaskForceData) -> Change:
    data.check()
    with write(ctx) as tx:
        data = _with_investigative_lead(tx, data)
        new_id = tx.insert(S.task_force, _values(data))
        _sync_participants(tx, new_id, data.participants)
        return change_of(tx, new_id)


def update_task_force(ctx: Context, tf_id: int, data: TaskForceData) -> Change:
    data.check()
    with write(ctx) as tx:
        data = _with_investigative_lead(tx, data)
        tx.update(S.task_force, tf_id, _values(data))
        _sync_participants(tx, tf_id, data.participants)
        return change_of(tx, tf_id)


def delete_task_force(ctx: Context, tf_id: int) -> Change:
    with write(ctx) as tx:
        tx.delete(S.task_force, tf_id)
        return change_of(tx, tf_id)


def get_task_force(ctx: Context, tf_id: int) -> TaskForceDetail:
    p, ag, agr = S.task_force_agency, S.agency, S.agreement
    with read(ctx) as conn:
        row = fetch_row(conn, S.task_force, tf_id)
        parts = conn.execute(
            select(p.c.agency_id, ag.c.name, p.c.agreement_id, agr.c.title)
            .join(ag, ag.c.id == p.c.agency_id).outerjoin(agr, agr.c.id == p.c.agreement_id)
            .where(p.c.task_force_id == tf_id).order_by(ag.c.name)).all()
        lead = conn.execute(select(ag.c.name).where(ag.c.id == row["lead_agency_id"])).scalar_one()
        investigative = conn.execute(select(ag.c.name).where(
            ag.c.id == row["investigative_lead_agency_id"])).scalar() or ""
        members = conn.execute(select(func.count(func.distinct(S.assignment.c.member_id)))
                               .where(S.assignment.c.task_force_id == tf_id)).scalar_one()
        cases = conn.execute(select(func.count()).select_from(S.case)
                             .where(S.case.c.task_force_id == tf_id)).scalar_one()
    participants = tuple(Participation(r[0], r[2]) for r in parts)
    return TaskForceDetail(
        id=tf_id, data=to_data(TaskForceData, row, participants=participants), lead_agency=lead,
        investigative_lead=investigative,
        participants=tuple(ParticipantRow(r[0], r[1], r[2], r[3] or "") for r in parts),
        members=members, cases=cases,
    )
