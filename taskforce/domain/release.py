"""Rule 6, the Third Party Rule (001): may a recipient agency receive an item?

Pure: the caller states who the recipient and the originator are (each as its chain of
agencies, itself first, then its parents), whether the item is derived from EU PNR data and
whether an authorization is recorded. Nothing here reads the database or the clock.

The rule, as DOMAIN.md states it, decided in this order:

1. a recorded release authorization for the item (or its whole record) and the recipient
   releases it, whatever else holds;
2. an item whose originating agency is unknown is withheld: nobody can say it is releasable;
3. the originator itself, or one of its units, receives its own items;
4. EU PNR-derived items go to CBP and its units, the primary receiver; to anyone else (ICE and
   every other DHS component included) they are third-party information;
5. DHS components are not third parties to one another;
6. everything else is third-party information and is withheld.

EU PNR only ever restricts (DOMAIN.md rule 6): step 4 can withhold, never release. An FBI note
marked EU PNR still meets step 6 on its way to CBP, like the same note without the caveat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from taskforce.domain.enums import Labelled
from taskforce.domain.errors import FieldError
from taskforce.domain.records import _Checks, _Validated
from taskforce.i18n import tr

EU_PNR_CAVEAT = "eu_pnr"
CBP_REF_KEY = "cbp"
DHS_REF_KEY = "dhs"


class ItemKind(Labelled):
    """Releasable items (rule 6) and the records an authorization may name."""
    CASE = "case"          # the case's own fields: title, synopsis, agencies, type
    NOTE = "note"
    EVENT = "event"
    SUBJECT = "subject"
    DEBRIEF = "debrief"
    SUPPORT = "support"
    FEEDBACK = "feedback"

    @property
    def label(self) -> str:
        return tr(_KIND_LABELS[self])


class Withheld(Labelled):
    """Why an item was left out; the cover of a partner briefing counts items per reason."""
    EU_PNR = "eu_pnr"
    THIRD_PARTY = "third_party"
    UNKNOWN_ORIGIN = "unknown_origin"

    @property
    def label(self) -> str:
        """'Derived from EU PNR data': the reason, capitalized, for lists and logs."""
        text = _REASON_TEXT[self]
        return tr(text[0].upper() + text[1:])

    def describe(self, count: int) -> str:
        """'3 items derived from EU PNR data': what the cover says, never the content."""
        noun = "item" if count == 1 else "items"
        return tr(f"{count} {noun} {_REASON_TEXT[self]}")


_KIND_LABELS = {
    ItemKind.CASE: "Case record", ItemKind.NOTE: "Note", ItemKind.EVENT: "Event",
    ItemKind.SUBJECT: "Subject", ItemKind.DEBRIEF: "Debrief", ItemKind.SUPPORT: "Support given",
    ItemKind.FEEDBACK: "Feedback",
}

_REASON_TEXT = {
    Withheld.EU_PNR: "derived from EU PNR data",
    Withheld.THIRD_PARTY: "originated by another agency without an authorization",
    Withheld.UNKNOWN_ORIGIN: "with no originating agency recorded",
}


@dataclass(frozen=True)
class Lineage:
    """An agency and its parents, nearest first: (id, ref_key) pairs."""
    chain: tuple[tuple[int, str | None], ...]

    @property
    def id(self) -> int:
        return self.chain[0][0]

    def ids(self) -> set[int]:
        return {agency_id for agency_id, _ in self.chain}

    def under(self, ref_key: str) -> bool:
        """True when this agency is the one with `ref_key` or one of its units."""
        return any(key == ref_key for _, key in self.chain)


def may_receive(recipient: Lineage, originator: Lineage | None, *, eu_pnr: bool,
                authorized: bool) -> Withheld | None:
    """None when `recipient` may receive the item; otherwise the reason it is withheld."""
    if authorized:
        return None
    if originator is None:
        return Withheld.UNKNOWN_ORIGIN
    if originator.id in recipient.ids():  # the recipient is the originator or one of its units
        return None
    if eu_pnr and not recipient.under(CBP_REF_KEY):
        return Withheld.EU_PNR
    if recipient.under(DHS_REF_KEY) and originator.under(DHS_REF_KEY):
        return None
    return Withheld.THIRD_PARTY


def withheld_summary(counts: dict[Withheld, int]) -> str:
    """'3 items derived from EU PNR data; 2 items originated by another agency without an
    authorization' in a fixed order, or '' when nothing was withheld."""
    return "; ".join(reason.describe(counts[reason]) for reason in Withheld if counts.get(reason))


@dataclass(frozen=True)
class AuthorizationData(_Validated):
    """A recorded release of one item (or a whole record) to one recipient agency."""
    item_kind: str
    item_id: int | None
    recipient_agency_id: int | None
    authorized_by: str
    authorized_on: date | None
    reference: str = ""

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.choice("item_kind", self.item_kind, ItemKind, "What is released")
        c.required("item_id", self.item_id, "The item")
        c.required("recipient_agency_id", self.recipient_agency_id, "Recipient agency")
        c.required("authorized_by", self.authorized_by, "Who authorized it")
        c.length("authorized_by", self.authorized_by, 200, "Who authorized it")
        c.required("authorized_on", self.authorized_on, "Date of the authorization")
        c.required("reference", self.reference, "Reference")
        c.length("reference", self.reference, 100, "Reference")
        return c.errors
