"""Support given and feedback owed (DOMAIN.md rule 2, 001 Feedback): record what one agency
gave another, the feedback that closes the receiver's obligation, the obligations by agency
pair, and the results credited on a case and summed per task force.

Semantics other views rely on (the home screen reads the table directly):
open ⇔ ``feedback_closed_on IS NULL``; overdue as of D ⇔ open and ``feedback_due_on < D``.
Views "as of" a past day D count what was given by D and still open on D (closed after D).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta

from sqlalchemy import Connection, select, text

from taskforce.domain.enums import label_of
from taskforce.domain.errors import Conflict, FieldError, ValidationFailed
from taskforce.domain.feedback import (
    DEPARTMENT_REF_KEYS, CreditRole, FeedbackData, ObligationStatus, SeizureData, SupportData,
    SupportKind, as_count, days_overdue, days_to_feedback, due_soon, feedback_due_on, obligation_status,
)
from taskforce.domain.release import ItemKind
from taskforce.domain.records import future_dates
from taskforce.i18n import tr
from taskforce.services import caveats
from taskforce.services.context import Change, Context
from taskforce.services.lists import Column, Filter, ListSpec
from taskforce.services.rows import to_data
from taskforce.services.tx import Tx, change_of, fetch_row, read, refuse_future, write
from taskforce.store import schema as S
from taskforce.store.queries import agency_label

SHORT = "CASE WHEN {a}.abbreviation <> '' THEN {a}.abbreviation ELSE {a}.name END"


def _d(value: object) -> date | None:
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value))


# --- read models (frozen: they cross threads) ----------------------------------------------------

@dataclass(frozen=True)
class FeedbackDetail:
    id: int
    data: FeedbackData
    days_to_feedback: int


@dataclass(frozen=True)
class SupportDetail:
    id: int
    data: SupportData
    as_of: date
    task_force: str
    case_number: str
    from_agency: str
    to_agency: str
    originating_agency: str
    caveats: tuple[str, ...]
    feedback_due_on: date
    feedback_closed_on: date | None
    status: ObligationStatus
    days_overdue: int
    feedback: FeedbackDetail | None


@dataclass(frozen=True)
class SupportRow:
    id: int
    given_on: date
    from_agency: str
    to_agency: str
    kind: str
    case_number: str
    feedback_due_on: date
    feedback_closed_on: date | None
    status: ObligationStatus
    days_overdue: int
    days_to_feedback: int | None
    due_soon: bool  # open and due within the warning window


@dataclass(frozen=True)
class Results:
    feedbacks: int = 0
    no_action: int = 0
    arrests: int = 0
    indictments: int = 0
    prosecutions: int = 0
    convictions: int = 0
    penalties_usd: int = 0
    seizures: int = 0
    seizure_value_usd: int = 0

    def summary(self) -> str:
        parts = [f"{n} {what}{'s' if n != 1 else ''}" for n, what in (
            (self.arrests, "arrest"), (self.indictments, "indictment"),
            (self.prosecutions, "prosecution"), (self.convictions, "conviction"),
            (self.seizures, "seizure"))
            if n]
        if self.seizure_value_usd:
            parts.append(f"seized value ${self.seizure_value_usd:,}")
        if self.penalties_usd:
            parts.append(f"penalties ${self.penalties_usd:,}")
        if self.no_action:
            parts.append(f"{self.no_action} no action")
        return ", ".join(parts) or tr("no results")


@dataclass(frozen=True)
class AgencyCredit:
    agency_id: int
    agency: str
    role: CreditRole
    results: Results


@dataclass(frozen=True)
class CommodityTotal:
    commodity: str
    unit: str
    quantity: float
    value_usd: int
    seizures: int


@dataclass(frozen=True)
class ResultsCredited:
    totals: Results  # each feedback counted once
    credits: tuple[AgencyCredit, ...]  # the receiver as acting agency, the giver as contributing
    commodities: tuple[CommodityTotal, ...]


@dataclass(frozen=True)
class CaseSupport:
    case_id: int
    task_force_id: int
    as_of: date
    rows: tuple[SupportRow, ...]
    results: ResultsCredited


@dataclass(frozen=True)
class PairRow:
    from_agency_id: int
    from_agency: str
    to_agency_id: int
    to_agency: str
    given: int
    open: int
    overdue: int
    closed: int
    median_days: float | None  # days to feedback, over the closed ones
    most_days_overdue: int


@dataclass(frozen=True)
class PairMatrix:
    as_of: date
    rollup: bool
    rows: tuple[PairRow, ...]


@dataclass(frozen=True)
class OpenObligations:
    as_of: date
    total: int
    overdue: int
    rows: tuple[SupportRow, ...]  # overdue first (oldest due date first)


# --- support ------------------------------------------------------------------------------------

def _support_values(data: SupportData) -> dict:
    values = asdict(data)
    del values["caveat_ids"]
    values["description"] = data.description.strip()
    values["originating_agency_id"] = data.originating_agency_id or data.from_agency_id
    return values


def _check_support(tx: Tx, ctx: Context, data: SupportData) -> None:
    data.check()
    errors = future_dates(ctx.today(), ("given_on", data.given_on, tr("Date given")))
    if data.case_id is not None:
        case = fetch_row(tx.conn, S.case, data.case_id)
        if case["task_force_id"] != data.task_force_id:
            tf = fetch_row(tx.conn, S.task_force, case["task_force_id"])["name"]
            errors.append(FieldError("case_id", tr(
                f"Case {case['number']} belongs to {tf}; choose that task force or another case.")))
    if errors:
        raise ValidationFailed(errors)


def open_obligation(tx: Tx, data: SupportData, *, referral_id: int | None = None,
                    event_id: int | None = None) -> int:
    """001 Feedback: what was given opens an obligation on the receiver, due after the task
    force's interval; the due date is fixed now and never follows later interval changes.
    Also called by what counts as support given (rule 2): an accepted referral, a controlled
    delivery, which it then names as its source."""
    interval = fetch_row(tx.conn, S.task_force, data.task_force_id)["feedback_interval_days"]
    values = {**_support_values(data), "feedback_due_on": feedback_due_on(data.given_on, interval),
              "feedback_closed_on": None, "referral_id": referral_id, "event_id": event_id}
    new_id = tx.insert(S.support, values)
    caveats.save(tx, ItemKind.SUPPORT, new_id, data.caveat_ids, ("support", new_id))
    return new_id


def record_support(ctx: Context, data: SupportData) -> Change:
    with write(ctx) as tx:
        _check_support(tx, ctx, data)
        return change_of(tx, open_obligation(tx, data))


def update_support(ctx: Context, support_id: int, data: SupportData) -> Change:
    """Correct a support record. The obligation keeps the interval it opened with: a corrected
    date moves the due date by the same days, a changed task force interval does not."""
    with write(ctx) as tx:
        _check_support(tx, ctx, data)
        row = tx.get(S.support, support_id)
        moved = [name for name in ("task_force_id", "case_id", "from_agency_id", "to_agency_id", "kind", "given_on")
                 if row[name] != getattr(data, name)]
        if moved and (refusal := _source_refusal(row)):
            raise ValidationFailed([FieldError(name, refusal) for name in moved])
        closed = row["feedback_closed_on"]
        if closed is not None and closed < data.given_on:
            raise ValidationFailed([FieldError("given_on", tr(
                f"Feedback was reported on {closed}; the support cannot be dated after that."))])
        interval = (row["feedback_due_on"] - row["given_on"]).days
        tx.update(S.support, support_id, {**_support_values(data),
                                          "feedback_due_on": data.given_on + timedelta(days=interval)})
        caveats.save(tx, ItemKind.SUPPORT, support_id, data.caveat_ids, ("support", support_id))
        return change_of(tx, support_id)


def _source_refusal(row: dict) -> str | None:
    """Support opened by a referral or a controlled delivery follows its source (rule 2)."""
    if row["referral_id"] is not None:
        return tr("This obligation was opened by an accepted referral; it stays with that decision.")
    if row["event_id"] is not None:
        return tr("This obligation follows its controlled delivery; change or remove the delivery "
                  "on the case's Timeline instead.")
    return None


def delete_support(ctx: Context, support_id: int) -> Change:
    with write(ctx) as tx:
        if refusal := _source_refusal(tx.get(S.support, support_id)):
            raise Conflict(refusal)
        tx.delete(S.support, support_id)  # its feedback, seizures and caveats go with it, audited
        return change_of(tx, support_id)


# --- feedback -----------------------------------------------------------------------------------

def _check_feedback(ctx: Context, data: FeedbackData, support: dict) -> None:
    data.check()
    if data.reported_on < support["given_on"]:
        raise ValidationFailed([FieldError("reported_on", tr(
            f"Feedback cannot be dated before the support was given ({support['given_on']})."))])
    refuse_future(ctx, ("reported_on", data.reported_on, tr("Reported on")))


def _feedback_values(data: FeedbackData) -> dict:
    return {"support_id": data.support_id, "reported_on": data.reported_on,
            "reported_by": data.reported_by.strip(), "no_action": bool(data.no_action),
            "no_action_reason": data.no_action_reason.strip() if data.no_action else "",
            "other": data.other.strip(), **data.counts()}


def _seizure_values(s: SeizureData) -> tuple:
    return (s.commodity.strip(), (s.quantity or "").strip(), s.unit.strip(), as_count(s.value_usd) or 0)


def _write_seizures(tx: Tx, feedback_id: int, support_id: int, seizures: tuple[SeizureData, ...]) -> None:
    z = S.seizure
    root = ("support", support_id)
    old = tx.conn.execute(select(z.c.id, z.c.commodity, z.c.quantity, z.c.unit, z.c.value_usd)
                          .where(z.c.feedback_id == feedback_id).order_by(z.c.id)).all()
    if [tuple(r[1:]) for r in old] == [_seizure_values(s) for s in seizures]:
        return
    for r in old:
        tx.delete(z, r.id, root)
    for s in seizures:
        commodity, quantity, unit, value = _seizure_values(s)
        tx.insert(z, {"feedback_id": feedback_id, "commodity": commodity, "quantity": quantity,
                      "unit": unit, "value_usd": value}, root)


def record_feedback(ctx: Context, data: FeedbackData) -> Change:
    """001 Feedback: the receiver reports the results back; recording it closes the obligation
    (a "no action" answer with its reason closes it too)."""
    with write(ctx) as tx:
        support = tx.get(S.support, data.support_id)
        if support["feedback_closed_on"] is not None:
            raise Conflict(tr(f"Feedback on this support was already recorded "
                              f"({support['feedback_closed_on']}); edit that feedback instead."))
        _check_feedback(ctx, data, support)
        root = ("support", data.support_id)
        new_id = tx.insert(S.feedback, _feedback_values(data), root)
        _write_seizures(tx, new_id, data.support_id, data.seizures)
        tx.update(S.support, data.support_id, {"feedback_closed_on": data.reported_on})
        return change_of(tx, new_id)


def update_feedback(ctx: Context, feedback_id: int, data: FeedbackData) -> Change:
    with write(ctx) as tx:
        current = tx.get(S.feedback, feedback_id)
        data = replace(data, support_id=current["support_id"])
        support = tx.get(S.support, current["support_id"])
        _check_feedback(ctx, data, support)
        tx.update(S.feedback, feedback_id, _feedback_values(data), ("support", support["id"]))
        _write_seizures(tx, feedback_id, support["id"], data.seizures)
        tx.update(S.support, support["id"], {"feedback_closed_on": data.reported_on})
        return change_of(tx, feedback_id)


def remove_feedback(ctx: Context, feedback_id: int) -> Change:
    """Withdraw a feedback recorded by mistake: the obligation is open again (audited)."""
    with write(ctx) as tx:
        support_id = tx.get(S.feedback, feedback_id)["support_id"]
        tx.delete(S.feedback, feedback_id, ("support", support_id))
        tx.update(S.support, support_id, {"feedback_closed_on": None})
        return change_of(tx, feedback_id)


# --- reading one support record ---------------------------------------------------------------

def _feedback_of(conn: Connection, support_id: int, given_on: date) -> FeedbackDetail | None:
    row = conn.execute(select(S.feedback).where(S.feedback.c.support_id == support_id)).mappings().first()
    if row is None:
        return None
    z = S.seizure.c
    seizures = tuple(SeizureData(r.commodity, r.quantity, r.unit, r.value_usd) for r in conn.execute(
        select(z.commodity, z.quantity, z.unit, z.value_usd).where(z.feedback_id == row["id"]).order_by(z.id)))
    data = to_data(FeedbackData, row, seizures=seizures)
    return FeedbackDetail(row["id"], data, days_to_feedback(given_on, row["reported_on"]))


def get_support(ctx: Context, support_id: int, as_of: date | None = None) -> SupportDetail:
    as_of = as_of or ctx.today()
    with read(ctx) as conn:
        row = fetch_row(conn, S.support, support_id)
        names = dict(conn.exec_driver_sql(
            f"SELECT a.id, {agency_label('a')} FROM agency a WHERE a.id IN (?, ?, ?)",
            (row["from_agency_id"], row["to_agency_id"], row["originating_agency_id"] or -1)).all())
        tf = conn.execute(select(S.task_force.c.name).where(S.task_force.c.id == row["task_force_id"])).scalar()
        number = conn.execute(select(S.case.c.number).where(S.case.c.id == row["case_id"])).scalar() \
            if row["case_id"] else ""
        carried = caveats.of_item(conn, ItemKind.SUPPORT, support_id)
        feedback = _feedback_of(conn, support_id, row["given_on"])
    closed, due = row["feedback_closed_on"], row["feedback_due_on"]
    return SupportDetail(
        id=support_id, data=to_data(SupportData, row, caveat_ids=tuple(c[0] for c in carried)),
        as_of=as_of, task_force=tf or "", case_number=number or "",
        from_agency=names.get(row["from_agency_id"], ""), to_agency=names.get(row["to_agency_id"], ""),
        originating_agency=names.get(row["originating_agency_id"], ""),
        caveats=tuple(c[1] for c in carried), feedback_due_on=due, feedback_closed_on=closed,
        status=obligation_status(closed, due, as_of), days_overdue=days_overdue(closed, due, as_of),
        feedback=feedback)


# --- lists of support records -------------------------------------------------------------------

_ROW_SQL = f"""
    SELECT s.id, s.given_on, {SHORT.format(a='g')}, {SHORT.format(a='r')}, s.kind,
           coalesce(c.number, ''), s.feedback_due_on, s.feedback_closed_on
    FROM support s JOIN agency g ON g.id = s.from_agency_id JOIN agency r ON r.id = s.to_agency_id
    LEFT JOIN case_file c ON c.id = s.case_id"""


def _support_row(r: tuple, as_of: date) -> SupportRow:
    given, due, closed = _d(r[1]), _d(r[6]), _d(r[7])
    if closed is not None and closed > as_of:  # seen as of a day before its feedback came
        closed = None
    return SupportRow(r[0], given, r[2], r[3], label_of(SupportKind, r[4]), r[5], due, closed,
                      obligation_status(closed, due, as_of),
                      days_overdue(closed, due, as_of),
                      days_to_feedback(given, closed) if closed else None, due_soon(closed, due, as_of))


def open_obligations(ctx: Context, as_of: date | None = None, limit: int = 500) -> OpenObligations:
    """Obligations open as of a day, overdue (oldest due date) first."""
    as_of = as_of or ctx.today()
    p = {"d": as_of.isoformat(), "n": limit}
    where = "s.given_on <= :d AND (s.feedback_closed_on IS NULL OR s.feedback_closed_on > :d)"
    with read(ctx) as conn:
        total, overdue = conn.execute(text(
            f"SELECT count(*), coalesce(sum(s.feedback_due_on < :d), 0) FROM support s WHERE {where}"), p).one()
        rows = conn.execute(text(f"{_ROW_SQL} WHERE {where} ORDER BY s.feedback_due_on, s.id LIMIT :n"), p).all()
    return OpenObligations(as_of, total, overdue, tuple(_support_row(r, as_of) for r in rows))


def case_support(ctx: Context, case_id: int, as_of: date | None = None) -> CaseSupport:
    """A case's support records (newest first) and the results credited on it."""
    as_of = as_of or ctx.today()
    with read(ctx) as conn:
        case = fetch_row(conn, S.case, case_id)
        rows = conn.execute(text(f"{_ROW_SQL} WHERE s.case_id = :c ORDER BY s.given_on DESC, s.id DESC"),
                            {"c": case_id}).all()
        results = _results(conn, "s.case_id = :c", {"c": case_id})
    return CaseSupport(case_id, case["task_force_id"], as_of, tuple(_support_row(r, as_of) for r in rows), results)


