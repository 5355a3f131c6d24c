"""Exporting a list (cases, subjects, members, agencies) to CSV or XLSX, logged like a release.

The columns are the list screen's (``services.lists``): what a user sees is what leaves. Rows
stream from one read query into the file's bytes, never into a list of rows first, so 100,000
cases cost the size of the file once. Then, as ``publish`` does for a PDF, the export is
logged (kind, every row's id, the file's SHA-256) as pending, the file moved into place and
the entry marked done: a file never leaves without its log entry, and an entry whose file
was never written says so (pending, or failed).

A spreadsheet must never run what a cell holds: text that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return (OWASP "CSV injection", also when spaces come first) is
written with a leading single quote, and in XLSX every text is a string cell, never a formula.
"""

from __future__ import annotations

import csv
import hashlib
import io
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, text

from taskforce.domain.errors import NotFound, TaskforceError
from taskforce.i18n import tr
from taskforce.services import lists
from taskforce.services.context import Context
from taskforce.services.release import Produced, Screen
from taskforce.services.tx import _insert_rows, read, write
from taskforce.store import files
from taskforce.store import schema as S

#: progress callback: (rows done, rows in all)
Progress = Callable[[int, int], None]

EXPORTS: dict[str, lists.ListSpec] = {
    "cases": lists.CASES, "subjects": lists.SUBJECTS, "members": lists.MEMBERS, "agencies": lists.AGENCIES,
}
# what each row is, in the release log's items
ITEM_KIND = {"cases": "case", "subjects": "subject", "members": "member", "agencies": "agency"}
TITLES = {"cases": "Cases", "subjects": "Subjects", "members": "Members", "agencies": "Agencies"}
FORMATS = (".csv", ".xlsx")

# OWASP: a cell starting with one of these is a formula (or DDE call) to Excel, LibreOffice
# and Google Sheets
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_LEADING_SPACE = " \t\r\n"
CHUNK = 2000  # rows between progress reports and cancellation checks
_LOG_CHUNK = 5000  # release_item rows per statement


_SUSPECT = frozenset("".join(FORMULA_TRIGGERS) + _LEADING_SPACE)


def inert(value: str) -> str:
    """``value`` as a spreadsheet shows it but never evaluates it."""
    if not value or value[0] not in _SUSPECT:  # nearly every cell: one look at its first character
        return value
    if value.lstrip(_LEADING_SPACE).startswith(FORMULA_TRIGGERS) or value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Exported:
    path: Path
    what: str
    rows: int
    sha256: str
    size: int
    release_id: int
    title: str


@dataclass
class _AllRows(Screen):
    """Our own export: every row included, nothing withheld (no recipient). The rows' ids are
    logged by ``_log_items`` in chunks, not held as one ``Decision`` each."""
    count: int = 0

    @property
    def included_count(self) -> int:
        return self.count

    @property
    def withheld_count(self) -> int:
        return 0


class ExportCancelled(TaskforceError):
    """The user cancelled; no file was written and nothing was logged."""


