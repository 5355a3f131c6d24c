"""Reading a CSV or spreadsheet to import, one row at a time.

An import of a million rows must not hold a million rows (issue 11: 910 MB at a million rows):
the file is read as a stream of ``(line, cells)`` and its header, and every check and insert
works row by row. CSV and XLSX stream; the legacy .xls and .ods formats are read whole by
calamine (Excel 97 and OpenDocument sheets are small in practice).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from taskforce.domain.text import clean_line
from taskforce.i18n import tr
from taskforce.services.agency_import import ImportRefused

STREAMED_SHEETS = (".xlsx", ".xlsm")
WHOLE_SHEETS = (".xls", ".ods")
SPREADSHEETS = STREAMED_SHEETS + WHOLE_SHEETS
TEXT_FILES = (".csv", ".txt", ".tsv")
# No field of a record takes more (a synopsis, a reason); a longer cell is a broken or hostile
# file, refused before it is held, laid out or stored (an 800 KB synopsis took minutes to print).
MAX_CELL = 100_000

Row = tuple[int, list[str]]


@dataclass
class TableFile:
    """An open file to import: its header, its rows as a one-pass stream, and how far it has read."""
    name: str
    headers: tuple[str, ...]
    rows: Iterator[Row]
    _done: object  # () -> (done, total): bytes or rows read so far, of how many

    def progress(self) -> tuple[int, int]:
        return self._done()  # type: ignore[operator]


@contextmanager
def open_table(path: Path) -> Iterator[TableFile]:
    """The file's header and a stream of its non-blank data rows (line, cells as text)."""
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(tr("The file {path} was not found.").format(path=path))
    suffix = path.suffix.lower()
    if suffix in STREAMED_SHEETS:
        opened = _xlsx(path)
    elif suffix in WHOLE_SHEETS:
        opened = _whole_sheet(path)
    elif suffix in TEXT_FILES or not suffix:
        opened = _csv(path)
    else:
        raise ImportRefused(tr("The file {name} is neither CSV nor XLSX; save it as one of those.").format(
            name=path.name))
    with opened as (grid, done):
        rows = (row for row in _checked(grid, path.name) if any(c.strip() for c in row[1]))
        first = next(rows, None)
        if first is None:
            raise ImportRefused(tr("The file {name} is empty.").format(name=path.name))
        headers = _headers(first[1])
        data = _peekable(rows)
        if data.empty():
            raise ImportRefused(tr("The file {name} has a header but no data rows.").format(name=path.name))
        yield TableFile(path.name, headers, data, done)


def _headers(raw: list[str]) -> tuple[str, ...]:
    headers: list[str] = []
    for i, h in enumerate(raw, 1):
        h = clean_line(h).strip() or tr("(column {n})").format(n=i)
        name, n = h, 2
        while name in headers:  # the mapping is keyed by header: make each one distinct
            name, n = f"{h} ({n})", n + 1
        headers.append(name)
    return tuple(headers)


def _checked(grid: Iterator[Row], name: str) -> Iterator[Row]:
    for line, cells in grid:
        for cell in cells:
            if len(cell) > MAX_CELL:
                raise ImportRefused(tr(
                    "Line {line} of {name} has a cell of {size:,} characters; no field takes more than "
                    "{limit:,}. Nothing was imported.").format(line=line, name=name, size=len(cell), limit=MAX_CELL))
        yield line, cells


class _peekable:  # noqa: N801 - an iterator that can say whether it is empty without losing a row
    def __init__(self, it: Iterator[Row]) -> None:
        self._it = it
        self._next: list[Row] = []

    def empty(self) -> bool:
        if not self._next:
            try:
                self._next.append(next(self._it))
            except StopIteration:
                return True
        return False

    def __iter__(self) -> _peekable:
        return self

    def __next__(self) -> Row:
        if self._next:
            return self._next.pop()
        return next(self._it)


# --- CSV ---------------------------------------------------------------------------------------

@contextmanager
def _csv(path: Path) -> Iterator[tuple[Iterator[Row], object]]:
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below, after the rows are read
    except OSError as err:
        raise ImportRefused(tr("The file {path} cannot be read ({reason}).").format(
            path=path, reason=err.strerror)) from err
    try:
        head = raw.read(65536)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportRefused(tr('The file {name} is UTF-16 text; save it as "CSV UTF-8" and try again.').format(
                name=path.name))
        if b"\x00" in head:
            raise ImportRefused(tr("The file {name} is binary, not a CSV text file.").format(name=path.name))
        first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
        delimiter = max((",", ";", "\t"), key=first.count)  # Excel in many locales writes ";"
        raw.seek(0)
        size = path.stat().st_size
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        yield _csv_rows(text, delimiter, path.name), lambda: (raw.tell(), size)
    finally:
        raw.close()


def _csv_rows(text: io.TextIOWrapper, delimiter: str, name: str) -> Iterator[Row]:
    reader = csv.reader(text, delimiter=delimiter)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as err:
            raise ImportRefused(tr(
                'The file {name} is not UTF-8 text (near line {line}); save it as "CSV UTF-8" and try again.'
            ).format(name=name, line=reader.line_num + 1)) from err
        except csv.Error as err:
            raise ImportRefused(tr("The file {name} cannot be read as CSV (line {line}: {reason}).").format(
                name=name, line=reader.line_num, reason=err)) from err
        yield line, row


# --- spreadsheets ------------------------------------------------------------------------------

@contextmanager
def _xlsx(path: Path) -> Iterator[tuple[Iterator[Row], object]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        total = sheet.max_row or 0
    except Exception as err:  # noqa: BLE001 - openpyxl raises many kinds (zip, XML, KeyError) for a bad file
        raise ImportRefused(tr("The file {name} cannot be read as a spreadsheet ({reason}).").format(
            name=path.name, reason=err)) from err
    read = [0]

    def rows() -> Iterator[Row]:
        try:  # read-only mode yields every row from the first, empty ones too: numbers stay right
            for number, values in enumerate(sheet.iter_rows(values_only=True), sheet.min_row or 1):
                read[0] = number
                yield number, [_cell_text(v) for v in values]
        except ImportRefused:
            raise
        except Exception as err:  # noqa: BLE001 - a damaged sheet part
            raise ImportRefused(tr("The file {name} cannot be read as a spreadsheet ({reason}).").format(
                name=path.name, reason=err)) from err
    try:
        yield rows(), lambda: (read[0], max(total, read[0]))
    finally:
        book.close()


@contextmanager
def _whole_sheet(path: Path) -> Iterator[tuple[Iterator[Row], object]]:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        rows = list(sheet.iter_rows())
        end = sheet.end
    except Exception as err:  # noqa: BLE001 - calamine raises its own kinds, and OSError, for any bad file
        raise ImportRefused(tr("The file {name} cannot be read as a spreadsheet ({reason}).").format(
            name=path.name, reason=err)) from err
    # iter_rows leaves out empty rows above the used area on some files: count back from the end
    first = (end[0] + 1 - len(rows)) if end else 0
    grid = [(first + i + 1, [_cell_text(v) for v in row]) for i, row in enumerate(rows)]
    yield iter(grid), lambda: (0, len(grid))


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
