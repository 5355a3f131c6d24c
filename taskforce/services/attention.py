"""What needs attention today: every open obligation and deadline, from SQL aggregates.

Each kind is one indexed query over its own table (never a load of records), capped per kind
with its full count, so the home screen stays instant at 100,000 cases. The meaning of each
kind is the rule it comes from (DOMAIN.md rules 2, 3, 4, 7, 9, 10).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Connection, text

from taskforce.domain.designations import expiry_text, lapse_text
from taskforce.domain.text import days_text
from taskforce.domain.enums import DesignationStatus, label_of
from taskforce.domain.feedback import SupportKind
from taskforce.domain.referrals import pending_text
from taskforce.i18n import tr
from taskforce.services.context import Context
from taskforce.store.rule_sql import renewal_sql, status_sql
from taskforce.services.tx import read

# The order the home screen shows them in: what is already late first.
KINDS = ("feedback_overdue", "briefing_owed", "referral_pending", "designation_expired",
         "designation_expiring", "action_item_overdue", "evaluation_due", "meeting_due")
TITLES = {
    "feedback_overdue": "Feedback overdue",
    "briefing_owed": "Briefings owed to the Supervisory CBP Officer",
    "referral_pending": "Referrals pending",
    "designation_expired": "Designations expired",
    "designation_expiring": "Designations expiring",
    "action_item_overdue": "Action items overdue",
    "evaluation_due": "Evaluations due",
    "meeting_due": "Working-group meetings due",
}
MEETING_INTERVAL_DAYS = 90  # rule 9 (001): the working group meets quarterly
MEETING_REMINDER_DAYS = 14  # the reminder shows two weeks ahead
PER_KIND_LIMIT = 200

_AGENCY = "CASE WHEN {a}.abbreviation <> '' THEN {a}.abbreviation ELSE {a}.name END"


@dataclass(frozen=True)
class Item:
    kind: str
    due: date
    record: str  # what a user recognizes: a case number, a member's name, a task force
    summary: str
    entity: str  # the record that opens: (entity, id)
    id: int
    days: int  # days overdue (positive) or until due (negative)

    def as_json(self) -> dict:
        return {"kind": self.kind, "due": self.due.isoformat(), "record": self.record,
                "summary": self.summary, "entity": self.entity, "id": self.id, "days": self.days}


@dataclass(frozen=True)
class PairRow:
    """Overdue feedback by agency pair (giver → receiver)."""

    giver: str
    receiver: str
    overdue: int
    oldest_due: date


@dataclass(frozen=True)
class Attention:
    as_of: date
    items: tuple[Item, ...]
    counts: dict[str, int] = field(default_factory=dict)  # full counts, before the per-kind cap
    pairs: tuple[PairRow, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _d(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _run(conn: Connection, kind: str, count_sql: str, rows_sql: str, params: dict, make) -> tuple[int, list[Item]]:  # noqa: ANN001
    count = conn.execute(text(count_sql), params).scalar_one()
    rows = conn.execute(text(rows_sql + f" LIMIT {PER_KIND_LIMIT}"), params).all() if count else []
    return count, [make(r) for r in rows]


# As of a past day D, each kind shows what stood on D: a record made after D does not appear,
# and an obligation met after D is still open on D (S14). The conditions, written once:
# (open on D: not closed, or closed after D; written as two index ranges, not an OR the
# planner would scan 40,000 support rows for)
_FEEDBACK_OVERDUE = ("s.id IN (SELECT id FROM support WHERE feedback_closed_on IS NULL AND feedback_due_on < :d "
                     "UNION ALL SELECT id FROM support WHERE feedback_closed_on > :d AND feedback_due_on < :d) "
                     "AND s.given_on <= :d")
_BRIEFING_OWED = ("d.id IN (SELECT id FROM debrief WHERE briefing_owed AND briefed_on IS NULL AND waived_on IS NULL "
                  "UNION ALL SELECT id FROM debrief WHERE briefing_owed AND (briefed_on > :d OR waived_on > :d)) "
                  "AND d.held_on <= :d AND (d.briefed_on IS NULL OR d.briefed_on > :d) "
                  "AND (d.waived_on IS NULL OR d.waived_on > :d)")
_REFERRAL_PENDING = ("f.id IN (SELECT id FROM referral WHERE status = 'pending' "
                     "UNION ALL SELECT id FROM referral WHERE status <> 'pending' AND decided_on > :d) "
                     "AND f.referred_on <= :d")
_ASSIGNED = ("EXISTS (SELECT 1 FROM assignment a WHERE a.member_id = t.member_id AND a.start <= :d "
             "AND (a.\"end\" IS NULL OR a.\"end\" >= :d))")
_ITEM_OVERDUE = "i.due_on < :d AND (i.status = 'open' OR i.done_on > :d)"
_EVALUATION_DUE = "x.evaluation_on <= :d AND (x.evaluated_on IS NULL OR x.evaluated_on > :d)"


def _designations(status: str) -> tuple[str, str]:
    """Rule 7: designations expired or expiring as of :d, by the one definition of
    ``services.roster.status_sql``, while their holder is assigned to a task force."""
    where = f"{status_sql('t', ':d')} = '{status}' AND {_ASSIGNED}"
    return (f"SELECT count(*) FROM designation t WHERE {where}",
            f"""SELECT t.member_id, t.expires, m.family_name || ', ' || m.given_names, k.label, {renewal_sql('t')}
                FROM designation t JOIN member m ON m.id = t.member_id
                JOIN designation_authority k ON k.code = t.authority
                WHERE {where} ORDER BY t.expires {'DESC' if status == 'expired' else ''}, t.id""")


def attention(ctx: Context, as_of: date | None = None) -> Attention:
    as_of = as_of or ctx.today()
    p = {"d": as_of.isoformat(),
         "remind": (as_of + timedelta(days=MEETING_REMINDER_DAYS)).isoformat()}
    counts: dict[str, int] = {}
    items: list[Item] = []

    def late(due: date) -> int:
        return (as_of - due).days

    def lapse(r) -> str:  # noqa: ANN001 - a designation row (member, expires, name, label, renewal)
        status = DesignationStatus.EXPIRED if _d(r[1]) < as_of else DesignationStatus.EXPIRING
        text_ = lapse_text(_d(r[1]), _d(r[4]) if r[4] else None, status)
        return f"; {text_}" if text_ else ""

    with read(ctx) as conn:
        queries = [
            # rule 2 (001 Feedback): the receiver owes results back once the interval has passed
            ("feedback_overdue",
             f"SELECT count(*) FROM support s WHERE {_FEEDBACK_OVERDUE}",
             f"""SELECT s.id, s.feedback_due_on, coalesce(c.number, 'support #' || s.id),
                        {_AGENCY.format(a='g')}, {_AGENCY.format(a='r')}, s.kind
                 FROM support s JOIN agency g ON g.id = s.from_agency_id
                 JOIN agency r ON r.id = s.to_agency_id LEFT JOIN case_file c ON c.id = s.case_id
                 WHERE {_FEEDBACK_OVERDUE}
                 ORDER BY s.feedback_due_on, s.id""",
             lambda r: Item("feedback_overdue", _d(r[1]), r[2],
                            tr("{receiver} owes feedback to {giver} on {kind} given; {days} overdue").format(
                                receiver=r[4], giver=r[3], kind=label_of(SupportKind, r[5]).lower(),
                                days=days_text(late(_d(r[1])))),
                            "support", r[0], late(_d(r[1])))),
            # rule 3 (001 Presence of CBP Officers): no CBP officer sat in, so the SCBPO is briefed
            ("briefing_owed",
             f"SELECT count(*) FROM debrief d WHERE {_BRIEFING_OWED}",
             f"""SELECT d.id, d.held_on, c.number, {_AGENCY.format(a='a')}, coalesce(s.name, '')
                 FROM debrief d JOIN case_file c ON c.id = d.case_id
                 JOIN agency a ON a.id = d.lead_agency_id LEFT JOIN subject s ON s.id = d.defendant_subject_id
                 WHERE {_BRIEFING_OWED}
                 ORDER BY d.held_on, d.id""",
             lambda r: Item("briefing_owed", _d(r[1]), r[2],
                            (tr("{agency} owes the Supervisory CBP Officer a briefing on the debrief of {defendant} "
                                "held {day}") if r[4] else
                             tr("{agency} owes the Supervisory CBP Officer a briefing on the debrief held {day}")
                             ).format(agency=r[3], defendant=r[4], day=_d(r[1]).isoformat()),
                            "debrief", r[0], late(_d(r[1])))),
            # rule 4 (001 CBP Officer Enforcement (E)): a referral waits for accept or decline
            ("referral_pending",
             f"SELECT count(*) FROM referral f WHERE {_REFERRAL_PENDING}",
             f"""SELECT f.id, f.referred_on, c.number, {_AGENCY.format(a='g')}, {_AGENCY.format(a='r')}
                 FROM referral f JOIN case_file c ON c.id = f.case_id
                 JOIN agency g ON g.id = f.from_agency_id JOIN agency r ON r.id = f.to_agency_id
                 WHERE {_REFERRAL_PENDING} ORDER BY f.referred_on, f.id""",
             lambda r: Item("referral_pending", _d(r[1]), r[2],
                            tr("Referred by {giver} to {receiver}; {pending}").format(
                                giver=r[3], receiver=r[4], pending=pending_text(late(_d(r[1])))),
                            "referral", r[0], late(_d(r[1])))),
            # rule 7: past expiry a designation no longer counts, until another of its authority
            # takes effect; within 90 days it warns, unless another takes over the day after
            ("designation_expired", *_designations("expired"),
             lambda r: Item("designation_expired", _d(r[1]), r[2],
                            tr("{authority} expired {day}; it no longer counts").format(
                                authority=r[3], day=_d(r[1]).isoformat()) + lapse(r),
                            "member", r[0], late(_d(r[1])))),
            ("designation_expiring", *_designations("expiring"),
             lambda r: Item("designation_expiring", _d(r[1]), r[2],
                            tr("{authority} {expiry} ({day})").format(
                                authority=r[3], expiry=expiry_text(_d(r[1]), as_of), day=_d(r[1]).isoformat())
                            + lapse(r),
                            "member", r[0], late(_d(r[1])))),
            # rule 9 (001): action items have owners and due dates
            ("action_item_overdue",
             f"SELECT count(*) FROM action_item i WHERE {_ITEM_OVERDUE}",
             f"""SELECT i.id, i.due_on, t.name, i.title,
                        coalesce(m.family_name || ', ' || m.given_names, {_AGENCY.format(a='a')}, '')
                 FROM action_item i JOIN task_force t ON t.id = i.task_force_id
                 LEFT JOIN member m ON m.id = i.owner_member_id LEFT JOIN agency a ON a.id = i.owner_agency_id
                 WHERE {_ITEM_OVERDUE} ORDER BY i.due_on, i.id""",
             lambda r: Item("action_item_overdue", _d(r[1]), r[2],
                            tr("“{title}” (owner {owner}) {days} overdue").format(
                                title=r[3], owner=r[4], days=days_text(late(_d(r[1])))),
                            "action_item", r[0], late(_d(r[1])))),
            # rule 10 (001 Title 21): a detail's evaluation comes due
            ("evaluation_due",
             f"SELECT count(*) FROM detail x WHERE {_EVALUATION_DUE}",
             f"""SELECT x.id, x.evaluation_on, m.family_name || ', ' || m.given_names,
                        {_AGENCY.format(a='h')}, x.program
                 FROM detail x JOIN member m ON m.id = x.member_id JOIN agency h ON h.id = x.host_agency_id
                 WHERE {_EVALUATION_DUE} ORDER BY x.evaluation_on, x.id""",
             lambda r: Item("evaluation_due", _d(r[1]), r[2],
                            (tr("Evaluation of the detail to {host} ({program}) due {day}") if r[4] else
                             tr("Evaluation of the detail to {host} due {day}")).format(
                                host=r[3], program=r[4], day=_d(r[1]).isoformat()),
                            "detail", r[0], late(_d(r[1])))),
        ]
        for kind, count_sql, rows_sql, make in queries:
            counts[kind], found = _run(conn, kind, count_sql, rows_sql, p, make)
            items.extend(found)
        meetings = _meetings_due(conn, p, as_of)
        counts["meeting_due"] = len(meetings)
        items.extend(meetings[:PER_KIND_LIMIT])
        pairs = tuple(PairRow(r[0], r[1], r[2], _d(r[3])) for r in conn.execute(text(f"""
            SELECT {_AGENCY.format(a='g')}, {_AGENCY.format(a='r')}, count(*), min(s.feedback_due_on)
            FROM support s JOIN agency g ON g.id = s.from_agency_id JOIN agency r ON r.id = s.to_agency_id
            WHERE {_FEEDBACK_OVERDUE}
            GROUP BY s.from_agency_id, s.to_agency_id ORDER BY count(*) DESC, 4 LIMIT 50"""), p))
    order = {k: i for i, k in enumerate(KINDS)}
    items.sort(key=lambda i: (order[i.kind], -i.days if i.kind != "designation_expired" else 0))
    return Attention(as_of, tuple(items), {k: counts.get(k, 0) for k in KINDS}, pairs)


def _meetings_due(conn: Connection, p: dict, as_of: date) -> list[Item]:
    """Rule 9 (001): working groups meet quarterly; remind from two weeks before the next one."""
    rows = conn.execute(text("""
        SELECT t.id, t.name, max(m.held_on)
        FROM task_force t LEFT JOIN meeting m ON m.task_force_id = t.id AND m.held_on <= :d
        WHERE (t.kind = 'working_group' OR m.id IS NOT NULL)
          AND (t.active_from IS NULL OR t.active_from <= :d) AND (t.active_to IS NULL OR t.active_to >= :d)
        GROUP BY t.id, t.name"""), p).all()
    items = []
    for tf_id, name, last in rows:
        if last is None:
            due, why = as_of, "no meeting recorded yet"
        else:
            due = _d(last) + timedelta(days=MEETING_INTERVAL_DAYS)
            why = f"last met {_d(last).isoformat()}"
        if (due - as_of).days <= MEETING_REMINDER_DAYS:
            state = f"overdue since {due.isoformat()}" if due < as_of else f"due by {due.isoformat()}"
            items.append(Item("meeting_due", due, name, f"Quarterly meeting {state} ({why})",
                              "task_force", tf_id, (as_of - due).days))
    return sorted(items, key=lambda i: i.due)
