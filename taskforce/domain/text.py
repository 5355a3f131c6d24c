"""Text and dates as users type or import them: one normal form, nothing invisible that misleads.

Every text the services store is in Unicode NFC (so "é" typed on one keyboard and pasted from
another is the same name, and search and uniqueness agree), holds no NUL or other control
character, and no lone surrogate (which no file or database encoding can carry). Names and
identifiers (the short, one-line fields) also lose the bidirectional controls: an invisible
U+202E can make "Vance" display as "ecnaV" or hide that two case numbers differ ("Trojan
Source", CVE-2021-42574). Free text (a note) keeps them, as right-to-left writing uses them.

Pure functions; `services.tx` applies them to every value it writes.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from taskforce.i18n import ntr, tr

# U+200E/F marks, U+202A–E embeddings and overrides, U+2066–9 isolates, U+061C Arabic letter mark
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")

# C0 controls but tab, line feed and carriage return; DEL; C1 controls
_CONTROLS = [c for c in range(0x20) if chr(c) not in "\t\n\r"] + [0x7F] + list(range(0x80, 0xA0))
_TEXT_TABLE = dict.fromkeys(_CONTROLS)
_LINE_TABLE = {
    **_TEXT_TABLE,
    **dict.fromkeys(map(ord, BIDI_CONTROLS)),
    0xFEFF: None,  # a byte-order mark pasted or imported into a cell
    0x200B: None, 0x2060: None,  # zero-width space and word joiner: invisible, never meant in a name
    # a name is one line: line breaks and tabs become a space
    **dict.fromkeys(map(ord, "\t\n\r\u2028\u2029"), " "),
}
_SURROGATE = re.compile("[\ud800-\udfff]")

# Dates outside these years are typing slips (0202, 20226), not records.
EARLIEST_YEAR = 1800
LATEST_YEAR = 2199


# how a stored field is named in a message when its column name alone reads badly
FIELD_LABELS = {"dob": "Date of birth", "ori": "ORI", "rank_title": "Rank or title", "email": "E-mail",
                "opened_on": "Opened", "closed_on": "Closed", "body": "Note", "number": "Case number",
                "subject_identifier.value": "Identifier", "subject_alias.name": "Alias"}


def field_label(name: str, table: str = "") -> str:
    """``family_name`` → "Family name"; ``dob`` → "Date of birth"."""
    return (FIELD_LABELS.get(f"{table}.{name}") or FIELD_LABELS.get(name)
            or name.replace("_", " ").capitalize())


def _fix_surrogates(text: str) -> str:
    # a pair written as two code points becomes its character; a lone half becomes U+FFFD
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def has_surrogates(value: object) -> bool:
    """Whether a text (or the texts inside a tuple or a record) holds a surrogate code point."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, (tuple, list)):
        return any(has_surrogates(v) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return any(has_surrogates(v) for v in vars(value).values())
    return False


def clean_text(text: str) -> str:
    """Free text as stored: NFC, no control characters but tab and line breaks."""
    if text.isascii() and text.isprintable():  # the usual case, unchanged
        return text
    text = _fix_surrogates(text).translate(_TEXT_TABLE)
    return unicodedata.normalize("NFC", text)


def clean_line(text: str) -> str:
    """A name or identifier as stored: `clean_text`, on one line, without bidirectional controls."""
    if text.isascii() and text.isprintable():
        return text
    text = _fix_surrogates(text).translate(_LINE_TABLE)
    return unicodedata.normalize("NFC", text)


def is_clean_line(text: str) -> bool:
    return clean_line(text) == text


def has_visible_text(text: str) -> bool:
    """Whether anything but spaces and invisible controls is left once cleaned."""
    return bool(clean_line(text).strip())


def plausible_date(value: date) -> bool:
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


def date_problem(value: object, what: str) -> str | None:
    """Why ``value`` cannot be stored as the date ``what``, or None."""
    if not isinstance(value, date):
        return tr(f"{what} must be a date written YYYY-MM-DD.")
    if not plausible_date(value):
        return tr(f"{what} must be a date between {EARLIEST_YEAR} and {LATEST_YEAR}; got {value.isoformat()}.")
    return None


def days_text(days: int) -> str:
    """'1 day', '9 days': a count of days in the plural form its number takes."""
    return ntr("{n} day", "{n} days", days).format(n=days)
