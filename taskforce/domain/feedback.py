"""Support given and feedback owed (DOMAIN.md rule 2): the records and the pure rules.

# 001 Feedback: "when one agency receives information or support from the other, … the
# receiving agency provide feedback to the originating agency about enforcement actions that
# resulted from the information or support." Each support record opens an obligation on the
# receiver, due after the task force's feedback interval (its local feedback action plan).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from taskforce.domain.enums import Labelled
from taskforce.domain.errors import FieldError
from taskforce.domain.records import _Checks, _Validated
from taskforce.i18n import tr

# Agencies whose ref_key marks a top-level department: results and obligations roll up to the
# component directly beneath one (DHS → CBP → OFO → Blaine rolls up to CBP).
DEPARTMENT_REF_KEYS: frozenset[str] = frozenset({"dhs", "doj", "dos"})

# Open obligations due within this many days are shown as a warning (amber) before they fall due.
FEEDBACK_WARNING_DAYS = 7

_DECIMAL = re.compile(r"^\d+(\.\d+)?$")


class SupportKind(Labelled):
    """What one agency gave another (001 Feedback; 002 III.A for tactical/perimeter support)."""

    INFORMATION = "information"
    REFERRAL = "referral"
    SECONDARY_EXAMINATION = "secondary_examination"
    CONTROLLED_DELIVERY = "controlled_delivery"
    TACTICAL_SUPPORT = "tactical_support"
    FACILITIES = "facilities_equipment"
    OTHER = "other"

    @property
    def label(self) -> str:
        return tr(_KIND_LABELS.get(self.value, self.value.replace("_", " ").capitalize()))


_KIND_LABELS = {
    "information": "Information or intelligence",
    "referral": "Referral",
    "secondary_examination": "Secondary examination",
    "controlled_delivery": "Controlled delivery",
    "tactical_support": "Tactical or perimeter support",
    "facilities_equipment": "Facilities or equipment",
    "other": "Other",
}


class ObligationStatus(Labelled):
    OPEN = "open"
    OVERDUE = "overdue"
    CLOSED = "closed"


class CreditRole(Labelled):
    """How an agency is credited with a feedback's results on a case."""

    ACTING = "acting"  # the receiver, who acted on what it was given
    CONTRIBUTING = "contributing"  # the giver, whose support led to the results


# --- rules ------------------------------------------------------------------------------------

def feedback_due_on(given_on: date, interval_days: int) -> date:
    """001 Feedback: the receiver owes feedback within the task force's interval.

    Computed once, when the obligation opens; a later change of the interval does not move it.
    """
    return given_on + timedelta(days=int(interval_days))


def obligation_status(closed_on: date | None, due_on: date, as_of: date) -> ObligationStatus:
    """Open until feedback is recorded; overdue only after the due date (not on it)."""
    if closed_on is not None and closed_on <= as_of:
        return ObligationStatus.CLOSED
    return ObligationStatus.OVERDUE if due_on < as_of else ObligationStatus.OPEN


def days_overdue(closed_on: date | None, due_on: date, as_of: date) -> int:
    """Days past the due date as of ``as_of`` (0 when closed or not yet overdue)."""
    if obligation_status(closed_on, due_on, as_of) is not ObligationStatus.OVERDUE:
        return 0
    return (as_of - due_on).days


def due_soon(closed_on: date | None, due_on: date, as_of: date) -> bool:
    """Open and due within the warning window (shown amber, as UX.md asks)."""
    return (obligation_status(closed_on, due_on, as_of) is ObligationStatus.OPEN
            and (due_on - as_of).days <= FEEDBACK_WARNING_DAYS)


