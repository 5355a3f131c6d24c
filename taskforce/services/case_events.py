"""Case events: the dated timeline of a case (arrests, seizures, warrants, controlled deliveries …).

DOMAIN.md rule 5 (001 Controlled Deliveries): a controlled delivery (kind
``controlled_delivery``) must name its lead agency, and that lead must be ICE HSI or one of its
units, or the agency the case's task force names as its investigative lead (or one of its
units); the task force's lead agency as such never qualifies. Events belong to their
case: they are audited with the case as root, so they show in the case's History.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, text

from taskforce.domain.case_events import (
    CONTROLLED_DELIVERY_REFUSED, CaseEventData, EventKind, may_lead_controlled_delivery,
)
from taskforce.domain.enums import label_of
from taskforce.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from taskforce.domain.feedback import SupportData, SupportKind
from taskforce.domain.release import ItemKind
from taskforce.i18n import tr
from taskforce.services import caveats
from taskforce.services.context import Change, Context
from taskforce.services.feedback import open_obligation
from taskforce.services.tx import Tx, change_of, fetch_row, read, refuse_future, write
from taskforce.store import schema as S
from taskforce.store.queries import agency_ancestors

_SHORT = "CASE WHEN {a}.abbreviation <> '' THEN {a}.abbreviation ELSE {a}.name END"


@dataclass(frozen=True)
class EventRow:
    id: int
    data: CaseEventData
    lead_agency: str
    agencies: tuple[str, ...]  # the other agencies involved, by short name
    caveats: tuple[str, ...] = ()  # names

    @property
    def kind_label(self) -> str:
        return label_of(EventKind, self.data.kind)


@dataclass(frozen=True)
class Timeline:
    case_id: int
    number: str
    title: str
    events: tuple[EventRow, ...]  # in date order, oldest first


# --- writing --------------------------------------------------------------------------------

def _check_lead(tx: Tx, data: CaseEventData) -> None:
    """Rule 5: a controlled delivery is led by the investigative agency."""
    if data.kind != EventKind.CONTROLLED_DELIVERY:
        return
    investigative_lead = tx.conn.execute(
        select(S.task_force.c.investigative_lead_agency_id)
        .join(S.case, S.case.c.task_force_id == S.task_force.c.id)
        .where(S.case.c.id == data.case_id)).scalar()
    chain = [(i, ref) for i, ref, _name in agency_ancestors(tx.conn, data.lead_agency_id)]
    if not may_lead_controlled_delivery(chain, investigative_lead):
        raise ValidationFailed([FieldError("lead_agency_id", tr(CONTROLLED_DELIVERY_REFUSED))])


def _values(data: CaseEventData) -> dict:
    return {"case_id": data.case_id, "kind": data.kind, "occurred_on": data.occurred_on,
            "lead_agency_id": data.lead_agency_id, "description": data.description.strip(),
            "outcome": data.outcome.strip(), "originating_agency_id": data.originating_agency_id}


def _save_agencies(tx: Tx, event_id: int, data: CaseEventData) -> None:
    root = ("case_file", data.case_id)
    tx.set_links(S.case_event_agency, "event_id", event_id, "agency_id", data.agency_ids,
                 root, f"agencies of event #{event_id}")
    caveats.save(tx, ItemKind.EVENT, event_id, data.caveat_ids, root, f"caveats of event #{event_id}")


def _sync_delivery_support(tx: Tx, event_id: int, data: CaseEventData | None) -> None:
    """Rule 2 (DOMAIN.md): a controlled delivery is support given to its lead by each other
    agency involved, so each opens feedback owed by the lead. The obligations follow the
    delivery (its day, lead and agencies; none once it is no delivery or is deleted), except
    one whose feedback is recorded: that stays, and the change is refused."""
    wanted: set[int] = set()
    if data is not None and data.kind == EventKind.CONTROLLED_DELIVERY:
        wanted = {a for a in data.agency_ids if a != data.lead_agency_id}
    sp = S.support
    for row in tx.conn.execute(select(sp).where(sp.c.event_id == event_id)).mappings().all():
        keep = data is not None and row["from_agency_id"] in wanted and row["to_agency_id"] == data.lead_agency_id
        if row["feedback_closed_on"] is not None:
            if keep and row["given_on"] == data.occurred_on:  # type: ignore[union-attr]
                wanted.discard(row["from_agency_id"])
                continue
            giver = fetch_row(tx.conn, S.agency, row["from_agency_id"])["name"]
            raise Conflict(tr("Feedback to {giver} on this controlled delivery was recorded on {day}; "
                              "remove that feedback first, or leave the delivery as it is.").format(
                giver=giver, day=row["feedback_closed_on"].isoformat()))
        if keep:
            wanted.discard(row["from_agency_id"])
            if row["given_on"] != data.occurred_on:  # type: ignore[union-attr]
                interval = (row["feedback_due_on"] - row["given_on"]).days  # kept from when it opened
                tx.update(sp, row["id"], {"given_on": data.occurred_on,  # type: ignore[union-attr]
                                          "feedback_due_on": data.occurred_on + timedelta(days=interval)})  # type: ignore[union-attr]
        else:
            tx.delete(sp, row["id"])
    if not wanted:
        return
    case = fetch_row(tx.conn, S.case, data.case_id)  # type: ignore[union-attr]
    for giver in sorted(wanted):
        open_obligation(tx, SupportData(
            task_force_id=case["task_force_id"], from_agency_id=giver, to_agency_id=data.lead_agency_id,  # type: ignore[union-attr]
            kind=SupportKind.CONTROLLED_DELIVERY.value, given_on=data.occurred_on, case_id=data.case_id,  # type: ignore[union-attr]
            description=tr("Controlled delivery on case {number}.").format(number=case["number"]),
            originating_agency_id=giver), event_id=event_id)


def add_event(ctx: Context, data: CaseEventData) -> Change:
    data.check()
    refuse_future(ctx, ("occurred_on", data.occurred_on, tr("Date")))
    with write(ctx) as tx:
        fetch_row(tx.conn, S.case, data.case_id)
        _check_lead(tx, data)
        event_id = tx.insert(S.case_event, _values(data), ("case_file", data.case_id))
        _save_agencies(tx, event_id, data)
        _sync_delivery_support(tx, event_id, data)
        return change_of(tx, event_id)


def update_event(ctx: Context, event_id: int, data: CaseEventData) -> Change:
    """Edit an event, e.g. to record a controlled delivery's outcome once it is known."""
    data.check()
    refuse_future(ctx, ("occurred_on", data.occurred_on, tr("Date")))
    with write(ctx) as tx:
        row = tx.get(S.case_event, event_id)
        if row["case_id"] != data.case_id:
            raise ValidationFailed([FieldError("case_id", tr("An event stays on its case; add it to the other case instead."))])
        _check_lead(tx, data)
        tx.update(S.case_event, event_id, _values(data), ("case_file", data.case_id))
        _save_agencies(tx, event_id, data)
        _sync_delivery_support(tx, event_id, data)
        return change_of(tx, event_id)


