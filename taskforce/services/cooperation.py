"""State and local cooperation activities (DOMAIN.md rules 7 and 8; seed 002 II.A, III).

Each activity is checked when it is recorded or corrected: the member must come from a state,
local or tribal agency; a III.B type is refused with the guidance's own words; "other" is
kept and flagged for legal review; delegated immigration authority is accepted only with the
member's 287(g) designation and its agreement both in force on the activity's day, and the
designation relied on is stored with the activity.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import Connection, text

from taskforce.domain.cooperation import (
    ActivityType, CooperationActivityData, check_delegated_authority, may_record_cooperation,
    needs_legal_review, not_cooperating_reason,
)
from taskforce.domain.enums import Authority
from taskforce.domain.errors import FieldError, ValidationFailed
from taskforce.i18n import tr
from taskforce.services.context import Change, Context
from taskforce.services.roster import designation_facts
from taskforce.services.tx import change_of, fetch_row, read, refuse_future, write
from taskforce.store import schema as S
from taskforce.store.queries import agency_label


@dataclass(frozen=True)
class ActivityRow:
    id: int
    member_id: int
    member: str
    home_agency: str
    activity_type: str
    occurred_on: date
    description: str
    legal_review: bool
    case_id: int | None
    case_number: str
    designation_id: int | None

    @property
    def type_label(self) -> str:
        try:
            return ActivityType(self.activity_type).label
        except ValueError:
            return self.activity_type

    def data(self) -> CooperationActivityData:
        return CooperationActivityData(member_id=self.member_id, activity_type=self.activity_type,
                                       occurred_on=self.occurred_on, description=self.description,
                                       case_id=self.case_id)


@dataclass(frozen=True)
class MemberCooperation:
    member_id: int
    member: str
    home_agency: str
    level: str
    may_record: bool  # rule 8: a state, local or tribal member
    why_not: str  # the sentence when not
    activities: tuple[ActivityRow, ...]


def _member_facts(conn: Connection, member_id: int) -> tuple[str, str, str]:
    fetch_row(conn, S.member, member_id)
    return tuple(conn.execute(text(
        f"SELECT trim(m.rank_title || ' ' || m.given_names || ' ' || m.family_name), {agency_label('a')}, a.level "
        "FROM member m JOIN agency a ON a.id = m.home_agency_id WHERE m.id = :m"), {"m": member_id}).one())


def _checked_values(conn: Connection, data: CooperationActivityData) -> dict:
    """The row to store, or ValidationFailed with the sentence saying why it is refused.
    (``data.check()`` has already refused the 002 III.B types, in the guidance's words.)"""
    name, agency, level = _member_facts(conn, data.member_id)
    if not may_record_cooperation(level):
        raise ValidationFailed([FieldError("member_id", not_cooperating_reason(name, agency, level))])
    if data.case_id is not None:
        fetch_row(conn, S.case, data.case_id)
    designation_id = None
    if data.activity_type == ActivityType.DELEGATED_AUTHORITY:
        # rule 7 / 002 II.A: checked on the activity's own day, not today
        check = check_delegated_authority(designation_facts(conn, data.member_id, Authority.A287G),
                                          data.occurred_on)  # type: ignore[arg-type]
        if not check.ok:
            raise ValidationFailed([FieldError("activity_type", check.problem or "")])
        designation_id = check.designation_id
    return {**asdict(data), "description": data.description.strip(),
            "legal_review": needs_legal_review(data.activity_type), "designation_id": designation_id}


def record_activity(ctx: Context, data: CooperationActivityData) -> Change:
    """Record what a state or local member did; refused (with the reason) when rule 7 or 8
    does not allow it. The activity shows in the member's history."""
    data.check()
    refuse_future(ctx, ("occurred_on", data.occurred_on, tr("Date")))
    with write(ctx) as tx:
        values = _checked_values(tx.conn, data)
        return change_of(tx, tx.insert(S.cooperation_activity, values, ("member", data.member_id)))


def update_activity(ctx: Context, activity_id: int, data: CooperationActivityData) -> Change:
    """Correct an activity (type, day, description): checked again as a new one would be."""
    data.check()
    refuse_future(ctx, ("occurred_on", data.occurred_on, tr("Date")))
    with write(ctx) as tx:
        current = tx.get(S.cooperation_activity, activity_id)
        if current["member_id"] != data.member_id:
            raise ValidationFailed([FieldError("member_id", tr(
                "An activity stays with the member who did it; record it anew for another member."))])
        values = _checked_values(tx.conn, data)
        tx.update(S.cooperation_activity, activity_id, values, ("member", data.member_id))
        return change_of(tx, activity_id)


def delete_activity(ctx: Context, activity_id: int) -> Change:
    with write(ctx) as tx:
        row = tx.get(S.cooperation_activity, activity_id)
        tx.delete(S.cooperation_activity, activity_id, ("member", row["member_id"]))
        return change_of(tx, activity_id)


_SELECT = (
    f"SELECT t.id, t.member_id, m.family_name || ', ' || m.given_names, {agency_label('home')}, "
    "t.activity_type, t.occurred_on, t.description, t.legal_review, t.case_id, coalesce(c.number, ''), "
    "t.designation_id FROM cooperation_activity t JOIN member m ON m.id = t.member_id "
    "JOIN agency home ON home.id = m.home_agency_id LEFT JOIN case_file c ON c.id = t.case_id"
)


def _row(r) -> ActivityRow:  # noqa: ANN001
    occurred = r[5] if isinstance(r[5], date) else date.fromisoformat(str(r[5]))
    return ActivityRow(r[0], r[1], r[2], r[3], r[4], occurred, r[6], bool(r[7]), r[8], r[9], r[10])


def member_cooperation(ctx: Context, member_id: int, limit: int = 500) -> MemberCooperation:
    """A member's activities, newest first, and whether the member may record any (rule 8)."""
    with read(ctx) as conn:
        name, agency, level = _member_facts(conn, member_id)
        rows = conn.execute(text(_SELECT + " WHERE t.member_id = :m ORDER BY t.occurred_on DESC, t.id DESC "
                                 "LIMIT :n"), {"m": member_id, "n": limit}).all()
    allowed = may_record_cooperation(level)
    return MemberCooperation(member_id, name, agency, level, allowed,
                             "" if allowed else not_cooperating_reason(name, agency, level),
                             tuple(_row(r) for r in rows))


def list_activities(ctx: Context, *, legal_review_only: bool = False, limit: int = 200) -> tuple[ActivityRow, ...]:
    """Activities newest first (one LIMITed query); ``legal_review_only``: those of type other."""
    where = " WHERE t.legal_review" if legal_review_only else ""
    with read(ctx) as conn:
        rows = conn.execute(text(_SELECT + where + " ORDER BY t.occurred_on DESC, t.id DESC LIMIT :n"),
                            {"n": int(limit)}).all()
    return tuple(_row(r) for r in rows)



