"""Importing members and cases from a CSV or XLSX file, with a column mapping.

The shape of ``agency_import``: the file is read and its columns mapped before the database is
touched; then, in ONE audited transaction, every row is checked as the services check a form
(the domain record's ``validate``, ``tx.stored_values`` for text and lengths, names of agencies
and task forces resolved). All or nothing: one rejected row refuses the whole file, with every
rejected row's line and reason (``ImportRejected``). Re-running a file never duplicates: a
member already recorded (same family and given names, same home agency) is skipped and
reported; a case number already in use is a rejected row, as on the form.

Columns are matched to fields by their headers (case, spaces and punctuation ignored, a few
synonyms: "Surname" → family name, "Case #" → number); a mapping given by the user wins.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, select

from taskforce.domain import enums as E
from taskforce.domain.errors import TaskforceError, ValidationFailed
from taskforce.domain.records import CaseData, MemberData
from taskforce.domain.text import clean_line, date_problem
from taskforce.i18n import tr
from taskforce.services import cases as case_service
from taskforce.services import members as member_service
from taskforce.services.agency_import import ImportRefused, RejectedRow
from taskforce.services.context import Change, Context
from taskforce.services.import_files import open_table
from taskforce.services.tx import Tx, change_of, read, stored_values, write
from taskforce.store import schema as S
from taskforce.store.queries import agency_label

KINDS = ("members", "cases")
SAMPLE_ROWS = 20
BATCH = 500  # rows checked, then inserted, at a time
MAX_REASONS = 100_000  # refused rows reported one by one; beyond, counted
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


FIELDS: dict[str, tuple[Field, ...]] = {
    "members": (
        Field("name", "Name (Family, Given)", synonyms=("name", "full name", "member", "member name")),
        Field("family_name", "Family name", True, ("family name", "last name", "surname", "family")),
        Field("given_names", "Given names", True, ("given names", "given name", "first name", "first names",
                                                   "forename", "forenames", "given")),
        Field("rank_title", "Rank or title", False, ("rank or title", "rank", "title", "rank/title", "position")),
        Field("home_agency", "Home agency", True, ("home agency", "agency", "agency name", "department")),
        Field("email", "E-mail", False, ("email", "e-mail", "email address", "mail")),
        Field("phone", "Phone", False, ("phone", "telephone", "phone number", "tel")),
    ),
    "cases": (
        Field("number", "Case number", True, ("number", "case #", "case number", "case no", "case no.", "case",
                                              "file number")),
        Field("title", "Title", True, ("title", "case title")),
        Field("task_force", "Task force", True, ("task force", "taskforce")),
        Field("lead_agency", "Lead agency", True, ("lead agency", "lead")),
        Field("originating_agency", "Originating agency", False, ("originating agency", "originator", "origin")),
        Field("case_type", "Case type", False, ("case type", "type")),
        Field("status", "Status", False, ("status",)),
        Field("priority", "Priority", False, ("priority",)),
        Field("opened_on", "Opened", True, ("opened", "opened on", "date opened", "open date", "opened date")),
        Field("closed_on", "Closed", False, ("closed", "closed on", "date closed", "closed date")),
        Field("closed_reason", "Reason for closing", False, ("reason for closing", "closed reason",
                                                             "closing reason")),
        Field("synopsis", "Synopsis", False, ("synopsis", "summary", "description")),
        Field("statutes", "Statutes", False, ("statutes", "statute", "titles")),
    ),
}
IGNORE = ("", "-", "ignore", "none")  # a mapping to one of these leaves the column out


class ImportRejected(ImportRefused):
    """Rows of the file cannot be imported; nothing was. ``rejected`` has each line and reason."""

    def __init__(self, file_name: str, rejected: Iterable[RejectedRow], count: int | None = None) -> None:
        self.rejected = tuple(rejected)
        n = len(self.rejected) if count is None else count
        lines = ", ".join(str(r.line) for r in self.rejected[:5]) + (f" and {n - 5} more" if n > 5 else "")
        super().__init__(tr(f"{n} row{'s' if n != 1 else ''} of {file_name} cannot be imported "
                            f"(line{'s' if n != 1 else ''} {lines}); nothing was imported."))


@dataclass(frozen=True)
class SkippedRow:
    line: int
    reason: str


@dataclass(frozen=True)
class Preview:
    headers: tuple[str, ...]
    mapping: dict[str, str | None]  # header → field key, None: left out
    sample_rows: tuple[tuple[int, tuple[str, ...]], ...]  # (line, cells) of the first rows
    problems: tuple[str, ...]  # each would refuse the import: mapping first, then rows by line
    rows: int = 0
    skipped: tuple[SkippedRow, ...] = ()


@dataclass(frozen=True)
class Result:
    kind: str
    added: int
    skipped: tuple[SkippedRow, ...]
    change: Change

    def summary(self) -> str:
        return tr(f"added {self.added} {self.kind}, skipped {len(self.skipped)} already recorded")


def fields(kind: str) -> tuple[Field, ...]:
    if kind not in FIELDS:
        raise TaskforceError(tr(f"Cannot import '{kind}'; choose members or cases."))
    return FIELDS[kind]


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["Surname=family_name", "Notes="]`` (the CLI's ``--map``) as a mapping."""
    out: dict[str, str] = {}
    for pair in pairs:
        column, sep, field = pair.rpartition("=")
        if not sep or not column.strip():
            raise TaskforceError(tr(f"A mapping is written \"Column=field\"; got '{pair}'."))
        out[column.strip()] = field.strip()
    return out


