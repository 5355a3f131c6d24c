"""Cases: the record, its statutes and caveats, assigned members, subjects and dated notes."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select

from taskforce.domain.enums import TaskForceKind
from taskforce.domain.errors import FieldError, ValidationFailed
from taskforce.domain.records import CaseData, CaseMemberData, CaseSubjectData, NoteData
from taskforce.domain.rules import case_number_prefix, suggest_case_number
from taskforce.domain.release import ItemKind
from taskforce.i18n import tr
from taskforce.services import caveats
from taskforce.services.context import Change, Context
from taskforce.services.rows import to_data
from taskforce.services.tx import Tx, change_of, fetch_row, read, utc_now, write
from taskforce.store import schema as S
from taskforce.store.queries import agency_label


@dataclass(frozen=True)
class CaseMemberRow:
    id: int
    member_id: int
    name: str
    agency: str
    role: str


@dataclass(frozen=True)
class CaseSubjectRow:
    id: int
    subject_id: int
    name: str
    kind: str
    role: str
    other_cases: tuple[str, ...]  # numbers of the other cases this subject is on


@dataclass(frozen=True)
class NoteRow:
    id: int
    written_at: str
    author: str
    body: str
    originating_agency_id: int | None = None
    originating_agency: str = ""   # empty: the case's
    caveat_ids: tuple[int, ...] = ()
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseDetail:
    id: int
    data: CaseData
    task_force: str
    lead_agency: str
    originating_agency: str
    caveats: tuple[str, ...]
    members: tuple[CaseMemberRow, ...]
    subjects: tuple[CaseSubjectRow, ...]
    notes: tuple[NoteRow, ...]


def _values(data: CaseData) -> dict:
    values = asdict(data)
    del values["statutes"], values["caveat_ids"]
    values["number"] = data.number.strip()
    values["title"] = data.title.strip()
    return values


def _check_number(tx: Tx, number: str, case_id: int | None) -> None:
    c = S.case.c
    taken = tx.conn.execute(select(c.id).where(c.number == number.strip(),
                                               c.id != (case_id or -1))).first()
    if taken:
        raise ValidationFailed([FieldError("number", tr(f"Case number {number.strip()} is already in use."))])


def _save_links(tx: Tx, case_id: int, data: CaseData) -> None:
    root = ("case_file", case_id)
    tx.set_links(S.case_statute, "case_id", case_id, "statute", data.statutes, root, "statutes")
    caveats.save(tx, ItemKind.CASE, case_id, data.caveat_ids, root)


def create_case(ctx: Context, data: CaseData) -> Change:
    data.check()
    with write(ctx) as tx:
        _check_number(tx, data.number, None)
        new_id = tx.insert(S.case, _values(data))
        _save_links(tx, new_id, data)
        return change_of(tx, new_id)


def update_case(ctx: Context, case_id: int, data: CaseData) -> Change:
    data.check()
    with write(ctx) as tx:
        _check_number(tx, data.number, case_id)
        tx.update(S.case, case_id, _values(data))
        _save_links(tx, case_id, data)
        return change_of(tx, case_id)


def delete_case(ctx: Context, case_id: int) -> Change:
    with write(ctx) as tx:
        tx.delete(S.case, case_id)
        return change_of(tx, case_id)


def suggest_number(ctx: Context, task_force_id: int) -> str:
    """The next number in the task force's own pattern (e.g. BEST-SEA-2026-0043)."""
    c = S.case.c
    with read(ctx) as conn:
        tf = fetch_row(conn, S.task_force, task_force_id)
        recent = conn.execute(select(c.number).where(c.task_force_id == task_force_id)
                              .order_by(c.id.desc()).limit(500)).scalars().all()
    try:
        kind = TaskForceKind(tf["kind"]).label
    except ValueError:
        kind = tf["kind"]
    return suggest_case_number(recent, case_number_prefix(tf["name"], kind), ctx.today().year)


# --- members, subjects and notes on a case ---------------------------------------------------

def assign_member(ctx: Context, data: CaseMemberData) -> Change:
    data.check()
    with write(ctx) as tx:
        new_id = tx.insert(S.case_member, asdict(data), ("case_file", data.case_id))
        return change_of(tx, new_id)


def link_subject(ctx: Context, data: CaseSubjectData) -> Change:
    data.check()
    with write(ctx) as tx:
        new_id = tx.insert(S.case_subject, asdict(data), ("case_file", data.case_id))
        return change_of(tx, new_id)


def change_link_role(ctx: Context, kind: str, link_id: int, role: str) -> Change:
    table = {"member": S.case_member, "subject": S.case_subject}[kind]
    with write(ctx) as tx:
        row = tx.get(table, link_id)
        tx.update(table, link_id, {"role": role}, ("case_file", row["case_id"]))
        return change_of(tx, link_id)


def remove_link(ctx: Context, kind: str, link_id: int) -> Change:
    table = {"member": S.case_member, "subject": S.case_subject, "note": S.case_note}[kind]
    with write(ctx) as tx:
        row = tx.get(table, link_id)
        tx.delete(table, link_id, ("case_file", row["case_id"]))
        return change_of(tx, link_id)


