"""Closed vocabularies of the domain (DOMAIN.md glossary), with user-facing labels.

Values are stored as the enum's string value; labels go through ``tr`` when shown.
"""

from __future__ import annotations

from enum import StrEnum

from taskforce.i18n import tr


class Labelled(StrEnum):
    @property
    def label(self) -> str:
        return tr(_LABELS.get(self, self.value.replace("_", " ").capitalize()))

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class AgencyLevel(Labelled):
    FEDERAL = "federal"
    STATE = "state"
    LOCAL = "local"
    TRIBAL = "tribal"
    FOREIGN = "foreign"
    INTERNATIONAL = "international"


class AgreementKind(Labelled):
    MOU = "mou"
    MOA = "moa"
    A287G = "287g"
    CMAA = "cmaa"
    OTHER = "other"


class TaskForceKind(Labelled):
    JTTF = "jttf"
    BEST = "best"
    IBET = "ibet"
    SHIPRIDER = "shiprider"
    FUGITIVE = "fugitive"
    WORKING_GROUP = "working_group"
    OTHER = "other"


class AssignmentRole(Labelled):
    SPECIAL_AGENT = "special_agent"
    OFFICER = "officer"
    TFO = "tfo"
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    ATTACHE = "attache"


class Authority(Labelled):
    """Legal bases of cross-designations (DOMAIN.md glossary)."""

    TITLE19 = "title19"
    TITLE21 = "title21"
    A287G = "287g"
    SDUSM = "sdusm"
    SHIPRIDER = "shiprider"


class DesignationStatus(Labelled):
    """Where a designation stands on a day, its renewals considered (rule 7;
    ``domain.designations.designation_status``)."""
    PENDING = "pending"    # not yet effective
    ACTIVE = "active"
    EXPIRING = "expiring"  # within the warning window, and nothing takes over the day after
    RENEWED = "renewed"    # expiring or expired, and a later one of the authority takes over
    EXPIRED = "expired"    # expired, and none of the authority counts yet: a lapse


class CaseStatus(Labelled):
    OPEN = "open"
    PENDING = "pending"
    CLOSED = "closed"


class Priority(Labelled):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Statute(Labelled):
    T8 = "8"
    T18 = "18"
    T19 = "19"
    T21 = "21"
    T31 = "31"
    OTHER = "other"


class CaseMemberRole(Labelled):
    CASE_AGENT = "case_agent"
    CO_CASE_AGENT = "co_case_agent"
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    SUPPORT = "support"


class SubjectKind(Labelled):
    PERSON = "person"
    ORGANIZATION = "organization"


class IdentifierKind(Labelled):
    PASSPORT = "passport"
    A_NUMBER = "a_number"
    PHONE = "phone"
    VEHICLE = "vehicle"
    VESSEL = "vessel"
    OTHER = "other"


class SubjectRole(Labelled):
    TARGET = "target"
    DEFENDANT = "defendant"
    WITNESS = "witness"
    ASSOCIATE = "associate"


_LABELS: dict[StrEnum, str] = {
    AgreementKind.MOU: "MOU",
    AgreementKind.MOA: "MOA",
    AgreementKind.A287G: "287(g) agreement",
    AgreementKind.CMAA: "Customs Mutual Assistance Agreement",
    TaskForceKind.JTTF: "JTTF",
    TaskForceKind.BEST: "BEST",
    TaskForceKind.IBET: "IBET",
    TaskForceKind.SHIPRIDER: "ShipRider",
    TaskForceKind.FUGITIVE: "Fugitive Operations Task Force",
    TaskForceKind.WORKING_GROUP: "Working group",
    AssignmentRole.TFO: "Task force officer",
    AssignmentRole.ATTACHE: "Attaché",
    Authority.TITLE19: "Title 19 (19 U.S.C. 1401(i))",
    Authority.TITLE21: "Title 21 (21 U.S.C. 878)",
    Authority.A287G: "287(g) (8 U.S.C. 1357(g))",
    Authority.SDUSM: "Special Deputy U.S. Marshal",
    Authority.SHIPRIDER: "ShipRider",
    DesignationStatus.EXPIRING: "Expiring within 90 days",
    DesignationStatus.PENDING: "Not yet effective",
    Statute.T8: "Title 8",
    Statute.T18: "Title 18",
    Statute.T19: "Title 19",
    Statute.T21: "Title 21",
    Statute.T31: "Title 31",
    CaseMemberRole.CO_CASE_AGENT: "Co-case agent",
    IdentifierKind.A_NUMBER: "A-number",
}


def label_of(enum_cls: type[Labelled], value: str | None) -> str:
    """Label for a stored value; unknown values are shown as stored rather than hidden."""
    if value is None:
        return ""
    try:
        return enum_cls(value).label
    except ValueError:
        return value