def _norm(header: str) -> str:
    return "".join(ch for ch in clean_line(header).casefold() if ch.isalnum() or ch == "#")


# --- the mapping --------------------------------------------------------------------------------

def auto_mapping(kind: str, headers: Iterable[str]) -> dict[str, str | None]:
    """Each header's field by its name or a synonym; the first column wins a field."""
    by_name: dict[str, str] = {}
    for f in fields(kind):
        for name in (f.key, f.label, *f.synonyms):
            by_name.setdefault(_norm(name), f.key)
    taken: set[str] = set()
    mapping: dict[str, str | None] = {}
    for h in headers:
        key = by_name.get(_norm(h))
        mapping[h] = key if key and key not in taken else None
        if key:
            taken.add(key)
    return mapping


def resolve_mapping(kind: str, headers: tuple[str, ...],
                    override: Mapping[str, str | None] | None) -> tuple[dict[str, str | None], list[str]]:
    """The automatic mapping with ``override`` applied, and the problems that would refuse it."""
    mapping = auto_mapping(kind, headers)
    problems: list[str] = []
    keys = {f.key for f in fields(kind)}
    by_norm = {_norm(h): h for h in headers}
    for column, field in (override or {}).items():
        header = column if column in mapping else by_norm.get(_norm(column))
        if header is None:
            problems.append(tr(f"There is no column '{column}' in the file."))
            continue
        wanted = (field or "").strip()
        if wanted.lower() in IGNORE:
            mapping[header] = None
        elif wanted in keys:
            mapping[header] = wanted
        else:
            problems.append(tr(f"'{wanted}' is not a field of {kind}; choose one of {', '.join(sorted(keys))} "
                               f"(or nothing, to leave the column out)."))
    labels = {f.key: f.label for f in fields(kind)}
    used: dict[str, str] = {}
    for header, field in mapping.items():
        if field is None:
            continue
        if field in used:
            problems.append(tr(f"The columns '{used[field]}' and '{header}' both give {labels[field]}; "
                               f"leave one of them out."))
        used.setdefault(field, header)
    present = set(used)
    if kind == "members" and "name" in present:
        present |= {"family_name", "given_names"}
    for f in fields(kind):
        if f.required and f.key not in present:
            problems.append(tr(f"No column gives the {f.label.lower()}; map one, e.g. --map \"Column={f.key}\"."))
    return mapping, problems


# --- checking the rows --------------------------------------------------------------------------

