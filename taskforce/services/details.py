"""Details and pilot programs (rule 10, 001 "Title 21"): a member assigned to another agency's
unit for a period, evaluated on a date.

Evaluation due as of D ⇔ evaluated_on IS NULL AND evaluation_on <= D (the home screen counts
it with the same condition in SQL). A detail shows in its member's History (root = member).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, bindparam, text

from taskforce.domain.details import (
    DetailData, DetailState, EvaluationData, detail_state, evaluation_due, host_problem,
)
from taskforce.domain.errors import FieldError, ValidationFailed
from taskforce.i18n import tr
from taskforce.services.context import Change, Context
from taskforce.services.lists import Column, Filter, ListSpec
from taskforce.services.tx import Tx, change_of, fetch_row, read, write
from taskforce.store import schema as S
from taskforce.store.queries import agency_ancestors, agency_label


@dataclass(frozen=True)
class DetailRow:
    id: int
    member_id: int
    member: str
    home_agency: str
    host_agency: str
    program: str
    starts_on: date
    ends_on: date | None
    evaluation_on: date
    evaluated_on: date | None
    evaluation: str
    state: DetailState
    evaluation_due: bool
    days_since_due: int  # 0 unless the evaluation is due


@dataclass(frozen=True)
class DetailDetail:
    id: int
    data: DetailData  # with evaluation_on filled in
    row: DetailRow


_SELECT = (
    "SELECT t.id, t.member_id, m.family_name || ', ' || m.given_names AS member, "
    f"{agency_label('home')} AS home_agency, {agency_label('host')} AS host_agency, t.program, "
    "t.starts_on, t.ends_on, t.evaluation_on, t.evaluated_on, t.evaluation, t.host_agency_id "
    "FROM detail t JOIN member m ON m.id = t.member_id JOIN agency home ON home.id = m.home_agency_id "
    "JOIN agency host ON host.id = t.host_agency_id"
)


def _d(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _row(r, as_of: date) -> DetailRow:  # noqa: ANN001 - a result row
    starts, ends, evaluation_on, evaluated_on = _d(r.starts_on), _d(r.ends_on), _d(r.evaluation_on), _d(r.evaluated_on)
    due = evaluation_due(evaluation_on, evaluated_on, as_of)
    return DetailRow(r.id, r.member_id, r.member, r.home_agency, r.host_agency, r.program, starts, ends,
                     evaluation_on, evaluated_on, r.evaluation, detail_state(starts, ends, as_of), due,
                     (as_of - evaluation_on).days if due else 0)


def _values(tx: Tx, data: DetailData) -> dict:
    member = fetch_row(tx.conn, S.member, data.member_id)
    fetch_row(tx.conn, S.agency, data.host_agency_id)
    problem = host_problem([i for i, _r, _n in agency_ancestors(tx.conn, member["home_agency_id"])],
                           [i for i, _r, _n in agency_ancestors(tx.conn, data.host_agency_id)])
    if problem:
        raise ValidationFailed([FieldError("host_agency_id", tr(problem))])
    return {"member_id": data.member_id, "host_agency_id": data.host_agency_id,
            "program": data.program.strip(), "starts_on": data.starts_on, "ends_on": data.ends_on,
            # 001 Title 21: the evaluation runs ninety days unless a date is given
            "evaluation_on": data.evaluation_date()}


def create_detail(ctx: Context, data: DetailData) -> Change:
    data.check()
    with write(ctx) as tx:
        detail_id = tx.insert(S.detail, _values(tx, data), ("member", data.member_id))
        return change_of(tx, detail_id)


def update_detail(ctx: Context, detail_id: int, data: DetailData) -> Change:
    data.check()
    with write(ctx) as tx:
        current = tx.get(S.detail, detail_id)
        values = _values(tx, data)
        if current["evaluated_on"] and values["starts_on"] > current["evaluated_on"]:
            raise ValidationFailed([FieldError("starts_on", tr(
                f"This detail was evaluated on {current['evaluated_on']}; it cannot start after that."))])
        tx.update(S.detail, detail_id, values, ("member", data.member_id))
        return change_of(tx, detail_id)


def record_evaluation(ctx: Context, detail_id: int, data: EvaluationData) -> Change:
    """S9: recording the evaluation takes the detail off the home screen."""
    data.check()
    with write(ctx) as tx:
        row = tx.get(S.detail, detail_id)
        if data.evaluated_on < row["starts_on"]:
            raise ValidationFailed([FieldError("evaluated_on", tr(
                f"The evaluation cannot be before the detail started ({row['starts_on']})."))])
        tx.update(S.detail, detail_id, {"evaluated_on": data.evaluated_on,
                                        "evaluation": data.evaluation.strip()}, ("member", row["member_id"]))
        return change_of(tx, detail_id)


def clear_evaluation(ctx: Context, detail_id: int) -> Change:
    """Take back an evaluation recorded by mistake (audited); the detail is due again."""
    with write(ctx) as tx:
        row = tx.get(S.detail, detail_id)
        tx.update(S.detail, detail_id, {"evaluated_on": None, "evaluation": ""}, ("member", row["member_id"]))
        return change_of(tx, detail_id)


def delete_detail(ctx: Context, detail_id: int) -> Change:
    with write(ctx) as tx:
        row = tx.get(S.detail, detail_id)
        tx.delete(S.detail, detail_id, ("member", row["member_id"]))
        return change_of(tx, detail_id)


def get_detail(ctx: Context, detail_id: int, as_of: date | None = None) -> DetailDetail:
    as_of = as_of or ctx.today()
    with read(ctx) as conn:
        r = conn.execute(text(f"{_SELECT} WHERE t.id = :i"), {"i": detail_id}).first()
        if r is None:
            fetch_row(conn, S.detail, detail_id)  # raises NotFound with its sentence
    row = _row(r, as_of)
    data = DetailData(row.member_id, r.host_agency_id, row.starts_on, row.program, row.ends_on, row.evaluation_on)
    return DetailDetail(detail_id, data, row)


def details(ctx: Context, as_of: date | None = None, *, due_only: bool = False,
            member_id: int | None = None, limit: int = 500) -> tuple[DetailRow, ...]:
    """Details by evaluation date (due ones first when ``due_only``), filtered by the database."""
    as_of = as_of or ctx.today()
    clauses = []
    if due_only:
        clauses.append("t.evaluated_on IS NULL AND t.evaluation_on <= :d")
    if member_id is not None:
        clauses.append("t.member_id = :m")
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    stmt = text(f"{_SELECT}{where} ORDER BY t.evaluation_on, t.id LIMIT :n")
    params: dict = {"m": member_id, "n": limit} if member_id is not None else {"n": limit}
    if due_only:
        stmt, params["d"] = stmt.bindparams(bindparam("d", type_=Date)), as_of  # a date on any backend
    with read(ctx) as conn:
        return tuple(_row(r, as_of) for r in conn.execute(stmt, params))


@dataclass(frozen=True)
class MemberDetails:
    """A member's details, for the member window's tab."""

    member_id: int
    member: str  # "Reyes, Tomas (CBP OFO Blaine)"
    rows: tuple[DetailRow, ...]


def member_details(ctx: Context, member_id: int, as_of: date | None = None) -> MemberDetails:
    with read(ctx) as conn:
        label = conn.execute(text(
            "SELECT m.family_name || ', ' || m.given_names || ' (' || "
            "CASE WHEN a.abbreviation <> '' THEN a.abbreviation ELSE a.name END || ')' "
            "FROM member m JOIN agency a ON a.id = m.home_agency_id WHERE m.id = :m"), {"m": member_id}).scalar()
        if label is None:
            fetch_row(conn, S.member, member_id)  # raises NotFound with its sentence
    return MemberDetails(member_id, label, details(ctx, as_of, member_id=member_id))


# --- list section -----------------------------------------------------------------------------

_EVALUATED_SQL = ("CASE WHEN t.evaluated_on IS NOT NULL THEN 'yes' "
                  "WHEN t.evaluation_on <= :today THEN 'due' ELSE 'no' END")

DETAILS = ListSpec(
    name="details", entity="detail", also_refresh_on=frozenset({"member", "agency"}),
    from_sql="FROM detail t JOIN member m ON m.id = t.member_id JOIN agency host ON host.id = t.host_agency_id",
    columns=(
        Column("member", "Member", "m.family_name || ', ' || m.given_names", 200),
        Column("host", "Host unit", "CASE WHEN host.abbreviation <> '' THEN host.abbreviation ELSE host.name END", 220),
        Column("program", "Program", "t.program", 200),
        Column("from", "From", "t.starts_on", 95, "date"),
        Column("to", "To", "t.ends_on", 95, "date"),
        Column("evaluation_on", "Evaluation", "t.evaluation_on", 95, "date"),
        Column("evaluated", "Evaluated", _EVALUATED_SQL, 80, "label"),
    ),
    quick_filter=("m.family_name", "m.given_names", "host.name", "host.abbreviation", "t.program"),
    filters=(Filter("evaluated", "Evaluated", f"{_EVALUATED_SQL} = :evaluated",
                    "SELECT 'due', 'Due' UNION ALL SELECT 'no', 'Not yet due' UNION ALL SELECT 'yes', 'Yes'"),),
    default_sort="evaluation_on", noun=("detail", "details"),
)
