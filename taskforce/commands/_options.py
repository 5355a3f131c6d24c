"""Options several commands share: the day a view is computed for, a row limit, numbers and
texts as argparse types. (Leading underscore: a helper, not a command module.)

Whatever a user can type is refused here in one sentence when it cannot be used: a number
SQLite cannot hold (``--limit 99999999999999999999``), a day outside the years a record can
have (``--as-of 9999-12-31``, whose next day does not exist), text that is not UTF-8.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path

from taskforce.domain.errors import TaskforceError
from taskforce.domain.text import EARLIEST_YEAR, LATEST_YEAR, has_surrogates, plausible_date

# SQLite's integers are 64-bit: a larger number fails in the query that binds it
LARGEST = 2**63 - 1
# options whose value is a file name: any bytes the file system takes (the name need not be UTF-8)
FILE_NAME_OPTIONS = frozenset({"db", "output", "file"})


def whole_number(text: str) -> int:
    """``type=int`` for every option (``cli._Parser`` registers it): a whole number SQLite can
    hold, or argparse's one-line usage error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{_shown(text)}' is not a whole number") from None
    if abs(value) > LARGEST:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is too large (at most {LARGEST:,})")
    return value


def bounded(low: int, high: int, sentence: str) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high``, else ``sentence`` (checked while parsing, before
    any file is opened)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{_shown(text)}' is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(sentence)
        return value
    return parse


def not_text(args: argparse.Namespace) -> str | None:
    """The sentence refusing an argument that is not valid UTF-8 (a terminal in another
    encoding; Python keeps the bytes as lone surrogates, which no database, PDF or CSV can
    hold), or None. File names may be any bytes; they are left to the file system."""
    for name, value in vars(args).items():
        if name in FILE_NAME_OPTIONS or isinstance(value, Path):
            continue
        for one in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(one, str) and has_surrogates(one):
                return (f"'{_shown(one)}' is not valid UTF-8 text; type it again in a terminal "
                        "that uses UTF-8.")
    return None


def _shown(text: str, limit: int = 40) -> str:
    """A typed value quoted back: undecodable bytes as U+FFFD, one line, not too long."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = "".join(c if c.isprintable() else "\ufffd" for c in text)
    return text if len(text) <= limit else text[:limit] + "…"


def parse_day(value: str | None, option: str = "--as-of") -> date | None:
    """A YYYY-MM-DD option, or None when absent; one clear sentence for anything else,
    including a day outside the years a record can have (domain.text.plausible_date)."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise TaskforceError(f"{option} must be a date written YYYY-MM-DD, e.g. 2026-12-15; "
                             f"got '{_shown(value)}'.") from None
    if not plausible_date(day):
        raise TaskforceError(f"{option} must be a date between {EARLIEST_YEAR} and {LATEST_YEAR}; "
                             f"got {day.isoformat()}.")
    return day


def as_of(value: str | None, ctx) -> date:  # noqa: ANN001 - a services Context
    """The --as-of day, or the context's today."""
    return parse_day(value) or ctx.today()


def check_limit(limit: int | None) -> int | None:
    if limit is not None and limit < 1:
        raise TaskforceError("--limit must be at least 1.")
    return limit