def task_force_results(ctx: Context, task_force_id: int) -> ResultsCredited:
    """Results summed per task force: each feedback counted once (not once per agency)."""
    with read(ctx) as conn:
        fetch_row(conn, S.task_force, task_force_id)
        return _results(conn, "s.task_force_id = :tf", {"tf": task_force_id})


_SUMS = ("sum(feedbacks), sum(no_action), sum(arrests), sum(indictments), sum(prosecutions), "
         "sum(convictions), sum(penalties_usd), sum(seizures), sum(seized_usd)")


def _results(conn: Connection, where: str, params: dict) -> ResultsCredited:
    """One aggregate pass over the feedbacks, grouped by (giver, receiver); totals and credits
    are sums of those few rows. Totals count each feedback once, whoever is credited."""
    sql = f"""
        WITH p AS MATERIALIZED (
            SELECT s.from_agency_id AS giver, s.to_agency_id AS receiver, count(*) AS feedbacks,
                   sum(fb.no_action) AS no_action, sum(fb.arrests) AS arrests,
                   sum(fb.indictments) AS indictments, sum(fb.prosecutions) AS prosecutions,
                   sum(fb.convictions) AS convictions, sum(fb.penalties_usd) AS penalties_usd,
                   sum((SELECT count(*) FROM seizure z WHERE z.feedback_id = fb.id)) AS seizures,
                   sum((SELECT coalesce(sum(z.value_usd), 0) FROM seizure z WHERE z.feedback_id = fb.id))
                       AS seized_usd
            FROM feedback fb JOIN support s ON s.id = fb.support_id WHERE {where}
            -- unary + keeps SQLite from walking ix_support_pair row by row (3x slower at 100k)
            GROUP BY +s.from_agency_id, +s.to_agency_id),
        credit AS (SELECT receiver AS agency_id, 'acting' AS role, p.* FROM p
                   UNION ALL SELECT giver, 'contributing', p.* FROM p)
        SELECT NULL, '', 'total', {_SUMS} FROM p
        UNION ALL
        SELECT a.id, {SHORT.format(a='a')}, role, {_SUMS}
        FROM credit JOIN agency a ON a.id = credit.agency_id GROUP BY a.id, role"""
    rows = conn.execute(text(sql), params).all()
    totals = next(Results(*(value or 0 for value in r[3:])) for r in rows if r[2] == "total")
    credits = tuple(AgencyCredit(r[0], r[1], CreditRole(r[2]), Results(*r[3:]))
                    for r in sorted((r for r in rows if r[2] != "total"), key=lambda r: (r[2], r[1])))
    commodities = tuple(
        CommodityTotal(r[0], r[1], float(r[2] or 0), r[3], r[4])
        for r in conn.execute(text(f"""
            SELECT min(z.commodity), min(z.unit), sum(CAST(z.quantity AS REAL)), sum(z.value_usd), count(*)
            FROM seizure z JOIN feedback fb ON fb.id = z.feedback_id JOIN support s ON s.id = fb.support_id
            WHERE {where} GROUP BY lower(trim(z.commodity)), lower(trim(z.unit))
            ORDER BY sum(z.value_usd) DESC, 1"""), params))
    return ResultsCredited(totals, credits, commodities)