class _NameLookup:
    """Agencies and task forces by the names users know them by, loaded once per import."""

    def __init__(self, conn: Connection) -> None:
        self.agencies: dict[str, dict[str, set[int]]] = {"abbreviation": {}, "name": {}, "ori": {}}
        self.labels: dict[int, str] = {}
        for a_id, name, abbr, ori, label in conn.exec_driver_sql(
                f"SELECT a.id, a.name, a.abbreviation, a.ori, {agency_label('a')} FROM agency a"):
            self.labels[a_id] = label
            for column, value in (("abbreviation", abbr), ("name", name), ("ori", ori)):
                if value:
                    self.agencies[column].setdefault(value.casefold(), set()).add(a_id)
        self.task_forces: dict[str, int] = {name.casefold(): tf_id for tf_id, name in conn.execute(
            select(S.task_force.c.id, S.task_force.c.name))}

    def agency(self, text: str, what: str) -> int | None:
        wanted = clean_line(text).strip()
        if not wanted:
            return None
        for column in ("abbreviation", "name", "ori"):
            ids = self.agencies[column].get(wanted.casefold())
            if ids and len(ids) == 1:
                return next(iter(ids))
            if ids:
                raise _Row(tr(f"{what} '{wanted}' names {len(ids)} agencies ("
                              + "; ".join(sorted(self.labels[i] for i in ids)[:4]) + "); give the full name or ORI."))
        raise _Row(tr(f"{what}: no agency called '{wanted}'."))

    def task_force(self, text: str) -> int | None:
        wanted = clean_line(text).strip()
        if not wanted:
            return None
        found = self.task_forces.get(wanted.casefold())
        if found is None:
            raise _Row(tr(f"No task force called '{wanted}'."))
        return found


class _Row(Exception):
    """One row cannot be used; its reason (internal: becomes a RejectedRow)."""


def _day(text: str, what: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text)
    try:
        day = date.fromisoformat(m.group(1)) if m else None
    except ValueError:
        day = None
    if day is None:
        raise _Row(tr(f"{what} '{text}' is not a date written YYYY-MM-DD."))
    problem = date_problem(day, what)
    if problem:
        raise _Row(problem)
    return day


def _choice(text: str, enum_cls: type[E.Labelled], what: str, default: str) -> str:
    wanted = clean_line(text).strip().casefold()
    if not wanted:
        return default
    for m in enum_cls:
        if wanted in (m.value.casefold(), m.label.casefold(), m.value.replace("_", " ").casefold()):
            return m.value
    raise _Row(tr(f"{what} '{text.strip()}' is not one of {', '.join(m.label for m in enum_cls)}."))


def _statutes(text: str) -> tuple[str, ...]:
    out = []
    for part in re.split(r"[,;/]", text):
        part = re.sub(r"^(title|t)\s*", "", part.strip().casefold())
        if part:
            out.append(_choice(part, E.Statute, "Statute", ""))
    return tuple(dict.fromkeys(out))


class _Reasons:
    """The problems of one row, at most one per field, all reported together."""

    def __init__(self) -> None:
        self.by_field: dict[str, str] = {}

    def get(self, field: str, fn: Callable, *args: object) -> object:
        try:
            return fn(*args)
        except _Row as reason:
            self.by_field.setdefault(field, str(reason))
            return None

    def check(self, data: MemberData | CaseData, table, values: dict) -> dict:  # noqa: ANN001
        """``values`` as stored, once the record validates as its form would; else the row is rejected."""
        for error in data.validate():
            self.by_field.setdefault(error.field, error.message)
        if not self.by_field:
            try:
                return stored_values(table, values)
            except ValidationFailed as err:
                for error in err.errors:
                    self.by_field.setdefault(error.field, error.message)
        raise _Row(" ".join(self.by_field.values()))