def add_note(ctx: Context, data: NoteData) -> Change:
    data.check()
    author = data.author.strip() or ctx.actor.app_user
    with write(ctx) as tx:
        fetch_row(tx.conn, S.case, data.case_id)
        new_id = tx.insert(S.case_note, {"case_id": data.case_id, "body": data.body.strip(),
                                         "author": author, "written_at": utc_now(),
                                         "originating_agency_id": data.originating_agency_id},
                           ("case_file", data.case_id))
        caveats.save(tx, ItemKind.NOTE, new_id, data.caveat_ids, ("case_file", data.case_id),
                     f"caveats of note #{new_id}")
        return change_of(tx, new_id)


def edit_note(ctx: Context, note_id: int, body: str, originating_agency_id: int | None = None,
              caveat_ids: tuple[int, ...] | None = None) -> Change:
    """Change a note's text, its originating agency and (when given) its caveats."""
    NoteData(case_id=0, body=body).check()
    with write(ctx) as tx:
        row = tx.get(S.case_note, note_id)
        root = ("case_file", row["case_id"])
        tx.update(S.case_note, note_id, {"body": body.strip(),
                                         "originating_agency_id": originating_agency_id}, root)
        if caveat_ids is not None:
            caveats.save(tx, ItemKind.NOTE, note_id, caveat_ids, root, f"caveats of note #{note_id}")
        return change_of(tx, note_id)


def get_case(ctx: Context, case_id: int) -> CaseDetail:
    cm, cs, m, s, ag = S.case_member, S.case_subject, S.member, S.subject, S.agency
    with read(ctx) as conn:
        row = fetch_row(conn, S.case, case_id)
        statutes = tuple(conn.execute(select(S.case_statute.c.statute)
                                      .where(S.case_statute.c.case_id == case_id)).scalars())
        carried = caveats.of_item(conn, ItemKind.CASE, case_id)
        names = dict(conn.exec_driver_sql(
            f"SELECT a.id, {agency_label('a')} FROM agency a WHERE a.id IN (?, ?)",
            (row["lead_agency_id"], row["originating_agency_id"] or -1)).all())
        tf_name = conn.execute(select(S.task_force.c.name)
                               .where(S.task_force.c.id == row["task_force_id"])).scalar_one()
        members = tuple(CaseMemberRow(r.id, r.member_id, f"{r.family_name}, {r.given_names}", r.agency, r.role)
                        for r in conn.execute(
                            select(cm.c.id, cm.c.member_id, cm.c.role, m.c.family_name, m.c.given_names,
                                   ag.c.name.label("agency"))
                            .join(m, m.c.id == cm.c.member_id).join(ag, ag.c.id == m.c.home_agency_id)
                            .where(cm.c.case_id == case_id).order_by(m.c.family_name)))
        subject_rows = conn.execute(
            select(cs.c.id, cs.c.subject_id, cs.c.role, s.c.name, s.c.kind)
            .join(s, s.c.id == cs.c.subject_id).where(cs.c.case_id == case_id)
            .order_by(s.c.name)).all()
        # deconfliction: show when a subject is also on other cases
        others: dict[int, list[str]] = {}
        if subject_rows:
            other = S.case.alias("other")
            for sid, number in conn.execute(
                    select(cs.c.subject_id, other.c.number).join(other, other.c.id == cs.c.case_id)
                    .where(cs.c.subject_id.in_([r.subject_id for r in subject_rows]),
                           cs.c.case_id != case_id).order_by(other.c.number)):
                others.setdefault(sid, []).append(number)
        notes = _notes(conn, case_id)
    data = to_data(CaseData, row, statutes=statutes, caveat_ids=tuple(c[0] for c in carried))
    return CaseDetail(
        id=case_id, data=data, task_force=tf_name,
        lead_agency=names.get(row["lead_agency_id"], ""),
        originating_agency=names.get(row["originating_agency_id"], ""),
        caveats=tuple(c[1] for c in carried), members=members,
        subjects=tuple(CaseSubjectRow(r.id, r.subject_id, r.name, r.kind, r.role,
                                      tuple(others.get(r.subject_id, ()))) for r in subject_rows),
        notes=notes,
    )


def _notes(conn, case_id: int) -> tuple[NoteRow, ...]:
    n, ag = S.case_note, S.agency
    rows = conn.execute(select(n, ag.c.name.label("origin"))
                        .outerjoin(ag, ag.c.id == n.c.originating_agency_id)
                        .where(n.c.case_id == case_id)
                        .order_by(n.c.written_at.desc(), n.c.id.desc())).mappings().all()
    carried = caveats.names_by_item(conn, ItemKind.NOTE, [r["id"] for r in rows])
    return tuple(NoteRow(r["id"], r["written_at"], r["author"], r["body"], r["originating_agency_id"],
                         r["origin"] or "", tuple(c[0] for c in carried.get(r["id"], ())),
                         tuple(c[1] for c in carried.get(r["id"], ()))) for r in rows)
