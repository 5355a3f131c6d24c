"""Written agreements (MOU, MOA, 287(g), CMAA): parties, dates, in force or not."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select

from taskforce.domain.records import AgreementData
from taskforce.domain.rules import agreement_in_force
from taskforce.services.context import Change, Context
from taskforce.services.rows import to_data
from taskforce.services.tx import change_of, fetch_row, read, write
from taskforce.store import schema as S


@dataclass(frozen=True)
class AgreementDetail:
    id: int
    data: AgreementData
    in_force: bool
    parties: tuple[tuple[int, str], ...]


def _values(data: AgreementData) -> dict:
    values = asdict(data)
    del values["party_ids"]
    return values


def create_agreement(ctx: Context, data: AgreementData) -> Change:
    data.check()
    with write(ctx) as tx:
        new_id = tx.insert(S.agreement, _values(data))
        tx.set_links(S.agreement_party, "agreement_id", new_id, "agency_id", data.party_ids,
                     ("agreement", new_id), "parties")
        return change_of(tx, new_id)


def update_agreement(ctx: Context, agreement_id: int, data: AgreementData) -> Change:
    data.check()
    with write(ctx) as tx:
        tx.update(S.agreement, agreement_id, _values(data))
        tx.set_links(S.agreement_party, "agreement_id", agreement_id, "agency_id", data.party_ids,
                     ("agreement", agreement_id), "parties")
        return change_of(tx, agreement_id)


def delete_agreement(ctx: Context, agreement_id: int) -> Change:
    with write(ctx) as tx:
        tx.delete(S.agreement, agreement_id)
        return change_of(tx, agreement_id)


def get_agreement(ctx: Context, agreement_id: int) -> AgreementDetail:
    with read(ctx) as conn:
        row = fetch_row(conn, S.agreement, agreement_id)
        parties = conn.execute(
            select(S.agency.c.id, S.agency.c.name)
            .join(S.agreement_party, S.agreement_party.c.agency_id == S.agency.c.id)
            .where(S.agreement_party.c.agreement_id == agreement_id)
            .order_by(S.agency.c.name)).all()
    data = to_data(AgreementData, row, party_ids=tuple(p[0] for p in parties))
    return AgreementDetail(agreement_id, data, agreement_in_force(data.effective, data.expires, ctx.today()),
                           tuple((p[0], p[1]) for p in parties))
