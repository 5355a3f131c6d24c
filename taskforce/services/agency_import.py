"""Importing the FBI Crime Data Explorer agency list (CSV), upserting agencies by ORI.

All or nothing: the whole file is applied in one audited transaction. Rows the importer
cannot use (bad ORI, empty name, unknown type, an ORI repeated in the file, wrong number of
fields) are skipped and reported with their physical line number; everything else commits.
A file that is not such a list at all is refused with ``ImportRefused`` and nothing changes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from taskforce.domain.errors import TaskforceError
from taskforce.domain.text import clean_line
from taskforce.i18n import tr
from taskforce.services.context import Context
from taskforce.services.tx import as_text, write
from taskforce.store import schema as S


class ImportRefused(TaskforceError):
    """The file cannot be imported at all (or the import was cancelled); nothing was changed."""


@dataclass(frozen=True)
class RejectedRow:
    line: int  # 1-based physical line in the file (the header is line 1)
    reason: str


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    unchanged: int
    rejected: tuple[RejectedRow, ...]

    def summary(self) -> str:
        return tr(f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
                  f"rejected {len(self.rejected)}")


# agency_type_name → agency level. Tribal police are their own level; the state police and
# other state agencies are "state"; cities, counties, universities/colleges and "Other"
# (special districts, transit, ports, parks …) are "local". Nothing in this list is federal.
LEVEL_OF_TYPE: dict[str, str] = {
    "Tribal": "tribal",
    "State Police": "state",
    "Other State Agency": "state",
    "City": "local",
    "County": "local",
    "University or College": "local",
    "Other": "local",
}

REQUIRED_COLUMNS = ("agency_name", "agency_type_name", "county_name", "ori", "state_abbr")
# the fields the import owns; abbreviation, parent and ref_key stay as the user set them
COMPARED = ("name", "level", "country", "state", "county", "agency_type", "active")
MAX_LENGTH = {"name": 200, "county": 200, "state": 40}
CHUNK = 1000  # rows between progress reports, cancellation checks and bulk inserts

_ORI = re.compile(r"[A-Z0-9]{9}")


def import_agencies_csv(ctx: Context, path: Path,
                        progress: Callable[[int, int], None] | None = None,
                        cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Upsert the agencies of an FBI CDE agency CSV by ORI, in one transaction."""
    path = Path(path)
    columns, width, records = _read(path)  # raises ImportRefused before the database is touched
    total = len(records)
    rejected: list[RejectedRow] = []
    first_line: dict[str, int] = {}  # ORI → the line it first appeared on
    added = updated = unchanged = 0
    a = S.agency.c

    def check_cancel() -> None:
        if cancelled is not None and cancelled():
            raise ImportRefused(tr("Import cancelled; nothing was changed."))

    check_cancel()
    with write(ctx) as tx:
        existing = {
            row["ori"].strip().upper(): row
            for row in tx.conn.execute(select(a.id, a.ori, *(a[c] for c in COMPARED))
                                       .where(a.ori.is_not(None))).mappings()
        }
        for start in range(0, total, CHUNK):
            check_cancel()
            new_rows: list[dict] = []
            for line, fields in records[start:start + CHUNK]:
                values, reason = _values(fields, columns, width, line, first_line)
                if reason:
                    rejected.append(RejectedRow(line, reason))
                    continue
                current = existing.get(values["ori"])
                if current is None:
                    new_rows.append(values)
                    continue
                if all(current[k] == values[k] for k in COMPARED):  # the usual re-run case
                    unchanged += 1
                    continue
                # compared as the audit log writes them, so "changed" means an audit row
                changed = {k: values[k] for k in COMPARED
                           if as_text(current[k]) != as_text(values[k])}
                if changed:
                    tx.update(S.agency, current["id"], changed)
                    updated += 1
                else:
                    unchanged += 1
            tx.insert_many(S.agency, new_rows)
            added += len(new_rows)
            if progress is not None:
                progress(min(start + CHUNK, total), total)
        check_cancel()
    return ImportReport(added, updated, unchanged, tuple(rejected))


def _values(fields: list[str], columns: dict[str, int], width: int, line: int,
            first_line: dict[str, int]) -> tuple[dict, str | None]:
    """The agency row for one CSV record, or the reason it cannot be used."""
    if len(fields) != width:
        return {}, tr(f"The row has {len(fields)} fields where the header has {width}.")
    raw_ori = fields[columns["ori"]].strip()
    ori = raw_ori.upper()
    if not ori:
        return {}, tr("The ORI is missing.")
    if not _ORI.fullmatch(ori):
        return {}, tr(f"The ORI “{raw_ori}” is not 9 letters and digits.")
    if ori in first_line:
        return {}, tr(f"The ORI {ori} already appears on line {first_line[ori]}; "
                      f"this later row was skipped.")
    first_line[ori] = line
    # names stored like every other name (NFC, one line, no bidirectional controls): the bulk
    # insert path skips Tx.insert's cleaning for speed, so the importer cleans what it reads
    name = clean_line(fields[columns["agency_name"]]).strip()
    if not name:
        return {}, tr(f"The agency name for ORI {ori} is empty.")
    agency_type = fields[columns["agency_type_name"]].strip()
    level = LEVEL_OF_TYPE.get(agency_type)
    if level is None:
        return {}, tr(f"The agency type “{agency_type}” of ORI {ori} is not one of "
                      f"{', '.join(LEVEL_OF_TYPE)}.")
    values = dict(name=name, abbreviation="", level=level, parent_id=None, country="US",
                  state=clean_line(fields[columns["state_abbr"]]).strip(),
                  county=clean_line(fields[columns["county_name"]]).strip(),
                  ori=ori, agency_type=agency_type, active=True)
    for key, limit in MAX_LENGTH.items():
        if len(values[key]) > limit:
            return {}, tr(f"The {key} of ORI {ori} is longer than {limit} characters.")
    return values, None


def _read(path: Path) -> tuple[dict[str, int], int, list[tuple[int, list[str]]]]:
    """The header's column positions, its width, and each data record with its first line."""
    if not path.is_file():
        raise ImportRefused(tr(f"The file {path} was not found."))
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ImportRefused(tr(f"The file {path} cannot be read ({err.strerror}).")) from err
    if not data.strip():
        raise ImportRefused(tr(f"The file {path.name} is empty."))
    if b"\x00" in data:
        raise ImportRefused(tr(f"The file {path.name} is binary, not a CSV text file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportRefused(tr(f"The file {path.name} is binary or not UTF-8 text "
                               f"(undecodable byte at position {err.start}).")) from err
    if not text.strip():
        raise ImportRefused(tr(f"The file {path.name} is empty."))
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        header = next(reader)
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            if fields:  # a blank line is no record
                records.append((line, fields))
    except csv.Error as err:
        raise ImportRefused(tr(f"The file {path.name} cannot be read as CSV "
                               f"(line {reader.line_num}: {err}).")) from err
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise ImportRefused(tr(f"The file {path.name} is not an FBI agency list: it lacks the "
                               f"column{'s' if len(missing) > 1 else ''} {', '.join(missing)}."))
    if not records:
        raise ImportRefused(tr(f"The file {path.name} has a header but no data rows."))
    return {c: names.index(c) for c in REQUIRED_COLUMNS}, len(header), records
