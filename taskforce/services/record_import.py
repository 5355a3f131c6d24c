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

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
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
from taskforce.services.tx import change_of, read, stored_values, write
from taskforce.store import schema as S
from taskforce.store.queries import agency_label

KINDS = ("members", "cases")
SAMPLE_ROWS = 20
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_FILES = (".csv", ".txt", ".tsv")
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

    def __init__(self, file_name: str, rejected: Iterable[RejectedRow]) -> None:
        self.rejected = tuple(rejected)
        n = len(self.rejected)
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


# --- reading the file ---------------------------------------------------------------------------

def read_table(path: Path) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    """The header and each non-blank row with its line (XLSX: its row number), as text."""
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(tr(f"The file {path} was not found."))
    suffix = path.suffix.lower()
    if suffix in SPREADSHEETS:
        grid = _read_spreadsheet(path)
    elif suffix in TEXT_FILES or not suffix:
        grid = _read_csv(path)
    else:
        raise ImportRefused(tr(f"The file {path.name} is neither CSV nor XLSX; save it as one of those."))
    rows = [(line, cells) for line, cells in grid if any(c.strip() for c in cells)]
    if not rows:
        raise ImportRefused(tr(f"The file {path.name} is empty."))
    (header_line, raw), data = rows[0], rows[1:]
    headers: list[str] = []
    for i, h in enumerate(raw, 1):
        h = clean_line(h).strip() or tr(f"(column {i})")
        name, n = h, 2
        while name in headers:  # the mapping is keyed by header: make each one distinct
            name, n = f"{h} ({n})", n + 1
        headers.append(name)
    if not data:
        raise ImportRefused(tr(f"The file {path.name} has a header but no data rows."))
    return tuple(headers), data


def _read_csv(path: Path) -> list[tuple[int, list[str]]]:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ImportRefused(tr(f"The file {path} cannot be read ({err.strerror}).")) from err
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(tr(f"The file {path.name} is UTF-16 text; save it as \"CSV UTF-8\" and try again."))
    if b"\x00" in data:
        raise ImportRefused(tr(f"The file {path.name} is binary, not a CSV text file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportRefused(tr(f"The file {path.name} is not UTF-8 text (the byte at position {err.start} "
                               f"is not UTF-8); save it as \"CSV UTF-8\" and try again.")) from err
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)  # Excel in many locales writes ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: list[tuple[int, list[str]]] = []
    try:
        while True:
            line = reader.line_num + 1
            try:
                grid.append((line, next(reader)))
            except StopIteration:
                break
    except csv.Error as err:
        raise ImportRefused(tr(f"The file {path.name} cannot be read as CSV (line {reader.line_num}: {err}).")) from err
    return grid


def _read_spreadsheet(path: Path) -> list[tuple[int, list[str]]]:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        rows = list(sheet.iter_rows())
        end = sheet.end
    except Exception as err:  # noqa: BLE001 - calamine raises its own kinds, and OSError, for any bad file
        raise ImportRefused(tr(f"The file {path.name} cannot be read as a spreadsheet ({err}).")) from err
    # iter_rows leaves out empty rows above the used area on some files: count back from the end
    first = (end[0] + 1 - len(rows)) if end else 0
    return [(first + i + 1, [_cell_text(v) for v in row]) for i, row in enumerate(rows)]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


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


@dataclass
class _Plan:
    records: list[tuple[int, MemberData | CaseData]]
    skipped: list[SkippedRow]
    rejected: list[RejectedRow]


