"""Referrals: one agency hands a case to another; accepting it gives the receiver the lead.

DOMAIN.md rule 4 (001 CBP Officer Enforcement (E)). ``referral.status`` is pending, accepted or
declined. Accepting sets ``decided_on`` and moves ``case_file.lead_agency_id`` to the
referral's ``to_agency_id`` through an audited update rooted on the case, so the case's History
shows the old and the new lead. Declining needs a reason and keeps the lead. A decided referral
is never decided again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text

from taskforce.domain.errors import Conflict, FieldError, ValidationFailed
from taskforce.domain.referrals import (
    DecisionData, ReferralData, ReferralStatus, age_days, decision_date_problem, decision_refusal, may_refer,
)
from taskforce.domain.feedback import SupportData, SupportKind
from taskforce.i18n import tr
from taskforce.services.feedback import open_obligation
from taskforce.services.context import Change, Context
from taskforce.services.lists import Column, Filter, ListSpec
from taskforce.services.rows import to_data
from taskforce.services.tx import Tx, change_of, fetch_row, read, refuse_future, write
from taskforce.store import schema as S
from taskforce.store.queries import agency_ancestors, agency_label

_SHORT = "CASE WHEN {a}.abbreviation <> '' THEN {a}.abbreviation ELSE {a}.name END"


@dataclass(frozen=True)
class ReferralRow:
    id: int
    case_id: int
    case_number: str
    referred_on: date
    from_agency: str
    from_member: str
    to_agency: str
    status: ReferralStatus
    decided_on: date | None
    decision_reason: str
    basis: str
    age_days: int | None  # pending only: days waiting, as of the day asked


@dataclass(frozen=True)
class ReferralDetail:
    id: int
    data: ReferralData
    row: ReferralRow
    case_title: str
    case_lead: str  # the case's lead agency now


@dataclass(frozen=True)
class ReferralPage:
    rows: tuple[ReferralRow, ...]
    total: int


# --- writing --------------------------------------------------------------------------------

def _values(data: ReferralData) -> dict:
    return {"case_id": data.case_id, "from_agency_id": data.from_agency_id,
            "from_member_id": data.from_member_id, "to_agency_id": data.to_agency_id,
            "referred_on": data.referred_on, "basis": data.basis.strip()}


def _check_case(tx: Tx, data: ReferralData, referral_id: int | None) -> dict:
    refuse_future(tx.ctx, ("referred_on", data.referred_on, tr("Date referred")))
    case = fetch_row(tx.conn, S.case, data.case_id)
    chain = [i for i, _ref, _name in agency_ancestors(tx.conn, data.from_agency_id)]
    if not may_refer(chain, case["lead_agency_id"]):
        lead = fetch_row(tx.conn, S.agency, case["lead_agency_id"])["name"]
        raise ValidationFailed([FieldError("from_agency_id", tr(
            "Only the case's lead agency ({lead}) or one of its units refers this case.").format(lead=lead))])
    if case["lead_agency_id"] == data.to_agency_id:
        raise ValidationFailed([FieldError("to_agency_id", tr("That agency already leads this case."))])
    r = S.referral.c
    # rule 4, one lead: two pending referrals of one case could both be accepted
    other = tx.conn.execute(select(r.id).where(r.case_id == data.case_id, r.status == ReferralStatus.PENDING,
                                               r.id != (referral_id or -1))).first()
    if other:
        raise Conflict(tr("This case already has a pending referral; accept or decline it first."))
    return case


def create_referral(ctx: Context, data: ReferralData) -> Change:
    data.check()
    with write(ctx) as tx:
        _check_case(tx, data, None)
        new_id = tx.insert(S.referral, {**_values(data), "status": ReferralStatus.PENDING.value},
                           ("case_file", data.case_id))
        return change_of(tx, new_id)


def update_referral(ctx: Context, referral_id: int, data: ReferralData) -> Change:
    """Correct a pending referral; a decided one is the record of its decision and stays."""
    data.check()
    with write(ctx) as tx:
        row = tx.get(S.referral, referral_id)
        if row["status"] != ReferralStatus.PENDING:
            raise Conflict(tr(f"This referral was {row['status']}; a decided referral cannot be edited."))
        _check_case(tx, data, referral_id)
        tx.update(S.referral, referral_id, _values(data), ("case_file", data.case_id))
        return change_of(tx, referral_id)


def delete_referral(ctx: Context, referral_id: int) -> Change:
    with write(ctx) as tx:
        row = tx.get(S.referral, referral_id)
        if row["status"] != ReferralStatus.PENDING:
            raise Conflict(tr(f"This referral was {row['status']}; it is kept as the record of that decision."))
        tx.delete(S.referral, referral_id, ("case_file", row["case_id"]))
        return change_of(tx, referral_id)


def decide_referral(ctx: Context, data: DecisionData) -> Change:
    data.check()
    with write(ctx) as tx:
        row = tx.get(S.referral, data.referral_id)
        if refusal := decision_refusal(row["status"], row["decided_on"]):
            raise Conflict(refusal)
        if problem := decision_date_problem(row["referred_on"], data.decided_on, ctx.today()):
            raise ValidationFailed([FieldError("decided_on", problem)])
        root = ("case_file", row["case_id"])
        tx.update(S.referral, data.referral_id, {"status": data.decision, "decided_on": data.decided_on,
                                                 "decision_reason": data.reason.strip()}, root)
        if data.decision == ReferralStatus.ACCEPTED:
            # 001: "OI will have the lead for investigations they accept from OFO."
            tx.update(S.case, row["case_id"], {"lead_agency_id": row["to_agency_id"]}, root)
            # rule 2: an accepted referral is support given; the receiver owes feedback
            case = fetch_row(tx.conn, S.case, row["case_id"])
            open_obligation(tx, SupportData(
                task_force_id=case["task_force_id"], from_agency_id=row["from_agency_id"],
                to_agency_id=row["to_agency_id"], kind=SupportKind.REFERRAL.value, given_on=data.decided_on,
                case_id=row["case_id"], description=tr("Referral of case {number}, accepted.").format(
                    number=case["number"])), referral_id=data.referral_id)
        return change_of(tx, data.referral_id)


def accept_referral(ctx: Context, referral_id: int, decided_on: date, note: str = "") -> Change:
    return decide_referral(ctx, DecisionData(referral_id, ReferralStatus.ACCEPTED.value, decided_on, note))


def decline_referral(ctx: Context, referral_id: int, decided_on: date, reason: str) -> Change:
    return decide_referral(ctx, DecisionData(referral_id, ReferralStatus.DECLINED.value, decided_on, reason))


# --- reading --------------------------------------------------------------------------------

def _date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


_ROWS_SQL = f"""
    SELECT r.id, r.case_id, c.number, r.referred_on, {agency_label('fa')} AS from_agency,
           coalesce(m.given_names || ' ' || m.family_name, '') AS from_member,
           {agency_label('ta')} AS to_agency, r.status, r.decided_on, r.decision_reason, r.basis
    FROM referral r JOIN case_file c ON c.id = r.case_id
    JOIN agency fa ON fa.id = r.from_agency_id JOIN agency ta ON ta.id = r.to_agency_id
    LEFT JOIN member m ON m.id = r.from_member_id"""


def _row(r, today: date) -> ReferralRow:  # noqa: ANN001
    referred_on = _date(r.referred_on)
    status = ReferralStatus(r.status)
    return ReferralRow(r.id, r.case_id, r.number, referred_on, r.from_agency, r.from_member, r.to_agency,
                       status, _date(r.decided_on), r.decision_reason, r.basis,
                       age_days(referred_on, today) if status is ReferralStatus.PENDING else None)


def case_referrals(ctx: Context, case_id: int, as_of: date | None = None) -> tuple[ReferralRow, ...]:
    today = as_of or ctx.today()
    with read(ctx) as conn:
        rows = conn.execute(text(_ROWS_SQL + " WHERE r.case_id = :case ORDER BY r.referred_on DESC, r.id DESC"),
                            {"case": case_id}).all()
    return tuple(_row(r, today) for r in rows)


def list_referrals(ctx: Context, pending_only: bool = False, as_of: date | None = None,
                   limit: int = 100) -> ReferralPage:
    """All referrals newest first, or the pending ones oldest (longest waiting) first."""
    today = as_of or ctx.today()
    where = " WHERE r.status = 'pending'" if pending_only else ""
    order = (" ORDER BY r.referred_on ASC, r.id ASC" if pending_only
             else " ORDER BY r.referred_on DESC, r.id DESC")
    with read(ctx) as conn:
        total = conn.execute(text(f"SELECT count(*) FROM referral r{where}")).scalar_one()
        rows = conn.execute(text(_ROWS_SQL + where + order + " LIMIT :n"), {"n": limit}).all()
    return ReferralPage(tuple(_row(r, today) for r in rows), total)


def get_referral(ctx: Context, referral_id: int, as_of: date | None = None) -> ReferralDetail:
    today = as_of or ctx.today()
    with read(ctx) as conn:
        stored = fetch_row(conn, S.referral, referral_id)
        r = conn.execute(text(_ROWS_SQL + " WHERE r.id = :i"), {"i": referral_id}).one()
        case = conn.execute(text(f"SELECT c.title, {agency_label('a')} FROM case_file c "
                                 "JOIN agency a ON a.id = c.lead_agency_id WHERE c.id = :i"),
                            {"i": stored["case_id"]}).one()
    return ReferralDetail(referral_id, to_data(ReferralData, stored), _row(r, today), case[0], case[1])


# --- the list section -----------------------------------------------------------------------

REFERRALS = ListSpec(
    name="referrals", entity="referral", also_refresh_on=frozenset({"case_file", "agency"}),
    from_sql="FROM referral t JOIN case_file c ON c.id = t.case_id "
             "JOIN agency fa ON fa.id = t.from_agency_id JOIN agency ta ON ta.id = t.to_agency_id",
    columns=(
        Column("referred_on", "Date", "t.referred_on", 95, "date"),
        Column("case", "Case", "c.number", 170),
        Column("from", "From", _SHORT.format(a="fa"), 150),
        Column("to", "To", _SHORT.format(a="ta"), 150),
        Column("status", "Status", "t.status", 90, "label"),
        Column("age", "Age (days)",
               "CASE WHEN t.status = 'pending' THEN "
               "max(CAST(julianday(:today) - julianday(t.referred_on) AS INTEGER), 0) END", 80, "number"),
        Column("decided_on", "Decided", "t.decided_on", 95, "date"),
    ),
    quick_filter=("c.number", "t.basis"),
    filters=(
        Filter("status", "Status", "t.status = :status",
               "SELECT 'pending', 'Pending' UNION ALL SELECT 'accepted', 'Accepted' "
               "UNION ALL SELECT 'declined', 'Declined'"),
        Filter("task_force", "Task force", "c.task_force_id = :task_force",
               "SELECT id, name FROM task_force ORDER BY name"),
    ),
    default_sort="referred_on", default_descending=True, noun=("referral", "referrals"),
)
