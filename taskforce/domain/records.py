"""What a user enters for each core record, and what makes it valid.

Each ``*Data`` is a frozen input record; ``validate()`` returns every problem at once, keyed
by field, so a form can show each message next to its field while the user types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from taskforce.domain import enums as E
from taskforce.domain.errors import FieldError, ValidationFailed
from taskforce.domain.text import clean_line, field_label, has_surrogates, has_visible_text
from taskforce.i18n import tr

_ORI = re.compile(r"^[A-Z0-9]{9}$")


class _Checks:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, name: str, message: str) -> None:
        self.errors.append(FieldError(name, tr(message)))

    def required(self, name: str, value: object, what: str) -> None:
        # judged on the text as it will be stored (domain.text): "\u202e " is no name
        if value is None or (isinstance(value, str) and not has_visible_text(value)):
            self.add(name, f"{what} is required.")

    def choice(self, name: str, value: str | None, enum_cls: type[E.Labelled], what: str) -> None:
        if value is None or value == "":
            self.add(name, f"{what} is required.")
        elif value not in {m.value for m in enum_cls}:
            self.add(name, f"{what} '{value}' is not one of the allowed values.")

    def length(self, name: str, value: str | None, limit: int, what: str) -> None:
        if value and len(clean_line(value)) > limit:
            self.add(name, f"{what} is longer than {limit} characters.")

    def order(self, first: date | None, second: date | None, name: str, message: str) -> None:
        if first and second and second < first:
            self.add(name, message)


def future_dates(today: date, *fields: tuple[str, date | None, str]) -> list[FieldError]:
    """What has happened (a debrief, a referral, an activity, an item done) is never dated
    after today: each (field, day, label) past ``today`` is one error naming it."""
    return [FieldError(name, tr("{what} cannot be after today ({today}).").format(
                what=what, today=today.isoformat()))
            for name, day, what in fields if day is not None and day > today]


class _Validated:
    def validate(self) -> list[FieldError]:  # pragma: no cover - overridden
        raise NotImplementedError

    def check(self) -> None:
        """Raise ``ValidationFailed`` with every problem, or return quietly."""
        errors = self.validate() + _unencodable(self)
        if errors:
            raise ValidationFailed(errors)


def _unencodable(record: object) -> list[FieldError]:
    """Fields holding a lone surrogate (a broken paste or decode): no file or database takes one,
    so the record is refused before a service so much as looks it up."""
    errors = []
    for name, value in vars(record).items():
        if has_surrogates(value):
            errors.append(FieldError(name, tr(f"{field_label(name)} holds a character that is not valid "
                                              f"text (a lone surrogate); type it again.")))
    return errors


@dataclass(frozen=True)
class AgencyData(_Validated):
    name: str
    level: str
    abbreviation: str = ""
    parent_id: int | None = None
    country: str = "US"
    state: str = ""
    county: str = ""
    ori: str = ""
    agency_type: str = ""
    active: bool = True

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("name", self.name, "Name")
        c.length("name", self.name, 200, "Name")
        c.choice("level", self.level, E.AgencyLevel, "Level")
        c.length("abbreviation", self.abbreviation, 30, "Abbreviation")
        if self.ori and not _ORI.match(self.ori.strip().upper()):
            c.add("ori", "ORI must be 9 letters or digits, e.g. WA0370000.")
        if self.country and len(self.country.strip()) not in (2, 3):
            c.add("country", "Country must be a 2- or 3-letter code, e.g. US or CA.")
        return c.errors


@dataclass(frozen=True)
class AgreementData(_Validated):
    kind: str
    title: str
    party_ids: tuple[int, ...] = ()
    scope: str = ""
    signed: date | None = None
    effective: date | None = None
    expires: date | None = None
    document_ref: str = ""

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.choice("kind", self.kind, E.AgreementKind, "Kind")
        c.required("title", self.title, "Title")
        if len(set(self.party_ids)) < 2:
            c.add("party_ids", "An agreement needs at least two parties.")
        c.order(self.effective, self.expires, "expires", "Expires must not be before effective.")
        c.order(self.signed, self.expires, "expires", "Expires must not be before signed.")
        return c.errors


@dataclass(frozen=True)
class Participation:
    agency_id: int
    agreement_id: int | None = None


@dataclass(frozen=True)
class TaskForceData(_Validated):
    name: str
    kind: str
    lead_agency_id: int | None
    area: str = ""
    active_from: date | None = None
    active_to: date | None = None
    feedback_interval_days: int = 30
    participants: tuple[Participation, ...] = ()
    # rule 5: besides ICE HSI, the agency that may lead this task force's controlled deliveries
    # (its own field: the lead agency as such never may); none: its ICE HSI participant
    investigative_lead_agency_id: int | None = None

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("name", self.name, "Name")
        c.choice("kind", self.kind, E.TaskForceKind, "Kind")
        c.required("lead_agency_id", self.lead_agency_id, "Lead agency")
        c.order(self.active_from, self.active_to, "active_to", "Active to must not be before active from.")
        if not 1 <= int(self.feedback_interval_days or 0) <= 365:
            c.add("feedback_interval_days", "Feedback interval must be between 1 and 365 days.")
        ids = [p.agency_id for p in self.participants]
        if len(ids) != len(set(ids)):
            c.add("participants", "An agency can participate only once.")
        return c.errors


@dataclass(frozen=True)
class MemberData(_Validated):
    family_name: str
    given_names: str
    home_agency_id: int | None
    rank_title: str = ""
    email: str = ""
    phone: str = ""

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("family_name", self.family_name, "Family name")
        c.required("given_names", self.given_names, "Given names")
        c.required("home_agency_id", self.home_agency_id, "Home agency")
        if self.email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", self.email):
            c.add("email", "E-mail must look like name@agency.gov.")
        return c.errors


@dataclass(frozen=True)
class AssignmentData(_Validated):
    member_id: int
    task_force_id: int | None
    role: str
    start: date | None = None
    end: date | None = None

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("task_force_id", self.task_force_id, "Task force")
        c.choice("role", self.role, E.AssignmentRole, "Role")
        c.required("start", self.start, "From")
        c.order(self.start, self.end, "end", "To must not be before from.")
        return c.errors


@dataclass(frozen=True)
class DesignationData(_Validated):
    member_id: int
    authority: str
    granting_agency_id: int | None
    effective: date | None
    expires: date | None
    agreement_id: int | None = None

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.choice("authority", self.authority, E.Authority, "Authority")
        c.required("granting_agency_id", self.granting_agency_id, "Granting agency")
        c.required("effective", self.effective, "Effective")
        c.order(self.effective, self.expires, "expires", "Expires must not be before effective.")
        if self.authority == E.Authority.A287G and not self.agreement_id:
            # 002 II.A: delegated immigration authority exists only under a written agreement
            c.add("agreement_id", "A 287(g) designation needs its 287(g) agreement.")
        return c.errors


@dataclass(frozen=True)
class TrainingData(_Validated):
    member_id: int
    course: str
    provider: str = ""
    completed: date | None = None

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("course", self.course, "Course")
        c.required("completed", self.completed, "Completed")
        return c.errors


@dataclass(frozen=True)
class CaseData(_Validated):
    number: str
    title: str
    task_force_id: int | None
    lead_agency_id: int | None
    opened_on: date | None
    originating_agency_id: int | None = None
    case_type: str = ""
    statutes: tuple[str, ...] = ()
    status: str = E.CaseStatus.OPEN.value
    closed_on: date | None = None
    closed_reason: str = ""
    priority: str = E.Priority.NORMAL.value
    synopsis: str = ""
    caveat_ids: tuple[int, ...] = ()

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("number", self.number, "Case number")
        c.length("number", self.number, 40, "Case number")
        c.required("title", self.title, "Title")
        c.required("task_force_id", self.task_force_id, "Task force")
        c.required("lead_agency_id", self.lead_agency_id, "Lead agency")
        c.required("opened_on", self.opened_on, "Opened")
        c.choice("status", self.status, E.CaseStatus, "Status")
        c.choice("priority", self.priority, E.Priority, "Priority")
        for statute in self.statutes:
            if statute not in {s.value for s in E.Statute}:
                c.add("statutes", f"Statute '{statute}' is not one of the allowed titles.")
        if self.status == E.CaseStatus.CLOSED:
            c.required("closed_on", self.closed_on, "Closed date")
            c.required("closed_reason", self.closed_reason, "Reason for closing")
            c.order(self.opened_on, self.closed_on, "closed_on", "Closed must not be before opened.")
        elif self.closed_on or self.closed_reason:
            c.add("status", "Only a closed case has a closed date and reason.")
        return c.errors


@dataclass(frozen=True)
class CaseMemberData(_Validated):
    case_id: int
    member_id: int | None
    role: str

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("member_id", self.member_id, "Member")
        c.choice("role", self.role, E.CaseMemberRole, "Role")
        return c.errors


@dataclass(frozen=True)
class NoteData(_Validated):
    case_id: int
    body: str
    author: str = ""
    # rule 6: where the information came from (none: the case's originating agency)
    originating_agency_id: int | None = None
    caveat_ids: tuple[int, ...] = ()

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("body", self.body, "Note")
        return c.errors


@dataclass(frozen=True)
class Identifier:
    kind: str
    value: str


@dataclass(frozen=True)
class SubjectData(_Validated):
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    dob: date | None = None
    nationality: str = ""
    identifiers: tuple[Identifier, ...] = field(default_factory=tuple)
    originating_agency_id: int | None = None  # rule 6: the agency that entered the subject
    caveat_ids: tuple[int, ...] = ()  # rule 6: e.g. "EU PNR-derived"

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.choice("kind", self.kind, E.SubjectKind, "Kind")
        c.required("name", self.name, "Name")
        if self.kind == E.SubjectKind.ORGANIZATION and self.dob:
            c.add("dob", "An organization has no date of birth.")
        for ident in self.identifiers:
            if ident.kind not in {k.value for k in E.IdentifierKind}:
                c.add("identifiers", f"Identifier type '{ident.kind}' is not allowed.")
            if not ident.value.strip():
                c.add("identifiers", "Every identifier needs a value.")
        return c.errors


@dataclass(frozen=True)
class CaseSubjectData(_Validated):
    case_id: int
    subject_id: int | None
    role: str

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("subject_id", self.subject_id, "Subject")
        c.choice("role", self.role, E.SubjectRole, "Role")
        return c.errors
