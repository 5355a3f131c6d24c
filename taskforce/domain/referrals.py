"""Referrals: a case handed from one agency to another, pending until accepted or declined.

# 001 CBP Officer Enforcement (E): CBPO(E)s "notify OI upon identification of a criminal
# prosecution … which has the potential to be developed by OI into a more complex, criminal
# investigation"; "OI will have the lead for investigations they accept from OFO."
DOMAIN.md rule 4: an accepted referral makes the receiving agency the case's lead; a declined
one keeps the lead and records why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from taskforce.domain.enums import Labelled
from taskforce.domain.errors import FieldError
from taskforce.domain.records import _Checks, _Validated
from taskforce.i18n import ntr, tr


class ReferralStatus(Labelled):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True)
class ReferralData(_Validated):
    case_id: int | None
    from_agency_id: int | None
    to_agency_id: int | None
    referred_on: date | None
    from_member_id: int | None = None
    basis: str = ""

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("case_id", self.case_id, "Case")
        c.required("from_agency_id", self.from_agency_id, "From agency")
        c.required("to_agency_id", self.to_agency_id, "To agency")
        c.required("referred_on", self.referred_on, "Date")
        if self.from_agency_id and self.from_agency_id == self.to_agency_id:
            c.add("to_agency_id", "An agency cannot refer a case to itself.")
        return c.errors


@dataclass(frozen=True)
class DecisionData(_Validated):
    """Accepting or declining a pending referral; declining needs a reason."""

    referral_id: int
    decision: str  # accepted | declined
    decided_on: date | None
    reason: str = ""

    def validate(self) -> list[FieldError]:
        c = _Checks()
        if self.decision not in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
            c.add("decision", "A referral is either accepted or declined.")
        c.required("decided_on", self.decided_on, "Date of the decision")
        if self.decision == ReferralStatus.DECLINED:
            c.required("reason", self.reason, "The reason for declining")
        return c.errors


def may_refer(from_chain_ids: Iterable[int], case_lead_id: int) -> bool:
    """Rule 4: only the case's lead agency, or one of its units, refers the case.
    ``from_chain_ids``: the referring agency and its parents (a parent of the lead may not)."""
    return case_lead_id in set(from_chain_ids)


def age_days(referred_on: date, today: date) -> int:
    """How long a pending referral has waited (the home screen shows it)."""
    return max((today - referred_on).days, 0)


def pending_text(days: int) -> str:
    """How long a referral has waited: 'pending since today', 'pending 1 day', 'pending 9 days'."""
    if days <= 0:
        return tr("pending since today")
    return ntr("pending {n} day", "pending {n} days", days).format(n=days)


def decision_refusal(status: str, decided_on: date | None) -> str | None:
    """A referral is decided once: a second decision would silently move the lead again."""
    if status == ReferralStatus.PENDING:
        return None
    when = f" on {decided_on.isoformat()}" if decided_on else ""
    return tr(f"This referral was already {status}{when}; a decided referral cannot be decided again.")


def decision_date_problem(referred_on: date, decided_on: date, today: date) -> str | None:
    if decided_on < referred_on:
        return tr(f"The decision cannot be before the referral ({referred_on.isoformat()}).")
    if decided_on > today:
        return tr("The decision cannot be in the future.")
    return None