def export_format(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise TaskforceError(tr(f"The output must be a .csv or .xlsx file; got '{Path(path).name}'."))
    return suffix[1:]


def export(ctx: Context, what: str, path: Path, progress: Progress | None = None,
           cancelled: Callable[[], bool] | None = None) -> Exported:
    """Write the list ``what`` to ``path`` (.csv or .xlsx) and log the export, all or nothing."""
    spec = EXPORTS.get(what)
    if spec is None:
        raise NotFound(tr(f"Unknown export '{what}'; choose {', '.join(EXPORTS)}."))
    path = Path(path)
    fmt = export_format(path)
    files.refuse_database_as_output(path, ctx.db.path)  # a database may be named cases.csv
    try:
        if path.is_dir():
            raise TaskforceError(tr(f"{path} is a folder; give a file name ending in .{fmt}."))
        if not path.parent.is_dir():
            raise TaskforceError(tr(f"The folder {path.parent} does not exist."))
    except OSError as err:  # a name too long for the file system, a folder we may not look into
        raise TaskforceError(tr(f"{path} cannot be written ({err.strerror or err}).")) from err
    if getattr(ctx.db, "read_only", False):  # no log entry can be written: refuse before the work
        with write(ctx):
            pass  # write() refuses a read-only database with its one sentence
    ids = array("q")
    with read(ctx) as conn:
        total = conn.execute(text(f"SELECT count(*) FROM {spec.entity}")).scalar_one()
        rows = _rows(conn, spec, ctx, ids, total, progress, cancelled)
        if fmt == "csv":
            buffer = _csv(spec, rows)
            marking = ""  # a CSV has no place for a marking
        else:
            marking = _marking()
            buffer = _xlsx(spec, rows, TITLES[what], marking, ctx.actor.app_user)
    data = buffer.getbuffer()  # the bytes themselves, not a copy
    sha = hashlib.sha256(data).hexdigest()
    title = tr(f"{TITLES[what]} ({len(ids):,} rows)")
    from taskforce.reports.publish import log_and_write

    try:
        screen = _AllRows(None, None, count=len(ids))  # no recipient: it never reads the database
        release_id = log_and_write(
            ctx, data, path, Produced(f"export-{what}", title, marking, str(path.resolve()), sha), screen,
            log_items=lambda conn, release_id: _log_items(conn, release_id, ITEM_KIND[what], ids),
            verb="exported")
    finally:
        size = len(data)
        data.release()
    return Exported(path, what, len(ids), sha, size, release_id, title)


def _marking() -> str:
    from taskforce.reports.publish import settings_from_user

    return settings_from_user().marking.banner


def _log_items(conn: Connection, release_id: int, kind: str, ids: array) -> None:
    # multi-row INSERTs (tx's bulk helper): 100,000 items in a fraction of a second
    columns = ["release_id", "item_kind", "item_id", "included", "reason"]
    for start in range(0, len(ids), _LOG_CHUNK):
        _insert_rows(conn, S.release_item, columns,
                     [(release_id, kind, i, True, "") for i in ids[start:start + _LOG_CHUNK]])


def _rows(conn: Connection, spec: lists.ListSpec, ctx: Context, ids: array, total: int,
          progress: Progress | None, cancelled: Callable[[], bool] | None) -> Iterator[tuple]:
    """The list's display values, row by row, in the list's default order; each id is kept."""
    cols = ", ".join(f"{c.sql} AS c{i}" for i, c in enumerate(spec.columns))
    order = spec.column(spec.default_sort).sql if spec.default_sort else "t.id"
    direction = "DESC" if spec.default_descending else "ASC"
    sql = f"SELECT t.id, {cols} {spec.from_sql} ORDER BY {order} {direction}, t.id {direction}"
    result = conn.execute(text(sql), {**spec.extra_params, "today": ctx.today().isoformat()})
    for n, row in enumerate(result, 1):
        ids.append(row[0])
        yield row[1:]
        if n % CHUNK == 0:
            if cancelled is not None and cancelled():
                raise ExportCancelled(tr("Export cancelled; no file was written."))
            if progress is not None:
                progress(n, total)
    if progress is not None:
        progress(len(ids), total)


def _display(column: lists.Column, value: object) -> object:
    if value is None:
        return ""
    if column.kind == "label":  # as the list shows a stored code: "joint_working_group" → "Joint working group"
        return str(value).replace("_", " ").capitalize()
    return value


# --- CSV ----------------------------------------------------------------------------------------

def _csv(spec: lists.ListSpec, rows: Iterator[tuple]) -> io.BytesIO:
    """UTF-8 with a byte-order mark (so Excel reads it as UTF-8), CRLF line ends, every cell inert."""
    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="", write_through=False)
    out = csv.writer(stream)
    columns = spec.columns
    out.writerow([tr(c.header) for c in columns])
    for row in rows:
        out.writerow([inert(v) if isinstance(v, str) else v
                      for v in (_display(c, value) for c, value in zip(columns, row))])
    stream.flush()
    stream.detach()  # the buffer stays open for the caller
    return buffer


# --- XLSX ---------------------------------------------------------------------------------------

def _xlsx(spec: lists.ListSpec, rows: Iterator[tuple], title: str, marking: str, by: str) -> io.BytesIO:
    """openpyxl's write-only mode: rows go to the sheet's temporary file as they come."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    book.properties.title = title
    book.properties.creator = "Taskforce"
    book.properties.lastModifiedBy = by[:255]
    book.properties.created = datetime.now(timezone.utc).replace(tzinfo=None)
    sheet = book.create_sheet(title[:31])
    columns = spec.columns
    for i, c in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(i)].width = max(8, round(c.width / 7))
    sheet.freeze_panes = "A2"
    if marking:  # printed at the top and bottom of every page, as on a PDF
        header_footer = sheet.HeaderFooter
        header_footer.oddHeader.center.text = marking
        header_footer.oddFooter.center.text = marking
        header_footer.oddFooter.right.text = "&P / &N"
    bold = Font(bold=True)

    def string_cell(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # never a formula, never an error code: text as it is
        return cell

    def header(value: str) -> WriteOnlyCell:
        cell = string_cell(value)
        cell.font = bold
        return cell

    def text(value: str) -> object:
        if not value.isprintable():
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # XML 1.0 cannot hold them
        made_inert = inert(value)
        if made_inert is not value or value in ERROR_CODES:
            return string_cell(made_inert)
        return value  # plain text: openpyxl makes it a string cell (it cannot start with "=")

    def day(value: object) -> object:
        if isinstance(value, str) and value:
            try:  # a plain date: openpyxl gives it the yyyy-mm-dd format itself
                day = date.fromisoformat(value)
            except ValueError:
                return text(value)  # not a date after all: the text as it is
            # Excel counts days from 1900: an earlier date (a date of birth) stays text
            return day if day.year >= 1900 else text(value)
        return value

    def label(value: object) -> object:
        return text(str(value).replace("_", " ").capitalize()) if isinstance(value, str) else value

    def other(value: object) -> object:
        return text(value) if isinstance(value, str) else value

    convert = [{"date": day, "label": label}.get(c.kind, other) for c in columns]
    pairs = list(zip(convert, range(len(columns))))

    sheet.append([header(tr(c.header)) for c in columns])
    for row in rows:
        sheet.append([None if row[i] is None else f(row[i]) for f, i in pairs])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer
