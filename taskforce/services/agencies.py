"""Agencies: create, edit, delete, the nesting, and 'is a DHS component' derived from it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select

from taskforce.domain.errors import Conflict, FieldError, ValidationFailed
from taskforce.domain.records import AgencyData
from taskforce.domain.rules import is_dhs_component
from taskforce.i18n import tr
from taskforce.services.context import Change, Context
from taskforce.services.rows import to_data
from taskforce.services.tx import Tx, change_of, fetch_row, read, write
from taskforce.store import schema as S
from taskforce.store.queries import agency_ancestors, agency_descendant_ids


@dataclass(frozen=True)
class AgencyDetail:
    id: int
    data: AgencyData
    ref_key: str | None
    chain: tuple[str, ...]  # names from the top (DHS) down to this agency
    is_dhs_component: bool
    units: int  # agencies nested directly under this one


def _values(data: AgencyData) -> dict:
    values = asdict(data)
    values["ori"] = data.ori.strip().upper() or None
    values["country"] = (data.country or "US").strip().upper()
    for key in ("name", "abbreviation", "state", "county", "agency_type"):
        values[key] = values[key].strip()
    return values


def _check(tx: Tx, data: AgencyData, agency_id: int | None) -> None:
    data.check()
    errors = []
    ori = data.ori.strip().upper()
    if ori:
        other = tx.conn.execute(select(S.agency.c.name).where(
            S.agency.c.ori == ori, S.agency.c.id != (agency_id or -1))).scalar()
        if other:
            errors.append(FieldError("ori", tr(f"ORI {ori} already belongs to {other}.")))
    if data.parent_id is not None and agency_id is not None:
        if data.parent_id == agency_id or data.parent_id in agency_descendant_ids(tx.conn, agency_id):
            errors.append(FieldError("parent_id", tr("An agency cannot sit under itself or one of its own units.")))
    if errors:
        raise ValidationFailed(errors)


def create_agency(ctx: Context, data: AgencyData) -> Change:
    with write(ctx) as tx:
        _check(tx, data, None)
        new_id = tx.insert(S.agency, _values(data))
        return change_of(tx, new_id)


def update_agency(ctx: Context, agency_id: int, data: AgencyData) -> Change:
    with write(ctx) as tx:
        tx.get(S.agency, agency_id)
        _check(tx, data, agency_id)
        tx.update(S.agency, agency_id, _values(data))
        return change_of(tx, agency_id)


def delete_agency(ctx: Context, agency_id: int) -> Change:
    with write(ctx) as tx:
        if tx.get(S.agency, agency_id)["ref_key"]:
            raise Conflict(tr("Reference agencies named by the rules (DHS, CBP, ICE …) cannot be deleted; mark them inactive instead."))
        tx.delete(S.agency, agency_id)
        return change_of(tx, agency_id)


def get_agency(ctx: Context, agency_id: int) -> AgencyDetail:
    a = S.agency.c
    with read(ctx) as conn:
        row = fetch_row(conn, S.agency, agency_id)
        chain = agency_ancestors(conn, agency_id)
        units = conn.execute(select(func.count()).where(a.parent_id == agency_id)).scalar_one()
    data = to_data(AgencyData, row)
    return AgencyDetail(
        id=agency_id, data=data, ref_key=row["ref_key"],
        chain=tuple(name for _id, _ref, name in reversed(chain)),
        is_dhs_component=is_dhs_component(ref for _id, ref, _name in chain),
        units=units,
    )
