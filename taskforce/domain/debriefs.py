"""Debriefs (defendant interviews) and the briefing owed when no CBP officer sat in.

# 001 Presence of CBP Officers During Interviews: "If CBP Officers are not involved with the
# interview, OI will provide a briefing to the Supervisory CBP Officer as appropriate."
DOMAIN.md rule 3: the investigating agency owes that briefing; it stays open until the briefing
is recorded (when, by whom, to whom) or waived with a written reason ("as appropriate").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from taskforce.domain.enums import Labelled
from taskforce.domain.errors import FieldError
from taskforce.domain.records import _Checks, _Validated
from taskforce.i18n import tr

CBP_REF_KEY = "cbp"


class ParticipantRole(Labelled):
    INTERVIEWER = "interviewer"
    NOTE_TAKER = "note_taker"
    SUBJECT_MATTER_EXPERT = "subject_matter_expert"
    COUNSEL = "counsel"
    INTERPRETER = "interpreter"

    @property
    def label(self) -> str:
        return tr(_ROLE_LABELS.get(self, self.value.replace("_", " ").capitalize()))


_ROLE_LABELS = {ParticipantRole.NOTE_TAKER: "Note-taker",
                ParticipantRole.SUBJECT_MATTER_EXPERT: "Subject-matter expert"}


class BriefingStatus(Labelled):
    OWED = "owed"  # no CBP officer took part; neither briefed nor waived yet
    BRIEFED = "briefed"
    WAIVED = "waived"
    NOT_NEEDED = "not_needed"  # a CBP officer took part


def is_cbp(ancestor_ref_keys: Iterable[str | None]) -> bool:
    """An agency is CBP when CBP itself is in its chain (OFO, a field office, a port …)."""
    return CBP_REF_KEY in set(ancestor_ref_keys)


def briefing_owed(participant_chains: Iterable[Iterable[str | None]]) -> bool:
    """Rule 3: owed exactly when no participant's agency is CBP or one of its units.

    Each item is the ref_keys of one participant's agency and its ancestors.
    """
    return not any(is_cbp(chain) for chain in participant_chains)


def briefing_status(owed: bool, briefed_on: date | None, waived_on: date | None) -> BriefingStatus:
    """What the obligation shows; a recorded briefing or waiver is never hidden."""
    if briefed_on is not None:
        return BriefingStatus.BRIEFED
    if waived_on is not None:
        return BriefingStatus.WAIVED
    return BriefingStatus.OWED if owed else BriefingStatus.NOT_NEEDED


def owed_days(held_on: date, today: date) -> int:
    """The briefing is due on the day of the debrief; its age is the days since."""
    return max((today - held_on).days, 0)


@dataclass(frozen=True)
class DebriefParticipant:
    """A member of the task force, or an outside person (an AUSA, an interpreter …)."""

    member_id: int | None
    outside_name: str
    agency_id: int | None  # for a member, empty means the member's home agency
    role: str


@dataclass(frozen=True)
class DebriefData(_Validated):
    case_id: int | None
    held_on: date | None
    lead_agency_id: int | None  # the investigating agency: it owes the briefing
    defendant_subject_id: int | None = None
    place: str = ""
    prosecutor_office: str = ""
    participants: tuple[DebriefParticipant, ...] = ()
    caveat_ids: tuple[int, ...] = ()  # rule 6: e.g. "EU PNR-derived"

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("case_id", self.case_id, "Case")
        c.required("held_on", self.held_on, "Date")
        c.required("lead_agency_id", self.lead_agency_id, "Lead agency")
        c.length("place", self.place, 200, "Place")
        c.length("prosecutor_office", self.prosecutor_office, 200, "Prosecutor's office")
        if not self.participants:
            c.add("participants", "Add at least one participant: who sat in on the debrief.")
        roles = {r.value for r in ParticipantRole}
        members = [p.member_id for p in self.participants if p.member_id]
        for p in self.participants:
            name = (p.outside_name or "").strip()
            if p.member_id and name:
                c.add("participants", "A participant is either a member or an outside person, not both.")
            elif not p.member_id and not name:
                c.add("participants", "Each participant needs a member or an outside person's name.")
            if not p.member_id and not p.agency_id:
                c.add("participants", "An outside participant needs their agency.")
            if p.role not in roles:
                c.add("participants", "Each participant needs a role.")
            if len(name) > 200:
                c.add("participants", "A participant's name is longer than 200 characters.")
        if len(members) != len(set(members)):
            c.add("participants", "A member can take part only once.")
        return c.errors


@dataclass(frozen=True)
class BriefingData(_Validated):
    """The briefing of the Supervisory CBP Officer that closes the obligation."""

    debrief_id: int
    briefed_on: date | None
    briefed_by: str
    briefed_to: str
    summary: str = ""

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("briefed_on", self.briefed_on, "Date of the briefing")
        c.required("briefed_by", self.briefed_by, "Briefed by")
        c.required("briefed_to", self.briefed_to, "Briefed to")
        c.length("briefed_by", self.briefed_by, 200, "Briefed by")
        c.length("briefed_to", self.briefed_to, 200, "Briefed to")
        return c.errors


@dataclass(frozen=True)
class WaiverData(_Validated):
    """001 says "as appropriate": a briefing may be waived, but only with a written reason."""

    debrief_id: int
    waived_on: date | None
    reason: str

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("waived_on", self.waived_on, "Date of the waiver")
        c.required("reason", self.reason, "A written reason")
        return c.errors


def closing_date_problem(held_on: date, closed_on: date, today: date) -> str | None:
    """A briefing or waiver happens after the debrief and not in the future."""
    if closed_on < held_on:
        return tr(f"It cannot be before the debrief ({held_on.isoformat()}).")
    if closed_on > today:
        return tr("It cannot be in the future.")
    return None
