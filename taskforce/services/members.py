"""Members: the person, their task-force assignments, cross-designations and training."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import Connection, select

from taskforce.domain.designations import ICE_REF_KEY, counts_on, designation_status, grant_287g_problem
from taskforce.domain.enums import Authority, DesignationStatus
from taskforce.domain.errors import ValidationFailed
from taskforce.domain.records import AssignmentData, DesignationData, MemberData, TrainingData
from taskforce.services.context import Change, Context
from taskforce.services.rows import to_data
from taskforce.services.tx import change_of, fetch_row, read, write
from taskforce.store import schema as S
from taskforce.store.queries import is_party, is_under


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    data: AssignmentData
    task_force: str


@dataclass(frozen=True)
class DesignationRow:
    id: int
    data: DesignationData
    granting_agency: str
    agreement: str
    status: DesignationStatus
    in_force: bool  # counts today (rule 7)


@dataclass(frozen=True)
class TrainingRow:
    id: int
    data: TrainingData


@dataclass(frozen=True)
class MemberDetail:
    id: int
    data: MemberData
    home_agency: str
    assignments: tuple[AssignmentRow, ...]
    designations: tuple[DesignationRow, ...]
    training: tuple[TrainingRow, ...]

    @property
    def display_name(self) -> str:
        return f"{self.data.family_name}, {self.data.given_names}"


def _member_values(data: MemberData) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in asdict(data).items()}


def create_member(ctx: Context, data: MemberData) -> Change:
    data.check()
    with write(ctx) as tx:
        return change_of(tx, tx.insert(S.member, _member_values(data)))


def update_member(ctx: Context, member_id: int, data: MemberData) -> Change:
    data.check()
    with write(ctx) as tx:
        tx.update(S.member, member_id, _member_values(data))
        return change_of(tx, member_id)


def delete_member(ctx: Context, member_id: int) -> Change:
    with write(ctx) as tx:
        tx.delete(S.member, member_id)
        return change_of(tx, member_id)


# Assignments, designations and training belong to the member: their history is the member's.
_CHILD_TABLES = {AssignmentData: S.assignment, DesignationData: S.designation, TrainingData: S.training}


def _check_287g_grant(conn: Connection, data: DesignationData, home_agency_id: int) -> None:
    """Rule 7 / 002 II.A (S15): a 287(g) designation is ICE's, under an agreement between ICE and
    the member's own agency."""
    agreement = fetch_row(conn, S.agreement, data.agreement_id) if data.agreement_id else None
    parties = [] if agreement is None else conn.execute(
        select(S.agreement_party.c.agency_id).where(S.agreement_party.c.agreement_id == agreement["id"])).scalars().all()
    problem = grant_287g_problem(
        granted_by_ice=is_under(conn, data.granting_agency_id, ICE_REF_KEY),
        agreement_kind=agreement["kind"] if agreement else None,
        ice_party=any(is_under(conn, p, ICE_REF_KEY) for p in parties),
        home_agency_party=agreement is not None and is_party(conn, agreement["id"], home_agency_id))
    if problem:
        raise ValidationFailed([problem])


def save_member_item(ctx: Context, data: AssignmentData | DesignationData | TrainingData,
                     item_id: int | None = None) -> Change:
    """Add (``item_id`` None) or edit one assignment, designation or training record."""
    data.check()
    table = _CHILD_TABLES[type(data)]
    values = asdict(data)
    with write(ctx) as tx:
        member = fetch_row(tx.conn, S.member, data.member_id)
        if isinstance(data, DesignationData) and data.authority == Authority.A287G:
            _check_287g_grant(tx.conn, data, member["home_agency_id"])
        root = ("member", data.member_id)
        if item_id is None:
            item_id = tx.insert(table, values, root)
        else:
            tx.update(table, item_id, values, root)
        return change_of(tx, item_id)


def delete_member_item(ctx: Context, kind: str, item_id: int) -> Change:
    table = {"assignment": S.assignment, "designation": S.designation, "training": S.training}[kind]
    with write(ctx) as tx:
        row = tx.get(table, item_id)
        tx.delete(table, item_id, ("member", row["member_id"]))
        return change_of(tx, item_id)


def get_member(ctx: Context, member_id: int, today: date | None = None) -> MemberDetail:
    today = today or ctx.today()
    a, ag, tf, agr = S.assignment, S.agency, S.task_force, S.agreement
    d = S.designation
    with read(ctx) as conn:
        row = fetch_row(conn, S.member, member_id)
        home = conn.execute(select(ag.c.name).where(ag.c.id == row["home_agency_id"])).scalar_one()
        assignments = tuple(
            AssignmentRow(r.id, to_data(AssignmentData, r._mapping), r.tf_name)
            for r in conn.execute(select(a, tf.c.name.label("tf_name"))
                                  .join(tf, tf.c.id == a.c.task_force_id)
                                  .where(a.c.member_id == member_id).order_by(a.c.start.desc())))
        found = conn.execute(select(d, ag.c.name.label("granting"), agr.c.title.label("agr"))
                             .join(ag, ag.c.id == d.c.granting_agency_id)
                             .outerjoin(agr, agr.c.id == d.c.agreement_id)
                             .where(d.c.member_id == member_id).order_by(d.c.expires)).all()

        def status(r) -> DesignationStatus:  # noqa: ANN001 - rule 7, among its authority's others
            others = [(o.effective, o.expires) for o in found if o.authority == r.authority and o.id != r.id]
            return designation_status(r.effective, r.expires, others, today)
        designations = tuple(DesignationRow(r.id, to_data(DesignationData, r._mapping), r.granting, r.agr or "",
                                            status(r), counts_on(r.effective, r.expires, today))
                             for r in found)
        training = tuple(
            TrainingRow(r.id, to_data(TrainingData, r._mapping))
            for r in conn.execute(select(S.training).where(S.training.c.member_id == member_id)
                                  .order_by(S.training.c.completed.desc())))
    return MemberDetail(member_id, to_data(MemberData, row), home, assignments, designations, training)