# --- the matrix by agency pair -----------------------------------------------------------------

_DEPARTMENTS = ", ".join(f"'{k}'" for k in sorted(DEPARTMENT_REF_KEYS))

# Every agency under a department, mapped to its component: the department's direct child it
# descends from (domain.feedback.rollup_component, in SQL so the matrix stays one query). Walks
# down from the departments only, so it costs their subtrees, not the whole agency table;
# agencies outside every department are absent and count as themselves.
_ROLLUP_CTE = f"""
    comp(agency_id, component_id, depth) AS (
        SELECT a.id, a.id, 0 FROM agency a JOIN agency d ON d.id = a.parent_id
        WHERE d.ref_key IN ({_DEPARTMENTS})
        UNION ALL
        SELECT a.id, comp.component_id, comp.depth + 1 FROM agency a JOIN comp ON a.parent_id = comp.agency_id
        WHERE (a.ref_key IS NULL OR a.ref_key NOT IN ({_DEPARTMENTS})) AND comp.depth < 32),"""


def pair_matrix(ctx: Context, as_of: date | None = None, rollup: bool = False,
                task_force_id: int | None = None) -> PairMatrix:
    """Obligations by (giver, receiver) as of a day: given, open, overdue, closed, and the
    median days to feedback over the closed ones; overdue pairs first.

    ``rollup`` counts each agency under its component (CBP OFO Blaine under CBP).
    """
    as_of = as_of or ctx.today()
    params = {"d": as_of.isoformat(), "tf": task_force_id}
    if rollup:
        head = f"WITH RECURSIVE {_ROLLUP_CTE}"
        giver = "coalesce(cg.component_id, t.from_agency_id)"
        receiver = "coalesce(cr.component_id, t.to_agency_id)"
        joins = ("LEFT JOIN comp cg ON cg.agency_id = t.from_agency_id "
                 "LEFT JOIN comp cr ON cr.agency_id = t.to_agency_id")
    else:
        head, giver, receiver, joins = "WITH", "t.from_agency_id", "t.to_agency_id", ""
    sql = f"""{head}
        s AS (SELECT {giver} AS giver, {receiver} AS receiver, t.given_on, t.feedback_due_on AS due,
                     CASE WHEN t.feedback_closed_on <= :d THEN t.feedback_closed_on END AS closed
              FROM support t {joins}
              WHERE t.given_on <= :d AND (:tf IS NULL OR t.task_force_id = :tf)),
        pairs AS (SELECT giver, receiver, count(*) AS given, sum(closed IS NULL) AS open,
                         sum(closed IS NULL AND due < :d) AS overdue,
                         max(CASE WHEN closed IS NULL AND due < :d
                             THEN CAST(julianday(:d) - julianday(due) AS INTEGER) END) AS most_late
                  FROM s GROUP BY giver, receiver),
        took AS (SELECT giver, receiver, CAST(julianday(closed) - julianday(given_on) AS INTEGER) AS days,
                        row_number() OVER (PARTITION BY giver, receiver
                                           ORDER BY julianday(closed) - julianday(given_on)) AS rn,
                        count(*) OVER (PARTITION BY giver, receiver) AS n
                 FROM s WHERE closed IS NOT NULL),
        med AS (SELECT giver, receiver, avg(days) AS median FROM took
                WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY giver, receiver)
        SELECT p.giver, {SHORT.format(a='g')}, p.receiver, {SHORT.format(a='r')},
               p.given, p.open, p.overdue, p.given - p.open, med.median, coalesce(p.most_late, 0)
        FROM pairs p JOIN agency g ON g.id = p.giver JOIN agency r ON r.id = p.receiver
        LEFT JOIN med ON med.giver = p.giver AND med.receiver = p.receiver
        ORDER BY p.overdue DESC, p.open DESC, 2, 4"""
    with read(ctx) as conn:
        rows = tuple(PairRow(*r) for r in conn.execute(text(sql), params))
    return PairMatrix(as_of, rollup, rows)