def _plan(conn: Connection, kind: str, headers: tuple[str, ...], rows: list[tuple[int, list[str]]],
          mapping: dict[str, str | None], progress: Progress | None, total: int) -> _Plan:
    names = _NameLookup(conn)
    columns = [(i, f) for i, h in enumerate(headers) if (f := mapping.get(h))]
    plan = _Plan([], [], [])
    seen: dict[object, int] = {}  # a row's identity → the line it first appeared on
    existing = _existing_members(conn) if kind == "members" else _existing_numbers(conn, rows, columns)
    for n, (line, cells) in enumerate(rows, 1):
        try:
            if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers):]):
                raise _Row(tr(f"The row has {len(cells)} fields where the header has {len(headers)}."))
            cells = cells + [""] * (len(headers) - len(cells))
            got = {f: cells[i] for i, f in columns}
            if kind == "members":
                data, key, label = _member(got, names)
            else:
                data, key, label = _case(got, names)
            if key in seen:
                raise _Row(tr(f"{label} is already on line {seen[key]}."))
            seen[key] = line
            if key in existing:
                if kind == "cases":
                    raise _Row(tr(f"Case number {data.number.strip()} is already in use."))
                plan.skipped.append(SkippedRow(line, tr(f"{label} is already a member; skipped.")))
                continue
            plan.records.append((line, data))
        except _Row as reason:
            plan.rejected.append(RejectedRow(line, str(reason)))
        if progress is not None and n % 500 == 0:
            progress(n, total)
    return plan


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


def _existing_numbers(conn: Connection, rows: list[tuple[int, list[str]]], columns: list[tuple[int, str]]) -> set[str]:
    at = next((i for i, f in columns if f == "number"), None)
    if at is None:
        return set()
    wanted = sorted({clean_line(cells[at]).strip() for _line, cells in rows if at < len(cells)})
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(conn.execute(select(S.case.c.number).where(S.case.c.number.in_(wanted[start:start + 500])))
                     .scalars())
    return found


# --- the two entry points -----------------------------------------------------------------------

def preview(ctx: Context, path: Path, kind: str, mapping: Mapping[str, str | None] | None = None) -> Preview:
    """What an import of ``path`` would do, writing nothing: the mapping and every problem."""
    fields(kind)
    headers, rows = read_table(path)
    resolved, problems = resolve_mapping(kind, headers, mapping)
    sample = tuple((line, tuple(cells[:len(headers)] + [""] * (len(headers) - len(cells))))
                   for line, cells in rows[:SAMPLE_ROWS])
    skipped: list[SkippedRow] = []
    if not problems:
        with read(ctx) as conn:
            plan = _plan(conn, kind, headers, rows, resolved, None, len(rows))
        problems = [tr(f"line {r.line}: {r.reason}") for r in plan.rejected]
        skipped = plan.skipped
    return Preview(headers, resolved, sample, tuple(problems), len(rows), tuple(skipped))


def import_file(ctx: Context, path: Path, kind: str, mapping: Mapping[str, str | None] | None = None,
                progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> Result:
    """Import every row of ``path`` as ``kind`` in one transaction, or nothing."""
    fields(kind)
    path = Path(path)
    headers, rows = read_table(path)  # refused before the database is touched
    resolved, problems = resolve_mapping(kind, headers, mapping)
    if problems:
        raise ImportRefused(" ".join(problems))
    total = 2 * len(rows)  # checking, then writing

    def check_cancel() -> None:
        if cancelled is not None and cancelled():
            raise ImportRefused(tr("Import cancelled; nothing was changed."))

    with write(ctx) as tx:
        plan = _plan(tx.conn, kind, headers, rows, resolved, progress, total)
        if plan.rejected:
            raise ImportRejected(path.name, plan.rejected)
        for n, (_line, data) in enumerate(plan.records, 1):
            if isinstance(data, MemberData):
                tx.insert(S.member, member_service._member_values(data))
            else:
                new_id = tx.insert(S.case, case_service._values(data))
                case_service._save_links(tx, new_id, data)
            if n % 200 == 0:
                check_cancel()
                if progress is not None:
                    progress(len(rows) + n, total)
        check_cancel()
        change = change_of(tx)
    if progress is not None:
        progress(total, total)
    return Result(kind, len(plan.records), tuple(plan.skipped),
                  Change(kinds=change.kinds | {"member" if kind == "members" else "case_file"}))
