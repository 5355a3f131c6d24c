"""Assistance requested by other law-enforcement organizations (DOMAIN.md rule 1; seed 000).

000: "If a Federal, state, or local law enforcement organization, other than another
Department of Homeland Security (DHS) component, requests CBP assistance based solely on a
need for language translation, absent any other circumstances, those requests should be
referred to a list of available local and national translation services". Every other
request (a DHS component's, or one with any other basis) is triaged normally.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from taskforce.domain.enums import Labelled
from taskforce.domain.errors import FieldError
from taskforce.domain.records import _Checks, _Validated
from taskforce.i18n import tr


class AssistanceBasis(Labelled):
    OFFICER_SAFETY = "officer_safety"
    WARRANT_EXECUTION = "warrant_execution"
    TACTICAL_SUPPORT = "tactical_support"
    TRANSLATION = "translation"
    FACILITIES = "facilities"
    OTHER = "other"

    @property
    def label(self) -> str:
        return tr({
            "tactical_support": "Tactical or perimeter support",
            "translation": "Language translation",
            "facilities": "Facilities or equipment",
        }.get(self.value, self.value.replace("_", " ").capitalize()))


class AssistanceStatus(Labelled):
    OPEN = "open"  # waiting to be triaged
    REFERRED = "referred"  # sent elsewhere (rule 1: to translation services)
    TRIAGED = "triaged"  # accepted for work
    COMPLETED = "completed"
    DECLINED = "declined"


class AssistanceOutcome(Labelled):
    REFERRED_TO_TRANSLATION = "referred_to_translation"
    ASSISTED = "assisted"
    PARTLY_ASSISTED = "partly_assisted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return tr({
            "referred_to_translation": "Referred to translation services",
            "assisted": "Assistance provided",
            "partly_assisted": "Assistance partly provided",
            "declined": "Declined",
            "withdrawn": "Withdrawn by the requester",
        }[self.value])


TRANSLATION_SERVICES = "translation services"

# What the request shows as the reason for the referral (stored with it, so the reason the
# user saw is the one audited even if this wording changes later).
TRANSLATION_REFERRAL_REASON = (
    "Referred, not worked: the request is based solely on a need for language translation and "
    "comes from an organization other than a DHS component. Under the CBP memorandum on "
    "assistance to other law-enforcement organizations (000), such requests are referred to a "
    "list of available local and national translation services, such as those provided by the "
    "Interagency Working Group on Limited English Proficiency."
)


@dataclass(frozen=True)
class TriageRule:
    """What rule 1 decides for a new request, and the sentence that says why."""

    referred: bool
    reason: str

    @property
    def status(self) -> AssistanceStatus:
        return AssistanceStatus.REFERRED if self.referred else AssistanceStatus.OPEN

    @property
    def outcome(self) -> str:
        return AssistanceOutcome.REFERRED_TO_TRANSLATION.value if self.referred else ""

    @property
    def referred_to(self) -> str:
        return TRANSLATION_SERVICES if self.referred else ""


def is_translation_only(bases: Iterable[str]) -> bool:
    """000: "based solely on a need for language translation, absent any other circumstances"."""
    return set(bases) == {AssistanceBasis.TRANSLATION.value}


def triage_rule(bases: Iterable[str], requester_is_dhs_component: bool) -> TriageRule:
    """Rule 1 (000): a non-DHS organization's translation-only request is referred to
    translation services at once; a DHS component's, or any request with another basis,
    waits to be triaged normally."""
    bases = set(bases)
    if not is_translation_only(bases):
        return TriageRule(False, tr(
            "Triaged normally: the request has bases other than language translation (000)."))
    if requester_is_dhs_component:
        return TriageRule(False, tr(
            "Triaged normally: the requester is a DHS component, and the translation referral (000) "
            "applies only to organizations other than DHS components."))
    return TriageRule(True, tr(TRANSLATION_REFERRAL_REASON))


@dataclass(frozen=True)
class AssistanceRequestData(_Validated):
    """What a user enters for a request; status and outcome follow from the rule and from
    later decisions (``AssistanceDecisionData``)."""

    requesting_agency_id: int | None
    requested_on: date | None
    bases: tuple[str, ...] = ()
    description: str = ""
    requested_of_agency_id: int | None = None

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("requesting_agency_id", self.requesting_agency_id, "Requesting organization")
        c.required("requested_on", self.requested_on, "Date")
        if not self.bases:
            c.add("bases", "Choose at least one basis for the request.")
        for basis in self.bases:
            if basis not in {b.value for b in AssistanceBasis}:
                c.add("bases", f"Basis '{basis}' is not one of the allowed values.")
        if AssistanceBasis.OTHER in self.bases:
            c.required("description", self.description, "A description of the other basis")
        if self.requested_of_agency_id is not None and self.requested_of_agency_id == self.requesting_agency_id:
            c.add("requested_of_agency_id", "An organization does not request assistance of itself.")
        return c.errors


# Which statuses a decision may move a request to, from each status. A referral can be taken
# back and worked: 000 "Nothing in this document should be construed to limit the authorities
# of an officer or agent when responding to other law enforcement requests for assistance."
TRANSITIONS: dict[str, frozenset[str]] = {
    AssistanceStatus.OPEN: frozenset({AssistanceStatus.TRIAGED, AssistanceStatus.DECLINED,
                                      AssistanceStatus.COMPLETED, AssistanceStatus.REFERRED}),
    AssistanceStatus.REFERRED: frozenset({AssistanceStatus.TRIAGED}),
    AssistanceStatus.TRIAGED: frozenset({AssistanceStatus.COMPLETED, AssistanceStatus.DECLINED,
                                         AssistanceStatus.REFERRED}),
    AssistanceStatus.COMPLETED: frozenset(),
    AssistanceStatus.DECLINED: frozenset(),
}


@dataclass(frozen=True)
class AssistanceDecisionData(_Validated):
    """A step in handling a request: triaged for work, completed with an outcome, declined
    with a reason, or referred elsewhere."""

    status: str
    outcome: str = ""
    outcome_reason: str = ""
    referred_to: str = ""

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.choice("status", self.status, AssistanceStatus, "Status")
        if self.outcome and self.outcome not in {o.value for o in AssistanceOutcome}:
            c.add("outcome", f"Outcome '{self.outcome}' is not one of the allowed values.")
        if self.status == AssistanceStatus.OPEN:
            c.add("status", "A decision moves the request on from open.")
        if self.status == AssistanceStatus.COMPLETED and not self.outcome:
            c.add("outcome", "A completed request needs its outcome.")
        if self.status == AssistanceStatus.DECLINED:
            c.required("outcome_reason", self.outcome_reason, "The reason for declining")
        if self.status == AssistanceStatus.REFERRED:
            c.required("referred_to", self.referred_to, "Whom it was referred to")
            c.required("outcome_reason", self.outcome_reason, "The reason for the referral")
        return c.errors


def transition_problem(current: str, new: str, reason: str) -> str | None:
    """Why a request in ``current`` status cannot be moved to ``new``; None when it can."""
    if new == current:
        return None
    allowed = TRANSITIONS.get(current, frozenset())
    if new not in allowed:
        return tr(f"A request that is {AssistanceStatus(current).label.lower()} cannot become "
                  f"{AssistanceStatus(new).label.lower()}.")
    if current == AssistanceStatus.REFERRED and not reason.strip():
        return tr("Taking back a referral needs a reason: say why the request is worked after all.")
    return None
