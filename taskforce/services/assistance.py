"""Assistance requests from other law-enforcement organizations (DOMAIN.md rule 1; seed 000).

A request is saved with its bases; a translation-only request from an organization outside
DHS is referred to translation services in the same transaction (status, outcome, reason and
referral all in the audited create), every other request waits to be triaged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text

from taskforce.domain.assistance import (
    AssistanceBasis, AssistanceDecisionData, AssistanceOutcome, AssistanceRequestData, AssistanceStatus,
    TriageRule, transition_problem, triage_rule,
)
from taskforce.domain.enums import Labelled
from taskforce.domain.errors import FieldError, ValidationFailed
from taskforce.domain.rules import is_dhs_component
from taskforce.i18n import tr
from taskforce.services.context import Change, Context
from taskforce.services.lists import Column, Filter, ListSpec
from taskforce.services.tx import Tx, change_of, fetch_row, read, write
from taskforce.store import schema as S
from taskforce.store.queries import agency_ancestors, agency_label

ROOT = "assistance_request"


def _q(value: str) -> str:
    """An SQL string literal (labels are ours, but may hold an apostrophe)."""
    return "'" + value.replace("'", "''") + "'"


def _label_case(expr: str, enum_cls: type[Labelled]) -> str:
    """SQL turning a stored code into its label (the list shows what the form offers)."""
    whens = " ".join(f"WHEN {_q(m.value)} THEN {_q(m.label)}" for m in enum_cls)
    return f"CASE {expr} {whens} ELSE {expr} END"


def _options(enum_cls: type[Labelled]) -> str:
    return " UNION ALL ".join(f"SELECT {_q(m.value)}, {_q(m.label)}" for m in enum_cls)


ASSISTANCE = ListSpec(
    name="assistance", entity="assistance_request", also_refresh_on=frozenset({"agency"}),
    from_sql="FROM assistance_request t JOIN agency req ON req.id = t.requesting_agency_id",
    columns=(
        Column("date", "Date", "t.requested_on", 95, "date"),
        Column("requester", "Requesting organization",
               "CASE WHEN req.abbreviation <> '' THEN req.abbreviation || ' — ' || req.name ELSE req.name END", 260),
        Column("bases", "Bases",
               f"(SELECT group_concat({_label_case('b.basis', AssistanceBasis)}, ', ') "
               "FROM assistance_basis b WHERE b.request_id = t.id)", 240),
        Column("status", "Status", "t.status", 90, "label"),
        Column("outcome", "Outcome", f"coalesce({_label_case('t.outcome', AssistanceOutcome)}, '')", 220),
    ),
    quick_filter=("req.name", "req.abbreviation", "t.description"),
    filters=(
        Filter("status", "Status", "t.status = :status",
               _options(AssistanceStatus)),
        Filter("basis", "Basis", "t.id IN (SELECT request_id FROM assistance_basis WHERE basis = :basis)",
               _options(AssistanceBasis)),
    ),
    default_sort="date", default_descending=True, noun=("assistance request", "assistance requests"),
)


@dataclass(frozen=True)
class AssistanceDetail:
    id: int
    data: AssistanceRequestData
    requesting_agency: str
    requested_of_agency: str
    requester_is_dhs_component: bool
    status: str
    outcome: str
    outcome_reason: str
    referred_to: str
    rule: TriageRule  # what rule 1 says about these bases and this requester, and why

    @property
    def status_label(self) -> str:
        return AssistanceStatus(self.status).label

    @property
    def outcome_label(self) -> str:
        return AssistanceOutcome(self.outcome).label if self.outcome else ""


def requester_is_dhs_component(conn, agency_id: int) -> bool:  # noqa: ANN001
    """000 "other than another DHS component": DHS among the agency's ancestors (or itself)."""
    return is_dhs_component(ref for _id, ref, _name in agency_ancestors(conn, agency_id))


def _values(data: AssistanceRequestData) -> dict:
    return {"requesting_agency_id": data.requesting_agency_id,
            "requested_of_agency_id": data.requested_of_agency_id,
            "requested_on": data.requested_on, "description": data.description.strip()}


def _rule_for(tx: Tx, data: AssistanceRequestData) -> TriageRule:
    fetch_row(tx.conn, S.agency, data.requesting_agency_id)  # a clear sentence if it is gone
    return triage_rule(data.bases, requester_is_dhs_component(tx.conn, data.requesting_agency_id))


def _rule_values(rule: TriageRule) -> dict:
    return {"status": rule.status.value, "outcome": rule.outcome,
            "outcome_reason": rule.reason if rule.referred else "", "referred_to": rule.referred_to}


def create_request(ctx: Context, data: AssistanceRequestData) -> Change:
    """Save a request; rule 1 refers a non-DHS translation-only request at once (000)."""
    data.check()
    with write(ctx) as tx:
        rule = _rule_for(tx, data)
        new_id = tx.insert(S.assistance_request, {**_values(data), **_rule_values(rule)})
        tx.set_links(S.assistance_basis, "request_id", new_id, "basis", data.bases, (ROOT, new_id), "bases")
        return change_of(tx, new_id)