class _Checker:
    """Checks rows one at a time as their forms would (one pass, nothing held per row but the
    row's identity): a duplicate within the file is found in a small in-memory table of the
    identities seen, a record already in the database by one indexed lookup."""

    def __init__(self, conn: Connection, kind: str, headers: tuple[str, ...], mapping: dict[str, str | None]) -> None:
        self.conn, self.kind, self.headers = conn, kind, headers
        self.names = _NameLookup(conn)
        self.columns = [(i, f) for i, h in enumerate(headers) if (f := mapping.get(h))]
        self.skipped: list[SkippedRow] = []
        self.rejected: list[RejectedRow] = []
        self.rejected_count = 0
        self.rows = 0
        self._members = _existing_members(conn) if kind == "members" else None
        # identities seen in this file: in memory (never on disk: names of an encrypted database)
        self._seen = sqlite3.connect(":memory:")
        self._seen.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID")

    def close(self) -> None:
        self._seen.close()

    def check(self, line: int, cells: list[str]) -> MemberData | CaseData | None:
        """The row's record to insert; None when it is skipped (already recorded) or rejected."""
        self.rows += 1
        try:
            headers = self.headers
            if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers):]):
                raise _Row(tr(f"The row has {len(cells)} fields where the header has {len(headers)}."))
            cells = cells + [""] * (len(headers) - len(cells))
            got = {f: cells[i] for i, f in self.columns}
            data, key, label = _member(got, self.names) if self.kind == "members" else _case(got, self.names)
            first = self._first_line(key, line)
            if first is not None:
                raise _Row(tr(f"{label} is already on line {first}."))
            if self.kind == "cases":
                if self.conn.execute(select(S.case.c.id).where(S.case.c.number == key)).first():
                    raise _Row(tr(f"Case number {key} is already in use."))
            elif key in self._members:  # type: ignore[operator]
                self.skipped.append(SkippedRow(line, tr(f"{label} is already a member; skipped.")))
                return None
            return data
        except _Row as reason:
            self.rejected_count += 1
            if len(self.rejected) < MAX_REASONS:
                self.rejected.append(RejectedRow(line, str(reason)))
            return None

    def _first_line(self, key: object, line: int) -> int | None:
        text = "\x1f".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
        if self._seen.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (text, line)).rowcount:
            return None
        return self._seen.execute("SELECT line FROM seen WHERE key = ?", (text,)).fetchone()[0]


def _member(got: dict[str, str], names: _NameLookup) -> tuple[MemberData, object, str]:
    r = _Reasons()
    family, given = got.get("family_name", ""), got.get("given_names", "")
    if "name" in got and not (family.strip() and given.strip()):
        full = got["name"].strip()
        if full and "," not in full:
            r.by_field["family_name"] = tr(f"The name '{full}' is not written 'Family, Given'.")
        f_part, _, g_part = full.partition(",")
        family, given = family.strip() or f_part, given.strip() or g_part
    data = MemberData(family_name=family.strip(), given_names=given.strip(),
                      home_agency_id=r.get("home_agency_id", names.agency, got.get("home_agency", ""), "Home agency"),
                      rank_title=got.get("rank_title", "").strip(), email=got.get("email", "").strip(),
                      phone=got.get("phone", "").strip())
    values = r.check(data, S.member, member_service._member_values(data))
    key = _member_key(values["family_name"], values["given_names"], data.home_agency_id)
    label = f"{values['family_name']}, {values['given_names']} ({names.labels[data.home_agency_id]})"
    return data, key, label


def _member_key(family: str, given: str, agency_id: int | None) -> tuple:
    return (" ".join(family.casefold().split()), " ".join(given.casefold().split()), agency_id)


def _case(got: dict[str, str], names: _NameLookup) -> tuple[CaseData, object, str]:
    r = _Reasons()
    data = CaseData(
        number=got.get("number", "").strip(), title=got.get("title", "").strip(),
        task_force_id=r.get("task_force_id", names.task_force, got.get("task_force", "")),
        lead_agency_id=r.get("lead_agency_id", names.agency, got.get("lead_agency", ""), "Lead agency"),
        originating_agency_id=r.get("originating_agency_id", names.agency, got.get("originating_agency", ""),
                                    "Originating agency"),
        opened_on=r.get("opened_on", _day, got.get("opened_on", ""), "Opened"),
        closed_on=r.get("closed_on", _day, got.get("closed_on", ""), "Closed"),
        case_type=got.get("case_type", "").strip(),
        status=r.get("status", _choice, got.get("status", ""), E.CaseStatus, "Status", E.CaseStatus.OPEN.value)
        or E.CaseStatus.OPEN.value,
        priority=r.get("priority", _choice, got.get("priority", ""), E.Priority, "Priority", E.Priority.NORMAL.value)
        or E.Priority.NORMAL.value,
        closed_reason=got.get("closed_reason", "").strip(), synopsis=got.get("synopsis", "").strip(),
        statutes=r.get("statutes", _statutes, got.get("statutes", "")) or ())
    values = r.check(data, S.case, case_service._values(data))
    return data, values["number"], tr(f"Case number {values['number']}")


