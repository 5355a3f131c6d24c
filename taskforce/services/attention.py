"""What needs attention today: every open obligation and deadline, from SQL aggregates.

Each kind is one indexed query over its own table (never a load of records), capped per kind
with its full count, so the home screen stays instant at 100,000 cases. The meaning of each
kind is the rule it comes from (DOMAIN.md rules 2, 3, 4, 7, 9, 10).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Connection, text

from taskforce.domain.rules import EXPIRY_WARNING_DAYS
from taskforce.services.context import Context
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


def attention(ctx: Context, as_of: date | None = None) -> Attention:
    as_of = as_of or ctx.today()
    p = {"d": as_of.isoformat(), "warn": (as_of + timedelta(days=EXPIRY_WARNING_DAYS)).isoformat(),
         "meeting_days": MEETING_INTERVAL_DAYS,
         "remind": (as_of + timedelta(days=MEETING_REMINDER_DAYS)).isoformat()}
    counts: dict[str, int] = {}
    items: list[Item] = []

    def late(due: date) -> int:
        return (as_of - due).days

    with read(ctx) as conn:
        queries = [
            # rule 2 (001 Feedback): the receiver owes results back once the interval has passed
            ("feedback_overdue",
             "SELECT count(*) FROM support WHERE feedback_closed_on IS NULL AND feedback_due_on < :d",
             f"""SELECT s.id, s.feedback_due_on, coalesce(c.number, 'support #' || s.id),
                        {_AGENCY.format(a='g')}, {_AGENCY.format(a='r')}, s.kind
                 FROM support s JOIN agency g ON g.id = s.from_agency_id
                 JOIN agency r ON r.id = s.to_agency_id LEFT JOIN case_file c ON c.id = s.case_id
                 WHERE s.feedback_closed_on IS NULL AND s.feedback_due_on < :d
                 ORDER BY s.feedback_due_on, s.id""",
             lambda r: Item("feedback_overdue", _d(r[1]), r[2],
                            f"{r[4]} owes feedback to {r[3]} on {r[5].replace('_', ' ')} given; "
                            f"{late(_d(r[1]))} day{'s' if late(_d(r[1])) != 1 else ''} overdue",
                            "support", r[0], late(_d(r[1])))),
            # rule 3 (001 Presence of CBP Officers): no CBP officer sat in, so the SCBPO is briefed
            ("briefing_owed",
             "SELECT count(*) FROM debrief WHERE briefing_owed AND briefed_on IS NULL AND waived_on IS NULL",
             f"""SELECT d.id, d.held_on, c.number, {_AGENCY.format(a='a')}, coalesce(s.name, '')
                 FROM debrief d JOIN case_file c ON c.id = d.case_id
                 JOIN agency a ON a.id = d.lead_agency_id LEFT JOIN subject s ON s.id = d.defendant_subject_id
                 WHERE d.briefing_owed AND d.briefed_on IS NULL AND d.waived_on IS NULL
                 ORDER BY d.held_on, d.id""",
             lambda r: Item("briefing_owed", _d(r[1]), r[2],
                            f"{r[3]} owes the Supervisory CBP Officer a briefing on the debrief"
                            + (f" of {r[4]}" if r[4] else "") + f" held {_d(r[1]).isoformat()}",
                            "debrief", r[0], late(_d(r[1])))),
            # rule 4 (001 CBP Officer Enforcement (E)): a referral waits for accept or decline
            ("referral_pending",
             "SELECT count(*) FROM referral WHERE status = 'pending'",
             f"""SELECT f.id, f.referred_on, c.number, {_AGENCY.format(a='g')}, {_AGENCY.format(a='r')}
                 FROM referral f JOIN case_file c ON c.id = f.case_id
                 JOIN agency g ON g.id = f.from_agency_id JOIN agency r ON r.id = f.to_agency_id
                 WHERE f.status = 'pending' ORDER BY f.referred_on, f.id""",
             lambda r: Item("referral_pending", _d(r[1]), r[2],
                            f"Referred by {r[3]} to {r[4]}; pending {late(_d(r[1]))} days",
                            "referral", r[0], late(_d(r[1])))),
            # rule 7: past expiry a designation no longer counts; shown while its holder is still
            # assigned to a task force, once per member and authority (the latest expiry), and
            # only until a newer designation of that authority is recorded
            ("designation_expired",
             """SELECT count(*) FROM designation d WHERE d.expires < :d
                AND EXISTS (SELECT 1 FROM assignment a WHERE a.member_id = d.member_id
                            AND (a."end" IS NULL OR a."end" >= :d))
                AND NOT EXISTS (SELECT 1 FROM designation n WHERE n.member_id = d.member_id
                                AND n.authority = d.authority AND n.id <> d.id
                                AND (n.expires IS NULL OR n.expires > d.expires))""",
             """SELECT d.member_id, d.expires, m.family_name || ', ' || m.given_names, k.label
                FROM designation d JOIN member m ON m.id = d.member_id
                JOIN designation_authority k ON k.code = d.authority
                WHERE d.expires < :d
                AND EXISTS (SELECT 1 FROM assignment a WHERE a.member_id = d.member_id
                            AND (a."end" IS NULL OR a."end" >= :d))
                AND NOT EXISTS (SELECT 1 FROM designation n WHERE n.member_id = d.member_id
                                AND n.authority = d.authority AND n.id <> d.id
                                AND (n.expires IS NULL OR n.expires > d.expires))
                ORDER BY d.expires DESC, d.id""",
             lambda r: Item("designation_expired", _d(r[1]), r[2],
                            f"{r[3]} expired {_d(r[1]).isoformat()}; it no longer counts",
                            "member", r[0], late(_d(r[1])))),
            ("designation_expiring",
             "SELECT count(*) FROM designation WHERE expires >= :d AND expires <= :warn",
             """SELECT d.member_id, d.expires, m.family_name || ', ' || m.given_names, k.label
                FROM designation d JOIN member m ON m.id = d.member_id
                JOIN designation_authority k ON k.code = d.authority
                WHERE d.expires >= :d AND d.expires <= :warn ORDER BY d.expires, d.id""",
             lambda r: Item("designation_expiring", _d(r[1]), r[2],
                            f"{r[3]} expires in {-late(_d(r[1]))} days ({_d(r[1]).isoformat()})",
                            "member", r[0], late(_d(r[1])))),
            # rule 9 (001): action items have owners and due dates
            ("action_item_overdue",
             "SELECT count(*) FROM action_item WHERE status = 'open' AND due_on < :d",
             f"""SELECT i.id, i.due_on, t.name, i.title,
                        coalesce(m.family_name || ', ' || m.given_names, {_AGENCY.format(a='a')}, '')
                 FROM action_item i JOIN task_force t ON t.id = i.task_force_id
                 LEFT JOIN member m ON m.id = i.owner_member_id LEFT JOIN agency a ON a.id = i.owner_agency_id
                 WHERE i.status = 'open' AND i.due_on < :d ORDER BY i.due_on, i.id""",
             lambda r: Item("action_item_overdue", _d(r[1]), r[2],
                            f"“{r[3]}” (owner {r[4]}) {late(_d(r[1]))} days overdue",
                            "action_item", r[0], late(_d(r[1])))),
            # rule 10 (001 Title 21): a detail's evaluation comes due
            ("evaluation_due",
             "SELECT count(*) FROM detail WHERE evaluated_on IS NULL AND evaluation_on <= :d",
             f"""SELECT x.id, x.evaluation_on, m.family_name || ', ' || m.given_names,
                        {_AGENCY.format(a='h')}, x.program
                 FROM detail x JOIN member m ON m.id = x.member_id JOIN agency h ON h.id = x.host_agency_id
                 WHERE x.evaluated_on IS NULL AND x.evaluation_on <= :d ORDER BY x.evaluation_on, x.id""",
             lambda r: Item("evaluation_due", _d(r[1]), r[2],
                            f"Evaluation of the detail to {r[3]}" + (f" ({r[4]})" if r[4] else "")
                            + f" due {_d(r[1]).isoformat()}", "detail", r[0], late(_d(r[1])))),
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
            WHERE s.feedback_closed_on IS NULL AND s.feedback_due_on < :d
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
          AND (t.active_to IS NULL OR t.active_to >= :d)
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