def record_outcome(ctx: Context, event_id: int, outcome: str) -> Change:
    """Set the outcome alone (delivered, arrests made, seized …)."""
    if not outcome.strip():
        raise ValidationFailed([FieldError("outcome", tr("Outcome is required."))])
    with write(ctx) as tx:
        row = tx.get(S.case_event, event_id)
        tx.update(S.case_event, event_id, {"outcome": outcome.strip()}, ("case_file", row["case_id"]))
        return change_of(tx, event_id)


def delete_event(ctx: Context, event_id: int) -> Change:
    with write(ctx) as tx:
        row = tx.get(S.case_event, event_id)
        _sync_delivery_support(tx, event_id, None)
        tx.delete(S.case_event, event_id, ("case_file", row["case_id"]))
        return change_of(tx, event_id)


# --- reading --------------------------------------------------------------------------------

def _date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def timeline(ctx: Context, case_id: int) -> Timeline:
    """The case's events, oldest first (the order a briefing tells them)."""
    with read(ctx) as conn:
        case = fetch_row(conn, S.case, case_id)
        rows = conn.execute(text(
            f"SELECT e.*, coalesce({_SHORT.format(a='lead')}, '') AS lead_name, "
            f"(SELECT group_concat({_SHORT.format(a='a')}, '\x1f') FROM case_event_agency x "
            " JOIN agency a ON a.id = x.agency_id WHERE x.event_id = e.id) AS agency_names, "
            "(SELECT group_concat(x.agency_id) FROM case_event_agency x WHERE x.event_id = e.id) AS agency_ids "
            "FROM case_event e LEFT JOIN agency lead ON lead.id = e.lead_agency_id "
            "WHERE e.case_id = :case ORDER BY e.occurred_on, e.id"), {"case": case_id}).mappings().all()
        carried = caveats.names_by_item(conn, ItemKind.EVENT, [r["id"] for r in rows])
    events = tuple(EventRow(
        r["id"],
        CaseEventData(case_id=case_id, kind=r["kind"], occurred_on=_date(r["occurred_on"]),
                      lead_agency_id=r["lead_agency_id"], description=r["description"],
                      outcome=r["outcome"], originating_agency_id=r["originating_agency_id"],
                      agency_ids=tuple(sorted(int(i) for i in (r["agency_ids"] or "").split(",") if i)),
                      caveat_ids=tuple(i for i, _ in carried.get(r["id"], ()))),
        r["lead_name"], tuple(sorted((r["agency_names"] or "").split("\x1f"))) if r["agency_names"] else (),
        tuple(name for _, name in carried.get(r["id"], ())))
        for r in rows)
    return Timeline(case_id, case["number"], case["title"], events)


def timeline_by_number(ctx: Context, number: str) -> Timeline:
    with read(ctx) as conn:
        case_id = conn.execute(select(S.case.c.id).where(S.case.c.number == number.strip())).scalar()
    if case_id is None:
        raise NotFound(tr(f"No case is numbered {number.strip()}."))
    return timeline(ctx, case_id)


# --- for the forms of this area (debriefs, referrals, events) ----------------------------------





def case_lead(ctx: Context, case_id: int) -> int:
    """The case's lead agency now: the default lead of a new debrief, the sender of a referral."""
    with read(ctx) as conn:
        return fetch_row(conn, S.case, case_id)["lead_agency_id"]
