"""Dated events on a case's timeline, and who may lead a controlled delivery.

# 001 Controlled Deliveries/Pass-Throughs: "OI assumes responsibility for any and all events or
# incidents arising from such controlled deliveries and pass throughs."
DOMAIN.md rule 5: controlled deliveries are led by the investigative agency (OI, now ICE HSI),
which records them and their outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from taskforce.domain.enums import Labelled
from taskforce.domain.errors import FieldError
from taskforce.domain.records import _Checks, _Validated
from taskforce.i18n import tr

ICE_HSI_REF_KEY = "ice_hsi"

CONTROLLED_DELIVERY_REFUSED = (
    "Controlled deliveries are led by the investigative agency (ICE HSI or the task force's "
    "investigative lead).")


class EventKind(Labelled):
    ARREST = "arrest"
    SEIZURE = "seizure"
    SEARCH_WARRANT = "search_warrant"
    ARREST_WARRANT = "arrest_warrant"
    CONTROLLED_DELIVERY = "controlled_delivery"
    INDICTMENT = "indictment"
    CONVICTION = "conviction"
    OTHER = "other"

    @property
    def label(self) -> str:
        return tr(_KIND_LABELS.get(self, self.value.replace("_", " ").capitalize()))


_KIND_LABELS = {EventKind.SEARCH_WARRANT: "Search warrant executed",
                EventKind.ARREST_WARRANT: "Arrest warrant executed"}


def may_lead_controlled_delivery(lead_chain: Iterable[tuple[int, str | None]],
                                 investigative_lead_id: int | None) -> bool:
    """Rule 5: the lead is ICE HSI (or a unit of it), or the agency the task force names as its
    investigative lead (or a unit of that agency).

    ``lead_chain`` is the proposed lead agency and its ancestors as (id, ref_key). The task
    force's *lead agency* plays no part: Washington State Patrol leading a task force does not
    make it the investigative agency (S13); a JTTF names its FBI field office to lead its own.
    """
    chain = list(lead_chain)
    if any(ref == ICE_HSI_REF_KEY for _id, ref in chain):
        return True
    return investigative_lead_id is not None and any(i == investigative_lead_id for i, _ref in chain)


@dataclass(frozen=True)
class CaseEventData(_Validated):
    case_id: int | None
    kind: str
    occurred_on: date | None
    lead_agency_id: int | None = None
    description: str = ""
    outcome: str = ""  # a controlled delivery's result: delivered, arrests made, seized …
    agency_ids: tuple[int, ...] = ()  # the other agencies involved
    originating_agency_id: int | None = None  # rule 6: who reported it (none: the case's)
    caveat_ids: tuple[int, ...] = ()  # rule 6: e.g. "EU PNR-derived"

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("case_id", self.case_id, "Case")
        c.choice("kind", self.kind, EventKind, "Kind")
        c.required("occurred_on", self.occurred_on, "Date")
        if self.kind == EventKind.CONTROLLED_DELIVERY and not self.lead_agency_id:
            c.add("lead_agency_id", "A controlled delivery needs its lead agency "
                                    "(the investigative agency).")
        if len(set(self.agency_ids)) != len(self.agency_ids):
            c.add("agency_ids", "An agency is listed twice.")
        return c.errors

    @property
    def needs_outcome(self) -> bool:
        """A controlled delivery without its outcome is shown as such on the timeline."""
        return self.kind == EventKind.CONTROLLED_DELIVERY and not self.outcome.strip()
