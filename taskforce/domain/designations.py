"""When a cross-designation counts, and how loudly the roster warns before it stops counting.

DOMAIN.md rule 7 (002 II.A for 287(g)): a designation past its expiry date no longer counts
anywhere it is checked; the roster warns 90, 60 and 30 days ahead. Pure functions: the day is
always passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from taskforce.domain.enums import DesignationStatus, Labelled
from taskforce.domain.errors import FieldError
from taskforce.i18n import tr

ICE_REF_KEY = "ice"  # 287(g) designations are ICE's to grant (8 U.S.C. 1357(g))

# Rule 7: the roster's warning windows, widest first (days left before expiry, inclusive).
WARNING_DAYS: tuple[int, ...] = (90, 60, 30)


class WarningBand(Labelled):
    """How near a designation is to its expiry, as of a day. ``None`` means no warning."""

    EXPIRED = "expired"
    DAYS_30 = "30"
    DAYS_60 = "60"
    DAYS_90 = "90"

    @property
    def label(self) -> str:
        if self is WarningBand.EXPIRED:
            return tr("Expired: no longer counts")
        return tr(f"Expires within {self.value} days")

    @property
    def flag(self) -> str:
        """How a list colours it (UX.md: past due red, within the warning window amber)."""
        return "overdue" if self is WarningBand.EXPIRED else "warning"


def days_left(expires: date | None, as_of: date) -> int | None:
    """Days from ``as_of`` to the expiry day (0 on the last day it counts; negative after)."""
    return None if expires is None else (expires - as_of).days


def warning_band(expires: date | None, as_of: date) -> WarningBand | None:
    """Rule 7: 'expired' the day after the expiry date; '30', '60' or '90' when that many days
    or fewer are left; ``None`` when further out, or when the designation states no expiry
    (some deputations state none, 28 CFR 0.112 leaves it to the deputation itself)."""
    left = days_left(expires, as_of)
    if left is None:
        return None
    if left < 0:
        return WarningBand.EXPIRED
    for days in sorted(WARNING_DAYS):
        if left <= days:
            return WarningBand(str(days))
    return None


def counts_on(effective: date | None, expires: date | None, on: date) -> bool:
    """Rule 7: a designation counts from its effective date up to and including its expiry
    date; an expired (or not yet effective) designation counts for nothing."""
    if effective is not None and on < effective:
        return False
    return expires is None or on <= expires


@dataclass(frozen=True)
class Lapse:
    """The days after a designation expires that no designation of its authority covers."""
    starts: date
    ends: date | None  # the day before a recorded renewal takes effect; None: none recorded


Dates = tuple[date | None, date | None]  # (effective, expires) of another designation


def _later(expires: date, others: Iterable[Dates]) -> list[date | None]:
    """Effective days of the member's other designations of the authority that last longer."""
    return [effective for effective, until in others if until is None or until > expires]


def lapse_after(expires: date | None, others: Iterable[Dates]) -> Lapse | None:
    """Rule 7: the gap after ``expires`` before the next designation of the same authority takes
    effect (a renewal recorded in advance hides none of it); None when one takes over the very
    next day, or when the designation states no expiry. ``others``: the member's other
    designations of that authority."""
    if expires is None:
        return None
    starts = expires + timedelta(days=1)
    later = _later(expires, others)
    if any(effective is None or effective <= starts for effective in later):
        return None
    renewal = min((e for e in later if e is not None), default=None)
    return Lapse(starts, renewal - timedelta(days=1) if renewal else None)


def designation_status(effective: date | None, expires: date | None, others: Iterable[Dates],
                       as_of: date) -> DesignationStatus:
    """Rule 7, the one definition the roster, the home screen and the member list share:
    pending before its effective day; expired once past its expiry until another designation of
    the authority has taken effect (then renewed); expiring within the warning window (its
    expiry day included) unless another takes over the day after (renewed); otherwise active."""
    if effective is not None and as_of < effective:
        return DesignationStatus.PENDING
    if expires is None:
        return DesignationStatus.ACTIVE
    later = _later(expires, others)
    if expires < as_of:
        renewed = any(e is None or e <= as_of for e in later)
        return DesignationStatus.RENEWED if renewed else DesignationStatus.EXPIRED
    if (expires - as_of).days <= max(WARNING_DAYS):
        renewed = lapse_after(expires, others) is None
        return DesignationStatus.RENEWED if renewed else DesignationStatus.EXPIRING
    return DesignationStatus.ACTIVE


def lapse_text(expires: date | None, renewal: date | None, status: DesignationStatus) -> str:
    """What the roster and the home screen add about the gap: 'lapse 2027-03-01 to 2027-03-09
    (renewal takes effect 2027-03-10)', 'no renewal recorded', or '' when none is owed."""
    if expires is None or status not in (DesignationStatus.EXPIRING, DesignationStatus.EXPIRED):
        return ""
    if renewal is None:
        return tr("no renewal recorded")
    return tr("lapse {start} to {end} (the renewal takes effect {renewal})").format(
        start=(expires + timedelta(days=1)).isoformat(), end=(renewal - timedelta(days=1)).isoformat(),
        renewal=renewal.isoformat())


def expiry_text(expires: date | None, as_of: date) -> str:
    """What the roster says: 'expires in 90 days', 'expires today', 'expired on 2027-01-14'."""
    left = days_left(expires, as_of)
    if left is None:
        return tr("no expiry stated")
    if left < 0:
        return tr(f"expired on {expires.isoformat()}")  # type: ignore[union-attr]
    if left == 0:
        return tr("expires today")
    if left == 1:
        return tr("expires tomorrow")
    return tr(f"expires in {left} days")


@dataclass(frozen=True)
class DesignationFacts:
    """A member's designation and the written agreement it was granted under, as the
    delegated-authority check needs them (no database: the service fills this in)."""

    id: int
    effective: date | None
    expires: date | None
    agreement_id: int | None = None
    agreement_title: str = ""
    agreement_kind: str = ""
    agreement_effective: date | None = None
    agreement_expires: date | None = None
    # 002 II.A: granted by ICE (or one of its offices), under an agreement to which the
    # member's own agency (or the agency above it, e.g. the sheriff's office) is a party
    granted_by_ice: bool = False
    home_agency_party: bool = False


def grant_287g_problem(*, granted_by_ice: bool, agreement_kind: str | None, ice_party: bool,
                       home_agency_party: bool) -> FieldError | None:
    """Rule 7 / 002 II.A: who may hold a 287(g) designation at all. ICE grants it, under a
    written 287(g) agreement between ICE and the member's own agency; a deputy of one county
    holds none under another county's agreement, nor one his own sheriff's office "grants"."""
    if not granted_by_ice:
        return FieldError("granting_agency_id", tr(
            "A 287(g) designation is granted by ICE (8 U.S.C. 1357(g)); choose ICE or one of its offices."))
    if agreement_kind is None:
        return FieldError("agreement_id", tr(
            "A 287(g) designation exists only under a written 287(g) agreement; choose it."))
    if agreement_kind != "287g":
        return FieldError("agreement_id", tr("The agreement chosen is not a 287(g) agreement."))
    if not ice_party:
        return FieldError("agreement_id", tr(
            "ICE is not a party to the agreement chosen; a 287(g) agreement is made with ICE."))
    if not home_agency_party:
        return FieldError("agreement_id", tr(
            "The member's own agency is not a party to that 287(g) agreement; a member acts only under "
            "their own agency's agreement with ICE."))
    return None