def _existing_members(conn: Connection) -> set[tuple]:
    m = S.member.c
    return {_member_key(f, g, a) for f, g, a in conn.execute(select(m.family_name, m.given_names, m.home_agency_id))}


# --- the two entry points -----------------------------------------------------------------------

def preview(ctx: Context, path: Path, kind: str, mapping: Mapping[str, str | None] | None = None) -> Preview:
    """What an import of ``path`` would do, writing nothing: the mapping and every problem."""
    fields(kind)
    with open_table(path) as table:
        resolved, problems = resolve_mapping(kind, table.headers, mapping)
        sample: list[tuple[int, tuple[str, ...]]] = []
        n = len(table.headers)
        with read(ctx) as conn:
            checker = _Checker(conn, kind, table.headers, resolved)
            try:
                for line, cells in table.rows:
                    if len(sample) < SAMPLE_ROWS:
                        sample.append((line, tuple(cells[:n] + [""] * (n - len(cells)))))
                    if not problems:
                        checker.check(line, cells)
                    else:
                        checker.rows += 1
            finally:
                checker.close()
    if not problems:
        problems = [tr(f"line {r.line}: {r.reason}") for r in checker.rejected]
        if checker.rejected_count > len(checker.rejected):
            problems.append(_more(checker))
    return Preview(table.headers, resolved, tuple(sample), tuple(problems), checker.rows, tuple(checker.skipped))


def import_file(ctx: Context, path: Path, kind: str, mapping: Mapping[str, str | None] | None = None,
                progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> Result:
    """Import every row of ``path`` as ``kind`` in one transaction, or nothing.

    One pass: each row is checked, and inserted in batches while no row has been refused;
    after the first refused row the rest are only checked, so every refusal is reported, and
    the transaction is rolled back. Memory stays flat in the row count."""
    fields(kind)
    path = Path(path)
    with open_table(path) as table:  # refused before the database is touched
        resolved, problems = resolve_mapping(kind, table.headers, mapping)
        if problems:
            raise ImportRefused(" ".join(problems))
        with write(ctx) as tx:
            checker = _Checker(tx.conn, kind, table.headers, resolved)
            batch: list[MemberData | CaseData] = []
            added = 0
            try:
                for line, cells in table.rows:
                    data = checker.check(line, cells)
                    if data is not None and not checker.rejected_count:
                        batch.append(data)
                        if len(batch) >= BATCH:
                            added += _insert(tx, batch)
                    if checker.rows % BATCH == 0:
                        if cancelled is not None and cancelled():
                            raise ImportRefused(tr("Import cancelled; nothing was changed."))
                        if progress is not None:
                            progress(*table.progress())
                if checker.rejected_count:
                    raise ImportRejected(path.name, checker.rejected, checker.rejected_count)
                added += _insert(tx, batch)
                if cancelled is not None and cancelled():
                    raise ImportRefused(tr("Import cancelled; nothing was changed."))
            finally:
                checker.close()
            change = change_of(tx)
        if progress is not None:
            total = table.progress()[1]
            progress(total, total)
    return Result(kind, added, tuple(checker.skipped),
                  Change(kinds=change.kinds | {"member" if kind == "members" else "case_file"}))


def _insert(tx: Tx, batch: list[MemberData | CaseData]) -> int:
    """Insert a batch with a few statements, each row audited as one insert would be."""
    if not batch:
        return 0
    if isinstance(batch[0], MemberData):
        tx.insert_many(S.member, [stored_values(S.member, member_service._member_values(d)) for d in batch])
    else:
        rows = [stored_values(S.case, case_service._values(d)) for d in batch]
        ids = tx.insert_many(S.case, rows, extras=[{"statutes": ", ".join(sorted(d.statutes))} for d in batch])
        links = [{"case_id": case_id, "statute": statute} for case_id, d in zip(ids, batch) for statute in d.statutes]
        if links:
            tx.conn.execute(S.case_statute.insert(), links)
    n = len(batch)
    batch.clear()
    return n


def _more(checker: _Checker) -> str:
    return tr(f"… and {checker.rejected_count - len(checker.rejected):,} more rows refused "
              f"(the first {len(checker.rejected):,} are listed).")
