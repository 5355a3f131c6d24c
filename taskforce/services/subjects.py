"""Subjects: people or organizations, their aliases and typed identifiers, and their cases."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from taskforce.domain.records import Identifier, SubjectData
from taskforce.domain.release import ItemKind
from taskforce.services import caveats
from taskforce.services.context import Change, Context
from taskforce.services.rows import to_data
from taskforce.services.tx import Tx, change_of, fetch_row, read, write
from taskforce.store import schema as S


@dataclass(frozen=True)
class SubjectCaseRow:
    case_id: int
    number: str
    title: str
    role: str


@dataclass(frozen=True)
class SubjectDetail:
    id: int
    data: SubjectData
    cases: tuple[SubjectCaseRow, ...]
    caveats: tuple[str, ...] = ()  # names, for the header's labels


def _values(data: SubjectData) -> dict:
    return {"kind": data.kind, "name": data.name.strip(), "dob": data.dob,
            "nationality": data.nationality.strip(), "originating_agency_id": data.originating_agency_id}


def _sync_children(tx: Tx, subject_id: int, data: SubjectData) -> None:
    """Aliases and identifiers are replaced by difference, each add or removal audited."""
    root = ("subject", subject_id)
    al, idn = S.subject_alias, S.subject_identifier
    wanted_aliases = {a.strip() for a in data.aliases if a.strip()}
    for row in tx.conn.execute(select(al).where(al.c.subject_id == subject_id)).all():
        if row.name in wanted_aliases:
            wanted_aliases.discard(row.name)
        else:
            tx.delete(al, row.id, root)
    for name in sorted(wanted_aliases):
        tx.insert(al, {"subject_id": subject_id, "name": name}, root)
    wanted_ids = {(i.kind, i.value.strip()) for i in data.identifiers}
    for row in tx.conn.execute(select(idn).where(idn.c.subject_id == subject_id)).all():
        if (row.kind, row.value) in wanted_ids:
            wanted_ids.discard((row.kind, row.value))
        else:
            tx.delete(idn, row.id, root)
    for kind, value in sorted(wanted_ids):
        tx.insert(idn, {"subject_id": subject_id, "kind": kind, "value": value}, root)


def create_subject(ctx: Context, data: SubjectData) -> Change:
    data.check()
    with write(ctx) as tx:
        new_id = tx.insert(S.subject, _values(data))
        _sync_children(tx, new_id, data)
        caveats.save(tx, ItemKind.SUBJECT, new_id, data.caveat_ids, ("subject", new_id))
        return change_of(tx, new_id)


def update_subject(ctx: Context, subject_id: int, data: SubjectData) -> Change:
    data.check()
    with write(ctx) as tx:
        tx.update(S.subject, subject_id, _values(data))
        _sync_children(tx, subject_id, data)
        caveats.save(tx, ItemKind.SUBJECT, subject_id, data.caveat_ids, ("subject", subject_id))
        return change_of(tx, subject_id)


def delete_subject(ctx: Context, subject_id: int) -> Change:
    with write(ctx) as tx:
        tx.delete(S.subject, subject_id)
        return change_of(tx, subject_id)


def get_subject(ctx: Context, subject_id: int) -> SubjectDetail:
    cs, c = S.case_subject, S.case
    with read(ctx) as conn:
        row = fetch_row(conn, S.subject, subject_id)
        aliases = tuple(conn.execute(select(S.subject_alias.c.name)
                                     .where(S.subject_alias.c.subject_id == subject_id)
                                     .order_by(S.subject_alias.c.name)).scalars())
        identifiers = tuple(Identifier(r.kind, r.value) for r in conn.execute(
            select(S.subject_identifier).where(S.subject_identifier.c.subject_id == subject_id)
            .order_by(S.subject_identifier.c.kind, S.subject_identifier.c.value)))
        cases = tuple(SubjectCaseRow(r.id, r.number, r.title, r.role) for r in conn.execute(
            select(c.c.id, c.c.number, c.c.title, cs.c.role).join(cs, cs.c.case_id == c.c.id)
            .where(cs.c.subject_id == subject_id).order_by(c.c.opened_on.desc())))
        carried = caveats.of_item(conn, ItemKind.SUBJECT, subject_id)
    return SubjectDetail(subject_id, to_data(SubjectData, row, aliases=aliases, identifiers=identifiers,
                                             caveat_ids=tuple(i for i, _ in carried)),
                         cases, tuple(name for _, name in carried))