def days_to_feedback(given_on: date, reported_on: date) -> int:
    """How long the receiver took: the feedback's date minus the day the support was given."""
    return (reported_on - given_on).days


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None when empty."""
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return None
    mid = n // 2
    return float(ordered[mid]) if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def rollup_component(chain: Sequence[tuple[int, str | None, str]]) -> tuple[int, str]:
    """The agency an agency's figures roll up to: the ancestor directly under a department.

    ``chain`` is the agency and its ancestors, nearest first, as (id, ref_key, name). ICE HSI
    Seattle → ICE HSI → ICE → DHS rolls up to ICE; a department rolls up to itself; an
    agency with no department above it (RCMP, a sheriff's office) rolls up to itself.
    """
    for i, (_id, ref_key, _name) in enumerate(chain):
        if ref_key in DEPARTMENT_REF_KEYS:
            below = chain[i - 1] if i > 0 else chain[0]
            return below[0], below[2]
    return chain[0][0], chain[0][2]


# --- input records ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SupportData(_Validated):
    """What one agency gave another; it opens a feedback obligation on the receiver."""

    task_force_id: int | None
    from_agency_id: int | None
    to_agency_id: int | None
    kind: str
    given_on: date | None
    case_id: int | None = None
    originating_agency_id: int | None = None  # whose information it is (rule 6); default: the giver
    description: str = ""
    caveat_ids: tuple[int, ...] = ()

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("task_force_id", self.task_force_id, "Task force")
        c.required("from_agency_id", self.from_agency_id, "Given by")
        c.required("to_agency_id", self.to_agency_id, "Given to")
        c.choice("kind", self.kind, SupportKind, "Kind")
        c.required("given_on", self.given_on, "Date given")
        if self.from_agency_id and self.from_agency_id == self.to_agency_id:
            c.add("to_agency_id", "An agency cannot owe itself feedback: choose the agency that received it.")
        return c.errors


@dataclass(frozen=True)
class SeizureData(_Validated):
    commodity: str
    quantity: str = ""  # decimal text, e.g. 14 or 2.5
    unit: str = ""
    value_usd: int = 0

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("seizures", self.commodity, "Every seizure's commodity")
        c.length("seizures", self.commodity, 100, "A seizure's commodity")
        quantity = (self.quantity or "").strip()
        if quantity and not _DECIMAL.match(quantity):
            c.add("seizures", f"Quantity '{quantity}' must be a number, e.g. 14 or 2.5.")
        if quantity and not self.unit.strip():
            c.add("seizures", "A seizure with a quantity needs its unit (kg, lb, units, USD …).")
        c.length("seizures", self.unit, 20, "A seizure's unit")
        if as_count(self.value_usd) is None:
            c.add("seizures", "A seizure's value must be a whole number of dollars, 0 or more.")
        return c.errors


def as_count(value: object) -> int | None:
    """A whole number of 0 or more, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = str(value or "0").strip().replace(",", "").lstrip("$")
    return int(text) if text.isdigit() else None


_RESULT_FIELDS = (("arrests", "Arrests"), ("indictments", "Indictments"),
                  ("prosecutions", "Prosecutions"), ("convictions", "Convictions"),
                  ("penalties_usd", "Penalties"))


@dataclass(frozen=True)
class FeedbackData(_Validated):
    """What the receiver reports back: structured results, or "no action" with the reason."""

    support_id: int
    reported_on: date | None
    reported_by: str = ""
    arrests: int = 0
    indictments: int = 0
    prosecutions: int = 0
    convictions: int = 0
    penalties_usd: int = 0
    other: str = ""
    no_action: bool = False
    no_action_reason: str = ""
    seizures: tuple[SeizureData, ...] = ()

    def counts(self) -> dict[str, int]:
        """The numeric results as ints (call after ``validate`` found no problem)."""
        return {name: as_count(getattr(self, name)) or 0 for name, _label in _RESULT_FIELDS}

    def has_results(self) -> bool:
        return (any(as_count(getattr(self, n)) for n, _l in _RESULT_FIELDS)
                or bool(self.seizures) or bool(self.other.strip()))

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("reported_on", self.reported_on, "Reported on")
        c.length("reported_by", self.reported_by, 200, "Reported by")
        for name, label in _RESULT_FIELDS:
            if as_count(getattr(self, name)) is None:
                c.add(name, f"{label} must be a whole number, 0 or more.")
        for seizure in self.seizures:
            c.errors.extend(seizure.validate())
        if self.no_action:
            # 001 Feedback: "no action" is an answer too, but the giver is owed the reason
            c.required("no_action_reason", self.no_action_reason, "The reason no action was taken")
            if self.has_results():
                c.add("no_action", "\"No action\" cannot be recorded together with results; "
                                   "clear the results or untick \"No action\".")
        elif not self.has_results():
            c.add("no_action", "Record at least one result, or tick \"No action\" and give the reason.")
        return c.errors
