"""State and local cooperation (DOMAIN.md rules 7 and 8; seed 002 II.A and III).

Activities of state, local and tribal members are recorded with a type. The guidance's
examples of permissible cooperation (002 III.A) are accepted; its examples of impermissible
actions (002 III.B) are refused with the guidance's own words; since both lists are
"non-exhaustive" (002 III), "other" is accepted but flagged for legal review. Exercising
delegated immigration authority (III.A's last example) needs, on the day, the member's 287(g)
designation and its 287(g) agreement both in force (002 II.A, 8 U.S.C. 1357(g)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from taskforce.domain.designations import DesignationFacts, counts_on
from taskforce.domain.enums import AgencyLevel, AgreementKind, Labelled
from taskforce.domain.errors import FieldError
from taskforce.domain.records import _Checks, _Validated
from taskforce.domain.rules import agreement_in_force
from taskforce.i18n import tr

# 002 (Summary, II.A): the guidance concerns officers of states and their political
# subdivisions; tribal police are treated alike here, federal and foreign members are not.
COOPERATING_LEVELS = frozenset({AgencyLevel.STATE, AgencyLevel.LOCAL, AgencyLevel.TRIBAL})


class ActivityType(Labelled):
    # 002 III.A Cooperation and Other Permissible Actions
    JOINT_TASK_FORCE = "joint_task_force"
    WARRANT_TACTICAL = "warrant_tactical"
    WARRANT_PERIMETER = "warrant_perimeter"
    EQUIPMENT_FACILITIES = "equipment_facilities"
    EVIDENCE_OR_STOP = "evidence_or_stop"
    DETAINEE_ACCESS = "detainee_access"
    CASE_REFERRAL = "case_referral"
    INFORMATION_SHARING = "information_sharing"
    DELEGATED_AUTHORITY = "delegated_immigration_authority"
    # 002 III.B Impermissible Actions
    INDEPENDENT_REMOVAL = "independent_removal"
    ENTRY_PROGRAM = "entry_program"
    MANDATED_STATUS_INQUIRY = "mandated_status_inquiry"
    ALIEN_REQUIREMENTS = "alien_requirements"
    STATE_SANCTIONS = "state_immigration_sanctions"
    BURDENSOME_REFERRALS = "burdensome_referrals"
    WORK_PROGRAM = "work_authorization_program"
    CONSULAR_ID_PENALTIES = "consular_id_penalties"
    # 002 III: "a non-exhaustive list"
    OTHER = "other"

    @property
    def label(self) -> str:
        return tr(_TYPE_LABELS[self])

    @property
    def permissible(self) -> bool:
        return self in PERMISSIBLE

    @property
    def impermissible(self) -> bool:
        return self in IMPERMISSIBLE


_TYPE_LABELS: dict[ActivityType, str] = {
    ActivityType.JOINT_TASK_FORCE: "Participating in a joint task force with DHS immigration officers",
    ActivityType.WARRANT_TACTICAL: "Tactical officers at the execution of a search or arrest warrant",
    ActivityType.WARRANT_PERIMETER: "Perimeter security at the execution of a search or arrest warrant",
    ActivityType.EQUIPMENT_FACILITIES: "Providing equipment, facilities or services to federal immigration officials",
    ActivityType.EVIDENCE_OR_STOP: "Seizing evidence or making a stop at DHS's request (state or local grounds)",
    ActivityType.DETAINEE_ACCESS: "Giving federal immigration officials access to identify detained aliens",
    ActivityType.CASE_REFERRAL: "Referring a possible violation learned in the normal course of state business",
    ActivityType.INFORMATION_SHARING: "Sharing information related to immigration matters with DHS",
    ActivityType.DELEGATED_AUTHORITY: "Exercising delegated immigration authority (287(g))",
    ActivityType.INDEPENDENT_REMOVAL: "Independently removing an alien from the United States, or imposing sanctions",
    ActivityType.ENTRY_PROGRAM: "A program for aliens abroad to seek entry, or independently facilitating entry",
    ActivityType.MANDATED_STATUS_INQUIRY: "Mandated immigration-status inquiries of a group or category of people",
    ActivityType.ALIEN_REQUIREMENTS: "Requiring aliens to perform tasks or meet criteria federal law does not",
    ActivityType.STATE_SANCTIONS: "State prohibitions or sanctions for conduct within the scope of the INA",
    ActivityType.BURDENSOME_REFERRALS: "Consistently referring classes of people or matters outside DHS priorities",
    ActivityType.WORK_PROGRAM: "A program authorizing aliens to work regardless of federal work authorization",
    ActivityType.CONSULAR_ID_PENALTIES: "Proscribing or penalizing the use of consular identification cards",
    ActivityType.OTHER: "Other (not in the guidance's lists: legal review)",
}

# 002 III.A, in the guidance's order; each type cites the example it stands for.
PERMISSIBLE: tuple[ActivityType, ...] = (
    ActivityType.JOINT_TASK_FORCE, ActivityType.WARRANT_TACTICAL, ActivityType.WARRANT_PERIMETER,
    ActivityType.EQUIPMENT_FACILITIES, ActivityType.EVIDENCE_OR_STOP, ActivityType.DETAINEE_ACCESS,
    ActivityType.CASE_REFERRAL, ActivityType.INFORMATION_SHARING, ActivityType.DELEGATED_AUTHORITY,
)

# 002 III.B Impermissible Actions: the guidance's own wording of each example, shown as the
# reason an activity of that type is refused.
IMPERMISSIBLE: dict[ActivityType, str] = {
    ActivityType.INDEPENDENT_REMOVAL:
        "State and local governments attempting to independently remove an alien from the United "
        "States or imposing sanctions on an alien due to a suspected violation of federal "
        "immigration law.",
    ActivityType.ENTRY_PROGRAM:
        "State and local governments establishing programs under which aliens currently in foreign "
        "countries may seek permission to enter the United States, or state or local governments "
        "independently facilitating the entry of aliens into the United States.",
    ActivityType.MANDATED_STATUS_INQUIRY:
        "State governments mandating that state or local law enforcement officers inquire into the "
        "immigration status of a specified group or category of individuals.",
    ActivityType.ALIEN_REQUIREMENTS:
        "State governments requiring aliens, because of their status as aliens, to perform certain "
        "tasks or satisfy certain criteria that the INA and federal law neither requires nor "
        "expressly authorizes, in order for those aliens to avoid sanctions by state officials.",
    ActivityType.STATE_SANCTIONS:
        "State or local governments creating state prohibitions or imposing civil or criminal "
        "sanctions for conduct that is within the scope of the INA, even if not prohibited by the "
        "INA—for example, penalizing aliens present in the United States without lawful status, "
        "penalizing aliens who are in violation of federal registration requirements, or "
        "prohibiting aliens who do not have work authorization from the Federal Government to seek "
        "work within a state.",
    ActivityType.BURDENSOME_REFERRALS:
        "State or local government officials consistently referring certain classes of individuals "
        "or matters to DHS for some action to such an extent as to risk burdening limited DHS "
        "resources and personnel either after being asked by DHS not to refer those matters or "
        "where such referrals fall outside of DHS priorities.",
    ActivityType.WORK_PROGRAM:
        "State and local governments creating a program that authorizes aliens to work in their "
        "jurisdictions without regard to whether the aliens have work authorization from the "
        "Federal Government.",
    ActivityType.CONSULAR_ID_PENALTIES:
        "State and local governments proscribing or penalizing the use of consular identification "
        "cards or other documents, in circumstances where their use would be reasonably related to "
        "fulfilling the United States' treaty-based obligation to inform arrested or detained "
        "aliens that they may have their country's embassy or consulate notified, and that "
        "officials from the embassy or consulate must be allowed access to them upon request.",
}

# 002 III: "this is a non-exhaustive list … The fact that a state or local government's
# contemplated actions do not have an analogue on this list does not have any bearing on
# whether such actions would be permissible cooperation or impermissible."
LEGAL_REVIEW_REASON = (
    "Flagged for legal review: the guidance's lists are non-exhaustive, and an action without an "
    "analogue on them is neither permissible nor impermissible for that reason alone (002 III)."
)


def refusal_reason(activity_type: str) -> str | None:
    """002 III.B: why an activity of this type is refused, in the guidance's words; else None."""
    try:
        wording = IMPERMISSIBLE.get(ActivityType(activity_type))
    except ValueError:
        return None
    if wording is None:
        return None
    return tr("Refused: DHS guidance lists this among the actions that would infringe on the "
              f"Federal Government's authorities (002 III.B, Impermissible Actions): “{wording}”")