# --- for the form ---------------------------------------------------------------------------------





def case_task_force(ctx: Context, case_id: int) -> int | None:
    with read(ctx) as conn:
        return conn.execute(select(S.case.c.task_force_id).where(S.case.c.id == case_id)).scalar()


# --- the "Support" list section -------------------------------------------------------------------

_STATUS_SQL = ("CASE WHEN t.feedback_closed_on IS NOT NULL THEN 'closed' "
               "WHEN t.feedback_due_on < :today THEN 'overdue' ELSE 'open' END")
_KIND_SQL = "CASE t.kind " + " ".join(
    f"WHEN '{k.value}' THEN '{k.label.replace(chr(39), chr(39) * 2)}'" for k in SupportKind) + " ELSE t.kind END"
_KIND_OPTIONS = " UNION ALL ".join(
    f"SELECT '{k.value}', '{k.label.replace(chr(39), chr(39) * 2)}'" for k in SupportKind)

SUPPORT = ListSpec(
    name="support", entity="support", also_refresh_on=frozenset({"feedback", "agency", "case_file", "task_force"}),
    from_sql="FROM support t JOIN agency fa ON fa.id = t.from_agency_id "
             "JOIN agency ta ON ta.id = t.to_agency_id LEFT JOIN case_file c ON c.id = t.case_id",
    columns=(
        Column("given", "Given", "t.given_on", 95, "date"),
        Column("from", "From", SHORT.format(a="fa"), 160),
        Column("to", "To", SHORT.format(a="ta"), 160),
        Column("case", "Case", "coalesce(c.number, '')", 160),
        Column("kind", "Kind", _KIND_SQL, 190),
        Column("due", "Feedback due", "t.feedback_due_on", 105, "date"),
        Column("status", "Status", _STATUS_SQL, 80, "label"),
    ),
    quick_filter=("fa.name", "fa.abbreviation", "ta.name", "ta.abbreviation", "c.number", "t.description"),
    filters=(
        Filter("status", "Status", f"{_STATUS_SQL} = :status",
               "SELECT 'open', 'Open' UNION ALL SELECT 'overdue', 'Overdue' UNION ALL SELECT 'closed', 'Closed'"),
        Filter("kind", "Kind", "t.kind = :kind", _KIND_OPTIONS),
        Filter("task_force", "Task force", "t.task_force_id = :task_force",
               "SELECT id, name FROM task_force ORDER BY name"),
    ),
    default_sort="given", default_descending=True, noun=("support record", "support records"),
)