def update_request(ctx: Context, request_id: int, data: AssistanceRequestData) -> Change:
    """Correct a request. Until someone has triaged it, rule 1 is applied again to the new
    bases and requester: a request that becomes translation-only is referred, one that no
    longer is goes back to open (each change audited)."""
    data.check()
    with write(ctx) as tx:
        current = tx.get(S.assistance_request, request_id)
        values = _values(data)
        by_rule = current["status"] == AssistanceStatus.OPEN or (
            current["status"] == AssistanceStatus.REFERRED
            and current["outcome"] == AssistanceOutcome.REFERRED_TO_TRANSLATION)
        if by_rule:
            values.update(_rule_values(_rule_for(tx, data)))
        tx.update(S.assistance_request, request_id, values, (ROOT, request_id))
        tx.set_links(S.assistance_basis, "request_id", request_id, "basis", data.bases,
                     (ROOT, request_id), "bases")
        return change_of(tx, request_id)


def decide_request(ctx: Context, request_id: int, decision: AssistanceDecisionData) -> Change:
    """Move a request on: triaged for work, completed with an outcome, declined with a
    reason, or referred elsewhere."""
    decision.check()
    with write(ctx) as tx:
        current = tx.get(S.assistance_request, request_id)
        problem = transition_problem(current["status"], decision.status, decision.outcome_reason)
        if problem:
            raise ValidationFailed([FieldError("status", problem)])
        values = {"status": decision.status, "outcome_reason": decision.outcome_reason.strip(),
                  "referred_to": decision.referred_to.strip(), "outcome": decision.outcome}
        if decision.status == AssistanceStatus.DECLINED and not decision.outcome:
            values["outcome"] = AssistanceOutcome.DECLINED.value
        if decision.status == AssistanceStatus.TRIAGED and not decision.outcome:
            values["outcome"] = ""  # a taken-back referral no longer has the referral outcome
        tx.update(S.assistance_request, request_id, values, (ROOT, request_id))
        return change_of(tx, request_id)


def delete_request(ctx: Context, request_id: int) -> Change:
    with write(ctx) as tx:
        tx.delete(S.assistance_request, request_id)
        return change_of(tx, request_id)


def get_request(ctx: Context, request_id: int) -> AssistanceDetail:
    with read(ctx) as conn:
        row = fetch_row(conn, S.assistance_request, request_id)
        bases = tuple(conn.execute(select(S.assistance_basis.c.basis)
                                   .where(S.assistance_basis.c.request_id == request_id)
                                   .order_by(S.assistance_basis.c.basis)).scalars())
        names = dict(conn.execute(text(f"SELECT a.id, {agency_label('a')} FROM agency a WHERE a.id IN (:r, :o)"),
                                  {"r": row["requesting_agency_id"], "o": row["requested_of_agency_id"] or -1}).all())
        dhs = requester_is_dhs_component(conn, row["requesting_agency_id"])
    data = AssistanceRequestData(
        requesting_agency_id=row["requesting_agency_id"], requested_on=row["requested_on"], bases=bases,
        description=row["description"], requested_of_agency_id=row["requested_of_agency_id"])
    return AssistanceDetail(
        id=request_id, data=data, requesting_agency=names.get(row["requesting_agency_id"], ""),
        requested_of_agency=names.get(row["requested_of_agency_id"], ""), requester_is_dhs_component=dhs,
        status=row["status"], outcome=row["outcome"], outcome_reason=row["outcome_reason"],
        referred_to=row["referred_to"], rule=triage_rule(bases, dhs))


@dataclass(frozen=True)
class AssistanceRow:
    id: int
    requested_on: date
    requesting_agency: str
    bases: tuple[str, ...]
    status: str
    outcome: str
    outcome_reason: str
    referred_to: str


def list_requests(ctx: Context, status: str | None = None, limit: int = 200) -> tuple[AssistanceRow, ...]:
    """Requests newest first (one query, LIMITed), optionally of one status."""
    if status is not None and status not in {s.value for s in AssistanceStatus}:
        raise ValidationFailed([FieldError("status", tr(
            f"Status '{status}' is not one of: {', '.join(s.value for s in AssistanceStatus)}."))])
    sql = (f"SELECT t.id, t.requested_on, {agency_label('req')}, "
           "(SELECT group_concat(b.basis, ',') FROM assistance_basis b WHERE b.request_id = t.id), "
           "t.status, t.outcome, t.outcome_reason, t.referred_to "
           "FROM assistance_request t JOIN agency req ON req.id = t.requesting_agency_id"
           + (" WHERE t.status = :status" if status else "")
           + " ORDER BY t.requested_on DESC, t.id DESC LIMIT :limit")
    with read(ctx) as conn:
        rows = conn.execute(text(sql), {"status": status, "limit": int(limit)}).all()
    return tuple(AssistanceRow(r[0], date.fromisoformat(str(r[1])), r[2],
                               tuple(sorted((r[3] or "").split(","))) if r[3] else (),
                               r[4], r[5], r[6], r[7]) for r in rows)