def needs_legal_review(activity_type: str) -> bool:
    return activity_type == ActivityType.OTHER


def may_record_cooperation(level: str) -> bool:
    """Rule 8: cooperation activities are those of state, local (and tribal) members."""
    return level in COOPERATING_LEVELS


def not_cooperating_reason(member_name: str, agency: str, level: str) -> str:
    try:
        level_label = AgencyLevel(level).label.lower()
    except ValueError:
        level_label = level
    return tr(f"{member_name}'s home agency ({agency}) is {level_label}: cooperation activities are "
              "recorded for members of state, local or tribal agencies only (002 III).")


@dataclass(frozen=True)
class DelegatedAuthorityCheck:
    """The outcome of the 287(g) check: the designation relied on, or why there is none."""

    designation_id: int | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_delegated_authority(designations: Sequence[DesignationFacts], on: date) -> DelegatedAuthorityCheck:
    """Rule 7 / 002 II.A: on the activity's day the member needs a 287(g) designation in force
    (effective ≤ day ≤ expires) granted under a 287(g) agreement in force that same day.

    ``designations`` are the member's 287(g) designations. The one expiring last is relied on
    when several qualify; otherwise the sentence says which part is missing.
    """
    day = on.isoformat()
    if not designations:
        return DelegatedAuthorityCheck(None, tr(
            "Refused: the member has no 287(g) designation; delegated immigration authority is "
            "exercised only by designated officers under a written 287(g) agreement (002 II.A)."))
    active = [d for d in designations if counts_on(d.effective, d.expires, on)]
    if not active:
        latest = max(designations, key=lambda d: (d.expires or date.max))
        if latest.effective and on < latest.effective:
            when = f"it takes effect on {latest.effective.isoformat()}"
        else:
            when = f"it expired on {latest.expires.isoformat()}" if latest.expires else "it is not in force"
        return DelegatedAuthorityCheck(None, tr(
            f"Refused: the member has no active 287(g) designation on {day} ({when}); an expired "
            "designation no longer counts (002 II.A)."))
    problems = []
    for d in sorted(active, key=lambda d: d.expires or date.max, reverse=True):
        if not d.granted_by_ice:
            problems.append("it was not granted by ICE")
        elif d.agreement_id is None:
            problems.append("it names no 287(g) agreement")
        elif d.agreement_kind != AgreementKind.A287G:
            problems.append(f"“{d.agreement_title}” is not a 287(g) agreement")
        elif not d.home_agency_party:
            problems.append(f"the member's own agency is not a party to “{d.agreement_title}”")
        elif not agreement_in_force(d.agreement_effective, d.agreement_expires, on):
            problems.append(f"the 287(g) agreement “{d.agreement_title}” is not in force on {day}")
        else:
            return DelegatedAuthorityCheck(d.id, None)
    return DelegatedAuthorityCheck(None, tr(
        f"Refused: the member's 287(g) designation is active on {day}, but {problems[0]}; delegated "
        "authority exists only under a written 287(g) agreement in force (002 II.A)."))


@dataclass(frozen=True)
class CooperationActivityData(_Validated):
    member_id: int
    activity_type: str
    occurred_on: date | None
    description: str = ""
    case_id: int | None = None

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.choice("activity_type", self.activity_type, ActivityType, "Type")
        c.required("occurred_on", self.occurred_on, "Date")
        reason = refusal_reason(self.activity_type)
        if reason:  # 002 III.B: shown next to the type as soon as it is chosen
            c.errors.append(FieldError("activity_type", reason))
        if needs_legal_review(self.activity_type):
            c.required("description", self.description, "A description for the legal review")
        return c.errors
