"""Details and pilot programs (DOMAIN.md rule 10): a member assigned to another agency's unit for
a period, with a date on which the assignment is evaluated.

# 001 CBP Officer Enforcement (E), "Title 21": CBP officers assigned to shadow OI agents at five
# ports; "The evaluation will run for ninety days upon approval of the operational criteria."
Pure rules: the day is always passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from taskforce.domain.enums import Labelled
from taskforce.domain.errors import FieldError
from taskforce.domain.records import _Checks, _Validated

# 001 Title 21: "ninety days" (S9: from 2026-03-01, evaluation 2026-05-30)
EVALUATION_PERIOD_DAYS = 90


class DetailState(Labelled):
    UPCOMING = "upcoming"
    ACTIVE = "active"
    ENDED = "ended"


def default_evaluation_on(starts_on: date) -> date:
    return starts_on + timedelta(days=EVALUATION_PERIOD_DAYS)


def evaluation_due(evaluation_on: date, evaluated_on: date | None, as_of: date) -> bool:
    """S9: due from the evaluation date on, until an evaluation is recorded."""
    return evaluated_on is None and evaluation_on <= as_of


def detail_state(starts_on: date, ends_on: date | None, as_of: date) -> DetailState:
    if as_of < starts_on:
        return DetailState.UPCOMING
    if ends_on is not None and as_of > ends_on:
        return DetailState.ENDED
    return DetailState.ACTIVE


def host_problem(home_chain: Sequence[int], host_chain: Sequence[int]) -> str | None:
    """A detail places a member with another agency's unit: not with their own agency, one of
    its units, or the agency above it. Each chain is an agency and its parents, nearest first."""
    home, host = home_chain[0], host_chain[0]
    if home == host:
        return "A detail assigns a member to another agency's unit; this is the member's home agency."
    if home in host_chain:
        return "A detail assigns a member to another agency's unit; this is a unit of the member's own agency."
    if host in home_chain:
        return ("A detail assigns a member to another agency's unit; this agency is above the member's own "
                "in the same organization.")
    return None


@dataclass(frozen=True)
class DetailData(_Validated):
    member_id: int | None
    host_agency_id: int | None
    starts_on: date | None
    program: str = ""
    ends_on: date | None = None
    evaluation_on: date | None = None  # None: EVALUATION_PERIOD_DAYS after the start

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("member_id", self.member_id, "Member")
        c.required("host_agency_id", self.host_agency_id, "Host unit")
        c.required("starts_on", self.starts_on, "From")
        c.length("program", self.program, 200, "Program")
        c.order(self.starts_on, self.ends_on, "ends_on", "To must not be before from.")
        c.order(self.starts_on, self.evaluation_on, "evaluation_on",
                "The evaluation date must not be before the start.")
        return c.errors

    def evaluation_date(self) -> date | None:
        if self.evaluation_on is not None:
            return self.evaluation_on
        return default_evaluation_on(self.starts_on) if self.starts_on else None


@dataclass(frozen=True)
class EvaluationData(_Validated):
    evaluated_on: date | None
    evaluation: str

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("evaluated_on", self.evaluated_on, "Evaluated on")
        c.required("evaluation", self.evaluation, "Evaluation")
        return c.errors
